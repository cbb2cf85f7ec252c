"""Two teachers with one name in different schools: 张伟(城关) and 张伟(解乡)."""

from __future__ import annotations

import tomllib
from datetime import datetime, timedelta, timezone

import pytest

from handlers.reports.parser import ReportParser
from storage.roster import RosterError, parse_roster, school_tag
from tests.conftest import SAMPLE_ROSTER

SH = timezone(timedelta(hours=8))


def roster_with_namesakes(extra_same_school: bool = False):
    data = tomllib.loads(SAMPLE_ROSTER.read_text(encoding="utf-8"))
    schools = [s["name"] for s in data["schools"]]
    a, b = schools[0], schools[1]
    data["people"] += [
        {"name": "王建国", "school": a, "role": "teacher"},
        {"name": "王建国", "school": b, "role": "teacher"},
    ]
    if extra_same_school:
        data["people"].append({"name": "王建国", "school": a, "role": "teacher"})
    return parse_roster(data, "名册.toml"), a, b, data


def test_roster_names_namesakes_by_school():
    roster, a, b, _data = roster_with_namesakes()
    names = [p.name for p in roster.people if p.name.startswith("王建国")]
    assert len(names) == 2 and all(n.endswith(")") for n in names)
    assert {roster.school_of(n) for n in names} == {a, b}
    for n in names:
        school = next(s for s in roster.schools if s.name == roster.person(n).school)
        assert n == f"王建国({school_tag(school.name, school.aliases)})"
    assert school_tag("城关小学") == "城关" and school_tag("解乡小学", ("解小",)) == "解小"


def test_same_name_in_one_school_is_an_error_naming_the_entry():
    with pytest.raises(RosterError) as e:
        roster_with_namesakes(extra_same_school=True)
    assert "两位“王建国”" in str(e.value) and "名册.toml" in str(e.value)


def test_chat_resolves_the_bare_name_by_the_school_named(tmp_path):
    roster, a, b, _ = roster_with_namesakes()
    parser = ReportParser(roster, tmp_path)
    at = datetime(2026, 11, 23, 10, 0, tzinfo=SH)
    in_b = next(p.name for p in roster.people if p.name.startswith("王建国") and p.school == b)
    in_a = next(p.name for p in roster.people if p.name.startswith("王建国") and p.school == a)
    r = parser.parse(f"今天王建国老师在{b}上了一节示范课,听课20人", at, None)
    assert r.teachers == (in_b,)
    r = parser.parse(f"今天{in_a}老师到{b}送教,语文两节", at, None)
    assert in_a in r.teachers and in_b not in r.teachers
