"""Statuses (schema field `status`: done / planned): label, /修改 words, examples."""

from __future__ import annotations

from dataclasses import dataclass, field

from handlers.vocab.examples import Example


@dataclass(frozen=True)
class Status:
    code: str
    label: str
    words: tuple[str, ...]  # accepted by /修改 besides the label and the code
    examples: tuple[Example, ...] = field(default=(), repr=False)


STATUSES: tuple[Status, ...] = (
    Status(
        "done",
        "已完成",
        ("完成",),
        examples=(
            (
                "今天实小和城北小学开展英语同课异构",
                "黄丽萍",
                {"kind": "joint_research", "status": "done"},
            ),
        ),
    ),
    Status(
        "planned",
        "计划中",
        ("计划",),
        examples=(
            (
                "下周三我在城北小学上一节公开课《匆匆》,欢迎各位老师来听",
                "陈志强",
                {"kind": "demo_lesson", "status": "planned"},
            ),
        ),
    ),
)
