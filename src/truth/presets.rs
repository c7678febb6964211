//! The truth bench's shops.
//!
//! Every preset is a [`Preset`]: a dialect (how the files are written), the tables it has, a
//! catalogue of six categories with price ranges, and the planted segments, built from a few
//! behaviour archetypes below with preset-specific changes. The archetypes are this module's
//! own; they are not the demo's segments.
//!
//! | Preset | Customers | Planted | Sizes | Tables | Files |
//! |---|---|---|---|---|---|
//! | `apparel7` | 6 000 | 7 incl. 9 % serial returners | 9–20 % | all, with cost | Swedish names, `;`, decimal comma |
//! | `marketplace9` | 8 000 | 9 incl. 11 % serial returners | 4–18 % | all, with cost | English names, `,` |
//! | `grocery5` | 2 000 | 5 (weekly baskets, most orders discounted) | 15–30 % | transactions only, no cost | grocery panel, amount paid per line |
//! | `electronics4` | 5 000 | 4 | 10–40 % | no browsing, no survey | Shopify-like, refunds on the line |
//! | `overlap6` | 6 000 | 6 overlapping | 12–22 % | all, no cost | English names |
//! | `minimal3` | 5 000 | 3 | 20–45 % | one line per order only | tab-separated, `YYYYMMDD`, no order id |
//! | `survey15` | 5 000 | 5, survey answered by 15 % | 10–30 % | no profiles, no cost | English names, long survey |
//! | `survey60` | 5 000 | 6, survey answered by 60 % | 10–20 % | no browsing | Swedish names, `;`, decimal comma |
//! | `uniform` | 5 000 | 1 (no cluster structure) | 100 % | all, with cost | English names |
//! | `oneoff` | 5 000 | 1 (no cluster structure; a third buy only once) | 100 % | transactions and profiles, no cost | Shopify-like, refunds on the line |

use chrono::NaiveDate;

use super::{Dialect, SegmentSpec, Span, Tables};
use crate::error::{Error, Result};

