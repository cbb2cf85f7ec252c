"""The read-only web dashboard (看板): aiohttp routes, the session cookie, Jinja2 pages.

    GET /dash/t/{token}        a /看板 link: checks it, sets the session cookie, redirects
    GET /dash/                 the viewer's home: their alliance, or the county (admin)
    GET /dash/a/{id}           an alliance (filters: kind, school, period, page)
    GET /dash/a/{id}/export    the /导出 workbook of a period (principals and admins)
    GET /dash/county           every alliance (admin)
    GET /dash/static/{name}    CSS, JS and the vendored ECharts build, gzipped once

What the pages show comes from `handlers.dashboard` (the same functions as the commands);
this module only checks the session, runs them in a worker thread and renders. No page
loads anything from outside the bot: no CDN, no web fonts, no analytics.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import gzip
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import quote

import jinja2
from aiohttp import web
from sqlmodel import Session

from handlers.dashboard import (
    NotAllowed,
    alliance_view,
    check_alliance,
    county_view,
    exchange_label,
    is_behind,
    pace_percent,
)
from handlers.dashboard_links import LinkRefused, Viewer, check_link


class Host(Protocol):
    """What the dashboard needs of the server (`bot.app.BotApp` satisfies it)."""

    engine: Any
    settings: Any
    clock: Any
    targets: Any
    evidence_files: Any


log = logging.getLogger(__name__)
COOKIE = "ab_dash"
STATIC = Path(__file__).parent / "static"
ASSETS = ("dash.css", "dash.js", "echarts.dash.min.js")
ROLE_CN = {"teacher": "教师", "principal": "校长", "admin": "管理员"}
# Pages embed no scripts and load nothing from elsewhere. Inline styles are allowed: the
# progress bars' widths and ECharts' SVG both set them.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)


@dataclass(frozen=True)
class Asset:
    body: bytes
    gz: bytes
    content_type: str


def _load_assets() -> dict[str, Asset]:
    types = {".css": "text/css", ".js": "application/javascript"}
    out = {}
    for name in ASSETS:
        body = (STATIC / name).read_bytes()
        out[name] = Asset(
            body, gzip.compress(body, 9, mtime=0), types[Path(name).suffix] + "; charset=utf-8"
        )
    return out


class Dashboard:
    def __init__(self, bot: Host) -> None:
        self.bot = bot
        self.assets = _load_assets()
        # Cache-busting: asset URLs carry a version of their content.
        import hashlib

        self.version = hashlib.sha1(b"".join(a.body for a in self.assets.values())).hexdigest()[:10]
        self.env = make_env(self.asset_url)

    # -- wiring --------------------------------------------------------------------------
    def add_routes(self, app: web.Application) -> None:
        """The routes, answered by this instance (the server registers them through
        `bot.web.add_dashboard_routes`, which builds the dashboard on first use)."""
        from bot.web.routes import DASHBOARD_ROUTES

        for path, name in DASHBOARD_ROUTES:
            app.router.add_get(path, getattr(self, name))

    def asset_url(self, name: str) -> str:
        return f"/dash/static/{name}?v={self.version}"

    # -- helpers -------------------------------------------------------------------------
    @property
    def now(self) -> dt.datetime:
        return self.bot.clock.now()

    @property
    def today(self) -> dt.date:
        from zoneinfo import ZoneInfo

        return self.now.astimezone(ZoneInfo(self.bot.settings.timezone)).date()

    def _rules(self) -> list:
        from handlers.targets import rules_from

        return rules_from(self.bot.targets)

    def page(self, html: str, status: int = 200) -> web.Response:
        resp = web.Response(text=html, status=status, content_type="text/html", charset="utf-8")
        self._secure(resp)
        resp.enable_compression()
        return resp

    @staticmethod
    def _secure(resp: web.StreamResponse) -> None:
        resp.headers["Content-Security-Policy"] = CSP
        resp.headers["Referrer-Policy"] = "no-referrer"
        resp.headers["X-Content-Type-Options"] = "nosniff"
        resp.headers["Cache-Control"] = "no-store"

    def error(self, status: int, message: str) -> web.Response:
        title = {401: "请重新获取看板链接", 403: "无权查看", 404: "没有这个页面"}.get(
            status, "出错了"
        )
        html = self.env.get_template("error.html").render(
            title=title, message=message, status=status
        )
        return self.page(html, status)

    def _viewer(self, session: Session, request: web.Request) -> Viewer:
        token = request.cookies.get(COOKIE)
        if not token:
            raise LinkRefused("还没有登录看板。请在群里发送 /看板,点开机器人回复的链接。")
        return check_link(session, token, self.now)

    async def _run(self, request: web.Request, work: Any) -> web.StreamResponse:
        """Check the session and run `work(session, viewer)` in a worker thread; 401 / 403
        pages for a refused link or a page the viewer may not see."""

        def job() -> Any:
            with Session(self.bot.engine) as s:
                try:
                    viewer = self._viewer(s, request)
                    out = work(s, viewer)
                    s.commit()
                    return out
                except LinkRefused as e:
                    return self.error(401, str(e))
                except NotAllowed as e:
                    return self.error(403, str(e))

        result = await asyncio.to_thread(job)
        if isinstance(result, str):
            return self.page(result)
        return result

    # -- routes --------------------------------------------------------------------------
    async def open_link(self, request: web.Request) -> web.StreamResponse:
        token = request.match_info["token"]

        def job() -> Viewer | str:
            with Session(self.bot.engine) as s:
                try:
                    viewer = check_link(s, token, self.now)
                    s.commit()  # the server secret, when this made it
                    return viewer
                except LinkRefused as e:
                    return str(e)

        result = await asyncio.to_thread(job)
        if isinstance(result, str):
            return self.error(401, result)
        resp = _redirect(self._home_of(result))
        self._secure(resp)
        max_age = max(0, int((result.expires_at - self.now).total_seconds()))
        resp.set_cookie(
            COOKIE,
            token,
            max_age=max_age,
            path="/dash",
            httponly=True,
            samesite="Lax",
            secure=self.bot.settings.server.public_url.startswith("https://"),
        )
        return resp

    @staticmethod
    def _home_of(viewer: Viewer) -> str:
        if viewer.role == "admin" or viewer.alliance_id is None:
            return "/dash/county"
        return f"/dash/a/{viewer.alliance_id}"

    async def home(self, request: web.Request) -> web.StreamResponse:
        def work(s: Session, viewer: Viewer) -> web.StreamResponse:
            return _redirect(self._home_of(viewer))

        return await self._run(request, work)

    async def alliance(self, request: web.Request) -> web.StreamResponse:
        aid = int(request.match_info["alliance_id"])
        q = request.query
        try:
            page = int(q.get("page", "1") or 1)
        except ValueError:
            page = 1

        def work(s: Session, viewer: Viewer) -> str:
            return render_alliance(
                self.env,
                s,
                viewer,
                aid,
                self.bot.settings,
                self._rules(),
                self.today,
                kind=q.get("kind", "").strip(),
                school=q.get("school", "").strip(),
                period=q.get("period", "").strip(),
                page=page,
                evidence=self.bot.evidence_files,
                query=_query_without_page(request),
            )

        return await self._run(request, work)

    async def export(self, request: web.Request) -> web.StreamResponse:
        aid = int(request.match_info["alliance_id"])
        period_text = request.query.get("period", "本学年")

        def work(s: Session, viewer: Viewer) -> web.StreamResponse:
            from handlers.export import export_filename, export_workbook
            from handlers.periods import parse_period

            alliance = check_alliance(s, viewer, aid)
            if viewer.role not in ("principal", "admin"):
                raise NotAllowed("导出台账仅限校长和管理员。")
            try:
                period = parse_period(period_text, self.today, self.bot.settings.terms)
            except ValueError as e:
                period = None
                msg = str(e)
            else:
                msg = f"不认识的期间“{period_text}”。"
            if period is None:
                return web.Response(
                    status=400, text=msg, content_type="text/plain", charset="utf-8"
                )
            data = export_workbook(
                s,
                aid,
                period,
                self.bot.settings,
                today=min(self.today, period.end),
                rules=self._rules(),
            )
            name = export_filename(alliance.name, period)
            resp = web.Response(
                body=data,
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"},
            )
            self._secure(resp)
            return resp

        return await self._run(request, work)

    async def county(self, request: web.Request) -> web.StreamResponse:
        def work(s: Session, viewer: Viewer) -> str:
            view = county_view(s, viewer, self.bot.settings, self._rules(), self.today)
            chart = {
                "type": "county",
                "names": [r.name for r in view.rows],
                "completion": [r.completion for r in view.rows],
            }
            return self.env.get_template("county.html").render(v=view, chart=chart)

        return await self._run(request, work)

    async def static(self, request: web.Request) -> web.StreamResponse:
        asset = self.assets.get(request.match_info["name"])
        if asset is None:
            return web.Response(
                status=404, text="没有这个文件。", content_type="text/plain", charset="utf-8"
            )
        gz = "gzip" in request.headers.get("Accept-Encoding", "")
        resp = web.Response(
            body=asset.gz if gz else asset.body,
            headers={
                "Content-Type": asset.content_type,
                "Cache-Control": "public, max-age=31536000, immutable",
                "Vary": "Accept-Encoding",
                "X-Content-Type-Options": "nosniff",
            },
        )
        if gz:
            resp.headers["Content-Encoding"] = "gzip"
        return resp


def setup_env(env: jinja2.Environment, asset_url: Any) -> jinja2.Environment:
    env.globals.update(
        asset=asset_url,
        pace_percent=pace_percent,
        is_behind=is_behind,
        exchange_label=exchange_label,
        role_cn=ROLE_CN,
    )
    return env


def make_env(asset_url: Any = lambda name: f"/dash/static/{name}") -> jinja2.Environment:
    """The pages' Jinja2 environment outside a server (the benchmark, scripts)."""
    return setup_env(
        jinja2.Environment(
            loader=jinja2.PackageLoader("bot.web", "templates"),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
        ),
        asset_url,
    )


