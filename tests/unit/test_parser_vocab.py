"""Every example written next to a vocabulary entry is a test case."""
from __future__ import annotations

from datetime import datetime

import pytest

from storage.roster import load_roster

from handlers.reports import ReportParser
from handlers.reports.vocab import EXAMPLE_ROSTER, EXAMPLE_SENT_AT, EXCHANGES, KINDS

CASES = [(k.code, *ex) for k in KINDS for ex in k.examples] + [
    (e.code, *ex) for e in EXCHANGES for ex in e.examples]


@pytest.fixture(scope="module")
def parser(tmp_path_factory: pytest.TempPathFactory) -> ReportParser:
    return ReportParser(load_roster(EXAMPLE_ROSTER), tmp_path_factory.mktemp("cache"), strict=True)


def test_every_kind_has_examples() -> None:
    assert all(k.examples for k in KINDS) and all(e.examples for e in EXCHANGES)


@pytest.mark.parametrize("code, text, sender, expected", CASES, ids=[c[1][:16] for c in CASES])
def test_example(parser: ReportParser, code: str, text: str, sender: str | None, expected: dict) -> None:
    got = parser.parse(text, datetime.fromisoformat(EXAMPLE_SENT_AT), sender).to_dict()
    exchange = any(e.code == code for e in EXCHANGES)
    assert got["intent"] == ("exchange" if exchange else "activity"), got
    for key, want in expected.items():
        have = got[key]
        if key in ("schools", "teachers"):
            have, want = sorted(have), sorted(want)
        assert have == want, f"{key}: want {want!r}, got {have!r} in {got}"
