"""How vocabulary examples are run: the send time and the roster they are parsed against."""

from __future__ import annotations

from pathlib import Path

EXAMPLE_SENT_AT = "2026-11-18T20:00:00+08:00"  # a Wednesday evening
EXAMPLE_ROSTER = Path(__file__).resolve().parent.parent / "reports" / "data" / "example_roster.toml"

# (text, sender, expected fields)
Example = tuple[str, "str | None", dict]
