"""Indexes for the admission read's stamps: each org's fields, layouts, users and profiles by their
latest change, so counting them and finding the latest is one index range (admission/repo.py)

Revision ID: 0035
Revises: 0004
"""

from alembic import op

revision = "0035"
down_revision = "0004"
branch_labels = None
depends_on = None

TABLES = ("fields", "layouts", "users", "profiles")


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch_op:
            batch_op.create_index(f"ix_{table}_org_modified", ["org_id", "modified_ms"], unique=False)


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_index(f"ix_{table}_org_modified")
