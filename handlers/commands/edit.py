"""/撤销, /修改, /完成: the reporter fixes their own records; a principal, the alliance's."""

from __future__ import annotations

import datetime as dt
import re

from sqlmodel import select

from handlers.context import HandlerContext
from handlers.events import Reply
from handlers.records import audit, reporters_of, set_field, undo
from handlers.replies import describe_record
from handlers.router import STAFF, Router, UserError
from handlers.vocab import (
    EXCHANGE_CN,
    FIELD_CN,
    FIELD_LOOKUP,
    KIND_CN,
    MODE_CN,
    MODES,
    STATUS_CN,
    STATUSES,
    SUBJECT_NAMES,
    kind_label,
    reverse,
)
from storage.models import AllianceMember, Record, School

router = Router()


def record_right(ctx: HandlerContext, rec: Record) -> str | None:
    """What the asker is to `rec`: "admin", "principal" (of its alliance), "owner" (made it),
    "joiner" (re-sent the same event: a reporter, not an owner), or None."""
    if ctx.role == "admin":
        return "admin"
    me = ctx.me  # the /撤销, /修改, /完成 commands are for bound staff only
    if ctx.role == "principal":
        alliances = set(
            ctx.session.exec(
                select(AllianceMember.alliance_id).where(AllianceMember.school_id == me.school_id)
            ).all()
        )
        if rec.alliance_id in alliances:
            return "principal"
    reporters = reporters_of(ctx.session, rec.id)
    if reporters and reporters[0].person_id == me.id:
        return "owner"
    if any(r.person_id == me.id for r in reporters):
        return "joiner"
    return None


def load_record(ctx: HandlerContext, raw_id: str, usage: str) -> tuple[Record, str | None]:
    m = re.fullmatch(r"#?(\d+)", raw_id.strip())
    if not m:
        raise UserError(f"记录编号应是数字。{usage}")
    rec = ctx.session.get(Record, int(m.group(1)))
    if rec is None or rec.deleted:
        raise UserError(f"没有找到记录 #{m.group(1)}(可能已撤销)。")
    return rec, record_right(ctx, rec)


def load_own_record(ctx: HandlerContext, raw_id: str, usage: str) -> Record:
    """A record the asker may change: one they made, or any in a principal's alliance. Who
    only joined a record (sent the same event again) may not change it."""
    rec, right = load_record(ctx, raw_id, usage)
    if right in ("admin", "principal", "owner"):
        return rec
    if right == "joiner":
        first = reporters_of(ctx.session, rec.id)[0].reporter_name or "最早的上报人"
        raise UserError(
            f"记录 #{rec.id} 由{first}最先上报,你是共同上报人;只有{first}或本联盟校长"
            f"可以修改。撤销你自己的上报请发 /撤销 {rec.id}"
        )
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
    rec, right = load_record(ctx, args[0], usage)
    if right == "joiner":
        return _withdraw_report(ctx, rec)
    rec = load_own_record(ctx, args[0], usage)
    undo(ctx.session, rec, actor=ctx.me.id, message_id=ctx.inbound.id if ctx.inbound else None)
    ctx.reminders.activity_changed(rec.id)
    label = kind_label(rec.intent, rec.kind, rec.exchange_kind)
    return Reply(f"已撤销记录 #{rec.id}({label} {rec.date or ''}),不再计入统计。")


def _withdraw_report(ctx: HandlerContext, rec: Record) -> Reply:
    """A joiner's /撤销: their own report leaves the record; the record stays for the others."""
    s = ctx.session
    me = ctx.me
    mine = [r for r in reporters_of(s, rec.id) if r.person_id == me.id]
    for r in mine:
        s.delete(r)
    audit(
        s,
        rec.id,
        "unjoin",
        actor=me.id,
        old=me.name,
        message_id=ctx.inbound.id if ctx.inbound else None,
    )
    s.flush()
    others = "、".join(r.reporter_name or "?" for r in reporters_of(s, rec.id))
    return Reply(f"已撤销你的上报。记录 #{rec.id} 仍由{others}上报,继续计入统计。")


