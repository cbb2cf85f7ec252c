"""/交流: the teacher exchanges under way, and which member schools have none yet."""

from __future__ import annotations

from handlers.context import HandlerContext
from handlers.events import Reply
from handlers.periods import school_year_of
from handlers.router import ADMIN, PRINCIPAL, Router
from handlers.scope import parse_scope
from handlers.vocab import EXCHANGE_CN
from storage.record_queries import current_exchanges, receiving_schools

router = Router()
SHOWN = 8  # two lines each


@router.command("交流", aliases=("exchanges", "轮岗"), roles=PRINCIPAL | ADMIN, order=23)
def exchanges(ctx: HandlerContext, args: list[str]) -> Reply:
    """查看正在进行的教师交流,以及本学年还没有接收交流教师的成员校(校长)。
    用法:/交流
    例:/交流
    """
    scope = parse_scope(ctx, args, "用法:/交流")
    today = ctx.today
    rows = current_exchanges(ctx.session, scope.alliance.id, today)
    lines = [f"{scope.info.name} 教师交流(截至 {today.isoformat()})"]
    if rows:
        lines.append(f"正在进行 {len(rows)} 项:")
        for r in rows[:SHOWN]:
            who = "、".join(r.teachers) if r.teachers else "(未写教师)"
            until = r.end_date.isoformat() if r.end_date else "未定"
            kind = EXCHANGE_CN.get(r.exchange_kind or "", "交流")
            lines.append(f"#{r.id} {who} {kind}")
            lines.append(f"  {r.from_school or '?'}→{r.to_school or '?'},至 {until}")
        if len(rows) > SHOWN:  # one phone screen; the rest are in /明细 交流 (paged)
            lines.append(f"……另有 {len(rows) - SHOWN} 项,发 /明细 交流 查看全部")
    else:
        lines.append("目前没有进行中的交流。")
    year = school_year_of(today, ctx.settings.terms)
    got = receiving_schools(ctx.session, scope.alliance.id, year.start, year.end)
    missing = [m for m in scope.info.members if m not in got]
    if missing:
        lines.append(f"{year.label}尚未接收交流教师:{'、'.join(missing)}")
    else:
        lines.append(f"{year.label}各成员校都已接收交流教师。")
    return Reply("\n".join(lines))
