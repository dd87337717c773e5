#!/usr/bin/env bash
# single_drug_elastic_net with its inner CV (oncobench's own glmnet-style path) against scikit-learn's ElasticNetCV, in
# one run, on the SAME matrices and inner folds (written once to a temp folder by baselines/make_data.py) and the same
# thread count: a GDSC2-sized synthetic problem (969 cell lines x 2,000 genes x 287 drugs) and DrEval's example data.
# Prints per case the fit wall times, the ratio sklearn / oncobench (above 1: oncobench faster), peak RSS of each process
# (/usr/bin/time -v) and how often both chose the same (l1 ratio, lambda).
#   THREADS=2 (default: all cores)  DRUGS=287 (GDSC2 case: the first N drugs; the shape per drug is unchanged)
#   DREVAL=../shared/datasets/dreval-example (skipped when absent)
# Needs Debian's python3-sklearn and python3-pandas: installed here when run as root, else named.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! /usr/bin/python3 -c 'import numpy, pandas, sklearn, joblib' 2> /dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get > /dev/null; then
    echo "installing scikit-learn's side: python3-sklearn python3-pandas" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3-sklearn python3-pandas >&2
  else
    echo "the scikit-learn side needs Debian's python3-sklearn and python3-pandas:" >&2
    echo "  sudo apt-get install -y python3-sklearn python3-pandas" >&2
    exit 2
  fi
fi
threads="${THREADS:-$(nproc)}"
drugs="${DRUGS:-287}"
dreval="${DREVAL:-../shared/datasets/dreval-example}"
# the same thread count on both sides: BLAS and OpenMP pinned to 1 per worker, the drugs spread over $threads workers
export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 MKL_NUM_THREADS=1
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
cases=(gdsc2)
/usr/bin/python3 benchmarks/baselines/make_data.py --case gdsc2 --drugs "$drugs" --out "$tmp/gdsc2" > /dev/null
if [ -f "$dreval/gex_example.csv" ]; then
  /usr/bin/python3 benchmarks/baselines/make_data.py --case dreval --dreval-dir "$dreval" --out "$tmp/dreval" > /dev/null
  cases+=(dreval)
else
  echo "dreval-example not found at $dreval: that case is skipped" >&2
fi
./oncobench version > /dev/null 2>&1 || true # builds if needed, outside the timings
for c in "${cases[@]}"; do
  echo "case $c: oncobench ..." >&2
  /usr/bin/time -v -o "$tmp/$c/oncobench.time" ./oncobench bench --cases baselines --baseline-data "$tmp/$c" --threads "$threads" \
    --out "$tmp/$c/results" --json > "$tmp/$c/oncobench.json" 2> "$tmp/$c/oncobench.log"
  echo "case $c: scikit-learn ..." >&2
  /usr/bin/time -v -o "$tmp/$c/sklearn.time" /usr/bin/python3 benchmarks/baselines/sklearn_side.py --data "$tmp/$c" --threads "$threads" \
    > "$tmp/$c/sklearn.json"
done
/usr/bin/python3 - "$tmp" "${cases[@]}" <<'PY'
import csv, json, re, sys
tmp, cases = sys.argv[1], sys.argv[2:]
def rss(f):
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", open(f).read())
    return int(m.group(1)) / 1024
def wall(f):
    m = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", open(f).read())
    parts = [float(p) for p in m.group(1).split(":")]
    return sum(p * 60 ** i for i, p in enumerate(reversed(parts)))
def fits(f):
    return {int(r["drug"]): r for r in csv.DictReader(open(f))}
for c in cases:
    meta = json.load(open(f"{tmp}/{c}/meta.json"))
    ob = json.load(open(f"{tmp}/{c}/oncobench.json"))["single_drug_elastic_net"]
    sk = json.load(open(f"{tmp}/{c}/sklearn.json"))
    o, s = fits(f"{tmp}/{c}/oncobench-fits.csv"), fits(f"{tmp}/{c}/sklearn-fits.csv")
    same = sum(1 for d in o if float(o[d]["l1_ratio"]) == float(s[d]["l1_ratio"]) and abs(float(o[d]["lambda"]) / float(s[d]["lambda"]) - 1) < 1e-3)
    print(f"{c}: {meta['drugs']} drugs x {meta['cells']} cell lines x {meta['genes']} genes ({meta['measured']} measured pairs), "
          f"{ob['threads']} thread(s) each")
    print(f"  fit wall time   oncobench {ob['fit_seconds']:.1f} s   scikit-learn {sk['fit_seconds']:.1f} s   "
          f"ratio (sklearn / oncobench, >1: oncobench faster) {sk['fit_seconds'] / ob['fit_seconds']:.2f}")
    print(f"  process wall    oncobench {wall(f'{tmp}/{c}/oncobench.time'):.1f} s   scikit-learn {wall(f'{tmp}/{c}/sklearn.time'):.1f} s")
    print(f"  peak RSS        oncobench {rss(f'{tmp}/{c}/oncobench.time'):.0f} MB   scikit-learn {rss(f'{tmp}/{c}/sklearn.time'):.0f} MB")
    print(f"  mean inner-CV MSE at the chosen point  oncobench {ob['mean_inner_cv_mse']:.4f}   scikit-learn {sk['mean_inner_cv_mse']:.4f}; "
          f"same (l1 ratio, lambda) chosen for {same} of {len(o)} drugs (sklearn {sk['sklearn']})")
PY
