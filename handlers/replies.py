"""Reply texts for reports: what was understood, what is missing, how to fix it."""
from __future__ import annotations

from typing import Iterable

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


def report_reply(rec: Record, *, merged: bool = False, completed: bool = False,
                 first_reporter: str | None = None, reporters: Iterable[str] = (),
                 notes: Iterable[str] = (), examples: dict[str, str] | None = None) -> str:
    """`examples`: values for the fix-it hint taken from the asker's own alliance (their own
    name, their schools), so that a hint never names someone of another alliance."""
    label = kind_label(rec.intent, rec.kind, rec.exchange_kind)
    status = STATUS_CN.get(rec.status, rec.status)
    if merged:
        head = f"✅ 已并入记录 #{rec.id} {label}({status})"
        by = f"(同一活动已由{first_reporter}上报,合并为一条,不重复计数)" if first_reporter else \
            "(同一活动已有记录,合并为一条,不重复计数)"
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
