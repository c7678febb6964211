//! The feature table as DataFusion plans on the cluster.
//!
//! Every feature mirrors `segmint::features::build` (the polars path), the one definition of
//! its semantics: the same names (segmint's catalog), formulas and units, and the same
//! evaluation order where floating point could tell the difference. Money arrives as Int64
//! micro-units (see [`crate::canonical`]), so money sums are exact in both engines. Notes where
//! the SQL differs in form but not in value:
//!
//! * money in micro-units becomes currency by `* 1e-6`, as polars' optimiser evaluates the
//!   `/ 1e6` of the polars path (the two can differ in the last bit).
//! * polars sums nothing to 0, SQL to NULL: sums are `COALESCE(SUM(…), 0)` where polars fills.
//! * polars' weekday is Monday = 1 … Sunday = 7: `date_part('isodow', ts)`, not `'dow'`.
//! * `interpurchase_std_days` is the population standard deviation from the exact integer
//!   moments of the day gaps, `sqrt((n·Σg² − (Σg)²) / n²)`; polars' `std(0)` runs a two-pass
//!   algorithm, so the two agree to a few ulps, not bit for bit.
//! * a mean of arbitrary floats (`discount_depth`, `mean_dwell_seconds`) is summed in another
//!   order: equal to ~1e-15 relative, not bit for bit.
//! * `is_in(…).fill_null(false).not()` (nulls count as `other`) is `x IS NULL OR NOT x IN (…)`.
//! * the channel of an order is that of its earliest line; lines of one order at the same
//!   instant with different channels are a tie that polars leaves unspecified, here broken by
//!   the channel's name.

use std::collections::BTreeMap;
use std::path::Path;

use datafusion::arrow::array::{Array, AsArray};
use datafusion::arrow::datatypes::{DataType, Int64Type};
use datafusion::dataframe::DataFrameWriteOptions;
use datafusion::prelude::SessionContext;

use segmint::features::{
    BEHAVIOUR, BROWSING, DEMOGRAPHIC, FeatureSpec, Group, Kind, MICRO, RETURNS, category_formula,
    factor_scale, fixed, slug, unique_name,
};

use crate::canonical::{Meta, table_dir};
use crate::cluster::{location, register_parquet};
use crate::error::{Context, Error, Result, io};

/// The feature query and the features it computes, before all-missing columns are dropped.
#[derive(Debug, Clone)]
pub struct FeaturePlan {
    /// One SQL statement: `customer_id` and one column per spec, one row per customer.
    pub sql: String,
    /// The features, in column order.
    pub specs: Vec<FeatureSpec>,
}

/// `features.json`: segmint's type for it, written here and read by segmint.
pub use segmint::run::cluster::ClusterFeatures as FeaturesWritten;

