#!/usr/bin/env python3
"""How far a truth-bench shop's planted segments can be recovered at all from segmint's matrix.

The truth bench scores the automatic proposal against the plant. When a proposal scores low,
this script tells whether *any* method could have done better on the same matrix:

- nearest centre: each customer labelled by the nearest planted segment's mean (in the matrix);
- k-means from the planted centres: Lloyd iterations started at those means, so the best the
  k-means objective allows with the planted k (a low value here is the matrix's limit, not
  the choice of k);
- LDA and random forest, 5-fold cross-validated: classifiers *trained on the planted labels*.
  They are a ceiling for any unsupervised proposal: when they stay below 0.85, the planted
  labels are not recoverable from the data, whatever the selection rule.

Setup (once): python3 -m venv /tmp/venv-bench && /tmp/venv-bench/bin/pip install -r benches/requirements-baseline.txt
Run:
    cargo build --release --bin segmint --example truth_shop
    target/release/examples/truth_shop overlap6 /tmp/overlap6 --seed 42
    target/release/segmint features --config /tmp/overlap6/mapping.toml --out /tmp/overlap6/out
    /tmp/venv-bench/bin/python benches/truth_ceiling.py /tmp/overlap6 [/tmp/other-shop ...]
"""
import sys

import numpy as np
import pandas as pd
from sklearn.cluster import KMeans
from sklearn.discriminant_analysis import LinearDiscriminantAnalysis
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import adjusted_rand_score as ari
from sklearn.model_selection import cross_val_predict


def ceiling(shop):
    m = pd.read_parquet(f"{shop}/out/matrix.parquet")
    m["customer_id"] = m["customer_id"].astype(str)
    t = pd.read_csv(f"{shop}/truth.csv", dtype={"customer_id": str})
    d = m.merge(t[["customer_id", "segment"]], on="customer_id")
    x = d.drop(columns=["customer_id", "segment"]).to_numpy(float)
    y = pd.factorize(d["segment"])[0]
    k = y.max() + 1
    centres = np.stack([x[y == j].mean(0) for j in range(k)])
    nearest = ((x[:, None, :] - centres[None]) ** 2).sum(2).argmin(1)
    from_planted = KMeans(k, init=centres, n_init=1).fit(x).labels_
    lda = cross_val_predict(LinearDiscriminantAnalysis(), x, y, cv=5)
    forest = cross_val_predict(RandomForestClassifier(200, random_state=0), x, y, cv=5)
    return len(y), x.shape[1], k, [ari(y, p) for p in (nearest, from_planted, lda, forest)]


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    print("| shop | customers | columns | planted k | nearest centre | k-means from planted centres | LDA (5-fold) | random forest (5-fold) |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for shop in sys.argv[1:]:
        n, p, k, scores = ceiling(shop)
        cells = " | ".join(f"{s:.3f}" for s in scores)
        print(f"| {shop.rstrip('/').split('/')[-1]} | {n} | {p} | {k} | {cells} |")


if __name__ == "__main__":
    main()
