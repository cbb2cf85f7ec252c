"""`alliance-bot` command line: serve, demo, parse, simulate, roster, records, export,
reminders, scores, db."""

from __future__ import annotations

import argparse
import asyncio
import errno
import json
import logging
import sys
from pathlib import Path

from bot.config import ConfigError, Settings, load_settings


def _settings(args: argparse.Namespace) -> Settings:
    return load_settings(args.config)


def _engine(settings: Settings, migrate: bool = True):
    from storage.db import make_engine, upgrade

    engine = make_engine(settings.database.url, busy_timeout_ms=settings.database.busy_timeout_ms)
    if migrate:
        upgrade(engine)
    return engine


def _logging(level: str, settings: Settings | None = None) -> None:
    fmt = "%(asctime)s %(levelname)s %(name)s: %(message)s"
    logging.basicConfig(level=getattr(logging, level, logging.INFO), format=fmt)
    if settings is not None and settings.log.file:
        from logging.handlers import RotatingFileHandler

        path = Path(settings.log.file)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handler = RotatingFileHandler(
                path,
                maxBytes=settings.log.max_bytes,
                backupCount=settings.log.backups,
                encoding="utf-8",
            )
        except OSError as e:
            raise ConfigError(
                f"配置错误: 无法写日志文件 {path}({e.strerror})。"
                "请检查 [log] file 的目录是否存在且可写。"
            ) from None
        handler.setFormatter(logging.Formatter(fmt))
        logging.getLogger().addHandler(handler)
        logging.getLogger().setLevel(getattr(logging, level, logging.INFO))
    logging.getLogger("jieba").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)


# -- commands ---------------------------------------------------------------------------
def cmd_serve(args: argparse.Namespace) -> int:
    from bot.app import BotApp, prepare_database, run_server

    settings = _settings(args)
    _logging(settings.log_level, settings)
    host = args.host or settings.server.host
    port = args.port if args.port is not None else settings.server.port
    settings.server.host = host  # adapters decide on unsigned traffic by the real listen address
    workers = args.workers if args.workers is not None else settings.server.workers
    worker = args.worker_index is not None  # started by `serve --workers N`
    if workers > 1 and not worker:
        if settings.database.url.startswith("sqlite"):
            print(
                "--workers 需要 PostgreSQL:SQLite 同一时间只能有一个写入者,多进程没有好处。"
                "请去掉 --workers,或把 database.url 改为 PostgreSQL。",
                file=sys.stderr,
            )
            return 2
        if port == 0:
            print("--workers 需要固定端口(--port 或 server.port 不能为 0)。", file=sys.stderr)
            return 2
    if not worker:
        # Operational errors an IT person can act on, before anything is written.
        problem = port_problem(host, port)
        if problem:
            print(problem, file=sys.stderr)
            return 2
        problem = wait_for_database(settings)
        if problem:
            print(problem, file=sys.stderr)
            return 2
        try:
            engine = prepare_database(settings, migrate_in_child=True)
        except RuntimeError as e:
            print(str(e), file=sys.stderr)
            return 2
        if workers > 1:
            from bot.workers import supervise

            engine.dispose()
            return supervise(args.config, host, port, workers)
    else:
        from storage.db import make_engine

        engine = make_engine(
            settings.database.url,
            busy_timeout_ms=settings.database.busy_timeout_ms,
            pool_size=settings.database.pool_size,
            sqlite_synchronous=settings.database.sqlite_synchronous,
        )
    bot = BotApp(settings, engine=engine)
    try:
        asyncio.run(run_server(bot, host, port, reuse_port=worker))
    except KeyboardInterrupt:
        pass
    except OSError as e:
        if e.errno in (errno.EADDRINUSE, errno.EACCES, errno.EADDRNOTAVAIL):
            print(port_message(host, port, e), file=sys.stderr)
            return 2
        raise
    return 0


def port_message(host: str, port: int, e: OSError) -> str:
    if e.errno == errno.EADDRINUSE:
        return (
            f"端口 {port} 已被占用(另一个程序或另一个 alliance-bot serve 正在使用)。\n"
            f"请停止那个程序,或在配置 [server] port 中换一个端口,例如 {port + 1}。"
        )
    if e.errno == errno.EACCES:
        return (
            f"没有权限监听端口 {port}(1024 以下的端口需要管理员权限)。\n"
            "请改用 8080 之类的端口,由反向代理(Caddy/nginx)对外提供 443。"
        )
    return f"无法监听地址 {host}:{port}({e.strerror})。请检查配置 [server] host 是否为本机地址。"


