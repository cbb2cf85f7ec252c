"""Phone-sized answers: at most one screen (about 20 lines), most important first.

Commands build their answer as lines; `page_of` cuts a long list into pages and says how to
ask for the next one, so that nothing is ever cut off by a platform's size limit. WeCom
markdown may colour what is behind; `warn` marks it, `plain`/`markdown` render both forms.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SCREEN_LINES = 20
_WARN = re.compile(r"⟦(.*?)⟧")


def warn(text: str) -> str:
    """Mark `text` as behind/late: orange in WeCom markdown, plain elsewhere."""
    return f"⟦{text}⟧"


def plain(text: str) -> str:
    return _WARN.sub(r"\1", text)


# Markup characters of WeCom markdown → their full-width forms (read the same by a Chinese
# user): names and labels in an answer must never become tags, links, bold or headings.
_MD_CHARS = str.maketrans(
    {"*": "＊", "`": "｀", "[": "［", "]": "］", "<": "＜", ">": "＞", "_": "＿", "~": "～"}
)
_HEADING = re.compile(r"^(\s*)#", re.M)


def escape_markdown(text: str) -> str:
    return _HEADING.sub(r"\1＃", text.translate(_MD_CHARS))


def markdown(text: str) -> str:
    """WeCom markdown: the text made inert, then warned words in the warning colour."""
    return _WARN.sub(r'<font color="warning">\1</font>', escape_markdown(text))


@dataclass(frozen=True)
class Page:
    lines: list[str]
    number: int
    pages: int
    total: int


def page_of(items: list[str], page: int, size: int) -> Page:
    """Items `size` per page; `page` beyond the last is an error the caller reports."""
    pages = max(1, (len(items) + size - 1) // size)
    if page > pages:
        raise ValueError(f"只有 {pages} 页")
    start = (page - 1) * size
    return Page(items[start : start + size], page, pages, len(items))


def next_page_hint(command: str, args: list[str], page: Page) -> str | None:
    """'第1/3页,下一页:/进度 第2页' (the asker's other arguments kept)."""
    if page.pages <= 1:
        return None
    keep = [a for a in args if not PAGE_WORD.fullmatch(a.strip())]
    if page.number < page.pages:
        nxt = " ".join([f"/{command}", *keep, f"第{page.number + 1}页"])
        return f"第 {page.number}/{page.pages} 页,下一页:{nxt}"
    return f"第 {page.number}/{page.pages} 页(最后一页)"


PAGE_WORD = re.compile(r"第\s*\d+\s*页|\d+\s*页|[pP]\d+")


def fits(text: str, lines: int = SCREEN_LINES) -> bool:
    return len(text.splitlines()) <= lines
