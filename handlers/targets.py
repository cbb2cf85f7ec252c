"""Quota rules, milestone pace and the bundled assessment.

The rules and the math are pure (dataclasses and functions over counts); `evaluate`
at the bottom is the one place that asks the database, with one GROUP BY query per
rule, filtered by alliance and date range so it scales to many alliances.

Milestone rule. The policy milestones (`settings.assessment.milestones`, default 30 % by
06-30, 60 % by 09-30, 100 % by 11-30) are written for calendar-year quotas. For a
calendar-year rule they apply as written. For a term or school-year rule each milestone
is prorated: a milestone that falls a fraction p of the way through the calendar year
(06-30 → 181/365) falls the same fraction p of the way through the rule's period, so a
school year starting 09-01 needs 30 % by about 02-28, 60 % by 05-31 and 100 % by 07-31,
and an autumn term 30 % by 11-15 and 100 % by 01-18. A milestone is due once its day has
passed (on 06-30 itself the 30 % is not yet late).

Whose targets. `member_school` and `pair` rules apply to each non-core member school
(`pair`: records that involve the member *and* the core school, e.g. visits guided by
the core). `alliance` rules apply to the alliance as a whole and are the core school's
own targets in the bundled assessment.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

from handlers.periods import Period, school_year_of, term_of, year_period
from handlers.vocab import ACTIVITY_CODES

MEASURES = ("count", "lessons", "subjects", "exchange_coverage")
UNITS = ("member_school", "alliance", "pair")
PERIODS = ("term", "school_year", "year")
MODES = ("online", "offline", "offline_or_unstated")
KINDS = (*ACTIVITY_CODES, "exchange")  # what a target counts: an activity kind, or exchanges
PERIOD_CN = {"term": "本学期", "school_year": "本学年", "year": "本年"}
MEASURE_UNIT = {"count": "次", "lessons": "节", "subjects": "科", "exchange_coverage": "人次"}


@dataclass(frozen=True)
class TargetRule:
    kind: str  # an activity kind code, or "exchange"
    measure: str  # count | lessons | subjects | exchange_coverage
    unit: str  # member_school | alliance | pair
    period: str  # term | school_year | year
    minimum: int
    label: str
    mode: str | None = None  # online | offline | offline_or_unstated | None (any)
    keyword: str | None = None  # must appear in the title or the original message

    @property
    def unit_word(self) -> str:
        return MEASURE_UNIT[self.measure]


DEFAULT_RULES: tuple[TargetRule, ...] = (
    TargetRule("sync_class", "lessons", "member_school", "school_year", 20, "同步课堂节数"),
    TargetRule("sync_class", "subjects", "member_school", "school_year", 2, "同步课堂学科"),
    TargetRule(
        "joint_research", "count", "member_school", "school_year", 8, "线上研修", mode="online"
    ),
    TargetRule(
        "joint_research",
        "count",
        "member_school",
        "school_year",
        4,
        "线下教研",
        mode="offline_or_unstated",
    ),
    TargetRule("exchange", "exchange_coverage", "member_school", "school_year", 1, "接收交流教师"),
    TargetRule("lesson_delivery", "count", "member_school", "term", 1, "送教"),
    TargetRule("inspection", "count", "pair", "term", 2, "核心校视导"),
    TargetRule("meeting", "count", "alliance", "term", 2, "联盟会议"),
    TargetRule("open_day", "count", "alliance", "school_year", 1, "开放日"),
    TargetRule("meeting", "count", "alliance", "school_year", 1, "校长论坛", keyword="论坛"),
    TargetRule("meeting", "count", "alliance", "school_year", 1, "班主任交流会", keyword="班主任"),
)

_FIELDS = {"kind", "measure", "unit", "period", "minimum", "label", "mode", "keyword"}


def parse_targets(entries: Iterable[dict], source: str = "<targets>") -> list[TargetRule]:
    """Validate `[[targets]]` tables; ValueError names the file, the entry and the field."""
    rules: list[TargetRule] = []
    for i, raw in enumerate(entries, 1):
        where = f"{source}: targets 第{i}项"
        if not isinstance(raw, dict):
            raise ValueError(f"{where}: 应为表格(键 = 值)")
        unknown = sorted(set(raw) - _FIELDS)
        if unknown:
            raise ValueError(f"{where}: 未知字段 {', '.join(unknown)}")

        def choice(
            key: str,
            allowed: tuple[str, ...],
            default: Any = ...,
            raw: dict = raw,
            where: str = where,
        ) -> Any:  # bound now, not at call time
            if key not in raw:
                if default is ...:
                    raise ValueError(f"{where}: 缺少字段 {key}")
                return default
            v = raw[key]
            if v not in allowed:
                raise ValueError(f"{where}: 字段 {key} 的值 {v!r} 无效,可选 {', '.join(allowed)}")
            return v

        kind = choice("kind", KINDS)
        measure = choice("measure", MEASURES, "count")
        unit = choice("unit", UNITS, "member_school")
        period = choice("period", PERIODS, "school_year")
        mode = choice("mode", MODES, None)
        minimum = raw.get("minimum")
        if isinstance(minimum, bool) or not isinstance(minimum, int) or minimum < 1:
            raise ValueError(f"{where}: 字段 minimum 应为正整数")
        label = raw.get("label")
        if not isinstance(label, str) or not label.strip():
            raise ValueError(f"{where}: 字段 label 应为非空中文名称")
        keyword = raw.get("keyword")
        if keyword is not None and (not isinstance(keyword, str) or not keyword):
            raise ValueError(f"{where}: 字段 keyword 应为非空文字")
        if (measure == "exchange_coverage") != (kind == "exchange"):
            raise ValueError(f"{where}: 字段 measure = exchange_coverage 须与 kind = exchange 搭配")
        if measure == "exchange_coverage" and unit != "member_school":
            raise ValueError(f"{where}: 字段 unit 对 exchange_coverage 只能是 member_school")
        rules.append(TargetRule(kind, measure, unit, period, minimum, label.strip(), mode, keyword))
    return rules


def rules_from(raw: Sequence[Any] | None = None) -> list[TargetRule]:
    """The rules in force: roster/config `[[targets]]` (parsed or raw) when given, else the
    defaults. The server parses them once at start (`bot.app.config_targets`)."""
    if raw:
        if isinstance(raw[0], TargetRule):
            return list(raw)
        return parse_targets(raw, "targets")
    return list(DEFAULT_RULES)


# -- milestones and pace --------------------------------------------------------------


def rule_period(rule: TargetRule, ref: dt.date, terms: Any = None) -> Period:
    if rule.period == "term":
        return term_of(ref, terms)
    if rule.period == "school_year":
        return school_year_of(ref, terms)
    return year_period(ref.year)


def milestone_dates(
    period: Period, calendar: bool, milestones: Iterable[tuple[str, float]]
) -> list[tuple[dt.date, float]]:
    """(due day, fraction) pairs for a period; prorated unless `calendar` (see module doc)."""
    out = []
    for mmdd, frac in milestones:
        m, d = (int(x) for x in mmdd.split("-"))
        if calendar:
            out.append((dt.date(period.start.year, m, d), float(frac)))
            continue
        y = period.start.year
        year_days = (dt.date(y + 1, 1, 1) - dt.date(y, 1, 1)).days
        p = ((dt.date(y, m, d) - dt.date(y, 1, 1)).days + 1) / year_days
        offset = max(0, round(p * period.days) - 1)
        out.append((period.start + dt.timedelta(days=offset), float(frac)))
    return sorted(out)


def required_by(minimum: int, fraction: float) -> int:
    return math.ceil(minimum * fraction - 1e-9)


@dataclass(frozen=True)
class Pace:
    due_now: int  # what the passed milestones require by today
    behind: int  # due_now − done, at least 0
    next_date: dt.date | None  # the next milestone not yet passed
    next_due: int  # what it requires
    last_date: dt.date  # the final milestone

    def text(self, done: int, minimum: int, unit: str = "次") -> str:
        if done >= minimum:
            return "已完成"
        if self.behind <= 0:
            if self.next_date is not None and self.next_due > done:
                return f"进度正常({self.next_date.isoformat()} 前达到 {self.next_due})"
            return "进度正常"
        need = (self.next_due if self.next_date is not None else minimum) - done
        when = self.next_date or self.last_date
        return f"落后:还需 {need} {unit},截止 {when.isoformat()}"


def pace(minimum: int, done: int, milestones: list[tuple[dt.date, float]], today: dt.date) -> Pace:
    due_now = 0
    nxt: tuple[dt.date, int] | None = None
    for day, frac in milestones:
        need = required_by(minimum, frac)
        if day < today:
            due_now = max(due_now, need)
        elif nxt is None:
            nxt = (day, need)
    last = milestones[-1][0] if milestones else today
    return Pace(
        due_now, max(0, due_now - done), nxt[0] if nxt else None, nxt[1] if nxt else minimum, last
    )


# -- assessment math --------------------------------------------------------------------


def completion(done: int, required: int) -> float:
    """min(1, done ÷ required); a zero requirement counts as met."""
    if required <= 0:
        return 1.0
    return min(1.0, done / required)


def completion_score(pairs: Iterable[tuple[int, int]]) -> float | None:
    """Mean completion × 100 over a school's targets; None when it has no targets."""
    vals = [completion(d, r) for d, r in pairs]
    if not vals:
        return None
    return round(sum(vals) / len(vals) * 100, 1)


