#!/usr/bin/env python3
"""`make bench`: runs every benchmark and writes BENCHMARKS.md (and target/bench/results.json).

Each host's SDK is compared, in the same run, with that host's raw HTTP client on the same
loopback server: avochato-mock (release build) answering from prepared bodies, so that the
server is not what is measured. Figures are medians over repeated runs. Nothing here asserts
a time: misses are reported against their goals.
"""

from __future__ import annotations

import gzip
import json
import os
import platform
import statistics
import subprocess
import sys
import time
import urllib.request
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RELEASE = Path(os.environ.get("CARGO_TARGET_DIR") or ROOT / "target") / "release"
VENV_PY = Path(os.environ.get("AVOCHATO_VENV", ROOT / "python" / ".venv")) / "bin" / "python"
AUTH_ID, SECRET = "bench-auth-id", "bench-secret-0123456789"
CALLS = int(os.environ.get("BENCH_CALLS", "2000"))
OUT = ROOT / "target" / "bench"


def log(msg: str) -> None:
    print(f"[bench] {msg}", flush=True)


def run(cmd: list[str], **kw: Any) -> str:
    done = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(map(str, cmd))} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


class Mock:
    def __init__(self, *args: str) -> None:
        self.proc = subprocess.Popen(
            [str(RELEASE / "avochato-mock"), "--port", "0", "--auth-id", AUTH_ID, "--auth-secret", SECRET, *args],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        )
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline().strip()
        assert line.startswith("listening on "), line
        self.url = line.removeprefix("listening on ")

    def control(self, method: str, path: str, body: Any = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.url + path, data=data, method=method, headers={"content-type": "application/json"})
        with urllib.request.urlopen(req, timeout=60) as r:
            return json.loads(r.read())

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=10)


def canned(mock: Mock) -> None:
    """messages.send and a 100-contact page (a list of 1,000 such pages) from the reference."""
    ops = {o["title"]: o for o in json.loads((ROOT / "tests/fixtures/avochato-v1.json").read_text())["operations"]}
    send = ops["Send Message"]["example_response"]["body"]
    page = ops["List All Contacts"]["example_response"]["body"]
    one = page["data"]["contacts"][0]
    page["data"]["contacts"] = [{**one, "id": f"c{i:08d}", "phone": f"+1415555{i:04d}"} for i in range(100)]
    mock.control("POST", "/__mock/canned", {"method": "POST", "path": "/v1/messages", "body": send})
    mock.control("POST", "/__mock/canned", {"method": "GET", "path": "/v1/contacts", "pages": 1000, "body": page})


def host_json(cmd: list[str], cwd: Path = ROOT) -> Any:
    return json.loads(run(cmd, cwd=cwd).strip().splitlines()[-1])


def cold_start(cmd: list[str], base: list[str], runs: int = 20, env: dict[str, str] | None = None) -> dict[str, float]:
    def times(c: list[str]) -> list[float]:
        out = []
        for _ in range(runs + 2):
            t0 = time.perf_counter()
            subprocess.run(c, check=True, capture_output=True, cwd="/", env=env)
            out.append((time.perf_counter() - t0) * 1000)
        return out[2:]

    with_lib, bare = times(cmd), times(base)
    m1, m0 = statistics.median(with_lib), statistics.median(bare)
    return {"median_ms": m1, "bare_ms": m0, "delta_ms": m1 - m0, "runs": runs}


