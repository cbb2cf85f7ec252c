"""Fuzzing every HTTP endpoint of the real app (in-process, SQLite) with hypothesis.

Unauthenticated traffic (bad, missing or stale signatures, random bodies, truncated bodies,
wrong content types, deep JSON, XML entity bombs, huge bodies around the 64 KiB limit, random
query strings, non-UTF-8 bytes) must never get a 5xx and must store nothing. Correctly signed
but malformed payloads must never get a 5xx either (they may be stored or refused).

The default suite runs a small batch (~300 requests); the `slow` variant sends >= 10,000.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import string
import time
from dataclasses import dataclass, field
from typing import Any

import aiohttp
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from yarl import URL

from tests.e2e.conftest import AIBOT_KEY, APP_KEY, ONEBOT_SECRET, SELF_ID
from tests.fakes.onebot import hmac_signature
from tests.fakes.wecom import encrypt, sha1_signature

LIMIT = 64 * 1024
TS = None  # set from the fixture's clock (the fuzz app's clock is frozen)


@dataclass
class Req:
    kind: str  # a label for failure reports
    method: str
    path: str
    params: dict[str, str] | None = None
    raw_query: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes | None = None
    chunked: bool = False
    authentic: bool = False  # correctly signed: may be stored
    ws_frames: list[Any] | None = None  # for a WebSocket session after a valid handshake

    def __repr__(self) -> str:  # short: hypothesis prints it on failure
        b = self.body if self.body is None or len(self.body) < 200 else self.body[:200] + b"..."
        return (
            f"Req({self.kind} {self.method} {self.path} params={self.params} "
            f"raw_query={self.raw_query!r} headers={self.headers} body={b!r} "
            f"chunked={self.chunked} frames={str(self.ws_frames)[:200] if self.ws_frames else None})"
        )


# -- primitives --------------------------------------------------------------------------
hdr_text = st.text(alphabet=string.ascii_letters + string.digits + " =+/-_.:;,", max_size=60)
junk = st.one_of(
    st.binary(max_size=600),
    st.text(max_size=300).map(lambda t: t.encode("utf-8")),
    st.binary(min_size=1, max_size=300).map(lambda b: b"\xff\xfe\xc3" + b),  # not UTF-8
)
nest_depth = st.sampled_from([50, 999, 1001, 3000, 10_000])
deep_json = st.one_of(
    nest_depth.map(lambda n: b"[" * n + b"]" * n),
    nest_depth.map(lambda n: b'{"a":' * n + b"1" + b"}" * n),
    nest_depth.map(lambda n: b'{"d":' + b"[" * n + b"]" * n + b"}"),
    nest_depth.map(lambda n: b"[" * n),  # and never closed
)
BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
<!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
<!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
<!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]><xml><ToUserName>&lol9;</ToUserName><Encrypt>&lol9;</Encrypt><MsgType>text</MsgType>
<Content>&lol9;</Content><FromUserName>u</FromUserName><MsgId>1</MsgId><CreateTime>1</CreateTime></xml>"""
XXE = b"""<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>
<xml><Encrypt>&e;</Encrypt><Content>&e;</Content><MsgType>text</MsgType></xml>"""
QUADRATIC = (
    b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "'
    + b"A" * 5000
    + b'">]><xml><Encrypt>'
    + b"&a;" * 2000
    + b"</Encrypt></xml>"
)
xml_junk = st.one_of(
    st.sampled_from(
        [
            BOMB,
            XXE,
            QUADRATIC,
            b"<xml>",
            b"<xml><Encrypt></Encrypt></xml>",
            b"<notxml><Encrypt>abc</Encrypt></notxml>",
            b"<?xml version='1.0'?>",
            b"<xml><Encrypt><![CDATA[" + b"A" * 100 + b"]]></Encrypt></xml>",
        ]
    ),
    st.text(max_size=200).map(lambda t: f"<xml><Encrypt><![CDATA[{t}]]></Encrypt></xml>".encode()),
)
huge_size = st.sampled_from([LIMIT - 200, LIMIT - 1, LIMIT, LIMIT + 1, LIMIT + 5000, 3 * LIMIT])
huge_json = huge_size.map(lambda n: b'{"encrypt":"' + b"A" * max(0, n - 15) + b'"}')
bodies = st.one_of(junk, deep_json, xml_junk, huge_json, st.just(b""), st.none())
content_types = st.sampled_from(
    [
        "application/json",
        "text/plain",
        "application/xml",
        "text/xml",
        "multipart/form-data; boundary=xyz",
        "application/x-www-form-urlencoded",
        "application/json; charset=gbk",
        "application/octet-stream",
        "",
        "image/png",
        'application/json; charset=utf-8; x="y"',
    ]
)
rand_params = st.dictionaries(st.text(max_size=12), st.text(max_size=40), max_size=5)
raw_queries = st.one_of(
    st.sampled_from(
        [
            "timestamp=%ff&nonce=%00&msg_signature=%zz",
            "echostr=%ff%fe&timestamp=1",
            "timestamp=99999999999999999999999&nonce=1&msg_signature=" + "0" * 40,
            "timestamp=-1&nonce=&msg_signature=",
            "a=" + "b" * 5000,
            "&&&==&=",
            "timestamp=1e9&nonce=1&msg_signature=x&echostr=",
            "timestamp=NaN",
            "access_token=%00",
            "x=%E4%B8",
        ]
    ),
    st.text(alphabet=string.printable.replace("#", ""), max_size=80),
)
methods_other = st.sampled_from(["PUT", "DELETE", "PATCH", "OPTIONS", "HEAD"])


