"""Command routing: one decorated function per command; its docstring is its help.

Modelled on aiogram 3's Router: routers are plain objects assembled in one place
(`include_router`), no import-time global registry beyond the module's own router. The
first docstring line is what `/帮助` shows; the line starting with "用法" is the usage
echoed on argument errors; a line starting with "例" is the example.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from handlers.events import Reply

TEACHER = frozenset({"teacher"})
PRINCIPAL = frozenset({"principal"})
ADMIN = frozenset({"admin"})
STAFF = TEACHER | PRINCIPAL | ADMIN
ANYONE = frozenset({"teacher", "principal", "admin", "unknown"})

ROLE_CN = {"teacher": "教师", "principal": "校长", "admin": "管理员", "unknown": "未绑定用户"}

# A command: (HandlerContext, arguments) -> Reply. The context is `Any` here so that the
# router does not import handlers.context (which refers to the router): no module cycle.
Handler = Callable[[Any, list[str]], Reply]


class Asker(Protocol):
    """What dispatching needs of a `HandlerContext`."""

    person: Any
    router: Router | None

    @property
    def role(self) -> str: ...


class UserError(Exception):
    """An error the user caused; its message is replied verbatim (in Chinese)."""


class UnknownCommand(UserError):
    """No command of that name."""


class CommandDenied(UserError):
    """The asker's role may not use the command."""


@dataclass(frozen=True)
class CommandSpec:
    name: str
    aliases: tuple[str, ...]
    roles: frozenset[str]
    func: Handler
    order: int = 100

    @property
    def doc_lines(self) -> list[str]:
        return [ln.strip() for ln in (inspect.getdoc(self.func) or "").splitlines() if ln.strip()]

    @property
    def summary(self) -> str:
        lines = self.doc_lines
        return lines[0] if lines else ""

    @property
    def usage(self) -> str:
        for ln in self.doc_lines:
            if ln.startswith("用法"):
                return ln
        return f"用法:/{self.name}"

    @property
    def example(self) -> str | None:
        for ln in self.doc_lines:
            if ln.startswith("例"):
                return ln.split(":", 1)[-1].split(":", 1)[-1].strip()
        return None


@dataclass
class Router:
    commands: dict[str, CommandSpec] = field(default_factory=dict)
    _lookup: dict[str, str] = field(default_factory=dict)

    def command(
        self,
        name: str,
        *,
        aliases: tuple[str, ...] = (),
        roles: frozenset[str] = STAFF,
        order: int = 100,
    ) -> Callable[[Handler], Handler]:
        def deco(func: Handler) -> Handler:
            if not (inspect.getdoc(func) or "").strip():
                raise TypeError(f"command /{name} needs a docstring: it is its help text")
            self._add(CommandSpec(name, tuple(aliases), roles, func, order))
            return func

        return deco

    def _add(self, spec: CommandSpec) -> None:
        for key in (spec.name, *spec.aliases):
            k = key.lower()
            if k in self._lookup:
                raise ValueError(f"command name /{key} registered twice")
            self._lookup[k] = spec.name
        self.commands[spec.name] = spec

    def include_router(self, other: Router) -> None:
        for spec in other.commands.values():
            self._add(spec)

    def find(self, word: str) -> CommandSpec | None:
        name = self._lookup.get(word.lower())
        return self.commands.get(name) if name else None

    def run(self, ctx: Asker, word: str, args: list[str]) -> Reply:
        """Find the command, check the asker's role, run it. Raises `UserError` (or its
        subclasses `UnknownCommand`, `CommandDenied`) with the Chinese text to answer."""
        spec = self.find(word) if word else None
        if spec is None:
            raise UnknownCommand(f"没有 /{word} 这个命令。发送 /帮助 查看可用命令。")
        if ctx.role not in spec.roles:
            if ctx.person is None:
                raise CommandDenied("请先发送 /绑定 你的姓名 完成身份绑定,再使用此命令。")
            raise CommandDenied(f"/{spec.name} 仅限{'、'.join(role_names(spec.roles))}使用。")
        if ctx.router is None:
            ctx.router = self  # the router dispatching is the root /帮助 lists
        return spec.func(ctx, args)

    def dispatch(self, ctx: Asker, word: str, args: list[str]) -> Reply:
        """`run`, with a user error answered as its message: what the message handler does."""
        try:
            return self.run(ctx, word, args)
        except UserError as e:
            return Reply(str(e))

    def visible_to(self, role: str) -> list[CommandSpec]:
        return sorted(
            (c for c in self.commands.values() if role in c.roles), key=lambda c: (c.order, c.name)
        )


def split_command(text: str) -> tuple[str, list[str]] | None:
    """'/修改 12 人数 15' -> ('修改', ['12', '人数', '15']); None when not a command."""
    t = text.strip().replace("／", "/", 1)
    if not t.startswith("/"):
        return None
    parts = t[1:].replace("\u3000", " ").split()
    if not parts:
        return "", []
    return parts[0], parts[1:]


def role_names(roles: frozenset[str]) -> list[str]:
    """The Chinese names of `roles`, in rank order (unbound users are not named)."""
    order = ["teacher", "principal", "admin"]
    return [ROLE_CN[r] for r in order if r in roles]
