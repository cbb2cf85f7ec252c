"""/帮助: the commands the asker's role may use, each with one example."""

from __future__ import annotations

from handlers.context import HandlerContext
from handlers.events import Reply
from handlers.router import ANYONE, ROLE_CN, Router

router = Router()


EXAMPLE_SCHOOL = "城关小学"  # the school docstring examples name; shown as the asker's own


def help_text(root: Router, role: str, topic: str | None = None, school: str | None = None) -> str:
    """`school`: a school of the asker's alliance to use in the examples (never another
    alliance's)."""
    text = _help_text(root, role, topic)
    return text.replace(EXAMPLE_SCHOOL, school) if school else text


def _help_text(root: Router, role: str, topic: str | None = None) -> str:
    visible = root.visible_to(role)
    if topic:
        spec = root.find(topic.lstrip("/"))
        if spec is not None and spec in visible:
            lines = [
                f"/{spec.name}"
                + (f"(也可用 {'、'.join('/' + a for a in spec.aliases)})" if spec.aliases else "")
            ]
            lines += spec.doc_lines
            return "\n".join(lines)
    lines = [f"联盟助手可用命令({ROLE_CN.get(role, role)}):"]
    for spec in visible:
        example = f"  例:{spec.example}" if spec.example else ""
        lines.append(f"/{spec.name} {spec.summary}{example}")
    lines.append(f"上报活动:直接发消息,如“今天我到{EXAMPLE_SCHOOL}送教,上了两节语文课,听课15人”。")
    lines.append("查看某个命令的详细用法:/帮助 命令名")
    return "\n".join(lines)


@router.command("帮助", aliases=("help", "?", "？"), roles=ANYONE, order=0)
def help_command(ctx: HandlerContext, args: list[str]) -> Reply:
    """查看你可以使用的命令。
    用法:/帮助 [命令名]
    例:/帮助 进度
    """
    from handlers.messages import hint_examples

    if ctx.router is None:
        raise RuntimeError("HandlerContext.router is not set: the composition root sets it")
    school = hint_examples(ctx).get("to_school")
    return Reply(help_text(ctx.router, ctx.role, args[0] if args else None, school))
