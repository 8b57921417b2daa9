"""Index covering the module list's freshness stamp

Revision ID: 0006
Revises: 0001
"""

from alembic import op

revision = "0006"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_modules_org_modified", "modules", ["org_id", "modified_ms"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_modules_org_modified", table_name="modules")
