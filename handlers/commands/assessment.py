"""/考核: the bundled assessment of the alliance for a calendar year, with how it is made."""

from __future__ import annotations

from handlers.assessment_text import assessment_lines, how_lines, year_text
from handlers.context import HandlerContext
from handlers.events import Reply
from handlers.router import ADMIN, PRINCIPAL, Router, UserError
from handlers.scope import parse_scope
from handlers.scores import assess

router = Router()


@router.command("考核", aliases=("assessment",), roles=PRINCIPAL | ADMIN, order=24)
def assessment(ctx: HandlerContext, args: list[str]) -> Reply:
    """查看联盟捆绑考核(百分制):各校得分、核心校捆绑得分和计算方法(校长)。
    用法:/考核 [年份]
    例:/考核 2026
    """
    usage = "用法:/考核 [年份,如 2026;考核按自然年 1月1日至12月31日计]"
    scope = parse_scope(ctx, args, usage)
    if scope.school is not None:
        raise UserError(f"考核按联盟计算,不用写学校。{usage}")
    year = ctx.today.year
    if scope.period is not None:
        if scope.period.start.year != scope.period.end.year:
            raise UserError(f"考核按自然年计算(如 /考核 2026),不按学年或学期。{usage}")
        year = scope.period.start.year
    result = assess(ctx.session, scope.alliance.id, year, ctx.settings, ctx.rules, ctx.today)
    if not result.has_data:
        return Reply(
            f"{scope.info.name} {year}年捆绑考核(百分制)\n考核期间:{year_text(year)}\n"
            "该年度没有记录:没有上报的活动,也没有导入的县考核得分。"
        )
    return Reply("\n".join(assessment_lines(result) + how_lines(result)))
