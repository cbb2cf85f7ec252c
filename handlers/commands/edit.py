"""/撤销, /修改, /完成: the reporter fixes their own records; a principal, the alliance's."""
from __future__ import annotations

import datetime as dt
import re

from sqlmodel import select

from handlers.events import Reply
from handlers.context import HandlerContext
from handlers.records import audit, reporters_of, set_field, undo
from handlers.replies import describe_record
from handlers.router import STAFF, Router, UserError
from handlers.vocab import EXCHANGE_CN, FIELD_CN, FIELD_LOOKUP, KIND_CN, MODE_CN, MODES, STATUS_CN, \
    STATUSES, SUBJECT_NAMES, kind_label, reverse
from storage.models import AllianceMember, Record, School

router = Router()


def load_own_record(ctx: HandlerContext, raw_id: str, usage: str) -> Record:
    """A record the asker may change: their own report, or any in a principal's alliance."""
    m = re.fullmatch(r"#?(\d+)", raw_id.strip())
    if not m:
        raise UserError(f"记录编号应是数字。{usage}")
    rec = ctx.session.get(Record, int(m.group(1)))
    if rec is None or rec.deleted:
        raise UserError(f"没有找到记录 #{m.group(1)}(可能已撤销)。")
    if ctx.role == "admin":
        return rec
    mine = {r.person_id for r in reporters_of(ctx.session, rec.id)}
    if ctx.person.id in mine:
        return rec
    if ctx.role == "principal":
        alliances = set(ctx.session.exec(select(AllianceMember.alliance_id).where(
            AllianceMember.school_id == ctx.person.school_id)).all())
        if rec.alliance_id in alliances:
            return rec
    raise UserError(f"记录 #{rec.id} 不是你上报的;只有上报人或本联盟校长可以修改。")


@router.command("撤销", aliases=("undo", "删除记录"), roles=STAFF, order=60)
def undo_command(ctx: HandlerContext, args: list[str]) -> Reply:
    """撤销一条记录(上报人或本联盟校长)。
    用法:/撤销 记录编号
    例:/撤销 12
    """
    usage = "用法:/撤销 记录编号"
    if len(args) != 1:
        raise UserError(usage)
    rec = load_own_record(ctx, args[0], usage)
    undo(ctx.session, rec, actor=ctx.person.id, message_id=ctx.inbound.id if ctx.inbound else None)
    ctx.reminders.activity_changed(rec.id)
    label = kind_label(rec.intent, rec.kind, rec.exchange_kind)
    return Reply(f"已撤销记录 #{rec.id}({label} {rec.date or ''}),不再计入统计。")


def _parse_date(value: str, today: dt.date) -> dt.date:
    """One whole date phrase, read by the same resolver as reports (11月20日, 11.20, 上周三…)."""
    from handlers.reports.dates import find_dates
    from handlers.reports.normalize import normalize

    text = normalize(value).strip()
    hits = find_dates(text, today)
    if len(hits) == 1 and hits[0].day is not None and (hits[0].start, hits[0].end) == (0, len(text)):
        return hits[0].day
    raise ValueError(value)


def _school_name(ctx: HandlerContext, value: str) -> str:
    for s in ctx.session.exec(select(School)).all():
        if value == s.name or value in (s.aliases or []):
            return s.name
    return value


