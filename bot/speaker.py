"""`alliance-bot simulate`: talk to a running server exactly as a platform would.

Each line typed is sent as a group message from the roster person given with `--as`,
signed and encrypted with the configured keys (bot.platforms.sim_traffic), and the bot's
answers are printed. The demo uses the same `Speaker`.
"""

from __future__ import annotations

import asyncio
import hashlib
import sys
from dataclasses import dataclass
from urllib.parse import urlsplit

import aiohttp
from sqlmodel import Session, col, select

from bot.config import Settings
from bot.platforms import sim_traffic as sim
from bot.platforms.wecom.longconn.local import LocalWecomWs
from storage.db import make_engine
from storage.models import AllianceMember, ChatGroup, Person
from storage.queries import roster_ids

PLATFORM_OF_ROUTE = {
    "wecom-aibot": "wecom",
    "wecom-app": "wecom",
    "onebot": "onebot",
    "onebot-ws": "onebot",
    "qq": "qq",
    "wecom-ws": "wecom",
}


def qq_openid(name: str) -> str:
    """A stable fake QQ member openid for a roster name (QQ official ids are opaque)."""
    return hashlib.md5(name.encode("utf-8")).hexdigest().upper()


@dataclass
class Identity:
    name: str
    wecom_userid: str
    qq: int
    qq_openid: str
    group: str | None


def resolve_identity(settings: Settings, name: str, route: str, group: str | None) -> Identity:
    engine = make_engine(settings.database.url)
    platform = PLATFORM_OF_ROUTE[route]
    with Session(engine) as s:
        p = s.exec(select(Person).where(Person.name == name)).first()
        if p is None:
            raise SystemExit(f"名册中没有“{name}”。请先 alliance-bot roster import 名册文件。")
        if group is None:
            alliance_ids = s.exec(
                select(AllianceMember.alliance_id).where(AllianceMember.school_id == p.school_id)
            ).all()
            g = (
                s.exec(
                    select(ChatGroup)
                    .where(
                        ChatGroup.platform == platform, col(ChatGroup.alliance_id).in_(alliance_ids)
                    )
                    .order_by(ChatGroup.purpose)
                ).first()
                if alliance_ids
                else None
            )
            group = g.chat_id if g else None
        accounts = dict(roster_ids(s).get(p.id, ()))
        wecom, qq = accounts.get("wecom"), accounts.get("onebot")
    engine.dispose()
    return Identity(
        name,
        wecom or f"sim-{qq_openid(name)[:8]}",
        int(qq) if qq and qq.isdigit() else sim.SIM_QQ_USER,
        qq_openid(name),
        group,
    )


class Speaker:
    """Sends messages as one person on one route and returns the bot's answers."""

    def __init__(
        self,
        settings: Settings,
        base_url: str,
        route: str,
        who: Identity,
        session: aiohttp.ClientSession,
        qq_api: sim.LocalQQApi | None = None,
        local_ws: LocalWecomWs | None = None,
    ):
        self.settings, self.base_url, self.route, self.who = settings, base_url, route, who
        self.session, self.qq_api, self.local_ws = session, qq_api, local_ws

    async def say(self, text: str, *, mention: bool = True) -> sim.SimResult:
        """Send `text`; `mention=False` sends it unaddressed (OneBot groups see every message)."""
        s, w, url = self.settings, self.who, self.base_url
        if self.route == "wecom-aibot":
            return await sim.simulate_wecom_aibot(
                s.wecom.aibot,
                url,
                text,
                user_id=w.wecom_userid,
                chat_id=w.group or sim.SIM_WECOM_GROUP,
                session=self.session,
            )
        if self.route == "wecom-ws":
            assert self.local_ws is not None
            replies = await self.local_ws.say(text, user_id=w.wecom_userid, chat_id=w.group)
            return sim.SimResult(200, replies)
        if self.route == "wecom-app":
            return await sim.simulate_wecom_app(
                s.wecom.app, url, text, user_id=w.wecom_userid, session=self.session
            )
        if self.route == "onebot":
            return await sim.simulate_onebot_http(
                s.onebot,
                url,
                text,
                user_id=w.qq,
                group_id=int(w.group) if w.group and w.group.isdigit() else sim.SIM_QQ_GROUP,
                mention=mention,
                session=self.session,
            )
        if self.route == "onebot-ws":
            return await sim.simulate_onebot_ws(
                s.onebot,
                url,
                text,
                user_id=w.qq,
                group_id=int(w.group) if w.group and w.group.isdigit() else sim.SIM_QQ_GROUP,
                session=self.session,
            )
        if self.route == "qq":
            assert self.qq_api is not None
            return await sim.simulate_qq(
                s.qq,
                url,
                text,
                self.qq_api,
                group_openid=w.group or sim.SIM_QQ_GROUP_OPENID,
                member_openid=w.qq_openid,
                session=self.session,
            )
        raise ValueError(f"未知平台 {self.route}")


