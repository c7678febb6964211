//! The feature catalog: every feature's group, kind and formula. `docs/features.md` is
//! generated from it (`segmint features --catalog`), so the documentation cannot drift.

use serde::{Deserialize, Serialize};

/// The four classic segmentation groups (returns and profit belong to behaviour).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Group {
    /// Purchases, returns and profit.
    Behaviour,
    /// Browsing events.
    Browsing,
    /// Survey answers.
    Psychographic,
    /// Age, gender, country, region, sign-up tenure.
    Demographic,
}

/// What kind of values a feature holds; decides how prepare transforms it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// Money, heavy-tailed and possibly negative: signed log1p.
    Money,
    /// A count, heavy-tailed: log1p.
    Count,
    /// Days: log1p (recency and tenure are skewed).
    Days,
    /// A share or rate, in [0, 1].
    Rate,
    /// A survey answer or factor on its scale.
    Score,
    /// Age in years.
    Years,
    /// 0 or 1.
    Indicator,
    /// Text levels, one-hot encoded by prepare.
    Categorical,
    /// An ordered level as a number: its position in the declared levels, or a band's
    /// midpoint (customer attributes).
    Ordinal,
    /// A number as given (customer attributes).
    Number,
}

impl Kind {
    /// Whether prepare applies a log transform.
    pub fn heavy_tailed(self) -> bool {
        matches!(self, Kind::Money | Kind::Count | Kind::Days)
    }
}

/// One feature.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeatureSpec {
    /// Column name in features.parquet.
    pub name: String,
    /// Group.
    pub group: Group,
    /// Kind.
    pub kind: Kind,
    /// Formula, in words.
    pub formula: String,
    /// Ordinal features: the value each level takes and the level as the client's file
    /// writes it (a declared level's position, a band's midpoint), lowest first, so that
    /// profiles can show the composition by level.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub levels: Vec<LevelLabel>,
    /// Survey items and factors: the answer scale `[min, max]` of the mapping (a factor's
    /// when all its items share one), so that reports can show a score with its scale.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scale: Option<[f64; 2]>,
}

/// A level of an ordinal feature: its value in the feature table and its label.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LevelLabel {
    /// The value in the feature table.
    pub value: f64,
    /// The level as written in the client's file.
    pub label: String,
}

impl FeatureSpec {
    /// A feature without levels.
    pub fn new(
        name: impl Into<String>,
        group: Group,
        kind: Kind,
        formula: impl Into<String>,
    ) -> Self {
        FeatureSpec {
            name: name.into(),
            group,
            kind,
            formula: formula.into(),
            levels: Vec::new(),
            scale: None,
        }
    }

    /// This spec with the answer scale of a survey item or factor.
    pub fn with_scale(mut self, scale: Option<[f64; 2]>) -> Self {
        self.scale = scale;
        self
    }

    /// This spec with the labels of its ordinal levels.
    pub(crate) fn with_levels(mut self, levels: Vec<LevelLabel>) -> Self {
        self.levels = levels;
        self
    }
}

use Kind::*;

/// Fixed behaviour features (purchases).
pub const BEHAVIOUR: &[(&str, Kind, &str)] = &[
    ("recency_days", Days, "as_of − date of the last order, in days; missing without orders"),
    ("frequency", Count, "number of distinct orders"),
    ("tenure_days", Days, "as_of − date of the first order, in days; missing without orders"),
    ("net_revenue", Money, "Σ amount paid over purchase lines (after discounts, before returns)"),
    ("aov", Money, "net_revenue / frequency; missing without orders"),
    ("items_per_order", Count, "Σ quantity bought / frequency; missing without orders"),
    ("interpurchase_mean_days", Days, "mean of the days between consecutive orders = (last − first) / (orders − 1); missing below 2 orders"),
    ("interpurchase_std_days", Days, "population standard deviation (ddof 0) of the days between consecutive orders; missing below 2 orders"),
    ("discount_order_share", Rate, "orders with any discount / orders; missing without orders"),
    ("discount_depth", Rate, "mean over discounted orders of order discount / order gross amount; 0 when no order had a discount; missing without orders"),
    ("holiday_order_share", Rate, "orders placed in November or December / orders; missing without orders"),
    ("weekend_order_share", Rate, "orders placed on Saturday or Sunday / orders; missing without orders"),
];

/// Fixed return and profit features.
pub const RETURNS: &[(&str, Kind, &str)] = &[
    ("return_rate_value", Rate, "refunds / net_revenue; missing when net_revenue is 0"),
    ("return_rate_items", Rate, "items returned / items bought; missing when no item was bought"),
    ("returned_orders", Count, "distinct orders with at least one return"),
    ("refunds", Money, "Σ refunded amount (refund column, else returned quantity × price paid)"),
    ("return_handling_cost", Money, "Σ handling cost of returns; per returned order without a handling cost in the data, the configured [features] return_handling_cost"),
    ("gross_margin", Money, "net_revenue − refunds − cost of goods kept (cost of goods bought − cost of goods returned)"),
    ("contribution_profit", Money, "return-adjusted contribution profit = net_revenue − refunds − cost of goods kept − return_handling_cost"),
];

