"""/导出: the alliance's 台账 as an xlsx file, plus a one-time download link."""

from __future__ import annotations

from handlers.context import HandlerContext
from handlers.delivery import deliver_file
from handlers.events import Reply
from handlers.export import export_filename, export_workbook
from handlers.periods import school_year_of
from handlers.router import ADMIN, PRINCIPAL, Router, UserError
from handlers.scope import parse_scope

router = Router()


@router.command("导出", aliases=("export",), roles=PRINCIPAL | ADMIN, order=25)
def export(ctx: HandlerContext, args: list[str]) -> Reply:
    """导出本联盟活动台账(Excel),附一次性下载链接(校长)。
    用法:/导出 [期间](管理员:/导出 全县)
    例:/导出 本学年
    """
    usage = "用法:/导出 [期间,如 本学期、本学年、2026]"
    if "全县" in args:
        from handlers.commands.overview import county_export

        return county_export(ctx, args)
    scope = parse_scope(ctx, args, usage)
    if scope.school is not None:
        raise UserError(f"台账按联盟导出,不用写学校。{usage}")
    period = scope.period or school_year_of(ctx.today, ctx.settings.terms)
    today = min(ctx.today, period.end)
    if ctx.files is None:
        raise UserError("导出暂不可用:服务器没有配置文件存储,请联系管理员。")
    content = export_workbook(
        ctx.session,
        scope.alliance.id,
        period,
        ctx.settings,
        today=today,
        rules=ctx.rules,
        exported_at=ctx.now,
    )
    filename = export_filename(scope.alliance.name, period)
    return deliver_file(
        ctx,
        filename,
        content,
        scope.alliance.id,
        f"已导出 {scope.alliance.name} 台账({period.label})。",
    )
