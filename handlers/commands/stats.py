"""/统计: activity counts by kind and school, online/offline, sync-class lessons and subjects."""
from __future__ import annotations

from collections import defaultdict

from sqlalchemy import func
from sqlmodel import select

from bot.events import Reply
from handlers.commands.progress import parse_scope
from handlers.context import HandlerContext
from handlers.periods import term_of
from handlers.router import ADMIN, PRINCIPAL, Router
from handlers.vocab import KIND_CN
from storage.models import Record, RecordSchool

router = Router()


def _base(alliance_id: int, period):  # noqa: ANN001, ANN202
    return (Record.alliance_id == alliance_id, Record.deleted == False,  # noqa: E712
            Record.intent == "activity", Record.status == "done",
            Record.date >= period.start, Record.date <= period.end)


@router.command("统计", aliases=("stats",), roles=PRINCIPAL | ADMIN, order=21)
def stats(ctx: HandlerContext, args: list[str]) -> Reply:
    """按活动种类和学校统计已完成的活动(校长、管理员)。
    用法:/统计 [期间] [学校](管理员:/统计 全县)
    例:/统计 本学期
    """
    usage = "用法:/统计 [期间,如 本学期、上月、2026] [学校]"
    if "全县" in args:
        from handlers.commands.overview import county_stats

        return county_stats(ctx, args)
    scope = parse_scope(ctx, args, usage)
    period = scope.period or term_of(ctx.today, ctx.settings.terms)
    s = ctx.session
    base = _base(scope.alliance.id, period)
    schools = [scope.school] if scope.school else [x for x in (scope.info.core, *scope.info.members)
                                                   if x]

    # Totals by kind and mode (the alliance, or records involving the one school).
    q = select(Record.kind, Record.mode, func.count(func.distinct(Record.id))).where(*base)
    if scope.school:
        q = q.join(RecordSchool, RecordSchool.record_id == Record.id).where(
            RecordSchool.school_name == scope.school)
    by_kind: dict[str, dict[str | None, int]] = defaultdict(dict)
    for kind, mode, n in s.exec(q.group_by(Record.kind, Record.mode)).all():
        by_kind[kind][mode] = n

    # Per school × kind.
    q2 = (select(RecordSchool.school_name, Record.kind, func.count(func.distinct(Record.id)))
          .join(RecordSchool, RecordSchool.record_id == Record.id)
          .where(*base, RecordSchool.school_name.in_(schools))
          .group_by(RecordSchool.school_name, Record.kind))
    per_school: dict[str, dict[str, int]] = defaultdict(dict)
    for name, kind, n in s.exec(q2).all():
        per_school[name][kind] = n

    # Sync classes: lessons and subjects per school.
    q3 = (select(RecordSchool.school_name, Record.subject, func.coalesce(func.sum(Record.lessons), 0),
                 func.count(func.distinct(Record.id)))
          .join(RecordSchool, RecordSchool.record_id == Record.id)
          .where(*base, Record.kind == "sync_class", RecordSchool.school_name.in_(schools))
          .group_by(RecordSchool.school_name, Record.subject))
    sync: dict[str, dict[str | None, int]] = defaultdict(dict)
    for name, subject, lessons, _n in s.exec(q3).all():
        sync[name][subject] = int(lessons or 0)

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
        split = f"(线上 {modes.get('online', 0)}、线下 {modes.get('offline', 0)}" + \
            (f"、未注明 {modes[None]}" if modes.get(None) else "") + ")"
        lines.append(f"· {cn} {n} 次{split}")
    lines.append("各校:")
    for name in schools:
        kinds = per_school.get(name, {})
        parts = [f"{KIND_CN.get(k, k)}{n}" for k, n in sorted(
            kinds.items(), key=lambda kv: list(KIND_CN).index(kv[0]) if kv[0] in KIND_CN else 99)]
        lines.append(f"【{name}】" + ("、".join(parts) if parts else "无"))
        sc = sync.get(name)
        if sc:
            subjects = [x for x in sc if x]
            lines.append(f"  同步课堂 {sum(sc.values())} 节,学科 {len(subjects)} 个"
                         + (f":{'、'.join(sorted(subjects))}" if subjects else ""))
    return Reply("\n".join(lines))
