"""API credit usage per org, minute and endpoint; running totals

Revision ID: 0005
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "api_usage",
        sa.Column("org_id", sa.String(length=24), nullable=False),
        sa.Column("minute", sa.BigInteger(), nullable=False),
        sa.Column("endpoint", sa.String(length=200), nullable=False),
        sa.Column("credits", sa.BigInteger(), nullable=False),
        sa.Column("calls", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["org_id"], ["orgs.id"], name=op.f("fk_api_usage_org_id_orgs"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("org_id", "minute", "endpoint", name=op.f("pk_api_usage")),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "api_credit_totals",
        sa.Column("org_id", sa.String(length=24), nullable=False),
        sa.Column("minute", sa.BigInteger(), nullable=False),
        sa.Column("credits", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id"], ["orgs.id"], name=op.f("fk_api_credit_totals_org_id_orgs"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("org_id", name=op.f("pk_api_credit_totals")),
    )


def downgrade() -> None:
    op.drop_table("api_credit_totals")
    op.drop_table("api_usage")
