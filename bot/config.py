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
from pydantic_core import ErrorDetails
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

CONFIG_ENV = "ALLIANCE_BOT_CONFIG"


class ConfigError(ValueError):
    """A configuration that cannot start the bot; the message names the file and key."""


def check_database_url(url: str) -> str:
    """A URL SQLAlchemy can use with a driver that is installed; ValueError in Chinese."""
    example = "例如 sqlite:///data/alliance.db 或 postgresql+psycopg://用户@主机/库名"
    if "://" not in url:
        raise ValueError(f"“{url}”缺少数据库类型前缀,{example}")
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError, NoSuchModuleError

    for prefix in ("postgres://", "postgresql://"):  # as storage.db.normalize_url does
        if url.startswith(prefix):
            url_checked = "postgresql+psycopg://" + url[len(prefix) :]
            break
    else:
        url_checked = url
    try:
        dialect = make_url(url_checked).get_dialect()
    except (ArgumentError, ValueError):
        raise ValueError(f"无法识别的数据库地址,{example}") from None
    except NoSuchModuleError:
        raise ValueError(f"不支持的数据库类型“{url.split('://')[0]}”,{example}") from None
    try:
        dialect.import_dbapi()
    except ImportError as e:
        if "postgresql+psycopg" in url_checked:
            hint = "请安装: pip install 'alliance-bot[postgres]'"
        elif "postgresql" in url_checked:
            hint = "本机器人使用 psycopg,请写成 postgresql+psycopg://用户@主机/库名"
        else:
            hint = f"请安装该驱动({e.name}),或改用 sqlite:/// 或 postgresql+psycopg://"
        raise ValueError(f"数据库驱动 {e.name} 未安装,{hint}") from None
    return url


def check_clock_time(v: str) -> str:
    """ "16:00"-style times (24-hour); "4pm", "16点" and the like are refused in Chinese."""
    import re

    m = re.fullmatch(r"\s*(\d{1,2}):(\d{2})\s*", v)
    if not m or int(m.group(1)) > 23 or int(m.group(2)) > 59:
        raise ValueError(f"“{v}”不是有效的时间,应写成 24 小时制的 时:分,例如 16:00")
    return f"{int(m.group(1)):02d}:{m.group(2)}"


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class DatabaseSettings(_Section):
    url: str = "sqlite:///data/alliance.db"
    echo: bool = False
    busy_timeout_ms: int = Field(default=5000, ge=0)
    pool_size: int = Field(default=5, ge=1)
    connect_retry_s: float = Field(default=60.0, ge=0)  # serve: wait this long for the database

    @field_validator("url")
    @classmethod
    def _url(cls, v: str) -> str:
        return check_database_url(v)

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
    # A connection that sends no complete request (headers) within this time is closed,
    # as is a keep-alive connection idle this long.
    idle_timeout_s: float = Field(default=15.0, gt=0)
    body_timeout_s: float = Field(default=20.0, gt=0)  # the whole body must arrive in this
    max_connections: int = Field(default=0, ge=0)  # 0: from the file-descriptor limit
    workers: int = Field(default=1, ge=1, le=64)  # serving processes (>1: PostgreSQL only)


