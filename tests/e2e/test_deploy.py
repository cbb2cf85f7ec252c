"""The deployment kit: the systemd unit passes `systemd-analyze verify`; the Dockerfile and
compose file are consistent with the package (the image itself is built by .ci/run where a
Docker engine runs)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

DEPLOY = ROOT / "deploy"


def test_systemd_unit_passes_systemd_analyze_verify(tmp_path):
    tool = shutil.which("systemd-analyze")
    if tool is None:
        pytest.skip(
            "systemd-analyze is not installed here (apt-get install systemd); "
            "the unit is not verified"
        )
    unit = (DEPLOY / "alliance-bot.service").read_text(encoding="utf-8")
    assert "Restart=on-failure" in unit and "EnvironmentFile=" in unit
    assert (
        "StateDirectory=alliance-bot" in unit
        and "ALLIANCE_BOT_DATA_DIR=/var/lib/alliance-bot" in unit
    )
    # verify checks that ExecStart's program exists: point it at the alliance-bot this test
    # environment installed instead of /opt/alliance-bot (everything else is the real unit).
    exe = shutil.which("alliance-bot") or str(Path(sys.executable).parent / "alliance-bot")
    assert Path(exe).exists()
    copy = tmp_path / "alliance-bot.service"
    copy.write_text(unit.replace("/opt/alliance-bot/bin/alliance-bot", exe), encoding="utf-8")
    done = subprocess.run([tool, "verify", str(copy)], capture_output=True, text=True, check=False)
    assert done.returncode == 0 and not done.stderr.strip(), done.stderr


def test_dockerfile_runs_as_non_root_with_a_data_volume():
    text = (DEPLOY / "Dockerfile").read_text(encoding="utf-8")
    assert "\nUSER alliance\n" in text and 'VOLUME ["/data"]' in text
    assert "ALLIANCE_BOT_DATA_DIR=/data" in text
    for package in ("bot", "handlers", "scheduler", "storage"):
        assert f"COPY {package} ./{package}" in text  # every package the wheel includes
    compose = (DEPLOY / "compose.yaml").read_text(encoding="utf-8")
    assert "postgres:" in compose and "dockerfile: deploy/Dockerfile" in compose
    assert "service_healthy" in compose


def test_example_config_loads(monkeypatch):
    from bot.config import load_settings

    monkeypatch.setenv("ALLIANCE_BOT_WECOM__AIBOT__BOT_ID", "bot-id")
    monkeypatch.setenv("ALLIANCE_BOT_WECOM__AIBOT__SECRET", "secret")
    s = load_settings(DEPLOY / "bot.toml")
    assert s.wecom.aibot.websocket and s.log.file.endswith("bot.log")