fn lit_str(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

fn ident(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

/// `x IS NULL OR NOT x IN (levels)`: outside the levels, nulls included.
fn outside(x: &str, levels: &[String]) -> String {
    if levels.is_empty() {
        "TRUE".into()
    } else {
        let list: Vec<String> = levels.iter().map(|l| lit_str(l)).collect();
        format!("({x} IS NULL OR NOT {x} IN ({}))", list.join(", "))
    }
}

/// Registers the canonical tables of `dir` on `ctx`.
pub async fn register(ctx: &SessionContext, dir: &Path, meta: &Meta) -> Result<()> {
    for t in &meta.tables {
        register_parquet(ctx, t, &table_dir(dir, t)).await?;
    }
    Ok(())
}

/// The first column of a query's result, as text, in row order.
async fn strings(ctx: &SessionContext, sql: &str, what: &str) -> Result<Vec<String>> {
    let batches = ctx.sql(sql).await.ctx(what)?.collect().await.ctx(what)?;
    let mut out = Vec::new();
    for b in batches {
        let c = datafusion::arrow::compute::cast(b.column(0), &DataType::Utf8).ctx(what)?;
        let c = c.as_string::<i32>();
        for i in 0..c.len() {
            if c.is_valid(i) {
                out.push(c.value(i).to_string());
            }
        }
    }
    Ok(out)
}

/// Top `n` levels of a text column by a weight, ties by name (polars' `top_levels`).
async fn top_levels(
    ctx: &SessionContext,
    from: &str,
    column: &str,
    weight: &str,
    n: usize,
) -> Result<Vec<String>> {
    let sql = format!(
        "SELECT {column} AS level, {weight} AS w FROM {from} WHERE {column} IS NOT NULL \
         GROUP BY {column} ORDER BY w DESC, level ASC LIMIT {n}"
    );
    strings(ctx, &sql, &format!("finding the top levels of {column}")).await
}

/// Builds the feature query on the registered canonical tables.
pub async fn plan(ctx: &SessionContext, meta: &Meta) -> Result<FeaturePlan> {
    let t = meta.as_of_days;
    // polars' optimiser turns `x / lit(1e6)` into `x * 1e-6` (1/1e6 rounded once), and the
    // two differ in the last bit (1645.1 − 897.1: 747.9999999999999 by division, 748.0 by
    // multiplication); the SQL multiplies by the same constant.
    let m = format!("{:?}", 1.0 / MICRO);
    let has_channel = meta.has("lines", "channel");
    let has_category = meta.has("lines", "category");
    let has_events = meta.tables.iter().any(|x| x == "events");
    let mut specs: Vec<FeatureSpec> = Vec::new();
    let mut ctes: Vec<String> = Vec::new();
    // Columns of `base` (one row per customer, everything filled), then the final selection.
    let mut base: Vec<String> = vec!["u.customer_id AS customer_id".into()];
    let mut joins: Vec<String> = Vec::new();
    let mut select: Vec<(String, String)> = Vec::new();

    ctes.push(format!(
        "universe AS (SELECT DISTINCT customer_id FROM (SELECT customer_id FROM {} \
             UNION ALL SELECT customer_id FROM {} UNION ALL SELECT customer_id FROM {}) x)",
        meta.from("ids", "i"),
        meta.from("lines", "l"),
        meta.from("returns", "r")
    ));

    // Orders.
    let channel_agg = if has_channel {
        ", first_value(channel ORDER BY ts ASC, channel ASC NULLS LAST) AS channel"
    } else {
        ""
    };
    ctes.push(format!(
        "orders AS (SELECT customer_id, order_id, MIN(ts) AS ts, \
         COALESCE(SUM(gross), 0) AS gross, COALESCE(SUM(discount), 0) AS discount, \
         COALESCE(SUM(paid), 0) AS paid, COALESCE(SUM(cogs), 0) AS cogs, \
         COALESCE(SUM(quantity), 0.0) AS items{channel_agg} \
         FROM {lines} GROUP BY customer_id, order_id)",
        lines = meta.from("lines", "l")
    ));
    ctes.push(
        "o2 AS (SELECT *, CAST(CAST(ts AS DATE) AS INT) AS day, discount > 0 AS discounted, \
         date_part('month', ts) AS month, date_part('isodow', ts) AS wd FROM orders)"
            .into(),
    );
    ctes.push(
        "o3 AS (SELECT *, CAST(day - LAG(day) OVER (PARTITION BY customer_id ORDER BY ts, order_id) AS BIGINT) AS gap FROM o2)"
            .into(),
    );
    specs.extend(fixed(BEHAVIOUR, Group::Behaviour));
    let mut beh_aggs = vec![
        "COUNT(*) AS n_orders".to_string(),
        "MAX(day) AS last_d".into(),
        "MIN(day) AS first_d".into(),
        "SUM(paid) AS nr_micro".into(),
        "SUM(cogs) AS cogs_micro".into(),
        "SUM(items) AS items_sum".into(),
        "AVG(CASE WHEN discounted THEN 1.0 ELSE 0.0 END) AS discount_order_share".into(),
        "AVG(CASE WHEN discounted AND gross > 0 THEN CAST(discount AS DOUBLE) / CAST(gross AS DOUBLE) END) AS depth".into(),
        "AVG(CASE WHEN month >= 11 THEN 1.0 ELSE 0.0 END) AS holiday_order_share".into(),
        "AVG(CASE WHEN wd >= 6 THEN 1.0 ELSE 0.0 END) AS weekend_order_share".into(),
        "AVG(CAST(gap AS DOUBLE)) AS interpurchase_mean_days".into(),
        "COUNT(gap) AS ng".into(),
        "SUM(gap) AS s1".into(),
        "SUM(gap * gap) AS s2".into(),
    ];
    base.extend(
        [
            format!("CAST({t} - b.last_d AS DOUBLE) AS recency_days"),
            "CAST(COALESCE(b.n_orders, 0) AS DOUBLE) AS frequency".into(),
            format!("CAST({t} - b.first_d AS DOUBLE) AS tenure_days"),
            format!("CAST(COALESCE(b.nr_micro, 0) AS DOUBLE) * {m} AS net_revenue"),
            format!("CAST(b.nr_micro AS DOUBLE) * {m} / CAST(b.n_orders AS DOUBLE) AS aov"),
            "b.items_sum / CAST(b.n_orders AS DOUBLE) AS items_per_order".into(),
            "b.interpurchase_mean_days AS interpurchase_mean_days".into(),
            "CASE WHEN b.n_orders >= 2 THEN sqrt(CAST(b.ng * b.s2 - b.s1 * b.s1 AS DOUBLE) / CAST(b.ng * b.ng AS DOUBLE)) END AS interpurchase_std_days".into(),
            "b.discount_order_share AS discount_order_share".into(),
            "CASE WHEN b.n_orders IS NOT NULL THEN COALESCE(b.depth, 0.0) END AS discount_depth".into(),
            "b.holiday_order_share AS holiday_order_share".into(),
            "b.weekend_order_share AS weekend_order_share".into(),
            format!("CAST(COALESCE(b.cogs_micro, 0) AS DOUBLE) * {m} AS cogs_"),
            "COALESCE(b.items_sum, 0.0) AS items_".into(),
        ],
    );
    joins.push("LEFT JOIN beh b ON u.customer_id = b.customer_id".into());
    for (n, _, _) in BEHAVIOUR {
        select.push((n.to_string(), n.to_string()));
    }

    // Category spend shares.
    if has_category {
        let top = top_levels(
            ctx,
            "lines",
            "category",
            "COALESCE(SUM(paid), 0)",
            meta.top_categories,
        )
        .await?;
        let mut aggs = Vec::new();
        let mut names = Vec::new();
        for (i, level) in top.iter().enumerate() {
            let name = unique_name(&specs, &format!("category_share_{}", slug(level)));
            aggs.push(format!(
                "SUM(CASE WHEN category = {} THEN paid END) AS c{i}",
                lit_str(level)
            ));
            names.push((name, format!("c{i}")));
        }
        let other = unique_name(&specs, "category_share_other");
        aggs.push(format!(
            "SUM(CASE WHEN {} THEN paid END) AS c_other",
            outside("category", &top)
        ));
        names.push((other, "c_other".into()));
        ctes.push(format!(
            "cat AS (SELECT customer_id, {} FROM {} GROUP BY customer_id)",
            aggs.join(", "),
            meta.from("lines", "l")
        ));
        joins.push("LEFT JOIN cat c ON u.customer_id = c.customer_id".into());
        for (n, c) in names {
            base.push(format!(
                "CASE WHEN CAST(COALESCE(b.nr_micro, 0) AS DOUBLE) * {m} > 0.0 THEN \
                 COALESCE(CAST(c.{c} AS DOUBLE) * {m} / (CAST(COALESCE(b.nr_micro, 0) AS DOUBLE) * {m}), 0.0) END AS {}",
                ident(&n)
            ));
            select.push((n.clone(), n.clone()));
            specs.push(FeatureSpec::new(
                n.clone(),
                Group::Behaviour,
                Kind::Rate,
                category_formula(&n),
            ));
        }
    }
    if has_channel {
        let top = top_levels(
            ctx,
            "(SELECT first_value(channel ORDER BY ts ASC, channel ASC NULLS LAST) AS channel \
             FROM lines GROUP BY customer_id, order_id) o",
            "channel",
            "COUNT(*)",
            meta.top_categories,
        )
        .await?;
        let mut names = Vec::new();
        for (i, level) in top.iter().enumerate() {
            let name = unique_name(&specs, &format!("channel_share_{}", slug(level)));
            beh_aggs.push(format!(
                "AVG(CASE WHEN channel = {} THEN 1.0 ELSE 0.0 END) AS ch{i}",
                lit_str(level)
            ));
            names.push((name, format!("ch{i}")));
        }
        let other = unique_name(&specs, "channel_share_other");
        beh_aggs.push(format!(
            "AVG(CASE WHEN {} THEN 1.0 ELSE 0.0 END) AS ch_other",
            outside("channel", &top)
        ));
        names.push((other, "ch_other".into()));
        for (n, c) in names {
            base.push(format!("b.{c} AS {}", ident(&n)));
            select.push((n.clone(), n.clone()));
            specs.push(FeatureSpec::new(
                n.clone(),
                Group::Behaviour,
                Kind::Rate,
                format!(
                    "orders whose first line is in channel `{}` / orders",
                    n.trim_start_matches("channel_share_")
                ),
            ));
        }
    }
    ctes.push(format!(
        "beh AS (SELECT customer_id, {} FROM o3 GROUP BY customer_id)",
        beh_aggs.join(", ")
    ));

    // Returns and profit.
    let default_handling = (meta.return_handling_cost * MICRO).round() as i64;
    ctes.push(format!(
        "rpo AS (SELECT customer_id, order_id, COUNT(handling) AS hn, \
         COALESCE(SUM(handling), 0) AS h, COALESCE(SUM(quantity), 0.0) AS rq, \
         COALESCE(SUM(refund), 0) AS rf, COALESCE(SUM(cogs), 0) AS rc \
         FROM {} GROUP BY customer_id, order_id)",
        meta.from("returns", "r")
    ));
    ctes.push(format!(
        "ret AS (SELECT customer_id, COUNT(*) AS returned_orders, SUM(rf) AS refunds_micro, \
         SUM(rq) AS returned_items, SUM(rc) AS cogs_returned_micro, \
         SUM(CASE WHEN hn = 0 THEN {default_handling} ELSE h END) AS handling_micro \
         FROM rpo GROUP BY customer_id)"
    ));
    joins.push("LEFT JOIN ret r ON u.customer_id = r.customer_id".into());
    base.extend([
        "CAST(COALESCE(r.returned_orders, 0) AS DOUBLE) AS returned_orders".to_string(),
        format!("CAST(COALESCE(r.refunds_micro, 0) AS DOUBLE) * {m} AS refunds"),
        "COALESCE(r.returned_items, 0.0) AS returned_items_".into(),
        format!("CAST(COALESCE(r.cogs_returned_micro, 0) AS DOUBLE) * {m} AS cogs_returned_"),
        format!("CAST(COALESCE(r.handling_micro, 0) AS DOUBLE) * {m} AS return_handling_cost"),
    ]);
    let gross_margin = "(net_revenue - refunds - greatest(cogs_ - cogs_returned_, 0.0))";
    for (n, e) in [
        (
            "return_rate_value",
            "CASE WHEN net_revenue > 0.0 THEN refunds / net_revenue END".to_string(),
        ),
        (
            "return_rate_items",
            "CASE WHEN items_ > 0.0 THEN returned_items_ / items_ END".into(),
        ),
        ("returned_orders", "returned_orders".into()),
        ("refunds", "refunds".into()),
        ("return_handling_cost", "return_handling_cost".into()),
        ("gross_margin", gross_margin.into()),
        (
            "contribution_profit",
            format!("{gross_margin} - return_handling_cost"),
        ),
    ] {
        select.push((n.to_string(), e));
    }
    let returns_at = specs.len();
    specs.extend(fixed(RETURNS, Group::Behaviour));
    debug_assert_eq!(specs[returns_at].name, "return_rate_value");

    // Browsing.
    if has_events {
        let has_dwell = meta.has("events", "dwell");
        let has_cat = meta.has("events", "category");
        ctes.push(format!(
            "sess AS (SELECT customer_id, session_id, bool_or(kind = 'view') AS v, \
             bool_or(kind = 'cart') AS c, bool_or(kind = 'purchase') AS p \
             FROM {} GROUP BY customer_id, session_id)",
            meta.from("events", "ev")
        ));
        ctes.push(
            "ses AS (SELECT customer_id, COUNT(*) AS sessions, \
             SUM(CASE WHEN c THEN 1 ELSE 0 END) AS sc, SUM(CASE WHEN c AND p THEN 1 ELSE 0 END) AS scp, \
             SUM(CASE WHEN v THEN 1 ELSE 0 END) AS sv, SUM(CASE WHEN v AND p THEN 1 ELSE 0 END) AS svp \
             FROM sess GROUP BY customer_id)"
                .into(),
        );
        let count = |k: &str| format!("SUM(CASE WHEN kind = '{k}' THEN 1 ELSE 0 END)");
        let mut aggs = vec![
            "COUNT(*) AS events".to_string(),
            format!("{} AS product_views", count("view")),
            format!("{} AS cart_adds", count("cart")),
            format!("{} AS searches", count("search")),
            "MAX(CAST(CAST(ts AS DATE) AS INT)) AS last_visit".into(),
            if has_dwell {
                "AVG(CAST(dwell AS DOUBLE)) AS mean_dwell".into()
            } else {
                "CAST(NULL AS DOUBLE) AS mean_dwell".into()
            },
        ];
        let mut view_cats = Vec::new();
        if has_cat {
            let top = top_levels(
                ctx,
                "(SELECT category FROM events WHERE kind = 'view') v",
                "category",
                "COUNT(*)",
                meta.top_categories,
            )
            .await?;
            for (i, level) in top.iter().enumerate() {
                let name = unique_name(&specs, &format!("category_view_share_{}", slug(level)));
                aggs.push(format!(
                    "SUM(CASE WHEN kind = 'view' AND category = {} THEN 1 ELSE 0 END) AS vc{i}",
                    lit_str(level)
                ));
                view_cats.push((name, format!("vc{i}")));
            }
            let other = unique_name(&specs, "category_view_share_other");
            aggs.push(format!(
                "SUM(CASE WHEN kind = 'view' AND {} THEN 1 ELSE 0 END) AS vc_other",
                outside("category", &top)
            ));
            view_cats.push((other, "vc_other".into()));
        }
        ctes.push(format!(
            "evc AS (SELECT customer_id, {} FROM {} GROUP BY customer_id)",
            aggs.join(", "),
            meta.from("events", "ev")
        ));
        joins.push("LEFT JOIN evc e ON u.customer_id = e.customer_id".into());
        joins.push("LEFT JOIN ses s ON u.customer_id = s.customer_id".into());
        base.extend([
            "CAST(COALESCE(s.sessions, 0) AS DOUBLE) AS sessions".to_string(),
            "CAST(COALESCE(e.events, 0) AS DOUBLE) AS events".into(),
            "CAST(COALESCE(e.product_views, 0) AS DOUBLE) AS product_views".into(),
            "CAST(COALESCE(e.cart_adds, 0) AS DOUBLE) AS cart_adds".into(),
            "CAST(COALESCE(e.searches, 0) AS DOUBLE) AS searches".into(),
            "CASE WHEN CAST(s.sc AS DOUBLE) > 0.0 THEN CAST(s.scp AS DOUBLE) / CAST(s.sc AS DOUBLE) END AS cart_to_purchase".into(),
            "CASE WHEN CAST(s.sv AS DOUBLE) > 0.0 THEN CAST(s.svp AS DOUBLE) / CAST(s.sv AS DOUBLE) END AS view_to_purchase".into(),
            "e.mean_dwell AS mean_dwell_seconds".into(),
            format!("CAST({t} - e.last_visit AS DOUBLE) AS days_since_last_visit"),
        ]);
        for (n, _, _) in BROWSING {
            select.push((n.to_string(), n.to_string()));
        }
        specs.extend(fixed(BROWSING, Group::Browsing));
        for (n, c) in view_cats {
            base.push(format!(
                "CASE WHEN CAST(COALESCE(e.product_views, 0) AS DOUBLE) > 0.0 THEN \
                 CAST(COALESCE(e.{c}, 0) AS DOUBLE) / CAST(COALESCE(e.product_views, 0) AS DOUBLE) END AS {}",
                ident(&n)
            ));
            select.push((n.clone(), n.clone()));
            let level = n.trim_start_matches("category_view_share_").to_string();
            specs.push(FeatureSpec::new(
                n,
                Group::Browsing,
                Kind::Rate,
                format!("views in category `{level}` / views; missing without views"),
            ));
        }
    }

    // Survey.
    if meta.tables.iter().any(|x| x == "survey") {
        joins.push(format!(
            "LEFT JOIN {} ON u.customer_id = sv.customer_id",
            meta.from("survey", "sv")
        ));
        let item = |i: &str| format!("CAST(sv.{} AS DOUBLE)", ident(i));
        let mut answered = Vec::new();
        for it in &meta.survey_items {
            let name = unique_name(&specs, &format!("survey_{}", slug(it)));
            base.push(format!("{} AS {}", item(it), ident(&name)));
            select.push((name.clone(), ident(&name)));
            answered.push(format!("{} IS NOT NULL", item(it)));
            specs.push(
                FeatureSpec::new(
                    name,
                    Group::Psychographic,
                    Kind::Score,
                    format!("answer to survey item `{it}`"),
                )
                .with_scale(meta.survey_scales.get(it).copied()),
            );
        }
        for (factor, items) in &meta.survey_factors {
            let name = unique_name(&specs, &format!("factor_{}", slug(factor)));
            let sum: Vec<String> = items
                .iter()
                .map(|i| format!("COALESCE({}, 0.0)", item(i)))
                .collect();
            let n: Vec<String> = items
                .iter()
                .map(|i| format!("CASE WHEN {} IS NOT NULL THEN 1.0 ELSE 0.0 END", item(i)))
                .collect();
            base.push(format!(
                "CASE WHEN ({}) > 0.0 THEN ({}) / ({}) END AS {}",
                n.join(" + "),
                sum.join(" + "),
                n.join(" + "),
                ident(&name)
            ));
            select.push((name.clone(), ident(&name)));
            specs.push(
                FeatureSpec::new(
                    name,
                    Group::Psychographic,
                    Kind::Score,
                    format!(
                        "mean of the answered items {}",
                        items
                            .iter()
                            .map(|i| format!("`{i}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                )
                .with_scale(factor_scale(items, &meta.survey_scales)),
            );
        }
        let any = if answered.is_empty() {
            "FALSE".to_string()
        } else {
            answered.join(" OR ")
        };
        base.push(format!(
            "CASE WHEN {any} THEN 1.0 ELSE 0.0 END AS survey_answered"
        ));
        select.push(("survey_answered".into(), "survey_answered".into()));
        specs.push(FeatureSpec::new(
            "survey_answered",
            Group::Psychographic,
            Kind::Indicator,
            "1 if the customer answered at least one survey item, else 0",
        ));
    }

    // Demographics.
    if meta.tables.iter().any(|x| x == "customers") {
        joins.push(format!(
            "LEFT JOIN {} ON u.customer_id = cu.customer_id",
            meta.from("customers", "cu")
        ));
        base.extend([
            "cu.age AS age".to_string(),
            "cu.gender AS gender".into(),
            "cu.country AS country".into(),
            "cu.region AS region".into(),
            format!(
                "CAST({t} - CAST(CAST(cu.signup AS DATE) AS INT) AS DOUBLE) AS signup_tenure_days"
            ),
        ]);
        for (n, _, _) in DEMOGRAPHIC {
            select.push((n.to_string(), n.to_string()));
        }
        specs.extend(fixed(DEMOGRAPHIC, Group::Demographic));
        for a in &meta.customer_attributes {
            base.push(format!("cu.{} AS {}", ident(&a.name), ident(&a.name)));
            select.push((a.name.clone(), ident(&a.name)));
            specs.push(a.clone());
        }
    }

    // `select` follows the pushes above; reorder it to the specs' order (returns come after
    // the share families, as in the polars path).
    let by_name: BTreeMap<&str, &str> = select
        .iter()
        .map(|(n, e)| (n.as_str(), e.as_str()))
        .collect();
    let mut cols = vec!["customer_id".to_string()];
    for s in &specs {
        let e = by_name.get(s.name.as_str()).ok_or_else(|| {
            Error::Input(format!("internal: feature {} has no expression", s.name))
        })?;
        cols.push(format!("{e} AS {}", ident(&s.name)));
    }
    ctes.push(format!(
        "base AS (SELECT {} FROM universe u {})",
        base.join(", "),
        joins.join(" ")
    ));
    let sql = format!(
        "WITH {} SELECT {} FROM base",
        ctes.join(",\n"),
        cols.join(", ")
    );
    Ok(FeaturePlan { sql, specs })
}

/// The feature table of the canonical tables in `canonical`, computed on `ctx`, written as
/// Parquet part files to `out/features/`, with `out/features.json` (catalog, customers,
/// as_of). Columns no customer has a value for are left out, as the polars path does.
pub async fn write(ctx: &SessionContext, canonical: &Path, out: &Path) -> Result<FeaturesWritten> {
    let meta = Meta::read(canonical)?;
    register(ctx, canonical, &meta).await?;
    let plan = plan(ctx, &meta).await?;
    std::fs::create_dir_all(out).map_err(io(out))?;
    let staging = out.join("features.staging");
    let table = out.join("features");
    for d in [&staging, &table] {
        if d.exists() {
            std::fs::remove_dir_all(d).map_err(io(d))?;
        }
    }
    let df = ctx.sql(&plan.sql).await.ctx("planning the features")?;
    df.write_parquet(
        &location(&staging, true)?,
        DataFrameWriteOptions::new(),
        None,
    )
    .await
    .ctx("computing and writing the features")?;

    // Customers once each, and which columns have any value.
    register_parquet(ctx, "features_staging", &staging).await?;
    let mut counts = vec![
        "COUNT(*)".to_string(),
        "COUNT(DISTINCT customer_id)".to_string(),
    ];
    counts.extend(
        plan.specs
            .iter()
            .map(|s| format!("COUNT({})", ident(&s.name))),
    );
    let sql = format!("SELECT {} FROM features_staging", counts.join(", "));
    let batches = ctx
        .sql(&sql)
        .await
        .ctx("counting the features")?
        .collect()
        .await
        .ctx("counting the features")?;
    let b = batches
        .iter()
        .find(|b| b.num_rows() == 1)
        .ok_or_else(|| Error::Input("the feature count returned no row".into()))?;
    let num = |i: usize| -> Result<i64> {
        let c = datafusion::arrow::compute::cast(b.column(i), &DataType::Int64)
            .ctx("counting the features")?;
        Ok(c.as_primitive::<Int64Type>().value(0))
    };
    let (rows, distinct) = (num(0)?, num(1)?);
    if rows != distinct {
        return Err(Error::Input(format!(
            "the feature table has {rows} rows for {distinct} customers: a customer id appears twice; check the canonical tables"
        )));
    }
    let mut kept = Vec::new();
    let mut dropped = Vec::new();
    for (i, s) in plan.specs.iter().enumerate() {
        if num(i + 2)? > 0 {
            kept.push(s.clone());
        } else {
            dropped.push(s.name.clone());
        }
    }
    if dropped.is_empty() {
        ctx.deregister_table("features_staging")
            .ctx("counting the features")?;
        std::fs::rename(&staging, &table).map_err(io(&table))?;
    } else {
        let mut cols = vec!["customer_id".to_string()];
        cols.extend(kept.iter().map(|s| ident(&s.name)));
        let df = ctx
            .sql(&format!("SELECT {} FROM features_staging", cols.join(", ")))
            .await
            .ctx("leaving out the empty features")?;
        df.write_parquet(&location(&table, true)?, DataFrameWriteOptions::new(), None)
            .await
            .ctx("writing the features")?;
        ctx.deregister_table("features_staging")
            .ctx("leaving out the empty features")?;
        std::fs::remove_dir_all(&staging).map_err(io(&staging))?;
    }
    // The feature table's entry in `out` reaches the disk before features.json is written
    // (the executors' Parquet files are theirs to flush).
    segmint::run::write::sync_folder(out)?;
    let written = FeaturesWritten {
        schema_version: segmint::run::SCHEMA_VERSION,
        as_of: meta.as_of.clone(),
        customers: rows as u64,
        specs: kept,
        dropped,
        table: table.clone(),
        ingest: meta.ingest.clone(),
    };
    let path = out.join("features.json");
    segmint::run::write::write_atomic(&path, &segmint::run::json(&written)?, false)?;
    Ok(written)
}
