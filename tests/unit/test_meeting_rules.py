"""Pure date logic: Chinese meeting rules, holiday policy, make-up workdays, 2027 fallback."""

from __future__ import annotations

import datetime as dt
import logging

import pytest

from handlers.meeting_rules import describe_rule, next_occurrences, occurrences, parse_meeting_rule
from handlers.workdays import SOURCE_CONFIG, SOURCE_FALLBACK, SOURCE_LIB, WorkCalendar

D = dt.date
TODAY = D(2026, 9, 1)

PARSE_TABLE = [
    (
        "每月最后一个周五 15:00 联盟总结会",
        {"freq": "monthly_nth", "n": -1, "weekday": 4, "time": "15:00"},
        "联盟总结会",
        "previous",
    ),
    (
        "每月第一周周一 08:30 协调会",
        {"freq": "monthly_nth", "n": 1, "weekday": 0, "time": "08:30"},
        "协调会",
        "previous",
    ),
    (
        "每周三 16:00 教研会",
        {"freq": "weekly", "weekday": 2, "time": "16:00"},
        "教研会",
        "previous",
    ),
    ("每月15日 9:00 例会", {"freq": "monthly_day", "day": 15, "time": "09:00"}, "例会", "previous"),
    (
        "每月十五号上午九点半 校长例会",
        {"freq": "monthly_day", "day": 15, "time": "09:30"},
        "校长例会",
        "previous",
    ),
    (
        "每两周周四下午3点 集体备课",
        {"freq": "biweekly", "weekday": 3, "anchor": "2026-09-03", "time": "15:00"},
        "集体备课",
        "previous",
    ),
    (
        "每月第二个星期二 14:30 教研,遇节假日顺延",
        {"freq": "monthly_nth", "n": 2, "weekday": 1, "time": "14:30"},
        "教研",
        "next",
    ),
    (
        "联盟总结会 每月最后一个周五 15:00(遇节假日取消)",
        {"freq": "monthly_nth", "n": -1, "weekday": 4, "time": "15:00"},
        "联盟总结会",
        "skip",
    ),
    (
        "每月最后一天 16:00 月报",
        {"freq": "monthly_day", "day": -1, "time": "16:00"},
        "月报",
        "previous",
    ),
    ("每周一 08:30", {"freq": "weekly", "weekday": 0, "time": "08:30"}, "例会", "previous"),
]


@pytest.mark.parametrize("text,rule,title,policy", PARSE_TABLE)
def test_parse_meeting_rule(text, rule, title, policy):
    p = parse_meeting_rule(text, TODAY)
    assert (p.rule, p.title, p.holiday_policy) == (rule, title, policy)


@pytest.mark.parametrize(
    "text,message",
    [
        ("下周开个会", "没有看懂"),
        ("每月最后一个周五 联盟总结会", "时间"),
        ("每月32日 9:00 例会", "不存在"),
        ("每周三 25:00 例会", "不对"),
        ("", "请写明"),
    ],
)
def test_parse_errors_are_chinese(text, message):
    with pytest.raises(ValueError, match=message):
        parse_meeting_rule(text, TODAY)


def test_first_week_reading_is_explained():
    p = parse_meeting_rule("每月第一周周一 08:30 协调会", TODAY)
    assert any("第一个周一" in w for w in p.warnings)
    assert describe_rule(p.rule) == "每月第一个周一 08:30"


def test_national_day_moves_to_previous_working_day():
    cal = WorkCalendar()
    rule = parse_meeting_rule("每月第一个周四 15:00 联盟总结会", TODAY).rule
    (occ,) = occurrences(rule, "previous", D(2026, 9, 29), D(2026, 10, 20), cal)[:1]
    assert occ.nominal == D(2026, 10, 1) and occ.date == D(2026, 9, 30)
    assert "因国庆节调整至 9月30日" in occ.note
    nxt = occurrences(rule, "next", D(2026, 9, 29), D(2026, 10, 20), cal)[0]
    assert nxt.date == D(2026, 10, 8)
    assert occurrences(rule, "skip", D(2026, 9, 29), D(2026, 10, 20), cal) == []


