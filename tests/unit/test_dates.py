"""Date resolver: every phrase against an explicit send day (weeks run Monday to Sunday)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

import pytest

from handlers.reports.dates import add_months, find_dates, later_today, period_end, week_day

WED = date(2026, 11, 18)  # a Wednesday
MON = date(2026, 11, 23)
FRI = date(2026, 9, 25)


def first_day(text: str, today: date) -> date | None:
    hits = [h for h in find_dates(text, today) if not h.deadline]
    return hits[0].day if hits else None


@pytest.mark.parametrize(
    "text, today, expected",
    [
        ("今天", WED, date(2026, 11, 18)),
        ("今日", WED, date(2026, 11, 18)),
        ("昨天", WED, date(2026, 11, 17)),
        ("昨晚", WED, date(2026, 11, 17)),
        ("前天", WED, date(2026, 11, 16)),
        ("明天", WED, date(2026, 11, 19)),
        ("后天", WED, date(2026, 11, 20)),
        ("大后天", WED, date(2026, 11, 21)),
        # weeks: Monday to Sunday
        ("上周三", date(2026, 10, 23), date(2026, 10, 14)),
        ("上周五", MON, date(2026, 11, 20)),
        ("本周三", FRI, date(2026, 9, 23)),
        ("本周五", date(2026, 9, 14), date(2026, 9, 18)),
        ("下周一", date(2026, 9, 15), date(2026, 9, 21)),
        ("下周四", date(2026, 9, 11), date(2026, 9, 17)),
        ("下下周二", WED, date(2026, 12, 1)),
        ("上上周一", WED, date(2026, 11, 2)),
        ("周五", WED, date(2026, 11, 20)),
        ("星期五", WED, date(2026, 11, 20)),
        ("礼拜五", WED, date(2026, 11, 20)),
        ("下月起", WED, date(2026, 12, 1)),
        ("下个月初开始", date(2026, 12, 10), date(2027, 1, 1)),
        ("本月起", WED, date(2026, 11, 1)),
        ("周一", WED, date(2026, 11, 16)),
        ("星期天", WED, date(2026, 11, 22)),
        ("周日", MON, date(2026, 11, 29)),
        ("下星期二", WED, date(2026, 11, 24)),
        ("下个礼拜三", WED, date(2026, 11, 25)),
        # a Sunday belongs to the week that started the Monday before
        ("下周一", date(2026, 11, 22), date(2026, 11, 23)),
        ("本周一", date(2026, 11, 22), date(2026, 11, 16)),
        # month days
        ("本月25号", date(2026, 11, 2), date(2026, 11, 25)),
        ("本月23号", date(2026, 10, 19), date(2026, 10, 23)),
        ("下个月5日", WED, date(2026, 12, 5)),
        ("下月3号", date(2026, 12, 20), date(2027, 1, 3)),
        ("月底", WED, date(2026, 11, 30)),
        ("本月底", date(2027, 2, 3), date(2027, 2, 28)),
        ("下月底", date(2026, 12, 3), date(2027, 1, 31)),
        # explicit dates and the nearest year
        ("11月20日", date(2026, 11, 23), date(2026, 11, 20)),
        ("11月20号", date(2026, 11, 23), date(2026, 11, 20)),
        ("十一月二十日", date(2026, 11, 23), date(2026, 11, 20)),
        ("11.20", date(2026, 10, 23), date(2026, 11, 20)),
        ("11/20", date(2026, 10, 23), date(2026, 11, 20)),
        ("11.6", date(2026, 11, 9), date(2026, 11, 6)),
        ("12月28日", date(2027, 1, 4), date(2026, 12, 28)),  # December read in January
        ("1月5日", date(2026, 12, 28), date(2027, 1, 5)),  # January read in December
        ("2026年9月1日", WED, date(2026, 9, 1)),
        ("2026-12-08", WED, date(2026, 12, 8)),
        ("2026.12.8", WED, date(2026, 12, 8)),
        ("明年3月2日", WED, date(2027, 3, 2)),
        ("9月15日至16日", date(2026, 9, 17), date(2026, 9, 15)),  # a span gives its first day
        # M月起: the 1st, in the nearest year unless a year word says otherwise
        ("9月起", date(2026, 9, 28), date(2026, 9, 1)),
        ("9月份开始", date(2026, 11, 13), date(2026, 9, 1)),
        ("明年2月起", date(2026, 9, 14), date(2027, 2, 1)),
        ("3月起", date(2026, 11, 20), date(2027, 3, 1)),
        ("2025年9月起", date(2026, 11, 20), date(2025, 9, 1)),
        ("下周起每周三", WED, date(2026, 11, 25)),
        ("三天后", WED, date(2026, 11, 21)),
        ("下午", WED, WED),  # a time of day alone is the send day
    ],
)
def test_resolves(text: str, today: date, expected: date) -> None:
    assert first_day(text, today) == expected


@pytest.mark.parametrize(
    "text", ["周末", "上周末", "10月", "国庆节", "本学期", "时间待定", "下周", ""]
)
def test_phrases_without_a_single_day(text: str) -> None:
    assert first_day(text, WED) is None


@pytest.mark.parametrize("text", ["3.5万元", "1.5倍", "1/3的学生", "v1.2版本", "5号楼", "第2节"])
def test_numbers_that_are_not_dates(text: str) -> None:
    assert first_day(text, WED) is None


def test_deadline_is_flagged_and_not_the_event_day() -> None:
    hits = find_dates("本月23号实小将举办文艺汇演,各成员校请于22日前报送节目", date(2026, 10, 19))
    assert [(h.day, h.deadline) for h in hits] == [
        (date(2026, 10, 23), False),
        (date(2026, 10, 22), True),
    ]
    assert find_dates("9月15日前上报", WED)[0].deadline
    assert not find_dates("11月20日前往齐小", WED)[0].deadline  # 前往 is going, not "before"


def test_postponement_target_is_flagged() -> None:
    hits = find_dates("原定明天的送教推迟到下周三", WED)
    assert [h.postponed_to for h in hits] == [False, True]
    assert hits[1].day == date(2026, 11, 25)


def test_ranges_and_starts() -> None:
    (h,) = find_dates("9月15日至16日", date(2026, 9, 17))
    assert (h.day, h.range_end) == (date(2026, 9, 15), date(2026, 9, 16))
    (h,) = find_dates("下周一到周三", date(2026, 10, 26))
    assert (h.day, h.range_end) == (date(2026, 11, 2), date(2026, 11, 4))
    (h,) = find_dates("11月2日-11月4日", WED)
    assert h.range_end == date(2026, 11, 4)
    assert find_dates("下周一开始", WED)[0].starts
    assert find_dates("2026年9月1日起", WED)[0].starts
    # "下周一到三年级" is not a range: the second day needs 周/星期
    (h,) = find_dates("下周一到三年级听课", WED)
    assert h.range_end is None


def test_time_of_day_rides_on_the_day_and_is_not_a_second_date() -> None:
    hits = find_dates("明天上午实小开会", WED)
    assert len(hits) == 1 and hits[0].time_of_day == "上午" and hits[0].day == date(2026, 11, 19)


def test_later_today() -> None:
    tz = timezone(timedelta(hours=8))
    assert later_today("下午", datetime(2026, 11, 18, 9, 30, tzinfo=tz))
    assert not later_today("下午", datetime(2026, 11, 18, 17, 0, tzinfo=tz))
    assert not later_today("上午", datetime(2026, 11, 18, 11, 0, tzinfo=tz))
    assert not later_today(None, datetime(2026, 11, 18, 7, 0, tzinfo=tz))


@pytest.mark.parametrize(
    "text, start, end",
    [
        ("交流轮岗一学年", date(2026, 9, 1), date(2027, 7, 31)),
        ("为期一学年", date(2026, 9, 22), date(2027, 7, 31)),
        ("支教一学期", date(2026, 9, 1), date(2027, 1, 31)),
        ("支教一学期", date(2027, 2, 1), date(2027, 7, 15)),
        ("支教一学期", date(2027, 3, 1), date(2027, 7, 15)),
        ("支教三个月", date(2026, 9, 1), date(2026, 11, 30)),
        ("挂职两个月", date(2026, 11, 30), date(2027, 1, 29)),
        ("跟岗学习两周", date(2026, 9, 7), date(2026, 9, 20)),
        ("跟岗学习3周", date(2026, 9, 7), date(2026, 9, 27)),
        ("跟岗10天", date(2026, 11, 2), date(2026, 11, 11)),
        ("至明年1月结束", date(2026, 9, 1), date(2027, 1, 31)),
        ("到明年7月", date(2026, 9, 1), date(2027, 7, 31)),
        ("支教一年", date(2026, 9, 1), date(2027, 8, 31)),
    ],
)
def test_period_end(text: str, start: date, end: date) -> None:
    assert period_end(text, start) == end


@pytest.mark.parametrize("text", ["本学期", "一年级数学", "2026年", "第一天", "时间待定"])
def test_no_period(text: str) -> None:
    assert period_end(text, date(2026, 9, 1)) is None


def test_calendar_helpers() -> None:
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)
    assert week_day(date(2026, 11, 22), 0, 0) == date(2026, 11, 16)  # Sunday's own Monday


@pytest.mark.parametrize(
    "text, clock",
    [
        ("今天下午四点半", time(16, 30)),
        ("明天上午9:30", time(9, 30)),
        ("今晚7点", time(19, 0)),
        ("下午3点", time(15, 0)),
        ("11月20日14时", time(14, 0)),
        ("今天下午3点20分", time(15, 20)),
    ],
)
def test_clock_times(text: str, clock: time) -> None:
    (h,) = find_dates(text, WED)
    assert h.clock == clock


def test_clock_decides_later_today() -> None:
    tz = timezone(timedelta(hours=8))
    assert later_today("下午", datetime(2026, 11, 18, 16, 0, tzinfo=tz), time(16, 30))
    assert not later_today("下午", datetime(2026, 11, 18, 16, 0, tzinfo=tz), time(15, 0))


def test_a_term_starting_after_mid_july_runs_into_the_autumn() -> None:
    from datetime import date as _date

    from handlers.reports.dates import period_end

    # a semester's spring end (7-15) is before a start on 7-25: the term is the next one
    assert period_end("一学期", _date(2026, 7, 25)) == _date(2027, 1, 31)
    assert period_end("一学期", _date(2026, 3, 2)) == _date(2026, 7, 15)


def test_northern_day_and_time_words() -> None:
    from datetime import date as _date

    from handlers.reports.dates import find_dates

    today = _date(2026, 11, 18)
    days = [h.day for h in find_dates("明儿后晌去城北小学听课", today)]
    assert days[0] == _date(2026, 11, 19)
    assert [h.day for h in find_dates("昨儿个前晌在溪南送课", today)][0] == _date(2026, 11, 17)