def port_problem(host: str, port: int) -> str | None:
    """Bind the port once, before migrating or starting anything; None when it is free."""
    import socket

    if not port:
        return None
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror:
        return f"无法解析监听地址“{host}”。请检查配置 [server] host,例如 127.0.0.1 或 0.0.0.0。"
    family, _, _, _, addr = infos[0]
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(addr)
        except OSError as e:
            return port_message(host, port, e)
    return None


def wait_for_database(settings: Settings, sleep=None) -> str | None:
    """Reach the database, retrying with backoff for `database.connect_retry_s` (a service
    may start before its database); a Chinese message naming what to fix when it stays away."""
    import time

    from sqlalchemy import text
    from sqlalchemy.engine import make_url

    from storage.db import make_engine, normalize_url

    url = make_url(normalize_url(settings.database.url))
    if url.get_backend_name() == "sqlite":
        return None
    engine = make_engine(settings.database.url)
    sleep = sleep or time.sleep
    deadline = time.monotonic() + settings.database.connect_retry_s
    delay, last = 1.0, None
    try:
        while True:
            try:
                with engine.connect() as c:
                    c.execute(text("SELECT 1"))
                return None
            except Exception as e:
                last = e
            left = deadline - time.monotonic()
            if left <= 0:
                break
            logging.getLogger("bot.cli").warning(
                "数据库 %s:%s 暂时连不上,%.0f 秒后重试",
                url.host,
                url.port or 5432,
                min(delay, left),
            )
            sleep(min(delay, left))
            delay = min(delay * 2, 15.0)
    finally:
        engine.dispose()
    reason = str(getattr(last, "orig", last) or "").strip().splitlines()
    detail = reason[0][:160] if reason else type(last).__name__
    if "password" in detail or "authentication" in detail:
        fix = "用户名或密码不对:请检查 [database] url(或环境变量 ALLIANCE_BOT_DATABASE__URL)。"
    elif "does not exist" in detail:
        fix = "数据库不存在:请先在 PostgreSQL 中创建它(createdb),或改正 [database] url 中的库名。"
    else:
        fix = (
            "请确认 PostgreSQL 已启动、防火墙允许连接,并检查 [database] url 的主机和端口"
            f"(已等待 {settings.database.connect_retry_s:.0f} 秒,可用 [database] connect_retry_s 调整)。"
        )
    return f"无法连接数据库 {url.host}:{url.port or 5432}/{url.database}({detail})。\n{fix}"


def cmd_demo(args: argparse.Namespace) -> int:
    from bot.demo import run_demo

    return run_demo(keep=args.keep, verbose=args.verbose)


def cmd_parse(args: argparse.Namespace) -> int:
    from handlers.reports.batch import run_parse_cli

    return run_parse_cli(args.roster, sys.stdin, sys.stdout, cache_dir=args.cache_dir)


def cmd_simulate(args: argparse.Namespace) -> int:
    from bot.speaker import run_simulate

    settings = _settings(args)
    return run_simulate(
        settings, platform=args.platform, as_name=args.as_name, group=args.group, url=args.url
    )


def _check_meetings(roster, today) -> None:
    """Validate [[targets]] and [[meetings]] before anything is written (names file, entry and field)."""
    from handlers.meeting_rules import MeetingEntryError, check_meeting_entry
    from handlers.targets import parse_targets
    from storage.roster import RosterError

    if roster.targets:
        try:
            parse_targets(roster.targets, roster.source)
        except ValueError as err:
            raise RosterError(roster.source, "[[targets]]", None, str(err)) from None
    names = {a.name for a in roster.alliances}
    for i, e in enumerate(roster.meetings, 1):
        try:
            check_meeting_entry(e, names, today)
        except MeetingEntryError as err:
            raise RosterError(roster.source, f"[[meetings]] 第{i}项", err.field, str(err)) from None


