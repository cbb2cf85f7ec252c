"""All commands, assembled in one place (no import-time global registry)."""

from __future__ import annotations

from handlers.router import Router


def build_router() -> Router:
    from handlers.commands import (
        assessment,
        bind,
        dashboard,
        details,
        edit,
        exchanges,
        export,
        help,
        meetings,
        overview,
        progress,
        stats,
        summary,
    )

    root = Router()
    for module in (
        help,
        bind,
        edit,
        progress,
        stats,
        details,
        exchanges,
        assessment,
        export,
        summary,
        overview,
        meetings,
        dashboard,
    ):
        root.include_router(module.router)
    return root
