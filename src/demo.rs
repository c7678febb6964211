//! Synthetic demo data: a deterministic Nordic web shop with planted customer segments.
//!
//! [`generate`] returns the exports of a fictional Norwegian web shop selling to Norway, Sweden
//! and Denmark, with a ready mapping file and the planted truth. The files use conventions
//! segmint meets in the wild: `;` delimiters, decimal commas, a few `1 249,00` thousands
//! separators, `dd.mm.yyyy HH:MM` timestamps, Norwegian column names, a separate returns table,
//! GA4 event names, a wide survey with blank answers, mixed phone formats and visitors who
//! appear only in the event log.
//!
//! The same [`DemoParams`] always give byte-identical files: every random number comes from one
//! `ChaCha8Rng` seeded with [`DemoParams::seed`], and only exact floating point operations (no
//! `exp` or `ln`) are used, so the output does not depend on the platform's maths library.
//!
//! # Planted segments
//!
//! Every customer gets one segment, in exact shares shuffled over the customer ids. Order values
//! are list values before discount (each order varies ±40 % around the customer's own level).
//! Sessions are browsing sessions in the event log, which covers 2025 only; every web or app
//! order in 2025 adds a purchase session.
//!
//! | Segment | Share | Orders | When | Order value (NOK) | Discounts | Returned (by value) | Sessions |
//! |---|---|---|---|---|---|---|---|
//! | `loyal_high_spenders` | 15 % | 10–30 | first in 2023, last 3–40 days before as-of | 1 200–3 000 | 6 % of orders, 10–15 % off | ~5 % | 2–6 |
//! | `discount_hunters` | 20 % | 4–10 | 70 % in Black Friday, Christmas and January sales | 350–900 | 92 % of orders, 20–50 % off | ~10 % | 2–6, many in November |
//! | `serial_returners` | 10 % | 6–15 | from mid 2023, last within 90 days | 1 500–4 000, fashion | 12 %, 10–20 % off | 80–94 %, mostly whole orders | 3–8 |
//! | `new_customers` | 20 % | 1–2 | first order within 60 days of as-of | 500–1 500 | 35 %, 10–15 % off | ~8 % | 1–4 |
//! | `lapsed` | 20 % | 2–6 | all 400 or more days before as-of | 400–1 200 | 20 %, 10–30 % off | ~7 % | 0–2 |
//! | `browsers` | 15 % | none (85 %) or one, 4–24 months ago | — | 200–600 | 20 %, 10–20 % off | ~5 % | 15–40, long visits |
//!
//! On top of the customers, 2 % extra ids (`V00001`, ...) appear only in `events.csv`; they are
//! `browsers` in the truth. Every timestamp falls before [`AS_OF`] (the last day is 2025-12-30).
//!
//! # Files
//!
//! `transactions.csv`, `returns.csv`, `events.csv`, `survey.csv` (about a third of customers),
//! `customers.csv` (invented personal data), `mapping.toml` and `truth.csv`
//! (`customer_id,segment`, sorted by id; segmint never reads it).

use std::fmt::Write as _;
use std::ops::Range;

use chrono::{Datelike, NaiveDate};
use rand::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::error::{Error, Result};

/// The reference date of the demo data (`as_of` in its mapping).
pub const AS_OF: &str = "2025-12-31";

/// Fewest customers [`generate`] accepts, so that every segment has a few members.
pub const MIN_CUSTOMERS: usize = 60;

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoParams {
    /// Number of customers in `customers.csv` (at least [`MIN_CUSTOMERS`]).
    pub customers: usize,
    /// Seed of the random generator: the same parameters give byte-identical files.
    pub seed: u64,
}

impl Default for DemoParams {
    fn default() -> Self {
        DemoParams {
            customers: 3000,
            seed: 42,
        }
    }
}

/// The generated files and the planted segments.
#[derive(Debug, Clone)]
pub struct DemoData {
    /// `(file name, content)`: the five data files, `mapping.toml` and `truth.csv`.
    pub files: Vec<(String, String)>,
    /// The planted segment of every customer id (including event-only visitors), sorted by id.
    pub truth: Vec<(String, Segment)>,
}

/// A planted customer segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Segment {
    /// Many orders over years, recent, high order value, few discounts and returns.
    LoyalHighSpenders,
    /// Orders nearly always with a deep discount, mostly in sales seasons.
    DiscountHunters,
    /// High order values in fashion, 80–95 % of the value returned.
    SerialReturners,
    /// First order within the last 60 days, one or two orders.
    NewCustomers,
    /// A few orders, all more than a year before as-of.
    Lapsed,
    /// Many browsing sessions, no or one order.
    Browsers,
}

impl Segment {
    /// The snake_case name used in `truth.csv`.
    pub fn name(self) -> &'static str {
        match self {
            Segment::LoyalHighSpenders => "loyal_high_spenders",
            Segment::DiscountHunters => "discount_hunters",
            Segment::SerialReturners => "serial_returners",
            Segment::NewCustomers => "new_customers",
            Segment::Lapsed => "lapsed",
            Segment::Browsers => "browsers",
        }
    }

    /// All segments, in the order of the module table.
    pub fn all() -> [Segment; 6] {
        [
            Segment::LoyalHighSpenders,
            Segment::DiscountHunters,
            Segment::SerialReturners,
            Segment::NewCustomers,
            Segment::Lapsed,
            Segment::Browsers,
        ]
    }

    /// Planted share of the customers in `customers.csv`, in percent.
    pub fn share_pct(self) -> usize {
        match self {
            Segment::LoyalHighSpenders | Segment::Browsers => 15,
            Segment::SerialReturners => 10,
            _ => 20,
        }
    }
}

impl std::fmt::Display for Segment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Categories with their list price range (NOK) and `|`-separated brands.
const CATEGORIES: [(&str, f64, f64, &str); 8] = [
    ("Klær", 149.0, 3999.0, "Nordlys|Fjellrev|Havbris|Urban"),
    ("Sko", 299.0, 4499.0, "Steg|Fjellrev|Nordlys|Trå"),
    ("Elektronikk", 149.0, 9999.0, "Nordtek|Volt|Lydhav|Polarlys"),
    ("Hjem", 99.0, 5999.0, "Heim|Birk & Bark|Lunde|Stua"),
    ("Sport", 149.0, 5999.0, "Fjellrev|Toppform|Snøhvit|Skarv"),
    ("Skjønnhet", 59.0, 1499.0, "Glød|Ren Hud|Lunde"),
    ("Barn", 99.0, 2499.0, "Troll|Smårolling|Lekeland"),
    ("Bøker", 79.0, 699.0, "Fjordforlaget|Nordbok|Ravn"),
];
const PRODUCTS_PER_CATEGORY: usize = 120;
const CHANNELS: [&str; 3] = ["nett", "app", "butikk"];
const STORE: u8 = 2;
const EVENT_NAMES: [&str; 6] = [
    "page_view",
    "view_item",
    "view_search_results",
    "add_to_cart",
    "scroll",
    "purchase",
];
const PAGE_VIEW: u8 = 0;
const VIEW_ITEM: u8 = 1;
const ADD_TO_CART: u8 = 3;
const PURCHASE: u8 = 5;
const NO_CATEGORY: u8 = u8::MAX;
/// Relative traffic by hour of day.
const HOURS: [u32; 24] = [
    2, 1, 1, 0, 0, 1, 2, 4, 6, 7, 8, 9, 10, 9, 8, 8, 9, 10, 11, 12, 13, 12, 9, 4,
];
const SURVEY_ITEMS: [&str; 5] = [
    "q_price_sensitive",
    "q_brand_loyal",
    "q_sustainability",
    "q_convenience",
    "q_trend",
];
const HANDLING_ORE: i64 = 4900;

