#!/usr/bin/env bash
# Runs a command with avochato-mock listening on a free loopback port, and
# AVOCHATO_BASE_URL / AVOCHATO_AUTH_ID / AVOCHATO_AUTH_SECRET pointing at it.
# Usage: scripts/with-mock.sh [--rate-limit N] -- command args...
set -euo pipefail
cd "$(dirname "$0")/.."
MOCK=${AVOCHATO_MOCK_BIN:-target/debug/avochato-mock}
args=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do args+=("$1"); shift; done
[ "${1:-}" = "--" ] && shift
export AVOCHATO_AUTH_ID=${AVOCHATO_AUTH_ID:-demo-auth-id}
export AVOCHATO_AUTH_SECRET=${AVOCHATO_AUTH_SECRET:-demo-auth-secret-0123456789}
out=$(mktemp)
"$MOCK" --port 0 --auth-id "$AVOCHATO_AUTH_ID" --auth-secret "$AVOCHATO_AUTH_SECRET" "${args[@]}" >"$out" &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -f "$out"' EXIT
for _ in $(seq 1 100); do
  line=$(head -n 1 "$out" 2>/dev/null || true)
  case "$line" in "listening on "*) break ;; esac
  kill -0 $pid 2>/dev/null || { echo "avochato-mock did not start" >&2; exit 1; }
  sleep 0.05
done
export AVOCHATO_BASE_URL=${line#listening on }
echo "avochato-mock: $AVOCHATO_BASE_URL"
"$@"
