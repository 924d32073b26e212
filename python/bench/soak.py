"""The Python side of `make soak`: N calls through one `avochato.AsyncClient` at concurrency C
against the release mock (answering from prepared bodies), with the process's figures every
10,000 calls.

    python soak.py URL AUTH_ID AUTH_SECRET N C [mix]

Prints one JSON line per checkpoint (`{"calls", "rss_mb", "blocks", "objects", "fds"}`; at 0,
then every 10,000 calls), then `{"done": ...}`. `mix`: every 10th call is a 100-contact
`contacts.list` instead of `messages.send`. Figures are taken after `gc.collect()`: `blocks` is
`sys.getallocatedblocks()` (Python's own allocations), `objects` the objects the collector
tracks; RSS also holds the Rust side (tokio runtime, transport, decoded bodies).
"""

from __future__ import annotations

import asyncio
import gc
import json
import os
import sys
import time

import avochato

PHONE, TEXT = "+14155550100", "Soak message"
EVERY = 10_000


def rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def checkpoint(calls: int, t0: float) -> None:
    gc.collect()
    print(json.dumps({
        "calls": calls,
        "rss_mb": round(rss_mb(), 1),
        "blocks": sys.getallocatedblocks(),
        "objects": len(gc.get_objects()),
        "fds": len(os.listdir("/proc/self/fd")),
        "seconds": round(time.perf_counter() - t0, 2),
    }), flush=True)


async def soak(url: str, auth_id: str, secret: str, n: int, c: int, mix: bool) -> None:
    started = 0
    failures = 0
    t0 = time.perf_counter()
    async with avochato.AsyncClient(auth_id=auth_id, auth_secret=secret, base_url=url) as client:
        checkpoint(0, t0)

        async def worker() -> None:
            nonlocal started, failures
            while started < n:
                started += 1
                i = started
                try:
                    if mix and i % 10 == 0:
                        page = await client.contacts.list(limit=100)
                        assert len(page) == 100
                    else:
                        await client.messages.send(phone=PHONE, message=TEXT)
                except avochato.AvochatoError:
                    failures += 1
                # Calls finish out of order: the checkpoint is taken by the call that makes
                # the count of finished ones a multiple of EVERY.
                done[0] += 1
                if done[0] % EVERY == 0:
                    checkpoint(done[0], t0)

        done = [0]
        await asyncio.gather(*(worker() for _ in range(c)))
    print(json.dumps({"done": done[0], "failures": failures, "seconds": round(time.perf_counter() - t0, 2)}), flush=True)


def main() -> None:
    url, auth_id, secret, n, c, *rest = sys.argv[1:]
    asyncio.run(soak(url, auth_id, secret, int(n), int(c), mix="mix" in rest))


if __name__ == "__main__":
    main()