def cmd_roster_import(args: argparse.Namespace) -> int:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from bot.app import config_meetings
    from bot.platforms.registry import RoutingPusher
    from handlers.ports import SystemClock
    from scheduler.runner import ReminderScheduler
    from storage.roster import RosterError, load_roster
    from storage.roster_import import import_roster_file

    settings = _settings(args)
    try:
        roster = load_roster(args.file)
        _check_meetings(roster, datetime.now(ZoneInfo(settings.timezone)).date())
        engine = _engine(settings)
        summary = import_roster_file(engine, args.file, roster)
    except RosterError as e:
        print(f"名册有误,未做任何修改。\n{e}", file=sys.stderr)
        return 2
    print(f"已导入 {args.file}: {summary.describe()}")
    if roster.meetings or settings.meetings:
        svc = ReminderScheduler(engine, settings, RoutingPusher({}), SystemClock())
        entries = config_meetings(settings) + [
            m for m in roster.meetings if args.file != settings.roster
        ]
        for line in svc.import_config_meetings(entries):
            print(f"警告: {line}", file=sys.stderr)
        print(f"例会规则: {len(roster.meetings)} 条")
    return 0


def cmd_roster_show(args: argparse.Namespace) -> int:
    from sqlmodel import Session

    from storage.queries import roster_tree

    engine = _engine(_settings(args))
    with Session(engine) as s:
        sys.stdout.write(roster_tree(s))
    return 0


def cmd_records(args: argparse.Namespace) -> int:
    from sqlmodel import Session, col, select

    from handlers.records import reporters_of
    from handlers.vocab import kind_label
    from storage.models import Alliance, Record
    from storage.queries import record_to_dict

    engine = _engine(_settings(args))
    with Session(engine) as s:
        q = select(Record).where(col(Record.deleted) == False).order_by(col(Record.id))  # noqa: E712
        if args.alliance:
            a = s.exec(select(Alliance).where(Alliance.name == args.alliance)).first()
            if a is None:
                print(f"没有名为“{args.alliance}”的联盟", file=sys.stderr)
                return 2
            q = q.where(Record.alliance_id == a.id)
        rows = s.exec(q).all()
        for r in rows:
            d = record_to_dict(r)
            d["reporters"] = [x.reporter_name for x in reporters_of(s, r.id)]
            if args.json:
                print(json.dumps(d, ensure_ascii=False))
            else:
                who = "、".join(d["reporters"])
                print(
                    f"#{r.id} {r.date or '日期未知'} {kind_label(r.intent, r.kind, r.exchange_kind)}"
                    f"({'计划' if r.status == 'planned' else '完成'}) {'、'.join(r.schools)}"
                    f"{' 教师:' + '、'.join(r.teachers) if r.teachers else ''} 上报:{who}"
                )
        if not rows and not args.json:
            print("(还没有记录)")
    return 0


def cmd_db_upgrade(args: argparse.Namespace) -> int:
    from storage.db import current_revision

    settings = _settings(args)
    engine = _engine(settings)
    print(
        f"数据库已是最新结构 (revision {current_revision(engine)}): {engine.url.render_as_string()}"
    )
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from sqlmodel import Session, select

    from handlers.export import export_workbook
    from handlers.periods import parse_period
    from storage.models import Alliance

    settings = _settings(args)
    from datetime import datetime
    from zoneinfo import ZoneInfo

    today = datetime.now(ZoneInfo(settings.timezone)).date()
    # Check what was asked before touching anything.
    try:
        period = parse_period(args.period, today, settings.terms)
    except ValueError as e:
        period, why = None, str(e)
    else:
        why = ""
    if period is None:
        print(
            f"无法识别期间“{args.period}”{('(' + why + ')') if why else ''}。可以写:本月、上月、"
            "本学期、上学期、本学年、本年、2026、2026-10、2026-09-01~2026-11-30",
            file=sys.stderr,
        )
        return 2
    out = Path(args.out)
    if not out.parent.is_dir():
        print(
            f"输出目录 {out.parent} 不存在。请先创建它,或把 --out 换成已有目录下的文件。",
            file=sys.stderr,
        )
        return 2
    engine = _engine(settings)
    with Session(engine) as s:
        a = s.exec(select(Alliance).where(Alliance.name == args.alliance)).first()
        if a is None:
            print(f"没有名为“{args.alliance}”的联盟", file=sys.stderr)
            return 2
        data = export_workbook(s, a.id, period, settings)
    Path(args.out).write_bytes(data)
    print(f"已导出 {a.name} {period.label} 台账到 {args.out}")
    return 0


