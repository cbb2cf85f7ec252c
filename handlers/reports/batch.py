"""`alliance-bot parse`: JSON lines in, one parsed record per line out.

Never stops on a bad line: a line that is not JSON, or has no text, still gets an output
line (all fields empty, intent `chat`) so the output stays aligned with the input, and a
warning on stderr names the line.
"""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path
from typing import IO

from handlers.reports.parser import CHAT, CHINA, ReportParser
from storage.roster import RosterError, load_roster

DEFAULT_CACHE_DIR = Path("data") / "cache"


def _cache_dir(cache_dir: str | None) -> Path | None:
    path = Path(cache_dir) if cache_dir is not None else DEFAULT_CACHE_DIR
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        print(f"警告: 无法创建缓存目录 {path}: {e.strerror or e}; 本次不使用缓存", file=sys.stderr)
        return None
    return path


def _sent_at(value: object, lineno: int, stderr: IO[str]) -> datetime:
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            pass
    print(f"警告: 第 {lineno} 行 sent_at 无效({value!r}),按当前时间解析", file=stderr)
    return datetime.now(CHINA)


def run_parse_cli(
    roster_path: str, stdin: IO[str], stdout: IO[str], cache_dir: str | None = None
) -> int:
    stderr = sys.stderr
    try:
        roster = load_roster(roster_path)
    except RosterError as e:
        print(str(e), file=stderr)
        return 2
    parser = ReportParser(roster, _cache_dir(cache_dir))
    for lineno, line in enumerate(stdin, 1):
        if not line.strip():
            continue
        msg_id = None
        try:
            msg = json.loads(line)
        except ValueError:
            msg = None
        if isinstance(msg, dict):
            msg_id = msg.get("id")
        if not isinstance(msg, dict) or not isinstance(msg.get("text"), str):
            print(
                f"警告: 第 {lineno} 行不是有效的消息(需要含 text 的 JSON 对象),按闲聊输出",
                file=stderr,
            )
            record = CHAT
        else:
            sender = msg.get("sender")
            quoted = msg.get("quoted")  # the message this one replies to, when given apart
            record = parser.parse(
                msg["text"],
                _sent_at(msg.get("sent_at"), lineno, stderr),
                sender if isinstance(sender, str) else None,
                quoted=quoted if isinstance(quoted, str) else None,
            )
        stdout.write(json.dumps({"id": msg_id, **record.to_dict()}, ensure_ascii=False) + "\n")
    stdout.flush()
    return 0
