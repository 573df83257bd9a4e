"""Location and door bodies."""

from __future__ import annotations

from pydantic import BaseModel, Field


class Country(BaseModel):
    """A country as the guide shows it."""

    name: str
    code: str


class Address(BaseModel):
    """A postal address with the guide's five lines."""

    address1: str
    address2: str
    address3: str
    address4: str
    address5: str
    postalCode: str
    country: Country


class Location(BaseModel):
    """A locker bank, with exactly the guide's fields."""

    name: str
    identifier: str
    latitude: float
    longitude: float
    address: Address


class DoorPackage(BaseModel):
    """A package inside a door (emulator's own)."""

    trackingNumber: str
    skuIdentifier: str | None
    reservedBy: str | None = Field(description="Active order holding it, if any.")


class DoorContents(BaseModel):
    """A door with its configuration and contents (emulator's own)."""

    identifier: str
    profile: str
    size: str
    column: int
    row: int
    heightCm: int
    enabled: bool
    occupied: bool
    assignedUser: str | None = Field(description="Permanently assigned user.")
    stockSku: str | None = Field(description="SKU this door stocks, if any.")
    minimumStockLevel: int | None
    accessUsers: list[str] = Field(description="Engineers with job-order access.")
    packages: list[DoorPackage]


class LocationDoors(BaseModel):
    """Every door of a location with its contents (emulator's own)."""

    location: str
    doors: list[DoorContents]
