"""Back-ends chosen by configuration name."""

from __future__ import annotations

import pytest

from drivers.kerong import KerongCU16Bus
from drivers.registry import UnknownDriverError, make_lock_bus, make_scanner
from drivers.scanner_serial import SerialLineScanner


def test_known_names_build_their_back_ends() -> None:
    bus = make_lock_bus("kerong-cu16", "/dev/null", baudrate=9600, retries=0)
    assert isinstance(bus, KerongCU16Bus)
    assert bus.port == "/dev/null"
    scanner = make_scanner("serial-line", "/dev/null", suffix="CRLF")
    assert isinstance(scanner, SerialLineScanner)


@pytest.mark.parametrize(
    "name",
    ["kerong-cu48", "lockboard-8a80", "winnsen", "wkly", "lcus-relay", "numato-relay"],
)
def test_every_family_is_registered(name: str) -> None:
    assert make_lock_bus(name, "/dev/null").health().port == "/dev/null"


def test_unknown_name_lists_the_known_ones() -> None:
    with pytest.raises(UnknownDriverError, match="kerong-cu16") as caught:
        make_lock_bus("kerong-cu61", "/dev/null")
    assert "did you mean 'kerong-cu16'" in str(caught.value)


def test_unknown_setting_is_refused() -> None:
    with pytest.raises(UnknownDriverError, match="baud_rate"):
        make_lock_bus("kerong-cu16", "/dev/null", baud_rate=9600)


def test_every_real_lock_bus_has_a_simulated_twin() -> None:
    from drivers.registry import LOCK_BUS_DRIVERS
    from drivers.sim.registry import (
        SIMULATED_RELAY_MODULES,
        SIMULATED_USB_LOCK_DEVICES,
        make_simulated_lock_bus,
        twinned_lock_drivers,
    )

    # A back-end without a twin fails here; so does a twin of no back-end.
    assert set(LOCK_BUS_DRIVERS) == twinned_lock_drivers()
    relays = [factory() for factory in SIMULATED_RELAY_MODULES.values()]
    assert all(relay.relays == [False] * 8 for relay in relays)
    assert SIMULATED_USB_LOCK_DEVICES["dcttech-hid-relay"]().vid == 0x16C0
    twin = make_simulated_lock_bus("kerong-cu48", [0, 4])
    assert set(twin.boards) == {0, 4}
    with pytest.raises(ValueError, match="kerong-cu16"):
        make_simulated_lock_bus("kerong", [0])


def test_keypads_by_name() -> None:
    from drivers.keypad_serial import SerialKeypad
    from drivers.registry import make_keypad

    keypad = make_keypad("wiegand-serial", "/dev/null", pin_digits=0)
    assert isinstance(keypad, SerialKeypad)
    assert keypad.protocol == "wiegand-hex"
    with pytest.raises(UnknownDriverError, match="serial-ascii"):
        make_keypad("usb-numpad", "/dev/null")
