#!/usr/bin/env bash
# FastAdam against DL4J's native Adam op, side by side and alternating (these machines are noisy): the quickstart MLP
# and the multimodal step from `oncobench bench`, ROUNDS times each. Prints samples per second and the ratio.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${ROUNDS:-2}"
out="$(mktemp -d)"
for r in $(seq 1 "$rounds"); do
  for impl in dl4j fast; do
    ONCOBENCH_JAVA_OPTS="-Xmx8g -Doncobench.adam=$impl" ./oncobench bench --cases "${CASES:-mlp,multimodal}" --json --out "$out/results" \
      > "$out/$impl-$r.json" 2> "$out/$impl-$r.log"
  done
done
/usr/bin/python3 - "$out" "$rounds" "${CASES:-mlp,multimodal}" <<'PY'
import json, statistics, sys
out, rounds, cases = sys.argv[1], int(sys.argv[2]), sys.argv[3].split(",")
for case in cases:
    sps = {impl: statistics.median(json.load(open(f"{out}/{impl}-{r}.json"))[case]["samples_per_second"] for r in range(1, rounds + 1))
           for impl in ("dl4j", "fast")}
    print(f"{case}: DL4J Adam {sps['dl4j']:.0f} samples/s, FastAdam {sps['fast']:.0f} samples/s, ratio {sps['fast'] / sps['dl4j']:.2f}")
PY
