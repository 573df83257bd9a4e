"""Arbitrary bytes fed to every frame parser and scanner decoder.

Nothing may raise (other than `DeviceError` for a reply that fails its check),
and nothing may be taken as a frame unless its check holds.
"""

from __future__ import annotations

from collections.abc import Callable

from hypothesis import given
from hypothesis import strategies as st

from drivers.base import DeviceError
from drivers.board_8a80 import StatusExtractor as Extractor8A80
from drivers.checksums import sum8, xor8
from drivers.framing import take_frame
from drivers.hidpos import HidPosAssembler
from drivers.kerong_cu48 import Cu48Extractor
from drivers.kerong_cu48 import is_valid as cu48_valid
from drivers.kerong_frames import ReplyExtractor, is_valid
from drivers.keypad_codes import WiegandHexFramer, WiegandKeys, decode_ascii, pin_block
from drivers.scan_framing import ScanFramer
from drivers.winnsen import StatusExtractor as WinnsenExtractor
from drivers.wkly import QueryExtractor as WklyQueryExtractor
from drivers.wkly import take as wkly_take

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


def _feed(extract: Callable[[bytearray], object], pieces: list[bytes]) -> list[object]:
    """Feed pieces one by one; collect what the extractor returns."""
    buffer = bytearray()
    found: list[object] = []
    for piece in pieces:
        buffer += piece
        try:
            result = extract(buffer)
        except DeviceError:
            continue
        if result is not None:
            found.append(result)
    return found


@given(chunks, st.integers(0, 3))
def test_cu48_extractor_accepts_only_checked_frames(
    pieces: list[bytes], board: int
) -> None:
    for bits in _feed(Cu48Extractor(board), pieces):
        assert isinstance(bits, int)
        data = bits.to_bytes(6, "little")
        # Some 18-byte window of the input must hold these bits with a good sum.
        joined = b"".join(pieces)
        assert any(
            joined[i + 4 : i + 10] == data and cu48_valid(joined[i : i + 18])
            for i in range(len(joined) - 17)
        )


@given(chunks, st.integers(0, 3))
def test_8a80_extractor_accepts_only_checked_frames(
    pieces: list[bytes], board: int
) -> None:
    joined = b"".join(pieces)
    for bits in _feed(Extractor8A80(board), pieces):
        assert isinstance(bits, int)
        frame_body = bytes((0x80, board, bits >> 16, bits >> 8 & 255, bits & 255, 0x33))
        assert frame_body + bytes((xor8(frame_body),)) in joined


@given(chunks, st.integers(0, 3), st.integers(1, 16))
def test_winnsen_extractor_accepts_only_well_formed_replies(
    pieces: list[bytes], station: int, lock: int
) -> None:
    joined = b"".join(pieces)
    for status in _feed(WinnsenExtractor(station, lock), pieces):
        assert isinstance(status, int)
        assert bytes((0x90, 7, 0x92, station, status, lock, 3)) in joined


@given(chunks)
def test_wkly_framing_accepts_only_checked_frames(pieces: list[bytes]) -> None:
    buffer = bytearray()
    for piece in pieces:
        buffer += piece
        while (found := wkly_take(buffer)) is not None:
            assert found[:4] == b"WKLY"
            assert found[4] == len(found)
            assert xor8(found[:-1]) == found[-1]


@given(chunks, st.integers(0, 3))
def test_wkly_query_extractor_never_raises_unexpectedly(
    pieces: list[bytes], board: int
) -> None:
    events: list[bytes] = []
    for states in _feed(WklyQueryExtractor(board, events.append), pieces):
        assert isinstance(states, bytes)
    assert all(event[6] == 0x85 and xor8(event[:-1]) == event[-1] for event in events)


@given(st.binary(max_size=60), st.binary(min_size=1, max_size=4))
def test_take_frame_never_returns_an_invalid_frame(data: bytes, start: bytes) -> None:
    buffer = bytearray(data)
    for _ in range(len(data) + 1):
        found = take_frame(
            buffer,
            start=start,
            header=len(start) + 1,
            length=lambda head: head[-1] % 12 or None,
            valid=lambda frame: sum8(frame[:-1]) == frame[-1],
        )
        if found is None:
            break
        assert found.startswith(start)
        assert sum8(found[:-1]) == found[-1]


@given(chunks)
def test_ascii_keypad_decoder_yields_only_keys(pieces: list[bytes]) -> None:
    allowed = {*"0123456789*#", "enter", "backspace"}
    for piece in pieces:
        assert set(decode_ascii(piece)) <= allowed


@given(chunks)
def test_wiegand_hex_framer_and_keys_never_raise(pieces: list[bytes]) -> None:
    framer = WiegandHexFramer()
    keys = WiegandKeys()
    allowed = {*"0123456789*#", "enter"}
    for piece in pieces:
        for bits, value in framer.feed(piece):
            assert bits in (4, 8, 26)
            decoded = keys.decode(bits, value)
            assert set(decoded) <= allowed
            if bits == 8 and decoded:
                assert value >> 4 == (value & 15) ^ 15


@given(st.integers(0, (1 << 26) - 1))
def test_pin_block_accepted_only_with_both_parities(value: int) -> None:
    decoded = WiegandKeys(pin_digits=0).decode(26, value)
    if decoded:
        number = int("".join(decoded[:-1]))
        assert pin_block(value >> 17 & 0xFF, number) == value


@given(st.lists(st.binary(max_size=70), max_size=8), st.booleans())
def test_hidpos_assembler_never_raises(reports: list[bytes], include_aim: bool) -> None:
    assembler = HidPosAssembler(include_aim=include_aim, max_length=200)
    for raw in reports:
        scan = assembler.feed(raw)
        if scan is not None:
            assert raw[0] == 0x02
            assert len(scan) <= 203
