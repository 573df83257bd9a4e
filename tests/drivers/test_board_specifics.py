"""What only one lock-board family does: its own vectors and quirks."""

from __future__ import annotations

import asyncio

from drivers.base import ChannelState, DoorSensor, LockState
from drivers.board_8a80 import StatusExtractor as Extractor8A80
from drivers.kerong_cu48 import Cu48Extractor
from drivers.sim.pty import PtyHost
from drivers.sim.wkly import SimWklyBus
from drivers.winnsen import StatusExtractor as WinnsenExtractor
from drivers.wkly import WklyBus
from tests.drivers.waiting import until


def test_8a80_reply_vector() -> None:
    # Doors 1, 9 and 17 closed, from the source's example.
    buffer = bytearray.fromhex("80 01 01 01 01 33 B3")
    bits = Extractor8A80(1)(buffer)
    assert bits == 1 | 1 << 8 | 1 << 16


def test_cu48_capture_lock_14_closed() -> None:
    body = bytes.fromhex("02 00 00 75 00 20") + bytes(10) + b"\x03"
    buffer = bytearray(body + bytes((sum(body) & 255,)))
    bits = Cu48Extractor(0)(buffer)
    assert bits == 1 << 13


def test_cu48_late_ack_is_not_a_broken_reply() -> None:
    ack = bytes.fromhex("02 00 00 75 00 77")
    body = bytes.fromhex("02 00 00 75 01") + bytes(11) + b"\x03"
    reply = body + bytes((sum(body) & 255,))
    assert Cu48Extractor(0)(bytearray(ack + reply)) == 1


def test_winnsen_status_reply_has_its_fields_swapped() -> None:
    extractor = WinnsenExtractor(station=1, lock=5)
    unlock_reply = bytes.fromhex("90 07 85 01 05 01 03")
    status_reply = bytes.fromhex("90 07 92 01 01 05 03")
    assert extractor(bytearray(unlock_reply + status_reply)) == 0x01
    assert extractor.skipped == ["90 07 85 01 05 01 03"]


async def test_wkly_unprompted_reports_are_sorted_from_replies() -> None:
    sim = SimWklyBus(boards=(0, 3))
    events: list[tuple[int, int, ChannelState]] = []
    async with PtyHost(sim) as host:
        bus = WklyBus(host.port, timeout=0.2, unlock_guard=0.01)
        bus.listen(lambda b, c, s: events.append((b, c, s)))
        await bus.open()
        try:
            await bus.unlock(3, 7)
            await host.wait_frame(bytes.fromhex("57 4B 4C 59 09 03 82 07 86"))
            # A person closes the door while the host is between commands ...
            await asyncio.sleep(0.02)
            sim.close_door(3, 7)
            # ... and a report arrives in the middle of another reply's wait.
            sim.board(0).delay = 0.03
            reply_task = asyncio.create_task(bus.read_board(0))
            await asyncio.sleep(0.01)
            sim.open_door(0, 2, force=True)
            states = await reply_task
            await until(lambda: len(events) >= 2)
        finally:
            await bus.close()
    # The reply is the board's view when asked; the opening came after it.
    assert states[1].door is DoorSensor.CLOSED
    assert (3, 7, ChannelState(LockState.UNLOCKED, DoorSensor.OPEN)) in events
    assert (3, 7, ChannelState(LockState.LOCKED, DoorSensor.CLOSED)) in events
    assert (0, 2, ChannelState(LockState.UNLOCKED, DoorSensor.OPEN)) in events