def convert_value(ctx: HandlerContext, field: str, value: str):  # noqa: ANN201
    """A /修改 value in Chinese → the stored value, or UserError with what is allowed."""
    if value in ("无", "空", "-", "清空"):
        return [] if field in ("schools", "teachers") else None
    if field in ("date", "end_date"):
        try:
            return _parse_date(value, ctx.today)
        except ValueError:
            raise UserError(f"“{value}”不是有效日期,请写成 2026-11-20、11月20日 或 上周三。") from None
    if field in ("participants", "lessons"):
        m = re.fullmatch(r"(\d+)\s*[人节堂个位名]?", value)
        if not m:
            raise UserError(f"“{value}”不是数字。")
        return int(m.group(1))
    if field == "kind":
        codes = reverse(KIND_CN) | {k: k for k in KIND_CN}
        if value not in codes:
            raise UserError(f"类型可选:{'、'.join(KIND_CN.values())}")
        return codes[value]
    if field == "exchange_kind":
        codes = reverse(EXCHANGE_CN) | {k: k for k in EXCHANGE_CN}
        if value not in codes:
            raise UserError(f"交流类型可选:{'、'.join(EXCHANGE_CN.values())}")
        return codes[value]
    if field == "mode":
        codes = reverse(MODE_CN) | {m.code: m.code for m in MODES} | {
            w: m.code for m in MODES for w in m.edit_words}
        if value not in codes:
            raise UserError("方式可选:线上、线下、无")
        return codes[value]
    if field == "status":
        codes = reverse(STATUS_CN) | {w: st.code for st in STATUSES for w in st.words} | {
            st.code: st.code for st in STATUSES}
        if value not in codes:
            raise UserError("状态可选:已完成、计划中")
        return codes[value]
    if field == "subject":
        if value not in SUBJECT_NAMES:
            raise UserError(f"学科可选:{'、'.join(SUBJECT_NAMES)}")
        return value
    if field in ("schools", "teachers"):
        items = [x for x in re.split(r"[、,,;;\s]+", value) if x]
        return [_school_name(ctx, x) for x in items] if field == "schools" else items
    if field in ("from_school", "to_school"):
        return _school_name(ctx, value)
    return value.strip("《》")


@router.command("修改", aliases=("edit", "改"), roles=STAFF, order=61)
def edit_command(ctx: HandlerContext, args: list[str]) -> Reply:
    """修改记录的某一项(上报人或本联盟校长)。
    用法:/修改 记录编号 字段 新值(字段:日期 类型 学校 派出学校 接收学校 教师 学科 课题 人数 方式 节数 状态 结束日期)
    例:/修改 12 人数 15
    """
    usage = ("用法:/修改 记录编号 字段 新值,例如 /修改 12 人数 15。可改字段:"
             + "、".join(FIELD_CN.values()))
    if len(args) < 3:
        raise UserError(usage)
    rec = load_own_record(ctx, args[0], usage)
    field = FIELD_LOOKUP.get(args[1])
    if field is None:
        raise UserError(f"不认识字段“{args[1]}”。{usage}")
    value = convert_value(ctx, field, " ".join(args[2:]))
    old = getattr(rec, field)
    set_field(ctx.session, rec, field, value, actor=ctx.person.id,
              message_id=ctx.inbound.id if ctx.inbound else None)
    if field in ("date", "status"):
        ctx.reminders.activity_changed(rec.id)

    def show(v):  # noqa: ANN001, ANN202
        if v in (None, []):
            return "空"
        if isinstance(v, list):
            return "、".join(v)
        return {**KIND_CN, **EXCHANGE_CN, **MODE_CN, **STATUS_CN}.get(str(v), str(v))

    lines = [f"已修改记录 #{rec.id}:{FIELD_CN[field]} {show(old)} → {show(value)}"]
    lines += describe_record(rec)
    return Reply("\n".join(lines))


@router.command("完成", aliases=("done",), roles=STAFF, order=62)
def complete_command(ctx: HandlerContext, args: list[str]) -> Reply:
    """把计划中的活动标记为已完成,可顺便补充人数、节数。
    用法:/完成 记录编号 [听课15人] [2节]
    例:/完成 12 听课15人
    """
    usage = "用法:/完成 记录编号 [听课15人] [2节]"
    if not args:
        raise UserError(usage)
    rec = load_own_record(ctx, args[0], usage)
    msg_id = ctx.inbound.id if ctx.inbound else None
    if rec.status == "done":
        raise UserError(f"记录 #{rec.id} 已经是“已完成”。")
    set_field(ctx.session, rec, "status", "done", actor=ctx.person.id, message_id=msg_id)
    extra = " ".join(args[1:])
    m = re.search(r"(\d+)\s*(?:人|位|名)", extra)
    if m:
        set_field(ctx.session, rec, "participants", int(m.group(1)), actor=ctx.person.id,
                  message_id=msg_id)
    m = re.search(r"(\d+)\s*[节堂]", extra)
    if m:
        set_field(ctx.session, rec, "lessons", int(m.group(1)), actor=ctx.person.id,
                  message_id=msg_id)
    audit(ctx.session, rec.id, "complete", actor=ctx.person.id, message_id=msg_id)
    ctx.reminders.activity_changed(rec.id)
    lines = [f"已标记完成 #{rec.id} {kind_label(rec.intent, rec.kind, rec.exchange_kind)}"]
    lines += describe_record(rec)
    return Reply("\n".join(lines))
