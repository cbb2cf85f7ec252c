"""/进度: every target's done / required, and whether the milestone pace is kept.

Also home of the argument scope shared by the principal commands: which alliance and
school a question is about (and whether the asker may see it), which period, kind, page.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlmodel import select

from bot.events import Reply
from handlers.context import HandlerContext
from handlers.periods import Period, join_range_args, parse_period
from handlers.router import STAFF, Router, UserError
from handlers.screen import markdown, next_page_hint, page_of, plain, warn
from handlers.targets import PERIOD_CN, AllianceSchools, TargetResult, alliance_schools, \
    evaluate, rules_from
from handlers.vocab import EXCHANGE_CN, KIND_CN
from storage.models import Alliance, AllianceMember, School
from storage.queries import alliance_of_school

router = Router()

# Words for /明细 kinds besides the display names in vocab.
KIND_WORDS: dict[str, tuple[str, str | None]] = {
    **{cn: ("activity", code) for code, cn in KIND_CN.items()},
    **{code: ("activity", code) for code in KIND_CN},
    **{cn: ("exchange", code) for code, cn in EXCHANGE_CN.items()},
    "送教": ("activity", "lesson_delivery"), "送课": ("activity", "lesson_delivery"),
    "同步课": ("activity", "sync_class"), "教研": ("activity", "joint_research"),
    "研修": ("activity", "joint_research"), "讲座": ("activity", "lecture_training"),
    "培训": ("activity", "lecture_training"), "视导": ("activity", "inspection"),
    "公开课": ("activity", "demo_lesson"), "比赛": ("activity", "competition"),
    "交流": ("exchange", None), "轮岗": ("exchange", "rotation"), "exchange": ("exchange", None),
}


@dataclass
class Scope:
    alliance: Alliance
    info: AllianceSchools
    school: str | None = None  # canonical school name asked about
    period: Period | None = None
    kind: tuple[str, str | None] | None = None
    page: int = 1
    own_school: str | None = None  # the asker's school


def _home_alliance(ctx: HandlerContext) -> Alliance | None:
    if ctx.role == "admin":
        return ctx.alliance or (alliance_of_school(ctx.session, ctx.person.school_id)
                                if ctx.person else None)
    if ctx.person is None:
        return None
    return alliance_of_school(ctx.session, ctx.person.school_id)


def find_school(ctx: HandlerContext, word: str, prefer: AllianceSchools | None) -> School | None:
    """A school by name or alias: the asker's alliance first, then everywhere."""
    s = ctx.session
    hit = s.exec(select(School).where(School.name == word)).first()
    if hit is not None:
        return hit
    if prefer is not None:
        local = s.exec(select(School).join(AllianceMember, AllianceMember.school_id == School.id)
                       .where(AllianceMember.alliance_id == prefer.alliance_id)).all()
        for sc in local:
            if word in (sc.aliases or []):
                return sc
        starts = [sc for sc in local if sc.name.startswith(word) and len(word) >= 2]
        if len(starts) == 1:
            return starts[0]
    for sc in s.exec(select(School)).all():  # rare: an alias outside the asker's alliance
        if word in (sc.aliases or []):
            return sc
    return None


def parse_scope(ctx: HandlerContext, args: list[str], usage: str, *, kinds: bool = False,
                pages: bool = False) -> Scope:
    home = _home_alliance(ctx)
    home_info = alliance_schools(ctx.session, home.id) if home is not None else None
    period: Period | None = None
    kind = None
    page = 1
    school: School | None = None
    named_alliance: Alliance | None = None
    for word in join_range_args(args):
        w = word.strip()
        if pages:
            m = re.fullmatch(r"(?:第\s*(\d+)\s*页|(\d+)\s*页|[pP](\d+)|(\d{1,3}))", w)
            if m:
                page = int(next(g for g in m.groups() if g))
                if page < 1:
                    raise UserError(f"页码应从 1 开始。{usage}")
                continue
        try:
            p = parse_period(w, ctx.today, ctx.settings.terms)
        except ValueError as e:
            raise UserError(f"{e}。{usage}") from None
        if p is not None:
            if period is not None:
                raise UserError(f"只能给一个期间。{usage}")
            period = p
            continue
        if kinds and w in KIND_WORDS:
            kind = KIND_WORDS[w]
            continue
        sc = find_school(ctx, w, home_info)
        if sc is not None:
            if school is not None and school.id != sc.id:
                raise UserError(f"只能查看一所学校。{usage}")
            school = sc
            continue
        if ctx.role == "admin":
            a = ctx.session.exec(select(Alliance).where(Alliance.name == w)).first()
            if a is not None:
                named_alliance = a
                continue
        raise UserError(f"不认识“{w}”(不是学校、期间{'、种类' if kinds else ''})。{usage}")

    own_school = ctx.school.name if ctx.school is not None else None
    alliance = named_alliance or home
    if ctx.role == "admin" and school is not None and named_alliance is None:
        in_home = home_info is not None and school.name in (home_info.core, *home_info.members)
        if not in_home:
            alliance = alliance_of_school(ctx.session, school.id)
    if alliance is None:
        if ctx.role == "admin":
            raise UserError(f"请指明联盟名称或学校。{usage}")
        raise UserError("你的学校不在任何联盟中,请联系管理员。")
    info = home_info if home is not None and alliance.id == home.id else \
        alliance_schools(ctx.session, alliance.id)
    if school is not None and school.name not in (info.core, *info.members):
        raise UserError(f"{school.name}不在{info.name},无权查看。")
    if ctx.role == "teacher" and school is not None and school.name != own_school:
        raise UserError(f"教师只能查看本校({own_school})的数据,不能查看{school.name}。")
    return Scope(alliance, info, school.name if school else None, period, kind, page, own_school)


