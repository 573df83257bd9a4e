"""Arbitrary bytes fed to every frame parser and scanner decoder.

Nothing may raise (other than `DeviceError` for a reply that fails its check),
and nothing may be taken as a frame unless its check holds.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from drivers.base import DeviceError
from drivers.checksums import sum8
from drivers.kerong_frames import ReplyExtractor, is_valid
from drivers.scan_framing import ScanFramer

chunks = st.lists(st.binary(max_size=40), max_size=12)


def _kerong_reply(board: int, locks: int, sensors: int) -> bytes:
    body = bytes(
        (2, board << 4, 0x35, locks & 255, locks >> 8, sensors & 255, sensors >> 8, 3)
    )
    return body + bytes((sum8(body),))


@given(chunks, st.integers(0, 15))
def test_kerong_extractor_accepts_only_checked_frames(
    pieces: list[bytes], board: int
) -> None:
    extractor = ReplyExtractor(board)
    buffer = bytearray()
    seen = b""
    for piece in pieces:
        buffer += piece
        seen += piece
        try:
            reply = extractor(buffer)
        except DeviceError:
            continue
        if reply is not None:
            frame = _kerong_reply(board, reply.locks, reply.sensors)
            assert is_valid(frame)
            assert frame in seen


@given(st.binary(max_size=30), st.integers(0, 15), st.integers(0, 0xFFFF))
def test_kerong_extractor_finds_a_reply_behind_junk(
    junk: bytes, board: int, locks: int
) -> None:
    frame = _kerong_reply(board, locks, 0)
    buffer = bytearray(junk + frame)
    replies = []
    for _ in range(len(buffer) + 1):
        try:
            reply = ReplyExtractor(board)(buffer)
        except DeviceError:
            continue
        if reply is not None:
            replies.append(reply)
            break
    assert replies
    found = _kerong_reply(board, replies[0].locks, replies[0].sensors)
    # Either the real reply, or a valid reply for this board hidden in the junk.
    assert found == frame or found in junk + frame[:-1]


@given(chunks, st.sampled_from([b"\r", b"\r\n", b"\t", b""]), st.booleans())
def test_scan_framer_never_raises_and_loses_no_data(
    pieces: list[bytes], suffix: bytes, embedded: bool
) -> None:
    framer = ScanFramer(suffix, embedded=embedded, max_length=64)
    scans: list[bytes] = []
    for piece in pieces:
        scans += framer.feed(piece)
    scans += framer.idle()
    assert not framer.pending
    assert all(scans)
    joined = b"".join(pieces)
    for scan in scans:
        assert scan in joined
        if suffix and not embedded:
            assert suffix not in scan
