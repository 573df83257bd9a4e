"""The outbox: sends journaled events to Konnect until Konnect has each one.

Events go in journal order, each with its event id as idempotency key, so a retry
after a crash or a lost answer cannot count twice. A transient failure is retried
later with growing delays, forever; a final refusal moves the event to the dead
letters a technician sees, never into silence.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time

from pydantic import ValidationError

from kiosk.journal import Journal, JournalEvent, OutboxItem
from kiosk.konnect import KonnectRejected, KonnectUnavailable, TerminalClient, wire
from kiosk.konnect.session import RetryLater

log = logging.getLogger("kiosk.outbox")

MAX_DELAY = 300.0
BATCH = 100


class UnreportableEvent(Exception):
    """A journaled event the outbox cannot turn into a report to Konnect."""


class Outbox:
    """Drains the journal's outbox to Konnect."""

    def __init__(self, journal: Journal, client: TerminalClient) -> None:
        """An outbox for `journal`; call `run` to start sending."""
        self._journal = journal
        self._client = client
        self._wake = asyncio.Event()
        self.online: bool | None = None
        """Whether the last attempt reached Konnect; None before the first."""

    def wake(self) -> None:
        """Something new is owed: send without waiting for the next retry time."""
        self._wake.set()

    async def run(self) -> None:
        """Send forever; cancel the task to stop."""
        while True:
            self._wake.clear()
            await self.drain()
            next_at = self._journal.next_attempt_at()
            timeout = None if next_at is None else max(0.0, next_at - time.time())
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout)

    async def drain(self) -> int:
        """Send every event that is due; return how many Konnect now has."""
        sent = 0
        blocked: set[str | None] = set()
        skipped: set[str] = set()
        while True:
            batch = [
                item
                for item in self._journal.due(limit=BATCH + len(skipped))
                if item.event.event_id not in skipped
            ]
            if not batch:
                return sent
            for item in batch:
                if item.event.door in blocked:
                    # Keep each door's events in order behind an earlier failure.
                    skipped.add(item.event.event_id)
                    continue
                outcome = await self._attempt(item)
                if outcome == "sent":
                    sent += 1
                elif outcome == "retry":
                    blocked.add(item.event.door)
                    skipped.add(item.event.event_id)

    async def _attempt(self, item: OutboxItem) -> str:
        """One try at one event: `sent`, `retry` later, or `dead` for good."""
        try:
            await self._send(item.event)
        except KonnectUnavailable as error:
            self.online = False
            delay = _backoff(item.attempts)
            if isinstance(error, RetryLater) and error.retry_after is not None:
                delay = max(delay, error.retry_after)
            self._journal.mark_retry(
                item.event.event_id, str(error), time.time() + delay
            )
            log.warning("event %s waits %.0f s: %s", item.event.seq, delay, error)
            return "retry"
        except (KonnectRejected, UnreportableEvent) as error:
            self.online = True
            self._journal.mark_dead(item.event.event_id, str(error))
            log.error("event %s refused for good: %s", item.event.seq, error)
            return "dead"
        self.online = True
        self._journal.mark_sent(item.event.event_id)
        return "sent"

    async def _send(self, event: JournalEvent) -> None:
        payload, door = event.payload, event.door or ""
        try:
            if event.kind == "delivery":
                await self._client.report_delivery(
                    wire.DeliveryReport(
                        event_id=event.event_id,
                        goods_in_id=payload["goodsInId"],
                        tracking_number=payload["trackingNumber"],
                        door=door,
                        occurred_at=event.occurred_at,
                    )
                )
            elif event.kind == "collection":
                await self._client.report_collection(
                    wire.CollectionReport(
                        event_id=event.event_id,
                        tracking_number=payload["trackingNumber"],
                        door=door,
                        occurred_at=event.occurred_at,
                        user=payload.get("userIdentifier"),
                    )
                )
            elif event.kind == "restock":
                await self._client.report_restock(
                    wire.RestockReport(
                        event_id=event.event_id,
                        sku_identifier=payload["skuIdentifier"],
                        tracking_number=payload["trackingNumber"],
                        door=door,
                        occurred_at=event.occurred_at,
                    )
                )
            else:
                raise UnreportableEvent(f"no Konnect report for {event.kind!r} events")
        except (KeyError, ValidationError) as error:
            raise UnreportableEvent(
                f"the journal's {event.kind} event lacks what Konnect needs: {error}"
            ) from error


def _backoff(attempts: int) -> float:
    base: float = min(MAX_DELAY, 2.0 ** min(attempts, 10))
    return base * random.uniform(0.5, 1.0)
