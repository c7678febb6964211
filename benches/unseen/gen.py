#!/usr/bin/env python3
"""Planted-shop generator for hostile testing of segmint (independent of the repo's own generators).

usage: gen.py [--tight=F] OUTDIR [shop ...]   (F<1 shrinks within-segment dispersion; folder gets _tightF)   shops: beauty home sports flat grocery (default: all)

Every shop folder gets its export files and truth.csv (customer_id,segment).
Mechanics per customer: an activity window (active / new / lapsed), an order count from a
gamma-Poisson (negative binomial) or a periodic schedule (grocery), lognormal basket values with a
customer-level offset, lines per order 1+Poisson, discounts with a per-customer Beta propensity,
returns per line with a per-customer Beta propensity, Nov–Dec seasonality, category preferences,
browsing sessions (views, cart adds, searches, purchases), survey answers (Likert 1–5) by segment.
"""
import sys, os, math, datetime as dt
import numpy as np
import polars as pl

D = dt.datetime


def beta_draw(rng, mean, conc):
    mean = min(max(mean, 1e-3), 1 - 1e-3)
    return rng.beta(mean * conc, (1 - mean) * conc)


def fmt_num(x, decimal=".", thousands=""):
    s = f"{x:.2f}"
    ip, fp = s.split(".")
    neg = ip.startswith("-")
    if neg:
        ip = ip[1:]
    if thousands and len(ip) > 3:
        parts = []
        while len(ip) > 3:
            parts.insert(0, ip[-3:])
            ip = ip[:-3]
        parts.insert(0, ip)
        ip = thousands.join(parts)
    return ("-" if neg else "") + ip + decimal + fp


