"""data sharing rules

Revision ID: 0031
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy import Text
from sqlalchemy.dialects import postgresql

revision = "0031"
down_revision = "0001"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), "postgresql")


def upgrade() -> None:
    op.create_table(
        "sharing_rules",
        sa.Column("id", sa.String(length=24), nullable=False),
        sa.Column("org_id", sa.String(length=24), nullable=False),
        sa.Column("module_id", sa.String(length=24), nullable=False),
        sa.Column("name_key", sa.String(length=100), nullable=False),
        sa.Column("modified_ms", sa.BigInteger(), nullable=False),
        sa.Column("data", JSON, nullable=False),
        sa.ForeignKeyConstraint(
            ["module_id"], ["modules.id"], name=op.f("fk_sharing_rules_module_id_modules"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["org_id"], ["orgs.id"], name=op.f("fk_sharing_rules_org_id_orgs"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sharing_rules")),
        sa.UniqueConstraint("module_id", "name_key", name=op.f("uq_sharing_rules_module_id_name_key")),
    )
    with op.batch_alter_table("sharing_rules", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sharing_rules_org_id"), ["org_id"], unique=False)


def downgrade() -> None:
    op.drop_table("sharing_rules")
