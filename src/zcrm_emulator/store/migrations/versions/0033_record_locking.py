"""record locking configurations and record locks

Revision ID: 0033
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy import Text
from sqlalchemy.dialects import postgresql

revision = "0033"
down_revision = "0001"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), "postgresql")


def upgrade() -> None:
    op.create_table(
        "record_locking_configurations",
        sa.Column("id", sa.String(length=24), nullable=False),
        sa.Column("org_id", sa.String(length=24), nullable=False),
        sa.Column("module_id", sa.String(length=24), nullable=False),
        sa.Column("modified_ms", sa.BigInteger(), nullable=False),
        sa.Column("data", JSON, nullable=False),
        sa.ForeignKeyConstraint(
            ["module_id"],
            ["modules.id"],
            name=op.f("fk_record_locking_configurations_module_id_modules"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["org_id"], ["orgs.id"], name=op.f("fk_record_locking_configurations_org_id_orgs"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_record_locking_configurations")),
        sa.UniqueConstraint("module_id", name=op.f("uq_record_locking_configurations_module_id")),
    )
    with op.batch_alter_table("record_locking_configurations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_record_locking_configurations_org_id"), ["org_id"], unique=False)
    op.create_table(
        "record_locks",
        sa.Column("id", sa.String(length=24), nullable=False),
        sa.Column("org_id", sa.String(length=24), nullable=False),
        sa.Column("module_id", sa.String(length=24), nullable=False),
        sa.Column("record_id", sa.String(length=24), nullable=False),
        sa.Column("config_id", sa.String(length=24), nullable=False),
        sa.Column("data", JSON, nullable=False),
        sa.ForeignKeyConstraint(
            ["config_id"],
            ["record_locking_configurations.id"],
            name=op.f("fk_record_locks_config_id_record_locking_configurations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["module_id"], ["modules.id"], name=op.f("fk_record_locks_module_id_modules"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["org_id"], ["orgs.id"], name=op.f("fk_record_locks_org_id_orgs"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_record_locks")),
        sa.UniqueConstraint("module_id", "record_id", name=op.f("uq_record_locks_module_id_record_id")),
    )
    with op.batch_alter_table("record_locks", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_record_locks_config_id"), ["config_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_record_locks_org_id"), ["org_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("record_locks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_record_locks_org_id"))
        batch_op.drop_index(batch_op.f("ix_record_locks_config_id"))
    op.drop_table("record_locks")
    with op.batch_alter_table("record_locking_configurations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_record_locking_configurations_org_id"))
    op.drop_table("record_locking_configurations")
