"""The named allowances of the conformance tests: each place where Zoho's machine-written OAS files
are stricter than Zoho's own API (as its OASx examples and doc pages show it), or where the emulator
has a gap it says so in the README. Shared by tests/conformance and tests/reliability.

Metadata (org, users, profiles, roles, modules):

In every case
Zoho's own per-operation examples (the OASx examples of github.com/zoho/crm-oas, v8.0) or its doc
pages show the real API doing what the emulator does, and the machine-written OAS file is stricter:

* null where the file forgets ``nullable``: ``users[].Reporting_To``, ``$current_shift`` and
  ``$next_shift`` (OASx getUsers/getSingleUser show null); ``roles[].reporting_to`` of the top role and
  ``forecast_manager`` when none is set (REFERENCE §3.5: null for the top role); a system profile's
  ``created_time``/``created_by`` and, until edited, ``modified_time``/``modified_by`` (OASx
  getProfiles shows null); ``permissions_details[].module`` and ``parent_permissions`` of org-wide
  permissions (OASx getProfile); ``modules[].modified_by`` and ``related_list_properties.sort_by``
  of untouched standard modules (OASx getModules / getModuleByApiName show null).
* keys marked required that Zoho does not send: ``users[].Modified_By`` is ``{name, id}`` (OASx, not
  ``first_name``/``last_name``); GET one user has no ``info`` (OASx getSingleUser); the profile list
  leaves out ``permissions_details`` and ``sections`` (OASx getProfiles); the module list leaves out
  ``custom_view``, ``layouts``, ``related_lists``, ``layout_associations``, ``fields`` and
  ``common.search_supported`` (OASx getModules), and GET one module does not send ``layouts``,
  ``related_lists``, ``layout_associations`` or ``common.search_supported`` either (OASx
  getModuleByApiName).
* values pinned to one sample: ``users[].date_format`` enum ``['MMM d, yyyy']``,
  ``number_separator`` enum ``['Space']``, the ``email`` pattern ``[a-z0-9]{9}@[a-z0-9]{5}.com`` and
  ``time_zone`` typed as an object (OASx and the Users doc page show e.g. ``"MM/dd/yyyy"`` and an
  IANA zone string); ``modules[].generated_type`` enum without ``field_tracker`` (OASx getModules
  lists ``field_tracker``, ``static_subform`` and ``webtab_link``).
* ``GET /users/actions/count`` answers ``{"count": <integer>}`` where the file says string: the Users
  Count doc page shows a number and the official SDK types it Integer.

Emulator gaps, not Zoho behavior (README "not yet"): GET one module has no ``custom_view`` (custom
views are not emulated), and its ``fields`` are ``{api_name, id}`` summaries (full field metadata is
``/settings/fields``), where the file wants full field objects.

Records, fields and layouts:


* ``API_Exception.code`` and ``.message`` are closed enums in record.json that miss codes and
  messages Zoho's own per-operation examples (OASx getRecords, updateRecords, deleteRecords) use:
  ``REQUIRED_PARAM_MISSING``/"required param is missing", ``DISCRETE_PAGINATION_LIMIT_EXCEEDED``,
  ``TOKEN_BOUND_DATA_MISMATCH``, ``EXPIRED_VALUE``, ``PAGINATION_LIMIT_EXCEEDED``,
  ``ALREADY_MODIFIED``, ``UNABLE_TO_PARSE_DATA_TYPE``, and the lower-case "the module name given
  seems to be invalid" (OASx getRecords) where the enum only has a capitalised form.
* ``Tag[].id`` and ``color_code`` are null: the tags resource is not emulated, so tags have no ids
  (docs/decisions.md); tags.json marks ``id`` nullable but lists ``color_code`` as required.
* ``Deleted_Record`` of a ``permanent`` deletion has null ``deleted_by``, ``created_by`` and
  ``display_name`` (OASx getDeletedRecords shows exactly that).
* record_count.json gives the 200 no schema at all: the count is checked to be a JSON number.
* layouts.json: the ``REQUIRED_PARAM_MISSING`` details key is ``param`` there but ``param_name`` in
  every other file and example (docs/decisions.md #36); ``INVALID_MODULE`` is spelled
  ``InvalidModule`` there. Section field objects leave out keys layouts.json marks required that
  ``/settings/fields`` does not carry either (``static_field`` …): they are filled with resting
  values, and the few the stored field objects hold as null where the file wants a type are allowed.

Webhooks (webhooks.json, OpenAPI 3.1): null where a method does not take a part (``headers``,
``body``, ``url_parameters``) and where no date format or lock message is set, as OASx
getWebhookById shows; ``url_parameters`` generated as an empty object; list sizes cut from one
example; error alternatives and messages that OASx createWebhooks and deleteWebhooksById document
and the file's ``oneOf`` leaves out.

Notifications (notifications.json, the watch API): ``event`` entries without the keys Zoho's enable
and update samples leave out; GET rows with ``channel_id`` a string (typed object), any ``notify_url``
(the file's pattern is one sample host), ``notification_condition`` null when none is set, and field
selections shaped as Doc7 get-details shows them (fields with ``group_operator``/``group`` null, groups
without ``field``, ``comparator`` or ``value``).
"""

