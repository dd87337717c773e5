#!/usr/bin/env bash
# Random search + successive halving (benchmarks/studies/asha.yaml) against the full grid of the same space, judged on
# seeds the searches did not see:
#  1. truth.yaml: the full grid (18 configurations x 27 epochs) with five training seeds. Each seed's column is what
#     a grid search on that seed trains, and picks (its best final validation RMSE).
#  2. asha.yaml: the real random + ASHA search on training seed 21.
#  3. `oncobench study replay`: the same search replayed on every seed's curves, for SEARCHES search seeds. Each pick,
#     the grid's and ASHA's, is judged by its mean test RMSE on the four other seeds. The replay of the file's own
#     seed on seed 21 must equal step 2's choice and epochs (a promoted run continues bit for bit).
# Usage: benchmarks/asha-vs-grid.sh [RUNS_DIR]   (WORKERS=2 trials at once for step 1; SEARCHES=100)
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-target/asha-vs-grid}"
mkdir -p "$runs"
study_id() { sed -n 's/^Study \([^:]*\): .*/\1/p' "$1" | tail -1; }

start=$(date +%s)
./oncobench study benchmarks/studies/truth.yaml --workers "${WORKERS:-2}" --runs-dir "$runs" > "$runs/truth.txt" 2> "$runs/truth.log"
echo "1. full grid x 5 seeds: $(( $(date +%s) - start )) s"
grep -E '^Study |^chosen' "$runs/truth.txt"

start=$(date +%s)
./oncobench study benchmarks/studies/asha.yaml --runs-dir "$runs" > "$runs/asha.txt" 2> "$runs/asha.log"
echo "2. random + ASHA on seed 21: $(( $(date +%s) - start )) s"
grep -E '^Study |^chosen' "$runs/asha.txt"

echo "3. replay"
./oncobench study replay "$(study_id "$runs/truth.txt")" benchmarks/studies/asha.yaml --searches "${SEARCHES:-100}" --runs-dir "$runs" \
  | tee "$runs/replay.txt"
