"""An HTTP proxy on loopback that misbehaves on purpose, the way networks do.

Each request meets one fate, drawn at random: passed through; the connection
dropped before it reaches the server; passed through but the answer lost (the
server stored it, the client never hears); passed through and the answer held
until the client gives up; a 500 instead of the server's answer, before or
after the server acted; a 429 with `Retry-After`; or a 401 that revokes the
request's token. Like a server whose clock runs ahead, the proxy may also hold
tokens to a shorter life than the server gave them (`token_lifetime`), and
answers 401 for a token it considers expired or revoked. The proxy counts the
fates.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import random
import time
from collections import Counter
from dataclasses import dataclass, field

import httpx

FATES = (
    ("pass", 52),
    ("drop-before", 10),
    ("drop-after", 10),
    ("hang-after", 1),
    ("500-before", 10),
    ("500-after", 7),
    ("429", 10),
    ("401-revoke", 2),
)
HOP_HEADERS = {"connection", "keep-alive", "transfer-encoding", "content-length"}


@dataclass
class FaultyProxy:
    """Forwards to `upstream`; listen with `start`, stop with `stop`."""

    upstream: str
    seed: int = 7
    hang_seconds: float = 1.0
    token_lifetime: float | None = None
    """How long the proxy lets a token live, from when it passed it on."""
    fates: Counter[str] = field(default_factory=Counter)
    port: int = 0

    def __post_init__(self) -> None:
        self._rng = random.Random(self.seed)
        self._server: asyncio.Server | None = None
        self._client = httpx.AsyncClient(base_url=self.upstream, timeout=10)
        self._hanging: set[asyncio.StreamWriter] = set()
        self._issued: dict[str, float] = {}
        self._revoked: set[str] = set()

    @property
    def url(self) -> str:
        """Where clients should send their requests."""
        return f"http://127.0.0.1:{self.port}"

    async def start(self) -> None:
        """Listen on a free loopback port."""
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        """Stop listening and close everything still open."""
        if self._server is not None:
            self._server.close()
            for writer in list(self._hanging):
                writer.close()
            await self._server.wait_closed()
        await self._client.aclose()

    def _fate(self) -> str:
        names = [name for name, _ in FATES]
        weights = [weight for _, weight in FATES]
        return self._rng.choices(names, weights)[0]

    async def _serve(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        try:
            while True:
                request = await _read_request(reader)
                if request is None:
                    return
                if not await self._answer(request, writer):
                    return
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            self._hanging.discard(writer)
            writer.close()

    def _token_refusal(self, token: str | None) -> str | None:
        """Why the proxy refuses `token` on its own, if it does."""
        if token is None:
            return None
        if token in self._revoked:
            return "401-revoked"
        issued = self._issued.get(token)
        if (
            self.token_lifetime is not None
            and issued is not None
            and time.monotonic() - issued > self.token_lifetime
        ):
            return "401-expired"
        return None

    async def _answer(self, request: _Request, writer: asyncio.StreamWriter) -> bool:
        token = _bearer(request)
        refusal = self._token_refusal(token)
        if refusal is not None:
            self.fates[refusal] += 1
            await _reply(writer, 401, _INVALID_TOKEN, b'{"error": "invalid_token"}')
            return True
        fate = self._fate()
        if fate == "401-revoke" and token is None:
            fate = "pass"  # a token request has no token to revoke
        self.fates[fate] += 1
        if fate == "401-revoke":
            assert token is not None
            self._revoked.add(token)
            await _reply(writer, 401, _INVALID_TOKEN, b'{"error": "invalid_token"}')
            return True
        if fate == "drop-before":
            return False
        if fate == "500-before":
            await _reply(writer, 500, {}, b'{"error": "injected"}')
            return True
        if fate == "429":
            retry_after = {"Retry-After": str(self._rng.choice((0, 1)))}
            await _reply(writer, 429, retry_after, b'{"error": "slow_down"}')
            return True
        upstream = await self._client.request(
            request.method,
            request.target,
            headers=request.headers,
            content=request.body,
        )
        self._note_token(upstream)
        if fate == "drop-after":
            return False
        if fate == "hang-after":
            # The server acted; the client waits for an answer that never comes.
            self._hanging.add(writer)
            await asyncio.sleep(self.hang_seconds)
            return False
        if fate == "500-after":
            await _reply(writer, 500, {}, b'{"error": "injected"}')
            return True
        headers = {
            k: v for k, v in upstream.headers.items() if k.lower() not in HOP_HEADERS
        }
        await _reply(writer, upstream.status_code, headers, upstream.content)
        return True

    def _note_token(self, upstream: httpx.Response) -> None:
        """Start the proxy's own clock on a token the server just issued."""
        if upstream.status_code != 200 or "access_token" not in upstream.text:
            return
        with contextlib.suppress(ValueError, KeyError, TypeError):
            token = json.loads(upstream.content)["access_token"]
            self._issued[token] = time.monotonic()


_INVALID_TOKEN = {"WWW-Authenticate": 'Bearer error="invalid_token"'}


def _bearer(request: _Request) -> str | None:
    for name, value in request.headers.items():
        if name.lower() == "authorization" and value.startswith("Bearer "):
            return value.removeprefix("Bearer ")
    return None


@dataclass
class _Request:
    method: str
    target: str
    headers: dict[str, str]
    body: bytes


async def _read_request(reader: asyncio.StreamReader) -> _Request | None:
    line = await reader.readline()
    if not line:
        return None
    method, target, _version = line.decode("latin-1").split(" ", 2)
    headers: dict[str, str] = {}
    while (header := await reader.readline()) not in (b"\r\n", b"\n", b""):
        name, _, value = header.decode("latin-1").partition(":")
        headers[name.strip()] = value.strip()
    length = int(headers.get("Content-Length", headers.get("content-length", "0")))
    body = await reader.readexactly(length) if length else b""
    kept = {k: v for k, v in headers.items() if k.lower() not in HOP_HEADERS | {"host"}}
    return _Request(method, target, kept, body)


async def _reply(
    writer: asyncio.StreamWriter, status: int, headers: dict[str, str], body: bytes
) -> None:
    lines = [f"HTTP/1.1 {status} X"]
    lines += [f"{k}: {v}" for k, v in headers.items()]
    lines += [f"Content-Length: {len(body)}", "", ""]
    writer.write("\r\n".join(lines).encode("latin-1") + body)
    await writer.drain()
