"""Every table of the emulator, in one MetaData that Alembic migrations mirror.

Metadata objects (modules, fields, profiles …) keep their full Zoho wire shape in a JSON ``data``
column, with the columns that are filtered or joined on pulled out beside it. Times are epoch ms.
Token, code and secret values are never stored: only their SHA-256 hashes are (accounts/).
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

# JSON on SQLite (JSON1), JSONB on PostgreSQL.
Json = JSON().with_variant(JSONB(), "postgresql")
Id = String(24)

# --- emulator state -------------------------------------------------------------------------
emulator_state = Table(
    "emulator_state",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

# Injected faults (faults/): kept here so every worker on the store answers by the same rules, and
# `matched`/`fired` count calls across all of them. A reset empties the table (the template's is empty).
emulator_faults = Table(
    "emulator_faults",
    metadata,
    Column("id", String(24), primary_key=True),
    Column("created_ms", BigInteger, nullable=False),
    Column("matched", Integer, nullable=False),
    Column("fired", Integer, nullable=False),
    Column("data", Json, nullable=False),
)

# --- orgs and people ------------------------------------------------------------------------
orgs = Table(
    "orgs",
    metadata,
    Column("id", Id, primary_key=True),
    Column("edition", String(32), nullable=False),
    Column("dc", String(8), nullable=False),
    Column("created_ms", BigInteger, nullable=False),
    Column("modified_ms", BigInteger, nullable=False),
    Column("data", Json, nullable=False),
)

id_counters = Table(
    "id_counters",
    metadata,
    Column("org_id", Id, ForeignKey("orgs.id", ondelete="CASCADE"), primary_key=True),
    Column("next_suffix", BigInteger, nullable=False),
)

users = Table(
    "users",
    metadata,
    Column("id", Id, primary_key=True),
    Column("org_id", Id, ForeignKey("orgs.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("email", String(100), nullable=False),
    Column("profile_id", Id, nullable=False),
    Column("is_admin", Boolean, nullable=False),
    Column("modified_ms", BigInteger, nullable=False),
    Column("data", Json, nullable=False),
    UniqueConstraint("org_id", "email"),
)

profiles = Table(
    "profiles",
    metadata,
    Column("id", Id, primary_key=True),
    Column("org_id", Id, ForeignKey("orgs.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("name", String(50), nullable=False),
    Column("modified_ms", BigInteger, nullable=False),
    Column("data", Json, nullable=False),
)

roles = Table(
    "roles",
    metadata,
    Column("id", Id, primary_key=True),
    Column("org_id", Id, ForeignKey("orgs.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("modified_ms", BigInteger, nullable=False),
    Column("data", Json, nullable=False),
)

# Transfer-and-delete jobs of users (migration 0021; ``/users/actions/transfer_and_delete``): the
# status read in ``data``.
user_transfer_jobs = Table(
    "user_transfer_jobs",
    metadata,
    Column("id", Id, primary_key=True),
    Column("org_id", Id, ForeignKey("orgs.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("created_ms", BigInteger, nullable=False),
    Column("data", Json, nullable=False),
)

# --- metadata: modules and fields (standard and custom alike) --------------------------------
modules = Table(
    "modules",
    metadata,
    Column("id", Id, primary_key=True),
    Column("org_id", Id, ForeignKey("orgs.id", ondelete="CASCADE"), nullable=False),
    Column("api_name", String(64), nullable=False),
    Column("generated_type", String(16), nullable=False),
    Column("sequence", Integer, nullable=False),
    # lower-case name used in record scopes (ZohoCRM.modules.<scope_name>.READ); "custom" for custom.
    Column("scope_name", String(64), nullable=True),
    Column("modified_ms", BigInteger, nullable=False),
    Column("data", Json, nullable=False),
    UniqueConstraint("org_id", "api_name"),
    # Covers the module list's freshness stamp (count, latest and sum of change times), read per call.
    Index("ix_modules_org_modified", "org_id", "modified_ms"),
)

fields = Table(
    "fields",
    metadata,
    Column("id", Id, primary_key=True),
    Column("org_id", Id, ForeignKey("orgs.id", ondelete="CASCADE"), nullable=False),
    Column("module_id", Id, ForeignKey("modules.id", ondelete="CASCADE"), nullable=False),
    Column("api_name", String(100), nullable=False),
    Column("sequence", Integer, nullable=False),
    Column("modified_ms", BigInteger, nullable=False),
    Column("data", Json, nullable=False),
    UniqueConstraint("module_id", "api_name"),
)

# --- OAuth: access tokens (the accounts server owns the rest of its tables) ------------------
access_tokens = Table(
    "access_tokens",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("org_id", Id, ForeignKey("orgs.id", ondelete="CASCADE"), nullable=False),
    Column("user_id", Id, nullable=False),
    Column("client_id", String(64), nullable=True),
    Column("refresh_token_hash", String(64), nullable=True, index=True),
    Column("scopes", Text, nullable=False),
    Column("created_ms", BigInteger, nullable=False),
    Column("expires_ms", BigInteger, nullable=False),
)

# --- OAuth: the accounts server's clients, grants and tokens (accounts/) ---------------------
# Every token, code and secret column holds a SHA-256 hash, never the value (accounts/tokens.py).

# Registered clients (API console): Server-based ones with their redirect URIs, and one Self Client
# per user (``self_user_id``).
oauth_clients = Table(
    "oauth_clients",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("org_id", Id, ForeignKey("orgs.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("kind", String(16), nullable=False),
    Column("name", Text, nullable=False),
    Column("homepage_url", Text, nullable=True),
    Column("redirect_uris", Json, nullable=False),
    Column("self_user_id", Id, nullable=True, unique=True),
    Column("created_ms", BigInteger, nullable=False),
)

# A client's secrets. A hash cannot be shown twice, so each time the Self Client's credentials are
# printed it gets one more secret; every one of them stays valid until the client is deleted.
oauth_client_secrets = Table(
    "oauth_client_secrets",
    metadata,
    Column("secret_hash", String(64), primary_key=True),
    Column("org_id", Id, ForeignKey("orgs.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("client_id", String(40), ForeignKey("oauth_clients.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("created_ms", BigInteger, nullable=False),
)

# Grant (authorization) codes: single use, bound to client, user, scopes and redirect URI.
oauth_codes = Table(
    "oauth_codes",
    metadata,
    Column("code_hash", String(64), primary_key=True),
    Column("org_id", Id, ForeignKey("orgs.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("client_id", String(40), ForeignKey("oauth_clients.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("user_id", Id, nullable=False),
    Column("scopes", Text, nullable=False),
    Column("redirect_uri", Text, nullable=True),  # NULL for Self Client codes
    Column("gives_refresh_token", Boolean, nullable=False),
    Column("code_challenge", String(128), nullable=True),
    Column("code_challenge_method", String(8), nullable=True),
    Column("created_ms", BigInteger, nullable=False),
    Column("expires_ms", BigInteger, nullable=False),
)

# Refresh tokens: never expire; live until revoked or evicted by the per-user-per-client cap.
oauth_refresh_tokens = Table(
    "oauth_refresh_tokens",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("org_id", Id, ForeignKey("orgs.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("client_id", String(40), ForeignKey("oauth_clients.id", ondelete="CASCADE"), nullable=False),
    Column("user_id", Id, nullable=False),
    Column("scopes", Text, nullable=False),
    Column("created_ms", BigInteger, nullable=False),
)
Index(
    "ix_oauth_refresh_tokens_client_user",
    oauth_refresh_tokens.c.client_id,
    oauth_refresh_tokens.c.user_id,
    oauth_refresh_tokens.c.created_ms,
)

# A user's first consent to a client: after it, access_type=offline gives a refresh token again
# only with prompt=consent (REFERENCE §2.3).
oauth_consents = Table(
    "oauth_consents",
    metadata,
    Column("client_id", String(40), ForeignKey("oauth_clients.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", Id, primary_key=True),
    Column("org_id", Id, ForeignKey("orgs.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("scopes", Text, nullable=False),
    Column("created_ms", BigInteger, nullable=False),
)

# Consent pages waiting for the user's answer. The page's form carries the token whose hash is the
# key (the CSRF token): the answer can only come from that page, once.
oauth_consent_pages = Table(
    "oauth_consent_pages",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("org_id", Id, ForeignKey("orgs.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("client_id", String(40), ForeignKey("oauth_clients.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("request", Json, nullable=False),
    Column("expires_ms", BigInteger, nullable=False),
)

# Scope enhancement tokens (incremental authorization, REFERENCE §2.8), bound to a refresh token.
oauth_enhance_tokens = Table(
    "oauth_enhance_tokens",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("org_id", Id, ForeignKey("orgs.id", ondelete="CASCADE"), nullable=False, index=True),
    Column(
        "refresh_token_hash",
        String(64),
        ForeignKey("oauth_refresh_tokens.token_hash", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("expires_ms", BigInteger, nullable=False),
)

# One row per token or code minted, for the "N per 10 minutes" throttles (accounts/policy.py).
oauth_mint_events = Table(
    "oauth_mint_events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("org_id", Id, ForeignKey("orgs.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("kind", String(32), nullable=False),
    Column("subject", String(128), nullable=False),
    Column("at_ms", BigInteger, nullable=False),
)
Index(
    "ix_oauth_mint_events_kind_subject_at",
    oauth_mint_events.c.kind,
    oauth_mint_events.c.subject,
    oauth_mint_events.c.at_ms,
)
Index("ix_oauth_mint_events_at", oauth_mint_events.c.at_ms)

Index("ix_fields_module_sequence", fields.c.module_id, fields.c.sequence)
# The admission read's stamps (admission/repo.py): each org's rows by their latest change (0035).
Index("ix_fields_org_modified", fields.c.org_id, fields.c.modified_ms)
Index("ix_users_org_modified", users.c.org_id, users.c.modified_ms)
Index("ix_profiles_org_modified", profiles.c.org_id, profiles.c.modified_ms)

# --- records (every module, standard and custom, in one table; see record_model/repo.py) ---
records = Table(
    "records",
    metadata,
    Column("id", Id, primary_key=True),
    Column("org_id", Id, ForeignKey("orgs.id", ondelete="CASCADE"), nullable=False),
    Column("module_id", Id, ForeignKey("modules.id", ondelete="CASCADE"), nullable=False),
    Column("owner_id", Id, nullable=False),
    Column("created_by", Id, nullable=False),
    Column("modified_by", Id, nullable=False),
    Column("created_ms", BigInteger, nullable=False),
    Column("modified_ms", BigInteger, nullable=False),
    # Set when the record went to the recycle bin (NULL: live).
    Column("deleted_ms", BigInteger, nullable=True),
    Column("deleted_by", Id, nullable=True),
    Column("data", Json, nullable=False),
)
Index("ix_records_module_live_id", records.c.module_id, records.c.deleted_ms, records.c.id)
Index("ix_records_module_live_created", records.c.module_id, records.c.deleted_ms, records.c.created_ms, records.c.id)
Index("ix_records_module_live_modified", records.c.module_id, records.c.deleted_ms, records.c.modified_ms, records.c.id)
Index("ix_records_org_id", records.c.org_id)

# Normalized (trimmed, lower-case) values of a record's key fields: email and phone fields, unique
# fields and the module's duplicate-check fields. Equality lookups (search by email, duplicate and
# unique checks, upsert matching) use the index instead of scanning JSON.
# Keys and words are written for every record inserted, so they keep to two b-trees each: clustered
# on the primary key (no rowid), one lookup index, and no org_id of their own (they go with their
# record: record_id cascade, and records cascade from their org).
record_keys = Table(
    "record_keys",
    metadata,
    Column("record_id", Id, ForeignKey("records.id", ondelete="CASCADE"), primary_key=True),
    Column("field", String(100), primary_key=True),
    Column("module_id", Id, nullable=False),
    Column("value", String(255), nullable=False),
    sqlite_with_rowid=False,
)
Index("ix_record_keys_lookup", record_keys.c.module_id, record_keys.c.field, record_keys.c.value)

# The search index's words of a record's word-indexed fields (email fields; record_model/words.py), in
# order: Zoho's search "equals" finds values that contain the searched words, and this table makes
# that an index lookup instead of a scan (record_model/words.py, resources/search/repo.py).
record_words = Table(
    "record_words",
    metadata,
    Column("record_id", Id, ForeignKey("records.id", ondelete="CASCADE"), primary_key=True),
    Column("field", String(100), primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("module_id", Id, nullable=False),
    Column("word", String(255), nullable=False),
    sqlite_with_rowid=False,
)
Index("ix_record_words_lookup", record_words.c.module_id, record_words.c.word)

# Next value of each autonumber field (Cases.Case_Number, custom autonumber fields).
autonumber_counters = Table(
    "autonumber_counters",
    metadata,
    Column("field_id", Id, ForeignKey("fields.id", ondelete="CASCADE"), primary_key=True),
    Column("org_id", Id, ForeignKey("orgs.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("next_value", BigInteger, nullable=False),
)

# page_token paging of record lists (REFERENCE §4.3): where the next page starts, bound to the user
# and the request's other params; tokens live 24 h.
record_page_tokens = Table(
    "record_page_tokens",
    metadata,
    Column("token", String(64), primary_key=True),
    Column("org_id", Id, ForeignKey("orgs.id", ondelete="CASCADE"), nullable=False),
    Column("user_id", Id, nullable=False),
    Column("module_id", Id, nullable=False),
    Column("binding", String(64), nullable=False),  # SHA-256 of the bound params
    Column("after_sort", BigInteger, nullable=True),  # sort value of the last record served (times)
    Column("after_id", Id, nullable=False),  # id of the last record served
    Column("served", Integer, nullable=False),  # records served before the page this token opens
    Column("page", Integer, nullable=False),  # page number this token opens
    Column("previous_token", String(64), nullable=True),  # the token that opened the page before
    Column("created_ms", BigInteger, nullable=False),
    Column("expires_ms", BigInteger, nullable=False),
    # Every list call drops the org's expired tokens (record_model/repo.drop_expired_page_tokens).
    Index("ix_record_page_tokens_org_expiry", "org_id", "expires_ms"),
)

# One "Standard" layout per module (REFERENCE §3.3), created on first use; its sections are built
# from the module's fields when read, so ids stay stable while fields change.
layouts = Table(
    "layouts",
    metadata,
    Column("id", Id, primary_key=True),
    Column("org_id", Id, ForeignKey("orgs.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("module_id", Id, ForeignKey("modules.id", ondelete="CASCADE"), nullable=False),
    Column("name", String(100), nullable=False),
    Column("modified_ms", BigInteger, nullable=False),
    Column("data", Json, nullable=False),
    UniqueConstraint("module_id", "name"),
)
Index("ix_layouts_org_modified", layouts.c.org_id, layouts.c.modified_ms)  # admission/repo.py (0035)

# --- custom links, unsubscribe links, portal user types (migration 0003) ---------------------
# ``name_key`` is the case-folded name: names are unique per module (links) or per org
# (unsubscribe links) regardless of case, and the constraint guards concurrent writers too.
custom_links = Table(
    "custom_links",
    metadata,
    Column("id", Id, primary_key=True),
    Column("org_id", Id, ForeignKey("orgs.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("module_id", Id, ForeignKey("modules.id", ondelete="CASCADE"), nullable=False),
    Column("name_key", String(100), nullable=False),
    Column("modified_ms", BigInteger, nullable=False),
    Column("data", Json, nullable=False),
    UniqueConstraint("module_id", "name_key"),
)

unsubscribe_links = Table(
    "unsubscribe_links",
    metadata,
    Column("id", Id, primary_key=True),
    Column("org_id", Id, ForeignKey("orgs.id", ondelete="CASCADE"), nullable=False),
    Column("name_key", String(50), nullable=False),
    Column("modified_ms", BigInteger, nullable=False),
    Column("data", Json, nullable=False),
    UniqueConstraint("org_id", "name_key"),
)

# Portal user types (the ``user_types`` a custom link may name); a fresh org has one.
portal_user_types = Table(
    "portal_user_types",
    metadata,
    Column("id", Id, primary_key=True),
    Column("org_id", Id, ForeignKey("orgs.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("modified_ms", BigInteger, nullable=False),
    Column("data", Json, nullable=False),
)

# --- API credits (migration 0005) -------------------------------------------------------------
# Credits spent per org, per minute, per endpoint (``"GET /settings/modules"``): the one row a call
# writes. The primary key is the table itself on SQLite (WITHOUT ROWID), so a minute's rows are
# one short range.
api_usage = Table(
    "api_usage",
    metadata,
    Column("org_id", Id, ForeignKey("orgs.id", ondelete="CASCADE"), primary_key=True),
    Column("minute", BigInteger, primary_key=True),  # epoch minutes
    Column("endpoint", String(200), primary_key=True),
    Column("credits", BigInteger, nullable=False),
    Column("calls", BigInteger, nullable=False),
    sqlite_with_rowid=False,
)

# The org's credits of the window's finished minutes, as of ``minute`` (recomputed from
# ``api_usage`` the first time a call comes in a new minute): a call's check reads this row and
# the current minute's buckets only, however long the history.
api_credit_totals = Table(
    "api_credit_totals",
    metadata,
    Column("org_id", Id, ForeignKey("orgs.id", ondelete="CASCADE"), primary_key=True),
    Column("minute", BigInteger, nullable=False),  # epoch minutes
    Column("credits", BigInteger, nullable=False),
)

# --- outbound deliveries (migration 0008; delivery/) --------------------------------------------
# Every request the emulator sends out (a webhook, a watch callback, a connection test), stored in
# the transaction that decided to send it, before any attempt: a restart or kill -9 never loses one.
# ``lease_until_ms``: a worker sending it holds it until then (wall clock), so two workers sharing a
# database never send one delivery twice, and one that died mid-attempt gives it back.
deliveries = Table(
    "deliveries",
    metadata,
    Column("id", Id, primary_key=True),
    Column("org_id", Id, ForeignKey("orgs.id", ondelete="CASCADE"), nullable=False),
    Column("source", String(32), nullable=False),  # webhook | watch | connection_test
    Column("source_id", String(64), nullable=True),  # the webhook id, the channel id …
    Column("context", Json, nullable=False),  # what it was for: rule, record, module, event
    Column("method", String(8), nullable=False),
    Column("url", Text, nullable=False),
    Column("headers", Json, nullable=False),  # [[name, value], …]
    Column("body", Text, nullable=True),
    Column("status", String(16), nullable=False),  # pending | delivered | failed
    Column("attempts", Integer, nullable=False),
    Column("max_attempts", Integer, nullable=False),
    Column("next_attempt_ms", BigInteger, nullable=False),
    Column("lease_until_ms", BigInteger, nullable=True),
    Column("created_ms", BigInteger, nullable=False),  # emulator time
    Column("finished_ms", BigInteger, nullable=True),  # emulator time
    Column("failure_reason", String(64), nullable=True),
    Index("ix_deliveries_due", "status", "next_attempt_ms"),
    Index("ix_deliveries_org_source", "org_id", "source", "created_ms"),
)

# One row per attempt: the request as sent and what came back (or why nothing did).
delivery_attempts = Table(
    "delivery_attempts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("delivery_id", Id, ForeignKey("deliveries.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("number", Integer, nullable=False),
    Column("started_ms", BigInteger, nullable=False),  # emulator time
    Column("duration_ms", Integer, nullable=False),
    Column("request_headers", Json, nullable=False),
    Column("status_code", Integer, nullable=True),
    Column("response_body", Text, nullable=True),  # the first 2,000 characters
    Column("error", Text, nullable=True),
)

# --- connections (migration 0012; connections/) --------------------------------------------------
# Services say how to authenticate with an API (OAuth 2, API key, Basic); connections hold one set
# of credentials for a service, named by a link name unique in the org. ``secret`` columns hold
# Fernet tokens of the client secret / tokens / keys (connections/crypto.py), never the plain text.
connection_services = Table(
    "connection_services",
    metadata,
    Column("id", Id, primary_key=True),
    Column("org_id", Id, ForeignKey("orgs.id", ondelete="CASCADE"), nullable=False),
    Column("link_name", String(50), nullable=False),
    Column("created_ms", BigInteger, nullable=False),
    Column("modified_ms", BigInteger, nullable=False),
    Column("data", Json, nullable=False),  # everything but the client secret
    Column("secret", Text, nullable=True),
    UniqueConstraint("org_id", "link_name"),
)

connections = Table(
    "connections",
    metadata,
    Column("id", Id, primary_key=True),
    Column("org_id", Id, ForeignKey("orgs.id", ondelete="CASCADE"), nullable=False),
    Column("service_id", Id, ForeignKey("connection_services.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("link_name", String(50), nullable=False),
    Column("status", String(16), nullable=False),  # connected | not_connected
    Column("created_ms", BigInteger, nullable=False),
    Column("modified_ms", BigInteger, nullable=False),
    Column("data", Json, nullable=False),  # name, scopes, token expiry, pending authorization
    Column("secret", Text, nullable=True),  # tokens, key values or user name and password
    UniqueConstraint("org_id", "link_name"),
)

# --- watch channels (migration 0011; resources/notifications) -----------------------------------
# One row per (user, channel, module): Zoho lists, renews and disables a channel per module it
# watches, and each user's channels are their own. ``expiry_ms`` is emulator time: a row past it is
# dead (never listed, never called back) and is removed by the user's next watch write.
watch_channels = Table(
    "watch_channels",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("org_id", Id, ForeignKey("orgs.id", ondelete="CASCADE"), nullable=False),
    Column("user_id", Id, nullable=False),
    Column("channel_id", String(64), nullable=False),
    Column("module_id", Id, ForeignKey("modules.id", ondelete="CASCADE"), nullable=False),
    Column("expiry_ms", BigInteger, nullable=False),
    Column("modified_ms", BigInteger, nullable=False),
    Column("data", Json, nullable=False),  # events, notify_url, token, flags, condition, fields
    UniqueConstraint("org_id", "user_id", "channel_id", "module_id"),
    Index("ix_watch_channels_module_expiry", "module_id", "expiry_ms"),
)

# --- workflow rules, their actions and their runs (migration 0010; resources/workflow_rules,
# field_updates, automation_tasks, email_notifications; automation/) ------------------------------
# A rule keeps its wire object in ``data``; ``active``, ``trigger`` and ``sequence`` (its
# module_specific_sequence, the order rules of a module run in) are the columns the runner filters on.
workflow_rules = Table(
    "workflow_rules",
    metadata,
    Column("id", Id, primary_key=True),
    Column("org_id", Id, ForeignKey("orgs.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("module_id", Id, ForeignKey("modules.id", ondelete="CASCADE"), nullable=False),
    Column("trigger", String(48), nullable=False),  # execute_when.type
    Column("active", Boolean, nullable=False),
    Column("sequence", Integer, nullable=False),
    Column("created_ms", BigInteger, nullable=False),
    Column("modified_ms", BigInteger, nullable=False),
    Column("data", Json, nullable=False),
    Index("ix_workflow_rules_module_active", "module_id", "active", "sequence"),
)

# The saved actions a rule associates (field updates, tasks, email notifications, webhooks,
# functions), one row per (rule, type, id): "is this action in use?" without reading every rule.
workflow_rule_actions = Table(
    "workflow_rule_actions",
    metadata,
    Column("rule_id", Id, ForeignKey("workflow_rules.id", ondelete="CASCADE"), primary_key=True),
    Column("action_type", String(32), primary_key=True),
    Column("action_id", Id, primary_key=True),
    Column("org_id", Id, ForeignKey("orgs.id", ondelete="CASCADE"), nullable=False),
    Index("ix_workflow_rule_actions_target", "org_id", "action_type", "action_id"),
)

# Saved automation actions: field updates (names unique in the org), automation tasks, email
# notifications (SettingsDocuments rows).
field_updates = Table(
    "field_updates",
    metadata,
    Column("id", Id, primary_key=True),
    Column("org_id", Id, ForeignKey("orgs.id", ondelete="CASCADE"), nullable=False),
    Column("name_key", String(255), nullable=False),
    Column("modified_ms", BigInteger, nullable=False),
    Column("data", Json, nullable=False),
    UniqueConstraint("org_id", "name_key"),
)

automation_tasks = Table(
    "automation_tasks",
    metadata,
    Column("id", Id, primary_key=True),
    Column("org_id", Id, ForeignKey("orgs.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("name_key", String(255), nullable=False),
    Column("modified_ms", BigInteger, nullable=False),
    Column("data", Json, nullable=False),
)

email_notifications = Table(
    "email_notifications",
    metadata,
    Column("id", Id, primary_key=True),
    Column("org_id", Id, ForeignKey("orgs.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("name_key", String(255), nullable=False),
    Column("modified_ms", BigInteger, nullable=False),
    Column("data", Json, nullable=False),
)

# What is due later: a condition's scheduled action group (``kind`` "actions": ``condition_id`` and
# ``group_id`` name it) or a date-based rule's run (``kind`` "date_rule"), for one record, at
# ``due_ms`` emulator time. ``lease_until_ms`` (wall clock): a worker running it holds it until then.
workflow_schedule = Table(
    "workflow_schedule",
    metadata,
    Column("id", Id, primary_key=True),
    Column("org_id", Id, ForeignKey("orgs.id", ondelete="CASCADE"), nullable=False),
    Column("rule_id", Id, ForeignKey("workflow_rules.id", ondelete="CASCADE"), nullable=False),
    Column("kind", String(16), nullable=False),  # actions | date_rule
    Column("condition_id", Id, nullable=True),
    Column("group_id", Id, nullable=True),
    Column("module_id", Id, ForeignKey("modules.id", ondelete="CASCADE"), nullable=False),
    Column("record_id", Id, ForeignKey("records.id", ondelete="CASCADE"), nullable=False),
    Column("actor", Id, nullable=False),  # the user whose write scheduled it
    Column("due_ms", BigInteger, nullable=False),
    Column("status", String(16), nullable=False),  # pending | done | cancelled | failed
    Column("lease_until_ms", BigInteger, nullable=True),
    Column("created_ms", BigInteger, nullable=False),
    Index("ix_workflow_schedule_due", "status", "due_ms"),
    Index("ix_workflow_schedule_rule_record", "rule_id", "record_id"),
)

# Each time a rule ran for a record (its condition that matched) and each action it ran, with the
# outcome: repeat semantics, last_executed_time and the usage report read these.
workflow_runs = Table(
    "workflow_runs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("org_id", Id, ForeignKey("orgs.id", ondelete="CASCADE"), nullable=False),
    Column("rule_id", Id, ForeignKey("workflow_rules.id", ondelete="CASCADE"), nullable=False),
    Column("condition_id", Id, nullable=True),
    Column("record_id", Id, nullable=False),
    Column("ran_ms", BigInteger, nullable=False),
    Index("ix_workflow_runs_rule_record", "rule_id", "record_id"),
    Index("ix_workflow_runs_rule_ran", "rule_id", "ran_ms"),
)

workflow_action_runs = Table(
    "workflow_action_runs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("org_id", Id, ForeignKey("orgs.id", ondelete="CASCADE"), nullable=False),
    Column("rule_id", Id, ForeignKey("workflow_rules.id", ondelete="CASCADE"), nullable=False),
    Column("condition_id", Id, nullable=True),
    Column("group_id", Id, nullable=True),  # the scheduled group; NULL for instant actions
    Column("action_type", String(32), nullable=False),
    Column("action_id", Id, nullable=False),
    Column("record_id", Id, nullable=False),
    Column("outcome", String(16), nullable=False),  # success | failure | not_run
    Column("detail", Text, nullable=True),  # why it failed or did not run
    Column("ran_ms", BigInteger, nullable=False),
    Index("ix_workflow_action_runs_rule_ran", "rule_id", "ran_ms"),
)

# --- webhooks (migration 0009; resources/webhooks/) ----------------------------------------------
# One row per webhook, its wire object in ``data``. Names need not be unique (Zoho gives no such
# rule); the list is ordered by ``modified_ms`` (sort_by=Modified_Time).
webhooks = Table(
    "webhooks",
    metadata,
    Column("id", Id, primary_key=True),
    Column("org_id", Id, ForeignKey("orgs.id", ondelete="CASCADE"), nullable=False),
    Column("module_id", Id, ForeignKey("modules.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("modified_ms", BigInteger, nullable=False),
    Column("data", Json, nullable=False),
    Index("ix_webhooks_org_modified", "org_id", "modified_ms"),
)

# --- attachments, files and record photos (migration 0014; store/blobs.py) ----------------------
# The bytes of every upload, once per org and content (SHA-256 ``digest``): in ``data`` on PostgreSQL
# and an in-memory SQLite, in a write-once file beside an SQLite database file (``data`` NULL there).
# A row goes when nothing of the org refers to its digest any more (store/blobs.py).
blobs = Table(
    "blobs",
    metadata,
    Column("org_id", Id, ForeignKey("orgs.id", ondelete="CASCADE"), primary_key=True),
    Column("digest", String(64), primary_key=True),
    Column("size", BigInteger, nullable=False),
    Column("data", LargeBinary, nullable=True),
)

# Files uploaded to the org's file store (``POST /files``), by the encrypted id ``GET /files?id=`` takes.
stored_files = Table(
    "stored_files",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("org_id", Id, ForeignKey("orgs.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("digest", String(64), nullable=False),
    Column("name", Text, nullable=False),
    Column("content_type", Text, nullable=False),
    Column("size", BigInteger, nullable=False),
    Column("created_by", Id, nullable=False),
    Column("created_ms", BigInteger, nullable=False),
)

# A record's attachments: a file (``digest`` and ``file_id`` set) or a link (``link_url`` set). They go
# with their record when it is purged (cascade); a record in the recycle bin keeps them.
attachments = Table(
    "attachments",
    metadata,
    Column("id", Id, primary_key=True),
    Column("org_id", Id, ForeignKey("orgs.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("module_id", Id, ForeignKey("modules.id", ondelete="CASCADE"), nullable=False),
    Column("record_id", Id, ForeignKey("records.id", ondelete="CASCADE"), nullable=False),
    Column("file_id", String(64), nullable=True),
    Column("digest", String(64), nullable=True),
    Column("content_type", Text, nullable=True),
    Column("link_url", Text, nullable=True),
    Column("file_name", Text, nullable=False),
    Column("size", BigInteger, nullable=False),
    Column("owner_id", Id, nullable=False),
    Column("created_by", Id, nullable=False),
    Column("created_ms", BigInteger, nullable=False),
    Column("modified_by", Id, nullable=False),
    Column("modified_ms", BigInteger, nullable=False),
    Index("ix_attachments_record_created", "record_id", "created_ms"),
)

# A record's photo (``/{module}/{id}/photo``), one per record.
record_photos = Table(
    "record_photos",
    metadata,
    Column("record_id", Id, ForeignKey("records.id", ondelete="CASCADE"), primary_key=True),
    Column("org_id", Id, ForeignKey("orgs.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("digest", String(64), nullable=False),
    Column("content_type", Text, nullable=False),
    Column("file_name", Text, nullable=False),
    Column("modified_ms", BigInteger, nullable=False),
)

# --- lead conversion (migration 0017; resources/lead_conversion/) ---------------------------------
# One row per mass convert job (``/Leads/actions/mass_convert``): its status read in ``data``.
lead_conversion_jobs = Table(
    "lead_conversion_jobs",
    metadata,
    Column("id", Id, primary_key=True),
    Column("org_id", Id, ForeignKey("orgs.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("created_by", Id, nullable=False),
    Column("created_ms", BigInteger, nullable=False),
    Column("data", Json, nullable=False),
)

# --- tags (migration 0015; resources/tags/) --------------------------------------------------------
# A module's tags (``/settings/tags``): one row per tag, its wire object in ``data``, names unique per
# module regardless of case. Records carry their tags' names and ids in ``records.data["Tag"]``.
tags = Table(
    "tags",
    metadata,
    Column("id", Id, primary_key=True),
    Column("org_id", Id, ForeignKey("orgs.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("module_id", Id, ForeignKey("modules.id", ondelete="CASCADE"), nullable=False),
    Column("name_key", String(100), nullable=False),
    Column("modified_ms", BigInteger, nullable=False),
    Column("data", Json, nullable=False),
    UniqueConstraint("module_id", "name_key"),
)

# Mass delete tags jobs (``/settings/tags/actions/mass_delete``): the status read in ``data``.
tag_mass_delete_jobs = Table(
    "tag_mass_delete_jobs",
    metadata,
    Column("id", Id, primary_key=True),
    Column("org_id", Id, ForeignKey("orgs.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("created_ms", BigInteger, nullable=False),
    Column("data", Json, nullable=False),
)

# --- custom views and mass update (migration 0016; resources/custom_views/, resources/mass_update/) ---
# A module's custom views (``/settings/custom_views``), listed by ``sequence``; a fresh org holds the
# standard views of every record module (standard_org/custom_views.json), their wire object in ``data``.
custom_views = Table(
    "custom_views",
    metadata,
    Column("id", Id, primary_key=True),
    Column("org_id", Id, ForeignKey("orgs.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("module_id", Id, ForeignKey("modules.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("sequence", Integer, nullable=False),
    Column("modified_ms", BigInteger, nullable=False),
    Column("data", Json, nullable=False),
)

# One row per scheduled mass update (``/{module}/actions/mass_update`` with a ``cvid``): what it
# writes, the records it was scheduled for, its status and counts, in ``data``.
mass_update_jobs = Table(
    "mass_update_jobs",
    metadata,
    Column("id", Id, primary_key=True),
    Column("org_id", Id, ForeignKey("orgs.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("module_id", Id, ForeignKey("modules.id", ondelete="CASCADE"), nullable=False),
    Column("created_by", Id, nullable=False),
    Column("created_ms", BigInteger, nullable=False),
    Column("data", Json, nullable=False),
)

# --- related records (migration 0013; resources/related_records/) --------------------------------
# The many-to-many links of the standard related lists (Products of a Price Book with its
# ``list_price``, a Campaign's Leads and Contacts with their ``Member_Status`` …): one row per linked
# pair of records, ``a_id`` of the relation's first module and ``b_id`` of its second, the link's own
# values in ``data``. A link goes with either record when it is purged (cascade).
related_links = Table(
    "related_links",
    metadata,
    Column("relation", String(64), primary_key=True),
    Column("a_id", Id, ForeignKey("records.id", ondelete="CASCADE"), primary_key=True),
    Column("b_id", Id, ForeignKey("records.id", ondelete="CASCADE"), primary_key=True),
    Column("org_id", Id, ForeignKey("orgs.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("created_ms", BigInteger, nullable=False),
    Column("modified_ms", BigInteger, nullable=False),
    Column("data", Json, nullable=False),
    Index("ix_related_links_relation_b", "relation", "b_id"),
)

# --- currencies and the org photo (migration 0022; resources/currencies/, resources/org_photo/) ----
# The org's currencies once multi-currency is on (``/org/currencies``): one row per ISO code, the
# Zoho object in ``data``; ``is_base`` marks the home currency, ``is_active`` what the active-currency
# limit counts.
currencies = Table(
    "currencies",
    metadata,
    Column("id", Id, primary_key=True),
    Column("org_id", Id, ForeignKey("orgs.id", ondelete="CASCADE"), nullable=False),
    Column("iso_code", String(8), nullable=False),
    Column("is_base", Boolean, nullable=False),
    Column("is_active", Boolean, nullable=False),
    Column("modified_ms", BigInteger, nullable=False),
    Column("data", Json, nullable=False),
    UniqueConstraint("org_id", "iso_code"),
)

# The org's photo (``/org/photo``), one per org; its bytes through store/blobs.py.
org_photos = Table(
    "org_photos",
    metadata,
    Column("org_id", Id, ForeignKey("orgs.id", ondelete="CASCADE"), primary_key=True),
    Column("digest", String(64), nullable=False),
    Column("content_type", Text, nullable=False),
    Column("file_name", Text, nullable=False),
    Column("modified_ms", BigInteger, nullable=False),
)

# --- territories (migration 0023; resources/territories/) ---------------------------------------------
# The org's territories (``/settings/territories``): one tree under the org territory, the wire object in
# ``data``. A deleted territory keeps its row for ``deleted_associated_territories`` with ``deleted_ms``
# set and no ``name_key``, so its name is free again; names of live territories are unique per org.
territories = Table(
    "territories",
    metadata,
    Column("id", Id, primary_key=True),
    Column("org_id", Id, ForeignKey("orgs.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("name_key", String(100), nullable=True),
    Column("modified_ms", BigInteger, nullable=False),
    Column("deleted_ms", BigInteger, nullable=True),
    Column("data", Json, nullable=False),
    UniqueConstraint("org_id", "name_key"),
)

# Which users belong to which territory (``/settings/territories/{id}/users``, ``/users/{id}/territories``).
territory_users = Table(
    "territory_users",
    metadata,
    Column("territory_id", Id, ForeignKey("territories.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", Id, primary_key=True),
    Column("org_id", Id, ForeignKey("orgs.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("added_ms", BigInteger, nullable=False),
)

# --- user groups (migration 0024; resources/user_groups/) ---------------------------------------------
# The org's user groups (``/settings/user_groups``): the wire object with its sources in ``data``, names
# unique per org regardless of case; a deletion's job status by its id.
user_groups = Table(
    "user_groups",
    metadata,
    Column("id", Id, primary_key=True),
    Column("org_id", Id, ForeignKey("orgs.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("name_key", String(100), nullable=False),
    Column("modified_ms", BigInteger, nullable=False),
    Column("data", Json, nullable=False),
    UniqueConstraint("org_id", "name_key"),
)

user_group_deletion_jobs = Table(
    "user_group_deletion_jobs",
    metadata,
    Column("id", Id, primary_key=True),
    Column("org_id", Id, ForeignKey("orgs.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("created_ms", BigInteger, nullable=False),
    Column("data", Json, nullable=False),
)

# --- bulk read jobs (migration 0025; resources/bulk_read/) ----------------------------------------
# One row per job: ``state`` and ``lease_until_ms`` are what workers claim by (a claimed job is
# leased, and a lease that ran out means its worker died), ``digest`` names the result zip in
# store/blobs.py, and ``data`` keeps the job as Zoho shows it (query, callback, result).
bulk_read_jobs = Table(
    "bulk_read_jobs",
    metadata,
    Column("id", Id, primary_key=True),
    Column("org_id", Id, ForeignKey("orgs.id", ondelete="CASCADE"), nullable=False),
    Column("module_id", Id, ForeignKey("modules.id", ondelete="CASCADE"), nullable=False),
    Column("created_by", Id, nullable=False),
    Column("created_ms", BigInteger, nullable=False),
    Column("state", String(16), nullable=False),
    Column("lease_until_ms", BigInteger, nullable=True),
    Column("digest", String(64), nullable=True),
    Column("data", Json, nullable=False),
    Index("ix_bulk_read_jobs_org_id_created_ms", "org_id", "created_ms"),
    Index("ix_bulk_read_jobs_state", "state"),
)

# --- bulk write (migration 0028; resources/bulk_write/) -------------------------------------------
# An uploaded file (``POST /upload``, feature bulk-write): its zip in store/blobs.py by ``digest``, and
# in ``data`` the CSV inside it (name, header, row count). A job row is claimed as a bulk read job is
# (store/leases.py); ``digest`` names its result zip, ``data`` keeps the job as Zoho shows it.
bulk_write_files = Table(
    "bulk_write_files",
    metadata,
    Column("id", Id, primary_key=True),
    Column("org_id", Id, ForeignKey("orgs.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("created_by", Id, nullable=False),
    Column("created_ms", BigInteger, nullable=False),
    Column("digest", String(64), nullable=False),
    Column("data", Json, nullable=False),
)

bulk_write_jobs = Table(
    "bulk_write_jobs",
    metadata,
    Column("id", Id, primary_key=True),
    Column("org_id", Id, ForeignKey("orgs.id", ondelete="CASCADE"), nullable=False),
    Column("created_by", Id, nullable=False),
    Column("created_ms", BigInteger, nullable=False),
    Column("state", String(16), nullable=False),
    Column("lease_until_ms", BigInteger, nullable=True),
    Column("digest", String(64), nullable=True),
    Column("data", Json, nullable=False),
    Index("ix_bulk_write_jobs_org_id_created_ms", "org_id", "created_ms"),
    Index("ix_bulk_write_jobs_state", "state"),
)

# --- functions (migration 0027; resources/functions/) ----------------------------------------------
# Standalone functions called as REST APIs (``/functions/{name}/actions/execute``): one row per
# registered function, its API name unique per org (as written: Zoho's API names are case-sensitive),
# its zapikey unique everywhere (an ``auth_type=apikey`` call names no org), what it does in ``data``.
functions = Table(
    "functions",
    metadata,
    Column("id", Id, primary_key=True),
    Column("org_id", Id, ForeignKey("orgs.id", ondelete="CASCADE"), nullable=False),
    Column("name", String(100), nullable=False),
    Column("zapikey", String(80), nullable=False, unique=True),
    Column("modified_ms", BigInteger, nullable=False),
    Column("data", Json, nullable=False),
    UniqueConstraint("org_id", "name"),
)


# --- sharing rules: one row per rule, names unique within the rule's module -----------------------
sharing_rules = Table(
    "sharing_rules",
    metadata,
    Column("id", Id, primary_key=True),
    Column("org_id", Id, ForeignKey("orgs.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("module_id", Id, ForeignKey("modules.id", ondelete="CASCADE"), nullable=False),
    Column("name_key", String(100), nullable=False),
    Column("modified_ms", BigInteger, nullable=False),
    Column("data", Json, nullable=False),
    UniqueConstraint("module_id", "name_key"),
)


# --- global picklists (migration 0019; resources/global_picklists/) --------------------------------
# One row per global picklist (its wire object and options in ``data``); ``name_key`` is its
# display label, unique in the org regardless of case.
global_picklists = Table(
    "global_picklists",
    metadata,
    Column("id", Id, primary_key=True),
    Column("org_id", Id, ForeignKey("orgs.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("name_key", String(100), nullable=False),
    Column("modified_ms", BigInteger, nullable=False),
    Column("data", Json, nullable=False),
    UniqueConstraint("org_id", "name_key"),
)

# --- contact roles (migration 0030; resources/contact_roles/) -------------------------------------
# The org's contact roles (``/Contacts/roles``), names unique per org regardless of case.
contact_roles = Table(
    "contact_roles",
    metadata,
    Column("id", Id, primary_key=True),
    Column("org_id", Id, ForeignKey("orgs.id", ondelete="CASCADE"), nullable=False),
    Column("name_key", String(100), nullable=False),
    Column("modified_ms", BigInteger, nullable=False),
    Column("data", Json, nullable=False),
    UniqueConstraint("org_id", "name_key"),
)

# --- pipelines (migration 0030; resources/pipelines/) ---------------------------------------------
# The pipelines of a Deals layout (``/settings/pipeline``): names unique per layout regardless of
# case, the stages (``maps``) and the default flag in ``data``.
pipelines = Table(
    "pipelines",
    metadata,
    Column("id", Id, primary_key=True),
    Column("org_id", Id, ForeignKey("orgs.id", ondelete="CASCADE"), nullable=False),
    Column("layout_id", Id, nullable=False),
    Column("name_key", String(100), nullable=False),
    Column("modified_ms", BigInteger, nullable=False),
    Column("data", Json, nullable=False),
    UniqueConstraint("layout_id", "name_key"),
)


# --- record locking (migration 0033; resources/record_locking/) -----------------------------------
# One configuration per module (``/settings/record_locking_configurations``), its wire object in ``data``.
record_locking_configurations = Table(
    "record_locking_configurations",
    metadata,
    Column("id", Id, primary_key=True),
    Column("org_id", Id, ForeignKey("orgs.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("module_id", Id, ForeignKey("modules.id", ondelete="CASCADE"), nullable=False, unique=True),
    Column("modified_ms", BigInteger, nullable=False),
    Column("data", Json, nullable=False),
)

# A record's lock (``/{module}/{id}/Locking_Information__s``): at most one per record; the unique
# (module_id, record_id) index is the one lookup a record update or delete makes.
record_locks = Table(
    "record_locks",
    metadata,
    Column("id", Id, primary_key=True),
    Column("org_id", Id, ForeignKey("orgs.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("module_id", Id, ForeignKey("modules.id", ondelete="CASCADE"), nullable=False),
    Column("record_id", Id, nullable=False),
    Column(
        "config_id", Id, ForeignKey("record_locking_configurations.id", ondelete="CASCADE"), nullable=False, index=True
    ),
    Column("data", Json, nullable=False),
    UniqueConstraint("module_id", "record_id"),
)

# --- business hours, fiscal year, holidays (migration 0034; resources/business_hours/, fiscal_year/, holidays/)
# Org-wide settings that are one object per org (``/settings/business_hours``, ``/settings/fiscal_year``):
# a row per (org, setting), the wire object in ``data``. They share one table: each is a single document
# with nothing inside it that is filtered or joined on, so a table apiece would add DDL and no query.
org_settings = Table(
    "org_settings",
    metadata,
    Column("org_id", Id, ForeignKey("orgs.id", ondelete="CASCADE"), primary_key=True),
    Column("name", String(40), primary_key=True),
    Column("modified_ms", BigInteger, nullable=False),
    Column("data", Json, nullable=False),
)

# The org's holidays (``/settings/holidays``): ``calendar`` is "business" for business holidays or the
# shift's id for a shift's; listed by ``year``. A name is taken once per date in a calendar.
holidays = Table(
    "holidays",
    metadata,
    Column("id", Id, primary_key=True),
    Column("org_id", Id, ForeignKey("orgs.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("calendar", String(24), nullable=False),
    Column("date", String(10), nullable=False),
    Column("year", Integer, nullable=False),
    Column("name_key", String(100), nullable=False),
    Column("modified_ms", BigInteger, nullable=False),
    Column("data", Json, nullable=False),
    UniqueConstraint("org_id", "calendar", "date", "name_key"),
)

# The org's shifts (``/settings/business_hours/shift_hours``): names unique per org regardless of case,
# the wire object (timings, break hours, users) in ``data``.
shift_hours = Table(
    "shift_hours",
    metadata,
    Column("id", Id, primary_key=True),
    Column("org_id", Id, ForeignKey("orgs.id", ondelete="CASCADE"), nullable=False),
    Column("name_key", String(100), nullable=False),
    Column("modified_ms", BigInteger, nullable=False),
    Column("data", Json, nullable=False),
    UniqueConstraint("org_id", "name_key"),
)


# --- variables and their groups (resources/variables) ---------------------------------------------
variable_groups = Table(
    "variable_groups",
    metadata,
    Column("id", Id, primary_key=True),
    Column("org_id", Id, ForeignKey("orgs.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("name_key", String(100), nullable=False),  # the api_name, case-folded
    Column("modified_ms", BigInteger, nullable=False),
    Column("data", Json, nullable=False),
    UniqueConstraint("org_id", "name_key"),
)

variables = Table(
    "variables",
    metadata,
    Column("id", Id, primary_key=True),
    Column("org_id", Id, ForeignKey("orgs.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("group_id", Id, ForeignKey("variable_groups.id", ondelete="CASCADE"), nullable=False),
    Column("name_key", String(100), nullable=False),
    Column("api_name_key", String(100), nullable=False),
    Column("modified_ms", BigInteger, nullable=False),
    Column("data", Json, nullable=False),
    UniqueConstraint("org_id", "name_key"),
    UniqueConstraint("org_id", "api_name_key"),
)


# --- scoring rules and the scores they give records (resources/scoring_rules) ----------------------------
scoring_rules = Table(
    "scoring_rules",
    metadata,
    Column("id", Id, primary_key=True),
    Column("org_id", Id, ForeignKey("orgs.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("module_id", Id, ForeignKey("modules.id", ondelete="CASCADE"), nullable=False),
    Column("name_key", String(100), nullable=False),
    Column("modified_ms", BigInteger, nullable=False),
    Column("data", Json, nullable=False),
    UniqueConstraint("module_id", "name_key"),
)

entity_scores = Table(
    "entity_scores",
    metadata,
    Column("id", Id, primary_key=True),
    Column("org_id", Id, ForeignKey("orgs.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("rule_id", Id, ForeignKey("scoring_rules.id", ondelete="CASCADE"), nullable=False),
    Column("module_id", Id, nullable=False),
    Column("record_id", Id, nullable=False, index=True),
    Column("positive", Integer, nullable=False),
    Column("negative", Integer, nullable=False),
    Column("modified_ms", BigInteger, nullable=False),
    UniqueConstraint("rule_id", "record_id"),
)
