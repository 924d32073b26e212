#!/usr/bin/env bash
# The main job: start avochato-mock and run every quickstart against it.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --quiet -p avochato-mock -p avochato-cli -p avochato --example quickstart
node js/scripts/build.mjs
make --no-print-directory build-wheel
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export tmp
scripts/with-mock.sh -- bash -c '
  set -e
  echo "== Rust quickstart"; target/debug/examples/quickstart
  echo "== Node quickstart"; node js/examples/quickstart.mjs
  echo "== Python quickstart"; python/.venv/bin/python python/examples/quickstart.py
  echo "== CLI"
  cli=target/debug/avochato
  $cli --table accounts whoami | head -4
  $cli --table messages send --to +14155550126 --text "Hello from the command line" | head -6
  printf "phone,name,plan\n+14155550201,Katherine,gold\n+14155550202,Dorothy,silver\n" > "$tmp/contacts.csv"
  $cli contacts import "$tmp/contacts.csv" --no-progress
  $cli --table contacts list --all
'
