"""Simulated USB devices behind pyusb's backend interface.

`SimUsbBackend` is a `usb.backend.IBackend` that pyusb drives exactly as it
drives libusb: ``usb.core.find(backend=SimUsbBackend([...]))`` enumerates the
simulated devices, reads their descriptors and strings, and sends their
control and interrupt transfers to the device models. A model answers the
requests its real twin answers; a model that is "unplugged" vanishes from
enumeration and fails transfers with ENODEV, as libusb does.
"""

from __future__ import annotations

import errno
from abc import ABC, abstractmethod
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import usb.backend
import usb.core
import usb.util

_GET_DESCRIPTOR = 0x06
_STRING = 0x03
_LANG_EN_US = 0x0409


@dataclass
class _Descriptor:
    """A bag of descriptor fields, as pyusb reads them by attribute."""

    fields: dict[str, Any]

    def __getattr__(self, name: str) -> Any:
        try:
            return self.fields[name]
        except KeyError:
            raise AttributeError(name) from None


@dataclass
class SimUsbDevice(ABC):
    """One simulated USB device with one configuration and one interface.

    Attributes:
        vid: Vendor id.
        pid: Product id.
        manufacturer: String descriptor 1, or None.
        product: String descriptor 2, or None.
        serial: String descriptor 3, or None (dcttech relays have none).
        interface_class: bInterfaceClass (3 = HID).
        endpoints: (address, attributes, max packet) of each endpoint.
        plugged: False makes the device vanish.
        kernel_driver: Whether a kernel driver holds interface 0 until detached.
    """

    vid: int
    pid: int
    manufacturer: str | None = None
    product: str | None = None
    serial: str | None = None
    interface_class: int = 3
    endpoints: list[tuple[int, int, int]] = field(default_factory=list)
    plugged: bool = True
    kernel_driver: bool = True

    def strings(self) -> dict[int, str]:
        """String descriptors by index."""
        table = {1: self.manufacturer, 2: self.product, 3: self.serial}
        return {index: text for index, text in table.items() if text is not None}

    @abstractmethod
    def control(
        self, request_type: int, request: int, value: int, index: int, data: bytes
    ) -> bytes | int:
        """Answer a class or vendor control request.

        Returns:
            The bytes of an IN request, or the count taken by an OUT one.

        Raises:
            usb.core.USBError: The device stalls the request.
        """

    def interrupt_in(self, endpoint: int, size: int) -> bytes:
        """Data for an interrupt IN transfer; empty when nothing is pending."""
        return b""

    def interrupt_out(self, endpoint: int, data: bytes) -> int:
        """Take an interrupt OUT transfer; returns the count taken."""
        return len(data)


def _gone() -> usb.core.USBError:
    return usb.core.USBError(
        "No such device (it may have been disconnected)", None, errno.ENODEV
    )


