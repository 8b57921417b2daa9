"""scoring rules and entity scores

Revision ID: 0032
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy import Text
from sqlalchemy.dialects import postgresql

revision = "0032"
down_revision = "0001"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), "postgresql")


def upgrade() -> None:
    op.create_table(
        "scoring_rules",
        sa.Column("id", sa.String(length=24), nullable=False),
        sa.Column("org_id", sa.String(length=24), nullable=False),
        sa.Column("module_id", sa.String(length=24), nullable=False),
        sa.Column("name_key", sa.String(length=100), nullable=False),
        sa.Column("modified_ms", sa.BigInteger(), nullable=False),
        sa.Column("data", JSON, nullable=False),
        sa.ForeignKeyConstraint(["org_id"], ["orgs.id"], name=op.f("fk_scoring_rules_org_id_orgs"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["module_id"], ["modules.id"], name=op.f("fk_scoring_rules_module_id_modules"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scoring_rules")),
        sa.UniqueConstraint("module_id", "name_key", name=op.f("uq_scoring_rules_module_id_name_key")),
    )
    with op.batch_alter_table("scoring_rules", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_scoring_rules_org_id"), ["org_id"], unique=False)
    op.create_table(
        "entity_scores",
        sa.Column("id", sa.String(length=24), nullable=False),
        sa.Column("org_id", sa.String(length=24), nullable=False),
        sa.Column("rule_id", sa.String(length=24), nullable=False),
        sa.Column("module_id", sa.String(length=24), nullable=False),
        sa.Column("record_id", sa.String(length=24), nullable=False),
        sa.Column("positive", sa.Integer(), nullable=False),
        sa.Column("negative", sa.Integer(), nullable=False),
        sa.Column("modified_ms", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["org_id"], ["orgs.id"], name=op.f("fk_entity_scores_org_id_orgs"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["rule_id"], ["scoring_rules.id"], name=op.f("fk_entity_scores_rule_id_scoring_rules"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_entity_scores")),
        sa.UniqueConstraint("rule_id", "record_id", name=op.f("uq_entity_scores_rule_id_record_id")),
    )
    with op.batch_alter_table("entity_scores", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_entity_scores_org_id"), ["org_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_entity_scores_record_id"), ["record_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("entity_scores", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_entity_scores_record_id"))
        batch_op.drop_index(batch_op.f("ix_entity_scores_org_id"))
    op.drop_table("entity_scores")
    with op.batch_alter_table("scoring_rules", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_scoring_rules_org_id"))
    op.drop_table("scoring_rules")
