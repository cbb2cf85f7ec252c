"""Every example written next to a vocabulary entry is a test case, and every entry of every
vocabulary table has a label, words and examples."""

from __future__ import annotations

from datetime import datetime

import pytest

from handlers.reports import ReportParser
from handlers.vocab import (
    ACTIVITY_KINDS,
    EXAMPLE_SENT_AT,
    EXCHANGE_KINDS,
    FIELDS,
    MODES,
    NON_REPORTS,
    STATUSES,
    SUBJECTS,
)

TABLES = {
    "activity": ACTIVITY_KINDS,
    "exchange": EXCHANGE_KINDS,
    "subject": SUBJECTS,
    "mode": MODES,
    "status": STATUSES,
}
CASES = [
    (table, getattr(e, "code", None) or e.name, *ex)
    for table, entries in TABLES.items()
    for e in entries
    for ex in e.examples
]


def test_every_kind_has_examples() -> None:
    assert all(k.examples for k in ACTIVITY_KINDS) and all(e.examples for e in EXCHANGE_KINDS)


@pytest.mark.parametrize("table", sorted(TABLES))
def test_every_entry_has_label_words_and_examples(table: str) -> None:
    for e in TABLES[table]:
        label = getattr(e, "label", None) or getattr(e, "name", None)
        assert label and e.words and e.examples, (table, e)
        assert all(w.strip() == w and w for w in e.words), (table, e)


def test_codes_and_labels_are_unique() -> None:
    for table in (ACTIVITY_KINDS, EXCHANGE_KINDS, MODES, STATUSES, FIELDS):
        codes = [e.code for e in table]
        labels = [e.label for e in table]
        assert len(set(codes)) == len(codes) and len(set(labels)) == len(labels)
    assert len({s.name for s in SUBJECTS}) == len(SUBJECTS)


def test_every_field_has_a_label_and_an_example() -> None:
    from handlers.vocab import FIELD_LOOKUP

    for f in FIELDS:
        assert f.label and f.example, f
        assert FIELD_LOOKUP[f.example.split()[0]] == f.code, f


@pytest.mark.parametrize(
    "table, code, text, sender, expected", CASES, ids=[f"{c[0]}-{c[2][:16]}" for c in CASES]
)
def test_example(
    parser: ReportParser, table: str, code: str, text: str, sender: str | None, expected: dict
) -> None:
    got = parser.parse(text, datetime.fromisoformat(EXAMPLE_SENT_AT), sender).to_dict()
    assert got["intent"] == ("exchange" if table == "exchange" else "activity"), got
    field = {"activity": "kind", "exchange": "exchange_kind"}.get(table, table)
    assert got[field] == code, f"{field}: want {code!r}, got {got[field]!r} in {got}"
    for key, want in expected.items():
        have = got[key]
        if key in ("schools", "teachers"):
            have, want = sorted(have), sorted(want)
        assert have == want, f"{key}: want {want!r}, got {have!r} in {got}"


NON_REPORT_CASES = [(e.code, *ex) for e in NON_REPORTS for ex in e.examples]


def test_every_non_report_reason_has_words_and_examples() -> None:
    assert all(e.label and e.words and e.examples for e in NON_REPORTS)
    assert len({e.code for e in NON_REPORTS}) == len(NON_REPORTS)


@pytest.mark.parametrize(
    "code, text, sender, expected",
    NON_REPORT_CASES,
    ids=[f"{c[0]}-{c[1][:16]}" for c in NON_REPORT_CASES],
)
def test_non_report_example(
    parser: ReportParser, code: str, text: str, sender: str | None, expected: dict
) -> None:
    got = parser.parse(text, datetime.fromisoformat(EXAMPLE_SENT_AT), sender).to_dict()
    assert got["intent"] == "chat", (code, got)