def cmd_reminders(args: argparse.Namespace) -> int:
    from sqlmodel import Session

    from bot.app import config_meetings
    from bot.platforms.registry import RoutingPusher
    from handlers.ports import SystemClock
    from handlers.workdays import FALLBACK_WARNING, SOURCE_FALLBACK
    from scheduler.runner import ReminderScheduler

    settings = _settings(args)
    engine = _engine(settings)
    svc = ReminderScheduler(engine, settings, RoutingPusher({}), SystemClock())
    for line in svc.import_config_meetings(config_meetings(settings)):
        print(f"警告: {line}", file=sys.stderr)
    svc.sync_from_db()
    with Session(engine) as s:
        rows = svc.upcoming_fires(s, args.days)
    if any(r["calendar"] == SOURCE_FALLBACK for r in rows):
        print(
            f"{FALLBACK_WARNING}(在配置文件 [calendar] 的 holidays、workdays 中填写)",
            file=sys.stderr,
        )
    if args.json:
        for r in rows:
            print(json.dumps(r, ensure_ascii=False, default=str))
        return 0
    if not rows:
        print(f"未来 {args.days} 天没有待发送的提醒。")
    for r in rows:
        print(
            f"{r['time']}  {r['alliance']}  {r['group']}  {r.get('kind_cn') or r['kind']}"
            f"  [日历: {r['calendar']}]\n    {r['text']}"
        )
    return 0


def cmd_scores_import(args: argparse.Namespace) -> int:
    from handlers.scores import import_scores

    settings = _settings(args)
    engine = _engine(settings)
    from sqlmodel import Session

    with Session(engine) as s:
        try:
            n = import_scores(s, args.file)
            s.commit()
        except ValueError as e:
            s.rollback()
            print(f"成绩文件有误,未做任何修改。\n{e}", file=sys.stderr)
            return 2
    print(f"已导入 {n.total} 条学校成绩(新增 {n.created},更新 {n.updated})。")
    return 0


def cmd_notify(args: argparse.Namespace) -> int:
    """Queue an announcement for every group of an alliance (the outbox); the `serve`
    process that holds each platform's connection sends it within seconds."""
    from sqlmodel import Session, col, select

    from handlers.ports import SystemClock
    from storage import outbox
    from storage.models import Alliance, ChatGroup

    settings = _settings(args)
    engine = _engine(settings)
    text = " ".join(args.text).strip()
    if not text:
        print("通知内容不能为空。", file=sys.stderr)
        return 2
    with Session(engine) as s:
        a = s.exec(select(Alliance).where(Alliance.name == args.alliance)).first()
        if a is None:
            print(f"没有名为“{args.alliance}”的联盟", file=sys.stderr)
            return 2
        groups = s.exec(
            select(ChatGroup).where(ChatGroup.alliance_id == a.id).order_by(col(ChatGroup.id))
        ).all()
        queued, skipped = [], []
        for g in groups:
            if g.platform == "qq":
                skipped.append(f"{g.chat_id}(QQ 官方机器人不能主动发消息)")
                continue
            outbox.enqueue(
                s,
                platform=g.platform,
                chat_id=g.chat_id,
                text=text,
                push_key=g.webhook_key,
                alliance_id=a.id,
                now=SystemClock().now(),
            )
            queued.append(f"{g.platform}:{g.chat_id}")
        s.commit()
    if not queued:
        print(f"联盟“{a.name}”没有可推送的群,未排队任何通知。", file=sys.stderr)
        return 2
    print(f"已排队 {len(queued)} 条通知({'、'.join(queued)}),运行中的 serve 进程会在几秒内发出。")
    for line in skipped:
        print(f"跳过: {line}", file=sys.stderr)
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    from storage.backup import BackupError, backup

    settings = _settings(args)
    try:
        summary = backup(settings.database.url, args.path)
    except BackupError as e:
        print(f"备份未完成: {e}", file=sys.stderr)
        return 2
    print(f"已备份到 {summary.describe()}")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from storage.backup import BackupError, restore
    from storage.db import current_revision

    settings = _settings(args)
    try:
        summary, kept = restore(settings.database.url, args.path)
    except BackupError as e:
        print(f"恢复未完成,数据库没有改动: {e}", file=sys.stderr)
        return 2
    engine = _engine(settings)  # an older backup is brought up to the current structure
    print(f"已从 {args.path} 恢复: {summary.describe()}")
    print(f"数据库结构已升级到 {current_revision(engine)}。")
    if kept is not None:
        print(f"恢复前的数据库已另存为 {kept}")
    print("如果机器人正在运行,请重新启动 alliance-bot serve。")
    return 0


