"""Target rules, milestone pace and bundled-assessment math (pure)."""

from __future__ import annotations

import datetime as dt

import pytest

from handlers.periods import Period, school_year_of, term_of
from handlers.targets import (
    DEFAULT_RULES,
    bundled_score,
    completion,
    completion_score,
    improved_schools,
    milestone_dates,
    pace,
    parse_targets,
    required_by,
    rules_from,
)

D = dt.date
MS = [("06-30", 0.3), ("09-30", 0.6), ("11-30", 1.0)]


def test_calendar_milestones_as_written():
    year = Period(D(2026, 1, 1), D(2026, 12, 31), "2026年")
    assert milestone_dates(year, True, MS) == [
        (D(2026, 6, 30), 0.3),
        (D(2026, 9, 30), 0.6),
        (D(2026, 11, 30), 1.0),
    ]


def test_prorated_milestones():
    sy = school_year_of(D(2026, 10, 1))
    days = [d for d, _ in milestone_dates(sy, False, MS)]
    assert days == [D(2027, 2, 28), D(2027, 5, 31), D(2027, 7, 31)]
    term = term_of(D(2026, 10, 1))
    days = [d for d, _ in milestone_dates(term, False, MS)]
    assert days[0] == D(2026, 11, 15) and days[-1] == D(2027, 1, 18)


def test_required_by_rounds_up():
    assert required_by(8, 0.3) == 3
    assert required_by(20, 0.3) == 6
    assert required_by(1, 0.3) == 1
    assert required_by(10, 0.3) == 3  # 3.0000000004 stays 3


def test_pace_on_track_and_behind():
    ms = milestone_dates(Period(D(2026, 1, 1), D(2026, 12, 31), "y"), True, MS)
    p = pace(10, 3, ms, D(2026, 7, 1))
    assert (p.due_now, p.behind, p.next_date, p.next_due) == (3, 0, D(2026, 9, 30), 6)
    assert p.text(3, 10) == "进度正常(2026-09-30 前达到 6)"
    p = pace(10, 1, ms, D(2026, 7, 1))
    assert p.behind == 2
    assert p.text(1, 10) == "落后:还需 5 次,截止 2026-09-30"
    # on the milestone day itself it is not late yet
    assert pace(10, 0, ms, D(2026, 6, 30)).behind == 0
    p = pace(10, 4, ms, D(2026, 12, 5))
    assert p.next_date is None and p.text(4, 10, "节") == "落后:还需 6 节,截止 2026-11-30"
    assert pace(10, 10, ms, D(2026, 12, 5)).text(10, 10) == "已完成"


def test_completion_math():
    assert completion(3, 4) == 0.75
    assert completion(9, 4) == 1.0
    assert completion(0, 0) == 1.0
    assert completion_score([(3, 4), (9, 4), (0, 2)]) == pytest.approx(58.3)
    assert completion_score([]) is None


def test_bundled_score_weights():
    # 0.8 × 90 + 0.2 × mean(60, 80) = 72 + 14 = 86
    assert bundled_score(90, [60, 80], 0.8, 0.2) == 86.0
    assert bundled_score(90, [60, 80], 0.8, 0.2, exempt=True) == 90.0
    assert bundled_score(90, [], 0.8, 0.2) == 90.0
    assert bundled_score(50, [100, 100, 100, 100], 0.5, 0.5) == 75.0


def test_rank_exemption():
    prev = {"甲": 20, "乙": 10, "丙": None}
    cur = {"甲": 15, "乙": 6, "丙": 1}
    assert improved_schools(prev, cur, 5) == ["甲"]
    assert improved_schools(prev, cur, 4) == ["乙", "甲"]
    assert improved_schools({"甲": 3}, {"甲": 9}, 5) == []


def test_parse_targets_ok():
    rules = parse_targets(
        [
            {
                "kind": "meeting",
                "unit": "alliance",
                "period": "term",
                "minimum": 3,
                "label": "会议",
            },
            {"kind": "joint_research", "mode": "online", "minimum": 8, "label": "线上研修"},
        ],
        "roster.toml",
    )
    assert rules[0].unit == "alliance" and rules[0].minimum == 3
    assert rules[1].measure == "count" and rules[1].period == "school_year"


@pytest.mark.parametrize(
    "entry,needle",
    [
        ({"measure": "count", "minimum": 1, "label": "x"}, "缺少字段 kind"),
        ({"kind": "party", "minimum": 1, "label": "x"}, "字段 kind"),
        ({"kind": "meeting", "minimum": 0, "label": "x"}, "字段 minimum"),
        ({"kind": "meeting", "minimum": 1}, "字段 label"),
        ({"kind": "meeting", "minimum": 1, "label": "x", "unit": "county"}, "字段 unit"),
        ({"kind": "meeting", "minimum": 1, "label": "x", "colour": "red"}, "未知字段 colour"),
        (
            {"kind": "meeting", "minimum": 1, "label": "x", "measure": "exchange_coverage"},
            "measure",
        ),
    ],
)
def test_parse_targets_errors_name_entry_and_field(entry, needle):
    with pytest.raises(ValueError) as e:
        parse_targets([{"kind": "meeting", "minimum": 1, "label": "ok"}, entry], "roster.toml")
    assert "roster.toml" in str(e.value) and "第2项" in str(e.value) and needle in str(e.value)


def test_rules_from_defaults_and_configured():
    assert rules_from(None) == list(DEFAULT_RULES)
    got = rules_from([{"kind": "open_day", "unit": "alliance", "minimum": 2, "label": "开放日"}])
    assert len(got) == 1 and got[0].minimum == 2
