#!/usr/bin/env bash
# Deep models against the tree ensembles: runs every network configuration of benchmarks/deep-vs-trees.conf on each
# dataset and prints ONE markdown table (rows = configurations, columns = datasets; each cell the dataset's headline
# metric with its 95% interval, and for network rows the paired difference against the best tree ensemble of the same
# run). Baselines come from the `default` run's metrics.json; every network run refits the default run's best tree
# ensemble beside it (baselines do not depend on the network: same rows, same seed), for the paired difference.
#
#   benchmarks/deep-vs-trees.sh                       all datasets, all configurations
#   DATASETS=quickstart,cross-study CONFIGS=default,ensemble5 benchmarks/deep-vs-trees.sh
#   RUNS=/tmp/dvt JOBS=2 benchmarks/deep-vs-trees.sh  runs outside the repo (default /tmp/deep-vs-trees), 2 datasets at once
#   TABLE_ONLY=1 benchmarks/deep-vs-trees.sh          print the table of the runs already in RUNS
#   DRY=1 benchmarks/deep-vs-trees.sh                 print the commands it would run
#
# Finished runs are kept and not redone (delete RUNS/<dataset>/<config>* to redo one), so an interrupted benchmark
# resumes. After every run the partial table is saved to benchmarks/results/deep-vs-trees-partial.md (OUT=... to
# change). Datasets whose files are missing from ../shared are skipped with a line. Runs are niced (NICE=10).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
cd "$here"
conf="${CONF:-benchmarks/deep-vs-trees.conf}"
runs="${RUNS:-/tmp/deep-vs-trees}"
out="${OUT:-benchmarks/results/deep-vs-trees-partial.md}"
jobs="${JOBS:-1}"
nice_level="${NICE:-10}"
mkdir -p "$runs" "$(dirname "$out")"
runs="$(cd "$runs" && pwd)"

# name | experiment | file that must exist (repo-relative, empty: embedded) | tags | which scores (within or external)
# Listed in order of cost: the cheapest runs first, so partial tables fill early.
datasets_table="
bladderbatch|experiments/bladderbatch.yaml|../shared/datasets/bladderbatch/bladder_expr.csv.gz|classification|within
quickstart|experiments/quickstart.yaml||regression drugs validation|within
cross-study|experiments/cross-study.yaml||regression drugs validation|external
dreval-example|experiments/dreval-example.yaml|../shared/datasets/dreval-example/response_example.csv|regression drugs validation|within
multimodal|experiments/multimodal.yaml||regression drugs validation|within
"
# naive references added to the default run's baselines (context in the table's footnotes)
naive_for() { case "$1" in classification) echo "class_prior";; *) echo "drug_mean";; esac; }

