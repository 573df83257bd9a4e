"""Logging for a full-screen app: never to the screen, secrets never at all."""

from __future__ import annotations

import logging
import re
from pathlib import Path

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


def configure(log_file: Path, level: str = "INFO") -> None:
    """Send every log record to `log_file`, redacted."""
    log_file.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(log_file, encoding="utf-8")
    handler.setFormatter(
        logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    )
    handler.addFilter(RedactingFilter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
