"""USB HID-POS scanner reports (usage page 0x8C), reassembled into scans.

The scanned-data input report has ID 0x02. After the ID come: a length byte,
the three-character AIM symbology identifier (``]C1``...), the data, and near
the end a "more reports follow" flag (data byte 62, raw byte 63). A long code
arrives in several reports; the assembler joins them until the flag is clear.

The length byte is taken as the number of data bytes in this report after
the AIM identifier, clamped to what the report holds.
"""

from __future__ import annotations

REPORT_ID = 0x02
REPORT_SIZE = 64
_MORE = 63
_DATA = 5
_DATA_END = 61


def report(chunk: bytes, aim: bytes = b"]C0", *, more: bool = False) -> bytes:
    """A 64-byte scanned-data report carrying `chunk` (at most 56 bytes)."""
    if len(chunk) > _DATA_END - _DATA:
        raise ValueError("a HID-POS report carries at most 56 data bytes")
    body = bytes((REPORT_ID, len(chunk))) + aim[:3].ljust(3, b"\0") + chunk
    body = body.ljust(REPORT_SIZE, b"\0")
    return body[:_MORE] + bytes((1 if more else 0,))


class HidPosAssembler:
    """Joins scanned-data reports into whole scans.

    Args:
        include_aim: Put the AIM identifier in front of the data, as a serial
            scanner set to send it would.
        max_length: A scan that grows past this is dropped (a lost last report).
    """

    def __init__(self, *, include_aim: bool = True, max_length: int = 8192) -> None:
        self.include_aim = include_aim
        self.max_length = max_length
        self._aim = b""
        self._data = bytearray()

    def feed(self, raw: bytes) -> bytes | None:
        """Take one raw input report; return the scan once it is complete."""
        if len(raw) < _DATA or raw[0] != REPORT_ID:
            return None
        size = min(raw[1], max(0, min(len(raw), _DATA_END) - _DATA))
        if not self._data:
            self._aim = bytes(raw[2:5]) if raw[2:3] == b"]" else b""
        self._data += raw[_DATA : _DATA + size]
        if len(self._data) > self.max_length:
            self._data.clear()
            return None
        if len(raw) > _MORE and raw[_MORE]:
            return None
        scan = (self._aim if self.include_aim else b"") + bytes(self._data)
        self._data.clear()
        return scan if scan else None