def test_make_up_saturday_is_a_working_day():
    cal = WorkCalendar()
    assert cal.is_workday(D(2026, 10, 10)) and cal.is_workday(D(2026, 2, 14))  # 调休上班
    assert not cal.is_workday(D(2026, 10, 17))
    sat = parse_meeting_rule("每周六 9:00 补课安排会", TODAY).rule
    occ = occurrences(sat, "previous", D(2026, 10, 10), D(2026, 10, 17), cal)
    assert [(o.date, o.moved) for o in occ] == [(D(2026, 10, 10), False), (D(2026, 10, 16), True)]
    # Spring Festival: the third Monday of Feb 2026 (16th) falls back onto make-up Saturday 14th
    third_monday = parse_meeting_rule("每月第三个周一 9:00 开学筹备会", TODAY).rule
    (o,) = occurrences(third_monday, "previous", D(2026, 2, 1), D(2026, 2, 28), cal)
    assert o.date == D(2026, 2, 14) and "春节" in o.note


def test_monthly_last_friday_and_day_31():
    cal = WorkCalendar()
    rule = parse_meeting_rule("每月最后一个周五 15:00 总结会", TODAY).rule
    dates = [o.date for o in next_occurrences(rule, "previous", D(2026, 10, 1), cal)]
    assert dates == [D(2026, 10, 30), D(2026, 11, 27), D(2026, 12, 25)]
    d31 = parse_meeting_rule("每月31日 9:00 月末会", TODAY)
    assert any("最后一天" in w for w in d31.warnings)
    assert next_occurrences(d31.rule, "previous", D(2026, 11, 1), cal, 1)[0].date == D(2026, 11, 30)


def test_2027_falls_back_to_weekends_with_one_warning(caplog):
    cal = WorkCalendar()
    with caplog.at_level(logging.WARNING, logger="handlers.workdays"):
        assert cal.is_workday(D(2027, 10, 1))  # a Friday; no holiday data for 2027
        assert not cal.is_workday(D(2027, 10, 2))
        assert cal.calendar_source(D(2027, 10, 1)) == SOURCE_FALLBACK
    assert len([r for r in caplog.records if "2027" in r.getMessage()]) == 1
    assert cal.calendar_source(D(2026, 10, 1)) == SOURCE_LIB


def test_2027_configured_holidays_and_workdays():
    cal = WorkCalendar(holidays=[D(2027, 10, 1)], workdays=[D(2027, 10, 9)])
    assert not cal.is_workday(D(2027, 10, 1)) and cal.is_workday(D(2027, 10, 9))
    assert cal.calendar_source(D(2027, 3, 1)) == SOURCE_CONFIG
    rule = parse_meeting_rule("每月第一个周五 15:00 总结会", TODAY).rule
    (o,) = occurrences(rule, "previous", D(2027, 9, 29), D(2027, 10, 5), cal)
    assert o.date == D(2027, 9, 30) and "节假日" in o.note


# -- [[meetings]] entries: one check for the roster import and the scheduler ------------------
@pytest.mark.parametrize(
    "entry, field",
    [
        ({"alliance": "无名联盟", "rule": "每周三 16:00 教研会"}, "alliance"),
        (
            {"alliance": "福海联盟", "rule": "每周三 16:00 教研会", "holiday_policy": "later"},
            "holiday_policy",
        ),
        ({"alliance": "福海联盟", "rule": "有空就开会"}, "rule"),
        ({"alliance": "福海联盟"}, "rule"),
    ],
)
def test_meeting_entry_errors_name_the_field(entry, field):
    from handlers.meeting_rules import MeetingEntryError, check_meeting_entry

    with pytest.raises(MeetingEntryError) as e:
        check_meeting_entry(entry, {"福海联盟"}, D(2026, 11, 16))
    assert e.value.field == field and str(e.value)


def test_meeting_entry_ok_gives_the_parsed_rule():
    from handlers.meeting_rules import check_meeting_entry

    p = check_meeting_entry(
        {
            "alliance": "福海联盟",
            "rule": "每月最后一个周五 15:00 联盟总结会",
            "holiday_policy": "skip",
        },
        {"福海联盟"},
        D(2026, 11, 16),
    )
    assert p.rule == {"freq": "monthly_nth", "n": -1, "weekday": 4, "time": "15:00"}
    assert p.title == "联盟总结会"
