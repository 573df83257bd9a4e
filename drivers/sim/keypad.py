"""A simulated serial keypad on a pty: ASCII, or Wiegand through a converter."""

from __future__ import annotations

from drivers.keypad_codes import pin_block, six_bit
from drivers.sim.pty import SimulatedDevice

_WIEGAND_CODES = {**{str(d): d for d in range(10)}, "*": 0x0A, "#": 0x0B}


class SimSerialKeypad(SimulatedDevice):
    """A keypad a test (or the simulator panel) presses keys on.

    Args:
        protocol: ``"ascii"``, or ``"wiegand-hex"`` for a Wiegand keypad
            behind a converter that sends STX, hex, ETX.
        wiegand_bits: 4, 6 or 8: how the Wiegand keypad sends each key.
        codes: Key codes by key, for keypads whose codes differ.
    """

    def __init__(
        self,
        protocol: str = "ascii",
        *,
        wiegand_bits: int = 8,
        codes: dict[str, int] | None = None,
    ) -> None:
        self.protocol = protocol
        self.wiegand_bits = wiegand_bits
        self.codes = {**_WIEGAND_CODES, **(codes or {})}

    def _send(self, data: bytes) -> None:
        if self.line is None or not self.line.running:
            raise RuntimeError("the simulated keypad's line is not started")
        self.line.send(data)

    def press(self, keys: str) -> None:
        """Press keys: digits, ``*`` and ``#`` (and CR for enter in ASCII)."""
        if self.protocol == "ascii":
            self._send(keys.encode("ascii"))
            return
        for key in keys:
            code = self.codes[key]
            if self.wiegand_bits == 4:
                self._send(b"\x02%X\x03" % code)
            elif self.wiegand_bits == 6:
                self._send(b"\x02%02X\x03" % six_bit(code))
            else:
                self._send(b"\x02%02X\x03" % ((code ^ 0x0F) << 4 | code))

    def enter_pin(self, pin: int, facility: int = 0) -> None:
        """Send a whole PIN as one 26-bit block (Wiegand keypads in PIN mode)."""
        self._send(b"\x02%07X\x03" % pin_block(facility, pin))

    def on_bytes(self, data: bytes) -> None:
        """A keypad listens to nothing."""
