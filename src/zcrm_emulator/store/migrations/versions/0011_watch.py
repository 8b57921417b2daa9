"""Watch channels of the Notification API (one row per user, channel and module)

Revision ID: 0011
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0011"
down_revision = "0001"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "watch_channels",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("org_id", sa.String(length=24), nullable=False),
        sa.Column("user_id", sa.String(length=24), nullable=False),
        sa.Column("channel_id", sa.String(length=64), nullable=False),
        sa.Column("module_id", sa.String(length=24), nullable=False),
        sa.Column("expiry_ms", sa.BigInteger(), nullable=False),
        sa.Column("modified_ms", sa.BigInteger(), nullable=False),
        sa.Column("data", JSON, nullable=False),
        sa.ForeignKeyConstraint(
            ["module_id"], ["modules.id"], name=op.f("fk_watch_channels_module_id_modules"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["org_id"], ["orgs.id"], name=op.f("fk_watch_channels_org_id_orgs"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_watch_channels")),
        sa.UniqueConstraint(
            "org_id",
            "user_id",
            "channel_id",
            "module_id",
            name=op.f("uq_watch_channels_org_id_user_id_channel_id_module_id"),
        ),
    )
    op.create_index("ix_watch_channels_module_expiry", "watch_channels", ["module_id", "expiry_ms"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_watch_channels_module_expiry", table_name="watch_channels")
    op.drop_table("watch_channels")
