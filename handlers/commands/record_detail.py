"""`/明细 #12`: one record in full, with how many 佐证材料 (evidence files) it has."""
from __future__ import annotations

from handlers.context import HandlerContext
from handlers.events import Reply
from handlers.router import UserError
from storage.evidence import evidence_files
from storage.models import Record


def record_detail(ctx: HandlerContext, record_id: int) -> Reply:
    from handlers.commands.details import record_line, reporters_by_record

    s = ctx.session
    rec = s.get(Record, record_id)
    if rec is None or rec.deleted or (ctx.alliance is not None and rec.alliance_id != ctx.alliance.id):
        raise UserError(f"没有找到记录 #{record_id}。")
    lines = record_line(rec, reporters_by_record(s, [rec.id]).get(rec.id, []))
    files = evidence_files(s, rec.id)
    if files:
        names = "、".join(f.filename for f in files[:10]) + ("……" if len(files) > 10 else "")
        lines.append(f"  佐证材料 {len(files)} 份:{names}")
    else:
        lines.append("  佐证材料 0 份(上报后接着发照片或文件即可附上)")
    return Reply("\n".join(lines))
