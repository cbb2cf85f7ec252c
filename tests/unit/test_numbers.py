"""Numerals, participant counts and lesson counts."""

from __future__ import annotations

import pytest

from handlers.reports.numbers import cn_to_int, headcounts, lessons, participants


@pytest.mark.parametrize(
    "text, value",
    [
        ("两", 2),
        ("十", 10),
        ("十二", 12),
        ("二十", 20),
        ("二十三", 23),
        ("三十", 30),
        ("一百", 100),
        ("一百二十", 120),
        ("一百零五", 105),
        ("百", 100),
        ("两千", 2000),
        ("15", 15),
        ("〇", 0),
    ],
)
def test_cn_to_int(text: str, value: int) -> None:
    assert cn_to_int(text) == value


@pytest.mark.parametrize("text", ["", "一二", "十十", "abc", "三个"])
def test_cn_to_int_rejects(text: str) -> None:
    assert cn_to_int(text) is None


def count(text: str, name_ends: frozenset[int] = frozenset()) -> int | None:
    return participants(headcounts(text, name_ends))


@pytest.mark.parametrize(
    "text, value",
    [
        ("听课教师15人", 15),
        ("十二位老师参加评课", 12),
        ("三校共二十三位老师参加", 23),
        ("城关小学、新民小学等六所学校18名教师参赛", 18),  # 所学校 is not a headcount
        ("两校100余名学生参加", 100),
        ("30余名教师聆听", 30),
        ("三十多位老师参加", 30),
        ("十余位老师听课", 10),
        ("近20名教师今天到实小观摩", 20),
        ("近200名家长走进课堂", 200),
        ("超过200人次", 200),
        ("4名学生代表去淤上乡小学", 4),
        ("共18人", 18),
        ("9位老师参赛", 9),
        ("20个老师参加", 20),
        ("参训教师五十人", 50),
        ("我校10人、城关小学8人参加", 18),  # parallel groups add up
    ],
)
def test_participants(text: str, value: int) -> None:
    assert count(text) == value


@pytest.mark.parametrize(
    "text",
    [
        "赠送图书600册、体育器材一批",
        "图书800余册",
        "价值约3万元",
        "全校数学老师都去听了",
        "解小三年级全体学生参加",
        "两个班的学生",
        "六年级学生",
        "三所成员校",
        "共听课六节",
        "本月送教4次",
        "每一位老师都很认真",
        "请各校各推荐2名教师参加",  # asked for, not counted
        "我校5名教师和城关小学老师一起参加",  # one subgroup counted, the other not
    ],
)
def test_not_participants(text: str) -> None:
    assert count(text) is None


def test_name_list_count_only_when_alone() -> None:
    text = "陈志强、黄丽萍两位老师到齐小送教"
    ends = frozenset({text.index("两")})
    assert count(text, ends) == 2
    text2 = "陈志强、黄丽萍两位老师到齐小送教,齐小20余名教师听课"
    assert count(text2, frozenset({text2.index("两")})) == 20  # the audience wins


def test_performer_count_is_the_last_resort() -> None:
    assert count("齐小拟派2名青年教师到福海二小跟岗学习") == 2
    assert count("派3名骨干教师到新民小学送教,新民小学40余名教师听课") == 40


@pytest.mark.parametrize(
    "text, value",
    [
        ("上了两节语文课", 2),
        ("上两节英语课", 2),
        ("一节数学示范课", 1),
        ("共上三节课", 3),
        ("听了三节课", 3),
        ("共听课六节", 6),
        ("听课四节", 4),
        ("美术课,两节", 2),
        ("语文、数学各一节", 2),
        ("语文、数学、英语各两节", 6),
        ("3堂语文课及1堂数学课", 4),
        ("上了十二节课", 12),
        ("一堂课", 1),
        ("上了两节课,其中一节语文一节数学", 2),  # a breakdown is not counted twice
        ("张炜、马欣瑞两位老师各上了一节数学课", 2),
    ],
)
def test_lessons(text: str, value: int) -> None:
    assert lessons(text) == value


@pytest.mark.parametrize(
    "text",
    [
        "第二节课",
        "第十二节",
        "教师节快乐",
        "报送节目",
        "欢聚一堂",
        "齐聚一堂",
        "每一节课都很精彩",
        "节约用水",
        "国庆节",
    ],
)
def test_not_lessons(text: str) -> None:
    assert lessons(text) is None
