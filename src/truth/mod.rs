//! Truth bench: planted shops that no single shop's tuning can game.
//!
//! [`generate`] writes the exports of a synthetic shop whose customers belong to *planted*
//! segments, with a mapping that segmint reads and the truth (`truth.csv`: customer id, planted
//! segment, serial-returner mark). It is driven entirely by a [`Preset`]: per planted
//! [`SegmentSpec`] a size share and ranges for order count, tenure, recency, order value,
//! basket size, category mix, channel, discount use, return rate, browsing, survey answers and
//! demographics. Every customer draws its own values around the middle of its segment's ranges
//! (roughly normal, with the range's spread, so with tails beyond it), and with chance
//! [`Preset::blur`] takes a group of traits (e.g. its channel mix, or its browsing) from another
//! segment: segments are overlapping clouds, not boxes, and overlapping ranges make them hard to
//! tell apart. The presets ([`presets::all`]) differ in structure (3 to 9 segments, sizes 4 % to
//! 40 %, overlapping segments, survey answered by 15–60 %, shops without returns, browsing,
//! survey or cost, a grocery panel, a serial-returner group among many segments, a shop with no
//! structure at all) and in how their files are written (column names, delimiters, decimal
//! commas, date formats, return conventions, long survey layout). None of them reuses the
//! demo's segment definitions ([`crate::demo`]).
//!
//! [`compare`] scores a segmentation against the plant: the adjusted Rand index and, when the
//! shop plants serial returners, the recall and purity of the proposed segment that best
//! matches them. `cargo bench --bench truth` runs the whole pipeline on every preset.
//!
//! The same preset and seed always give byte-identical files: every random number comes from
//! one `ChaCha8Rng` seeded with the seed, and only exact floating point operations are used
//! (no `exp`, `ln` or `powf`).
//!
//! ```
//! let preset = segmint::truth::presets::by_name("minimal3").unwrap().with_customers(300);
//! let shop = segmint::truth::generate(&preset, 7).unwrap();
//! assert_eq!(shop.truth.len(), 300);
//! assert!(shop.files.iter().any(|(name, _)| name == "mapping.toml"));
//! ```

pub mod presets;

use std::fmt::Write as _;
use std::path::Path;

use chrono::{Datelike, Duration, NaiveDate};
use rand::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::cluster::metrics::adjusted_rand_index;
use crate::error::{Error, Result};

pub use presets::Preset;

/// An inclusive range `(low, high)`; every customer draws its own value uniformly inside it.
pub type Span = (f64, f64);

/// How one planted segment behaves. Every range is drawn once per customer (around its middle,
/// with the range's spread), except where a field says per order, per session or per line.
#[derive(Debug, Clone, PartialEq)]
pub struct SegmentSpec {
    /// Name written to `truth.csv`.
    pub name: &'static str,
    /// Share of the shop's customers (the shares of a preset add up to 1).
    pub share: f64,
    /// Marks the segment as serial returners in `truth.csv` (the bench scores their recall and
    /// purity).
    pub serial_returner: bool,
    /// Number of orders (rounded).
    pub orders: Span,
    /// Days between the first order and as-of.
    pub tenure_days: Span,
    /// Days between the last order and as-of (at most the tenure).
    pub recency_days: Span,
    /// 0: orders fall at random between the first and the last; 1: evenly spaced.
    pub regularity: f64,
    /// The customer's typical order value at list prices; each order varies ±30 % around it.
    pub order_value: Span,
    /// Lines per order (rounded, per order).
    pub lines: Span,
    /// Weights of the preset's categories (same length as [`Preset::categories`]).
    pub categories: Vec<f64>,
    /// Weights of the preset's channels (same length as the dialect's channels).
    pub channels: Vec<f64>,
    /// Chance that an order is discounted.
    pub discount_share: Span,
    /// Discount depth of a discounted order (share of the list value).
    pub discount_depth: Span,
    /// Chance that a line is returned (in full).
    pub return_rate: Span,
    /// Chance that an order is placed in November or December.
    pub holiday_share: f64,
    /// Browsing sessions in the event log's year (besides one per order in that year).
    pub sessions: Span,
    /// Events per browsing session (rounded, per session).
    pub events_per_session: Span,
    /// Chance that a browsing event is an add-to-cart.
    pub cart_rate: f64,
    /// Seconds on a page (per customer: the mean; each event varies ±50 %).
    pub dwell_seconds: Span,
    /// Chance that the customer answered the survey.
    pub survey_response: f64,
    /// Mean answer to each survey item on 1–5 (same length as the preset's items).
    pub survey_means: Vec<f64>,
    /// Age in years at as-of.
    pub age: Span,
    /// Chance of being female (else male; 1 % of customers answer neither).
    pub female: f64,
}

/// One planted customer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Planted {
    /// Customer id as written in the files.
    pub customer_id: String,
    /// Index of the planted segment in [`Preset::segments`].
    pub segment: usize,
    /// Whether the segment is marked as serial returners.
    pub serial_returner: bool,
}

/// A generated shop.
#[derive(Debug, Clone)]
pub struct Shop {
    /// `(file name, bytes)`: the input files, `mapping.toml` and `truth.csv`.
    pub files: Vec<(String, Vec<u8>)>,
    /// Every customer, sorted by id.
    pub truth: Vec<Planted>,
    /// Names of the planted segments, by index.
    pub segment_names: Vec<String>,
}

impl Shop {
    /// Writes every file into `dir` (created if needed).
    pub fn write(&self, dir: &Path) -> Result<()> {
        std::fs::create_dir_all(dir).map_err(|source| Error::Io {
            path: dir.to_path_buf(),
            source,
        })?;
        for (name, bytes) in &self.files {
            let path = dir.join(name);
            std::fs::write(&path, bytes).map_err(|source| Error::Io { path, source })?;
        }
        Ok(())
    }

