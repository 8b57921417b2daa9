"""Connections: custom services and connections, secrets encrypted

Revision ID: 0012
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0012"
down_revision = "0001"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "connection_services",
        sa.Column("id", sa.String(length=24), nullable=False),
        sa.Column("org_id", sa.String(length=24), nullable=False),
        sa.Column("link_name", sa.String(length=50), nullable=False),
        sa.Column("created_ms", sa.BigInteger(), nullable=False),
        sa.Column("modified_ms", sa.BigInteger(), nullable=False),
        sa.Column("data", JSON, nullable=False),
        sa.Column("secret", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["org_id"], ["orgs.id"], name=op.f("fk_connection_services_org_id_orgs"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_connection_services")),
        sa.UniqueConstraint("org_id", "link_name", name=op.f("uq_connection_services_org_id_link_name")),
    )
    op.create_table(
        "connections",
        sa.Column("id", sa.String(length=24), nullable=False),
        sa.Column("org_id", sa.String(length=24), nullable=False),
        sa.Column("service_id", sa.String(length=24), nullable=False),
        sa.Column("link_name", sa.String(length=50), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_ms", sa.BigInteger(), nullable=False),
        sa.Column("modified_ms", sa.BigInteger(), nullable=False),
        sa.Column("data", JSON, nullable=False),
        sa.Column("secret", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["org_id"], ["orgs.id"], name=op.f("fk_connections_org_id_orgs"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["service_id"],
            ["connection_services.id"],
            name=op.f("fk_connections_service_id_connection_services"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_connections")),
        sa.UniqueConstraint("org_id", "link_name", name=op.f("uq_connections_org_id_link_name")),
    )
    op.create_index(op.f("ix_connections_service_id"), "connections", ["service_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_connections_service_id"), table_name="connections")
    op.drop_table("connections")
    op.drop_table("connection_services")
