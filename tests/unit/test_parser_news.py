"""ReportParser on news-style sentences (public school-news pages): rules that state general
facts of how such sentences are written. Each case is worded unlike the corpus line that
prompted the rule. Sent on Wednesday 2026-11-18 at 20:00 (+08:00) unless a case says
otherwise, against the example roster.
"""

from __future__ import annotations

from datetime import datetime

import pytest

from handlers.reports import ReportParser
from handlers.vocab import EXAMPLE_SENT_AT

SENT = datetime.fromisoformat(EXAMPLE_SENT_AT)


def parse(parser: ReportParser, text: str, sender: str | None = "郑建华") -> dict:
    return parser.parse(text, SENT, sender).to_dict()


def check(got: dict, expected: dict) -> None:
    for key, want in expected.items():
        have = got[key]
        if key in ("schools", "teachers"):
            have, want = sorted(have), sorted(want)
        assert have == want, f"{key}: want {want!r}, got {have!r} in {got}"


# --- an event that "was held" is a report without a school ---------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "11月16日,县少年宫举办了公益图书捐赠活动。",
            {"intent": "activity", "kind": "resource_support", "date": "2026-11-16", "schools": []},
        ),
        (
            "全县中小学校长论坛在县教育会堂召开,120余名校长参加。",
            {"intent": "activity", "kind": "meeting", "date": None, "participants": 120},
        ),
        (
            "15日下午,第二届城乡教师读书分享会圆满结束。",
            {
                "intent": "activity",
                "kind": "lecture_training",
                "date": "2026-11-15",
                "status": "done",
            },
        ),
    ],
)
def test_held_event_without_school(parser: ReportParser, text: str, expected: dict) -> None:
    check(parse(parser, text), expected)


@pytest.mark.parametrize(
    "text",
    [
        "张炜老师的示范课讲得太好了",  # a comment: no verb says it was held
        "下周的读书分享会在哪里举行?",  # a question
        "将举办一次联盟校长论坛,时间另定",  # announced, no day
        "开展送教要提前做好准备",  # a verb before the event word, nothing done
    ],
)
def test_held_event_needs_a_holding_statement(parser: ReportParser, text: str) -> None:
    assert parse(parser, text)["intent"] == "chat"


# --- a name after an office title (news writes the title first) ----------------------------


@pytest.mark.parametrize(
    "text, who",
    [
        ("11月16日,城乡教育共同体座谈会在城关小学召开,会议由共同体理事长孙立平主持。", ["孙立平"]),
        ("昨天,县青年志愿者协会会长柯明前往新民小学,捐赠了一批体育器材。", ["柯明"]),
        ("11月12日,师范学院实践队队长车晓东带领队员到淤上乡小学开展支教帮扶。", ["车晓东"]),
    ],
)
def test_name_after_office_title(parser: ReportParser, text: str, who: list[str]) -> None:
    check(parse(parser, text), {"teachers": who})


def test_office_title_alone_names_nobody(parser: ReportParser) -> None:
    got = parse(parser, "11月16日,县总工会主席前往城北小学慰问一线教师并召开座谈会。")
    check(got, {"intent": "activity", "kind": "meeting", "teachers": []})


# --- unknown school names are kept whole ---------------------------------------------------


@pytest.mark.parametrize(
    "text, school",
    [
        # an ordinal belongs to the name, not to the place before it
        ("11月10日,呼和浩特市第二十七小学的老师来到城关小学听评课", "呼和浩特市第二十七小学"),
        # a place name of three or four characters before its admin word
        ("11月10日,城北小学与白马岗乡中心小学开展联片教研", "白马岗乡中心小学"),
        # a preposition before the place is not part of it
        ("11月10日,校长论坛在泉州市第五中学举行", "泉州市第五中学"),
        # after a place and its admin word a verb-like word names the school
        ("11月10日,酒泉市劳动实践学校的学生来到新民小学研学", "酒泉市劳动实践学校"),
        # a university and the school it runs are one name
        ("11月10日,北京师范大学附属实验学校的专家到城北小学听评课", "北京师范大学附属实验学校"),
        # a verb before a place is not a place: 观看|成都市第七中学
        ("11月10日,城关小学学生观看成都市第七中学的直播课堂", "成都市第七中学"),
    ],
)
def test_unknown_school_kept_whole(parser: ReportParser, text: str, school: str) -> None:
    assert school in parse(parser, text)["schools"]


def test_subject_inside_a_school_name_is_not_the_subject(parser: ReportParser) -> None:
    got = parse(parser, "11月10日,酒泉市劳动实践学校的学生来到新民小学研学")
    check(got, {"subject": None})


