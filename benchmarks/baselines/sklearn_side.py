#!/usr/bin/env python3
"""scikit-learn's side of baselines-vs-sklearn.sh: per drug, ElasticNetCV on its measured cell lines with the grid of
oncobench's single_drug_elastic_net (l1 ratios 0.2, 0.5, 0.9; 30 alphas from alpha_max down to 1e-3 alpha_max) and the
SAME inner folds (PredefinedSplit of folds.i32), the drugs on --threads threads (joblib threads: sklearn's coordinate
descent releases the GIL; BLAS pinned to 1 thread each by the caller). Writes sklearn-fits.csv beside the matrices and
prints the wall time of the fits as JSON.
"""
import argparse
import json
import os
import time
import warnings

import numpy as np
from joblib import Parallel, delayed
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import ElasticNetCV
from sklearn.model_selection import PredefinedSplit

# sklearn stops at max_iter=1000 at the small-alpha end of some paths (n < p) and warns each time; the count is not the point here
warnings.filterwarnings("ignore", category=ConvergenceWarning)


def one(x, y, folds, d):
    m = np.isfinite(y[:, d])
    cv = ElasticNetCV(l1_ratio=[0.2, 0.5, 0.9], n_alphas=30, eps=1e-3, cv=PredefinedSplit(folds[m]), n_jobs=1)
    cv.fit(x[m], y[m, d])
    a = list(cv.l1_ratio).index(cv.l1_ratio_)
    k = int(np.argmin(np.abs(cv.alphas_[a] - cv.alpha_)))
    return d, int(m.sum()), cv.l1_ratio_, cv.alpha_, float(cv.mse_path_[a, k].mean()), int((cv.coef_ != 0).sum()), int(cv.n_iter_)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--threads", type=int, default=1)
    a = ap.parse_args()
    meta = json.load(open(os.path.join(a.data, "meta.json")))
    c, g, n = meta["cells"], meta["genes"], meta["drugs"]
    t0 = time.perf_counter()
    x = np.fromfile(os.path.join(a.data, "X.f32"), dtype="<f4").reshape(c, g).astype(np.float64)
    y = np.fromfile(os.path.join(a.data, "Y.f32"), dtype="<f4").reshape(c, n).astype(np.float64)
    folds = np.fromfile(os.path.join(a.data, "folds.i32"), dtype="<i4")
    read = time.perf_counter() - t0
    t1 = time.perf_counter()
    fits = Parallel(n_jobs=a.threads, prefer="threads")(delayed(one)(x, y, folds, d) for d in range(n))
    fit = time.perf_counter() - t1
    with open(os.path.join(a.data, "sklearn-fits.csv"), "w") as fh:
        fh.write("drug,rows,l1_ratio,lambda,cv_mse,nonzero,iterations\n")
        for f in fits:
            fh.write(",".join(str(v) for v in f) + "\n")
    import sklearn
    print(json.dumps({"drugs": n, "threads": a.threads, "read_seconds": read, "fit_seconds": fit,
                      "mean_inner_cv_mse": float(np.mean([f[4] for f in fits])), "sklearn": sklearn.__version__}))


if __name__ == "__main__":
    main()
