"""`alliance-bot` command line: serve, demo, parse, simulate, roster, records, export,
reminders, scores, db."""
from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
from pathlib import Path

from bot.config import ConfigError, Settings, load_settings


def _settings(args: argparse.Namespace) -> Settings:
    return load_settings(args.config)


def _engine(settings: Settings, migrate: bool = True):  # noqa: ANN202
    from storage.db import make_engine, upgrade

    engine = make_engine(settings.database.url, busy_timeout_ms=settings.database.busy_timeout_ms)
    if migrate:
        upgrade(engine)
    return engine


def _logging(level: str) -> None:
    logging.basicConfig(level=getattr(logging, level, logging.INFO),
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("jieba").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)


# -- commands ---------------------------------------------------------------------------
def cmd_serve(args: argparse.Namespace) -> int:
    from bot.app import BotApp, prepare_database, run_server

    settings = _settings(args)
    _logging(settings.log_level)
    host = args.host or settings.server.host
    port = args.port if args.port is not None else settings.server.port
    workers = args.workers if args.workers is not None else settings.server.workers
    worker = args.worker_index is not None  # started by `serve --workers N`
    if workers > 1 and not worker:
        if settings.database.url.startswith("sqlite"):
            print("--workers 需要 PostgreSQL:SQLite 同一时间只能有一个写入者,多进程没有好处。"
                  "请去掉 --workers,或把 database.url 改为 PostgreSQL。", file=sys.stderr)
            return 2
        if port == 0:
            print("--workers 需要固定端口(--port 或 server.port 不能为 0)。", file=sys.stderr)
            return 2
    if not worker:
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

        engine = make_engine(settings.database.url, busy_timeout_ms=settings.database.busy_timeout_ms,
                             pool_size=settings.database.pool_size,
                             sqlite_synchronous=settings.database.sqlite_synchronous)
    bot = BotApp(settings, engine=engine)
    try:
        asyncio.run(run_server(bot, host, port, reuse_port=worker))
    except KeyboardInterrupt:
        pass
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from bot.demo import run_demo

    return run_demo(keep=args.keep, verbose=args.verbose)


def cmd_parse(args: argparse.Namespace) -> int:
    from handlers.reports.batch import run_parse_cli

    return run_parse_cli(args.roster, sys.stdin, sys.stdout, cache_dir=args.cache_dir)


def cmd_simulate(args: argparse.Namespace) -> int:
    from bot.speaker import run_simulate

    settings = _settings(args)
    return run_simulate(settings, platform=args.platform, as_name=args.as_name, group=args.group,
                        url=args.url)


def _check_meetings(roster, today) -> None:  # noqa: ANN001
    """Validate [[targets]] and [[meetings]] before anything is written (names file, entry and field)."""
    from handlers.meeting_rules import MeetingEntryError, check_meeting_entry
    from storage.roster import RosterError

    from handlers.targets import parse_targets

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
        entries = config_meetings(settings) + [m for m in roster.meetings
                                               if args.file != settings.roster]
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
    from sqlmodel import Session, select

    from handlers.records import reporters_of
    from handlers.vocab import kind_label
    from storage.models import Alliance, Record
    from storage.queries import record_to_dict

    engine = _engine(_settings(args))
    with Session(engine) as s:
        q = select(Record).where(Record.deleted == False).order_by(Record.id)  # noqa: E712
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
                print(f"#{r.id} {r.date or '日期未知'} {kind_label(r.intent, r.kind, r.exchange_kind)}"
                      f"({'计划' if r.status == 'planned' else '完成'}) {'、'.join(r.schools)}"
                      f"{' 教师:' + '、'.join(r.teachers) if r.teachers else ''} 上报:{who}")
        if not rows and not args.json:
            print("(还没有记录)")
    return 0


