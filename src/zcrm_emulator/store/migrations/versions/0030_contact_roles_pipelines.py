"""contact roles and pipelines

Revision ID: 0030
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy import Text
from sqlalchemy.dialects import postgresql

revision = "0030"
down_revision = "0001"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), "postgresql")


def upgrade() -> None:
    op.create_table(
        "contact_roles",
        sa.Column("id", sa.String(length=24), nullable=False),
        sa.Column("org_id", sa.String(length=24), nullable=False),
        sa.Column("name_key", sa.String(length=100), nullable=False),
        sa.Column("modified_ms", sa.BigInteger(), nullable=False),
        sa.Column("data", JSON, nullable=False),
        sa.ForeignKeyConstraint(["org_id"], ["orgs.id"], name=op.f("fk_contact_roles_org_id_orgs"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contact_roles")),
        sa.UniqueConstraint("org_id", "name_key", name=op.f("uq_contact_roles_org_id_name_key")),
    )
    op.create_table(
        "pipelines",
        sa.Column("id", sa.String(length=24), nullable=False),
        sa.Column("org_id", sa.String(length=24), nullable=False),
        sa.Column("layout_id", sa.String(length=24), nullable=False),
        sa.Column("name_key", sa.String(length=100), nullable=False),
        sa.Column("modified_ms", sa.BigInteger(), nullable=False),
        sa.Column("data", JSON, nullable=False),
        sa.ForeignKeyConstraint(["org_id"], ["orgs.id"], name=op.f("fk_pipelines_org_id_orgs"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pipelines")),
        sa.UniqueConstraint("layout_id", "name_key", name=op.f("uq_pipelines_layout_id_name_key")),
    )


def downgrade() -> None:
    op.drop_table("pipelines")
    op.drop_table("contact_roles")
