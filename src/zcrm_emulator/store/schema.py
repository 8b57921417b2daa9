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

Index("ix_fields_module_sequence", fields.c.module_id, fields.c.sequence)
