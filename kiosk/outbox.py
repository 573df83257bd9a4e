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

from kiosk.alarms import WIRE_KINDS as ALARM_KINDS
from kiosk.journal import Journal, JournalEvent, OutboxItem
from kiosk.konnect import KonnectRejected, KonnectUnavailable, TerminalClient, wire
from kiosk.konnect.session import RetryLater

log = logging.getLogger("kiosk.outbox")

FIRST_DELAY = 1.0
MAX_DELAY = 300.0
BATCH = 100


class UnreportableEvent(Exception):
    """A journaled event the outbox cannot turn into a report to Konnect."""


class Outbox:
    """Drains the journal's outbox to Konnect."""

    def __init__(
        self,
        journal: Journal,
        client: TerminalClient,
        *,
        first_delay: float = FIRST_DELAY,
        max_delay: float = MAX_DELAY,
    ) -> None:
        """An outbox for `journal`; call `run` to start sending.

        Args:
            journal: where the owed events are.
            client: Konnect.
            first_delay: the wait after an event's first failure; it doubles
                with each further failure, with jitter, up to `max_delay`.
            max_delay: the longest wait between two tries of one event.
        """
        self._journal = journal
        self._client = client
        self._first_delay = first_delay
        self._max_delay = max_delay
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
        """Try every event that is due once; return how many Konnect now has.

        The journal offers only each door's oldest owed event, so an event that
        fails holds back the later ones of its door, in this drain and the next,
        until it has gone; other doors carry on.
        """
        sent = 0
        failed: set[str] = set()
        while True:
            batch = [
                item
                for item in self._journal.due(limit=BATCH + len(failed))
                if item.event.event_id not in failed
            ]
            if not batch:
                return sent
            for item in batch:
                outcome = await self._attempt(item)
                if outcome == "sent":
                    sent += 1
                elif outcome == "retry":
                    failed.add(item.event.event_id)

    async def _attempt(self, item: OutboxItem) -> str:
        """One try at one event: `sent`, `retry` later, or `dead` for good."""
        try:
            await self._send(item.event)
        except KonnectUnavailable as error:
            self.online = False
            delay = self._backoff(item.attempts)
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

    def _backoff(self, attempts: int) -> float:
        # Not tenacity's loop, as the session uses for one request's quick
        # retries: that loop sleeps inside the call it retries. An owed event's
        # next try must outlive a restart, so it is a due time in the journal,
        # and a door that waits must not hold up the others.
        base = min(self._max_delay, self._first_delay * 2.0 ** min(attempts, 16))
        return base * random.uniform(0.5, 1.0)

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
            elif event.kind in ALARM_KINDS:
                if not door:
                    raise UnreportableEvent(f"the journal's {event.kind} names no door")
                await self._client.report_alarm(
                    wire.AlarmReport(
                        event_id=event.event_id,
                        kind=ALARM_KINDS[event.kind],
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