from __future__ import annotations

from tests.support.oas import Allowance

OASX = "Zoho's OASx example"
NULL_SYSTEM = "system profiles carry null creation/modification data (OASx getProfiles)"

USER_ALLOWANCES = [
    Allowance("$.users.*.Reporting_To", "null", f"{OASX} getUsers: null for a user who reports to no one"),
    Allowance("$.users.*.$current_shift", "null", f"{OASX} getSingleUser: null without shift hours"),
    Allowance("$.users.*.$next_shift", "null", "null without shift hours, as $current_shift"),
    Allowance("$.users.*.Modified_By", "required", f"{OASX} getUsers: {{name, id}}", key="first_name"),
    Allowance("$.users.*.Modified_By", "required", f"{OASX} getUsers: {{name, id}}", key="last_name"),
    Allowance("$.users.*.date_format", "enum", f"{OASX} getUsers: 'MM/dd/yyyy'"),
    Allowance("$.users.*.number_separator", "enum", "the enum holds one sample value only"),
    Allowance("$.users.*.email", "pattern", "the pattern was derived from one sample address"),
    Allowance("$.users.*.time_zone", "type", "an IANA zone string, as in the Users doc page sample"),
]
ONE_USER_ALLOWANCES = [
    *USER_ALLOWANCES,
    Allowance("$", "required", f"{OASX} getSingleUser has no info object", key="info"),
]
COUNT_ALLOWANCES = [Allowance("$.count", "type", "Users Count doc page sample and SDK CountWrapper: integer")]
PROFILE_NULLS = [
    Allowance(f"$.profiles.*.{key}", "null", NULL_SYSTEM)
    for key in ("created_time", "created_by", "modified_time", "modified_by")
]
PROFILE_ALLOWANCES = [
    *PROFILE_NULLS,
    Allowance("$.profiles.*.permissions_details.*.module", "null", f"{OASX} getProfile: org-wide permissions"),
    Allowance("$.profiles.*.permissions_details.*.parent_permissions", "null", f"{OASX} getProfile: top level"),
]
PROFILE_LIST_ALLOWANCES = [
    *PROFILE_NULLS,
    Allowance("$.profiles.*", "required", f"{OASX} getProfiles: detail only", key="permissions_details"),
    Allowance("$.profiles.*", "required", f"{OASX} getProfiles: detail only", key="sections"),
]
ROLE_ALLOWANCES = [
    Allowance("$.roles.*.reporting_to", "null", "the top role (CEO) reports to no role (REFERENCE §3.5)"),
    Allowance("$.roles.*.forecast_manager", "null", "no forecast manager is set in a fresh org"),
]
MODULE_ALLOWANCES = [
    Allowance("$.modules.*.modified_by", "null", f"{OASX} getModules: null for untouched standard modules"),
    Allowance("$.modules.*.related_list_properties.sort_by", "null", f"{OASX} getModuleByApiName: null"),
    Allowance("$.modules.*.generated_type", "enum", f"{OASX} getModules: field_tracker and more"),
    *(
        Allowance("$.modules.*", "required", f"{OASX} getModuleByApiName does not send it", key=key)
        for key in ("layouts", "related_lists", "layout_associations", "common.search_supported")
    ),
]
MODULE_LIST_ALLOWANCES = [
    *MODULE_ALLOWANCES,
    *(
        Allowance("$.modules.*", "required", f"{OASX} getModules: GET one only", key=key)
        for key in ("custom_view", "fields")
    ),
]
ONE_MODULE = [
    *MODULE_ALLOWANCES,
    Allowance("$.modules.*", "required", "custom views are not emulated yet", key="custom_view"),
    Allowance("$.modules.*.fields.*", "required", "fields are {api_name, id} summaries", key="*"),
]

