"""variables and variable groups

Revision ID: 0020
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy import Text
from sqlalchemy.dialects import postgresql

revision = "0020"
down_revision = "0001"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), "postgresql")


def upgrade() -> None:
    op.create_table(
        "variable_groups",
        sa.Column("id", sa.String(length=24), nullable=False),
        sa.Column("org_id", sa.String(length=24), nullable=False),
        sa.Column("name_key", sa.String(length=100), nullable=False),
        sa.Column("modified_ms", sa.BigInteger(), nullable=False),
        sa.Column("data", JSON, nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id"], ["orgs.id"], name=op.f("fk_variable_groups_org_id_orgs"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_variable_groups")),
        sa.UniqueConstraint("org_id", "name_key", name=op.f("uq_variable_groups_org_id_name_key")),
    )
    with op.batch_alter_table("variable_groups", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_variable_groups_org_id"), ["org_id"], unique=False)
    op.create_table(
        "variables",
        sa.Column("id", sa.String(length=24), nullable=False),
        sa.Column("org_id", sa.String(length=24), nullable=False),
        sa.Column("group_id", sa.String(length=24), nullable=False),
        sa.Column("name_key", sa.String(length=100), nullable=False),
        sa.Column("api_name_key", sa.String(length=100), nullable=False),
        sa.Column("modified_ms", sa.BigInteger(), nullable=False),
        sa.Column("data", JSON, nullable=False),
        sa.ForeignKeyConstraint(["org_id"], ["orgs.id"], name=op.f("fk_variables_org_id_orgs"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["group_id"], ["variable_groups.id"], name=op.f("fk_variables_group_id_variable_groups"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_variables")),
        sa.UniqueConstraint("org_id", "name_key", name=op.f("uq_variables_org_id_name_key")),
        sa.UniqueConstraint("org_id", "api_name_key", name=op.f("uq_variables_org_id_api_name_key")),
    )
    with op.batch_alter_table("variables", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_variables_org_id"), ["org_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("variables", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_variables_org_id"))
    op.drop_table("variables")
    with op.batch_alter_table("variable_groups", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_variable_groups_org_id"))
    op.drop_table("variable_groups")