class Shop:
    def __init__(self, name, seed, as_of, years, segments, categories, cat_margin=None):
        self.name, self.rng = name, np.random.default_rng(seed + SEED_OFFSET)
        self.as_of = as_of
        self.start = as_of - dt.timedelta(days=int(365 * years))
        self.segments = segments
        self.categories = categories
        self.cat_margin = cat_margin or {c: 0.5 for c in categories}
        self.customers = []  # dicts
        self.f = TIGHT  # dispersion factor (1 = realistic; <1 = tighter, less overlapping plant)

    # ---------- customer parameters ----------
    def draw_customers(self, n, id_fmt):
        rng = self.rng
        shares = np.array([s["share"] for s in self.segments], float)
        shares /= shares.sum()
        counts = np.floor(shares * n).astype(int)
        counts[0] += n - counts.sum()
        seg_of = np.concatenate([[i] * c for i, c in enumerate(counts)])
        rng.shuffle(seg_of)
        span = (self.as_of - self.start).days
        for idx, si in enumerate(seg_of):
            s = self.segments[si]
            life = s.get("life", "active")
            if life == "new":
                st = self.as_of - dt.timedelta(days=float(rng.uniform(*s.get("new_days", (3, 90)))))
                en = self.as_of
            elif life == "lapsed":
                lo, hi = s.get("lapse_days", (300, 600))
                en = self.as_of - dt.timedelta(days=float(rng.uniform(lo, hi)))
                st = self.start + dt.timedelta(days=float(rng.uniform(0, 0.25 * span)))
                if st > en - dt.timedelta(days=60):
                    st = en - dt.timedelta(days=60)
            else:
                f = s.get("start_frac", (0.0, 0.75))
                st = self.start + dt.timedelta(days=float(rng.uniform(f[0] * span, f[1] * span)))
                en = self.as_of
            cv = s.get("rate_cv", 0.5) * self.f
            shape = 1 / cv ** 2
            c = dict(
                id=id_fmt(idx), seg=s["name"], spec=s, start=st, end=en,
                rate=rng.gamma(shape, s.get("rate", 1.0) / shape),
                mu=math.log(s["basket"]) + rng.normal(0, s.get("cust_sd", 0.25) * self.f),
                disc=beta_draw(rng, s.get("disc_p", 0.15), s.get("disc_conc", 6) / self.f ** 2),
                depth=max(0.03, min(0.6, rng.normal(s.get("depth", 0.15), 0.05))),
                ret=beta_draw(rng, s.get("ret", 0.05), s.get("ret_conc", 8) / self.f ** 2),
                cat=rng.dirichlet(np.array([s.get("cats", {}).get(k, 1.0) for k in self.categories]) * s.get("cat_conc", 3.0)),
            )
            self.customers.append(c)
        return self.customers

    # ---------- orders ----------
    def order_dates(self, c):
        rng, s = self.rng, c["spec"]
        st, en = c["start"], c["end"]
        days = max((en - st).total_seconds() / 86400, 1.0)
        if "gap" in s:  # periodic
            out, t = [], st + dt.timedelta(days=float(rng.uniform(0, s["gap"])))
            g = s["gap"] * math.exp(rng.normal(0, 0.2))
            while t <= en:
                if rng.random() > s.get("skip", 0.1):
                    out.append(t)
                t = t + dt.timedelta(days=float(max(1.0, rng.gamma(6, g / 6))))
            if not out:
                out = [st + dt.timedelta(days=float(rng.uniform(0, days)))]
        else:
            n = rng.poisson(c["rate"] * days / 365)
            n = max(n, s.get("min_orders", 1))
            n = min(n, s.get("max_orders", 400))
            out = []
            seasons = [D(y, 11, 10) for y in range(st.year - 1, en.year + 1) if st <= D(y, 11, 10) and D(y, 12, 24) <= en]
            for _ in range(n):
                if seasons and rng.random() < s.get("season", 0.0):
                    base = seasons[rng.integers(len(seasons))]
                    t = base + dt.timedelta(days=float(rng.uniform(0, 44)))
                else:
                    t = st + dt.timedelta(days=float(rng.uniform(0, days)))
                out.append(t)
        # time of day
        res = []
        for t in sorted(out):
            h = float(np.clip(rng.normal(s.get("hour", 19), 3.5), 6, 23.9))
            res.append(D(t.year, t.month, t.day) + dt.timedelta(hours=h))
        return [t for t in res if t <= self.as_of]

    def make_orders(self, c, order_id, qty_max=1, price_round=True):
        """Returns list of orders, each dict(order_id, ts, lines=[dict(product, cat, qty, price, disc_amt, disc_pct, cost, returned, ret_ts)])."""
        rng, s = self.rng, c["spec"]
        orders = []
        for ts in self.order_dates(c):
            total = math.exp(c["mu"] + rng.normal(0, s.get("order_sd", 0.45) * self.f))
            nl = 1 + rng.poisson(s.get("lines", 1.5))
            w = rng.dirichlet(np.ones(nl) * 2)
            discounted = rng.random() < c["disc"]
            lines = []
            for j in range(nl):
                cat = self.categories[rng.choice(len(self.categories), p=c["cat"])]
                q = 1 if qty_max == 1 else int(1 + rng.binomial(qty_max - 1, 0.25))
                price = max(0.5, total * w[j] / q)
                if price_round:
                    price = math.floor(price) + 0.95 if price > 2 else round(price, 2)
                else:
                    price = round(price, 2)
                dpct = 0.0
                if discounted and (nl == 1 or j == 0 or rng.random() < 0.6):
                    dpct = round(min(0.7, max(0.05, rng.normal(c["depth"], 0.04))) * 100)
                gross = price * q
                damt = round(gross * dpct / 100, 2)
                cost = round(price * (1 - self.cat_margin[cat]) * math.exp(rng.normal(0, 0.05)), 2)
                returned = rng.random() < c["ret"]
                rts = ts + dt.timedelta(days=float(rng.uniform(3, 28))) if returned else None
                if rts is not None and rts > self.as_of:
                    returned, rts = False, None
                pid = f"{cat[:3].upper()}{rng.integers(100, 999)}"
                lines.append(dict(product=pid, cat=cat, qty=q, price=price, disc_pct=dpct, disc_amt=damt,
                                  cost=cost, returned=returned, ret_ts=rts))
            orders.append(dict(order_id=order_id(), ts=ts, lines=lines))
        return orders

    # ---------- browsing ----------
    def make_sessions(self, c, orders, sess_id):
        """Events: (cust, session, ts, type, category, dwell_ms). One session per order ends in purchase."""
        rng, s = self.rng, c["spec"]
        ev = []
        st, en = c["start"], c["end"]
        if s.get("browse_after_lapse"):
            en = self.as_of
        days = max((en - st).days, 1)
        ns = rng.poisson(s.get("sessions", 6) * math.exp(rng.normal(0, 0.4)) * days / 365)
        starts = [st + dt.timedelta(days=float(rng.uniform(0, days)), hours=float(rng.uniform(7, 23))) for _ in range(ns)]
        kinds = [("browse", t) for t in starts] + [("buy", o["ts"] - dt.timedelta(minutes=float(rng.uniform(5, 40)))) for o in orders]
        names = s["_evnames"]
        for kind, t0 in kinds:
            if t0 > self.as_of:
                continue
            sid = sess_id()
            nv = 1 + rng.poisson(s.get("views", 4))
            t = t0
            pcat = c["cat"]
            for _ in range(nv):
                cat = self.categories[rng.choice(len(self.categories), p=pcat)]
                dwell = int(rng.lognormal(math.log(s.get("dwell", 40) * 1000), 0.6))
                ev.append((c["id"], sid, t, names["view"], cat, dwell))
                t = t + dt.timedelta(seconds=dwell / 1000 + 2)
                if rng.random() < s.get("search_p", 0.15):
                    ev.append((c["id"], sid, t, names["search"], None, None))
                    t = t + dt.timedelta(seconds=5)
            if kind == "buy" or rng.random() < s.get("cart_p", 0.1):
                ev.append((c["id"], sid, t, names["cart"], cat, None))
                t = t + dt.timedelta(seconds=30)
            if kind == "buy":
                ev.append((c["id"], sid, t, names["purchase"], None, None))
        return [e for e in ev if e[2] <= self.as_of]

    def survey(self, c, items, resp_p):
        rng, s = self.rng, c["spec"]
        if rng.random() >= resp_p * s.get("resp_mult", 1.0):
            return None
        means = s.get("survey", {})
        return [int(np.clip(round(rng.normal(means.get(it, 3.0), 0.9)), 1, 5)) for it in items]