ERROR_ENUMS = [
    Allowance("$.code", "enum", f"{OASX}s use codes the record.json enum misses"),
    Allowance("$.message", "enum", f"{OASX}s use messages the record.json enum misses"),
    Allowance("$.data.*.code", "enum", f"{OASX}s use codes the record.json enum misses"),
    Allowance("$.data.*.message", "enum", f"{OASX}s use messages the record.json enum misses"),
]
TAGS = [
    Allowance("$.data.*.Tag.*.color_code", "null", "tags are not emulated: no colour yet"),
]
PERMANENT = [
    Allowance(f"$.data.*.{key}", "null", f"{OASX} getDeletedRecords: permanent entries carry null")
    for key in ("deleted_by", "created_by", "display_name")
]

STORED = "the standard org's field objects follow Zoho's real responses, which send null here"
# Keys fields.json marks required that Zoho's GET Fields responses (and so the stored objects) lack.
ABSENT_FIELD_KEYS = (
    "_update_existing_records",
    "allowed_modules",
    "autonumber",
    "available_in_user_layout",
    "blueprint_supported",
    "category",
    "column_name",
    "common.picklist",
    "convert_mapping",
    "file_upolad_optionlist",
    "multiuserlookup",
    "number_separator",
    "quick_sequence_number",
    "refer_from_field",
    "sharing_properties",
    "show_type",
    "static_field",
    "sub_module",
    "subform",
    "textarea",
)
FIELD_ALLOWANCES = [
    Allowance("$.fields.*.*", "null", STORED),
    Allowance("$.fields.*.*.*", "null", STORED),
    *(Allowance("$.fields.*", "required", "not sent by Zoho's GET Fields", key=key) for key in ABSENT_FIELD_KEYS),
]

LAYOUT_ALLOWANCES = [
    Allowance("$.code", "enum", "layouts.json spells INVALID_MODULE as InvalidModule, alone among the files"),
    Allowance("$.details", "required", "param_name, as every other file and example (decisions #36)", key="param"),
    Allowance("$.layouts.*.sections.*.fields.*.*", "null", "stored field objects hold null here (fields.json)"),
    Allowance("$.layouts.*.sections.*.fields.*.*.*", "null", "stored field objects hold null here (fields.json)"),
    Allowance("$.layouts.*.sections.*.properties.*", "null", "no row limits on plain sections"),
    *(
        Allowance(f"$.layouts.*.{key}", "null", "a fresh org's Standard layout: no creator, no conversion mapping")
        for key in ("created_by", "modified_by", "created_for", "convert_mapping.*")
    ),
]

