"""Latency of ``newsfuse serve`` under 1, 10 and 50 concurrent clients, on loopback only.

    python -m bench.server [--input ../shared/seeds] [--requests 10] [--workers N]

Starts ``newsfuse serve`` on 127.0.0.1 (a free port, a fresh store in a temporary folder),
waits for ``/healthz``, then for each concurrency c sends ``max(c, requests)`` POST /api/brief
requests of the same articles, c at a time, and prints p50 and p99 latency, the wall time and
the wall time in units of one sequential briefing (the 1-client wall time per request).
Bounded: a fixed number of requests, each with a timeout; the server is stopped at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from newsfuse.readers import read_inputs

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
LEVELS = (1, 10, 50)


def body(folder: Path) -> dict[str, Any]:
    arts = read_inputs([str(folder)]).articles
    fields = ("id", "title", "text", "url", "outlet", "published")
    return {"articles": [{f: getattr(a, f) for f in fields if getattr(a, f)} for a in arts]}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start(port: int, db: Path, workers: int | None) -> subprocess.Popen[bytes]:
    cmd = [sys.executable, "-m", "newsfuse", "serve", "--db", str(db), "--port", str(port)]
    cmd += ["--workers", str(workers)] if workers is not None else []
    return subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def wait_ready(base: str, deadline_s: float = 120) -> None:
    end = time.monotonic() + deadline_s
    while time.monotonic() < end:
        try:
            if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.25)
    raise SystemExit("the server did not become ready")


async def level(base: str, payload: dict[str, Any], clients: int, total: int) -> dict[str, float]:
    gate = asyncio.Semaphore(clients)
    limits = httpx.Limits(max_connections=clients)
    async with httpx.AsyncClient(base_url=base, timeout=600, limits=limits) as client:

        async def one() -> float:
            async with gate:
                t = time.perf_counter()
                answer = await client.post("/api/brief", json=payload)
                answer.raise_for_status()
                return time.perf_counter() - t

        start = time.perf_counter()
        times = sorted(await asyncio.gather(*(one() for _ in range(total))))
        wall = time.perf_counter() - start
    return {
        "p50": statistics.median(times),
        "p99": times[min(len(times) - 1, round(0.99 * (len(times) - 1)))],
        "wall": wall,
        "n": total,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--input", type=Path, default=SEEDS)
    ap.add_argument("--requests", type=int, default=10)
    ap.add_argument("--workers", type=int, default=None)
    args = ap.parse_args()
    payload = body(args.input)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as tmp:
        server = start(port, Path(tmp) / "news.db", args.workers)
        try:
            wait_ready(base)
            print(f"{len(payload['articles'])} articles a request, workers "
                  f"{args.workers if args.workers is not None else os.cpu_count()}")  # fmt: skip
            print("| clients | requests | p50 s | p99 s | wall s | wall in sequential briefings |")
            print("|---|---|---|---|---|---|")
            one = None
            for c in LEVELS:
                r = asyncio.run(level(base, payload, c, max(c, args.requests)))
                one = one or r["wall"] / r["n"]
                print(f"| {c} | {r['n']:.0f} | {r['p50']:.2f} | {r['p99']:.2f} | "
                      f"{r['wall']:.1f} | {r['wall'] / one:.1f} |")  # fmt: skip
        finally:
            server.terminate()
            server.wait(30)


if __name__ == "__main__":
    main()
