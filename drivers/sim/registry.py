"""Simulated twins chosen by the same names as the real back-ends.

Simulator mode builds the twin here, puts it on a `PtyHost`, and then builds
the production driver from `drivers.registry` on the host's port. The lock
buses are the families with door sensors a person can open and close; the
relay-only modules have twins of their own kind, on a pty or behind the
simulated USB backend. Every real lock-bus back-end has a twin in one table.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable

from drivers.sim.board_8a80 import SimBoard8A80Bus
from drivers.sim.hid_relay import SimDcttechRelay
from drivers.sim.kerong import SimKerongBus
from drivers.sim.kerong_cu48 import SimKerongCU48Bus
from drivers.sim.lockers import SimLockBoards
from drivers.sim.modbus_relay import SimModbusRelayBoards
from drivers.sim.relays import (
    SimKmtronicRelay,
    SimLcusRelay,
    SimNumatoRelay,
    SimRelayDoors,
    SimRelayModule,
)
from drivers.sim.usb_backend import SimUsbDevice
from drivers.sim.winnsen import SimWinnsenBus
from drivers.sim.wkly import SimWklyBus

SIMULATED_LOCK_BUSES: dict[str, Callable[[tuple[int, ...]], SimLockBoards]] = {
    "kerong-cu16": lambda boards: SimKerongBus(boards),
    "kerong-cu48": lambda boards: SimKerongCU48Bus(boards),
    "lockboard-8a80": lambda boards: SimBoard8A80Bus(boards),
    "winnsen": lambda boards: SimWinnsenBus(boards),
    "wkly": lambda boards: SimWklyBus(boards),
    "modbus-relay": lambda boards: SimModbusRelayBoards(boards),
    "lcus-relay": lambda boards: SimRelayDoors(SimLcusRelay(), *boards[:1]),
    "kmtronic-relay": lambda boards: SimRelayDoors(SimKmtronicRelay(), *boards[:1]),
    "numato-relay": lambda boards: SimRelayDoors(SimNumatoRelay(), *boards[:1]),
}
"""Simulated lock buses by the real driver's configuration name."""

SIMULATED_RELAY_MODULES: dict[str, Callable[[], SimRelayModule]] = {
    "lcus-relay": SimLcusRelay,
    "kmtronic-relay": SimKmtronicRelay,
    "numato-relay": SimNumatoRelay,
}
"""Simulated serial relay modules (one per pty) by configuration name."""

SIMULATED_USB_LOCK_DEVICES: dict[str, Callable[[], SimUsbDevice]] = {
    "dcttech-hid-relay": SimDcttechRelay,
}
"""Simulated USB relay modules (behind `SimUsbBackend`) by configuration name."""


def twinned_lock_drivers() -> set[str]:
    """Every lock-bus back-end name that has a simulated twin of some kind."""
    return {
        *SIMULATED_LOCK_BUSES,
        *SIMULATED_RELAY_MODULES,
        *SIMULATED_USB_LOCK_DEVICES,
    }


def make_simulated_lock_bus(driver: str, boards: Iterable[int]) -> SimLockBoards:
    """The twin of a lock-bus driver, with the given board addresses fitted.

    Raises:
        ValueError: No twin of that name; the message lists the known ones.
    """
    try:
        factory = SIMULATED_LOCK_BUSES[driver]
    except KeyError:
        known = ", ".join(sorted(SIMULATED_LOCK_BUSES))
        close = difflib.get_close_matches(driver, SIMULATED_LOCK_BUSES, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        message = f"no simulated lock bus {driver!r}{hint}; known: {known}"
        raise ValueError(message) from None
    return factory(tuple(boards))
