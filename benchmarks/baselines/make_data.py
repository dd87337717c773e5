#!/usr/bin/env python3
"""Writes the matrices and inner folds both sides of baselines-vs-sklearn.sh fit, so they see the same numbers.

--case gdsc2: a GDSC2-sized synthetic problem (969 cell lines x 2,000 genes x 287 drugs), generated deterministically:
  expression from 20 latent programmes plus noise, standardised per gene; each drug responds to 10 genes of its own
  (weights ~ N(0, 0.5)) on top of a drug offset, noise sd 1; 15% of (cell line, drug) pairs not measured, as in GDSC2.
--case dreval: DrEval's example data (../shared/datasets/dreval-example): ln(1 + TPM) of its 38 genes standardised over
  the 87 cell lines, the curve AUC per (cell line, drug) (duplicates averaged).
Folds: cell lines shuffled with the seed and dealt round-robin into 3 inner folds (one fold id per cell line).
Output: meta.json, X.f32 (cells x genes), Y.f32 (cells x drugs, NaN = not measured), folds.i32, little-endian, row-major.
"""
import argparse
import json
import os

import numpy as np


def gdsc2(rng, drugs):
    cells, genes, programmes = 969, 2000, 20
    f = rng.standard_normal((cells, programmes))
    load = rng.standard_normal((programmes, genes)) * 0.5
    x = f @ load + rng.standard_normal((cells, genes))
    x = (x - x.mean(0)) / x.std(0)
    y = np.empty((cells, drugs))
    for d in range(drugs):
        beta = np.zeros(genes)
        beta[rng.choice(genes, 10, replace=False)] = rng.normal(0, 0.5, 10)
        y[:, d] = rng.normal(0, 2) + x @ beta + rng.standard_normal(cells)
    y[rng.random((cells, drugs)) < 0.15] = np.nan
    return x, y


def dreval(folder):
    import pandas as pd
    gex = pd.read_csv(os.path.join(folder, "gex_example.csv")).drop(columns=["cell_line_name"]).set_index("cellosaurus_id")
    resp = pd.read_csv(os.path.join(folder, "response_example.csv"))
    y = resp.pivot_table(index="cellosaurus_id", columns="pubchem_id", values="AUC", aggfunc="mean")
    cells = sorted(set(gex.index) & set(y.index))
    x = np.log1p(gex.loc[cells].to_numpy(dtype=float))
    sd = x.std(0)
    x = (x - x.mean(0)) / np.where(sd > 0, sd, 1)
    return x, y.loc[cells].to_numpy(dtype=float)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--case", choices=["gdsc2", "dreval"], required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--drugs", type=int, default=287, help="gdsc2: the first N drugs (the shape per drug is unchanged)")
    ap.add_argument("--dreval-dir", default="../shared/datasets/dreval-example")
    ap.add_argument("--seed", type=int, default=33)
    a = ap.parse_args()
    rng = np.random.default_rng(a.seed)
    x, y = gdsc2(rng, 287) if a.case == "gdsc2" else dreval(a.dreval_dir)
    if a.case == "gdsc2":
        y = y[:, : a.drugs]
    cells = x.shape[0]
    order = rng.permutation(cells)
    folds = np.empty(cells, dtype=np.int32)
    folds[order] = np.arange(cells) % 3
    os.makedirs(a.out, exist_ok=True)
    x.astype("<f4").tofile(os.path.join(a.out, "X.f32"))
    y.astype("<f4").tofile(os.path.join(a.out, "Y.f32"))
    folds.astype("<i4").tofile(os.path.join(a.out, "folds.i32"))
    meta = {"case": a.case, "cells": cells, "genes": x.shape[1], "drugs": y.shape[1], "measured": int(np.isfinite(y).sum()),
            "l1_ratios": [0.2, 0.5, 0.9], "lambdas": 30, "lambda_ratio": 1e-3, "folds": 3, "seed": a.seed}
    with open(os.path.join(a.out, "meta.json"), "w") as fh:
        json.dump(meta, fh)
    print(json.dumps(meta))


if __name__ == "__main__":
    main()