def bulk_send(n: int = 2000, rate: float = 200.0) -> dict[str, Any]:
    mock = Mock("--rate-limit", str(int(rate)))
    try:
        csv_path = OUT / "bulk.csv"
        csv_path.write_text("phone,message\n" + "".join(f"+1510{6000000 + i:07d},Bulk benchmark #{i}\n" for i in range(n)))
        for stale in (OUT / "bulk.csv.avochato-journal", OUT / "bulk.failed.csv"):
            stale.unlink(missing_ok=True)
        env = {**os.environ, "AVOCHATO_AUTH_ID": AUTH_ID, "AVOCHATO_AUTH_SECRET": SECRET, "AVOCHATO_BASE_URL": mock.url}
        env["AVOCHATO_CONFIG_DIR"] = str(OUT / "cli-config")
        t0 = time.perf_counter()
        subprocess.run([str(RELEASE / "avochato"), "messages", "send-bulk", str(csv_path), "--rate", str(rate), "--no-progress"],
                       check=True, capture_output=True, env=env)
        wall = time.perf_counter() - t0
        reqs = mock.control("GET", "/__mock/requests?method=POST&path=/v1/messages")["requests"]
        ok = [r["body"]["message"] for r in reqs if r["status"] == 200]
        stored = mock.control("GET", "/__mock/state")["inboxes"][0]["messages"]
        return {
            "messages": n, "rate": rate, "wall_s": wall, "ideal_s": n / rate, "ratio": wall / (n / rate),
            "answers_429": sum(1 for r in reqs if r["status"] == 429), "stored": stored,
            "lost": n - len(set(ok)), "duplicated": len(ok) - len(set(ok)),
        }
    finally:
        mock.stop()


def cli_call() -> dict[str, Any]:
    """One `avochato accounts whoami` against a loopback mock over plain http: the whole process,
    start to exit (goal: under 15 ms), and the files it opens (no certificate files without TLS)."""
    mock = Mock("--no-record")
    try:
        env = {**os.environ, "AVOCHATO_AUTH_ID": AUTH_ID, "AVOCHATO_AUTH_SECRET": SECRET, "AVOCHATO_BASE_URL": mock.url,
               "AVOCHATO_CONFIG_DIR": str(OUT / "cli-config")}
        cmd = [str(RELEASE / "avochato"), "accounts", "whoami", "--json"]
        result: dict[str, Any] = cold_start(cmd, ["/bin/true"], runs=50, env=env)
        result["files_opened"] = None
        try:
            trace = OUT / "cli-openat.txt"
            subprocess.run(["strace", "-f", "-e", "trace=openat", "-o", str(trace), *cmd], check=True, capture_output=True, env=env)
            lines = trace.read_text().splitlines()
            result["files_opened"] = sum(1 for l in lines if "openat(" in l)
            result["cert_files_opened"] = sum(1 for l in lines if "/etc/ssl" in l or "/certs" in l)
        except (OSError, subprocess.CalledProcessError):
            pass  # strace is optional
        return result
    finally:
        mock.stop()


def versions() -> dict[str, str]:
    def first(cmd: list[str]) -> str:
        try:
            return subprocess.run(cmd, capture_output=True, text=True).stdout.strip().splitlines()[0]
        except (OSError, IndexError):
            return "?"

    py = run([str(VENV_PY), "-c", "import sys, httpx, requests, aiohttp, avochato; print(sys.version.split()[0], httpx.__version__, requests.__version__, avochato.__version__, aiohttp.__version__)"]).split()
    return {
        "rustc": first(["rustc", "--version"]),
        "python": py[0], "httpx": py[1], "requests": py[2], "avochato": py[3], "aiohttp": py[4],
        "node": first(["node", "--version"]),
        "reqwest": "0.13 (workspace)",
    }


