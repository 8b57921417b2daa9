"""One folder per CRM API resource: ``routes.py`` (HTTP) · ``rules.py`` (domain) · ``repo.py`` (SQL).

``ENDPOINTS`` is every CRM endpoint, in match order: specific paths before the generic
``/{module}`` record paths.
"""

from zcrm_emulator.resources.modules.routes import ENDPOINTS as MODULES
from zcrm_emulator.resources.org.routes import ENDPOINTS as ORG
from zcrm_emulator.resources.profiles.routes import ENDPOINTS as PROFILES
from zcrm_emulator.resources.roles.routes import ENDPOINTS as ROLES
from zcrm_emulator.resources.users.routes import ENDPOINTS as USERS

ENDPOINTS = [*ORG, *USERS, *PROFILES, *ROLES, *MODULES]
