"""The vocabulary: one table per concept, each entry with its code, Chinese label, words and
examples. The parser, the commands, the exports and the reminders all read these tables;
the maps below are derived from them, never written by hand.

- activities: activity kinds (`kind`)      - exchanges: teacher exchange kinds
- subjects: subjects                        - modes: online / offline
- statuses: done / planned                  - fields: record fields by Chinese name
- organisations: bodies that are not schools (the words their names end with)
- nonreports: why a sentence naming an activity reports none

Codes and field names are fixed by the report schema (report-schema.md).
"""

from __future__ import annotations

from handlers.vocab.activities import (
    ACTIVITY_KINDS,
    CONTEST_HINTS,
    CONTEST_WORDS,
    ActivityKind,
)
from handlers.vocab.examples import EXAMPLE_ROSTER, EXAMPLE_SENT_AT, Example
from handlers.vocab.exchanges import EXCHANGE_KINDS, ExchangeKind
from handlers.vocab.fields import FIELDS, FieldName
from handlers.vocab.modes import MODES, Mode
from handlers.vocab.nonreports import ALLIANCE_TIES, NON_REPORTS, NonReport
from handlers.vocab.organisations import ORGANISATION_HEADS
from handlers.vocab.statuses import STATUSES, Status
from handlers.vocab.subjects import (
    SUBJECT_CONTEXT_AFTER,
    SUBJECT_CONTEXT_BEFORE,
    SUBJECT_NOT_AFTER,
    SUBJECTS,
    Subject,
)

# code → Chinese label
KIND_CN: dict[str, str] = {k.code: k.label for k in ACTIVITY_KINDS}
EXCHANGE_CN: dict[str, str] = {e.code: e.label for e in EXCHANGE_KINDS}
MODE_CN: dict[str, str] = {m.code: m.label for m in MODES}
STATUS_CN: dict[str, str] = {s.code: s.label for s in STATUSES}
ACTIVITY_CODES: tuple[str, ...] = tuple(KIND_CN)

# subjects: canonical names in order; written form → canonical name
SUBJECT_NAMES: tuple[str, ...] = tuple(s.name for s in SUBJECTS)
SUBJECT_FORMS: dict[str, tuple[str, ...]] = {s.name: s.words for s in SUBJECTS}
LOOSE_SUBJECTS = frozenset(s.name for s in SUBJECTS if s.loose)

ONLINE_WORDS: tuple[str, ...] = next(m.words for m in MODES if m.code == "online")
OFFLINE_WORDS: tuple[str, ...] = next(m.words for m in MODES if m.code == "offline")

# Chinese field names accepted by /修改 (first name is the display name).
FIELD_NAMES: dict[str, tuple[str, ...]] = {f.code: (f.label, *f.words) for f in FIELDS}
FIELD_CN = {f.code: f.label for f in FIELDS}
FIELD_LOOKUP = {name: key for key, names in FIELD_NAMES.items() for name in (*names, key)}


def kind_label(intent: str | None, kind: str | None, exchange_kind: str | None) -> str:
    if intent == "exchange":
        return EXCHANGE_CN.get(exchange_kind or "", "教师交流")
    return KIND_CN.get(kind or "", "活动")


def reverse(mapping: dict[str, str]) -> dict[str, str]:
    return {v: k for k, v in mapping.items()}


__all__ = [
    "ACTIVITY_CODES",
    "ACTIVITY_KINDS",
    "CONTEST_HINTS",
    "CONTEST_WORDS",
    "EXAMPLE_ROSTER",
    "EXAMPLE_SENT_AT",
    "EXCHANGE_CN",
    "EXCHANGE_KINDS",
    "FIELDS",
    "FIELD_CN",
    "FIELD_LOOKUP",
    "FIELD_NAMES",
    "KIND_CN",
    "LOOSE_SUBJECTS",
    "MODES",
    "MODE_CN",
    "ALLIANCE_TIES",
    "NON_REPORTS",
    "OFFLINE_WORDS",
    "ORGANISATION_HEADS",
    "ONLINE_WORDS",
    "STATUSES",
    "STATUS_CN",
    "SUBJECTS",
    "SUBJECT_CONTEXT_AFTER",
    "SUBJECT_CONTEXT_BEFORE",
    "SUBJECT_FORMS",
    "SUBJECT_NAMES",
    "SUBJECT_NOT_AFTER",
    "ActivityKind",
    "Example",
    "ExchangeKind",
    "FieldName",
    "Mode",
    "NonReport",
    "Status",
    "Subject",
    "kind_label",
    "reverse",
]
