"""The pages the server shows besides the platform routes: the dashboard (看板).

`add_dashboard_routes` registers the dashboard's routes without importing it: its module
(Jinja2, the page builders, the ECharts build it serves) loads on the first page asked
for, in a worker thread. Most serving processes never show a page, and each would pay a
few MB for it otherwise.
"""

from __future__ import annotations

import asyncio
from typing import Any

from aiohttp import web

from bot.web.routes import DASHBOARD_ROUTES


def add_dashboard_routes(app: web.Application, host: Any) -> None:
    """The dashboard's routes on `app`, for `host` (`bot.app.BotApp`), built on first use."""
    built: list[Any] = []
    lock = asyncio.Lock()

    def build() -> Any:
        from bot.web.dashboard import Dashboard

        return Dashboard(host)

    async def dashboard() -> Any:
        if not built:
            async with lock:
                if not built:
                    built.append(await asyncio.to_thread(build))
        return built[0]

    def route(name: str) -> Any:
        async def handle(request: web.Request) -> web.StreamResponse:
            return await getattr(await dashboard(), name)(request)

        return handle

    for path, name in DASHBOARD_ROUTES:
        app.router.add_get(path, route(name))
