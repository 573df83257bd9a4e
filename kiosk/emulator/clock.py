"""Time as the emulator stores and shows it: UTC, ISO-8601, second precision."""

from __future__ import annotations

import time
from datetime import UTC, datetime


def now() -> float:
    """Seconds since the epoch; the one clock every rule reads."""
    return time.time()


def to_iso(epoch: float) -> str:
    """An epoch time as ISO-8601 UTC with a `Z` suffix."""
    moment = datetime.fromtimestamp(epoch, tz=UTC).replace(microsecond=0)
    return moment.isoformat().replace("+00:00", "Z")


def from_datetime(moment: datetime) -> float:
    """An aware or naive (taken as UTC) datetime as epoch seconds."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()
