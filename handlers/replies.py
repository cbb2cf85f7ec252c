"""Reply texts for reports: what was understood, what is missing, how to fix it."""

from __future__ import annotations

from collections.abc import Iterable

from handlers.vocab import FIELD_CN, MODE_CN, STATUS_CN, kind_label
from storage.models import Record

# The order in which missing fields are asked for, with a hint of what to send.
MISSING_HINTS = {
    "date": "日期 11月20日",
    "schools": "学校 解乡小学",
    "to_school": "接收学校 解乡小学",
    "from_school": "派出学校 福海二小",
    "teachers": "教师 张炜",
    "subject": "学科 数学",
    "participants": "人数 15",
    "lessons": "节数 2",
    "end_date": "结束日期 2027-07-31",
    "kind": "类型 送教下乡",
    "exchange_kind": "交流类型 支教",
}


def describe_record(rec: Record, reporters: Iterable[str] = ()) -> list[str]:
    lines: list[str] = []
    when = rec.date.isoformat() if rec.date else "未写明"
    if rec.intent == "exchange" and rec.end_date:
        when += f" 至 {rec.end_date.isoformat()}"
    lines.append(f"日期:{when}")
    if rec.from_school or rec.to_school:
        lines.append(f"学校:{rec.from_school or '?'} → {rec.to_school or '?'}")
        others = [s for s in rec.schools or [] if s not in (rec.from_school, rec.to_school)]
        if others:
            lines.append(f"另有:{'、'.join(others)}")
    elif rec.schools:
        lines.append(f"学校:{'、'.join(rec.schools)}")
    if rec.teachers:
        lines.append(f"教师:{'、'.join(rec.teachers)}")
    detail = []
    if rec.subject:
        detail.append(rec.subject)
    if rec.title:
        detail.append(f"《{rec.title}》")
    if rec.lessons:
        detail.append(f"{rec.lessons}节")
    if rec.mode:
        detail.append(MODE_CN.get(rec.mode, rec.mode))
    if detail:
        lines.append("内容:" + " ".join(detail))
    if rec.participants:
        lines.append(f"人数:{rec.participants}人")
    reporters = [r for r in reporters if r]
    if len(reporters) > 1:
        lines.append(f"上报人:{'、'.join(reporters)}")
    return lines


def missing_fields(rec: Record) -> list[str]:
    wanted = list(rec.missing or [])
    return [f for f in wanted if getattr(rec, f, None) in (None, [], "")]


def report_reply(
    rec: Record,
    *,
    merged: bool = False,
    completed: bool = False,
    first_reporter: str | None = None,
    reporters: Iterable[str] = (),
    notes: Iterable[str] = (),
    examples: dict[str, str] | None = None,
) -> str:
    """`examples`: values for the fix-it hint taken from the asker's own alliance (their own
    name, their schools), so that a hint never names someone of another alliance."""
    label = kind_label(rec.intent, rec.kind, rec.exchange_kind)
    status = STATUS_CN.get(rec.status, rec.status)
    if merged:
        head = f"✅ 已并入记录 #{rec.id} {label}({status})"
        by = (
            f"(同一活动已由{first_reporter}上报,合并为一条,不重复计数)"
            if first_reporter
            else "(同一活动已有记录,合并为一条,不重复计数)"
        )
        lines = [head, by]
        if completed:
            lines.append("计划中的活动已标记为完成。")
    else:
        lines = [f"✅ 已记录 #{rec.id} {label}({status})"]
    lines += describe_record(rec, reporters)
    lines += [f"提示:{n}" for n in notes]
    missing = missing_fields(rec)
    if missing:
        names = "、".join(FIELD_CN.get(m, m) for m in missing)
        field = missing[0]
        hint = MISSING_HINTS.get(field, f"{FIELD_CN.get(field, field)} 值")
        if examples and field in examples:
            hint = f"{FIELD_CN.get(field, field)} {examples[field]}"
        lines.append(f"还缺:{names}。补充请发 /修改 {rec.id} {hint}")
    lines.append(f"有误请发 /修改 {rec.id} 字段 值;撤销请发 /撤销 {rec.id}")
    return "\n".join(lines)


def record_summary(rec: Record) -> str:
    """One line of a record's details for a list reply: where, who, what (no date)."""
    parts: list[str] = []
    if rec.from_school or rec.to_school:
        parts.append(f"{rec.from_school or '?'} → {rec.to_school or '?'}")
    elif rec.schools:
        parts.append("、".join(rec.schools))
    if rec.teachers:
        parts.append("、".join(rec.teachers))
    detail = [
        x
        for x in (
            rec.subject,
            f"《{rec.title}》" if rec.title else None,
            f"{rec.lessons}节" if rec.lessons else None,
            MODE_CN.get(rec.mode, rec.mode) if rec.mode else None,
            f"{rec.participants}人" if rec.participants else None,
        )
        if x
    ]
    if detail:
        parts.append(" ".join(detail))
    return ";".join(parts)


def report_list_reply(
    results: list, first_reporters: list[str | None], notes: list[tuple[str, ...]]
) -> str:
    """The answer to a message that held several reports: every record with its number,
    what is missing from each, and how to fix or undo one of them."""
    recs = [r.record for r in results]
    new = [r for r in results if not r.merged]
    head = (
        f"✅ 已记录 {len(recs)} 条:"
        if len(new) == len(results)
        else f"✅ 已处理 {len(recs)} 条(新记 {len(new)} 条,并入已有 {len(results) - len(new)} 条):"
    )
    lines = [head + " ".join(f"#{rec.id}" for rec in recs)]
    for result, first, item_notes in zip(results, first_reporters, notes, strict=True):
        rec = result.record
        label = kind_label(rec.intent, rec.kind, rec.exchange_kind)
        status = STATUS_CN.get(rec.status, rec.status)
        when = rec.date.isoformat() if rec.date else "日期未写明"
        if rec.intent == "exchange" and rec.end_date:
            when += f" 至 {rec.end_date.isoformat()}"
        lines.append(f"#{rec.id} {label}({status}){when}")
        summary = record_summary(rec)
        if summary:
            lines.append(f"  {summary}")
        if result.merged:
            lines.append(
                f"  已并入同一活动的记录{'(' + first + '已上报)' if first else ''},不重复计数"
            )
        lines += [f"  提示:{n}" for n in item_notes]
        missing = missing_fields(rec)
        if missing:
            lines.append(f"  还缺:{'、'.join(FIELD_CN.get(m, m) for m in missing)}")
    example = next((r.id for r in recs if missing_fields(r)), recs[-1].id)
    hint = next((MISSING_HINTS.get(missing_fields(r)[0]) for r in recs if missing_fields(r)), None)
    if hint:
        lines.append(f"补充请发 /修改 编号 字段 值,如 /修改 {example} {hint}")
    lines.append(f"有误请发 /修改 编号 字段 值;撤销一条请发 /撤销 编号,如 /撤销 {recs[-1].id}")
    return "\n".join(lines)
