"""The monthly chase (the 20th by default): schools of the alliance with no report this month."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlmodel import Session, col, select

from handlers.text.dates import local_to_utc, next_month
from scheduler.kinds.base import Batch, Changes, Groups, KindEnv, Message, Want
from storage.models import Alliance, AllianceMember, Record, RecordSchool, Reminder, School

CHASE = "chase"


class MonthlyChase:
    labels = {CHASE: "月度催报"}

    def batches(
        self, env: KindEnv, s: Session, now: dt.datetime, changes: Changes | None
    ) -> Iterable[Batch]:
        if changes is not None:
            return []
        today = env.today(now)
        groups = Groups.load(s)
        rs = env.rs
        wants: list[Want] = []
        for a in s.exec(select(Alliance)).all():
            g = groups.main.get(a.id)
            if g is None or not env.enabled(CHASE, a.name):
                continue
            y, m = today.year, today.month
            for _ in range(2):
                day = dt.date(y, m, rs.chase_day)
                wants.append(
                    Want(
                        f"chase:{a.id}:{y:04d}-{m:02d}",
                        CHASE,
                        a.id,
                        local_to_utc(day, rs.chase_time, env.tz),
                        day,
                        g.platform,
                        g.chat_id,
                        "(发送时生成)本月未上报学校",
                    )
                )
                y, m = next_month(y, m)
        return [Batch(wants, col(Reminder.kind) == CHASE)]

    def stale_reason(self, s: Session, r: Reminder) -> str | None:
        return None

    def message(self, env: KindEnv, s: Session, r: Reminder, now: dt.datetime) -> Message:
        if r.alliance_id is None:  # batches() always sets it for this kind
            return Message(None, empty_reason="提醒未关联联盟")
        text = chase_text(s, r.alliance_id, r.occurs_on or env.today(now))
        return Message(text) if text else Message(None, empty_reason="本月各校均已上报")


def chase_text(s: Session, alliance_id: int, day: dt.date) -> str | None:
    first = day.replace(day=1)
    members = s.exec(
        select(School)
        .join(AllianceMember, col(AllianceMember.school_id) == col(School.id))
        .where(AllianceMember.alliance_id == alliance_id)
        .order_by(col(AllianceMember.id))
    ).all()
    reported: set[str | int | None] = set(
        s.exec(  # school names and, where known, ids
            select(col(RecordSchool.school_name))
            .join(Record, col(Record.id) == col(RecordSchool.record_id))
            .where(col(Record.deleted) == False, col(Record.date) >= first, col(Record.date) <= day)  # noqa: E712
        ).all()
    )
    reported |= set(
        s.exec(
            select(col(RecordSchool.school_id))
            .join(Record, col(Record.id) == col(RecordSchool.record_id))
            .where(
                col(Record.deleted) == False,  # noqa: E712
                col(Record.date) >= first,
                col(Record.date) <= day,
                col(RecordSchool.school_id).is_not(None),
            )
        ).all()
    )
    missing = [sc.name for sc in members if sc.name not in reported and sc.id not in reported]
    if not missing:
        return None
    return (
        f"【月度提醒】{day.month}月已过{day.day}日,以下学校本月还没有上报活动:"
        f"{'、'.join(missing)}。请尽快开展并在群里上报(已开展未上报的请补报)。"
    )
