"""org settings documents (business hours, fiscal year), shift hours and holidays

Revision ID: 0034
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy import Text
from sqlalchemy.dialects import postgresql

revision = "0034"
down_revision = "0001"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), "postgresql")


def upgrade() -> None:
    op.create_table(
        "org_settings",
        sa.Column("org_id", sa.String(length=24), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("modified_ms", sa.BigInteger(), nullable=False),
        sa.Column("data", JSON, nullable=False),
        sa.ForeignKeyConstraint(["org_id"], ["orgs.id"], name=op.f("fk_org_settings_org_id_orgs"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("org_id", "name", name=op.f("pk_org_settings")),
    )
    op.create_table(
        "shift_hours",
        sa.Column("id", sa.String(length=24), nullable=False),
        sa.Column("org_id", sa.String(length=24), nullable=False),
        sa.Column("name_key", sa.String(length=100), nullable=False),
        sa.Column("modified_ms", sa.BigInteger(), nullable=False),
        sa.Column("data", JSON, nullable=False),
        sa.ForeignKeyConstraint(["org_id"], ["orgs.id"], name=op.f("fk_shift_hours_org_id_orgs"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shift_hours")),
        sa.UniqueConstraint("org_id", "name_key", name=op.f("uq_shift_hours_org_id_name_key")),
    )
    op.create_table(
        "holidays",
        sa.Column("id", sa.String(length=24), nullable=False),
        sa.Column("org_id", sa.String(length=24), nullable=False),
        sa.Column("calendar", sa.String(length=24), nullable=False),
        sa.Column("date", sa.String(length=10), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("name_key", sa.String(length=100), nullable=False),
        sa.Column("modified_ms", sa.BigInteger(), nullable=False),
        sa.Column("data", JSON, nullable=False),
        sa.ForeignKeyConstraint(["org_id"], ["orgs.id"], name=op.f("fk_holidays_org_id_orgs"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_holidays")),
        sa.UniqueConstraint(
            "org_id", "calendar", "date", "name_key", name=op.f("uq_holidays_org_id_calendar_date_name_key")
        ),
    )
    op.create_index(op.f("ix_holidays_org_id"), "holidays", ["org_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_holidays_org_id"), table_name="holidays")
    op.drop_table("holidays")
    op.drop_table("shift_hours")
    op.drop_table("org_settings")
