"""ReportParser on sentences that name an activity but report no one event of it: tallies
over a span of time, routines, honours, memories, the sender's lateness, statements about a
kind of activity (handlers/vocab/nonreports.py). Each rule has cases that must stay chat and
cases beside them that must stay reports. Sent on Wednesday 2026-11-18 at 20:00 (+08:00)
against the example roster.
"""

from __future__ import annotations

from datetime import datetime

import pytest

from handlers.reports import ReportParser
from handlers.vocab import EXAMPLE_SENT_AT

SENT = datetime.fromisoformat(EXAMPLE_SENT_AT)


def parse(parser: ReportParser, text: str, sender: str | None = "郑建华") -> dict:
    return parser.parse(text, SENT, sender).to_dict()


# --- a sum over a span of days is a tally --------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "本学期新桥中心校合计接收同步课堂十八节",
        "今年以来江滨共为黄田镇校上了36节专递课",
        "截至10月底,城关小学已累计听评课52节",
        "两年来二小先后到解小送教二十余次",  # 余 between the numeral and 次
        "自结对至今,实小派出骨干教师送课300余人次",
    ],
)
def test_tally_over_a_span_is_chat(parser: ReportParser, text: str) -> None:
    assert parse(parser, text)["intent"] == "chat"


@pytest.mark.parametrize(
    ("text", "lessons"),
    [
        ("今天黄丽萍到城关小学送教,一共上了3节课", 3),  # the day's own lessons
        ("周二去新民小学送课,共两节", 2),
    ],
)
def test_lessons_of_one_day_are_not_a_tally(parser: ReportParser, text: str, lessons: int) -> None:
    got = parse(parser, text, "黄丽萍")
    assert got["intent"] == "activity" and got["lessons"] == lessons, got


# --- a routine is not one event -----------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "城关小学每个星期三下午都有数学集体备课",
        "江滨和淤上每两周开展一次网络教研",
        "按照惯例,每月第一个周一召开联盟校长例会",  # the weekday is the routine's
    ],
)
def test_routine_is_chat(parser: ReportParser, text: str) -> None:
    assert parse(parser, text)["intent"] == "chat"


def test_series_with_a_start_is_its_first_day(parser: ReportParser) -> None:
    got = parse(parser, "从下周开始,实小每周二下午给溪南中心校上同步课堂")
    assert got["intent"] == "activity" and got["kind"] == "sync_class", got
    assert got["date"] == "2026-11-24", got


def test_routine_beside_a_dated_event_keeps_the_event(parser: ReportParser) -> None:
    got = parse(parser, "昨天新民小学开展了每月一次的语文联片教研")
    assert got["intent"] == "activity" and got["date"] == "2026-11-17", got


# --- an honour or a prize is news of the award --------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "上周五的市青年教师赛课,新民小学苏雅琴老师夺得第一名",
        "和平中心校被评为县级送教下乡示范学校",
        "城北小学刘文斌执教的展示课荣获市级优秀课例",
        "在11月12日举行的县基本功竞赛中,城关小学两位老师喜获二等奖",
    ],
)
def test_honour_is_chat(parser: ReportParser, text: str) -> None:
    assert parse(parser, text)["intent"] == "chat"


@pytest.mark.parametrize(
    ("text", "sender"),
    [
        ("今天城北小学举办青年教师赛课,11位老师参赛,刘文斌获一等奖", "郑建华"),  # held
        ("今天在实小参加了联盟数学赛课,我获得了二等奖", "陈志强"),  # the sender won
    ],
)
def test_contest_held_or_won_by_the_sender_is_a_report(
    parser: ReportParser, text: str, sender: str
) -> None:
    got = parse(parser, text, sender)
    assert got["intent"] == "activity" and got["kind"] == "competition", got


# --- a memory, the sender's lateness, a statement about a kind of activity ----------------


@pytest.mark.parametrize(
    ("text", "sender"),
    [
        ("想起那年第一次到溪南送课,路上走了三个小时", "黄丽萍"),
        ("十几年前实小就曾经和新民小学搞过同课异构", "郑建华"),
        ("周五的集体备课我晚些到,先开始不用等我", "陈志强"),
        ("同课异构是教研组最常用的研修方式", "郑建华"),
        ("城关小学是联盟里最早开展网络教研的学校", "郑建华"),
    ],
)
def test_memory_lateness_and_statement_are_chat(
    parser: ReportParser, text: str, sender: str
) -> None:
    assert parse(parser, text, sender)["intent"] == "chat"


@pytest.mark.parametrize(
    ("text", "sender"),
    [
        ("一农场今天停水,下午的集体备课推迟到明天", "许鲁湘"),  # 推迟到 holds 迟到
        ("今天去城北小学送教,路上堵车迟到了十分钟", "黄丽萍"),  # said after: it happened
        ("今天实小老师们先走进城关小学的课堂听课,随后研讨", "郑建华"),  # 先走进 is no 先走
        ("此次联片教研的主题是整本书阅读,城关小学承办", "郑建华"),  # 此次 points at one event
        ("今天的送教是黄丽萍上的语文课,地点城关小学", "郑建华"),  # a day: one event
    ],
)
def test_reports_that_hold_those_words_stay_reports(
    parser: ReportParser, text: str, sender: str
) -> None:
    assert parse(parser, text, sender)["intent"] == "activity"


