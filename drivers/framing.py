"""Finding whole frames in a receive buffer, whatever the read boundaries were.

Every binary protocol here has a start marker, a length that the first bytes
tell, and a check (a checksum, or fixed bytes where the protocol has none).
`take_frame` scans the buffer for the first candidate that is complete and
valid; junk before it is dropped, and a candidate that can never complete does
not hide a valid frame that starts inside it.
"""

from __future__ import annotations

from collections.abc import Callable


def take_frame(
    buffer: bytearray,
    *,
    start: bytes,
    header: int,
    length: Callable[[bytes], int | None],
    valid: Callable[[bytes], bool],
    on_invalid: Callable[[bytes], None] | None = None,
) -> bytes | None:
    """Remove and return the first complete, valid frame in `buffer`.

    Args:
        buffer: Received bytes; consumed up to the end of the frame returned,
            or, when none is complete, up to the first candidate still growing.
        start: The bytes every frame begins with.
        header: How many bytes `length` needs to see (at least ``len(start)``).
        length: Total frame length from the header, or None if the header is
            not one this protocol sends (then the candidate is skipped).
        valid: Whether a complete candidate passes its check.
        on_invalid: Told about each complete candidate that fails the check; it
            may raise to end the wait at once.

    Returns:
        The frame, or None while no valid frame is complete.
    """
    while True:
        found, rescan = _scan(buffer, start, header, length, valid, on_invalid)
        if not rescan:
            return found


def _scan(
    buffer: bytearray,
    start: bytes,
    header: int,
    length: Callable[[bytes], int | None],
    valid: Callable[[bytes], bool],
    on_invalid: Callable[[bytes], None] | None,
) -> tuple[bytes | None, bool]:
    """One pass over the buffer; the flag asks for another after a rejection."""
    growing: int | None = None
    position = buffer.find(start)
    while position >= 0:
        head = bytes(buffer[position : position + header])
        size = length(head) if len(head) == header else -1
        if size is not None and 0 <= size < header:
            size = None
        if size == -1 or (size is not None and position + size > len(buffer)):
            # Incomplete: it may yet become a frame.
            if growing is None:
                growing = position
        elif size is not None:
            frame = bytes(buffer[position : position + size])
            if valid(frame):
                del buffer[: position + size]
                return frame, False
            if on_invalid is not None:
                del buffer[: position + 1]
                on_invalid(frame)
                return None, True
        position = buffer.find(start, position + 1)
    if growing is not None:
        del buffer[:growing]
        return None, False
    # Keep a tail that could be the beginning of a start marker.
    for cut in range(len(start) - 1, 0, -1):
        if buffer.endswith(start[:cut]):
            del buffer[: len(buffer) - cut]
            return None, False
    buffer.clear()
    return None, False
