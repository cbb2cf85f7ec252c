"""Commands as people type them, through the real endpoints: each case of issue 14."""

from __future__ import annotations

import re

from sqlmodel import Session, select

from storage.models import Record

FUHAI_NAMES = ("张炜", "马欣瑞", "解乡", "解小", "福海", "齐干", "一农场")
ZHANGPING_NAMES = ("城关", "漳平", "陈志强", "溪南")


async def _report(live) -> int:
    _, [r] = await live.aibot_say("ZhangWei", "今天我到解小送教,数学两节,听课12人")
    return int(re.search(r"#(\d+)", r).group(1))


async def test_command_glued_to_its_argument(live):
    _, [r] = await live.aibot_say("WuXueHong", "/统计本学期")
    assert r.startswith("福海县第二小学联盟 活动统计") and "2026-2027学年第一学期" in r
    _, [p] = await live.aibot_say("WuXueHong", "/进度解小")
    assert p.startswith("解乡小学 指标进度")
    _, [no_slash] = await live.aibot_say("WuXueHong", "统计本学期")  # to the bot, no "/"
    assert no_slash == r


async def test_common_variant_of_a_command(live):
    rid = await _report(live)
    _, [r] = await live.aibot_say("ZhangWei", f"/撤消 {rid}")
    assert r.startswith(f"已撤销记录 #{rid}")
    assert live.count() == 0


async def test_full_width_punctuation_and_digits(live):
    rid = await _report(live)
    _, [r] = await live.aibot_say("ZhangWei", f"/修改 {rid} 人数：２２")
    assert r.startswith(f"已修改记录 #{rid}:人数 12 → 22")
    _, [t] = await live.aibot_say("ZhangWei", "／進度")  # full-width slash, traditional
    assert "指标进度" in t


async def test_chinese_numerals_in_arguments(live):
    rid = await _report(live)
    _, [r] = await live.aibot_say("ZhangWei", f"/修改 {rid} 节数 三节")
    assert r.startswith(f"已修改记录 #{rid}:节数 2 → 3")
    _, [r2] = await live.aibot_say("ZhangWei", f"/修改 {rid} 人数 十五人")
    assert "人数 12 → 15" in r2
    with Session(live.bot.engine) as s:
        rec = s.get(Record, rid)
        assert (rec.lessons, rec.participants) == (3, 15)


async def test_command_word_without_slash_to_the_bot(live):
    _, [r] = await live.aibot_say("WuXueHong", "进度")  # "@联盟助手 进度"
    assert r.startswith("福海县第二小学联盟 指标进度")
    # Without the @, in an OneBot group that reads every message, it is just chatter.
    status, replies = await live.onebot_say(200164, "进度", mention=False)
    assert replies == [] or "指标进度" not in replies[0]
    # A report that begins like a command word is still a report.
    _, [rep] = await live.aibot_say("ZhangWei", "统计局的同志今天到解小视导检查")
    assert "统计" not in rep.splitlines()[0] and ("已记录" in rep or "没有看出" in rep)


async def test_near_miss_gets_a_suggestion(live):
    _, [r] = await live.aibot_say("WuXueHong", "/统记 本学期")
    assert "你是不是想发 /统计 本学期?" in r
    _, [r2] = await live.aibot_say("WuXueHong", "/进渡")
    assert "你是不是想发 /进度?" in r2


async def test_hints_name_only_the_askers_alliance(live):
    # A 漳平 teacher on OneBot: every hint and example comes from 漳平, never from 福海.
    _, [missing] = await live.onebot_say(200150, "我到城关小学送教,数学两节")  # 陈志强, no date
    assert "还缺" in missing
    _, [chatter] = await live.onebot_say(200150, "谢谢")
    _, [helptext] = await live.onebot_say(200150, "/帮助")
    for text in (missing, chatter, helptext):
        assert not any(n in text for n in FUHAI_NAMES), text
    assert "城关小学" in chatter or any(n in chatter for n in ZHANGPING_NAMES) or "新民" in chatter
    # And the other way round: a 福海 principal sees no 漳平 names.
    _, [fh] = await live.aibot_say("WuXueHong", "/帮助")
    assert not any(n in fh for n in ZHANGPING_NAMES), fh
    with Session(live.bot.engine) as s:
        assert s.exec(select(Record)).all()  # the report itself was kept


def test_holiday_notice_names_no_library_or_setting():
    from handlers.workdays import FALLBACK_WARNING as text

    assert re.search(r"[A-Za-z_]", text) is None, text
