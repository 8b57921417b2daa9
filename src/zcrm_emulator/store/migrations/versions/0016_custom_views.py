"""custom views and mass update jobs

Revision ID: 0016
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0016"
down_revision = "0001"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "custom_views",
        sa.Column("id", sa.String(length=24), nullable=False),
        sa.Column("org_id", sa.String(length=24), nullable=False),
        sa.Column("module_id", sa.String(length=24), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("modified_ms", sa.BigInteger(), nullable=False),
        sa.Column("data", JSON, nullable=False),
        sa.ForeignKeyConstraint(
            ["module_id"], ["modules.id"], name=op.f("fk_custom_views_module_id_modules"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["org_id"], ["orgs.id"], name=op.f("fk_custom_views_org_id_orgs"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_custom_views")),
    )
    with op.batch_alter_table("custom_views", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_custom_views_org_id"), ["org_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_custom_views_module_id"), ["module_id"], unique=False)

    op.create_table(
        "mass_update_jobs",
        sa.Column("id", sa.String(length=24), nullable=False),
        sa.Column("org_id", sa.String(length=24), nullable=False),
        sa.Column("module_id", sa.String(length=24), nullable=False),
        sa.Column("created_by", sa.String(length=24), nullable=False),
        sa.Column("created_ms", sa.BigInteger(), nullable=False),
        sa.Column("data", JSON, nullable=False),
        sa.ForeignKeyConstraint(
            ["module_id"], ["modules.id"], name=op.f("fk_mass_update_jobs_module_id_modules"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["org_id"], ["orgs.id"], name=op.f("fk_mass_update_jobs_org_id_orgs"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mass_update_jobs")),
    )
    with op.batch_alter_table("mass_update_jobs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_mass_update_jobs_org_id"), ["org_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("mass_update_jobs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_mass_update_jobs_org_id"))
    op.drop_table("mass_update_jobs")
    with op.batch_alter_table("custom_views", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_custom_views_module_id"))
        batch_op.drop_index(batch_op.f("ix_custom_views_org_id"))
    op.drop_table("custom_views")
