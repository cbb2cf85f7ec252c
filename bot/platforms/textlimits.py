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


def shorten_at_line(text: str, max_bytes: int) -> str:
    """`text` itself if it fits; else its leading whole lines and a note saying how many lines
    were left out, so a reader never gets a sentence cut in half. A first line longer than
    the limit on its own is shortened with "…"."""
    if utf8_len(text) <= max_bytes:
        return text
    lines = text.split("\n")
    kept: list[str] = []
    size = 0
    for i, line in enumerate(lines):
        note = CUT_NOTE.format(n=len(lines) - i)
        extra = utf8_len(line) + (1 if kept else 0)
        # Room for this line and, if more lines follow, the note after it.
        rest = 0 if i == len(lines) - 1 else utf8_len(CUT_NOTE.format(n=len(lines) - i - 1)) + 1
        if size + extra + rest > max_bytes:
            if not kept:
                return truncate_utf8(text, max_bytes)
            if size + 1 + utf8_len(note) > max_bytes:  # pragma: no cover - note always fits
                return truncate_utf8("\n".join(kept), max_bytes)
            return "\n".join(kept) + "\n" + note
        kept.append(line)
        size += extra
    return "\n".join(kept)


CUT_NOTE = "(内容较长,后面 {n} 行未显示)"


def fit_parts(text: str, max_bytes: int, max_parts: int) -> list[str]:
    """Split for sending as several messages; beyond `max_parts` the last one is shortened
    at a line break. Pieces are stripped of the line breaks they were split at, blank
    pieces are dropped, and when there are several each starts with its number "(2/3)"."""
    numbered = max_parts > 1 and max_bytes >= 64  # platform limits are thousands of bytes
    room = max_bytes - utf8_len(_number(max_parts, max_parts)) if numbered else max_bytes
    parts = [p.strip("\n") for p in split_utf8(text, room)]
    parts = [p for p in parts if p.strip()]
    if len(parts) > max_parts:
        kept = parts[: max_parts - 1]
        last = "\n".join(parts[max_parts - 1 :])
        parts = kept + [shorten_at_line(last, room)]
    if len(parts) <= 1 or not numbered:
        return parts
    return [_number(i, len(parts)) + p for i, p in enumerate(parts, start=1)]


def _number(i: int, n: int) -> str:
    return f"({i}/{n})\n"
