"""Page tokens indexed by expiry: every list call sweeps the org's expired tokens, which without it
read every token minted in the last day

Revision ID: 0029
Revises: 0007
"""

from alembic import op

revision = "0029"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("record_page_tokens") as batch_op:
        batch_op.drop_index("ix_record_page_tokens_org_id")
        batch_op.create_index("ix_record_page_tokens_org_expiry", ["org_id", "expires_ms"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("record_page_tokens") as batch_op:
        batch_op.drop_index("ix_record_page_tokens_org_expiry")
        batch_op.create_index("ix_record_page_tokens_org_id", ["org_id"], unique=False)