class WecomAibotSettings(_Section):
    # "callback": WeCom POSTs to /wecom/aibot (needs a public HTTPS URL, token, key).
    # "websocket": the bot dials out over the long connection (bot_id, secret).
    mode: Literal["callback", "websocket"] = "callback"
    token: str = ""
    encoding_aes_key: str = ""
    bot_name: str = ""  # the "@Name" prefix to strip; any leading @mention is stripped anyway
    bot_id: str = ""  # long connection: 智能机器人 BotID
    secret: str = ""  # long connection: the bot's Secret
    ws_url: str = "wss://openws.work.weixin.qq.com"
    ca_file: str = ""  # extra CA bundle (PEM), e.g. a TLS-inspecting proxy's root
    heartbeat_s: float = Field(default=30.0, gt=0)
    reconnect_base_s: float = Field(default=1.0, gt=0)  # backoff 1, 2, 4 … s
    reconnect_max_s: float = Field(default=60.0, gt=0)
    lease_poll_s: float = Field(default=10.0, gt=0)  # standby processes retry the lease

    @property
    def enabled(self) -> bool:
        if self.mode == "websocket":
            return False  # the callback route is off; see `websocket`
        return bool(self.token or self.encoding_aes_key)

    @property
    def websocket(self) -> bool:
        return self.mode == "websocket"


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
    enabled: bool = True  # set false to turn the routes off
    # Without `secret` (HTTP POST) or `access_token` (reverse WebSocket) OneBot traffic is
    # refused, unless this is true AND the server listens on loopback only (local testing).
    allow_unsigned: bool = False


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
    # A delivery still "claimed" this long after its claim belongs to a process that died
    # mid-push: another run takes it over and sends (a rare duplicate beats a lost reminder).
    claim_expiry_minutes: float = Field(default=10.0, gt=0)
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

    @field_validator(
        "planned_day_before",
        "planned_same_day",
        "planned_follow_up",
        "meeting_day_before",
        "digest_time",
        "chase_time",
    )
    @classmethod
    def _clock_time(cls, v: str) -> str:
        return check_clock_time(v)


class AssessmentSettings(_Section):
    own_weight: float = Field(default=0.8, ge=0, le=1)
    members_weight: float = Field(default=0.2, ge=0, le=1)
    rank_improvement_exemption: int = Field(default=5, ge=1)
    milestones: list[tuple[str, float]] = [("06-30", 0.3), ("09-30", 0.6), ("11-30", 1.0)]


class EvidenceSettings(_Section):
    """佐证材料: images and files sent right after a report (or quoting its echo)."""

    enabled: bool = True
    max_bytes: int = Field(default=20 * 1024 * 1024, ge=1024)  # per file
    window_minutes: int = Field(default=10, ge=1)  # "right after a report"


class LogSettings(_Section):
    file: str = ""  # e.g. /var/log/alliance-bot/bot.log; rotated at max_bytes
    max_bytes: int = Field(default=10 * 1024 * 1024, ge=1024)
    backups: int = Field(default=7, ge=0)
    message_text: bool = False  # log the text of each message (off: platform, sender, outcome)


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
    evidence: EvidenceSettings = EvidenceSettings()
    log: LogSettings = LogSettings()
    data_dir: str = "data"
    roster: str = ""  # optional roster file imported at start (same as `roster import`)
    meetings: list[dict] = []  # [[meetings]]: alliance, title, rule, holiday_policy
    targets: list[dict] = []  # [[targets]]: quota rules replacing the policy defaults
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    timezone: str = "Asia/Shanghai"

    @field_validator("timezone")
    @classmethod
    def _tz(cls, v: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(v)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"未知的时区“{v}”,中国大陆应写 Asia/Shanghai") from None
        return v

    @model_validator(mode="after")
    def _enabled_platforms_complete(self) -> Settings:
        required: list[tuple[str, bool, str]] = []
        a = self.wecom.aibot
        if a.websocket:
            required += [
                ("wecom.aibot.bot_id", bool(a.bot_id), "长连接模式需要机器人 BotID"),
                ("wecom.aibot.secret", bool(a.secret), "长连接模式需要机器人 Secret"),
                ("wecom.aibot.ws_url", a.ws_url.startswith("wss://"), "应以 wss:// 开头"),
            ]
        if a.enabled:
            required += [
                ("wecom.aibot.token", bool(a.token), ""),
                ("wecom.aibot.encoding_aes_key", len(a.encoding_aes_key) == 43, "应为 43 个字符"),
            ]
        p = self.wecom.app
        if p.enabled:
            required += [
                ("wecom.app.corp_id", bool(p.corp_id), ""),
                ("wecom.app.token", bool(p.token), ""),
                ("wecom.app.encoding_aes_key", len(p.encoding_aes_key) == 43, "应为 43 个字符"),
            ]
        q = self.qq
        if q.enabled:
            required += [("qq.app_id", bool(q.app_id), ""), ("qq.secret", bool(q.secret), "")]
        for key, ok, hint in required:
            if not ok:
                raise ValueError(
                    f"{key}: 已启用该平台但此项缺失或无效{(' (' + hint + ')') if hint else ''}"
                )
        return self

    @property
    def data_path(self) -> Path:
        return Path(self.data_dir)

    def unsigned_routes(self) -> dict[str, str]:
        """Enabled routes that have no secret or token: route → "accepted" (allowed by
        `allow_unsigned` on a loopback-only server) or "refused"."""
        from bot.platforms.security import is_loopback

        o = self.onebot
        if not o.enabled:
            return {}
        verdict = "accepted" if o.allow_unsigned and is_loopback(self.server.host) else "refused"
        out = {}
        if not o.secret:
            out["onebot"] = verdict
        if not o.access_token:
            out["onebot-ws"] = verdict
        return out

    def platform_summary(self) -> dict[str, bool]:
        return {
            "wecom-aibot": self.wecom.aibot.enabled,
            "wecom-app": self.wecom.app.enabled,
            "onebot": self.onebot.enabled,
            "qq": self.qq.enabled,
        } | ({"wecom-ws": True} if self.wecom.aibot.websocket else {})

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


