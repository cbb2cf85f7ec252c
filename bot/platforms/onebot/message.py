"""OneBot v11 messages: CQ-code strings ⇄ segment arrays.

A segment is ``{"type": str, "data": {str: str}}``, as in the array format. Escaping follows
the v11 spec: text ``&`` → ``&amp;``, ``[`` → ``&#91;``, ``]`` → ``&#93;``; inside CQ
parameter values also ``,`` → ``&#44;``. Unescaping runs in reverse order, ``&amp;`` last,
so ``&amp;#91;`` stays the literal text ``&#91;``.
"""

from __future__ import annotations

from typing import Any

Segment = dict[str, Any]


def escape(text: str, *, in_param: bool = False) -> str:
    text = text.replace("&", "&amp;").replace("[", "&#91;").replace("]", "&#93;")
    if in_param:
        text = text.replace(",", "&#44;")
    return text


def unescape(text: str) -> str:
    return (
        text.replace("&#44;", ",").replace("&#91;", "[").replace("&#93;", "]").replace("&amp;", "&")
    )


def text_segment(text: str) -> Segment:
    return {"type": "text", "data": {"text": text}}


def at_segment(qq: str | int) -> Segment:
    return {"type": "at", "data": {"qq": str(qq)}}


def parse_cq(message: str) -> list[Segment]:
    """A CQ-code string as segments; an unterminated ``[CQ:`` is kept as text."""
    segments: list[Segment] = []
    pos = 0
    n = len(message)
    while pos < n:
        start = message.find("[CQ:", pos)
        end = message.find("]", start) if start >= 0 else -1
        if start < 0 or end < 0:
            segments.append(text_segment(unescape(message[pos:])))
            break
        if start > pos:
            segments.append(text_segment(unescape(message[pos:start])))
        body = message[start + 4 : end]
        name, _, params = body.partition(",")
        data: dict[str, str] = {}
        if params:
            for item in params.split(","):
                key, _, value = item.partition("=")
                data[key] = unescape(value)
        segments.append({"type": name, "data": data})
        pos = end + 1
    return [s for s in segments if s["type"] != "text" or s["data"]["text"]]


def to_cq(segments: list[Segment]) -> str:
    out: list[str] = []
    for seg in segments:
        data = seg.get("data") or {}
        if seg["type"] == "text":
            out.append(escape(str(data.get("text", ""))))
        else:
            params = "".join(f",{k}={escape(str(v), in_param=True)}" for k, v in data.items())
            out.append(f"[CQ:{seg['type']}{params}]")
    return "".join(out)


def normalize(message: Any) -> list[Segment]:
    """The `message` field of an event (string or array) as segments; ValueError if neither."""
    if isinstance(message, str):
        return parse_cq(message)
    if not isinstance(message, list):
        raise ValueError("message is neither a string nor an array")
    segments: list[Segment] = []
    for seg in message:
        if not isinstance(seg, dict) or not isinstance(seg.get("type"), str):
            raise ValueError("bad segment")
        data = seg.get("data") or {}
        if not isinstance(data, dict):
            raise ValueError("bad segment data")
        segments.append({"type": seg["type"], "data": data})
    return segments


def strip_at_self(segments: list[Segment], self_id: str) -> tuple[list[Segment], bool]:
    """Drop every ``at`` of the bot itself; returns (rest, whether the bot was mentioned)."""
    rest = [s for s in segments if not (s["type"] == "at" and str(s["data"].get("qq")) == self_id)]
    return rest, len(rest) != len(segments)


def plain_text(segments: list[Segment]) -> str:
    """What a person reads: text, other people's @mentions as "@name"; media dropped."""
    parts: list[str] = []
    for seg in segments:
        data = seg["data"]
        if seg["type"] == "text":
            parts.append(str(data.get("text", "")))
        elif seg["type"] == "at":
            qq = str(data.get("qq", ""))
            parts.append("@全体成员" if qq == "all" else f"@{data.get('name') or qq}")
    return "".join(parts).strip()


def split_reply(segments: list[Segment]) -> tuple[list[Segment], dict[str, str] | None]:
    """Take the ``reply`` segment out of a message, with the @ that QQ puts after it.

    Replying in a QQ group inserts ``[CQ:reply,id=…]`` and an @ of the quoted sender before
    what the user types; that @ addresses the reply, it is not part of it. Returns (the rest,
    {"id", "qq", "text"} of the quote, whichever are known) or (segments, None)."""
    idx = next((i for i, s in enumerate(segments) if s["type"] == "reply"), None)
    if idx is None:
        return segments, None
    data = segments[idx]["data"]
    rest = segments[:idx] + segments[idx + 1 :]
    quote = {k: str(data[k]).strip() for k in ("id", "qq", "text") if data.get(k) not in (None, "")}
    j = idx
    while (
        j < len(rest)
        and rest[j]["type"] == "text"
        and not str(rest[j]["data"].get("text", "")).strip()
    ):
        j += 1
    if j < len(rest) and rest[j]["type"] == "at":
        qq = str(rest[j]["data"].get("qq", ""))
        if qq not in ("", "all") and quote.get("qq", qq) == qq:
            quote["qq"] = qq
            del rest[j]
    return rest, quote
