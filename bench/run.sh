#!/usr/bin/env bash
# bench/run.sh [N]: the benchmark of issue 10, item 7, in one command.
#
# Builds factcheck (release) and bench-gen, generates the workload for N people
# (default 100000) into target/bench-data/N, then runs bench/compare.py:
# factcheck verify on the stated claims (all must be supported) and on the
# perturbed claims (all must be refuted), pandas, DuckDB and SQLite on the
# plain CSVs (every answer must equal the generator's exact one), and prints
# one table of times, peak memory and ratios to pandas.
#
# Environment: RUNS (runs per tool, default 3), FC_RUNS (runs of factcheck,
# default RUNS), OUT (output directory), DETERMINISM=1 (generate twice and
# compare the files byte for byte), TOOLS (the other tools to run,
# comma-separated, default pandas,duckdb,sqlite: TOOLS=pandas,duckdb skips
# SQLite's minutes while iterating), DATA (an existing bench-gen output
# directory to use as it is, read only: nothing is generated, and the
# results go to OUT/results.json), VENV (the Python environment with pandas
# and DuckDB, default target/bench-venv, made when missing).
# Exit status: 0 when every answer and verdict is right, non-zero otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."

N=${1:-100000}
RUNS=${RUNS:-3}
FC_RUNS=${FC_RUNS:-$RUNS}
OUT=${OUT:-target/bench-data/$N}
VENV=${VENV:-target/bench-venv}

echo "== build factcheck (release)"
cargo build --release --locked --quiet
if [ -n "${DATA:-}" ]; then
  echo "== use the workload in $DATA (not generated)"
  mkdir -p "$OUT"
else
  echo "== build bench-gen (release)"
  cargo build --release --locked --quiet --manifest-path bench/Cargo.toml --target-dir target/bench-gen
  echo "== generate the workload for N=$N into $OUT"
  rm -rf "$OUT"
  if [ -x /usr/bin/time ]; then
    /usr/bin/time -f "bench-gen: %e s, %M KiB peak" target/bench-gen/release/bench-gen "$N" "$OUT"
  else
    target/bench-gen/release/bench-gen "$N" "$OUT"
  fi
  if [ "${DETERMINISM:-0}" = 1 ]; then
    target/bench-gen/release/bench-gen "$N" "$OUT.again" > /dev/null
    diff -r "$OUT" "$OUT.again" > /dev/null && echo "determinism: a second generation is byte-identical"
    rm -rf "$OUT.again"
  fi
fi

if ! "$VENV/bin/python" -c 'import pandas, duckdb' 2> /dev/null; then
  echo "== install pandas and duckdb into $VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet pandas duckdb
fi

echo "== versions: factcheck $(git rev-parse --short HEAD 2> /dev/null || echo '?'), $(rustc --version)"
echo "== compare (runs: $RUNS, factcheck: $FC_RUNS)"
"$VENV/bin/python" bench/compare.py "${DATA:-$OUT}" --factcheck target/release/factcheck \
  --runs "$RUNS" --factcheck-runs "$FC_RUNS" --tools "${TOOLS:-pandas,duckdb,sqlite}" \
  --json-out "$OUT/results.json"
