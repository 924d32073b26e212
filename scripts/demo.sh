#!/usr/bin/env bash
# The main job: start avochato-mock and run every quickstart against it.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --quiet -p avochato-mock -p avochato --example quickstart
node js/scripts/build.mjs
make --no-print-directory build-wheel
scripts/with-mock.sh -- bash -c '
  set -e
  echo "== Rust quickstart"; target/debug/examples/quickstart
  echo "== Node quickstart"; node js/examples/quickstart.mjs
  echo "== Python quickstart"; python/.venv/bin/python python/examples/quickstart.py
'
