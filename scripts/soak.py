#!/usr/bin/env python3
"""`make soak`: 100,000 calls through the Python `AsyncClient` and through Node, at concurrency 32,
against the release mock (`--no-record`, answering from prepared bodies as `make bench` does),
with RSS, heap and open file descriptors every 10,000 calls.

Two runs per host: `messages.send` only, then a mix (every 10th call a 100-contact
`contacts.list`). The first 10,000 calls are the warm-up: growth is measured from the 10,000
checkpoint to the last (goal: RSS within 10 %, and no more open descriptors). Writes
target/bench/soak.json and the section of BENCHMARKS.md between `<!-- soak -->` and
`<!-- /soak -->` (appended if missing; the rest of the file is left as it is).

    SOAK_CALLS (100000), SOAK_CONCURRENCY (32), SOAK_HOSTS (python,node), SOAK_RUNS (send,mix)
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
import bench  # noqa: E402 (same folder: the mock, its prepared answers, the machine)

ROOT = bench.ROOT
CALLS = int(os.environ.get("SOAK_CALLS", "100000"))
CONCURRENCY = int(os.environ.get("SOAK_CONCURRENCY", "32"))
HOSTS = os.environ.get("SOAK_HOSTS", "python,node").split(",")
RUNS = os.environ.get("SOAK_RUNS", "send,mix").split(",")
WARMUP = 10_000
GOAL_PCT = 10.0
OUT = ROOT / "target" / "bench"
START, END = "<!-- soak -->", "<!-- /soak -->"

# What each host reports besides RSS and descriptors: (key, column title).
HEAP = {
    "python": [("blocks", "Python blocks"), ("objects", "gc objects")],
    "node": [("heap_mb", "heapUsed MB"), ("external_mb", "external MB")],
}
SHORT = {"blocks": "blocks", "objects": "objects", "heap_mb": "heapUsed", "external_mb": "external"}


def log(msg: str) -> None:
    print(f"[soak] {msg}", flush=True)


def host_cmd(host: str, mock_url: str, run: str) -> list[str]:
    args = [mock_url, bench.AUTH_ID, bench.SECRET, str(CALLS), str(CONCURRENCY), run]
    if host == "python":
        return [str(bench.VENV_PY), "python/bench/soak.py", *args]
    return ["node", "--expose-gc", "js/bench/soak.mjs", *args]


def soak(host: str, run: str, mock_url: str) -> dict[str, Any]:
    log(f"{host}: {CALLS:,} calls ({run}) at concurrency {CONCURRENCY}")
    proc = subprocess.Popen(host_cmd(host, mock_url, run), cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    points: list[dict[str, Any]] = []
    done: dict[str, Any] = {}
    for line in proc.stdout:
        row = json.loads(line)
        if "done" in row:
            done = row
            continue
        points.append(row)
        extra = "  ".join(f"{title} {row[k]:,}" for k, title in HEAP[host])
        print(f"  {row['calls']:>7,} calls  RSS {row['rss_mb']:>6.1f} MB  {extra}  fds {row['fds']}  ({row['seconds']:.1f} s)", flush=True)
    if proc.wait() != 0:
        raise SystemExit(f"{host} soak failed (exit {proc.returncode})")
    return {"points": points, "done": done, "growth": growth(host, points),
            "growth_from_20k": growth(host, points, 2 * WARMUP)}


def growth(host: str, points: list[dict[str, Any]], since: int = WARMUP) -> dict[str, Any]:
    """From the checkpoint at `since` calls to the last, in % (descriptors: the difference). The
    goal is on RSS and descriptors; the heap figures are there to tell where growth is."""
    base = next((p for p in points if p["calls"] == since), None)
    last = points[-1] if points else None
    if base is None or last is None or last["calls"] <= since:
        return {}

    def pct(k: str) -> float:
        return 100.0 * (last[k] - base[k]) / base[k] if base[k] else 0.0

    out: dict[str, Any] = {"since": since, "rss_pct": pct("rss_mb"), "fds_delta": last["fds"] - base["fds"]}
    for k, _ in HEAP[host]:
        out[f"{k}_pct"] = pct(k)
    out["flat"] = out["rss_pct"] <= GOAL_PCT and out["fds_delta"] <= 0
    return out


def describe(host: str, g: dict[str, Any]) -> str:
    heap = ", ".join(f"{SHORT[k]} {g[k + '_pct']:+.1f} %" for k, _ in HEAP[host])
    return f"RSS {g['rss_pct']:+.1f} %, open fds {g['fds_delta']:+d} ({heap})"


def render(results: dict[str, Any]) -> str:
    lines = [
        START,
        f"## Soak: {CALLS:,} calls at concurrency {CONCURRENCY}",
        "",
        f"Written by `make soak` (`scripts/soak.py`) on {results['date']}; not part of `make test`. One client per host "
        f"({CONCURRENCY} concurrent callers: asyncio tasks on one `avochato.AsyncClient`, promises on one Node client) against the "
        "release mock (`--no-record`, prepared bodies as above). Runs: `send` is `messages.send` only; `mix` makes every 10th "
        "call a 100-contact `contacts.list`. Figures after a full collection (`gc.collect()`, `global.gc()`): RSS, Python's "
        "allocated blocks (`sys.getallocatedblocks()`) and tracked objects, Node's `heapUsed` and `external` (WebAssembly "
        f"memory and buffers), open descriptors (`/proc/self/fd`). Growth is from the end of the {WARMUP:,}-call warm-up to "
        f"the last checkpoint; goal: RSS at most {GOAL_PCT:.0f} % higher and no more open descriptors (the heap figures "
        "show where growth would be). Node's RSS holds V8's young generation (two semi-spaces of up to 16 MB by default), "
        f"which can take more than {WARMUP:,} calls to fill: the growth from {2 * WARMUP // 1000}k is shown as well.",
        "",
    ]
    for key, r in results["runs"].items():
        host, run = key.split("/")
        cols = HEAP[host]
        title = "Python `AsyncClient`" if host == "python" else "Node"
        secs = r["done"].get("seconds", 0)
        rate = f"{r['done'].get('done', 0) / secs:,.0f} calls/s" if secs else ""
        lines += [f"**{title}, `{run}`** ({secs:.0f} s, {rate}, {r['done'].get('failures', 0)} failed calls)", ""]
        lines.append("| calls | RSS MB | " + " | ".join(t for _, t in cols) + " | open fds |")
        lines.append("|---|---|" + "---|" * len(cols) + "---|")
        for p in r["points"]:
            lines.append(f"| {p['calls']:,} | {p['rss_mb']:.1f} | " + " | ".join(f"{p[k]:,}" for k, _ in cols) + f" | {p['fds']} |")
        g, steady = r["growth"], r["growth_from_20k"]
        if g:
            verdict = "met" if g["flat"] else "**missed**"
            lines += ["", f"Growth {WARMUP // 1000}k → {r['points'][-1]['calls'] // 1000}k: {describe(host, g)} — goal {verdict}."]
        if steady:
            lines.append(f"From {2 * WARMUP // 1000}k: {describe(host, steady)}.")
        lines.append("")
    lines.append(END)
    return "\n".join(lines)


def write_section(section: str) -> None:
    path = ROOT / "BENCHMARKS.md"
    text = path.read_text() if path.exists() else "# Benchmarks\n"
    if START in text and END in text:
        head, rest = text.split(START, 1)
        tail = rest.split(END, 1)[1]
        text = head + section + tail
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    path.write_text(text)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    bench.RELEASE = Path(os.environ.get("CARGO_TARGET_DIR") or ROOT / "target").resolve() / "release"
    t0 = time.perf_counter()
    results: dict[str, Any] = {
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), "machine": bench.machine(),
        "calls": CALLS, "concurrency": CONCURRENCY, "warmup": WARMUP, "runs": {},
    }
    mock = bench.Mock("--no-record")
    try:
        bench.canned(mock)
        for run in RUNS:
            for host in HOSTS:
                results["runs"][f"{host}/{run}"] = soak(host, run, mock.url)
    finally:
        mock.stop()
    results["seconds"] = time.perf_counter() - t0
    (OUT / "soak.json").write_text(json.dumps(results, indent=2))
    write_section(render(results))
    for key, r in results["runs"].items():
        g = r["growth"]
        log(f"{key}: RSS {g.get('rss_pct', 0):+.1f} %, fds {g.get('fds_delta', 0):+d}: {'flat' if g.get('flat') else 'NOT flat'}")
    log(f"wrote target/bench/soak.json and the soak section of BENCHMARKS.md in {results['seconds']:.0f} s")


if __name__ == "__main__":
    main()