def counter(fmt, start=1):
    n = [start]

    def f():
        v = fmt(n[0])
        n[0] += 1
        return v
    return f


def write_truth(shop, out):
    pl.DataFrame({"customer_id": [c["id"] for c in shop.customers], "segment": [c["seg"] for c in shop.customers]}).write_csv(os.path.join(out, "truth.csv"))


def write_text(path, header, rows, sep):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(sep.join(header) + "\n")
        for r in rows:
            f.write(sep.join("" if v is None else str(v) for v in r) + "\n")


# ===================================================================== shops
def shop_beauty(out):
    """a) beauty/cosmetics, 5 segments, 8,000 customers, German headers, ';', decimal comma, returns table."""
    cats = ["Hautpflege", "Make-up", "Haarpflege", "Duft", "Körperpflege", "Nagellack"]
    margin = {"Hautpflege": 0.6, "Make-up": 0.55, "Haarpflege": 0.5, "Duft": 0.35, "Körperpflege": 0.5, "Nagellack": 0.65}
    segs = [
        dict(name="replenisher", share=0.36, rate=9, rate_cv=0.45, basket=32, lines=1.2, disc_p=0.12, ret=0.03,
             cats={"Hautpflege": 3, "Körperpflege": 2, "Haarpflege": 2}, start_frac=(0, 0.6)),
        dict(name="premium_rare", share=0.14, rate=1.4, rate_cv=0.5, basket=190, lines=3, disc_p=0.05, ret=0.08,
             cats={"Duft": 4, "Make-up": 2}, start_frac=(0, 0.6)),
        dict(name="discount_hunter", share=0.26, rate=4, rate_cv=0.5, basket=48, lines=2, disc_p=0.85, disc_conc=8,
             depth=0.27, ret=0.06, cats={"Make-up": 3, "Nagellack": 2}),
        dict(name="lapsed_regular", share=0.16, rate=8, rate_cv=0.45, basket=38, lines=1.3, disc_p=0.15, ret=0.04,
             life="lapsed", lapse_days=(330, 620), cats={"Hautpflege": 3, "Haarpflege": 2}),
        dict(name="new", share=0.08, rate=6, basket=45, lines=1.5, disc_p=0.5, depth=0.15, ret=0.05, life="new",
             new_days=(2, 80), max_orders=3),
    ]
    shop = Shop("beauty", 11, D(2025, 9, 30), 2.5, segs, cats, margin)
    shop.draw_customers(8000, lambda i: f"K-{100000 + i * 7}")
    oid = counter(lambda n: f"B{2000000 + n}")
    rows, rrows = [], []
    for c in shop.customers:
        for o in shop.make_orders(c, oid):
            for L in o["lines"]:
                rows.append((c["id"], o["order_id"], o["ts"].strftime("%d.%m.%Y %H:%M"), L["product"], L["cat"], L["qty"],
                             fmt_num(L["price"], ",", "."), fmt_num(L["disc_amt"], ",", "."), fmt_num(L["cost"], ",", ".")))
                if L["returned"]:
                    rrows.append((o["order_id"], L["product"], L["qty"], fmt_num(L["price"] * L["qty"] - L["disc_amt"], ",", "."),
                                  L["ret_ts"].strftime("%d.%m.%Y")))
    # shuffle order lines (exports are not sorted by customer)
    perm = shop.rng.permutation(len(rows))
    rows = [rows[i] for i in perm]
    write_text(os.path.join(out, "bestellungen.csv"),
               ["Kundennummer", "Bestellnummer", "Bestelldatum", "Artikelnummer", "Warengruppe", "Menge", "Einzelpreis",
                "Rabattbetrag", "Einkaufspreis"], rows, ";")
    write_text(os.path.join(out, "retouren.csv"), ["Bestellnummer", "Artikelnummer", "Retourmenge", "Erstattungsbetrag", "Retourdatum"], rrows, ";")
    write_truth(shop, out)
    return shop


