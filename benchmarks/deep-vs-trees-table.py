"""The table of benchmarks/deep-vs-trees.sh: reads RUNS/<dataset>/<config>/<run>/metrics.json and prints markdown.

usage: deep-vs-trees-table.py RUNS CONF CONFIGS DATASET:SCORE:TAGS ...   (CONFIGS: comma list or empty for all)
       deep-vs-trees-table.py --best-tree RUNS CONF DATASET SCORE      (the best tree ensemble of the default run)
Standard library only.
"""
import glob
import json
import os
import re
import sys

LOWER_IS_BETTER = {"rmse", "mae", "mse", "brier", "log_loss", "ece"}
TAG = re.compile(r"^\[([a-z]+)\]\s*(.*)$")


def parse_conf(path):
    rows = []
    for line in open(path):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        parts = [p.strip() for p in line.split("|")]
        name, items = parts[0], [p for p in parts[1:] if p]
        first = TAG.sub(r"\2", items[0]) if items else ""
        if first.startswith("baseline"):
            m = TAG.match(items[0])
            rows.append({"name": name, "kind": "baseline", "tree": "tree" in first, "tag": m.group(1) if m else None})
        else:
            rows.append({"name": name, "kind": "network", "items": items})
    return rows


def metrics_of(runs, dataset, config):
    found = sorted(glob.glob(os.path.join(runs, dataset, config, "*", "metrics.json")))
    return json.load(open(found[-1])) if found else None


def status_of(runs, dataset, config):
    p = os.path.join(runs, dataset, config + ".status")
    return open(p).read().strip() if os.path.exists(p) else None


def wall_of(runs, dataset, config):
    p = os.path.join(runs, dataset, config + ".wall")
    return float(open(p).read()) if os.path.exists(p) else None


def scored(m, score):
    """The block the dataset is scored on: the run itself, or its (first) external study."""
    if score == "external":
        ext = m.get("external") or {}
        name = sorted(ext)[0] if ext else None
        return (ext[name], name) if name else (None, None)
    return m, None


def headline(m):
    if m.get("verdict") and m["verdict"].get("metric"):
        return m["verdict"]["metric"]
    return "auc" if m.get("task") == "classification" else "rmse"


def interval(block, predictor, metric):
    try:
        iv = block["significance"]["intervals"][predictor][metric]
    except (KeyError, TypeError):
        return None
    return iv if iv.get("estimate") is not None else None


def paired(block, baseline, metric):
    try:
        d = block["significance"]["model_minus_baseline"][baseline][metric]
    except (KeyError, TypeError):
        return None
    return d if d.get("estimate") is not None else None


def fmt(iv, digits=3):
    return f"{iv['estimate']:.{digits}f} [{iv['low']:.{digits}f}, {iv['high']:.{digits}f}]"


def best_tree(runs, conf, dataset, score):
    """The tree ensemble that scores best in the dataset's default run (printed; nothing when it has not run)."""
    base = metrics_of(runs, dataset, "default")
    if base is None:
        return None
    metric = headline(base)
    block, _ = scored(base, score)
    trees = [r["name"] for r in parse_conf(conf) if r["kind"] == "baseline" and r["tree"]]
    ivs = {t: interval(block, t, metric) for t in trees}
    ivs = {t: v for t, v in ivs.items() if v}
    if not ivs:
        return None
    pick = min if metric in LOWER_IS_BETTER else max
    return pick(ivs, key=lambda t: ivs[t]["estimate"])