/// Countries: code, weight, and regions as (name, weight, first and last postcode).
type Regions = &'static [(&'static str, u32, u32, u32)];
const COUNTRIES: [(&str, u32, Regions); 3] = [
    (
        "NO",
        60,
        &[
            ("Oslo", 20, 150, 1295),
            ("Viken", 25, 1300, 1999),
            ("Innlandet", 7, 2000, 2999),
            ("Rogaland", 10, 4000, 4399),
            ("Agder", 6, 4400, 4999),
            ("Vestland", 12, 5000, 5999),
            ("Trøndelag", 9, 7000, 7999),
            ("Nordland", 5, 8000, 8999),
            ("Troms", 4, 9000, 9499),
        ],
    ),
    (
        "SE",
        25,
        &[
            ("Stockholm", 40, 10000, 19999),
            ("Västra Götaland", 30, 40000, 54999),
            ("Skåne", 22, 20000, 29999),
            ("Uppsala", 8, 74000, 75999),
        ],
    ),
    (
        "DK",
        15,
        &[
            ("Hovedstaden", 32, 1000, 3699),
            ("Sjælland", 14, 4000, 4999),
            ("Syddanmark", 21, 5000, 6999),
            ("Midtjylland", 23, 7000, 8999),
            ("Nordjylland", 10, 9000, 9999),
        ],
    ),
];
/// Per country (as in [`COUNTRIES`]): female first names, male first names, last names.
const NAMES: [[&str; 3]; 3] = [
    [
        "Nora Emma Ingrid Sofie Maja Olivia Ida Hanna Kari Anne Marit Silje Solveig Åse Tone",
        "Jakob Emil Noah Oskar Henrik Ola Per Lars Magnus Sindre Knut Bjørn Håkon Eirik Ørjan",
        "Hansen Johansen Olsen Larsen Andersen Pedersen Nilsen Karlsen Berg Haugen Hagen Bakken \
         Solberg Lie Dahl Strand Sæther Løken Fjeld Aas",
    ],
    [
        "Alice Maja Elsa Astrid Wilma Ebba Linnéa Saga Klara Karin Åsa",
        "William Hugo Liam Oscar Elias Axel Nils Erik Anders Björn Gustav",
        "Andersson Johansson Karlsson Nilsson Eriksson Larsson Olsson Persson Svensson Lindqvist \
         Lindström Åberg",
    ],
    [
        "Ida Emma Freja Clara Alma Karen Mette Signe Astrid",
        "William Noah Oscar Carl Mads Søren Rasmus Mikkel Anders",
        "Nielsen Jensen Hansen Pedersen Christensen Sørensen Rasmussen Jørgensen Madsen Kristensen",
    ],
];

/// How one segment behaves.
struct Profile {
    /// Weights of 1, 2, 3 and 4 lines per order.
    lines: [u32; 4],
    /// Range of the customer's typical order value (NOK, list prices).
    aov: (f64, f64),
    disc_prob: f64,
    disc_pcts: &'static [i64],
    /// Chance that a line is returned (serial returners: see `serial_returns`).
    ret_prob: f64,
    /// Weights of the categories.
    cats: [u32; 8],
    /// Weights of the channels.
    channels: [u32; 3],
    sessions: (i64, i64),
    events_per_session: (i64, i64),
    cart_weight: u32,
    /// Engagement time multiplier, in tenths.
    dwell: u32,
    survey_prob: f64,
    survey_means: [f64; 5],
    birth: (i64, i64),
    female: f64,
}

fn profile(s: Segment) -> Profile {
    let base = Profile {
        lines: [45, 35, 15, 5],
        aov: (500.0, 1500.0),
        disc_prob: 0.2,
        disc_pcts: &[10, 15, 20],
        ret_prob: 0.07,
        cats: [15, 12, 15, 15, 12, 12, 10, 9],
        channels: [60, 30, 10],
        sessions: (1, 4),
        events_per_session: (2, 6),
        cart_weight: 6,
        dwell: 10,
        survey_prob: 0.3,
        survey_means: [3.0, 3.0, 3.2, 3.2, 3.2],
        birth: (1975, 2005),
        female: 0.5,
    };
    match s {
        Segment::LoyalHighSpenders => Profile {
            lines: [30, 35, 25, 10],
            aov: (1200.0, 3000.0),
            disc_prob: 0.06,
            disc_pcts: &[10, 15],
            ret_prob: 0.05,
            cats: [15, 10, 20, 20, 20, 5, 5, 5],
            channels: [50, 35, 15],
            sessions: (2, 6),
            cart_weight: 8,
            survey_prob: 0.45,
            survey_means: [2.0, 4.3, 3.5, 4.0, 3.2],
            birth: (1958, 1990),
            ..base
        },
        Segment::DiscountHunters => Profile {
            lines: [25, 35, 25, 15],
            aov: (350.0, 900.0),
            disc_prob: 0.92,
            disc_pcts: &[20, 25, 30, 35, 40, 45, 50],
            ret_prob: 0.10,
            cats: [20, 10, 15, 10, 5, 20, 15, 5],
            channels: [55, 40, 5],
            sessions: (2, 6),
            survey_prob: 0.35,
            survey_means: [4.6, 2.0, 2.6, 3.0, 3.0],
            female: 0.6,
            ..base
        },
        Segment::SerialReturners => Profile {
            lines: [15, 35, 30, 20],
            aov: (1500.0, 4000.0),
            disc_prob: 0.12,
            ret_prob: 0.0,
            cats: [55, 30, 2, 2, 5, 6, 0, 0],
            channels: [70, 28, 2],
            sessions: (3, 8),
            survey_means: [3.0, 2.8, 2.2, 3.5, 4.5],
            birth: (1985, 2003),
            female: 0.75,
            ..base
        },
        Segment::NewCustomers => Profile {
            disc_prob: 0.35,
            disc_pcts: &[10, 15],
            ret_prob: 0.08,
            ..base
        },
        Segment::Lapsed => Profile {
            aov: (400.0, 1200.0),
            disc_pcts: &[10, 15, 20, 25, 30],
            cats: [10, 8, 10, 20, 10, 10, 17, 15],
            channels: [50, 10, 40],
            sessions: (0, 2),
            survey_prob: 0.25,
            survey_means: [3.3, 2.5, 3.0, 2.6, 2.4],
            birth: (1950, 2000),
            ..base
        },
        Segment::Browsers => Profile {
            lines: [70, 25, 5, 0],
            aov: (200.0, 600.0),
            ret_prob: 0.05,
            cats: [15, 10, 30, 10, 20, 5, 5, 5],
            channels: [70, 25, 5],
            sessions: (15, 40),
            events_per_session: (2, 7),
            cart_weight: 14,
            dwell: 14,
            survey_prob: 0.35,
            survey_means: [3.8, 2.6, 3.4, 2.8, 3.6],
            birth: (1985, 2005),
            female: 0.45,
            ..base
        },
    }
}

/// Random numbers, all from one ChaCha8 stream cut into 16-, 32- or 64-bit pieces (drawing
/// fewer words keeps debug builds fast).
struct Rand {
    rng: ChaCha8Rng,
    word: u64,
    left: u32,
}

impl Rand {
    fn bits(&mut self, n: u32) -> u64 {
        if n == 64 {
            return self.rng.next_u64();
        }
        if self.left < n {
            self.word = self.rng.next_u64();
            self.left = 64;
        }
        let v = self.word & ((1 << n) - 1);
        self.word >>= n;
        self.left -= n;
        v
    }

    /// Uniform in `0..n` by multiply-shift (each outcome off by at most 2^-8 of its chance).
    fn below(&mut self, n: u64) -> u64 {
        let b = match n {
            0..=256 => 16,
            257..=0xff_ffff => 32,
            _ => 64,
        };
        ((self.bits(b) as u128 * n as u128) >> b) as u64
    }

    /// Uniform in `lo..=hi`.
    fn int(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1) as u64) as i64
    }

    /// Uniform in `[0, 1)`.
    fn unit(&mut self) -> f64 {
        self.bits(32) as f64 / 4_294_967_296.0
    }

    fn float(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }

    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// An index with chance proportional to its weight.
    fn pick(&mut self, weights: &[u32]) -> usize {
        let mut r = self.below(weights.iter().sum::<u32>() as u64) as u32;
        let mut i = 0;
        while r >= weights[i] {
            r -= weights[i];
            i += 1;
        }
        i
    }

    fn choose<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len() as u64) as usize]
    }

    /// Roughly standard normal (Irwin–Hall with four uniforms).
    fn normalish(&mut self) -> f64 {
        ((0..4).map(|_| self.unit()).sum::<f64>() - 2.0) * 1.732_050_8
    }

    fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            v.swap(i, self.below(i as u64 + 1) as usize);
        }
    }
}

/// Day numbers count from 2021-01-01; order and return times are minutes, event times seconds.
/// The texts are made once: formatting every field anew is slow in debug builds.
struct Calendar {
    /// `dd.mm.yyyy` per day.
    nordic: Vec<String>,
    /// `yyyy-mm-dd` per day.
    iso: Vec<String>,
    month: Vec<u32>,
    /// ` HH:MM` per minute of the day.
    hm: Vec<String>,
}

