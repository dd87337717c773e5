#!/usr/bin/env bash
# Random search + ASHA against the full grid of the same space (benchmarks/studies/{grid,asha}.yaml) on the embedded
# cohort: epochs trained, the chosen configuration, its validation and test RMSE.
# Usage: benchmarks/asha-vs-grid.sh [RUNS_DIR]   (STUDIES="asha" runs one of them)
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-target/asha-vs-grid}"
for s in ${STUDIES:-grid asha}; do
  start=$(date +%s)
  ./oncobench study "benchmarks/studies/$s.yaml" --runs-dir "$runs" > "$runs-$s.txt" 2> "$runs-$s.log"
  echo "$s: $(( $(date +%s) - start )) s"
  grep -E '^Study |^chosen on validation rows' "$runs-$s.txt"
done
