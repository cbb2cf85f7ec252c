"""What the web dashboard shows, computed by the same functions as the commands.

Progress bars are `handlers.targets.evaluate` (what `/进度` formats), the exchanges are
the `/交流` queries, the record list is the `/明细` filter (a teacher sees what `/明细`
shows a teacher), the bundled score is `/考核`'s `assess`. Nothing here knows HTML or
aiohttp: `bot.web.dashboard` renders these dataclasses with Jinja2.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session

from handlers.dashboard_links import Viewer
from handlers.periods import Period, parse_period, school_year_of
from handlers.targets import (
    AllianceSchools,
    Ask,
    TargetResult,
    TargetRule,
    alliance_schools,
    completion,
    evaluate,
    evaluate_asks,
)
from handlers.vocab import EXCHANGE_CN, KIND_CN, MODE_CN, STATUS_CN, kind_label
from storage.models import Alliance, Record
from storage.record_queries import (
    RecordFilter,
    activities_by_day_kind,
    count_records,
    current_exchanges,
    receiving_schools,
    records_page,
    reporters_by_record,
)

RECORDS_PER_PAGE = 20


class NotAllowed(Exception):
    """The viewer may not see this (403); the text is shown."""


# -- who may see what -------------------------------------------------------------------


def may_view_alliance(viewer: Viewer, alliance_id: int) -> bool:
    """An admin sees every alliance; anyone else only the alliance of their link."""
    return viewer.role == "admin" or viewer.alliance_id == alliance_id


def check_alliance(session: Session, viewer: Viewer, alliance_id: int) -> Alliance:
    a = session.get(Alliance, alliance_id)
    if a is None or not may_view_alliance(viewer, alliance_id):
        # The same answer whether it exists or not: a link never learns other alliances.
        raise NotAllowed("你的链接只能查看本联盟的看板。")
    return a


# -- the alliance page ------------------------------------------------------------------


@dataclass(frozen=True)
class SchoolProgress:
    school: str | None  # None: the alliance as a whole (the core school's own targets)
    title: str
    results: list[TargetResult]

    @property
    def behind(self) -> int:
        return sum(1 for r in self.results if is_behind(r))

    @property
    def ok(self) -> int:
        return len(self.results) - self.behind

    @property
    def completion(self) -> int:
        if not self.results:
            return 100
        return round(
            sum(completion(r.done, r.minimum) for r in self.results) / len(self.results) * 100
        )


def is_behind(r: TargetResult) -> bool:
    """What /进度 counts as 落后."""
    return r.pace.behind > 0 and r.done < r.minimum


def pace_percent(r: TargetResult) -> int:
    """Where the milestone pace stands today, as a percent of the requirement."""
    if r.minimum <= 0:
        return 0
    return min(100, round(r.pace.due_now / r.minimum * 100))


@dataclass(frozen=True)
class Series:
    """The school year, month by month: overall completion against the milestone pace."""

    labels: list[str]  # "9月" … and the last label "今天" when today is mid-month
    actual: list[float | None]  # None after today
    pace: list[float]
    title: str


@dataclass(frozen=True)
class Monthly:
    months: list[str]
    kinds: list[tuple[str, list[int]]]  # (kind label, count per month), busiest first


@dataclass(frozen=True)
class RecordRow:
    rec: Record
    when: str
    label: str
    status: str
    schools: str
    teachers: str
    what: str
    mode: str
    reporters: list[str]
    source_text: str | None
    evidence: list[Any] = field(default_factory=list)  # evidence files, when stored


@dataclass(frozen=True)
class RecordList:
    rows: list[RecordRow]
    total: int
    page: int
    pages: int
    kind: str  # the filter as given (a kind code, "exchange", or "")
    school: str
    period: str
    period_label: str
    error: str | None = None


@dataclass(frozen=True)
class AllianceView:
    info: AllianceSchools
    today: dt.date
    viewer: Viewer
    progress: list[SchoolProgress]  # behind first
    total: int
    behind: int
    series: Series
    monthly: Monthly
    exchanges: list[Record]
    without_exchange: list[str]
    year: Period
    records: RecordList
    kinds: list[tuple[str, str]]  # (filter value, label) for the kind filter
    schools: list[str]

    @property
    def teacher(self) -> bool:
        return self.viewer.role == "teacher"

    @property
    def can_download(self) -> bool:
        return self.viewer.role in ("principal", "admin")


def _month_ends(period: Period) -> list[dt.date]:
    out = []
    y, m = period.start.year, period.start.month
    while True:
        nxt = dt.date(y + (m == 12), m % 12 + 1, 1)
        end = min(nxt - dt.timedelta(days=1), period.end)
        out.append(end)
        if end >= period.end:
            return out
        y, m = nxt.year, nxt.month


def series_days(year: Period, today: dt.date) -> list[dt.date]:
    """The days the chart judges: each month of the year that has begun, at its end (today
    for the current month)."""
    return [min(end, today) for end in _month_ends(year) if end.replace(day=1) <= today]


def completion_series(
    per_day: list[list[TargetResult]], today: dt.date, year: Period, *, milestones: Any
) -> Series:
    """Mean completion (each target done ÷ required, capped at 1) at every month end of the
    school year, every rule counted from the year's start (a term quota twice, as `/考核`
    counts a year), against the share the milestones ask by then."""
    from handlers.targets import milestone_dates, pace

    ms = milestone_dates(
        year, False, list(milestones) or [("06-30", 0.3), ("09-30", 0.6), ("11-30", 1.0)]
    )
    days, per_day = series_days(year, today), list(per_day)
    actual: list[float | None] = []
    pace_line: list[float] = []
    labels: list[str] = []
    last: list[TargetResult] = []
    for i, end in enumerate(_month_ends(year)):
        labels.append(f"{end.month}月")
        if i < len(days):
            last, day = per_day[i], days[i]
            actual.append(_mean([completion(r.done, r.minimum) for r in last]))
        else:
            day = end
            actual.append(None)
        # What the milestones ask by then, of the same targets (nothing counted after today).
        pace_line.append(
            _mean([completion(pace(r.minimum, 0, ms, day).due_now, r.minimum) for r in last])
        )
    return Series(labels, actual, pace_line, f"{year.label}累计完成度与里程碑进度")


def _mean(values: list[float]) -> float:
    return round(sum(values) / len(values) * 100, 1) if values else 0.0


def monthly_kinds(
    session: Session, alliance_id: int, year: Period, today: dt.date, school: str | None = None
) -> Monthly:
    ends = _month_ends(year)
    months = [f"{e.month}月" for e in ends]
    index = {(e.year, e.month): i for i, e in enumerate(ends)}
    counts: dict[str, list[int]] = defaultdict(lambda: [0] * len(ends))
    for day, kind, n in activities_by_day_kind(
        session, alliance_id, year.start, min(year.end, today), school
    ):
        i = index.get((day.year, day.month))
        if i is not None and kind:
            counts[kind][i] += int(n)
    kinds = sorted(counts.items(), key=lambda kv: -sum(kv[1]))
    return Monthly(months, [(KIND_CN.get(k, k), v) for k, v in kinds])


def kind_choices() -> list[tuple[str, str]]:
    return [
        ("", "全部种类"),
        *((code, label) for code, label in KIND_CN.items()),
        ("exchange", "教师交流"),
    ]


def record_list(
    session: Session,
    viewer: Viewer,
    info: AllianceSchools,
    today: dt.date,
    terms: Any,
    *,
    kind: str = "",
    school: str = "",
    period: str = "",
    page: int = 1,
    evidence: Any = None,
) -> RecordList:
    """The /明细 listing with the page's filters (kind code, school name, period words)."""
    error = None
    intent = code = None
    if kind == "exchange":
        intent = "exchange"
    elif kind in KIND_CN:
        intent, code = "activity", kind
    elif kind:
        error, kind = f"不认识的种类“{kind}”。", ""
    names = [n for n in (info.core, *info.members) if n]
    if school and school not in names:
        error, school = f"{school}不在{info.name}。", ""
    p: Period | None = None
    if period:
        try:
            p = parse_period(period, today, terms)
        except ValueError as e:
            p, error = None, f"{e}。"
        if p is None:
            error = error or f"不认识的期间“{period}”(可写 本月、本学期、2026-10 等)。"
            period = ""
    teacher = viewer.role == "teacher"
    if teacher and school and school != viewer.school:
        error, school = f"教师只能查看本校({viewer.school})的记录。", ""
    flt = RecordFilter(
        info.alliance_id,
        intent,
        code,
        p.start if p else None,
        p.end if p else None,
        school or None,
        reporter_id=viewer.person_id if teacher and not school else None,
        or_school=viewer.school if teacher and not school else None,
    )
    total = count_records(session, flt)
    pages = max(1, (total + RECORDS_PER_PAGE - 1) // RECORDS_PER_PAGE)
    page = min(max(1, page), pages)
    recs = records_page(session, flt, page, RECORDS_PER_PAGE) if total else []
    ids = [r.id for r in recs if r.id is not None]
    reporters = reporters_by_record(session, ids)
    files = evidence(session, ids) if evidence and ids else {}
    rows = [_row(r, reporters.get(r.id or 0, []), files.get(r.id, [])) for r in recs]
    return RecordList(
        rows, total, page, pages, kind, school, period, p.label if p else "全部时间", error
    )


def _row(r: Record, reporters: list[str], evidence: list[Any]) -> RecordRow:
    when = r.date.isoformat() if r.date else "日期未明"
    if r.intent == "exchange" and r.end_date:
        when += f" ~ {r.end_date.isoformat()}"
    if r.from_school or r.to_school:
        schools = f"{r.from_school or '?'} → {r.to_school or '?'}"
    else:
        schools = "、".join(r.schools)
    what = (r.subject or "") + (f"《{r.title}》" if r.title else "")
    if r.lessons:
        what += f" {r.lessons}节"
    if r.participants:
        what += f" {r.participants}人"
    return RecordRow(
        r,
        when,
        kind_label(r.intent, r.kind, r.exchange_kind),
        STATUS_CN.get(r.status, r.status),
        schools,
        "、".join(r.teachers),
        what.strip(),
        MODE_CN.get(r.mode or "", ""),
        reporters,
        r.source_text,
        list(evidence),
    )


def progress_groups(results: list[TargetResult], info: AllianceSchools) -> list[SchoolProgress]:
    """Alliance-level targets and one group per member school, the ones behind first."""
    groups = []
    top = [r for r in results if r.school is None]
    if top:
        groups.append(SchoolProgress(None, f"联盟整体{'·' + info.core if info.core else ''}", top))
    for school in info.members:
        mine = [r for r in results if r.school == school]
        if mine:
            groups.append(SchoolProgress(school, school, mine))
    order = {id(g): i for i, g in enumerate(groups)}
    groups.sort(key=lambda g: (-g.behind, g.completion, order[id(g)]))
    return [
        SchoolProgress(g.school, g.title, sorted(g.results, key=lambda r: not is_behind(r)))
        for g in groups
    ]


def alliance_view(
    session: Session,
    viewer: Viewer,
    alliance_id: int,
    settings: Any,
    rules: list[TargetRule],
    today: dt.date,
    *,
    kind: str = "",
    school: str = "",
    period: str = "",
    page: int = 1,
    evidence: Any = None,
) -> AllianceView:
    check_alliance(session, viewer, alliance_id)
    info = alliance_schools(session, alliance_id)
    terms, milestones = settings.terms, settings.assessment.milestones
    # A teacher sees their own school's targets, as /进度 shows a teacher.
    own = viewer.school if viewer.role == "teacher" else None
    if own is not None and own != info.core and own not in info.members:
        own = None
    year = school_year_of(today, terms)
    # Today's targets (what /进度 shows) and the chart's month ends, all counted in the same
    # grouped queries.
    asks = [Ask(today), *(Ask(d, span=year, until=True) for d in series_days(year, today))]
    results, *per_day = evaluate_asks(
        session, alliance_id, rules, asks, terms=terms, milestones=milestones, school=own
    )
    series = completion_series(per_day, today, year, milestones=milestones)
    got = receiving_schools(session, alliance_id, year.start, year.end)
    return AllianceView(
        info=info,
        today=today,
        viewer=viewer,
        progress=progress_groups(results, info),
        total=len(results),
        behind=sum(1 for r in results if is_behind(r)),
        series=series,
        monthly=monthly_kinds(session, alliance_id, year, today),
        exchanges=current_exchanges(session, alliance_id, today),
        without_exchange=[m for m in info.members if m not in got],
        year=year,
        records=record_list(
            session,
            viewer,
            info,
            today,
            terms,
            kind=kind,
            school=school,
            period=period,
            page=page,
            evidence=evidence,
        ),
        kinds=kind_choices(),
        schools=[n for n in (info.core, *info.members) if n],
    )


def exchange_label(r: Record) -> str:
    return EXCHANGE_CN.get(r.exchange_kind or "", "交流")


# -- the county page --------------------------------------------------------------------


@dataclass(frozen=True)
class AllianceRow:
    alliance_id: int
    name: str
    schools: int
    records: int  # done activities and exchanges this school year
    targets: int
    behind: int
    completion: int  # mean completion of the targets, percent
    bundled: float | None  # the core school's bundled score (/考核)


@dataclass(frozen=True)
class CountyView:
    today: dt.date
    year: Period
    rows: list[AllianceRow]
    viewer: Viewer


def county_view(
    session: Session, viewer: Viewer, settings: Any, rules: list[TargetRule], today: dt.date
) -> CountyView:
    if viewer.role != "admin":
        raise NotAllowed("全县看板仅限管理员查看。")
    from sqlmodel import col, select

    from handlers.scores import assess

    year = school_year_of(today, settings.terms)
    rows = []
    for a in session.exec(select(Alliance).order_by(col(Alliance.id))).all():
        assert a.id is not None
        info = alliance_schools(session, a.id)
        results = evaluate(
            session,
            a.id,
            rules,
            today,
            terms=settings.terms,
            milestones=settings.assessment.milestones,
        )
        n = count_records(session, RecordFilter(a.id, start=year.start, end=year.end))
        score = assess(session, a.id, today.year, settings, rules, today).bundled
        comp = (
            round(sum(completion(r.done, r.minimum) for r in results) / len(results) * 100)
            if results
            else 100
        )
        rows.append(
            AllianceRow(
                a.id,
                a.name,
                len(info.members) + (1 if info.core else 0),
                n,
                len(results),
                sum(1 for r in results if is_behind(r)),
                comp,
                score,
            )
        )
    rows.sort(key=lambda r: (-r.behind, r.completion, r.name))
    return CountyView(today, year, rows, viewer)