# pydantic's error types → what to write instead, in Chinese.
_TYPE_CN = {
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "int_from_float": "应为整数",
    "float_parsing": "应为数字",
    "float_type": "应为数字",
    "bool_parsing": "应为 true 或 false",
    "bool_type": "应为 true 或 false",
    "string_type": "应为文字(用英文双引号括起来)",
    "list_type": '应为列表,例如 ["a", "b"]',
    "dict_type": "应为一个段落(表)",
    "model_type": "应为一个段落(表)",
    "date_parsing": "应为日期,例如 2027-01-01",
    "date_from_datetime_parsing": "应为日期,例如 2027-01-01",
    "date_type": "应为日期,例如 2027-01-01",
    "tuple_type": "应为列表",
    "missing": "缺少此项",
    "extra_forbidden": "未知的配置项或段落",
}


def _cn_message(e: ErrorDetails) -> str:
    t, ctx = e["type"], e.get("ctx") or {}
    if t in _TYPE_CN:
        return _TYPE_CN[t]
    if t in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        word = {
            "greater_than_equal": "不小于",
            "greater_than": "大于",
            "less_than_equal": "不大于",
            "less_than": "小于",
        }[t]
        bound = next(iter(ctx.values()), "")
        return f"应{word} {bound}"
    if t == "literal_error":
        return f"应为以下之一: {ctx.get('expected', '')}".replace("'", "").replace(" or ", ", ")
    if t == "value_error":
        return e["msg"].removeprefix("Value error, ")
    return e["msg"]


def _env_name(loc: tuple) -> str:
    return "ALLIANCE_BOT_" + "__".join(str(p).upper() for p in loc)


def _format_error(source: str, err: ValidationError) -> str:
    """One line per problem, in Chinese, naming the TOML key — or the environment variable
    when the value came from one (environment overrides the file)."""
    lines = [f"配置错误 ({source}):"]
    for e in err.errors():
        loc = tuple(e["loc"])
        key = ".".join(str(p) for p in loc) or "(整体)"
        # An environment variable for this key or one of its sections supplied the value.
        env = next(
            (
                _env_name(loc[:n])
                for n in range(len(loc), 0, -1)
                if _env_name(loc[:n]) in os.environ
            ),
            None,
        )
        where = f"环境变量 {env}" if env else key
        lines.append(f"  {where}: {_cn_message(e)}")
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
