"""bulk write files and jobs

Revision ID: 0028
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy import Text
from sqlalchemy.dialects import postgresql

revision = "0028"
down_revision = "0001"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), "postgresql")


def upgrade() -> None:
    op.create_table(
        "bulk_write_files",
        sa.Column("id", sa.String(length=24), nullable=False),
        sa.Column("org_id", sa.String(length=24), nullable=False),
        sa.Column("created_by", sa.String(length=24), nullable=False),
        sa.Column("created_ms", sa.BigInteger(), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("data", JSON, nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id"], ["orgs.id"], name=op.f("fk_bulk_write_files_org_id_orgs"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bulk_write_files")),
    )
    with op.batch_alter_table("bulk_write_files", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_bulk_write_files_org_id"), ["org_id"], unique=False)
    op.create_table(
        "bulk_write_jobs",
        sa.Column("id", sa.String(length=24), nullable=False),
        sa.Column("org_id", sa.String(length=24), nullable=False),
        sa.Column("created_by", sa.String(length=24), nullable=False),
        sa.Column("created_ms", sa.BigInteger(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("lease_until_ms", sa.BigInteger(), nullable=True),
        sa.Column("digest", sa.String(length=64), nullable=True),
        sa.Column("data", JSON, nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id"], ["orgs.id"], name=op.f("fk_bulk_write_jobs_org_id_orgs"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bulk_write_jobs")),
    )
    with op.batch_alter_table("bulk_write_jobs", schema=None) as batch_op:
        batch_op.create_index("ix_bulk_write_jobs_org_id_created_ms", ["org_id", "created_ms"], unique=False)
        batch_op.create_index("ix_bulk_write_jobs_state", ["state"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("bulk_write_jobs", schema=None) as batch_op:
        batch_op.drop_index("ix_bulk_write_jobs_state")
        batch_op.drop_index("ix_bulk_write_jobs_org_id_created_ms")
    op.drop_table("bulk_write_jobs")
    with op.batch_alter_table("bulk_write_files", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_bulk_write_files_org_id"))
    op.drop_table("bulk_write_files")
