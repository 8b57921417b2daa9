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
* ``Tag[].color_code`` is null for a tag made without a colour: tags.json marks ``Tag.color_code``
  nullable (and the v8 "Create Tags" page sets null when none is given); record.json does not.
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
    Allowance("$.data.*.Tag.*.color_code", "null", "tags.json: a tag made without a colour has none"),
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

# Layout writes: layouts.json's API_Exception requires every details key of every error at once
# (api_name, message, expected_data_type, info_message …), which no Zoho error carries; its code and
# message enums leave out what the doc pages list ("You cannot delete the system-defined layout",
# "Cannot transfer to the deactivated layout", ALREADY_DEACTIVATED) and the validation codes every
# write shares; its success enum leaves out the "layout deactivated" the Deactivate Custom Layout
# page shows (and "layout activated", its counterpart).
LAYOUT_WRITE_ALLOWANCES = [
    *(
        Allowance(at, "required", "layouts.json API_Exception requires every details key", key="*")
        for at in ("$.details", "$.layouts.*.details")
    ),
    *(
        Allowance(at, "enum", "codes and messages the layout doc pages and shared validation use")
        for at in ("$.code", "$.message", "$.layouts.*.code", "$.layouts.*.message")
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
# attachments.json: a link attachment's ``$file_id`` is null (OASx getAttachments); the error schemas
# miss codes and details the OASx examples show (uploadAttachment MandatoryNotFound,
# getAttachmentById LinkAttachmentError, InvalidModule with ``resource_path_index`` only).
ATTACHMENTS = [
    Allowance("$.data.*.$file_id", "null", f"{OASX} getAttachments: null for a link attachment"),
    Allowance(
        "$.code", "enum", f"{OASX} uploadAttachment, getAttachmentById: MANDATORY_NOT_FOUND, DOWNLOAD_NOT_ALLOWED"
    ),
    Allowance("$.details", "required", f"{OASX} attachments InvalidModule", key="related_status"),
    *WATCH_PARAM_NAME,
]
# files.json: more than ten files is INVALID_REQUEST (OASx uploadFiles TooManyFiles), a code the
# file's error schemas leave out.
FILES = [Allowance("$.code", "enum", f"{OASX} uploadFiles TooManyFiles: INVALID_REQUEST")]
# conversion_option.json: ``module_preference`` points at the whole module schema, whose keys are all
# required; Zoho's Lead Conversion Options sample (Kaizen #137) shows ``{api_name, id}`` only.
CONVERSION_OPTIONS = [
    Allowance(
        "$.__conversion_options.module_preference", "required", "Kaizen #137 Lead Conversion Options sample", key="*"
    )
]
# mass_convert.json: MandatoryError's ``details`` is a oneOf of two schemas every object matches, so a
# MANDATORY_NOT_FOUND answer fails that oneOf and is reported against InvalidError's ``code`` enum.
MASS_CONVERT = [Allowance("$.code", "enum", "mass_convert.json MandatoryError: details oneOf always matches twice")]
# The Mass Convert Lead Status page lists REQUIRED_PARAM_MISSING for a missing ``job_id``, a code
# mass_convert.json's error schemas leave out.
MASS_CONVERT_STATUS = [Allowance("$.code", "enum", "Mass Convert Lead Status page: REQUIRED_PARAM_MISSING")]
# record_photo.json: an upload without a file answers MANDATORY_NOT_FOUND, as Zoho's upload of an
# attachment does (OASx uploadAttachment MandatoryNotFound); the file's error enum leaves it out.
RECORD_PHOTO = [Allowance("$.code", "enum", f"{OASX} uploadAttachment MandatoryNotFound, for an upload without a file")]
# org.json gives the org photo's upload and delete the org update's Success_Response, whose details
# require an ``id``; org_photo.json (the newer file) closes them as ``{}``, and the "Delete Organization
# Photo" page's sample has ``"details": {}``.
ORG_PHOTO = [Allowance("$.details", "required", "org_photo.json and the Delete Organization Photo sample: {}", "id")]
# currencies.json: ``exchange_rate`` has the pattern ``[1-9][0-9]{1,8}[.][0-9]{9}``, two digits at least
# before the point, where Zoho's own samples show a home currency at "1.000000000" (Get Currencies).
CURRENCY_RATE = [Allowance("$.currencies.*.exchange_rate", "pattern", 'Get Currencies sample: "1.000000000"')]
# related_lists.json: ``sort_by`` is a ``field`` object without ``nullable``; a related list nobody
# re-sorted has none, as an untouched module's ``related_list_properties.sort_by`` (OASx getModules: null).
RELATED_LIST_SORT_BY = Allowance(
    "$.related_lists.*.sort_by", "null", f"{OASX} getModules: sort_by null until customised"
)
# notes.json: ``Note.$size`` is a string without ``nullable``; a text note has no size (the Get Notes
# doc page's sample shows ``"$size": null``).
NOTE_SIZE = Allowance("$.data.*.$size", "null", "Get Notes doc page sample: $size null for a text note")
# notes.json's ``Info`` types the page tokens as strings without ``nullable``; a record's Notes list
# sends them null without a next or previous page, as record lists do (REFERENCE §1.5: string/null).
NOTE_TOKENS = [
    Allowance(f"$.info.{key}", "null", "REFERENCE §1.5: null without a next/previous page")
    for key in ("next_page_token", "previous_page_token", "page_token_expiry")
]
# appointments.json, services.json, reschedule_history.json (the scheduling modules), checked at
# their component schemas: these close records on one sample's keys or require every key of it. The
# samples miss the $ meta keys every record answer carries (record.json: $approval_state, $review as
# an object or null …) and hold a custom field of their org (Date_1); keys left out are record meta
# the emulator gives no module yet ($canvas_id, $sharing_permission, $approved, $has_more) and the
# Services fields of a specific-dates availability (Available_Dates, Available_Timings), not emulated;
# an unset field reads back null, as every record field does here.
SCHEDULING_RECORDS = [
    Allowance("$", "additionalProperties", "record.json getRecords: the $ meta keys of every record"),
    Allowance("$.details", "additionalProperties", "record.json createRecords: details carry $approval_state"),
    Allowance("$", "required", "a custom field of the sample's org, not a standard one", key="Date_1"),
    *(
        Allowance("$", "required", "record meta the emulator gives no module yet", key=key)
        for key in ("$canvas_id", "$sharing_permission", "$approved", "$has_more")
    ),
    *(
        Allowance("$", "required", "a specific-dates availability is not emulated", key=key)
        for key in ("Available_Dates", "Available_Timings")
    ),
    *(
        Allowance(f"$.{key}", "null", "an unset field reads back null, as on every module")
        for key in ("Job_Sheet_Section__s", "Available_Days", "Record_Image", "Tax", "$review", "$zia_visions")
    ),
    Allowance("$.$review_process", "type", "record.json: {approve, reject, resubmit}, as on every module"),
]

# custom_views.json (OASx getCustomViews, getCustomViewById): the list shows a summary of each view
# (no criteria, fields, sort, sharing …); one view sends no ``module``, null ``sort_by`` when the view
# keeps the module's order and null ``criteria`` when it holds every record; a criteria leaf has no
# ``group``/``group_operator`` and a group no ``comparator``/``field``/``value``, and a leaf's
# ``value`` is a string or a list (OASx: ``"value": "1"``, ``"${NOTEMPTY}"``); GET one's ``info``
# has ``translation`` only.
CUSTOM_VIEW_LIST = [
    Allowance("$.custom_views.*", "required", f"{OASX} getCustomViews: a summary of each view", key=key)
    for key in ("criteria", "favorite", "fields", "module", "offline", "shared_to", "sort_by", "sort_order")
]
CUSTOM_VIEW_ONE = [
    Allowance("$.custom_views.*", "required", f"{OASX} getCustomViewById sends no module", key="module"),
    Allowance("$.custom_views.*.sort_by", "null", f"{OASX} getCustomViewById: sort_by null"),
    Allowance("$.custom_views.*.criteria", "null", "a view that holds every record has no criteria"),
    Allowance("$.custom_views.*.criteria", "required", f"{OASX} getCustomViewById: a leaf or a group", key="*"),
    Allowance("$.custom_views.*.criteria.group.*", "required", f"{OASX} getCustomViewById: leaves", key="*"),
    Allowance("$.custom_views.*.criteria.value", "type", f"{OASX} getCustomViewById: a string value"),
    Allowance("$.custom_views.*.criteria.group.*.value", "type", f"{OASX} getCustomViewById: string values"),
    Allowance("$.info", "required", f"{OASX} getCustomViewById: info has translation only", key="*"),
]
# mass_update.json: its per-item error wrapper types ``data`` as one object, where Zoho answers the
# array of per-item results (OASx massUpdateRecords "MandatoryFieldMissing": ``data: [ … ]``).
MASS_UPDATE_ERRORS = [
    Allowance("$.data", "type", f"{OASX} massUpdateRecords MandatoryFieldMissing: an array"),
    Allowance("$.code", "enum", f"{OASX} massUpdateRecords: NOT_SUPPORTED for a module it does not serve"),
]

# Tags (tags.json, tags_actions.json, mass_delete_tags.json; docs/decisions.md "Tags"):
# REQUIRED_PARAM_MISSING names the param ``param_name`` as tags_actions.json does (tags.json: ``param``);
# the 202 of a mass delete gives ``job_id`` as the string the Mass Delete Tags page shows (the file:
# an object); an unknown job is one error object in ``mass_delete`` (the file nests an array in the
# array); a mass delete body that is no JSON object is INVALID_DATA ``{expected_data_type}``
# (REFERENCE §1.2), where the file wants body-field details.
TAG_ALLOWANCES = [
    Allowance("$.details", "required", "param_name, as tags_actions.json and decisions.md #36", key="param"),
    Allowance("$.details.job_id", "type", "Mass Delete Tags page sample: job_id is a string"),
    Allowance("$.mass_delete.*", "type", "Mass Delete Tags Status page: one error object per job"),
    Allowance("$.details", "required", "REFERENCE §1.2: a body that is no JSON object", key="api_name"),
    Allowance("$.details", "required", "REFERENCE §1.2: a body that is no JSON object", key="json_path"),
]
# tags.json gives records_count no TAG_ID_NOT_FOUND, which tags_actions.json documents for it.
TAG_COUNT_ALLOWANCES = [
    *TAG_ALLOWANCES,
    Allowance("$.code", "enum", "tags_actions.json getRecordsCount ErrorResponseTagIdNotFound"),
]
TAG_PATHS = [
    *(
        ("tags.json", f"/crm/v8{path}")
        for path in (
            "/settings/tags",
            "/settings/tags/{id}",
            "/settings/tags/{id}/actions/merge",
            "/settings/tags/{id}/actions/records_count",
            "/{module_api_name}/{record_id}/actions/add_tags",
            "/{module_api_name}/{record_id}/actions/remove_tags",
            "/{module_api_name}/actions/add_tags",
            "/{module_api_name}/actions/remove_tags",
        )
    ),
    ("mass_delete_tags.json", "/crm/v8/settings/tags/actions/mass_delete"),
]
# coql.json's 400 knows the COQL codes only; Zoho's per-operation examples (OASx "Get Records through
# a COQL Query") also show INVALID_DATA (a limit of 0, a function that is no aggregate, a body that is
# no JSON object), MANDATORY_NOT_FOUND (no select_query) and INVALID_MODULE (a module COQL does not
# serve).
COQL_ALLOWANCES = [
    Allowance("$.code", "enum", "OASx COQL examples: INVALID_DATA, MANDATORY_NOT_FOUND, INVALID_MODULE"),
]
# Users, roles and profiles writes (resources/users, roles, profiles): answers Zoho's per-operation
# examples and doc pages show that the machine-written files leave out.
USER_WRITE_ALLOWANCES = [
    Allowance(
        "$.users.*.code",
        "enum",
        f"{OASX} deleteUser, updateSingleUser: ID_ALREADY_DELETED, NOT_ALLOWED, INVALID_REQUEST, "
        "ID_ALREADY_ACTIVE/DEACTIVATED, LICENSE_LIMIT_EXCEEDED, DUPLICATE_DATA beyond the file's INVALID_DATA",
    ),
]
# The v8 page "Status of Transfer Records and Delete Users" lists REQUIRED_PARAM_MISSING without job_id.
TRANSFER_STATUS_ALLOWANCES = [
    Allowance("$.code", "enum", "v8 transfer-records-delete-user-status: REQUIRED_PARAM_MISSING")
]
# roles.json's errors know body-field and param details only; a body that is no JSON object is
# INVALID_DATA {expected_data_type} (REFERENCE §1.2), refused whole.
ROLE_WRITE_ALLOWANCES = [
    *ROLE_ALLOWANCES,
    Allowance("$", "required", "a body that is no JSON object: refused whole (REFERENCE §1.2)", key="roles"),
]
# profiles.json gives clone no INVALID_ID (update and delete have it) and update/delete no NOT_ALLOWED,
# which OASx updateProfile/deleteProfile SystemProfileNotAllowed show for the Administrator profile.
PROFILE_WRITE_ALLOWANCES = [
    *PROFILE_ALLOWANCES,
    Allowance("$", "required", f"{OASX} SystemProfileNotAllowed, bare", key="profiles"),
    Allowance("$.code", "enum", f"{OASX} deleteProfile SystemProfileNotAllowed, InvalidDeleteRequest"),
    Allowance("$.message", "enum", f"{OASX} deleteProfile/cloneProfile: the system profile, an unknown id"),
    Allowance("$.profiles.*.message", "enum", f"{OASX} cloneProfile InvalidProfileNameSpecialChars"),
]


# --- territories (territories.json, territory_users.json, users_territories.json) -------------------
# OASx getTerritories shows null for the org territory's ``reporting_to``, for a territory without a
# manager and for rule criteria not set; territories.json marks none of them nullable. Its
# ``MandatoryDetails`` (the details of every per-item error) requires ``supported_values``, which
# OASx transferAndDeleteTerritories and the create/update examples send only for a closed list.
TERRITORY_ALLOWANCES = [
    *(
        Allowance(f"$.territories.*.{key}", "null", f"{OASX} getTerritories: null when not set")
        for key in ("account_rule_criteria", "deal_rule_criteria", "lead_rule_criteria", "manager")
    ),
    Allowance("$.territories.*.reporting_to", "null", f"{OASX} getTerritories: the org territory reports to none"),
    Allowance(
        "$.territories.*.details",
        "required",
        f"{OASX} transferAndDeleteTerritories: {{api_name, json_path}}",
        key="supported_values",
    ),
    # OASx transferAndDeleteTerritories TerritoryReportingToChildError: NOT_ALLOWED {api_name, json_path},
    # where the file's only NOT_ALLOWED item has the URL's resource_path_index.
    Allowance(
        "$.territories.*.details", "required", f"{OASX} TerritoryReportingToChildError", key="resource_path_index"
    ),
    # OASx getTerritories GetTerritoriesByIncludeParam: one criterion is {comparator, field, value} with
    # a text value; the file's Criteria wants group and group_operator always and an object value.
    *(
        allowance
        for key in ("account_rule_criteria", "deal_rule_criteria", "lead_rule_criteria")
        for allowance in (
            Allowance(f"$.territories.*.{key}.value", "type", f'{OASX} getTerritories: "value": "Chennai"'),
            Allowance(f"$.territories.*.{key}", "required", f"{OASX} getTerritories: one criterion", key="group"),
            Allowance(
                f"$.territories.*.{key}", "required", f"{OASX} getTerritories: one criterion", key="group_operator"
            ),
        )
    ),
]
# The users of a territory are users.json's users, with the allowances of GET /users.
TERRITORY_USER_ALLOWANCES = list(USER_ALLOWANCES)
USER_TERRITORY_ALLOWANCES: list[Allowance] = []
# bulk_read.json marks every key of a job's ``query`` and ``result`` required; the "Get the Status of
# the Bulk Read Job" page's samples echo only the module, the page and what the create call asked
# (no cvid, criteria or file_type when none were given), and their result has no ``next_page_token``
# (the emulator pages bulk reads by ``query.page``, as those samples do).
BULK_READ_JOB = [
    Allowance("$.data.*.query", "required", "Get the Status of the Bulk Read Job samples", key="*"),
    Allowance("$.data.*.result", "required", "Get the Status of the Bulk Read Job samples", key="next_page_token"),
]


# --- user groups (user_groups.json) ----------------------------------------------------------------
# The v7 "Get User Groups" page and OASx getAssociatedGroupsForUser list groups without their sources
# (``include`` adds them); the file's groups schema requires both.
USER_GROUP_ALLOWANCES = [
    Allowance("$.user_groups.*", "required", f"{OASX} getAssociatedGroupsForUser: no sources", key="sources"),
    Allowance("$.user_groups.*", "required", "the Get User Groups page: only with include", key="sources_count"),
]

# What only fuzzing reaches. territories.json's bare 400 knows body-field errors and the URL's id: a bad
# list param is INVALID_DATA {param_name} (REFERENCE §1.7), a missing ``ids`` REQUIRED_PARAM_MISSING and
# more than ten INVALID_REQUEST (OASx deleteTerritories), a body that is no JSON object INVALID_DATA
# without api_name (REFERENCE §1.2); its MandatoryError wants supported_values (as above).
TERRITORY_PARAM_ERRORS = [
    # Items of one refused batch failing in different ways: each of the file's wrappers holds one kind.
    Allowance("$.territories.*.code", "enum", "a batch whose items fail differently (REFERENCE §1.4)"),
    Allowance("$.details", "required", "a param's or a whole body's INVALID_DATA (REFERENCE §1.2, §1.7)", key="*"),
    Allowance("$.code", "enum", f"{OASX} deleteTerritories: INVALID_REQUEST; a missing ids: REQUIRED_PARAM_MISSING"),
]
# users_territories.json's InvalidUrlDetails requires owner_status beside resource_path_index, which a
# path id that names no user does not have (users.json's own InvalidUrlError does not require it);
# its 400 has no REQUIRED_PARAM_MISSING for a DELETE without ``ids``.
USER_TERRITORY_FUZZ = [
    Allowance("$.details", "required", "users.json InvalidUrlError: resource_path_index only", key="owner_status"),
    Allowance("$.code", "enum", "a DELETE without ids: REQUIRED_PARAM_MISSING (REFERENCE §1.7)"),
    *TERRITORY_PARAM_ERRORS,
]
# territory_users.json's per-item errors are INVALID_DATA only; OASx associateUsersToTerritory shows
# DUPLICATE_DATA {api_name, json_path} and LIMIT_EXCEEDED {limit}, and deassociateUsersFromTerritories
# INVALID_DATA {id}.
TERRITORY_USER_FUZZ = [
    Allowance("$.users.*.code", "enum", f"{OASX} associateUsersToTerritory DuplicateUserAddition, LimitExceeded"),
    Allowance("$.users.*.details", "required", f"{OASX} deassociateUsersFromTerritories: {{id}}", key="*"),
    *TERRITORY_PARAM_ERRORS,
]
# user_groups.json: a bad page, per_page, include, user_type or group_by is INVALID_DATA {param_name}
# (REFERENCE §1.7), a bad ``type`` PATTERN_NOT_MATCHED (OASx getUserGroupSources), where the file's 400
# of these reads is its InvalidUrlResponse only; a name taken is DUPLICATE_DATA (OASx createGroup
# CreateGroupError), which its write errors leave out; REQUIRED_PARAM_MISSING names ``param_name``
# (docs/decisions.md #36) where common.json's ParamDetails has ``param``.
USER_GROUP_FUZZ = [
    Allowance("$.details", "required", "a list param's INVALID_DATA {param_name} (REFERENCE §1.7)", key="*"),
    Allowance("$.code", "enum", f"{OASX} getUserGroupSources PatternNotMatched; param errors (REFERENCE §1.7)"),
    Allowance("$.user_groups.*.code", "enum", f"{OASX} createGroup CreateGroupError: DUPLICATE_DATA"),
    Allowance("$.user_groups.*.details", "required", "LIMIT_EXCEEDED {api_name, json_path, limit}", key="*"),
]

# The fuzz test's allowances by (file, path), for the territory and user-group files.
TERRITORY_AND_GROUP_PATHS: dict[tuple[str, str], list[Allowance]] = {
    **{
        ("territories.json", f"/crm/v8/settings/territories{tail}"): [*TERRITORY_ALLOWANCES, *TERRITORY_PARAM_ERRORS]
        for tail in (
            "",
            "/{id}",
            "/{id}/__child_territories",
            "/actions/associated_users_count",
            "/actions/deleted_associated_territories",
            "/{id}/actions/transfer_and_delete",
            "/actions/transfer_and_delete",
        )
    },
    **{
        ("territory_users.json", f"/crm/v8/settings/territories/{{territory}}/users{tail}"): [
            *TERRITORY_USER_ALLOWANCES,
            *TERRITORY_USER_FUZZ,
        ]
        for tail in ("", "/{user}")
    },
    **{
        ("users_territories.json", f"/crm/v8/users/{{user}}/territories{tail}"): [
            *USER_TERRITORY_ALLOWANCES,
            *USER_TERRITORY_FUZZ,
        ]
        for tail in ("", "/{territory}")
    },
}
USER_GROUP_PATHS = (
    "/crm/v8/settings/user_groups",
    "/crm/v8/settings/user_groups/{group}",
    "/crm/v8/settings/user_groups/{group}/sources",
    "/crm/v8/settings/user_groups/{group}/actions/sources_count",
    "/crm/v8/settings/user_groups/actions/deletion_jobs",
    "/crm/v8/settings/user_groups/{group}/actions/associations",
    "/crm/v8/settings/user_groups/actions/associated_users_count",
    "/crm/v8/settings/user_groups/actions/get_assigned",
    "/crm/v8/settings/user_groups/actions/get_unassigned",
    "/crm/v8/users/{user}/actions/associated_groups",
    "/crm/v8/settings/user_groups/{group}/associated_users/actions/grouped_counts",
)
TERRITORY_AND_GROUP_PATHS.update(
    {("user_groups.json", path): [*USER_GROUP_ALLOWANCES, *USER_GROUP_FUZZ] for path in USER_GROUP_PATHS}
)

# contact_roles.json: DUPLICATE_DATA is what v8 "Insert Contact Roles" documents for a name in use
# ({"code": "DUPLICATE_DATA", "details": {"api_name": "name", "json_path": …}}); the file's error
# items know the code only as INVALID_DATA (Duplicate_Data_API_Exception).
# A batch mixing error kinds fits only the file's own item schemas, whose MANDATORY_NOT_FOUND says
# "invalid data" where the v8 page shows "required field not found".
CONTACT_ROLE_ALLOWANCES = [
    Allowance("$.contact_roles.*.code", "enum", "v8 Insert Contact Roles: DUPLICATE_DATA for a name in use"),
    Allowance("$.contact_roles.*.message", "enum", "v8 Insert Contact Roles: 'required field not found'"),
]
CONTACT_ROLE_PATHS = [("contact_roles.json", f"/crm/v8/Contacts/roles{tail}") for tail in ("", "/{id}")]

# global_picklists.json: the list shows each set's options only with ``include=pick_list_values``
# (the v8 "Get Global Picklists" page: "use this value to retrieve all the available options ... when
# you perform bulk retrievals"), where the file requires them on every set.
GLOBAL_PICKLIST_ALLOWANCES = [
    Allowance(
        "$.global_picklists.*", "required", "the Get Global Picklists page: only with include", key="pick_list_values"
    ),
]

# variables.json types a variable's ``value`` as an object; the Get Variables page documents it as a
# string ("value string: Represents the value of the variable") and its samples show "Hello" and "".
VARIABLE_ALLOWANCES = [
    Allowance("$.variables.*.value", "type", "the Get Variables page: the value is a string"),
]


# --- scoring rules (scoring_rules.json) and entity scores (entity_scores.json) -------------------------
# ``Scoring_Rule.module`` is a ``$ref`` to modules.json's whole module object; the v8 "Scoring Rules"
# page shows a rule's module as ``{api_name, id}``, as every automation object names its module. A
# rule for every layout has layout null (the Create page: "layout … optional"). A criterion is one
# leaf ``{comparator, field, value}`` (the page's samples, and what territories.json's criteria show),
# with a text or number ``value``, or a group ``{group_operator, group}``; the file wants every key
# on both and an object ``value``. Success_Response's message enum holds only the create's message,
# shared by every operation of the file.
_CRITERIA = ("$.scoring_rules.*.field_rules.*.criteria", "$.scoring_rules.*.field_rules.*.criteria.group.*")
SCORING_RULE_ALLOWANCES = [
    Allowance("$.scoring_rules.*.module", "required", "the Scoring Rules page: module {api_name, id}", key="*"),
    Allowance("$.scoring_rules.*.layout", "null", "the Create Scoring Rules page: layout is optional"),
    Allowance("$.scoring_rules.*.message", "enum", "one Success_Response for every operation of the file"),
    *(
        allowance
        for at in _CRITERIA
        for allowance in (
            Allowance(f"{at}.value", "type", "the Scoring Rules page: a criterion's value as sent"),
            *(Allowance(at, "required", "a leaf or a group, not both", key=key) for key in ("group", "group_operator")),
            *(
                Allowance(at, "required", "a group has no leaf keys", key=key)
                for key in ("field", "comparator", "value")
            ),
        )
    ),
]
# ``fields`` chooses what a score shows (the v8 "Get Entity Score" page); the file marks them all required.
ENTITY_SCORE_ALLOWANCES = [
    Allowance("$.data.*", "required", "Get Entity Score page: only the fields asked for", key="*"),
]

# Data sharing rules (sharing_rules.json): its updates (and actions) document each per-item error as
# an array of its own inside ``sharing_rules``, where its create documents the flat per-item errors
# every Zoho write answers (REFERENCE §1.3): an update's refused rule is that flat error.
SHARING_RULE_ITEM_ERRORS = [
    Allowance("$.sharing_rules.*", "type", "the create's flat per-item error (REFERENCE §1.3), not an array"),
]

# Record locking (record_locking_configuration.json, record_locking.json; docs/decisions.md
# "Record locking"): each file's Success_Response enumerates one write's message for every write.
# The v8 Delete Record Locking Configuration sample says "record locking configuration deleted
# successfully" (an update, likewise "updated"); the v6-v8 Update Record Locking Information and
# Unlock Records samples say "relation updated" and "relation removed".
RECORD_LOCKING_CONFIG_ALLOWANCES = [
    Allowance("$.record_locking_configurations.*.message", "enum", "v8 Delete Record Locking Configuration sample"),
]
RECORD_LOCK_ALLOWANCES = [
    Allowance("$.data.*.message", "enum", "v6-v8 Update Record Locking Information / Unlock Records samples"),
]
# Its actions' 400 knows only InvalidTypeError, where a path id no set has is INVALID_DATA
# {resource_path_index: 2} (the v8 Replace Status page; OASx getReplacedValues and
# getGlobalPickListFieldAssociations: "the id given seems to be invalid").
GLOBAL_PICKLIST_PATH_ERRORS = [
    Allowance("$.details", "required", "OASx: INVALID_DATA {resource_path_index} for an unknown id", key="*"),
]
# A rule's shapes (checked against the file's components, as its successes have no schema): a
# criteria-based rule has no source (``shared_from`` null, as the v8 create sample sends it), an
# owner-based one no criteria, and "all users" names no resource; a criterion's ``value`` is the
# compared value itself (a string in the v8 samples; the SDK types it Object), not a JSON object.
SHARING_RULE_SHAPES = [
    Allowance("$.shared_from", "null", "v8 create sample: a criteria-based rule's shared_from is null"),
    Allowance("$.criteria", "null", "an owner-based rule has no criteria (docs/decisions.md)"),
    Allowance("$.shared_to.resource", "null", "all_users names no role or group (docs/decisions.md)"),
    Allowance("$.shared_from.resource", "null", "all_users names no role or group (docs/decisions.md)"),
    Allowance("$.criteria.value", "type", "v8 samples: the compared value, e.g. a string"),
    Allowance("$.criteria.group.*.value", "type", "v8 samples: the compared value, e.g. a string"),
]

# pipeline.json: INVALID_DATA items name the key at fault ({api_name, json_path}) as Zoho's other
# settings APIs do, where the file's InvalidError requires ``expected_data_type`` on every one (a
# wrong id is not a wrong type); CANNOT_DELETE for a pipeline's last stage is on the v8 "Update a
# Pipeline" page and not in the file.
PIPELINE_ALLOWANCES = [
    Allowance(
        "$.transfer_pipeline.*.details",
        "required",
        "v8 Transfer and Delete a Pipeline: a wrong id, not a wrong type",
        key="expected_data_type",
    ),
    Allowance("$.pipeline.*.code", "enum", "v8 Update a Pipeline: CANNOT_DELETE for the last stage"),
    # A stage shows the Stage picklist value's colour_code, null until a colour is set (fields.json);
    # a pipeline that is no sub-pipeline has a null parent (child_available false).
    Allowance("$.pipeline.*.maps.*.colour_code", "null", "fields.json Stage values: colour_code null by default"),
    Allowance("$.pipeline.*.parent", "null", "a top pipeline has no parent (child_available false)"),
]
PIPELINE_PATHS = [("pipeline.json", f"/crm/v8/settings/pipeline{tail}") for tail in ("", "/actions/transfer")]
# What fuzzing reaches besides: REQUIRED_PARAM_MISSING names the param ``param_name`` (decisions #36).
GLOBAL_PICKLIST_PARAM = Allowance("$.details", "required", "param_name, as decisions.md #36", key="param")
GLOBAL_PICKLIST_PATHS: dict[tuple[str, str], list[Allowance]] = {
    ("global_picklists.json", "/crm/v8/settings/global_picklists"): [
        *GLOBAL_PICKLIST_ALLOWANCES,
        GLOBAL_PICKLIST_PARAM,
    ],
    **{
        ("global_picklists.json", f"/crm/v8/settings/global_picklists/{{id}}/actions/{action}"): (
            GLOBAL_PICKLIST_PATH_ERRORS
        )
        for action in ("associations", "replaced_values", "replace_picklist_values")
    },
    ("pick_list_values.json", "/crm/v8/settings/fields/{field_id}/pick_list_values"): [GLOBAL_PICKLIST_PARAM],
}

# Business hours, shift hours, holidays and the fiscal year (docs/decisions.md "Business hours, shift
# hours, holidays, fiscal year"). business_hours.json pins every INVALID_DATA to the details of a wrong
# type or pattern and to the message "required field not found" (MANDATORY_NOT_FOUND's, copied); Zoho
# answers "invalid data" and names a closed list's choices as supported_values, and refuses a second
# create and an update before any create with NOT_ALLOWED (OASx createBusinessHours, updateBusinessHours).
BUSINESS_HOURS_ALLOWANCES = [
    Allowance("$.business_hours.message", "enum", "INVALID_DATA's message is 'invalid data'"),
    Allowance("$.business_hours.details", "required", "a closed list's choices: supported_values", key="*"),
    Allowance("$.business_hours.code", "enum", "NOT_ALLOWED 'Cannot update business hours' (OASx)"),
    Allowance("$.code", "enum", "NOT_ALLOWED 'Organization can have only one Business Hour' (OASx)"),
]
# shift_hours.json types every timing as an object with the pattern 'hh:mm'; they are "HH:mm" strings
# (OASx createShifts, getShifts). A daily shift's custom_timing is null (OASx getShifts), ``timezone`` a
# zone name, not an object; breaks are part of their shift and have no id; DUPLICATE_DATA "Shift Name
# already exists" (OASx createShifts) is a code the file's item errors miss.
SHIFT_HOUR_ALLOWANCES = [
    *(
        Allowance(at, rule, "'HH:mm' strings (OASx createShifts, getShifts)")
        for at in (
            "$.shift_hours.*.daily_timing.*",
            "$.shift_hours.*.custom_timing.*.shift_timing.*",
            "$.shift_hours.*.break_hours.*.daily_timing.*",
            "$.shift_hours.*.break_hours.*.custom_timing.*.break_timing.*",
        )
        for rule in ("type", "pattern")
    ),
    Allowance("$.shift_hours.*.custom_timing", "null", "null for a daily shift, as OASx getShifts"),
    Allowance("$.shift_hours.*.break_hours.*.custom_timing", "null", "null for a daily break"),
    Allowance("$.shift_hours.*.timezone", "type", "an IANA zone name (OASx getShifts)"),
    Allowance("$.shift_hours.*.break_hours.*", "required", "breaks are part of their shift", key="id"),
    Allowance("$.shift_hours.*.code", "enum", "DUPLICATE_DATA, as OASx createShifts"),
]
# holidays.json: a business holiday's shift_hour is null ("Contains null for business holidays", OASx
# getHolidays); INVALID_DATA and LIMIT_EXCEEDED carry Zoho's situation messages (OASx createHolidays);
# PATTERN_NOT_MATCHED names the param ``param_name`` (OASx getHolidays), where the file wants api_name.
HOLIDAY_ALLOWANCES = [
    Allowance("$.holidays.*.shift_hour", "null", "null for a business holiday (OASx getHolidays)"),
    Allowance("$.holidays.*.message", "enum", "INVALID_DATA's situation messages (OASx createHolidays)"),
    Allowance("$.holidays.*.code", "enum", "LIMIT_EXCEEDED 'Holidays limit exceeds' (OASx createHolidays)"),
    Allowance("$.details", "required", "param_name, as OASx getHolidays", key="api_name"),
]
# LIMIT_EXCEEDED's {limit, limit_due_to} (OASx createHolidays) fits no detail shape of the file's.
HOLIDAY_LIMIT = Allowance("$.holidays.*.details", "required", "LIMIT_EXCEEDED (OASx createHolidays)", key="*")
# fiscal_year.json: months in capitals (OASx getFiscalYear, updateFiscalYear's supported_values), where
# its enum capitalises them; an update's refusal names supported_values, or nothing for an empty update
# ("Please give a valid data"), with Zoho's messages (OASx updateFiscalYear).
FISCAL_YEAR_ALLOWANCES = [
    Allowance("$.fiscal_year.start_month", "enum", "months in capitals, as OASx getFiscalYear shows"),
    Allowance("$.fiscal_year.details", "required", "supported_values, or {} (OASx updateFiscalYear)", key="*"),
    Allowance("$.fiscal_year.message", "enum", "Zoho's messages (OASx updateFiscalYear)"),
    Allowance("$.fiscal_year.code", "enum", "NO_PERMISSION for a non-admin (OASx updateFiscalYear)"),
]
