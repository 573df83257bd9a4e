"""The hardware abstraction layer: device interfaces, real back-ends, simulated twins.

Interfaces are in `drivers.base`; back-ends are chosen by name through
`drivers.registry` (`make_lock_bus`, `make_scanner`, `make_keypad`); doors
are mapped onto boards by `drivers.bank.LockBank`. Every back-end has a twin
in `drivers.sim` that simulates the device, on a pseudo-terminal or behind
pyusb's backend interface, so simulator mode runs the production code.
This package never imports the terminal application, Textual or httpx.
"""