    /// The content of one file, if the shop has it.
    pub fn file(&self, name: &str) -> Option<&[u8]> {
        self.files
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, b)| b.as_slice())
    }
}

/// Random numbers from one ChaCha8 stream.
struct Rand(ChaCha8Rng);

impl Rand {
    /// Uniform in `[0, 1)` (53 bits).
    fn unit(&mut self) -> f64 {
        (self.0.next_u64() >> 11) as f64 * (1.0 / 9_007_199_254_740_992.0)
    }
    fn span(&mut self, s: Span) -> f64 {
        s.0 + (s.1 - s.0) * self.unit()
    }
    /// A customer's own value of a trait: the range's middle plus a roughly normal spread with
    /// the range's standard deviation, so segments have tails beyond their ranges.
    fn soft(&mut self, s: Span) -> f64 {
        let mid = (s.0 + s.1) / 2.0;
        mid + (s.1 - s.0) * 0.288_675_1 * self.normalish()
    }
    /// Uniform integer in `lo..=hi`.
    fn int(&mut self, lo: i64, hi: i64) -> i64 {
        lo + ((self.0.next_u64() as u128 * (hi - lo + 1) as u128) >> 64) as i64
    }
    fn below(&mut self, n: usize) -> usize {
        ((self.0.next_u64() as u128 * n as u128) >> 64) as usize
    }
    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
    /// An index with chance proportional to its weight (weights ≥ 0, not all 0).
    fn pick(&mut self, weights: &[f64]) -> usize {
        let total: f64 = weights.iter().sum();
        let mut r = self.unit() * total;
        for (i, w) in weights.iter().enumerate() {
            if r < *w {
                return i;
            }
            r -= w;
        }
        weights.iter().rposition(|w| *w > 0.0).unwrap_or(0)
    }
    /// Roughly standard normal (Irwin–Hall with four uniforms).
    fn normalish(&mut self) -> f64 {
        ((0..4).map(|_| self.unit()).sum::<f64>() - 2.0) * 1.732_050_8
    }
    fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = self.below(i + 1);
            v.swap(i, j);
        }
    }
}

/// Relative traffic by hour of day.
const HOURS: [f64; 24] = [
    2., 1., 1., 0.5, 0.5, 1., 2., 4., 6., 7., 8., 9., 10., 9., 8., 8., 9., 10., 11., 12., 13., 12.,
    9., 4.,
];
/// Products per category in the catalogue.
const PRODUCTS: usize = 60;
/// Orders lie within this many days before as-of.
const HISTORY_DAYS: i64 = 1100;
/// The event log covers this many days before as-of.
const EVENT_DAYS: i64 = 365;

/// The column names and conventions of a shop's exports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// English snake_case names, `,`, ISO timestamps, GA4 event names, a returns table.
    English,
    /// Swedish names, `;` and decimal commas, `dd.mm.yyyy HH:MM`, own event names, a returns
    /// table, gender as K/M.
    Nordic,
    /// A Shopify-like order export: `Title Case` names with spaces, `YYYY-MM-DDTHH:MM:SS`,
    /// returns as refunded quantity and amount on the order line, no separate returns table.
    Shopify,
    /// A grocery panel: `household_key`, baskets, the day only, the amount paid per line
    /// (`sales_value`) and the discount, no unit price; stores as channels.
    Grocery,
    /// A CDNOW-like purchase log: tab-separated, one line per order, `YYYYMMDD` dates, no order
    /// id, no product or category, the amount paid per order.
    Tabbed,
}

/// Which tables a shop has and what its lines carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tables {
    /// Returns (a returns table, or refund columns on the line in the Shopify dialect).
    pub returns: bool,
    /// The event log.
    pub events: bool,
    /// The survey (wide layout unless `survey_long`).
    pub survey: bool,
    /// The survey in long layout (customer, question, answer).
    pub survey_long: bool,
    /// The customers table.
    pub customers: bool,
    /// A unit cost column.
    pub cost: bool,
}

