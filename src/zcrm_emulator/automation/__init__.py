"""Workflow automation: what the automation APIs share, and what runs the rules.

The APIs live in their resource folders (resources/workflow_rules, field_updates,
automation_tasks, email_notifications, workflow_configurations); here is what they have in common
and the machinery that makes rules happen:

    refs.py       ``{api_name, id}`` references to modules and fields, with Zoho's errors
    wording.py    the validation engine's errors in each automation API's own words
    params.py     the query params and path ids every automation endpoint reads
    timing.py     periods on the emulator clock (execute_after, date-based rules, due dates)
    runner.py     the record-event subscriber: which active rules a write triggers, first matching
                  condition, instant actions now, scheduled ones stored (``install`` wires it up)
    actions.py    what each action kind does when it runs (field updates, tasks, webhooks, emails)
    scheduler.py  scheduled entries that came due: after a clock advance and from a background task
    repo.py       SQL for scheduled entries and the log of runs

Nothing here is imported at package import time, so resources may import ``refs`` and friends
without pulling in the runner.
"""
