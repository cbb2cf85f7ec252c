"""The roster file: alliances, schools, people and chat groups.

`load_roster(path)` reads and validates the TOML file and returns plain frozen
dataclasses; nothing touches the database here. `storage.roster_import` writes a
validated roster in one transaction. Errors name the file, the entry and the field.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, overload

ALLIANCE_MODES = ("融合型", "共建型", "协作型")
ROLES = ("teacher", "principal", "admin")
GROUP_PLATFORMS = ("wecom", "onebot", "qq")
GROUP_PURPOSES = ("alliance", "principals")


class RosterError(ValueError):
    """A roster file that cannot be used. The message is shown to the IT person."""

    def __init__(self, file: str, entry: str, field_name: str | None, problem: str):
        self.file = file
        self.entry = entry
        self.field = field_name
        self.problem = problem
        where = f"{entry}" + (f", 字段 {field_name}" if field_name else "")
        super().__init__(f"{file}: {where}: {problem}")


@dataclass(frozen=True)
class SchoolEntry:
    name: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class AllianceEntry:
    name: str
    mode: str
    core: str
    members: tuple[str, ...]

    @property
    def schools(self) -> tuple[str, ...]:
        return (self.core, *self.members)


# Roster keys of [[people]] that name a platform account, and the `Identity.platform`
# each becomes. A platform without a key here is bound by `/绑定 姓名` in chat.
ID_KEYS: dict[str, str] = {"wecom_userid": "wecom", "qq": "onebot"}


@dataclass(frozen=True)
class PersonEntry:
    name: str
    school: str
    role: str = "teacher"
    ids: tuple[tuple[str, str], ...] = ()  # (platform, user id): become `Identity` rows

    def id_on(self, platform: str) -> str | None:
        return next((u for p, u in self.ids if p == platform), None)


@dataclass(frozen=True)
class GroupEntry:
    platform: str
    chat_id: str
    alliance: str
    webhook_key: str | None = None  # WeCom group-robot push key
    purpose: str = "alliance"  # "alliance" (everyone) or "principals"
    auto_reports: bool = True  # OneBot: parse unaddressed messages as reports


@dataclass(frozen=True)
class Roster:
    alliances: tuple[AllianceEntry, ...] = ()
    schools: tuple[SchoolEntry, ...] = ()
    people: tuple[PersonEntry, ...] = ()
    groups: tuple[GroupEntry, ...] = ()
    targets: tuple[dict, ...] = ()  # raw [[targets]] tables, validated by handlers.targets
    meetings: tuple[dict, ...] = ()  # raw [[meetings]] tables, validated by scheduler
    source: str = "<memory>"
    _by_person: dict = field(default_factory=dict, compare=False, repr=False)

    def person(self, name: str | None) -> PersonEntry | None:
        if not name:
            return None
        if not self._by_person:
            object.__setattr__(self, "_by_person", {p.name: p for p in self.people})
        return self._by_person.get(name)

    def school_of(self, name: str | None) -> str | None:
        p = self.person(name)
        return p.school if p else None

    def alliance_of_school(self, school: str) -> AllianceEntry | None:
        for a in self.alliances:
            if school in a.schools:
                return a
        return None


@overload
def _text(
    file: str,
    entry: str,
    table: dict,
    key: str,
    *,
    required: Literal[True] = ...,
    default: str | None = None,
) -> str: ...
@overload
def _text(
    file: str, entry: str, table: dict, key: str, *, required: bool, default: str | None = None
) -> str | None: ...
def _text(
    file: str,
    entry: str,
    table: dict,
    key: str,
    *,
    required: bool = True,
    default: str | None = None,
) -> str | None:
    value = table.get(key, default)
    if value is None:
        if required:
            raise RosterError(file, entry, key, "缺少必填字段")
        return None
    if isinstance(value, int) and not isinstance(value, bool) and key in ("qq", "chat_id"):
        value = str(value)
    if not isinstance(value, str):
        raise RosterError(file, entry, key, f"应为文字,实际是 {type(value).__name__}")
    value = value.strip()
    if required and not value:
        raise RosterError(file, entry, key, "不能为空")
    return value or None


def _list(file: str, entry: str, table: dict, key: str) -> tuple[str, ...]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise RosterError(file, entry, key, "应为非空文字的列表")
    return tuple(v.strip() for v in value)


def _unknown_keys(file: str, entry: str, table: dict, allowed: set[str]) -> None:
    for key in table:
        if key not in allowed:
            raise RosterError(file, entry, key, f"未知字段(可用: {', '.join(sorted(allowed))})")


_SCHOOL_SUFFIXES = (
    "中心小学",
    "中心学校",
    "九年一贯制学校",
    "完全小学",
    "小学",
    "中学",
    "学校",
    "幼儿园",
)


def school_tag(school: str, aliases: tuple[str, ...] = ()) -> str:
    """A short name for a school, to tell two people of one name apart: 城关小学 → 城关."""
    short = [a for a in aliases if a and a != school]
    if short:
        return min(short, key=len)
    for suffix in _SCHOOL_SUFFIXES:
        if school.endswith(suffix) and len(school) > len(suffix):
            return school[: -len(suffix)]
    return school


def disambiguate_people(
    people: list[PersonEntry], schools: dict[str, SchoolEntry]
) -> list[PersonEntry]:
    """People who share a name (in different schools) are named with their school:
    张伟 of 城关小学 becomes 张伟(城关) everywhere (database, records, replies), so a name
    stays one person; a chat may still say 张伟 and is resolved by the school it names."""
    count: dict[str, int] = {}
    for p in people:
        count[p.name] = count.get(p.name, 0) + 1

    def tag(p: PersonEntry) -> str:
        entry = schools.get(p.school)
        return school_tag(p.school, entry.aliases if entry else ())

    tags = {(p.name, p.school): tag(p) for p in people if count[p.name] > 1}
    out = []
    for p in people:
        if count[p.name] > 1:
            t = tags[(p.name, p.school)]
            if sum(1 for (n, _), v in tags.items() if n == p.name and v == t) > 1:
                t = p.school  # 城关小学 and 城关中学 both shorten to 城关: use the full name
            p = PersonEntry(f"{p.name}({t})", p.school, p.role, p.ids)
        out.append(p)
    return out


def base_name(name: str) -> str:
    """张伟(城关) → 张伟; other names unchanged."""
    return name.split("(", 1)[0] if name.endswith(")") and "(" in name else name


def parse_roster(data: dict[str, Any], file: str = "<memory>") -> Roster:
    """Validate a decoded roster document. Raises RosterError on the first problem."""
    known_sections = {"alliances", "schools", "people", "groups", "targets", "meetings"}
    for key in data:
        if key not in known_sections:
            raise RosterError(
                file, key, None, f"未知的段落(可用: {', '.join(sorted(known_sections))})"
            )
    for key in known_sections:
        if key in data and not isinstance(data[key], list):
            raise RosterError(file, key, None, f"应写成 [[{key}]] 表数组")

    schools: dict[str, SchoolEntry] = {}
    alias_owner: dict[str, str] = {}
    for i, t in enumerate(data.get("schools", []), 1):
        entry = f"[[schools]] 第{i}项"
        _unknown_keys(file, entry, t, {"name", "aliases"})
        name = _text(file, entry, t, "name")
        entry = f"[[schools]] 第{i}项 ({name})"
        if name in schools:
            raise RosterError(file, entry, "name", "学校重复定义")
        aliases = _list(file, entry, t, "aliases")
        schools[name] = SchoolEntry(name, aliases)
    for s in schools.values():
        for alias in (s.name, *s.aliases):
            owner = alias_owner.get(alias)
            if owner is not None and owner != s.name:
                raise RosterError(
                    file,
                    f"[[schools]] ({s.name})",
                    "aliases",
                    f"简称“{alias}”同时属于“{owner}”和“{s.name}”",
                )
            alias_owner[alias] = s.name

    alliances: list[AllianceEntry] = []
    member_of: dict[tuple[str, str], str] = {}  # (mode, school) -> alliance
    for i, t in enumerate(data.get("alliances", []), 1):
        entry = f"[[alliances]] 第{i}项"
        _unknown_keys(file, entry, t, {"name", "mode", "core", "members"})
        name = _text(file, entry, t, "name")
        entry = f"[[alliances]] 第{i}项 ({name})"
        if any(a.name == name for a in alliances):
            raise RosterError(file, entry, "name", "联盟重复定义")
        mode = _text(file, entry, t, "mode")
        if mode not in ALLIANCE_MODES:
            raise RosterError(
                file, entry, "mode", f"“{mode}”不是有效的模式(可用: {'、'.join(ALLIANCE_MODES)})"
            )
        core = _text(file, entry, t, "core")
        members = _list(file, entry, t, "members")
        if not members:
            raise RosterError(file, entry, "members", "至少需要一所成员校")
        if len(members) > 7:
            raise RosterError(file, entry, "members", f"成员校最多 7 所,实际 {len(members)} 所")
        for field_name, school in (("core", core), *(("members", m) for m in members)):
            canonical = alias_owner.get(school, school)
            if canonical != school:
                raise RosterError(
                    file, entry, field_name, f"请写学校全称“{canonical}”,不要用简称“{school}”"
                )
            if school not in schools:  # a school named only by an alliance: no aliases
                schools[school] = SchoolEntry(school)
                alias_owner[school] = school
            key = (mode, school)
            if key in member_of and member_of[key] != name:
                raise RosterError(
                    file,
                    entry,
                    field_name,
                    f"学校“{school}”已属于同类型({mode})联盟“{member_of[key]}”",
                )
            member_of[key] = name
        if core in members:
            raise RosterError(file, entry, "members", f"核心校“{core}”不能同时是成员校")
        if len(set(members)) != len(members):
            raise RosterError(file, entry, "members", "成员校重复")
        alliances.append(AllianceEntry(name, mode, core, members))

    people: list[PersonEntry] = []
    seen_people: set[tuple[str, str]] = set()
    seen_ids: dict[tuple[str, str], str] = {}
    for i, t in enumerate(data.get("people", []), 1):
        entry = f"[[people]] 第{i}项"
        _unknown_keys(file, entry, t, {"name", "school", "role", *ID_KEYS})
        name = _text(file, entry, t, "name")
        entry = f"[[people]] 第{i}项 ({name})"
        school = _text(file, entry, t, "school")
        canonical = alias_owner.get(school)
        if canonical is None:
            raise RosterError(
                file, entry, "school", f"未知学校“{school}”(请先在 [[schools]] 或联盟中登记)"
            )
        # Two people of one name are fine in different schools (told apart below as
        # 张伟(城关)); in one school they need telling apart in the file itself.
        if (name, canonical) in seen_people:
            raise RosterError(
                file,
                entry,
                "name",
                f"“{canonical}”有两位“{name}”;请在姓名后加区分(如 {name}(语文))",
            )
        seen_people.add((name, canonical))
        role = _text(file, entry, t, "role", required=False, default="teacher") or "teacher"
        if role not in ROLES:
            raise RosterError(
                file, entry, "role", f"“{role}”不是有效角色(可用: {', '.join(ROLES)})"
            )
        wecom = _text(file, entry, t, "wecom_userid", required=False)
        qq = _text(file, entry, t, "qq", required=False)
        if qq is not None and not qq.isdigit():
            raise RosterError(file, entry, "qq", f"QQ 号应为数字,实际“{qq}”")
        ids: list[tuple[str, str]] = []
        for kind, value in (("wecom_userid", wecom), ("qq", qq)):
            if value is None:
                continue
            if (kind, value) in seen_ids:
                raise RosterError(file, entry, kind, f"“{value}”已属于“{seen_ids[(kind, value)]}”")
            seen_ids[(kind, value)] = name
            ids.append((ID_KEYS[kind], value))
        people.append(PersonEntry(name, canonical, role, tuple(ids)))
    people = disambiguate_people(people, schools)

    groups: list[GroupEntry] = []
    alliance_names = {a.name for a in alliances}
    seen_groups: set[tuple[str, str]] = set()
    for i, t in enumerate(data.get("groups", []), 1):
        entry = f"[[groups]] 第{i}项"
        _unknown_keys(
            file,
            entry,
            t,
            {"platform", "chat_id", "alliance", "webhook_key", "purpose", "auto_reports"},
        )
        platform = _text(file, entry, t, "platform")
        if platform not in GROUP_PLATFORMS:
            raise RosterError(
                file,
                entry,
                "platform",
                f"“{platform}”不是有效平台(可用: {', '.join(GROUP_PLATFORMS)})",
            )
        chat_id = _text(file, entry, t, "chat_id")
        alliance = _text(file, entry, t, "alliance")
        if alliance not in alliance_names:
            raise RosterError(file, entry, "alliance", f"未知联盟“{alliance}”")
        if (platform, chat_id) in seen_groups:
            raise RosterError(file, entry, "chat_id", "群重复登记")
        seen_groups.add((platform, chat_id))
        key = _text(file, entry, t, "webhook_key", required=False)
        purpose = _text(file, entry, t, "purpose", required=False, default="alliance") or "alliance"
        if purpose not in GROUP_PURPOSES:
            raise RosterError(
                file, entry, "purpose", f"“{purpose}”无效(可用: {', '.join(GROUP_PURPOSES)})"
            )
        auto = t.get("auto_reports", True)
        if not isinstance(auto, bool):
            raise RosterError(file, entry, "auto_reports", "应为 true 或 false")
        groups.append(GroupEntry(platform, chat_id, alliance, key, purpose, auto))

    for key in ("targets", "meetings"):
        for i, t in enumerate(data.get(key, []), 1):
            if not isinstance(t, dict):
                raise RosterError(file, f"[[{key}]] 第{i}项", None, "应为表")

    return Roster(
        alliances=tuple(alliances),
        schools=tuple(schools.values()),
        people=tuple(people),
        groups=tuple(groups),
        targets=tuple(data.get("targets", [])),
        meetings=tuple(data.get("meetings", [])),
        source=file,
    )


SHEETS = {
    "alliances": ("alliances", "联盟"),
    "schools": ("schools", "学校"),
    "people": ("people", "人员"),
    "groups": ("groups", "群"),
}
COLUMN_NAMES = {  # Chinese headers a bureau's sheet may use → roster keys
    "名称": "name",
    "联盟": "alliance",
    "模式": "mode",
    "核心校": "core",
    "成员校": "members",
    "简称": "aliases",
    "姓名": "name",
    "学校": "school",
    "角色": "role",
    "企业微信": "wecom_userid",
    "企业微信账号": "wecom_userid",
    "QQ": "qq",
    "qq号": "qq",
    "平台": "platform",
    "群ID": "chat_id",
    "群id": "chat_id",
    "群机器人key": "webhook_key",
    "用途": "purpose",
    "自动识别上报": "auto_reports",
}
LIST_KEYS = {"members", "aliases"}
_LIST_SEP = re.compile(r"[、,,;;\n]+")


def load_roster_xlsx(p: Path) -> dict[str, Any]:
    """A roster workbook: one sheet per table (alliances/schools/people/groups, or 联盟/学校/
    人员/群), a header row of the same field names as the TOML (or their Chinese names), one
    row per entry; list fields (members, aliases) separated by 、 or commas."""
    from openpyxl import load_workbook

    try:
        wb = load_workbook(p, read_only=True, data_only=True)
    except Exception as e:
        raise RosterError(
            str(p), "文件", None, f"不是有效的 .xlsx 文件({type(e).__name__})"
        ) from None
    data: dict[str, Any] = {}
    try:
        by_name = {ws.title.strip(): ws for ws in wb.worksheets}
        for key, names in SHEETS.items():
            ws = next((by_name[n] for n in names if n in by_name), None)
            if ws is None:
                continue
            rows = list(ws.iter_rows(values_only=True))
            if not rows:
                continue
            header = [
                COLUMN_NAMES.get(str(h).strip(), str(h).strip()) if h is not None else ""
                for h in rows[0]
            ]
            entries = []
            for row in rows[1:]:
                if all(v is None or str(v).strip() == "" for v in row):
                    continue
                t: dict[str, Any] = {}
                for h, v in zip(header, row, strict=False):
                    if not h or v is None or (isinstance(v, str) and not v.strip()):
                        continue
                    if h in LIST_KEYS:
                        t[h] = [x.strip() for x in _LIST_SEP.split(str(v)) if x.strip()]
                    elif h == "auto_reports":
                        t[h] = (
                            v
                            if isinstance(v, bool)
                            else str(v).strip().lower() in ("true", "是", "1")
                        )
                    elif isinstance(v, float) and v.is_integer():
                        t[h] = str(int(v))
                    else:
                        t[h] = str(v).strip()
                entries.append(t)
            data[key] = entries
        unknown = [t for t in by_name if not any(t in n for n in SHEETS.values())]
        if unknown:
            raise RosterError(
                str(p),
                f"工作表 {unknown[0]}",
                None,
                "未知的工作表(可用: alliances/联盟、schools/学校、people/人员、groups/群)",
            )
    finally:
        wb.close()
    return data


def load_roster(path: str | Path) -> Roster:
    """Read and validate a roster: TOML, or an .xlsx workbook with one sheet per table."""
    p = Path(path)
    if p.suffix.lower() in (".xlsx", ".xlsm"):
        if not p.exists():
            raise RosterError(str(p), "文件", None, "无法读取: 文件不存在")
        return parse_roster(load_roster_xlsx(p), str(p))
    try:
        raw = p.read_bytes()
    except OSError as e:
        raise RosterError(str(p), "文件", None, f"无法读取: {e.strerror or e}") from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise RosterError(str(p), "文件", None, "不是 UTF-8 编码") from None
    except tomllib.TOMLDecodeError as e:
        raise RosterError(str(p), "TOML 语法", None, str(e)) from None
    return parse_roster(data, str(p))
