"""Throughput and latency of the Konnect emulator under 50 concurrent clients.

Starts `python -m kiosk emulator` on a free loopback port with a temporary
state file, then measures `GET /Api/locations` and `POST /Api/goodsin`, each
with a bounded number of requests. Run with `python -m benchmarks`.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import httpx

CONCURRENCY = 50
REQUESTS = 3000
WARM_UP = 200
REPO_ROOT = Path(__file__).resolve().parents[1]
TOKEN_FORM = {
    "grant_type": "client_credentials",
    "scope": "StockonnectPartnerAPI",
    "client_id": "demo-partner",
    "client_secret": "demo-partner-secret",
}

Call = Callable[["_Connection", int], Awaitable[int]]


class _Connection:
    """A bare HTTP/1.1 keep-alive connection.

    The load generator shares the machine's cores with the server; a pooled
    general-purpose client spends more CPU per request than the server does
    and would measure itself. This one costs next to nothing.
    """

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter):
        self._reader = reader
        self._writer = writer

    @classmethod
    async def open(cls, port: int) -> _Connection:
        """Connect to the server on loopback."""
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        return cls(reader, writer)

    async def request(
        self, method: str, path: str, token: str, body: bytes = b""
    ) -> tuple[int, bytes]:
        """Send one request and read the whole response: status and body."""
        head = (
            f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            f"Authorization: Bearer {token}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
        )
        self._writer.write(head.encode() + body)
        header = await self._reader.readuntil(b"\r\n\r\n")
        lines = header.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        length = 0
        for line in lines[1:]:
            name, _, value = line.partition(":")
            if name.strip().lower() == "content-length":
                length = int(value)
        return status, await self._reader.readexactly(length)

    async def close(self) -> None:
        """Close the connection."""
        self._writer.close()
        await self._writer.wait_closed()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _start(port: int, db: Path) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(
        [
            *(sys.executable, "-m", "kiosk", "emulator", "--port", str(port)),
            *("--db", str(db), "--log-level", "WARNING"),
        ],
        cwd=REPO_ROOT,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/openapi.json", timeout=1)
            return process
        except httpx.TransportError:
            time.sleep(0.05)
    process.terminate()
    raise RuntimeError("the emulator did not start")


async def _measure(
    connections: list[_Connection], call: Call
) -> tuple[float, list[float]]:
    """Run REQUESTS calls, one worker per connection; wall time and latencies."""
    counter = itertools.count()
    latencies: list[float] = []

    async def worker(connection: _Connection) -> None:
        while (n := next(counter)) < REQUESTS:
            started = time.perf_counter()
            status = await call(connection, n)
            latencies.append(time.perf_counter() - started)
            if status != 200:
                raise RuntimeError(f"request {n} answered {status}")

    started = time.perf_counter()
    await asyncio.gather(*(worker(c) for c in connections))
    return time.perf_counter() - started, latencies


def _server_cpu_s(pid: int) -> float:
    """CPU seconds the server process has used (Linux), to tell a slow
    server from a slow load generator sharing the same cores."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def _phase(
    name: str, connections: list[_Connection], call: Call, pid: int
) -> None:
    cpu_before = _server_cpu_s(pid)
    elapsed, latencies = await _measure(connections, call)
    server_ms = (_server_cpu_s(pid) - cpu_before) / len(latencies) * 1000
    cuts = statistics.quantiles(latencies, n=100)
    sys.stdout.write(
        f"{name:<20} {len(latencies) / elapsed:6.0f} req/s"
        f"  p50 {cuts[49] * 1000:6.1f} ms  p99 {cuts[98] * 1000:6.1f} ms"
        f"  server CPU {server_ms:.2f} ms/req"
        f"  ({len(latencies)} requests, {CONCURRENCY} clients)\n"
    )


async def _run(url: str, port: int, pid: int) -> None:
    async with httpx.AsyncClient() as plain:
        response = await plain.post(f"{url}/Auth/core/connect/token", data=TOKEN_FORM)
    token: str = response.json()["access_token"]
    run_id = os.urandom(4).hex()

    async def locations(c: _Connection, _: int) -> int:
        return (await c.request("GET", "/Api/locations", token))[0]

    async def goods_in(c: _Connection, n: int) -> int:
        body = json.dumps(
            {"locationIdentifier": "BH1", "trackingNumber": f"B-{run_id}-{n}"}
        )
        return (await c.request("POST", "/Api/goodsin", token, body.encode()))[0]

    connections = [await _Connection.open(port) for _ in range(CONCURRENCY)]
    try:
        for connection in connections:
            await locations(connection, 0)
        for _ in range(WARM_UP // CONCURRENCY):
            await asyncio.gather(*(locations(c, 0) for c in connections))
        await _phase("GET /Api/locations", connections, locations, pid)
        await _phase("POST /Api/goodsin", connections, goods_in, pid)
    finally:
        for connection in connections:
            await connection.close()


def main() -> int:
    """Start an emulator, measure both endpoints, stop it; 0 on success."""
    port = _free_port()
    with tempfile.TemporaryDirectory(prefix="emulator-bench-") as tmp:
        process = _start(port, Path(tmp) / "bench.sqlite3")
        try:
            sys.stdout.write(f"emulator on 127.0.0.1:{port}, {os.cpu_count()} CPUs\n")
            asyncio.run(_run(f"http://127.0.0.1:{port}", port, process.pid))
        finally:
            process.terminate()
            process.wait(timeout=10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
