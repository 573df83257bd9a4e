"""What the screen shows: plain data the UI renders, one class per screen."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class HomeView:
    """The start screen."""


@dataclass(frozen=True)
class CodeEntryView:
    """Typing the access code."""

    code: str
    message: str = ""
    error: bool = False


@dataclass(frozen=True)
class WorkingView:
    """Something is under way; the person waits."""

    message: str


@dataclass(frozen=True)
class DoorOpenView:
    """A door is open for the courier."""

    door: str
    alarm: bool = False
    also_close: tuple[str, ...] = ()
    """Doors the package did not fit, still open, to be shut as well."""
    note: str = ""
    """Something the courier should know, such as no larger door being free."""
    unsure: bool = False
    """Nothing confirms the door opened: the courier says so, or asks for another."""


@dataclass(frozen=True)
class EmptyCloseView:
    """A door closed with nothing seen inside."""

    door: str


@dataclass(frozen=True)
class DoneView:
    """The delivery is recorded."""

    door: str
    reference: str
    also_close: tuple[str, ...] = ()
    """Doors the package did not fit that are still open."""


@dataclass(frozen=True)
class ErrorView:
    """Something stopped the delivery; the screen says what to do."""

    message: str