def ts_now() -> int:
    return TS


@st.composite
def wecom_query(draw, token: str, encrypted: str | None) -> dict[str, str]:
    """A WeCom query that is wrong in some way (signature, timestamp, fields)."""
    ts = ts_now()
    nonce = draw(st.text(alphabet=string.digits, min_size=1, max_size=10))
    mode = draw(
        st.sampled_from(
            [
                "bad-sig",
                "missing",
                "stale",
                "future",
                "nonnum-ts",
                "random",
                "upper-sig",
                "other-encrypt",
            ]
        )
    )
    enc = encrypted or ""
    if mode == "bad-sig":
        return {
            "msg_signature": draw(st.text(alphabet="0123456789abcdef", min_size=0, max_size=41)),
            "timestamp": str(ts),
            "nonce": nonce,
        }
    if mode == "missing":
        q = {
            "msg_signature": sha1_signature(token, str(ts), nonce, enc),
            "timestamp": str(ts),
            "nonce": nonce,
        }
        for k in draw(st.lists(st.sampled_from(list(q)), min_size=1, max_size=3, unique=True)):
            q.pop(k)
        return q
    if mode in ("stale", "future"):
        t = str(ts + draw(st.integers(301, 10**6)) * (-1 if mode == "stale" else 1))
        return {
            "msg_signature": sha1_signature(token, t, nonce, enc),
            "timestamp": t,
            "nonce": nonce,
        }
    if mode == "nonnum-ts":
        t = draw(st.sampled_from(["abc", "", "1.5", "1e3", " 12", "٣٤٥", "-0"]))
        return {
            "msg_signature": sha1_signature(token, t, nonce, enc),
            "timestamp": t,
            "nonce": nonce,
        }
    if mode == "upper-sig":
        return {
            "msg_signature": sha1_signature(token + "x", str(ts), nonce, enc).upper(),
            "timestamp": str(ts),
            "nonce": nonce,
        }
    if mode == "other-encrypt":
        return {
            "msg_signature": sha1_signature(token, str(ts), nonce, enc + "A"),
            "timestamp": str(ts),
            "nonce": nonce,
        }
    return draw(rand_params)


