"""/总结: the 学年度工作总结 draft (Word) the alliance hands to the bureau each July."""

from __future__ import annotations

from handlers.context import HandlerContext
from handlers.delivery import deliver_file
from handlers.events import Reply
from handlers.export import is_behind
from handlers.periods import school_year_of
from handlers.router import ADMIN, PRINCIPAL, Router, UserError
from handlers.scope import parse_scope
from handlers.yearly_summary import DOCX_MIME, build_docx, collect, summary_filename

router = Router()


@router.command(
    "总结", aliases=("summary", "年度总结", "工作总结"), roles=PRINCIPAL | ADMIN, order=26
)
def summary(ctx: HandlerContext, args: list[str]) -> Reply:
    """生成本联盟学年度工作总结草稿(Word),数字全部来自台账(核心校校长、管理员)。
    用法:/总结 [学年,如 本学年、上学年、2026-2027学年]
    例:/总结 本学年
    """
    usage = "用法:/总结 [学年,如 本学年、上学年、2026-2027学年]"
    scope = parse_scope(ctx, [_school_year_word(a) for a in args], usage)
    if scope.school is not None:
        raise UserError(f"总结按联盟撰写,不用写学校。{usage}")
    if ctx.role != "admin" and (ctx.school is None or ctx.school.name != scope.info.core):
        raise UserError(f"学年度工作总结由核心校({scope.info.core})校长或管理员生成。")
    period = scope.period or school_year_of(ctx.today, ctx.settings.terms)
    data = collect(ctx.session, scope.alliance.id, period, ctx.settings, ctx.rules, ctx.today)
    content = build_docx(data, ctx.now.astimezone(ctx.tz).strftime("%Y-%m-%d %H:%M"))
    t = data.tally
    head = (
        f"已生成 {scope.info.name} {period.label}工作总结草稿(Word):"
        f"活动 {t.total} 次、教师交流 {len(data.exchanges)} 项,"
        f"落后指标 {sum(1 for r in data.results if is_behind(r))} 项。"
        "请核对后补充“下一步打算”。"
    )
    return deliver_file(
        ctx, summary_filename(scope.info.name, period), content, scope.alliance.id, head, DOCX_MIME
    )


def _school_year_word(word: str) -> str:
    """'2026-2027' (without 学年) names a school year too."""
    import re

    w = word.strip()
    return f"{w}学年" if re.fullmatch(r"\d{4}-\d{4}", w) else w