async def _interactive(settings: Settings, route: str, who: Identity, base_url: str) -> int:
    qq_api = None
    if route == "qq":
        parts = urlsplit(settings.qq.api_base)
        if parts.hostname not in ("127.0.0.1", "localhost", "::1") or not parts.port:
            print(
                "模拟 QQ 官方机器人时,服务端配置的 qq.api_base 与 qq.token_url 必须指向本机端口,"
                '例如 api_base = "http://127.0.0.1:18090"、'
                'token_url = "http://127.0.0.1:18090/app/getAppAccessToken"。',
                file=sys.stderr,
            )
            return 2
        qq_api = await sim.LocalQQApi(parts.hostname, parts.port).start()
    local_ws = None
    if route == "wecom-ws":
        try:
            local_ws = await LocalWecomWs(settings.wecom.aibot).start()
        except (ValueError, OSError) as e:
            print(f"无法启动模拟的企业微信长连接: {e}", file=sys.stderr)
            return 2
        print(
            f"模拟的企业微信长连接在 {settings.wecom.aibot.ws_url} 等待机器人连接"
            f"(证书: {settings.wecom.aibot.ca_file})……"
        )
        try:
            await asyncio.wait_for(local_ws.online.wait(), 120)
        except TimeoutError:
            print(
                '两分钟内机器人没有连上。请确认 serve 已用同一配置启动(mode = "websocket")。',
                file=sys.stderr,
            )
            await local_ws.close()
            return 2
    print(
        f"以“{who.name}”的身份通过 {route} 发言(群 {who.group or '默认'}),服务 {base_url}。"
        "输入消息回车发送,Ctrl-D 退出。"
    )
    try:
        async with aiohttp.ClientSession() as session:
            speaker = Speaker(settings, base_url, route, who, session, qq_api, local_ws)
            seen_pushes = 0
            loop = asyncio.get_running_loop()
            while True:
                line = await loop.run_in_executor(None, sys.stdin.readline)
                if not line:
                    break
                text = line.strip()
                if not text:
                    continue
                try:
                    result = await speaker.say(text)
                except aiohttp.ClientError as e:
                    print(f"[连接失败] {e}. 服务是否已用 alliance-bot serve 启动?")
                    continue
                if result.status != 200:
                    print(f"[HTTP {result.status}] {result.raw!r}")
                elif not result.replies:
                    print("(机器人没有回复)")
                for r in result.replies:
                    print(f"机器人: {r}")
                if local_ws is not None:
                    for p in local_ws.pushes[seen_pushes:]:
                        print(
                            f"机器人推送到 {p.get('chatid')}: {p.get('markdown', {}).get('content', '')}"
                        )
                    seen_pushes = len(local_ws.pushes)
    finally:
        if qq_api is not None:
            await qq_api.close()
        if local_ws is not None:
            await local_ws.close()
    return 0


def run_simulate(
    settings: Settings, *, platform: str, as_name: str, group: str | None, url: str | None
) -> int:
    base_url = url or f"http://{settings.server.host}:{settings.server.port}"
    who = resolve_identity(settings, as_name, platform, group)
    return asyncio.run(_interactive(settings, platform, who, base_url))
