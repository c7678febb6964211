#!/usr/bin/env python3
"""Analyst baseline (issue 16): what a polars + scikit-learn notebook would do with the files
`segmint run` reads, for the scale benchmark's comparison.

    /work/venv-bench/bin/python benches/baseline_polars.py SHOP_DIR OUT_DIR

The same features and the same scikit-learn steps as benches/baseline_pandas.py (see its
header), with the tables read by lazy scans (scan_csv) and aggregated by group_by; the lazy
frames are collected together at the end (collect_all, streaming engine), then the small
per-customer frames of category and channel totals are pivoted to shares and the customers'
categorical columns one-hot encoded. Per-step wall times (and the peak RSS so far) go to
stderr; OUT_DIR gets features.csv and assignments.csv (customer_id, segment of the
best-silhouette k).
Set-up: benches/requirements-baseline.txt.
"""
import os
import re
import resource
import sys
import time
import tomllib
from datetime import date

import numpy as np
import polars as pl
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
ENGINE = "streaming"
NUMERIC = {"quantity", "unit_price", "discount", "refund", "dwell_seconds", "birth_year"}


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def slug(s):
    return re.sub(r"\W+", "_", str(s).strip().lower()).strip("_")


def scan(shop, spec, names):
    """Lazily reads the mapped columns `names` (those the mapping has), renamed to them; numbers
    written with a decimal comma and space-grouped thousands (1 099,00) are read as text and
    cleaned, ids and categories stay text."""
    cols = spec["columns"]
    present = [n for n in names if n in cols]
    comma = spec.get("decimal", ".") == ","
    schema = {cols[n]: pl.String for n in present if n not in NUMERIC or comma}
    lf = pl.scan_csv(os.path.join(shop, spec["path"]), separator=spec.get("delimiter", ","),
                     schema_overrides=schema, infer_schema_length=10_000)
    exprs = []
    for n in present:
        e = pl.col(cols[n])
        if n in NUMERIC:
            if comma:
                e = e.str.replace_all(r"[\s.]", "").str.replace(",", ".", literal=True)
            e = e.cast(pl.Float64)
        exprs.append(e.alias(n))
    return lf.select(exprs)


def day(col, formats):
    parsed = [pl.col(col).str.to_datetime(f, strict=False).dt.date() for f in formats]
    return pl.coalesce(parsed) if len(parsed) > 1 else parsed[0]


def days(as_of, col):
    return (pl.lit(as_of) - pl.col(col)).dt.total_days().cast(pl.Float64)


def top_levels(df, level, value, n):
    df = df.filter(pl.col(level).is_not_null()).sort([value, level], descending=[True, False])
    return df[level].head(n).to_list()


