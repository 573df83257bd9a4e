"""The terminal at run time: carries out what the workflows ask, feeds them events.

The `Terminal` owns the journal, the Konnect client, the doors and the outbox. It
turns workflow commands into I/O (a code check, an unlock, a journal write, a
timer) and I/O outcomes and door observations back into workflow events. The UI
only subscribes to views and hands in key presses.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Coroutine
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from drivers.base import (
    ChannelState,
    DeviceError,
    DoorSensor,
    Health,
    ItemSensor,
    Keypad,
    Scanner,
)
from drivers.wedge import KeyboardWedgeScanner
from kiosk import alarms
from kiosk.journal import Journal
from kiosk.konnect import KonnectRejected, KonnectUnavailable, TerminalClient, wire
from kiosk.konnect.client import CodeRefused
from kiosk.offline import CodeCache
from kiosk.outbox import Outbox
from kiosk.scan import ScanResult, interpret
from kiosk.sync import SYNC_SECONDS, LocationSync
from kiosk.workflows import messages as m
from kiosk.workflows import views
from kiosk.workflows.delivery import NOT_GUESSES, Delivery, Limits, Stage
from kiosk.workflows.doors import choose_delivery_door, size_of

log = logging.getLogger("kiosk.runtime")

DoorChange = Callable[[str, ChannelState, ChannelState], None]

# What the keys of a plain keypad mean here.
_KEYPAD_NAMES = {"#": "enter", "*": "backspace"}

# A scan longer than this is kept cut short in the journal.
MAX_SCAN_KEPT = 256

# Scans of at most this many digits may be access codes, and are not journaled.
MAX_CODE_LENGTH = 16

# A door that opens this long after our unlock was opened by that unlock.
UNLOCK_GRACE_SECONDS = 30.0


class DoorBank(Protocol):
    """What the terminal needs of the lock hardware, by door identifier."""

    states: dict[str, ChannelState]
    """The last observed state of every door."""

    @property
    def out_of_service(self) -> frozenset[str]:
        """Doors whose board did not answer at the last read."""

    async def open(self) -> None:
        """Open every bus; a dead bus must not stop the others."""

    async def close(self) -> None:
        """Close every bus."""

    async def unlock_and_confirm(
        self, door: str, timeout: float = 2.0, poll: float = 0.1
    ) -> bool:
        """Pulse a door's lock and report whether it read back unlocked."""

    async def watch(self, on_change: DoorChange, interval: float = 0.25) -> None:
        """Poll the doors forever, calling back on every observed change."""

    async def read_all(self) -> dict[str, ChannelState]:
        """Read every door once."""

    def health(self) -> dict[str, Health]:
        """Health per bus."""


ViewListener = Callable[[object], None]