def shop_home(out):
    """b) home furnishing, 4 segments, 5,000 customers, transactions + customer profiles (Parquet); no cost."""
    cats = ["Sofas", "Beds", "Tables", "Lighting", "Textiles", "Decor", "Kitchen"]
    segs = [
        dict(name="big_ticket_rare", share=0.22, rate=0.45, rate_cv=0.6, basket=950, order_sd=0.5, lines=1.2, disc_p=0.2, depth=0.1,
             cats={"Sofas": 4, "Beds": 3, "Tables": 2}, start_frac=(0, 0.7), age=(52, 10)),
        dict(name="decor_regular", share=0.38, rate=4.5, rate_cv=0.5, basket=65, lines=2, disc_p=0.25, depth=0.15,
             cats={"Decor": 4, "Textiles": 3, "Lighting": 2, "Kitchen": 2}, start_frac=(0, 0.7), age=(41, 11)),
        dict(name="new_mover", share=0.26, rate=9, rate_cv=0.4, basket=420, order_sd=0.6, lines=2.5, disc_p=0.3, depth=0.12,
             life="new", new_days=(10, 150), max_orders=6, cats={"Beds": 2, "Tables": 2, "Lighting": 2, "Kitchen": 2}, age=(31, 6)),
        dict(name="lapsed", share=0.14, rate=2.5, rate_cv=0.5, basket=150, lines=1.8, disc_p=0.25, depth=0.12,
             life="lapsed", lapse_days=(420, 900), age=(45, 12)),
    ]
    shop = Shop("home", 22, D(2024, 6, 30), 3.5, segs, cats)
    shop.draw_customers(5000, lambda i: str(5000000 + 13 * i))
    oid = counter(lambda n: f"INV-{n:07d}")
    rows = []
    for c in shop.customers:
        for o in shop.make_orders(c, oid, qty_max=3, price_round=False):
            for L in o["lines"]:
                line_amt = round(L["price"] * L["qty"] - L["disc_amt"], 2)
                rows.append((c["id"], o["order_id"], o["ts"].strftime("%m/%d/%Y"), L["product"], L["cat"], L["qty"],
                             f"{line_amt:.2f}", f"{L['disc_amt']:.2f}"))
    perm = shop.rng.permutation(len(rows))
    rows = [rows[i] for i in perm]
    write_text(os.path.join(out, "sales_lines.csv"),
               ["Customer No", "Invoice", "Invoice Date", "SKU", "Product Group", "Qty", "Line Amount", "Discount"], rows, ",")
    rng = shop.rng
    regions = ["North", "South", "East", "West", "Central"]
    prof = []
    for c in shop.customers:
        a, sd = c["spec"]["age"]
        age = int(np.clip(rng.normal(a, sd), 18, 90))
        su = c["start"] - dt.timedelta(days=float(rng.exponential(30)))
        prof.append(dict(cust_no=int(c["id"]), year_of_birth=shop.as_of.year - age,
                         sex=rng.choice(["F", "M", "X"], p=[0.58, 0.40, 0.02]), state=rng.choice(regions),
                         member_since=su.date()))
    pl.DataFrame(prof).write_parquet(os.path.join(out, "customers.parquet"))
    write_truth(shop, out)
    return shop


