//! Features: one row per customer, from the canonical inputs, with polars lazy group-bys.
//!
//! The customer universe is every id seen in any table (also those whose rows were all
//! skipped), sorted; each appears exactly once. A customer without orders has zero counts and
//! money, and missing rates; a customer without a survey row has missing answers and
//! `survey_answered = 0`. E-mail and phone never reach this stage.

pub use crate::catalog;

use chrono::NaiveDate;
use polars::prelude::*;

use crate::config::FeatureOptions;
use crate::error::{Error, PolarsContext, Result};
pub(crate) use crate::frame::{column_f64, column_str};
use crate::ingest::Inputs;
pub use crate::model::SourceCount;
pub use catalog::{fixed, slug, BEHAVIOUR, BROWSING, DEMOGRAPHIC, RETURNS};
pub use catalog::{FeatureSpec, Group, Kind};

/// The feature table and its catalog.
#[derive(Debug, Clone)]
pub struct Features {
    /// `customer_id` (sorted, unique) and one column per feature in `specs`, in that order.
    pub table: DataFrame,
    /// The features in column order.
    pub specs: Vec<FeatureSpec>,
    /// Customers per input table.
    pub sources: Vec<SourceCount>,
    /// Reference date used.
    pub as_of: NaiveDate,
}

/// The distinct ids of a column of customer ids.
fn id_set(ids: &Series) -> Result<std::collections::HashSet<&str>> {
    Ok(ids
        .str()
        .ctx("listing customer ids")?
        .iter()
        .flatten()
        .collect())
}

impl Features {
    /// Number of customers.
    pub fn customers(&self) -> usize {
        self.table.height()
    }
}

/// Micro-units per currency unit: money is summed as integers of these, so sums are exact.
pub const MICRO: f64 = 1e6;

/// Money as integer micro-units (half to even), as every money sum of the feature table
/// (and the canonical Parquet of the distributed path, `segmint-ballista`) holds it.
pub fn micro(e: Expr) -> Expr {
    (e * lit(MICRO))
        .round(0, RoundMode::HalfToEven)
        .cast(DataType::Int64)
}

fn days(e: Expr) -> Expr {
    e.cast(DataType::Date).cast(DataType::Int32)
}

fn as_of_days(as_of: NaiveDate) -> i32 {
    (as_of - NaiveDate::from_ymd_opt(1970, 1, 1).expect("epoch")).num_days() as i32
}

fn null_f64() -> Expr {
    lit(NULL).cast(DataType::Float64)
}

/// Top `n` levels of `column` by the sum of `weight` (ties by name), nulls left out.
fn top_levels(lf: LazyFrame, column: &str, weight: Expr, n: usize) -> Result<Vec<String>> {
    let df = lf
        .filter(col(column).is_not_null())
        .group_by_stable([col(column)])
        .agg([weight.alias("__w")])
        .sort_by_exprs(
            [col("__w"), col(column)],
            SortMultipleOptions::default().with_order_descending_multi([true, false]),
        )
        .limit(n as IdxSize)
        .collect()
        .ctx("finding top levels")?;
    let c = df
        .column(column)
        .ctx("finding top levels")?
        .str()
        .ctx("finding top levels")?
        .clone();
    Ok(c.iter().flatten().map(String::from).collect())
}

/// Builds the feature table.
pub fn build(inputs: &Inputs, opts: &FeatureOptions) -> Result<Features> {
    build_impl(inputs, opts, None)
}

/// Builds the feature table with the share features a model was built with (for `assign`):
/// the model's category and channel levels rather than this batch's top levels, and a share
/// of 0 (for customers with orders, or views) for a level nobody in the batch bought.
pub fn build_like(
    inputs: &Inputs,
    opts: &FeatureOptions,
    model: &crate::model::prepared::PrepareModel,
) -> Result<Features> {
    use crate::model::prepared::Encoding;
    let mut wanted = std::collections::BTreeSet::new();
    for c in &model.columns {
        match &c.encoding {
            Encoding::Numeric { feature, .. } | Encoding::OneHot { feature, .. } => {
                wanted.insert(feature.clone());
            }
            Encoding::Missing { features } => wanted.extend(features.iter().cloned()),
        }
    }
    // Features the model left out (constant, folded, chance-only rates) still had their
    // level: without it, its customers' share would move into `…_other`.
    wanted.extend(model.dropped.iter().map(|d| d.name.clone()));
    build_impl(inputs, opts, Some(&wanted))
}

