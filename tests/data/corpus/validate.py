#!/usr/bin/env python3
"""Check that gold files follow shared/spec/report-schema.md in form.

    python tests/data/corpus/validate.py [FILE.jsonl ...] [--roster ROSTER.toml]

With no files it checks train.jsonl and heldout.jsonl next to this script. Checks: every
line parses; input fields present and typed; every output field present with the right
type; codes from the spec only; chat/command carry nothing; exchanges carry no mode,
lessons or title; sync classes are online; from/to only for lesson deliveries and
exchanges and always among `schools`; roster schools in canonical form; the sender is in
the roster; `records` has two or more full items and the top level repeats the first;
dates are real days and agree with status and sent_at (done is not after the sent day,
planned is not before it); end_date only for exchanges and not before date; ids unique.
Prints one line per problem and exits 1 if there is any.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import tomllib
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_ROSTER = Path("/work/shared/eval/roster.toml")

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
INTENTS = {"activity", "exchange", "command", "chat"}
KINDS = {
    "lesson_delivery",
    "sync_class",
    "joint_research",
    "demo_lesson",
    "lecture_training",
    "meeting",
    "student_activity",
    "competition",
    "inspection",
    "resource_support",
    "open_day",
}
EXCHANGE_KINDS = {"rotation", "support_teaching", "shadowing", "secondment"}
SUBJECTS = {
    "语文",
    "数学",
    "英语",
    "科学",
    "道德与法治",
    "音乐",
    "美术",
    "体育",
    "信息技术",
    "劳动",
    "综合实践",
    "心理健康",
    "书法",
    "物理",
    "化学",
    "生物",
    "历史",
    "地理",
    "政治",
}
DIRECTED = {"lesson_delivery"}
INPUT_KEYS = {"id", "text", "sent_at", "sender", "expect"}
OPTIONAL_KEYS = {"quoted", "source", "group"}
FLAG_KEYS = {"adapted"}
NAME_SUFFIXES = ("老师", "校长", "主任", "教师")


def load_roster(path: Path) -> tuple[set[str], dict[str, str], set[str]]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    canonical = {s["name"] for s in data.get("schools", [])}
    alias = {a: s["name"] for s in data.get("schools", []) for a in s.get("aliases", [])}
    people = {p["name"] for p in data.get("people", [])}
    return canonical, alias, people


def _date(value, where: str, problems: list[str]) -> dt.date | None:
    if value is None:
        return None
    if not isinstance(value, str) or len(value) != 10:
        problems.append(f"{where}: date {value!r} is not YYYY-MM-DD")
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        problems.append(f"{where}: date {value!r} is not a real day")
        return None


def check_record(rec: dict, where: str, sent_day: dt.date, roster, problems: list[str]) -> None:
    canonical, alias, _people = roster
    for f in FIELDS:
        if f not in rec:
            problems.append(f"{where}: field {f} missing")
    if any(f not in rec for f in FIELDS):
        return
    intent = rec["intent"]
    if intent not in INTENTS:
        problems.append(f"{where}: intent {intent!r} not in spec")
        return
    if intent in ("chat", "command"):
        for f in FIELDS[1:]:
            if rec[f] not in (None, []):
                problems.append(f"{where}: {intent} must carry nothing, {f}={rec[f]!r}")
        return
    # reports
    if rec["status"] not in ("done", "planned"):
        problems.append(f"{where}: status {rec['status']!r}")
    for f in ("schools", "teachers"):
        v = rec[f]
        if not isinstance(v, list) or not all(isinstance(x, str) and x for x in v):
            problems.append(f"{where}: {f} must be a list of names")
        elif len(set(v)) != len(v):
            problems.append(f"{where}: {f} has duplicates {v}")
    for s in rec["schools"]:
        if s in alias and s not in canonical:
            problems.append(f"{where}: school {s!r} is an alias of {alias[s]!r}")
    for t in rec["teachers"]:
        if t.endswith(NAME_SUFFIXES):
            problems.append(f"{where}: teacher {t!r} keeps a title")
    for f in ("participants", "lessons"):
        v = rec[f]
        if v is not None and (not isinstance(v, int) or isinstance(v, bool) or v <= 0):
            problems.append(f"{where}: {f}={v!r} must be a positive integer or null")
    if rec["subject"] is not None and rec["subject"] not in SUBJECTS:
        problems.append(f"{where}: subject {rec['subject']!r} not in spec")
    if rec["title"] is not None and (
        not isinstance(rec["title"], str)
        or "《" in rec["title"]
        or "》" in rec["title"]
        or not rec["title"]
    ):
        problems.append(f"{where}: title {rec['title']!r}")
    if rec["mode"] not in (None, "online", "offline"):
        problems.append(f"{where}: mode {rec['mode']!r}")
    date = _date(rec["date"], where, problems)
    end = _date(rec["end_date"], where, problems)
    directed = intent == "exchange" or rec["kind"] in DIRECTED
    for f in ("from_school", "to_school"):
        v = rec[f]
        if v is None:
            continue
        if not directed:
            problems.append(f"{where}: {f} set for {rec['kind']}")
        elif v not in rec["schools"]:
            problems.append(f"{where}: {f} {v!r} not among schools")
    if rec["from_school"] is not None and rec["from_school"] == rec["to_school"]:
        problems.append(f"{where}: from_school equals to_school")
    if intent == "activity":
        if rec["kind"] not in KINDS:
            problems.append(f"{where}: kind {rec['kind']!r} not in spec")
        if rec["exchange_kind"] is not None:
            problems.append(f"{where}: activity with exchange_kind")
        if rec["end_date"] is not None:
            problems.append(f"{where}: activity with end_date")
        if rec["kind"] == "sync_class" and rec["mode"] != "online":
            problems.append(f"{where}: sync_class must be online")
    else:  # exchange
        if rec["exchange_kind"] not in EXCHANGE_KINDS:
            problems.append(f"{where}: exchange_kind {rec['exchange_kind']!r} not in spec")
        for f in ("kind", "mode", "lessons", "title"):
            if rec[f] is not None:
                problems.append(f"{where}: exchange with {f}={rec[f]!r}")
        if end is not None and date is None:
            problems.append(f"{where}: end_date without date")
        if end is not None and date is not None and end < date:
            problems.append(f"{where}: end_date {end} before date {date}")
    if date is not None:
        if rec["status"] == "done" and date > sent_day:
            problems.append(f"{where}: done but date {date} is after sent day {sent_day}")
        if rec["status"] == "planned" and date < sent_day:
            problems.append(f"{where}: planned but date {date} is before sent day {sent_day}")
        if intent == "exchange" and rec["status"] == "planned" and date <= sent_day:
            problems.append(f"{where}: an exchange starting by the sent day is done")
        if abs((date - sent_day).days) > 400:
            problems.append(f"{where}: date {date} far from sent day {sent_day}")


def check_line(obj, where: str, roster, problems: list[str]) -> None:
    if not isinstance(obj, dict):
        problems.append(f"{where}: not an object")
        return
    missing = INPUT_KEYS - obj.keys()
    if missing:
        problems.append(f"{where}: missing {sorted(missing)}")
        return
    extra = obj.keys() - INPUT_KEYS - OPTIONAL_KEYS - FLAG_KEYS
    if extra:
        problems.append(f"{where}: unknown keys {sorted(extra)}")
    for k in ("id", "text", "sent_at", "sender"):
        if not isinstance(obj[k], str) or not obj[k]:
            problems.append(f"{where}: {k} must be a non-empty string")
            return
    for k in OPTIONAL_KEYS & obj.keys():
        if not isinstance(obj[k], str) or not obj[k]:
            problems.append(f"{where}: {k} must be a non-empty string")
    for k in FLAG_KEYS & obj.keys():
        if obj[k] is not True:
            problems.append(f"{where}: {k} is written only as true")
    if obj["sender"] not in roster[2]:
        problems.append(f"{where}: sender {obj['sender']!r} not in roster")
    try:
        sent = dt.datetime.fromisoformat(obj["sent_at"])
    except ValueError:
        problems.append(f"{where}: sent_at {obj['sent_at']!r} is not ISO 8601")
        return
    if sent.utcoffset() is None:
        problems.append(f"{where}: sent_at has no UTC offset")
        return
    exp = obj["expect"]
    if not isinstance(exp, dict):
        problems.append(f"{where}: expect is not an object")
        return
    intent = exp.get("intent")
    if (intent == "command") != obj["text"].lstrip().startswith("/"):
        problems.append(f"{where}: command if and only if the text starts with /")
    records = exp.get("records")
    if records is not None:
        if not isinstance(records, list) or len(records) < 2:
            problems.append(f"{where}: records must list two or more items")
            return
        for i, rec in enumerate(records):
            if not isinstance(rec, dict):
                problems.append(f"{where}[{i}]: not an object")
                continue
            if "records" in rec or "id" in rec:
                problems.append(f"{where}[{i}]: an item carries id or records")
            if rec.get("intent") not in ("activity", "exchange"):
                problems.append(f"{where}[{i}]: a records item must be a report")
            check_record(rec, f"{where}[{i}]", sent.date(), roster, problems)
        first = records[0]
        for f in FIELDS:
            if exp.get(f) != first.get(f):
                problems.append(f"{where}: top-level {f} differs from records[0]")
    check_record(exp, where, sent.date(), roster, problems)


def validate(paths: list[Path], roster_path: Path) -> list[str]:
    roster = load_roster(roster_path)
    problems: list[str] = []
    seen: dict[str, str] = {}
    for path in paths:
        with open(path, encoding="utf-8") as f:
            for n, raw in enumerate(f, 1):
                where = f"{path.name}:{n}"
                if not raw.strip():
                    problems.append(f"{where}: empty line")
                    continue
                try:
                    obj = json.loads(raw)
                except json.JSONDecodeError as e:
                    problems.append(f"{where}: not JSON ({e})")
                    continue
                if isinstance(obj, dict) and isinstance(obj.get("id"), str):
                    where = f"{where} {obj['id']}"
                    if obj["id"] in seen:
                        problems.append(f"{where}: id also at {seen[obj['id']]}")
                    seen[obj["id"]] = where
                check_line(obj, where, roster, problems)
    return problems


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("files", nargs="*", type=Path)
    ap.add_argument("--roster", type=Path, default=None)
    args = ap.parse_args()
    files = args.files or [HERE / "train.jsonl", HERE / "heldout.jsonl"]
    roster = args.roster or (
        HERE / "roster.toml" if (HERE / "roster.toml").exists() else DEFAULT_ROSTER
    )
    problems = validate(files, roster)
    for p in problems:
        print(p)
    n = 0
    for path in files:
        with open(path, encoding="utf-8") as f:
            n += sum(1 for line in f if line.strip())
    print(f"{n} messages in {len(files)} file(s), {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
