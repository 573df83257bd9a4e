"""Serial keypads: ASCII keypads and Wiegand keypads behind a serial converter.

Decoding is in `drivers.keypad_codes`; reading and reconnecting in
`drivers.port_reader`. `key_map` renames keys after decoding, e.g.
``{"#": "enter", "*": "backspace"}`` for a keypad without those keys.

Bytes that are in no form the keypad's protocol knows, and Wiegand frames
that fail their check, make `health` say so, with what arrived, until a key
is decoded again: a keypad that looks ready while every key is lost is the
worst kind of fault at a locker bank.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping

from drivers.base import Health, KeyCallback, Keypad
from drivers.keypad_codes import (
    WiegandHexFramer,
    WiegandKeys,
    decode_ascii,
    unknown_ascii,
)
from drivers.port_reader import PortReader
from drivers.serialport import SerialPort

_log = logging.getLogger(__name__)

PROTOCOLS = ("ascii", "wiegand-hex")


class SerialKeypad(Keypad):
    """A keypad on a serial port.

    Args:
        port: Device path or ``usb:VID:PID`` (see `drivers.ports`).
        baudrate: Line speed (9600 for the AY-D19M's ASCII mode).
        protocol: ``"ascii"`` (one byte a key) or ``"wiegand-hex"`` (a
            converter sending STX, the frame in hex, ETX).
        star_code: Wiegand key code for ``*``.
        hash_code: Wiegand key code for ``#``.
        zero_code: Wiegand key code for ``0`` (0xA in Rosslare's 6-bit mode).
        key_bits: Whether the keypad sends 8-bit or 6-bit keys.
        pin_digits: Digits a 26-bit PIN block is padded to; 0 for none.
        facility: Facility code a 26-bit PIN block must carry, if any.
        key_map: Renames keys after decoding.
        reconnect_delay: First wait before reopening a lost port.
        reconnect_max: Longest wait between reopen attempts.

    Raises:
        ValueError: An unknown protocol.
    """

    def __init__(
        self,
        port: str,
        *,
        baudrate: int = 9600,
        protocol: str = "ascii",
        star_code: int = 0x0A,
        hash_code: int = 0x0B,
        zero_code: int = 0x00,
        key_bits: int = 8,
        pin_digits: int = 4,
        facility: int | None = None,
        key_map: Mapping[str, str] | None = None,
        reconnect_delay: float = 0.5,
        reconnect_max: float = 10.0,
    ) -> None:
        if protocol not in PROTOCOLS:
            known = ", ".join(PROTOCOLS)
            raise ValueError(
                f"unknown keypad protocol {protocol!r}; use one of {known}"
            )
        self.protocol = protocol
        self.wiegand = WiegandKeys(
            star_code, hash_code, pin_digits, facility, zero_code
        )
        self.key_map = dict(key_map or {})
        self.key_bits = key_bits
        self._reader = PortReader(
            SerialPort(port, baudrate=baudrate),
            what="keypad",
            reconnect_delay=reconnect_delay,
            reconnect_max=reconnect_max,
        )
        self._complaint: str | None = None

    def _complain(self, what: str, data: bytes) -> None:
        sample = data[:16]
        message = (
            f"keypad on {self._reader.port.port} {what}: {sample.hex(' ')} "
            f"({sample!r}); keys are being lost"
        )
        if message != self._complaint:
            _log.warning("%s", message)
        self._complaint = message

    def _decoder(self) -> Callable[[bytes], list[str]]:
        if self.protocol == "ascii":

            def decode_keys(data: bytes) -> list[str]:
                keys = decode_ascii(data)
                junk = unknown_ascii(data)
                if junk:
                    self._complain("sent bytes that are no key", junk)
                elif keys:
                    self._complaint = None
                return keys

            return decode_keys
        framer = WiegandHexFramer(key_bits=self.key_bits)

        def decode(data: bytes) -> list[str]:
            keys: list[str] = []
            for bits, value in framer.feed(data):
                decoded = self.wiegand.decode(bits, value)
                if not decoded:
                    self._complain(
                        f"sent a {bits}-bit frame that fails its check",
                        value.to_bytes((bits + 7) // 8, "big"),
                    )
                keys += decoded
            rejected = framer.take_rejected()
            if rejected:
                self._complain(
                    "sends bytes in no known form (expected STX, hex digits, ETX)",
                    rejected,
                )
            elif keys:
                self._complaint = None
            return keys

        return decode

    async def start(self, on_key: KeyCallback) -> None:
        """Open the port and deliver keys from a background task.

        Raises:
            DeviceError: The port cannot be opened now.
        """
        decode = self._decoder()

        def handle(chunk: bytes) -> None:
            for key in decode(chunk):
                try:
                    on_key(self.key_map.get(key, key))
                except Exception:
                    _log.exception("key callback failed")

        await self._reader.start(handle, lambda: None)

    async def stop(self) -> None:
        """Stop reading and close the port; safe to call twice."""
        await self._reader.stop()

    def health(self) -> Health:
        """Whether the port is open and what arrives can be read, naming it."""
        health = self._reader.health
        if health.ok and self._complaint is not None:
            return Health(False, self._complaint, health.port)
        return health
