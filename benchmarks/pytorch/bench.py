#!/usr/bin/python3
"""The quickstart and multimodal experiments written the way a careful researcher would in PyTorch: pandas reads the
same files, the same join (COSMIC_ID -> Model.csv -> ModelID), a cell-blind split of the same sizes, top-variance
selection and standardisation fitted on the training cell lines only, RDKit Morgan fingerprints (radius 2, 512 bits),
the same architectures, optimiser, batch size and thread count. Prints one JSON object.

Run with Debian's python: /usr/bin/python3 benchmarks/pytorch/bench.py --case mlp|multimodal|end-to-end [--threads 1]
GDSC scale (benchmarks/compare-pytorch.sh GDSC=1): --data target/bench/gdsc-scale --top-genes 2000 --bits 2048 --hidden 512,256
--batch 256, with --epochs 1 for the step and --e2e-epochs 1 for end to end.
"""
import argparse
import json
import os
import sys
import time


def _threads_from_argv():
    for i, arg in enumerate(sys.argv):
        if arg == "--threads" and i + 1 < len(sys.argv):
            return sys.argv[i + 1]
        if arg.startswith("--threads="):
            return arg.split("=", 1)[1]
    return "1"


# The thread count must reach every pool before numpy/torch load: torch.set_num_threads covers torch's own OpenMP pool,
# but Debian's torch does its matrix products in OpenBLAS (BLAS_INFO=generic -> libopenblas0-pthread), whose pthread
# pool follows OPENBLAS_NUM_THREADS only. Without this, "--threads 1" ran its GEMMs on every core (measured here:
# 300 GFLOPS on a 2-core machine for a 1024^3 product, 130-147 GFLOPS with OPENBLAS_NUM_THREADS=1).
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = _threads_from_argv()

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import torch  # noqa: E402
from torch import nn  # noqa: E402

DATA = os.path.join(os.path.dirname(__file__), "..", "..", "datasets", "synthetic")


def load(data, with_mutations, with_images, seed=42, top_genes=400, bits=512):
    t0 = time.perf_counter()
    rows = pd.read_csv(os.path.join(data, "GDSC2_fitted_dose_response.csv"), usecols=["COSMIC_ID", "DRUG_ID", "LN_IC50"])
    models = pd.read_csv(os.path.join(data, "Model.csv"))
    expr = pd.read_csv(os.path.join(data, "OmicsExpressionProteinCodingGenesTPMLogp1.csv"), index_col=0)
    drugs = pd.read_csv(os.path.join(data, "drugs.csv"))
    rows = rows.merge(models[["COSMICID", "ModelID"]], left_on="COSMIC_ID", right_on="COSMICID")
    rows = rows[rows.ModelID.isin(expr.index) & rows.DRUG_ID.isin(drugs.DRUG_ID)].reset_index(drop=True)
    cells = rows.ModelID.unique()
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(cells))
    n_test, n_val = round(0.2 * len(cells)), round(0.1 * len(cells))
    part = {cells[i]: ("test" if k < n_test else "val" if k < n_test + n_val else "train") for k, i in enumerate(order)}
    rows["part"] = rows.ModelID.map(part)
    train_cells = [c for c in cells if part[c] == "train"]

    tables = {}
    def prepare(matrix, top):
        t = matrix.loc[train_cells]
        keep = t.var(ddof=0).sort_values(ascending=False, kind="stable").index[:top]
        keep = [c for c in matrix.columns if c in set(keep)]
        m = matrix[keep]
        mean, sd = m.loc[train_cells].mean(), m.loc[train_cells].std(ddof=0).replace(0, 1)
        return ((m - mean) / sd).astype(np.float32)
    tables["expression"] = prepare(expr, top_genes)
    if with_mutations:
        mut = pd.read_csv(os.path.join(data, "OmicsSomaticMutationsMatrixDamaging.csv"), index_col=0)
        tables["mutations"] = prepare(mut, 100)
    if with_images:
        from PIL import Image
        tiles = {}
        for cell in cells:
            d = os.path.join(data, "images", cell)
            arrs = [np.asarray(Image.open(os.path.join(d, f)).convert("L").resize((16, 16), Image.BILINEAR), dtype=np.float32) / 255.0
                    for f in sorted(os.listdir(d))]
            tiles[cell] = np.mean(arrs, axis=0).reshape(-1)
        tables["images"] = pd.DataFrame.from_dict(tiles, orient="index").astype(np.float32)

    from rdkit import Chem
    from rdkit.Chem import AllChem
    fps = {}
    for _, d in drugs.iterrows():
        bv = AllChem.GetMorganFingerprintAsBitVect(Chem.MolFromSmiles(d.SMILES), 2, nBits=bits)
        fps[d.DRUG_ID] = np.array(list(bv), dtype=np.float32)
    tables["fingerprints"] = pd.DataFrame.from_dict(fps, orient="index")

    y = rows.LN_IC50.to_numpy(np.float32)
    ymean, ysd = y[rows.part == "train"].mean(), y[rows.part == "train"].std(ddof=1)
    # per-entity tables as tensors, rows as indexes: batches gather, like oncobench (and like a careful researcher)
    cell_index = {c: i for i, c in enumerate(cells)}
    drug_index = {d: i for i, d in enumerate(tables["fingerprints"].index)}
    ents = {k: torch.from_numpy(v.loc[cells].to_numpy() if k != "fingerprints" else v.to_numpy()) for k, v in tables.items()}
    ri = {"cell": torch.tensor(rows.ModelID.map(cell_index).to_numpy()), "drug": torch.tensor(rows.DRUG_ID.map(drug_index).to_numpy())}
    parts = {p: np.flatnonzero(rows.part.to_numpy() == p) for p in ("train", "val", "test")}
    return dict(tables=ents, rows=ri, y=torch.from_numpy((y - ymean) / ysd), y_raw=y, ymean=ymean, ysd=ysd, parts=parts, rows_df=rows,
                load_seconds=time.perf_counter() - t0)


