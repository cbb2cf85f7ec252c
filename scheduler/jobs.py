"""APScheduler job targets: module-level functions with plain arguments (ids).

A job names the service by its key (the worker id) and the reminder by its database id, so
the job store can be rebuilt from the database at any time. The service registers itself
here on `start()` and leaves on `shutdown()`.
"""
from __future__ import annotations

import logging
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from scheduler.service import ReminderScheduler

log = logging.getLogger("scheduler.jobs")
_services: dict[str, "ReminderScheduler"] = {}


def register(key: str, service: "ReminderScheduler") -> None:
    _services[key] = service


def unregister(key: str) -> None:
    _services.pop(key, None)


def _service(key: str) -> "ReminderScheduler | None":
    svc = _services.get(key)
    if svc is None:
        log.warning("job for unknown reminder service %r ignored", key)
    return svc


async def fire(service_key: str, reminder_id: int) -> None:
    """Send one reminder (claims its delivery first; never sends twice)."""
    svc = _service(service_key)
    if svc is not None:
        async with svc.job():
            await svc.fire(reminder_id)


async def tick(service_key: str) -> None:
    """Periodic: re-sync from the database (rules added by other workers) and fire what is due."""
    svc = _service(service_key)
    if svc is not None:
        async with svc.job():
            await svc.resync()


async def sync_pending(service_key: str) -> None:
    """Soon after a handler reported a change: resync those records / alliances."""
    svc = _service(service_key)
    if svc is not None:
        async with svc.job():
            await svc.sync_pending()