class SimUsbBackend(usb.backend.IBackend):  # type: ignore[misc]
    """A pyusb backend whose bus holds the given simulated devices."""

    def __init__(self, devices: Iterable[SimUsbDevice]) -> None:
        self.devices = list(devices)

    # Enumeration and descriptors.

    def enumerate_devices(self) -> Iterable[SimUsbDevice]:
        """The devices plugged in now."""
        return [device for device in self.devices if device.plugged]

    def get_parent(self, dev: SimUsbDevice) -> None:
        """Simulated devices hang off the root hub."""
        return None

    def get_device_descriptor(self, dev: SimUsbDevice) -> _Descriptor:
        """The standard device descriptor plus pyusb's bus fields."""
        address = self.devices.index(dev) + 1
        return _Descriptor(
            {
                "bLength": 18,
                "bDescriptorType": 1,
                "bcdUSB": 0x0110,
                "bDeviceClass": 0,
                "bDeviceSubClass": 0,
                "bDeviceProtocol": 0,
                "bMaxPacketSize0": 8,
                "idVendor": dev.vid,
                "idProduct": dev.pid,
                "bcdDevice": 0x0100,
                "iManufacturer": 1 if dev.manufacturer else 0,
                "iProduct": 2 if dev.product else 0,
                "iSerialNumber": 3 if dev.serial else 0,
                "bNumConfigurations": 1,
                "address": address,
                "bus": 1,
                "port_number": address,
                "port_numbers": (address,),
                "speed": usb.util.SPEED_LOW,
            }
        )

    def get_configuration_descriptor(
        self, dev: SimUsbDevice, config: int
    ) -> _Descriptor:
        """The only configuration."""
        if config != 0:
            raise IndexError(config)
        return _Descriptor(
            {
                "bLength": 9,
                "bDescriptorType": 2,
                "wTotalLength": 9 + 9 + 7 * len(dev.endpoints),
                "bNumInterfaces": 1,
                "bConfigurationValue": 1,
                "iConfiguration": 0,
                "bmAttributes": 0x80,
                "bMaxPower": 50,
                "extra_descriptors": [],
            }
        )

    def get_interface_descriptor(
        self, dev: SimUsbDevice, intf: int, alt: int, config: int
    ) -> _Descriptor:
        """The only interface."""
        if (intf, alt, config) != (0, 0, 0):
            raise IndexError(intf)
        return _Descriptor(
            {
                "bLength": 9,
                "bDescriptorType": 4,
                "bInterfaceNumber": 0,
                "bAlternateSetting": 0,
                "bNumEndpoints": len(dev.endpoints),
                "bInterfaceClass": dev.interface_class,
                "bInterfaceSubClass": 0,
                "bInterfaceProtocol": 0,
                "iInterface": 0,
                "extra_descriptors": [],
            }
        )

    def get_endpoint_descriptor(
        self, dev: SimUsbDevice, ep: int, intf: int, alt: int, config: int
    ) -> _Descriptor:
        """One of the interface's endpoints."""
        address, attributes, size = dev.endpoints[ep]
        return _Descriptor(
            {
                "bLength": 7,
                "bDescriptorType": 5,
                "bEndpointAddress": address,
                "bmAttributes": attributes,
                "wMaxPacketSize": size,
                "bInterval": 10,
                "bRefresh": 0,
                "bSynchAddress": 0,
                "extra_descriptors": [],
            }
        )

    # Handles and configuration.

    def open_device(self, dev: SimUsbDevice) -> SimUsbDevice:
        """The handle is the device itself."""
        if not dev.plugged:
            raise _gone()
        return dev

    def close_device(self, dev_handle: SimUsbDevice) -> None:
        """Nothing to release."""

    def set_configuration(self, dev_handle: SimUsbDevice, config_value: int) -> None:
        """Accept the only configuration."""

    def get_configuration(self, dev_handle: SimUsbDevice) -> int:
        """Always configuration 1."""
        return 1

    def set_interface_altsetting(
        self, dev_handle: SimUsbDevice, intf: int, altsetting: int
    ) -> None:
        """Accept the only alternate setting."""

    def claim_interface(self, dev_handle: SimUsbDevice, intf: int) -> None:
        """Claiming fails while a kernel driver holds the interface, as on Linux."""
        if dev_handle.kernel_driver:
            raise usb.core.USBError("Resource busy", None, errno.EBUSY)

    def release_interface(self, dev_handle: SimUsbDevice, intf: int) -> None:
        """Nothing to release."""

    def is_kernel_driver_active(self, dev_handle: SimUsbDevice, intf: int) -> bool:
        """Whether the simulated kernel driver still holds the interface."""
        return dev_handle.kernel_driver

    def detach_kernel_driver(self, dev_handle: SimUsbDevice, intf: int) -> None:
        """Let the program have the interface."""
        dev_handle.kernel_driver = False

    def attach_kernel_driver(self, dev_handle: SimUsbDevice, intf: int) -> None:
        """Give the interface back to the kernel."""
        dev_handle.kernel_driver = True

    # Transfers.

    def ctrl_transfer(
        self,
        dev_handle: SimUsbDevice,
        request_type: int,
        request: int,
        value: int,
        index: int,
        data: Any,
        timeout: int,
    ) -> int:
        """Standard string requests here; class and vendor ones to the model."""
        if not dev_handle.plugged:
            raise _gone()
        inbound = bool(request_type & 0x80)
        if request_type == 0x80 and request == _GET_DESCRIPTOR:
            answer: bytes | int = self._descriptor(dev_handle, value)
        else:
            payload = b"" if inbound else bytes(data)
            answer = dev_handle.control(request_type, request, value, index, payload)
        if not inbound:
            return answer if isinstance(answer, int) else len(data)
        assert isinstance(answer, bytes)
        count = min(len(answer), len(data))
        data[:count] = type(data)(data.typecode, answer[:count])
        return count

    def _descriptor(self, dev: SimUsbDevice, value: int) -> bytes:
        kind, index = value >> 8, value & 0xFF
        if kind != _STRING:
            raise usb.core.USBError("Pipe error", None, errno.EPIPE)
        if index == 0:
            return bytes((4, _STRING)) + _LANG_EN_US.to_bytes(2, "little")
        text = dev.strings().get(index)
        if text is None:
            raise usb.core.USBError("Pipe error", None, errno.EPIPE)
        encoded = text.encode("utf-16-le")
        return bytes((2 + len(encoded), _STRING)) + encoded

    def intr_read(
        self, dev_handle: SimUsbDevice, ep: int, intf: int, buff: Any, timeout: int
    ) -> int:
        """Whatever the model has pending; a timeout when nothing is."""
        if not dev_handle.plugged:
            raise _gone()
        data = dev_handle.interrupt_in(ep, len(buff))
        if not data:
            raise usb.core.USBTimeoutError("Operation timed out", None, errno.ETIMEDOUT)
        count = min(len(data), len(buff))
        buff[:count] = type(buff)(buff.typecode, data[:count])
        return count

    def intr_write(
        self, dev_handle: SimUsbDevice, ep: int, intf: int, data: Any, timeout: int
    ) -> int:
        """Hand the bytes to the model."""
        if not dev_handle.plugged:
            raise _gone()
        return dev_handle.interrupt_out(ep, bytes(data))
