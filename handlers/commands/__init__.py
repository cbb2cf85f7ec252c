"""All commands, assembled in one place (no import-time global registry)."""
from __future__ import annotations

from handlers.router import Router


def build_router() -> Router:
    from handlers.commands import bind, edit, help

    root = Router()
    for module in (help, bind, edit):
        root.include_router(module.router)
    return root
