"""Waiting for a condition that a device changes asynchronously."""

from __future__ import annotations

import asyncio
from collections.abc import Callable


async def until(check: Callable[[], bool], within: float = 1.0) -> None:
    """Return once `check()` holds; fail the test after `within` seconds."""
    step = 0.005
    for _ in range(int(within / step) + 1):
        if check():
            return
        await asyncio.sleep(step)
    raise AssertionError(f"condition not met within {within} s")