def test_school_whose_name_starts_like_a_conjunction_is_the_subject(parser: ReportParser) -> None:
    # 和平中心校 opens like 和 + a companion ("和黄丽萍去…"), which would make it the
    # sender's own report; the roster form starting there is the subject instead
    got = parse(parser, "和平中心校昨天开展了英语集体备课", "黄丽萍")
    assert got["intent"] == "activity" and got["teachers"] == [], got
    assert got["schools"] == ["和平中心学校"], got


# --- asked, conditional, stayed away from -------------------------------------------------


@pytest.mark.parametrize(
    ("text", "sender"),
    [
        ("周二的专递课堂用多少台平板", "叶潇潇"),
        ("下周去和平中心校听课,哪天合适", "陈志强"),
        ("假如周三停电,城关小学的同步课堂就往后挪", "刘文斌"),
        ("明天城北小学的赛课我们不参与", "苏雅琴"),
    ],
)
def test_asked_conditional_or_absent_is_chat(parser: ReportParser, text: str, sender: str) -> None:
    assert parse(parser, text, sender)["intent"] == "chat"


@pytest.mark.parametrize(
    ("text", "sender"),
    [
        ("今天去城关小学送课,老师们说没什么问题", "黄丽萍"),  # 没什么: no question
        ("昨天到新民小学上了示范课,要是再多准备一周会更好", "陈志强"),  # 了: it happened
    ],
)
def test_reports_with_look_alike_words_stay_reports(
    parser: ReportParser, text: str, sender: str
) -> None:
    assert parse(parser, text, sender)["intent"] == "activity"


# --- corrections and things written about an event ---------------------------------------


@pytest.mark.parametrize(
    ("text", "sender"),
    [
        ("纠正一下,周一去新民小学听课的是苏雅琴", "苏雅琴"),
        ("订正:城北小学的同课异构是周四上午", "刘文斌"),
        ("溪南前天联片教研的推文已经推送了", "苏雅琴"),
        ("昨天城关小学开放日的宣传稿谁来写", "刘文斌"),
    ],
)
def test_correction_or_writing_about_an_event_is_chat(
    parser: ReportParser, text: str, sender: str
) -> None:
    assert parse(parser, text, sender)["intent"] == "chat"


def test_supplementing_inside_a_report_keeps_it(parser: ReportParser) -> None:
    # 补充 opens a correction only at the start, before its colon or 一下
    got = parse(parser, "今天到城关小学送课两节,课后补充讲解了作业设计", "黄丽萍")
    assert got["intent"] == "activity" and got["kind"] == "lesson_delivery", got


@pytest.mark.parametrize(
    ("text", "sender"),
    [
        ("统计了一下,本学期我们去新民小学听课12趟", "黄丽萍"),  # 趟/回 count events too
        ("这学期实小来溪南送课七回,辛苦各位", "苏雅琴"),
        ("下雪路滑,周四去和平中心校的送课先停一下", "黄丽萍"),
        # every event word of a list before 的 + a topic is only the topic
        ("请于周五前将本月听评课、集体备课和专递课堂的进展情况发给郑校长", "郑建华"),
    ],
)
def test_more_tallies_pauses_and_topics_are_chat(
    parser: ReportParser, text: str, sender: str
) -> None:
    assert parse(parser, text, sender)["intent"] == "chat"


# --- not done, not yet, not sure; an ongoing practice --------------------------------------


@pytest.mark.parametrize(
    ("text", "sender"),
    [
        ("新民小学今天未送课,改下周", "郑建华"),
        ("周四的同课异构人选还没定", "刘文斌"),
        ("后天说不定要去和平中心校听课", "黄丽萍"),
        ("实小长期开展城乡教师结对磨课", "郑建华"),
    ],
)
def test_negated_unsure_or_ongoing_is_chat(parser: ReportParser, text: str, sender: str) -> None:
    assert parse(parser, text, sender)["intent"] == "chat"


def test_a_rough_number_is_no_doubt(parser: ReportParser) -> None:
    got = parse(parser, "今天在城北小学做了一场讲座,大概有三十位老师听", "黄丽萍")
    assert got["intent"] == "activity" and got["participants"] == 30, got


@pytest.mark.parametrize(
    "text",
    [
        "11月9日获悉,全市已有40余所小学接入专递课堂",  # schools that have done it: a tally
        "11月16日,郑建华校长在县里的会上介绍了联盟开展同课异构的做法",  # what was said about it
    ],
)
def test_adoption_counts_and_talk_about_an_activity_are_chat(
    parser: ReportParser, text: str
) -> None:
    assert parse(parser, text)["intent"] == "chat"


