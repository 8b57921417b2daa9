"""Workflow rules, their saved actions, scheduled entries and runs

Revision ID: 0010
Revises: 0001
Depends on: 0004 (scheduled entries point at records)
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0010"
down_revision = "0001"
branch_labels = None
depends_on = "0004"  # workflow_schedule.record_id references records

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
ID = sa.String(length=24)


def _org(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(["org_id"], ["orgs.id"], name=op.f(f"fk_{table}_org_id_orgs"), ondelete="CASCADE")


def _rule(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["rule_id"], ["workflow_rules.id"], name=op.f(f"fk_{table}_rule_id_workflow_rules"), ondelete="CASCADE"
    )


def _saved_actions(table: str, *, unique_names: bool) -> None:
    constraints: list[sa.Constraint] = [_org(table), sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}"))]
    if unique_names:
        constraints.append(sa.UniqueConstraint("org_id", "name_key", name=op.f(f"uq_{table}_org_id_name_key")))
    op.create_table(
        table,
        sa.Column("id", ID, nullable=False),
        sa.Column("org_id", ID, nullable=False),
        sa.Column("name_key", sa.String(length=255), nullable=False),
        sa.Column("modified_ms", sa.BigInteger(), nullable=False),
        sa.Column("data", JSON, nullable=False),
        *constraints,
    )
    if not unique_names:
        op.create_index(op.f(f"ix_{table}_org_id"), table, ["org_id"], unique=False)


def upgrade() -> None:
    op.create_table(
        "workflow_rules",
        sa.Column("id", ID, nullable=False),
        sa.Column("org_id", ID, nullable=False),
        sa.Column("module_id", ID, nullable=False),
        sa.Column("trigger", sa.String(length=48), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("created_ms", sa.BigInteger(), nullable=False),
        sa.Column("modified_ms", sa.BigInteger(), nullable=False),
        sa.Column("data", JSON, nullable=False),
        sa.ForeignKeyConstraint(
            ["module_id"], ["modules.id"], name=op.f("fk_workflow_rules_module_id_modules"), ondelete="CASCADE"
        ),
        _org("workflow_rules"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workflow_rules")),
    )
    op.create_index("ix_workflow_rules_module_active", "workflow_rules", ["module_id", "active", "sequence"])
    op.create_index(op.f("ix_workflow_rules_org_id"), "workflow_rules", ["org_id"], unique=False)

    op.create_table(
        "workflow_rule_actions",
        sa.Column("rule_id", ID, nullable=False),
        sa.Column("action_type", sa.String(length=32), nullable=False),
        sa.Column("action_id", ID, nullable=False),
        sa.Column("org_id", ID, nullable=False),
        _org("workflow_rule_actions"),
        _rule("workflow_rule_actions"),
        sa.PrimaryKeyConstraint("rule_id", "action_type", "action_id", name=op.f("pk_workflow_rule_actions")),
    )
    op.create_index("ix_workflow_rule_actions_target", "workflow_rule_actions", ["org_id", "action_type", "action_id"])

    _saved_actions("field_updates", unique_names=True)
    _saved_actions("automation_tasks", unique_names=False)
    _saved_actions("email_notifications", unique_names=False)

    op.create_table(
        "workflow_schedule",
        sa.Column("id", ID, nullable=False),
        sa.Column("org_id", ID, nullable=False),
        sa.Column("rule_id", ID, nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("condition_id", ID, nullable=True),
        sa.Column("group_id", ID, nullable=True),
        sa.Column("module_id", ID, nullable=False),
        sa.Column("record_id", ID, nullable=False),
        sa.Column("actor", ID, nullable=False),
        sa.Column("due_ms", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("lease_until_ms", sa.BigInteger(), nullable=True),
        sa.Column("created_ms", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["module_id"], ["modules.id"], name=op.f("fk_workflow_schedule_module_id_modules"), ondelete="CASCADE"
        ),
        _org("workflow_schedule"),
        sa.ForeignKeyConstraint(
            ["record_id"], ["records.id"], name=op.f("fk_workflow_schedule_record_id_records"), ondelete="CASCADE"
        ),
        _rule("workflow_schedule"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workflow_schedule")),
    )
    op.create_index("ix_workflow_schedule_due", "workflow_schedule", ["status", "due_ms"])
    op.create_index("ix_workflow_schedule_rule_record", "workflow_schedule", ["rule_id", "record_id"])

    op.create_table(
        "workflow_runs",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("org_id", ID, nullable=False),
        sa.Column("rule_id", ID, nullable=False),
        sa.Column("condition_id", ID, nullable=True),
        sa.Column("record_id", ID, nullable=False),
        sa.Column("ran_ms", sa.BigInteger(), nullable=False),
        _org("workflow_runs"),
        _rule("workflow_runs"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workflow_runs")),
    )
    op.create_index("ix_workflow_runs_rule_record", "workflow_runs", ["rule_id", "record_id"])
    op.create_index("ix_workflow_runs_rule_ran", "workflow_runs", ["rule_id", "ran_ms"])

    op.create_table(
        "workflow_action_runs",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("org_id", ID, nullable=False),
        sa.Column("rule_id", ID, nullable=False),
        sa.Column("condition_id", ID, nullable=True),
        sa.Column("group_id", ID, nullable=True),
        sa.Column("action_type", sa.String(length=32), nullable=False),
        sa.Column("action_id", ID, nullable=False),
        sa.Column("record_id", ID, nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.Column("ran_ms", sa.BigInteger(), nullable=False),
        _org("workflow_action_runs"),
        _rule("workflow_action_runs"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workflow_action_runs")),
    )
    op.create_index("ix_workflow_action_runs_rule_ran", "workflow_action_runs", ["rule_id", "ran_ms"])


def downgrade() -> None:
    for table in (
        "workflow_action_runs",
        "workflow_runs",
        "workflow_schedule",
        "email_notifications",
        "automation_tasks",
        "field_updates",
        "workflow_rule_actions",
        "workflow_rules",
    ):
        op.drop_table(table)