impl Calendar {
    fn new() -> Calendar {
        let mut d = NaiveDate::from_ymd_opt(2021, 1, 1).expect("valid date");
        let mut cal = Calendar {
            nordic: Vec::new(),
            iso: Vec::new(),
            month: Vec::new(),
            hm: (0..1440)
                .map(|m| format!(" {:02}:{:02}", m / 60, m % 60))
                .collect(),
        };
        while d.year() < 2026 {
            let (y, m, dd) = (d.year(), d.month(), d.day());
            cal.nordic.push(format!("{dd:02}.{m:02}.{y}"));
            cal.iso.push(format!("{y}-{m:02}-{dd:02}"));
            cal.month.push(m);
            d = d.succ_opt().expect("valid date");
        }
        cal
    }
}

fn day(y: i32, m: u32, d: u32) -> i64 {
    let epoch = NaiveDate::from_ymd_opt(2021, 1, 1).expect("valid date");
    let date = NaiveDate::from_ymd_opt(y, m, d).expect("valid date");
    date.signed_duration_since(epoch).num_days()
}

/// Appends `v` in decimal, zero-padded to `width` digits.
fn push_int(out: &mut String, v: u64, width: usize) {
    let (mut buf, mut i, mut v) = ([b'0'; 20], 20, v);
    loop {
        i -= 1;
        buf[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    out.push_str(std::str::from_utf8(&buf[i.min(20 - width)..]).expect("ASCII digits"));
}

/// Appends øre as kroner with a decimal comma, optionally with a space thousands separator.
fn push_money(out: &mut String, ore: i64, spaced: bool) {
    let kr = ore as u64 / 100;
    if spaced && kr >= 1000 {
        push_int(out, kr / 1000, 1);
        out.push(' ');
        push_int(out, kr % 1000, 3);
    } else {
        push_int(out, kr, 1);
    }
    out.push(',');
    push_int(out, ore as u64 % 100, 2);
}

/// Appends `dd.mm.yyyy HH:MM`.
fn push_nordic_time(out: &mut String, cal: &Calendar, minute: i64) {
    out.push_str(&cal.nordic[(minute / 1440) as usize]);
    out.push_str(&cal.hm[(minute % 1440) as usize]);
}

struct Product {
    id: String,
    cat: u8,
    /// Unit price in øre.
    price: i64,
    /// `id;category;brand;`, then `price;cost;` as written, without and with a thousands space.
    texts: [String; 3],
}

struct Catalog {
    products: Vec<Product>,
    /// Per category, product indices sorted by price.
    by_price: Vec<Vec<u32>>,
}

impl Catalog {
    fn new(r: &mut Rand) -> Catalog {
        let (mut products, mut by_price) = (Vec::new(), Vec::new());
        for (c, &(_, lo, hi, brands)) in CATEGORIES.iter().enumerate() {
            let brands: Vec<&'static str> = brands.split('|').collect();
            let start = products.len() as u32;
            for i in 0..PRODUCTS_PER_CATEGORY {
                let u = r.unit();
                let raw = lo + (hi - lo) * u * u;
                let step = match raw {
                    x if x < 200.0 => 10.0,
                    x if x < 1000.0 => 50.0,
                    _ => 100.0,
                };
                let price = ((raw / step).round() * step - 1.0).max(49.0) as i64 * 100;
                let cost = (price as f64 * r.float(0.4, 0.6)).round() as i64;
                let brand = r.choose(&brands);
                let id = format!("P{}{:04}", c + 1, i + 1);
                let mut texts = [
                    format!("{id};{};{brand};", CATEGORIES[c].0),
                    String::new(),
                    String::new(),
                ];
                for (t, spaced) in [(1, false), (2, true)] {
                    push_money(&mut texts[t], price, spaced);
                    texts[t].push(';');
                    push_money(&mut texts[t], cost, false);
                    texts[t].push(';');
                }
                let cat = c as u8;
                products.push(Product {
                    id,
                    cat,
                    price,
                    texts,
                });
            }
            let mut idx: Vec<u32> = (start..products.len() as u32).collect();
            idx.sort_by_key(|&i| (products[i as usize].price, i));
            by_price.push(idx);
        }
        Catalog { products, by_price }
    }
}

struct Line {
    product: u32,
    qty: u8,
    discount: i64,
    returned: bool,
    /// Write the unit price and refund with a space thousands separator.
    spaced: bool,
}

impl Line {
    fn paid(&self, c: &Catalog) -> i64 {
        self.qty as i64 * c.products[self.product as usize].price - self.discount
    }
}

struct Order {
    customer: u32,
    minute: i64,
    channel: u8,
    lines: Range<u32>,
    return_minute: i64,
}

struct Session {
    user: u32,
    start: i64,
    events: Range<u32>,
}

struct Event {
    offset: u32,
    kind: u8,
    category: u8,
    seconds: u16,
}

/// Day numbers that matter.
struct Days {
    orders_from: i64,
    events_from: i64,
    /// Last day with data: the day before as-of.
    last: i64,
    as_of: i64,
}

struct Generator {
    r: Rand,
    cal: Calendar,
    days: Days,
    catalog: Catalog,
    /// Per country: female first names, male first names, last names.
    names: Vec<[Vec<&'static str>; 3]>,
    ids: Vec<String>,
    orders: Vec<Order>,
    lines: Vec<Line>,
    sessions: Vec<Session>,
    events: Vec<Event>,
    customers: String,
    survey: String,
    /// Browsing sessions per customer are multiplied by this (1 for the demo; more for the
    /// scale benchmark's event-heavy shops).
    sessions_factor: i64,
}

/// ASCII e-mail form of a name.
fn fold(name: &str) -> String {
    let mut s = String::with_capacity(name.len());
    for ch in name.chars().flat_map(char::to_lowercase) {
        match ch {
            'å' | 'ä' => s.push('a'),
            'ø' | 'ö' => s.push('o'),
            'æ' => s.push_str("ae"),
            'é' => s.push('e'),
            c => s.push(c),
        }
    }
    s
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

impl Generator {
    fn minute_of_day(&mut self, events: bool) -> i64 {
        let mut hours = HOURS;
        if events {
            hours[23] = 0; // sessions end before midnight
        }
        self.r.pick(&hours) as i64 * 60 + self.r.int(0, 59)
    }

    fn order_days(&mut self, seg: Segment) -> Vec<i64> {
        let Days {
            orders_from: from,
            last,
            as_of,
            ..
        } = self.days;
        let r = &mut self.r;
        let spread = |n: i64, first: i64, end: i64, r: &mut Rand| {
            let mut v = vec![first, end];
            v.extend((2..n).map(|_| r.int(first, end)));
            v
        };
        let mut days = match seg {
            Segment::LoyalHighSpenders => {
                let (n, first) = (r.int(10, 30), r.int(from, from + 364));
                spread(n, first, last - r.int(2, 39), r)
            }
            Segment::DiscountHunters => (0..r.int(4, 10))
                .map(|_| {
                    let y = r.int(2023, 2025) as i32;
                    match r.pick(&[45, 15, 10, 30]) {
                        0 => r.int(day(y, 11, 22), day(y, 12, 2)),
                        1 => r.int(day(y, 12, 3), day(y, 12, 30)),
                        2 => r.int(day(y, 1, 2), day(y, 1, 20)),
                        _ => r.int(from, last),
                    }
                })
                .collect(),
            Segment::SerialReturners => {
                let (n, first) = (r.int(6, 15), r.int(from + 150, from + 800));
                spread(n, first, last - r.int(5, 90), r)
            }
            Segment::NewCustomers => {
                let first = last - r.int(0, 59);
                if first < last && r.chance(0.4) {
                    vec![first, r.int(first + 1, last)]
                } else {
                    vec![first]
                }
            }
            Segment::Lapsed => {
                let (n, first) = (r.int(2, 6), r.int(from, from + 450));
                let end = (first + r.int(30, 400)).min(as_of - 400);
                spread(n, first, end, r)
            }
            Segment::Browsers if r.chance(0.15) => vec![r.int(as_of - 730, as_of - 120)],
            Segment::Browsers => Vec::new(),
        };
        days.sort_unstable();
        days
    }

    fn order(&mut self, customer: u32, day: i64, pr: &Profile, aov: f64, seg: Segment) {
        let minute = day * 1440 + self.minute_of_day(false);
        let r = &mut self.r;
        let channel = r.pick(&pr.channels) as u8;
        let n = 1 + r.pick(&pr.lines);
        let season = seg == Segment::DiscountHunters && self.cal.month[day as usize] >= 11;
        let value = aov * r.float(0.6, 1.4) * if season { 1.3 } else { 1.0 };
        let pct = if r.chance(pr.disc_prob) {
            r.choose(pr.disc_pcts)
        } else {
            0
        };
        let delay = r.int(3, 20) * 1440 + r.int(-600, 600);
        let return_minute = (minute + delay).min(self.days.last * 1440 + 1439);
        let weights: Vec<f64> = (0..n).map(|_| r.float(0.5, 1.5)).collect();
        let wsum: f64 = weights.iter().sum();
        let start = self.lines.len() as u32;
        for w in weights {
            let qty = 1 + r.pick(&[85, 12, 3]) as u8;
            let target = value * w / wsum / qty as f64;
            // Prefer a category that sells at about the target price.
            let mut cat = r.pick(&pr.cats);
            for _ in 0..4 {
                let (_, lo, hi, _) = CATEGORIES[cat];
                if target < hi * 1.1 && target > lo * 0.9 {
                    break;
                }
                cat = r.pick(&pr.cats);
            }
            let (list, ps) = (&self.catalog.by_price[cat], &self.catalog.products);
            let i = list.partition_point(|&p| (ps[p as usize].price as f64) < target * 100.0);
            let j = (i as i64 + r.int(-4, 4)).clamp(0, list.len() as i64 - 1);
            let product = list[j as usize];
            let gross = qty as i64 * ps[product as usize].price;
            self.lines.push(Line {
                product,
                qty,
                discount: (gross as f64 * pct as f64 / 100.0).round() as i64,
                returned: r.chance(pr.ret_prob),
                spaced: gross >= 100_000 && r.chance(0.1),
            });
        }
        let lines = start..self.lines.len() as u32;
        self.orders.push(Order {
            customer,
            minute,
            channel,
            lines,
            return_minute,
        });
    }

    /// Returns 83–94 % of a serial returner's value: the biggest orders whole, then single
    /// lines, then the cheapest lines left until at least 80 % is back.
    fn serial_returns(&mut self, orders: Range<usize>) {
        let c = &self.catalog;
        let value = |o: &Order| -> i64 {
            (o.lines.clone())
                .map(|l| self.lines[l as usize].paid(c))
                .sum()
        };
        let mut idx: Vec<(i64, usize)> = (orders.clone())
            .map(|i| (-value(&self.orders[i]), i))
            .collect();
        idx.sort_unstable();
        let total = -idx.iter().map(|x| x.0).sum::<i64>();
        let goal = (total as f64 * self.r.float(0.83, 0.94)) as i64;
        let mut back = 0;
        for (minus_value, i) in idx {
            let whole = back - minus_value <= goal;
            for l in self.orders[i].lines.clone() {
                let line = &mut self.lines[l as usize];
                let v = line.paid(c);
                if whole || back + v <= goal {
                    back += v;
                    line.returned = true;
                }
            }
        }
        // A customer's lines are stored together.
        let all = self.orders[orders.start].lines.start..self.orders[orders.end - 1].lines.end;
        let mut rest: Vec<(i64, u32)> = (all.filter(|&l| !self.lines[l as usize].returned))
            .map(|l| (self.lines[l as usize].paid(c), l))
            .collect();
        rest.sort_unstable();
        for (v, l) in rest {
            if back * 5 >= total * 4 {
                break;
            }
            back += v;
            self.lines[l as usize].returned = true;
        }
    }

    fn customer_row(&mut self, i: usize, pr: &Profile, signup: i64) {
        let r = &mut self.r;
        let country = r.pick(&COUNTRIES.map(|c| c.1));
        let (code, _, regions) = COUNTRIES[country];
        let (region, _, lo, hi) = regions[r.pick(&regions.iter().map(|x| x.1).collect::<Vec<_>>())];
        let female = r.chance(pr.female);
        let first = r.choose(&self.names[country][if female { 0 } else { 1 }]);
        let last = r.choose(&self.names[country][2]);
        let gender = match r.int(0, 99) {
            0..=1 => "",
            _ if female => "F",
            _ => "M",
        };
        let (f, l, n) = (fold(first), fold(last), i + 1);
        let email = match r.int(0, 99) {
            0..=4 => format!("{}.{}{n}@example.com", capitalize(&f), capitalize(&l)),
            5..=7 => format!("{f}.{l}{n}@EXAMPLE.COM"),
            8..=9 => format!(" {f}.{l}{n}@example.com "),
            _ => format!("{f}.{l}{n}@example.com"),
        };
        let num = r.int(0, 9_999_999);
        let phone = match (code, r.int(0, 99)) {
            (_, 0..=2) => String::new(),
            ("NO", f) => {
                let n = format!("{}{num:07}", r.choose(&[4, 9]));
                match f {
                    3..=40 => format!("+47 {} {} {}", &n[..3], &n[3..5], &n[5..]),
                    41..=60 => format!("0047{n}"),
                    61..=70 => format!("+47{n}"),
                    _ => n,
                }
            }
            ("SE", f) => {
                let n = format!("7{}{num:07}", r.choose(&[0, 2, 3, 6, 9]));
                let (a, b, c, d) = (&n[..2], &n[2..5], &n[5..7], &n[7..]);
                match f {
                    3..=60 => format!("+46 {a} {b} {c} {d}"),
                    61..=80 => format!("0{a}-{b} {c} {d}"),
                    _ => format!("0046{n}"),
                }
            }
            (_, f) => {
                let n = format!("{}{num:07}", r.int(2, 6));
                match f {
                    3..=60 => format!("+45 {} {} {} {}", &n[..2], &n[2..4], &n[4..6], &n[6..]),
                    61..=80 => format!("0045{n}"),
                    _ => n,
                }
            }
        };
        let p = r.int(lo as i64, hi as i64);
        let postcode = match (r.int(0, 99), code) {
            (0, _) => String::new(),
            (_, "SE") => format!("{:03} {:02}", p / 100, p % 100),
            _ => format!("{p:04}"),
        };
        let region = if r.int(0, 99) < 2 { "" } else { region };
        let birth = r.int(pr.birth.0, pr.birth.1);
        let (id, signup) = (&self.ids[i], &self.cal.iso[signup as usize]);
        let _ = writeln!(
            self.customers,
            "{id},{first},{last},{email},{phone},{birth},{gender},{code},{region},{postcode},{signup}"
        );
    }

    fn survey_row(&mut self, i: usize, pr: &Profile) {
        if !self.r.chance(pr.survey_prob) {
            return;
        }
        self.survey.push_str(&self.ids[i]);
        for mean in pr.survey_means {
            let v = (mean + 0.85 * self.r.normalish()).round().clamp(1.0, 5.0);
            self.survey.push(',');
            if self.r.int(0, 99) >= 3 {
                push_int(&mut self.survey, v as u64, 1);
            }
        }
        self.survey.push('\n');
    }

    fn engagement(&mut self, kind: u8, dwell: u32) -> u16 {
        let u = self.r.below(256) as f64 / 256.0;
        let (lo, span) = match kind {
            PAGE_VIEW => (3.0, 90.0),
            VIEW_ITEM => (5.0, 150.0),
            ADD_TO_CART => (1.0, 8.0),
            PURCHASE => (10.0, 80.0),
            _ => (2.0, 40.0),
        };
        ((lo + span * u * u) * dwell as f64 / 10.0).round() as u16
    }

    /// Appends a session of the given events; the last one happens at `end` if given.
    fn session(&mut self, user: u32, start: i64, steps: &[(u8, u8)], dwell: u32, end: bool) {
        let first = self.events.len() as u32;
        let mut offset = 0;
        for (k, &(kind, category)) in steps.iter().enumerate() {
            let seconds = self.engagement(kind, dwell);
            self.events.push(Event {
                offset,
                kind,
                category,
                seconds,
            });
            if k + 1 < steps.len() {
                offset += seconds as u32 + self.r.int(2, 19) as u32;
            }
        }
        let start = if end { start - offset as i64 } else { start };
        let events = first..self.events.len() as u32;
        self.sessions.push(Session {
            user,
            start,
            events,
        });
    }

    /// A browsing session on `day`.
    fn browse(&mut self, user: u32, day: i64, pr: &Profile) {
        let start = day * 86400 + self.minute_of_day(true) * 60 + self.r.int(0, 59);
        let n = self.r.int(pr.events_per_session.0, pr.events_per_session.1);
        let steps: Vec<(u8, u8)> = (0..n)
            .map(|k| {
                let kind = match k {
                    0 => PAGE_VIEW,
                    _ => self.r.pick(&[30, 35, 8, pr.cart_weight, 10]) as u8,
                };
                match kind {
                    VIEW_ITEM | ADD_TO_CART => (kind, self.r.pick(&pr.cats) as u8),
                    _ => (kind, NO_CATEGORY),
                }
            })
            .collect();
        self.session(user, start, &steps, pr.dwell, false);
    }

    /// The session of a web or app order: views and cart adds of its lines, then `purchase`.
    fn purchase_session(&mut self, user: u32, order: usize, pr: &Profile) {
        let o = &self.orders[order];
        let cats: Vec<u8> = (o.lines.clone())
            .map(|l| self.catalog.products[self.lines[l as usize].product as usize].cat)
            .collect();
        let steps: Vec<(u8, u8)> = std::iter::once((PAGE_VIEW, NO_CATEGORY))
            .chain(cats.iter().map(|&c| (VIEW_ITEM, c)))
            .chain(cats.iter().map(|&c| (ADD_TO_CART, c)))
            .chain(std::iter::once((PURCHASE, cats[0])))
            .collect();
        self.session(user, o.minute * 60, &steps, pr.dwell, true);
    }

    fn customer(&mut self, i: usize, seg: Segment) {
        let pr = profile(seg);
        let aov = self.r.float(pr.aov.0, pr.aov.1);
        let first_order = self.orders.len();
        for d in self.order_days(seg) {
            self.order(i as u32, d, &pr, aov, seg);
        }
        let orders = first_order..self.orders.len();
        if seg == Segment::SerialReturners {
            self.serial_returns(orders.clone());
        }
        let first_day = self.orders.get(first_order).map(|o| o.minute / 1440);
        let signup = match first_day {
            Some(f) if self.r.chance(0.25) => f,
            Some(f) => (f - self.r.int(1, 180)).max(0),
            None => self.r.int(self.days.as_of - 700, self.days.last - 30),
        };
        self.customer_row(i, &pr, signup);
        let last = self.days.last;
        let from = match (seg, first_day) {
            (Segment::NewCustomers, Some(f)) => f - 14,
            _ => signup,
        }
        .clamp(self.days.events_from, last);
        let (nov, dec) = (day(2025, 11, 15), day(2025, 12, 20));
        for _ in 0..self.r.int(pr.sessions.0, pr.sessions.1) * self.sessions_factor {
            let d = match seg {
                Segment::DiscountHunters if from <= nov && self.r.chance(0.4) => {
                    self.r.int(nov, dec)
                }
                _ => self.r.int(from, last),
            };
            self.browse(i as u32, d, &pr);
        }
        for o in orders {
            let ord = &self.orders[o];
            if ord.channel != STORE && ord.minute / 1440 >= self.days.events_from {
                self.purchase_session(i as u32, o, &pr);
            }
        }
        self.survey_row(i, &pr);
    }

    fn transactions_and_returns(&self) -> (String, String) {
        let (mut tx, mut rt) = (Vec::new(), Vec::new());
        self.write_transactions_and_returns(&mut tx, &mut rt)
            .expect("writing to memory");
        (text(tx), text(rt))
    }

    /// Writes `transactions.csv` and `returns.csv` in pieces of about a megabyte.
    fn write_transactions_and_returns(
        &self,
        tx_out: &mut dyn std::io::Write,
        rt_out: &mut dyn std::io::Write,
    ) -> std::io::Result<()> {
        // Orders in time order get increasing ids (orders are stored in customer order).
        let mut keys: Vec<u64> = (self.orders.iter().enumerate())
            .map(|(o, ord)| (ord.minute as u64) << 40 | o as u64)
            .collect();
        keys.sort_unstable();
        let qty: Vec<String> = (0..10).map(|q| format!("{q};")).collect();
        let channels = CHANNELS.map(|c| format!(";{c}\n"));
        let mut tx = String::with_capacity(CHUNK + 1024);
        tx.push_str("ordre_id;kunde_id;tidspunkt;produkt_id;kategori;merke;antall;enhetspris;enhetskost;rabatt;kanal\n");
        let mut returned: Vec<(i64, usize, u32)> = Vec::new();
        let mut prefix = String::new();
        for (k, key) in keys.into_iter().enumerate() {
            let ord = &self.orders[(key & 0xff_ffff_ffff) as usize];
            prefix.clear();
            prefix.push('O');
            push_int(&mut prefix, k as u64 + 1, 7);
            prefix.push(';');
            prefix.push_str(&self.ids[ord.customer as usize]);
            prefix.push(';');
            push_nordic_time(&mut prefix, &self.cal, ord.minute);
            prefix.push(';');
            for l in ord.lines.clone() {
                let line = &self.lines[l as usize];
                let p = &self.catalog.products[line.product as usize];
                tx.push_str(&prefix);
                tx.push_str(&p.texts[0]);
                tx.push_str(&qty[line.qty as usize]);
                tx.push_str(&p.texts[1 + line.spaced as usize]);
                if line.discount == 0 {
                    tx.push_str("0,00");
                } else {
                    push_money(&mut tx, line.discount, false);
                }
                tx.push_str(&channels[ord.channel as usize]);
                if line.returned {
                    returned.push((ord.return_minute, k + 1, l));
                }
            }
            if tx.len() >= CHUNK {
                tx_out.write_all(tx.as_bytes())?;
                tx.clear();
            }
        }
        tx_out.write_all(tx.as_bytes())?;
        returned.sort_unstable();
        let mut rt = String::with_capacity(CHUNK + 1024);
        rt.push_str("ordre_id;produkt_id;antall;refusjon;returkostnad;returdato\n");
        for &(minute, k, l) in &returned {
            let line = &self.lines[l as usize];
            rt.push('O');
            push_int(&mut rt, k as u64, 7);
            rt.push(';');
            rt.push_str(&self.catalog.products[line.product as usize].id);
            rt.push(';');
            push_int(&mut rt, line.qty as u64, 1);
            rt.push(';');
            push_money(&mut rt, line.paid(&self.catalog), line.spaced);
            rt.push(';');
            push_money(&mut rt, HANDLING_ORE, false);
            rt.push(';');
            push_nordic_time(&mut rt, &self.cal, minute);
            rt.push('\n');
            if rt.len() >= CHUNK {
                rt_out.write_all(rt.as_bytes())?;
                rt.clear();
            }
        }
        rt_out.write_all(rt.as_bytes())
    }

    fn events_csv(&self) -> String {
        let mut ev = Vec::with_capacity(self.events.len() * 62 + 128);
        self.write_events(&mut ev).expect("writing to memory");
        text(ev)
    }

    /// Writes `events.csv` in pieces of about a megabyte.
    fn write_events(&self, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        // Sessions in time order get increasing ids (sessions are stored in user order).
        let mut keys: Vec<u64> = (self.sessions.iter().enumerate())
            .map(|(s, session)| (session.start as u64) << 34 | s as u64)
            .collect();
        keys.sort_unstable();
        let seconds: Vec<String> = (0..60).map(|s| format!(":{s:02},")).collect();
        let mut names = Vec::new();
        for name in EVENT_NAMES {
            let cats = CATEGORIES.iter().map(|c| c.0).chain([""]);
            names.push(cats.map(|c| format!("{name},{c},")).collect::<Vec<_>>());
        }
        let dwell: Vec<String> = (0..1000).map(|v| format!("{v}\n")).collect();
        let mut ev = String::with_capacity(CHUNK + 1024);
        ev.push_str("user_id,session_id,event_time,event_name,item_category,engagement_time_sec\n");
        let mut prefix = String::new();
        for (k, key) in keys.into_iter().enumerate() {
            let session = &self.sessions[(key & 0x3_ffff_ffff) as usize];
            prefix.clear();
            prefix.push_str(&self.ids[session.user as usize]);
            prefix.push_str(",S");
            push_int(&mut prefix, k as u64 + 1, 8);
            prefix.push(',');
            for e in &self.events[session.events.start as usize..session.events.end as usize] {
                let t = session.start + e.offset as i64;
                ev.push_str(&prefix);
                ev.push_str(&self.cal.iso[(t / 86400) as usize]);
                ev.push_str(&self.cal.hm[(t % 86400 / 60) as usize]);
                ev.push_str(&seconds[(t % 60) as usize]);
                ev.push_str(&names[e.kind as usize][(e.category as usize).min(8)]);
                ev.push_str(&dwell[e.seconds as usize]);
            }
            if ev.len() >= CHUNK {
                out.write_all(ev.as_bytes())?;
                ev.clear();
            }
        }
        out.write_all(ev.as_bytes())
    }
}

/// Bytes a writer collects before writing them out.
const CHUNK: usize = 1 << 20;

/// Text written by the generator (always ASCII or UTF-8 pieces).
fn text(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).expect("the generator writes UTF-8")
}

/// Segment sizes for `n` customers: the shares, rounded by largest remainder.
fn segment_counts(n: usize) -> [usize; 6] {
    let mut counts = Segment::all().map(|s| n * s.share_pct() / 100);
    let mut order: Vec<usize> = (0..6).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(n * Segment::all()[i].share_pct() % 100));
    let missing = n - counts.iter().sum::<usize>();
    order.iter().take(missing).for_each(|&i| counts[i] += 1);
    counts
}

fn mapping_toml(p: &DemoParams) -> String {
    let nordic = "delimiter = \";\"\ndecimal = \",\"\ndate_formats = [\"%d.%m.%Y %H:%M\"]";
    let items = SURVEY_ITEMS.map(|s| format!("{s:?}")).join(", ");
    format!(
        r#"# segmint mapping for the synthetic demo shop.
# Generated by `segmint demo --customers {customers} --seed {seed}` together with the data files
# next to it. The shop, its customers, names, e-mails and phone numbers are all invented.
# truth.csv holds the planted segment of every customer id; segmint does not read it.

as_of = "{AS_OF}"
currency = "NOK"
vat = "included"                # the order lines hold consumer prices, VAT included

[transactions]
path = "transactions.csv"
{nordic}

[transactions.columns]
customer_id = "kunde_id"
order_id = "ordre_id"
timestamp = "tidspunkt"
product_id = "produkt_id"
category = "kategori"
brand = "merke"
quantity = "antall"
unit_price = "enhetspris"
unit_cost = "enhetskost"
discount = "rabatt"
channel = "kanal"

[returns]
path = "returns.csv"
{nordic}

[returns.columns]
order_id = "ordre_id"
product_id = "produkt_id"
quantity = "antall"
refund = "refusjon"
handling_cost = "returkostnad"
timestamp = "returdato"

[events]
path = "events.csv"
date_formats = ["%Y-%m-%d %H:%M:%S"]

[events.columns]
customer_id = "user_id"
session_id = "session_id"
timestamp = "event_time"
event_type = "event_name"
category = "item_category"
dwell_seconds = "engagement_time_sec"

# GA4 event names; `scroll` is not listed, so it counts as `other`.
[events.event_types]
view = ["page_view", "view_item"]
cart = ["add_to_cart"]
search = ["view_search_results"]
purchase = ["purchase"]

[survey]
path = "survey.csv"
layout = "wide"
items = [{items}]
scale = {{ min = 1.0, max = 5.0 }}

[survey.columns]
customer_id = "customer_id"

[survey.factors]
shopping_enjoyment = ["q_trend", "q_brand_loyal"]

# How the report names each item and factor, per language (optional).
[survey.labels.q_price_sensitive]
en = "price-conscious"
nb = "prisbevisst"
sv = "priskänslig"
da = "prisbevidst"

[survey.labels.q_brand_loyal]
en = "loyal to brands"
nb = "merkelojal"
sv = "varumärkeslojal"
da = "mærkeloyal"

[survey.labels.q_sustainability]
en = "cares about sustainability"
nb = "opptatt av bærekraft"
sv = "bryr sig om hållbarhet"
da = "går op i bæredygtighed"

[survey.labels.q_convenience]
en = "values convenience"
nb = "verdsetter enkel handel"
sv = "värdesätter bekvämlighet"
da = "sætter pris på bekvemmelighed"

[survey.labels.q_trend]
en = "follows trends"
nb = "følger trender"
sv = "följer trender"
da = "følger trends"

[survey.labels.shopping_enjoyment]
en = "enjoys shopping"
nb = "liker å handle"
sv = "tycker om att handla"
da = "kan lide at handle"

[customers]
path = "customers.csv"
date_formats = ["%Y-%m-%d"]

[customers.columns]
customer_id = "customer_id"
first_name = "first_name"
last_name = "last_name"
email = "email"
phone = "phone"
birth_year = "birth_year"
gender = "gender"
country = "country"
region = "region"
postcode = "postcode"
signup_date = "signup_date"

# Lookalike seeds (`segmint seeds`): local phone numbers of customers whose country is not
# known are Norwegian; Meta's value column is the return-adjusted profit.
[lookalike]
default_country_code = "47"
value = "contribution_profit"

# How the report names the data's own words (categories, channels, countries), per
# language (optional).
[labels.levels."Klær"]
en = "clothing"
nb = "klær"
sv = "kläder"
da = "tøj"

[labels.levels."Sko"]
en = "shoes"
nb = "sko"
sv = "skor"
da = "sko"

[labels.levels."Elektronikk"]
en = "electronics"
nb = "elektronikk"
sv = "elektronik"
da = "elektronik"

[labels.levels."Hjem"]
en = "home"
nb = "hjem og interiør"
sv = "hem och inredning"
da = "bolig"

[labels.levels."Sport"]
en = "sports"
nb = "sport"
sv = "sport"
da = "sport"

[labels.levels."Skjønnhet"]
en = "beauty"
nb = "skjønnhet"
sv = "skönhet"
da = "skønhed"

[labels.levels."Barn"]
en = "children"
nb = "barn"
sv = "barn"
da = "børn"

[labels.levels."Bøker"]
en = "books"
nb = "bøker"
sv = "böcker"
da = "bøger"

[labels.levels."nett"]
en = "web shop"
nb = "nettbutikk"
sv = "webbutik"
da = "webshop"

[labels.levels."app"]
en = "app"
nb = "app"
sv = "app"
da = "app"

[labels.levels."butikk"]
en = "store"
nb = "butikk"
sv = "butik"
da = "butik"

[labels.levels."NO"]
en = "Norway"
nb = "Norge"
sv = "Norge"
da = "Norge"

[labels.levels."SE"]
en = "Sweden"
nb = "Sverige"
sv = "Sverige"
da = "Sverige"

[labels.levels."DK"]
en = "Denmark"
nb = "Danmark"
sv = "Danmark"
da = "Danmark"
"#,
        customers = p.customers,
        seed = p.seed,
    )
}

/// Generates the demo shop: the data files, `mapping.toml` and `truth.csv`.
///
/// Fails with [`Error::Data`] when `p.customers` is below [`MIN_CUSTOMERS`].
pub fn generate(p: &DemoParams) -> Result<DemoData> {
    let (g, segments) = simulate(p, 1)?;
    let (transactions, returns) = g.transactions_and_returns();
    let events = g.events_csv();
    let truth = truth_of(g.ids.clone(), segments);
    let files = [
        ("transactions.csv", transactions),
        ("returns.csv", returns),
        ("events.csv", events),
        ("survey.csv", g.survey),
        ("customers.csv", g.customers),
        ("mapping.toml", mapping_toml(p)),
        ("truth.csv", truth_csv(&truth)),
    ];
    let files = files.into_iter().map(|(n, c)| (n.to_string(), c)).collect();
    Ok(DemoData { files, truth })
}

/// Writes the demo shop of `p` into the folder `dir` (created if missing) the way [`generate`]
/// returns it, with every customer's browsing sessions multiplied by `sessions_factor` (1:
/// the files of [`generate`], byte for byte). The big files are written in pieces, so shops
/// with a million customers and a hundred million events fit in memory (for the scale
/// benchmark, `benches/scale.sh`). Each file is written to a temporary name and renamed.
/// Returns the names of the files written.
pub fn write_shop(
    p: &DemoParams,
    sessions_factor: u32,
    dir: &std::path::Path,
) -> Result<Vec<String>> {
    use std::io::Write as _;
    let (g, segments) = simulate(p, sessions_factor.max(1) as i64)?;
    std::fs::create_dir_all(dir).map_err(|source| Error::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    let io = |path: &std::path::Path| {
        let path = path.to_path_buf();
        move |source| Error::Io {
            path: path.clone(),
            source,
        }
    };
    let write = |name: &str,
                 fill: &mut dyn FnMut(&mut dyn std::io::Write) -> std::io::Result<()>|
     -> Result<()> {
        let path = dir.join(name);
        let tmp = dir.join(format!(".{name}.tmp"));
        let file = std::fs::File::create(&tmp).map_err(io(&tmp))?;
        let mut w = std::io::BufWriter::with_capacity(CHUNK, file);
        fill(&mut w).map_err(io(&tmp))?;
        w.flush().map_err(io(&tmp))?;
        drop(w);
        std::fs::rename(&tmp, &path).map_err(io(&path))
    };
    let tx_tmp = dir.join(".transactions.csv.tmp");
    let rt_tmp = dir.join(".returns.csv.tmp");
    {
        let mut tx = std::io::BufWriter::with_capacity(
            CHUNK,
            std::fs::File::create(&tx_tmp).map_err(io(&tx_tmp))?,
        );
        let mut rt = std::io::BufWriter::with_capacity(
            CHUNK,
            std::fs::File::create(&rt_tmp).map_err(io(&rt_tmp))?,
        );
        g.write_transactions_and_returns(&mut tx, &mut rt)
            .and_then(|_| tx.flush())
            .and_then(|_| rt.flush())
            .map_err(io(&tx_tmp))?;
    }
    std::fs::rename(&tx_tmp, dir.join("transactions.csv")).map_err(io(&tx_tmp))?;
    std::fs::rename(&rt_tmp, dir.join("returns.csv")).map_err(io(&rt_tmp))?;
    write("events.csv", &mut |w| g.write_events(w))?;
    write("survey.csv", &mut |w| w.write_all(g.survey.as_bytes()))?;
    write("customers.csv", &mut |w| {
        w.write_all(g.customers.as_bytes())
    })?;
    write("mapping.toml", &mut |w| {
        w.write_all(mapping_toml(p).as_bytes())
    })?;
    let truth = truth_of(g.ids.clone(), segments);
    write("truth.csv", &mut |w| {
        w.write_all(truth_csv(&truth).as_bytes())
    })?;
    Ok([
        "transactions.csv",
        "returns.csv",
        "events.csv",
        "survey.csv",
        "customers.csv",
        "mapping.toml",
        "truth.csv",
    ]
    .map(String::from)
    .to_vec())
}

/// The planted segment of every id (customers in id order, then the event-only visitors,
/// who are browsers), sorted by id.
fn truth_of(ids: Vec<String>, segments: Vec<Segment>) -> Vec<(String, Segment)> {
    let segments = segments
        .into_iter()
        .chain(std::iter::repeat(Segment::Browsers));
    let mut truth: Vec<(String, Segment)> = ids.into_iter().zip(segments).collect();
    truth.sort();
    truth
}

fn truth_csv(truth: &[(String, Segment)]) -> String {
    let mut tr = String::with_capacity(truth.len() * 24 + 32);
    tr.push_str("customer_id,segment\n");
    for (id, s) in truth {
        let _ = writeln!(tr, "{id},{s}");
    }
    tr
}

/// Draws every customer, order, return and session of the shop; returns the generator and
/// the planted segment of each customer (in customer order).
fn simulate(p: &DemoParams, sessions_factor: i64) -> Result<(Generator, Vec<Segment>)> {
    if p.customers < MIN_CUSTOMERS {
        return Err(Error::Data(format!(
            "the demo needs at least {MIN_CUSTOMERS} customers so that every planted segment \
             has members, but {} were asked for; ask for {MIN_CUSTOMERS} or more",
            p.customers
        )));
    }
    let n = p.customers;
    let visitors = (n + 25) / 50;
    let mut r = Rand {
        rng: ChaCha8Rng::seed_from_u64(p.seed),
        word: 0,
        left: 0,
    };
    let catalog = Catalog::new(&mut r);
    let mut segments: Vec<Segment> = Segment::all()
        .into_iter()
        .zip(segment_counts(n))
        .flat_map(|(s, c)| std::iter::repeat_n(s, c))
        .collect();
    r.shuffle(&mut segments);
    let as_of = day(2025, 12, 31);
    let mut g = Generator {
        r,
        cal: Calendar::new(),
        days: Days {
            orders_from: day(2023, 1, 1),
            events_from: day(2025, 1, 1),
            last: as_of - 1,
            as_of,
        },
        catalog,
        names: NAMES
            .iter()
            .map(|c| c.map(|s| s.split_whitespace().collect()))
            .collect(),
        ids: (0..n)
            .map(|i| format!("K{:06}", i + 1))
            .chain((0..visitors).map(|j| format!("V{:05}", j + 1)))
            .collect(),
        orders: Vec::with_capacity(n * 7),
        lines: Vec::with_capacity(n * 16),
        sessions: Vec::with_capacity(n * 10 * sessions_factor as usize),
        events: Vec::with_capacity(n * 45 * sessions_factor as usize),
        customers: String::with_capacity(n * 100 + 128),
        survey: String::with_capacity(n * 6 + 128),
        sessions_factor,
    };
    g.customers.push_str("customer_id,first_name,last_name,email,phone,birth_year,gender,country,region,postcode,signup_date\n");
    let _ = writeln!(g.survey, "customer_id,{}", SURVEY_ITEMS.join(","));
    for (i, &seg) in segments.iter().enumerate() {
        g.customer(i, seg);
    }
    let visitor = profile(Segment::Browsers);
    for j in 0..visitors {
        for _ in 0..g.r.int(3, 25) * g.sessions_factor {
            let d = g.r.int(g.days.events_from, g.days.last);
            g.browse((n + j) as u32, d, &visitor);
        }
    }
    Ok((g, segments))
}

/// The campaign planted in the post period of [`post_period`], per planted segment:
/// (segment, conversion of the control group, conversion of the treated, mean order value in
/// NOK). Serial returners and browsers do not respond; the others do.
pub const CAMPAIGN: [(Segment, f64, f64, f64); 6] = [
    (Segment::LoyalHighSpenders, 0.40, 0.60, 1800.0),
    (Segment::DiscountHunters, 0.20, 0.40, 600.0),
    (Segment::SerialReturners, 0.30, 0.30, 2500.0),
    (Segment::NewCustomers, 0.15, 0.30, 900.0),
    (Segment::Lapsed, 0.05, 0.12, 700.0),
    (Segment::Browsers, 0.04, 0.04, 400.0),
];

/// The post period after a campaign with a known effect (January 2026, after [`AS_OF`]).
///
/// Every customer of `truth` orders once with the chance [`CAMPAIGN`] gives their planted
/// segment and group (`control` holds the held-out ids), one line with a value uniform in
/// 60–140 % of the segment's mean order value, so the expected revenue per customer is exactly
/// conversion × mean. Returns `post_period.csv` (the columns and conventions of
/// `transactions.csv`, so the demo's mapping reads it) and `post_period_truth.csv`
/// (`customer_id,planted_segment,group,expected_revenue_control,expected_revenue_treatment`).
pub fn post_period(
    p: &DemoParams,
    truth: &[(String, Segment)],
    control: &std::collections::HashSet<String>,
) -> (String, String) {
    let mut r = Rand {
        rng: ChaCha8Rng::seed_from_u64(p.seed ^ 0xca3b_a161),
        word: 0,
        left: 0,
    };
    let mut orders: Vec<(i64, String, i64)> = Vec::new();
    let mut tr = String::from(
        "customer_id,planted_segment,group,expected_revenue_control,expected_revenue_treatment\n",
    );
    for (id, seg) in truth {
        let &(_, pc, pt, mean) = CAMPAIGN
            .iter()
            .find(|c| c.0 == *seg)
            .expect("every segment has a campaign row");
        let held = control.contains(id);
        let _ = writeln!(
            tr,
            "{id},{seg},{},{:.2},{:.2}",
            if held { "control" } else { "treatment" },
            pc * mean,
            pt * mean
        );
        let chance = if held { pc } else { pt };
        // Draw both numbers for everyone, so the groups use the stream alike.
        let (u, value) = (r.unit(), r.float(0.6, 1.4));
        if u < chance {
            let ore = (mean * value * 100.0).round() as i64;
            let minute = r.int(0, 31 * 1440 - 1);
            orders.push((minute, id.clone(), ore));
        }
    }
    orders.sort();
    let mut tx = String::from(
        "ordre_id;kunde_id;tidspunkt;produkt_id;kategori;merke;antall;enhetspris;enhetskost;rabatt;kanal\n",
    );
    for (k, (minute, id, ore)) in orders.iter().enumerate() {
        let (d, hm) = (minute / 1440 + 1, minute % 1440);
        let _ = write!(
            tx,
            "N{:07};{id};{d:02}.01.2026 {:02}:{:02};KAMPANJE;Klær;Nordlys;1;",
            k + 1,
            hm / 60,
            hm % 60
        );
        push_money(&mut tx, *ore, false);
        tx.push(';');
        push_money(&mut tx, ore / 2, false);
        tx.push_str(";0,00;nett\n");
    }
    (tx, tr)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{BTreeMap, BTreeSet};
    use std::path::Path;
    use std::sync::OnceLock;

    fn default_data() -> &'static DemoData {
        static DATA: OnceLock<DemoData> = OnceLock::new();
        DATA.get_or_init(|| generate(&DemoParams::default()).unwrap())
    }

    fn file<'a>(d: &'a DemoData, name: &str) -> &'a str {
        &d.files.iter().find(|(n, _)| n == name).unwrap().1
    }

    /// Data rows split on `delim`.
    fn rows<'a>(d: &'a DemoData, name: &str, delim: char) -> Vec<Vec<&'a str>> {
        file(d, name)
            .lines()
            .skip(1)
            .map(|l| l.split(delim).collect())
            .collect()
    }

    fn money(s: &str) -> f64 {
        s.replace(' ', "").replace(',', ".").parse().unwrap()
    }

    fn truth(d: &DemoData) -> BTreeMap<&str, Segment> {
        d.truth.iter().map(|(id, s)| (id.as_str(), *s)).collect()
    }

    #[test]
    fn same_seed_same_bytes_other_seed_other_bytes() {
        let p = DemoParams {
            customers: 300,
            seed: 7,
        };
        let (a, b) = (generate(&p).unwrap(), generate(&p).unwrap());
        assert_eq!(a.files, b.files);
        assert_eq!(a.truth, b.truth);
        let c = generate(&DemoParams { seed: 8, ..p }).unwrap();
        for ((name, x), (_, y)) in a.files.iter().zip(&c.files) {
            if name != "mapping.toml" {
                assert_ne!(x, y, "{name}");
            }
        }
    }

    #[test]
    fn segment_shares_are_exact() {
        let d = default_data();
        let mut counts = BTreeMap::new();
        for (id, s) in &d.truth {
            if id.starts_with('K') {
                *counts.entry(*s).or_insert(0usize) += 1;
            }
        }
        for s in Segment::all() {
            let target = 3000 * s.share_pct() / 100;
            assert!(counts[&s].abs_diff(target) <= 1, "{s}: {}", counts[&s]);
        }
        let visitors = d.truth.iter().filter(|(id, _)| id.starts_with('V')).count();
        assert_eq!(visitors, 60);
        assert!(d.truth.windows(2).all(|w| w[0].0 < w[1].0));
        assert_eq!(file(d, "truth.csv").lines().count(), d.truth.len() + 1);
    }

    #[test]
    fn mapping_parses_and_maps_every_column() {
        let d = default_data();
        let text = file(d, "mapping.toml");
        let config = crate::config::Config::from_toml(text, Path::new("mapping.toml")).unwrap();
        assert_eq!(config.mapping.as_of.as_deref(), Some(AS_OF));
        let items = &config.mapping.survey.as_ref().unwrap().items;
        let raw: toml::Table = text.parse().unwrap();
        for name in ["transactions", "returns", "events", "survey", "customers"] {
            let t = raw[name].as_table().unwrap();
            let delim = t.get("delimiter").map_or(",", |v| v.as_str().unwrap());
            let first = file(d, t["path"].as_str().unwrap()).lines().next().unwrap();
            let header: BTreeSet<&str> = first.split(delim).collect();
            let columns = t["columns"].as_table().unwrap().values();
            let mut mapped: BTreeSet<&str> = columns.map(|v| v.as_str().unwrap()).collect();
            if name == "survey" {
                mapped.extend(items.iter().map(String::as_str));
            }
            assert_eq!(header, mapped, "{name}");
        }
    }

    #[test]
    fn serial_returners_return_most_of_their_value() {
        let d = default_data();
        let truth = truth(d);
        let mut owner = BTreeMap::new();
        let mut bought: BTreeMap<&str, f64> = BTreeMap::new();
        for r in rows(d, "transactions.csv", ';') {
            let paid = money(r[6]) * money(r[7]) - money(r[9]);
            owner.insert(r[0], r[1]);
            *bought.entry(r[1]).or_default() += paid;
        }
        let mut back: BTreeMap<&str, f64> = BTreeMap::new();
        for r in rows(d, "returns.csv", ';') {
            assert_eq!(money(r[4]), 49.0);
            *back.entry(owner[r[0]]).or_default() += money(r[3]);
        }
        let share = |seg: Segment| {
            let ids = bought.keys().filter(|id| truth[*id] == seg);
            let (b, r) = ids.fold((0.0, 0.0), |(b, r), id| {
                (b + bought[id], r + back.get(id).copied().unwrap_or(0.0))
            });
            r / b
        };
        let sr = share(Segment::SerialReturners);
        assert!((0.8..=0.95).contains(&sr), "{sr}");
        for (id, b) in &bought {
            if truth[id] == Segment::SerialReturners {
                let s = back.get(id).copied().unwrap_or(0.0) / b;
                assert!((0.8..=0.95).contains(&s), "{id}: {s}");
            }
        }
        assert!(share(Segment::LoyalHighSpenders) < 0.1);
        assert!(share(Segment::DiscountHunters) < 0.15);
    }

    #[test]
    fn planted_timing_holds() {
        let d = default_data();
        let truth = truth(d);
        let as_of = NaiveDate::parse_from_str(AS_OF, "%Y-%m-%d").unwrap();
        let mut first: BTreeMap<&str, i64> = BTreeMap::new();
        let mut last: BTreeMap<&str, i64> = BTreeMap::new();
        for r in rows(d, "transactions.csv", ';') {
            let t = chrono::NaiveDateTime::parse_from_str(r[2], "%d.%m.%Y %H:%M").unwrap();
            let age = (as_of - t.date()).num_days();
            assert!(age >= 1 && t.date() >= NaiveDate::from_ymd_opt(2023, 1, 1).unwrap());
            let f = first.entry(r[1]).or_insert(age);
            *f = (*f).max(age);
            let l = last.entry(r[1]).or_insert(age);
            *l = (*l).min(age);
        }
        for (id, age) in &first {
            match truth[id] {
                Segment::NewCustomers => assert!(*age <= 60, "{id}"),
                Segment::Lapsed => assert!(last[id] > 365, "{id}"),
                Segment::LoyalHighSpenders => assert!(*age >= 730 && last[id] <= 40, "{id}"),
                _ => {}
            }
        }
        let returns = rows(d, "returns.csv", ';');
        let events = rows(d, "events.csv", ',');
        let times = returns.iter().map(|r| (r[5], "%d.%m.%Y %H:%M"));
        for (t, format) in times.chain(events.iter().map(|r| (r[2], "%Y-%m-%d %H:%M:%S"))) {
            let t = chrono::NaiveDateTime::parse_from_str(t, format).unwrap();
            assert!(t.date() < as_of, "{t}");
        }
    }

    #[test]
    fn every_id_appears_in_a_file() {
        let d = default_data();
        let mut seen = BTreeSet::new();
        seen.extend(rows(d, "customers.csv", ',').into_iter().map(|r| r[0]));
        assert_eq!(seen.len(), 3000);
        seen.extend(rows(d, "transactions.csv", ';').into_iter().map(|r| r[1]));
        let events: BTreeSet<&str> = rows(d, "events.csv", ',').iter().map(|r| r[0]).collect();
        seen.extend(events.iter().copied());
        for (id, s) in &d.truth {
            assert!(seen.contains(id.as_str()), "{id}");
            if id.starts_with('V') {
                assert!(events.contains(id.as_str()) && *s == Segment::Browsers);
            }
        }
        assert_eq!(seen.len(), d.truth.len());
    }

    #[test]
    fn about_a_third_answer_the_survey() {
        let d = default_data();
        let rows = rows(d, "survey.csv", ',');
        let share = rows.len() as f64 / 3000.0;
        assert!((0.28..=0.38).contains(&share), "{share}");
        let blanks = rows.iter().flatten().filter(|v| v.is_empty()).count();
        assert!(blanks > 0);
        for v in rows.iter().flat_map(|r| &r[1..]).filter(|v| !v.is_empty()) {
            assert!(matches!(*v, "1" | "2" | "3" | "4" | "5"), "{v}");
        }
    }

    #[test]
    fn too_few_customers_is_an_error() {
        let err = generate(&DemoParams {
            customers: 59,
            seed: 1,
        })
        .unwrap_err();
        assert!(matches!(err, Error::Data(_)), "{err}");
        let small = generate(&DemoParams {
            customers: 60,
            seed: 1,
        })
        .unwrap();
        let planted: BTreeSet<Segment> = small.truth.iter().map(|t| t.1).collect();
        assert_eq!(planted.len(), 6);
        for n in [61, 97, 1234] {
            let counts = segment_counts(n);
            assert_eq!(counts.iter().sum::<usize>(), n);
            for (s, c) in Segment::all().into_iter().zip(counts) {
                assert!((c as f64 - (n * s.share_pct()) as f64 / 100.0).abs() < 1.0);
            }
        }
    }
}