# Webhooks (webhooks.json, an OpenAPI 3.1 file): the per-operation files and examples of OASx webhooks
# show what the generated schemas cut short.
WEBHOOK_READ_ALLOWANCES = [
    Allowance("$.webhooks.*.lock_status.message", "null", f"{OASX}s getWebhooks and getWebhookById: null"),
    *(
        Allowance(f"$.webhooks.*.{key}", "null", f"{OASX} getWebhookById: null when the method does not take it")
        for key in ("headers", "body", "url_parameters", "date_time_format")
    ),
    Allowance(
        "$.webhooks.*.url_parameters",
        "additionalProperties",
        "the file's url_parameters schema is an empty object; OASx getWebhooks documents its three keys",
    ),
    Allowance("$.webhooks", "maxItems", "a count cut from one example; OASx getWebhooks: up to 200"),
]
# Errors of createWebhooks/updateWebhooks that OASx documents and the file's oneOf leaves out
# (EXPECTED_FIELD_MISSING, LIMIT_EXCEEDED; the feature type's own message).
WEBHOOK_ERRORS_THE_FILE_MISSES = [
    Allowance("$.webhooks", "type", f"{OASX} createWebhooks: ExpectedFieldMissingError, LimitExceededError"),
    Allowance("$.webhooks.*.message", "enum", f"{OASX} createWebhooks: InvalidFeatureTypeError"),
]
WEBHOOK_PATH_ID_ALLOWANCES = [
    Allowance("$.code", "enum", f"{OASX} deleteWebhooksById: InvalidWebhookIdPathResponse1"),
    Allowance("$.message", "enum", f"{OASX} deleteWebhooksById: 'the id given seems to be invalid'"),
]
WEBHOOK_FAILURE_ALLOWANCES = [
    Allowance("$.webhook_failures", "maxItems", f"{OASX} getWebhookFailures: up to 200 a page"),
]

# Workflow automation (field_updates.json, workflow_tasks.json, workflow_rules.json,
# workflow_configurations.json): the per-operation files and examples of OASx show what the
# generated schemas leave out.
FIELD_UPDATE_VALUES = [
    Allowance("$.field_updates.*.value", "type", "AUTOMATION.md §4: booleans and numbers for such fields"),
    Allowance("$.field_updates.*.value", "null", "AUTOMATION.md §4: null clears the field"),
]
# createFieldUpdates' 400 schema lists no DEPENDENT_MISMATCH, which OASx updateFieldUpdateById
# (DependentMismatchPostman) shows for the same rule, a value the field does not take.
FIELD_UPDATE_MISMATCH = [
    Allowance("$.field_updates.*.code", "enum", f"{OASX} updateFieldUpdateById: DEPENDENT_MISMATCH"),
    Allowance("$.field_updates.*.message", "enum", f"{OASX} updateFieldUpdateById: 'Dependent Field is not matching'"),
]
# An empty module or field reference: EXPECTED_FIELD_MISSING "Specify atleast one field", the shared
# rule of the automation APIs (AUTOMATION.md §1; OASx postWorkflowRule ExpectedFieldMissingResponse1),
# which the field update and task files leave out.
AUTOMATION_REFS = [
    Allowance(f"$.{envelope}.*.{key}", rule, f"{OASX} postWorkflowRule: EXPECTED_FIELD_MISSING for an empty reference")
    for envelope in ("field_updates", "tasks")
    for key, rule in (("code", "enum"), ("message", "enum"), ("details", "additionalProperties"))
]
# postTasks' 400 schema misses DEPENDENT_FIELD_MISSING (which its own description names for the due
# date: "In Due date if any of the field is missing") and MANDATORY_NOT_FOUND's "mandatory field is
# not given" where the item carries both.
TASK_ERRORS = [
    Allowance("$.tasks.*.code", "enum", "workflow_tasks.json ErrorResponseCore7: DEPENDENT_FIELD_MISSING"),
    Allowance("$.tasks.*.message", "enum", "workflow_tasks.json ErrorResponseCore19: 'mandatory field is not given'"),
]
TASK_SUPPORTED_VALUES = [
    Allowance(
        "$.tasks",
        "type",
        f"{OASX} createWorkflowTasks InvalidDataResponse13: supported_values for a mapping's type "
        "(ErrorResponseCore9, which postTasks' 400 leaves out)",
    )
]
# postWorkflowRule's and updateWorkflowRule's 400 schemas list six error shapes; their own OASx
# examples show the others the API answers with (INVALID_DATA, MANDATORY_NOT_FOUND, NOT_ALLOWED,
# DUPLICATE_DATA, CANNOT_REMOVE …), with the same {code, details, message, status} frame.
RULE_WRITE_ERRORS = [
    Allowance("$.workflow_rules.*.code", "enum", f"{OASX}s postWorkflowRule, updateWorkflowRule: more codes"),
    Allowance("$.workflow_rules.*.message", "enum", f"{OASX}s postWorkflowRule, updateWorkflowRule: more messages"),
    Allowance("$.workflow_rules.*.details", "additionalProperties", f"{OASX} postWorkflowRule: their details keys"),
    Allowance("$.workflow_rules.*.details", "required", f"{OASX} postWorkflowRule: their details keys", key="*"),
]

