"""Modes (schema field `mode`: online / offline): label, parser words, /修改 words, examples."""

from __future__ import annotations

from dataclasses import dataclass, field

from handlers.vocab.examples import Example


@dataclass(frozen=True)
class Mode:
    code: str
    label: str
    words: tuple[str, ...]  # words in a report that say how it took place
    edit_words: tuple[str, ...] = ()  # accepted by /修改 besides the label and the code
    examples: tuple[Example, ...] = field(default=(), repr=False)


MODES: tuple[Mode, ...] = (
    Mode(
        "online",
        "线上",
        (
            "线上",
            "网络",
            "远程",
            "直播",
            "在线",
            "视频",
            "云端",
            "腾讯会议",
            "钉钉",
            "网路",
            "视讯",
            "远端",
            "云课堂",
            "空中课堂",
            "连线",
        ),
        edit_words=("网络",),
        examples=(
            (
                "今天下午实小和城北小学在线开展英语集体备课",
                "陈志强",
                {"kind": "joint_research", "mode": "online"},
            ),
        ),
    ),
    Mode(
        "offline",
        "线下",
        (
            "线下",
            "现场",
            "实地",
            "到校",
            "来校",
            "到我校",
            "来我校",
            "来我们学校",
            "到我们学校",
            "来我们这",
            "到我们这",
            "来我们校",
        ),
        edit_words=("现场",),
        examples=(
            (
                "昨天江滨小学卢志米老师来我校上了一节数学示范课《圆的认识》",
                "邱克红",
                {"kind": "demo_lesson", "mode": "offline"},
            ),
        ),
    ),
)