/// The share families: feature prefix, and the feature a share is missing without.
const SHARES: [(&str, &str); 3] = [
    ("category_share_", "net_revenue"),
    ("channel_share_", "frequency"),
    ("category_view_share_", "product_views"),
];

/// The levels that get their own share feature: the top `n`, or, with `wanted` (a model's
/// features), those whose feature `prefix<slug>` the model has.
fn pick_levels(
    lf: LazyFrame,
    column: &str,
    weight: Expr,
    n: usize,
    wanted: Option<&std::collections::BTreeSet<String>>,
    prefix: &str,
) -> Result<Vec<String>> {
    match wanted {
        None => top_levels(lf, column, weight, n),
        Some(w) => Ok(top_levels(lf, column, weight, u32::MAX as usize)?
            .into_iter()
            .filter(|l| w.contains(&format!("{prefix}{}", slug(l))))
            .collect()),
    }
}

fn build_impl(
    inputs: &Inputs,
    opts: &FeatureOptions,
    wanted: Option<&std::collections::BTreeSet<String>>,
) -> Result<Features> {
    let as_of = inputs.as_of;
    let today = as_of_days(as_of);
    let mut specs: Vec<FeatureSpec> = Vec::new();

    // Universe.
    let mut id_frames: Vec<LazyFrame> = Vec::new();
    let mut sources = Vec::new();
    let profiled = match inputs.ids_by_source.iter().find(|(t, _)| t == "customers") {
        Some((_, ids)) => Some(id_set(ids)?),
        None => None,
    };
    for (table, ids) in &inputs.ids_by_source {
        let without_customer_row = match &profiled {
            Some(p) if table != "customers" => {
                Some(id_set(ids)?.iter().filter(|id| !p.contains(*id)).count())
            }
            _ => None,
        };
        sources.push(SourceCount {
            table: table.clone(),
            customers: ids.len(),
            without_customer_row,
        });
        id_frames.push(
            DataFrame::new_infer_height(vec![ids.clone().with_name("customer_id".into()).into()])
                .ctx("listing ids")?
                .lazy(),
        );
    }
    for df in [&inputs.lines, &inputs.returns] {
        id_frames.push(df.clone().lazy().select([col("customer_id")]));
    }
    let universe = concat(id_frames, UnionArgs::default())
        .ctx("listing customers")?
        .unique(None, UniqueKeepStrategy::Any)
        .sort(["customer_id"], SortMultipleOptions::default())
        .collect()
        .ctx("listing customers")?;
    if universe.height() == 0 {
        return Err(Error::Data(
            "no customer id in any table: check the customer_id entries of the mapping".into(),
        ));
    }
    let mut table = universe.lazy();

    // Orders. Money is summed in integer micro-units (exact, so a sum does not depend on the
    // order polars adds values in) and turned back into currency once per customer.
    let lines = inputs
        .lines
        .clone()
        .lazy()
        .with_columns(["gross", "discount", "paid", "cogs"].map(|c| micro(col(c)).alias(c)));
    let has_channel = inputs.lines.column("channel").is_ok();
    let has_category = inputs.lines.column("category").is_ok();
    let mut order_aggs = vec![
        col("ts").min().alias("ts"),
        col("gross").sum().alias("gross"),
        col("discount").sum().alias("discount"),
        col("paid").sum().alias("paid"),
        col("cogs").sum().alias("cogs"),
        col("quantity").sum().alias("items"),
    ];
    if has_channel {
        order_aggs.push(
            col("channel")
                .sort_by([col("ts")], SortMultipleOptions::default())
                .first()
                .alias("channel"),
        );
    }
    let orders = lines
        .clone()
        .group_by_stable([col("customer_id"), col("order_id")])
        .agg(order_aggs)
        .with_columns([
            days(col("ts")).alias("day"),
            col("discount").gt(lit(0.0)).alias("discounted"),
            col("ts").dt().month().alias("month"),
            col("ts").dt().weekday().alias("weekday"),
        ])
        .sort(
            ["customer_id", "ts", "order_id"],
            SortMultipleOptions::default(),
        )
        .with_column(
            (col("day") - col("day").shift(lit(1)))
                .over([col("customer_id")])
                .ctx("computing gaps between orders")?
                .cast(DataType::Float64)
                .alias("gap"),
        );
    let per_order = |e: Expr| e.cast(DataType::Float64).mean();
    let behaviour = orders
        .clone()
        .group_by_stable([col("customer_id")])
        .agg([
            len().cast(DataType::Float64).alias("frequency"),
            col("day").max().alias("__last"),
            col("day").min().alias("__first"),
            col("paid").sum().alias("net_revenue"),
            col("cogs").sum().alias("__cogs"),
            col("items").sum().alias("__items"),
            per_order(col("discounted")).alias("discount_order_share"),
            (col("discount").cast(DataType::Float64) / col("gross").cast(DataType::Float64))
                .filter(col("discounted").and(col("gross").gt(lit(0))))
                .mean()
                .alias("__depth"),
            per_order(col("month").gt_eq(lit(11))).alias("holiday_order_share"),
            per_order(col("weekday").gt_eq(lit(6))).alias("weekend_order_share"),
            col("gap").mean().alias("interpurchase_mean_days"),
            col("gap").std(0).alias("interpurchase_std_days"),
        ])
        .with_columns([
            (lit(today) - col("__last"))
                .cast(DataType::Float64)
                .alias("recency_days"),
            (lit(today) - col("__first"))
                .cast(DataType::Float64)
                .alias("tenure_days"),
            (col("net_revenue").cast(DataType::Float64) / lit(MICRO) / col("frequency"))
                .alias("aov"),
            (col("__items") / col("frequency")).alias("items_per_order"),
            col("__depth").fill_null(lit(0.0)).alias("discount_depth"),
            when(col("frequency").gt_eq(lit(2.0)))
                .then(col("interpurchase_std_days"))
                .otherwise(null_f64())
                .alias("interpurchase_std_days"),
        ]);
    table = table.left_join(behaviour, col("customer_id"), col("customer_id"));
    specs.extend(fixed(BEHAVIOUR, Group::Behaviour));
    let mut fill_zero: Vec<&str> = vec!["frequency", "net_revenue", "__cogs", "__items"];

    // Category spend shares.
    let mut share_cols: Vec<(String, Expr)> = Vec::new();
    if has_category {
        let top = pick_levels(
            lines.clone(),
            "category",
            col("paid").sum(),
            opts.top_categories,
            wanted,
            "category_share_",
        )?;
        let cat = col("category");
        let mut aggs = Vec::new();
        let mut names = Vec::new();
        for level in &top {
            let name = unique_name(&specs, &format!("category_share_{}", slug(level)));
            aggs.push(
                col("paid")
                    .filter(cat.clone().eq(lit(level.clone())))
                    .sum()
                    .alias(name.as_str()),
            );
            names.push(name);
        }
        let other = unique_name(&specs, "category_share_other");
        let in_top = cat
            .clone()
            .is_in(
                lit(Series::new("".into(), top.clone())).implode(false),
                false,
            )
            .fill_null(lit(false));
        aggs.push(col("paid").filter(in_top.not()).sum().alias(other.as_str()));
        names.push(other);
        let shares = lines
            .clone()
            .group_by_stable([col("customer_id")])
            .agg(aggs);
        table = table.left_join(shares, col("customer_id"), col("customer_id"));
        for n in names {
            share_cols.push((
                n.clone(),
                col(n.as_str()).cast(DataType::Float64) / lit(MICRO) / col("net_revenue"),
            ));
            specs.push(FeatureSpec::new(
                n.clone(),
                Group::Behaviour,
                Kind::Rate,
                category_formula(&n),
            ));
        }
    }
    if has_channel {
        let top = pick_levels(
            orders.clone(),
            "channel",
            len(),
            opts.top_categories,
            wanted,
            "channel_share_",
        )?;
        let mut aggs = Vec::new();
        let mut names = Vec::new();
        for level in &top {
            let name = unique_name(&specs, &format!("channel_share_{}", slug(level)));
            aggs.push(
                per_order(col("channel").eq(lit(level.clone())).fill_null(lit(false)))
                    .alias(name.as_str()),
            );
            names.push(name);
        }
        let in_top = col("channel")
            .is_in(
                lit(Series::new("".into(), top.clone())).implode(false),
                false,
            )
            .fill_null(lit(false));
        let other = unique_name(&specs, "channel_share_other");
        aggs.push(per_order(in_top.not()).alias(other.as_str()));
        names.push(other);
        let shares = orders
            .clone()
            .group_by_stable([col("customer_id")])
            .agg(aggs);
        table = table.left_join(shares, col("customer_id"), col("customer_id"));
        for n in names {
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

    // Returns and profit.
    let returns = inputs
        .returns
        .clone()
        .lazy()
        .with_columns(["refund", "cogs", "handling"].map(|c| micro(col(c)).alias(c)));
    let per_order_handling = returns
        .clone()
        .group_by_stable([col("customer_id"), col("order_id")])
        .agg([
            col("handling").count().alias("__n"),
            col("handling").sum().alias("__h"),
            col("quantity").sum().alias("__rq"),
            col("refund").sum().alias("__rf"),
            col("cogs").sum().alias("__rc"),
        ])
        .with_column(
            when(col("__n").eq(lit(0)))
                .then(lit((opts.return_handling_cost * MICRO).round() as i64))
                .otherwise(col("__h"))
                .alias("__h"),
        );
    let ret = per_order_handling
        .group_by_stable([col("customer_id")])
        .agg([
            len().cast(DataType::Float64).alias("returned_orders"),
            col("__rf").sum().alias("refunds"),
            col("__rq").sum().alias("__returned_items"),
            col("__rc").sum().alias("__cogs_returned"),
            col("__h").sum().alias("return_handling_cost"),
        ]);
    table = table.left_join(ret, col("customer_id"), col("customer_id"));
    fill_zero.extend([
        "returned_orders",
        "refunds",
        "__returned_items",
        "__cogs_returned",
        "return_handling_cost",
    ]);
    specs.extend(fixed(RETURNS, Group::Behaviour));

    table = table.with_columns(
        fill_zero
            .iter()
            .map(|c| col(*c).cast(DataType::Float64).fill_null(lit(0.0)))
            .collect::<Vec<_>>(),
    );
    let money = [
        "net_revenue",
        "__cogs",
        "refunds",
        "__cogs_returned",
        "return_handling_cost",
    ];
    table = table.with_columns(
        money
            .iter()
            .map(|c| (col(*c) / lit(MICRO)).alias(*c))
            .collect::<Vec<_>>(),
    );
    let gross_margin = col("net_revenue")
        - col("refunds")
        - (col("__cogs") - col("__cogs_returned")).clip(lit(0.0), lit(f64::INFINITY));
    let mut derived = vec![
        when(col("net_revenue").gt(lit(0.0)))
            .then(col("refunds") / col("net_revenue"))
            .otherwise(null_f64())
            .alias("return_rate_value"),
        when(col("__items").gt(lit(0.0)))
            .then(col("__returned_items") / col("__items"))
            .otherwise(null_f64())
            .alias("return_rate_items"),
        gross_margin.clone().alias("gross_margin"),
        (gross_margin - col("return_handling_cost")).alias("contribution_profit"),
    ];
    for (n, e) in share_cols {
        derived.push(
            when(col("net_revenue").gt(lit(0.0)))
                .then(e.fill_null(lit(0.0)))
                .otherwise(null_f64())
                .alias(n.as_str()),
        );
    }
    table = table.with_columns(derived);

    // Browsing.
    if let Some(b) = &inputs.browsing {
        let sessions = b.sessions.clone().lazy().select([
            col("customer_id"),
            col("sessions").cast(DataType::Float64),
            col("cart_sessions").cast(DataType::Float64).alias("__sc"),
            col("cart_purchase_sessions")
                .cast(DataType::Float64)
                .alias("__scp"),
            col("view_sessions").cast(DataType::Float64).alias("__sv"),
            col("view_purchase_sessions")
                .cast(DataType::Float64)
                .alias("__svp"),
        ]);
        let count = |c: &str| col(c).cast(DataType::Float64);
        let mut sel = vec![
            col("customer_id"),
            count("events").alias("events"),
            count("product_views").alias("product_views"),
            count("cart_adds").alias("cart_adds"),
            count("searches").alias("searches"),
            days(col("last_ts").cast(crate::ingest::parse::ts_type())).alias("__last_visit"),
        ];
        if b.has_dwell {
            sel.push(
                when(col("dwell_n").gt(lit(0u32)))
                    .then(col("dwell_sum") / col("dwell_n").cast(DataType::Float64))
                    .otherwise(null_f64())
                    .alias("mean_dwell_seconds"),
            );
        } else {
            sel.push(null_f64().alias("mean_dwell_seconds"));
        }
        let mut view_cats = Vec::new();
        let mut per_customer = b.customers.clone().lazy().select(sel);
        if let Some(cv) = &b.category_views {
            let top = pick_levels(
                cv.clone().lazy(),
                "category",
                col("views").sum(),
                opts.top_categories,
                wanted,
                "category_view_share_",
            )?;
            let mut cat_aggs = Vec::new();
            for level in &top {
                let name = unique_name(&specs, &format!("category_view_share_{}", slug(level)));
                cat_aggs.push(
                    col("views")
                        .filter(col("category").eq(lit(level.clone())))
                        .sum()
                        .cast(DataType::Float64)
                        .alias(name.as_str()),
                );
                view_cats.push(name);
            }
            let in_top = col("category")
                .is_in(
                    lit(Series::new("".into(), top.clone())).implode(false),
                    false,
                )
                .fill_null(lit(false));
            let other = unique_name(&specs, "category_view_share_other");
            cat_aggs.push(
                col("views")
                    .filter(in_top.not())
                    .sum()
                    .cast(DataType::Float64)
                    .alias(other.as_str()),
            );
            view_cats.push(other);
            let per_cat = cv
                .clone()
                .lazy()
                .group_by_stable([col("customer_id")])
                .agg(cat_aggs);
            per_customer = per_customer.join(
                per_cat,
                [col("customer_id")],
                [col("customer_id")],
                JoinArgs::new(JoinType::Left),
            );
        }
        let per_customer = per_customer.join(
            sessions,
            [col("customer_id")],
            [col("customer_id")],
            JoinArgs::new(JoinType::Left),
        );
        table = table.left_join(per_customer, col("customer_id"), col("customer_id"));
        let zero = [
            "sessions",
            "events",
            "product_views",
            "cart_adds",
            "searches",
        ];
        let mut cols: Vec<Expr> = zero.iter().map(|c| col(*c).fill_null(lit(0.0))).collect();
        cols.push(
            when(col("__sc").gt(lit(0.0)))
                .then(col("__scp") / col("__sc"))
                .otherwise(null_f64())
                .alias("cart_to_purchase"),
        );
        cols.push(
            when(col("__sv").gt(lit(0.0)))
                .then(col("__svp") / col("__sv"))
                .otherwise(null_f64())
                .alias("view_to_purchase"),
        );
        cols.push(
            (lit(today) - col("__last_visit"))
                .cast(DataType::Float64)
                .alias("days_since_last_visit"),
        );
        for n in &view_cats {
            cols.push(
                when(col("product_views").gt(lit(0.0)))
                    .then(col(n.as_str()).fill_null(lit(0.0)) / col("product_views"))
                    .otherwise(null_f64())
                    .alias(n.as_str()),
            );
        }
        // product_views must be filled before the shares use it.
        table = table
            .with_column(col("product_views").fill_null(lit(0.0)))
            .with_columns(cols);
        specs.extend(fixed(BROWSING, Group::Browsing));
        for n in view_cats {
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
    if let Some(sv) = &inputs.survey {
        let mut sel = vec![col("customer_id")];
        let mut answered = lit(false);
        for item in &inputs.survey_items {
            let name = unique_name(&specs, &format!("survey_{}", slug(item)));
            sel.push(col(item.as_str()).alias(name.as_str()));
            answered = answered.or(col(item.as_str()).is_not_null());
            specs.push(
                FeatureSpec::new(
                    name,
                    Group::Psychographic,
                    Kind::Score,
                    format!("answer to survey item `{item}`"),
                )
                .with_scale(inputs.survey_scales.get(item).copied()),
            );
        }
        for (factor, items) in &inputs.survey_factors {
            let name = unique_name(&specs, &format!("factor_{}", slug(factor)));
            let parts: Vec<Expr> = items.iter().map(|i| col(i.as_str())).collect();
            sel.push(
                polars::lazy::dsl::mean_horizontal(parts, true)
                    .ctx("averaging survey factors")?
                    .alias(name.as_str()),
            );
            let scale = factor_scale(items, &inputs.survey_scales);
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
                .with_scale(scale),
            );
        }
        sel.push(answered.cast(DataType::Float64).alias("survey_answered"));
        table = table.left_join(
            sv.clone().lazy().select(sel),
            col("customer_id"),
            col("customer_id"),
        );
        table = table.with_column(col("survey_answered").fill_null(lit(0.0)));
        specs.push(FeatureSpec::new(
            "survey_answered",
            Group::Psychographic,
            Kind::Indicator,
            "1 if the customer answered at least one survey item, else 0",
        ));
    }

    // Demographics.
    if let Some(c) = &inputs.customers {
        let mut sel = vec![
            col("customer_id"),
            col("age"),
            col("gender"),
            col("country"),
            col("region"),
            (lit(today) - days(col("signup")))
                .cast(DataType::Float64)
                .alias("signup_tenure_days"),
        ];
        sel.extend(
            inputs
                .customer_attributes
                .iter()
                .map(|s| col(s.name.as_str())),
        );
        table = table.left_join(
            c.clone().lazy().select(sel),
            col("customer_id"),
            col("customer_id"),
        );
        specs.extend(fixed(DEMOGRAPHIC, Group::Demographic));
        specs.extend(inputs.customer_attributes.iter().cloned());
    }

    // A model's share features that this batch has no level for: a share of 0.
    if let Some(w) = wanted {
        for name in w {
            let Some((prefix, base)) = SHARES.iter().find(|(p, _)| name.starts_with(p)) else {
                continue;
            };
            let has_base = specs.iter().any(|s| s.name == *base);
            if specs.iter().any(|s| s.name == *name) || !has_base {
                continue;
            }
            table = table.with_column(
                when(col(*base).gt(lit(0.0)))
                    .then(lit(0.0))
                    .otherwise(null_f64())
                    .alias(name.as_str()),
            );
            let group = if *prefix == "category_view_share_" {
                Group::Browsing
            } else {
                Group::Behaviour
            };
            specs.push(FeatureSpec::new(
                name.clone(),
                group,
                Kind::Rate,
                "a level of the model that this batch has no row of: 0",
            ));
        }
    }
    let mut out = vec![col("customer_id")];
    out.extend(specs.iter().map(|s| col(s.name.as_str())));
    let table = table.select(out).collect().ctx("building features")?;
    // Drop feature columns that are entirely missing (e.g. dwell not mapped).
    let mut keep = vec!["customer_id".to_string()];
    let mut kept_specs = Vec::new();
    for s in specs {
        let c = table.column(&s.name).ctx("building features")?;
        if c.null_count() < c.len() {
            keep.push(s.name.clone());
            kept_specs.push(s);
        }
    }
    let table = table.select(keep).ctx("building features")?;
    Ok(Features {
        table,
        specs: kept_specs,
        sources,
        as_of,
    })
}

/// The formula of the category share feature `name` (`category_share_<level>`).
pub fn category_formula(name: &str) -> String {
    let level = name.trim_start_matches("category_share_");
    if level == "other" {
        "Σ paid outside the top categories (or without a category) / net_revenue; missing without orders".into()
    } else {
        format!("Σ paid in category `{level}` / net_revenue; missing without orders")
    }
}

/// A survey factor's answer scale: its items' when they all share one (and have one).
pub fn factor_scale(
    items: &[String],
    scales: &std::collections::BTreeMap<String, [f64; 2]>,
) -> Option<[f64; 2]> {
    let mut it = items.iter().map(|i| scales.get(i).copied());
    let first = it.next()?;
    it.all(|s| s == first).then_some(first).flatten()
}

/// `name`, or `name_2`, `name_3`, ... if a feature of that name exists already.
pub fn unique_name(specs: &[FeatureSpec], name: &str) -> String {
    let taken = |n: &str| specs.iter().any(|s| s.name == n);
    if !taken(name) {
        return name.to_string();
    }
    (2..)
        .map(|i| format!("{name}_{i}"))
        .find(|n| !taken(n))
        .expect("a free name")
}
