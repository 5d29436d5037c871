#!/usr/bin/env bash
# Every check and every test: lint, types, migrations, deploy check, the suite on SQLite and on PostgreSQL,
# and the browser tests in headless Chromium. Installs what it needs through apt-get where missing.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
start=$(date +%s)
step() { printf '\n== %s (%ss)\n' "$1" "$(( $(date +%s) - start ))"; }

step "System packages"
need=()
ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || need+=(postgresql)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v xgettext >/dev/null 2>&1 || need+=(gettext)
# PDFs (manifests, governance reports) embed DejaVu Sans, which covers every character we print.
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf ] || need+=(fonts-dejavu-core)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing: ${need[*]}"
  SUDO=""; [ "$(id -u)" = "0" ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
# A PostgreSQL cluster started by the package is not needed: the suite starts its own.
export CHROMIUM_PATH="${CHROMIUM_PATH:-$(command -v chromium)}"

step "Lint (ruff)"
$BIN/ruff check perisai bench
$BIN/ruff format --check perisai bench

step "Types (mypy)"
$BIN/mypy perisai

step "Migrations are complete"
DJANGO_SETTINGS_MODULE=perisai.settings.test $BIN/perisai makemigrations --check --dry-run

export PYTEST_ADDOPTS="${PYTEST_ADDOPTS:-}"
# Each test fails after 5 minutes (pyproject: timeout); each pass as a whole is cut off after 15, so that a
# stuck process can never hold the run beyond its 20-minute budget.
PASS_LIMIT="timeout --kill-after=30 900"
step "Suite on SQLite"
$PASS_LIMIT $BIN/python -m pytest -m "not browser" -n 2 -q

step "Suite on PostgreSQL"
PGURL=$(scripts/postgres.sh start)
trap 'scripts/postgres.sh stop' EXIT
DATABASE_URL="$PGURL" $PASS_LIMIT $BIN/python -m pytest -m "not browser" -n 2 -q

step "Browser tests (headless Chromium)"
$PASS_LIMIT $BIN/python -m pytest -m browser -q

step "Done"