def shop_sports(out):
    """c) sports, 8 segments incl. serial returners (10%) and seasonal gift buyers, 15,000 customers,
    Swedish headers, returns as negative quantities, events (Parquet, Swedish event names), survey 30%."""
    cats = ["Löpning", "Fotboll", "Friluftsliv", "Träning", "Cykel", "Vintersport", "Presentkort"]
    margin = {"Löpning": 0.45, "Fotboll": 0.4, "Friluftsliv": 0.5, "Träning": 0.55, "Cykel": 0.3, "Vintersport": 0.45, "Presentkort": 0.05}
    items = ["prismedveten", "varumarkeslojal", "hallbarhet", "prestanda", "presentkop"]
    segs = [
        dict(name="enthusiast", share=0.12, rate=7, rate_cv=0.45, basket=140, lines=2, disc_p=0.1, ret=0.08,
             cats={"Löpning": 4, "Cykel": 2, "Träning": 2}, sessions=25, views=6, cart_p=0.2,
             survey=dict(prismedveten=2.2, varumarkeslojal=4.2, prestanda=4.5)),
        dict(name="occasional", share=0.25, rate=1.6, rate_cv=0.5, basket=70, lines=1.3, disc_p=0.2, ret=0.06,
             sessions=5, views=3, cart_p=0.1),
        dict(name="discount_hunter", share=0.15, rate=3.5, rate_cv=0.5, basket=60, lines=2, disc_p=0.85, disc_conc=8, depth=0.3,
             ret=0.07, sessions=14, views=5, search_p=0.35, cart_p=0.2, survey=dict(prismedveten=4.6, varumarkeslojal=2.0)),
        dict(name="serial_returner", share=0.10, rate=5, rate_cv=0.45, basket=160, lines=3, disc_p=0.15, ret=0.87, ret_conc=25,
             cats={"Löpning": 3, "Friluftsliv": 3, "Vintersport": 2}, sessions=15, views=6, cart_p=0.3,
             survey=dict(varumarkeslojal=3.5, prestanda=3.8)),
        dict(name="seasonal_gift", share=0.08, rate=1.8, rate_cv=0.4, basket=110, lines=2, disc_p=0.25, ret=0.1, season=0.92,
             cats={"Presentkort": 3, "Vintersport": 2, "Friluftsliv": 2}, start_frac=(0, 0.15), sessions=3, views=3,
             survey=dict(presentkop=4.7)),
        dict(name="lapsed", share=0.12, rate=4, rate_cv=0.5, basket=85, lines=1.6, disc_p=0.2, ret=0.07, life="lapsed",
             lapse_days=(330, 560), sessions=6, views=3),
        dict(name="new", share=0.10, rate=5, basket=80, lines=1.5, disc_p=0.45, depth=0.15, ret=0.06, life="new",
             new_days=(2, 70), max_orders=3, sessions=30, views=4),
        dict(name="window_shopper", share=0.08, rate=0.25, rate_cv=0.7, basket=60, lines=1, disc_p=0.3, ret=0.06, min_orders=0,
             sessions=45, views=7, cart_p=0.35, search_p=0.3, dwell=70, resp_mult=0.7),
    ]
    names = dict(view="sidvisning", cart="lagt_i_varukorg", search="sokning", purchase="kop")
    for s in segs:
        s["_evnames"] = names
    shop = Shop("sports", 33, D(2025, 3, 31), 2.3, segs, cats, margin)
    shop.draw_customers(15000, lambda i: str(700000 + i))
    oid = counter(lambda n: f"SO{n:08d}")
    sid = counter(lambda n: f"s{n:x}")
    rows, ev, sv = [], [], []
    for c in shop.customers:
        orders = shop.make_orders(c, oid)
        for o in orders:
            for L in o["lines"]:
                rows.append((c["id"], o["order_id"], o["ts"].strftime("%Y-%m-%dT%H:%M:%S"), L["product"], L["cat"], L["qty"],
                             f"{L['price']:.2f}", f"{L['disc_pct']:.0f}", f"{L['cost']:.2f}"))
                if L["returned"]:
                    rows.append((c["id"], o["order_id"], L["ret_ts"].strftime("%Y-%m-%dT%H:%M:%S"), L["product"], L["cat"], -L["qty"],
                                 f"{L['price']:.2f}", f"{L['disc_pct']:.0f}", f"{L['cost']:.2f}"))
        ev.extend(shop.make_sessions(c, orders, sid))
        a = shop.survey(c, items, 0.30)
        if a is not None:
            sv.append((c["id"], *a))
    perm = shop.rng.permutation(len(rows))
    rows = [rows[i] for i in perm]
    write_text(os.path.join(out, "ordrar.csv"),
               ["kundnr", "ordernr", "orderdatum", "artikelnr", "kategori", "antal", "styckpris", "rabatt_procent", "inkopspris"], rows, ",")
    evdf = pl.DataFrame(ev, schema=["kundnr", "session", "tidpunkt", "handelse", "kategori", "visningstid_ms"], orient="row")
    evdf.write_parquet(os.path.join(out, "handelser.parquet"))
    write_text(os.path.join(out, "enkat.csv"), ["kundnr"] + items, sv, ",")
    write_truth(shop, out)
    return shop


