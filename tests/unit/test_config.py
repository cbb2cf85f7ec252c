"""Configuration: TOML + environment, defaults, and errors that name the key."""

from __future__ import annotations

import pytest

from bot.config import ConfigError, load_settings


@pytest.fixture(autouse=True)
def clean_env(monkeypatch):
    import os

    for k in list(os.environ):
        if k.startswith("ALLIANCE_BOT_"):
            monkeypatch.delenv(k)


def write(tmp_path, text: str):
    p = tmp_path / "bot.toml"
    p.write_text(text, encoding="utf-8")
    return p


def test_defaults_without_a_file():
    s = load_settings()
    assert s.database.url == "sqlite:///data/alliance.db"
    assert (s.server.host, s.server.port) == ("127.0.0.1", 8080)
    assert s.platform_summary()["wecom-aibot"] is False


def test_file_and_environment_override(tmp_path, monkeypatch):
    p = write(tmp_path, '[server]\nport = 9001\n[onebot]\nsecret = "abc"\n')
    monkeypatch.setenv("ALLIANCE_BOT_CONFIG", str(p))
    assert load_settings().server.port == 9001
    monkeypatch.setenv("ALLIANCE_BOT_SERVER__PORT", "9002")
    monkeypatch.setenv("ALLIANCE_BOT_DATABASE__URL", "postgresql+psycopg://u@h/db")
    s = load_settings()
    assert s.server.port == 9002 and s.onebot.secret == "abc"
    assert s.database.url == "postgresql+psycopg://u@h/db"


@pytest.mark.parametrize(
    "text, names",
    [
        ('[server]\nport = "eighty"\n', "server.port"),
        ("[servr]\nport = 80\n", "servr: 未知的配置项或段落"),
        ("[server]\nprt = 80\n", "server.prt: 未知的配置项或段落"),
        ('[wecom.aibot]\ntoken = "t"\n', "wecom.aibot.encoding_aes_key"),
        (
            '[wecom.app]\ncorp_id = "ww1"\ntoken = "t"\nencoding_aes_key = "'
            + "k" * 43
            + '"\nagent_id = "x"\n',
            "wecom.app.agent_id",
        ),
        ('[qq]\napp_id = "1"\n', "qq.secret"),
        ("[server\nport = 1\n", "TOML 语法错误"),
    ],
)
def test_bad_config_names_file_and_key(tmp_path, text, names):
    p = write(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        load_settings(p)
    assert str(p) in str(info.value)
    assert names in str(info.value)


def test_missing_file():
    with pytest.raises(ConfigError, match="找不到配置文件"):
        load_settings("/nonexistent/bot.toml")


def test_cli_refuses_to_start_with_a_bad_config(tmp_path, capsys):
    from bot.cli import main

    p = write(tmp_path, '[server]\nport = "eighty"\n')
    assert main(["--config", str(p), "serve"]) == 2
    assert "server.port" in capsys.readouterr().err
