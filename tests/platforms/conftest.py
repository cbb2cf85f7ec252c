"""Fixtures for the platform adapter tests: a server per test on a random loopback port,
fake platform APIs, a fake clock and a recording sink."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot.config import ServerSettings
from tests.fakes.clock import FakeClock
from tests.fakes.onebot import FakeOneBotApi
from tests.fakes.qq import FakeQQApi
from tests.fakes.sink import RecordingSink
from tests.fakes.wecom import FakeWecomApi

DATA = Path(__file__).resolve().parents[1] / "data" / "platforms"
FAST_RETRIES = (0.001, 0.002, 0.004)
SERVER = ServerSettings(max_body_bytes=4096, timestamp_window_s=300)


@pytest.fixture(scope="session")
def vectors() -> dict:
    return json.loads((DATA / "vectors.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def onebot_events() -> dict:
    return json.loads((DATA / "onebot_events.json").read_text(encoding="utf-8"))


@pytest.fixture
def sink() -> RecordingSink:
    return RecordingSink()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(1_700_000_000)


Serve = Callable[..., Awaitable[TestClient]]


@pytest.fixture
async def serve() -> AsyncIterator[Serve]:
    """`client = await serve(adapter, …)`: the adapters' routes on a real loopback server."""
    running: list[tuple[TestClient, tuple]] = []

    async def _serve(*adapters) -> TestClient:
        app = web.Application()
        for a in adapters:
            a.add_routes(app)
            await a.start()
        client = TestClient(TestServer(app, host="127.0.0.1"))
        await client.start_server()
        running.append((client, adapters))
        return client

    yield _serve
    for client, adapters in running:
        for a in adapters:
            await a.close()
        await client.close()


@pytest.fixture
async def fake_wecom() -> AsyncIterator[FakeWecomApi]:
    api = FakeWecomApi()
    await api.start()
    yield api
    await api.close()


@pytest.fixture
async def fake_qq() -> AsyncIterator[FakeQQApi]:
    api = FakeQQApi()
    await api.start()
    yield api
    await api.close()


@pytest.fixture
async def fake_onebot() -> AsyncIterator[FakeOneBotApi]:
    api = FakeOneBotApi(access_token="ob-token")
    await api.start()
    yield api
    await api.close()
