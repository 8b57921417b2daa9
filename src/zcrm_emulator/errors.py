"""The one catalogue of Zoho CRM error codes, and the one way they reach the wire.

Every error a client can see is an entry here: its HTTP status and Zoho's message (lower-case where
Zoho writes it so), and, in ``Message``, the few messages Zoho gives a code in particular situations
(e.g. INVALID_DATA "the id given seems to be invalid"). Code anywhere raises
``ZohoError(code, details)`` or ``ZohoError(code, details, Message.X)``; a code outside
``ErrorCode`` or a message outside ``Message`` fails type checking (and tests/test_errors.py checks
every raise site). The gateway renders an error as a bare ``{code, details, message, status}``
object, and batch endpoints put ``error.as_item()`` into their per-item results instead
(REFERENCE §1.3, §1.8).

    ZohoError                 a request-level or per-item CRM error (catalogue code)
    └── (rendered by)         wire.error_reply / ZohoError.as_item
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Literal


@dataclass(frozen=True)
class ErrorSpec:
    status: int
    message: str


ErrorCode = Literal[
    "AUTHENTICATION_FAILURE",
    "INVALID_TOKEN",
    "OAUTH_SCOPE_MISMATCH",
    "NO_PERMISSION",
    "INVALID_URL_PATTERN",
    "INVALID_REQUEST_METHOD",
    "INTERNAL_ERROR",
    "API_NOT_SUPPORTED",
    "INVALID_MODULE",
    "INVALID_DATA",
    "MANDATORY_NOT_FOUND",
    "REQUIRED_PARAM_MISSING",
    "EXPECTED_PARAM_MISSING",
    "EXPECTED_FIELD_MISSING",
    "DEPENDENT_FIELD_MISSING",
    "DEPENDENT_MISMATCH",
    "DUPLICATE_DATA",
    "LIMIT_EXCEEDED",
    "LIMIT_REACHED",
    "DISCRETE_PAGINATION_LIMIT_EXCEEDED",
    "PAGINATION_LIMIT_EXCEEDED",
    "TOKEN_BOUND_DATA_MISMATCH",
    "EXPIRED_VALUE",
    "CRITERIA_LIMIT_EXCEEDED",
    "AMBIGUITY_DURING_PROCESSING",
    "UNABLE_TO_PARSE_DATA_TYPE",
    "MINIMUM_DATA_NOT_FOUND",
    "RESERVED_KEYWORD_NOT_ALLOWED",
    "NOT_ALLOWED",
    "NOT_SUPPORTED",
    "FEATURE_NOT_SUPPORTED",
    "AUTHORIZATION_FAILED",
    "ALREADY_MODIFIED",
    "PATTERN_NOT_MATCHED",
    "MULTIPLE_OR_MULTI_ERRORS",
    "RATE_LIMIT_EXCEEDED",
    "INVALID_QUERY",
    "SYNTAX_ERROR",
    "UNSUPPORTED_MEDIA_TYPE",
    "FILE_SIZE_MORE_THAN_ALLOWED_SIZE",
    # workflow rules and automation actions (AUTOMATION.md §3.5)
    "ALREADY_USED",
    "CANNOT_REMOVE",
    "INVALID_REQUEST",
    # the Notification API (notifications.json; AUTOMATION.md §5)
    "NOT_SUBSCRIBED",
    # lead conversion (convert_lead.json, convert.json)
    "ID_ALREADY_CONVERTED",
    # attachments, files, record photos (OASx attachments, files, record_photo)
    "DOWNLOAD_NOT_ALLOWED",
    "failure_in_attachment_handling",
    "FILE_SIZE_EXCEEDS",
    "FILE_RESOLUTION_EXCEEDS",
    # mass update (mass_update.json EmptyCVError)
    "NO_RECORDS_FOUND",
    # tags (tags.json, tags_actions.json)
    "MAPPING_MISMATCH",
    "TAG_ID_NOT_FOUND",
]


# REFERENCE §1.8: each code's status and default message.
CATALOG: dict[ErrorCode, ErrorSpec] = {
    "AUTHENTICATION_FAILURE": ErrorSpec(401, "Authentication failed"),
    "INVALID_TOKEN": ErrorSpec(401, "invalid oauth token"),
    "OAUTH_SCOPE_MISMATCH": ErrorSpec(401, "invalid oauth scope to access this URL"),
    "NO_PERMISSION": ErrorSpec(403, "permission denied"),
    "INVALID_URL_PATTERN": ErrorSpec(404, "Please check if the URL trying to access is a correct one"),
    "INVALID_REQUEST_METHOD": ErrorSpec(400, "The http request method type is not a valid one"),
    "INTERNAL_ERROR": ErrorSpec(500, "Internal Server Error"),
    "API_NOT_SUPPORTED": ErrorSpec(400, "api version is not supported"),
    "INVALID_MODULE": ErrorSpec(400, "the module name given seems to be invalid"),
    "INVALID_DATA": ErrorSpec(400, "invalid data"),
    "MANDATORY_NOT_FOUND": ErrorSpec(400, "required field not found"),
    "REQUIRED_PARAM_MISSING": ErrorSpec(400, "required param is missing"),
    "EXPECTED_PARAM_MISSING": ErrorSpec(400, "one of the expected parameter is missing"),
    "EXPECTED_FIELD_MISSING": ErrorSpec(400, "one of the expected field is missing"),
    "DEPENDENT_FIELD_MISSING": ErrorSpec(400, "required field not found"),
    "DEPENDENT_MISMATCH": ErrorSpec(400, "dependent field value does not match"),
    "DUPLICATE_DATA": ErrorSpec(400, "duplicate data"),
    "LIMIT_EXCEEDED": ErrorSpec(400, "limit exceeded"),
    "LIMIT_REACHED": ErrorSpec(400, "maximum response iteration limit reached"),
    "DISCRETE_PAGINATION_LIMIT_EXCEEDED": ErrorSpec(
        400, "You can only get the first 2000 records without using page_token param"
    ),
    "PAGINATION_LIMIT_EXCEEDED": ErrorSpec(400, "You can only get upto 100000 records using page_token param"),
    "TOKEN_BOUND_DATA_MISMATCH": ErrorSpec(
        400, "The page_token given seems to be invalid or input param is added or altered or deleted"
    ),
    "EXPIRED_VALUE": ErrorSpec(400, "Page token expired"),
    "CRITERIA_LIMIT_EXCEEDED": ErrorSpec(400, "criteria limit exceeded"),
    "AMBIGUITY_DURING_PROCESSING": ErrorSpec(400, "ambiguity while processing the request"),
    "UNABLE_TO_PARSE_DATA_TYPE": ErrorSpec(400, "unable to parse the data type"),
    "MINIMUM_DATA_NOT_FOUND": ErrorSpec(400, "Minimum one profile is needed"),
    # Seed "Create Custom Module" gives 403 (REFERENCE §9 #15; docs/decisions.md).
    "RESERVED_KEYWORD_NOT_ALLOWED": ErrorSpec(403, "reserved keyword not allowed"),
    "NOT_ALLOWED": ErrorSpec(400, "not allowed"),
    "NOT_SUPPORTED": ErrorSpec(400, "not supported"),
    "FEATURE_NOT_SUPPORTED": ErrorSpec(400, "feature not supported"),
    "AUTHORIZATION_FAILED": ErrorSpec(400, "User does not have sufficient privilege to perform this action"),
    "ALREADY_MODIFIED": ErrorSpec(412, "record updated time has already passed if-unmodified-since time"),
    "PATTERN_NOT_MATCHED": ErrorSpec(400, "Please check whether the input values are correct"),
    "MULTIPLE_OR_MULTI_ERRORS": ErrorSpec(400, "Multiple errors in the request"),
    # REFERENCE §9 #8: the newer OAS examples' name (docs/decisions.md).
    "RATE_LIMIT_EXCEEDED": ErrorSpec(429, "Too many requests. Please try again later."),
    "INVALID_QUERY": ErrorSpec(400, "invalid query formed"),
    "SYNTAX_ERROR": ErrorSpec(400, "syntax error in the query"),
    # REFERENCE §1.6 lists 415 for an unsupported media type without a code; the name is the emulator's.
    "UNSUPPORTED_MEDIA_TYPE": ErrorSpec(415, "unsupported media type"),
    # REFERENCE §1.6 "413 request entity too large"; the code is the one Zoho gives uploads over the size.
    "FILE_SIZE_MORE_THAN_ALLOWED_SIZE": ErrorSpec(413, "request entity too large"),
    # workflow rules (OASx postWorkflowRule, updateWorkflowRule, getWorkflowRuleUsage)
    "ALREADY_USED": ErrorSpec(400, "duplicate criteria details."),
    "CANNOT_REMOVE": ErrorSpec(400, "Actions cannot be empty"),
    "INVALID_REQUEST": ErrorSpec(400, "invalid request"),
    # notifications.json names the code without a message; the wording is the emulator's.
    "NOT_SUBSCRIBED": ErrorSpec(400, "the channel is not subscribed to actions-watch"),
    # convert_lead.json ID_Already_Converted_API_Exception
    "ID_ALREADY_CONVERTED": ErrorSpec(400, "id already converted"),
    # attachments, files, record photos (OASx getAttachmentById, uploadFiles, uploadRecordPhoto)
    "DOWNLOAD_NOT_ALLOWED": ErrorSpec(400, "As it is a linked attachment, you can not download it"),
    "failure_in_attachment_handling": ErrorSpec(
        400, "Problem in uploading attachment. kindly upload the file properly"
    ),
    "FILE_SIZE_EXCEEDS": ErrorSpec(413, "File exceeded its maximum limit"),
    "FILE_RESOLUTION_EXCEEDS": ErrorSpec(415, "File exceeded its maximum limit"),
    # mass_update.json names the code without a message; the wording is the emulator's.
    "NO_RECORDS_FOUND": ErrorSpec(400, "no records found"),
    # tags_actions.json MappingMismatchErrorResponse (no message given) and ErrorResponseTagIdNotFound
    "MAPPING_MISMATCH": ErrorSpec(400, "Given tag present with different color already"),
    "TAG_ID_NOT_FOUND": ErrorSpec(400, "invalid tag id"),
}


class Message(StrEnum):
    """Zoho's messages for a code in a particular situation, each written once. A message with
    ``{name}`` fields is filled from the keyword arguments given to ``ZohoError``."""

    # requests and ids
    BODY = "body"
    UNKNOWN_ID = "the id given seems to be invalid"
    UNKNOWN_FIELD = "the field api name given seems to be invalid"
    INVALID_RECORD_ID = "invalid record id"
    EXPECTED_PARAM_MISSING = "One of the expected parameter is missing"
    TOO_MANY_RECORDS = "count of records in your request exceeds the limit"
    RECORD_NOT_DELETED = "record not deleted"
    RECORD_NOT_RESTORED = "record not restored"
    ADMIN_ONLY = "This API is supported only for admin users"
    REQUIRED_FIELD = "required field not found"
    # search
    INVALID_QUERY = "Invalid query formed"
    IN_LIMIT = 'Only 100 values are allowed in "IN" criteria'
    CRITERIA_LIMIT = "no of criterium that can be given exceed the limit {limit}"
    CVID_AMBIGUITY = "Please use either Cvid or Search Params. Combination of both the params is not allowed"
    # custom views and mass update (OASx massUpdateRecords, getMassUpdateStatus)
    CVID_INVALID = "the cvid given seems to be invalid"
    JOB_ID_INVALID = "The jobid given seems to be invalid"
    # modules (seed "Create Custom Module", "Update Custom Module")
    MODULE_CREATE_NOT_SUPPORTED = "Module creation is not supported for the current edition"
    MODULE_UPDATE_NOT_SUPPORTED = "Module update is not supported for the current edition"
    INVALID_PROFILE = "Invalid profile id passed"
    INVALID_API_NAME = "The API name given seems to be invalid"
    UNKNOWN_MODULE_ID = "the module id given seems to be invalid"
    MODULE_RENAME_NOT_ALLOWED = "Module rename not allowed"
    MODULE_API_NAME_FIXED = "API name cannot be updated for module"
    AUTONUMBER_MISSING = "autonumber data is not found"
    # custom links, unsubscribe links
    MERGE_FIELD_INVALID = "the merge field {merge_field} is invalid"
    UNSUBSCRIBE_LINK_DUPLICATE = "Unsubscribe Link name already exists"
    UNSUBSCRIBE_LINK_LIMIT = "Unsubscribe Link limit exceeded"
    UNSUBSCRIBE_LINK_UNKNOWN = "The given Unsubscribe Link id is not part of Org"
    NO_OPT_OUT_FIELD = "the module has no {field} field"
    # accounts and the control plane (the emulator's own wording where Zoho has none)
    INVALID_SCOPE = "invalid oauth scope"
    REDIRECT_FRAGMENT = "the redirect uri must not have a fragment"
    TOKEN_POLICY = "{problem}"
    CONTROL_LOOPBACK_ONLY = "control plane is loopback-only"
    CONTROL_FOREIGN_HOST = "the Host header is not a name of this server (see --allowed-host)"
    CONTROL_FOREIGN_ORIGIN = "control plane calls from other sites are refused"
    # workflow rules, field updates, automation tasks, email notifications (OASx; AUTOMATION.md §1, §3-§4)
    FEATURE_NOT_IN_EDITION = "feature not available in this edition"
    PARAM_INVALID = "The value provided to the param is Invalid"
    REQUIRED_PARAM_NOT_FOUND = "required param not found"
    IDS_TOO_MANY = "Ids maximum length exceeded"
    REQUIRED_FIELD_MISSING = "Required field is missing"
    INVALID_DATA_TYPE = "Invalid data type"
    INVALID_DATA_CAPITAL = "Invalid data"
    VALUE_TOO_LONG = "value too long"
    SPECIAL_CHARACTERS = "Special characters found"
    DEPENDENT_FIELD_MISSING = "Dependent Field missing"
    DEPENDENT_MISMATCH = "Dependent Field is not matching"
    APPOINTMENT_OWNER_NOT_MEMBER = "Appointment Owner is not a part of Service Members"  # appointments.json
    SPECIFY_ATLEAST_ONE = "Specify atleast one field"
    AMBIGUITY = "Ambiguity during processing"
    MODULE_ID_AMBIGUOUS = "The given moduleid seems to be invalid"
    FIELD_API_NAME_AMBIGUOUS = "The field api name seems to be invalid"
    ACTION_NOT_FOR_TRIGGER = "action not supported for this trigger"
    ACTION_NOT_FOR_MODULE = "action not supported for this module"
    ACTIONS_LIMIT = "actions limit exceeded"
    CONDITIONS_LIMIT = "conditions limit exceeded"
    SCHEDULED_ACTIONS_LIMIT = "schedule actions limit exceeded"
    CRITERIA_FIELDS_LIMIT = "The Limit of criteria fields is exceeded"
    UNSUPPORTED_ACTION = "The unsupported action is given"
    DUPLICATE_ACTION = "Duplicate action not allowed"
    INVALID_CONDITION_ID = "This given conditionid seems to be invalid"
    RULE_ID_MANDATORY = "The workflow processid is mandatory"
    RULE_LOCKED = "Sorry, you cannot perform this operation as the record is locked."
    REORDER_DUPLICATE = "duplicate data"
    REORDER_UNKNOWN_RULE = "Invalid process id"
    REORDER_BAD_SEQUENCE = "Invalid sequence number is given"
    REORDER_MISSING = "The required data missing"
    ISO_TIME_PARAM = "Please provide  ISO Time format to the param"
    DATE_RANGE_EXCEEDS = "DATE_RANGE_EXCEEDS"
    KEY_NOT_SUPPORTED = "This key is not supported for this particular action"
    FEATURE_NAME_INVALID = "the given feature name is invalid"
    FIELD_UPDATE_ASSOCIATED = (
        "This field update is associated with at least one of Approval Process/Workflow Rules/Blueprint"
    )
    TASK_ASSOCIATED = "the specified task is associated with at least one of Approval Process/Workflow Rules/Blueprint"
    EMAIL_NOTIFICATION_ASSOCIATED = (
        "the specified email notification is associated with at least one of Approval Process/Workflow Rules/Blueprint"
    )
    TASK_FIELD_INVALID = "The field given seems to be invalid"
    TYPE_VALUE_MISMATCH = "Type and value is mismatched"
    UNSUPPORTED_MERGE_FIELD = "Unsupported mergefield provided"
    INVALID_DUE_DATE = "please specify valid due date"
    INVALID_DATE_PERIOD = "Invalid date Period"
    MODULE_NAME_INVALID = "the module name given seems to be invalid"
    INVALID_USER_ID = "Invalid User ID"
    MANDATORY_FIELD_NOT_GIVEN = "mandatory field is not given"
    INVALID_MODULE_PARAM = "Invalid Module"
    # attachments, files, record photos (OASx attachments, files, record_photo)
    RELATED_ID_INVALID = "the related id given seems to be invalid"
    ATTACHMENT_URL_INVALID = "the given attachment URL is incorrect"
    INVALID_DATA_PROVIDED = "invalid data provided"
    FILE_SIZE_RANGE = "Please check if the size of the file is in the correct range"
    INVALID_FILE_TYPE = "invalid file type"
    REQUEST_UNPROCESSABLE = (
        "unable to process your request. please verify whether you have entered proper method name, "
        "parameter and parameter values."
    )
    # related records and notes (related_records.json, notes.json)
    RELATION_NAME_INVALID = "The relation name given seems to be invalid"
    # snapshots on the control plane and in-process (snapshots.py)
    SNAPSHOT_NAME = "a snapshot name is {rule}"
    SNAPSHOT_UNKNOWN = "no snapshot has this name"
    SNAPSHOT_TAKEN = "a snapshot has this name already"
    SNAPSHOT_OTHER_SCHEMA = "the snapshot was saved at other schema revisions than this server runs"
    SNAPSHOT_NO_FILE = "snapshots need a database file or PostgreSQL"
    RESTORE_BUSY = "a restore waits for no request: try again once the other requests have been answered"

    # webhooks (OASx webhooks; AUTOMATION.md §1-§2; typos are Zoho's)
    WEBHOOK_FEATURE_UNAVAILABLE = "feature not available in this edition"
    WEBHOOK_FIELD_MISSING = "Required field is missing"
    WEBHOOK_DATA_TYPE = "Invalid data type"
    WEBHOOK_DATA_INVALID = "Invalid data"
    WEBHOOK_LIMIT = "can't pass more than the limit"
    WEBHOOK_NAME_TOO_LONG = "The lenght of name has exceeded the limit"
    WEBHOOK_NAME_SPECIAL = "Special characters not allowed"
    WEBHOOK_NAME_HASH_PERCENT = "webhook name should not contain the special character #%"
    WEBHOOK_MODULE_AMBIGUOUS = "Ambiguity while processing the request"
    WEBHOOK_MODULE_NAME_INVALID = "The given module api_name seems to be invalid"
    WEBHOOK_MODULE_EXPECTED = "Specify atleast one field"
    WEBHOOK_MODULE_NOT_SUPPORTED = "The given module is not supported"
    WEBHOOK_MODULE_FIXED = "old value cannot be changed with new value for this field"
    WEBHOOK_KIOSK_NAME_FIXED = "Action name not allow to change for kiosk feature actions"
    WEBHOOK_URL_EMPTY = "Empty value is not allowed"
    WEBHOOK_URL_INVALID = "please enter a valid URL"
    WEBHOOK_URL_NOT_SECURE = "Url you've configured is not secure"
    WEBHOOK_METHOD_MISSING = "The method type is not given "
    WEBHOOK_METHOD_INVALID = "The method type given is invalid"
    WEBHOOK_PART_MISMATCH = "Invalid value provided for the given http method"
    WEBHOOK_AUTH_MISMATCH = "provide appropriate authentication type"
    WEBHOOK_CONNECTION_UNKNOWN = "Please provide valid connection name"
    WEBHOOK_FEATURE_INVALID = "the given feature name is invalid"
    WEBHOOK_KIOSK_RELATED_MODULE = "Webhook action related module missing for kiosk feature"
    WEBHOOK_PARAMETER_HALF = "the given parameter is invalid, specify both name and value"
    WEBHOOK_PARAMETER_DUPLICATE = "duplicate parameter name found"
    WEBHOOK_PARAMETER_RESTRICTED = "restricted parameter name found"
    WEBHOOK_MERGE_FIELD_UNSUPPORTED = "Unsupported fields are present"
    WEBHOOK_BODY_TYPE = "invalid body type passed"
    WEBHOOK_BODY_FORMAT = "invalid format passed in body"
    WEBHOOK_RAW_CONTENT_MISSING = "raw data content key is mandatory for raw body type"
    WEBHOOK_FORM_CONTENT_MISSING = "form data content key is mandatory for form body type"
    WEBHOOK_FORM_CONTENT_INVALID = "inavlid form data content passed in body"
    WEBHOOK_DATE_FORMAT = "The Date given is invalid"
    WEBHOOK_DATETIME_FORMAT = "The date time format given is invalid"
    WEBHOOK_TIME_ZONE = "The timezone given is invalid"
    WEBHOOK_ID_INVALID = "The ID given is invalid"
    WEBHOOK_IN_USE = "This webhook is associated with at least one of Approval Process/Workflow Rules/Blueprint"
    WEBHOOK_IDS_LIMIT = "Bulk deletion of records limit reached"
    WEBHOOK_PARAM_INVALID = "The value provided to the param is Invalid"
    WEBHOOK_USAGE_PARAM_MISSING = "One of the expected param is missing"
    WEBHOOK_USAGE_TYPE_INVALID = "feature type is invalid"
    WEBHOOK_USAGE_DATE_AHEAD = "provided time is ahead"
    # tags (tags_actions.json)
    TAG_MODULE_NOT_SUPPORTED = "the given module is not supported for this api"
    TAG_INVALID_DATA = "Invalid data"
    TAG_INVALID_TYPE = "Invalid data type"
    TAG_UNKNOWN_ID = "invalid tag id"
    TAG_PARAM_MISSING = "One of the expected param is missing"  # the same text as the webhooks usage report's


class ZohoError(Exception):
    """A Zoho CRM error: a catalogue code, its ``details`` object and (optionally) one of the
    situation messages of ``Message``, filled from ``fill`` when it has fields."""

    def __init__(
        self,
        code: ErrorCode,
        details: dict[str, Any] | None = None,
        message: Message | None = None,
        *,
        status: int | None = None,
        **fill: object,
    ) -> None:
        spec = CATALOG[code]
        self.code: ErrorCode = code
        self.details: dict[str, Any] = details if details is not None else {}
        self.message: str = spec.message if message is None else message.format(**fill) if fill else str(message)
        self.status = status if status is not None else spec.status
        super().__init__(f"{code}: {self.message}")

    def as_item(self) -> dict[str, Any]:
        """The ``{code, details, message, status}`` object, bare or inside a per-item result list."""
        return {"code": self.code, "details": self.details, "message": self.message, "status": "error"}
