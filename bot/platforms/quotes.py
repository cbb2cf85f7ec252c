"""Quotes written into a message's text, split off so the reply is read alone.

Two text forms carry a quote in the text itself rather than in a field of the payload:

- WeCom (and WeChat) render a reply to a message, when it is copied or arrives as plain
  text, as the quoted message in 「」 with its sender, a line of dashes, then the reply::

      「张炜:今天我去解小送课,上了一节数学课」
      - - - - - - - - - - - - - - -
      谢谢张老师,孩子们很喜欢!

- "回复 @某某:" (or "回复@某某 ") in front of the reply names whom it answers, without the
  quoted text.

Hand-written because no library parses these client renderings; both forms are fixed
strings of the clients, so a strict pattern is safer than a loose one (a report that
merely contains 「」 or the word 回复 must stay whole).
"""

from __future__ import annotations

import re

from handlers.events import Quote

# A line of at least three dashes, optionally spaced: "- - - - -", "------", "———".
_DASH_LINE = re.compile(r"[ \t\u3000]*(?:[-—–─ー﹣－][ \t\u3000]*){3,}")
# 「sender:text」 (half- or full-width colon); the text may span lines and hold 「」 itself.
_QUOTED = re.compile(r"「\s*([^「」:：\n]{1,32}?)\s*[:：]\s*(.*)」", re.DOTALL)
_REPLY_TO = re.compile(r"^\s*回复\s*@([^\s:：,,@]{1,32})\s*(?:[:：]|\s|$)\s*")


def split_text_quote(text: str) -> tuple[str, Quote | None]:
    """(the reply alone, the quote) for a text that starts with a quote form; else (text, None)."""
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if _DASH_LINE.fullmatch(line):
            head = "\n".join(lines[:i]).strip()
            m = _QUOTED.fullmatch(head)
            if m is not None:
                reply = "\n".join(lines[i + 1 :]).strip()
                return reply, Quote(text=m.group(2).strip() or None, sender_name=m.group(1).strip())
            break
    m = _REPLY_TO.match(text)
    if m is not None:
        return text[m.end() :].strip(), Quote(sender_name=m.group(1))
    return text, None
