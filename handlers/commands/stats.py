"""/统计: activity counts by kind and school, online/offline, sync-class lessons and subjects."""

from __future__ import annotations

from handlers.context import HandlerContext
from handlers.events import Reply
from handlers.periods import term_of
from handlers.router import ADMIN, PRINCIPAL, Router, UserError
from handlers.scope import parse_scope
from handlers.screen import SCREEN_LINES, next_page_hint, page_of
from handlers.vocab import KIND_CN
from storage.record_queries import activity_stats

router = Router()


@router.command("统计", aliases=("stats",), roles=PRINCIPAL | ADMIN, order=21)
def stats(ctx: HandlerContext, args: list[str]) -> Reply:
    """按活动种类和学校统计已完成的活动(校长、管理员)。
    用法:/统计 [期间] [学校](管理员:/统计 全县)
    例:/统计 本学期
    """
    usage = "用法:/统计 [期间,如 本学期、上月、2026] [学校] [第N页]"
    if "全县" in args:
        from handlers.commands.overview import county_stats

        return county_stats(ctx, args)
    scope = parse_scope(ctx, args, usage, pages=True)
    period = scope.period or term_of(ctx.today, ctx.settings.terms)
    schools = (
        [scope.school] if scope.school else [x for x in (scope.info.core, *scope.info.members) if x]
    )
    st = activity_stats(
        ctx.session, scope.alliance.id, period.start, period.end, schools, scope.school
    )
    by_kind, per_school, sync = st.by_kind, st.per_school, st.sync_lessons

    title = scope.school or scope.info.name
    lines = [f"{title} 活动统计", f"期间:{period.label}({period.start}~{period.end})"]
    total = sum(sum(m.values()) for m in by_kind.values())
    if not total:
        lines.append("这段时间还没有已完成的活动记录。")
        return Reply("\n".join(lines))
    lines.append(f"合计 {total} 次")
    for code, cn in KIND_CN.items():
        modes = by_kind.get(code)
        if not modes:
            continue
        n = sum(modes.values())
        split = (
            f"(线上 {modes.get('online', 0)}、线下 {modes.get('offline', 0)}"
            + (f"、未注明 {modes[None]}" if modes.get(None) else "")
            + ")"
        )
        lines.append(f"· {cn} {n} 次{split}")
    school_lines = []
    for name in schools:
        kinds = per_school.get(name, {})
        parts = [
            f"{KIND_CN.get(k, k) if k else '未注明类型'}{n}"
            for k, n in sorted(
                kinds.items(), key=lambda kv: list(KIND_CN).index(kv[0]) if kv[0] in KIND_CN else 99
            )
        ]
        line = f"【{name}】" + ("、".join(parts) if parts else "无")
        sc = sync.get(name)
        if sc:
            subjects = sorted(x for x in sc if x)
            line += f";同步课堂 {sum(sc.values())} 节" + (
                f"({'、'.join(subjects)})" if subjects else ""
            )
        school_lines.append(line)
    # One phone screen: the totals first; the schools paged when they do not fit.
    room = SCREEN_LINES - len(lines) - 2
    try:
        page = page_of(school_lines, scope.page, max(3, room))
    except ValueError as e:
        raise UserError(f"{e}。{usage}") from None
    lines.append("各校:")
    lines += page.lines
    hint = next_page_hint("统计", args, page)
    if hint:
        lines.append(hint)
    return Reply("\n".join(lines))
