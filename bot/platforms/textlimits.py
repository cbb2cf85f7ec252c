"""Byte limits of platform messages, measured in UTF-8.

WeCom counts bytes, not characters (text 2,048, markdown 4,096), and a cut in the middle of
a multi-byte character makes the platform reject the whole message. Everything here works on
`str` and only ever cuts between characters.
"""
from __future__ import annotations

ELLIPSIS = "…"
_MIN_BYTES = 4  # the longest UTF-8 character; any smaller limit cannot always be honoured


def utf8_len(text: str) -> int:
    return len(text.encode("utf-8"))


def _fit(text: str, max_bytes: int) -> int:
    """How many leading characters of `text` fit into `max_bytes`."""
    raw = text.encode("utf-8")
    if len(raw) <= max_bytes:
        return len(text)
    # Step back from the byte limit to a character boundary (continuation bytes are 10xxxxxx).
    cut = max_bytes
    while cut > 0 and (raw[cut] & 0xC0) == 0x80:
        cut -= 1
    return len(raw[:cut].decode("utf-8"))


def truncate_utf8(text: str, max_bytes: int, ellipsis: str = ELLIPSIS) -> str:
    """`text` itself if it fits, else its longest prefix that fits together with `ellipsis`."""
    if max_bytes < _MIN_BYTES:
        raise ValueError("max_bytes must be at least 4")
    if utf8_len(text) <= max_bytes:
        return text
    room = max_bytes - utf8_len(ellipsis)
    return text[: _fit(text, room)].rstrip() + ellipsis


def split_utf8(text: str, max_bytes: int) -> list[str]:
    """Split `text` into pieces of at most `max_bytes` UTF-8 bytes each.

    Pieces end at a line break where one is available; a single line that is too long is
    cut at a space if there is one in its second half, else at any character boundary.
    The split is lossless: ``"".join(split_utf8(t, n)) == t``. Empty text gives ``[]``.
    """
    if max_bytes < _MIN_BYTES:
        raise ValueError("max_bytes must be at least 4")
    pieces: list[str] = []
    rest = text
    while rest:
        n = _fit(rest, max_bytes)
        if n == len(rest):
            pieces.append(rest)
            break
        head = rest[:n]
        cut = head.rfind("\n") + 1  # keep the newline with the piece it ends
        if cut == 0:
            space = head.rfind(" ")
            cut = space + 1 if space >= n // 2 else n
        pieces.append(rest[:cut])
        rest = rest[cut:]
    return pieces


def fit_parts(text: str, max_bytes: int, max_parts: int) -> list[str]:
    """Split for sending as several messages; beyond `max_parts` the last one is shortened.

    Pieces are stripped of the line breaks they were split at, and blank pieces are dropped.
    """
    parts = [p.strip("\n") for p in split_utf8(text, max_bytes)]
    parts = [p for p in parts if p.strip()]
    if len(parts) <= max_parts:
        return parts
    kept = parts[: max_parts - 1]
    last = "\n".join(parts[max_parts - 1 :])
    return kept + [truncate_utf8(last, max_bytes)]
