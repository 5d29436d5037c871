#!/usr/bin/env bash
# Start a background worker beside the web server; stop both together.
set -euo pipefail
cd "$(dirname "$0")/.."
HOST="${1:-127.0.0.1}"
PORT="${2:-8000}"
BIN=.venv/bin
"$BIN/perisai" worker --queues '*' &
WORKER=$!
trap 'kill $WORKER 2>/dev/null || true' EXIT INT TERM
echo "Perisai is starting on http://$HOST:$PORT/ (worker pid $WORKER). Stop with Ctrl-C."
"$BIN/perisai" runserver "$HOST:$PORT"