def signed_wecom(
    token: str,
    key: str,
    receive_id: str,
    plaintext: bytes,
    nonce: str = "424242",
    ts: int | None = None,
) -> tuple[dict[str, str], str]:
    enc = encrypt(key, plaintext, receive_id)
    t = str(ts if ts is not None else ts_now())
    return {
        "msg_signature": sha1_signature(token, t, nonce, enc),
        "timestamp": t,
        "nonce": nonce,
    }, enc


def aibot_envelope(enc: str) -> bytes:
    return json.dumps({"encrypt": enc}).encode()


def app_envelope(enc: str) -> bytes:
    return (
        f"<xml><ToUserName><![CDATA[wwcorp]]></ToUserName><Encrypt><![CDATA[{enc}]]></Encrypt>"
        f"<AgentID><![CDATA[1000002]]></AgentID></xml>"
    ).encode()


odd = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=True),
    st.text(max_size=30),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=3),
)


def maybe(value, strategy=odd):
    """Sometimes the right value, sometimes a value of the wrong type, sometimes absent."""
    return st.one_of(st.just(value), strategy, st.just(_MISSING))


_MISSING = object()


@st.composite
def odd_object(draw, template: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for k, v in template.items():
        if isinstance(v, dict) and draw(st.booleans()):
            val = draw(odd_object(v))
        else:
            val = draw(maybe(v))
        if val is not _MISSING:
            out[k] = val
    for k, v in draw(st.dictionaries(st.text(max_size=8), odd, max_size=2)).items():
        out.setdefault(k, v)
    return out


def dumps(obj: Any) -> bytes:
    return json.dumps(obj, ensure_ascii=False, allow_nan=True).encode("utf-8", "surrogatepass")


# -- endpoint strategies: unauthenticated -------------------------------------------------
@st.composite
def wecom_bad(draw) -> Req:
    route = draw(st.sampled_from(["aibot", "app"]))
    token, key, rid = (
        ("aibot-token", AIBOT_KEY, "") if route == "aibot" else ("app-token", APP_KEY, "wwcorp")
    )
    path = f"/wecom/{route}"
    method = draw(st.sampled_from(["GET", "POST", "POST", "POST"]))
    plain = draw(junk)
    enc = encrypt(key, plain, rid)
    body_kind = draw(st.sampled_from(["valid-envelope", "junk", "truncated"]))
    env = aibot_envelope(enc) if route == "aibot" else app_envelope(enc)
    if body_kind == "junk":
        body = draw(bodies)
    elif body_kind == "truncated":
        body = env[: draw(st.integers(0, max(0, len(env) - 1)))]
    else:
        body = env
    q = draw(wecom_query(token, enc))
    if method == "GET":
        q = {**q, "echostr": draw(st.sampled_from([enc, "", enc[:-3], enc.replace("+", " ")]))}
        body = None
    raw = draw(st.one_of(st.none(), raw_queries)) if draw(st.integers(0, 5)) == 0 else None
    headers = {"Content-Type": draw(content_types)} if body is not None else {}
    return Req(f"wecom-{route}-bad", method, path, None if raw else q, raw, headers, body)


@st.composite
def onebot_bad(draw) -> Req:
    body = draw(
        st.one_of(
            bodies,
            st.builds(
                lambda m: dumps(
                    {
                        "post_type": "message",
                        "message_type": "group",
                        "message_id": m,
                        "group_id": 80001,
                        "user_id": 200150,
                        "self_id": SELF_ID,
                        "message": "今天我到齐小送教",
                        "time": TS,
                    }
                ),
                st.integers(1, 10**9),
            ),
        )
    )
    body = body if body is not None else b""
    mode = draw(
        st.sampled_from(["missing", "wrong", "other-secret", "sha256", "empty", "truncated-body"])
    )
    headers = {"Content-Type": draw(content_types), "X-Self-ID": draw(hdr_text)}
    if mode == "wrong":
        headers["X-Signature"] = "sha1=" + draw(st.text(alphabet="0123456789abcdef", max_size=41))
    elif mode == "other-secret":
        headers["X-Signature"] = hmac_signature(ONEBOT_SECRET + "x", body)
    elif mode == "sha256":
        headers["X-Signature"] = "sha256=" + hashlib.sha256(body).hexdigest()
    elif mode == "empty":
        headers["X-Signature"] = draw(st.sampled_from(["", " ", "sha1=", "sha1"]))
    elif mode == "truncated-body" and body:
        headers["X-Signature"] = hmac_signature(ONEBOT_SECRET, body)
        body = body[:-1]
    return Req(
        "onebot-bad",
        "POST",
        "/onebot",
        draw(st.one_of(st.none(), rand_params)),
        None,
        headers,
        body,
    )


@st.composite
def ws_bad(draw) -> Req:
    headers = {}
    mode = draw(
        st.sampled_from(
            ["none", "wrong-bearer", "wrong-scheme", "query-wrong", "no-self-id", "no-upgrade"]
        )
    )
    params = None
    if mode == "wrong-bearer":
        headers["Authorization"] = "Bearer " + draw(hdr_text)
    elif mode == "wrong-scheme":
        headers["Authorization"] = draw(
            st.sampled_from(["Basic d3M6dG9rZW4=", "ws-token", "Bearer", ""])
        )
    elif mode == "query-wrong":
        params = {
            "access_token": draw(st.text(max_size=20).filter(lambda t: t.strip() != "ws-token"))
        }
    elif mode in ("no-self-id", "no-upgrade"):
        headers["Authorization"] = "Bearer ws-token"
    if mode != "no-self-id" and draw(st.booleans()):
        headers["X-Self-ID"] = draw(st.one_of(hdr_text, st.just(str(SELF_ID))))
    if draw(st.booleans()):
        headers["X-Client-Role"] = draw(
            st.one_of(hdr_text, st.sampled_from(["Universal", "Event", "API"]))
        )
    if draw(st.booleans()) and mode != "no-upgrade":
        headers.update(
            {
                "Connection": "Upgrade",
                "Upgrade": "websocket",
                "Sec-WebSocket-Version": draw(st.sampled_from(["13", "8", "x"])),
                "Sec-WebSocket-Key": draw(
                    st.sampled_from(["dGhlIHNhbXBsZSBub25jZQ==", "short", ""])
                ),
            }
        )
        # a valid token with a valid upgrade request would switch protocols: keep it invalid
        if headers.get("Authorization") == "Bearer ws-token":
            headers["Sec-WebSocket-Version"] = "8"
    if mode == "no-upgrade" and "X-Self-ID" not in headers:
        headers["X-Self-ID"] = str(SELF_ID)
    return Req("onebot-ws-handshake-bad", "GET", "/onebot/ws", params, None, headers, None)


@st.composite
def qq_bad(draw) -> Req:
    from tests.e2e.conftest import QQ_SECRET
    from tests.fakes.qq import QQPlatform

    qq = QQPlatform(QQ_SECRET, "11111111")
    body = draw(
        st.one_of(
            bodies,
            st.builds(
                lambda m: QQPlatform.group_at(
                    m, " 今天我到淤上送教", "C9F778FE6ADF9D1D1DBE395BF744A33A", "M"
                ),
                st.text(min_size=1, max_size=20),
            ),
        )
    )
    body = body if body is not None else b""
    mode = draw(
        st.sampled_from(
            [
                "unsigned",
                "wrong-key",
                "stale",
                "future",
                "bad-hex",
                "no-ts",
                "unsigned-validation",
                "tampered",
            ]
        )
    )
    headers = {"Content-Type": draw(content_types), "X-Bot-Appid": "11111111"}
    ts = TS
    if mode == "wrong-key":
        headers.update(QQPlatform("another-secret-000000000000000000").headers(body, ts))
    elif mode in ("stale", "future"):
        t = ts + draw(st.integers(301, 10**7)) * (-1 if mode == "stale" else 1)
        headers.update(qq.headers(body, t))
    elif mode == "bad-hex":
        headers.update(
            {
                "X-Signature-Timestamp": str(ts),
                "X-Signature-Ed25519": draw(st.text(alphabet="0123456789abcdefxyz", max_size=140)),
            }
        )
    elif mode == "no-ts":
        headers["X-Signature-Ed25519"] = qq.sign(body)
    elif mode == "unsigned-validation":
        # op 13 may come unsigned: answered, never stored
        d = draw(st.one_of(odd, st.fixed_dictionaries({"plain_token": odd, "event_ts": odd})))
        body = dumps({"op": 13, "d": d})
    elif mode == "tampered":
        headers.update(qq.headers(body, ts))
        body = body + b" " if draw(st.booleans()) else body[:-1]
    return Req("qq-bad", "POST", "/qq/webhook", None, None, headers, body)


@st.composite
def misc_bad(draw) -> Req:
    which = draw(st.sampled_from(["healthz", "download", "other-method", "unknown-path"]))
    if which == "healthz":
        raw = draw(st.one_of(st.none(), raw_queries))
        return Req(
            "healthz",
            "GET",
            "/healthz",
            None if raw else draw(rand_params),
            raw,
            {"Content-Type": draw(content_types)},
            None,
        )
    if which == "download":
        from urllib.parse import quote

        tok = draw(
            st.one_of(
                st.text(min_size=1, max_size=80),
                st.sampled_from(
                    ["..%2f..%2fetc%2fpasswd", "%00", "a" * 3000, "%ff%fe", "....", "x" * 43]
                ),
            )
        )
        return Req(
            "download",
            "GET",
            "/download/" + quote(tok, safe="%"),
            draw(rand_params),
            None,
            {},
            None,
        )
    if which == "other-method":
        path = draw(
            st.sampled_from(
                [
                    "/wecom/aibot",
                    "/wecom/app",
                    "/onebot",
                    "/qq/webhook",
                    "/healthz",
                    "/download/x",
                    "/onebot/ws",
                ]
            )
        )
        return Req(
            "method", draw(methods_other), path, None, None, {}, draw(st.one_of(st.none(), junk))
        )
    return Req(
        "unknown-path",
        draw(st.sampled_from(["GET", "POST"])),
        "/" + draw(st.text(alphabet=string.ascii_letters + "/._-", max_size=30)),
        None,
        None,
        {},
        None,
    )


@st.composite
def chunked_big(draw) -> Req:
    """A chunked body (no Content-Length) over or under the limit: cut off while reading."""
    size = draw(huge_size)
    path = draw(st.sampled_from(["/wecom/aibot", "/wecom/app", "/onebot", "/qq/webhook"]))
    return Req(
        "chunked",
        "POST",
        path,
        None,
        None,
        {"Content-Type": "application/json"},
        b'{"x":"' + b"A" * size + b'"}',
        chunked=True,
    )


bad_request = st.one_of(wecom_bad(), onebot_bad(), ws_bad(), qq_bad(), misc_bad(), chunked_big())


# -- correctly signed, malformed ----------------------------------------------------------
AIBOT_TEMPLATE = {
    "msgid": "m1",
    "aibotid": "BOT",
    "chatid": "wrFuHaiAlliance",
    "chattype": "group",
    "from": {"userid": "ZhangWei"},
    "response_url": "http://127.0.0.1:9/x",
    "msgtype": "text",
    "text": {"content": "@联盟助手 今天我到齐小送教"},
    "stream": {"id": "s1"},
    "mixed": {"msg_item": [{"msgtype": "text"}]},
}
ONEBOT_TEMPLATE = {
    "time": 1,
    "self_id": SELF_ID,
    "post_type": "message",
    "message_type": "group",
    "sub_type": "normal",
    "message_id": 1,
    "group_id": 80001,
    "user_id": 200150,
    "anonymous": None,
    "message": [{"type": "text", "data": {"text": "今天我到新民小学送课"}}],
    "raw_message": "x",
    "font": 0,
    "sender": {"user_id": 200150, "nickname": "n", "card": "", "role": "member"},
}
QQ_TEMPLATE = {
    "id": "GROUP_AT_MESSAGE_CREATE:e1",
    "op": 0,
    "s": 7,
    "t": "GROUP_AT_MESSAGE_CREATE",
    "d": {
        "author": {"member_openid": "M"},
        "content": " 进度",
        "group_openid": "G",
        "id": "ROBOT1.0_x",
        "timestamp": "2023-11-06T13:37:18+08:00",
        "plain_token": "t",
        "event_ts": "1",
    },
}
junk_segment = st.one_of(
    odd,
    st.fixed_dictionaries(
        {
            "type": st.one_of(
                odd,
                st.sampled_from(
                    ["text", "at", "face", "image", "reply", "json", "forward", "record"]
                ),
            ),
            "data": st.one_of(
                odd,
                st.fixed_dictionaries(
                    {"text": odd, "qq": st.one_of(odd, st.just(str(SELF_ID)), st.just("all"))}
                ),
            ),
        }
    ),
)


@st.composite
def onebot_signed(draw) -> Req:
    kind = draw(st.sampled_from(["event", "event", "junk", "deep", "segments"]))
    if kind == "junk":
        body = draw(junk)
    elif kind == "deep":
        body = draw(deep_json)
    else:
        ev = draw(odd_object(ONEBOT_TEMPLATE))
        if kind == "segments" or draw(st.booleans()):
            ev["message"] = draw(
                st.one_of(
                    st.lists(junk_segment, max_size=6),
                    odd,
                    st.text(max_size=50).map(lambda t: f"[CQ:at,qq={SELF_ID}] {t}"),
                )
            )
        if draw(st.booleans()):
            ev["post_type"] = draw(
                st.sampled_from(["message", "meta_event", "notice", "request", "message_sent"])
            )
        body = dumps(ev)
    headers = {
        "Content-Type": draw(content_types),
        "X-Self-ID": str(SELF_ID),
        "X-Signature": hmac_signature(ONEBOT_SECRET, body),
    }
    return Req("onebot-signed", "POST", "/onebot", None, None, headers, body, authentic=True)


@st.composite
def wecom_signed(draw) -> Req:
    route = draw(st.sampled_from(["aibot", "app"]))
    kind = draw(st.sampled_from(["odd", "odd", "junk", "deep", "xml", "echostr"]))
    if route == "aibot":
        if kind == "odd":
            plain = dumps(draw(odd_object(AIBOT_TEMPLATE)))
        elif kind == "xml":
            plain = draw(xml_junk)
        elif kind == "deep":
            plain = draw(deep_json)
        else:
            plain = draw(junk)
    else:
        if kind == "odd":
            fields = draw(
                st.fixed_dictionaries(
                    {
                        "ToUserName": st.sampled_from(["wwcorp", "", "<x>"]),
                        "FromUserName": st.one_of(st.just("ZhangWei"), st.text(max_size=10)),
                        "CreateTime": st.one_of(
                            st.just(str(TS)),
                            st.sampled_from(
                                ["", "abc", "-1", "99999999999999999999", "1e10", "1.5"]
                            ),
                        ),
                        "MsgType": st.sampled_from(
                            ["text", "event", "image", "", "voice", "location"]
                        ),
                        "Content": st.text(max_size=60),
                        "MsgId": st.one_of(st.integers(-10, 10**20).map(str), st.text(max_size=8)),
                        "AgentID": st.sampled_from(["1000002", "x", ""]),
                        "Event": st.text(max_size=10),
                    }
                )
            )
            drop = draw(st.lists(st.sampled_from(list(fields)), max_size=3, unique=True))
            inner = "".join(
                f"<{k}><![CDATA[{v.replace(']]>', '')}]]></{k}>"
                for k, v in fields.items()
                if k not in drop
            )
            plain = f"<xml>{inner}</xml>".encode("utf-8", "surrogatepass")
        elif kind == "xml":
            plain = draw(xml_junk)
        elif kind == "deep":
            plain = (
                b"<xml>" + b"<a>" * 5000 + b"</a>" * 5000 + b"</xml>"
                if draw(st.booleans())
                else draw(deep_json)
            )
        else:
            plain = draw(junk)
    token, key, rid = (
        ("aibot-token", AIBOT_KEY, "") if route == "aibot" else ("app-token", APP_KEY, "wwcorp")
    )
    if kind == "echostr":
        q, enc = signed_wecom(token, key, rid, draw(junk))
        return Req(
            f"wecom-{route}-signed-get",
            "GET",
            f"/wecom/{route}",
            {**q, "echostr": enc},
            None,
            {},
            None,
            authentic=True,
        )
    q, enc = signed_wecom(token, key, rid, plain, nonce=str(draw(st.integers(1, 10**9))))
    body = aibot_envelope(enc) if route == "aibot" else app_envelope(enc)
    return Req(
        f"wecom-{route}-signed",
        "POST",
        f"/wecom/{route}",
        q,
        None,
        {"Content-Type": draw(content_types)},
        body,
        authentic=True,
    )


@st.composite
def qq_signed(draw) -> Req:
    from tests.e2e.conftest import QQ_SECRET
    from tests.fakes.qq import QQPlatform

    kind = draw(st.sampled_from(["odd", "odd", "junk", "deep", "ops"]))
    if kind == "odd":
        body = dumps(draw(odd_object(QQ_TEMPLATE)))
    elif kind == "ops":
        body = dumps(
            {
                "op": draw(st.one_of(st.sampled_from([0, 1, 11, 12, 13, -1]), odd)),
                "t": draw(
                    st.one_of(
                        st.sampled_from(
                            [
                                "GROUP_AT_MESSAGE_CREATE",
                                "C2C_MESSAGE_CREATE",
                                "AT_MESSAGE_CREATE",
                                "READY",
                            ]
                        ),
                        odd,
                    )
                ),
                "d": draw(st.one_of(odd, odd_object(QQ_TEMPLATE["d"]))),
            }
        )
    elif kind == "deep":
        body = draw(deep_json)
    else:
        body = draw(junk)
    headers = QQPlatform(QQ_SECRET, "11111111").headers(body, TS)
    return Req("qq-signed", "POST", "/qq/webhook", None, None, headers, body, authentic=True)


@st.composite
def ws_session(draw) -> Req:
    frames = draw(
        st.lists(
            st.one_of(
                st.text(max_size=100),
                deep_json.map(lambda b: b.decode()),
                st.binary(max_size=50),
                onebot_signed().map(lambda r: r.body.decode("utf-8", "replace")),
                st.builds(lambda e: json.dumps({"echo": e, "status": "ok"}), odd),
                st.just(
                    json.dumps(
                        {"post_type": "meta_event", "meta_event_type": "heartbeat", "interval": "x"}
                    )
                ),
            ),
            min_size=1,
            max_size=5,
        )
    )
    return Req(
        "onebot-ws-frames",
        "GET",
        "/onebot/ws",
        None,
        None,
        {"Authorization": "Bearer ws-token", "X-Self-ID": str(SELF_ID)},
        None,
        authentic=True,
        ws_frames=frames,
    )


signed_request = st.one_of(onebot_signed(), wecom_signed(), qq_signed(), ws_session())

# Three unauthenticated batches for one correctly signed batch (those reach the pipeline).
_bad_batch = st.tuples(st.just(False), st.lists(bad_request, min_size=1, max_size=5))
batches = st.one_of(
    _bad_batch,
    _bad_batch,
    _bad_batch,
    st.tuples(st.just(True), st.lists(signed_request, min_size=1, max_size=3)),
)


# -- sending ------------------------------------------------------------------------------
class Stats:
    requests = 0
    statuses: dict[int, int] = {}
    seconds: dict[str, float] = {}


async def send(live, req: Req) -> int:
    t0 = time.perf_counter()
    try:
        return await _send(live, req)
    finally:
        Stats.seconds[req.kind] = Stats.seconds.get(req.kind, 0.0) + time.perf_counter() - t0


async def _send(live, req: Req) -> int:
    url = URL(live.url + req.path, encoded=True) if "%" in req.path else live.url + req.path
    if req.raw_query is not None:
        from urllib.parse import quote

        url = URL(str(url) + "?" + quote(req.raw_query, safe="=&%+;,/:@!$'()*?"), encoded=True)
    Stats.requests += 1
    if req.ws_frames is not None:
        async with live.session.ws_connect(url, headers=req.headers) as ws:
            for f in req.ws_frames:
                if isinstance(f, bytes):
                    await ws.send_bytes(f)
                else:
                    await ws.send_str(f)
            await asyncio.sleep(0.01)
        return 101
    data: Any = req.body
    if req.chunked and req.body is not None:
        payload = req.body

        async def gen():
            for i in range(0, len(payload), 8192):
                yield payload[i : i + 8192]

        data = gen()
    try:
        async with live.session.request(
            req.method,
            url,
            params=req.params,
            data=data,
            headers=req.headers,
            timeout=aiohttp.ClientTimeout(total=30),
        ) as r:
            await r.read()
            status = r.status
    except (aiohttp.ClientOSError, aiohttp.ServerDisconnectedError):
        # The server may close the connection on an over-limit body it refused while the
        # client was still sending; that is fine. Anything else is a failure.
        if req.body is not None and len(req.body) > LIMIT:
            return 413
        raise
    Stats.statuses[status] = Stats.statuses.get(status, 0) + 1
    return status


async def run_batch(live, authentic: bool, reqs: list[Req]) -> None:
    before = (live.inbound(), live.count()) if not authentic else None
    statuses = await asyncio.gather(*(send(live, r) for r in reqs))
    for r, s in zip(reqs, statuses, strict=True):
        assert s < 500, f"{s} for {r!r}"
        if not r.authentic and r.kind.endswith("bad") and r.kind != "qq-bad":
            assert s != 200 or r.method == "GET" and r.kind == "healthz", f"{s} for {r!r}"
    if before is not None:
        assert (live.inbound(), live.count()) == before, (
            f"unauthenticated batch stored something: {reqs!r}"
        )


def fuzz_test(max_examples: int):
    return settings(
        max_examples=max_examples,
        deadline=None,
        derandomize=True,
        database=None,
        print_blob=True,
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.filter_too_much,
            HealthCheck.large_base_example,
        ],
    )


