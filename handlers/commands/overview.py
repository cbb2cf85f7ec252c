"""/总览, /统计 全县, /导出 全县: the county view for the bureau's admin."""

from __future__ import annotations

from handlers.context import HandlerContext
from handlers.county import (
    COUNTY_WORD,
    county_rows,
    county_workbook,
    default_period,
    kinds_text,
    overview_line,
)
from handlers.events import Reply
from handlers.export import period_text
from handlers.periods import Period, join_range_args, parse_period
from handlers.router import ADMIN, Router, UserError
from handlers.screen import markdown, next_page_hint, page_of, plain, warn

router = Router()
PER_PAGE = 15


def county_args(
    ctx: HandlerContext, args: list[str], usage: str, *, pages: bool = False
) -> tuple[Period | None, int]:
    """The period and page of a county command; anything else is an error."""
    import re

    period: Period | None = None
    page = 1
    for w in join_range_args([a for a in args if a != COUNTY_WORD]):
        m = re.fullmatch(r"第\s*(\d+)\s*页", w) if pages else None
        if m:
            page = int(m.group(1))
            continue
        try:
            p = parse_period(w, ctx.today, ctx.settings.terms)
        except ValueError as e:
            raise UserError(f"{e}。{usage}") from None
        if p is None or period is not None:
            raise UserError(f"不认识“{w}”(应为期间,如 本学期、本学年)。{usage}")
        period = p
    if page < 1:
        raise UserError(f"页码应从 1 开始。{usage}")
    return period, page


def _require_admin(ctx: HandlerContext) -> None:
    if ctx.role != "admin":
        raise UserError("全县数据仅限管理员查看;校长请发 /统计 查看本联盟。")


@router.command("总览", aliases=("overview", "全县"), roles=ADMIN, order=27)
def overview(ctx: HandlerContext, args: list[str]) -> Reply:
    """全县各联盟一览:本学期记录数、落后指标、下一个截止日期(管理员)。
    用法:/总览 [期间] [第N页]
    例:/总览 本学期
    """
    usage = "用法:/总览 [期间,如 本学期、本学年] [第N页]"
    period, page_no = county_args(ctx, args, usage, pages=True)
    period = period or default_period(ctx.today, ctx.settings)
    rows = county_rows(ctx.session, period, ctx.today, ctx.settings, ctx.rules)
    if not rows:
        return Reply("名册中还没有联盟。请先导入名册。")
    try:
        page = page_of([overview_line(r, warn) for r in rows], page_no, PER_PAGE)
    except ValueError as e:
        raise UserError(f"{e}。{usage}") from None
    behind = sum(r.behind for r in rows)
    lines = [
        f"全县联盟总览({period.label},截至 {min(ctx.today, period.end).isoformat()})",
        f"{len(rows)} 个联盟、{sum(r.schools for r in rows)} 所学校;记录 "
        f"{sum(r.records for r in rows)} 条;"
        + (warn(f"落后 {behind} 项") if behind else "没有落后的指标"),
        *page.lines,
    ]
    hint = next_page_hint("总览", args, page)
    if hint:
        lines.append(hint)
    elif rows:
        lines.append(f"看一个联盟:/进度 {rows[0].name}")
    text = "\n".join(lines)
    return Reply(plain(text), markdown=markdown(text))


def county_stats(ctx: HandlerContext, args: list[str]) -> Reply:
    """/统计 全县: activity counts per alliance, county totals first."""
    _require_admin(ctx)
    usage = "用法:/统计 全县 [期间,如 本学期、本学年]"
    period, _ = county_args(ctx, args, usage)
    period = period or default_period(ctx.today, ctx.settings)
    rows = county_rows(ctx.session, period, ctx.today, ctx.settings, ctx.rules)
    total = sum(r.tally.total for r in rows)
    lines = ["全县活动统计", f"期间:{period_text(period)}"]
    if not total:
        lines.append("这段时间还没有已完成的活动记录。")
        return Reply("\n".join(lines))
    by_kind: dict[str, int] = {}
    for r in rows:
        for k in r.tally.kinds():
            by_kind[k.label] = by_kind.get(k.label, 0) + k.count
    lines.append(f"合计 {total} 次:" + "、".join(f"{k}{n}" for k, n in by_kind.items()))
    for r in rows[:PER_PAGE]:
        lines.append(
            f"· {r.name} {r.tally.total} 次" + (f"({kinds_text(r.tally)})" if r.tally.total else "")
        )
    if len(rows) > PER_PAGE:
        lines.append(f"……另有 {len(rows) - PER_PAGE} 个联盟,完整数据请 /导出 全县")
    else:
        lines.append("各联盟明细:/统计 联盟名称")
    return Reply("\n".join(lines))


def county_export(ctx: HandlerContext, args: list[str]) -> Reply:
    """/导出 全县: one workbook, a 全县汇总 sheet and one 活动台账 sheet per alliance."""
    from handlers.delivery import deliver_file
    from handlers.periods import school_year_of

    _require_admin(ctx)
    usage = "用法:/导出 全县 [期间,如 本学期、本学年]"
    period, _ = county_args(ctx, args, usage)
    period = period or school_year_of(ctx.today, ctx.settings.terms)
    content = county_workbook(
        ctx.session,
        period,
        min(ctx.today, period.end),
        ctx.settings,
        ctx.rules,
        exported_at=ctx.now,
    )
    filename = f"全县_台账_{period.label}.xlsx".replace(" ", "_")
    return deliver_file(ctx, filename, content, None, f"已导出全县台账({period.label})。")
