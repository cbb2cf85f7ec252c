"""Configuration: one TOML file plus environment overrides (pydantic-settings).

Precedence, highest first: environment variables (`ALLIANCE_BOT_<SECTION>__<KEY>`, e.g.
`ALLIANCE_BOT_DATABASE__URL`, `ALLIANCE_BOT_WECOM__AIBOT__TOKEN`), the TOML file named by
`--config` or `ALLIANCE_BOT_CONFIG`, then the defaults below. With no file at all the bot
runs on SQLite at ./data/alliance.db and listens on 127.0.0.1:8080.
"""
from __future__ import annotations

import os
import tomllib
from datetime import date
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

CONFIG_ENV = "ALLIANCE_BOT_CONFIG"


class ConfigError(ValueError):
    """A configuration that cannot start the bot; the message names the file and key."""


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class DatabaseSettings(_Section):
    url: str = "sqlite:///data/alliance.db"
    echo: bool = False
    busy_timeout_ms: int = Field(default=5000, ge=0)
    pool_size: int = Field(default=5, ge=1)
    # SQLite only: FULL (default) syncs every commit to disk, so an answered message
    # survives a power loss; NORMAL is faster on slow disks but can lose the last commits.
    sqlite_synchronous: Literal["FULL", "EXTRA", "NORMAL", "OFF"] = "FULL"


class ServerSettings(_Section):
    host: str = "127.0.0.1"
    port: int = Field(default=8080, ge=0, le=65535)
    public_url: str = ""  # used for one-time download links; defaults to http://host:port
    max_body_bytes: int = Field(default=64 * 1024, ge=1024)
    timestamp_window_s: int = Field(default=300, ge=1)
    threads: int = Field(default=3, ge=1, le=64)  # database/parse worker threads
    workers: int = Field(default=1, ge=1, le=64)  # serving processes (>1: PostgreSQL only)


class WecomAibotSettings(_Section):
    token: str = ""
    encoding_aes_key: str = ""
    bot_name: str = ""  # the "@Name" prefix to strip; any leading @mention is stripped anyway

    @property
    def enabled(self) -> bool:
        return bool(self.token or self.encoding_aes_key)


class WecomAppSettings(_Section):
    corp_id: str = ""
    agent_id: int = 0
    secret: str = ""
    token: str = ""
    encoding_aes_key: str = ""
    api_base: str = "https://qyapi.weixin.qq.com"

    @property
    def enabled(self) -> bool:
        return bool(self.corp_id or self.token or self.encoding_aes_key)


class WecomWebhookSettings(_Section):
    api_base: str = "https://qyapi.weixin.qq.com"  # group robot: /cgi-bin/webhook/send?key=…
    per_minute: int = Field(default=20, ge=1)


class WecomSettings(_Section):
    aibot: WecomAibotSettings = WecomAibotSettings()
    app: WecomAppSettings = WecomAppSettings()
    webhook: WecomWebhookSettings = WecomWebhookSettings()


class OneBotSettings(_Section):
    secret: str = ""  # HMAC-SHA1 key for X-Signature
    access_token: str = ""
    api_url: str = ""  # OneBot HTTP API for pushes, e.g. http://127.0.0.1:3000
    self_id: str = ""  # optional; the bot's QQ number, else taken from X-Self-ID
    enabled: bool = True  # OneBot needs no secret to work; set false to turn the routes off


class QQSettings(_Section):
    app_id: str = ""
    secret: str = ""
    api_base: str = "https://api.sgroup.qq.com"
    token_url: str = "https://bots.qq.com/app/getAppAccessToken"

    @property
    def enabled(self) -> bool:
        return bool(self.app_id or self.secret)


class TermSettings(_Section):
    autumn_start: str = "09-01"  # MM-DD; the autumn term runs to the day before spring_start
    spring_start: str = "02-01"
    spring_end: str = "07-31"
    school_year_start: str = "09-01"


class CalendarSettings(_Section):
    """Holidays and make-up workdays for years chinese-calendar does not cover."""

    holidays: list[date] = []
    workdays: list[date] = []


class ReminderSettings(_Section):
    enabled: bool = True
    grace_minutes: int = Field(default=60, ge=0)
    planned_day_before: str = "16:00"
    planned_same_day: str = "07:30"
    planned_follow_up: str = "17:00"
    meeting_day_before: str = "16:00"
    meeting_hours_before: int = 1
    digest_weekday: int = Field(default=0, ge=0, le=6)  # Monday
    digest_time: str = "08:30"
    chase_day: int = Field(default=20, ge=1, le=28)
    chase_time: str = "10:00"
    disabled_alliances: list[str] = []  # alliance names that get no reminders
    disabled_kinds: list[str] = []  # e.g. "digest", "chase", "meeting_hour"


