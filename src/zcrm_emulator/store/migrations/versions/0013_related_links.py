"""Many-to-many links of the standard related lists

Revision ID: 0013
Revises: 0001
Depends on: 0004 (links join records)
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0013"
down_revision = "0001"
branch_labels = None
depends_on = "0004"  # related_links.a_id and b_id reference records

ID = sa.String(length=24)
JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "related_links",
        sa.Column("relation", sa.String(length=64), nullable=False),
        sa.Column("a_id", ID, nullable=False),
        sa.Column("b_id", ID, nullable=False),
        sa.Column("org_id", ID, nullable=False),
        sa.Column("created_ms", sa.BigInteger(), nullable=False),
        sa.Column("modified_ms", sa.BigInteger(), nullable=False),
        sa.Column("data", JSON, nullable=False),
        sa.ForeignKeyConstraint(
            ["a_id"], ["records.id"], name=op.f("fk_related_links_a_id_records"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["b_id"], ["records.id"], name=op.f("fk_related_links_b_id_records"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["org_id"], ["orgs.id"], name=op.f("fk_related_links_org_id_orgs"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("relation", "a_id", "b_id", name=op.f("pk_related_links")),
    )
    op.create_index(op.f("ix_related_links_org_id"), "related_links", ["org_id"], unique=False)
    op.create_index("ix_related_links_relation_b", "related_links", ["relation", "b_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_related_links_relation_b", table_name="related_links")
    op.drop_index(op.f("ix_related_links_org_id"), table_name="related_links")
    op.drop_table("related_links")
