"""ReportParser: where school names and people's names start and end, by general facts of
Chinese rather than phrase lists. Each case is worded unlike the corpus line that prompted
the rule. Sent on Wednesday 2026-11-18 at 20:00 (+08:00), against the example roster.
"""

from __future__ import annotations

from datetime import datetime

import pytest

from handlers.reports import ReportParser
from handlers.vocab import EXAMPLE_SENT_AT

SENT = datetime.fromisoformat(EXAMPLE_SENT_AT)


def parse(parser: ReportParser, text: str, sender: str | None = "郑建华") -> dict:
    return parser.parse(text, SENT, sender).to_dict()


# --- a roster alias inside another school's longer name -------------------------------------


@pytest.mark.parametrize(
    "text, schools",
    [
        # 实小 is 实验小学 shortened (as 附小 is 附属小学): a place before it names another school
        ("11月12日,南通崇川实小的六位老师来城关小学开展送教活动。", ["南通崇川实小", "城关小学"]),
        # 小学校 is the full form of 小学, also after 实验: the roster's 实验小学 is not inside it
        ("11月16日,海门东洲实验小学校举行了数学教研活动。", ["海门东洲实验小学校"]),
        # the roster's own alias, with nothing glued before it, stays the roster school
        ("实小组织了数学教研活动", ["漳平市实验小学"]),
    ],
)
def test_alias_inside_a_longer_name_is_another_school(
    parser: ReportParser, text: str, schools: list[str]
) -> None:
    assert sorted(parse(parser, text)["schools"]) == sorted(schools)


# --- where an unknown school's name starts ---------------------------------------------------


@pytest.mark.parametrize(
    "text, school",
    [
        # a verb after its subject is the predicate: the name starts after it
        ("11月9日,城关小学的老师们慰问阳光小学的留守儿童并捐赠了图书。", "阳光小学"),
        ("11月9日,县局督查组一行四人视察南湾小学开学检查工作。", "南湾小学"),
        # a verb after a preposition or another verb begins the name itself
        ("11月11日,县局领导到前进小学调研。", "前进小学"),
        # jieba reads a preposition and the name's first character as a name (向东):
        # after a subject it is the preposition
        ("11月12日,六年级学生向东湖小学捐赠图书300册。", "东湖小学"),
    ],
)
def test_name_starts_after_the_predicate(parser: ReportParser, text: str, school: str) -> None:
    assert school in parse(parser, text)["schools"]


@pytest.mark.parametrize(
    "text, schools",
    [
        # in a list of schools each item between 、 marks is one bare name, also where jieba
        # cuts its first character off (中|溪, 下|田)
        (
            "11月10日,城关小学与结对的东坪小学、中溪小学、下田小学开展了送教活动。",
            ["城关小学", "东坪小学", "中溪小学", "下田小学"],
        ),
        # a position character after a place's admin word is part of the name (县|中|寨)
        (
            "11月10日,城关小学与贵州雷山县中寨小学开展了同课异构活动。",
            ["城关小学", "贵州雷山县中寨小学"],
        ),
        (
            "11月10日,城关小学与四川汶川县下庄小学开展了同课异构活动。",
            ["城关小学", "四川汶川县下庄小学"],
        ),
        # …and so is one that opens the clause: a position word needs a noun before it
        ("11月10日,中坝小学的老师来城北小学听课。", ["中坝小学", "城北小学"]),
        ("通过直播,下洋小学的学生和城北小学一起上了音乐课。", ["下洋小学", "城北小学"]),
    ],
)
def test_cut_off_first_character_stays_in_the_name(
    parser: ReportParser, text: str, schools: list[str]
) -> None:
    assert sorted(parse(parser, text)["schools"]) == sorted(schools)


@pytest.mark.parametrize(
    "text, school",
    [
        # school words by the grades a school holds, and 寄校 (寄宿制学校 shortened)
        ("11月10日,城北小学的老师到龙潭镇十二年一贯制学校开展送教活动。", "龙潭镇十二年一贯制学校"),
        ("11月10日,城北小学的老师到白沙乡九年制学校开展送教活动。", "白沙乡九年制学校"),
        ("11月10日,城北小学的老师到石门乡寄校开展送教活动。", "石门乡寄校"),
        # the primary section of a town's 中心校 is named with both words
        ("11月10日,城北小学的老师到青山镇中心校小学开展送教活动。", "青山镇中心校小学"),
    ],
)
def test_school_type_words(parser: ReportParser, text: str, school: str) -> None:
    got = parse(parser, text)
    assert got["to_school"] == school and sorted(got["schools"]) == sorted([school, "城北小学"])


@pytest.mark.parametrize(
    "text, school",
    [
        # the top of a hierarchy of places is a place, though jieba tags 保定, 开封 as verbs
        ("11月10日,保定市清苑区东闾乡中心小学的老师来城北小学听课。", "保定市清苑区东闾乡中心小学"),
        (
            "11月10日,开封市杞县城关镇第二小学到城北小学开展了同课异构活动。",
            "开封市杞县城关镇第二小学",
        ),
        # 山区 "mountain area" ends a name, but above another level it is a district (铜|山区)
        (
            "11月10日,城北小学的老师到徐州市铜山区柳泉镇中心小学开展送教活动。",
            "徐州市铜山区柳泉镇中心小学",
        ),
        # …while a verb before a single place level is the predicate
        ("11月10日,城北小学收看成都市第七中学的直播课。", "成都市第七中学"),
    ],
)
def test_place_hierarchy_before_a_school(parser: ReportParser, text: str, school: str) -> None:
    assert school in parse(parser, text)["schools"]