class AssessmentSettings(_Section):
    own_weight: float = Field(default=0.8, ge=0, le=1)
    members_weight: float = Field(default=0.2, ge=0, le=1)
    rank_improvement_exemption: int = Field(default=5, ge=1)
    milestones: list[tuple[str, float]] = [("06-30", 0.3), ("09-30", 0.6), ("11-30", 1.0)]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="ALLIANCE_BOT_",
        env_nested_delimiter="__",
        extra="forbid",
    )

    database: DatabaseSettings = DatabaseSettings()
    server: ServerSettings = ServerSettings()
    wecom: WecomSettings = WecomSettings()
    onebot: OneBotSettings = OneBotSettings()
    qq: QQSettings = QQSettings()
    terms: TermSettings = TermSettings()
    calendar: CalendarSettings = CalendarSettings()
    reminders: ReminderSettings = ReminderSettings()
    assessment: AssessmentSettings = AssessmentSettings()
    data_dir: str = "data"
    roster: str = ""  # optional roster file imported at start (same as `roster import`)
    meetings: list[dict] = []  # [[meetings]]: alliance, title, rule, holiday_policy
    targets: list[dict] = []  # [[targets]]: quota rules replacing the policy defaults
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    timezone: str = "Asia/Shanghai"

    @field_validator("timezone")
    @classmethod
    def _tz(cls, v: str) -> str:
        from zoneinfo import ZoneInfo

        ZoneInfo(v)
        return v

    @model_validator(mode="after")
    def _enabled_platforms_complete(self) -> "Settings":
        required: list[tuple[str, bool, str]] = []
        a = self.wecom.aibot
        if a.enabled:
            required += [("wecom.aibot.token", bool(a.token), ""),
                         ("wecom.aibot.encoding_aes_key", len(a.encoding_aes_key) == 43,
                          "应为 43 个字符")]
        p = self.wecom.app
        if p.enabled:
            required += [("wecom.app.corp_id", bool(p.corp_id), ""),
                         ("wecom.app.token", bool(p.token), ""),
                         ("wecom.app.encoding_aes_key", len(p.encoding_aes_key) == 43,
                          "应为 43 个字符")]
        q = self.qq
        if q.enabled:
            required += [("qq.app_id", bool(q.app_id), ""), ("qq.secret", bool(q.secret), "")]
        for key, ok, hint in required:
            if not ok:
                raise ValueError(f"{key}: 已启用该平台但此项缺失或无效{(' (' + hint + ')') if hint else ''}")
        return self

    @property
    def data_path(self) -> Path:
        return Path(self.data_dir)

    def platform_summary(self) -> dict[str, bool]:
        return {
            "wecom-aibot": self.wecom.aibot.enabled,
            "wecom-app": self.wecom.app.enabled,
            "onebot": self.onebot.enabled,
            "qq": self.qq.enabled,
        }

    # Environment first, then the TOML file (init kwargs), then defaults.
    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return env_settings, init_settings


def _format_error(source: str, err: ValidationError) -> str:
    lines = [f"配置错误 ({source}):"]
    for e in err.errors():
        key = ".".join(str(p) for p in e["loc"]) or "(整体)"
        msg = e["msg"]
        if e["type"] == "extra_forbidden":
            msg = "未知的配置项或段落"
        elif msg.startswith("Value error, "):
            msg = msg.removeprefix("Value error, ")
        lines.append(f"  {key}: {msg}")
    return "\n".join(lines)


def load_settings(path: str | os.PathLike | None = None, **overrides: Any) -> Settings:
    """Load settings from `path`, else $ALLIANCE_BOT_CONFIG, else defaults only."""
    path = path or os.environ.get(CONFIG_ENV) or None
    data: dict[str, Any] = {}
    source = "默认配置"
    if path:
        p = Path(path)
        source = str(p)
        try:
            data = tomllib.loads(p.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ConfigError(f"配置错误: 找不到配置文件 {p}") from None
        except UnicodeDecodeError:
            raise ConfigError(f"配置错误 ({p}): 文件不是 UTF-8 编码") from None
        except tomllib.TOMLDecodeError as e:
            raise ConfigError(f"配置错误 ({p}): TOML 语法错误: {e}") from None
    data.update(overrides)
    try:
        return Settings(**data)
    except ValidationError as e:
        raise ConfigError(_format_error(source, e)) from None
