#!/usr/bin/env python3
"""The gap statistic of a run's matrix against three references without segments.

    gap_reference.py RUN_DIR [RUN_DIR ...]   (each with matrix.parquet; e.g. target/unseen/*/out)

Setup: python3 -m venv /tmp/skl && /tmp/skl/bin/pip install scikit-learn==1.5.2 numpy polars
(scipy comes with scikit-learn). On a seeded sample of 2,000 rows, for k in 2, 4, 6, 8: the gap
log W_k(reference) - log W_k(data), mean over 4 draws (W: best of 2 k-means starts), against
- pca: every principal component permuted on its own (segmint's reference, `cluster::sweep`);
- cols: every matrix column permuted on its own (keeps each column's values, loses correlations);
- copula: a Gaussian copula of the columns (each column's own values, including its point
  masses such as the 0 of never returned, and their rank correlations; one population).
A reference fit for "no segments" gives the one-population `flat` shop a gap near 0 and the
planted shops a clearly larger one.
"""
import sys

import numpy as np
import polars as pl
from scipy.stats import norm, rankdata
from sklearn.cluster import KMeans


def within(x, k):
    return min(KMeans(k, n_init=1, random_state=s, max_iter=100).fit(x).inertia_ for s in range(2))


def reference(x, mode, rng):
    n, d = x.shape
    if mode == "pca":
        xc = x - x.mean(0)
        _, _, vt = np.linalg.svd(xc, full_matrices=False)
        z = xc @ vt.T
        return np.column_stack([rng.permutation(z[:, j]) for j in range(z.shape[1])]), z
    if mode == "cols":
        return np.column_stack([rng.permutation(x[:, j]) for j in range(d)]), x
    u = np.column_stack([(rankdata(x[:, j]) - 0.5) / n for j in range(d)])
    c = np.nan_to_num(np.corrcoef(norm.ppf(u), rowvar=False))
    np.fill_diagonal(c, 1.0)
    g = rng.standard_normal((n, d)) @ np.linalg.cholesky(c + 1e-9 * np.eye(d)).T
    idx = np.clip((norm.cdf(g) * n).astype(int), 0, n - 1)
    s = np.sort(x, axis=0)
    return np.column_stack([s[idx[:, j], j] for j in range(d)]), x


def main():
    for run in sys.argv[1:]:
        m = pl.read_parquet(f"{run}/matrix.parquet")
        x = m.select([c for c, t in zip(m.columns, m.dtypes) if t.is_numeric()]).to_numpy().astype(float)
        x = x[np.random.default_rng(1).choice(len(x), min(2000, len(x)), replace=False)]
        line = [run]
        for mode in ("pca", "cols", "copula"):
            rng = np.random.default_rng(0)
            gaps = []
            for k in (2, 4, 6, 8):
                draws = [reference(x, mode, rng) for _ in range(4)]
                data = draws[0][1]
                ref = [np.log(within(r, k)) for r, _ in draws]
                gaps.append(f"{np.mean(ref) - np.log(within(data, k)):.3f}")
            line.append(f"{mode} " + " ".join(gaps))
        print(" | ".join(line), flush=True)


if __name__ == "__main__":
    main()