def improved_schools(
    previous: dict[str, int | None], current: dict[str, int | None], threshold: int
) -> list[str]:
    """Schools whose county rank rose by at least `threshold` places (rank 1 = best)."""
    out = []
    for name, cur in current.items():
        prev = previous.get(name)
        if prev is not None and cur is not None and prev - cur >= threshold:
            out.append(name)
    return sorted(out)


def bundled_score(
    own: float, members: list[float], own_weight: float, members_weight: float, exempt: bool = False
) -> float:
    """Core school's bundled score: own × own_weight + Σ member × (members_weight ÷ n).

    With the exemption (a member's county rank improved enough), or with no member
    scores, the core's score is its own score.
    """
    if exempt or not members:
        return round(own, 1)
    share = members_weight / len(members)
    return round(own * own_weight + sum(m * share for m in members), 1)


# -- counting (SQL) -------------------------------------------------------------------


@dataclass(frozen=True)
class TargetResult:
    rule: TargetRule
    school: str | None  # None: the alliance as a whole
    period: Period
    minimum: int
    done: int
    planned: int
    pace: Pace

    @property
    def percent(self) -> int:
        return int(completion(self.done, self.minimum) * 100)

    def status_text(self) -> str:
        return self.pace.text(self.done, self.minimum, self.rule.unit_word)