def test_lessons_over_a_term_or_year_are_a_tally_by_themselves(parser: ReportParser) -> None:
    assert parse(parser, "这学期城北小学接收专递课堂二十八节", "刘文斌")["intent"] == "chat"
    assert parse(parser, "今年实小给溪南中心校送课40余节", "郑建华")["intent"] == "chat"
    # a week holds one visit: its lessons are that visit's
    got = parse(parser, "本周实小到溪南中心校送课2节", "郑建华")
    assert got["intent"] == "activity" and got["lessons"] == 2, got


@pytest.mark.parametrize(
    ("text", "sender"),
    [
        ("后天去溪南送课你来不来", "黄丽萍"),  # A-not-A asks
        ("周五城北小学磨课的事有人管没有", "刘文斌"),  # the matter of an event
        ("下周一去新民小学听课的教师名单今晚发群里", "郑建华"),  # who, then the topic
    ],
)
def test_a_not_a_the_matter_of_and_lists_of_people_are_chat(
    parser: ReportParser, text: str, sender: str
) -> None:
    assert parse(parser, text, sender)["intent"] == "chat"


@pytest.mark.parametrize(
    ("text", "sender"),
    [
        # a routine, a memory or a not-yet in another clause than the event's
        ("近日新民小学开展了集体备课,老师们一直讨论到很晚", "郑建华"),
        ("今天到溪南送课,孩子们还没见过这么多老师", "黄丽萍"),
        ("今天去桂林中心校送课,回想起来收获很大", "黄丽萍"),
        # 的话 as "words", and a condition about another time than the day's event
        ("今天实小开展集体备课,用郑校长的话说,这才是真教研", "郑建华"),
        ("今天去新民小学送课,如果时间允许,下次还想再去", "黄丽萍"),
        # a term's first visit is one visit
        ("这学期第一次到城北小学送课,上了两节科学", "陈志强"),
    ],
)
def test_words_outside_the_events_clause_leave_the_report(
    parser: ReportParser, text: str, sender: str
) -> None:
    assert parse(parser, text, sender)["intent"] == "activity"


@pytest.mark.parametrize(
    "text",
    [
        "为新桥中心校上示范课的是城关小学刘文斌老师",  # a cleft names who did it
        "首先是专题讲座,实小黄丽萍老师主讲《整本书阅读》,随后在城北小学开展了听评课",
        "近日,实小邀请专家就怎样上好复习课作了专题讲座",  # 怎样 after 就 is the topic
    ],
)
def test_clefts_sequences_and_topics_are_no_statements_or_questions(
    parser: ReportParser, text: str
) -> None:
    assert parse(parser, text)["intent"] == "activity"


# --- a meeting beyond the alliance is nobody's alliance report ----------------------------


@pytest.mark.parametrize(
    "text",
    [
        "周五一早我要赶去省里开会,早读请班长组织",
        "区政府明天下午召开创文工作会议",
        "今天上午去局里参加了安全工作会议",
    ],
)
def test_meeting_of_a_body_beyond_the_alliance_is_chat(parser: ReportParser, text: str) -> None:
    assert parse(parser, text)["intent"] == "chat"


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("明天县教研室在新民小学召开毕业班工作会议", "meeting"),  # a school named
        ("昨天在县里参加了联盟校长联席会议", "meeting"),  # tied to the alliance
        ("周四去市里参加送教下乡经验交流会", "meeting"),  # about an alliance activity
        ("下周二去县里参加青年教师培训", "lecture_training"),  # learning, not a meeting
        ("今天在区里上了一节示范课", "demo_lesson"),
    ],
)
def test_alliance_events_at_a_county_place_stay_reports(
    parser: ReportParser, text: str, kind: str
) -> None:
    got = parse(parser, text)
    assert (got["intent"], got["kind"]) == ("activity", kind)


# --- words of the not-one-event rules that a real report may hold -------------------------


@pytest.mark.parametrize(
    "text",
    [
        # a question word after a verb of asking or a topic noun, in a later clause
        "昨天给溪南中心校上了同步课堂,下课后学生追着问怎么做实验",
        "今天和城关小学开展联片教研,议题是如何设计单元作业",
        "周一去新民小学听评课,大家商讨了哪些环节可以改进",
        # late or early that did not happen
        "今天到桂林中心校送课,山路难走,好在没迟到",
        # remembering, not a reminder
        "今天又去淤上送教了,记得第一次来的时候还是泥路",
    ],
)
def test_real_reports_holding_a_rule_word_stay_reports(parser: ReportParser, text: str) -> None:
    assert parse(parser, text)["intent"] == "activity"


@pytest.mark.parametrize(
    "text",
    [
        "明天去新民小学送课,请问几点出发",  # 请问 asks the group now
        "周五同步课堂,想问一下用哪个平台",
        "下周二的集体备课,记得带上教材",  # a reminder
        "明天的教研我估计要迟到",
    ],
)
def test_questions_and_reminders_beside_an_event_stay_chat(parser: ReportParser, text: str) -> None:
    assert parse(parser, text)["intent"] == "chat"
