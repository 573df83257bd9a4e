"""Door alarms: a door forced open, a door left open, and the door shutting after.

The terminal tells `DoorAlarms` of every door it sees open and shut. An opening
with no unlock of ours is a forced opening; an opening that lasts past the limit
is a door left open, whoever opened it, raised once per opening. Each alarm is
journaled for Konnect, and so is the door shutting again, so that Konnect can
tell an alarm still standing from one that is over. While a door in alarm stays
open, `active` names it for the home screen and the heartbeat.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from kiosk.journal import Journal
from kiosk.konnect import wire

log = logging.getLogger("kiosk.alarms")

FORCED_OPEN = "alarm_forced_open"
"""Journaled when a door opens with no unlock of ours."""
LEFT_OPEN = "alarm_door_left_open"
"""Journaled when a door stays open past its limit, by the watcher here or by
the delivery workflow, whose courier's screen changes with it."""
CLEARED = "alarm_cleared"
"""Journaled when a door in alarm shuts again."""

WIRE_KINDS: dict[str, wire.AlarmKind] = {
    FORCED_OPEN: wire.ALARM_FORCED_OPEN,
    LEFT_OPEN: wire.ALARM_LEFT_OPEN,
    CLEARED: wire.ALARM_CLEARED,
}
"""The alarm Konnect hears of for each journaled alarm event."""

# What ends an opening in the journal, for an opening found at start.
_OPENING_ENDS = ("door_closed", CLEARED)


class DoorAlarms:
    """The alarms of one terminal's doors."""

    def __init__(
        self, journal: Journal, wake: Callable[[], None], open_limit: float
    ) -> None:
        """Alarms journaled in `journal`; `wake` tells the outbox one is owed.

        Args:
            journal: where alarms are recorded, queued for Konnect.
            wake: called after each alarm is recorded.
            open_limit: seconds a door may stay open before it is left open.
        """
        self._journal = journal
        self._wake = wake
        self._limit = open_limit
        self._open: set[str] = set()
        self._raised: dict[str, list[str]] = {}
        """The alarms of each open door's current opening, oldest first."""
        self._watches: dict[str, asyncio.TimerHandle] = {}

    @property
    def active(self) -> dict[str, wire.AlarmKind]:
        """Each door in alarm while it stays open, with its first alarm."""
        return {
            door: WIRE_KINDS[kinds[0]] for door, kinds in self._raised.items() if kinds
        }

    def opened(self, door: str, forced: bool) -> None:
        """A door was seen to open; `forced` if no unlock of ours explains it."""
        self._open.add(door)
        self._raised[door] = []
        if forced:
            log.warning("door %s opened without an unlock", door)
            self._raise(door, FORCED_OPEN)
        self._watch(door)

    def found_open(self, door: str) -> None:
        """A door is open at first sight (at start, or when its board answers).

        Nobody saw it open, so it is no forced opening; but it may be left
        open. An opening the journal knows from before a restart keeps the
        alarms it raised, and is not raised again.
        """
        self._open.add(door)
        self._raised[door] = self._journal.kinds_since(
            door, (FORCED_OPEN, LEFT_OPEN), after=_OPENING_ENDS
        )
        if LEFT_OPEN not in self._raised[door]:
            self._watch(door)

    def claim_left_open(self, door: str | None) -> bool:
        """The delivery workflow would raise its own left-open alarm for `door`.

        Returns whether it should: not when this opening has one already.
        """
        if door is None or door not in self._open:
            return True  # no opening seen, perhaps no sensor: nothing to double
        if LEFT_OPEN in self._raised[door]:
            return False
        self._unwatch(door)
        self._raised[door].append(LEFT_OPEN)
        return True

    def closed(self, door: str) -> None:
        """A door was seen shut; an alarm it had is over, and Konnect hears so."""
        if door not in self._open:
            return
        self._open.discard(door)
        self._unwatch(door)
        if self._raised.pop(door, []):
            log.info("door %s in alarm has shut", door)
            self._record(door, CLEARED)

    def stop(self) -> None:
        """Forget the running watches; the journal keeps what was raised."""
        for handle in self._watches.values():
            handle.cancel()
        self._watches.clear()

    def _watch(self, door: str) -> None:
        self._unwatch(door)
        loop = asyncio.get_running_loop()
        self._watches[door] = loop.call_later(self._limit, self._overdue, door)

    def _unwatch(self, door: str) -> None:
        handle = self._watches.pop(door, None)
        if handle is not None:
            handle.cancel()

    def _overdue(self, door: str) -> None:
        self._watches.pop(door, None)
        if door in self._open and LEFT_OPEN not in self._raised[door]:
            log.warning("door %s left open past %.0f s", door, self._limit)
            self._raise(door, LEFT_OPEN)

    def _raise(self, door: str, kind: str) -> None:
        self._raised[door].append(kind)
        self._record(door, kind)

    def _record(self, door: str, kind: str) -> None:
        self._journal.record(kind, door=door, report=True)
        self._wake()