@pytest.mark.parametrize(
    "text, schools",
    [
        # 周 cut off alone is the name's first character, not the week (dates come first)
        ("11月10日,城北小学邀请周溪小学开展了同课异构活动。", ["城北小学", "周溪小学"]),
        ("11月10日,城北小学邀请周湾实验学校开展了同课异构活动。", ["城北小学", "周湾实验学校"]),
        ("本周实小开展了数学教研活动", ["漳平市实验小学"]),
    ],
)
def test_zhou_before_a_name_is_part_of_it(
    parser: ReportParser, text: str, schools: list[str]
) -> None:
    assert sorted(parse(parser, text)["schools"]) == sorted(schools)


def test_mountain_area_is_no_school_name(parser: ReportParser) -> None:
    got = parse(parser, "11月10日,城北小学的老师到偏远山区小学开展送教活动。")
    assert got["schools"] == ["城北小学"]


def test_a_determiner_before_the_school_word_names_no_school(parser: ReportParser) -> None:
    # 某小学, 该小学: a school referred to, not named; the place before 某 is not its name
    got = parse(parser, "11月10日,海沧区某小学的老师到城关小学听课。")
    assert got["schools"] == ["城关小学"]


@pytest.mark.parametrize(
    "text",
    [
        # the name of another body (a society, a committee, an office) before a school word:
        # the school word belongs to the body's branch, and no school is named there
        "11月5日,福建省陶行知研究会小学分会在城关小学召开年会。",
        "11月5日,市教育学会小学分会在城关小学召开年会。",
        # a province or a district and a bare school word: that area's schools
        "11月6日,经开区小学校长论坛在城关小学举行。",
        "11月6日,浙江省中学校长培训班在城关小学开班。",
    ],
)
def test_no_school_made_of_another_body_or_an_area(parser: ReportParser, text: str) -> None:
    assert parse(parser, text)["schools"] == ["城关小学"]


@pytest.mark.parametrize(
    "text, schools",
    [
        # a common noun of the dictionary names a kind of school, not one school
        ("11月5日,城关小学邀请师范学院的教授来校作讲座。", ["城关小学"]),
        # …with a place before it, it is a name
        ("11月5日,城关小学邀请龙岩师范学院的教授来校作讲座。", ["城关小学", "龙岩师范学院"]),
    ],
)
def test_kind_of_school_is_no_name(parser: ReportParser, text: str, schools: list[str]) -> None:
    assert sorted(parse(parser, text)["schools"]) == sorted(schools)


def test_community_named_school_is_a_name(parser: ReportParser) -> None:
    # 社区, 矿区 end in 区 but are places a school is named after, not a district's schools
    got = parse(parser, "11月6日,阳光社区小学的老师到城关小学听评课。")
    assert sorted(got["schools"]) == ["城关小学", "阳光社区小学"]


def test_university_before_the_school_it_runs(parser: ReportParser) -> None:
    # jieba cuts 九江|大学: the university and its 附属 school are one name
    got = parse(parser, "11月7日,九江大学附属小学的老师来城关小学开展送教活动。")
    assert sorted(got["schools"]) == ["九江大学附属小学", "城关小学"]


@pytest.mark.parametrize(
    "text, schools",
    [
        # a line's field name before its colon names the field, not a school
        ("获赠学校:城北小学\n捐赠物品:图书200册\n日期:11月15日", ["城北小学"]),
        ("【活动】送教|【受课学校】新民小学|【日期】11.17", ["新民小学"]),
        # a school named at a line start, before a colon, is the list's header
        ("城北小学:\n1. 周二送教\n2. 周四教研", ["城北小学"]),
    ],
)
def test_form_field_name_is_no_school(parser: ReportParser, text: str, schools: list[str]) -> None:
    got = parse(parser, text)
    assert sorted({s for r in got.get("records") or [got] for s in r["schools"]}) == schools


# --- people the roster does not know -------------------------------------------------------


@pytest.mark.parametrize(
    "text, teachers",
    [
        # 文 is a surname (文海燕老师); the 文 of 语文 is not, being inside a word
        ("11月3日,文海燕老师到城北小学上了一节数学示范课。", ["文海燕"]),
        ("11月3日,语文老师到城北小学上了一节示范课。", []),
        # 教师 right after a word is a job with its modifier, even one jieba tags as a name
        # (温馨 is nr in its dictionary): people are named before 老师
        ("11月3日,城关小学评选出的温馨教师在城北小学上了一节示范课。", []),
        # a counted group, then a colon or comma and its members by name
        ("新民小学来了三名支教老师:蒋文华、何丽和孙浩,为期一学期", ["蒋文华", "何丽", "孙浩"]),
    ],
)
def test_unknown_people(parser: ReportParser, text: str, teachers: list[str]) -> None:
    assert sorted(parse(parser, text)["teachers"]) == sorted(teachers)


@pytest.mark.parametrize(
    "text, sender, schools",
    [
        # the school that invites is the one the guest comes to, not the sender's
        ("上周四福海二小特邀县教研员来校听课指导,语文组8位老师参加", "郑建华", ["福海县第二小学"]),
        # without an inviting school, 来校 is the sender's own school
        ("昨天实小黄丽萍老师来校做了讲座", "刘文斌", None),
    ],
)
def test_come_to_school_of_the_inviter(
    parser: ReportParser, text: str, sender: str, schools: list[str] | None
) -> None:
    got = parse(parser, text, sender)["schools"]
    if schools is None:
        assert len(got) == 2  # the visitor's school and the sender's
    else:
        assert got == schools
