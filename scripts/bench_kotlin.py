"""The JVM host in `make bench`, kept in its own module: scripts/bench.py calls `run` and
`sizes`, scripts/bench_report.py adds the rows from `latency_rows`, `throughput_rows`,
`size_rows` and `notes`.

The Kotlin benchmark (kotlin/src/bench) runs the SDK from avochato.jar (jvm-release native
library, unpacked by JNA as for a user) against java.net.http.HttpClient (HTTP/1.1) + Jackson
`readTree` on the same loopback mock, with suspend calls (raw: `sendAsync(...).await()`) and
blocking calls (raw: `send`), the same rounds as the other hosts after 2,000 warm-up calls
per side (the JIT needs them).
"""

from __future__ import annotations

import gzip
import json
import os
import subprocess
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def _target() -> Path:
    t = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
    return t if t.is_absolute() else ROOT / t


def run(args: list[str], calls: int) -> dict[str, Any]:
    """Latency and throughput, SDK vs raw, as the benchmark prints them (its last line)."""
    done = subprocess.run([str(ROOT / "kotlin/build.sh"), "bench", "calls", *args, str(calls)],
                          capture_output=True, text=True, cwd=ROOT)
    if done.returncode != 0:
        raise SystemExit(f"kotlin/build.sh bench failed:\n{done.stdout}\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def sizes() -> dict[str, Any]:
    jar = _target() / "kotlin" / "avochato.jar"
    lib = _target() / "kotlin" / "jar" / "linux-x86-64" / "libavochato_uniffi.so"  # as shipped (stripped)
    return {
        "jar_bytes": jar.stat().st_size,
        "lib_bytes": lib.stat().st_size,
        "lib_gzip_bytes": len(gzip.compress(lib.read_bytes(), 6)),
    }


def _us(x: float) -> str:
    return f"{x:,.0f} µs" if x >= 100 else f"{x:.1f} µs"


def latency_rows(r: dict[str, Any]) -> list[str]:
    if "kotlin" not in r:
        return []
    rows = []
    for op, v in r["kotlin"]["latency"].items():
        rows.append(
            f"| Kotlin (JVM) | `{op}` | {_us(v['sdk']['median_us'])} / {_us(v['sdk']['p99_us'])} | "
            f"{_us(v['raw']['median_us'])} / {_us(v['raw']['p99_us'])} | {v['ratio']:.2f}× "
            f"({' · '.join(f'{x:.2f}' for x in v.get('round_ratios', []))}) | — | |"
        )
    return rows


def throughput_rows(r: dict[str, Any]) -> list[str]:
    if "kotlin" not in r:
        return []
    rows = []
    for op, by_c in r["kotlin"]["throughput"].items():
        cells = [f"{by_c[c]['sdk']:,.0f} / {by_c[c]['raw']:,.0f} ({by_c[c]['ratio']:.2f}×)" for c in ("1", "8", "64")]
        rows.append(f"| Kotlin (JVM) | `{op}` | " + " | ".join(cells) + " |")
    return rows


def size_rows(r: dict[str, Any]) -> list[str]:
    s = r.get("kotlin_sizes")
    if not s:
        return []
    return [
        f"| JVM package `avochato.jar` (classes + stripped native library, Linux x86-64) | {s['jar_bytes'] / 1e6:.2f} MB "
        f"(`libavochato_uniffi.so` {s['lib_bytes'] / 1e6:.2f} MB, {s['lib_gzip_bytes'] / 1e6:.2f} MB gzipped) | — | |",
    ]


def notes(r: dict[str, Any]) -> str:
    if "kotlin" not in r:
        return ""
    java = r["kotlin"].get("java", "?")
    return (
        f"- **JVM.** Java {java}; raw side `java.net.http.HttpClient` (HTTP/1.1) + Jackson `readTree`, suspend rows against "
        "`sendAsync(...).await()`, blocking rows against `send`. Each SDK call crosses JNA twice or more (a suspend call "
        "polls a Rust future through a JNA callback) and lifts the typed model field by field from uniffi's buffer; "
        "no goal was set for this host.\n"
    )
