"""Builds a terminal from its configuration: the one place that names back-ends."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Mapping
from typing import Any, get_type_hints

from pydantic import TypeAdapter, ValidationError

from drivers.bank import DoorAddress, LockBank
from drivers.base import Keypad, LockBus, Scanner
from drivers.registry import (
    KEYPAD_DRIVERS,
    LOCK_BUS_DRIVERS,
    SCANNER_DRIVERS,
    BoardSpec,
    UnknownDriverError,
    board_settings,
    make_keypad,
    make_lock_bus,
    make_scanner,
)
from drivers.wedge import KeyboardWedgeScanner
from kiosk.config import ConfigError, LockBusSettings, Settings
from kiosk.journal import Journal
from kiosk.konnect import TerminalClient
from kiosk.offline import CodeCache, load_key
from kiosk.runtime import Terminal
from kiosk.workflows.delivery import Limits

WEDGE = "keyboard-wedge"
"""The scanner driver name for a scanner that types into the terminal."""

KEYBOARD = "keyboard"
"""The keypad driver name for the terminal's own keyboard, read by the UI."""


def _keyboard(port: str) -> None:
    """The terminal's own keyboard, read by the screen: no device to build."""


def _checked(
    kind: str, table: Mapping[str, Callable[..., Any]], driver: str, options: Any
) -> None:
    """Refuse an unknown driver or an option of the wrong type, in words."""
    factory = table.get(driver)
    if factory is None:
        known = ", ".join(sorted(table))
        close = difflib.get_close_matches(driver, table, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise ConfigError(f"unknown {kind} driver {driver!r}{hint}; known: {known}")
    hints = get_type_hints(getattr(factory, "__init__", factory))
    for key, value in options.items():
        if key not in hints or key == "port":
            known = ", ".join(k for k in hints if k not in ("port", "return"))
            raise ConfigError(
                f"{kind} driver {driver!r} has no option {key!r}; its options: {known}"
            )
        try:
            TypeAdapter(hints[key]).validate_python(value, strict=True)
        except ValidationError:
            raise ConfigError(
                f"{kind} driver {driver!r}: option {key} = {value!r} is not a "
                f"valid {getattr(hints[key], '__name__', hints[key])}"
            ) from None


def check_devices(settings: Settings) -> None:
    """Refuse unknown drivers and mistyped driver options before anything starts."""
    for bus in settings.lock_buses:
        if bus.driver in LOCK_BUS_DRIVERS:
            try:
                board_settings(bus.driver, _boards(bus), bus.options)
            except UnknownDriverError as error:
                raise ConfigError(f"lock bus {bus.name!r}: {error}") from None
        _checked("lock-bus", LOCK_BUS_DRIVERS, bus.driver, bus.options)
        _check_wiring(bus)
    if settings.scanner is not None and settings.scanner.driver == WEDGE:
        if settings.scanner.options:
            raise ConfigError("the keyboard-wedge scanner takes no options")
    elif settings.scanner is not None and settings.scanner.port:
        _checked(
            "scanner",
            SCANNER_DRIVERS,
            settings.scanner.driver,
            settings.scanner.options,
        )
    keypad = settings.keypad
    if keypad.driver != KEYBOARD:
        known: dict[str, Callable[..., Any]] = {KEYBOARD: _keyboard, **KEYPAD_DRIVERS}
        _checked("keypad", known, keypad.driver, keypad.options)
        if not keypad.port:
            raise ConfigError(f"keypad driver {keypad.driver!r} needs a port")


def _check_wiring(bus: LockBusSettings) -> None:
    """Every door on a board and channel its bus can drive, before any pulse."""
    try:
        built = build_lock_bus(bus)
    except (TypeError, ValueError) as error:
        raise ConfigError(f"lock bus {bus.name!r}: {error}") from None
    for board in bus.boards:
        for channel, door in enumerate(board.doors, start=1):
            if not door:
                continue
            try:
                built.check_channel(board.address, channel)
            except ValueError as error:
                raise ConfigError(
                    f"lock bus {bus.name!r}, door {door!r} (board {board.address},"
                    f" channel {channel}): {error}"
                ) from None


def _boards(bus: LockBusSettings) -> list[BoardSpec]:
    return [BoardSpec(board.address, board.locked_when_set) for board in bus.boards]


def build_lock_bus(bus: LockBusSettings) -> LockBus:
    """One configured bus's back-end, with what its boards set; not opened."""
    return make_lock_bus(bus.driver, bus.port, _boards(bus), **bus.options)


def build_bank(settings: Settings) -> LockBank:
    """The lock bank with every configured bus and door."""
    check_devices(settings)
    buses = {bus.name: build_lock_bus(bus) for bus in settings.lock_buses}
    doors = {
        door: DoorAddress(bus.name, board.address, channel)
        for bus in settings.lock_buses
        for board in bus.boards
        for channel, door in enumerate(board.doors, start=1)
        if door
    }
    return LockBank(buses, doors)


def build_scanner(settings: Settings) -> Scanner | None:
    """The configured scanner, if any."""
    scanner = settings.scanner
    if scanner is not None and scanner.driver == WEDGE:
        # Typed keys come back to the screen, which sets `on_typed` itself.
        return KeyboardWedgeScanner(on_typed=lambda keys: None)
    if scanner is None or not scanner.port:
        return None
    check_devices(settings)
    return make_scanner(scanner.driver, scanner.port, **scanner.options)


def build_keypad(settings: Settings) -> Keypad | None:
    """The configured keypad device; None for the terminal's own keyboard."""
    keypad = settings.keypad
    if keypad.driver == KEYBOARD:
        return None
    check_devices(settings)
    return make_keypad(keypad.driver, keypad.port, **keypad.options)


def build_client(settings: Settings) -> TerminalClient:
    """The Konnect client `settings` describe; nothing is sent yet."""
    konnect = settings.konnect
    return TerminalClient(
        konnect.base_url,
        settings.terminal.location,
        konnect.client_id,
        konnect.secret(),
        timeout=konnect.timeout_seconds,
        renew_margin=konnect.token_renew_margin_seconds,
    )


def build_terminal(settings: Settings) -> Terminal:
    """A terminal wired as `settings` say; call `start` on its event loop."""
    client = build_client(settings)
    limits = Limits(
        code_min_length=settings.security.code_min_length,
        code_max_length=settings.security.code_max_length,
        max_failed_codes=settings.security.max_failed_codes,
        lockout_seconds=settings.security.lockout_seconds,
        inactivity_seconds=settings.ui.inactivity_seconds,
        done_seconds=settings.ui.done_seconds,
        open_alarm_seconds=settings.doors.open_alarm_seconds,
    )
    journal = Journal(settings.journal_path)
    key = load_key(settings.terminal.state_dir / "cache.key")
    return Terminal(
        location=settings.terminal.location,
        journal=journal,
        client=client,
        bank=build_bank(settings),
        codes=CodeCache(journal, key),
        scanner=build_scanner(settings),
        keypad=build_keypad(settings),
        limits=limits,
        door_poll_seconds=settings.doors.poll_seconds,
        unlock_confirm_seconds=settings.doors.unlock_confirm_seconds,
        sync_seconds=settings.konnect.sync_seconds,
        keep_days=settings.journal.keep_days,
    )
