"""/进度: every target's done / required, and whether the milestone pace is kept."""

from __future__ import annotations

import datetime as dt

from handlers.context import HandlerContext
from handlers.events import Reply
from handlers.router import STAFF, Router, UserError
from handlers.scope import parse_scope
from handlers.screen import markdown, next_page_hint, page_of, plain, warn
from handlers.targets import PERIOD_CN, AllianceSchools, TargetResult, evaluate

router = Router()


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
    results = evaluate(
        ctx.session, scope.alliance.id, ctx.rules, ref, school=school, **rule_settings(ctx)
    )
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
                rows.append(
                    school_line(
                        f"联盟整体({scope.info.core or scope.info.name})",
                        [r for r in results if r.school is None],
                    )
                )
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
