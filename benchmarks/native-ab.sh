#!/usr/bin/env bash
# ND4J's native build and JavaCPP's memory check, side by side and alternating (these machines are noisy): the quickstart
# MLP and multimodal steps from `oncobench bench`, ROUNDS times each, one fresh JVM per measurement.
#   default        : nd4j-native's oneDNN build, JavaCPP's physical-memory check on (its default limit, 3 x -Xmx = 24g)
#   check-off      : the same build, the check off (what model.NativeSetup sets)
#   avx2+check-off : the AVX2 variant of the oneDNN build (not shipped; fetched here into target/native-variants)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${ROUNDS:-3}"
cases="${CASES:-mlp,multimodal}"
out="$(mktemp -d)"
./oncobench --version > /dev/null # build first, outside the timings
variant_dir=target/native-variants
if [ ! -f "$variant_dir/nd4j-native-1.0.0-M2.1-linux-x86_64-onednn-avx2.jar" ]; then
  mvn -B -q dependency:copy -Dartifact=org.nd4j:nd4j-native:1.0.0-M2.1:jar:linux-x86_64-onednn-avx2 -DoutputDirectory="$variant_dir" >&2
fi
jar="$(ls -t target/launch/oncobench-*.jar | head -1)"
declare -A opts=(
  [default]="-Dorg.bytedeco.javacpp.platform.extension=-onednn -Dorg.bytedeco.javacpp.maxPhysicalBytes=24g"
  [check-off]="-Dorg.bytedeco.javacpp.platform.extension=-onednn -Dorg.bytedeco.javacpp.maxPhysicalBytes=0"
  [avx2+check-off]="-Dorg.bytedeco.javacpp.platform.extension=-onednn-avx2 -Dorg.bytedeco.javacpp.maxPhysicalBytes=0"
)
variants=(default check-off avx2+check-off)
for r in $(seq 1 "$rounds"); do
  for v in "${variants[@]}"; do
    OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}" java -Xmx8g ${opts[$v]} -Doncobench.home="$PWD" -cp "$jar:target/lib/*:$variant_dir/*" \
      org.oncobench.cli.Oncobench bench --cases "$cases" --json --out "$out/results" > "$out/$v-$r.json" 2> "$out/$v-$r.log"
  done
done
/usr/bin/python3 - "$out" "$rounds" "$cases" "${variants[@]}" <<'PY'
import json, statistics, sys
out, rounds, cases, variants = sys.argv[1], int(sys.argv[2]), sys.argv[3].split(","), sys.argv[4:]
for case in cases:
    sps = {v: statistics.median(json.load(open(f"{out}/{v}-{r}.json"))[case]["samples_per_second"] for r in range(1, rounds + 1)) for v in variants}
    print(f"{case}: " + ", ".join(f"{v} {sps[v]:.0f}/s ({sps[v] / sps['default']:.2f}x)" for v in variants))
PY
