"""Compact notation for writing gold labels by hand (see ../README.md).

Every label in labels/*.py is written by a person reading shared/spec/report-schema.md; nothing
here parses a message. These helpers only expand short school codes, fill the fields a
report does not mention with null, and give month-day dates their year.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

SCHOOLS = {
    "FH2": "福海县第二小学",
    "QG": "齐干吉迭乡小学",
    "JX": "解乡小学",
    "YNC": "一农场小学",
    "SX": "漳平市实验小学",
    "CG": "城关小学",
    "CB": "城北小学",
    "XM": "新民小学",
    "GL": "桂林中心学校",
    "XN": "溪南中心学校",
    "HP": "和平中心学校",
    "XQ": "新桥中心学校",
    "JB": "庆元县江滨小学",
    "YS": "淤上乡小学",
    "HT": "黄田镇中心学校",
}

FIELDS = [
    "intent",
    "kind",
    "status",
    "date",
    "end_date",
    "schools",
    "from_school",
    "to_school",
    "teachers",
    "subject",
    "title",
    "participants",
    "mode",
    "lessons",
    "exchange_kind",
]


def _school(code: str | None) -> str | None:
    if code is None:
        return None
    return SCHOOLS.get(code, code)


def _schools(spec: str) -> list[str]:
    return sorted({SCHOOLS.get(s, s) for s in spec.split()}) if spec else []


def _people(spec: str) -> list[str]:
    return spec.split() if spec else []


def empty(intent: str) -> dict:
    rec: dict[str, Any] = {f: None for f in FIELDS}
    rec.update(intent=intent, schools=[], teachers=[])
    return rec


def A(
    kind: str,
    status: str = "done",
    date: str | None = None,
    schools: str = "",
    frm: str | None = None,
    to: str | None = None,
    teachers: str = "",
    subject: str | None = None,
    title: str | None = None,
    participants: int | None = None,
    mode: str | None = None,
    lessons: int | None = None,
) -> dict:
    """An activity. `date` is 'MM-DD' (year from sent_at) or 'YYYY-MM-DD'."""
    if kind == "sync_class" and mode is None:
        mode = "online"
    rec = empty("activity")
    rec.update(
        kind=kind,
        status=status,
        date=date,
        schools=_schools(schools),
        from_school=_school(frm),
        to_school=_school(to),
        teachers=_people(teachers),
        subject=subject,
        title=title,
        participants=participants,
        mode=mode,
        lessons=lessons,
    )
    return rec


def X(
    ekind: str,
    status: str = "done",
    date: str | None = None,
    end: str | None = None,
    schools: str = "",
    frm: str | None = None,
    to: str | None = None,
    teachers: str = "",
    subject: str | None = None,
    participants: int | None = None,
) -> dict:
    """An exchange (rotation, support_teaching, shadowing, secondment)."""
    rec = empty("exchange")
    rec.update(
        exchange_kind=ekind,
        status=status,
        date=date,
        end_date=end,
        schools=_schools(schools),
        from_school=_school(frm),
        to_school=_school(to),
        teachers=_people(teachers),
        subject=subject,
        participants=participants,
    )
    return rec


def C() -> dict:
    return empty("chat")


def K() -> dict:
    return empty("command")


def Multi(*records: dict) -> dict:
    assert len(records) >= 2
    top = dict(records[0])
    top["records"] = [dict(r) for r in records]
    return top


def M(
    sender: str,
    sent: str,
    text: str,
    expect: dict,
    *,
    quoted: str | None = None,
    source: str = "written",
) -> dict:
    """One message. `sent` is 'YYYY-MM-DD HH:MM' or 'MM-DD HH:MM' (Aug–Dec → 2026, else 2027)."""
    return {
        "sender": sender,
        "sent": sent,
        "text": text,
        "expect": expect,
        "quoted": quoted,
        "source": source,
        "adapted": False,
    }


def MA(sender: str, sent: str, text: str, expect: dict, *, source: str) -> dict:
    """A news sentence adapted to roster schools and people (marked `"adapted": true`)."""
    msg = M(sender, sent, text, expect, source=source)
    msg["adapted"] = True
    return msg


# ---- expansion -------------------------------------------------------------------------


def sent_datetime(sent: str) -> dt.datetime:
    day, hm = sent.split()
    if len(day) == 5:
        month = int(day[:2])
        day = f"{2026 if month >= 8 else 2027}-{day}"
    return dt.datetime.fromisoformat(f"{day}T{hm}:00+08:00")


def _full_date(value: str | None, anchor: dt.date, not_before: dt.date | None = None) -> str | None:
    if value is None or len(value) == 10:
        return value
    month, day = int(value[:2]), int(value[3:])
    cands = [dt.date(y, month, day) for y in (anchor.year - 1, anchor.year, anchor.year + 1)]
    if not_before is not None:
        return min(c for c in cands if c >= not_before).isoformat()
    return min(cands, key=lambda c: abs((c - anchor).days)).isoformat()


def _expand_record(rec: dict, anchor: dt.date) -> dict:
    out = dict(rec)
    out["date"] = _full_date(rec["date"], anchor)
    start = dt.date.fromisoformat(out["date"]) if out["date"] else anchor
    out["end_date"] = _full_date(rec["end_date"], anchor, not_before=start)
    return out


def expand(msg: dict, mid: str, group: str) -> dict:
    sent = sent_datetime(msg["sent"])
    anchor = sent.date()
    exp = _expand_record({k: v for k, v in msg["expect"].items() if k != "records"}, anchor)
    if "records" in msg["expect"]:
        exp["records"] = [_expand_record(r, anchor) for r in msg["expect"]["records"]]
        exp.update({k: v for k, v in exp["records"][0].items()})
    line = {"id": mid, "text": msg["text"], "sent_at": sent.isoformat(), "sender": msg["sender"]}
    if msg["quoted"] is not None:
        line["quoted"] = msg["quoted"]
    line["expect"] = exp
    line["source"] = msg["source"]
    if msg["adapted"]:
        line["adapted"] = True
    line["group"] = group
    return line
