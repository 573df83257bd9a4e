"""Modbus RTU frames for relay boards, and finding one reply on a shared line.

pymodbus encodes the requests and decodes the reply PDUs. What is here is the
part a half-duplex RS-485 line needs on top: finding the reply of one device
to one request in a receive buffer that may also hold an adapter's echo of
the request, line noise, a late reply to an earlier request, or a frame whose
CRC does not hold. Everything is pure, so it can be fed arbitrary bytes.

A write-single-coil reply is byte for byte the request, so an adapter that
hears its own transmission produces a perfect "reply" from a dead board. The
extractor therefore knows whether the line echoes: when it does, nothing is
taken as a reply before exactly the bytes sent have come back and been
dropped; when that is not yet known, it learns it from the first bytes of a
request whose reply differs from the request, and refuses to judge one whose
reply would not.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pymodbus.framer.rtu import FramerRTU
from pymodbus.pdu import DecodePDU, ModbusPDU
from pymodbus.pdu.bit_message import (
    ReadCoilsRequest,
    ReadDiscreteInputsRequest,
    WriteMultipleCoilsRequest,
    WriteSingleCoilRequest,
)

from drivers.base import DeviceError
from drivers.framing import take_frame

READ_COILS = 0x01
READ_INPUTS = 0x02
WRITE_COIL = 0x05
WRITE_COILS = 0x0F
_EXCEPTION = 0x80
_FRAMER = FramerRTU(DecodePDU(is_server=False))
_DECODER = DecodePDU(is_server=False)


def _build(pdu: ModbusPDU, unit: int) -> bytes:
    if not 1 <= unit <= 247:
        raise ValueError(f"Modbus device id {unit} is not 1-247")
    pdu.dev_id = unit
    return _FRAMER.buildFrame(pdu)


def write_coil(unit: int, coil: int, on: bool) -> bytes:
    """Function 05: one coil (0-based) on (FF00) or off (0000)."""
    return _build(WriteSingleCoilRequest(address=coil, bits=[on]), unit)


def write_coils(unit: int, first: int, values: list[bool]) -> bytes:
    """Function 0F: several coils from `first` (0-based)."""
    return _build(WriteMultipleCoilsRequest(address=first, bits=values), unit)


def read_coils(unit: int, first: int, count: int) -> bytes:
    """Function 01: `count` coils from `first`."""
    return _build(ReadCoilsRequest(address=first, count=count), unit)


def read_inputs(unit: int, first: int, count: int) -> bytes:
    """Function 02: `count` discrete inputs from `first`."""
    return _build(ReadDiscreteInputsRequest(address=first, count=count), unit)


def crc_holds(frame: bytes) -> bool:
    """Whether the last two bytes are the CRC-16/Modbus of the rest (low first)."""
    return len(frame) >= 4 and FramerRTU.check_CRC(
        frame[:-2], int.from_bytes(frame[-2:], "big")
    )


def mirrors(request: bytes) -> bool:
    """Whether the reply to `request` is the request itself (functions 05, 06)."""
    return request[1] in (WRITE_COIL, 0x06)


def _reply_length(request: bytes, head: bytes) -> int | None:
    function = request[1]
    if head[1] == function | _EXCEPTION:
        return 5
    if head[1] != function:
        return None
    if function in (READ_COILS, READ_INPUTS):
        return 5 + head[2]
    return 8


def _answers(request: bytes, frame: bytes) -> bool:
    """Whether a checked frame is the reply to this very request."""
    function = request[1]
    if frame[1] == function | _EXCEPTION:
        return True
    if function in (READ_COILS, READ_INPUTS):
        count = int.from_bytes(request[4:6], "big")
        return frame[2] == (count + 7) // 8
    if function == WRITE_COILS:
        return frame[2:6] == request[2:6]
    return frame[:-2] == request[:-2]


@dataclass
class ReplyExtractor:
    """Finds the reply to one request in a receive buffer.

    Args:
        request: The whole frame sent, CRC included.
        echo: Whether the line echoes what is sent; None to learn it from
            this exchange (not allowed for a request its reply mirrors).

    Attributes:
        echoed: What this exchange showed about the echo: True once exactly
            the request came back first, False once other bytes came first,
            None while not seen.
        skipped: Notes on what was dropped, for the error message.

    Raises:
        ValueError: `echo` is None for a request whose reply mirrors it.
    """

    request: bytes
    echo: bool | None
    echoed: bool | None = None
    skipped: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.echo is None and mirrors(self.request):
            raise ValueError("cannot tell an echo from the reply to this request")
        if self.echo is False:
            self.echoed = False

    def __call__(self, buffer: bytearray) -> ModbusPDU | None:
        """The decoded reply PDU, or None while it is incomplete.

        Raises:
            DeviceError: A frame shaped like this reply fails its CRC.
        """
        if self.echoed is None and not self._drop_echo(buffer):
            return None
        while True:
            frame = take_frame(
                buffer,
                start=self.request[:1],
                header=3,
                length=lambda head: _reply_length(self.request, head),
                valid=crc_holds,
                on_invalid=self._reject,
            )
            if frame is None:
                return None
            if not _answers(self.request, frame):
                self.skipped.append(f"other frame {frame.hex(' ')}")
                continue
            pdu = _DECODER.decode(frame[1:-2])
            if pdu is None:
                self.skipped.append(f"undecodable {frame.hex(' ')}")
                continue
            pdu.dev_id = frame[0]
            return pdu

    def _drop_echo(self, buffer: bytearray) -> bool:
        """Remove the echo once it is whole; False while the reply must wait."""
        sent = self.request
        if self.echo:
            # The board answers only after it heard the request, so nothing
            # before the echo can be its reply.
            at = buffer.find(sent)
            if at < 0:
                return False
            if at:
                self.skipped.append(f"{at} bytes before the echo")
            del buffer[: at + len(sent)]
            self.echoed = True
            return True
        head = bytes(buffer[: len(sent)])
        if not sent.startswith(head):
            self.echoed = False
            return True
        if len(head) < len(sent):
            return False
        del buffer[: len(sent)]
        self.echoed = True
        return True

    def _reject(self, frame: bytes) -> None:
        function = self.request[1]
        if frame[1] in (function, function | _EXCEPTION) and _answers(
            self.request, frame
        ):
            raise DeviceError(
                f"Modbus device {self.request[0]} sent a reply with a bad CRC: "
                f"{frame.hex(' ')}"
            )