trim() { local s="$1"; s="${s#"${s%%[![:space:]]*}"}"; s="${s%"${s##*[![:space:]]}"}"; printf '%s' "$s"; }

# the conf: network rows (name + overrides) and baseline rows (name + tags)
net_names=(); net_specs=(); base_names=(); base_specs=()
while IFS= read -r line || [ -n "$line" ]; do
  line="${line%%#*}"; line="$(trim "$line")"; [ -z "$line" ] && continue
  IFS='|' read -ra parts <<< "$line"
  name="$(trim "${parts[0]}")"
  rest=""; for p in "${parts[@]:1}"; do rest+="$(trim "$p")"$'\x1f'; done
  first="${rest%%$'\x1f'*}"; first="$(trim "${first#\[*\]}")"
  if [[ "$first" == baseline* ]]; then
    base_names+=("$name"); base_specs+=("$rest")
  else
    net_names+=("$name"); net_specs+=("$rest")
  fi
done < "$conf"
[ "${net_names[0]:-}" = default ] || { echo "deep-vs-trees: the first row of $conf must be 'default'" >&2; exit 2; }

wanted() { local list="$1" item="$2"; [ -z "$list" ] && return 0; [[ ",$list," == *",$item,"* ]]; }
has_tag() { [[ " $1 " == *" $2 "* ]]; }
# an item "[tag] text": prints text when the dataset has the tag (or no tag is given), else nothing
applies() {
  local item="$1" tags="$2"
  if [[ "$item" =~ ^\[([a-z]+)\][[:space:]]*(.*)$ ]]; then
    has_tag "$tags" "${BASH_REMATCH[1]}" && printf '%s' "${BASH_REMATCH[2]}"
  else
    printf '%s' "$item"
  fi
  return 0
}

# baselines of a dataset: all (for the default run) or trees only (for the network runs)
baselines_for() {
  local tags="$1" which="$2" i spec b list=""
  [ "$which" = all ] && list="$(naive_for "$(has_tag "$tags" classification && echo classification || echo regression)")"
  for i in "${!base_names[@]}"; do
    spec="${base_specs[$i]%$'\x1f'}"
    b="$(applies "$spec" "$tags")"; [ -z "$b" ] && continue
    [ "$which" = trees ] && [[ "$b" != *tree* ]] && continue
    list+="${list:+,}${base_names[$i]}"
  done
  echo "$list"
}

# the table's columns, in this order
columns="quickstart multimodal cross-study bladderbatch dreval-example"

table() {
  local cols=() c d yaml need tags score
  for c in $columns; do
    while IFS='|' read -r d yaml need tags score; do
      [ "$d" = "$c" ] && wanted "${DATASETS:-}" "$d" && cols+=("$d:$score:$tags")
    done <<< "$datasets_table"
  done
  /usr/bin/python3 benchmarks/deep-vs-trees-table.py "$runs" "$conf" "${CONFIGS:-}" "${cols[@]}"
}

save_partial() { table > "$out.tmp.$$" 2>/dev/null && mv -f "$out.tmp.$$" "$out" || rm -f "$out.tmp.$$"; }

run_dataset() {
  local d="$1" yaml="$2" tags="$3" score="$4" i name spec item o args baselines status rc start
  for i in "${!net_names[@]}"; do
    name="${net_names[$i]}"
    wanted "${CONFIGS:-}" "$name" || [ "$name" = default ] || continue
    [ -f "$runs/$d/$name.status" ] && continue
    args=(); spec="${net_specs[$i]}"
    local kept=0 total=0
    if [ -n "$spec" ]; then
      IFS=$'\x1f' read -ra items <<< "${spec%$'\x1f'}"
      for item in "${items[@]}"; do
        [ -z "$item" ] && continue
        total=$((total + 1))
        o="$(applies "$item" "$tags")"; [ -z "$o" ] && continue
        kept=$((kept + 1))
        if [[ "$o" == --* ]]; then args+=("$o"); else args+=(--set "$o"); fi
      done
    fi
    mkdir -p "$runs/$d"
    if [ "$total" -gt 0 ] && [ "$kept" -eq 0 ]; then
      echo "n/a: does not apply to $d" > "$runs/$d/$name.status"; continue
    fi
    if [ "$name" = default ]; then
      baselines="$(baselines_for "$tags" all)"
    else # only the default run's best tree ensemble, for the paired test (the baselines do not depend on the network)
      baselines="$(/usr/bin/python3 benchmarks/deep-vs-trees-table.py --best-tree "$runs" "$conf" "$d" "$score")"
      [ -n "$baselines" ] || baselines="$(baselines_for "$tags" trees)"
    fi
    args+=(--set "evaluation.baselines=[$baselines]")
    echo "deep-vs-trees: $d / $name: ./oncobench run $yaml ${args[*]}" >&2
    [ -n "${DRY:-}" ] && continue
    printf '%q ' ./oncobench run "$yaml" "${args[@]}" > "$runs/$d/$name.cmd"
    rm -rf "$runs/$d/$name"
    start=$(date +%s.%N)
    rc=0
    nice -n "$nice_level" ./oncobench run "$yaml" --runs-dir "$runs/$d/$name" "${args[@]}" > "$runs/$d/$name.log" 2>&1 || rc=$?
    echo "$start $(date +%s.%N)" | awk '{printf "%.1f\n", $2 - $1}' > "$runs/$d/$name.wall"
    case "$rc" in
      0) status=ok ;;
      2) status="n/a: $(grep -m1 -v '^\s*$' "$runs/$d/$name.log" | tr -d '\r' | cut -c1-300)" ;;
      *) status="failed: exit $rc (see $runs/$d/$name.log)" ;;
    esac
    echo "$status" > "$runs/$d/$name.status"
    echo "deep-vs-trees: $d / $name: $status ($(cat "$runs/$d/$name.wall") s)" >&2
    save_partial
  done
}

if [ -z "${TABLE_ONLY:-}" ]; then
  [ -f target/oncobench.jar ] || ./oncobench --version >/dev/null # build once before the streams start
  streams=(); n=0
  while IFS='|' read -r d yaml need tags score; do
    [ -z "$d" ] && continue
    wanted "${DATASETS:-}" "$d" || continue
    if [ -n "$need" ] && [ ! -f "$need" ]; then
      echo "deep-vs-trees: skipped $d: $need is missing (the shared datasets are not beside the clone)" >&2
      mkdir -p "$runs/$d"; echo "missing: $need" > "$runs/$d/.missing"; continue
    fi
    streams[$((n % jobs))]+="$d|$yaml|$tags|$score"$'\n'; n=$((n + 1))
  done <<< "$datasets_table"
  pids=()
  for s in "${!streams[@]}"; do
    ( while IFS='|' read -r d yaml tags score; do [ -n "$d" ] && run_dataset "$d" "$yaml" "$tags" "$score"; done <<< "${streams[$s]}" ) &
    pids+=($!)
  done
  for p in "${pids[@]}"; do wait "$p"; done
  save_partial
fi
table