/// A planted shop: its files' dialect, tables, catalogue and segments.
#[derive(Debug, Clone, PartialEq)]
pub struct Preset {
    /// Short name (`apparel7`, ...).
    pub name: &'static str,
    /// One line on what sets the shop apart.
    pub description: &'static str,
    /// Customers to generate.
    pub customers: usize,
    /// Reference date (`YYYY-MM-DD`), written into the mapping.
    pub as_of: &'static str,
    /// The currency of the shop's amounts (ISO 4217), written into the mapping when set.
    pub currency: Option<&'static str>,
    /// Column names, delimiters and conventions of the files.
    pub dialect: Dialect,
    /// Which tables the shop has.
    pub tables: Tables,
    /// Categories: name and the price range of their products.
    pub categories: Vec<(&'static str, f64, f64)>,
    /// Countries of the customers table and their weights (the same for every segment).
    pub countries: Vec<(&'static str, f64)>,
    /// The planted segments.
    pub segments: Vec<SegmentSpec>,
    /// Chance that a customer takes one group of traits (orders, timing, basket, categories,
    /// channels, discounts, returns, season, browsing, survey, demographics) from another
    /// segment instead of its own.
    pub blur: f64,
}

impl Preset {
    /// The same preset with another number of customers.
    pub fn with_customers(mut self, customers: usize) -> Preset {
        self.customers = customers;
        self
    }

    /// Number of planted segments.
    pub fn planted_k(&self) -> usize {
        self.segments.len()
    }

    /// Whether the shop has cluster structure (more than one planted segment).
    pub fn structured(&self) -> bool {
        self.segments.len() > 1
    }

    /// Expected share of customers who answer the survey (0 without a survey).
    pub fn survey_share(&self) -> f64 {
        if !self.tables.survey {
            return 0.0;
        }
        self.segments
            .iter()
            .map(|s| s.share * s.survey_response)
            .sum()
    }

    /// Share of customers in serial-returner segments.
    pub fn returner_share(&self) -> f64 {
        self.segments
            .iter()
            .filter(|s| s.serial_returner)
            .map(|s| s.share)
            .sum()
    }

    /// The reference date.
    pub fn as_of_date(&self) -> Result<NaiveDate> {
        NaiveDate::parse_from_str(self.as_of, "%Y-%m-%d").map_err(|_| {
            Error::Data(format!(
                "preset {}: as_of {:?} is not YYYY-MM-DD",
                self.name, self.as_of
            ))
        })
    }

    /// Checks that shares add up to 1, weights fit the catalogue and every segment gets
    /// members.
    pub fn validate(&self) -> Result<()> {
        let bad = |m: String| Err(Error::Data(format!("preset {}: {m}", self.name)));
        self.as_of_date()?;
        if self.segments.is_empty() {
            return bad("no segments".into());
        }
        let total: f64 = self.segments.iter().map(|s| s.share).sum();
        if (total - 1.0).abs() > 1e-9 {
            return bad(format!("the segment shares add up to {total}, not 1"));
        }
        if self.categories.is_empty() || self.categories.len() > 250 {
            return bad("needs 1 to 250 categories".into());
        }
        if self.countries.is_empty() {
            return bad("needs at least one country".into());
        }
        for s in &self.segments {
            if s.share <= 0.0 || (s.share * self.customers as f64) < 1.0 {
                return bad(format!(
                    "segment {} gets no customers with {} customers; ask for more",
                    s.name, self.customers
                ));
            }
            if s.categories.len() != self.categories.len() || s.categories.iter().all(|w| *w <= 0.0)
            {
                return bad(format!(
                    "segment {}: one positive category weight per category",
                    s.name
                ));
            }
            if s.channels.len() != 3 || s.channels.iter().all(|w| *w <= 0.0) {
                return bad(format!(
                    "segment {}: three channel weights, not all 0",
                    s.name
                ));
            }
            if s.survey_means.len() != 5 {
                return bad(format!("segment {}: five survey means", s.name));
            }
            let spans = [
                s.orders,
                s.tenure_days,
                s.recency_days,
                s.order_value,
                s.lines,
                s.discount_share,
                s.discount_depth,
                s.return_rate,
                s.sessions,
                s.events_per_session,
                s.dwell_seconds,
                s.age,
            ];
            if spans
                .iter()
                .any(|(lo, hi)| lo.partial_cmp(hi).is_none_or(|o| o.is_gt()) || *lo < 0.0)
            {
                return bad(format!("segment {}: a range is empty or negative", s.name));
            }
            if s.order_value.0 <= 0.0 || s.orders.0 < 0.5 || s.lines.0 < 0.5 {
                return bad(format!(
                    "segment {}: order value, orders and lines must be positive",
                    s.name
                ));
            }
        }
        if !(0.0..=1.0).contains(&self.blur) {
            return bad(format!("blur {} is not in [0, 1]", self.blur));
        }
        if self.dialect == Dialect::Tabbed && (self.tables.returns || self.tables.cost) {
            return bad("the tabbed dialect has no returns and no cost".into());
        }
        if self.tables.survey_long && !self.tables.survey {
            return bad("survey_long without a survey".into());
        }
        Ok(())
    }
}

/// Names of every preset, in bench order.
pub const NAMES: [&str; 10] = [
    "apparel7",
    "marketplace9",
    "grocery5",
    "electronics4",
    "overlap6",
    "minimal3",
    "survey15",
    "survey60",
    "uniform",
    "oneoff",
];

/// Every preset, in bench order.
pub fn all() -> Vec<Preset> {
    NAMES
        .iter()
        .map(|n| by_name(n).expect("listed preset"))
        .collect()
}

/// A preset by name.
pub fn by_name(name: &str) -> Option<Preset> {
    Some(match name {
        "apparel7" => apparel7(),
        "marketplace9" => marketplace9(),
        "grocery5" => grocery5(),
        "electronics4" => electronics4(),
        "overlap6" => overlap6(),
        "minimal3" => minimal3(),
        "survey15" => survey15(),
        "survey60" => survey60(),
        "uniform" => uniform(),
        "oneoff" => oneoff(),
        _ => return None,
    })
}

const ALL_TABLES: Tables = Tables {
    returns: true,
    events: true,
    survey: true,
    survey_long: false,
    customers: true,
    cost: true,
};
const ONLY_TRANSACTIONS: Tables = Tables {
    returns: false,
    events: false,
    survey: false,
    survey_long: false,
    customers: false,
    cost: false,
};

fn nordic_countries() -> Vec<(&'static str, f64)> {
    vec![("SE", 55.0), ("NO", 20.0), ("DK", 15.0), ("FI", 10.0)]
}
fn english_countries() -> Vec<(&'static str, f64)> {
    vec![
        ("GB", 45.0),
        ("IE", 10.0),
        ("DE", 20.0),
        ("NL", 15.0),
        ("FR", 10.0),
    ]
}

/// A middle-of-the-road customer: the archetypes change what sets them apart.
fn base(name: &'static str, share: f64) -> SegmentSpec {
    SegmentSpec {
        name,
        share,
        serial_returner: false,
        orders: (2.0, 6.0),
        tenure_days: (200.0, 900.0),
        recency_days: (20.0, 300.0),
        regularity: 0.2,
        order_value: (60.0, 160.0),
        lines: (1.0, 3.0),
        categories: vec![1.0; 6],
        channels: vec![6.0, 3.0, 1.0],
        discount_share: (0.1, 0.35),
        discount_depth: (0.1, 0.2),
        return_rate: (0.03, 0.12),
        holiday_share: 0.0,
        sessions: (2.0, 10.0),
        events_per_session: (2.0, 6.0),
        cart_rate: 0.1,
        dwell_seconds: (20.0, 60.0),
        survey_response: 0.3,
        survey_means: vec![3.0; 5],
        age: (25.0, 60.0),
        female: 0.5,
    }
}

/// Many recent orders over years, larger baskets, few discounts and returns.
fn loyal_core(share: f64) -> SegmentSpec {
    SegmentSpec {
        orders: (10.0, 24.0),
        tenure_days: (500.0, 1050.0),
        recency_days: (2.0, 40.0),
        regularity: 0.5,
        order_value: (120.0, 260.0),
        lines: (2.0, 4.0),
        categories: vec![3.0, 2.0, 2.0, 1.0, 1.0, 1.0],
        channels: vec![5.0, 4.0, 1.0],
        discount_share: (0.0, 0.15),
        discount_depth: (0.1, 0.15),
        return_rate: (0.02, 0.08),
        sessions: (15.0, 40.0),
        cart_rate: 0.15,
        survey_response: 0.5,
        survey_means: vec![2.0, 4.3, 3.3, 4.0, 3.0],
        age: (38.0, 62.0),
        ..base("loyal_core", share)
    }
}

/// Orders almost only with deep discounts, small baskets of cheap items.
fn deal_chasers(share: f64) -> SegmentSpec {
    SegmentSpec {
        orders: (5.0, 12.0),
        tenure_days: (300.0, 900.0),
        recency_days: (5.0, 90.0),
        order_value: (40.0, 110.0),
        lines: (2.0, 5.0),
        categories: vec![1.0, 1.0, 3.0, 1.0, 3.0, 1.0],
        channels: vec![5.0, 5.0, 0.5],
        discount_share: (0.75, 1.0),
        discount_depth: (0.25, 0.5),
        return_rate: (0.04, 0.12),
        sessions: (10.0, 30.0),
        events_per_session: (3.0, 8.0),
        survey_response: 0.35,
        survey_means: vec![4.6, 2.0, 2.8, 3.0, 3.2],
        age: (22.0, 45.0),
        female: 0.6,
        ..base("deal_chasers", share)
    }
}

/// High order values, mostly fashion, 85–97 % of lines sent back.
fn serial_returners(share: f64) -> SegmentSpec {
    SegmentSpec {
        serial_returner: true,
        orders: (6.0, 15.0),
        tenure_days: (250.0, 900.0),
        recency_days: (3.0, 45.0),
        order_value: (200.0, 450.0),
        lines: (3.0, 6.0),
        categories: vec![5.0, 4.0, 1.0, 1.0, 0.5, 0.2],
        channels: vec![7.0, 3.0, 0.2],
        discount_share: (0.05, 0.25),
        return_rate: (0.85, 0.97),
        sessions: (15.0, 40.0),
        cart_rate: 0.25,
        survey_means: vec![2.8, 2.8, 2.2, 3.4, 4.6],
        age: (20.0, 38.0),
        female: 0.75,
        ..base("serial_returners", share)
    }
}

/// One order, any time in the last years, little browsing.
fn first_timers(share: f64) -> SegmentSpec {
    SegmentSpec {
        orders: (1.0, 1.0),
        tenure_days: (30.0, 900.0),
        recency_days: (30.0, 900.0),
        order_value: (40.0, 140.0),
        lines: (1.0, 2.0),
        channels: vec![7.0, 2.0, 1.0],
        discount_share: (0.2, 0.6),
        discount_depth: (0.1, 0.25),
        return_rate: (0.02, 0.15),
        sessions: (0.0, 3.0),
        events_per_session: (1.0, 4.0),
        survey_response: 0.15,
        survey_means: vec![3.4, 2.4, 3.0, 3.0, 2.8],
        ..base("first_timers", share)
    }
}

/// First order in the last two and a half months.
fn newcomers(share: f64) -> SegmentSpec {
    SegmentSpec {
        orders: (1.0, 3.0),
        tenure_days: (5.0, 75.0),
        recency_days: (1.0, 40.0),
        order_value: (70.0, 180.0),
        lines: (1.0, 3.0),
        channels: vec![4.0, 6.0, 0.5],
        sessions: (4.0, 14.0),
        survey_means: vec![3.0, 2.6, 3.4, 3.6, 3.6],
        age: (20.0, 40.0),
        ..base("newcomers", share)
    }
}

/// Bought a few times, nothing in the last year or more.
fn dormant(share: f64) -> SegmentSpec {
    SegmentSpec {
        orders: (2.0, 7.0),
        tenure_days: (600.0, 1050.0),
        recency_days: (380.0, 800.0),
        order_value: (60.0, 170.0),
        channels: vec![4.0, 1.0, 5.0],
        sessions: (0.0, 1.0),
        survey_response: 0.2,
        survey_means: vec![3.3, 2.6, 3.0, 2.6, 2.4],
        age: (40.0, 75.0),
        ..base("dormant", share)
    }
}

/// Buys in November and December, gifts, Black-Friday discounts.
fn holiday_gifters(share: f64) -> SegmentSpec {
    SegmentSpec {
        orders: (2.0, 5.0),
        tenure_days: (300.0, 1050.0),
        recency_days: (30.0, 400.0),
        order_value: (150.0, 350.0),
        lines: (2.0, 5.0),
        categories: vec![1.0, 1.0, 1.0, 4.0, 3.0, 1.0],
        discount_share: (0.3, 0.6),
        discount_depth: (0.15, 0.3),
        holiday_share: 0.9,
        sessions: (3.0, 12.0),
        survey_means: vec![3.2, 3.0, 3.0, 3.8, 2.6],
        age: (35.0, 65.0),
        ..base("holiday_gifters", share)
    }
}

/// Browses a lot with long visits, buys once or twice, cheaply.
fn window_shoppers(share: f64) -> SegmentSpec {
    SegmentSpec {
        orders: (1.0, 2.0),
        tenure_days: (60.0, 700.0),
        recency_days: (30.0, 400.0),
        order_value: (30.0, 90.0),
        lines: (1.0, 2.0),
        sessions: (40.0, 90.0),
        events_per_session: (4.0, 10.0),
        cart_rate: 0.2,
        dwell_seconds: (60.0, 150.0),
        survey_response: 0.4,
        survey_means: vec![3.6, 2.4, 3.4, 2.8, 3.8],
        age: (18.0, 35.0),
        ..base("window_shoppers", share)
    }
}

/// Orders in the app, often and small, short visits.
fn app_natives(share: f64) -> SegmentSpec {
    SegmentSpec {
        orders: (6.0, 14.0),
        tenure_days: (200.0, 700.0),
        recency_days: (2.0, 50.0),
        order_value: (50.0, 120.0),
        lines: (1.0, 3.0),
        categories: vec![1.0, 3.0, 1.0, 1.0, 1.0, 3.0],
        channels: vec![0.5, 9.0, 0.1],
        sessions: (20.0, 50.0),
        events_per_session: (2.0, 5.0),
        dwell_seconds: (10.0, 30.0),
        survey_response: 0.25,
        survey_means: vec![3.4, 2.6, 3.0, 4.4, 4.2],
        age: (18.0, 30.0),
        ..base("app_natives", share)
    }
}

/// Older customers buying in the shops, regularly.
fn store_regulars(share: f64) -> SegmentSpec {
    SegmentSpec {
        orders: (5.0, 12.0),
        tenure_days: (500.0, 1050.0),
        recency_days: (10.0, 120.0),
        regularity: 0.5,
        order_value: (80.0, 200.0),
        channels: vec![1.0, 0.2, 8.0],
        sessions: (0.0, 4.0),
        survey_means: vec![3.0, 3.8, 3.6, 2.6, 2.0],
        age: (50.0, 78.0),
        ..base("store_regulars", share)
    }
}

/// Buys nearly only in the last category.
fn specialists(share: f64) -> SegmentSpec {
    SegmentSpec {
        orders: (4.0, 10.0),
        tenure_days: (300.0, 1000.0),
        recency_days: (10.0, 150.0),
        order_value: (100.0, 250.0),
        categories: vec![0.2, 0.2, 0.2, 0.2, 0.2, 8.0],
        sessions: (10.0, 25.0),
        survey_means: vec![2.6, 3.6, 3.8, 3.0, 3.0],
        ..base("specialists", share)
    }
}

/// Multiplies a segment's order values (a shop in another currency).
fn money(mut s: SegmentSpec, factor: f64) -> SegmentSpec {
    s.order_value = (s.order_value.0 * factor, s.order_value.1 * factor);
    s
}

fn scaled(categories: &[(&'static str, f64, f64)], factor: f64) -> Vec<(&'static str, f64, f64)> {
    categories
        .iter()
        .map(|&(n, lo, hi)| (n, lo * factor, hi * factor))
        .collect()
}

const FASHION: [(&str, f64, f64); 6] = [
    ("Dresses", 25.0, 220.0),
    ("Tops", 8.0, 90.0),
    ("Shoes", 30.0, 250.0),
    ("Outerwear", 40.0, 400.0),
    ("Accessories", 5.0, 120.0),
    ("Sportswear", 12.0, 160.0),
];

fn apparel7() -> Preset {
    let sek = 10.0;
    Preset {
        name: "apparel7",
        description: "Swedish fashion shop, 7 segments with 9 % serial returners; every table",
        customers: 6000,
        as_of: "2025-09-30",
        currency: Some("SEK"),
        dialect: Dialect::Nordic,
        tables: ALL_TABLES,
        categories: scaled(&FASHION, sek),
        blur: 0.03,
        countries: nordic_countries(),
        segments: [
            loyal_core(0.12),
            deal_chasers(0.20),
            serial_returners(0.09),
            newcomers(0.15),
            dormant(0.18),
            window_shoppers(0.10),
            app_natives(0.16),
        ]
        .into_iter()
        .map(|s| money(s, sek))
        .collect(),
    }
}

fn marketplace9() -> Preset {
    Preset {
        name: "marketplace9",
        description: "general web shop, 9 segments (4–18 %) with 11 % serial returners",
        customers: 8000,
        as_of: "2026-01-31",
        currency: Some("EUR"),
        dialect: Dialect::English,
        tables: ALL_TABLES,
        categories: vec![
            ("Fashion", 10.0, 200.0),
            ("Electronics", 15.0, 600.0),
            ("Home", 8.0, 300.0),
            ("Toys", 5.0, 120.0),
            ("Beauty", 4.0, 80.0),
            ("Sports", 10.0, 250.0),
        ],
        blur: 0.03,
        countries: english_countries(),
        segments: vec![
            loyal_core(0.08),
            deal_chasers(0.18),
            serial_returners(0.11),
            first_timers(0.16),
            newcomers(0.12),
            dormant(0.14),
            holiday_gifters(0.08),
            window_shoppers(0.04),
            store_regulars(0.09),
        ],
    }
}

fn grocery(name: &'static str, share: f64) -> SegmentSpec {
    SegmentSpec {
        tenure_days: (330.0, 365.0),
        recency_days: (1.0, 10.0),
        regularity: 0.7,
        lines: (4.0, 10.0),
        categories: vec![3.0, 3.0, 2.0, 2.0, 1.0, 1.0],
        discount_share: (0.55, 0.9),
        discount_depth: (0.05, 0.2),
        return_rate: (0.0, 0.0),
        ..base(name, share)
    }
}

fn grocery5() -> Preset {
    Preset {
        name: "grocery5",
        description: "grocery panel: weekly baskets, most orders discounted; transactions only",
        customers: 2000,
        as_of: "2025-06-30",
        currency: None,
        dialect: Dialect::Grocery,
        tables: ONLY_TRANSACTIONS,
        categories: vec![
            ("DAIRY", 0.6, 6.0),
            ("PRODUCE", 0.4, 5.0),
            ("BAKERY", 0.8, 6.0),
            ("MEAT", 2.5, 25.0),
            ("FROZEN", 1.5, 12.0),
            ("HOUSEHOLD", 1.0, 15.0),
        ],
        blur: 0.03,
        countries: english_countries(),
        segments: vec![
            SegmentSpec {
                orders: (42.0, 52.0),
                order_value: (70.0, 140.0),
                lines: (6.0, 12.0),
                ..grocery("weekly_families", 0.30)
            },
            SegmentSpec {
                orders: (90.0, 150.0),
                order_value: (10.0, 30.0),
                lines: (1.0, 4.0),
                regularity: 0.4,
                recency_days: (1.0, 5.0),
                categories: vec![4.0, 4.0, 3.0, 0.5, 0.5, 0.5],
                ..grocery("top_up_shoppers", 0.20)
            },
            SegmentSpec {
                orders: (10.0, 14.0),
                order_value: (180.0, 350.0),
                lines: (16.0, 28.0),
                recency_days: (5.0, 35.0),
                categories: vec![1.0, 1.0, 1.0, 2.0, 3.0, 3.0],
                discount_share: (0.4, 0.7),
                ..grocery("monthly_stock_up", 0.20)
            },
            SegmentSpec {
                orders: (18.0, 30.0),
                order_value: (40.0, 90.0),
                lines: (5.0, 10.0),
                regularity: 0.3,
                recency_days: (1.0, 20.0),
                categories: vec![2.0, 1.0, 1.0, 3.0, 3.0, 2.0],
                discount_share: (0.95, 1.0),
                discount_depth: (0.25, 0.45),
                ..grocery("deal_hunters", 0.15)
            },
            SegmentSpec {
                orders: (8.0, 25.0),
                order_value: (40.0, 100.0),
                lines: (4.0, 9.0),
                regularity: 0.5,
                recency_days: (100.0, 250.0),
                ..grocery("lapsing", 0.15)
            },
        ],
    }
}

fn electronics4() -> Preset {
    Preset {
        name: "electronics4",
        description: "electronics, 4 segments of 40/30/20/10 %; refunds on the order line; no browsing, no survey",
        customers: 5000,
        as_of: "2025-12-31",
        currency: None,
        dialect: Dialect::Shopify,
        tables: Tables {
            events: false,
            survey: false,
            ..ALL_TABLES
        },
        categories: vec![
            ("Phones", 150.0, 1200.0),
            ("Laptops", 400.0, 2500.0),
            ("Audio", 20.0, 400.0),
            ("Accessories", 5.0, 80.0),
            ("Gaming", 20.0, 600.0),
            ("Smart home", 15.0, 300.0),
        ],
        blur: 0.03,
        countries: english_countries(),
        segments: vec![
            SegmentSpec {
                order_value: (200.0, 900.0),
                lines: (1.0, 2.0),
                categories: vec![3.0, 2.0, 2.0, 1.0, 1.0, 1.0],
                return_rate: (0.02, 0.1),
                ..first_timers(0.40)
            },
            SegmentSpec {
                orders: (4.0, 10.0),
                tenure_days: (300.0, 1000.0),
                recency_days: (5.0, 120.0),
                order_value: (15.0, 60.0),
                lines: (1.0, 3.0),
                categories: vec![0.1, 0.1, 1.0, 6.0, 1.0, 2.0],
                discount_share: (0.3, 0.7),
                age: (20.0, 45.0),
                ..base("accessory_repeaters", 0.30)
            },
            SegmentSpec {
                orders: (2.0, 4.0),
                tenure_days: (400.0, 1050.0),
                recency_days: (10.0, 200.0),
                order_value: (900.0, 2500.0),
                lines: (1.0, 3.0),
                categories: vec![3.0, 4.0, 1.0, 0.5, 1.0, 0.5],
                discount_share: (0.0, 0.15),
                return_rate: (0.05, 0.15),
                age: (30.0, 55.0),
                female: 0.35,
                ..base("premium_upgraders", 0.20)
            },
            SegmentSpec {
                order_value: (80.0, 300.0),
                categories: vec![0.5, 0.5, 2.0, 1.0, 4.0, 2.0],
                ..holiday_gifters(0.10)
            },
        ],
    }
}

fn overlap6() -> Preset {
    // Neighbouring segments share most of their ranges: only combinations tell them apart.
    let o = |name, share| SegmentSpec {
        survey_response: 0.25,
        ..base(name, share)
    };
    Preset {
        name: "overlap6",
        description: "6 overlapping segments (neighbours share most of their ranges); no cost",
        customers: 6000,
        as_of: "2025-08-31",
        currency: None,
        dialect: Dialect::English,
        tables: Tables {
            cost: false,
            ..ALL_TABLES
        },
        categories: FASHION.to_vec(),
        blur: 0.10,
        countries: english_countries(),
        segments: vec![
            SegmentSpec {
                orders: (2.0, 5.0),
                order_value: (50.0, 120.0),
                discount_share: (0.2, 0.5),
                ..o("steady_middle", 0.22)
            },
            SegmentSpec {
                orders: (4.0, 9.0),
                recency_days: (5.0, 120.0),
                order_value: (60.0, 140.0),
                discount_share: (0.1, 0.3),
                sessions: (8.0, 20.0),
                survey_means: vec![2.6, 3.6, 3.0, 3.4, 3.0],
                ..o("engaged_regulars", 0.18)
            },
            SegmentSpec {
                orders: (3.0, 6.0),
                order_value: (100.0, 220.0),
                lines: (2.0, 4.0),
                discount_share: (0.05, 0.25),
                categories: vec![2.0, 1.0, 2.0, 2.0, 1.0, 0.5],
                age: (35.0, 65.0),
                ..o("bigger_baskets", 0.16)
            },
            SegmentSpec {
                orders: (2.0, 6.0),
                order_value: (40.0, 100.0),
                discount_share: (0.45, 0.8),
                discount_depth: (0.15, 0.35),
                survey_means: vec![4.0, 2.6, 3.0, 3.0, 3.2],
                ..o("discount_leaning", 0.16)
            },
            SegmentSpec {
                orders: (1.0, 3.0),
                recency_days: (150.0, 500.0),
                sessions: (0.0, 5.0),
                age: (35.0, 70.0),
                ..o("cooling_off", 0.16)
            },
            SegmentSpec {
                orders: (5.0, 12.0),
                recency_days: (2.0, 60.0),
                order_value: (40.0, 100.0),
                channels: vec![3.0, 6.0, 0.5],
                sessions: (10.0, 30.0),
                age: (18.0, 40.0),
                return_rate: (0.08, 0.2),
                ..o("frequent_mobile", 0.12)
            },
        ],
    }
}

fn minimal3() -> Preset {
    Preset {
        name: "minimal3",
        description: "purchase log only (date, items, amount per order), 3 segments",
        customers: 5000,
        as_of: "1998-06-30",
        currency: None,
        dialect: Dialect::Tabbed,
        tables: ONLY_TRANSACTIONS,
        categories: vec![
            ("CD", 8.0, 20.0),
            ("Box set", 25.0, 80.0),
            ("Single", 3.0, 6.0),
            ("DVD", 10.0, 30.0),
            ("Vinyl", 12.0, 35.0),
            ("Cassette", 5.0, 12.0),
        ],
        blur: 0.03,
        countries: english_countries(),
        segments: vec![
            SegmentSpec {
                orders: (1.0, 2.0),
                tenure_days: (400.0, 540.0),
                recency_days: (330.0, 540.0),
                order_value: (10.0, 35.0),
                lines: (1.0, 2.0),
                ..base("one_and_done", 0.45)
            },
            SegmentSpec {
                orders: (3.0, 7.0),
                tenure_days: (400.0, 540.0),
                recency_days: (20.0, 250.0),
                order_value: (25.0, 60.0),
                lines: (1.0, 3.0),
                ..base("returning_fans", 0.35)
            },
            SegmentSpec {
                orders: (10.0, 30.0),
                tenure_days: (450.0, 540.0),
                recency_days: (1.0, 40.0),
                regularity: 0.6,
                order_value: (40.0, 110.0),
                lines: (2.0, 5.0),
                ..base("collectors", 0.20)
            },
        ],
    }
}

fn survey15() -> Preset {
    let r = |s: SegmentSpec| SegmentSpec {
        survey_response: 0.15,
        ..s
    };
    Preset {
        name: "survey15",
        description: "5 segments, survey (long layout) answered by 15 %; no profiles, no cost",
        customers: 5000,
        as_of: "2025-10-31",
        currency: None,
        dialect: Dialect::English,
        tables: Tables {
            survey_long: true,
            customers: false,
            cost: false,
            ..ALL_TABLES
        },
        categories: vec![
            ("Kitchen", 8.0, 150.0),
            ("Garden", 10.0, 300.0),
            ("Decor", 5.0, 120.0),
            ("Lighting", 15.0, 250.0),
            ("Textiles", 6.0, 90.0),
            ("Furniture", 60.0, 900.0),
        ],
        blur: 0.03,
        countries: english_countries(),
        segments: vec![
            r(loyal_core(0.15)),
            r(deal_chasers(0.25)),
            r(first_timers(0.30)),
            r(app_natives(0.20)),
            r(dormant(0.10)),
        ],
    }
}

fn survey60() -> Preset {
    let nok = 10.0;
    let r = |s: SegmentSpec| SegmentSpec {
        survey_response: 0.6,
        ..money(s, nok)
    };
    Preset {
        name: "survey60",
        description: "6 segments, survey answered by 60 %; no browsing",
        customers: 5000,
        as_of: "2025-04-30",
        currency: None,
        dialect: Dialect::Nordic,
        tables: Tables {
            events: false,
            ..ALL_TABLES
        },
        categories: scaled(
            &[
                ("Böcker", 5.0, 40.0),
                ("Spel", 10.0, 80.0),
                ("Leksaker", 5.0, 100.0),
                ("Hobby", 3.0, 60.0),
                ("Papper", 2.0, 30.0),
                ("Friluft", 15.0, 250.0),
            ],
            nok,
        ),
        blur: 0.03,
        countries: nordic_countries(),
        segments: vec![
            r(loyal_core(0.15)),
            r(deal_chasers(0.20)),
            r(store_regulars(0.15)),
            r(newcomers(0.20)),
            r(holiday_gifters(0.10)),
            r(specialists(0.20)),
        ],
    }
}

fn uniform() -> Preset {
    let wide: Span = (1.0, 1050.0);
    Preset {
        name: "uniform",
        description: "one population with wide ranges: no cluster structure",
        customers: 5000,
        as_of: "2025-11-30",
        currency: None,
        dialect: Dialect::English,
        tables: ALL_TABLES,
        categories: FASHION.to_vec(),
        blur: 0.0,
        countries: english_countries(),
        segments: vec![SegmentSpec {
            orders: (1.0, 16.0),
            tenure_days: wide,
            recency_days: wide,
            order_value: (30.0, 300.0),
            lines: (1.0, 4.0),
            discount_share: (0.0, 0.8),
            discount_depth: (0.05, 0.4),
            return_rate: (0.0, 0.3),
            sessions: (0.0, 40.0),
            dwell_seconds: (10.0, 120.0),
            age: (18.0, 80.0),
            ..base("everyone", 1.0)
        }],
    }
}

/// One population where a third of the customers order once (the rest two to four times): a
/// one-time buyer has returned or not, used a discount or not, so those traits are all or
/// nothing for half the shop, which k-means can cut along although nobody planted a segment
/// (the one-population shop of `benches/unseen`, whose six "clear" segments were made of it).
fn oneoff() -> Preset {
    let mut shop = uniform();
    let everyone = shop.segments.remove(0);
    Preset {
        name: "oneoff",
        description: "one population, a third one-time buyers (all-or-nothing returns and discounts): no cluster structure; refunds on the order line, no browsing, no survey, no cost",
        as_of: "2025-12-31",
        dialect: Dialect::Shopify,
        tables: Tables {
            events: false,
            survey: false,
            cost: false,
            ..ALL_TABLES
        },
        segments: vec![SegmentSpec {
            // Rounded from a spread around 1.75 orders: 36 % one order, 49 % two, the rest 3–4.
            orders: (0.5, 3.0),
            lines: (1.0, 3.0),
            discount_share: (0.0, 0.6),
            return_rate: (0.0, 0.4),
            ..everyone
        }],
        ..shop
    }
}