def cmd_db_upgrade(args: argparse.Namespace) -> int:
    from storage.db import current_revision

    settings = _settings(args)
    engine = _engine(settings)
    print(f"数据库已是最新结构 (revision {current_revision(engine)}): {engine.url.render_as_string()}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from sqlmodel import Session, select

    from handlers.export import export_workbook
    from handlers.periods import parse_period
    from storage.models import Alliance

    settings = _settings(args)
    engine = _engine(settings)
    from datetime import datetime
    from zoneinfo import ZoneInfo

    today = datetime.now(ZoneInfo(settings.timezone)).date()
    with Session(engine) as s:
        a = s.exec(select(Alliance).where(Alliance.name == args.alliance)).first()
        if a is None:
            print(f"没有名为“{args.alliance}”的联盟", file=sys.stderr)
            return 2
        try:
            period = parse_period(args.period, today, settings.terms)
        except ValueError as e:
            print(str(e), file=sys.stderr)
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
        print(FALLBACK_WARNING, file=sys.stderr)
    if args.json:
        for r in rows:
            print(json.dumps(r, ensure_ascii=False, default=str))
        return 0
    if not rows:
        print(f"未来 {args.days} 天没有待发送的提醒。")
    for r in rows:
        print(f"{r['time']}  {r['alliance']}  {r['group']}  {r.get('kind_cn') or r['kind']}"
              f"  [日历: {r['calendar']}]\n    {r['text']}")
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
    print(f"已导入 {n} 条学校成绩。")
    return 0


# -- parser -----------------------------------------------------------------------------
def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="alliance-bot",
                                 description="联盟助手: 学校联盟活动记录、统计与提醒机器人")
    ap.add_argument("--config", help="TOML 配置文件 (也可用环境变量 ALLIANCE_BOT_CONFIG)")
    sub = ap.add_subparsers(dest="command", required=True, metavar="命令")

    p = sub.add_parser("serve", help="启动机器人服务 (自动升级数据库结构)")
    p.add_argument("--host", help="监听地址 (默认取配置 server.host)")
    p.add_argument("--port", type=int, help="监听端口 (默认取配置 server.port)")
    p.add_argument("--workers", type=int, metavar="N",
                   help="工作进程数 (默认取配置 server.workers=1;大于 1 时需要 PostgreSQL,"
                        "N 个进程共用同一端口)")
    p.add_argument("--worker-index", type=int, help=argparse.SUPPRESS)  # set by --workers
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("demo", help="无需配置的演示: 临时数据库 + 真实服务 + 模拟群聊")
    p.add_argument("--keep", action="store_true", help="保留演示用的临时目录")
    p.add_argument("--verbose", action="store_true", help="显示服务日志")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("parse", help="把 JSON lines 消息解析为活动记录 (标准输入 → 标准输出)")
    p.add_argument("--roster", required=True, help="名册 TOML 文件")
    p.add_argument("--cache-dir", default=None, help="分词词典缓存目录 (默认 data/cache)")
    p.set_defaults(func=cmd_parse)

    p = sub.add_parser("simulate", help="像平台一样(签名、加密)与运行中的服务对话")
    p.add_argument("--platform", required=True, choices=["wecom-aibot", "wecom-app", "onebot", "onebot-ws", "qq"])
    p.add_argument("--as", dest="as_name", required=True, help="以名册中此人的身份发言")
    p.add_argument("--group", help="群 ID (默认取名册中此人所在联盟的群)")
    p.add_argument("--url", help="服务地址 (默认 http://server.host:server.port)")
    p.set_defaults(func=cmd_simulate)

    p = sub.add_parser("roster", help="名册: 导入 / 查看")
    rs = p.add_subparsers(dest="roster_command", required=True, metavar="操作")
    q = rs.add_parser("import", help="导入名册 TOML (可重复导入, 出错则不做任何修改)")
    q.add_argument("file")
    q.set_defaults(func=cmd_roster_import)
    q = rs.add_parser("show", help="以树形显示联盟、学校和人员")
    q.set_defaults(func=cmd_roster_show)

    p = sub.add_parser("records", help="列出已保存的活动与交流记录")
    p.add_argument("--json", action="store_true", help="每行一个 JSON 对象")
    p.add_argument("--alliance", help="只看此联盟")
    p.set_defaults(func=cmd_records)

    p = sub.add_parser("export", help="导出联盟台账 (xlsx)")
    p.add_argument("--alliance", required=True)
    p.add_argument("--period", default="本学年", help="本月 / 本学期 / 本学年 / 2026 / 2026-10 / 2026-09-01~2026-11-30")
    p.add_argument("--out", required=True, help="输出文件 .xlsx")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("reminders", help="列出即将发送的提醒")
    p.add_argument("--json", action="store_true")
    p.add_argument("--days", type=int, default=14)
    p.set_defaults(func=cmd_reminders)

    p = sub.add_parser("scores", help="考核成绩: 导入外部成绩 (xlsx/csv)")
    ss = p.add_subparsers(dest="scores_command", required=True, metavar="操作")
    q = ss.add_parser("import", help="导入 学校/年度/得分/排名 表")
    q.add_argument("file")
    q.set_defaults(func=cmd_scores_import)

    p = sub.add_parser("db", help="数据库维护")
    ds = p.add_subparsers(dest="db_command", required=True, metavar="操作")
    q = ds.add_parser("upgrade", help="升级数据库结构到最新")
    q.set_defaults(func=cmd_db_upgrade)
    return ap


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except ConfigError as e:
        print(str(e), file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