class Terminal:
    """One locker access terminal: its workflow, its doors, its records."""

    def __init__(
        self,
        *,
        location: str,
        journal: Journal,
        client: TerminalClient,
        bank: DoorBank,
        codes: CodeCache,
        scanner: Scanner | None = None,
        keypad: Keypad | None = None,
        limits: Limits | None = None,
        door_poll_seconds: float = 0.25,
        unlock_confirm_seconds: float = 2.0,
        sync_seconds: float = SYNC_SECONDS,
        keep_days: float = 90.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """Wire the parts together; `start` sets them going."""
        self.location = location
        self.journal = journal
        self.client = client
        self.bank = bank
        self.scanner = scanner
        self.wedge = scanner if isinstance(scanner, KeyboardWedgeScanner) else None
        """A scanner that types into the terminal: every key goes through it."""
        self.keypad = keypad
        self.codes = codes
        self.outbox = Outbox(journal, client)
        self.sync = LocationSync(
            client,
            journal,
            codes,
            self.outbox,
            self.health,
            sync_seconds=sync_seconds,
            keep_days=keep_days,
            clock=clock,
        )
        self._clock = clock
        self._poll = door_poll_seconds
        self._confirm = unlock_confirm_seconds
        self.delivery = Delivery(self._choose_door, clock, limits)
        self.alarms = alarms.DoorAlarms(
            journal, self.outbox.wake, self.delivery.limits.open_alarm_seconds
        )
        self.view: object = views.HomeView()
        self._listeners: list[ViewListener] = []
        self._timers: dict[str, asyncio.TimerHandle] = {}
        self._tasks: set[asyncio.Task[Any]] = set()
        self._unlocked_at: dict[str, float] = {}
        self._interrupted: dict[str, tuple[m.GoodsIn, bool]] = {}
        self._seen: dict[str, DoorSensor] = {}

    # Life cycle.

    async def start(self) -> None:
        """Open the hardware, settle what a crash left, and start the tasks.

        The `terminal_started` event is journaled once the terminal takes keys
        and scans.
        """
        await self.bank.open()
        for door, state in (await self.bank.read_all()).items():
            if state.door is not DoorSensor.UNKNOWN:
                # What the doors show at start is what later changes are from:
                # a door shut or forced after this is a physical action.
                self._seen[door] = state.door
                if state.door is DoorSensor.OPEN:
                    self.alarms.found_open(door)
        self._recover()
        self._restore_failures()
        if not self.sync.doors:
            # Nothing cached: a first delivery needs the doors, so wait briefly.
            await self.sync.sync_doors()
        if self.scanner is not None:
            self._spawn(self._start_device(self.scanner, self._scanned), "scanner")
        if self.keypad is not None:
            self._spawn(self._start_device(self.keypad, self.key_pressed), "keypad")
        self._spawn(self.bank.watch(self._door_changed, self._poll), "door watch")
        self._spawn(self.outbox.run(), "outbox")
        self._spawn(self.sync.run(), "sync")
        self.journal.record("terminal_started")

    async def stop(self) -> None:
        """Stop every task and close the hardware; the journal stays open."""
        self.journal.record("terminal_stopped", door=self.delivery.door)
        for handle in self._timers.values():
            handle.cancel()
        self._timers.clear()
        self.alarms.stop()
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        for device in (self.scanner, self.keypad):
            if device is not None:
                await device.stop()
        await self.bank.close()
        await self.client.aclose()

    def subscribe(self, listener: ViewListener) -> None:
        """Call `listener` with every new view."""
        self._listeners.append(listener)

    # Events in, commands out.

    def dispatch(self, event: m.Event) -> None:
        """Hand an event to the workflow and carry out what it asks, in order."""
        for command in self.delivery.handle(event):
            self._execute(command)

    def _execute(self, command: m.Command) -> None:
        match command:
            case m.Show(view):
                self.view = view
                for listener in self._listeners:
                    try:
                        listener(view)
                    except Exception:
                        # A screen that fails to draw must not stop a door opening.
                        log.exception("showing %r failed", view)
            case m.Record(kind, door, payload, report):
                if kind == alarms.LEFT_OPEN and not self.alarms.claim_left_open(door):
                    return  # the door watch raised it for this opening already
                self.journal.record(kind, door=door, payload=payload, report=report)
                if kind == "delivery" and door is not None:
                    self.sync.mark_occupied(door)
                if report:
                    self.outbox.wake()
            case m.VerifyCode(code):
                self._spawn(self._verify(code), "code check")
            case m.UnlockDoor(door):
                self._spawn(self._unlock(door), f"unlock {door}")
            case m.StartTimer(name, seconds):
                self._cancel_timer(name)
                loop = asyncio.get_running_loop()
                self._timers[name] = loop.call_later(seconds, self._timer_fired, name)
            case m.CancelTimer(name):
                self._cancel_timer(name)

    def _timer_fired(self, name: str) -> None:
        self._timers.pop(name, None)
        self.dispatch(m.TimerFired(name))

    def _cancel_timer(self, name: str) -> None:
        handle = self._timers.pop(name, None)
        if handle is not None:
            handle.cancel()

    # I/O the workflow asked for.

    async def _verify(self, code: str) -> None:
        try:
            answer = await self.client.verify_code(code)
        except KonnectUnavailable as error:
            # Offline: the cache of the location's live codes decides.
            log.warning("code check with Konnect failed: %s", error)
            verdict = self.codes.check(code)
            if isinstance(verdict, m.CodeAccepted):
                self.journal.record(
                    "code_accepted_offline",
                    payload={"goodsInId": verdict.goods_in.goods_in_id},
                )
            self.dispatch(verdict)
            return
        except KonnectRejected as error:
            log.error("code check refused: %s", error)
            self.dispatch(m.CodeRefused(error.code))
            return
        if isinstance(answer, CodeRefused):
            self.dispatch(m.CodeRefused(answer.reason))
            return
        if self.journal.delivered(answer.goods_in_id):
            # Delivered here already, perhaps offline and not yet reported:
            # Konnect cannot know yet, the journal does.
            log.warning("code of goods-in %s was used here already", answer.goods_in_id)
            self.dispatch(m.CodeRefused(wire.CODE_USED))
            return
        goods_in = m.GoodsIn(
            answer.goods_in_id, answer.tracking_number, answer.sku_identifier
        )
        self.dispatch(m.CodeAccepted(goods_in))

    async def _unlock(self, door: str) -> None:
        self._unlocked_at[door] = self._clock()
        try:
            confirmed = await self.bank.unlock_and_confirm(door, self._confirm)
        except Exception:
            # The frame never went out, whatever the reason: the door is shut.
            log.exception("unlocking door %s failed", door)
            self.dispatch(m.DoorUnlocked(door, confirmed=False))
            return
        state = self.bank.states.get(door)
        # The pulse went out, but nothing said whether the door moved.
        unsure = not confirmed and (state is None or state.door is DoorSensor.UNKNOWN)
        self.dispatch(m.DoorUnlocked(door, confirmed, unsure))

    def finish(self) -> None:
        """The courier pressed Finish: tell the workflow what the sensors say."""
        door = self.delivery.door
        state = self.bank.states.get(door) if door is not None else None
        if state is None or state.door is DoorSensor.UNKNOWN:
            self.dispatch(m.Finish(closed=None))
            return
        empty = {ItemSensor.ABSENT: True, ItemSensor.PRESENT: False}.get(state.item)
        self.dispatch(m.Finish(closed=state.door is DoorSensor.CLOSED, empty=empty))

    async def _start_device(
        self, device: Scanner | Keypad, callback: Callable[[Any], None]
    ) -> None:
        """Open a scanner or keypad, and keep trying while it is missing.

        A device that is unplugged or not yet there must not stop the terminal:
        the other ways in still work.
        """
        delay = 1.0
        while True:
            try:
                await device.start(callback)
            except DeviceError as error:
                if delay == 1.0:
                    log.error("%s unavailable, retrying: %s", _name(device), error)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 60.0)
                continue
            if delay > 1.0:
                log.info("%s available again", _name(device))
            return

    def key_pressed(self, key: str) -> None:
        """A key from a keypad device: `#` is Enter and `*` deletes a digit."""
        key = _KEYPAD_NAMES.get(key, key)
        if self.delivery.stage is Stage.HOME:
            # A keypad has no Deliver button: the first key starts a delivery.
            self.dispatch(m.StartDelivery())
            if key in ("enter", "backspace"):
                return
        self.dispatch(m.Key(key))

    def _scanned(self, raw: bytes) -> None:
        result = interpret(raw)
        code_like = result.text.isdigit() and len(result.text) <= MAX_CODE_LENGTH
        payload: dict[str, object] = {
            "length": len(raw),
            "status": result.status.value,
            "carrier": result.carrier.value if result.carrier else None,
        }
        if code_like:
            # A printed access code is a secret: the journal keeps no trace of it.
            payload["redacted"] = True
        else:
            # What the scanner sent is evidence, within reason.
            payload["raw"] = raw[:MAX_SCAN_KEPT].hex()
            payload["trackingNumber"] = result.tracking_number
        self.journal.record("scan", payload=payload)
        inner = raw.strip(b"\r\n\t\x02\x03 ")
        if any(byte < 0x20 or byte == 0x7F for byte in inner) and not (result.gs1):
            # Control bytes inside a read: never glue the pieces into a code.
            self.dispatch(m.Scanned(inner.decode("utf-8", errors="replace")))
            return
        if code_like and self._package_not_code(result):
            # Digits alone are a pre-advised package's number or a carrier's
            # label (DHL 10, FedEx 12 or 15) as often as an access code: such a
            # scan delivers by its package and never counts as a wrong code.
            self._spawn(self._find_package(result), "package look-up")
        elif result.near_miss and not code_like:
            # A label that almost reads: ask for a rescan rather than guess.
            self.dispatch(m.PackageNotFound("near_miss"))
        elif code_like or result.tracking_number is None:
            self.dispatch(m.Scanned(result.text))
        elif self.delivery.stage in (Stage.HOME, Stage.ENTERING):
            self._spawn(self._find_package(result), "package look-up")

    def _package_not_code(self, result: ScanResult) -> bool:
        """Whether an all-digit scan goes by the package rather than as a code.

        It does when it matches a pre-advised package, or when it is carrier
        data (a label, or a misread of an expected one) and no access code
        this terminal holds.
        """
        if self.delivery.stage not in (Stage.HOME, Stage.ENTERING):
            return False
        verdict = self.codes.find_package(result)
        if isinstance(verdict, m.PackageFound):
            return True
        carrier_data = result.carrier is not None or verdict == m.PackageNotFound(
            "near_miss"
        )
        known_code = isinstance(self.codes.check(result.text), m.CodeAccepted)
        return carrier_data and not known_code

    async def _find_package(self, result: ScanResult) -> None:
        """Deliver by the package's own label: match it to a live goods-in."""
        verdict = self.codes.find_package(result)
        unknown = isinstance(verdict, m.PackageNotFound) and (
            verdict.reason == "unknown_package"
        )
        # It may have been pre-advised since the last sync: ask once more.
        if unknown and await self.sync.sync_work():
            verdict = self.codes.find_package(result)
        self.dispatch(verdict)

    # Sessions a crash or a power cut interrupted.

    def _recover(self) -> None:
        for event, opened in self.journal.unfinished_sessions():
            assert event.door is not None
            goods_in = m.GoodsIn(
                str(event.payload.get("goodsInId", "")),
                str(event.payload.get("trackingNumber", "")),
            )
            self._interrupted[event.door] = (goods_in, opened)
            log.warning("door %s: a delivery was interrupted; resolving", event.door)
        for door in list(self._interrupted):
            self._resolve(door)

    def _restore_failures(self) -> None:
        """Wrong codes survive a restart: restarting is no way round a lockout."""
        memory = timedelta(seconds=self.delivery.limits.failure_memory_seconds)
        since = (datetime.now(UTC) - memory).isoformat(timespec="milliseconds")
        deliveries = self.journal.events("delivery")
        if deliveries:
            # A delivery made since clears the slate, as it does while running.
            since = max(since, deliveries[-1].occurred_at)
        recent = [
            e
            for e in self.journal.events("code_refused")
            if e.occurred_at >= since and e.payload.get("reason") not in NOT_GUESSES
        ]
        if recent:
            last = datetime.fromisoformat(recent[-1].occurred_at)
            age = (datetime.now(UTC) - last).total_seconds()
            self.delivery.restore_failures(len(recent), age)

    def _resolve(self, door: str) -> None:
        """Settle an interrupted session by what the door shows now."""
        state = self.bank.states.get(door)
        if state is None or state.door is DoorSensor.UNKNOWN:
            return  # its board is silent: settle it when it answers
        goods_in, opened = self._interrupted.pop(door)
        package = {
            "goodsInId": goods_in.goods_in_id,
            "trackingNumber": goods_in.tracking_number,
            "recovered": True,
        }
        if state.door is DoorSensor.OPEN:
            if self.delivery.stage is Stage.HOME:
                self.dispatch(m.ResumeDelivery(goods_in, door))
            else:
                self._interrupted[door] = (goods_in, True)
        elif state.item is ItemSensor.ABSENT:
            self.journal.record("delivery_abandoned", door=door, payload=package)
        elif opened or state.item is ItemSensor.PRESENT:
            # Closed while we were down, after it had opened or with the
            # package seen inside: the courier finished. Konnect must hear of it.
            self._execute(m.Record("delivery", door=door, payload=package, report=True))
        else:
            # No sign the door ever opened: do not guess; a technician looks.
            self.journal.record("door_session_unresolved", door=door, payload=package)

    def _door_changed(self, door: str, old: ChannelState, new: ChannelState) -> None:
        if new.door is DoorSensor.UNKNOWN:
            return  # a board that went quiet says nothing about its doors
        # Compared with the last state actually seen: a door that shut while its
        # board was silent is still a close.
        before = self._seen.get(door)
        self._seen[door] = new.door
        if new.door is DoorSensor.CLOSED:
            self.alarms.closed(door)
        elif before is None:
            self.alarms.found_open(door)
        if door in self._interrupted:
            if new.door is DoorSensor.CLOSED and before is DoorSensor.OPEN:
                # It was open when we came back, and now it has shut.
                self._interrupted[door] = (self._interrupted[door][0], True)
            self._resolve(door)
            return
        if before is None or before is new.door:
            return  # first sight of the door: not a physical action
        if new.door is DoorSensor.OPEN:
            self.journal.record("door_opened", door=door)
            unlocked_at = self._unlocked_at.get(door)
            self.alarms.opened(
                door,
                forced=unlocked_at is None
                or self._clock() - unlocked_at > UNLOCK_GRACE_SECONDS,
            )
            self.dispatch(m.DoorOpened(door))
        else:
            self._unlocked_at.pop(door, None)
            empty = {ItemSensor.ABSENT: True, ItemSensor.PRESENT: False}.get(new.item)
            self.journal.record("door_closed", door=door, payload={"empty": empty})
            self.dispatch(m.DoorClosed(door, empty))

    # What the terminal knows about its doors.

    def health(self) -> wire.TerminalStatus:
        """How the terminal is, as its heartbeat tells Konnect."""
        counts = self.journal.outbox_counts()
        return wire.TerminalStatus(
            online=self.client.session.reachable,
            waiting=counts["pending"],
            dead=counts["dead"],
            out_of_service=sorted(self.bank.out_of_service),
            credentials_refused=self.client.session.credentials_refused,
            alarms=self.alarms.active,
        )

    def status(self) -> dict[str, object]:
        """What the home screen shows: the health, under Konnect's field names."""
        return self.health().model_dump(by_alias=True)

    def _choose_door(
        self, goods_in: m.GoodsIn, avoid: frozenset[str], too_small: str | None
    ) -> str | None:
        larger_than = None if too_small is None else size_of(self.sync.doors, too_small)
        return choose_delivery_door(self.sync.doors, self._usable, avoid, larger_than)

    def _usable(self, door: str) -> bool:
        state = self.bank.states.get(door)
        if state is None or door in self.bank.out_of_service:
            return False
        # A door with no sensor (a plain relay) reads unknown on a board that
        # answers; one that reads open, or holds something, is not free,
        # whatever Konnect last said of it.
        return (
            state.door is not DoorSensor.OPEN and state.item is not ItemSensor.PRESENT
        )

    def _spawn(self, coroutine: Coroutine[Any, Any, Any], name: str) -> None:
        task = asyncio.get_running_loop().create_task(coroutine, name=name)
        self._tasks.add(task)
        task.add_done_callback(self._task_done)

    def _task_done(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error(
                "background task %s failed", task.get_name(), exc_info=task.exception()
            )


def _name(device: object) -> str:
    port = getattr(device, "port", "")
    return f"{type(device).__name__} on {port}" if port else type(device).__name__
