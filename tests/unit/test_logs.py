"""Secrets are masked in the log, whoever logs them."""

from __future__ import annotations

import logging
from pathlib import Path

from kiosk import logs


def test_secrets_are_masked(tmp_path: Path):
    path = tmp_path / "kiosk.log"
    logs.configure(path)
    log = logging.getLogger("test.logs")
    log.info("form client_secret=abc123&scope=x")
    log.info("header Authorization: Bearer eyJhbGciOi.abc")
    log.info("body %s", {"code": "123456"})
    log.info("door %s opened", "A1")
    for handler in logging.getLogger().handlers:
        handler.flush()
    text = path.read_text()
    assert "abc123" not in text
    assert "eyJhbGciOi" not in text
    assert "123456" not in text
    assert "door A1 opened" in text
    logging.getLogger().handlers.clear()
