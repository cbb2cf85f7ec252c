"""/明细: the records themselves, newest first, with ids and reporters, six per page (one phone screen)."""

from __future__ import annotations

import re

from handlers.context import HandlerContext
from handlers.events import Reply
from handlers.router import STAFF, Router, UserError
from handlers.scope import parse_scope
from handlers.vocab import MODE_CN, kind_label
from storage.evidence import evidence_files
from storage.models import Record
from storage.record_queries import RecordFilter, count_records, records_page, reporters_by_record

router = Router()
PAGE_SIZE = 6  # up to three lines each: one phone screen with the heading
PAGE_WORD = re.compile(r"第\s*\d+\s*页|\d+\s*页|[pP]\d+|\d{1,3}")


def record_line(rec: Record, reporters: list[str]) -> list[str]:
    when = rec.date.isoformat() if rec.date else "日期未明"
    if rec.intent == "exchange" and rec.end_date:
        when += f"~{rec.end_date.isoformat()}"
    head = f"#{rec.id} {when} {kind_label(rec.intent, rec.kind, rec.exchange_kind)}"
    if rec.status == "planned":
        head += "(计划中)"
    parts = []
    if rec.from_school or rec.to_school:
        parts.append(f"{rec.from_school or '?'}→{rec.to_school or '?'}")
    elif rec.schools:
        parts.append("、".join(rec.schools))
    if rec.teachers:
        parts.append("、".join(rec.teachers))
    what = (rec.subject or "") + (f"《{rec.title}》" if rec.title else "")
    if rec.lessons:
        what += f"{rec.lessons}节"
    if what:
        parts.append(what)
    if rec.participants:
        parts.append(f"{rec.participants}人")
    if rec.mode:
        parts.append(MODE_CN.get(rec.mode, rec.mode))
    lines = [head]
    if parts:
        lines.append("  " + " · ".join(parts))
    if reporters:
        lines.append("  上报:" + "、".join(reporters))
    return lines


@router.command("明细", aliases=("details", "记录"), roles=STAFF, order=22)
def details(ctx: HandlerContext, args: list[str]) -> Reply:
    """查看活动记录明细,最新的在前(教师看本校,校长看本联盟)。
    用法:/明细 [种类] [学校] [期间] [第N页]
    例:/明细 送教 本学期 第2页
    /明细 #12 看一条记录和它的佐证材料份数
    """
    if len(args) == 1 and re.fullmatch(r"#\d{1,9}", args[0].strip()):  # /明细 #12: one record
        return record_detail(ctx, int(args[0].strip()[1:]))
    usage = "用法:/明细 [种类,如 送教] [学校] [期间,如 本月] [第N页]"
    scope = parse_scope(ctx, args, usage, kinds=True, pages=True)
    intent, code = scope.kind if scope.kind is not None else (None, None)
    teacher = ctx.role == "teacher" and scope.school is None
    flt = RecordFilter(
        scope.alliance.id,
        intent,
        code,
        scope.period.start if scope.period else None,
        scope.period.end if scope.period else None,
        scope.school,
        reporter_id=ctx.person.id if teacher and ctx.person else None,
        or_school=scope.own_school if teacher else None,
    )
    s = ctx.session
    total = count_records(s, flt)
    who = scope.school or (scope.own_school if ctx.role == "teacher" else scope.info.name)
    title = f"{who} 活动明细" + (f"({scope.period.label})" if scope.period else "")
    if not total:
        return Reply(f"{title}\n没有符合条件的记录。")
    pages = (total + PAGE_SIZE - 1) // PAGE_SIZE
    if scope.page > pages:
        raise UserError(f"只有 {pages} 页(共 {total} 条)。")
    rows = records_page(s, flt, scope.page, PAGE_SIZE)
    reporters = reporters_by_record(s, [r.id for r in rows])
    lines = [f"{title} 共 {total} 条,第 {scope.page}/{pages} 页"]
    for rec in rows:
        lines += record_line(rec, reporters.get(rec.id, []))
    if scope.page < pages:
        keep = [a for a in args if not PAGE_WORD.fullmatch(a.strip())]
        lines.append(" ".join(["下一页:/明细", *keep, f"第{scope.page + 1}页"]))
    return Reply("\n".join(lines))


def record_detail(ctx: HandlerContext, record_id: int) -> Reply:
    s = ctx.session
    rec = s.get(Record, record_id)
    if (
        rec is None
        or rec.deleted
        or (ctx.alliance is not None and rec.alliance_id != ctx.alliance.id)
    ):
        raise UserError(f"没有找到记录 #{record_id}。")
    lines = record_line(rec, reporters_by_record(s, [rec.id]).get(rec.id, []))
    files = evidence_files(s, rec.id)
    if files:
        names = "、".join(f.filename for f in files[:10]) + ("……" if len(files) > 10 else "")
        lines.append(f"  佐证材料 {len(files)} 份:{names}")
    else:
        lines.append("  佐证材料 0 份(上报后接着发照片或文件即可附上)")
    return Reply("\n".join(lines))
