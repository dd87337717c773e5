#!/usr/bin/env bash
# Start-up and whole-run wall time through the launcher, with and without the class-data archive the launcher records
# (ONCOBENCH_CDS), alternating ROUNDS times (these machines are noisy), next to the PyTorch peer's end-to-end wall time:
#   version : ./oncobench --version (JVM start, picocli)
#   run     : ./oncobench run experiments/quickstart.yaml with the drug-mean baseline only (what the peer computes)
# Also prints where the first seconds of a run go, from the JVM's own class-loading log.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${ROUNDS:-3}"
out="$(mktemp -d)"
./oncobench --version > /dev/null # build, and record the archive, outside the timings
wall() { local s=$EPOCHREALTIME; "$@" > /dev/null 2>&1; awk -v a="$s" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.3f", b - a }'; }
for r in $(seq 1 "$rounds"); do
  for cds in 0 1; do
    echo "version $cds $(ONCOBENCH_CDS=$cds wall ./oncobench --version)" >> "$out/times"
    echo "run $cds $(ONCOBENCH_CDS=$cds wall ./oncobench run experiments/quickstart.yaml --runs-dir "$out/runs" \
      --set 'evaluation.baselines=[drug_mean]')" >> "$out/times"
  done
  if /usr/bin/python3 -c 'import torch' 2> /dev/null; then
    echo "pytorch - $(wall /usr/bin/python3 benchmarks/pytorch/bench.py --case end-to-end --threads "${OMP_NUM_THREADS:-1}")" >> "$out/times"
  fi
done
# classes loaded, and when the first training epoch started, without and with the archive
for cds in 0 1; do
  ONCOBENCH_CDS=$cds ONCOBENCH_JAVA_OPTS="-Xmx8g -Xlog:class+load=info:file=$out/classes-$cds.log" ./oncobench run experiments/quickstart.yaml \
    --runs-dir "$out/runs" --set 'evaluation.baselines=[drug_mean]' > /dev/null 2>&1
done
/usr/bin/python3 - "$out" <<'PY'
import statistics, sys, re
out = sys.argv[1]
t = {}
for line in open(f"{out}/times"):
    what, cds, secs = line.split()
    t.setdefault((what, cds), []).append(float(secs))
for what in ("version", "run"):
    off, on = statistics.median(t[(what, "0")]), statistics.median(t[(what, "1")])
    print(f"{what:8s} without archive {off:6.2f} s, with {on:6.2f} s ({off - on:+.2f} s)")
if ("pytorch", "-") in t:
    print(f"PyTorch end to end (python start included): {statistics.median(t[('pytorch', '-')]):.2f} s")
for cds in ("0", "1"):
    lines = open(f"{out}/classes-{cds}.log").read().splitlines()
    shared = sum("shared objects file" in l for l in lines)
    print(f"classes loaded {'with' if cds == '1' else 'without'} the archive: {len(lines)}, from the archive: {shared}")
PY
