#!/usr/bin/env bash
# Installs everything the demo and the tests need; skips what is already there.
# Usage: scripts/setup.sh [rust|wasm|python|node|browser|jvm|fuzz|all]...
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
WASM_BINDGEN_VERSION=$(sed -n 's/^wasm-bindgen = "=\(.*\)"$/\1/p' Cargo.toml)
VENV=${AVOCHATO_VENV:-$ROOT/python/.venv}
say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

rust() {
  if ! command -v cargo >/dev/null; then
    echo "cargo is missing: install Rust with rustup (https://rustup.rs)" >&2; exit 1
  fi
}

wasm() {
  rust
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "rustup target add wasm32-unknown-unknown"
    rustup target add wasm32-unknown-unknown
  fi
  if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$WASM_BINDGEN_VERSION" ]; then
    say "cargo install wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 4 minutes)"
    cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
  fi
}

python() {
  if [ ! -x "$VENV/bin/python" ]; then
    say "python3 -m venv $VENV"
    python3 -m venv "$VENV"
  fi
  # ziglang: the linker for manylinux2014/musllinux wheels (maturin --zig); auditwheel checks
  # them; httpx, aiohttp and requests are what the benchmarks compare the SDK with; uvicorn and
  # starlette serve the proxy's ASGI app in its tests.
  if ! "$VENV/bin/python" -c "import maturin, pytest, pytest_asyncio, mypy, httpx, aiohttp, requests, ziglang, auditwheel, uvicorn, starlette" 2>/dev/null; then
    say "pip install maturin ziglang auditwheel pytest pytest-asyncio mypy httpx aiohttp requests uvicorn starlette"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check \
      "maturin>=1.16,<2" "ziglang>=0.13" "auditwheel>=6" "pytest>=8" "pytest-asyncio>=0.23" "mypy>=1.10" \
      "httpx>=0.27" "aiohttp>=3.9" "requests>=2.31" "uvicorn>=0.30" "starlette>=0.37"
  fi
}

node() {
  if ! command -v node >/dev/null; then
    echo "node is missing: install Node.js 20 or newer" >&2; exit 1
  fi
  # Every devDependency of js/package.json, at the version the lock file pins (a missing one,
  # or one left from an older lock, means npm ci again). bun, deno and wrangler (with workerd)
  # are the runtimes the runtime tests run under: their platform binaries are optional
  # dependencies on the npm registry, nothing is downloaded from elsewhere.
  if ! command node -e '
    const read = (f) => JSON.parse(require("fs").readFileSync(f, "utf8"));
    const lock = read("js/package-lock.json").packages;
    for (const name of Object.keys(lock[""].devDependencies)) {
      let v; try { v = read(`js/node_modules/${name}/package.json`).version; } catch {}
      if (v !== lock[`node_modules/${name}`].version) process.exit(1);
    }' 2>/dev/null; then
    say "npm ci (binaryen for wasm-opt, esbuild and vite for the bundles, playwright-core for the browser tests, bun, deno and wrangler/workerd for the runtime tests)"
    (cd js && npm ci --no-audit --no-fund --loglevel=error)
  fi
}

browser() {
  if [ ! -x /usr/bin/chromium ]; then
    say "apt-get install chromium (headless browser test)"
    if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
    $SUDO apt-get install -y -qq chromium >/dev/null 2>&1 || { $SUDO apt-get update -qq && $SUDO apt-get install -y -qq chromium; }
  fi
}

# The JVM package: a JDK (javac), JNA (the bindings' native calls), Jackson (the JVM
# benchmark's raw JSON parser) from Debian, and kotlinc (with kotlinx-coroutines) from npm.
jvm() {
  local missing=()
  command -v javac >/dev/null || missing+=(default-jdk-headless)
  [ -f /usr/share/java/jna.jar ] || missing+=(libjna-java)
  [ -f /usr/share/java/jackson-databind.jar ] || missing+=(libjackson2-databind-java)
  if [ ${#missing[@]} -gt 0 ]; then
    say "apt-get install ${missing[*]} (the JVM package)"
    if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
    $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null 2>&1 || { $SUDO apt-get update -qq && $SUDO apt-get install -y -qq "${missing[@]}"; }
  fi
  if [ ! -x kotlin/tools/node_modules/kotlin-compiler/bin/kotlinc ]; then
    command -v npm >/dev/null || { echo "npm is missing: install Node.js 20 or newer" >&2; exit 1; }
    say "npm ci kotlin-compiler (kotlinc with kotlinx-coroutines, for the JVM package)"
    (cd kotlin/tools && npm ci --no-audit --no-fund --loglevel=error)
  fi
}

# The fuzz targets link libFuzzer (the libfuzzer-sys crate builds it from C++ source).
fuzz() {
  rust
  if ! command -v c++ >/dev/null && ! command -v g++ >/dev/null && ! command -v clang++ >/dev/null; then
    say "apt-get install g++ (libFuzzer for the fuzz targets)"
    if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
    $SUDO apt-get install -y -qq g++ >/dev/null 2>&1 || { $SUDO apt-get update -qq && $SUDO apt-get install -y -qq g++; }
  fi
}

targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(all)
for t in "${targets[@]}"; do
  case "$t" in
    all) rust; wasm; python; node; browser; jvm; fuzz ;;
    rust|wasm|python|node|browser|jvm|fuzz) "$t" ;;
    *) echo "unknown setup target: $t" >&2; exit 2 ;;
  esac
done
