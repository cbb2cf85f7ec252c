"""/明细: the records themselves, newest first, with ids and reporters, ten per page."""
from __future__ import annotations

import re
from collections import defaultdict

from sqlalchemy import exists, func, or_
from sqlmodel import select

from bot.events import Reply
from handlers.commands.progress import parse_scope
from handlers.context import HandlerContext
from handlers.router import STAFF, Router, UserError
from handlers.vocab import MODE_CN, kind_label
from storage.models import Record, RecordReporter, RecordSchool

router = Router()
PAGE_SIZE = 10
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


def reporters_by_record(session, ids: list[int]) -> dict[int, list[str]]:  # noqa: ANN001
    out: dict[int, list[str]] = defaultdict(list)
    if not ids:
        return out
    for rid, name in session.exec(select(RecordReporter.record_id, RecordReporter.reporter_name)
                                  .where(RecordReporter.record_id.in_(ids))
                                  .order_by(RecordReporter.id)).all():
        if name and name not in out[rid]:
            out[rid].append(name)
    return out


@router.command("明细", aliases=("details", "记录"), roles=STAFF, order=22)
def details(ctx: HandlerContext, args: list[str]) -> Reply:
    """查看活动记录明细,最新的在前(教师看本校,校长看本联盟)。
    用法:/明细 [种类] [学校] [期间] [第N页]
    例:/明细 送教 本学期 第2页
    /明细 #12 看一条记录和它的佐证材料份数
    """
    if len(args) == 1 and re.fullmatch(r"#\d{1,9}", args[0].strip()):  # /明细 #12: one record
        from handlers.commands.record_detail import record_detail

        return record_detail(ctx, int(args[0].strip()[1:]))
    usage = "用法:/明细 [种类,如 送教] [学校] [期间,如 本月] [第N页]"
    scope = parse_scope(ctx, args, usage, kinds=True, pages=True)
    conds = [Record.alliance_id == scope.alliance.id, Record.deleted == False]  # noqa: E712
    if scope.kind is not None:
        intent, code = scope.kind
        conds.append(Record.intent == intent)
        if code is not None:
            conds.append(Record.kind == code if intent == "activity" else Record.exchange_kind == code)
    if scope.period is not None:
        conds += [Record.date >= scope.period.start, Record.date <= scope.period.end]

    def involves(name: str):  # noqa: ANN202
        return exists().where(RecordSchool.record_id == Record.id, RecordSchool.school_name == name)

    if scope.school is not None:
        conds.append(involves(scope.school))
    elif ctx.role == "teacher":
        mine = exists().where(RecordReporter.record_id == Record.id,
                              RecordReporter.person_id == ctx.person.id)
        conds.append(or_(involves(scope.own_school), mine) if scope.own_school else mine)

    s = ctx.session
    total = s.exec(select(func.count(Record.id)).where(*conds)).one()
    who = scope.school or (scope.own_school if ctx.role == "teacher" else scope.info.name)
    title = f"{who} 活动明细" + (f"({scope.period.label})" if scope.period else "")
    if not total:
        return Reply(f"{title}\n没有符合条件的记录。")
    pages = (total + PAGE_SIZE - 1) // PAGE_SIZE
    if scope.page > pages:
        raise UserError(f"只有 {pages} 页(共 {total} 条)。")
    rows = s.exec(select(Record).where(*conds)
                  .order_by(Record.date.desc().nulls_last(), Record.id.desc())
                  .offset((scope.page - 1) * PAGE_SIZE).limit(PAGE_SIZE)).all()
    reporters = reporters_by_record(s, [r.id for r in rows])
    lines = [f"{title} 共 {total} 条,第 {scope.page}/{pages} 页"]
    for rec in rows:
        lines += record_line(rec, reporters.get(rec.id, []))
    if scope.page < pages:
        keep = [a for a in args if not PAGE_WORD.fullmatch(a.strip())]
        lines.append(" ".join(["下一页:/明细", *keep, f"第{scope.page + 1}页"]))
    return Reply("\n".join(lines))