def render_alliance(
    env: jinja2.Environment,
    session: Session,
    viewer: Viewer,
    alliance_id: int,
    settings: Any,
    rules: list,
    today: dt.date,
    *,
    kind: str = "",
    school: str = "",
    period: str = "",
    page: int = 1,
    evidence: Any = None,
    query: str = "",
) -> str:
    """The alliance page as HTML: every figure from `handlers.dashboard.alliance_view`."""
    view = alliance_view(
        session,
        viewer,
        alliance_id,
        settings,
        rules,
        today,
        kind=kind,
        school=school,
        period=period,
        page=page,
        evidence=evidence,
    )
    return env.get_template("alliance.html").render(
        v=view, charts=_alliance_charts(view), downloads=_downloads(view), query=query
    )


def _downloads(view: Any) -> list[tuple[str, str]]:
    """(label, url) of the files /导出 (and, when present, /总结) give."""
    if not view.can_download:
        return []
    base = f"/dash/a/{view.info.alliance_id}/export"
    return [(f"活动台账 Excel({p})", f"{base}?period={quote(p)}") for p in ("本学期", "本学年")]


def _redirect(url: str) -> web.Response:
    return web.Response(status=303, headers={"Location": url})


def _query_without_page(request: web.Request) -> str:
    from urllib.parse import urlencode

    return urlencode([(k, v) for k, v in request.query.items() if k != "page" and v])


def _alliance_charts(view: Any) -> dict:
    """The chart data the page embeds as JSON (drawn by dash.js with ECharts)."""
    return {
        "cumulative": {
            "labels": view.series.labels,
            "actual": view.series.actual,
            "pace": view.series.pace,
        },
        "monthly": {
            "months": view.monthly.months,
            "kinds": [{"name": k, "data": v} for k, v in view.monthly.kinds],
        },
    }
