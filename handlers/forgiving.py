"""Commands as people actually type them on a phone.

- full-width or traditional input: "／進度", "/修改 13 人数：22" (normalised like reports);
- a command glued to its argument: "/统计本学期" → /统计 本学期;
- common variants: "/撤消" → /撤销, "/查进度" → /进度;
- "field:value" written as one token: "人数:22" → 人数 22 (a time such as 15:00 stays whole);
- a known command word sent to the bot without "/": "@机器人 进度";
- a near miss ("/统记 本学期") is not guessed at but answered "你是不是想发 /统计 本学期?".

Pure functions over the router's names; the message handler calls `resolve`.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from handlers.router import CommandSpec, Router

# Words people use for a command that are not its name or alias (after normalisation).
VARIANTS = {
    "撤消": "撤销",
    "撤回": "撤销",
    "取消记录": "撤销",
    "删记录": "撤销",
    "查进度": "进度",
    "进展": "进度",
    "看进度": "进度",
    "完成情况": "进度",
    "查统计": "统计",
    "统计一下": "统计",
    "汇总": "统计",
    "查明细": "明细",
    "记录列表": "明细",
    "台账": "导出",
    "导出台账": "导出",
    "下载台账": "导出",
    "考核分": "考核",
    "考核得分": "考核",
    "捆绑考核": "考核",
    "更正": "修改",
    "更改": "修改",
    "改正": "修改",
    "总结报告": "总结",
    "学年总结": "总结",
    "例会提醒": "会议",
    "开会": "会议",
    "使用帮助": "帮助",
    "菜单": "帮助",
    "命令": "帮助",
}
# Without "/", these words start a command even with arguments after them; other command
# words ("会议", "交流", "完成" …) also begin ordinary reports, so alone they must be the
# whole message to count as a command.
SLASHLESS_WITH_ARGS = frozenset(
    {"进度", "统计", "明细", "考核", "导出", "帮助", "撤销", "修改", "总览", "绑定"}
)
# Only a Chinese field name is split off ("人数:22"); "qq:4D7A…" (an account in /绑定) stays whole.
_FIELD_VALUE = re.compile(r"^([^\d:=]*[\u4e00-\u9fff][^\d:=]*)[:=](.+)$")


@dataclass(frozen=True)
class Resolved:
    spec: CommandSpec | None
    args: list[str]
    word: str  # what the user wrote as the command word
    suggestion: str | None = None  # "/统计 本学期" when only a guess was possible

    @property
    def text(self) -> str:
        return " ".join([f"/{self.spec.name}" if self.spec else f"/{self.word}", *self.args])


def normalize_command(text: str) -> str:
    from handlers.reports.normalize import normalize

    return normalize(text)


def split_args(args: list[str]) -> list[str]:
    """'人数:22' → '人数', '22'; commas between values become spaces."""
    out: list[str] = []
    for a in args:
        for piece in re.split(r"[,,;;]+", a):
            if not piece:
                continue
            m = _FIELD_VALUE.match(piece)
            if m:
                out += [m.group(1), m.group(2)]
            else:
                out.append(piece)
    return out


def _lookup(router: Router, word: str) -> CommandSpec | None:
    return router.find(word) or (router.find(VARIANTS[word]) if word in VARIANTS else None)


def _names(router: Router) -> list[str]:
    words = [w for spec in router.commands.values() for w in (spec.name, *spec.aliases)]
    return sorted(set(words) | set(VARIANTS), key=len, reverse=True)


def resolve(router: Router, text: str, *, addressed: bool) -> Resolved | None:
    """The command a message means, or None when it is not a command at all."""
    t = normalize_command(text)
    slash = t.startswith("/")
    if not slash and not addressed:
        return None
    body = t[1:].strip() if slash else t
    parts = body.split()
    if not parts:
        return Resolved(None, [], "") if slash else None
    word, args = parts[0], split_args(parts[1:])
    spec = _lookup(router, word)
    if not slash:
        # Without "/", only an exact command word counts ("统计局的同志来我校视导" is a
        # report), or one glued to a period ("统计本学期").
        if spec is None:
            spec, rest = _glued_period(router, word)
            if spec is None:
                return None
            args = split_args([rest, *parts[1:]])
        if args and spec.name not in SLASHLESS_WITH_ARGS:
            return None
        return Resolved(spec, args, word)
    if spec is None:
        # Glued: the longest command word the text starts with, the rest its first argument.
        for name in _names(router):
            if word.startswith(name) and len(word) > len(name) and not name.isascii():
                spec = _lookup(router, name)
                args = split_args([word[len(name) :], *parts[1:]])
                break
    if spec is not None:
        return Resolved(spec, args, word)
    guess = _guess(word, _names(router))
    if guess:
        target = _lookup(router, guess)
        if target is not None:
            suggestion = " ".join([f"/{target.name}", *args])
            return Resolved(None, args, word, suggestion)
    return Resolved(None, args, word)


def _glued_period(router: Router, word: str) -> tuple[CommandSpec | None, str]:
    """'统计本学期' → (/统计, '本学期'): a command word followed by a period word only."""
    import datetime as dt

    from handlers.periods import parse_period

    for name in _names(router):
        if word.startswith(name) and len(word) > len(name) and not name.isascii():
            rest = word[len(name) :]
            try:
                ok = parse_period(rest, dt.date.today()) is not None
            except ValueError:
                ok = False
            if ok:
                return _lookup(router, name), rest
    return None, ""


def _guess(word: str, names: list[str]) -> str | None:
    """A homophone typo first (统记 → 统计, 进渡 → 进度), then the closest spelling."""
    from handlers.reports.gazetteer import homophone

    for name in names:
        if len(name) == len(word) and all(
            homophone(a, b) for a, b in zip(word, name, strict=False)
        ):
            return name
    close = difflib.get_close_matches(word, [n for n in names if not n.isascii()], n=1, cutoff=0.5)
    return close[0] if close else None


def unknown_reply(r: Resolved) -> str:
    if r.suggestion:
        return f"没有 /{r.word} 这个命令。你是不是想发 {r.suggestion}?发送 /帮助 查看可用命令。"
    if not r.word:
        return "请在 / 后面写命令,例如 /进度。发送 /帮助 查看可用命令。"
    return f"没有 /{r.word} 这个命令。发送 /帮助 查看可用命令。"


def number_value(value: str) -> int | None:
    """'22', '两节', '十五人', '22 人' → the number; None when it is not one."""
    from handlers.text.numerals import cn_to_int

    m = re.fullmatch(
        r"(?:共|约)?\s*([0-9]+|[零〇一二两三四五六七八九十百千]{1,6})\s*"
        r"[人节堂个位名次课]?(?:课)?",
        value.strip(),
    )
    if not m:
        return None
    return cn_to_int(m.group(1))
