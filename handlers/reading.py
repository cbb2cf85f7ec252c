"""What the parser is given for one message, and the reports it gives back.

The pipeline hands the parser the reply alone (a quoted message is context, never part of
the report), the sender's roster person (a report that leaves its subject out is the
sender's, from their school) and the send time. The parser may answer several reports for
one message (`records`, "Several reports in one message" in the report schema); every
caller here gets them as a list, one per record to store.

This module is the one place that knows the parser's call signature, so the parser can
grow (new keyword arguments) without touching the handlers that use it.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from handlers.events import Quote

REPORT_INTENTS = ("activity", "exchange")


@dataclass(frozen=True)
class Sender:
    """The roster person who sent a message: the unstated subject of their reports."""

    name: str
    school: str | None = None


_ACCEPTS: dict[tuple[type, str], bool] = {}


def _accepts(parse_type: type, name: str) -> bool:
    """Whether the parser's `parse` takes keyword `name` (looked up once per class)."""
    key = (parse_type, name)
    if key not in _ACCEPTS:
        try:
            params = inspect.signature(parse_type.parse).parameters  # type: ignore[attr-defined]
            _ACCEPTS[key] = name in params or any(
                p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values()
            )
        except (AttributeError, TypeError, ValueError):
            _ACCEPTS[key] = False
    return _ACCEPTS[key]


def read(
    parser: Any, text: str, sent_at: datetime, sender: Sender | None, quote: Quote | None = None
) -> Any:
    """Parse one message: `text` is the reply alone, `quote` what it quotes (context only).

    The sender's school and the quote are passed when the parser takes them (keywords
    `sender_school` and `quoted`); the sender's name always is."""
    kwargs: dict[str, Any] = {}
    kind = type(parser)
    if sender is not None and sender.school and _accepts(kind, "sender_school"):
        kwargs["sender_school"] = sender.school
    if quote is not None and _accepts(kind, "quoted"):
        # A reply whose quoted text is unknown (QQ gave only an id we have not stored) is
        # still a reply: the parser reads it as one.
        kwargs["quoted"] = quote.text or quote.sender_name or "…"
    return parser.parse(text, sent_at, sender.name if sender else None, **kwargs)


def reports_of(parsed: Any) -> list[Any]:
    """The reports to store for a parse: each item of `records` that is a report, or the
    parse itself. Empty for chat and commands."""
    records = getattr(parsed, "records", None)
    if records is None and isinstance(parsed, dict):
        records = parsed.get("records")
    if records:
        return [r for r in records if _intent(r) in REPORT_INTENTS]
    return [parsed] if _intent(parsed) in REPORT_INTENTS else []


def _intent(item: Any) -> str | None:
    return item.get("intent") if isinstance(item, dict) else getattr(item, "intent", None)


def notes_of(item: Any) -> tuple[str, ...]:
    notes = item.get("notes") if isinstance(item, dict) else getattr(item, "notes", ())
    return tuple(notes or ())
