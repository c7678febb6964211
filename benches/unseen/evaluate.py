#!/usr/bin/env python3
"""evaluate.py SHOPDIR RUNDIR [returner_segment]: ARI (unassigned = own class), crosstab, names, flags."""
import sys, json, os
import numpy as np
import polars as pl


def ari(a, b):
    _, ai = np.unique(a, return_inverse=True)
    _, bi = np.unique(b, return_inverse=True)
    M = np.zeros((ai.max() + 1, bi.max() + 1), dtype=np.int64)
    np.add.at(M, (ai, bi), 1)
    c2 = lambda x: x * (x - 1) / 2
    s = c2(M).sum()
    sa, sb = c2(M.sum(1)).sum(), c2(M.sum(0)).sum()
    n = c2(len(a))
    exp = sa * sb / n
    mx = (sa + sb) / 2
    return float((s - exp) / (mx - exp)) if mx != exp else float("nan")


shop, run = sys.argv[1], sys.argv[2]
ret_seg = sys.argv[3] if len(sys.argv) > 3 else None
truth = pl.read_csv(os.path.join(shop, "truth.csv"), schema_overrides={"customer_id": pl.Utf8})
asg = pl.read_csv(os.path.join(run, "assignments.csv"), schema_overrides={"customer_id": pl.Utf8, "segment": pl.Utf8})
asg = asg.with_columns(pl.col("segment").fill_null("unassigned"))
j = truth.join(asg.select("customer_id", "segment").rename({"segment": "seg"}), on="customer_id", how="full", coalesce=True)
miss_t = j.filter(pl.col("segment").is_null()).height
miss_a = j.filter(pl.col("seg").is_null()).height
j = j.with_columns(pl.col("seg").fill_null("MISSING"), pl.col("segment").fill_null("NOT_PLANTED"))
segj = json.load(open(os.path.join(run, "segments.json")))
names = {}
flags = {}
for s in segj.get("segments", []):
    sid = str(s.get("segment"))
    names[sid] = s.get("name")
    flags[sid] = [f.get("kind") if isinstance(f, dict) else f for f in s.get("flags", [])]
print(f"customers truth={truth.height} assigned={asg.height} truth-not-in-run={miss_a} run-not-in-truth={miss_t}")
print(f"ARI = {ari(j['segment'].to_numpy(), j['seg'].to_numpy()):.3f}")
ct = j.group_by(["segment", "seg"]).len().pivot(on="seg", index="segment", values="len").fill_null(0)
cols = ["segment"] + sorted([c for c in ct.columns if c != "segment"], key=lambda x: (len(x), x))
with pl.Config(tbl_rows=50, tbl_cols=30, tbl_width_chars=250):
    print(ct.select(cols).sort("segment"))
for sid in sorted(names, key=lambda x: (len(x), x)):
    print(f"  seg {sid}: {names[sid]!r} flags={flags[sid]}")
if ret_seg and ret_seg in set(truth["segment"].to_list()):
    planted = set(j.filter(pl.col("segment") == ret_seg)["customer_id"].to_list())
    best = j.filter(pl.col("segment") == ret_seg).group_by("seg").len().sort("len", descending=True)
    b = best["seg"][0]
    members = set(j.filter(pl.col("seg") == b)["customer_id"].to_list())
    inter = len(planted & members)
    print(f"returners -> seg {b} ({names.get(b)}): recall {inter/len(planted):.3f} purity {inter/len(members):.3f} flags={flags.get(b)}")
    fc = pl.read_csv(os.path.join(run, "flagged_customers.csv"), schema_overrides={"customer_id": pl.Utf8})
    fl = set(fc["customer_id"].to_list())
    print(f"flagged_customers: {len(fl)}; of them planted returners {len(fl & planted)}; planted returners flagged {len(fl & planted)}/{len(planted)}")
