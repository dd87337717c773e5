#!/usr/bin/env bash
# Runs oncobench's benchmark and the PyTorch peer alternately in one session (these machines are noisy) and prints, per
# case, oncobench's speed divided by PyTorch's, then
#   ratio <raw-step MLP> <raw-step multimodal> <quickstart end to end> <GDSC-scale step> <GDSC-scale end to end>
# (the last two "-" without GDSC=1). Above 1 means oncobench is faster. Then
#   spread <MLP> <multimodal> <quickstart end to end> <GDSC-scale step> <GDSC-scale end to end>
# each case's lowest and highest ratio over the rounds (round r's oncobench against round r's PyTorch, lo-hi), so a
# reader sees the noise beside the medians ("-" for the GDSC-scale cases, which run once).
# Needs Debian's python3-torch, python3-pandas and python3-rdkit: installed here when run as root, else named.
# GDSC=1 adds the GDSC-scale cases (1,000 x 250 x 19,000 synthetic cohort, 184 MB of CSVs; 2,000 genes, 2,048 bits,
# 512-256, batch 256): the step (one warm-up epoch, one timed) and end to end (read, join, split, transforms, one epoch,
# evaluate). About 10 minutes more.
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
export OMP_NUM_THREADS="$threads" OPENBLAS_NUM_THREADS="$threads"  # Debian torch multiplies in OpenBLAS, whose pool ignores torch.set_num_threads
out="$(mktemp -d)"
for r in $(seq 1 "$rounds"); do
  ./oncobench bench --cases mlp,multimodal,end-to-end --json > "$out/oncobench-$r.json" 2> "$out/oncobench-$r.log"
  for c in mlp multimodal end-to-end; do
    /usr/bin/python3 benchmarks/pytorch/bench.py --case "$c" --threads "$threads" > "$out/pytorch-$c-$r.json"
  done
done
if [ "${GDSC:-0}" = 1 ]; then
  gdsc_args=(--threads "$threads" --data target/bench/gdsc-scale --top-genes 2000 --bits 2048 --hidden 512,256 --batch 256)
  ./oncobench bench --cases gdsc-nn --epochs 1 --json > "$out/oncobench-gdsc.json" 2> "$out/oncobench-gdsc.log"
  /usr/bin/python3 benchmarks/pytorch/bench.py --case mlp --epochs 1 "${gdsc_args[@]}" > "$out/pytorch-gdsc.json"
  /usr/bin/python3 benchmarks/pytorch/bench.py --case end-to-end --e2e-epochs 1 "${gdsc_args[@]}" > "$out/pytorch-gdsc-e2e.json"
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
gs = ge = "-"
if os.path.exists(f"{out}/pytorch-gdsc.json"):
    og = json.load(open(f"{out}/oncobench-gdsc.json"))
    g = og["mlp_gdsc_scale"]["samples_per_second"] / json.load(open(f"{out}/pytorch-gdsc.json"))["samples_per_second"]
    e = json.load(open(f"{out}/pytorch-gdsc-e2e.json"))["wall_seconds"] / og["end_to_end_gdsc_scale"]["wall_seconds"]
    print(f"raw training step, GDSC-scale MLP: oncobench / PyTorch = {g:.2f}x")
    print(f"end to end, GDSC scale (speed):    oncobench / PyTorch = {e:.2f}x")
    gs, ge = f"{g:.2f}", f"{e:.2f}"
print(f"ratio {mlp:.2f} {mm:.2f} {e2e:.2f} {gs} {ge}")
# the noise: each round's own ratio (oncobench and PyTorch of the same round, measured next to each other)
def spread(per_round):
    return f"{min(per_round):.2f}-{max(per_round):.2f}"
rs_mlp = [o["mlp"]["samples_per_second"] / p["samples_per_second"] for o, p in zip(ob, pt["mlp"])]
rs_mm = [o["multimodal"]["samples_per_second"] / p["samples_per_second"] for o, p in zip(ob, pt["multimodal"])]
rs_e2e = [p["wall_seconds"] / o["end_to_end_quickstart"]["wall_seconds"] for o, p in zip(ob, pt["end-to-end"])]
print(f"spread {spread(rs_mlp)} {spread(rs_mm)} {spread(rs_e2e)} - -")
PY