def main():
    if sys.argv[1] == "--best-tree":
        print(best_tree(*sys.argv[2:6]) or "")
        return
    runs, conf, configs = sys.argv[1], sys.argv[2], sys.argv[3]
    cols = [c.split(":", 2) for c in sys.argv[4:]]
    wanted = set(filter(None, configs.split(","))) | {"default"} if configs else None
    rows = [r for r in parse_conf(conf) if wanted is None or r["kind"] == "baseline" or r["name"] in wanted]
    trees = [r["name"] for r in rows if r["kind"] == "baseline" and r["tree"]]
    notes, head, cells = [], [], {r["name"]: [] for r in rows}
    walls = {r["name"]: [] for r in rows if r["kind"] == "network"}
    for dataset, score, tags in cols:
        if os.path.exists(os.path.join(runs, dataset, ".missing")):
            notes.append(f"- {dataset}: skipped, {open(os.path.join(runs, dataset, '.missing')).read().strip()}")
            continue
        base = metrics_of(runs, dataset, "default")
        if base is None:
            head.append(f"{dataset} (not run yet)")
            for r in rows:
                cells[r["name"]].append("…")
            for w in walls.values():
                w.append("…")
            continue
        metric = headline(base)
        lower = metric in LOWER_IS_BETTER
        block, ext = scored(base, score)
        tree_iv = {t: interval(block, t, metric) for t in trees}
        tree_iv = {t: v for t, v in tree_iv.items() if v}
        best = (min if lower else max)(tree_iv, key=lambda t: tree_iv[t]["estimate"]) if tree_iv else None
        digits = 4 if best and abs(tree_iv[best]["estimate"]) < 0.2 else 3  # small scales (curve AUC as RMSE) need a 4th
        where = f", on {ext}" if ext else ""
        unit = block.get("significance", {}).get("unit", "?")
        head.append(f"{dataset}: {metric.upper().replace('_', ' ')}{where}" + (f" (best tree {best})" if best else ""))
        notes.append(f"- {dataset}: {metric} {'lower' if lower else 'higher'} is better; 95% intervals by the bootstrap over "
                     f"{block.get('significance', {}).get('units', '?')} {unit}")

        def at_or_above(est):
            if best is None:
                return False
            b = tree_iv[best]["estimate"]
            return est <= b if lower else est >= b

        for r in rows:
            name = r["name"]
            if r["kind"] == "baseline":
                if r["tag"] and r["tag"] not in tags.split():
                    cells[name].append("n/a")
                    continue
                iv = interval(block, name, metric)
                cells[name].append(("**" + fmt(iv, digits) + "**" if name == best else fmt(iv, digits)) if iv else "-")
                continue
            st = status_of(runs, dataset, name)
            w = wall_of(runs, dataset, name)
            walls[name].append(f"{w:.0f}" if w is not None else ("-" if st else "…"))
            m = metrics_of(runs, dataset, name)
            if m is None:
                if st and st.startswith("n/a"):
                    cells[name].append("n/a")
                    if "does not apply" not in st:
                        notes.append(f"- {dataset} / {name}: {st}")
                else:
                    cells[name].append("failed" if st else "…")
                    if st:
                        notes.append(f"- {dataset} / {name}: {st}")
                continue
            b, _ = scored(m, score)
            iv = interval(b, "model", metric)
            if iv is None:
                cells[name].append("-")
                continue
            text = fmt(iv, digits)
            if at_or_above(iv["estimate"]):
                text = "**" + text + "**"
            d = paired(b, best, metric) if best else None
            if d:
                sign = ""
                if d["low"] > 0 or d["high"] < 0:  # the interval excludes 0: say which way
                    better = (d["high"] < 0) if lower else (d["low"] > 0)
                    sign = " ▲" if better else " ▼"
                text += f"; Δ {d['estimate']:+.{digits}f} [{d['low']:+.{digits}f}, {d['high']:+.{digits}f}]{sign}"
                again = interval(b, best, metric)
                if again and abs(again["estimate"] - tree_iv[best]["estimate"]) > 1e-12:
                    notes.append(f"- {dataset} / {name}: {best} scored {again['estimate']:.4f} in this run, "
                                 f"{tree_iv[best]['estimate']:.4f} in the default run")
            cells[name].append(text)
    print("| configuration | " + " | ".join(head) + " |")
    print("|---|" + "---|" * len(head))
    for r in rows:
        label = r["name"] if r["kind"] == "network" else r["name"] + " (baseline)"
        print(f"| {label} | " + " | ".join(cells[r["name"]]) + " |")
    print()
    print("Each cell: the headline metric [95% interval]; network rows add Δ = network - best tree ensemble of the same "
          "run, paired, [95% interval], ▲/▼ where the interval excludes 0 for/against the network. Bold: at or above the "
          "best tree ensemble (its point estimate); the best tree itself in bold.")
    for n in notes:
        print(n)
    print()
    print("| wall time (s) | " + " | ".join(h.split(":")[0] for h in head) + " |")
    print("|---|" + "---:|" * len(head))
    for name, w in walls.items():
        print(f"| {name} | " + " | ".join(w) + " |")


if __name__ == "__main__":
    main()
