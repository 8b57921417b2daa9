"""Attachments, uploaded files, record photos and the bytes they share

Revision ID: 0014
Revises: 0001
Depends on: 0004 (attachments and photos belong to records)
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0001"
branch_labels = None
depends_on = "0004"  # attachments.record_id and record_photos.record_id reference records

ID = sa.String(length=24)


def _org(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(["org_id"], ["orgs.id"], name=op.f(f"fk_{table}_org_id_orgs"), ondelete="CASCADE")


def _record(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["record_id"], ["records.id"], name=op.f(f"fk_{table}_record_id_records"), ondelete="CASCADE"
    )


def upgrade() -> None:
    op.create_table(
        "blobs",
        sa.Column("org_id", ID, nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=True),
        _org("blobs"),
        sa.PrimaryKeyConstraint("org_id", "digest", name=op.f("pk_blobs")),
    )
    op.create_table(
        "stored_files",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("org_id", ID, nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("content_type", sa.Text(), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("created_by", ID, nullable=False),
        sa.Column("created_ms", sa.BigInteger(), nullable=False),
        _org("stored_files"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stored_files")),
    )
    op.create_index(op.f("ix_stored_files_org_id"), "stored_files", ["org_id"], unique=False)
    op.create_table(
        "attachments",
        sa.Column("id", ID, nullable=False),
        sa.Column("org_id", ID, nullable=False),
        sa.Column("module_id", ID, nullable=False),
        sa.Column("record_id", ID, nullable=False),
        sa.Column("file_id", sa.String(length=64), nullable=True),
        sa.Column("digest", sa.String(length=64), nullable=True),
        sa.Column("content_type", sa.Text(), nullable=True),
        sa.Column("link_url", sa.Text(), nullable=True),
        sa.Column("file_name", sa.Text(), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("owner_id", ID, nullable=False),
        sa.Column("created_by", ID, nullable=False),
        sa.Column("created_ms", sa.BigInteger(), nullable=False),
        sa.Column("modified_by", ID, nullable=False),
        sa.Column("modified_ms", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["module_id"], ["modules.id"], name=op.f("fk_attachments_module_id_modules"), ondelete="CASCADE"
        ),
        _org("attachments"),
        _record("attachments"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attachments")),
    )
    op.create_index(op.f("ix_attachments_org_id"), "attachments", ["org_id"], unique=False)
    op.create_index("ix_attachments_record_created", "attachments", ["record_id", "created_ms"], unique=False)
    op.create_table(
        "record_photos",
        sa.Column("record_id", ID, nullable=False),
        sa.Column("org_id", ID, nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("content_type", sa.Text(), nullable=False),
        sa.Column("file_name", sa.Text(), nullable=False),
        sa.Column("modified_ms", sa.BigInteger(), nullable=False),
        _org("record_photos"),
        _record("record_photos"),
        sa.PrimaryKeyConstraint("record_id", name=op.f("pk_record_photos")),
    )
    op.create_index(op.f("ix_record_photos_org_id"), "record_photos", ["org_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_record_photos_org_id"), table_name="record_photos")
    op.drop_table("record_photos")
    op.drop_index("ix_attachments_record_created", table_name="attachments")
    op.drop_index(op.f("ix_attachments_org_id"), table_name="attachments")
    op.drop_table("attachments")
    op.drop_index(op.f("ix_stored_files_org_id"), table_name="stored_files")
    op.drop_table("stored_files")
    op.drop_table("blobs")