# -- parser -----------------------------------------------------------------------------
def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(
        prog="alliance-bot", description="联盟助手: 学校联盟活动记录、统计与提醒机器人"
    )
    ap.add_argument(
        "--version", action="version", version=f"alliance-bot {_version()}", help="显示版本号"
    )
    ap.add_argument("--config", help="TOML 配置文件 (也可用环境变量 ALLIANCE_BOT_CONFIG)")
    sub = ap.add_subparsers(dest="command", required=True, metavar="命令")

    p = sub.add_parser("serve", help="启动机器人服务 (自动升级数据库结构)")
    p.add_argument("--host", help="监听地址 (默认取配置 server.host)")
    p.add_argument("--port", type=int, help="监听端口 (默认取配置 server.port)")
    p.add_argument(
        "--workers",
        type=int,
        metavar="N",
        help="工作进程数 (默认取配置 server.workers=1;大于 1 时需要 PostgreSQL,"
        "N 个进程共用同一端口)",
    )
    p.add_argument("--worker-index", type=int, help=argparse.SUPPRESS)  # set by --workers
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("demo", help="无需配置的演示: 临时数据库 + 真实服务 + 模拟群聊")
    p.add_argument(
        "--keep",
        action="store_true",
        help="演示后保持服务运行(可在浏览器打开 /看板 链接),并保留临时目录",
    )
    p.add_argument("--verbose", action="store_true", help="显示服务日志")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser(
        "parse",
        help="把 JSON lines 消息解析为活动记录 (标准输入 → 标准输出)",
        description="把消息解析为活动记录。输入(标准输入)每行一个 JSON 对象,例如\n"
        '  {"id": "m1", "text": "今天去解小送课,听课15人", "sender": "张炜", '
        '"sent_at": "2026-11-23T10:00:00+08:00"}\n'
        "text 必填,id、sender、sent_at 可选。输出每行一个 JSON 记录 (字段见 report-schema)。",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--roster", required=True, help="名册 TOML 文件")
    p.add_argument("--cache-dir", default=None, help="分词词典缓存目录 (默认 data/cache)")
    p.set_defaults(func=cmd_parse)

    p = sub.add_parser(
        "simulate",
        help="像平台一样(签名、加密)与运行中的服务对话",
        description="以名册中某人的身份,像平台一样与运行中的 serve 对话。输入:在终端"
        "逐行输入要发的消息,回车发送,Ctrl-D 结束;机器人的回复逐行打印。\n"
        "wecom-ws(企业微信长连接)时,本命令扮演企业微信一端:配置里 ws_url 须为本机"
        '地址(如 "wss://127.0.0.1:18443"),ca_file 指向数据目录下的新路径'
        '(如 "data/sim-tls/ca.pem"),先运行本命令再启动 serve。',
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "--platform",
        required=True,
        help="平台: wecom-aibot、wecom-app、onebot、onebot-ws、qq、wecom-ws",
        choices=["wecom-aibot", "wecom-app", "onebot", "onebot-ws", "qq", "wecom-ws"],
    )
    p.add_argument("--as", dest="as_name", required=True, help="以名册中此人的身份发言")
    p.add_argument("--group", help="群 ID (默认取名册中此人所在联盟的群)")
    p.add_argument("--url", help="服务地址 (默认 http://server.host:server.port)")
    p.set_defaults(func=cmd_simulate)

    p = sub.add_parser("roster", help="名册: 导入 / 查看")
    rs = p.add_subparsers(dest="roster_command", required=True, metavar="操作")
    q = rs.add_parser("import", help="导入名册 TOML 或 .xlsx (可重复导入, 出错则不做任何修改)")
    q.add_argument("file", help="名册文件 (.toml,或每张表一个工作表的 .xlsx)")
    q.set_defaults(func=cmd_roster_import)
    q = rs.add_parser("show", help="以树形显示联盟、学校和人员")
    q.set_defaults(func=cmd_roster_show)

    p = sub.add_parser("records", help="列出已保存的活动与交流记录")
    p.add_argument("--json", action="store_true", help="每行一个 JSON 对象")
    p.add_argument("--alliance", help="只看此联盟")
    p.set_defaults(func=cmd_records)

    p = sub.add_parser("export", help="导出联盟台账 (xlsx)")
    p.add_argument("--alliance", required=True, help="联盟名称 (与名册一致)")
    p.add_argument(
        "--period",
        default="本学年",
        help="本月 / 本学期 / 本学年 / 2026 / 2026-10 / 2026-09-01~2026-11-30",
    )
    p.add_argument("--out", required=True, help="输出文件 .xlsx")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("reminders", help="列出即将发送的提醒")
    p.add_argument("--json", action="store_true", help="每行一个 JSON 对象")
    p.add_argument("--days", type=int, default=14, help="看未来多少天 (默认 14)")
    p.set_defaults(func=cmd_reminders)

    p = sub.add_parser("scores", help="考核成绩: 导入外部成绩 (xlsx/csv)")
    ss = p.add_subparsers(dest="scores_command", required=True, metavar="操作")
    q = ss.add_parser(
        "import",
        help="导入 学校/年度/得分/排名 表",
        description="导入外部考核成绩。文件为 .xlsx(第一张表)或 .csv(UTF-8 或 Excel "
        "默认的 GBK 编码均可),第一行为表头:学校、年度、得分,可选 排名(县排名,1 为最好)。"
        "例如\n  学校,年度,得分,排名\n  城关小学,2026,92.5,3\n"
        "有任何错误时列出文件、行和列,不做任何修改。",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    q.add_argument("file", help="成绩文件 .xlsx 或 .csv")
    q.set_defaults(func=cmd_scores_import)

    p = sub.add_parser(
        "backup",
        help="备份数据库 (运行中也可, SQLite 在线备份 / PostgreSQL pg_dump)",
        description="备份数据库:运行中也可以备份。SQLite 用在线备份接口得到一致的副本,"
        "PostgreSQL 调用 pg_dump。完成后显示备份文件、大小、数据库版本和记录数。",
    )
    p.add_argument("path", help="备份文件; 给目录时在其中生成 alliance-日期-时间.db")
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser(
        "restore",
        help="从备份恢复数据库 (请先停止 serve)",
        description="从 alliance-bot backup 生成的备份文件恢复数据库。恢复前请先停止 serve。",
    )
    p.add_argument("path", help="alliance-bot backup 生成的备份文件")
    p.set_defaults(func=cmd_restore)

    p = sub.add_parser(
        "notify",
        help="向联盟的所有群推送一条通知 (由运行中的 serve 发出)",
        description=cmd_notify.__doc__
        and "向联盟的所有群推送一条通知:先存入数据库"
        "(发件箱),持有各平台连接的 serve 进程几秒内发出。",
    )
    p.add_argument("--alliance", required=True, help="联盟名称 (与名册一致)")
    p.add_argument("text", nargs="+", help="通知内容")
    p.set_defaults(func=cmd_notify)

    p = sub.add_parser("db", help="数据库维护")
    ds = p.add_subparsers(dest="db_command", required=True, metavar="操作")
    q = ds.add_parser("upgrade", help="升级数据库结构到最新")
    q.set_defaults(func=cmd_db_upgrade)
    # Every subcommand's --help starts with a Chinese description (its one-line help
    # where no longer description was written).
    _chinese_help(ap)
    for action in [a for a in ap._actions if isinstance(a, argparse._SubParsersAction)]:
        _describe(action)
    return ap


def _chinese_help(parser: argparse.ArgumentParser) -> None:
    for a in parser._actions:
        if isinstance(a, argparse._HelpAction):
            a.help = "显示此帮助并退出"


def _describe(action: argparse._SubParsersAction) -> None:
    helps = {c.dest: c.help for c in action._choices_actions}
    for name, parser in action.choices.items():
        _chinese_help(parser)
        if not parser.description:
            parser.description = helps.get(name)
        for sub in [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]:
            _describe(sub)


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("alliance-bot")
    except PackageNotFoundError:
        return "未安装(源码目录运行)"


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except ConfigError as e:
        print(str(e), file=sys.stderr)
        return 2
    except BrokenPipeError:
        # `alliance-bot records --json | head`: the reader left; stop quietly. Point stdout
        # at devnull so the interpreter's final flush does not raise again.
        import os

        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
