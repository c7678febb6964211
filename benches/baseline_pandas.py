#!/usr/bin/env python3
"""Analyst baseline (issue 16): what a pandas + scikit-learn notebook would do with the files
`segmint run` reads, for the scale benchmark's comparison.

    /work/venv-bench/bin/python benches/baseline_pandas.py SHOP_DIR OUT_DIR

SHOP_DIR holds a shop written by `examples/scale_shop` (or `segmint demo`): its mapping.toml
gives the file names, delimiters, decimal separators, date formats and column names. The script
builds one row per customer (the union of the ids in transactions, events, survey and customers)
with vectorised groupbys, imputes medians, standard-scales, sweeps KMeans k = 2..12 (n_init=4,
random_state=42) scored by the silhouette on a 10,000-row sample, and runs one DBSCAN
(min_samples=20, eps at the knee of the sorted 20-distances of a 10,000-row sample against all
rows). Per-step wall times (and the peak RSS so far) go to stderr; OUT_DIR gets features.csv
(the raw features, before imputation) and assignments.csv (customer_id, segment of the
best-silhouette k). Numbers with a decimal comma are read with space-grouped thousands
(1 099,00), as the demo shop writes them.
Set-up: benches/requirements-baseline.txt.
"""
import os
import re
import resource
import sys
import time
import tomllib

import numpy as np
import pandas as pd
from sklearn.cluster import DBSCAN, KMeans
from sklearn.impute import SimpleImputer
from sklearn.metrics import silhouette_score
from sklearn.neighbors import NearestNeighbors
from sklearn.preprocessing import StandardScaler

TOP_CATEGORIES, TOP_CHANNELS, TOP_GENDERS, TOP_COUNTRIES, TOP_REGIONS = 4, 3, 2, 3, 3
KS = range(2, 13)
SAMPLE = 10_000
MIN_SAMPLES = 20
SEED = 42


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def slug(s):
    return re.sub(r"\W+", "_", str(s).strip().lower()).strip("_")


def top_levels(values, n):
    """The n largest of a Series indexed by level, ties broken by the level's name."""
    return list(values.sort_index().sort_values(ascending=False, kind="stable").index[:n])


def read(shop, spec, names):
    """Reads the mapped columns `names` (those the mapping has) of one table, renamed to them."""
    cols = spec["columns"]
    present = [n for n in names if n in cols]
    df = pd.read_csv(
        os.path.join(shop, spec["path"]),
        sep=spec.get("delimiter", ","),
        decimal=spec.get("decimal", "."),
        thousands=" " if spec.get("decimal", ".") == "," else None,  # 1 099,00
        usecols=[cols[n] for n in present],
        dtype={cols[n]: "str" for n in present if n.endswith("_id")},
    )
    return df.rename(columns={cols[n]: n for n in present})


def dates(s, formats):
    out = pd.to_datetime(s, format=formats[0], errors="coerce")
    for f in formats[1:]:
        out = out.fillna(pd.to_datetime(s, format=f, errors="coerce"))
    return out.dt.normalize()


def days(as_of, d):
    return (as_of - d).dt.days.astype("float64")


