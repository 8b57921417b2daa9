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
    "DEPENDENT_FIELD_MISMATCH",  # sharing_rules.json Resource_Id_And_Type_Mismatch
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
    # composite requests (composite_requests.json)
    "ROLLBACK_PERFORMED",
    "PROCESSING_STOPPED",
    "INVALID_REFERENCE",
    "LOOPING_FOUND",
    # COQL (coql.json)
    "INVALID_ALIAS",
    "DUPLICATE_ALIAS",
    # users, roles, profiles (users.json, users_transfer_delete.json, profiles.json; OASx examples)
    "LICENSE_LIMIT_EXCEEDED",
    "ID_ALREADY_ACTIVE",
    "ID_ALREADY_DEACTIVATED",
    "ID_ALREADY_DELETED",
    "CANNOT_UPDATE_DELETED_USER",
    "EMAIL_UPDATE_NOT_ALOWED",
    "CANNOT_DELETE",
    # currencies (currencies.json Currency_API_Exception)
    "ALREADY_ENABLED",
    "CURRENCIES_NOT_ENABLED",
    "ACTIVE_STATE_LIMIT_EXCEEDED",
    # territories (OASx getTerritories, associateUsersToTerritory)
    "FEATURE_NOT_ENABLED",
    "TERRITORY_NOT_ENABLED",
    # bulk read (bulk_read.json Bulk_Read_API_Exception and its named schemas)
    "RESOURCE_NOT_FOUND",
    "TOO_MANY_REQUESTS",
    "REQUEST_BODY_IS_EMPTY",
    "MODULE_NOT_AVAILABLE",
    "MODULE_NOT_SUPPORTED",
    "FIELD_NOT_AVAILABLE",
    "FIELD_NOT_SUPPORTED",
    "INVALID_CRITERIA",
    "AMBIGUOUS_CRITERIA",
    "GROUP_OPERATOR_NOT_SUPPORTED",
    "FIELD_IN_CRITERIA_NOT_AVAILABLE",
    "FIELD_IN_CRITERIA_NOT_SUPPORTED",
    "FIELD_AND_COMPARATOR_IN_CRITERIA_NOT_COMPATIBLE",
    "FIELD_AND_VALUE_IN_CRITERIA_NOT_COMPATIBLE",
    "COMPARATOR_AND_VALUE_IN_CRITERIA_NOT_COMPATIBLE",
    "VALUE_LIMIT_EXCEEDED_IN_CRITERIA",
    "INVALID_CALLBACK_URL",
    "INVALID_CALLBACK_METHOD",
    "PAGE_RANGE_EXCEEDED",
    # bulk write (bulk_write.json API_Exception, upload.json)
    "INVALID_FILE_FORMAT",
    "FILE_TOO_LARGE",
    "NOT_SUPPORTED_FEATURE",
    "FILE_NOT_SUPPORTED",
    "INVALID_FILE_ID",
    "MISSING_REQUIRED_KEY",
    "COLUMN_INDEX_NOT_FOUND",
    "MANDATORY_FIELDS_NOT_MAPPED",
    "INVALID_FIELD",
    # record locking (record_locking.json, tags_actions.json "locked record")
    "RECORD_LOCKED",
    # layouts (Zoho doc pages "Deactivate Custom Layout", "Activate Custom Layout")
    "ALREADY_ACTIVATED",
    "ALREADY_DEACTIVATED",
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
    "DEPENDENT_FIELD_MISMATCH": ErrorSpec(400, "dependent field value does not match"),
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
    # composite requests: the rollback message is the one of Zoho's sample; the other two are the emulator's.
    "ROLLBACK_PERFORMED": ErrorSpec(
        400, "the transaction was rolled back since another sub request in the same transaction failed."
    ),
    "PROCESSING_STOPPED": ErrorSpec(
        400, "the transaction was rolled back since another sub request in the same transaction failed."
    ),
    "INVALID_REFERENCE": ErrorSpec(400, "the given reference is invalid"),
    "LOOPING_FOUND": ErrorSpec(400, "the sub requests refer to each other"),
    # COQL (coql.json Invalid_Alias_Exception, Duplicate_Alias_Exception; messages of the examples)
    "INVALID_ALIAS": ErrorSpec(400, "alias name cannot be an empty string"),
    "DUPLICATE_ALIAS": ErrorSpec(400, "same alias cannot refer more than one column"),
    # users, roles, profiles (OASx createUser, updateSingleUser, deleteUser, cloneProfile, deleteProfile;
    # EMAIL_UPDATE_NOT_ALOWED is Zoho's spelling)
    "LICENSE_LIMIT_EXCEEDED": ErrorSpec(400, "Request exceeds your license limit."),
    "ID_ALREADY_ACTIVE": ErrorSpec(400, "User is already active"),
    "ID_ALREADY_DEACTIVATED": ErrorSpec(400, "User is already deactivated"),
    "ID_ALREADY_DELETED": ErrorSpec(400, "User is already deleted"),
    "CANNOT_UPDATE_DELETED_USER": ErrorSpec(400, "Deleted user cannot be updated"),
    "EMAIL_UPDATE_NOT_ALOWED": ErrorSpec(400, "Cannot update email of a confirmed CRM User"),
    "CANNOT_DELETE": ErrorSpec(400, "Profile cannot be deleted"),
    # currencies (currencies.json messages; the v2 "Get Currencies" page gives the 403)
    "ALREADY_ENABLED": ErrorSpec(400, "The multi-currency is already enabled"),
    "CURRENCIES_NOT_ENABLED": ErrorSpec(403, "Multi currency is not enabled"),
    "ACTIVE_STATE_LIMIT_EXCEEDED": ErrorSpec(400, "active currency limit reached"),
    # territories: below Enterprise (OASx getTerritories; associateUsersToTerritory answers the second)
    "FEATURE_NOT_ENABLED": ErrorSpec(400, "Territory Management is not enabled"),
    "TERRITORY_NOT_ENABLED": ErrorSpec(403, "the territory feature is not enabled"),
    "RECORD_LOCKED": ErrorSpec(400, "Sorry, you cannot perform this operation as the record is locked."),
    # bulk read: the codes are bulk_read.json's, which gives no messages (docs/decisions.md "Bulk read")
    "RESOURCE_NOT_FOUND": ErrorSpec(404, "the requested resource does not exist"),
    "TOO_MANY_REQUESTS": ErrorSpec(400, "too many bulk read jobs; try again after the running ones finish"),
    "REQUEST_BODY_IS_EMPTY": ErrorSpec(400, "the request body is empty"),
    "MODULE_NOT_AVAILABLE": ErrorSpec(400, "the given module is not available"),
    "MODULE_NOT_SUPPORTED": ErrorSpec(400, "the given module is not supported for bulk read"),
    "FIELD_NOT_AVAILABLE": ErrorSpec(400, "the given field is not available"),
    "FIELD_NOT_SUPPORTED": ErrorSpec(400, "the given field is not supported for bulk read"),
    "INVALID_CRITERIA": ErrorSpec(400, "the given criteria is invalid"),
    "AMBIGUOUS_CRITERIA": ErrorSpec(400, "a criteria holds either a group or a field with its comparator, not both"),
    "GROUP_OPERATOR_NOT_SUPPORTED": ErrorSpec(400, "the given group operator is not supported"),
    "FIELD_IN_CRITERIA_NOT_AVAILABLE": ErrorSpec(400, "the field given in the criteria is not available"),
    "FIELD_IN_CRITERIA_NOT_SUPPORTED": ErrorSpec(400, "the field given in the criteria is not supported"),
    "FIELD_AND_COMPARATOR_IN_CRITERIA_NOT_COMPATIBLE": ErrorSpec(400, "the comparator is not supported for the field"),
    "FIELD_AND_VALUE_IN_CRITERIA_NOT_COMPATIBLE": ErrorSpec(400, "the value is not valid for the field"),
    "COMPARATOR_AND_VALUE_IN_CRITERIA_NOT_COMPATIBLE": ErrorSpec(400, "the value is not valid for the comparator"),
    "VALUE_LIMIT_EXCEEDED_IN_CRITERIA": ErrorSpec(400, "too many values given in the criteria"),
    "INVALID_CALLBACK_URL": ErrorSpec(400, "the given callback url is invalid"),
    "INVALID_CALLBACK_METHOD": ErrorSpec(400, "the given callback method is invalid"),
    "PAGE_RANGE_EXCEEDED": ErrorSpec(400, "the given page is beyond the allowed range"),
    # bulk write: messages from bulk_write.json's API_Exception enum where it has one
    "INVALID_FILE_FORMAT": ErrorSpec(400, "invalid file format. only zip format is supported"),
    "FILE_TOO_LARGE": ErrorSpec(413, "File size too large to process"),
    "NOT_SUPPORTED_FEATURE": ErrorSpec(400, "the given feature is not supported"),
    "FILE_NOT_SUPPORTED": ErrorSpec(400, "File not supported for bulk write"),
    "INVALID_FILE_ID": ErrorSpec(400, "improper file id"),
    "MISSING_REQUIRED_KEY": ErrorSpec(400, "required key is not found in request body."),
    "COLUMN_INDEX_NOT_FOUND": ErrorSpec(400, "the given column index is not found in the file"),
    "MANDATORY_FIELDS_NOT_MAPPED": ErrorSpec(400, "All mandatory fields are not mapped for the layout"),
    "INVALID_FIELD": ErrorSpec(400, "invalid mapping."),
    # layouts: the doc pages name ALREADY_DEACTIVATED ("Given layout ID has already been
    # deactivated"); ALREADY_ACTIVATED is its counterpart for activation (docs/decisions.md)
    "ALREADY_ACTIVATED": ErrorSpec(400, "Given layout ID has already been activated"),
    "ALREADY_DEACTIVATED": ErrorSpec(400, "Given layout ID has already been deactivated"),
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
    # COQL (coql.json Query_Exception messages; the OASx examples of "Get Records through a COQL Query")
    COQL_PARSE_ERROR = "error occured while parsing the query"
    COQL_MISSING_CLAUSE = "missing clause"
    COQL_NOT_SUPPORTED = "given coql query not supported"
    COQL_OPERATOR_NOT_SUPPORTED = "operator not supported"
    COQL_INVALID_COLUMN = "column given seems to be invalid"
    COQL_INVALID_VALUE = "value given seems to be invalid for the column"
    COQL_TYPE_NOT_SUPPORTED = "data type not supported"
    COQL_UNSUPPORTED_COLUMN = "unsupported column"
    COQL_UNSUPPORTED_CRITERIA = "unsupported column in criteria"
    COQL_INVALID_LIMIT = "limit given seems to be invalid"
    COQL_INVALID_OFFSET = "offset given seems to be invalid"
    COQL_LIMIT_NOT_POSITIVE = "limit should be greater than 0"
    COQL_ALIAS_IS_COLUMN = (
        "column name or property name given in select columns without alias name cannot be an alias name for other "
        "select columns"
    )
    COQL_DUPLICATE_COLUMN = "duplicate select column"
    COQL_DUPLICATE_AGGREGATE = "duplicate aggregate function"
    COQL_MODULE_NOT_SUPPORTED = "the given module is not supported in api"
    MANDATORY_KEY = "mandatory key not found"
    # users (OASx createUser, updateSingleUser, deleteUser; users_transfer_delete.json)
    USER_EMAIL_TAKEN = "Failed to add user since same email id is already present"
    USER_EMAIL_INVALID = "Invalid Email Id. Please choose a different email id"
    USER_LICENSE_LIMIT = "Request exceeds your license limit. Need to upgrade in order to add a user"
    USER_ACTIVATION_LICENSE_LIMIT = "License Limit is Exceeded"
    USER_REFERENCE_INVALID = "INVALID_DATA"
    USER_SPECIAL_CHARACTERS = "Special Characters Found"
    USER_PATTERN_NOT_MATCHED = "Pattern not matched"
    USER_TIME_ZONE_INVALID = "Give a proper time zone value"
    USER_LANGUAGE_INVALID = "Give a proper language code"
    USER_NUMBER_SEPARATOR_INVALID = "Invalid data. Valid values are Comma/Period/Space (Not case-sensitive)"
    USER_DECIMAL_SEPARATOR_INVALID = "Invalid data. Valid values are Comma/Period (Not case-sensitive)"
    USER_SEPARATORS_SAME = "the number separator and decimal separator values should not be same"
    USER_AUDIT_FIELDS_FIXED = "Created by & Modified by fields cannot be updated by api"
    USER_LOGGED_IN = "You can't perform this action over logged in user"
    USER_PRIMARY_DEACTIVATE = "Primary Contact cannot be deactivated"
    USER_PRIMARY_DELETE = "Primary contact cannot be deleted"
    # roles (OASx createRoles, deleteRole; Transfer Users and Delete Role)
    ROLE_NAME_INVALID = "Invalid role name"
    ROLE_TRANSFER_INVALID = "invalid transferToId"
    ROLE_ID_INVALID = "The ID given seems to be invalid or already deleted"
    # profiles (OASx cloneProfile, updateProfile, deleteProfile)
    PROFILE_ID_INVALID = "the id given seems to be invalid or already deleted"
    PROFILE_NAME_SPECIAL = "Profile name should not contain the following special character(s) : #, %, &, (, ), *, ^"
    PROFILE_SYSTEM_UPDATE = "System profile cannot be updated"
    PROFILE_SYSTEM_DELETE = "System profile cannot be deleted"
    PROFILE_PERMISSION_INVALID = "Invalid permission ID"
    PROFILE_PARENT_DISABLED = "Child permission can not be enabled, since its parent permission is disabled"
    PROFILE_TRANSFER_MANDATORY = "Users in the profile need to be transferred. transfer_to param is mandatory."
    # composite requests (the emulator's wording: Zoho's page gives none)
    COMPOSITE_API = "the api is not supported in composite request"
    COMPOSITE_VERSION = "the sub request version is higher than the composite request version"
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
    # business hours, shift hours, holidays, fiscal year (OASx createBusinessHours, updateBusinessHours,
    # createShifts, createHolidays, updateHolidays, deleteHoliday, updateFiscalYear)
    BUSINESS_HOURS_ONLY_ONE = "Organization can have only one Business Hour"
    BUSINESS_HOURS_NOT_UPDATABLE = "Cannot update business hours"
    SHIFT_NAME_DUPLICATE = "Shift Name already exists"
    SHIFT_NAME_CHARACTERS = "Shift Name should not contain special characters:#, %, ^"
    HOLIDAY_LIMIT = "Holidays limit exceeds"
    HOLIDAY_DATE_RANGE = "Date Should be between current and next financial year"
    HOLIDAY_SHIFT_UNKNOWN = "Invalid shift id"
    HOLIDAY_NAME_CHARACTERS = "Holiday Name should not contain special characters:#, %, ^, &, *"
    HOLIDAY_TYPE = "Invalid type"
    HOLIDAY_SHIFT_REQUIRED = "Shift id is required for shift holidays"
    HOLIDAY_UNKNOWN_ID = "Invalid holiday id"
    INVALID_ID_IN_PATH = "Invalid ID"
    HOLIDAY_PERMISSION = "Permission to read holiday data is required"
    FISCAL_YEAR_MONTH = "Please give a valid month"
    FISCAL_YEAR_DISPLAY = "Please give a valid display based on"
    FISCAL_YEAR_EMPTY = "Please give a valid data"
    FISCAL_YEAR_ADMIN_ONLY = "Only Admin Users can modify the fiscal year settings"
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
    # currencies (currencies.json Currency_API_Exception messages, as Zoho writes them)
    MULTI_CURRENCY_EDITION = "The multi-currency feature is not available except the Enterprise and higher editions."
    CURRENCY_ISO_CODE = "ISO code is invalid."
    CURRENCY_NAME = "Currency name is invalid."
    CURRENCY_SYMBOL = "Currency symbol is invalid."
    CURRENCY_ID = "Currency id is invalid."
    ACTIVE_CURRENCY_LIMIT = (
        "Allowed active currency limit {limit} reached. Please deactivate any one of the existing active "
        "currencies to create this currency"
    )
    # the org photo (the v8 "Upload Organization Photo" page)
    NO_FILE = "the request does not contain any file"
    MORE_THAN_ONE_FILE = "the request contains more than one file"
    # territories (OASx territory examples, the v8 "Transfer and Delete Territories" page; typos are Zoho's)
    TERRITORY_ID_INVALID = "Invalid Territory Id"
    TERRITORY_HAS_CHILD = "Territory can't be deleted as it's having child"
    ORG_TERRITORY_UNDELETABLE = "Org Territory cannot be deleted"
    TERRITORY_UNDER_ITSELF = (
        "Reporting_to id should not be the child of given territory. Chosse another territory as Reporing_to"
    )
    TERRITORY_TRANSFER_NEEDED = "This territory has its child. Please Give the transfer_to_id field value"
    ORG_TERRITORY_NAME_ONLY = "Can't update the Org Territory Properties Except its Name"
    TERRITORY_USER_EXISTS = "Given user id already exists for that record"
    TERRITORY_USER_NOT_MEMBER = "Given user is not a member of this territory."
    TERRITORY_USER_INVALID = "the given user id given seems to be invalid"
    TERRITORY_USER_DELETED = "The user to whom you are trying to update is deleted."
    TERRITORY_USERS_LIMIT = "Maximum Users Limit reached for a territory"
    USER_TERRITORY_EXISTS = "Territory already associated with the user"
    OWN_TERRITORIES = "Logged in user can't update their territories"
    CRITERIA_FIELD_INVALID = "The given api_name seems to be invalid"
    CRITERIA_COMPARATOR_INVALID = "The given comparator seems to be invalid"
    # user groups (OASx createGroup, updateGroup, deleteGroup, getUserGroupAssociations)
    GROUP_ID_INVALID = "The provided group ID is invalid."
    GROUP_NAME_TAKEN = "A user group with the same name already exists."
    GROUP_SOURCE_INVALID = "The User Id given seems to be Invalid"
    GROUP_SOURCE_TYPE_PATTERN = "invalid data"  # OASx getUserGroupSources PatternNotMatched
    # bulk write (bulk_write.json API_Exception messages, as Zoho writes them)
    BULK_KEY_MISSING = "required key {key} is not found in request body."
    BULK_INDEX_MISSING = "required key index for field {field} is not found in request body."
    BULK_MAPPING_INVALID = "invalid mapping. invalid api_name {field}."
    BULK_MODULE_MISSING = "Requested module '{module}' is not available."
    BULK_FEATURE_HEADERS = "check if headers [feature, X-CRM-ORG] are present and valid"
    BULK_ROWS_LIMIT = "the file has more records than a bulk write job takes"
    # global picklists (the v8 Global Picklist pages' Possible Errors)
    GLOBAL_PICKLIST_IN_USE = "global picklist is associated with fields"
    # variables (the v8 "Delete Variables" page)
    VARIABLE_NOT_DELETED = "variable not deleted"
    # record locking (the v8 "Lock Records" page's Possible Errors)
    RECORD_ALREADY_LOCKED = "Record is already locked."
    # data sharing rules (sharing_rules.json's named error schemas)
    SHARING_RULE_ID_INVALID = "the given sharing rule id seems invalid."
    SHARING_VALUE_INVALID = "the value given is invalid"
    SHARING_MODULE_LIMIT = "Module limit exceeded"
    SHARING_STATUS_NOT_ALLOWED = "status is not allowed in this api"
    SHARING_RULE_ACTIVE = "data sharing rule is already activated."
    SHARING_RULE_INACTIVE = "data sharing rule is already deactivated."
    SCORING_ACTIVE_LIMIT = "You have exceeded the number of active rules possible for your account."
    # layouts (Zoho doc pages "Delete Custom Layout", "Deactivate Custom Layout")
    LAYOUT_UNKNOWN = "Given ID of the layout seems to be invalid"
    LAYOUT_SYSTEM_DEFINED = "You cannot delete the system-defined layout"
    LAYOUT_TRANSFER_INACTIVE = "Cannot transfer to the deactivated layout"
    # pipelines (the v8 "Update a Pipeline" page's Possible Errors)
    LAST_STAGE = "You cannot delete the last stage of the pipeline"


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
