"""When a message is a short answer to the bot's question (handlers/followups.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from handlers.followups import is_short_answer

SCHOOLS = ["解乡小学", "解小", "福海县第二小学", "福海二小", "二小", "淤上乡小学", "淤上"]


@pytest.mark.parametrize(
    "text, values",
    [
        ("马欣瑞老师", {"teachers": ["马欣瑞"]}),
        ("是马欣瑞和张炜两位老师", {"teachers": ["马欣瑞", "张炜"]}),
        ("11月20日", {"date": dt.date(2026, 11, 20)}),
        ("上周三去的", {"date": dt.date(2026, 11, 18)}),
        ("听课15人", {"participants": 15}),
        ("一共来了十二位老师", {"participants": 12}),
        ("语文课,上了2节", {"subject": "语文", "lessons": 2}),
        ("解小", {"to_school": "解乡小学", "schools": ["解乡小学"]}),
        ("我和马欣瑞一起去的", {"teachers": ["张炜", "马欣瑞"]}),
    ],
)
def test_short_answers(text, values):
    assert is_short_answer(text, values, SCHOOLS)


@pytest.mark.parametrize(
    "text, values",
    [
        ("祝贺淤上乡小学吴丽琼老师获县优质课一等奖!", {"teachers": ["吴丽琼"]}),
        ("张炜今天请假,课调到明天", {"teachers": ["张炜"]}),
        ("马欣瑞老师讲得真好,孩子们很喜欢", {"teachers": ["马欣瑞"]}),
        ("下周我们去解小听评课", {"schools": ["解乡小学"]}),
        ("马欣瑞老师", {}),  # nothing it says fills a field
        ("马欣瑞" * 20, {"teachers": ["马欣瑞"]}),  # too long to be an answer
    ],
)
def test_not_short_answers(text, values):
    assert not is_short_answer(text, values, SCHOOLS)