def features(shop, m):
    as_of = date.fromisoformat(m["as_of"]) if "as_of" in m else None
    lazy = {}

    spec = m["transactions"]
    tx = scan(shop, spec, ["customer_id", "order_id", "timestamp", "product_id", "category",
                           "quantity", "unit_price", "discount", "channel"])
    tx = tx.with_columns(day=day("timestamp", spec.get("date_formats", ["%Y-%m-%d %H:%M:%S"])))
    names = tx.collect_schema().names()
    disc = pl.col("discount").fill_null(0.0) if "discount" in names else pl.lit(0.0)
    tx = tx.with_columns(gross=pl.col("quantity") * pl.col("unit_price"), disc=disc)
    tx = tx.with_columns(net=pl.col("gross") - pl.col("disc"))
    if as_of is None:
        as_of = tx.select(pl.col("day").max()).collect().item()
    rg = pl.col("revenue_gross")
    revenue = pl.when(pl.col("revenue_net") > 0).then(pl.col("revenue_net"))
    lazy["orders"] = tx.group_by("customer_id").agg(
        orders=pl.col("order_id").n_unique().cast(pl.Float64), lines=pl.len().cast(pl.Float64),
        units=pl.col("quantity").sum(), revenue_gross=pl.col("gross").sum(),
        discount=pl.col("disc").sum(), revenue_net=pl.col("net").sum(),
        first=pl.col("day").min(), last=pl.col("day").max(),
    ).with_columns(
        discount_share=pl.col("discount") / pl.when(rg > 0).then(rg),
        recency_days=days(as_of, "last"), tenure_days=days(as_of, "first"),
        mean_order_value=pl.col("revenue_net") / pl.col("orders"),
    )
    if "category" in names:
        lazy["category"] = tx.group_by("customer_id", "category").agg(net=pl.col("net").sum())
    if "channel" in names:
        lazy["channel"] = tx.group_by("customer_id", "channel").agg(
            orders=pl.col("order_id").n_unique())

    if "returns" in m:
        owner = tx.group_by("order_id", "product_id").agg(pl.col("customer_id").first())
        rt = scan(shop, m["returns"], ["order_id", "product_id", "quantity", "refund"])
        rt = rt.group_by("order_id", "product_id").agg(
            returned_units=pl.col("quantity").sum(), refunds=pl.col("refund").sum())
        lazy["returns"] = rt.join(owner, on=["order_id", "product_id"], how="inner").group_by(
            "customer_id").agg(pl.col("returned_units").sum(), pl.col("refunds").sum())

    if "events" in m:
        spec = m["events"]
        ev = scan(shop, spec, ["customer_id", "session_id", "timestamp", "event_type",
                               "dwell_seconds"])
        types = spec.get("event_types", {})
        kinds = {k: pl.col("event_type").is_in(types.get(k, [k])).cast(pl.Int64)
                 for k in ("view", "cart", "search", "purchase")}
        dwell = "dwell_seconds" in ev.collect_schema().names()
        ev = ev.with_columns(day=day("timestamp", spec.get("date_formats", ["%Y-%m-%d %H:%M:%S"])),
                             **kinds)
        s = ev.group_by("customer_id", "session_id").agg(
            events=pl.len(), views=pl.col("view").sum(), cart_adds=pl.col("cart").sum(),
            searches=pl.col("search").sum(), purchases=pl.col("purchase").sum(),
            dwell=pl.col("dwell_seconds").sum() if dwell else pl.lit(0.0),
            dwell_n=pl.col("dwell_seconds").count() if dwell else pl.lit(0),
            last=pl.col("day").max())
        cart, view, buy = pl.col("cart_adds") > 0, pl.col("views") > 0, pl.col("purchases") > 0
        dn, cs, vs = pl.col("dwell_n"), pl.col("cart_sessions"), pl.col("view_sessions")
        lazy["events"] = s.group_by("customer_id").agg(
            events=pl.col("events").sum().cast(pl.Float64), sessions=pl.len().cast(pl.Float64),
            views=pl.col("views").sum().cast(pl.Float64),
            cart_adds=pl.col("cart_adds").sum().cast(pl.Float64),
            searches=pl.col("searches").sum().cast(pl.Float64),
            dwell=pl.col("dwell").sum(), dwell_n=dn.sum(), last=pl.col("last").max(),
            cart_sessions=cart.sum(), view_sessions=view.sum(),
            cart_buy=(cart & buy).sum(), view_buy=(view & buy).sum(),
        ).select(
            "customer_id", "events", "sessions", "views", "cart_adds", "searches",
            mean_dwell_seconds=pl.col("dwell") / pl.when(dn > 0).then(dn),
            days_since_last_visit=days(as_of, "last"),
            cart_to_purchase=pl.col("cart_buy") / pl.when(cs > 0).then(cs),
            view_to_purchase=pl.col("view_buy") / pl.when(vs > 0).then(vs),
        )

    if "survey" in m:
        spec = m["survey"]
        if spec.get("layout", "wide") != "wide":
            sys.exit("baseline: only wide surveys")
        items = spec["items"]
        spec = {**spec, "columns": {**{i: i for i in items}, **spec["columns"]}}
        lazy["survey"] = scan(shop, spec, ["customer_id", *items]).group_by("customer_id").agg(
            pl.col(i).first().cast(pl.Float64).alias(f"survey_{slug(i)}") for i in items)

    if "customers" in m:
        spec = m["customers"]
        cu = scan(shop, spec, ["customer_id", "birth_year", "gender", "country", "region",
                               "signup_date"]).unique("customer_id", keep="first")
        cn = cu.collect_schema().names()
        extra = []
        if "birth_year" in cn:
            extra.append((pl.lit(float(as_of.year)) - pl.col("birth_year")).alias("age"))
        if "signup_date" in cn:
            cu = cu.with_columns(signup=day("signup_date", spec.get("date_formats", ["%Y-%m-%d"])))
            extra.append(days(as_of, "signup").alias("signup_tenure_days"))
        lazy["customers"] = cu.select(
            "customer_id", *[c for c in ("gender", "country", "region") if c in cn], *extra)

    keys = list(lazy)
    got = dict(zip(keys, pl.collect_all([lazy[k] for k in keys], engine=ENGINE)))

    # Small per-customer frames from here on: pivot the category and channel totals to shares,
    # one-hot the customers' top levels, join everything on the customer id.
    o = got["orders"]
    ids = [df.select("customer_id") for df in got.values()
           if df is not None and df.height and "customer_id" in df.columns]
    f = pl.concat(ids).unique().sort("customer_id")
    f = f.join(o.select("customer_id", "orders", "lines", "units", "revenue_gross",
                        "revenue_net", "discount_share", "recency_days", "tenure_days",
                        "mean_order_value"), on="customer_id", how="left")
    if "category" in got:
        c = got["category"]
        top = top_levels(c.group_by("category").agg(pl.col("net").sum()), "category", "net",
                         TOP_CATEGORIES)
        c = c.filter(pl.col("category").is_in(top)).pivot(
            "category", index="customer_id", values="net", on_columns=top)
        c = o.select("customer_id", "revenue_net").join(c, on="customer_id", how="left")
        f = f.join(c.select("customer_id", *[
            (pl.col(t).fill_null(0.0) / revenue).alias(f"category_share_{slug(t)}")
            for t in top]), on="customer_id", how="left")
    if "channel" in got:
        c = got["channel"]
        top = top_levels(c.group_by("channel").agg(pl.col("orders").sum()), "channel", "orders",
                         TOP_CHANNELS)
        c = c.filter(pl.col("channel").is_in(top)).pivot(
            "channel", index="customer_id", values="orders", on_columns=top)
        c = o.select("customer_id", "orders").join(c, on="customer_id", how="left")
        f = f.join(c.select("customer_id", *[
            (pl.col(t).fill_null(0).cast(pl.Float64) / pl.col("orders")).alias(
                f"channel_share_{slug(t)}") for t in top]), on="customer_id", how="left")
    if "returns" in got:
        r = o.select("customer_id", "units", "revenue_net").join(
            got["returns"], on="customer_id", how="left").select(
            "customer_id", returned_units=pl.col("returned_units").fill_null(0.0),
            return_rate=pl.col("returned_units").fill_null(0.0)
            / pl.when(pl.col("units") > 0).then(pl.col("units")),
            refund_share=pl.col("refunds").fill_null(0.0) / revenue)
        f = f.join(r, on="customer_id", how="left")
    if "events" in got:
        f = f.join(got["events"], on="customer_id", how="left")
    if "survey" in got:
        f = f.join(got["survey"], on="customer_id", how="left")
    if "customers" in got:
        cu = got["customers"]
        cols = [c for c in ("age",) if c in cu.columns]
        onehot = (("gender", TOP_GENDERS), ("country", TOP_COUNTRIES), ("region", TOP_REGIONS))
        for col, n in onehot:
            if col in cu.columns:
                counts = cu.group_by(col).len()
                for level in top_levels(counts, col, "len", n):
                    cu = cu.with_columns((pl.col(col) == level).fill_null(False).cast(pl.Float64)
                                         .alias(f"{col}_{slug(level)}"))
                    cols.append(f"{col}_{slug(level)}")
        cols += [c for c in ("signup_tenure_days",) if c in cu.columns]
        f = f.join(cu.select("customer_id", *cols), on="customer_id", how="left")

    zero = ["orders", "lines", "units", "revenue_gross", "revenue_net", "returned_units",
            "events", "sessions", "views", "cart_adds", "searches"]
    return f.with_columns(pl.col(z).fill_null(0.0) for z in zero if z in f.columns).with_columns(
        pl.exclude("customer_id").cast(pl.Float64))


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
    log(f"features: {f.height} customers x {f.width - 1} columns")

    t = time.perf_counter()
    x = SimpleImputer(strategy="median").fit_transform(f.drop("customer_id").to_numpy())
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
    f.write_csv(os.path.join(out, "features.csv"))
    pl.DataFrame({"customer_id": f["customer_id"], "segment": best[2]}).write_csv(
        os.path.join(out, "assignments.csv"))
    times["write"], peaks["write"] = time.perf_counter() - t, peak_mb()
    times["total"], peaks["total"] = time.perf_counter() - t0, peak_mb()
    for step, s in times.items():
        log(f"step {step:<14} {s:8.3f} s   (peak RSS so far {peaks[step]} MB)")


if __name__ == "__main__":
    main()
