"""Log file with rotation; one line per message with platform, sender and outcome."""

from __future__ import annotations

import logging
from logging.handlers import RotatingFileHandler

from bot.cli import _logging
from bot.config import load_settings


def test_log_file_rotates(tmp_path):
    s = load_settings(
        None, log={"file": str(tmp_path / "logs" / "bot.log"), "max_bytes": 2048, "backups": 2}
    )
    root = logging.getLogger()
    before, level = list(root.handlers), root.level
    try:
        _logging("INFO", s)
        for i in range(200):
            logging.getLogger("bot.pipeline").info(
                "message wecom/m%d from u in g: recorded #%d", i, i
            )
    finally:
        for h in root.handlers[:]:
            if h not in before:
                h.close()
                root.removeHandler(h)
        root.setLevel(level)
    names = sorted(p.name for p in (tmp_path / "logs").iterdir())
    assert names == ["bot.log", "bot.log.1", "bot.log.2"]
    assert all((tmp_path / "logs" / n).stat().st_size <= 2048 + 200 for n in names)
    assert "recorded #199" in (tmp_path / "logs" / "bot.log").read_text(encoding="utf-8")
    assert not any(isinstance(h, RotatingFileHandler) for h in root.handlers)


async def test_each_message_logged_with_platform_sender_outcome_not_text(live, caplog):
    caplog.set_level(logging.INFO, logger="bot.pipeline")
    await live.onebot_say(200101, "今天我到齐小送教,数学两节")
    await live.onebot_say(200101, "大家好,今天天气不错")
    lines = [
        r.getMessage()
        for r in caplog.records
        if r.name == "bot.pipeline" and r.getMessage().startswith("message onebot/")
    ]
    assert len(lines) == 2
    assert all(" from 200101 in 80001: " in x for x in lines)
    assert "recorded #" in lines[0] and lines[1].endswith(": chat")
    assert "齐小" not in " ".join(lines) and "天气" not in " ".join(lines)
