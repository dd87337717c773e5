#!/usr/bin/env bash
# Runs oncobench's benchmark and the PyTorch peer alternately in one session (these machines are noisy) and prints,
# per case, oncobench's throughput divided by PyTorch's, then `ratio <raw-step MLP> <raw-step multimodal> <end-to-end>`.
# Needs Debian's python3-torch, python3-pandas and python3-rdkit (apt-get install -y python3-torch python3-pandas python3-rdkit).
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${ROUNDS:-2}"
threads="${OMP_NUM_THREADS:-1}"
export OMP_NUM_THREADS="$threads"
out="$(mktemp -d)"
for r in $(seq 1 "$rounds"); do
  ./oncobench bench --cases mlp,multimodal,end-to-end --json > "$out/oncobench-$r.json" 2> "$out/oncobench-$r.log"
  for c in mlp multimodal end-to-end; do
    /usr/bin/python3 benchmarks/pytorch/bench.py --case "$c" --threads "$threads" > "$out/pytorch-$c-$r.json"
  done
done
/usr/bin/python3 - "$out" "$rounds" <<'PY'
import json, statistics, sys
out, rounds = sys.argv[1], int(sys.argv[2])
ob = [json.load(open(f"{out}/oncobench-{r}.json")) for r in range(1, rounds + 1)]
pt = {c: [json.load(open(f"{out}/pytorch-{c}-{r}.json")) for r in range(1, rounds + 1)] for c in ("mlp", "multimodal", "end-to-end")}
mlp = statistics.median(o["mlp"]["samples_per_second"] for o in ob) / statistics.median(p["samples_per_second"] for p in pt["mlp"])
mm = statistics.median(o["multimodal"]["samples_per_second"] for o in ob) / statistics.median(p["samples_per_second"] for p in pt["multimodal"])
e2e = statistics.median(p["wall_seconds"] for p in pt["end-to-end"]) / statistics.median(o["end_to_end_quickstart"]["wall_seconds"] for o in ob)
print(f"raw training step, quickstart MLP: oncobench / PyTorch = {mlp:.2f}x")
print(f"raw training step, multimodal:     oncobench / PyTorch = {mm:.2f}x")
print(f"end to end, quickstart (speed):    oncobench / PyTorch = {e2e:.2f}x")
print(f"ratio {mlp:.2f} {mm:.2f} {e2e:.2f}")
PY