def shop_flat(out):
    """d) no cluster structure: one population, correlated continuous latent traits. Shopify-like export."""
    cats = ["Apparel", "Accessories", "Home", "Gadgets", "Books"]
    # one segment spec, but every customer gets continuous latent traits
    base = dict(name="all", share=1.0, rate=3, basket=70, lines=1.5)
    shop = Shop("flat", 44, D(2025, 1, 31), 2.0, [base], cats)
    rng = shop.rng
    n = 6000
    cov = np.array([[1, 0.3, -0.2, 0.1], [0.3, 1, 0.1, 0.2], [-0.2, 0.1, 1, 0.15], [0.1, 0.2, 0.15, 1]])
    Z = rng.multivariate_normal(np.zeros(4), cov, n)
    span = (shop.as_of - shop.start).days
    for i in range(n):
        z = Z[i]
        spec = dict(base)
        st = shop.start + dt.timedelta(days=float(rng.uniform(0, span - 3)))
        # activity end: continuous (exponential hazard), not a bimodal lapse
        life = rng.exponential(900)
        en = min(shop.as_of, st + dt.timedelta(days=float(life)))
        if en <= st:
            en = st + dt.timedelta(days=1)
        c = dict(id=str(880000 + 3 * i), seg="all", spec=spec, start=st, end=en,
                 rate=3.0 * math.exp(0.6 * z[0]), mu=math.log(70) + 0.5 * z[1],
                 disc=1 / (1 + math.exp(-(-1.4 + 0.9 * z[2]))), depth=0.15 + 0.04 * z[2],
                 ret=1 / (1 + math.exp(-(-2.6 + 0.8 * z[3]))),
                 cat=rng.dirichlet(np.ones(len(cats)) * 2))
        c["depth"] = min(0.5, max(0.05, c["depth"]))
        shop.customers.append(c)
    oid = counter(lambda n: f"#{1000 + n}")
    rows = []
    for c in shop.customers:
        for o in shop.make_orders(c, oid, qty_max=3):
            for L in o["lines"]:
                rq = L["qty"] if L["returned"] else 0
                rows.append((o["order_id"], c["id"], o["ts"].strftime("%Y-%m-%d %H:%M:%S"), L["product"], L["cat"], L["qty"],
                             f"{L['price']:.2f}", f"{L['disc_amt']:.2f}", rq))
    perm = rng.permutation(len(rows))
    rows = [rows[i] for i in perm]
    write_text(os.path.join(out, "orders_export.csv"),
               ["Name", "Customer ID", "Created at", "Lineitem sku", "Product type", "Lineitem quantity", "Lineitem price",
                "Lineitem discount", "Refunded quantity"], rows, ",")
    write_truth(shop, out)
    return shop