def features(shop, m):
    parts = []
    as_of = pd.Timestamp(m["as_of"]) if "as_of" in m else None

    # Transactions: one row per order line.
    spec = m["transactions"]
    tx = read(shop, spec, ["customer_id", "order_id", "timestamp", "product_id", "category",
                           "quantity", "unit_price", "discount", "channel"])
    tx["day"] = dates(tx["timestamp"], spec.get("date_formats", ["%Y-%m-%d %H:%M:%S"]))
    if as_of is None:
        as_of = tx["day"].max()
    tx["gross"] = tx["quantity"] * tx["unit_price"]
    tx["disc"] = tx["discount"].fillna(0.0) if "discount" in tx else 0.0
    tx["net"] = tx["gross"] - tx["disc"]
    o = tx.groupby("customer_id").agg(
        orders=("order_id", "nunique"), lines=("order_id", "size"), units=("quantity", "sum"),
        revenue_gross=("gross", "sum"), discount=("disc", "sum"), revenue_net=("net", "sum"),
        first=("day", "min"), last=("day", "max"))
    o["discount_share"] = o["discount"] / o["revenue_gross"].where(o["revenue_gross"] > 0)
    o["recency_days"] = days(as_of, o["last"])
    o["tenure_days"] = days(as_of, o["first"])
    o["mean_order_value"] = o["revenue_net"] / o["orders"]
    revenue = o["revenue_net"].where(o["revenue_net"] > 0)
    o = o.drop(columns=["first", "last", "discount"])
    parts.append(o)
    if "category" in tx:
        top = top_levels(tx.groupby("category")["net"].sum(), TOP_CATEGORIES)
        cat = tx[tx["category"].isin(top)].groupby(["customer_id", "category"])["net"].sum()
        cat = cat.unstack(fill_value=0.0).reindex(index=o.index, columns=top, fill_value=0.0)
        cat = cat.div(revenue, axis=0)
        parts.append(cat.rename(columns=lambda c: f"category_share_{slug(c)}"))
    if "channel" in tx:
        ch = tx.drop_duplicates(["customer_id", "order_id", "channel"])
        top = top_levels(ch["channel"].value_counts(), TOP_CHANNELS)
        ch = ch.groupby(["customer_id", "channel"]).size().unstack(fill_value=0)
        ch = ch.reindex(index=o.index, columns=top, fill_value=0).div(o["orders"], axis=0)
        parts.append(ch.rename(columns=lambda c: f"channel_share_{slug(c)}"))

    # Returns, joined to their order lines by order id + product id.
    if "returns" in m:
        rt = read(shop, m["returns"], ["order_id", "product_id", "quantity", "refund"])
        rt = rt.groupby(["order_id", "product_id"]).agg(
            returned_units=("quantity", "sum"), refunds=("refund", "sum"))
        owner = tx.groupby(["order_id", "product_id"])["customer_id"].first()
        rt = rt.join(owner, how="inner")
        r = rt.groupby("customer_id")[["returned_units", "refunds"]].sum()
        r = r.reindex(o.index, fill_value=0.0)
        r["return_rate"] = r["returned_units"] / o["units"].where(o["units"] > 0)
        r["refund_share"] = r["refunds"] / revenue
        parts.append(r.drop(columns=["refunds"]))
    del tx

    # Browsing events: sessions first, then customers.
    if "events" in m:
        spec = m["events"]
        ev = read(shop, spec, ["customer_id", "session_id", "timestamp", "event_type",
                               "dwell_seconds"])
        ev["day"] = dates(ev["timestamp"], spec.get("date_formats", ["%Y-%m-%d %H:%M:%S"]))
        types = spec.get("event_types", {})
        for kind in ("view", "cart", "search", "purchase"):
            ev[kind] = ev["event_type"].isin(types.get(kind, [kind])).astype("int64")
        if "dwell_seconds" not in ev:
            ev["dwell_seconds"] = np.nan
        ev["dwell_n"] = ev["dwell_seconds"].notna().astype("int64")
        s = ev.groupby(["customer_id", "session_id"]).agg(
            events=("event_type", "size"), views=("view", "sum"), cart_adds=("cart", "sum"),
            searches=("search", "sum"), purchases=("purchase", "sum"),
            dwell=("dwell_seconds", "sum"), dwell_n=("dwell_n", "sum"), last=("day", "max"))
        del ev
        s["cart_sessions"] = s["cart_adds"] > 0
        s["view_sessions"] = s["views"] > 0
        s["cart_buy"] = s["cart_sessions"] & (s["purchases"] > 0)
        s["view_buy"] = s["view_sessions"] & (s["purchases"] > 0)
        e = s.groupby(level="customer_id").agg(
            events=("events", "sum"), sessions=("events", "size"), views=("views", "sum"),
            cart_adds=("cart_adds", "sum"), searches=("searches", "sum"),
            dwell=("dwell", "sum"), dwell_n=("dwell_n", "sum"), last=("last", "max"),
            cart_sessions=("cart_sessions", "sum"), view_sessions=("view_sessions", "sum"),
            cart_buy=("cart_buy", "sum"), view_buy=("view_buy", "sum"))
        e["mean_dwell_seconds"] = e["dwell"] / e["dwell_n"].where(e["dwell_n"] > 0)
        e["days_since_last_visit"] = days(as_of, e["last"])
        e["cart_to_purchase"] = e["cart_buy"] / e["cart_sessions"].where(e["cart_sessions"] > 0)
        e["view_to_purchase"] = e["view_buy"] / e["view_sessions"].where(e["view_sessions"] > 0)
        parts.append(e[["events", "sessions", "views", "cart_adds", "searches",
                        "mean_dwell_seconds", "days_since_last_visit", "cart_to_purchase",
                        "view_to_purchase"]])

    # Survey (wide: one row per respondent, one column per item).
    if "survey" in m:
        spec = m["survey"]
        if spec.get("layout", "wide") != "wide":
            sys.exit("baseline: only wide surveys")
        items = spec["items"]
        spec = {**spec, "columns": {**{i: i for i in items}, **spec["columns"]}}
        sv = read(shop, spec, ["customer_id", *items]).groupby("customer_id").first()
        parts.append(sv.rename(columns=lambda c: f"survey_{slug(c)}").astype("float64"))

    # Customers.
    if "customers" in m:
        spec = m["customers"]
        cu = read(shop, spec, ["customer_id", "birth_year", "gender", "country", "region",
                               "signup_date"])
        cu = cu.drop_duplicates("customer_id").set_index("customer_id")
        c = pd.DataFrame(index=cu.index)
        if "birth_year" in cu:
            c["age"] = float(as_of.year) - cu["birth_year"]
        onehot = (("gender", TOP_GENDERS), ("country", TOP_COUNTRIES), ("region", TOP_REGIONS))
        for col, n in onehot:
            if col in cu:
                for level in top_levels(cu[col].value_counts(), n):
                    c[f"{col}_{slug(level)}"] = (cu[col] == level).astype("float64")
        if "signup_date" in cu:
            c["signup_tenure_days"] = days(as_of, dates(cu["signup_date"],
                                                        spec.get("date_formats", ["%Y-%m-%d"])))
        parts.append(c)

    f = pd.concat(parts, axis=1, join="outer").sort_index()
    f.index.name = "customer_id"
    zero = ["orders", "lines", "units", "revenue_gross", "revenue_net", "returned_units",
            "events", "sessions", "views", "cart_adds", "searches"]
    f[[z for z in zero if z in f]] = f[[z for z in zero if z in f]].fillna(0.0)
    return f.astype("float64")