def gather(d, idx):
    out = []
    for k, t in d["tables"].items():
        out.append(t[d["rows"]["drug" if k == "fingerprints" else "cell"][idx]])
    return out


class Mlp(nn.Module):
    def __init__(self, width, hidden=(256, 64)):
        super().__init__()
        layers = []
        for h in hidden:
            layers += [nn.Linear(width, h), nn.ReLU(), nn.Dropout(0.2)]
            width = h
        self.net = nn.Sequential(*layers, nn.Linear(width, 1))

    def forward(self, xs):
        return self.net(torch.cat(xs, 1)).squeeze(1)


class Multimodal(nn.Module):
    def __init__(self, widths, names):
        super().__init__()
        self.names = names
        branches = []
        for name, w in zip(names, widths):
            if name == "images":
                branches.append(nn.Sequential(nn.Unflatten(1, (1, 16, 16)), nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                                              nn.Conv2d(8, 16, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten()))
            else:
                branches.append(nn.Sequential(nn.Linear(w, 128), nn.ReLU()))
        self.branches = nn.ModuleList(branches)
        self.head = nn.Sequential(nn.Dropout(0.1), nn.Linear(128 * (len(names) - 1) + 16 if "images" in names else 128 * len(names), 128),
                                  nn.ReLU(), nn.Dropout(0.1), nn.Linear(128, 1))

    def forward(self, xs):
        return self.head(torch.cat([b(x) for b, x in zip(self.branches, xs)], 1)).squeeze(1)


def epoch(model, opt, d, rows, batch, gen):
    model.train()
    perm = rows[torch.randperm(len(rows), generator=gen).numpy()]
    loss_fn = nn.MSELoss()
    for s in range(0, len(perm), batch):
        idx = perm[s:s + batch]
        opt.zero_grad()
        loss = loss_fn(model(gather(d, idx)), d["y"][idx])
        loss.backward()
        opt.step()


def predict(model, d, rows):
    model.eval()
    with torch.no_grad():
        return np.concatenate([model(gather(d, rows[s:s + 1024])).numpy() for s in range(0, len(rows), 1024)]) * d["ysd"] + d["ymean"]


def build(case, d, hidden=(256, 64)):
    widths = [t.shape[1] for t in d["tables"].values()]
    if case == "multimodal":
        return Multimodal(widths, list(d["tables"].keys())), 1e-4
    return Mlp(sum(widths), hidden), 1e-4


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--case", choices=["mlp", "multimodal", "end-to-end"], required=True)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--data", default=DATA)
    # the GDSC-scale case of `oncobench bench --cases gdsc`: --top-genes 2000 --bits 2048 --hidden 512,256 --batch 256
    ap.add_argument("--top-genes", type=int, default=400)
    ap.add_argument("--bits", type=int, default=512)
    ap.add_argument("--hidden", default="256,64")
    ap.add_argument("--batch", type=int, default=128)
    # end to end: the quickstart trains 30 epochs; the GDSC-scale end-to-end case of `oncobench bench --cases gdsc-nn` one
    ap.add_argument("--e2e-epochs", type=int, default=30)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(42)
    t0 = time.perf_counter()
    mm = a.case == "multimodal"
    d = load(a.data, mm, mm, top_genes=a.top_genes, bits=a.bits)
    model, l2 = build("multimodal" if mm else "mlp", d, tuple(int(h) for h in a.hidden.split(",")))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=l2)
    gen = torch.Generator().manual_seed(42)
    train = d["parts"]["train"]
    out = {"case": a.case, "threads": a.threads, "train_rows": int(len(train)), "batch": a.batch, "torch": torch.__version__}
    if a.case == "end-to-end":
        val_rmse = []
        for _ in range(a.e2e_epochs):
            epoch(model, opt, d, train, a.batch, gen)
            v = d["parts"]["val"]
            val_rmse.append(float(np.sqrt(np.mean((predict(model, d, v) - d["y_raw"][v]) ** 2))))
        test = d["parts"]["test"]
        pred = predict(model, d, test)
        obs = d["y_raw"][test]
        rows = d["rows_df"]
        drug_mean = rows.iloc[train].groupby("DRUG_ID").LN_IC50.mean()
        base = rows.iloc[test].DRUG_ID.map(drug_mean).to_numpy()
        out.update(wall_seconds=time.perf_counter() - t0, load_seconds=d["load_seconds"], test_rmse=float(np.sqrt(np.mean((pred - obs) ** 2))),
                   test_pearson=float(np.corrcoef(pred, obs)[0, 1]), drug_mean_rmse=float(np.sqrt(np.mean((base - obs) ** 2))))
    else:
        # warm-up: whole epochs covering at least 100 steps (at most 3), the rule oncobench's bench uses for its JIT
        steps = -(-len(train) // a.batch)
        for _ in range(max(1, min(3, -(-100 // steps)))):
            epoch(model, opt, d, train, a.batch, gen)
        s = time.perf_counter()
        for _ in range(a.epochs):
            epoch(model, opt, d, train, a.batch, gen)
        total = time.perf_counter() - s
        out.update(samples_per_second=len(train) * a.epochs / total, step_ms=1000 * total / (a.epochs * -(-len(train) // a.batch)),
                   load_seconds=d["load_seconds"])
    json.dump(out, sys.stdout)
    print()


if __name__ == "__main__":
    main()