/// Fixed browsing features.
pub const BROWSING: &[(&str, Kind, &str)] = &[
    ("sessions", Count, "distinct session ids"),
    ("events", Count, "number of events"),
    ("product_views", Count, "events of type view"),
    ("cart_adds", Count, "events of type cart"),
    ("searches", Count, "events of type search"),
    ("cart_to_purchase", Rate, "sessions with a cart add and a purchase / sessions with a cart add; missing without cart adds"),
    ("view_to_purchase", Rate, "sessions with a view and a purchase / sessions with a view; missing without views"),
    ("mean_dwell_seconds", Count, "mean dwell seconds over events that have one"),
    ("days_since_last_visit", Days, "as_of − date of the last event, in days; missing without events"),
];

/// Fixed demographic features.
pub const DEMOGRAPHIC: &[(&str, Kind, &str)] = &[
    ("age", Years, "year of as_of − birth year, else the age column"),
    ("gender", Categorical, "female / male / other, from common spellings in English and the Nordic languages"),
    ("country", Categorical, "country as given, upper-cased"),
    ("region", Categorical, "region as given, else country + the first [features] postcode_digits characters of the postcode"),
    ("signup_tenure_days", Days, "as_of − sign-up date, in days"),
];

/// The specs of a fixed list of features, in `group`.
pub fn fixed(list: &[(&str, Kind, &str)], group: Group) -> Vec<FeatureSpec> {
    list.iter()
        .map(|(n, k, f)| FeatureSpec::new(*n, group, *k, *f))
        .collect()
}

/// A catalog section: title, fixed features, families of data-dependent features.
type Section = (
    &'static str,
    &'static [(&'static str, Kind, &'static str)],
    &'static [(&'static str, &'static str, &'static str)],
);

/// The catalog as Markdown, including the families whose names depend on the data.
pub fn markdown() -> String {
    let mut out = String::from(
        "# Feature catalog\n\n\
         One row per customer. `as_of` is the reference date (the mapping's `as_of`, else the latest \
         date in the data). Day counts are whole calendar days. Money is in the data's currency. \
         *Missing* values are imputed by prepare (median, with a missing indicator).\n\n\
         This file is generated by `segmint catalog`; do not edit it by hand.\n",
    );
    let sections: [Section; 4] = [
        ("Behaviour", BEHAVIOUR, &[
            ("category_share_<category>", "rate", "Σ paid in the category / net_revenue, for the top [features] top_categories categories by total spend; the rest (and lines without a category) as `category_share_other`; missing without orders"),
            ("channel_share_<channel>", "rate", "orders whose first line has the channel / orders (top channels by orders, rest as `other`); missing without orders"),
        ]),
        ("Returns and profit (behaviour group)", RETURNS, &[]),
        ("Browsing", BROWSING, &[
            ("category_view_share_<category>", "rate", "views in the category / views, for the top [features] top_categories viewed categories, rest as `other`; missing without views"),
        ]),
        ("Demographic and geographic", DEMOGRAPHIC, &[
            ("attr_<name>", "categorical", "a `[customers.attributes]` entry of kind `categorical`: the column's text as written (trimmed); one-hot encoded by prepare, levels held by fewer than [features] rare_level_share of customers pooled into `other`; profiles show each level's share per segment against all customers"),
            ("attr_<name>", "ordinal", "an entry of kind `ordinal` with `levels`: the value's position in them (1 = the first, lowest level); without `levels`: the band's midpoint, (lo + hi) / 2 (\"35-44\" = 39.5, \"50-74K\" = 62000, a single number is itself), and an open band (\"65+\", \"Under 15K\", \"<25\") lies half the width (hi − lo) of the nearest closed band beyond its bound (\"65+\" next to \"55-64\" = 69.5; the bound itself if the column has no closed band); values listed in `missing` are missing"),
            ("attr_<name>", "number", "an entry of kind `numeric`: the column as a number, read with the table's decimal and thousands separators"),
        ]),
    ];
    for (title, list, families) in sections {
        out.push_str(&format!(
            "\n## {title}\n\n| feature | kind | formula |\n|---|---|---|\n"
        ));
        for (n, k, f) in list {
            out.push_str(&format!("| `{n}` | {} | {f} |\n", kind_name(*k)));
        }
        for (n, k, f) in families {
            out.push_str(&format!("| `{n}` | {k} | {f} |\n"));
        }
    }
    out.push_str(
        "\n## Psychographic\n\n| feature | kind | formula |\n|---|---|---|\n\
         | `survey_<item>` | score | the answer to the item, on its declared scale; missing if not answered |\n\
         | `factor_<name>` | score | mean of the answered items of a `[survey.factors]` group; missing if none answered |\n\
         | `survey_answered` | indicator | 1 if the customer has a survey row with at least one answer, else 0 |\n",
    );
    out
}

fn kind_name(k: Kind) -> &'static str {
    match k {
        Money => "money",
        Count => "count",
        Days => "days",
        Rate => "rate",
        Score => "score",
        Years => "years",
        Indicator => "indicator",
        Categorical => "categorical",
        Ordinal => "ordinal",
        Number => "number",
    }
}

