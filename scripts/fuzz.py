#!/usr/bin/env python3
"""`make fuzz` and `make fuzz-smoke`: coverage-guided fuzzing of the core with libFuzzer, on
stable Rust.

    scripts/fuzz.py build                      build the four targets
    scripts/fuzz.py run [--seconds N] [T ...]  fuzz each target N seconds (FUZZ_SECONDS, default 60)
    scripts/fuzz.py smoke                      every target briefly, from the committed seeds only

The targets (fuzz/fuzz_targets, harnesses in fuzz/src) are linked with libFuzzer through the
libfuzzer-sys crate (its C++ part is built with the system's C++ compiler) and compiled with
LLVM's sanitizer-coverage instrumentation, which stable rustc takes as codegen options
(-Cpasses=sancov-module, -Cllvm-args=-sanitizer-coverage-*): the same build `cargo fuzz
--sanitizer none` makes, without cargo-fuzz or a nightly toolchain. The `fuzz` profile (opt-level
1, overflow checks, debug assertions) builds into target/fuzz (or $CARGO_TARGET_DIR/fuzz).

A run ends at the first failure: a panic (a broken invariant, see fuzz/src), an input over its
allocation budget, one running longer than -timeout, or the process passing -rss_limit_mb.
The input is saved under target/fuzz/artifacts/TARGET/; copy it into fuzz/regressions/TARGET/
once fixed, and `cargo test -p avochato-fuzz` replays it from then on.

The corpus a run grows is kept in target/fuzz/corpus/TARGET (the committed seeds in
fuzz/seeds/TARGET are read, never written). Figures go to target/fuzz/report.json.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
FUZZ = ROOT / "fuzz"
TARGETS = ["decode", "encode", "phone", "redact"]
OUT = Path(os.environ.get("CARGO_TARGET_DIR") or ROOT / "target").resolve() / "fuzz"

# Coverage instrumentation that stable rustc accepts (what cargo-fuzz passes, minus -Z flags).
RUSTFLAGS = [
    "--cfg", "fuzzing",
    "-Cpasses=sancov-module",
    "-Cllvm-args=-sanitizer-coverage-level=4",
    "-Cllvm-args=-sanitizer-coverage-inline-8bit-counters",
    "-Cllvm-args=-sanitizer-coverage-pc-table",
    "-Cllvm-args=-sanitizer-coverage-trace-compares",
]
# Per input: at most 4 KiB, 10 s; the process at most 2 GiB resident.
LIMITS = ["-max_len=4096", "-timeout=10", "-rss_limit_mb=2048"]


def log(msg: str) -> None:
    print(f"[fuzz] {msg}", flush=True)


def host_triple() -> str:
    out = subprocess.run(["rustc", "-vV"], capture_output=True, text=True, check=True).stdout
    return next(line.split(": ", 1)[1] for line in out.splitlines() if line.startswith("host: "))


def build() -> Path:
    """Builds the targets; returns the folder holding the binaries."""
    if not (shutil.which("c++") or shutil.which("g++") or shutil.which("clang++")):
        raise SystemExit("libfuzzer-sys needs a C++ compiler: run scripts/setup.sh fuzz (installs g++)")
    triple = host_triple()
    env = {**os.environ, "CARGO_TARGET_DIR": str(OUT), "RUSTFLAGS": " ".join(RUSTFLAGS)}
    env.pop("CARGO_ENCODED_RUSTFLAGS", None)
    # --target keeps the flags off build scripts and proc-macros (they are not fuzzed).
    cmd = [os.environ.get("CARGO", "cargo"), "build", "--profile", "fuzz", "-p", "avochato-fuzz",
           "--features", "libfuzzer", "--bins", "--target", triple]
    t0 = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, env=env, check=True)
    log(f"built in {time.perf_counter() - t0:.0f} s")
    return OUT / triple / "fuzz"


def parse(output: str) -> dict[str, Any]:
    """The figures libFuzzer prints: runs, coverage, corpus, final stats."""
    r: dict[str, Any] = {}
    for m in re.finditer(r"^#(\d+)\s+(\w+)\s+cov: (\d+) ft: (\d+) corp: (\d+)/(\S+)", output, re.M):
        r.update(execs=int(m[1]), cov=int(m[3]), ft=int(m[4]), corpus=int(m[5]), corpus_size=m[6])
    for m in re.finditer(r"^stat::(\w+):\s+(\d+)", output, re.M):
        r[m[1]] = int(m[2])
    done = re.search(r"^Done (\d+) runs in (\d+) second", output, re.M)
    if done:
        r["execs"], r["seconds"] = int(done[1]), int(done[2])
    return r


def fuzz_one(bins: Path, target: str, seconds: int, corpus: Path, extra: list[str]) -> dict[str, Any]:
    corpus.mkdir(parents=True, exist_ok=True)
    artifacts = OUT / "artifacts" / target
    artifacts.mkdir(parents=True, exist_ok=True)
    logs = OUT / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    alloc_log = logs / f"{target}.alloc.json"
    alloc_log.unlink(missing_ok=True)
    cmd = [
        str(bins / target), *LIMITS, f"-max_total_time={seconds}", "-print_final_stats=1",
        f"-dict={FUZZ / 'dict' / f'{target}.dict'}", f"-artifact_prefix={artifacts}/", *extra,
        str(corpus), str(FUZZ / "seeds" / target),
    ]
    env = {**os.environ, "AVOCHATO_FUZZ_ALLOC_LOG": str(alloc_log), "RUST_BACKTRACE": "1"}
    t0 = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, errors="replace")
    wall = time.perf_counter() - t0
    text = done.stdout + done.stderr
    (logs / f"{target}.log").write_text(text)
    result = {"target": target, "ok": done.returncode == 0, "wall_s": round(wall, 1), **parse(text)}
    if alloc_log.exists():
        result["alloc"] = json.loads(alloc_log.read_text())
    if not result["ok"]:
        crash = re.findall(r"^(?:Test unit|artifact_prefix.*?) written to (\S+)", text, re.M)
        result["artifact"] = crash[-1] if crash else None
        result["tail"] = text[-3000:]
    return result


def table(results: list[dict[str, Any]]) -> str:
    rows = ["| target | result | executions | exec/s | coverage (edges) | features | corpus | peak RSS | largest input peak heap | slowest input |",
            "|---|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        secs = max(r.get("seconds") or r["wall_s"], 1)
        alloc = r.get("alloc", {})
        rows.append(
            f"| {r['target']} | {'ok' if r['ok'] else '**FAILED**'} | {r.get('execs', 0):,} | {r.get('execs', 0) // secs:,} | "
            f"{r.get('cov', '?')} | {r.get('ft', '?')} | {r.get('corpus', '?')} inputs, {r.get('corpus_size', '?')} | "
            f"{r.get('peak_rss_mb', '?')} MB | {alloc.get('max_peak_bytes', 0) / 1024:,.0f} KiB | "
            f"{r.get('slowest_unit_time_sec', 0)} s |"
        )
    return "\n".join(rows)


def fuzz(targets: list[str], seconds: int, smoke: bool) -> int:
    bins = build()
    jobs = int(os.environ.get("FUZZ_JOBS", os.cpu_count() or 1))
    scratch = Path(tempfile.mkdtemp(prefix="avochato-fuzz-")) if smoke else None
    log(f"{', '.join(targets)}: {seconds} s each, {jobs} at a time" + (" (from the seeds only)" if smoke else ""))
    t0 = time.perf_counter()
    try:
        def one(t: str) -> dict[str, Any]:
            corpus = (scratch / t) if scratch else OUT / "corpus" / t
            return fuzz_one(bins, t, seconds, corpus, [])

        with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
            results = list(pool.map(one, targets))
    finally:
        if scratch:
            shutil.rmtree(scratch, ignore_errors=True)
    wall = time.perf_counter() - t0
    print(table(results))
    report = {"mode": "smoke" if smoke else "run", "seconds_per_target": seconds, "wall_s": round(wall, 1),
              "flags": RUSTFLAGS, "limits": LIMITS, "results": results}
    (OUT / ("smoke.json" if smoke else "report.json")).write_text(json.dumps(report, indent=2))
    failed = [r for r in results if not r["ok"]]
    for r in failed:
        log(f"{r['target']} FAILED; input saved as {r.get('artifact')}; log: {OUT / 'logs' / (r['target'] + '.log')}")
        print(r.get("tail", ""), file=sys.stderr)
    log(f"{sum(r.get('execs', 0) for r in results):,} inputs in {wall:.0f} s; "
        + ("no panic, hang or allocation over budget" if not failed else f"{len(failed)} target(s) failed"))
    return 1 if failed else 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    sub.add_parser("build")
    run = sub.add_parser("run")
    run.add_argument("--seconds", type=int, default=int(os.environ.get("FUZZ_SECONDS", "60")))
    run.add_argument("targets", nargs="*", metavar="TARGET", help=" | ".join(TARGETS))
    smoke = sub.add_parser("smoke")
    smoke.add_argument("--seconds", type=int, default=int(os.environ.get("FUZZ_SMOKE_SECONDS", "8")))
    args = ap.parse_args()
    if args.cmd == "build":
        build()
        return 0
    if args.cmd == "smoke":
        return fuzz(TARGETS, args.seconds, smoke=True)
    unknown = set(args.targets) - set(TARGETS)
    if unknown:
        ap.error(f"unknown target(s) {', '.join(sorted(unknown))}: choose from {', '.join(TARGETS)}")
    return fuzz(args.targets or TARGETS, args.seconds, smoke=False)


if __name__ == "__main__":
    sys.exit(main())
