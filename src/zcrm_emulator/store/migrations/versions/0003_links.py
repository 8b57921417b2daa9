"""custom links, unsubscribe links, portal user types

Revision ID: 0003
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy import Text
from sqlalchemy.dialects import postgresql

revision = "0003"
down_revision = "0001"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), "postgresql")


def upgrade() -> None:
    op.create_table(
        "custom_links",
        sa.Column("id", sa.String(length=24), nullable=False),
        sa.Column("org_id", sa.String(length=24), nullable=False),
        sa.Column("module_id", sa.String(length=24), nullable=False),
        sa.Column("name_key", sa.String(length=100), nullable=False),
        sa.Column("modified_ms", sa.BigInteger(), nullable=False),
        sa.Column("data", JSON, nullable=False),
        sa.ForeignKeyConstraint(
            ["module_id"], ["modules.id"], name=op.f("fk_custom_links_module_id_modules"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["org_id"], ["orgs.id"], name=op.f("fk_custom_links_org_id_orgs"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_custom_links")),
        sa.UniqueConstraint("module_id", "name_key", name=op.f("uq_custom_links_module_id_name_key")),
    )
    with op.batch_alter_table("custom_links", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_custom_links_org_id"), ["org_id"], unique=False)

    op.create_table(
        "unsubscribe_links",
        sa.Column("id", sa.String(length=24), nullable=False),
        sa.Column("org_id", sa.String(length=24), nullable=False),
        sa.Column("name_key", sa.String(length=50), nullable=False),
        sa.Column("modified_ms", sa.BigInteger(), nullable=False),
        sa.Column("data", JSON, nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id"], ["orgs.id"], name=op.f("fk_unsubscribe_links_org_id_orgs"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_unsubscribe_links")),
        sa.UniqueConstraint("org_id", "name_key", name=op.f("uq_unsubscribe_links_org_id_name_key")),
    )

    op.create_table(
        "portal_user_types",
        sa.Column("id", sa.String(length=24), nullable=False),
        sa.Column("org_id", sa.String(length=24), nullable=False),
        sa.Column("modified_ms", sa.BigInteger(), nullable=False),
        sa.Column("data", JSON, nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id"], ["orgs.id"], name=op.f("fk_portal_user_types_org_id_orgs"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_portal_user_types")),
    )
    with op.batch_alter_table("portal_user_types", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_portal_user_types_org_id"), ["org_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("portal_user_types", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_portal_user_types_org_id"))
    op.drop_table("portal_user_types")
    op.drop_table("unsubscribe_links")
    with op.batch_alter_table("custom_links", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_custom_links_org_id"))
    op.drop_table("custom_links")