@dataclass(frozen=True)
class AllianceSchools:
    alliance_id: int
    name: str
    core: str | None
    members: tuple[str, ...]  # non-core members


def alliance_schools(session: Any, alliance_id: int) -> AllianceSchools:
    from sqlmodel import col, select

    from storage.models import Alliance, AllianceMember, School

    a = session.get(Alliance, alliance_id)
    rows = session.exec(
        select(School.name, AllianceMember.is_core)
        .join(AllianceMember, col(AllianceMember.school_id) == col(School.id))
        .where(AllianceMember.alliance_id == alliance_id)
        .order_by(col(AllianceMember.id))
    ).all()
    core = next((n for n, c in rows if c), None)
    return AllianceSchools(
        alliance_id, a.name if a else "", core, tuple(n for n, c in rows if not c)
    )


@cache
def _school_aliases() -> tuple[Any, Any]:
    """The two aliases of record_school the counts join, made once: a fresh `aliased()`
    per query re-derives its column adaptation each time, several ms per /进度
    (bench/query.py). The SQL is the same apart from the alias names."""
    from sqlalchemy.orm import aliased

    from storage.models import RecordSchool

    return aliased(RecordSchool, name="rs"), aliased(RecordSchool, name="rc")


def _count_rule(
    session: Any,
    alliance_id: int,
    rule: TargetRule,
    period: Period,
    core: str | None,
    members: tuple[str, ...],
) -> dict[tuple[str | None, str], int]:
    """{(school or None, status): value}: one GROUP BY query."""
    from sqlalchemy import and_, func, or_
    from sqlmodel import col, select

    from storage.models import Record

    r = Record
    conds = [
        col(r.alliance_id) == alliance_id,
        col(r.deleted) == False,  # noqa: E712
        col(r.status).in_(("done", "planned")),
    ]
    if rule.measure == "exchange_coverage":
        conds += [
            col(r.intent) == "exchange",
            col(r.date).is_not(None),
            col(r.date) <= period.end,
            func.coalesce(col(r.end_date), col(r.date)) >= period.start,
        ]
    else:
        conds += [
            col(r.intent) == "activity",
            col(r.kind) == rule.kind,
            col(r.date) >= period.start,
            col(r.date) <= period.end,
        ]
    if rule.mode == "online":
        conds.append(col(r.mode) == "online")
    elif rule.mode == "offline":
        conds.append(col(r.mode) == "offline")
    elif rule.mode == "offline_or_unstated":
        conds.append(or_(col(r.mode) == "offline", col(r.mode).is_(None)))
    if rule.keyword:
        conds.append(
            or_(col(r.source_text).contains(rule.keyword), col(r.title).contains(rule.keyword))
        )

    if rule.measure == "lessons":
        value = func.coalesce(func.sum(col(r.lessons)), 0)
    elif rule.measure == "subjects":
        value = func.count(func.distinct(col(r.subject)))
    else:
        value = func.count(func.distinct(col(r.id)))

    if rule.unit == "alliance":
        q = select(col(r.status), value).where(*conds).group_by(col(r.status))
        return {(None, st): int(v or 0) for st, v in session.exec(q).all()}
    if not members:
        return {}
    if rule.measure == "exchange_coverage":
        q = (
            select(col(r.to_school), col(r.status), value)
            .where(*conds, col(r.to_school).in_(members))
            .group_by(col(r.to_school), col(r.status))
        )
    else:
        rs, rc = _school_aliases()
        q = (
            select(rs.school_name, col(r.status), value)
            .join(rs, rs.record_id == col(r.id))
            .where(*conds, rs.school_name.in_(members))
        )
        if rule.unit == "pair":
            if core is None:
                return {}
            q = q.join(rc, and_(rc.record_id == col(r.id), rc.school_name == core))
        q = q.group_by(rs.school_name, col(r.status))
    return {(s, st): int(v or 0) for s, st, v in session.exec(q).all()}


