"""The xlsx 台账 of one alliance and period: activities, exchanges, targets, assessment.

Used by `/导出` and by `alliance-bot export`. Rows are read for one alliance and one date
range only (the record(alliance_id, date) index), reporters with one joined query.
"""
from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
from collections import defaultdict
from typing import TYPE_CHECKING, Any
from collections.abc import Iterable

from sqlalchemy import func
from sqlmodel import Session, col, select

from handlers.periods import Period
from handlers.scores import assess
from handlers.targets import PERIOD_CN, alliance_schools, evaluate, rules_from
from handlers.vocab import EXCHANGE_CN, KIND_CN, MODE_CN, STATUS_CN
from storage.models import Record, RecordReporter

if TYPE_CHECKING:  # openpyxl costs ~13 MB; a serving process loads it on the first export only
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

ACTIVITY_HEADERS = ("编号", "日期", "种类", "状态", "学校", "派出→接收", "教师", "学科", "课题",
                    "人数", "方式", "节数", "上报人", "原始消息", "佐证材料")
EXCHANGE_HEADERS = ("编号", "交流类型", "教师", "派出学校", "接收学校", "开始日期", "结束日期",
                    "学科", "状态", "上报人", "原始消息")
PROGRESS_HEADERS = ("学校", "指标", "周期", "开始", "结束", "完成", "要求", "完成率", "计划中",
                    "进度")
EVIDENCE_HEADERS = ("记录编号", "文件名", "类型", "大小(KB)", "保存位置(数据目录下)", "收到时间")
ASSESSMENT_HEADERS = ("学校", "类别", "得分", "得分来源", "县排名", "上年县排名")
DATE_FORMAT = "yyyy-mm-dd"
MAX_WIDTH = 60


def display_width(value: Any) -> int:
    """Columns a value takes on screen: CJK and other wide characters count double."""
    if value is None:
        return 0
    if isinstance(value, (dt.date, dt.datetime)):
        return 10
    text = str(value)
    longest = 0
    for line in text.splitlines() or [""]:
        # A column is never wider than MAX_WIDTH: the rest of a long message needs no count.
        line = line[:MAX_WIDTH]
        w = len(line) if line.isascii() else \
            sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in line)
        longest = max(longest, w)
    return longest


