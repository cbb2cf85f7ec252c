"""Subjects (schema field `subject`): canonical name, written forms, examples.

"Loose" subjects count wherever they appear; the others are ordinary words too (历史悠久,
体育器材, 科学合理) and count only next to a teaching word (the context tuples below).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from handlers.vocab.examples import Example


@dataclass(frozen=True)
class Subject:
    name: str  # canonical, as stored and shown (the label)
    words: tuple[str, ...]  # written forms the parser reads
    loose: bool = False
    examples: tuple[Example, ...] = field(default=(), repr=False)


def _ex(written: str, name: str) -> Example:
    return (
        f"今天实小和城北小学开展{written}集体备课",
        "陈志强",
        {"kind": "joint_research", "subject": name},
    )


SUBJECTS: tuple[Subject, ...] = (
    Subject("语文", ("语文",), loose=True, examples=(_ex("语文", "语文"),)),
    Subject("数学", ("数学",), loose=True, examples=(_ex("数学", "数学"),)),
    Subject("英语", ("英语",), loose=True, examples=(_ex("英语", "英语"),)),
    Subject("科学", ("科学",), examples=(_ex("科学", "科学"),)),
    Subject(
        "道德与法治",
        ("道德与法治", "道德与法制", "道法"),
        loose=True,
        examples=(_ex("道法", "道德与法治"),),
    ),
    Subject("音乐", ("音乐",), examples=(_ex("音乐", "音乐"),)),
    Subject("美术", ("美术",), examples=(_ex("美术", "美术"),)),
    Subject("体育", ("体育与健康", "体育"), examples=(_ex("体育与健康", "体育"),)),
    Subject(
        "信息技术", ("信息技术", "信息科技"), loose=True, examples=(_ex("信息科技", "信息技术"),)
    ),
    Subject("劳动", ("劳动",), examples=(_ex("劳动", "劳动"),)),
    Subject("综合实践", ("综合实践",), loose=True, examples=(_ex("综合实践", "综合实践"),)),
    Subject("心理健康", ("心理健康", "心理"), loose=True, examples=(_ex("心理健康", "心理健康"),)),
    Subject("书法", ("书法",), examples=(_ex("书法", "书法"),)),
    Subject("物理", ("物理",), examples=(_ex("物理", "物理"),)),
    Subject("化学", ("化学",), examples=(_ex("化学", "化学"),)),
    Subject("生物", ("生物",), examples=(_ex("生物", "生物"),)),
    Subject("历史", ("历史",), examples=(_ex("历史", "历史"),)),
    Subject("地理", ("地理",), examples=(_ex("地理", "地理"),)),
    Subject("政治", ("思想政治", "政治"), examples=(_ex("思想政治", "政治"),)),
)

# Follows a subject word when it names the teaching subject.
SUBJECT_CONTEXT_AFTER = (
    "课",
    "组",
    "老师",
    "教师",
    "学科",
    "教研",
    "教学",
    "单元",
    "《",
    "示范",
    "公开",
    "同课",
    "异课",
    "集体",
    "备课",
    "作业",
    "实验课",
    "活动课",
    "比赛",
    "竞赛",
    "大赛",
    "教育",
    "素养",
    "阅读",
    "思维",
    "专题",
    "骨干",
    "名师",
    "特色",
    # a lesson delivery or a sync class of that subject: 美术送课1节, 英语同步课堂
    "送课",
    "送教",
    "同步",
    "专递",
    "展示",
    "观摩",
    "磨课",
)
SUBJECT_CONTEXT_BEFORE = (
    "上",
    "执教",
    "任教",
    "教",
    "讲",
    "年级",
    "学科",
    "承担",
    "一节",
    "两节",
    "堂",
)
# Follows a subject word when it describes a thing, not a lesson: 科学实验器材, 体育器材.
SUBJECT_NOT_AFTER = (
    "器材",
    "实验器材",
    "仪器",
    "设备",
    "用品",
    "图书",
    "书籍",
    "教具",
    "实验室",
    "馆",
    "家",
    "发展",
    "合理",
    "规划",
    "性",
    "节",
    "人民",
    "健康状况",
    "资料",
)
