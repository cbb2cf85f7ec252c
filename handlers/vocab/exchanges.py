"""Teacher exchange kinds (schema field `exchange_kind`, codes fixed by report-schema.md).

Like activity kinds: label, parser words, /明细 words and parser-tested examples.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from handlers.vocab.examples import Example


@dataclass(frozen=True)
class ExchangeKind:
    code: str
    label: str
    words: tuple[str, ...]
    # Short words /明细 and /进度 accept besides the label and the code.
    command_words: tuple[str, ...] = ()
    examples: tuple[Example, ...] = field(default=(), repr=False)


EXCHANGE_KINDS: tuple[ExchangeKind, ...] = (
    ExchangeKind(
        "rotation",
        "交流轮岗",
        ("交流轮岗", "轮岗交流", "轮岗", "交流任教", "调配交流", "交流到", "交流至"),
        command_words=("轮岗",),
        examples=(
            (
                "2026年9月1日起,我校陈志强老师到桂林中心学校交流轮岗一学年",
                "郑建华",
                {
                    "intent": "exchange",
                    "exchange_kind": "rotation",
                    "date": "2026-09-01",
                    "end_date": "2027-07-31",
                    "from_school": "漳平市实验小学",
                    "to_school": "桂林中心学校",
                    "teachers": ["陈志强"],
                },
            ),
            (
                "我9月起从淤上乡小学交流到江滨小学任教,为期一学年",
                "吴丽琼",
                {
                    "exchange_kind": "rotation",
                    "from_school": "淤上乡小学",
                    "to_school": "庆元县江滨小学",
                    "end_date": "2027-07-31",
                },
            ),
        ),
    ),
    ExchangeKind(
        "support_teaching",
        "支教",
        ("驻校支教", "顶岗支教", "支教"),
        examples=(
            (
                "我校张炜老师9月起到齐干吉迭乡小学支教一学年,主要承担四年级数学教学",
                "张凤琴",
                {
                    "exchange_kind": "support_teaching",
                    "date": "2026-09-01",
                    "subject": "数学",
                    "status": "done",
                    "to_school": "齐干吉迭乡小学",
                },
            ),
            (
                "今天學校安排我明年2月起到解鄉小學支教一學期",
                "孙慧霞",
                {
                    "exchange_kind": "support_teaching",
                    "date": "2027-02-01",
                    "end_date": "2027-07-15",
                    "status": "planned",
                },
            ),
        ),
    ),
    ExchangeKind(
        "shadowing",
        "跟岗学习",
        ("跟岗学习", "跟岗", "顶岗学习", "跟班学习"),
        examples=(
            (
                "城关小学下周一到周三派两名教师到实小跟岗学习",
                "刘文斌",
                {
                    "exchange_kind": "shadowing",
                    "date": "2026-11-23",
                    "end_date": "2026-11-25",
                    "from_school": "城关小学",
                    "to_school": "漳平市实验小学",
                    "teachers": [],
                },
            ),
        ),
    ),
    ExchangeKind(
        "secondment",
        "挂职",
        ("挂职锻炼", "挂职学习", "挂职"),
        examples=(
            (
                "9月起,实小黄丽萍老师到城北小学挂职教学副校长一学期",
                "郑建华",
                {
                    "exchange_kind": "secondment",
                    "date": "2026-09-01",
                    "end_date": "2027-01-31",
                    "teachers": ["黄丽萍"],
                },
            ),
        ),
    ),
)
