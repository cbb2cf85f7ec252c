"""Files a command produces (the 台账, the 工作总结 draft), delivered to the asker: stored
through the FileStore port behind a one-time download link, and attached where the
platform can send files. /导出, /导出 全县 and /总结 share it."""

from __future__ import annotations

import datetime as dt
import secrets

from handlers.context import HandlerContext
from handlers.events import Attachment, Reply
from handlers.router import UserError
from storage.models import DownloadLink

LINK_TTL = dt.timedelta(hours=24)


def download_base(ctx: HandlerContext) -> str:
    return ctx.public_url.rstrip("/")


def deliver_file(
    ctx: HandlerContext,
    filename: str,
    content: bytes,
    alliance_id: int | None,
    head: str,
    mime: str | None = None,
) -> Reply:
    """A file for the asker: stored under the data directory behind a one-time link, and
    attached where the platform can send files. Used by /导出 and /总结."""
    if ctx.files is None:
        raise UserError("导出暂不可用:服务器没有配置文件存储,请联系管理员。")
    token = secrets.token_urlsafe(24)
    suffix = filename.rsplit(".", 1)[-1] if "." in filename else "bin"
    rel = ctx.files.save("exports", f"{token}.{suffix}", content)
    ctx.session.add(
        DownloadLink(
            token=token,
            filename=filename,
            path=rel,
            alliance_id=alliance_id,
            created_by=ctx.person.id if ctx.person else None,
            expires_at=ctx.now + LINK_TTL,
        )
    )
    ctx.session.flush()
    link = f"{download_base(ctx)}/download/{token}"
    text = f"{head}\n下载链接(24小时内有效,仅可下载一次):\n{link}"
    attachment = Attachment(filename, content, mime) if mime else Attachment(filename, content)
    full = Reply(text, attachment=attachment, link=link)
    # The file goes to the asker only: in a private chat, or a principals' group, as is;
    # from any other group privately when the platform can, else as a one-time link only
    # (never the file, which every member of the group could open).
    msg = ctx.message
    if msg.chat.chat_type == "private" or (
        ctx.group is not None and ctx.group.purpose == "principals"
    ):
        return full
    if ctx.can_reach_privately is not None and ctx.can_reach_privately(msg.platform):
        return Reply(
            f"{head}\n文件和下载链接已私信发给你(只发给你本人)。如未收到,请私聊我再发一次。",
            private=full,
        )
    return Reply(f"{text}\n(链接只给你本人用,请勿转发;此平台不能私信,文件不在群里发送)", link=link)
