"""Device back-ends chosen by name, as the configuration names them.

Settings come from configuration as keyword arguments and go straight to the
back-end's constructor; an unknown name or setting is refused with a message
that lists what is known. The boards fitted on a bus add what only they know:
each board's lock-bit polarity, and, for back-ends that address their boards
themselves (Modbus), which device ids are on the line.
"""

from __future__ import annotations

import difflib
import functools
import inspect
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from drivers.base import Keypad, LockBus, Scanner
from drivers.board_8a80 import Board8A80Bus
from drivers.hid_relay import DcttechHidRelay
from drivers.kerong import KerongCU16Bus
from drivers.kerong_cu48 import KerongCU48Bus
from drivers.keypad_serial import SerialKeypad
from drivers.modbus_relay import ModbusRelayBoard
from drivers.relays import KmtronicRelayModule, LcusRelayModule, NumatoRelayModule
from drivers.scanner_hidpos import HidPosScanner
from drivers.scanner_serial import SerialLineScanner
from drivers.winnsen import WinnsenBus
from drivers.wkly import WklyBus

LOCK_BUS_DRIVERS: dict[str, Callable[..., LockBus]] = {
    "kerong-cu16": KerongCU16Bus,
    "kerong-cu48": KerongCU48Bus,
    "lockboard-8a80": Board8A80Bus,
    "winnsen": WinnsenBus,
    "wkly": WklyBus,
    "lcus-relay": LcusRelayModule,
    "kmtronic-relay": KmtronicRelayModule,
    "numato-relay": NumatoRelayModule,
    "modbus-relay": ModbusRelayBoard,
    "dcttech-hid-relay": DcttechHidRelay,
}
"""Lock-bus back-ends by configuration name."""

SCANNER_DRIVERS: dict[str, Callable[..., Scanner]] = {
    "serial-line": SerialLineScanner,
    "usb-hidpos": HidPosScanner,
}
"""Scanner back-ends by configuration name."""


KEYPAD_DRIVERS: dict[str, Callable[..., Keypad]] = {
    "serial-ascii": functools.partial(SerialKeypad, protocol="ascii"),
    "wiegand-serial": functools.partial(SerialKeypad, protocol="wiegand-hex"),
}
"""Keypad back-ends by configuration name."""


class UnknownDriverError(ValueError):
    """The configuration names a back-end or a setting that does not exist."""


@dataclass(frozen=True)
class BoardSpec:
    """A board fitted on a bus, as the configuration lists it.

    Attributes:
        address: The board's address (its Modbus device id on a Modbus line).
        locked_when_set: This board's lock-bit polarity; None leaves the
            bus's own setting.
    """

    address: int
    locked_when_set: bool | None = None


def board_settings(
    driver: str, boards: Sequence[BoardSpec], settings: dict[str, Any]
) -> dict[str, Any]:
    """The settings a back-end gets from the boards fitted on its bus.

    Returns:
        ``board_polarity`` for boards that set a polarity, and ``units``
        (the boards' addresses, with any already set) for back-ends that
        switch their boards' outputs off when the line opens.

    Raises:
        UnknownDriverError: Unknown driver; a polarity set on a board of a
            back-end that has none; ``board_polarity`` given as a bus setting.
    """
    factory = _pick("lock-bus", LOCK_BUS_DRIVERS, driver)
    parameters = inspect.signature(factory).parameters
    if "board_polarity" in settings:
        raise UnknownDriverError(
            f"driver {driver!r}: set the polarity on each board "
            "(locked_when_set), not as board_polarity on the bus"
        )
    extra: dict[str, Any] = {}
    polarity = {
        board.address: board.locked_when_set
        for board in boards
        if board.locked_when_set is not None
    }
    if polarity:
        if "board_polarity" not in parameters:
            addresses = ", ".join(str(address) for address in polarity)
            raise UnknownDriverError(
                f"driver {driver!r} has no lock-bit polarity to set, yet board(s) "
                f"{addresses} set locked_when_set"
            )
        extra["board_polarity"] = polarity
    if boards and "units" in parameters:
        units = [board.address for board in boards]
        units += [unit for unit in settings.get("units", ()) if unit not in units]
        extra["units"] = tuple(units)
    return extra


def _pick(kind: str, table: dict[str, Callable[..., Any]], name: str) -> Any:
    try:
        return table[name]
    except KeyError:
        known = ", ".join(sorted(table))
        close = difflib.get_close_matches(name, table, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        message = f"unknown {kind} driver {name!r}{hint}; known drivers: {known}"
        raise UnknownDriverError(message) from None


def _check_settings(
    name: str, factory: Callable[..., Any], settings: dict[str, Any]
) -> None:
    parameters = inspect.signature(factory).parameters
    allowed = [p for p in parameters if p != "port"]
    for key in settings:
        if key not in allowed:
            known = ", ".join(allowed)
            raise UnknownDriverError(
                f"driver {name!r} has no setting {key!r}; its settings are: {known}"
            )


def make_lock_bus(
    driver: str, port: str, boards: Sequence[BoardSpec] = (), **settings: Any
) -> LockBus:
    """Build a lock bus back-end (not yet opened).

    Args:
        driver: The configuration name, e.g. ``"kerong-cu16"``.
        port: The serial device path.
        boards: The boards fitted, for what they set (see `board_settings`).
        **settings: The back-end's own keyword settings.

    Raises:
        UnknownDriverError: Unknown driver name or setting, or a board
            setting the back-end cannot take.
    """
    factory = _pick("lock-bus", LOCK_BUS_DRIVERS, driver)
    _check_settings(driver, factory, settings)
    if boards:
        settings = {**settings, **board_settings(driver, boards, settings)}
    bus: LockBus = factory(port, **settings)
    return bus


def make_scanner(driver: str, port: str, **settings: Any) -> Scanner:
    """Build a scanner back-end (not yet started).

    Args:
        driver: The configuration name, e.g. ``"serial-line"``.
        port: The serial device path.
        **settings: The back-end's own keyword settings.

    Raises:
        UnknownDriverError: Unknown driver name or setting.
    """
    factory = _pick("scanner", SCANNER_DRIVERS, driver)
    _check_settings(driver, factory, settings)
    scanner: Scanner = factory(port, **settings)
    return scanner


def make_keypad(driver: str, port: str, **settings: Any) -> Keypad:
    """Build a keypad back-end (not yet started).

    Args:
        driver: The configuration name, e.g. ``"serial-ascii"``.
        port: The serial device path.
        **settings: The back-end's own keyword settings.

    Raises:
        UnknownDriverError: Unknown driver name or setting.
    """
    factory = _pick("keypad", KEYPAD_DRIVERS, driver)
    _check_settings(driver, factory, settings)
    keypad: Keypad = factory(port, **settings)
    return keypad
