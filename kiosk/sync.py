"""Keeping the terminal's view of its location in step with Konnect.

Regularly, and faster while offline: a heartbeat with the terminal's status,
the location's doors, and its live goods-in codes and engineers' work for the
offline cache. When the heartbeat gets through again after an outage,
everything owed is sent at once. Old events Konnect has are pruned from the
journal once a day.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from kiosk.journal import DoorRecord, Journal, utc_now
from kiosk.konnect import KonnectRejected, KonnectUnavailable, TerminalClient, wire
from kiosk.offline import CodeCache
from kiosk.outbox import Outbox
from kiosk.workflows.doors import DoorInfo

log = logging.getLogger("kiosk.sync")

SYNC_SECONDS = 60.0
"""How often, by default, the terminal reports and fetches its location's work."""

PRUNE_SECONDS = 86400.0
"""How often old journal events are pruned."""


class LocationSync:
    """The location's doors and work as Konnect last told them."""

    def __init__(
        self,
        client: TerminalClient,
        journal: Journal,
        codes: CodeCache,
        outbox: Outbox,
        status: Callable[[], wire.TerminalStatus],
        *,
        sync_seconds: float = SYNC_SECONDS,
        keep_days: float = 90.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """Start from what the journal cached last time."""
        self._client = client
        self._journal = journal
        self._codes = codes
        self._outbox = outbox
        self._status = status
        self._sync_seconds = sync_seconds
        self._keep = timedelta(days=keep_days)
        self._clock = clock
        self._pruned_at: float | None = None
        self.doors: list[DoorInfo] = [door_info(d) for d in journal.doors()]
        """The location's doors, with whether each holds a package."""

    async def run(self) -> None:
        """Heartbeat, doors and work, forever; cancel the task to stop."""
        delay = 1.0
        while True:
            self.prune()
            online = await self.heartbeat()
            if online:
                if self._journal.outbox_counts()["pending"]:
                    # The link is back: what waits goes now, not at its backoff.
                    self._journal.retry_now()
                    self._outbox.wake()
                online = await self.sync_doors() and await self.sync_work()
            if online:
                delay = 1.0
                await asyncio.sleep(self._sync_seconds)
            else:
                await asyncio.sleep(delay)
                delay = min(delay * 2, self._sync_seconds)

    async def sync_doors(self) -> bool:
        """Fetch the location's doors; False if Konnect cannot be had."""
        try:
            doors = await self._client.doors()
        except (KonnectUnavailable, KonnectRejected) as error:
            log.warning("cannot fetch the doors from Konnect: %s", error)
            return False
        records = [
            DoorRecord(
                d.identifier,
                d.profile,
                d.size,
                d.column,
                d.row,
                d.height_cm,
                d.enabled,
                d.occupied,
            )
            for d in doors
        ]
        self._journal.save_doors(records)
        self.doors = [door_info(r) for r in records]
        log.info("synchronised %d doors from Konnect", len(records))
        return True

    async def sync_work(self) -> bool:
        """Refresh the offline cache; False if Konnect cannot be reached."""
        try:
            work = await self._client.work()
        except (KonnectUnavailable, KonnectRejected) as error:
            log.warning("cannot fetch the location's work: %s", error)
            return False
        codes, engineers = self._codes.replace(work)
        log.info(
            "cached %d live goods-in codes and %d engineers for offline use",
            codes,
            engineers,
        )
        return True

    async def heartbeat(self) -> bool:
        """Tell Konnect the terminal's status; False if it did not hear."""
        try:
            await self._client.heartbeat(utc_now(), self._status())
        except (KonnectUnavailable, KonnectRejected) as error:
            log.warning("heartbeat failed: %s", error)
            return False
        return True

    def prune(self) -> None:
        """Forget old events Konnect has, once a day."""
        now = self._clock()
        if self._pruned_at is not None and now - self._pruned_at < PRUNE_SECONDS:
            return
        self._pruned_at = now
        cutoff = (datetime.now(UTC) - self._keep).isoformat(timespec="milliseconds")
        forgotten = self._journal.prune(cutoff)
        if forgotten:
            log.info("forgot %d journal events older than %s", forgotten, cutoff)

    def mark_occupied(self, door: str) -> None:
        """A package went into `door`: it is not free until Konnect says so."""
        self._journal.set_occupied(door, True)
        self.doors = [
            DoorInfo(d.identifier, d.profile, d.size, d.height_cm, d.enabled, True)
            if d.identifier == door
            else d
            for d in self.doors
        ]


def door_info(record: DoorRecord) -> DoorInfo:
    """The workflow's view of a cached door."""
    return DoorInfo(
        record.identifier,
        record.profile,
        record.size,
        record.height_cm,
        record.enabled,
        record.occupied,
    )
