"""Running the emulator: open the state, seed it, serve it with uvicorn."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import socket
import threading
from collections.abc import Callable, Iterator
from types import FrameType
from typing import Any

import uvicorn

from kiosk.emulator.app import create_app
from kiosk.emulator.database import Database
from kiosk.emulator.seed import load_seed, prepare
from kiosk.emulator.settings import EmulatorSettings

logger = logging.getLogger(__name__)


def build_server(settings: EmulatorSettings) -> tuple[uvicorn.Server, Database]:
    """A configured, not yet started server and the database it owns."""
    db = Database(settings.db_path)
    prepare(db, settings.seed_path, settings.reset)
    app = create_app(settings, db)
    config = uvicorn.Config(
        app,
        host=settings.host,
        port=settings.port,
        log_level="warning",
        access_log=False,
        # The CLI configures logging; uvicorn must not replace it.
        log_config=None,
        lifespan="off",
    )
    return uvicorn.Server(config), db


def serve(settings: EmulatorSettings) -> None:
    """Serve until interrupted (SIGINT or SIGTERM), then close the state.

    Raises:
        OSError: The address could not be bound.
        ValueError: The seed file is unreadable or inconsistent.
    """
    server, db = build_server(settings)
    previous = _stop_on_sigterm()
    try:
        # Bound here rather than by uvicorn, which exits the process when the
        # port is taken instead of raising.
        with _listen(settings.host, settings.port) as sock, _pid_file(settings):
            _announce(settings)
            asyncio.run(server.serve(sockets=[sock]))
    except (KeyboardInterrupt, _Stopped):
        # uvicorn shuts down gracefully, then re-raises the signal it caught.
        logger.info("stopping on a signal")
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
        db.close()
        logger.info("emulator stopped")


@contextlib.contextmanager
def _pid_file(settings: EmulatorSettings) -> Iterator[None]:
    """The process id beside the state, so `kill $(cat ...)` stops this one."""
    path = settings.db_path.with_suffix(".pid")
    path.write_text(f"{os.getpid()}\n")
    try:
        yield
    finally:
        path.unlink(missing_ok=True)


_Handler = Callable[[int, FrameType | None], Any] | int | signal.Handlers | None


class _Stopped(Exception):
    """SIGTERM arrived; raised so the state is closed before the process ends."""


def _raise_stopped(signum: int, frame: FrameType | None) -> None:
    raise _Stopped


def _stop_on_sigterm() -> _Handler:
    """Make SIGTERM unwind like SIGINT does; the old handler, to restore."""
    if threading.current_thread() is not threading.main_thread():
        return None
    return signal.signal(signal.SIGTERM, _raise_stopped)


def _listen(host: str, port: int) -> socket.socket:
    """A listening TCP socket on `host`:`port`."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # The protocol must be named: asyncio turns Nagle off (TCP_NODELAY) only on
    # sockets whose proto is IPPROTO_TCP, and with Nagle on, every answer
    # written in two parts waits 40 ms for a delayed ACK.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(128)
    except OSError:
        sock.close()
        raise
    return sock


def _announce(settings: EmulatorSettings) -> None:
    logger.info("Konnect emulator at %s (docs at %s/docs)", settings.url, settings.url)
    logger.info("state in %s", settings.db_path)
    for client in load_seed(settings.seed_path).clients:
        # Demo credentials are meant to be seen; they are not real secrets.
        logger.info(
            "client %s / secret %s, scope %s%s",
            client.clientId,
            client.secret,
            client.scope,
            f", location {client.location}" if client.location else "",
        )
