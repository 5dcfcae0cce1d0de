#!/usr/bin/env bash
# `make run`: the whole pipeline on the embedded default (SQLite + DuckDB), then the web app.
#   1. the terminal demo (a real analysis of the open data),
#   2. a synthetic population for the demo ICB (NHS Black Country, E54000062),
#   3. every indicator on DuckDB, published to var/results/black-country,
#   4. the ranked priorities, and the monthly series of the demo programmes' target indicator,
#   5. the web app's database, demo accounts and data, then the server on 127.0.0.1:8000.
# Steps whose output already exists are skipped (delete var/ to start again).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
ICB=E54000062  # NHS Black Country: the demo data (directory, programmes) are written for it
POP=var/population/black-country
RESULTS=var/results/black-country
PORT=${HEALTHGAP_PORT:-8000}

$BIN/healthgap demo --icb "$ICB"
if [ ! -f "$POP/manifest.json" ]; then
  # demo_effects.yaml: the two evaluation demo programmes (a known effect, and none)
  $BIN/healthgap population synth --icb "$ICB" --seed 1 --out "$POP" \
    --effects src/healthgap/synthetic/demo_effects.yaml
fi
if [ ! -f "$RESULTS/CURRENT" ]; then
  $BIN/healthgap indicators run --population "$POP" --backend duckdb --out "$RESULTS"
  $BIN/healthgap priorities --results "$RESULTS" --top 10
fi
if [ ! -f "$RESULTS/versions/$(cat "$RESULTS/CURRENT")/series.parquet" ]; then
  # Monthly series for the programme pages: the demo programmes' target indicator in their
  # LSOAs and a pool of deprived comparison LSOAs, only (scripts/demo_series_args.py).
  mapfile -t SERIES_ARGS < <($BIN/python scripts/demo_series_args.py "$ICB")
  $BIN/healthgap indicators series --population "$POP" "${SERIES_ARGS[@]}" \
    --from 2023-04 --to 2026-03 --publish "$RESULTS"
fi
$BIN/python -m healthgap.web migrate --no-input -v 0
$BIN/python -m healthgap.web load_demo
echo
echo "healthgap is starting on http://127.0.0.1:${PORT}/  (Ctrl-C to stop)"
echo "Sign in with the demo accounts printed above (demo only; public: no login)."
exec $BIN/python -m healthgap.web runserver "127.0.0.1:${PORT}" --noreload
