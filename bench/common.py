"""Helpers the benchmarks share: databases to build once, the app served over real HTTP on
loopback, a small cookie-keeping HTTP client, TOTP codes, percentiles and tables.

Nothing here imports Django: a benchmark's outer process only drives subprocesses and sockets,
so what it measures is the server, not the client sharing its interpreter.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import http.client
import json
import os
import socket
import struct
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PG_SERVER = "postgres://postgres@127.0.0.1:5432"


def pg_name(name: str) -> str:
    return f"laomo_{name}"


def database_url(kind: str, name: str) -> str:
    """``sqlite`` → var/<name>.sqlite3; ``postgres`` → database laomo_<name> on the local server."""
    if kind == "sqlite":
        return f"sqlite:///{ROOT / 'var' / (name + '.sqlite3')}"
    return f"{PG_SERVER}/{pg_name(name)}"


def ensure_postgres_database(name: str, *, recreate: bool = False) -> None:
    import psycopg

    name = pg_name(name)
    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and recreate:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = None
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def remove_sqlite_database(url: str) -> None:
    path = Path(url.removeprefix("sqlite:///"))
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(str(path) + suffix).unlink(missing_ok=True)


def app_env(url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=url,
        LAOMO_DEBUG="true",
        LAOMO_TESTING="false",
        DJANGO_SETTINGS_MODULE="laomo.settings",
        LOG_LEVEL="WARNING",
    )
    return env


def run_inside(script: Path, url: str, *args: str) -> Any:
    """Run ``script --inside ARGS`` with Django set up on ``url``; its last stdout line is JSON."""
    result = subprocess.run(
        [PYTHON, str(script), "--inside", *args],
        cwd=ROOT,
        env=app_env(url),
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(f"{script.name} --inside {' '.join(args)} failed on {url}")
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    return json.loads(lines[-1])


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """gunicorn on 127.0.0.1 (one sync worker: requests are measured one at a time)."""

    def __init__(self, url: str) -> None:
        self.port = free_port()
        self.url = url
        self.proc: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Server:
        gunicorn = str(Path(PYTHON).with_name("gunicorn"))
        self.proc = subprocess.Popen(
            [gunicorn, "laomo.wsgi:application", "-b", f"127.0.0.1:{self.port}", "-w", "1", "--log-level", "warning"],
            cwd=ROOT,
            env=app_env(self.url),
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                status, _ = HttpClient(self.port).get("/healthz")
                if status == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.2)
        self.__exit__()
        raise SystemExit("the app did not start")

    def __exit__(self, *exc: object) -> None:
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(timeout=30)


@dataclass
class HttpClient:
    """Just enough of a browser: cookies, a bearer token if given, one request per connection."""

    port: int
    cookies: dict[str, str] = field(default_factory=dict)
    token: str = ""

    def request(self, method: str, path: str, body: dict[str, str] | None = None) -> tuple[int, bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"Host": f"127.0.0.1:{self.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        data = None
        if body is not None:
            data = urllib.parse.urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://127.0.0.1:{self.port}{path}"
        try:
            conn.request(method, path, body=data, headers=headers)
            response = conn.getresponse()
            payload = response.read()
            for name, value in response.getheaders():
                if name.lower() == "set-cookie":
                    key, _, rest = value.partition("=")
                    self.cookies[key.strip()] = rest.split(";", 1)[0]
            return response.status, payload
        finally:
            conn.close()

    def get(self, path: str) -> tuple[int, bytes]:
        return self.request("GET", path)

    def post(self, path: str, body: dict[str, str]) -> tuple[int, bytes]:
        return self.request("POST", path, body)


def totp(hex_key: str, *, at: float | None = None, step: int = 30, digits: int = 6) -> str:
    """RFC 6238, as django-otp's TOTPDevice checks it (SHA-1, 30 s, 6 digits)."""
    counter = int((time.time() if at is None else at) // step)
    mac = hmac.new(bytes.fromhex(hex_key), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    code = (struct.unpack(">I", mac[offset : offset + 4])[0] & 0x7FFFFFFF) % 10**digits
    return f"{code:0{digits}d}"


def b32(hex_key: str) -> str:
    return base64.b32encode(bytes.fromhex(hex_key)).decode()


def percentile(values: Sequence[float], pct: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(pct / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def timed(client: HttpClient, paths: Iterable[str], *, warmup: int = 10) -> list[float]:
    """Milliseconds per request (send to last byte). Every answer must be 200."""
    paths = list(paths)
    for path in paths[:warmup]:
        client.get(path)
    times = []
    for path in paths:
        started = time.perf_counter()
        status, _ = client.get(path)
        times.append((time.perf_counter() - started) * 1000)
        if status != 200:
            raise SystemExit(f"GET {path} answered {status}")
    return times


def table(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    rows = [[str(c) for c in r] for r in rows]
    widths = [max(len(str(h)), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
    line = "  ".join(str(h).ljust(w) for h, w in zip(headers, widths, strict=True))
    out = [line, "  ".join("-" * w for w in widths)]
    out += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    return "\n".join(out)