def _sheet(wb: Workbook, title: str, headers: Iterable[str], rows: Iterable[Iterable[Any]],
           first: bool = False) -> Worksheet:
    """One sheet: bold frozen header, auto-filter, real date cells, widths that fit.

    The workbook is write-only (rows stream to the file; no cell objects kept), so widths
    are measured before the rows are written."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(title)
    headers = list(headers)
    rows = [list(r) for r in rows]
    widths = [display_width(h) for h in headers]
    for row in rows:
        for i, v in enumerate(row):
            widths[i] = max(widths[i], display_width(v))
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = min(MAX_WIDTH, w + 2)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{len(rows) + 1}"
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")

    def styled(v: Any) -> Any:
        if isinstance(v, dt.date):
            c = WriteOnlyCell(ws, value=v)
            c.number_format = DATE_FORMAT
            return c
        if isinstance(v, str) and ("\n" in v or v.startswith("=")):
            c = WriteOnlyCell(ws, value=v)
            # openpyxl makes any string starting with "=" a live formula: a report text or
            # title like "=HYPERLINK(...)" would run in the principal's Excel. Text, always.
            c.data_type = "s"
            if "\n" in v:
                c.alignment = wrap
            return c
        return v

    header_cells = []
    for h in headers:
        c = WriteOnlyCell(ws, value=h)
        c.font = bold
        header_cells.append(c)
    ws.append(header_cells)
    for row in rows:
        ws.append([styled(v) for v in row])
    return ws


def _reporters(session: Session, conds: list) -> dict[int, list[str]]:
    out: dict[int, list[str]] = defaultdict(list)
    q = (select(RecordReporter.record_id, RecordReporter.reporter_name)
         .join(Record, col(Record.id) == col(RecordReporter.record_id)).where(*conds)
         .order_by(col(RecordReporter.record_id), col(RecordReporter.id)))
    for rid, name in session.exec(q).all():
        if name and name not in out[rid]:
            out[rid].append(name)
    return out


def _join(items: Iterable[str] | None) -> str:
    return "、".join(items or [])


def export_workbook(session: Session, alliance_id: int, period: Period, settings: Any, *,
                    today: dt.date | None = None, rules: list | None = None) -> bytes:
    """The 台账 workbook as xlsx bytes.

    Targets and assessment are judged at `today` (default: the period's end, or today if
    the period has not ended yet); the assessment is for the calendar year of that day.
    """
    today = today or min(period.end, dt.date.today())
    rules = rules if rules is not None else rules_from(getattr(settings, "targets", None))
    info = alliance_schools(session, alliance_id)
    from openpyxl import Workbook

    wb = Workbook(write_only=True)

    act_conds = [Record.alliance_id == alliance_id, Record.deleted == False,  # noqa: E712
                 col(Record.intent) == "activity", col(Record.date) >= period.start, col(Record.date) <= period.end]
    # Plain rows, not ORM objects: a busy alliance-year has thousands of records.
    rows_of = Record.__table__  # type: ignore[attr-defined]  # SQLModel does not declare __table__
    acts = session.connection().execute(
        select(rows_of).where(*act_conds).order_by(col(Record.date), col(Record.id))).all()
    reps = _reporters(session, act_conds)
    from storage.evidence import evidence_counts, evidence_listing

    ev_counts = evidence_counts(session, [r.id for r in acts])
    rows = []
    for r in acts:
        route = f"{r.from_school or '?'}→{r.to_school or '?'}" if (r.from_school or r.to_school) \
            else ""
        rows.append((r.id, r.date, KIND_CN.get(r.kind or "", r.kind or ""),
                     STATUS_CN.get(r.status, r.status), _join(r.schools), route, _join(r.teachers),
                     r.subject, r.title, r.participants, MODE_CN.get(r.mode or "", None),
                     r.lessons, _join(reps.get(r.id)), r.source_text,
                     f"{ev_counts[r.id]} 份" if ev_counts.get(r.id) else None))
    _sheet(wb, "活动台账", ACTIVITY_HEADERS, rows, first=True)

    ex_conds = [Record.alliance_id == alliance_id, Record.deleted == False,  # noqa: E712
                col(Record.intent) == "exchange", col(Record.date).is_not(None), col(Record.date) <= period.end,
                func.coalesce(Record.end_date, Record.date) >= period.start]
    exs = session.connection().execute(
        select(rows_of).where(*ex_conds).order_by(col(Record.date), col(Record.id))).all()
    reps = _reporters(session, ex_conds)
    _sheet(wb, "交流轮岗", EXCHANGE_HEADERS, [
        (r.id, EXCHANGE_CN.get(r.exchange_kind or "", "交流"), _join(r.teachers), r.from_school,
         r.to_school, r.date, r.end_date, r.subject, STATUS_CN.get(r.status, r.status),
         _join(reps.get(r.id)), r.source_text) for r in exs])

    results = evaluate(session, alliance_id, rules, today, terms=settings.terms,
                       milestones=settings.assessment.milestones)
    _sheet(wb, "进度", PROGRESS_HEADERS, [
        (res.school or f"联盟整体({info.core or info.name})", res.rule.label,
         PERIOD_CN[res.rule.period], res.period.start, res.period.end, res.done, res.minimum,
         f"{res.percent}%", res.planned, res.status_text()) for res in results])

    a = assess(session, alliance_id, today.year, settings, rules, today)
    arows: list[tuple] = []
    if a.core is not None:
        arows.append((a.core.school, "核心校", a.core.score, a.core.source_cn, a.core.rank,
                      a.core.previous_rank))
    for m in a.members:
        arows.append((m.school, "成员校", m.score, m.source_cn, m.rank, m.previous_rank))
    arows.append(("捆绑得分", "核心校", a.bundled, a.rule_text, None, None))
    arows.append(("权重", "", None, f"自身 {a.own_weight:g},成员校合计 {a.members_weight:g}",
                  None, None))
    arows.append(("考核年度", "", None, f"{a.year}年度", None, None))
    _sheet(wb, "考核", ASSESSMENT_HEADERS, arows)
    evidence = evidence_listing(session, [r.id for r in acts])
    if evidence:  # 佐证材料: where each file is kept (under the bot's data directory)
        _sheet(wb, "佐证材料", EVIDENCE_HEADERS, evidence)

    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def export_filename(alliance_name: str, period: Period) -> str:
    safe = re.sub(r'[\\/:*?"<>|\s]+', "_", f"{alliance_name}_台账_{period.label}")
    return f"{safe}.xlsx"
