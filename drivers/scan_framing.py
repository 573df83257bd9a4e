"""Cutting a serial scanner's byte stream into scans.

A scanner sends each read followed by a suffix (CR by default; CRLF or TAB on
some models). Two things make "split on the suffix" wrong on its own: bytes
arrive in pieces, so a scan is only whole once its suffix is seen; and a 2D
code may itself contain CR or LF. The framer therefore uses two delimiters:

* the suffix, which ends a scan at once (the normal case). With a multi-byte
  suffix such as CRLF, a lone CR or LF inside the data never ends a scan;
* the line going idle (no byte for the idle timeout), which ends a scan that
  has no suffix yet: a scanner set up without one, or a scan cut short.

When the configured suffix could also occur inside the data (``embedded=True``,
e.g. suffix CR and 2D codes with CR in them), a suffix only ends a scan if the
line then goes idle: a scanner sends one read in one burst, so a suffix
followed at once by more bytes is data, not the end.
"""

from __future__ import annotations

SUFFIXES = {"CR": b"\r", "CRLF": b"\r\n", "LF": b"\n", "TAB": b"\t", "NONE": b""}


def parse_suffix(suffix: str | bytes) -> bytes:
    """Accept a suffix by name (``"CR"``, ``"CRLF"``, ``"TAB"``...) or as bytes."""
    if isinstance(suffix, bytes):
        return suffix
    try:
        return SUFFIXES[suffix.upper()]
    except KeyError:
        names = ", ".join(SUFFIXES)
        message = f"unknown scanner suffix {suffix!r}; use one of {names}"
        raise ValueError(message) from None


class ScanFramer:
    """Turns received chunks into whole scans.

    Args:
        suffix: The bytes the scanner appends to every read (may be empty).
        embedded: Whether the suffix may also occur inside a scan's data.
        max_length: A scan longer than this is delivered once, cut to this
            length, and the rest of it up to its end is dropped: a stuck
            scanner cannot grow the buffer without end, nor make one read
            into many.
    """

    def __init__(
        self, suffix: bytes = b"\r", *, embedded: bool = False, max_length: int = 8192
    ) -> None:
        self.suffix = suffix
        self.embedded = embedded
        self.max_length = max_length
        self._buffer = bytearray()
        self._dropping = False
        """Inside an over-long read: bytes go until its end."""
        self._tail = b""
        """The last bytes dropped, where a suffix may have begun."""

    @property
    def pending(self) -> bool:
        """Whether part of a scan is waiting for its end."""
        return bool(self._buffer) or self._dropping

    def feed(self, data: bytes) -> list[bytes]:
        """Add received bytes; return the scans they completed."""
        if self._dropping:
            data = self._after_dropped_end(data)
        self._buffer += data
        scans: list[bytes] = []
        if self.suffix and not self.embedded:
            while True:
                end = self._buffer.find(self.suffix)
                if end < 0:
                    break
                scans.append(bytes(self._buffer[: min(end, self.max_length)]))
                del self._buffer[: end + len(self.suffix)]
        if len(self._buffer) > self.max_length:
            scans.append(bytes(self._buffer[: self.max_length]))
            rest = bytes(self._buffer[self.max_length :])
            self._buffer.clear()
            self._dropping = True
            self._tail = b""
            # The read may have ended in this very chunk, and the next begun.
            self._buffer += self._after_dropped_end(rest)
            scans += self.feed(b"") if self._buffer else []
        return [scan for scan in scans if scan]

    def _after_dropped_end(self, data: bytes) -> bytes:
        """Drop bytes of an over-long read; return what follows its end, if seen."""
        if not self.suffix or self.embedded:
            return b""  # only the line going idle ends it
        joined = self._tail + data
        end = joined.find(self.suffix)
        if end < 0:
            self._tail = joined[len(joined) - len(self.suffix) + 1 :]
            return b""
        self._dropping = False
        self._tail = b""
        return joined[end + len(self.suffix) :]

    def idle(self) -> list[bytes]:
        """The line went quiet: whatever is pending is whole. Return it."""
        self._dropping = False
        self._tail = b""
        data = bytes(self._buffer)
        self._buffer.clear()
        if self.suffix and data.endswith(self.suffix):
            data = data[: -len(self.suffix)]
        return [data] if data else []
