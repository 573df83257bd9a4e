"""Keyboard-wedge scanners: telling a scan from a person typing, by speed.

A wedge scanner types its read as keystrokes, a few milliseconds apart, often
ending with Enter or Tab. A person types tens to hundreds of milliseconds
apart. Every key goes through one decoder: a run of at least `min_length`
characters whose every gap is within `max_gap` is a scan; anything else is
typing, handed back unchanged and in order. Keys are held until the run ends
(a slow gap, an end key, or `settle` seconds of quiet), so a person's key
reaches the screen at most `settle` late.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from drivers.base import Health, ScanCallback, Scanner


@dataclass(frozen=True)
class Scan:
    """A read: the characters typed, end key not included."""

    data: str


@dataclass(frozen=True)
class Typed:
    """Keys a person typed, in order."""

    keys: tuple[str, ...]


Event = Scan | Typed


class WedgeDecoder:
    """Sorts timed keystrokes into scans and typing.

    Args:
        max_gap: Longest gap between a scanner's keystrokes, in seconds.
        min_length: Fewest characters a scan has.
        end_keys: Keys that end a scan (and are dropped from it).
        settle: Quiet time after which a pending run is decided.
    """

    def __init__(
        self,
        *,
        max_gap: float = 0.05,
        min_length: int = 4,
        end_keys: Iterable[str] = ("enter", "tab"),
        settle: float = 0.1,
    ) -> None:
        self.max_gap = max_gap
        self.min_length = min_length
        self.end_keys = frozenset(end_keys)
        self.settle = settle
        self._run: list[str] = []
        self._last = 0.0

    @property
    def pending(self) -> bool:
        """Whether keys wait for a decision."""
        return bool(self._run)

    def _decide(self, end_key: str | None) -> list[Event]:
        run, self._run = self._run, []
        if len(run) >= self.min_length and all(len(key) == 1 for key in run):
            return [Scan("".join(run))]
        keys = tuple(run) + ((end_key,) if end_key else ())
        return [Typed(keys)] if keys else []

    def key(self, key: str, at: float) -> list[Event]:
        """Take one keystroke at time `at` (seconds, monotonic)."""
        events: list[Event] = []
        if self._run and at - self._last > self.max_gap:
            events += self._decide(None)
        self._last = at
        if key in self.end_keys:
            events += self._decide(key) if self._run else [Typed((key,))]
            return events
        self._run.append(key)
        return events

    def idle(self, at: float) -> list[Event]:
        """Decide the pending run if the keyboard has been quiet long enough."""
        if self._run and at - self._last >= self.settle:
            return self._decide(None)
        return []


class KeyboardWedgeScanner(Scanner):
    """A wedge scanner behind the `Scanner` interface.

    The app sends every key press here with `key`; scans go to the scan
    callback and typing to `on_typed`, so the app never reads a scan from a
    focused text field.

    Args:
        on_typed: Gets the keys that were typing, in order.
        decoder: The timing rules; defaults apply if None.
        clock: Monotonic seconds; the event loop's clock if None.
    """

    def __init__(
        self,
        on_typed: Callable[[tuple[str, ...]], None],
        *,
        decoder: WedgeDecoder | None = None,
        clock: Callable[[], float] | None = None,
    ) -> None:
        self.on_typed = on_typed
        self.decoder = decoder or WedgeDecoder()
        self._clock = clock
        self._on_scan: ScanCallback | None = None
        self._timer: asyncio.TimerHandle | None = None

    def _now(self) -> float:
        return self._clock() if self._clock else asyncio.get_running_loop().time()

    async def start(self, on_scan: ScanCallback) -> None:
        """Start delivering scans to `on_scan`."""
        self._on_scan = on_scan

    async def stop(self) -> None:
        """Stop; pending keys are handed back as typing."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        self._emit(self.decoder.idle(float("inf")))
        self._on_scan = None

    def health(self) -> Health:
        """A wedge scanner is part of the keyboard: always ready once started."""
        ready = self._on_scan is not None
        return Health(ready, "keyboard wedge" + ("" if ready else " not started"))

    def key(self, key: str) -> None:
        """Take one key press from the app (call from the event loop)."""
        self._emit(self.decoder.key(key, self._now()))
        if self._timer is not None:
            self._timer.cancel()
        if self.decoder.pending:
            loop = asyncio.get_running_loop()
            self._timer = loop.call_later(self.decoder.settle, self._settle)

    def _settle(self) -> None:
        self._timer = None
        self._emit(self.decoder.idle(self._now()))
        if self.decoder.pending:
            # The timer fired a hair early by the decoder's clock; look again.
            loop = asyncio.get_running_loop()
            self._timer = loop.call_later(self.decoder.settle / 10, self._settle)

    def _emit(self, events: list[Event]) -> None:
        for event in events:
            if isinstance(event, Scan):
                if self._on_scan is not None:
                    self._on_scan(event.data.encode("utf-8"))
            else:
                self.on_typed(event.keys)