def _parse_date(value: str, today: dt.date) -> dt.date:
    """One whole date phrase, read by the same resolver as reports (11月20日, 11.20, 上周三…)."""
    from handlers.reports.dates import find_dates
    from handlers.reports.normalize import normalize

    text = normalize(value).strip()
    hits = find_dates(text, today)
    if (
        len(hits) == 1
        and hits[0].day is not None
        and (hits[0].start, hits[0].end) == (0, len(text))
    ):
        return hits[0].day
    raise ValueError(value)


def _school_name(ctx: HandlerContext, value: str) -> str:
    for s in ctx.session.exec(select(School)).all():
        if value == s.name or value in (s.aliases or []):
            return s.name
    return value


def convert_value(ctx: HandlerContext, field: str, value: str):
    """A /修改 value in Chinese → the stored value, or UserError with what is allowed."""
    if value in ("无", "空", "-", "清空"):
        return [] if field in ("schools", "teachers") else None
    if field in ("date", "end_date"):
        try:
            return _parse_date(value, ctx.today)
        except ValueError:
            raise UserError(
                f"“{value}”不是有效日期,请写成 2026-11-20、11月20日 或 上周三。"
            ) from None
    if field in ("participants", "lessons"):
        from handlers.forgiving import number_value

        n = number_value(value)  # 22, 22人, 两节, 十五人
        if n is None:
            raise UserError(f"“{value}”不是数字,请写成 15 或 十五。")
        return n
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
        codes = (
            reverse(MODE_CN)
            | {m.code: m.code for m in MODES}
            | {w: m.code for m in MODES for w in m.edit_words}
        )
        if value not in codes:
            raise UserError("方式可选:线上、线下、无")
        return codes[value]
    if field == "status":
        codes = (
            reverse(STATUS_CN)
            | {w: st.code for st in STATUSES for w in st.words}
            | {st.code: st.code for st in STATUSES}
        )
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
    usage = "用法:/修改 记录编号 字段 新值,例如 /修改 12 人数 15。可改字段:" + "、".join(
        FIELD_CN.values()
    )
    if len(args) < 3:
        raise UserError(usage)
    rec = load_own_record(ctx, args[0], usage)
    field = FIELD_LOOKUP.get(args[1])
    if field is None:
        raise UserError(f"不认识字段“{args[1]}”。{usage}")
    value = convert_value(ctx, field, " ".join(args[2:]))
    old = getattr(rec, field)
    set_field(
        ctx.session,
        rec,
        field,
        value,
        actor=ctx.me.id,
        message_id=ctx.inbound.id if ctx.inbound else None,
    )
    if field in ("date", "status"):
        ctx.reminders.activity_changed(rec.id)

    def show(v):
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
    set_field(ctx.session, rec, "status", "done", actor=ctx.me.id, message_id=msg_id)
    extra = " ".join(args[1:])
    from handlers.text.numerals import cn_to_int

    num = r"(\d+|[零〇一二两三四五六七八九十百千]{1,6})"
    m = re.search(num + r"\s*(?:人|位|名)", extra)
    if m and cn_to_int(m.group(1)):
        set_field(
            ctx.session,
            rec,
            "participants",
            cn_to_int(m.group(1)),
            actor=ctx.me.id,
            message_id=msg_id,
        )
    m = re.search(num + r"\s*[节堂]", extra)
    if m and cn_to_int(m.group(1)):
        set_field(
            ctx.session, rec, "lessons", cn_to_int(m.group(1)), actor=ctx.me.id, message_id=msg_id
        )
    audit(ctx.session, rec.id, "complete", actor=ctx.me.id, message_id=msg_id)
    ctx.reminders.activity_changed(rec.id)
    lines = [f"已标记完成 #{rec.id} {kind_label(rec.intent, rec.kind, rec.exchange_kind)}"]
    lines += describe_record(rec)
    return Reply("\n".join(lines))
