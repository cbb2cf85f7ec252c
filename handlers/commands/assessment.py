"""/考核: the bundled assessment of the alliance for a year."""
from __future__ import annotations

from handlers.events import Reply
from handlers.context import HandlerContext
from handlers.router import ADMIN, PRINCIPAL, Router, UserError
from handlers.scope import parse_scope
from handlers.scores import Assessment, assess

router = Router()


def _fmt(score: float | None) -> str:
    return "—" if score is None else f"{score:g}"


def assessment_lines(a: Assessment) -> list[str]:
    lines = [f"{a.alliance} {a.year}年度捆绑考核"]
    if a.core is not None:
        lines.append(f"核心校 {a.core.school}:自身 {_fmt(a.core.score)}({a.core.source_cn})")
        lines.append(f"捆绑得分:{_fmt(a.bundled)}")
    lines.append(f"规则:{a.rule_text}")
    lines.append(f"权重:自身 {a.own_weight:g},成员校合计 {a.members_weight:g}")
    lines.append("成员校:")
    for m in a.members:
        rank = ""
        if m.rank is not None:
            rank = f",县排名 {m.rank}"
            if m.previous_rank is not None:
                rank += f"(上年 {m.previous_rank})"
        lines.append(f"· {m.school} {_fmt(m.score)}({m.source_cn}{rank})")
    return lines


@router.command("考核", aliases=("assessment",), roles=PRINCIPAL | ADMIN, order=24)
def assessment(ctx: HandlerContext, args: list[str]) -> Reply:
    """查看联盟捆绑考核:各校得分、核心校捆绑得分和权重(校长)。
    用法:/考核 [年度]
    例:/考核 2026
    """
    usage = "用法:/考核 [年度,如 2026]"
    scope = parse_scope(ctx, args, usage)
    if scope.school is not None:
        raise UserError(f"考核按联盟计算,不用写学校。{usage}")
    year = ctx.today.year
    if scope.period is not None:
        if scope.period.start.year != scope.period.end.year:
            raise UserError(f"考核按自然年度计算。{usage}")
        year = scope.period.start.year
    result = assess(ctx.session, scope.alliance.id, year, ctx.settings,
                    ctx.rules, ctx.today)
    lines = assessment_lines(result)
    lines.append("得分:导入的县考核得分优先,否则为指标完成度(各项 完成÷要求,封顶 1,取平均×100)。")
    return Reply("\n".join(lines))