struct Names {
    tx_file: &'static str,
    customer_id: &'static str,
    order_id: Option<&'static str>,
    timestamp: &'static str,
    product_id: Option<&'static str>,
    category: Option<&'static str>,
    quantity: &'static str,
    unit_price: Option<&'static str>,
    line_total: Option<&'static str>,
    discount: Option<&'static str>,
    unit_cost: &'static str,
    channel: Option<&'static str>,
    /// Shopify: refunded quantity and amount on the line.
    refund_columns: Option<(&'static str, &'static str)>,
    ret_file: &'static str,
    /// order, product, quantity, refund, handling cost, timestamp
    ret: [&'static str; 6],
    ev_file: &'static str,
    /// customer, session, timestamp, event type, category, dwell
    ev: [&'static str; 6],
    /// view page, view item, search, cart, purchase
    event_names: [&'static str; 5],
    /// Whether the mapping lists the event names (else segmint's defaults recognise them).
    map_events: bool,
    sv_file: &'static str,
    sv_customer: &'static str,
    sv_items: [&'static str; 5],
    cu_file: &'static str,
    /// customer, birth year, gender, country, signup date
    cu: [&'static str; 5],
    genders: [&'static str; 3],
    channels: [&'static str; 3],
    delimiter: char,
    decimal_comma: bool,
    timestamp_format: &'static str,
    date_format: &'static str,
    id_prefix: &'static str,
    one_line_per_order: bool,
}

impl Dialect {
    /// The channel labels (the spec's channel weights refer to them in this order).
    pub fn channels(self) -> [&'static str; 3] {
        self.names().channels
    }

    fn names(self) -> Names {
        let english = Names {
            tx_file: "orders.csv",
            customer_id: "customer_id",
            order_id: Some("order_id"),
            timestamp: "ordered_at",
            product_id: Some("sku"),
            category: Some("category"),
            quantity: "qty",
            unit_price: Some("unit_price"),
            line_total: None,
            discount: Some("discount"),
            unit_cost: "unit_cost",
            channel: Some("channel"),
            refund_columns: None,
            ret_file: "returns.csv",
            ret: [
                "order_id",
                "sku",
                "qty",
                "refund_amount",
                "handling_fee",
                "returned_at",
            ],
            ev_file: "events.csv",
            ev: [
                "visitor_id",
                "session",
                "ts",
                "event",
                "category",
                "seconds",
            ],
            event_names: [
                "page_view",
                "view_item",
                "view_search_results",
                "add_to_cart",
                "purchase",
            ],
            map_events: false,
            sv_file: "survey.csv",
            sv_customer: "customer_id",
            sv_items: [
                "price_conscious",
                "brand_loyal",
                "eco_minded",
                "convenience",
                "trend_seeking",
            ],
            cu_file: "customers.csv",
            cu: [
                "customer_id",
                "birth_year",
                "gender",
                "country",
                "signup_date",
            ],
            genders: ["female", "male", "other"],
            channels: ["web", "app", "store"],
            delimiter: ',',
            decimal_comma: false,
            timestamp_format: "%Y-%m-%d %H:%M:%S",
            date_format: "%Y-%m-%d",
            id_prefix: "C",
            one_line_per_order: false,
        };
        match self {
            Dialect::English => english,
            Dialect::Nordic => Names {
                tx_file: "ordrar.csv",
                customer_id: "kundnr",
                order_id: Some("ordernr"),
                timestamp: "orderdatum",
                product_id: Some("artikelnr"),
                category: Some("varugrupp"),
                quantity: "antal",
                unit_price: Some("styckpris"),
                discount: Some("rabatt"),
                unit_cost: "inköpspris",
                channel: Some("kanal"),
                ret_file: "returer.csv",
                ret: [
                    "ordernr",
                    "artikelnr",
                    "antal",
                    "återbetalt",
                    "returkostnad",
                    "returdatum",
                ],
                ev_file: "besök.csv",
                ev: [
                    "kundnr",
                    "session",
                    "tidpunkt",
                    "händelse",
                    "varugrupp",
                    "sekunder",
                ],
                event_names: ["sidvisning", "produktvisning", "sökning", "varukorg", "köp"],
                map_events: true,
                sv_file: "enkät.csv",
                sv_customer: "kundnr",
                sv_items: [
                    "prismedveten",
                    "märkeslojal",
                    "miljömedveten",
                    "bekvämlighet",
                    "trendkänslig",
                ],
                cu_file: "kunder.csv",
                cu: ["kundnr", "födelseår", "kön", "land", "registrerad"],
                genders: ["K", "M", "annat"],
                channels: ["webb", "app", "butik"],
                delimiter: ';',
                decimal_comma: true,
                timestamp_format: "%d.%m.%Y %H:%M",
                date_format: "%d.%m.%Y",
                id_prefix: "",
                ..english
            },
            Dialect::Shopify => Names {
                tx_file: "orders_export.csv",
                customer_id: "Customer ID",
                order_id: Some("Name"),
                timestamp: "Created at",
                product_id: Some("Lineitem sku"),
                category: Some("Product Type"),
                quantity: "Lineitem quantity",
                unit_price: Some("Lineitem price"),
                discount: Some("Lineitem discount"),
                unit_cost: "Cost per item",
                channel: Some("Source"),
                refund_columns: Some(("Refunded quantity", "Refunded amount")),
                ev_file: "sessions.csv",
                ev: [
                    "Customer ID",
                    "Session ID",
                    "Timestamp",
                    "Event",
                    "Product Type",
                    "Time on page",
                ],
                event_names: [
                    "pageview",
                    "product_view",
                    "search",
                    "addtocart",
                    "transaction",
                ],
                sv_file: "survey.csv",
                sv_customer: "Customer ID",
                cu_file: "customers_export.csv",
                cu: [
                    "Customer ID",
                    "Birth year",
                    "Gender",
                    "Country Code",
                    "Created at",
                ],
                genders: ["F", "M", "X"],
                channels: ["web", "shopify_app", "pos"],
                timestamp_format: "%Y-%m-%dT%H:%M:%S",
                id_prefix: "",
                ..english
            },
            Dialect::Grocery => Names {
                tx_file: "transaction_data.csv",
                customer_id: "household_key",
                order_id: Some("basket_id"),
                timestamp: "day",
                product_id: Some("product_id"),
                category: Some("department"),
                quantity: "quantity",
                unit_price: None,
                line_total: Some("sales_value"),
                discount: Some("retail_disc"),
                channel: Some("store_id"),
                channels: ["store_312", "store_47", "store_1208"],
                timestamp_format: "%Y-%m-%d",
                id_prefix: "",
                ..english
            },
            Dialect::Tabbed => Names {
                tx_file: "purchases.tsv",
                customer_id: "customer",
                order_id: None,
                timestamp: "date",
                product_id: None,
                category: None,
                quantity: "items",
                unit_price: None,
                line_total: Some("amount"),
                discount: None,
                channel: None,
                delimiter: '\t',
                timestamp_format: "%Y%m%d",
                id_prefix: "",
                one_line_per_order: true,
                ..english
            },
        }
    }
}

/// A product of the catalogue.
struct Product {
    price: f64,
    cost: f64,
}

struct Order {
    /// Seconds before as-of midnight (as-of − this = the order time).
    age_s: i64,
    customer: u32,
    channel: u8,
    lines: std::ops::Range<u32>,
}

struct Line {
    category: u8,
    product: u16,
    qty: u32,
    /// Discount on the line (money).
    discount: f64,
    returned: bool,
}

struct Event {
    customer: u32,
    session: u32,
    age_s: i64,
    kind: u8,
    category: Option<u8>,
    dwell: u32,
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// Segment sizes for `n` customers: the shares, rounded by largest remainder.
fn counts(shares: &[f64], n: usize) -> Vec<usize> {
    let exact: Vec<f64> = shares.iter().map(|s| s * n as f64).collect();
    let mut c: Vec<usize> = exact.iter().map(|e| e.floor() as usize).collect();
    let mut order: Vec<usize> = (0..shares.len()).collect();
    order.sort_by(|&a, &b| {
        let ra = exact[a] - c[a] as f64;
        let rb = exact[b] - c[b] as f64;
        rb.total_cmp(&ra).then(a.cmp(&b))
    });
    let missing = n.saturating_sub(c.iter().sum());
    for &i in order.iter().cycle().take(missing) {
        c[i] += 1;
    }
    c
}

/// Generates the shop of a preset with a seed.
///
/// Fails with [`Error::Data`] when the preset is inconsistent (shares that do not add up to 1,
/// weight vectors of the wrong length, too few customers for every segment to have members).
pub fn generate(p: &Preset, seed: u64) -> Result<Shop> {
    p.validate()?;
    let names = p.dialect.names();
    let mut r = Rand(ChaCha8Rng::seed_from_u64(seed));
    let as_of = p.as_of_date()?;
    let n = p.customers;

    // Catalogue: per category PRODUCTS prices spread on a square-root scale over its range.
    let catalog: Vec<Vec<Product>> = p
        .categories
        .iter()
        .map(|&(_, lo, hi)| {
            let margin = r.span((0.25, 0.6));
            (0..PRODUCTS)
                .map(|i| {
                    let t = (i as f64 + r.unit()) / PRODUCTS as f64;
                    let s = lo.sqrt() + t * (hi.sqrt() - lo.sqrt());
                    let price = round2(s * s).max(0.1);
                    let cost = round2(price * (1.0 - margin * r.span((0.8, 1.2))));
                    Product { price, cost }
                })
                .collect::<Vec<_>>()
        })
        .map(|mut v| {
            v.sort_by(|a, b| a.price.total_cmp(&b.price));
            v
        })
        .collect();

    let sizes = counts(&p.segments.iter().map(|s| s.share).collect::<Vec<_>>(), n);
    let mut seg_of: Vec<usize> = sizes
        .iter()
        .enumerate()
        .flat_map(|(s, &c)| std::iter::repeat_n(s, c))
        .collect();
    r.shuffle(&mut seg_of);
    // Ids: a preset prefix, or numbers that do not start at 1.
    let ids: Vec<String> = (0..n)
        .map(|i| {
            if names.id_prefix.is_empty() {
                format!("{}", 10_000 + 7 * i)
            } else {
                format!("{}{:06}", names.id_prefix, i + 1)
            }
        })
        .collect();

    let mut orders: Vec<Order> = Vec::with_capacity(n * 8);
    let mut lines: Vec<Line> = Vec::with_capacity(n * 20);
    let mut events: Vec<Event> = Vec::new();
    let mut session_count: u32 = 0;
    let mut customers = String::new();
    let mut survey = String::new();
    let d = names.delimiter;
    if p.tables.customers {
        let _ = writeln!(customers, "{}", names.cu.join(&d.to_string()));
    }
    if p.tables.survey {
        if p.tables.survey_long {
            let _ = writeln!(survey, "{}{d}question{d}answer", names.sv_customer);
        } else {
            let _ = writeln!(
                survey,
                "{}{d}{}",
                names.sv_customer,
                names.sv_items.join(&d.to_string())
            );
        }
    }
    let days_of_age = |age: i64| as_of - Duration::days(age);

    for (c, &s) in seg_of.iter().enumerate() {
        let spec = &traits(p, s, &mut r);
        // Order dates, as days before as-of.
        let k = (r.soft(spec.orders).round() as i64).max(1);
        let mut recency = r
            .soft(spec.recency_days)
            .round()
            .clamp(1.0, HISTORY_DAYS as f64) as i64;
        let mut tenure = r
            .soft(spec.tenure_days)
            .round()
            .clamp(1.0, HISTORY_DAYS as f64) as i64;
        if k == 1 {
            tenure = recency;
        } else {
            // Where a segment's tenure and recency ranges overlap, the earlier of the two draws
            // is the first order. (Raising the tenure to recency + k instead put a third of
            // `minimal3`'s two-order customers at exactly k = 2 days between their orders: a
            // spike k-means rightly split off as a segment the plant does not have.)
            if tenure < recency {
                std::mem::swap(&mut tenure, &mut recency);
            }
            if tenure < recency + k {
                tenure = (recency + k).min(HISTORY_DAYS).max(recency);
            }
        }
        let mut days: Vec<i64> = (0..k)
            .map(|i| {
                if k == 1 {
                    return recency;
                }
                let even = tenure as f64 - (tenure - recency) as f64 * i as f64 / (k - 1) as f64;
                let rand = r.span((recency as f64, tenure as f64));
                let gap = (tenure - recency) as f64 / (k - 1) as f64;
                let jitter = (r.unit() - 0.5) * gap * 0.5;
                let x = spec.regularity * (even + jitter) + (1.0 - spec.regularity) * rand;
                let x = if i == 0 {
                    tenure as f64
                } else if i == k - 1 {
                    recency as f64
                } else {
                    x
                };
                (x.round() as i64).clamp(1, HISTORY_DAYS)
            })
            .collect();
        if spec.holiday_share > 0.0 {
            for day in days.iter_mut() {
                if r.chance(spec.holiday_share) {
                    *day = holiday_day(&mut r, as_of, *day, tenure, recency);
                }
            }
        }
        days.sort_unstable_by(|a, b| b.cmp(a));
        let level = r.soft(spec.order_value).max(spec.order_value.0 * 0.25);
        let disc_share = r.soft(spec.discount_share).clamp(0.0, 1.0);
        let ret_rate = if p.tables.returns {
            r.soft(spec.return_rate).clamp(0.0, 1.0)
        } else {
            0.0
        };
        for &day in &days {
            let start = lines.len() as u32;
            let value = level * r.span((0.7, 1.3));
            let nl = (r.span(spec.lines).round() as usize).max(1);
            let depth = if r.chance(disc_share) {
                r.span(spec.discount_depth)
            } else {
                0.0
            };
            let budget = value / nl as f64;
            for _ in 0..nl {
                let cat = r.pick(&spec.categories);
                let prods = &catalog[cat];
                let target = budget * r.span((0.6, 1.4));
                let at = prods.partition_point(|q| q.price < target);
                let lo = at.saturating_sub(3);
                let hi = (at + 3).min(prods.len());
                let pi = lo + r.below(hi - lo);
                let price = prods[pi].price;
                let qty = ((target / price).round() as u32).clamp(1, 6);
                if let Some(l) = lines[start as usize..]
                    .iter_mut()
                    .find(|l| l.category == cat as u8 && l.product == pi as u16)
                {
                    l.qty += qty;
                    continue;
                }
                lines.push(Line {
                    category: cat as u8,
                    product: pi as u16,
                    qty,
                    discount: 0.0,
                    returned: false,
                });
            }
            for l in &mut lines[start as usize..] {
                let price = catalog[l.category as usize][l.product as usize].price;
                l.discount = round2(price * l.qty as f64 * depth);
                l.returned = ret_rate > 0.0 && r.chance(ret_rate);
            }
            let hour = r.pick(&HOURS) as i64;
            let secs = hour * 3600 + r.int(0, 3599);
            let channel = r.pick(&spec.channels) as u8;
            orders.push(Order {
                age_s: day * 86_400 - secs,
                customer: c as u32,
                channel,
                lines: start..lines.len() as u32,
            });
        }
        // Browsing.
        if p.tables.events {
            let dwell = r.soft(spec.dwell_seconds).max(2.0);
            let sessions = r.soft(spec.sessions).round().max(0.0) as usize;
            for _ in 0..sessions {
                let day = r.int(1, EVENT_DAYS);
                let t0 = day * 86_400 - r.pick(&HOURS) as i64 * 3600 - r.int(0, 3599);
                let m = (r.span(spec.events_per_session).round() as usize).max(1);
                let mut t = t0;
                for e in 0..m {
                    let kind = if e == 0 {
                        0
                    } else if r.chance(spec.cart_rate) {
                        3
                    } else if r.chance(0.12) {
                        2
                    } else {
                        1
                    };
                    let category = (kind == 1 || kind == 3).then(|| r.pick(&spec.categories) as u8);
                    let secs = (dwell * r.span((0.5, 1.5))).round().max(1.0) as u32;
                    events.push(Event {
                        customer: c as u32,
                        session: session_count,
                        age_s: t.max(1),
                        kind,
                        category,
                        dwell: secs,
                    });
                    t -= secs as i64;
                }
                session_count += 1;
            }
            // A purchase session for every order in the event year.
            let first_order = orders.len() - days.len();
            for o in &orders[first_order..] {
                if o.age_s >= EVENT_DAYS * 86_400 || o.channel == 2 {
                    continue;
                }
                let l = &lines[o.lines.start as usize];
                for (j, kind) in [1u8, 3, 4].into_iter().enumerate() {
                    events.push(Event {
                        customer: c as u32,
                        session: session_count,
                        age_s: (o.age_s + 120 * (2 - j as i64)).max(1),
                        kind,
                        category: (kind != 4).then_some(l.category),
                        dwell: (dwell * r.span((0.5, 1.5))).round().max(1.0) as u32,
                    });
                }
                session_count += 1;
            }
        }
        // Survey.
        if p.tables.survey && r.chance(spec.survey_response) {
            let answers: Vec<Option<i64>> = spec
                .survey_means
                .iter()
                .map(|&m| {
                    let a = (m + 0.9 * r.normalish()).round().clamp(1.0, 5.0) as i64;
                    (!r.chance(0.04)).then_some(a)
                })
                .collect();
            if p.tables.survey_long {
                for (item, a) in names.sv_items.iter().zip(&answers) {
                    if let Some(a) = a {
                        let _ = writeln!(survey, "{}{d}{item}{d}{a}", ids[c]);
                    }
                }
            } else {
                let _ = write!(survey, "{}", ids[c]);
                for a in &answers {
                    match a {
                        Some(a) => {
                            let _ = write!(survey, "{d}{a}");
                        }
                        None => survey.push(d),
                    }
                }
                survey.push('\n');
            }
        }
        // Profile.
        if p.tables.customers {
            let age = r.soft(spec.age).round().clamp(16.0, 95.0) as i32;
            let g = if r.chance(0.01) {
                2
            } else if r.chance(spec.female) {
                0
            } else {
                1
            };
            let country =
                p.countries[r.pick(&p.countries.iter().map(|c| c.1).collect::<Vec<_>>())].0;
            let signup = days_of_age(tenure + r.int(0, 300));
            let _ = writeln!(
                customers,
                "{}{d}{}{d}{}{d}{}{d}{}",
                ids[c],
                as_of.year() - age,
                names.genders[g],
                country,
                signup.format(names.date_format)
            );
        }
    }

    // Orders in time order; ids follow time.
    let mut by_time: Vec<usize> = (0..orders.len()).collect();
    by_time.sort_by(|&a, &b| orders[b].age_s.cmp(&orders[a].age_s).then(a.cmp(&b)));
    let money = |x: f64| {
        let s = format!("{:.2}", x);
        if names.decimal_comma {
            s.replace('.', ",")
        } else {
            s
        }
    };
    let ts = |age_s: i64, fmt: &str| {
        let t = as_of.and_hms_opt(0, 0, 0).expect("midnight") - Duration::seconds(age_s);
        t.format(fmt).to_string()
    };
    let mut tx = String::with_capacity(lines.len() * 80);
    let mut header: Vec<&str> = Vec::new();
    if let Some(o) = names.order_id {
        header.push(o);
    }
    header.push(names.customer_id);
    header.push(names.timestamp);
    header.extend(names.product_id);
    header.extend(names.category);
    header.push(names.quantity);
    header.extend(names.unit_price);
    header.extend(names.line_total);
    header.extend(names.discount);
    if p.tables.cost {
        header.push(names.unit_cost);
    }
    header.extend(names.channel);
    let refund_cols = names.refund_columns.filter(|_| p.tables.returns);
    if let Some((q, a)) = refund_cols {
        header.push(q);
        header.push(a);
    }
    let _ = writeln!(tx, "{}", header.join(&d.to_string()));
    let mut ret = String::new();
    let returns_table = p.tables.returns && refund_cols.is_none();
    if returns_table {
        let _ = writeln!(ret, "{}", names.ret.join(&d.to_string()));
    }
    let order_prefix = if names.order_id == Some("Name") {
        "#"
    } else {
        ""
    };
    for (rank, &oi) in by_time.iter().enumerate() {
        let o = &orders[oi];
        let oid = format!("{order_prefix}{}", 100_001 + rank);
        let when = ts(o.age_s, names.timestamp_format);
        let cust = &ids[o.customer as usize];
        if names.one_line_per_order {
            let (mut qty, mut paid) = (0u32, 0.0);
            for l in &lines[o.lines.start as usize..o.lines.end as usize] {
                let price = catalog[l.category as usize][l.product as usize].price;
                qty += l.qty;
                paid += round2(price * l.qty as f64 - l.discount);
            }
            let _ = writeln!(tx, "{cust}{d}{when}{d}{qty}{d}{}", money(paid));
            continue;
        }
        for l in &lines[o.lines.start as usize..o.lines.end as usize] {
            let prod = &catalog[l.category as usize][l.product as usize];
            let paid = round2(prod.price * l.qty as f64 - l.discount);
            let sku = format!("P{}{:03}", l.category + 1, l.product);
            if names.order_id.is_some() {
                let _ = write!(tx, "{oid}{d}");
            }
            let _ = write!(tx, "{cust}{d}{when}");
            if names.product_id.is_some() {
                let _ = write!(tx, "{d}{sku}");
            }
            if names.category.is_some() {
                let _ = write!(tx, "{d}{}", p.categories[l.category as usize].0);
            }
            let _ = write!(tx, "{d}{}", l.qty);
            if names.unit_price.is_some() {
                let _ = write!(tx, "{d}{}", money(prod.price));
            }
            if names.line_total.is_some() {
                let _ = write!(tx, "{d}{}", money(paid));
            }
            if names.discount.is_some() {
                let _ = write!(tx, "{d}{}", money(l.discount));
            }
            if p.tables.cost {
                let _ = write!(tx, "{d}{}", money(prod.cost));
            }
            if names.channel.is_some() {
                let _ = write!(tx, "{d}{}", names.channels[o.channel as usize]);
            }
            if refund_cols.is_some() {
                if l.returned {
                    let _ = write!(tx, "{d}{}{d}{}", l.qty, money(paid));
                } else {
                    let _ = write!(tx, "{d}0{d}{}", money(0.0));
                }
            }
            tx.push('\n');
            if returns_table && l.returned {
                let back = (o.age_s - 86_400 * (3 + (l.product as i64 % 15))).max(3_600);
                let _ = writeln!(
                    ret,
                    "{oid}{d}{sku}{d}{}{d}{}{d}{}{d}{}",
                    l.qty,
                    money(paid),
                    money(if p.tables.cost { 4.9 } else { 0.0 }),
                    ts(back, names.timestamp_format)
                );
            }
        }
    }

    let mut ev = String::new();
    if p.tables.events {
        let _ = writeln!(ev, "{}", names.ev.join(&d.to_string()));
        for e in &events {
            let _ = writeln!(
                ev,
                "{}{d}S{:07}{d}{}{d}{}{d}{}{d}{}",
                ids[e.customer as usize],
                e.session + 1,
                ts(e.age_s, names.timestamp_format),
                names.event_names[e.kind as usize],
                e.category
                    .map(|c| p.categories[c as usize].0)
                    .unwrap_or_default(),
                e.dwell
            );
        }
    }

    let mut truth: Vec<Planted> = ids
        .iter()
        .zip(&seg_of)
        .map(|(id, &s)| Planted {
            customer_id: id.clone(),
            segment: s,
            serial_returner: p.segments[s].serial_returner,
        })
        .collect();
    truth.sort_by(|a, b| a.customer_id.cmp(&b.customer_id));
    let mut tr = String::from("customer_id,segment,is_serial_returner\n");
    for t in &truth {
        let _ = writeln!(
            tr,
            "{},{},{}",
            t.customer_id, p.segments[t.segment].name, t.serial_returner
        );
    }

    let mut files: Vec<(String, Vec<u8>)> = vec![(names.tx_file.into(), tx.into_bytes())];
    if returns_table {
        files.push((names.ret_file.into(), ret.into_bytes()));
    }
    if p.tables.events {
        files.push((names.ev_file.into(), ev.into_bytes()));
    }
    if p.tables.survey {
        files.push((names.sv_file.into(), survey.into_bytes()));
    }
    if p.tables.customers {
        files.push((names.cu_file.into(), customers.into_bytes()));
    }
    files.push(("mapping.toml".into(), mapping(p, &names, seed).into_bytes()));
    files.push(("truth.csv".into(), tr.into_bytes()));
    Ok(Shop {
        files,
        truth,
        segment_names: p.segments.iter().map(|s| s.name.to_string()).collect(),
    })
}

/// The traits of one customer of segment `s`: the segment's own, except that each trait group
/// comes from another segment with chance [`Preset::blur`] (customers are mostly, not
/// entirely, like their segment). Return rates never move to or from a serial-returner segment,
/// so the planted returners are exactly the customers who return most of what they buy.
fn traits(p: &Preset, s: usize, r: &mut Rand) -> SegmentSpec {
    let own = &p.segments[s];
    let mut e = own.clone();
    let n = p.segments.len();
    if n < 2 || p.blur <= 0.0 {
        return e;
    }
    let other = |r: &mut Rand| -> Option<&SegmentSpec> {
        if !r.chance(p.blur) {
            return None;
        }
        let mut j = r.below(n - 1);
        if j >= s {
            j += 1;
        }
        Some(&p.segments[j])
    };
    if let Some(o) = other(r) {
        e.orders = o.orders;
        e.regularity = o.regularity;
    }
    if let Some(o) = other(r) {
        e.tenure_days = o.tenure_days;
        e.recency_days = o.recency_days;
    }
    if let Some(o) = other(r) {
        e.order_value = o.order_value;
        e.lines = o.lines;
    }
    if let Some(o) = other(r) {
        e.categories = o.categories.clone();
    }
    if let Some(o) = other(r) {
        e.channels = o.channels.clone();
    }
    if let Some(o) = other(r) {
        e.discount_share = o.discount_share;
        e.discount_depth = o.discount_depth;
    }
    if let Some(o) = other(r) {
        if !o.serial_returner && !own.serial_returner {
            e.return_rate = o.return_rate;
        }
    }
    if let Some(o) = other(r) {
        e.holiday_share = o.holiday_share;
    }
    if let Some(o) = other(r) {
        e.sessions = o.sessions;
        e.events_per_session = o.events_per_session;
        e.cart_rate = o.cart_rate;
        e.dwell_seconds = o.dwell_seconds;
    }
    if let Some(o) = other(r) {
        e.survey_means = o.survey_means.clone();
        e.survey_response = o.survey_response;
    }
    if let Some(o) = other(r) {
        e.age = o.age;
        e.female = o.female;
    }
    e
}

/// A day in November or December (as days before as-of) near `day`, within the customer's
/// active period when one of its Novembers or Decembers falls there.
fn holiday_day(r: &mut Rand, as_of: NaiveDate, day: i64, tenure: i64, recency: i64) -> i64 {
    let date = as_of - Duration::days(day);
    let mut options: Vec<(i64, i64)> = Vec::new();
    for year in (date.year() - 3)..=(date.year() + 1) {
        let from = NaiveDate::from_ymd_opt(year, 11, 1).expect("date");
        let to = NaiveDate::from_ymd_opt(year, 12, 31).expect("date");
        // As ages: larger = earlier.
        let hi = (as_of - from).num_days().min(tenure).min(HISTORY_DAYS);
        let lo = (as_of - to).num_days().max(recency).max(1);
        if lo <= hi {
            options.push((lo, hi));
        }
    }
    if options.is_empty() {
        return day;
    }
    let (lo, hi) = options[r.below(options.len())];
    r.int(lo, hi)
}

fn mapping(p: &Preset, n: &Names, seed: u64) -> String {
    let q = |s: &str| format!("{s:?}");
    let delim = match n.delimiter {
        '\t' => "\\t".to_string(),
        c => c.to_string(),
    };
    let file_opts = |path: &str| {
        let mut s = format!("path = {}\n", q(path));
        if n.delimiter != ',' {
            let _ = writeln!(s, "delimiter = \"{delim}\"");
        }
        if n.decimal_comma {
            s.push_str("decimal = \",\"\n");
        }
        let _ = writeln!(s, "date_formats = [{}]", q(n.timestamp_format));
        s
    };
    let mut m = String::new();
    let _ = writeln!(
        m,
        "# segmint mapping of the truth-bench shop `{}` (seed {seed}), written by\n\
         # segmint::truth. The shop and its customers are invented; truth.csv holds the planted\n\
         # segment of every customer and segmint does not read it.\n\n\
         as_of = \"{}\"",
        p.name, p.as_of
    );
    if let Some(c) = p.currency {
        let _ = writeln!(m, "currency = {}", q(c));
    }
    m.push('\n');
    let _ = writeln!(m, "[transactions]\n{}", file_opts(n.tx_file));
    m.push_str("[transactions.columns]\n");
    let mut col = |k: &str, v: Option<&str>| {
        if let Some(v) = v {
            let _ = writeln!(m, "{k} = {}", q(v));
        }
    };
    col("customer_id", Some(n.customer_id));
    col("order_id", n.order_id);
    col("timestamp", Some(n.timestamp));
    col("product_id", n.product_id);
    col("category", n.category);
    col("quantity", Some(n.quantity));
    col("unit_price", n.unit_price);
    col("line_total", n.line_total);
    col("discount", n.discount);
    col("unit_cost", p.tables.cost.then_some(n.unit_cost));
    col("channel", n.channel);
    if p.tables.returns {
        if let Some((rq, ra)) = n.refund_columns {
            col("refunded_quantity", Some(rq));
            col("refunded_amount", Some(ra));
        }
    }
    if p.tables.returns && n.refund_columns.is_none() {
        let _ = writeln!(m, "\n[returns]\n{}", file_opts(n.ret_file));
        let [o, pr, qt, rf, h, t] = n.ret;
        let _ = writeln!(
            m,
            "[returns.columns]\norder_id = {}\nproduct_id = {}\nquantity = {}\nrefund = {}\n\
             handling_cost = {}\ntimestamp = {}",
            q(o),
            q(pr),
            q(qt),
            q(rf),
            q(h),
            q(t)
        );
    }
    if p.tables.events {
        let _ = writeln!(m, "\n[events]\n{}", file_opts(n.ev_file));
        let [c, s, t, e, cat, dw] = n.ev;
        let _ = writeln!(
            m,
            "[events.columns]\ncustomer_id = {}\nsession_id = {}\ntimestamp = {}\n\
             event_type = {}\ncategory = {}\ndwell_seconds = {}",
            q(c),
            q(s),
            q(t),
            q(e),
            q(cat),
            q(dw)
        );
        if n.map_events {
            let [page, item, search, cart, purchase] = n.event_names;
            let _ = writeln!(
                m,
                "\n[events.event_types]\nview = [{}, {}]\ncart = [{}]\nsearch = [{}]\npurchase = [{}]",
                q(page),
                q(item),
                q(cart),
                q(search),
                q(purchase)
            );
        }
    }
    if p.tables.survey {
        let _ = write!(m, "\n[survey]\n{}", file_opts(n.sv_file));
        let items: Vec<String> = n.sv_items.iter().map(|s| q(s)).collect();
        if p.tables.survey_long {
            let _ = writeln!(
                m,
                "layout = \"long\"\n\n[survey.columns]\ncustomer_id = {}\nquestion = \"question\"\nanswer = \"answer\"",
                q(n.sv_customer)
            );
        } else {
            let _ = writeln!(
                m,
                "items = [{}]\nscale = {{ min = 1.0, max = 5.0 }}\n\n[survey.columns]\ncustomer_id = {}",
                items.join(", "),
                q(n.sv_customer)
            );
        }
    }
    if p.tables.customers {
        let mut opts = file_opts(n.cu_file);
        opts = opts.replace(
            &format!("date_formats = [{}]", q(n.timestamp_format)),
            &format!("date_formats = [{}]", q(n.date_format)),
        );
        let [c, b, g, co, s] = n.cu;
        let _ = writeln!(
            m,
            "\n[customers]\n{opts}\n[customers.columns]\ncustomer_id = {}\nbirth_year = {}\n\
             gender = {}\ncountry = {}\nsignup_date = {}",
            q(c),
            q(b),
            q(g),
            q(co),
            q(s)
        );
    }
    m
}

/// How a segmentation matches the plant.
#[derive(Debug, Clone, PartialEq)]
pub struct Agreement {
    /// Adjusted Rand index between the planted and the proposed segments; unassigned
    /// customers (DBSCAN noise) count as one more proposed class of their own. `None` when
    /// the shop plants a single segment (the index is not defined against one class).
    pub ari: Option<f64>,
    /// Proposed segments (unassigned customers not counted).
    pub proposed_k: usize,
    /// Unassigned customers.
    pub unassigned: usize,
    /// The serial returners, when the shop plants them.
    pub returners: Option<ReturnerMatch>,
}

/// The proposed segment that best matches the planted serial returners (highest F1 of
/// recall and purity; unassigned customers are never a match).
#[derive(Debug, Clone, PartialEq)]
pub struct ReturnerMatch {
    /// Proposed segment (0-based, as in the assignment).
    pub segment: usize,
    /// Planted returners in that segment / planted returners.
    pub recall: f64,
    /// Planted returners in that segment / that segment's customers.
    pub purity: f64,
}

/// Compares a segmentation (`ids` with their proposed segment, `None` = unassigned) with the
/// plant. Every planted customer must be segmented exactly once and every segmented id must
/// be planted.
pub fn compare(truth: &[Planted], ids: &[String], segment: &[Option<usize>]) -> Result<Agreement> {
    if ids.len() != segment.len() {
        return Err(Error::Data(format!(
            "{} ids but {} segments: pass the assignment's ids and segments together",
            ids.len(),
            segment.len()
        )));
    }
    let planted: std::collections::HashMap<&str, &Planted> =
        truth.iter().map(|t| (t.customer_id.as_str(), t)).collect();
    let mut seen = std::collections::HashSet::new();
    let mut plant = Vec::with_capacity(ids.len());
    let mut returner = Vec::with_capacity(ids.len());
    for id in ids {
        let t = planted.get(id.as_str()).ok_or_else(|| {
            Error::Data(format!("customer {id:?} is segmented but not in the truth"))
        })?;
        if !seen.insert(id.as_str()) {
            return Err(Error::Data(format!("customer {id:?} is segmented twice")));
        }
        plant.push(Some(t.segment));
        returner.push(t.serial_returner);
    }
    if seen.len() != truth.len() {
        return Err(Error::Data(format!(
            "{} planted customers but {} segmented: every customer must be accounted for",
            truth.len(),
            seen.len()
        )));
    }
    let planted_k = truth
        .iter()
        .map(|t| t.segment)
        .collect::<std::collections::BTreeSet<_>>();
    let ari = (planted_k.len() > 1).then(|| adjusted_rand_index(segment, &plant));
    let proposed_k = segment.iter().flatten().max().map_or(0, |m| m + 1);
    let unassigned = segment.iter().filter(|s| s.is_none()).count();
    let total_returners = returner.iter().filter(|r| **r).count();
    let returners = (total_returners > 0).then(|| {
        let mut best: Option<(f64, ReturnerMatch)> = None;
        for s in 0..proposed_k {
            let size = segment.iter().filter(|x| **x == Some(s)).count();
            let hits = segment
                .iter()
                .zip(&returner)
                .filter(|(x, r)| **x == Some(s) && **r)
                .count();
            if size == 0 {
                continue;
            }
            let recall = hits as f64 / total_returners as f64;
            let purity = hits as f64 / size as f64;
            let f1 = if hits == 0 {
                0.0
            } else {
                2.0 * recall * purity / (recall + purity)
            };
            if best.as_ref().is_none_or(|(b, _)| f1 > *b) {
                best = Some((
                    f1,
                    ReturnerMatch {
                        segment: s,
                        recall,
                        purity,
                    },
                ));
            }
        }
        best.map(|b| b.1).unwrap_or(ReturnerMatch {
            segment: 0,
            recall: 0.0,
            purity: 0.0,
        })
    });
    Ok(Agreement {
        ari,
        proposed_k,
        unassigned,
        returners,
    })
}

#[cfg(test)]
mod tests;