# --- which kind: the main event ----------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        # lessons sent to a school are a delivery; the lesson word says what was sent
        (
            "11月16日,城关小学名师团队给溪南中心学校送去了精彩的阅读指导公开课",
            {"kind": "lesson_delivery", "from_school": "城关小学", "to_school": "溪南中心学校"},
        ),
        ("11月16日,城关小学为新民小学送去了一批课桌椅", {"kind": "resource_support"}),
        # teachers' 联谊 is research; pupils' 联谊 is a student activity
        (
            "11月16日,城北小学与新桥中心学校举行教师联谊活动,开展试课评课",
            {"kind": "joint_research"},
        ),
        ("11月16日,城北小学与新桥中心学校的学生开展联谊活动", {"kind": "student_activity"}),
        # 手拉手 naming an aid programme: the gift is the event
        ("11月16日,江滨小学与淤上乡小学开展“手拉手”爱心捐赠活动", {"kind": "resource_support"}),
        ("11月16日,江滨小学与淤上乡小学的学生开展手拉手结对活动", {"kind": "student_activity"}),
        # a 研讨会 held is a conference
        ("11月16日,溪南中心学校召开乡村教育振兴研讨会", {"kind": "meeting"}),
        ("11月16日,溪南中心学校开展语文课例研讨", {"kind": "joint_research"}),
    ],
)
def test_main_event_kind(parser: ReportParser, text: str, expected: dict) -> None:
    check(parse(parser, text), expected)


# --- a roster form inside another school's name --------------------------------------------


@pytest.mark.parametrize(
    "text, school, not_roster",
    [
        # an admin level the roster name does not have there: another town's school
        ("11月10日,区实验小学的老师到城北小学听评课", "区实验小学", "漳平市实验小学"),
        ("11月10日,区城北小学的老师来到解乡小学听评课", "区城北小学", "城北小学"),
        # a campus after a school's name belongs to it
        ("11月10日,育英小学东湖校区的老师到城北小学上示范课", "育英小学东湖校区", "育英小学"),
    ],
)
def test_other_school_around_a_roster_form(
    parser: ReportParser, text: str, school: str, not_roster: str
) -> None:
    got = parse(parser, text)["schools"]
    assert school in got and not_roster not in got, got


@pytest.mark.parametrize(
    "text, school",
    [
        ("11月10日,县二小的老师到城北小学听评课", "福海县第二小学"),  # an alias the roster lists
        (
            "11月10日,市实验小学的老师到城北小学听评课",
            "漳平市实验小学",
        ),  # its own name has 市 there
    ],
)
def test_roster_level_words_stay_the_roster_school(
    parser: ReportParser, text: str, school: str
) -> None:
    assert school in parse(parser, text)["schools"]


def test_held_without_le_when_nothing_is_planned(parser: ReportParser) -> None:
    got = parse(parser, "11月16日,县教育局组织15名名师深入山区学校开展送教下乡活动。")
    check(
        got,
        {"intent": "activity", "kind": "lesson_delivery", "date": "2026-11-16", "participants": 15},
    )


@pytest.mark.parametrize(
    "text",
    [
        "县教育局今日决定在全县范围内开展送教下乡活动。",  # a decision: announced, not held
        "会议要求,全县教师要深入开展送教下乡活动。",  # a duty
    ],
)
def test_held_verb_after_a_plan_is_not_held(parser: ReportParser, text: str) -> None:
    assert parse(parser, text)["intent"] == "chat"


# --- counts: a subgroup while others take part unnumbered ------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "11月16日,城关小学开展读书分享会,刘文斌、黄丽萍两位老师与全体教师分享了读书心得",
        "11月16日,江滨小学与淤上乡小学开展同课异构,安排了5名老师上课,两校老师还进行了评课",
    ],
)
def test_counted_subgroup_gives_no_participants(parser: ReportParser, text: str) -> None:
    check(parse(parser, text), {"participants": None})


# --- exchanges, faculties, 本校 ------------------------------------------------------------


def test_range_after_zhi_beats_a_stated_duration(parser: ReportParser) -> None:
    got = parse(
        parser,
        "2026年10月12日,闽南师范大学数学学院支教队到淤上乡小学开展支教,至11月6日,为期三周的支教结束。",
    )
    check(
        got,
        {
            "intent": "exchange",
            "date": "2026-10-12",
            "end_date": "2026-11-06",
            "from_school": "闽南师范大学",
            "to_school": "淤上乡小学",
        },
    )


