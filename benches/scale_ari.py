#!/usr/bin/env python3
"""Adjusted Rand index of a run's segments against a demo shop's planted ones (standard library
only for CSV files), and optionally between two runs.

    python3 benches/scale_ari.py SHOP/truth.csv RUN/assignments.csv [OTHER_RUN/assignments.csv]

Above 500,000 customers a run writes no assignments.csv by default ([output] csv_copies):
give RUN/assignments.parquet instead (needs pyarrow, e.g. benches/requirements-baseline.txt, or
polars, e.g. the notebooks' venv of notebooks/setup.sh).
"""
import csv
import sys
from collections import Counter
from math import comb


def read(path, column):
    if path.endswith(".parquet"):
        try:
            import pyarrow.parquet as pq

            t = pq.read_table(path, columns=["customer_id", column]).to_pydict()
        except ImportError:
            import polars as pl

            t = pl.read_parquet(path, columns=["customer_id", column]).to_dict(as_series=False)
        return {i: ("" if s is None else str(s)) for i, s in zip(t["customer_id"], t[column])}
    with open(path, newline="") as f:
        return {r["customer_id"]: r[column] for r in csv.DictReader(f)}


def ari(a, b):
    ids = sorted(set(a) & set(b))
    pairs = Counter((a[i], b[i]) for i in ids)
    ra, rb = Counter(a[i] for i in ids), Counter(b[i] for i in ids)
    index = sum(comb(v, 2) for v in pairs.values())
    sa, sb = sum(comb(v, 2) for v in ra.values()), sum(comb(v, 2) for v in rb.values())
    expected = sa * sb / comb(len(ids), 2)
    top = (sa + sb) / 2
    return (index - expected) / (top - expected) if top != expected else 1.0, len(ids)


truth = read(sys.argv[1], "segment")
run = read(sys.argv[2], "segment")
v, n = ari(truth, run)
print(f"ARI against the plant: {v:.4f} ({n} customers)")
if len(sys.argv) > 3:
    other = read(sys.argv[3], "segment")
    v, n = ari(run, other)
    print(f"ARI between the two runs: {v:.4f} ({n} customers)")
