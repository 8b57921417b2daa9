"""lead conversion: mass convert jobs

Revision ID: 0017
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0017"
down_revision = "0001"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "lead_conversion_jobs",
        sa.Column("id", sa.String(length=24), nullable=False),
        sa.Column("org_id", sa.String(length=24), nullable=False),
        sa.Column("created_by", sa.String(length=24), nullable=False),
        sa.Column("created_ms", sa.BigInteger(), nullable=False),
        sa.Column("data", JSON, nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id"], ["orgs.id"], name=op.f("fk_lead_conversion_jobs_org_id_orgs"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lead_conversion_jobs")),
    )
    op.create_index(op.f("ix_lead_conversion_jobs_org_id"), "lead_conversion_jobs", ["org_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_lead_conversion_jobs_org_id"), table_name="lead_conversion_jobs")
    op.drop_table("lead_conversion_jobs")