def knee(y):
    """Index of the point of a sorted curve farthest from the chord between its ends."""
    x = np.linspace(0.0, 1.0, len(y))
    yn = (y - y[0]) / ((y[-1] - y[0]) or 1.0)
    return int(np.argmax(x - yn))


def peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    shop, out = sys.argv[1], sys.argv[2]
    times, peaks = {}, {}
    t0 = t = time.perf_counter()
    with open(os.path.join(shop, "mapping.toml"), "rb") as fh:
        m = tomllib.load(fh)
    f = features(shop, m)
    times["read+features"], peaks["read+features"] = time.perf_counter() - t, peak_mb()
    log(f"features: {f.shape[0]} customers x {f.shape[1]} columns")

    t = time.perf_counter()
    x = SimpleImputer(strategy="median").fit_transform(f.to_numpy())
    x = StandardScaler().fit_transform(x)
    times["scale"], peaks["scale"] = time.perf_counter() - t, peak_mb()

    t = time.perf_counter()
    rng = np.random.default_rng(SEED)
    sample = rng.choice(len(x), min(SAMPLE, len(x)), replace=False)
    best = (-2.0, None, None)
    for k in KS:
        labels = KMeans(n_clusters=k, n_init=4, random_state=SEED).fit(x).labels_
        s = silhouette_score(x[sample], labels[sample])
        log(f"  k={k:<2} silhouette {s:.4f}")
        if s > best[0]:
            best = (s, k, labels)
    times["sweep"], peaks["sweep"] = time.perf_counter() - t, peak_mb()
    log(f"best k {best[1]} (silhouette {best[0]:.4f})")

    t = time.perf_counter()
    kd = NearestNeighbors(n_neighbors=MIN_SAMPLES).fit(x).kneighbors(x[sample])[0][:, -1]
    kd = np.sort(kd)
    eps = float(kd[knee(kd)])
    db = DBSCAN(eps=eps, min_samples=MIN_SAMPLES).fit(x).labels_
    times["dbscan"], peaks["dbscan"] = time.perf_counter() - t, peak_mb()
    log(f"dbscan eps {eps:.3f}: {db.max() + 1} clusters, noise {(db < 0).mean():.1%}")

    t = time.perf_counter()
    os.makedirs(out, exist_ok=True)
    f.to_csv(os.path.join(out, "features.csv"))
    pd.DataFrame({"customer_id": f.index, "segment": best[2]}).to_csv(
        os.path.join(out, "assignments.csv"), index=False)
    times["write"], peaks["write"] = time.perf_counter() - t, peak_mb()
    times["total"], peaks["total"] = time.perf_counter() - t0, peak_mb()
    for step, s in times.items():
        log(f"step {step:<14} {s:8.3f} s   (peak RSS so far {peaks[step]} MB)")


if __name__ == "__main__":
    main()