# --- notifications.json (the watch API) ---
WATCH_DOC7 = "Doc7 enable / update-info samples"
# notifications.json's ``event`` schema marks keys required that Zoho's own samples leave out.
WATCH_EVENT_ALLOWANCES = [
    Allowance("$.watch.*.details.events.*", "required", f"{WATCH_DOC7}: no notification_condition", key="*"),
]
# GET rows: the file types channel_id as an object and pins notify_url to a pattern taken from one
# sample; its Criteria marks every key required where Zoho's get-details sample sends field entries
# (``group_operator``/``group`` null) and groups (no field, no comparator, no value).
WATCH_ROW_ALLOWANCES = [
    Allowance("$.watch.*.channel_id", "type", "Doc7 get-details sample: a string"),
    Allowance("$.watch.*.notify_url", "pattern", "the pattern is one sample host (www.zoho.com)"),
    Allowance("$.watch.*.notification_condition", "null", "Doc7 get-details: null for a channel without one"),
    Allowance("$.watch.*.notification_condition.*.field_selection", "required", "Doc7 get-details", key="*"),
    Allowance("$.watch.*.notification_condition.*.field_selection.group.*", "required", "Doc7 get-details", key="*"),
    Allowance("$.watch.*.notification_condition.*.field_selection.group.*.group", "null", "Doc7 get-details"),
    Allowance(
        "$.watch.*.notification_condition.*.field_selection.group.*.group.*", "required", "Doc7 get-details", key="*"
    ),
    Allowance("$.watch.*.notification_condition.*.field_selection.group.*.group.*.group", "null", "Doc7 get-details"),
]
# REQUIRED_PARAM_MISSING names the param ``param_name`` everywhere else (docs/decisions.md #36).
WATCH_PARAM_NAME = [Allowance("$.details", "required", "param_name, as decisions.md #36 settles", key="param")]
# getWorkflowRuleUsage: scheduled actions are QueuedActionUsageMetrics, whose schema requires the
# email engagement figures (``related_details``) of every action type; OASx shows them for email
# notifications only.
RULE_USAGE = [
    Allowance(
        "$.workflow_rules.*.conditions.*.scheduled_actions.*.actions.*",
        "required",
        f"{OASX} getWorkflowRuleUsage",
        key="related_details",
    ),
]
# getWorkflowRules' error schema names the params it found in examples; every list param is checked
# the same way (AUTOMATION.md §1 "bad query param").
RULE_LIST_PARAMS = [Allowance("$.details.param_name", "enum", "the other list params of getWorkflowRules")]