def _planned_counts(
    session: Any,
    alliance_id: int,
    rule: TargetRule,
    period: Period,
    core: str | None,
    members: tuple[str, ...],
) -> dict[str | None, int]:
    if rule.measure == "count" or rule.measure == "exchange_coverage":
        return {}
    counted = _count_rule(
        session, alliance_id, replace(rule, measure="count"), period, core, members
    )
    return {s: v for (s, st), v in counted.items() if st == "planned"}


def _mode_ok(rule: TargetRule, mode: str | None) -> bool:
    if rule.mode == "offline_or_unstated":
        return mode in ("offline", None)
    return rule.mode is None or mode == rule.mode


def _measure(rule: TargetRule, rows: list[tuple]) -> dict[str, int]:
    """{status: value} of one rule from grouped rows (status, subject, count, lessons)."""
    out: dict[str, int] = {}
    subjects: dict[str, set] = {}
    for status, subject, n, lessons in rows:
        if rule.measure == "lessons":
            out[status] = out.get(status, 0) + int(lessons or 0)
        elif rule.measure == "subjects":
            if subject is not None:
                subjects.setdefault(status, set()).add(subject)
        else:
            out[status] = out.get(status, 0) + int(n)
    if rule.measure == "subjects":
        out = {st: len(v) for st, v in subjects.items()}
    return out


