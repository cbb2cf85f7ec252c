"""The xlsx 台账 of one alliance and period: 汇总, activities, exchanges, targets, assessment.

Every sheet prints as the bureau files it: a title row (alliance, period, export time),
landscape A4 fit to the page width, the header row repeated on every page, borders, wrapped
long text and numeric percentages. Used by `/导出` and by `alliance-bot export`. Rows are
read for one alliance and one date range only (the record(alliance_id, date) index), reporters with one joined query.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

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

ACTIVITY_HEADERS = (
    "编号",
    "日期",
    "种类",
    "状态",
    "学校",
    "派出→接收",
    "教师",
    "学科",
    "课题",
    "人数",
    "方式",
    "节数",
    "上报人",
    "原始消息",
    "佐证材料",
)
EXCHANGE_HEADERS = (
    "编号",
    "交流类型",
    "教师",
    "派出学校",
    "接收学校",
    "开始日期",
    "结束日期",
    "学科",
    "状态",
    "上报人",
    "原始消息",
)
PROGRESS_HEADERS = (
    "学校",
    "指标",
    "周期",
    "开始",
    "结束",
    "完成",
    "要求",
    "完成率",
    "计划中",
    "进度",
)
EVIDENCE_HEADERS = ("记录编号", "文件名", "类型", "大小(KB)", "保存位置(数据目录下)", "收到时间")
ASSESSMENT_HEADERS = ("学校", "类别", "得分(百分制)", "得分来源", "县排名", "上年县排名", "说明")
DATE_FORMAT = "yyyy-mm-dd"
PERCENT_FORMAT = "0%"
MAX_WIDTH = 60
# The widest a column may get, so that a sheet fits landscape A4 at a readable scale; longer
# text wraps inside the cell (the row grows), never cut.
COLUMN_CAPS = {
    "学校": 16,
    "派出→接收": 16,
    "教师": 12,
    "课题": 14,
    "上报人": 10,
    "原始消息": 56,
    "派出学校": 16,
    "接收学校": 16,
    "指标": 14,
    "进度": 32,
    "得分来源": 10,
    "说明": 50,
    "种类": 10,
    "交流类型": 8,
    "佐证材料": 8,
    "文件名": 24,
    "保存位置(数据目录下)": 40,
}
TITLE_ROWS = 2  # the title and the period/export-time line above the header
HEADER_ROW = TITLE_ROWS + 1
# Row heights are worked out here because neither Excel nor LibreOffice grows a row for
# wrapped text on opening a file. At the 10 pt body font a line is about 13.5 pt tall and a
# CJK character about 1.9 column-width units wide (Excel's unit: the default font's digit).
LINE_HEIGHT = 13.5
WIDE_CHAR_UNITS = 1.9


def display_width(value: Any) -> int:
    """Columns a value takes on screen: CJK and other wide characters count double."""
    if value is None:
        return 0
    if isinstance(value, (dt.date, dt.datetime)):
        return 10
    if isinstance(value, float):
        value = f"{value:g}"
    text = str(value)
    longest = 0
    for line in text.splitlines() or [""]:
        # A column is never wider than MAX_WIDTH: the rest of a long message needs no count.
        line = line[:MAX_WIDTH]
        longest = max(longest, _line_width(line))
    return longest


def _line_width(line: str) -> int:
    if line.isascii():
        return len(line)
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in line)


def wrapped_lines(value: Any, width: float) -> int:
    """How many lines a value takes in a wrapping cell `width` units wide (a line of text is
    measured whole here, not capped as in `display_width`)."""
    if value is None or isinstance(value, (int, float, dt.date, Percent)):
        return 1
    room = max(1.0, (width - 1) * 2 / WIDE_CHAR_UNITS)  # in display_width units (CJK = 2)
    return sum(
        max(1, math.ceil(_line_width(line) / room)) for line in str(value).splitlines() or [""]
    )


@dataclass(frozen=True)
class SheetTitle:
    """What the bureau asks on every printed sheet: whose ledger, which period, when."""

    alliance: str
    period: str  # e.g. "2026-2027学年(2026-09-01至2027-08-31)"
    exported_at: str  # e.g. "2026-11-23 10:00"


def period_text(period: Period) -> str:
    if period.label.startswith(period.start.isoformat()):
        return period.label
    return f"{period.label}({period.start.isoformat()}至{period.end.isoformat()})"


class _Styles:
    """openpyxl style objects made once per workbook (imported lazily, see below)."""

    def __init__(self) -> None:
        from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

        thin = Side(style="thin", color="808080")
        self.border = Border(left=thin, right=thin, top=thin, bottom=thin)
        self.title_font = Font(bold=True, size=14)
        self.info_font = Font(size=10, color="404040")
        self.header_font = Font(bold=True, size=10)
        self.body_font = Font(size=10)
        self.total_font = Font(bold=True, size=10)
        self.header_fill = PatternFill("solid", fgColor="DDEBF7")
        self.section_fill = PatternFill("solid", fgColor="F2F2F2")
        self.wrap = Alignment(wrap_text=True, vertical="top")
        self.center = Alignment(horizontal="center", vertical="center", wrap_text=True)
        self.left = Alignment(horizontal="left", vertical="center")


def _cell(
    ws: Worksheet,
    value: Any,
    st: _Styles,
    *,
    font: Any = None,
    fill: Any = None,
    align: Any = None,
    border: bool = True,
) -> Any:
    from openpyxl.cell import WriteOnlyCell

    percent = isinstance(value, Percent)
    c = WriteOnlyCell(ws, value=value.value if percent else value)
    if isinstance(value, str):
        # User text is text: a report starting with "=" must not become a formula.
        c.data_type = "s"
    elif percent:
        c.number_format = PERCENT_FORMAT
    elif isinstance(value, dt.date):
        c.number_format = DATE_FORMAT
    elif isinstance(value, float):
        c.number_format = "0.0"  # scores, as /考核 prints them
    c.font = font or st.body_font
    c.alignment = align or st.wrap
    if fill is not None:
        c.fill = fill
    if border:
        c.border = st.border
    return c


@dataclass(frozen=True)
class Percent:
    """A completion ratio written as a number cell formatted 0% (so Excel can sum and sort)."""

    value: float


def _page_setup(
    ws: Worksheet, title: SheetTitle, name: str, header_row: int | None, heading: str | None = None
) -> None:
    """Landscape A4, fit to one page wide, header row repeated, page numbers in the footer."""
    from openpyxl.worksheet.properties import PageSetupProperties

    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = "9"  # A4 (Worksheet.PAPERSIZE_A4)
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages tall as needed
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.page_margins.header = ws.page_margins.footer = 0.3
    if header_row is not None:
        ws.print_title_rows = f"{header_row}:{header_row}"
    header, footer = ws.oddHeader, ws.oddFooter
    assert header is not None and footer is not None  # every sheet's HeaderFooter() makes both
    header.left.text = heading or f"{title.alliance} {name}"
    header.left.size = 9
    header.right.text = title.period
    header.right.size = 9
    footer.center.text = "第 &P 页,共 &N 页"
    footer.center.size = 9


def _title_rows(
    ws: Worksheet, title: SheetTitle, name: str, ncols: int, st: _Styles, heading: str | None = None
) -> None:
    from openpyxl.worksheet.dimensions import RowDimension

    ws.merged_cells.add(f"A1:{_col(ncols)}1")
    ws.merged_cells.add(f"A2:{_col(ncols)}2")
    ws.row_dimensions[1] = RowDimension(ws, index=1, ht=24)
    ws.row_dimensions[2] = RowDimension(ws, index=2, ht=18)
    ws.append(
        [
            _cell(
                ws,
                heading or f"{title.alliance} {name}",
                st,
                font=st.title_font,
                align=st.left,
                border=False,
            )
        ]
    )
    ws.append(
        [
            _cell(
                ws,
                f"期间:{title.period}    导出时间:{title.exported_at}",
                st,
                font=st.info_font,
                align=st.left,
                border=False,
            )
        ]
    )


def _col(n: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(n)


def _widths(headers: list[str], rows: list[list[Any]]) -> list[float]:
    widths = [display_width(h) for h in headers]
    for row in rows:
        for i, v in enumerate(row[: len(widths)]):
            widths[i] = max(widths[i], display_width(v))
    out = []
    for h, w in zip(headers, widths, strict=False):
        cap = COLUMN_CAPS.get(h, MAX_WIDTH)
        out.append(float(min(cap, max(w, display_width(h)) + 2)))
    return out


def _row_height(row: list[Any], widths: list[float]) -> float:
    lines = max((wrapped_lines(v, w) for v, w in zip(row, widths, strict=False)), default=1)
    return LINE_HEIGHT * lines + 4


def _sheet(
    wb: Workbook,
    name: str,
    headers: Iterable[str],
    rows: Iterable[Iterable[Any]],
    title: SheetTitle,
    st: _Styles,
    *,
    totals: Iterable[Any] | None = None,
    heading: str | None = None,
) -> Worksheet:
    """One printable table: title rows, bold shaded header (frozen, filtered, repeated on every
    printed page), bordered wrapping cells, real date and percentage cells, widths that fit.

    The workbook is write-only (rows stream to the file; no cell objects kept), so widths
    and row heights are worked out before the rows are written."""
    from openpyxl.worksheet.dimensions import RowDimension

    ws = wb.create_sheet(name)
    headers = list(headers)
    body = [list(r) for r in rows]
    total_row = list(totals) if totals is not None else None
    widths = _widths(headers, body + ([total_row] if total_row else []))
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[_col(i)].width = w
    last = HEADER_ROW + len(body)
    ws.freeze_panes = f"A{HEADER_ROW + 1}"
    ws.auto_filter.ref = f"A{HEADER_ROW}:{_col(len(headers))}{max(last, HEADER_ROW)}"
    _page_setup(ws, title, name, HEADER_ROW, heading)
    ws.row_dimensions[HEADER_ROW] = RowDimension(
        ws, index=HEADER_ROW, ht=_row_height(headers, widths)
    )
    for n, row in enumerate(body, start=HEADER_ROW + 1):
        ws.row_dimensions[n] = RowDimension(ws, index=n, ht=_row_height(row, widths))
    _title_rows(ws, title, name, len(headers), st, heading)
    ws.append(
        [
            _cell(ws, h, st, font=st.header_font, fill=st.header_fill, align=st.center)
            for h in headers
        ]
    )
    for row in body:
        ws.append([_cell(ws, v, st) for v in row])
    if total_row is not None:
        ws.append([_cell(ws, v, st, font=st.total_font, fill=st.section_fill) for v in total_row])
    return ws


def _reporters(session: Session, conds: list) -> dict[int, list[str]]:
    out: dict[int, list[str]] = defaultdict(list)
    q = (
        select(col(RecordReporter.record_id), col(RecordReporter.reporter_name))
        .join(Record, col(Record.id) == col(RecordReporter.record_id))
        .where(*conds)
        .order_by(col(RecordReporter.record_id), col(RecordReporter.id))
    )
    for rid, name in session.exec(q).all():
        if name and name not in out[rid]:
            out[rid].append(name)
    return out


def _join(items: Iterable[str] | None) -> str:
    return "、".join(items or [])


def school_label(res_school: str | None, info: Any) -> str:
    """The same words as /进度: a member school by name, alliance-level targets as 联盟整体."""
    return res_school or f"联盟整体({info.core or info.name})"


def _summary_sheet(
    wb: Workbook,
    session: Session,
    alliance_id: int,
    period: Period,
    info: Any,
    results: list,
    title: SheetTitle,
    st: _Styles,
) -> None:
    """汇总: totals per kind, per school, and each target's completion, one section each.

    Sections differ in columns, so the sheet is built as one grid of rows with a shaded
    section title and its own header row per section."""
    from openpyxl.worksheet.dimensions import RowDimension

    from handlers.tally import exchanges_in, tally

    schools = [s for s in (info.core, *info.members) if s]
    t = tally(session, alliance_id, period, schools)
    exchanges = exchanges_in(session, alliance_id, period)

    grid: list[tuple[str, list[Any]]] = []  # (style: section|header|body|total, cells)
    grid.append(("section", ["一、按活动种类(已完成)"]))
    grid.append(("header", ["活动种类", "次数", "线上", "线下", "未注明", "节数", "参与人数"]))
    for k in t.kinds():
        grid.append(
            ("body", [k.label, k.count, k.online, k.offline, k.unstated, k.lessons, k.participants])
        )
    grid.append(
        (
            "total",
            [
                "合计",
                t.total,
                sum(k.online for k in t.kinds()),
                sum(k.offline for k in t.kinds()),
                sum(k.unstated for k in t.kinds()),
                sum(k.lessons for k in t.kinds()),
                sum(k.participants for k in t.kinds()),
            ],
        )
    )
    received: dict[str, int] = defaultdict(int)
    for r in exchanges:
        if r.to_school:
            received[r.to_school] += 1
    grid.append(("blank", []))
    grid.append(("section", ["二、按学校(一次活动涉及几所学校,各校各计一次)"]))
    kinds = [k.kind for k in t.kinds()]
    grid.append(
        (
            "header",
            [
                "学校",
                "类别",
                "活动合计",
                *[KIND_CN.get(k, k) for k in kinds],
                "同步课堂节数",
                "接收交流教师",
            ],
        )
    )
    for s in schools:
        per = t.by_school.get(s, {})
        grid.append(
            (
                "body",
                [
                    s,
                    "核心校" if s == info.core else "成员校",
                    t.school_total(s),
                    *[per.get(k, 0) for k in kinds],
                    sum(t.sync_lessons.get(s, {}).values()),
                    received.get(s, 0),
                ],
            )
        )
    grid.append(("blank", []))
    grid.append(("section", ["三、各项指标完成率(完成÷要求;详见“进度”表)"]))
    labels = list(dict.fromkeys(r.rule.label for r in results))
    grid.append(("header", ["学校", *labels, "落后项数"]))
    rows_for = list(dict.fromkeys(r.school for r in results))
    for school in sorted(
        rows_for, key=lambda x: (x is not None, schools.index(x) if x in schools else 0)
    ):
        mine = {r.rule.label: r for r in results if r.school == school}
        grid.append(
            (
                "body",
                [
                    school_label(school, info),
                    *[Percent(completion_ratio(mine[lb])) if lb in mine else None for lb in labels],
                    sum(1 for r in mine.values() if is_behind(r)),
                ],
            )
        )
    behind = sum(1 for r in results if is_behind(r))
    grid.append(("total", ["合计", *[None] * len(labels), behind]))
    grid.append(
        (
            "note",
            [
                f"共 {len(results)} 项指标,落后 {behind} 项。"
                if behind
                else f"共 {len(results)} 项指标,全部进度正常。"
            ],
        )
    )

    ncols = max(len(cells) for _, cells in grid)
    # Column widths over the body rows of every section (section titles span the row).
    measured = [cells for style, cells in grid if style in ("header", "body", "total")]
    widths = [8.0] * ncols
    for cells in measured:
        for i, v in enumerate(cells):
            widths[i] = max(widths[i], float(min(24 if i == 0 else 14, display_width(v) + 2)))
    ws = wb.create_sheet("汇总")
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[_col(i)].width = w
    _page_setup(ws, title, "汇总", None)
    n = HEADER_ROW
    for style, cells in grid:
        if style in ("section", "note"):
            ws.merged_cells.add(f"A{n}:{_col(ncols)}{n}")
            ws.row_dimensions[n] = RowDimension(ws, index=n, ht=20)
        elif style != "blank":
            ws.row_dimensions[n] = RowDimension(ws, index=n, ht=_row_height(cells, widths))
        n += 1
    _title_rows(ws, title, "汇总", ncols, st)
    for style, cells in grid:
        if style == "blank":
            ws.append([])
        elif style == "section":
            ws.append([_cell(ws, cells[0], st, font=st.header_font, align=st.left, border=False)])
        elif style == "note":
            ws.append([_cell(ws, cells[0], st, align=st.left, border=False)])
        elif style == "header":
            ws.append(
                [
                    _cell(ws, v, st, font=st.header_font, fill=st.header_fill, align=st.center)
                    for v in cells
                ]
            )
        elif style == "total":
            ws.append([_cell(ws, v, st, font=st.total_font, fill=st.section_fill) for v in cells])
        else:
            ws.append([_cell(ws, v, st) for v in cells])


def activity_rows(session: Session, alliance_id: int, period: Period) -> list[tuple]:
    """The 活动台账 rows (ACTIVITY_HEADERS) of one alliance and period, oldest first."""
    act_conds = [
        col(Record.alliance_id) == alliance_id,
        col(Record.deleted) == False,  # noqa: E712
        col(Record.intent) == "activity",
        col(Record.date) >= period.start,
        col(Record.date) <= period.end,
    ]
    # Plain rows, not ORM objects: a busy alliance-year has thousands of records.
    table = Record.__table__  # type: ignore[attr-defined]  # SQLModel does not declare __table__
    acts = (
        session.connection()
        .execute(select(table).where(*act_conds).order_by(col(Record.date), col(Record.id)))
        .all()
    )
    reps = _reporters(session, act_conds)
    from storage.evidence import evidence_counts

    ev_counts = evidence_counts(session, [r.id for r in acts])
    rows = []
    for r in acts:
        route = (
            f"{r.from_school or '?'}→{r.to_school or '?'}" if (r.from_school or r.to_school) else ""
        )
        rows.append(
            (
                r.id,
                r.date,
                KIND_CN.get(r.kind or "", r.kind or ""),
                STATUS_CN.get(r.status, r.status),
                _join(r.schools),
                route,
                _join(r.teachers),
                r.subject,
                r.title,
                r.participants,
                MODE_CN.get(r.mode or "", None),
                r.lessons,
                _join(reps.get(r.id)),
                r.source_text,
                f"{ev_counts[r.id]} 份" if ev_counts.get(r.id) else None,
            )
        )
    return rows


def completion_ratio(res: Any) -> float:
    return round(min(1.0, res.done / res.minimum) if res.minimum else 1.0, 4)


def is_behind(res: Any) -> bool:
    return res.pace.behind > 0 and res.done < res.minimum


def export_workbook(
    session: Session,
    alliance_id: int,
    period: Period,
    settings: Any,
    *,
    today: dt.date | None = None,
    rules: list | None = None,
    exported_at: dt.datetime | None = None,
) -> bytes:
    """The 台账 workbook as xlsx bytes.

    Targets and assessment are judged at `today` (default: the period's end, or today if
    the period has not ended yet); the assessment is for the calendar year of that day.
    """
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    write_alliance_sheets(
        wb,
        session,
        alliance_id,
        period,
        settings,
        today=today,
        rules=rules,
        exported_at=exported_at,
    )
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _now_text(settings: Any, exported_at: dt.datetime | None) -> str:
    from zoneinfo import ZoneInfo

    tz = ZoneInfo(getattr(settings, "timezone", "Asia/Shanghai"))
    when = exported_at or dt.datetime.now(tz)
    return when.astimezone(tz).strftime("%Y-%m-%d %H:%M")


def write_alliance_sheets(
    wb: Workbook,
    session: Session,
    alliance_id: int,
    period: Period,
    settings: Any,
    *,
    today: dt.date | None = None,
    rules: list | None = None,
    exported_at: dt.datetime | None = None,
    prefix: str = "",
) -> None:
    """汇总, 活动台账, 交流轮岗, 进度, 考核 of one alliance into `wb` (sheet names prefixed
    with `prefix` when several alliances share one workbook)."""
    today = today or min(period.end, dt.date.today())
    rules = rules if rules is not None else rules_from(getattr(settings, "targets", None))
    info = alliance_schools(session, alliance_id)
    st = _Styles()
    title = SheetTitle(info.name, period_text(period), _now_text(settings, exported_at))

    results = evaluate(
        session,
        alliance_id,
        rules,
        today,
        terms=settings.terms,
        milestones=settings.assessment.milestones,
    )
    _summary_sheet(wb, session, alliance_id, period, info, results, title, st)

    rows = activity_rows(session, alliance_id, period)
    done = [r for r in rows if r[3] == STATUS_CN["done"]]
    _sheet(
        wb,
        prefix + "活动台账",
        ACTIVITY_HEADERS,
        rows,
        title,
        st,
        totals=(
            "合计",
            f"{len(rows)} 条",
            f"已完成 {len(done)}",
            None,
            None,
            None,
            None,
            None,
            None,
            sum(r[9] or 0 for r in done),
            None,
            sum(r[11] or 0 for r in done),
            None,
            None,
            None,
        ),
    )
    rows_of = Record.__table__  # type: ignore[attr-defined]  # SQLModel does not declare __table__

    ex_conds = [
        col(Record.alliance_id) == alliance_id,
        col(Record.deleted) == False,  # noqa: E712
        col(Record.intent) == "exchange",
        col(Record.date).is_not(None),
        col(Record.date) <= period.end,
        func.coalesce(col(Record.end_date), col(Record.date)) >= period.start,
    ]
    exs = (
        session.connection()
        .execute(select(rows_of).where(*ex_conds).order_by(col(Record.date), col(Record.id)))
        .all()
    )
    reps = _reporters(session, ex_conds)
    _sheet(
        wb,
        prefix + "交流轮岗",
        EXCHANGE_HEADERS,
        [
            (
                r.id,
                EXCHANGE_CN.get(r.exchange_kind or "", "交流"),
                _join(r.teachers),
                r.from_school,
                r.to_school,
                r.date,
                r.end_date,
                r.subject,
                STATUS_CN.get(r.status, r.status),
                _join(reps.get(r.id)),
                r.source_text,
            )
            for r in exs
        ],
        title,
        st,
    )

    _sheet(
        wb,
        prefix + "进度",
        PROGRESS_HEADERS,
        [
            (
                school_label(res.school, info),
                res.rule.label,
                PERIOD_CN[res.rule.period],
                res.period.start,
                res.period.end,
                res.done,
                res.minimum,
                Percent(completion_ratio(res)),
                res.planned,
                res.status_text(),
            )
            for res in results
        ],
        title,
        st,
    )

    a = assess(session, alliance_id, today.year, settings, rules, today)
    from handlers.assessment_text import bundle_formula, member_share_text, year_text

    arows: list[tuple] = []
    if a.core is not None:
        arows.append(
            (
                a.core.school,
                "核心校",
                a.core.score,
                a.core.source_cn,
                a.core.rank,
                a.core.previous_rank,
                "本校得分(联盟整体指标)",
            )
        )
    for m in a.members:
        arows.append(
            (
                m.school,
                "成员校",
                m.score,
                m.source_cn,
                m.rank,
                m.previous_rank,
                member_share_text(a),
            )
        )
    arows.append(("捆绑得分", "核心校", a.bundled, "计算", None, None, bundle_formula(a)))
    arows.append(("考核期间", "", None, "", None, None, year_text(a.year)))
    _sheet(wb, prefix + "考核", ASSESSMENT_HEADERS, arows, title, st)
    from storage.evidence import evidence_listing

    evidence = evidence_listing(session, [r[0] for r in rows])
    if evidence:  # 佐证材料: where each file is kept (under the bot's data directory)
        _sheet(wb, prefix + "佐证材料", EVIDENCE_HEADERS, evidence, title, st)


def export_filename(alliance_name: str, period: Period) -> str:
    safe = re.sub(r'[\\/:*?"<>|\s]+', "_", f"{alliance_name}_台账_{period.label}")
    return f"{safe}.xlsx"
