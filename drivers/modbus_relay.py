"""Modbus RTU relay boards (Waveshare and generic), through pymodbus.

Relays are coils from address 0 (relay 1); door sensors, where fitted, are
discrete inputs from address 0. The board argument is the Modbus device id
(1-247), so several boards can share one RS-485 line. An unlock switches one
coil on for a bounded pulse and off again; the "off" request is shielded from
cancellation so a cancelled unlock still ends with the relay off.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Sequence
from typing import Any

from pymodbus import ModbusException
from pymodbus.client import AsyncModbusSerialClient

from drivers.base import ChannelState, DeviceError, DoorSensor, Health, LockBus
from drivers.serialport import describe_open_error

_log = logging.getLogger(__name__)


class ModbusRelayBoard(LockBus):
    """Relay boards on one Modbus RTU line.

    Args:
        port: Device path.
        baudrate: Line speed (boards default to 9600).
        channels: Relays (and sensor inputs) per board.
        pulse: Seconds a relay stays on for an unlock.
        max_pulse: Upper bound on `pulse`.
        timeout: Seconds pymodbus waits for each reply.
        retries: Retries pymodbus makes after a missing reply.
        sensors: Whether door sensors are wired to the discrete inputs.
        closed_when_set: Whether a set input means the door is closed.
        units: Device ids switched all-off when the port opens.
    """

    family = "Modbus relay board"

    def __init__(
        self,
        port: str,
        *,
        baudrate: int = 9600,
        channels: int = 8,
        pulse: float = 0.5,
        max_pulse: float = 3.0,
        timeout: float = 0.3,
        retries: int = 1,
        sensors: bool = True,
        closed_when_set: bool = True,
        units: Sequence[int] = (1,),
    ) -> None:
        self.port = port
        self.baudrate = baudrate
        self.channels = channels
        self.pulse = min(pulse, max_pulse)
        self.sensors = sensors
        self.closed_when_set = closed_when_set
        self.units = tuple(units)
        self._client = AsyncModbusSerialClient(
            port,
            baudrate=baudrate,
            timeout=timeout,
            retries=retries,
            reconnect_delay=0,
            name=f"modbus {port}",
        )
        self._offs: set[asyncio.Task[None]] = set()
        self._health = Health(False, f"{port} not opened yet", port)

    def health(self) -> Health:
        """The outcome of the last request, naming the port."""
        return self._health

    def _fail(self, message: str) -> DeviceError:
        self._health = Health(False, message, self.port)
        return DeviceError(message)

    async def open(self) -> None:
        """Open the line and switch every relay of `units` off."""
        if self._client.connected:
            return
        try:
            os.close(os.open(self.port, os.O_RDWR | os.O_NOCTTY | os.O_NONBLOCK))
        except OSError as exc:
            raise self._fail(describe_open_error(self.port, exc)) from exc
        if not await self._client.connect():
            raise self._fail(f"cannot open serial port {self.port} for Modbus")
        self._health = Health(True, f"{self.port} open", self.port)
        for unit in self.units:
            await self._call(unit, "write_coils", 0, [False] * self.channels)

    async def close(self) -> None:
        """Close the line; safe to call twice."""
        if self._offs:
            await asyncio.gather(*self._offs, return_exceptions=True)
        self._client.close()

    async def _call(self, unit: int, method: str, *args: Any, **kwargs: Any) -> Any:
        try:
            response = await getattr(self._client, method)(
                *args, device_id=unit, **kwargs
            )
        except ModbusException as exc:
            raise self._fail(
                f"Modbus device {unit} on {self.port} did not answer: {exc}"
            ) from exc
        if response.isError():
            raise self._fail(
                f"Modbus device {unit} on {self.port} refused {method}: {response}"
            )
        self._health = Health(True, f"device {unit} answered on {self.port}", self.port)
        return response

    def _check(self, board: int, channel: int) -> None:
        if not 1 <= board <= 247:
            raise ValueError(f"Modbus device id {board} is not 1-247")
        if not 1 <= channel <= self.channels:
            raise ValueError(f"relay {channel} is not 1-{self.channels}")

    async def unlock(self, board: int, channel: int) -> None:
        """Switch the relay on for the pulse, then off even if cancelled."""
        self._check(board, channel)
        if not self._client.connected:
            await self.open()
        await self._call(board, "write_coil", channel - 1, True)
        try:
            await asyncio.sleep(self.pulse)
        finally:
            off = asyncio.create_task(self._switch_off(board, channel))
            self._offs.add(off)
            off.add_done_callback(self._offs.discard)
            await asyncio.shield(off)

    async def _switch_off(self, board: int, channel: int) -> None:
        try:
            await self._call(board, "write_coil", channel - 1, False)
        except DeviceError as exc:
            _log.error("could not switch relay %d of %d off: %s", channel, board, exc)

    async def read_board(self, board: int) -> tuple[ChannelState, ...]:
        """Door states from the discrete inputs; unknown without sensors."""
        self._check(board, 1)
        if not self._client.connected:
            await self.open()
        if not self.sensors:
            return tuple(ChannelState() for _ in range(self.channels))
        response = await self._call(
            board, "read_discrete_inputs", 0, count=self.channels
        )
        bits: list[bool] = list(response.bits)[: self.channels]
        return tuple(
            ChannelState(
                door=DoorSensor.CLOSED
                if bit == self.closed_when_set
                else DoorSensor.OPEN
            )
            for bit in bits
        )
