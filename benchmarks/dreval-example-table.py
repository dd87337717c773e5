#!/usr/bin/python3
"""The README's dreval-example table from one run's metrics.json (stdlib only).

Usage: benchmarks/dreval-example-table.py runs/<run-id>/metrics.json

Per predictor: the global Pearson of the pooled out-of-fold predictions with the run's bootstrap interval over test
cell lines (metrics.json significance.intervals), its mean +- sd over folds (what the scikit-learn references average),
and the mean per-drug Pearson (pooled out-of-fold, one Pearson per drug over its 87 cell lines) with a 95% percentile
interval from 2,000 seeded resamples of the drugs.
"""
import json
import random
import sys


def per_drug_interval(values, draws=2000, seed=1):
    rng = random.Random(seed)
    means = sorted(sum(rng.choice(values) for _ in values) / len(values) for _ in range(draws))
    return means[int(0.025 * draws)], means[int(0.975 * draws) - 1]


def main(path):
    m = json.load(open(path))
    intervals = m["significance"]["intervals"]
    rows = [("model (" + m["model"]["kind"] + ")", "model", m["per_drug"], m["summary"]["model"])]
    for name in m["baselines"]:
        rows.append((name, name, m["baselines"][name]["per_drug"], m["summary"]["baselines"][name]))
    print("| predictor | global Pearson [95%] | over folds (mean ± sd) | mean per-drug Pearson [95%, drugs resampled] |")
    print("|---|---|---|---|")
    for label, key, per_drug, summary in rows:
        g = intervals[key]["pearson"]
        folds = summary["pearson"]
        drugs = [d["pearson"] for d in per_drug.get("drugs", []) if d.get("pearson") is not None]
        if key in ("drug_mean", "drug_cell_additive") and m["split"].get("group") == "sample":
            pd = "undefined within a fold (constant per drug); pooled over folds %.3f, the leave-out-mean artifact" % (
                sum(drugs) / len(drugs))
        elif drugs:
            lo, hi = per_drug_interval(drugs)
            pd = "%.3f [%.3f, %.3f] (%d drugs)" % (sum(drugs) / len(drugs), lo, hi, len(drugs))
        else:
            pd = "undefined (constant per drug)"
        print("| %s | %.3f [%.3f, %.3f] | %.3f ± %.3f | %s |" % (label, g["estimate"], g["low"], g["high"], folds["mean"], folds["sd"], pd))


if __name__ == "__main__":
    main(sys.argv[1])
