"""identities only: person.wecom_userid / person.qq become identity rows

Revision ID: 0004_identity_only
Revises: 0003
Create Date: 2026-12-02 07:30:00.000000

A person's platform accounts live only in `identity` (platform, user_id), so a new
platform needs no column and no migration. Each non-empty `person.wecom_userid` becomes
an identity ("wecom", id) and each `person.qq` an identity ("onebot", number), confirmed
and owned by that person, as a roster import makes them; an existing identity row for the
same account is given to the person the roster named (what the roster import does too).
Then the two columns (and their unique constraints) are dropped: on SQLite through
batch_alter_table (the table is recreated), on PostgreSQL by ALTER TABLE.

The downgrade puts the columns back and fills them from the confirmed roster identities.
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

import storage.types

revision = "0004_identity_only"
down_revision = "0003"
branch_labels = None
depends_on = None

# (person column, identity platform)
COLUMNS = (("wecom_userid", "wecom"), ("qq", "onebot"))

identity = sa.table(
    "identity",
    sa.column("id", sa.Integer),
    sa.column("platform", sa.String),
    sa.column("user_id", sa.String),
    sa.column("person_id", sa.Integer),
    sa.column("claimed_name", sa.String),
    sa.column("confirmed", sa.Boolean),
    sa.column("source", sa.String),
    sa.column("created_at", storage.types.UTCDateTime(timezone=True)),
    sa.column("confirmed_at", storage.types.UTCDateTime(timezone=True)),
)


def _person(*columns: str) -> sa.TableClause:
    return sa.table(
        "person", sa.column("id", sa.Integer), *(sa.column(c, sa.String) for c in columns)
    )


def upgrade() -> None:
    conn = op.get_bind()
    now = datetime.now(UTC)
    person = _person(*(c for c, _ in COLUMNS))
    for column, platform in COLUMNS:
        col = person.c[column]
        rows = conn.execute(
            sa.select(person.c.id, col).where(col.is_not(None), col != "").order_by(person.c.id)
        ).all()
        for person_id, user_id in rows:
            user_id = str(user_id).strip()
            if not user_id:
                continue
            found = conn.execute(
                sa.select(identity.c.id).where(
                    identity.c.platform == platform, identity.c.user_id == user_id
                )
            ).first()
            if found is None:
                conn.execute(
                    identity.insert().values(
                        platform=platform,
                        user_id=user_id,
                        person_id=person_id,
                        claimed_name=None,
                        confirmed=True,
                        source="roster",
                        created_at=now,
                        confirmed_at=now,
                    )
                )
            else:
                conn.execute(
                    identity.update()
                    .where(identity.c.id == found[0])
                    .values(person_id=person_id, confirmed=True, claimed_name=None)
                )
    with op.batch_alter_table("person", schema=None) as batch_op:
        for column, _ in COLUMNS:
            batch_op.drop_column(column)


def downgrade() -> None:
    with op.batch_alter_table("person", schema=None) as batch_op:
        for column, _ in COLUMNS:
            batch_op.add_column(sa.Column(column, sa.String(), nullable=True))
            batch_op.create_unique_constraint(f"uq_person_{column}", [column])
    conn = op.get_bind()
    person = _person(*(c for c, _ in COLUMNS))
    for column, platform in COLUMNS:
        rows = conn.execute(
            sa.select(identity.c.person_id, identity.c.user_id)
            .where(
                identity.c.platform == platform,
                identity.c.confirmed == sa.true(),
                identity.c.source == "roster",
                identity.c.person_id.is_not(None),
            )
            .order_by(identity.c.id)
        ).all()
        done: set[int] = set()
        for person_id, user_id in rows:
            if person_id in done:  # the column holds one account: the first the roster gave
                continue
            done.add(person_id)
            conn.execute(person.update().where(person.c.id == person_id).values({column: user_id}))