def _count_batched(
    session: Any,
    alliance_id: int,
    plan: list[tuple[TargetRule, Period]],
    core: str | None,
    members: tuple[str, ...],
) -> dict[int, tuple[dict, dict]]:
    """The counts of many activity rules in two grouped queries instead of one per rule.

    Dates are bucketed at the rules' period boundaries, so every rule's period is a union
    of buckets; rows are grouped by school, kind, mode, status, subject and bucket (and,
    per record, whether the core school takes part and which keywords it mentions), and
    each rule's figure is summed from them. On PostgreSQL every statement costs a round
    trip and a plan: /进度 went from ~20 statements to a handful.

    Returns {index in plan: ({(school, status): value}, {school: planned count})}.
    """
    from sqlalchemy import and_, case, func, literal, or_
    from sqlmodel import col, select

    from storage.models import Record

    r = Record
    out: dict[int, tuple[dict, dict]] = {}
    if not plan:
        return out
    cuts = sorted({d for _, p in plan for d in (p.start, p.end + dt.timedelta(days=1))})
    bucket = case(*[(col(r.date) < c, i) for i, c in enumerate(cuts)], else_=len(cuts))

    def buckets_of(p: Period) -> set[int]:
        lo = cuts.index(p.start) + 1
        hi = cuts.index(p.end + dt.timedelta(days=1))
        return set(range(lo, hi + 1))

    kinds = sorted({rule.kind for rule, _ in plan})
    base = [
        col(r.alliance_id) == alliance_id,
        col(r.deleted) == False,  # noqa: E712
        col(r.status).in_(("done", "planned")),
        col(r.intent) == "activity",
        col(r.kind).in_(kinds),
        col(r.date) >= cuts[0],
        col(r.date) < cuts[-1],
    ]
    value_cols = (func.count(), func.coalesce(func.sum(col(r.lessons)), 0))

    school_plan = [(i, rule, p) for i, (rule, p) in enumerate(plan) if rule.unit != "alliance"]
    if school_plan and members:
        rs, rc = _school_aliases()
        has_core = (rc.id.is_not(None) if core else literal(False)).label("has_core")
        q = select(
            rs.school_name,
            col(r.kind),
            col(r.mode),
            col(r.status),
            col(r.subject),
            bucket.label("b"),  # type: ignore[call-overload]  # sqlmodel's select() is typed for at most 4 columns
            has_core,
            *value_cols,
        ).join(rs, rs.record_id == col(r.id))
        if core:
            q = q.outerjoin(rc, and_(rc.record_id == col(r.id), rc.school_name == core))
        q = q.where(*base, rs.school_name.in_(members)).group_by(
            rs.school_name, col(r.kind), col(r.mode), col(r.status), col(r.subject), "b", "has_core"
        )
        rows_of: dict[str, list] = {}  # by kind: each rule looks only at its own kind's rows
        for row in session.exec(q).all():
            rows_of.setdefault(row[1], []).append(row)
        for i, rule, p in school_plan:
            bs = buckets_of(p)
            per: dict[str, list[tuple]] = {}
            for school, kind, mode, status, subject, b, core_in, n, lessons in rows_of.get(
                rule.kind, ()
            ):
                if (
                    kind == rule.kind
                    and b in bs
                    and _mode_ok(rule, mode)
                    and (rule.unit != "pair" or core_in)
                ):
                    per.setdefault(school, []).append((status, subject, n, lessons))
            counted, planned = {}, {}
            for school, srows in per.items():
                for status, v in _measure(rule, srows).items():
                    counted[(school, status)] = v
                planned[school] = sum(int(n) for st, _, n, _ in srows if st == "planned")
            out[i] = (counted, planned)

    all_plan = [(i, rule, p) for i, (rule, p) in enumerate(plan) if rule.unit == "alliance"]
    if all_plan:
        keywords = sorted({rule.keyword for _, rule, _ in all_plan if rule.keyword})
        flags = [
            case((or_(col(r.source_text).contains(k), col(r.title).contains(k)), 1), else_=0).label(
                f"k{j}"
            )
            for j, k in enumerate(keywords)
        ]
        q = (
            select(
                col(r.kind),
                col(r.mode),
                col(r.status),
                col(r.subject),
                bucket.label("b"),
                *flags,  # type: ignore[call-overload]  # sqlmodel's select() is typed for at most 4 columns
                *value_cols,
            )
            .where(*base)
            .group_by(
                col(r.kind),
                col(r.mode),
                col(r.status),
                col(r.subject),
                "b",
                *[f"k{j}" for j in range(len(keywords))],
            )
        )
        all_rows: dict[str, list] = {}
        for row in session.exec(q).all():
            all_rows.setdefault(row[0], []).append(row)
        for i, rule, p in all_plan:
            bs = buckets_of(p)
            kidx = keywords.index(rule.keyword) if rule.keyword else None
            srows = [
                (row[2], row[3], row[-2], row[-1])
                for row in all_rows.get(rule.kind, ())
                if row[0] == rule.kind
                and row[4] in bs
                and _mode_ok(rule, row[1])
                and (kidx is None or row[5 + kidx])
            ]
            counted = {(None, st): v for st, v in _measure(rule, srows).items()}
            planned = {None: sum(int(n) for st, _, n, _ in srows if st == "planned")}
            out[i] = (counted, planned)
    return out


