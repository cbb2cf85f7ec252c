"""query indexes for /进度, /统计 and the export at province scale

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 18:00:00.000000

bench/query.py (1,500 alliances, 1M records) showed every target count of `evaluate`
reading each matching `record` row from the table (SQLite: a random page per row;
PostgreSQL: a bitmap heap scan over ~one heap block per row, since an alliance's records
are spread over the whole table), and the exchange queries scanning all of an alliance's
records through (alliance_id, date) to find the few exchanges.

* ix_record_targets: (alliance_id, kind, date) followed by every other column a target
  count filters on or sums, so those counts are answered from the index alone.
* ix_record_alliance_intent_date: exchanges (and activities) of one alliance by date,
  with the columns /统计 groups by.
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

TARGETS_COLS = [
    "alliance_id",
    "kind",
    "date",
    "intent",
    "status",
    "deleted",
    "mode",
    "lessons",
    "subject",
    "id",
]
INTENT_COLS = ["alliance_id", "intent", "date", "status", "deleted", "kind", "mode", "id"]


def upgrade() -> None:
    op.create_index("ix_record_targets", "record", TARGETS_COLS, unique=False)
    op.create_index("ix_record_alliance_intent_date", "record", INTENT_COLS, unique=False)


def downgrade() -> None:
    op.drop_index("ix_record_alliance_intent_date", table_name="record")
    op.drop_index("ix_record_targets", table_name="record")
