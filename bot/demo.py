"""`alliance-bot demo`: the whole product in one run, with no configuration.

A temporary SQLite database, the sample roster, the real server on a free loopback port,
and a scripted conversation played through the real HTTP endpoints exactly as WeCom,
OneBot and QQ would send it (signed and encrypted). Prints each message, the bot's
answer, and at the end the stored records and the scheduled reminders.
"""

from __future__ import annotations

import asyncio
import base64
import logging
import os
import re
import secrets
import shutil
import socket
import tempfile
from pathlib import Path

import aiohttp
from aiohttp import web

from bot.config import Settings, load_settings

SAMPLE_ROSTER = Path(__file__).parent / "data" / "sample_roster.toml"

ROUTE_CN = {
    "wecom-aibot": "企业微信群 @机器人",
    "wecom-app": "企业微信 应用私聊",
    "onebot": "QQ群 (OneBot)",
    "onebot-ws": "QQ群 (OneBot 反向WS)",
    "qq": "QQ群 (QQ官方机器人)",
}

# (route, speaker, text, explanation). On OneBot every group message reaches the bot; a
# leading "~" sends the line without @-mentioning it.
SCRIPT: list[tuple[str, str, str, str]] = [
    (
        "wecom-aibot",
        "张炜",
        "今天我和马欣瑞去解小送课,上了两节语文课《秋天的雨》,听课教师15人",
        "老师在企业微信群里 @机器人 上报一次送教",
    ),
    (
        "wecom-aibot",
        "好吾兰",
        "今天福海二小张炜、马欣瑞两位老师来我校送教,上了两节语文课",
        "接收学校的校长也报了同一次活动:自动合并,不重复计数",
    ),
    (
        "onebot",
        "陈志强",
        "下周三我和黄丽萍老师到溪南送课,数学两节",
        "QQ 群里(OneBot)预告一次送教:记为计划中,并安排提醒",
    ),
    ("onebot", "刘文斌", "~收到,谢谢郑校长!", "群里的闲聊(没有 @ 机器人):机器人不回复"),
    (
        "onebot",
        "刘文斌",
        "~昨天下午城关小学开展数学集体备课,实小陈志强老师参加,12位老师参加研讨",
        "QQ 群里没有 @ 的消息:看出是上报就记录",
    ),
    (
        "onebot",
        "苏雅琴",
        "我今天听了实小黄丽萍老师的讲座《小学语文大单元作业设计》",
        "漏写学校也没关系,机器人从名册补全",
    ),
    (
        "qq",
        "叶潇潇",
        "江滨小学今天通过直播为淤上、黄田中心校两校上了一节音乐课《唱脸谱》",
        "QQ 官方机器人:陌生账号上报,先请对方绑定身份,记录暂存不丢",
    ),
    ("qq", "叶潇潇", "/绑定 叶潇潇", "申请绑定"),
    ("wecom-aibot", "邱克红", "/绑定 确认 叶潇潇", "校长确认前先看申请来自哪个账号"),
    (
        "wecom-aibot",
        "邱克红",
        "/绑定 确认 叶潇潇 qq:{openid:叶潇潇}",
        "本联盟校长确认这一个账号的申请,暂存的记录自动保存",
    ),
    (
        "wecom-app",
        "张炜",
        "11.6我和马欣瑞去齐小听评课,共研讨了两节数学课",
        "企业微信应用私聊上报(无需 @)",
    ),
    ("wecom-app", "张炜", "/修改 {last} 人数 12", "补充漏写的人数"),
    (
        "wecom-aibot",
        "孙慧霞",
        "#接龙 二小上周送教登记\n1. 马欣瑞 周二 解小 语文2节\n"
        "2. 张炜 周三 一农场 数学1节\n3. 孙慧霞 周四 齐小 英语1节",
        "一条接龙里有三次送教:记成三条记录,各有编号,可分别修改或撤销",
    ),
    (
        "wecom-aibot",
        "好吾兰",
        "「张炜：今天我和马欣瑞去解小送课,上了两节语文课」\n"
        "- - - - - - - - - - - - - - -\n谢谢张老师,孩子们很喜欢!",
        "引用别人的上报表示感谢:不是新的活动,不记录,也不回复",
    ),
    (
        "wecom-aibot",
        "马欣瑞",
        "下周五去一农场送教,美术一节",
        "没写“我”也没写学校:算发消息的老师本人、本校的上报",
    ),
    (
        "wecom-aibot",
        "吴学红",
        "/会议 添加 每月最后一个周五 15:00 联盟总结会",
        "校长添加每月例会提醒",
    ),
    ("wecom-aibot", "吴学红", "/明细", "校长查看本联盟记录"),
    (
        "wecom-aibot",
        "吴学红",
        "/进度",
        "校长查看进度:联盟汇总 + 每校一行(正常 / 落后几项、最近截止)",
    ),
    ("wecom-aibot", "吴学红", "/进度 解小", "一所学校的各项指标明细"),
    ("wecom-aibot", "吴学红", "统计本学期", "不加 /、命令和参数连写,也能听懂"),
    ("wecom-aibot", "吴学红", "/考核 2026", "捆绑考核(百分制),并说明每个数字怎么算"),
    (
        "wecom-aibot",
        "吴学红",
        "/导出 本学年",
        "导出 Excel 台账(汇总、活动台账、交流轮岗、进度、考核;横向 A4 可直接打印)",
    ),
    (
        "wecom-aibot",
        "吴学红",
        "/总结 本学年",
        "核心校校长生成学年度工作总结草稿(Word),数字全部来自台账",
    ),
    ("wecom-aibot", "周建国", "/总览", "教育局管理员:全县各联盟一行一个"),
    ("wecom-app", "吴学红", "/看板", "校长获取网页看板链接(私聊;用浏览器打开,7 天内有效)"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _aes_key() -> str:
    return base64.b64encode(secrets.token_bytes(32)).decode()[:43]


class FakeRobot:
    """Stands in for WeCom's group-robot API so reminder pushes can be shown."""

    def __init__(self) -> None:
        self.sent: list[dict] = []
        self.port = _free_port()
        self._runner: web.AppRunner | None = None

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/cgi-bin/webhook/send", self._send)
        app.router.add_post("/cgi-bin/webhook/upload_media", self._upload)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", self.port).start()

    async def _send(self, request: web.Request) -> web.Response:
        self.sent.append(await request.json())
        return web.json_response({"errcode": 0, "errmsg": "ok"})

    async def _upload(self, request: web.Request) -> web.Response:
        await request.read()
        self.sent.append({"msgtype": "upload"})
        return web.json_response(
            {
                "errcode": 0,
                "errmsg": "ok",
                "type": "file",
                "media_id": "demo-media",
                "created_at": "0",
            }
        )

    async def close(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()


def demo_settings(workdir: Path, port: int, qq_port: int, robot_port: int) -> Settings:
    return load_settings(
        None,
        **{
            "database": {"url": f"sqlite:///{workdir / 'demo.db'}"},
            "server": {"host": "127.0.0.1", "port": port, "public_url": f"http://127.0.0.1:{port}"},
            "data_dir": str(workdir),
            "wecom": {
                "aibot": {
                    "token": secrets.token_hex(8),
                    "encoding_aes_key": _aes_key(),
                    "bot_name": "联盟助手",
                },
                "app": {
                    "corp_id": "wwDemoCorp",
                    "agent_id": 1000002,
                    "token": secrets.token_hex(8),
                    "encoding_aes_key": _aes_key(),
                },
                "webhook": {"api_base": f"http://127.0.0.1:{robot_port}"},
            },
            "onebot": {
                "secret": secrets.token_hex(8),
                "access_token": secrets.token_hex(8),
                "self_id": "10001000",
            },
            "qq": {
                "app_id": "102000000",
                "secret": secrets.token_hex(16),
                "api_base": f"http://127.0.0.1:{qq_port}",
                "token_url": f"http://127.0.0.1:{qq_port}/app/getAppAccessToken",
            },
            "log_level": "WARNING",
        },
    )


def _indent(text: str) -> str:
    return "\n".join("    " + ln for ln in text.splitlines())


async def _run(workdir: Path, verbose: bool, keep: bool = False) -> int:
    from sqlmodel import Session, col, select

    from bot.app import BotApp, prepare_database, run_server
    from bot.platforms import sim_traffic as sim
    from bot.speaker import Speaker, qq_openid, resolve_identity
    from handlers.records import reporters_of
    from handlers.vocab import kind_label
    from storage.models import Record
    from storage.roster_import import import_roster_file

    port, qq_port = _free_port(), _free_port()
    robot = FakeRobot()
    settings = demo_settings(workdir, port, qq_port, robot.port)
    engine = prepare_database(settings)
    summary = import_roster_file(engine, str(SAMPLE_ROSTER))
    print("联盟助手 演示")
    print("=" * 60)
    print(f"临时数据库: {workdir / 'demo.db'}")
    print(f"示例名册: {summary.describe()}(3 个联盟、15 所学校、19 人)")
    await robot.start()
    bot = BotApp(settings, engine=engine)
    ready, stop = asyncio.Event(), asyncio.Event()
    server = asyncio.create_task(run_server(bot, "127.0.0.1", port, ready=ready, stop=stop))
    await asyncio.wait_for(ready.wait(), 30)
    base = f"http://127.0.0.1:{port}"
    print(
        f"服务已启动: {base}  (企业微信 /wecom/aibot /wecom/app, QQ /onebot /onebot/ws /qq/webhook)"
    )
    print("=" * 60)
    qq_api = await sim.LocalQQApi("127.0.0.1", qq_port).start()
    last_record: int | None = None
    dashboard_link: str | None = None
    try:
        async with aiohttp.ClientSession() as session:
            for route, name, text, why in SCRIPT:
                if "{last}" in text:
                    text = text.replace("{last}", str(last_record))
                text = re.sub(r"\{openid:(\S+?)\}", lambda m: qq_openid(m.group(1)), text)
                who = resolve_identity(settings, name, route, None)
                speaker = Speaker(settings, base, route, who, session, qq_api)
                mention = not text.startswith("~")
                text = text.lstrip("~")
                print(f"\n【{why}】")
                print(f"{ROUTE_CN[route]} · {name}{'' if mention else '(未@机器人)'}: {text}")
                result = await speaker.say(text, mention=mention)
                if result.status not in (200, 204):
                    print(f"  !! HTTP {result.status}: {result.raw!r}")
                    return 1
                if not result.replies:
                    print("  (机器人没有回复)")
                for reply in result.replies:
                    print("  机器人:\n" + _indent(reply))
                    if "/dash/t/" in reply:
                        dashboard_link = next(w for w in reply.split() if "/dash/t/" in w)
                    one = re.match(r"✅ 已记录 #(\d+)", reply)
                    if one:
                        last_record = int(one.group(1))
        await asyncio.sleep(0.1)
        print("\n" + "=" * 60)
        print("数据库中的记录 (alliance-bot records):")
        with Session(engine) as s:
            for r in s.exec(
                select(Record).where(col(Record.deleted) == False).order_by(col(Record.id))  # noqa: E712
            ):
                who = "、".join(x.reporter_name or "?" for x in reporters_of(s, r.id))
                print(
                    f"  #{r.id} {r.date or '日期未知'} {kind_label(r.intent, r.kind, r.exchange_kind)}"
                    f"({'计划中' if r.status == 'planned' else '已完成'}) {'、'.join(r.schools)}"
                    f"{' 教师:' + '、'.join(r.teachers) if r.teachers else ''}"
                    f"{' 节数:' + str(r.lessons) if r.lessons else ''}"
                    f"{' 人数:' + str(r.participants) if r.participants else ''}  上报:{who}"
                )
        if bot.scheduler is not None:
            bot.scheduler.sync_from_db()
            with Session(engine) as s:
                rows = bot.scheduler.upcoming_fires(s, 45)
            print("\n已安排的提醒 (alliance-bot reminders):")
            for r in rows[:12]:
                print(
                    f"  {r['time']} {r['alliance']} → {r['group']} [{r.get('kind_cn') or r['kind']}]"
                )
                print(_indent(_indent(r["text"])))
            if not rows:
                print("  (无)")
        if robot.sent:
            print(f"\n企业微信群机器人收到的推送: {len(robot.sent)} 条(导出的 Excel 文件等)")
        if dashboard_link:
            print(f"\n网页看板(吴学红,校长): {dashboard_link}")
        if keep:
            print(
                "服务保持运行(--keep):在本机浏览器打开上面的看板链接,按 Ctrl+C 结束。", flush=True
            )
            await asyncio.Event().wait()
    finally:
        await qq_api.close()
        stop.set()
        await server
        await robot.close()
        engine.dispose()
    print("\n演示结束。自己试试: alliance-bot serve 启动服务, 再用 alliance-bot simulate 对话。")
    return 0


def run_demo(keep: bool = False, verbose: bool = False) -> int:
    logging.basicConfig(
        level=logging.INFO if verbose else logging.ERROR,
        format="%(levelname)s %(name)s: %(message)s",
    )
    logging.getLogger("jieba").setLevel(logging.ERROR)
    workdir = Path(tempfile.mkdtemp(prefix="alliance-bot-demo-"))
    os.environ.pop("ALLIANCE_BOT_CONFIG", None)
    try:
        return asyncio.run(_run(workdir, verbose, keep))
    except KeyboardInterrupt:
        print("\n已停止。")
        return 0
    finally:
        if keep:
            print(f"(临时目录保留在 {workdir})")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
