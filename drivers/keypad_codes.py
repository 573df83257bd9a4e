"""Turning what keypads send into keys: ASCII keypads and Wiegand key codes.

Keys are the strings the `Keypad` interface promises: ``"0"``-``"9"``, ``"*"``,
``"#"``, ``"enter"`` and ``"backspace"``. Which code means ``*`` and which
``#`` differs between vendors, so both are settings; the defaults follow the
Rosslare AY-D19M manual (0xA = ``*``, 0xB = ``#``).

Wiegand frames are classified by bit count:

* 4 bits: one key, no integrity check;
* 6 bits: one key between two parity bits (Rosslare's default: even parity
  over the first two key bits, odd over the last two; there 0 is sent as 0xA,
  ``*`` as 0xB and ``#`` as 0xE, so set `zero_code`, `star_code`, `hash_code`);
* 8 bits: one key, high nibble the complement of the low one (checked);
* 26 bits: a PIN block (H10301 layout: even parity, 8-bit facility code,
  16-bit number, odd parity), delivered as its digits and then ``enter``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

ASCII_KEYS: Mapping[int, str] = {
    **{ord(str(d)): str(d) for d in range(10)},
    ord("*"): "*",
    ord("#"): "#",
    0x0D: "enter",
    0x0A: "enter",
    0x08: "backspace",
    0x7F: "backspace",
}
"""What a serial ASCII keypad's bytes mean; other bytes are ignored."""


def unknown_ascii(data: bytes) -> bytes:
    """The bytes of `data` that are no key of an ASCII keypad."""
    return bytes(byte for byte in data if byte not in ASCII_KEYS)


def decode_ascii(data: bytes) -> list[str]:
    """Keys from an ASCII keypad's bytes, skipping anything else.

    A CR LF pair counts as one ``enter``.
    """
    keys: list[str] = []
    previous = -1
    for byte in data:
        key = ASCII_KEYS.get(byte)
        if key is not None and not (byte == 0x0A and previous == 0x0D):
            keys.append(key)
        previous = byte
    return keys


def _parity(value: int) -> int:
    return bin(value).count("1") & 1


@dataclass(frozen=True)
class WiegandKeys:
    """Decodes Wiegand keypad frames into keys.

    Attributes:
        star_code: The key code that means ``*``.
        hash_code: The key code that means ``#``.
        zero_code: The key code that means ``0``.
        pin_digits: Digits a 26-bit PIN block is padded to (4 for the
            "4 keys + facility" mode); 0 sends the number as it is.
        facility: If set, 26-bit blocks with another facility code are refused.
    """

    star_code: int = 0x0A
    hash_code: int = 0x0B
    pin_digits: int = 4
    facility: int | None = None
    zero_code: int = 0x00

    def key(self, code: int) -> str | None:
        """The key for a 4-bit key code, or None for a code with no key."""
        if code == self.zero_code:
            return "0"
        if 1 <= code <= 9:
            return str(code)
        if code == self.star_code:
            return "*"
        if code == self.hash_code:
            return "#"
        return None

    def decode(self, bits: int, value: int) -> list[str]:
        """Keys from one frame; an empty list for a frame that fails its check."""
        if value < 0 or value >> bits:
            return []
        if bits == 4:
            key = self.key(value)
            return [key] if key else []
        if bits == 6:
            # Even parity over bit 5 and the two high key bits; odd over the
            # two low key bits and bit 0.
            if _parity(value >> 3) != 0 or _parity(value & 0b111) != 1:
                return []
            key = self.key(value >> 1 & 0x0F)
            return [key] if key else []
        if bits == 8:
            low, high = value & 0x0F, value >> 4
            if high != low ^ 0x0F:
                return []
            key = self.key(low)
            return [key] if key else []
        if bits == 26:
            return self._pin_block(value)
        return []

    def _pin_block(self, value: int) -> list[str]:
        first, last = value >> 13, value & 0x1FFF
        # Bit 25 makes the first 13 bits even; bit 0 makes the last 13 odd.
        if _parity(first) != 0 or _parity(last) != 1:
            return []
        facility, number = value >> 17 & 0xFF, value >> 1 & 0xFFFF
        if self.facility is not None and facility != self.facility:
            return []
        digits = str(number).zfill(self.pin_digits) if self.pin_digits else str(number)
        return [*digits, "enter"]


def pin_block(facility: int, number: int) -> int:
    """A 26-bit H10301 frame for a facility code and number, parities set."""
    body = (facility & 0xFF) << 16 | (number & 0xFFFF)
    even = _parity(body >> 12)
    odd = 1 - _parity(body & 0xFFF)
    return even << 25 | body << 1 | odd


_HEX_BITS = {1: 4, 2: 8, 7: 26}


class WiegandHexFramer:
    """Frames from a Wiegand-to-serial converter: ``STX`` hex digits ``ETX``.

    The bit count is told by the number of hex digits: 1 for 4 bits, 2 for
    8 bits (or 6, see `key_bits`), 7 for 26 bits. Bytes outside a frame,
    frames of another length or with non-hex digits, and frames that never
    end are dropped, and kept in `rejected` so that a converter speaking
    another form is noticed rather than losing every key in silence.

    Args:
        max_length: A frame longer than this is dropped (a lost ETX).
        key_bits: What a two-digit frame is: 8-bit or 6-bit keys.
    """

    # Only the STX/hex/ETX form is decoded: other converters' forms have no
    # public description, so what arrives in one is reported in health.

    def __init__(self, max_length: int = 16, key_bits: int = 8) -> None:
        self.max_length = max_length
        self.key_bits = key_bits
        self.rejected = bytearray()
        """Bytes dropped since `take_rejected` was last called (the first 64)."""
        self._frame: bytearray | None = None

    def _reject(self, data: bytes) -> None:
        room = 64 - len(self.rejected)
        if room > 0:
            self.rejected += data[:room]

    def take_rejected(self) -> bytes:
        """The bytes dropped so far, and forget them."""
        data = bytes(self.rejected)
        self.rejected.clear()
        return data

    def feed(self, data: bytes) -> list[tuple[int, int]]:
        """Add bytes; return (bits, value) for every whole, well-formed frame."""
        frames: list[tuple[int, int]] = []
        for byte in data:
            if byte == 0x02:
                if self._frame is not None:
                    self._reject(b"\x02" + self._frame)
                self._frame = bytearray()
            elif self._frame is None:
                self._reject(bytes((byte,)))
            elif byte == 0x03:
                frame, self._frame = bytes(self._frame), None
                decoded = _hex_frame(frame)
                if decoded is None:
                    self._reject(b"\x02" + frame + b"\x03")
                    continue
                bits, value = decoded
                frames.append((self.key_bits if bits == 8 else bits, value))
            elif len(self._frame) >= self.max_length:
                self._reject(b"\x02" + self._frame + bytes((byte,)))
                self._frame = None
            else:
                self._frame.append(byte)
        return frames


def _hex_frame(frame: bytes) -> tuple[int, int] | None:
    bits = _HEX_BITS.get(len(frame))
    if bits is None or not all(chr(b) in "0123456789abcdefABCDEF" for b in frame):
        return None
    return bits, int(frame, 16)


def six_bit(code: int) -> int:
    """A 6-bit Wiegand key frame for a 4-bit key code, parities set."""
    even = _parity(code >> 2)
    odd = 1 - _parity(code & 0b11)
    return even << 5 | (code & 0x0F) << 1 | odd
