"""[[meetings]] from the roster or the configuration → `MeetingRule` rows (source=config)."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable

from sqlalchemy import Engine
from sqlmodel import select

from handlers.meeting_rules import MeetingEntryError, check_meeting_entry
from storage.db import session_scope
from storage.models import Alliance, MeetingRule
from storage.types import utcnow

log = logging.getLogger("scheduler")


def import_config_meetings(engine: Engine, entries: Iterable[dict], today: dt.date) -> list[str]:
    """Upsert [[meetings]] tables (alliance, title, rule, holiday_policy) as source=config
    rules; config rules no longer listed are deactivated. Returns Chinese error lines (an
    unusable entry is skipped, the others are imported)."""
    errors: list[str] = []
    with session_scope(engine) as s:
        alliances = {a.name: a for a in s.exec(select(Alliance)).all()}
        seen: set[int] = set()
        for i, e in enumerate(entries, 1):
            try:
                p = check_meeting_entry(e, alliances, today)
            except MeetingEntryError as err:
                errors.append(f"[[meetings]] 第{i}项 {err.field}: {err}")
                continue
            a = alliances[str(e["alliance"])]
            policy = e.get("holiday_policy", "previous")
            title = str(e.get("title") or p.title)
            row = s.exec(
                select(MeetingRule).where(
                    MeetingRule.alliance_id == a.id,
                    MeetingRule.source == "config",
                    MeetingRule.title == title,
                )
            ).first()
            if row is None:
                row = MeetingRule(
                    alliance_id=a.id,
                    title=title,
                    rule_text=str(e["rule"]),
                    rule=p.rule,
                    holiday_policy=policy,
                    source="config",
                )
            elif row.rule_text != str(e["rule"]) or row.holiday_policy != policy or not row.active:
                row.rule_text, row.rule, row.holiday_policy = str(e["rule"]), p.rule, policy
                row.active, row.updated_at = True, utcnow()
            s.add(row)
            s.flush()
            seen.add(row.id)
        for row in s.exec(
            select(MeetingRule).where(MeetingRule.source == "config", MeetingRule.active == True)  # noqa: E712
        ).all():
            if row.id not in seen:
                row.active = False
                s.add(row)
    for err in errors:
        log.warning("%s", err)
    return errors