def shop_grocery(out):
    """e) grocery-like, weekly orders for most, most orders discounted, 4 segments, 4,000 customers.
    Dutch headers, tab-delimited, decimal comma, dates %d-%m-%Y."""
    cats = ["Zuivel", "Groente", "Vlees", "Brood", "Dranken", "Snacks", "Huishouden", "Diepvries"]
    margin = {k: 0.28 for k in cats}
    segs = [
        dict(name="weekly_family", share=0.40, gap=7, skip=0.08, basket=110, order_sd=0.3, lines=7, disc_p=0.8, disc_conc=10,
             depth=0.1, cats={"Zuivel": 2, "Vlees": 2, "Groente": 2, "Huishouden": 2}, hour=11),
        dict(name="topup_single", share=0.30, gap=3.5, skip=0.15, basket=22, order_sd=0.35, lines=2.5, disc_p=0.6, disc_conc=10,
             depth=0.1, cats={"Brood": 3, "Dranken": 2, "Snacks": 2}, hour=18),
        dict(name="fortnightly_deal", share=0.22, gap=14, skip=0.1, basket=75, order_sd=0.35, lines=5, disc_p=0.97, disc_conc=30,
             depth=0.3, cats={"Diepvries": 3, "Huishouden": 2, "Dranken": 2}, hour=15),
        dict(name="lapsed", share=0.08, gap=8, skip=0.1, basket=70, order_sd=0.35, lines=5, disc_p=0.75, disc_conc=10, depth=0.1,
             life="lapsed", lapse_days=(100, 220)),
    ]
    shop = Shop("grocery", 55, D(2024, 12, 31), 1.0, segs, cats, margin)
    shop.draw_customers(4000, lambda i: f"HH{i:05d}")
    oid = counter(lambda n: f"{90000000 + n}")
    rows = []
    for c in shop.customers:
        if c["spec"]["name"] != "lapsed":
            c["start"] = shop.start + dt.timedelta(days=float(shop.rng.uniform(0, 40)))
        for o in shop.make_orders(c, oid, qty_max=4, price_round=False):
            for L in o["lines"]:
                rows.append((c["id"], o["order_id"], o["ts"].strftime("%d-%m-%Y"), L["cat"], L["qty"],
                             fmt_num(L["price"], ","), fmt_num(L["disc_amt"], ",")))
    write_text(os.path.join(out, "kassabonnen.tsv"), ["klantnummer", "bonnummer", "datum", "afdeling", "aantal", "stukprijs", "korting"], rows, "\t")
    write_truth(shop, out)
    return shop


TIGHT = 1.0
SEED_OFFSET = int(os.environ.get("SEED_OFFSET", "0"))  # another draw of the same shop; folder gets _sN
SHOPS = dict(beauty=shop_beauty, home=shop_home, sports=shop_sports, flat=shop_flat, grocery=shop_grocery)

if __name__ == "__main__":
    args = sys.argv[1:]
    if args and args[0].startswith("--tight="):
        TIGHT = float(args.pop(0).split("=")[1])
    root = args[0] if args else "/work/unseen/shops"
    which = args[1:] or list(SHOPS)
    for w in which:
        out = os.path.join(root, w + ("" if TIGHT == 1.0 else f"_tight{TIGHT:g}") + (f"_s{SEED_OFFSET}" if SEED_OFFSET else ""))
        os.makedirs(out, exist_ok=True)
        for f in os.listdir(out):
            p = os.path.join(out, f)
            if os.path.isfile(p):
                os.remove(p)
        shop = SHOPS[w](out)
        print(w, len(shop.customers), "customers;", ", ".join(f"{s['name']}={sum(c['seg']==s['name'] for c in shop.customers)}" for s in shop.segments))