def _exchange_coverage(
    session: Any,
    alliance_id: int,
    jobs: list[tuple[int, TargetRule, Period]],
    members: tuple[str, ...],
) -> dict[int, tuple[dict, dict]]:
    """The exchange coverage of several periods from one query: what `_count_rule` counts
    for each (distinct exchange records overlapping the period, by receiving school and
    status), summed here from the exchange records themselves (an alliance has few)."""
    from sqlalchemy import func
    from sqlmodel import col, select

    from storage.models import Record

    r = Record
    if not members:
        return {i: ({}, {}) for i, _, _ in jobs}
    lo = min(p.start for _, _, p in jobs)
    hi = max(p.end for _, _, p in jobs)
    # sqlmodel's select() overloads stop at four columns; at run time it takes any number.
    rows = session.exec(
        select(
            col(r.id),
            col(r.to_school),  # type: ignore[call-overload]
            col(r.status),
            col(r.date),
            func.coalesce(col(r.end_date), col(r.date)),
        ).where(
            col(r.alliance_id) == alliance_id,
            col(r.deleted) == False,  # noqa: E712
            col(r.status).in_(("done", "planned")),
            col(r.intent) == "exchange",
            col(r.date).is_not(None),
            col(r.date) <= hi,
            func.coalesce(col(r.end_date), col(r.date)) >= lo,
            col(r.to_school).in_(members),
        )
    ).all()
    out: dict[int, tuple[dict, dict]] = {}
    for i, _rule, p in jobs:
        seen: dict[tuple[str, str], set] = {}
        for rid, school, status, start, end in rows:
            if start <= p.end and end >= p.start:
                seen.setdefault((school, status), set()).add(rid)
        out[i] = ({k: len(v) for k, v in seen.items()}, {})
    return out


def evaluate(
    session: Any,
    alliance_id: int,
    rules: Iterable[TargetRule],
    today: dt.date,
    *,
    terms: Any = None,
    milestones: Iterable[tuple[str, float]] = (),
    school: str | None = None,
    annual_year: int | None = None,
    span: Period | None = None,
    until: bool = False,
) -> list[TargetResult]:
    """Every target of an alliance (or of one school) at `today`.

    Normally each rule is counted over its own period containing `today`. With
    `annual_year` (the assessment) every rule is counted over that calendar year and a
    term quota counts twice (two terms a year); `span` does the same over any period
    (the dashboard's school-year chart), with the milestones prorated over it. With
    `until`, records dated after `today` are not counted (progress as it stood then).
    """
    return evaluate_days(
        session,
        alliance_id,
        rules,
        [today],
        terms=terms,
        milestones=milestones,
        school=school,
        annual_year=annual_year,
        span=span,
        until=until,
    )[0]


@dataclass(frozen=True)
class Ask:
    """One question to `evaluate_asks`: the targets at `today`, each rule over its own period
    (or over `span` / the calendar year `annual_year`, a term quota twice); with `until`,
    only what was dated by `today` counts."""

    today: dt.date
    span: Period | None = None
    annual_year: int | None = None
    until: bool = False


