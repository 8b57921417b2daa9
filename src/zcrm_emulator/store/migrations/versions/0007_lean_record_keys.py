"""record keys and words: no org_id, keys clustered on their primary key

Revision ID: 0007
Revises: 0004s
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0004s"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # SQLite rebuilds both tables (batch mode); record_keys comes back WITHOUT ROWID.
    with op.batch_alter_table("record_keys", recreate="auto", table_kwargs={"sqlite_with_rowid": False}) as batch_op:
        batch_op.drop_index("ix_record_keys_org_id")
        batch_op.drop_constraint("fk_record_keys_org_id_orgs", type_="foreignkey")
        batch_op.drop_column("org_id")
    with op.batch_alter_table("record_words", table_kwargs={"sqlite_with_rowid": False}) as batch_op:
        batch_op.drop_constraint("fk_record_words_org_id_orgs", type_="foreignkey")
        batch_op.drop_column("org_id")


def downgrade() -> None:
    for table in ("record_words", "record_keys"):
        with op.batch_alter_table(table) as batch_op:
            batch_op.add_column(sa.Column("org_id", sa.String(length=24), nullable=True))
        op.execute(f"UPDATE {table} SET org_id = (SELECT org_id FROM records WHERE records.id = {table}.record_id)")
        with op.batch_alter_table(table) as batch_op:
            batch_op.alter_column("org_id", existing_type=sa.String(length=24), nullable=False)
            batch_op.create_foreign_key(f"fk_{table}_org_id_orgs", "orgs", ["org_id"], ["id"], ondelete="CASCADE")
    with op.batch_alter_table("record_keys") as batch_op:
        batch_op.create_index("ix_record_keys_org_id", ["org_id"], unique=False)