@pytest.mark.parametrize(
    "text, schools",
    [
        # 本校 right after a named school's teacher is that school
        (
            "11月16日,城关小学的刘文斌老师同时给本校和新民小学的学生上了一节课",
            ["城关小学", "新民小学"],
        ),
        # 本校 with no school before it is the sender's
        ("今天本校开展集体备课", ["漳平市实验小学"]),
    ],
)
def test_benxiao_refers_to_the_school_just_named(
    parser: ReportParser, text: str, schools: list[str]
) -> None:
    check(parse(parser, text), {"schools": schools})


@pytest.mark.parametrize(
    "text, school",
    [
        (
            "11月16日,龙门镇中心小学校数学组到城北小学听评课",
            "龙门镇中心小学校",
        ),  # the full form 小学校
        ("11月16日,二中实验校与新民小学开展联片教研", "二中实验校"),  # the short form 实验校
    ],
)
def test_full_and_short_school_suffixes(parser: ReportParser, text: str, school: str) -> None:
    assert school in parse(parser, text)["schools"]


def test_xiaoxue_xiaozhang_is_not_xiaoxuexiao(parser: ReportParser) -> None:
    got = parse(parser, "11月16日,城关小学校长刘文斌到新民小学听评课")
    check(got, {"schools": ["城关小学", "新民小学"], "teachers": ["刘文斌"]})


@pytest.mark.parametrize(
    "text, category",
    [
        ("11月16日,城关小学与新民小学、桂林中心学校等合作学校开展同步课堂", "合作学校"),  # after 等
        ("11月16日,来自全省20所民族小学的30名教师到城北小学跟岗学习", "民族小学"),  # after N所
    ],
)
def test_kind_of_school_after_deng_or_count_is_not_a_name(
    parser: ReportParser, text: str, category: str
) -> None:
    got = parse(parser, text)["schools"]
    assert not any(category in s for s in got), got


# --- the staff of a kind of school; a verb of visiting before a school ---------------------


def test_an_areas_or_a_bodys_school_staff_is_no_school(parser: ReportParser) -> None:
    got = parse(parser, "11月12日,浙江省中学教师发展论坛在杭州市文海实验学校举行。")
    check(got, {"kind": "meeting", "schools": ["杭州市文海实验学校"]})
    got = parse(parser, "11月13日,市教育学会小学校长专委会年会在城关小学召开。")
    check(got, {"kind": "meeting", "schools": ["城关小学"]})


def test_a_verb_of_visiting_is_not_part_of_the_school_name(parser: ReportParser) -> None:
    got = parse(parser, "11月10日,县督导组一行四人莅临光明小学开展专项督导。")
    check(got, {"kind": "inspection", "schools": ["光明小学"]})


def test_words_glued_before_a_head_word_only_say_what_it_was_about(parser: ReportParser) -> None:
    # the head (总结会) wins over every word glued before it, not only the nearest
    got = parse(parser, "11月16日,实小支教教师研修总结会召开,6名支教教师发言。")
    check(got, {"intent": "activity", "kind": "meeting"})


def test_carried_out_is_held_and_a_challenge_match_is_a_contest(parser: ReportParser) -> None:
    got = parse(parser, "11月12日上午,县教研室调研组对城区各小学的作业管理进行专项调研。")
    check(got, {"intent": "activity", "kind": "inspection", "date": "2026-11-12"})
    got = parse(parser, "新民小学开展了青年教师说课擂台赛,全校21名教师参加。")
    check(got, {"intent": "activity", "kind": "competition", "schools": ["新民小学"]})


def test_a_function_like_character_after_an_admin_word_starts_a_place_name(
    parser: ReportParser,
) -> None:
    # 上/下/中 right after 县/镇… begin the next place's name (xx县上坪小学), but 市中小学 is
    # the city's schools
    got = parse(parser, "11月16日,城关小学与甘肃岷县中寨小学开展了网络教研活动。")
    check(got, {"kind": "joint_research", "schools": ["城关小学", "甘肃岷县中寨小学"]})
    got = parse(parser, "11月16日,广西梧州市中小学骨干教师20人到新民小学跟岗学习。")
    assert "广西梧州市中小学" not in got["schools"], got


@pytest.mark.parametrize(
    "text",
    ["上周四给桂林中心校的孩子捐了两箱文具", "今天黄丽萍老师捐给新桥中心校300本课外书"],
)
def test_a_counted_gift_by_bare_juan_is_resource_support(parser: ReportParser, text: str) -> None:
    # 捐 alone (捐了, 捐给) + a counted quantity is a gift, like 送去了20套实验箱
    got = parser.parse(text, SENT, "郑建华").to_dict()
    assert (got["intent"], got["kind"]) == ("activity", "resource_support")
