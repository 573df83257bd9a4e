"""Logging for a full-screen app: never to the screen, secrets never at all."""

from __future__ import annotations

import logging
import logging.handlers
import re
import time
from pathlib import Path
from typing import Any

_SECRET = re.compile(
    r"(?i)(client_secret|access_token|password|pin|code)"
    r"([\"']?\s*[:=]\s*[\"']?)([^\s\"'&,}]+)"
)
_BEARER = re.compile(r"(?i)(bearer\s+)(\S+)")


class RedactingFilter(logging.Filter):
    """Masks anything that looks like a secret, whoever logged it."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the message with secrets masked; never drops a record."""
        message = record.getMessage()
        redacted = _BEARER.sub(r"\1***", _SECRET.sub(r"\1\2***", message))
        if redacted != message:
            record.msg, record.args = redacted, None
        return True


class RepeatFilter(logging.Filter):
    """Lets a message through once a window; counts the repeats it held back.

    A device that fails on every poll would otherwise write the same line four
    times a second for as long as it stays broken, and fill the disk.
    """

    def __init__(self, window: float = 60.0, clock: Any = time.monotonic) -> None:
        """Collapse repeats of one message within `window` seconds."""
        super().__init__()
        self._window = window
        self._clock = clock
        self._seen: dict[tuple[str, int, str], tuple[float, int]] = {}

    def filter(self, record: logging.LogRecord) -> bool:
        """Pass the first of a run of repeats, and one a window after."""
        key = (record.name, record.levelno, record.getMessage())
        now = self._clock()
        first, held = self._seen.get(key, (None, 0))
        if first is not None and now - first < self._window:
            self._seen[key] = (first, held + 1)
            return False
        if len(self._seen) > 1000:
            self._seen.clear()
        self._seen[key] = (now, 0)
        if held:
            record.msg = f"{record.getMessage()} (and {held} more in the last run)"
            record.args = None
        return True


MAX_LOG_BYTES = 5_000_000
LOG_FILES_KEPT = 3


def configure(log_file: Path, level: str = "INFO") -> None:
    """Send every log record to `log_file`, redacted, repeats collapsed, rotated."""
    log_file.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.handlers.RotatingFileHandler(
        log_file,
        maxBytes=MAX_LOG_BYTES,
        backupCount=LOG_FILES_KEPT,
        encoding="utf-8",
    )
    handler.setFormatter(
        logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    )
    handler.addFilter(RedactingFilter())
    handler.addFilter(RepeatFilter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