/// The kind of a fixed catalog feature (behaviour, returns, browsing, demographic); `None` for
/// the features made per shop (category and channel shares, survey items, attributes).
pub fn kind_of(name: &str) -> Option<Kind> {
    [BEHAVIOUR, RETURNS, BROWSING, DEMOGRAPHIC]
        .iter()
        .flat_map(|list| list.iter())
        .find(|(n, _, _)| *n == name)
        .map(|&(_, kind, _)| kind)
}

/// The feature that counts the trials behind a rate feature (orders, views, sessions), for
/// prepare's shrinking of rates observed on few trials; `None` for rates that are not shares
/// of counted trials (e.g. `discount_depth`) and for other kinds. Spend shares
/// (`category_share_*`, `return_rate_value`) are not proportions of orders; their number of
/// orders stands in for how much evidence they rest on, and where their spread is wider than
/// a beta allows the prior's strength comes out 0 (no shrinking).
pub fn trials_of(name: &str) -> Option<&'static str> {
    const BY_ORDERS: [&str; 5] = [
        "discount_order_share",
        "holiday_order_share",
        "weekend_order_share",
        "return_rate_items",
        "return_rate_value",
    ];
    if BY_ORDERS.contains(&name)
        || name.starts_with("channel_share_")
        || name.starts_with("category_share_")
    {
        Some("frequency")
    } else if name.starts_with("category_view_share_") {
        Some("product_views")
    } else if name == "cart_to_purchase" || name == "view_to_purchase" {
        Some("sessions")
    } else {
        None
    }
}

/// The feature every row of the structure test's trait reference keeps in place and is
/// grouped by ([`family`]).
pub const ORDER_COUNT: &str = "frequency";

/// The family of traits a feature belongs to: features computed from the same facts (the
/// dates of the orders, their amounts, the returns, the browsing events, the survey answers)
/// share a family, since they move together in every shop by construction (tenure − recency
/// is the inter-purchase time × (orders − 1); a refund lowers the margin). The structure
/// test's reference shuffles whole families among customers with the same number of orders,
/// so that what one fact implies for the features computed from it is kept and only the
/// links between facts are broken. A feature of no listed family is a family of its own.
pub fn family(name: &str) -> &str {
    const FAMILIES: [(&str, &[&str]); 4] = [
        (
            "order_timing",
            &[
                "recency_days",
                "tenure_days",
                "interpurchase_mean_days",
                "interpurchase_std_days",
            ],
        ),
        (
            "spend",
            &[
                "net_revenue",
                "aov",
                "items_per_order",
                "gross_margin",
                "contribution_profit",
            ],
        ),
        ("discounts", &["discount_order_share", "discount_depth"]),
        (
            "returns",
            &[
                "return_rate_value",
                "return_rate_items",
                "returned_orders",
                "refunds",
                "return_handling_cost",
            ],
        ),
    ];
    const PREFIXES: [(&str, &str); 5] = [
        ("category_share_", "category_shares"),
        ("channel_share_", "channel_shares"),
        ("category_view_share_", "category_view_shares"),
        ("survey_", "survey"),
        ("factor_", "survey"),
    ];
    // The browsing activity: every browsing feature but the date of the last visit.
    let browsing = name != "days_since_last_visit" && BROWSING.iter().any(|(n, _, _)| *n == name);
    FAMILIES
        .iter()
        .find(|(_, members)| members.contains(&name))
        .map(|(f, _)| *f)
        .or(browsing.then_some("browsing"))
        .or_else(|| {
            PREFIXES
                .iter()
                .find(|(p, _)| name.starts_with(p))
                .map(|(_, f)| *f)
        })
        .unwrap_or(name)
}

pub use crate::text::column_slug as slug;

#[cfg(test)]
mod tests {
    use super::*;

    /// Features from the same facts share a family; the rest are their own.
    #[test]
    fn families_by_hand() {
        for (feature, fam) in [
            ("recency_days", "order_timing"),
            ("interpurchase_std_days", "order_timing"),
            ("aov", "spend"),
            ("contribution_profit", "spend"),
            ("discount_depth", "discounts"),
            ("refunds", "returns"),
            ("return_rate_items", "returns"),
            ("view_to_purchase", "browsing"),
            ("category_share_shoes", "category_shares"),
            ("channel_share_app", "channel_shares"),
            ("category_view_share_shoes", "category_view_shares"),
            ("survey_answered", "survey"),
            ("factor_price", "survey"),
            ("holiday_order_share", "holiday_order_share"),
            ("days_since_last_visit", "days_since_last_visit"),
            ("attr_income", "attr_income"),
            ("frequency", "frequency"),
        ] {
            assert_eq!(family(feature), fam, "{feature}");
        }
    }

    #[test]
    fn slugs_are_ascii() {
        assert_eq!(slug("Skjønnhet"), "skjonnhet");
        assert_eq!(slug("Hjem & Hage"), "hjem_hage");
        assert_eq!(slug("  "), "blank");
    }
}
