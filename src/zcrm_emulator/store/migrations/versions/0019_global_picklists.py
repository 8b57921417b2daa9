"""global picklists

Revision ID: 0019
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy import Text
from sqlalchemy.dialects import postgresql

revision = "0019"
down_revision = "0001"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), "postgresql")


def upgrade() -> None:
    op.create_table(
        "global_picklists",
        sa.Column("id", sa.String(length=24), nullable=False),
        sa.Column("org_id", sa.String(length=24), nullable=False),
        sa.Column("name_key", sa.String(length=100), nullable=False),
        sa.Column("modified_ms", sa.BigInteger(), nullable=False),
        sa.Column("data", JSON, nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id"], ["orgs.id"], name=op.f("fk_global_picklists_org_id_orgs"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_global_picklists")),
        sa.UniqueConstraint("org_id", "name_key", name=op.f("uq_global_picklists_org_id_name_key")),
    )
    with op.batch_alter_table("global_picklists", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_global_picklists_org_id"), ["org_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("global_picklists", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_global_picklists_org_id"))
    op.drop_table("global_picklists")
