"""/进度: every target's done / required, and whether the milestone pace is kept."""
from __future__ import annotations

from handlers.context import HandlerContext
from handlers.events import Reply
from handlers.router import STAFF, Router
from handlers.scope import parse_scope
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
    return line + "\n  " + r.status_text()


def progress_lines(results: list[TargetResult], info: AllianceSchools) -> list[str]:
    lines: list[str] = []
    alliance_level = [r for r in results if r.school is None]
    if alliance_level:
        lines.append(f"【联盟整体{'·' + info.core if info.core else ''}】")
        lines += [format_result(r) for r in alliance_level]
    for school in info.members:
        mine = [r for r in results if r.school == school]
        if not mine:
            continue
        ok = sum(1 for r in mine if r.pace.behind == 0 or r.done >= r.minimum)
        lines.append(f"【{school}】{ok}/{len(mine)} 项进度正常")
        lines += [format_result(r) for r in mine]
    return lines


@router.command("进度", aliases=("progress",), roles=STAFF, order=20)
def progress(ctx: HandlerContext, args: list[str]) -> Reply:
    """查看各项指标的完成进度(教师看本校,校长看本联盟)。
    用法:/进度 [学校] [本学期|本学年|2026]
    例:/进度 城关小学
    """
    usage = "用法:/进度 [学校] [期间,如 本学期、本学年、2026]"
    scope = parse_scope(ctx, args, usage)
    school = scope.school
    if ctx.role == "teacher":
        school = scope.own_school
    # A past period is judged at its end; the current one today.
    ref = ctx.today if scope.period is None else min(ctx.today, scope.period.end)
    results = evaluate(ctx.session, scope.alliance.id, ctx.rules, ref,
                       school=school, **rule_settings(ctx))
    who = school or scope.info.name
    head = f"{who} 指标进度(截至 {ref.isoformat()})"
    if not results:
        return Reply(f"{head}\n暂无适用的指标。")
    lines = [head, *progress_lines(results, scope.info)]
    behind = sum(1 for r in results if r.pace.behind > 0 and r.done < r.minimum)
    lines.append(f"共 {len(results)} 项,落后 {behind} 项。" if behind else
                 f"共 {len(results)} 项,全部进度正常。")
    return Reply("\n".join(lines))

