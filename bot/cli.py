"""`alliance-bot` command line."""
from __future__ import annotations

import argparse
import sys


def _cmd_parse(args: argparse.Namespace) -> int:
    from handlers.reports.batch import run_parse_cli

    return run_parse_cli(args.roster, sys.stdin, sys.stdout, cache_dir=args.cache_dir)


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="alliance-bot", description="联盟助手: 学校联盟活动记录与提醒机器人")
    ap.add_argument("--config", help="TOML 配置文件 (也可用环境变量 ALLIANCE_BOT_CONFIG)")
    sub = ap.add_subparsers(dest="command", required=True)

    p = sub.add_parser("parse", help="把 JSON lines 消息解析为活动记录 (标准输入 → 标准输出)")
    p.add_argument("--roster", required=True, help="名册 TOML 文件")
    p.add_argument("--cache-dir", default=None, help="分词词典缓存目录 (默认 data/cache)")
    p.set_defaults(func=_cmd_parse)
    return ap


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
