"""The Python side of `make bench`: the SDK against httpx and aiohttp (asyncio) and requests
(blocking) on the same loopback server (avochato-mock answering from prepared bodies).

    python bench.py calls URL AUTH_ID AUTH_SECRET N   -> latency and throughput, as JSON
    python bench.py memory URL AUTH_ID AUTH_SECRET    -> peak RSS walking 100,000 contacts
"""

from __future__ import annotations

import asyncio
import json
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Awaitable, Callable

import aiohttp
import httpx
import requests

import avochato

PHONE, TEXT = "+14155550100", "Benchmark message"


def stats(us: list[float]) -> dict[str, float]:
    us = sorted(us)
    at = lambda q: us[max(1, min(len(us), int(-(-q * len(us) // 1)))) - 1]  # noqa: E731
    return {"median_us": at(0.5), "p99_us": at(0.99), "n": len(us)}


class Target:
    def __init__(self, url: str, auth_id: str, secret: str) -> None:
        self.url, self.auth_id, self.secret = url, auth_id, secret
        options = dict(auth_id=auth_id, auth_secret=secret, base_url=url)
        self.sdk = avochato.Client(**options)
        self.asdk = avochato.AsyncClient(**options)
        self.local = threading.local()
        self.ahttp: httpx.AsyncClient | None = None
        self.aio: aiohttp.ClientSession | None = None

    # -- blocking
    def session(self) -> requests.Session:
        s = getattr(self.local, "session", None)
        if s is None:
            s = self.local.session = requests.Session()
        return s

    def sdk_send(self) -> None:
        self.sdk.messages.send(phone=PHONE, message=TEXT)

    def sdk_list(self) -> None:
        assert len(self.sdk.contacts.list(limit=100)) == 100

    def raw_send(self) -> None:
        r = self.session().post(f"{self.url}/v1/messages", json={"auth_id": self.auth_id, "auth_secret": self.secret, "phone": PHONE, "message": TEXT})
        json.loads(r.content)

    def raw_list(self) -> None:
        r = self.session().get(f"{self.url}/v1/contacts", params={"auth_id": self.auth_id, "auth_secret": self.secret, "limit": "100"})
        assert len(json.loads(r.content)["data"]["contacts"]) == 100

    # -- asyncio
    async def asdk_send(self) -> None:
        await self.asdk.messages.send(phone=PHONE, message=TEXT)

    async def asdk_list(self) -> None:
        assert len(await self.asdk.contacts.list(limit=100)) == 100

    async def ahttp_send(self) -> None:
        assert self.ahttp is not None
        r = await self.ahttp.post(f"{self.url}/v1/messages", json={"auth_id": self.auth_id, "auth_secret": self.secret, "phone": PHONE, "message": TEXT})
        json.loads(r.content)

    async def ahttp_list(self) -> None:
        assert self.ahttp is not None
        r = await self.ahttp.get(f"{self.url}/v1/contacts", params={"auth_id": self.auth_id, "auth_secret": self.secret, "limit": "100"})
        assert len(json.loads(r.content)["data"]["contacts"]) == 100

    async def aio_send(self) -> None:
        assert self.aio is not None
        body = {"auth_id": self.auth_id, "auth_secret": self.secret, "phone": PHONE, "message": TEXT}
        async with self.aio.post(f"{self.url}/v1/messages", json=body) as r:
            json.loads(await r.read())

    async def aio_list(self) -> None:
        assert self.aio is not None
        params = {"auth_id": self.auth_id, "auth_secret": self.secret, "limit": "100"}
        async with self.aio.get(f"{self.url}/v1/contacts", params=params) as r:
            assert len(json.loads(await r.read())["data"]["contacts"]) == 100


def combine(rounds: list[tuple[list[float], list[float]]]) -> dict[str, Any]:
    """Three rounds of calls: the middle round's medians (by ratio), the p99 over all calls."""
    scored = sorted(((stats(s)["median_us"] / stats(r)["median_us"], s, r) for s, r in rounds), key=lambda x: x[0])
    ratio, mid_sdk, mid_raw = scored[1]
    sdk = stats([x for s, _ in rounds for x in s])
    raw = stats([x for _, r in rounds for x in r])
    sdk["median_us"], raw["median_us"] = stats(mid_sdk)["median_us"], stats(mid_raw)["median_us"]
    return {"sdk": sdk, "raw": raw, "ratio": ratio, "round_ratios": [x[0] for x in scored]}


def combine_sides(rounds: list[dict[str, list[float]]], raw: str, others: tuple[str, ...]) -> dict[str, Any]:
    """`combine` against the `raw` side, with each of `others` compared the same way
    (under its own name: its stats, `<name>_ratio` and `<name>_round_ratios`)."""
    out = combine([(r["sdk"], r[raw]) for r in rounds])
    for name in others:
        other = combine([(r["sdk"], r[name]) for r in rounds])
        out[name], out[f"{name}_ratio"], out[f"{name}_round_ratios"] = other["raw"], other["ratio"], other["round_ratios"]
        out[f"sdk_vs_{name}"] = other["sdk"]
    return out


def blocking_latency(sdk: Callable[[], None], raw: Callable[[], None], n: int) -> dict[str, Any]:
    for f in (sdk, raw):
        for _ in range(200):
            f()
    rounds = []
    for _ in range(3):
        out: dict[str, list[float]] = {"sdk": [], "raw": []}
        while len(out["sdk"]) < n:
            for side, f in (("sdk", sdk), ("raw", raw)):
                for _ in range(100):
                    t0 = time.perf_counter_ns()
                    f()
                    out[side].append((time.perf_counter_ns() - t0) / 1000)
        rounds.append((out["sdk"], out["raw"]))
    return combine(rounds)


async def async_latency(sides: dict[str, Callable[[], Awaitable[None]]], n: int) -> dict[str, Any]:
    """Sequential calls, the sides (`sdk`, `raw` = httpx, `aiohttp`) alternating in blocks of
    100, three rounds."""
    for f in sides.values():
        for _ in range(200):
            await f()
    rounds = []
    for _ in range(3):
        out: dict[str, list[float]] = {side: [] for side in sides}
        while len(out["sdk"]) < n:
            for side, f in sides.items():
                for _ in range(100):
                    t0 = time.perf_counter_ns()
                    await f()
                    out[side].append((time.perf_counter_ns() - t0) / 1000)
        rounds.append(out)
    return combine_sides(rounds, "raw", tuple(s for s in sides if s not in ("sdk", "raw")))


def blocking_throughput(f: Callable[[], None], c: int, n: int) -> float:
    shares = [n // c + (1 if i < n % c else 0) for i in range(c)]

    def work(k: int) -> None:
        for _ in range(k):
            f()

    t0 = time.perf_counter()
    with ThreadPoolExecutor(c) as pool:
        list(pool.map(work, shares))
    return n / (time.perf_counter() - t0)


async def async_throughput(f: Callable[[], Awaitable[None]], c: int, n: int) -> float:
    shares = [n // c + (1 if i < n % c else 0) for i in range(c)]

    async def work(k: int) -> None:
        for _ in range(k):
            await f()

    t0 = time.perf_counter()
    await asyncio.gather(*(work(k) for k in shares))
    return n / (time.perf_counter() - t0)


async def calls(t: Target, n: int) -> dict[str, Any]:
    out: dict[str, Any] = {"latency": {}, "throughput": {}}
    limits = httpx.Limits(max_connections=None, max_keepalive_connections=100)
    # aiohttp as it is usually set up: one session, its default pool (100 connections).
    async with httpx.AsyncClient(limits=limits, timeout=30) as ahttp, aiohttp.ClientSession() as aio:
        t.ahttp, t.aio = ahttp, aio
        for name, asdk, araw, aaio, sdk, raw in (
            ("messages.send", t.asdk_send, t.ahttp_send, t.aio_send, t.sdk_send, t.raw_send),
            ("contacts.list", t.asdk_list, t.ahttp_list, t.aio_list, t.sdk_list, t.raw_list),
        ):
            out["latency"][f"async {name}"] = await async_latency({"sdk": asdk, "raw": araw, "aiohttp": aaio}, n)
            out["latency"][f"blocking {name}"] = blocking_latency(sdk, raw, n)
            for c in (1, 8, 64):
                # The median of three runs, the sides alternating.
                runs: dict[str, list[float]] = {"a_sdk": [], "a_raw": [], "a_aio": [], "b_sdk": [], "b_raw": []}
                for _ in range(3):
                    runs["a_sdk"].append(await async_throughput(asdk, c, n // 2))
                    runs["a_raw"].append(await async_throughput(araw, c, n // 2))
                    runs["a_aio"].append(await async_throughput(aaio, c, n // 2))
                    runs["b_sdk"].append(blocking_throughput(sdk, c, n // 2))
                    runs["b_raw"].append(blocking_throughput(raw, c, n // 2))
                a_sdk, a_raw, a_aio, b_sdk, b_raw = (sorted(runs[k])[1] for k in ("a_sdk", "a_raw", "a_aio", "b_sdk", "b_raw"))
                out["throughput"].setdefault(f"async {name}", {})[str(c)] = {
                    "sdk": a_sdk, "raw": a_raw, "ratio": a_sdk / a_raw, "aiohttp": a_aio, "aiohttp_ratio": a_sdk / a_aio,
                    "runs": {k: runs[k] for k in ("a_sdk", "a_raw", "a_aio")},
                }
                out["throughput"].setdefault(f"blocking {name}", {})[str(c)] = {"sdk": b_sdk, "raw": b_raw, "ratio": b_sdk / b_raw}
    return out


def status_kib(key: str) -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(key):
                return int(line.split()[1])
    return 0


def raw_contacts(url: str, auth_id: str, secret: str) -> Any:
    """Every contact of the canned 1,000-page list with requests + json.loads."""
    session = requests.Session()
    params = {"auth_id": auth_id, "auth_secret": secret, "limit": "100"}
    while True:
        data = json.loads(session.get(f"{url}/v1/contacts", params=params).content)["data"]
        yield from data["contacts"]
        if not data.get("next_page"):
            return
        params["after_page"] = data["next_page"]


def memory(url: str, auth_id: str, secret: str, raw: bool = False) -> dict[str, Any]:
    client = avochato.Client(auth_id=auth_id, auth_secret=secret, base_url=url)
    client.verify()
    requests.Session().get(f"{url}/v1/contacts")
    baseline = status_kib("VmRSS:")
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
    except OSError:
        pass
    t0 = time.perf_counter()
    count = 0
    walk = raw_contacts(url, auth_id, secret) if raw else client.contacts.iter(limit=100)
    for contact in walk:
        count += 1
    peak = max(status_kib("VmHWM:"), status_kib("VmRSS:"))
    return {"items": count, "baseline_kib": baseline, "peak_kib": peak, "delta_kib": max(0, peak - baseline), "seconds": time.perf_counter() - t0}


def main() -> None:
    mode, url, auth_id, secret, *rest = sys.argv[1:]
    if mode in ("memory", "memory-raw"):
        print(json.dumps(memory(url, auth_id, secret, raw=mode == "memory-raw")))
    else:
        n = int(rest[0]) if rest else 2000
        print(json.dumps(asyncio.run(calls(Target(url, auth_id, secret), n))))


if __name__ == "__main__":
    main()
