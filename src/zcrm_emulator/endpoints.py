"""Every CRM endpoint, in match order (the gateway's table, routing.EndpointTable): specific paths
before the generic ``/{module}`` record paths. Each resource declares its own in ``routes.py``."""

from __future__ import annotations

from zcrm_emulator.resources.attachments.routes import ENDPOINTS as ATTACHMENTS
from zcrm_emulator.resources.automation_tasks.routes import ENDPOINTS as AUTOMATION_TASKS
from zcrm_emulator.resources.bulk_read.routes import ENDPOINTS as BULK_READ
from zcrm_emulator.resources.bulk_write.routes import ENDPOINTS as BULK_WRITE
from zcrm_emulator.resources.bulk_write.routes import UPLOAD_ENDPOINTS as BULK_WRITE_UPLOAD
from zcrm_emulator.resources.business_hours.routes import ENDPOINTS as BUSINESS_HOURS
from zcrm_emulator.resources.composite.routes import ENDPOINTS as COMPOSITE
from zcrm_emulator.resources.contact_roles.routes import ENDPOINTS as CONTACT_ROLES
from zcrm_emulator.resources.coql.routes import ENDPOINTS as COQL
from zcrm_emulator.resources.currencies.routes import ENDPOINTS as CURRENCIES
from zcrm_emulator.resources.custom_links.routes import ENDPOINTS as CUSTOM_LINKS
from zcrm_emulator.resources.custom_views.routes import ENDPOINTS as CUSTOM_VIEWS
from zcrm_emulator.resources.email_notifications.routes import ENDPOINTS as EMAIL_NOTIFICATIONS
from zcrm_emulator.resources.entity_scores.routes import ENDPOINTS as ENTITY_SCORES
from zcrm_emulator.resources.field_attachments.routes import ENDPOINTS as FIELD_ATTACHMENTS
from zcrm_emulator.resources.field_updates.routes import ENDPOINTS as FIELD_UPDATES
from zcrm_emulator.resources.fields.routes import ENDPOINTS as FIELDS
from zcrm_emulator.resources.files.routes import ENDPOINTS as FILES
from zcrm_emulator.resources.fiscal_year.routes import ENDPOINTS as FISCAL_YEAR
from zcrm_emulator.resources.functions.routes import ENDPOINTS as FUNCTIONS
from zcrm_emulator.resources.global_picklists.routes import ENDPOINTS as GLOBAL_PICKLISTS
from zcrm_emulator.resources.holidays.routes import ENDPOINTS as HOLIDAYS
from zcrm_emulator.resources.layouts.routes import ENDPOINTS as LAYOUTS
from zcrm_emulator.resources.lead_conversion.routes import ENDPOINTS as LEAD_CONVERSION
from zcrm_emulator.resources.mass_update.routes import ENDPOINTS as MASS_UPDATE
from zcrm_emulator.resources.modules.routes import ENDPOINTS as MODULES
from zcrm_emulator.resources.notes.routes import ENDPOINTS as NOTES
from zcrm_emulator.resources.notifications.routes import ENDPOINTS as WATCH
from zcrm_emulator.resources.org.routes import ENDPOINTS as ORG
from zcrm_emulator.resources.org_photo.routes import ENDPOINTS as ORG_PHOTO
from zcrm_emulator.resources.pipelines.routes import ENDPOINTS as PIPELINES
from zcrm_emulator.resources.profiles.routes import ENDPOINTS as PROFILES
from zcrm_emulator.resources.record_locking.routes import ENDPOINTS as RECORD_LOCKING
from zcrm_emulator.resources.record_locking.routes import LOCK_ENDPOINTS as RECORD_LOCKS
from zcrm_emulator.resources.record_photo.routes import ENDPOINTS as RECORD_PHOTO
from zcrm_emulator.resources.records.routes import ENDPOINTS as RECORDS
from zcrm_emulator.resources.records.routes import ONE_RECORD_ENDPOINTS as ONE_RECORD
from zcrm_emulator.resources.related_records.routes import ENDPOINTS as RELATED_RECORDS
from zcrm_emulator.resources.roles.routes import ENDPOINTS as ROLES
from zcrm_emulator.resources.scoring_rules.routes import ENDPOINTS as SCORING_RULES
from zcrm_emulator.resources.scoring_rules.routes import RECORD_ENDPOINTS as RUN_SCORING_RULES
from zcrm_emulator.resources.search.routes import ENDPOINTS as RECORD_SEARCH
from zcrm_emulator.resources.sharing_rules.routes import ENDPOINTS as SHARING_RULES
from zcrm_emulator.resources.shift_hours.routes import ENDPOINTS as SHIFT_HOURS
from zcrm_emulator.resources.tags.routes import ENDPOINTS as TAGS
from zcrm_emulator.resources.tags.routes import RECORD_ENDPOINTS as RECORD_TAGS
from zcrm_emulator.resources.territories.routes import ENDPOINTS as TERRITORIES
from zcrm_emulator.resources.unsubscribe_links.routes import ENDPOINTS as UNSUBSCRIBE_LINKS
from zcrm_emulator.resources.user_groups.routes import ENDPOINTS as USER_GROUPS
from zcrm_emulator.resources.users.routes import ENDPOINTS as USERS
from zcrm_emulator.resources.variables.routes import ENDPOINTS as VARIABLES
from zcrm_emulator.resources.webhooks.routes import ENDPOINTS as WEBHOOKS
from zcrm_emulator.resources.workflow_configurations.routes import ENDPOINTS as WORKFLOW_CONFIGURATIONS
from zcrm_emulator.resources.workflow_rules.routes import ENDPOINTS as WORKFLOW_RULES

# Record paths last: /{module}/{record_id} must not take /{module}/search and the like.
ENDPOINTS = [
    *COMPOSITE,
    *ORG,
    *ORG_PHOTO,
    *CURRENCIES,
    *USERS,
    *PROFILES,
    *ROLES,
    *CONTACT_ROLES,
    *TERRITORIES,
    *SHIFT_HOURS,
    *BUSINESS_HOURS,
    *FISCAL_YEAR,
    *HOLIDAYS,
    *USER_GROUPS,
    *SHARING_RULES,
    *MODULES,
    *GLOBAL_PICKLISTS,
    *FIELDS,
    *LAYOUTS,
    *PIPELINES,
    *CUSTOM_LINKS,
    *CUSTOM_VIEWS,
    *COQL,
    *UNSUBSCRIBE_LINKS,
    *VARIABLES,
    *TAGS,
    *WATCH,
    *WEBHOOKS,
    *WORKFLOW_RULES,
    *SCORING_RULES,
    *ENTITY_SCORES,
    *FIELD_UPDATES,
    *AUTOMATION_TASKS,
    *EMAIL_NOTIFICATIONS,
    *WORKFLOW_CONFIGURATIONS,
    *FUNCTIONS,
    *FILES,
    *BULK_WRITE_UPLOAD,
    *ATTACHMENTS,
    *RECORD_PHOTO,
    *FIELD_ATTACHMENTS,
    *LEAD_CONVERSION,
    *MASS_UPDATE,
    *RUN_SCORING_RULES,
    *RECORD_TAGS,
    *RECORD_LOCKING,
    *RECORD_LOCKS,
    *NOTES,
    *RELATED_RECORDS,
    *RECORDS,
    *RECORD_SEARCH,
    *ONE_RECORD,
]

# The bulk APIs' own table: paths under /crm/bulk/{version} (app.py gives them a gateway of their own).
BULK_ENDPOINTS = [*BULK_READ, *BULK_WRITE]