MIN_REQUESTS = {"test_fuzz_every_endpoint_quick": 280, "test_fuzz_every_endpoint_10k": 10_000}


@pytest.fixture
async def fuzz_live(sqlite_live, request):
    global TS
    TS = sqlite_live.ts
    Stats.requests = 0
    Stats.statuses = {}
    Stats.seconds = {}
    yield sqlite_live
    # The server stayed up and healthy through it all, and the fuzzer sent what it promised.
    async with sqlite_live.session.get(f"{sqlite_live.url}/healthz") as r:
        assert r.status == 200
    await sqlite_live.bot.platforms.drain(timeout=10)
    print(
        f"\nfuzz {request.node.name}: {Stats.requests} requests, statuses {sorted(Stats.statuses.items())}, "
        f"stored {sqlite_live.inbound()} inbound / {sqlite_live.count()} records; seconds by kind "
        f"{ {k: round(v, 1) for k, v in sorted(Stats.seconds.items(), key=lambda kv: -kv[1])} }"
    )
    assert Stats.requests >= MIN_REQUESTS.get(request.node.name, 0)


@fuzz_test(max_examples=120)
@given(batch=batches)
async def test_fuzz_every_endpoint_quick(fuzz_live, batch):
    await run_batch(fuzz_live, *batch)


@pytest.mark.slow
@fuzz_test(max_examples=4100)
@given(batch=batches)
async def test_fuzz_every_endpoint_10k(fuzz_live, batch):
    await run_batch(fuzz_live, *batch)