def rule_settings(ctx: HandlerContext) -> dict:
    return {"terms": ctx.settings.terms, "milestones": ctx.settings.assessment.milestones}


def format_result(r: TargetResult, *, with_period: bool = True) -> str:
    line = f"· {r.rule.label} {r.done}/{r.minimum}{r.rule.unit_word} {r.percent}%"
    if with_period:
        line += f"({PERIOD_CN[r.rule.period]})"
    if r.planned:
        line += f" 计划中 {r.planned}"
    status = r.status_text()
    return line + "\n  " + (warn(status) if is_behind(r) else status)


def is_behind(r: TargetResult) -> bool:
    return r.pace.behind > 0 and r.done < r.minimum


def nearest_deadline(results: list[TargetResult]) -> dt.date | None:
    """The earliest milestone still to meet among unfinished targets (a late one first)."""
    days = [r.pace.next_date or r.pace.last_date for r in results if r.done < r.minimum]
    late = [r.pace.next_date or r.pace.last_date for r in results if is_behind(r)]
    pool = late or days
    return min(pool) if pool else None


def school_line(name: str, mine: list[TargetResult]) -> str:
    """One school in one line: 正常 / 落后 N 项, and the nearest deadline."""
    behind = [r for r in mine if is_behind(r)]
    when = nearest_deadline(mine)
    if not [r for r in mine if r.done < r.minimum]:
        return f"· {name}:全部完成({len(mine)} 项)"
    if behind:
        names = list(dict.fromkeys(r.rule.label for r in behind))
        labels = "、".join(names[:2]) + ("等" if len(names) > 2 else "")
        return f"· {name}:{warn(f'落后 {len(behind)} 项')}({labels}),截止 {_md(when)}"
    return f"· {name}:正常,下一节点 {_md(when)}"


def _md(day: dt.date | None) -> str:
    return f"{day.month}月{day.day}日" if day else "—"


def progress_lines(results: list[TargetResult], info: AllianceSchools) -> list[str]:
    """A school's (or the alliance's) targets in full, two lines each."""
    lines: list[str] = []
    alliance_level = [r for r in results if r.school is None]
    if alliance_level:
        lines.append(f"【联盟整体{'·' + info.core if info.core else ''}】")
        lines += [format_result(r) for r in alliance_level]
    for school in info.members:
        mine = [r for r in results if r.school == school]
        if not mine:
            continue
        ok = sum(1 for r in mine if not is_behind(r))
        lines.append(f"【{school}】{ok}/{len(mine)} 项进度正常")
        lines += [format_result(r) for r in mine]
    return lines


def summary_line(results: list[TargetResult]) -> str:
    behind = sum(1 for r in results if is_behind(r))
    when = nearest_deadline(results)
    tail = f",最近截止 {when.isoformat()}" if when else ""
    if behind:
        return f"共 {len(results)} 项,{warn(f'落后 {behind} 项')}{tail}"
    return f"共 {len(results)} 项,全部进度正常{tail}"


SCHOOLS_PER_PAGE = 15
TARGET_LINES_PER_PAGE = 16  # a target takes two lines: eight targets a page


def progress_reply(lines: list[str]) -> Reply:
    text = "\n".join(lines)
    return Reply(plain(text), markdown=markdown(text))


@router.command("进度", aliases=("progress",), roles=STAFF, order=20)
def progress(ctx: HandlerContext, args: list[str]) -> Reply:
    """查看各项指标的完成进度:联盟一校一行,/进度 学校 看一所学校的明细(教师看本校)。
    用法:/进度 [学校] [本学期|本学年|2026] [第N页]
    例:/进度 城关小学
    """
    usage = "用法:/进度 [学校] [期间,如 本学期、本学年、2026] [第N页]"
    scope = parse_scope(ctx, args, usage, pages=True)
    school = scope.school
    if ctx.role == "teacher":
        school = scope.own_school
    # A past period is judged at its end; the current one today.
    ref = ctx.today if scope.period is None else min(ctx.today, scope.period.end)
    results = evaluate(ctx.session, scope.alliance.id, rules_from(ctx.settings, ctx.extras), ref,
                       school=school, **rule_settings(ctx))
    who = school or scope.info.name
    head = f"{who} 指标进度(截至 {ref.isoformat()})"
    if not results:
        return Reply(f"{head}\n暂无适用的指标。")
    try:
        if school is not None:
            # One school: every target, two lines each, paged.
            body = [ln for r in results for ln in format_result(r).split("\n")]
            page = page_of(body, scope.page, TARGET_LINES_PER_PAGE)
            lines = [head, summary_line(results), *page.lines]
        else:
            rows = []
            if any(r.school is None for r in results):
                rows.append(school_line(f"联盟整体({scope.info.core or scope.info.name})",
                                        [r for r in results if r.school is None]))
            for name in scope.info.members:
                mine = [r for r in results if r.school == name]
                if mine:
                    rows.append(school_line(name, mine))
            page = page_of(rows, scope.page, SCHOOLS_PER_PAGE)
            lines = [head, summary_line(results), *page.lines]
            example = scope.info.members[0] if scope.info.members else scope.info.core
            if page.number == page.pages and example:
                lines.append(f"看一所学校:/进度 {example}")
    except ValueError as e:
        raise UserError(f"{e}。{usage}") from None
    hint = next_page_hint("进度", args, page)
    if hint:
        lines.append(hint)
    return progress_reply(lines)
