#!/usr/bin/env python3
"""segmint's clustering kernels against scikit-learn on the same 100k x 30 matrix.

Setup (once):  python3 -m venv /tmp/skl && /tmp/skl/bin/pip install scikit-learn==1.5.2 numpy
Run:           cargo build --release --example blobs && /tmp/skl/bin/python benches/sklearn_compare.py

The matrix is written by `target/release/examples/blobs` (and by `cargo bench --bench cluster`)
to target/bench-data/blobs_100k_30.f64. Equal work: the same k and seeds, n_init=1 per seed,
max_iter=300, tol=1e-4, Lloyd iterations; DBSCAN with the same eps and min_samples. Times are
medians of REPEAT runs; peak memory is the maximum resident set of a child process that does
only that fit (plus building or loading the matrix).
"""
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import time

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MATRIX = os.path.join(ROOT, "target/bench-data/blobs_100k_30.f64")
BLOBS = os.path.join(ROOT, "target/release/examples/blobs")
REPEAT = 3
KS, SEEDS = (4, 8, 12), (0, 1, 2)
MIN_SAMPLES = 10
PCS = os.path.join(ROOT, "target/bench-data/blobs_pcs_100k_10.f64")


def load():
    return np.fromfile(MATRIX, dtype="<f8").reshape(100_000, 30)


def sk_sweep(x):
    from sklearn.cluster import KMeans

    inertia = {}
    t = time.perf_counter()
    for k in KS:
        for s in SEEDS:
            m = KMeans(n_clusters=k, n_init=1, max_iter=300, tol=1e-4, algorithm="lloyd", random_state=s).fit(x)
            inertia[(k, s)] = m.inertia_
    return time.perf_counter() - t, inertia


def child(mode, eps):
    """Runs one fit in this process (used as a child, for its peak memory)."""
    z = np.fromfile(PCS, dtype="<f8").reshape(100_000, 10)
    t = time.perf_counter()
    if mode == "sk-dbscan":
        from sklearn.cluster import DBSCAN

        labels = DBSCAN(eps=eps, min_samples=MIN_SAMPLES).fit(z).labels_
        print(f"dbscan clusters {labels.max() + 1} noise {(labels < 0).sum()} seconds {time.perf_counter() - t:.3f}")


PEAK = (
    "import resource, subprocess, sys; "
    "r = subprocess.run(sys.argv[1:], check=True, capture_output=True, text=True); "
    "print(r.stdout); print('PEAK_KB', resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
)


def run_child(cmd):
    """Runs cmd in a fresh wrapper process, so its peak memory is its own."""
    out = subprocess.run([sys.executable, "-c", PEAK, *cmd], check=True, capture_output=True, text=True).stdout
    peak = int(re.search(r"PEAK_KB (\d+)", out).group(1))
    return out.split("PEAK_KB")[0], peak / 1024.0


def ours_sweep():
    times, inertia = [], {}
    for _ in range(REPEAT):
        out, _ = run_child([BLOBS, "kmeans"])
        times.append(float(re.search(r"kmeans sweep seconds ([\d.]+)", out).group(1)))
        for k, s, i in re.findall(r"kmeans k (\d+) seed (\d+) inertia ([\d.]+)", out):
            inertia[(int(k), int(s))] = float(i)
    return statistics.median(times), inertia


def main():
    if len(sys.argv) > 2:
        return child(sys.argv[1], float(sys.argv[2]))
    if not os.path.exists(BLOBS):
        sys.exit("build the example first: cargo build --release --example blobs")
    subprocess.run([BLOBS, "none"], check=True, capture_output=True)  # writes the matrix
    x = load()
    print(f"matrix {x.shape}, scikit-learn {__import__('sklearn').__version__}, numpy {np.__version__}")

    sk_times = []
    for _ in range(REPEAT):
        t, sk_inertia = sk_sweep(x)
        sk_times.append(t)
    sk_t = statistics.median(sk_times)
    our_t, our_inertia = ours_sweep()
    print(f"k-means sweep (k {KS} x seeds {SEEDS}): scikit-learn {sk_t:.3f} s, segmint {our_t:.3f} s, ratio {sk_t / our_t:.2f}x")
    for k in KS:
        sk_best = min(sk_inertia[(k, s)] for s in SEEDS)
        our_best = min(our_inertia[(k, s)] for s in SEEDS)
        print(f"  k {k:2d}: best inertia scikit-learn {sk_best:.1f}, segmint {our_best:.1f} ({100 * (our_best / sk_best - 1):+.2f}%)")

    our_out, our_mem = run_child([BLOBS, "dbscan"])
    eps = float(re.search(r"eps ([\d.]+)", our_out).group(1))
    sk_out, sk_mem = run_child([sys.executable, __file__, "sk-dbscan", repr(eps)])
    sk_s = float(re.search(r"seconds ([\d.]+)", sk_out).group(1))
    our_s = float(re.search(r"seconds ([\d.]+)", our_out).group(1))
    print(f"DBSCAN on 10 principal components, eps {eps} (knee), min_samples {MIN_SAMPLES}:")
    print(f"  scikit-learn {sk_s:.3f} s, {sk_mem:.0f} MB peak process memory ({sk_out.strip()})")
    print(f"  segmint      {our_s:.3f} s, {our_mem:.0f} MB peak process memory ({our_out.strip()}); ratio {sk_s / our_s:.2f}x")

    from sklearn.metrics import silhouette_score
    from sklearn.cluster import KMeans

    labels = KMeans(n_clusters=8, n_init=1, random_state=0).fit_predict(x)
    ts = []
    for _ in range(REPEAT):
        t = time.perf_counter()
        silhouette_score(x, labels, sample_size=3000, random_state=0)
        ts.append(time.perf_counter() - t)
    print(f"silhouette, sample 3000: scikit-learn {statistics.median(ts):.3f} s", end="")
    est = os.path.join(ROOT, "target/criterion/cluster_100k_x_30/silhouette_sample_3000/new/estimates.json")
    if os.path.exists(est):
        ours = json.load(open(est))["median"]["point_estimate"] / 1e9
        print(f", segmint {ours:.3f} s (criterion median), ratio {statistics.median(ts) / ours:.2f}x")
    else:
        print(" (run `cargo bench --bench cluster` for segmint's figure)")


if __name__ == "__main__":
    main()