def evaluate_days(
    session: Any,
    alliance_id: int,
    rules: Iterable[TargetRule],
    days: Sequence[dt.date],
    *,
    terms: Any = None,
    milestones: Iterable[tuple[str, float]] = (),
    school: str | None = None,
    annual_year: int | None = None,
    span: Period | None = None,
    until: bool = False,
) -> list[list[TargetResult]]:
    """`evaluate` at several days at once (one list of results per day), with the counts of
    all of them in the same grouped queries; with `until`, each day counts only what was
    dated by then (the dashboard's month-by-month chart)."""
    return evaluate_asks(
        session,
        alliance_id,
        rules,
        [Ask(d, span, annual_year, until) for d in days],
        terms=terms,
        milestones=milestones,
        school=school,
    )


def evaluate_asks(
    session: Any,
    alliance_id: int,
    rules: Iterable[TargetRule],
    asks: Sequence[Ask],
    *,
    terms: Any = None,
    milestones: Iterable[tuple[str, float]] = (),
    school: str | None = None,
) -> list[list[TargetResult]]:
    """Several `evaluate` questions answered from one set of grouped queries."""
    rules = list(rules)
    days = [a.today for a in asks]
    info = alliance_schools(session, alliance_id)
    milestones = list(milestones) or [("06-30", 0.3), ("09-30", 0.6), ("11-30", 1.0)]
    if school is not None and school != info.core and school not in info.members:
        return [[] for _ in asks]
    members = info.members if school in (None, info.core) else (school,)
    # (ask index, rule, period, minimum, calendar, period counted)
    chosen: list[tuple[int, TargetRule, Period, int, bool, Period]] = []
    for d, ask in enumerate(asks):
        today = ask.today
        for rule in rules:
            if school is not None and (rule.unit == "alliance") != (school == info.core):
                continue
            if ask.annual_year is not None or ask.span is not None:
                period = (
                    ask.span if ask.span is not None else year_period(ask.annual_year or today.year)
                )
                minimum = rule.minimum * (2 if rule.period == "term" else 1)
                calendar = ask.span is None
            else:
                period = rule_period(rule, today, terms)
                minimum = rule.minimum
                calendar = rule.period == "year"
            # With `until`, count only what was dated by then (the milestones keep the period).
            counted_in = (
                Period(period.start, min(period.end, today), period.label) if ask.until else period
            )
            chosen.append((d, rule, period, minimum, calendar, counted_in))
    # Activity rules are counted together; exchanges (and keywords at school level, which
    # the grouped query does not flag) keep a query of their own.
    batch = [
        (i, rule, counted_in)
        for i, (_, rule, _, _, _, counted_in) in enumerate(chosen)
        if rule.measure != "exchange_coverage" and not (rule.keyword and rule.unit != "alliance")
    ]
    counts = _count_batched(
        session, alliance_id, [(rule, p) for _, rule, p in batch], info.core, members
    )
    by_index = {i: counts[j] for j, (i, _, _) in enumerate(batch) if j in counts}
    exchange = [
        (i, rule, counted_in)
        for i, (_, rule, _, _, _, counted_in) in enumerate(chosen)
        if rule.measure == "exchange_coverage" and rule.mode is None
    ]
    if len(exchange) > 1:
        by_index.update(_exchange_coverage(session, alliance_id, exchange, members))
    out: list[list[TargetResult]] = [[] for _ in days]
    for i, (d, rule, period, minimum, calendar, counted_in) in enumerate(chosen):
        ms = milestone_dates(period, calendar, milestones)
        if i in by_index:
            counted, planned = by_index[i]
        else:
            counted = _count_rule(session, alliance_id, rule, counted_in, info.core, members)
            planned = _planned_counts(session, alliance_id, rule, counted_in, info.core, members)
        targets = [None] if rule.unit == "alliance" else list(members)
        for s in targets:
            done = counted.get((s, "done"), 0)
            plan = planned.get(s, counted.get((s, "planned"), 0))
            out[d].append(
                TargetResult(rule, s, period, minimum, done, plan, pace(minimum, done, ms, days[d]))
            )
    return out
