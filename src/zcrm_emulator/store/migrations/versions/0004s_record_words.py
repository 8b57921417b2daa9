"""record search words: the word index behind record search

Revision ID: 0004s
Revises: 0004 (its rows point at records, so it follows the records revision)
"""

import sqlalchemy as sa
from alembic import op

revision = "0004s"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "record_words",
        sa.Column("record_id", sa.String(length=24), nullable=False),
        sa.Column("field", sa.String(length=100), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.String(length=24), nullable=False),
        sa.Column("module_id", sa.String(length=24), nullable=False),
        sa.Column("word", sa.String(length=255), nullable=False),
        sa.ForeignKeyConstraint(["org_id"], ["orgs.id"], name=op.f("fk_record_words_org_id_orgs"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["record_id"], ["records.id"], name=op.f("fk_record_words_record_id_records"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("record_id", "field", "position", name=op.f("pk_record_words")),
        sqlite_with_rowid=False,
    )
    with op.batch_alter_table("record_words", schema=None) as batch_op:
        batch_op.create_index("ix_record_words_lookup", ["module_id", "word"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("record_words", schema=None) as batch_op:
        batch_op.drop_index("ix_record_words_lookup")
    op.drop_table("record_words")
