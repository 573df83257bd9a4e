"""The events workflows take and the commands they give."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# Events: things that happened.


@dataclass(frozen=True)
class StartDelivery:
    """The courier chose Deliver."""


@dataclass(frozen=True)
class Key:
    """A key from the keypad or keyboard: a digit, `enter`, `backspace`, `cancel`."""

    key: str


@dataclass(frozen=True)
class Scanned:
    """The scanner read a barcode; `text` is what it read, framing removed."""

    text: str


@dataclass(frozen=True)
class OtherDoor:
    """The package does not fit the open door: the courier asks for a larger one."""


@dataclass(frozen=True)
class DidNotOpen:
    """The courier says the door that nothing could confirm did not open."""


@dataclass(frozen=True)
class GoodsIn:
    """What a valid goods-in code stands for."""

    goods_in_id: str
    tracking_number: str
    sku_identifier: str | None = None


@dataclass(frozen=True)
class ResumeDelivery:
    """After a restart, a delivery's door is still open: carry on waiting."""

    goods_in: GoodsIn
    door: str


@dataclass(frozen=True)
class PackageFound:
    """A scanned label is a package pre-advised for this location."""

    goods_in: GoodsIn


@dataclass(frozen=True)
class PackageNotFound:
    """A scanned label matched no live goods-in; `reason` says how."""

    reason: str


@dataclass(frozen=True)
class CodeAccepted:
    """Konnect (or the offline cache) accepted the code."""

    goods_in: GoodsIn


@dataclass(frozen=True)
class CodeRefused:
    """The code cannot be used; `reason` is Konnect's error code."""

    reason: str


@dataclass(frozen=True)
class KonnectUnreachable:
    """The code could not be checked: Konnect did not answer."""


@dataclass(frozen=True)
class DoorUnlocked:
    """The outcome of an unlock: `confirmed` when the door read back unlocked.

    `unsure` when the unlock went out but nothing could be read back (a relay
    with no door sensor, or a board that fell silent): the door may be open.
    """

    door: str
    confirmed: bool
    unsure: bool = False


@dataclass(frozen=True)
class DoorOpened:
    """A door sensor reported open."""

    door: str


@dataclass(frozen=True)
class DoorClosed:
    """A door sensor reported closed; `empty` if its item sensor saw nothing."""

    door: str
    empty: bool | None = None


@dataclass(frozen=True)
class Finish:
    """The courier says the package is in and the door shut.

    The door's sensors as last read: `closed` None (and `empty` None) where the
    door has no sensor to say.
    """

    closed: bool | None
    empty: bool | None = None


@dataclass(frozen=True)
class Reopen:
    """The courier asks for the door that closed empty to open again."""


@dataclass(frozen=True)
class TimerFired:
    """A timer the workflow started has run out."""

    name: str


Event = (
    StartDelivery
    | Key
    | Scanned
    | OtherDoor
    | DidNotOpen
    | ResumeDelivery
    | PackageFound
    | PackageNotFound
    | CodeAccepted
    | CodeRefused
    | KonnectUnreachable
    | DoorUnlocked
    | DoorOpened
    | DoorClosed
    | Finish
    | Reopen
    | TimerFired
)

# Commands: what the workflow wants done, in order.


@dataclass(frozen=True)
class VerifyCode:
    """Check an access code with Konnect."""

    code: str


@dataclass(frozen=True)
class UnlockDoor:
    """Pulse a door's lock and report `DoorUnlocked`."""

    door: str


@dataclass(frozen=True)
class Record:
    """Write an event to the journal; with `report`, queue it for Konnect."""

    kind: str
    door: str | None = None
    payload: dict[str, Any] = field(default_factory=dict)
    report: bool = False


@dataclass(frozen=True)
class StartTimer:
    """Fire `TimerFired(name)` after `seconds`, replacing a timer of that name."""

    name: str
    seconds: float


@dataclass(frozen=True)
class CancelTimer:
    """Forget a timer."""

    name: str


@dataclass(frozen=True)
class Show:
    """Put a view on the screen."""

    view: object


Command = VerifyCode | UnlockDoor | Record | StartTimer | CancelTimer | Show
