"""inbound dedup key names the receiving bot; cleaned notes; reply claims

Revision ID: 0005_inbound_bot_key
Revises: 0004_identity_only
Create Date: 2026-12-02 07:30:00.000000

* inbound_message.bot_id: which bot received the message (WeCom app "app:corp:agent",
  AI bot "aibot:<aibotid>", OneBot self id, QQ app id). The unique key becomes
  (platform, bot_id, message_id): a WeCom app MsgId equal to an AI-bot msgid, or two
  OneBot accounts reusing a message_id, are two messages. Existing rows keep bot_id ""
  and stay unique under the new key.
* inbound_message.cleaned: what was repaired in a message that could not be stored as
  sent (lone surrogates, NUL, an absurd timestamp).
* inbound_message.reply_claimed_at: the process that sets it (from NULL) posts the
  platform reply (QQ passive replies), so two serve processes answer once.
* identity.display_name: the nickname the platform showed when the account claimed a name
  with `/绑定`, so the confirming principal sees which account they confirm.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import storage.types

revision = "0005_inbound_bot_key"
down_revision = "0004_identity_only"
branch_labels = None
depends_on = None

# 0001 left the (platform, message_id) constraint unnamed: PostgreSQL named it itself;
# on SQLite a naming convention lets the batch copy find and drop it.
_PG_OLD = "inbound_message_platform_message_id_key"
_SQLITE_NAMES = {"uq": "uq_%(table_name)s_%(column_0_name)s"}


def _old_key_name(sqlite: bool) -> str:
    """The (platform, message_id) constraint's name: unnamed from 0001 (PostgreSQL named it
    itself; on SQLite the naming convention names it), or named by this downgrade."""
    for uq in sa.inspect(op.get_bind()).get_unique_constraints("inbound_message"):
        name = uq.get("name")
        if uq["column_names"] == ["platform", "message_id"] and name:
            return name
    return "uq_inbound_message_platform" if sqlite else _PG_OLD


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    old = _old_key_name(sqlite)
    with op.batch_alter_table(
        "inbound_message", naming_convention=_SQLITE_NAMES if sqlite else None
    ) as b:
        b.add_column(sa.Column("bot_id", sa.String(), nullable=False, server_default=""))
        b.add_column(sa.Column("cleaned", sa.String(), nullable=True))
        b.add_column(
            sa.Column("reply_claimed_at", storage.types.UTCDateTime(timezone=True), nullable=True)
        )
        b.drop_constraint(old, type_="unique")
        b.create_unique_constraint(
            "uq_inbound_message_bot_key", ["platform", "bot_id", "message_id"]
        )
    with op.batch_alter_table("identity") as b:
        b.add_column(sa.Column("display_name", sa.String(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("identity") as b:
        b.drop_column("display_name")
    with op.batch_alter_table("inbound_message") as b:
        b.drop_constraint("uq_inbound_message_bot_key", type_="unique")
        b.create_unique_constraint(
            "inbound_message_platform_message_id_key", ["platform", "message_id"]
        )
        b.drop_column("reply_claimed_at")
        b.drop_column("cleaned")
        b.drop_column("bot_id")
