"""The county view for the bureau's admin: every alliance at once.

`/总览` (one line per alliance), `/统计 全县` and `/导出 全县` (a 全县汇总 sheet and one
activity sheet per alliance). Each alliance is counted with the same functions as its own
/进度, /统计 and 台账, so the county numbers add up to what each alliance sees.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

from sqlmodel import col, select

from handlers.periods import Period, term_of
from handlers.tally import Tally, records_in, tally
from handlers.targets import TargetResult, alliance_schools, evaluate
from storage.models import Alliance

COUNTY_WORD = "全县"


@dataclass
class AllianceRow:
    alliance_id: int
    name: str
    mode: str
    core: str | None
    schools: int
    records: int  # live records dated in the period
    tally: Tally
    results: list[TargetResult]

    @property
    def behind(self) -> int:
        return sum(1 for r in self.results if r.pace.behind > 0 and r.done < r.minimum)

    @property
    def next_deadline(self) -> dt.date | None:
        days = [r.pace.next_date or r.pace.last_date for r in self.results if r.done < r.minimum]
        return min(days) if days else None


def alliances(session: Any) -> list[Alliance]:
    return list(session.exec(select(Alliance).order_by(col(Alliance.id))).all())


def county_rows(
    session: Any, period: Period, today: dt.date, settings: Any, rules: list
) -> list[AllianceRow]:
    out = []
    for a in alliances(session):
        info = alliance_schools(session, a.id)
        schools = [s for s in (info.core, *info.members) if s]
        results = evaluate(
            session,
            a.id,
            rules,
            min(today, period.end),
            terms=settings.terms,
            milestones=settings.assessment.milestones,
        )
        out.append(
            AllianceRow(
                a.id,
                a.name,
                a.mode,
                info.core,
                len(schools),
                records_in(session, a.id, period),
                tally(session, a.id, period, schools),
                results,
            )
        )
    return out


def default_period(today: dt.date, settings: Any) -> Period:
    return term_of(today, settings.terms)


def _md(day: dt.date | None) -> str:
    return f"{day.month}月{day.day}日" if day else "—"


def overview_line(row: AllianceRow, warn: Any = lambda s: s) -> str:
    behind = warn(f"落后 {row.behind} 项") if row.behind else "无落后"
    nxt = f",下一截止 {_md(row.next_deadline)}" if row.next_deadline else ",指标已全部完成"
    return f"· {row.name}:记录 {row.records} 条,{behind}{nxt}"


def kinds_text(t: Tally, limit: int = 4) -> str:
    kinds = t.kinds()
    shown = "、".join(f"{k.label}{k.count}" for k in kinds[:limit])
    return shown + ("等" if len(kinds) > limit else "")


def county_workbook(
    session: Any,
    period: Period,
    today: dt.date,
    settings: Any,
    rules: list,
    exported_at: dt.datetime | None = None,
) -> bytes:
    """全县汇总 (one row per alliance, then per kind) and one 活动台账 sheet per alliance."""
    from openpyxl import Workbook

    from handlers.export import SheetTitle, _now_text, _sheet, _Styles, activity_rows, period_text
    from handlers.vocab import KIND_CN

    rows = county_rows(session, period, today, settings, rules)
    wb = Workbook(write_only=True)
    st = _Styles()
    when = _now_text(settings, exported_at)
    title = SheetTitle(COUNTY_WORD, period_text(period), when)
    kinds = [k for k in KIND_CN if any(k in r.tally.by_kind for r in rows)]
    headers = [
        "联盟",
        "模式",
        "核心校",
        "学校数",
        "记录条数",
        "已完成活动",
        *[KIND_CN[k] for k in kinds],
        "指标项数",
        "落后项数",
        "下一截止",
    ]
    body = [
        [
            r.name,
            r.mode,
            r.core,
            r.schools,
            r.records,
            r.tally.total,
            *[r.tally.by_kind[k].count if k in r.tally.by_kind else 0 for k in kinds],
            len(r.results),
            r.behind,
            r.next_deadline,
        ]
        for r in rows
    ]
    totals = [
        "合计",
        f"{len(rows)} 个联盟",
        None,
        sum(r.schools for r in rows),
        sum(r.records for r in rows),
        sum(r.tally.total for r in rows),
        *[sum(r.tally.by_kind[k].count for r in rows if k in r.tally.by_kind) for k in kinds],
        sum(len(r.results) for r in rows),
        sum(r.behind for r in rows),
        None,
    ]
    _sheet(wb, "全县汇总", headers, body, title, st, totals=totals, heading="全县联盟活动汇总")
    from handlers.export import ACTIVITY_HEADERS

    used: set[str] = set()
    for r in rows:
        name = _sheet_name(r.name, used)
        _sheet(
            wb,
            name,
            ACTIVITY_HEADERS,
            activity_rows(session, r.alliance_id, period),
            SheetTitle(r.name, period_text(period), when),
            st,
            heading=f"{r.name} 活动台账",
        )
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _sheet_name(name: str, used: set[str]) -> str:
    """An Excel sheet name: at most 31 characters, none of []:*?/\\ , unique."""
    import re

    base = re.sub(r"[\[\]:*?/\\]", "_", name)[:31]
    out, n = base, 2
    while out in used:
        suffix = f"({n})"
        out, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(out)
    return out
