"""A courier's delivery: code, door, package in, door closed.

The machine is fed events and answers with commands; it keeps no clock of its
own beyond the one it is given, and does no I/O.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Callable
from dataclasses import dataclass

from kiosk.workflows import messages as m
from kiosk.workflows import views

DoorChooser = Callable[[m.GoodsIn, frozenset[str], str | None], str | None]
"""Picks a free delivery door for a package, avoiding the doors given and, when
a door is named, only larger than that door."""

INACTIVITY = "inactivity"
DONE = "done"
OPEN_ALARM = "open-alarm"
ERROR = "error"
LOCKOUT_TICK = "lockout-tick"

UNVERIFIABLE = "unverifiable_offline"
"""Why a code was refused that the terminal could not check while offline."""

_REFUSALS = {
    "unknown_code": "That code is not valid. Check it and try again.",
    "code_expired": "That code has expired. Ask your depot for a new one.",
    "code_used": "That code has already been used.",
    UNVERIFIABLE: (
        "No connection: this terminal does not know that code. Try again later."
    ),
}


NOT_GUESSES = frozenset({"code_expired", "code_used"})
"""Refusals of codes that were once good: they do not count toward a lockout."""


_PACKAGE_REFUSALS = {
    "near_miss": "The label did not read cleanly. Please scan it again.",
    "code_used": "That package has already been delivered.",
    "code_expired": "The delivery of that package has expired.",
    "unknown": "That package is not expected here. Type the access code instead.",
}


class Stage(enum.Enum):
    """Where the delivery is."""

    HOME = "home"
    ENTERING = "entering"
    VERIFYING = "verifying"
    UNLOCKING = "unlocking"
    DOOR_OPEN = "door-open"
    CLOSED_EMPTY = "closed-empty"
    DONE = "done"
    ERROR = "error"


LOCKOUT_TICK = "lockout-tick"


_SCANNING = (Stage.HOME, Stage.ENTERING)
"""Where a scanned package label starts a delivery."""


@dataclass(frozen=True)
class Limits:
    """Timings and limits the delivery keeps."""

    code_min_length: int = 4
    code_max_length: int = 12
    max_failed_codes: int = 5
    lockout_seconds: float = 60.0
    failure_memory_seconds: float = 900.0
    inactivity_seconds: float = 45.0
    done_seconds: float = 8.0
    error_seconds: float = 10.0
    open_alarm_seconds: float = 120.0


class Delivery:
    """The delivery workflow of one terminal."""

    def __init__(
        self,
        choose_door: DoorChooser,
        clock: Callable[[], float],
        limits: Limits | None = None,
    ) -> None:
        """A workflow at rest on the home screen."""
        self._choose_door = choose_door
        self._clock = clock
        self.limits = limits or Limits()
        self.stage = Stage.HOME
        self._code = ""
        self._goods_in: m.GoodsIn | None = None
        self._door: str | None = None
        self._tried: set[str] = set()
        self._too_small: str | None = None
        self._left_open: tuple[str, ...] = ()
        """Doors given up as too small that have not been seen shut since."""
        self._unsure = False
        self._failures = 0
        self._last_failure = 0.0
        self._locked_until = 0.0

    @property
    def door(self) -> str | None:
        """The door this delivery is using, if any."""
        return self._door

    def handle(self, event: m.Event) -> list[m.Command]:
        """Take one event; return what must be done, in order."""
        match event:
            case m.StartDelivery() if self.stage in (Stage.HOME, Stage.DONE):
                return self._start()
            case m.Key(key) if self.stage is Stage.ENTERING:
                return self._key(key)
            case m.Key(key) if self.stage in (Stage.DONE, Stage.ERROR):
                return self._home() if key in ("enter", "cancel") else []
            case m.ResumeDelivery(goods_in, door) if self.stage is Stage.HOME:
                self._goods_in, self._door = goods_in, door
                self._unsure = False
                self.stage = Stage.DOOR_OPEN
                return [
                    m.Show(views.DoorOpenView(door)),
                    m.StartTimer(OPEN_ALARM, self.limits.open_alarm_seconds),
                ]
            case m.PackageFound() | m.Scanned() if self._locked():
                # A lockout closes every way in, labels included.
                self.stage = Stage.ENTERING
                self._code = ""
                return [
                    self._entry(*self._lockout_notice()),
                    self._inactivity(),
                    *self._tick(),
                ]
            case m.Scanned(text) if self.stage in (Stage.HOME, Stage.ENTERING):
                return self._scanned(text)
            case m.PackageFound(goods_in) if self.stage in _SCANNING:
                self._goods_in = goods_in
                self._tried = set()
                self._too_small, self._left_open = None, ()
                return [m.CancelTimer(INACTIVITY), *self._unlock_next()]
            case m.PackageNotFound(reason) if self.stage in _SCANNING:
                self.stage = Stage.ENTERING
                message = _PACKAGE_REFUSALS.get(reason, _PACKAGE_REFUSALS["unknown"])
                return [self._entry(message, True), self._inactivity()]
            case m.CodeAccepted(goods_in) if self.stage is Stage.VERIFYING:
                self._goods_in = goods_in
                self._tried = set()
                self._too_small, self._left_open = None, ()
                return self._unlock_next()
            case m.CodeRefused(reason) if self.stage is Stage.VERIFYING:
                return self._refused(reason)
            case m.KonnectUnreachable() if self.stage is Stage.VERIFYING:
                # Offline, and the cache does not know the code: it may be newer
                # than the last sync, or a guess. It counts as a failed attempt
                # all the same, or the lockout could be got round offline.
                return self._refused(UNVERIFIABLE)
            case m.DoorUnlocked(door, confirmed, unsure) if (
                self.stage is Stage.UNLOCKING and door == self._door
            ):
                return self._unlocked(door, confirmed, unsure)
            case m.OtherDoor() if self.stage is Stage.DOOR_OPEN:
                return self._other_door()
            case m.DidNotOpen() if self.stage is Stage.DOOR_OPEN and self._unsure:
                return self._did_not_open()
            case m.DoorClosed(door, empty) if (
                self.stage is Stage.DOOR_OPEN and door == self._door
            ):
                return self._closed_empty(door) if empty else self._closed(door)
            case m.DoorClosed(door) if door in self._left_open:
                self._left_open = tuple(d for d in self._left_open if d != door)
                if self.stage is Stage.DOOR_OPEN:
                    return [m.Show(self._door_open_view())]
                return []
            case m.Finish(closed, empty) if self.stage is Stage.DOOR_OPEN:
                return self._finish(closed, empty)
            case m.Reopen() if self.stage is Stage.CLOSED_EMPTY:
                assert self._door is not None
                return [m.CancelTimer(INACTIVITY), *self._unlock(self._door)]
            case m.Key(key) if self.stage is Stage.CLOSED_EMPTY:
                return self._abandon() if key in ("enter", "cancel") else []
            case m.TimerFired(name):
                return self._timer(name)
        return []

    def _start(self) -> list[m.Command]:
        self.stage = Stage.ENTERING
        self._code = ""
        self._goods_in = None
        self._door = None
        wait = self._locked_until - self._clock()
        if wait > 0:
            notice = f"Too many wrong codes. Try again in {math.ceil(wait)} s."
            return [self._entry(notice, True), self._inactivity(), *self._tick()]
        return [self._entry(), self._inactivity()]

    def _key(self, key: str) -> list[m.Command]:
        if key == "cancel":
            return self._home()
        if self._locked_until > self._clock():
            # Keys typed during a lockout are not kept for later.
            self._code = ""
            return [
                self._entry(*self._lockout_notice()),
                self._inactivity(),
                *self._tick(),
            ]
        if key == "backspace":
            self._code = self._code[:-1]
        elif key == "enter":
            return self._submit()
        elif key.isdigit() and len(key) == 1:
            if len(self._code) < self.limits.code_max_length:
                self._code += key
        else:
            return []
        return [self._entry(), self._inactivity()]

    def _scanned(self, text: str) -> list[m.Command]:
        # A printed access code is as good as a typed one.
        code = text.strip()
        limits = self.limits
        if (
            code.isdigit()
            and limits.code_min_length <= len(code) <= limits.code_max_length
        ):
            self.stage = Stage.ENTERING
            self._code = code
            return self._submit()
        self.stage = Stage.ENTERING
        return [
            self._entry("That barcode is not an access code. Type the code.", True),
            self._inactivity(),
        ]

    def _submit(self) -> list[m.Command]:
        wait = self._locked_until - self._clock()
        if wait > 0:
            seconds = math.ceil(wait)
            return [
                self._entry(f"Too many wrong codes. Try again in {seconds} s.", True),
                self._inactivity(),
                *self._tick(),
            ]
        if len(self._code) < self.limits.code_min_length:
            return [
                self._entry("That code is too short. Type the whole code.", True),
                self._inactivity(),
            ]
        self.stage = Stage.VERIFYING
        code, self._code = self._code, ""
        return [
            m.CancelTimer(INACTIVITY),
            m.Show(views.WorkingView("Checking your code…")),
            m.VerifyCode(code),
        ]

    def _refused(self, reason: str) -> list[m.Command]:
        self.stage = Stage.ENTERING
        commands: list[m.Command] = [
            m.Record("code_refused", payload={"reason": reason})
        ]
        message = _REFUSALS.get(reason, "That code cannot be used here.")
        if reason in NOT_GUESSES:
            # A real code, only too old or spent: a courier retrying it is
            # told why, and the next courier is not locked out for it.
            return [*commands, self._entry(message, True), self._inactivity()]
        now = self._clock()
        if now - self._last_failure > self.limits.failure_memory_seconds:
            # Old mistakes are forgiven: one stranger cannot lock the bank for
            # hours by trying a few codes now and then.
            self._failures = 0
        self._last_failure = now
        self._failures += 1
        if self._failures >= self.limits.max_failed_codes:
            # Each further failure doubles the wait, so guessing gets nowhere.
            extra = self._failures - self.limits.max_failed_codes
            lockout = self.limits.lockout_seconds * 2 ** min(extra, 6)
            self._locked_until = self._clock() + lockout
            message += f" Too many wrong codes: wait {int(lockout)} s."
            commands.append(m.Record("code_lockout", payload={"seconds": lockout}))
        return [
            *commands,
            self._entry(message, True),
            self._inactivity(),
            *self._tick(),
        ]

    def _unlock_next(self) -> list[m.Command]:
        assert self._goods_in is not None
        door = self._choose_door(
            self._goods_in, frozenset(self._tried), self._too_small
        )
        if door is None:
            return [
                m.Record(
                    "delivery_refused",
                    payload={
                        "reason": "no_free_door",
                        "trackingNumber": self._goods_in.tracking_number,
                    },
                ),
                *self._error(
                    "Sorry, no free door can be opened for this delivery right"
                    " now. Please contact your depot."
                ),
            ]
        return self._unlock(door)

    def _unlock(self, door: str) -> list[m.Command]:
        self.stage = Stage.UNLOCKING
        self._door = door
        self._tried.add(door)
        return [
            m.Show(views.WorkingView(f"Opening door {door}…")),
            m.Record("door_unlock", door=door, payload=self._package()),
            m.UnlockDoor(door),
        ]

    def _other_door(self) -> list[m.Command]:
        assert self._door is not None and self._goods_in is not None
        current = self._door
        larger = self._choose_door(self._goods_in, frozenset(self._tried), current)
        if larger is None:
            # Nothing bigger is free: the courier keeps this door, and is told.
            note = "No larger door is free. Close this door if the package"
            note += " cannot go in, and keep it."
            return [m.Show(self._door_open_view(note=note))]
        self._too_small = current
        self._left_open = (*self._left_open, current)
        return [
            m.CancelTimer(OPEN_ALARM),
            m.Record("door_released", door=current, payload={"reason": "too_small"}),
            *self._unlock(larger),
        ]

    def _did_not_open(self) -> list[m.Command]:
        # Nothing showed the door open, and the courier says it stayed shut:
        # any other free door will do, of the size it was.
        assert self._door is not None
        return [
            m.CancelTimer(OPEN_ALARM),
            m.Record("door_fault", door=self._door, payload={"during": "delivery"}),
            *self._unlock_next(),
        ]

    def _closed_empty(self, door: str) -> list[m.Command]:
        # The item sensor saw nothing: do not report a delivery that did not
        # happen. The courier may reopen the door, or leave.
        self.stage = Stage.CLOSED_EMPTY
        return [
            m.CancelTimer(OPEN_ALARM),
            m.Record("door_closed_empty", door=door, payload=self._package()),
            m.Show(views.EmptyCloseView(door)),
            self._inactivity(),
        ]

    def _abandon(self) -> list[m.Command]:
        assert self._door is not None
        record = m.Record(
            "delivery_abandoned", door=self._door, payload=self._package()
        )
        return [record, *self._home()]

    def _unlocked(self, door: str, confirmed: bool, unsure: bool) -> list[m.Command]:
        if not confirmed and not unsure:
            # The door read back shut: try another rather than strand the courier.
            fault = m.Record("door_fault", door=door, payload={"during": "delivery"})
            return [fault, *self._unlock_next()]
        # Unsure, the door may well be open: unlocking another now could leave
        # two open. The courier sees which, and says so.
        self.stage = Stage.DOOR_OPEN
        self._unsure = unsure
        view = self._door_open_view()
        return [
            m.Record("door_unlocked", door=door, payload={"confirmed": confirmed}),
            m.Show(view),
            m.StartTimer(OPEN_ALARM, self.limits.open_alarm_seconds),
        ]

    def _door_open_view(
        self, alarm: bool = False, note: str = ""
    ) -> views.DoorOpenView:
        assert self._door is not None
        return views.DoorOpenView(
            self._door,
            alarm=alarm,
            also_close=self._left_open,
            note=note,
            unsure=self._unsure,
        )

    def _finish(self, closed: bool | None, empty: bool | None) -> list[m.Command]:
        assert self._door is not None
        if closed is False:
            note = "The door still reads open: push it firmly shut."
            return [m.Show(self._door_open_view(note=note))]
        if empty:
            return self._closed_empty(self._door)
        # Shut, or no sensor to say: the courier's word is what there is, and the
        # journal says whose word it was.
        return self._closed(self._door, by_courier=closed is None)

    def _closed(self, door: str, by_courier: bool = False) -> list[m.Command]:
        assert self._goods_in is not None
        self.stage = Stage.DONE
        self._failures = 0
        payload = self._package()
        if by_courier:
            payload["confirmedBy"] = "courier"
        return [
            m.CancelTimer(OPEN_ALARM),
            # Recorded (and queued for Konnect) before the screen confirms it.
            m.Record("delivery", door=door, payload=payload, report=True),
            m.Show(
                views.DoneView(
                    door, self._goods_in.tracking_number, also_close=self._left_open
                )
            ),
            m.StartTimer(DONE, self.limits.done_seconds),
        ]

    def _timer(self, name: str) -> list[m.Command]:
        if name == OPEN_ALARM and self.stage is Stage.DOOR_OPEN:
            assert self._door is not None
            return [
                m.Record("alarm_door_left_open", door=self._door, report=True),
                m.Show(self._door_open_view(alarm=True)),
            ]
        if name == INACTIVITY and self.stage is Stage.ENTERING:
            return self._home()
        if name == INACTIVITY and self.stage is Stage.CLOSED_EMPTY:
            return self._abandon()
        if name == LOCKOUT_TICK and self.stage is Stage.ENTERING:
            # The countdown on screen goes down, and clears when it is over.
            return [self._entry(*self._lockout_notice()), *self._tick()]
        if (name, self.stage) in ((DONE, Stage.DONE), (ERROR, Stage.ERROR)):
            return self._home()
        return []

    def _error(self, message: str) -> list[m.Command]:
        self.stage = Stage.ERROR
        return [
            m.Show(views.ErrorView(message)),
            m.StartTimer(ERROR, self.limits.error_seconds),
        ]

    def _home(self) -> list[m.Command]:
        self.stage = Stage.HOME
        self._code = ""
        self._goods_in = None
        self._door = None
        return [
            m.CancelTimer(INACTIVITY),
            m.CancelTimer(DONE),
            m.CancelTimer(ERROR),
            m.Show(views.HomeView()),
        ]

    def _entry(self, message: str = "", error: bool = False) -> m.Command:
        return m.Show(views.CodeEntryView(self._code, message, error))

    def _tick(self) -> list[m.Command]:
        if self._locked_until > self._clock():
            return [m.StartTimer(LOCKOUT_TICK, 1.0)]
        return []

    def restore_failures(self, failures: int, seconds_since_last: float) -> None:
        """Carry wrong codes over a restart, so a restart is no way round a lockout."""
        if seconds_since_last > self.limits.failure_memory_seconds:
            return
        self._failures = failures
        self._last_failure = self._clock() - seconds_since_last
        if failures >= self.limits.max_failed_codes:
            extra = failures - self.limits.max_failed_codes
            lockout = self.limits.lockout_seconds * 2 ** min(extra, 6)
            self._locked_until = self._last_failure + lockout

    def _locked(self) -> bool:
        return self.stage in _SCANNING and self._locked_until > self._clock()

    def _lockout_notice(self) -> tuple[str, bool]:
        wait = self._locked_until - self._clock()
        if wait <= 0:
            return "", False
        return f"Too many wrong codes. Try again in {math.ceil(wait)} s.", True

    def _inactivity(self) -> m.StartTimer:
        return m.StartTimer(INACTIVITY, self.limits.inactivity_seconds)

    def _package(self) -> dict[str, object]:
        assert self._goods_in is not None
        return {
            "goodsInId": self._goods_in.goods_in_id,
            "trackingNumber": self._goods_in.tracking_number,
        }