def machine() -> dict[str, str]:
    cpu = "?"
    try:
        cpu = next(l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name"))
    except (OSError, StopIteration):
        pass
    mem = "?"
    try:
        kib = int(next(l.split()[1] for l in open("/proc/meminfo") if l.startswith("MemTotal")))
        mem = f"{kib / 1024 / 1024:.1f} GiB"
    except (OSError, StopIteration):
        pass
    return {"cpu": cpu, "cores": str(os.cpu_count()), "memory": mem, "os": f"{platform.system()} {platform.release()}"}


def json_or_none(path: Path) -> Any:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return None


def sizes() -> dict[str, Any]:
    js = json.loads((ROOT / "js/build/sizes.json").read_text())
    wheel = sorted((ROOT / "target/wheels").glob("avochato-*.whl"))[-1]
    cli = RELEASE / "avochato"
    # `make wheels`: every platform's wheel and the sdist, when they were built.
    dist = {p.name: p.stat().st_size for p in sorted((ROOT / "target/wheels/dist").glob("avochato-*")) if p.suffix in (".whl", ".gz")}
    return {
        "python_dist": dist,
        "npm_gzip_bytes": js["gzipTotal"], "wasm_gzip_bytes": js["wasmGzip"], "npm_raw_bytes": js["rawTotal"], "npm": js,
        # Written by make test-js's bundler and runtime tests (make bench runs them first).
        "widget": json_or_none(ROOT / "js/build/widget-sizes.json"),
        "worker": json_or_none(ROOT / "js/build/worker-size.json"),
        "wheel_bytes": wheel.stat().st_size, "wheel": wheel.name,
        "cli_bytes": cli.stat().st_size, "cli_gzip_bytes": len(gzip.compress(cli.read_bytes(), 6)),
    }


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    results: dict[str, Any] = {"date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), "machine": machine(), "versions": versions(), "calls": CALLS}
    mock = Mock("--no-record")
    try:
        canned(mock)
        args = [mock.url, AUTH_ID, SECRET]
        log("Rust: SDK vs reqwest + serde_json")
        results["rust"] = host_json([str(RELEASE / "avochato-bench"), "calls", *args, str(CALLS)])
        log("Python: SDK vs httpx and aiohttp (asyncio) and requests (blocking)")
        results["python"] = host_json([str(VENV_PY), "python/bench/bench.py", "calls", *args, str(CALLS)])
        log("Node: SDK vs fetch + JSON.parse")
        results["node"] = host_json(["node", "js/bench/bench.mjs", "calls", *args, str(CALLS)])
        import bench_kotlin  # noqa: PLC0415 (same folder; the JVM host's part, self-contained)

        log("JVM: SDK (suspend and blocking) vs java.net.http.HttpClient + Jackson")
        results["kotlin"] = bench_kotlin.run(args, CALLS)
        log("memory: 100,000 contacts in each host")
        hosts = {
            "rust": [str(RELEASE / "avochato-bench")],
            "python": [str(VENV_PY), "python/bench/bench.py"],
            "node": ["node", "js/bench/bench.mjs"],
        }
        results["memory"] = {h: host_json([*cmd, "memory", *args]) for h, cmd in hosts.items()}
        results["memory_raw"] = {h: host_json([*cmd, "memory-raw", *args]) for h, cmd in hosts.items()}
    finally:
        mock.stop()
    log("cold start")
    node_entry = ROOT / "js/dist/node/index.mjs"
    results["cold_start"] = {
        "python": cold_start([str(VENV_PY), "-c", "import avochato"], [str(VENV_PY), "-c", "pass"]),
        "node": cold_start(["node", "--input-type=module", "-e", f"import {json.dumps(str(node_entry))}"], ["node", "--input-type=module", "-e", ""]),
        "node_require": cold_start(["node", "-e", f"require({json.dumps(str(node_entry.with_suffix('.cjs')))})"], ["node", "-e", ""]),
    }
    log("CLI: one call against a loopback mock")
    results["cold_start"]["cli"] = cli_call()
    log("bulk send: 2,000 messages into a 200/s rate limit (the CLI)")
    results["bulk"] = bulk_send()
    results["sizes"] = sizes()
    import bench_kotlin  # noqa: PLC0415

    results["kotlin_sizes"] = bench_kotlin.sizes()
    results["seconds"] = time.perf_counter() - started
    (OUT / "results.json").write_text(json.dumps(results, indent=2))
    (ROOT / "BENCHMARKS.md").write_text(with_soak_section(render(results)))
    log(f"wrote BENCHMARKS.md in {results['seconds']:.0f} s")


def with_soak_section(text: str) -> str:
    """`text` with the soak section of the present BENCHMARKS.md (written by `make soak`) kept."""
    start, end = "<!-- soak -->", "<!-- /soak -->"
    path = ROOT / "BENCHMARKS.md"
    old = path.read_text() if path.exists() else ""
    if start in old and end in old:
        section = start + old.split(start, 1)[1].split(end, 1)[0] + end
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    return text


def render(r: dict[str, Any]) -> str:
    from bench_report import render as rendered  # noqa: PLC0415 (same folder)

    return rendered(r)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).parent))
    main()
