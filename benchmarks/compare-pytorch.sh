#!/usr/bin/env bash
# Runs oncobench's benchmark and the PyTorch peer alternately in one session (these machines are noisy) and prints,
# per case, oncobench's throughput divided by PyTorch's, then `ratio <raw-step MLP> <raw-step multimodal> <end-to-end>`.
# Needs Debian's python3-torch, python3-pandas and python3-rdkit (apt-get install -y python3-torch python3-pandas python3-rdkit).
# GDSC=1 adds the GDSC-scale MLP (1,000 x 250 x 19,000 synthetic cohort, 2,000 genes, 2,048 bits, 512-256, batch 256;
# about 3 minutes more).
set -euo pipefail
cd "$(dirname "$0")/.."
# the PyTorch peer runs on Debian's Python and packages (a bare machine lacks even numpy): install them as root, else say how
if ! /usr/bin/python3 -c 'import numpy, pandas, torch, rdkit' 2> /dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get > /dev/null; then
    echo "installing the PyTorch peer's packages: python3-torch python3-pandas python3-rdkit" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3-torch python3-pandas python3-rdkit >&2
  else
    echo "the PyTorch peer needs Debian's python3-torch, python3-pandas and python3-rdkit:" >&2
    echo "  sudo apt-get install -y python3-torch python3-pandas python3-rdkit" >&2
    exit 2
  fi
fi
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
if [ "${GDSC:-0}" = 1 ]; then
  ./oncobench bench --cases gdsc --epochs 1 --json > "$out/oncobench-gdsc.json" 2> "$out/oncobench-gdsc.log"
  /usr/bin/python3 benchmarks/pytorch/bench.py --case mlp --threads "$threads" --epochs 1 --data target/bench/gdsc-scale \
    --top-genes 2000 --bits 2048 --hidden 512,256 --batch 256 > "$out/pytorch-gdsc.json"
fi
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
import os
if os.path.exists(f"{out}/pytorch-gdsc.json"):
    g = json.load(open(f"{out}/oncobench-gdsc.json"))["mlp_gdsc_scale"]["samples_per_second"] / json.load(open(f"{out}/pytorch-gdsc.json"))["samples_per_second"]
    print(f"raw training step, GDSC-scale MLP: oncobench / PyTorch = {g:.2f}x")
print(f"ratio {mlp:.2f} {mm:.2f} {e2e:.2f}")
PY
