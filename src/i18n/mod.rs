//! The report's languages: labels, generated sentences and number formats in English,
//! Norwegian (bokmål), Swedish and Danish.
//!
//! Numbers follow each language's conventions: English `1,234.5` and `12.3%`; Norwegian and
//! Swedish `1 234,5` and `12,3 %` (a no-break space groups thousands); Danish `1.234,5` and
//! `12,3 %`.
//!
//! ```
//! use segmint::i18n::Lang;
//! assert_eq!(Lang::En.number(1234.5, 1), "1,234.5");
//! assert_eq!(Lang::Nb.number(-1234.5, 1), "−1\u{a0}234,5");
//! assert_eq!(Lang::Da.percent(0.123, 1), "12,3\u{a0}%");
//! ```

use std::collections::BTreeMap;

use serde::Serialize;

use crate::error::{Error, Result};
use crate::model::CandidateSpec;

mod facts;
pub use facts::{campaign_note_plain, holdout_warning_plain, seed_warning_plain};

use crate::model::selection::{
    Basis, FewSegments, Index, Proposal, RuleFailure, Rules, Structure, Tie, TieBreak, ACTIONABLE,
    DIP, MIN_TRAIT_GAP, NEAR, REPRODUCED, REPRODUCED_SEGMENT, SEPARATED, STABLE,
};
use crate::model::{
    Action, CustomerCount, CustomerFlag, DescriptionFacts, Direction, DropReason, FlagFacts,
    FlagKind, Measure, NameKind, Opportunity, OrderPattern, PersonaFact, Qualifier, RunNote,
    SegmentName, ShareOf, SkipReason,
};

/// A report language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// English.
    En,
    /// Norwegian (bokmål).
    Nb,
    /// Swedish.
    Sv,
    /// Danish.
    Da,
}

impl std::str::FromStr for Lang {
    type Err = Error;
    fn from_str(s: &str) -> Result<Lang> {
        match s {
            "en" => Ok(Lang::En),
            "nb" | "no" => Ok(Lang::Nb),
            "sv" => Ok(Lang::Sv),
            "da" => Ok(Lang::Da),
            other => Err(Error::Data(format!(
                "unknown report language {other:?}: use en, nb, sv or da"
            ))),
        }
    }
}

impl Lang {
    /// The ISO 639-1 code (`en`, `nb`, `sv`, `da`).
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Nb => "nb",
            Lang::Sv => "sv",
            Lang::Da => "da",
        }
    }

    /// The labels of this language.
    pub fn texts(self) -> &'static Texts {
        &self.catalogue().report
    }

    /// The labels of this language for a run with or without cost data: without it
    /// (`no_cost`, [`crate::model::RunNote::NoCost`]) what the profiles call profit is revenue
    /// after returns and their handling, and the labels say so (the `[no_cost]` table of
    /// `src/i18n/<lang>.toml`).
    pub fn texts_for(self, no_cost: bool) -> &'static Texts {
        let c = self.catalogue();
        if no_cost {
            &c.report_no_cost
        } else {
            &c.report
        }
    }

    fn separators(self) -> (&'static str, char) {
        match self {
            Lang::En => (",", '.'),
            Lang::Nb | Lang::Sv => ("\u{a0}", ','),
            Lang::Da => (".", ','),
        }
    }

    /// A signed number in this language's format (`+12`, `−3`; no sign for zero or for what
    /// rounds to zero).
    pub fn signed(self, x: f64, decimals: usize) -> String {
        let s = self.number(x, decimals);
        if x > 0.0 && s.chars().any(|c| c.is_ascii_digit() && c != '0') {
            format!("+{s}")
        } else {
            s
        }
    }

    /// `x` with `decimals` decimals, thousands grouped, in this language's format, halves
    /// rounded away from zero ([`round_shown`]). Negative numbers take a true minus sign
    /// except in English.
    pub fn number(self, x: f64, decimals: usize) -> String {
        if !x.is_finite() {
            return "–".into();
        }
        let (group, point) = self.separators();
        let s = format!("{:.*}", decimals, round_shown(x, decimals).abs());
        let (int, frac) = s.split_once('.').unwrap_or((&s, ""));
        let mut grouped = String::new();
        for (i, c) in int.chars().enumerate() {
            if i > 0 && (int.len() - i) % 3 == 0 {
                grouped.push_str(group);
            }
            grouped.push(c);
        }
        let zero = s.chars().all(|c| c == '0' || c == '.');
        let sign = match (x < 0.0 && !zero, self) {
            (false, _) => "",
            (true, Lang::En) => "-",
            (true, _) => "−",
        };
        if frac.is_empty() {
            format!("{sign}{grouped}")
        } else {
            format!("{sign}{grouped}{point}{frac}")
        }
    }

    /// `x` with `decimals` decimals where the report also shows it with `finer` decimals (a
    /// table beside a sentence): rounded from that figure, so that the two never disagree for
    /// a reader (a silhouette of `0,285` in the candidate table is `0,29` in the caveat, not
    /// `0,28`).
    ///
    /// ```
    /// use segmint::i18n::Lang;
    /// assert_eq!(Lang::Nb.number_from(0.2849, 3, 2), "0,29");
    /// assert_eq!(Lang::Nb.number(0.2849, 2), "0,28");
    /// assert_eq!(Lang::En.number_from(3.4451, 2, 1), "3.5");
    /// assert_eq!(Lang::En.number(3.4451, 1), "3.4");
    /// ```
    pub fn number_from(self, x: f64, finer: usize, decimals: usize) -> String {
        self.number(round_from(x, finer, decimals), decimals)
    }

    /// A number of days as prose and the cards write it, without decimals: rounded from the
    /// one-decimal figure the feature tables show for the same days (a median of `128,46`
    /// days is `128,5` in the table and `129` here); `–` when missing.
    pub fn opt_days(self, x: Option<f64>) -> String {
        x.map_or_else(|| "–".into(), |x| self.number(whole_days(x), 0))
    }

    /// A small positive number with `decimals` decimals, or `< 0.01` (for two decimals) when it
    /// would read as 0 (`< 0,01` in the Nordic languages): a standard error is never shown as
    /// nothing.
    ///
    /// ```
    /// use segmint::i18n::Lang;
    /// assert_eq!(Lang::Nb.at_least(0.003, 2), "< 0,01");
    /// assert_eq!(Lang::En.at_least(0.034, 2), "0.03");
    /// assert_eq!(Lang::En.at_least(0.0, 2), "0.00");
    /// assert_eq!(Lang::En.at_least(0.0004, 3), "< 0.001");
    /// assert_eq!(Lang::Da.at_least(0.0051, 3), "0,005");
    /// ```
    pub fn at_least(self, x: f64, decimals: usize) -> String {
        // 1 / 10^d: the nearest double to 0.01, 0.001, … (10^d is exact).
        let unit = 1.0 / 10f64.powi(decimals as i32);
        if x > 0.0 && x < unit / 2.0 {
            format!("< {}", self.number(unit, decimals))
        } else {
            self.number(x, decimals)
        }
    }

    /// A share for prose: whole per cent, but one decimal under 1% so that a small share
    /// (0.2%) never reads as nothing (`0%`).
    ///
    /// ```
    /// use segmint::i18n::Lang;
    /// assert_eq!(Lang::En.share(0.273), "27%");
    /// assert_eq!(Lang::Nb.share(0.002), "0,2\u{a0}%");
    /// ```
    pub fn share(self, x: f64) -> String {
        self.percent(x, share_decimals(x))
    }

    /// A chart's tick label: from 10 000 on in thousands (`20k`) in English and in full with
    /// the language's grouping in the Nordic languages (`20 000`), from a million on in
    /// millions with one decimal (`2.5M`, `2,5 mill.`, `2,5 mn`, `2,5 mio.`); smaller values
    /// with `decimals` decimals.
    ///
    /// ```
    /// use segmint::i18n::Lang;
    /// assert_eq!(Lang::En.compact(25_000.0, 0), "25k");
    /// assert_eq!(Lang::Nb.compact(25_000.0, 0), "25\u{a0}000");
    /// assert_eq!(Lang::Da.compact(2_500_000.0, 0), "2,5\u{a0}mio.");
    /// ```
    pub fn compact(self, v: f64, decimals: usize) -> String {
        let t = self.texts();
        let a = v.abs();
        if a >= 1e6 {
            self.millions(v, t.compact_millions, false)
        } else if a >= 1e4 {
            fill(
                t.compact_thousands,
                &[("k", self.number(v / 1e3, 0)), ("n", self.number(v, 0))],
            )
        } else {
            self.number(v, decimals)
        }
    }

    /// `v` in millions in `template` (`{m} mill.`): one decimal, or none for a whole number
    /// of millions when `trim` (`18 mill.`, as prose writes a rounded amount).
    fn millions(self, v: f64, template: &str, trim: bool) -> String {
        let m = v / 1e6;
        let whole = (10.0 * m).round() % 10.0 == 0.0;
        let decimals = usize::from(!(trim && whole));
        fill(template, &[("m", self.number(m, decimals))])
    }

    /// An amount of money as prose says it: from a million on in millions, the way
    /// [`Lang::compact`] writes a chart's ticks, with the currency in this language's place
    /// (`3,8 mill. kr`, `3,8 milj. kr`, `3,8 mio. kr.`, `NOK 3.8 million`, `€18 million`);
    /// below a million as [`Lang::money`] writes it (`280 000 kr`). For amounts already
    /// rounded to a few significant digits (the sized opportunities, the returns impact).
    ///
    /// ```
    /// use segmint::i18n::Lang;
    /// assert_eq!(Lang::Nb.money_compact(3_800_000.0, Some("NOK")), "3,8\u{a0}mill.\u{a0}kr");
    /// assert_eq!(Lang::En.money_compact(3_800_000.0, Some("NOK")), "NOK\u{a0}3.8\u{a0}million");
    /// assert_eq!(Lang::En.money_compact(18_000_000.0, Some("EUR")), "€18\u{a0}million");
    /// assert_eq!(Lang::Sv.money_compact(280_000.0, Some("SEK")), "280\u{a0}000\u{a0}kr");
    /// ```
    pub fn money_compact(self, amount: f64, currency: Option<&str>) -> String {
        if !amount.is_finite() || amount.abs() < 1e6 {
            return self.money(amount, currency);
        }
        self.with_currency(
            self.millions(amount, self.texts().money_millions, true),
            currency,
        )
    }

    /// How the count of customers adds up, in a sentence after the headline's count: in the
    /// customer file, and without a row there but in other tables (each table with its count,
    /// or "only" that table when it holds them all).
    ///
    /// ```
    /// use segmint::i18n::Lang;
    /// use segmint::model::CustomerCount;
    /// let count = CustomerCount {
    ///     total: 3060,
    ///     in_file: 3000,
    ///     without_row: 60,
    ///     by_table: vec![("events".into(), 60)],
    /// };
    /// assert_eq!(
    ///     Lang::Nb.customers_accounted(&count),
    ///     "Av disse står 3\u{a0}000 i kunderegisteret; de øvrige 60 finnes ikke der, bare i dataene for nettatferd."
    /// );
    /// ```
    pub fn customers_accounted(self, c: &CustomerCount) -> String {
        let t = self.texts();
        let n = |x: usize| self.number(x as f64, 0);
        let values = |list: String| {
            vec![
                ("n", n(c.total)),
                ("file", n(c.in_file)),
                ("missing", n(c.without_row)),
                ("list", list),
            ]
        };
        match c.by_table.as_slice() {
            [] => fill(t.customers_accounted_other, &values(String::new())),
            [(table, k)] if *k == c.without_row => {
                fill(t.customers_accounted_only, &values(self.table_name(table)))
            }
            tables => {
                let items: Vec<String> = tables
                    .iter()
                    .map(|(table, k)| format!("{} ({})", self.table_name(table), n(*k)))
                    .collect();
                let list = match items.split_last() {
                    Some((last, rest)) if !rest.is_empty() => {
                        format!("{} {} {last}", rest.join(", "), self.persona_text("and"))
                    }
                    _ => items.concat(),
                };
                fill(t.customers_accounted, &values(list))
            }
        }
    }

    /// The VAT basis of the amounts, in a sentence: the mapping's `vat`, or that the amounts
    /// are as given in the data and their basis is not stated. With VAT included it says that
    /// profit and margins are worked out from the amounts as given (profit "including VAT"
    /// means nothing); without cost data (`no_cost`) no profit is worked out, and it says
    /// only that no VAT is deducted.
    ///
    /// ```
    /// use segmint::config::Vat;
    /// use segmint::i18n::Lang;
    /// assert!(Lang::Nb.vat_basis(Some(Vat::Included), false).starts_with("Alle beløp er inkl. mva."));
    /// assert!(!Lang::En.vat_basis(Some(Vat::Included), true).contains("profit"));
    /// assert!(Lang::En.vat_basis(None, false).contains("not stated"));
    /// ```
    pub fn vat_basis(self, vat: Option<crate::config::Vat>, no_cost: bool) -> &'static str {
        let t = self.texts_for(no_cost);
        match vat {
            Some(crate::config::Vat::Included) => t.vat_included,
            Some(crate::config::Vat::Excluded) => t.vat_excluded,
            None => t.vat_unstated,
        }
    }

    /// A share (0.123) as a percentage (`12.3%`, `12,3 %`), rounded from the one-decimal
    /// figure the tables show (`4,5 %` there is `5 %` with no decimal, never `4 %`).
    pub fn percent(self, share: f64, decimals: usize) -> String {
        let n = self.number(percent_points(share, decimals), decimals);
        match self {
            Lang::En => format!("{n}%"),
            _ => format!("{n}\u{a0}%"),
        }
    }

    /// An amount of money in whole currency units, in this language's own format: Norwegian
    /// and Swedish `1 234 kr` for their crowns, Danish `1.234 kr.`, English `€1,234`, `$1,234`,
    /// `£1,234` and otherwise the code first (`NOK 1,234`); the Nordic languages write other
    /// currencies' codes after the amount (`1 234 EUR`). Without a currency, the plain
    /// number. The space before a unit is a no-break space.
    pub fn money(self, amount: f64, currency: Option<&str>) -> String {
        self.money_dec(amount, 0, currency)
    }

    /// [`Lang::money`] with `decimals` decimals.
    pub fn money_dec(self, amount: f64, decimals: usize, currency: Option<&str>) -> String {
        let n = self.number(amount, decimals);
        if !amount.is_finite() {
            return n;
        }
        self.with_currency(n, currency)
    }

    /// A written amount `n` (`1 234`, `-1,234`, `3,8 mill.`) with `currency` in this
    /// language's place: Norwegian and Swedish `… kr` for their crowns, Danish `… kr.`,
    /// English `€…`, `$…`, `£…` (after a minus sign) and otherwise the code first (`NOK …`),
    /// the Nordic languages another currency's code after the amount; without a currency, `n`.
    fn with_currency(self, n: String, currency: Option<&str>) -> String {
        let Some(code) = currency else { return n };
        const NB: &str = "\u{a0}";
        match (self, code) {
            (Lang::Nb, "NOK") | (Lang::Sv, "SEK") => format!("{n}{NB}kr"),
            (Lang::Da, "DKK") => format!("{n}{NB}kr."),
            (Lang::En, _) => {
                let symbol = match code {
                    "EUR" => Some("€"),
                    "USD" => Some("$"),
                    "GBP" => Some("£"),
                    _ => None,
                };
                let (sign, digits) = match n.strip_prefix('-') {
                    Some(d) => ("-", d),
                    None => ("", n.as_str()),
                };
                match symbol {
                    Some(sym) => format!("{sign}{sym}{digits}"),
                    None => format!("{code}{NB}{n}"),
                }
            }
            _ => format!("{n}{NB}{code}"),
        }
    }

    /// A signed share as a percentage (`+12%`, `−3 %`): a plus sign on every positive
    /// share, as relative lifts are written.
    pub fn signed_percent(self, share: f64, decimals: usize) -> String {
        let p = self.percent(share, decimals);
        if share > 0.0 {
            format!("+{p}")
        } else {
            p
        }
    }

    /// A signed amount of money (`+€12`, `−1 234 kr`): [`Lang::money`] with a plus sign on
    /// what does not round to zero.
    pub fn signed_money(self, amount: f64, decimals: usize, currency: Option<&str>) -> String {
        let s = self.money_dec(amount, decimals, currency);
        if amount > 0.0 && s.chars().any(|c| c.is_ascii_digit() && c != '0') {
            format!("+{s}")
        } else {
            s
        }
    }

    /// An optional amount of money, `–` when missing.
    pub fn opt_money(self, x: Option<f64>, currency: Option<&str>) -> String {
        x.map_or_else(|| "–".into(), |x| self.money(x, currency))
    }

    /// An optional number, `–` when missing.
    pub fn opt_number(self, x: Option<f64>, decimals: usize) -> String {
        x.map_or_else(|| "–".into(), |x| self.number(x, decimals))
    }

    /// An optional share as a percentage, `–` when missing.
    pub fn opt_percent(self, x: Option<f64>, decimals: usize) -> String {
        x.map_or_else(|| "–".into(), |x| self.percent(x, decimals))
    }

    /// A segment's name in this language.
    pub fn segment_name(self, name: &SegmentName) -> String {
        let mut out = self.name_kind(&name.kind);
        for q in &name.qualifiers {
            match q {
                Qualifier::Feature { feature, direction } => {
                    out = format!("{out}, {}", self.high_low(*direction, feature));
                }
                Qualifier::Segment(id) => out = format!("{out} {id}"),
            }
        }
        out
    }

    fn name_kind(self, kind: &NameKind) -> String {
        let key = match kind {
            NameKind::AllCustomers => "all_customers",
            NameKind::Numbered => "numbered",
            NameKind::Unassigned => "unassigned",
            NameKind::BrowsersRarelyBuy => "browsers_rarely_buy",
            NameKind::SerialReturners => "serial_returners",
            NameKind::NewCustomers => "new_customers",
            NameKind::SeasonalBuyers => "seasonal_buyers",
            NameKind::Lapsed => "lapsed",
            NameKind::DiscountDrivenOccasionals => "discount_driven_occasionals",
            NameKind::LoyalHighSpenders => "loyal_high_spenders",
            NameKind::OccasionalBuyers => "occasional_buyers",
            NameKind::AverageCustomers => "average_customers",
            NameKind::RecentBuyers => "recent_buyers",
            NameKind::LongInactive => "long_inactive",
            NameKind::FrequentBuyers => "frequent_buyers",
            NameKind::OneTimeBuyers => "one_time_buyers",
            NameKind::HighSpenders => "high_spenders",
            NameKind::LowSpenders => "low_spenders",
            NameKind::BigBaskets => "big_baskets",
            NameKind::SmallBaskets => "small_baskets",
            NameKind::LongStandingCustomers => "long_standing_customers",
            NameKind::RecentJoiners => "recent_joiners",
            NameKind::FrequentReturners => "frequent_returners",
            NameKind::RareReturners => "rare_returners",
            NameKind::DealSeekers => "deal_seekers",
            NameKind::HeavyBrowsers => "heavy_browsers",
            NameKind::Feature { feature, direction } => {
                return capitalise(&self.high_low(*direction, feature))
            }
            NameKind::Given(name) => return name.clone(),
        };
        self.catalogue().names[key].to_string()
    }

    /// "high …" / "low …" with the feature's label, in lower case; the language's
    /// `[high_low]` table gives the whole phrase where the word would not agree with the
    /// label ("høye refusjoner", "högt rabattdjup", "irregular gaps between orders").
    fn high_low(self, direction: Direction, feature: &str) -> String {
        let key = match direction {
            Direction::High => format!("{feature}_high"),
            Direction::Low => format!("{feature}_low"),
        };
        if let Some(phrase) = self.catalogue().tables_by_name["high_low"].get(&key) {
            return phrase.to_string();
        }
        let t = self.texts();
        // Counts and days take "many"/"few" ("Few days since sign-up", never "Low days").
        let counted = matches!(
            crate::catalog::kind_of(feature),
            Some(crate::catalog::Kind::Count | crate::catalog::Kind::Days)
        );
        let word = match (direction, counted) {
            (Direction::High, false) => t.high,
            (Direction::Low, false) => t.low,
            (Direction::High, true) => t.many,
            (Direction::Low, true) => t.few,
        };
        format!(
            "{} {}",
            word.to_lowercase(),
            self.feature(feature).to_lowercase()
        )
    }

    /// A suggested action in this language.
    pub fn action(self, action: &Action) -> String {
        let key = match action {
            Action::SuppressFromPaidMedia => "suppress_from_paid_media",
            Action::ReviewSizingAndReturns => "review_sizing_and_returns",
            Action::VipTreatment => "vip_treatment",
            Action::Reactivation => "reactivation",
            Action::WinBack => "win_back",
            Action::LimitDiscounts => "limit_discounts",
            Action::Onboarding => "onboarding",
            Action::Retarget => "retarget",
            Action::SeasonCampaign { weeks } => {
                let t = &self.catalogue().actions;
                return match weeks {
                    Some(0) => t["season_now"].to_string(),
                    Some(w) => fill(t["season_campaign"], &[("weeks", w.to_string())]),
                    None => t["season_later"].to_string(),
                };
            }
            Action::ExcludeReturners { customers } => {
                return fill(
                    self.catalogue().actions["exclude_returners"],
                    &[("n", self.number(*customers as f64, 0))],
                );
            }
            Action::CheckForBots { sessions_ratio } => {
                return fill(
                    self.catalogue().actions["check_for_bots"],
                    &[("x", sessions_ratio.to_string())],
                );
            }
            Action::KeepRegular { feature } => {
                // The segment's strength, high by construction: "many orders", not "orders".
                // Without one, nothing to lean on: a sentence of its own, not "lean on what
                // sets them apart (nothing stands out)".
                return match feature {
                    Some(f) => format!(
                        "{} ({})",
                        self.texts().keep_regular,
                        self.high_low(Direction::High, f)
                    ),
                    None => self.texts().nothing_stands_out.to_string(),
                };
            }
        };
        self.catalogue().actions[key].to_string()
    }

    /// What a segment's first action could bring, with its assumption stated, in a clause
    /// that starts in lower case (the report puts it after "Sized:" or capitalises it): money
    /// rounded to two significant digits and written as prose says it
    /// ([`Lang::money_compact`]), `period` the data's dates ([`Lang::period`]).
    /// `no_cost`: the run had no cost data, so profit is revenue after returns and their
    /// handling, and the sizes measured in profit (fewer returns, less discount) say so.
    pub fn opportunity(
        self,
        op: &Opportunity,
        currency: Option<&str>,
        period: &str,
        no_cost: bool,
    ) -> String {
        let t = |key: &str| self.keyed("opportunities", key, no_cost);
        let money = |x: f64| self.money_compact(round_significant(x, 2), currency);
        let count = |n: usize| self.number(n as f64, 0);
        let p = |share: f64| ("p", self.share(share));
        match *op {
            Opportunity::KeepMore {
                share,
                kept_revenue,
                value,
            } => fill(
                t("keep_more"),
                &[
                    p(share),
                    ("kept", money(kept_revenue)),
                    ("period", period.to_string()),
                    ("x", money(value)),
                ],
            ),
            Opportunity::Reactivate {
                customers,
                days,
                share,
                aov,
                value,
            } => fill(
                t("reactivate"),
                &[
                    ("n", count(customers)),
                    ("days", self.number(days, 0)),
                    p(share),
                    ("aov", self.money(aov, currency)),
                    ("x", money(value)),
                ],
            ),
            Opportunity::WinBack {
                customers,
                share,
                aov,
                value,
            }
            | Opportunity::SecondOrder {
                customers,
                share,
                aov,
                value,
            }
            | Opportunity::Convert {
                customers,
                share,
                aov,
                value,
            } => fill(
                t(match op {
                    Opportunity::WinBack { .. } => "win_back",
                    Opportunity::SecondOrder { .. } => "second_order",
                    _ => "convert",
                }),
                &[
                    p(share),
                    ("n", count(customers)),
                    ("aov", self.money(aov, currency)),
                    ("x", money(value)),
                ],
            ),
            Opportunity::LessDiscount {
                discount,
                share,
                value,
            } => fill(
                t("less_discount"),
                &[
                    ("d", money(discount)),
                    ("period", period.to_string()),
                    p(share),
                    ("x", money(value)),
                ],
            ),
            Opportunity::SeasonOrders {
                orders,
                share,
                aov,
                value,
            } => fill(
                t("season_orders"),
                &[
                    p(share),
                    ("o", self.number(orders, 0)),
                    ("aov", self.money(aov, currency)),
                    ("x", money(value)),
                ],
            ),
            Opportunity::FewerReturns { value } => fill(
                t("fewer_returns"),
                &[("x", money(value)), ("period", period.to_string())],
            ),
            Opportunity::NotSizedBots => t("not_sized_bots").to_string(),
            Opportunity::NotSizedRegular => t("not_sized_regular").to_string(),
            Opportunity::NotSizedExclusion => t("not_sized_exclusion").to_string(),
        }
    }

    /// What a segment's first action could bring after "Sized:" ([`Lang::opportunity`] in the
    /// `sized` text): Norwegian and Danish write a capital after a colon that introduces a full
    /// sentence ("Anslag: Hvis …"), Swedish and English do not ("Uppskattning: om …").
    ///
    /// ```
    /// use segmint::i18n::Lang;
    /// use segmint::model::Opportunity;
    /// let op = Opportunity::FewerReturns { value: 3_800_000.0 };
    /// assert!(Lang::Nb.sized(&op, Some("NOK"), "", false).starts_with("Anslag: Opptil 3,8"));
    /// assert!(Lang::Da.sized(&op, Some("DKK"), "", false).starts_with("Skøn: Op til ca. 3,8"));
    /// assert!(Lang::Sv.sized(&op, Some("SEK"), "", false).starts_with("Uppskattning: upp till"));
    /// assert!(Lang::En.sized(&op, Some("EUR"), "", false).starts_with("Sized: up to"));
    /// ```
    pub fn sized(
        self,
        op: &Opportunity,
        currency: Option<&str>,
        period: &str,
        no_cost: bool,
    ) -> String {
        let text = self.opportunity(op, currency, period, no_cost);
        let text = match self {
            Lang::Nb | Lang::Da => capitalise(&text),
            Lang::En | Lang::Sv => text,
        };
        fill(self.opportunity_text("sized"), &[("text", text)])
    }

    /// A text of the sized opportunities (`[opportunities]`: heading, columns, "Sized: …").
    pub fn opportunity_text(self, key: &str) -> &'static str {
        self.catalogue().tables_by_name["opportunities"][key]
    }

    /// The text `key` of the keyed table `table` (`plays`, `features`, `opportunities`);
    /// without cost data (`no_cost`) the `[no_cost]` table's where it has one, as
    /// [`Lang::texts_for`] does for `[report]`.
    fn keyed(self, table: &str, key: &str, no_cost: bool) -> &'static str {
        let tables = &self.catalogue().tables_by_name;
        match tables["no_cost"].get(key) {
            Some(t) if no_cost => t,
            _ => tables[table][key],
        }
    }

    /// What a sized opportunity is an amount of, as its column says it (`Profit`,
    /// `Revenue before returns`); `–` for what is not sized.
    /// `no_cost`: without cost data, profit is revenue after returns and their handling, and
    /// the column says so (a return avoided saves its handling too).
    pub fn measure(self, measure: Option<Measure>, no_cost: bool) -> &'static str {
        let key = match measure {
            Some(Measure::RevenueBeforeReturns) => "measure_revenue",
            Some(Measure::RevenueAfterReturns) => "measure_kept",
            Some(Measure::Profit) => "measure_profit",
            None => return "–",
        };
        self.keyed("opportunities", key, no_cost)
    }

    /// The goal, channel and measure of success of a segment's plan led by `action`; without
    /// cost data (`no_cost`) those of the `[no_cost]` table where it has them.
    pub fn play(self, action: &Action, no_cost: bool) -> [&'static str; 3] {
        let key = match action {
            Action::SuppressFromPaidMedia => "suppress_from_paid_media",
            Action::ReviewSizingAndReturns => "review_sizing_and_returns",
            Action::VipTreatment => "vip_treatment",
            Action::Reactivation => "reactivation",
            Action::WinBack => "win_back",
            Action::LimitDiscounts => "limit_discounts",
            Action::Onboarding => "onboarding",
            Action::Retarget => "retarget",
            Action::ExcludeReturners { .. } => "exclude_returners",
            Action::SeasonCampaign { .. } => "season",
            Action::CheckForBots { .. } => "check_for_bots",
            Action::KeepRegular { .. } => "keep_regular",
        };
        ["goal", "channel", "kpi"]
            .map(|part| self.keyed("plays", &format!("{key}_{part}"), no_cost))
    }

    /// A flag's name in this language; `no_cost`: the run had no cost data, so no profit
    /// is known, only revenue after returns ([`crate::model::RunNote::NoCost`]).
    pub fn flag_label(self, kind: FlagKind, no_cost: bool) -> &'static str {
        let t = self.texts_for(no_cost);
        match kind {
            FlagKind::LowProfitHighReturn => t.flag_low_profit,
            FlagKind::Vip => t.flag_vip,
            FlagKind::ChurnRisk => t.flag_churn,
            FlagKind::DiscountDependent => t.flag_discount,
            FlagKind::HiddenReturners => t.flag_hidden,
            FlagKind::HighReturns => t.flag_high_returns,
        }
    }

    /// A flag's sentence with its numbers in this language (the report's), money in
    /// `currency`.
    ///
    /// `first_order` and `as_of` (`YYYY-MM-DD`) name the period the returns impact covers
    /// ([`Lang::period`]). `no_cost`: the run had no cost data, so what the facts call
    /// profit is revenue after returns (and their handling), and the sentences say so.
    pub fn flag_message(
        self,
        facts: &FlagFacts,
        currency: Option<&str>,
        first_order: Option<&str>,
        as_of: &str,
        no_cost: bool,
    ) -> String {
        let t = self.texts_for(no_cost);
        let texts = FlagTexts {
            low_profit: t.flag_low_profit_msg,
            media: t.flag_media,
            vip: t.flag_vip_msg,
            churn: t.flag_churn_msg,
            churn_shop: t.flag_churn_shop_msg,
            discount: t.flag_discount_msg,
            hidden: t.flag_hidden_msg,
            high_returns: t.flag_high_returns_msg,
        };
        flag_sentence(
            facts,
            &texts,
            &|x, d| self.number(x, d),
            // The flag's amounts are estimates, rounded: written as prose says them.
            &|x| self.money_compact(x, currency),
            &|x| self.share(x),
            &self.period(first_order, as_of),
        )
    }

    /// The period the data cover, from the first order to the reference date, in this
    /// language's dates (`fra 03.01.2024 til 31.12.2025`); without the first order's date,
    /// "over the period of the data".
    ///
    /// ```
    /// use segmint::i18n::Lang;
    /// assert_eq!(
    ///     Lang::Nb.period(Some("2024-01-03"), "2025-12-31"),
    ///     "fra 03.01.2024 til 31.12.2025"
    /// );
    /// assert_eq!(Lang::En.period(None, "2025-12-31"), "over the period of the data");
    /// ```
    pub fn period(self, first_order: Option<&str>, as_of: &str) -> String {
        let t = self.texts();
        match first_order {
            Some(from) if !as_of.is_empty() => fill(
                t.period_dates,
                &[("from", self.date(from)), ("to", self.date(as_of))],
            ),
            _ => t.period_unknown.to_string(),
        }
    }

    /// A segment's description in this language: one sentence with its numbers in this
    /// language's format, money in `currency`; `no_cost`: the run had no cost data
    /// ([`Lang::texts_for`]).
    pub fn description(
        self,
        facts: &DescriptionFacts,
        currency: Option<&str>,
        no_cost: bool,
    ) -> String {
        let s = description_parts(
            facts,
            self.texts_for(no_cost),
            &|x, d| self.number(x, d),
            &|x| self.money(x, currency),
            &|x| self.share(x),
        )
        .join("; ");
        capitalise(&s) + "."
    }

    /// A text of the persona cards (`[persona]`: headings and column names).
    pub fn persona_text(self, key: &str) -> &'static str {
        self.catalogue().tables_by_name["persona"][key]
    }

    /// One sentence of a persona card. `label` gives a survey item's or factor's label in
    /// this language (the mapping's, as the report shows it elsewhere).
    pub fn persona(self, fact: &PersonaFact, label: &dyn Fn(&str) -> String) -> String {
        let t = &self.catalogue().tables_by_name["persona"];
        let share = |x: f64| self.share(x);
        let list = |levels: &[ShareOf]| {
            let items: Vec<String> = levels
                .iter()
                .map(|l| {
                    fill(
                        t["item"],
                        &[
                            ("level", self.level(&l.level)),
                            ("share", share(l.share)),
                            ("base", share(l.base)),
                        ],
                    )
                })
                .collect();
            match items.split_last() {
                None => String::new(),
                Some((last, [])) => last.clone(),
                Some((last, rest)) => format!("{} {} {last}", rest.join(", "), t["and"]),
            }
        };
        // A scale bound as written: whole numbers without decimals.
        let bound = |x: f64| self.number(x, usize::from(x.fract() != 0.0));
        match fact {
            PersonaFact::Age { mean, base } => fill(
                t[if mean >= base {
                    "age_older"
                } else {
                    "age_younger"
                }],
                // Ages are one decimal in the feature tables.
                &[
                    ("mean", self.number_from(*mean, 1, 0)),
                    ("base", self.number_from(*base, 1, 0)),
                ],
            ),
            // Gender in the words a reader uses ("the share of women"), never "have gender
            // “female”"; another level named with its feature.
            PersonaFact::Level { feature, level } => fill(
                t[match (feature.as_str(), level.level.as_str()) {
                    ("country" | "region", _) => "live_in",
                    ("gender", "female") => "gender_female",
                    ("gender", "male") => "gender_male",
                    _ => "level",
                }],
                &[
                    ("feature", self.feature(feature).to_lowercase()),
                    ("level", self.level(&level.level)),
                    ("share", capitalise(&share(level.share))),
                    ("base", share(level.base)),
                ],
            ),
            PersonaFact::Geography { feature, levels } if levels.is_empty() => {
                t[if feature == "country" {
                    "geography_like_all_country"
                } else {
                    "geography_like_all_region"
                }]
                .to_string()
            }
            PersonaFact::Geography { levels, .. } => {
                fill(t["geography"], &[("list", list(levels))])
            }
            PersonaFact::Bought { levels } => fill(t["bought"], &[("list", list(levels))]),
            PersonaFact::Viewed { levels } => fill(t["viewed"], &[("list", list(levels))]),
            PersonaFact::Channels { levels } => fill(
                t[if levels.len() > 1 {
                    "channels_many"
                } else {
                    "channels"
                }],
                &[("list", list(levels))],
            ),
            PersonaFact::Survey {
                feature,
                mean,
                base,
                n,
                scale,
                higher,
                clearly,
            } => {
                let key = match (higher, clearly) {
                    (true, true) => "survey_clearly_higher",
                    (true, false) => "survey_higher",
                    (false, true) => "survey_clearly_lower",
                    (false, false) => "survey_lower",
                };
                fill(
                    t[key],
                    &[
                        // The survey table shows the means with two decimals.
                        ("label", label(feature)),
                        ("mean", self.number_from(*mean, 2, 1)),
                        ("base", self.number_from(*base, 2, 1)),
                        ("min", bound(scale[0])),
                        ("max", bound(scale[1])),
                        ("n", self.number(*n as f64, 0)),
                    ],
                )
            }
        }
    }

    /// Why a customer is flagged, with the numbers in this language.
    pub fn customer_flag(self, flag: &CustomerFlag) -> String {
        customer_flag_sentence(
            flag,
            self.texts().customer_high_returns,
            &|x| self.number(x, 0),
            &|x| self.percent(x, 0),
        )
    }

    /// [`Lang::feature`] for a run with or without cost data: without it (`no_cost`) the
    /// money features that speak of margin or profit are named for what they hold, revenue
    /// after returns (the `[no_cost]` table).
    pub fn feature_for(self, name: &str, no_cost: bool) -> String {
        match self.catalogue().features.get(name) {
            Some(_) => self.keyed("features", name, no_cost).to_string(),
            None => self.feature(name),
        }
    }

    /// A readable label for a feature: translated for the headline features, the catalog
    /// name (underscores as spaces) for the rest.
    pub fn feature(self, name: &str) -> String {
        if let Some(label) = self.catalogue().features.get(name) {
            return label.to_string();
        }
        if let Some(item) = name.strip_prefix("survey_") {
            return format!("{}: {}", self.texts().survey_item, item.replace('_', " "));
        }
        if let Some(cat) = name.strip_prefix("category_share_") {
            return format!("{}: {}", self.texts().category_share, self.level(cat));
        }
        if let Some(cat) = name.strip_prefix("category_view_share_") {
            return format!("{}: {}", self.texts().category_view_share, self.level(cat));
        }
        if let Some(ch) = name.strip_prefix("channel_share_") {
            return format!("{}: {}", self.texts().channel_share, self.level(ch));
        }
        if let Some(f) = name.strip_prefix("factor_") {
            return format!("{}: {}", self.texts().survey_factor, f.replace('_', " "));
        }
        if let Some(a) = name.strip_prefix("attr_") {
            return capitalise(&a.replace('_', " "));
        }
        capitalise(&name.replace('_', " "))
    }

    /// A level of a categorical feature (a category, a channel, a gender) in this language:
    /// the levels segmint itself writes (`other`) and common English levels of the data
    /// (`female`, `male`, `unknown`) are translated; any other level is the data's own word,
    /// underscores as spaces.
    ///
    /// Within [`with_level_labels`], a level the mapping labels (`[labels.levels]`) takes
    /// its label in this language first.
    pub fn level(self, level: &str) -> String {
        if let Some(label) = LEVEL_LABELS.with(|l| {
            let l = l.borrow();
            l.get(&crate::catalog::slug(level))?
                .get(self.code())
                .cloned()
        }) {
            return label;
        }
        match self.catalogue().levels.get(&level.to_lowercase()) {
            Some(l) => l.to_string(),
            None => level.replace('_', " "),
        }
    }

    /// The name of an input table of the mapping (`transactions`, `events`, ...) in this
    /// language; an unknown table keeps its own name.
    pub fn table_name(self, table: &str) -> String {
        match self.catalogue().tables.get(table) {
            Some(t) => t.to_string(),
            None => table.to_string(),
        }
    }

    /// The name of a feature group in this language.
    pub fn group(self, group: crate::catalog::Group) -> &'static str {
        let key = match group {
            crate::catalog::Group::Behaviour => "behaviour",
            crate::catalog::Group::Browsing => "browsing",
            crate::catalog::Group::Psychographic => "psychographic",
            crate::catalog::Group::Demographic => "demographic",
        };
        self.catalogue().groups[key]
    }

    /// A date (`2026-10-31`, as the run folder stores it) in this language's format:
    /// Norwegian and Danish `31.10.2026`, Swedish and English `2026-10-31`. Anything that is
    /// not such a date is returned as it is.
    ///
    /// ```
    /// use segmint::i18n::Lang;
    /// assert_eq!(Lang::Nb.date("2026-10-31"), "31.10.2026");
    /// assert_eq!(Lang::Da.date("2026-10-31"), "31.10.2026");
    /// assert_eq!(Lang::Sv.date("2026-10-31"), "2026-10-31");
    /// ```
    pub fn date(self, iso: &str) -> String {
        let day = iso.get(..10).unwrap_or(iso);
        let parts: Vec<&str> = day.split('-').collect();
        let ok = parts.len() == 3
            && [4, 2, 2]
                .iter()
                .zip(&parts)
                .all(|(n, p)| p.len() == *n && p.bytes().all(|b| b.is_ascii_digit()));
        match self {
            Lang::Nb | Lang::Da if ok => format!("{}.{}.{}", parts[2], parts[1], parts[0]),
            _ => iso.to_string(),
        }
    }

    /// A note about an assumption of the run (no cost column, pseudonymised ids, ...) in this
    /// language.
    pub fn note(self, note: &RunNote) -> String {
        note_text(self, note, false)
    }

    /// Why ingest skipped rows, in this language.
    pub fn skip_reason(self, reason: SkipReason) -> &'static str {
        let key = match reason {
            SkipReason::GuestCheckout => "guest_checkout",
            SkipReason::AnonymousVisitor => "anonymous_visitor",
            SkipReason::NoCustomerId => "no_customer_id",
            SkipReason::NoSessionId => "no_session_id",
            SkipReason::ZeroQuantity => "zero_quantity",
            SkipReason::ZeroReturnedQuantity => "zero_returned_quantity",
            SkipReason::AfterAsOf => "after_as_of",
            SkipReason::CustomerAfterAsOf => "customer_after_as_of",
            SkipReason::NoProductId => "no_product_id",
            SkipReason::ReturnWithoutOrder => "return_without_order",
            SkipReason::ReturnWithoutOrderLine => "return_without_order_line",
        };
        self.catalogue().skip_reasons[key]
    }

    /// What a point of a lookalike reach curve marks, in this language.
    pub fn reach_mark(self, mark: &crate::model::ReachMark) -> String {
        use crate::model::ReachMark;
        let t = &self.catalogue().notes;
        match mark {
            ReachMark::Members {
                percent,
                recommended,
            } => fill(
                if *recommended {
                    t["reach_recommended"]
                } else {
                    t["reach_members"]
                },
                &[("p", percent.to_string())],
            ),
            ReachMark::Farthest => t["reach_farthest"].to_string(),
            ReachMark::Threshold { times } => {
                let (_, point) = self.separators();
                let m = format!("{times}").replace('.', &point.to_string());
                fill(t["reach_threshold"], &[("m", m)])
            }
        }
    }

    /// Why prepare left a feature out of the matrix, in this language.
    pub fn drop_reason(self, why: &DropReason) -> String {
        let t = &self.catalogue().notes;
        match why {
            DropReason::Excluded => t["drop_excluded"].to_string(),
            DropReason::SurveyAnswered => t["drop_survey_answered"].to_string(),
            DropReason::ChanceSpread { trials } => {
                let counted = match trials.as_str() {
                    "frequency" => t["trials_orders"].to_string(),
                    "product_views" => t["trials_product_views"].to_string(),
                    "sessions" => t["trials_sessions"].to_string(),
                    other => self.feature(other).to_lowercase(),
                };
                fill(t["drop_chance"], &[("trials", counted)])
            }
            DropReason::NoValue => t["drop_no_value"].to_string(),
            DropReason::ConstantAfterClipping => t["drop_constant_clipped"].to_string(),
            DropReason::ZeroWeight => t["drop_zero_weight"].to_string(),
            DropReason::Constant => t["drop_constant"].to_string(),
            DropReason::Folded { into, r } => fill(
                t["drop_folded"],
                &[("into", into.clone()), ("r", self.number(*r, 3))],
            ),
        }
    }

    /// A selection rule a candidate does not meet, with its numbers in this language.
    pub fn rule_failure(self, f: &RuleFailure) -> String {
        let t = self.texts();
        match f {
            RuleFailure::TooFewSegments => fill(t.rule_fewer_than, &[("n", "2".into())]),
            RuleFailure::TooManySegments { segments, max } => fill(
                t.rule_too_many,
                &[("n", segments.to_string()), ("max", max.to_string())],
            ),
            RuleFailure::SmallSegment { share, min } => fill(
                t.rule_small,
                &[
                    ("share", self.percent(*share, 1)),
                    ("min", self.percent(*min, 1)),
                ],
            ),
            RuleFailure::Noise { share, max } => fill(
                t.rule_noise,
                &[
                    ("share", self.percent(*share, 1)),
                    ("max", self.percent(*max, 1)),
                ],
            ),
            RuleFailure::Unstable { stability, min } => fill(
                t.rule_unstable,
                &[
                    ("st", self.number(*stability, 2)),
                    ("min", self.number(*min, 2)),
                ],
            ),
            RuleFailure::NoStability => t.rule_no_stability.to_string(),
        }
    }

    /// Several rule failures, joined.
    pub fn rule_failures(self, f: &[RuleFailure]) -> String {
        f.iter()
            .map(|f| self.rule_failure(f))
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// The name of a cluster-validity index in this language.
    pub fn index_name(self, index: Index) -> String {
        let t = self.texts();
        match index {
            Index::Elbow => format!("{} ({})", t.elbow, t.axis_inertia.to_lowercase()),
            Index::Silhouette => t.silhouette.to_lowercase(),
            Index::CalinskiHarabasz => "Calinski–Harabasz".into(),
            Index::DaviesBouldin => "Davies–Bouldin".into(),
            Index::Gap => t.gap_statistic.into(),
            Index::Stable => t.most_stable_k.into(),
        }
    }

    /// The selection rule with its thresholds.
    pub fn selection_rule(self, r: &Rules) -> String {
        fill(
            self.texts().rule,
            &[
                ("max", r.max_segments.to_string()),
                ("min_share", self.percent(r.min_share, 1)),
                ("max_noise", self.percent(r.max_noise, 1)),
                ("min_st", self.number(r.min_stability, 2)),
                ("valley", self.number(SEPARATED, 2)),
                ("near", NEAR.to_string()),
                ("dip", self.number(DIP, 2)),
                ("trait", self.number(MIN_TRAIT_GAP, 2)),
            ],
        )
    }

    /// Why the proposal is what it is: the basis, the structure verdict, the reason for few
    /// segments and the runner-up, as sentences.
    ///
    /// A candidate is named in words by what it is (`spec` gives its facts; an id without
    /// them is read as [`CandidateSpec::of_id`] reads it), never by its id: `dbscan-m20-e0.656`
    /// reads as a number to a Danish reader.
    pub fn selection_reason(
        self,
        p: &Proposal,
        spec: impl Fn(&str) -> Option<CandidateSpec>,
        composite: impl Fn(&str) -> Option<f64>,
    ) -> String {
        let t = self.texts();
        let name = |id: &str| self.candidate_named(id, &spec);
        let id = name(&p.chosen);
        let mut out = Vec::new();
        out.push(match &p.basis {
            Basis::Forced { k } => fill(t.basis_forced, &[("k", k.to_string())]),
            Basis::Consensus {
                elbow,
                gap_knee,
                stable,
                k,
                separated,
                below,
                stepped_from,
                agreed,
                tie,
            } => {
                let k_or_dash = |k: &Option<usize>| k.map_or("–".to_string(), |k| k.to_string());
                let views = fill(
                    t.basis_consensus,
                    &[
                        ("id", id.clone()),
                        ("elbow", k_or_dash(elbow)),
                        ("gap", k_or_dash(gap_knee)),
                        ("stable", k_or_dash(stable)),
                        ("st", self.number(STABLE, 2)),
                        ("k", k.to_string()),
                    ],
                );
                // The candidate the views and the valleys gave (the proposal unless it was
                // stepped up).
                let given = stepped_from.as_deref().map_or(id.clone(), name);
                let apart = fill(
                    if *agreed {
                        t.basis_agreed
                    } else if *separated {
                        t.basis_separated
                    } else if *below {
                        t.basis_separated_below
                    } else {
                        t.basis_none_separated
                    },
                    &[
                        ("id", given.clone()),
                        ("k", k.to_string()),
                        ("v", self.number(SEPARATED, 2)),
                        ("lo", k.saturating_sub(NEAR).max(2).to_string()),
                        ("hi", (k + NEAR).to_string()),
                        ("st", self.number(REPRODUCED, 2)),
                        ("seg", self.number(REPRODUCED_SEGMENT, 2)),
                        ("dip", self.number(DIP, 2)),
                    ],
                );
                let apart = match tie {
                    None => apart,
                    Some(Tie { other, by }) => {
                        let other = ("other", name(other));
                        let given = ("id", given.clone());
                        let middle = ("k", k.to_string());
                        let why = match by {
                            TieBreak::Gap { gap, other_gap, se } => fill(
                                t.basis_tie_gap,
                                &[
                                    given,
                                    other,
                                    middle,
                                    ("gap", self.number(*gap, 3)),
                                    ("ogap", self.number(*other_gap, 3)),
                                    ("se", self.at_least(*se, 3)),
                                ],
                            ),
                            TieBreak::Valley {
                                valley,
                                other_valley,
                            } => fill(
                                t.basis_tie_valley,
                                &[
                                    given,
                                    other,
                                    middle,
                                    ("v", self.number(*valley, 3)),
                                    ("ov", self.number(*other_valley, 3)),
                                ],
                            ),
                            TieBreak::Fewer => fill(t.basis_tie_fewer, &[given, other, middle]),
                        };
                        format!("{apart} {}", capitalise(&why))
                    }
                };
                match stepped_from {
                    Some(_) => {
                        let up = fill(
                            t.basis_reproduced,
                            &[
                                ("id", id.clone()),
                                ("from", given),
                                ("st", self.number(REPRODUCED, 2)),
                                ("seg", self.number(REPRODUCED_SEGMENT, 2)),
                                ("dip", self.number(DIP, 2)),
                            ],
                        );
                        format!("{views} {apart} {up}")
                    }
                    None => format!("{views} {apart}"),
                }
            }
            Basis::RankVote { eligible } => fill(
                t.basis_rank_vote,
                &[("id", id.clone()), ("n", eligible.to_string())],
            ),
            Basis::Actionable { stability, .. } => fill(
                t.basis_actionable,
                &[
                    ("id", id.clone()),
                    ("st", self.number(*stability, 2)),
                    ("lo", ACTIONABLE.start().to_string()),
                    ("hi", ACTIONABLE.end().to_string()),
                ],
            ),
            Basis::NoneEligible { fails } => fill(
                t.basis_none_eligible,
                &[("id", id.clone()), ("fails", self.rule_failures(fails))],
            ),
        });
        match &p.structure {
            Structure::Clear { gap, se, k } => out.push(fill(
                t.structure_clear,
                &[
                    ("gap", self.number(*gap, 2)),
                    ("se", self.at_least(*se, 2)),
                    ("k", k.to_string()),
                ],
            )),
            Structure::None { gap, se, .. } => out.push(fill(
                t.structure_none,
                &[("gap", self.number(*gap, 2)), ("se", self.at_least(*se, 2))],
            )),
            Structure::Unlinked { gap, se, .. } => {
                let why = if *gap < MIN_TRAIT_GAP {
                    fill(t.unlinked_below, &[("min", self.number(MIN_TRAIT_GAP, 2))])
                } else {
                    t.unlinked_noise.to_string()
                };
                out.push(fill(
                    t.structure_unlinked,
                    &[
                        ("gap", self.number(*gap, 2)),
                        ("why", why),
                        ("se", self.at_least(*se, 2)),
                    ],
                ))
            }
            Structure::Continuous { valley, .. } => out.push(fill(
                t.structure_continuous,
                &[
                    ("valley", self.number(*valley, 2)),
                    ("max", self.number(DIP, 2)),
                ],
            )),
            Structure::Unknown => {}
        }
        match &p.few_segments {
            Some(FewSegments::LargerRankLower {
                candidate,
                composite: c,
            }) => out.push(fill(
                t.few_rank_lower,
                &[
                    ("id", name(candidate)),
                    ("c", self.number(*c, 2)),
                    ("chosen", self.opt_number(composite(&p.chosen), 2)),
                ],
            )),
            Some(FewSegments::LargerNotEligible { candidate, fails }) if !candidate.is_empty() => {
                out.push(fill(
                    t.few_not_eligible,
                    &[
                        ("id", name(candidate)),
                        ("fails", self.rule_failures(fails)),
                    ],
                ))
            }
            _ => {}
        }
        if let Some(r) = &p.runner_up {
            out.push(fill(t.runner_up, &[("id", name(r))]));
        }
        // A sentence may open with a candidate's words ("k-means with 6 segments ranks …").
        out.iter()
            .map(|s| capitalise(s))
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// A clustering candidate in words: `k-means with 6 segments`, `DBSCAN with 4 segments
    /// (at least 20 customers within a radius of 0.656)`, numbers in this language's format.
    ///
    /// ```
    /// use segmint::model::CandidateSpec;
    /// use segmint::i18n::Lang;
    /// let dbscan = CandidateSpec::Dbscan { k: Some(4), min_samples: 20, eps: 0.656 };
    /// assert_eq!(
    ///     Lang::Da.candidate(&dbscan),
    ///     "DBSCAN med 4 segmenter (mindst 20 kunder inden for en radius på 0,656)"
    /// );
    /// assert_eq!(Lang::Nb.candidate(&CandidateSpec::KMeans { k: 6 }), "k-means med 6 segmenter");
    /// ```
    pub fn candidate(self, spec: &CandidateSpec) -> String {
        let t = self.texts();
        match *spec {
            CandidateSpec::KMeans { k } => fill(t.candidate_kmeans, &[("k", k.to_string())]),
            CandidateSpec::Dbscan {
                k,
                min_samples,
                eps,
            } => {
                let values = [
                    ("k", k.map_or(String::new(), |k| k.to_string())),
                    ("m", self.number(min_samples as f64, 0)),
                    ("eps", self.number(eps, 3)),
                ];
                match k {
                    Some(_) => fill(t.candidate_dbscan, &values),
                    None => fill(t.candidate_dbscan_settings, &values),
                }
            }
        }
    }

    /// The candidate with id `id` in words: by `spec`'s facts, else by the facts its id holds,
    /// else (an id segmint did not write) the id itself.
    fn candidate_named(self, id: &str, spec: &dyn Fn(&str) -> Option<CandidateSpec>) -> String {
        match spec(id).or_else(|| CandidateSpec::of_id(id)) {
            Some(s) => self.candidate(&s),
            None => id.to_string(),
        }
    }

    fn index(self) -> usize {
        match self {
            Lang::En => 0,
            Lang::Nb => 1,
            Lang::Sv => 2,
            Lang::Da => 3,
        }
    }
}

thread_local! {
    /// The mapping's labels of the data's levels while a report is written
    /// ([`with_level_labels`]).
    static LEVEL_LABELS: std::cell::RefCell<crate::model::FeatureLabels> =
        const { std::cell::RefCell::new(BTreeMap::new()) };
}

/// Runs `f` with the mapping's labels of the data's levels (level slug → language code →
/// label, as the manifest stores them): every [`Lang::level`] in `f` on this thread, and so
/// every feature name, persona sentence, segment name and table that words a level, uses
/// them. The labels are gone when `f` returns (or panics).
pub fn with_level_labels<R>(labels: &crate::model::FeatureLabels, f: impl FnOnce() -> R) -> R {
    struct Reset(crate::model::FeatureLabels);
    impl Drop for Reset {
        fn drop(&mut self) {
            let before = std::mem::take(&mut self.0);
            LEVEL_LABELS.with(|l| *l.borrow_mut() = before);
        }
    }
    let before = LEVEL_LABELS.with(|l| l.replace(labels.clone()));
    let _reset = Reset(before);
    f()
}

/// A run note in plain English (numbers without grouping), as the manifest's `warnings` and
/// the command line state it.
pub fn note_plain(note: &RunNote) -> String {
    note_text(Lang::En, note, true)
}

/// A run note from the `[notes]` texts of `lang`; `plain` keeps numbers, dates and table
/// names as the data hold them.
fn note_text(lang: Lang, note: &RunNote, plain: bool) -> String {
    let t = &lang.catalogue().notes;
    let count = |n: usize| {
        if plain {
            n.to_string()
        } else {
            lang.number(n as f64, 0)
        }
    };
    let table = |name: &str| {
        if plain {
            name.to_string()
        } else {
            lang.table_name(name)
        }
    };
    match note {
        RunNote::Pseudonymised {
            table: tb,
            column,
            emails,
            phones,
            key_file,
        } => fill(
            t["pseudonymised"],
            &[
                ("emails", count(*emails)),
                ("table", table(tb)),
                ("column", format!("{column:?}")),
                ("phones", count(*phones)),
                ("key_file", key_file.clone()),
            ],
        ),
        RunNote::ProductsMissing {
            missing,
            lines,
            first_lines,
        } => fill(
            t["products_missing"],
            &[
                ("missing", count(*missing)),
                ("lines", count(*lines)),
                (
                    "first",
                    first_lines
                        .iter()
                        .map(|l| l.to_string())
                        .collect::<Vec<_>>()
                        .join(", "),
                ),
            ],
        ),
        RunNote::AssumedMargin { margin_pct } => {
            let m = if lang == Lang::En {
                format!("{margin_pct}")
            } else {
                let decimals = if margin_pct.fract() == 0.0 { 0 } else { 1 };
                lang.percent(margin_pct / 100.0, decimals)
            };
            fill(t["assumed_margin"], &[("m", m)])
        }
        RunNote::NoCost => t["no_cost"].to_string(),
        RunNote::NoOrderId => t["no_order_id"].to_string(),
        RunNote::ClusterDiscovery {
            sample,
            customers,
            seed,
            steps,
            settled,
        } => fill(
            t[if *settled {
                "cluster_settled"
            } else {
                "cluster_unsettled"
            }],
            &[
                ("sample", count(*sample)),
                ("n", count(*customers as usize)),
                ("seed", seed.to_string()),
                ("steps", steps.to_string()),
            ],
        ),
        RunNote::SignupAfterAsOf { customers, as_of } => fill(
            t["signup_after_as_of"],
            &[
                ("n", count(*customers)),
                (
                    "as_of",
                    if plain {
                        as_of.clone()
                    } else {
                        lang.date(as_of)
                    },
                ),
            ],
        ),
        RunNote::AttributeMissing { attribute, values } => fill(
            t["attribute_missing"],
            &[("name", attribute.clone()), ("n", count(*values))],
        ),
        RunNote::KMaxLowered {
            configured,
            customers,
            allowed,
            used,
            min_share,
        } => {
            let why = match min_share {
                None => t["k_cap_size"].to_string(),
                Some(s) => fill(
                    t["k_cap_share"],
                    &[(
                        "min",
                        if lang == Lang::En {
                            format!("{s}")
                        } else {
                            lang.percent(*s, 1)
                        },
                    )],
                ),
            };
            fill(
                t["k_max_lowered"],
                &[
                    ("configured", configured.to_string()),
                    ("n", count(*customers)),
                    ("cap", allowed.to_string()),
                    ("used", used.to_string()),
                    ("why", why),
                ],
            )
        }
    }
}

/// A flag's sentence in plain English (numbers without grouping), as segments.json and the
/// command line state it.
pub fn flag_plain_message(facts: &FlagFacts) -> String {
    flag_plain_message_for(facts, false)
}

/// [`flag_plain_message`] for a run with or without cost data: without it (`no_cost`) the
/// sentences speak of revenue after returns, as the report's do ([`Lang::flag_message`]).
pub fn flag_plain_message_for(facts: &FlagFacts, no_cost: bool) -> String {
    flag_sentence(
        facts,
        if no_cost {
            &PLAIN_FLAGS_NO_COST
        } else {
            &PLAIN_FLAGS
        },
        &plain_number,
        &|x| plain_number(x, 0),
        &plain_share,
        Lang::En.texts().period_unknown,
    )
}

/// A segment's description in plain English (numbers without grouping, lower case, no final
/// full stop), as segments.json, profiles.csv and the command line state it.
/// `no_cost`: the run had no cost data ([`Lang::texts_for`]).
pub fn description_plain(facts: &DescriptionFacts, no_cost: bool) -> String {
    description_parts(
        facts,
        Lang::En.texts_for(no_cost),
        &plain_number,
        &|x| plain_number(x, 0),
        &plain_share,
    )
    .join("; ")
}

/// The clauses of a segment's description from `t`, numbers by `number` (value, decimals),
/// money by `money` and shares by `percent`. Facts with the revenue after returns say it
/// beside the revenue before returns (`desc_shares_kept`), and the value per customer.
fn description_parts(
    facts: &DescriptionFacts,
    t: &Texts,
    number: &dyn Fn(f64, usize) -> String,
    money: &dyn Fn(f64) -> String,
    percent: &dyn Fn(f64) -> String,
) -> Vec<String> {
    let mut values = vec![
        ("share", percent(facts.share)),
        ("rev", percent(facts.revenue_share)),
        ("profit", percent(facts.profit_share)),
    ];
    let shares = match facts.kept_revenue_share {
        Some(kept) => {
            values.push(("kept", percent(kept)));
            t.desc_shares_kept
        }
        None => t.desc_shares,
    };
    let mut parts = vec![fill(shares, &values)];
    if let Some(v) = facts.kept_per_customer {
        parts.push(fill(t.desc_value, &[("x", money(v))]));
    }
    match facts.orders {
        OrderPattern::AlmostNone { sessions } => {
            parts.push(t.desc_no_orders.to_string());
            if let Some(s) = sessions {
                parts.push(fill(t.desc_sessions, &[("s", number(s, 0))]));
            }
        }
        OrderPattern::Regular {
            frequency,
            interpurchase_days,
        } => parts.push(fill(
            t.desc_orders_every,
            &[
                ("f", number(frequency, 1)),
                ("d", number(whole_days(interpurchase_days), 0)),
            ],
        )),
        OrderPattern::Orders { frequency } => {
            parts.push(fill(t.desc_orders, &[("f", number(frequency, 1))]))
        }
    }
    if let Some(r) = facts.recency_days {
        parts.push(fill(t.desc_recency, &[("r", number(whole_days(r), 0))]));
    }
    if let Some(rr) = facts.return_rate_value {
        parts.push(fill(t.desc_returned, &[("rr", percent(rr))]));
    }
    parts
}

/// Why a customer is flagged, in plain English (numbers without grouping), as segments.json
/// and flagged_customers state it.
pub fn customer_flag_plain(flag: &CustomerFlag) -> String {
    customer_flag_sentence(
        flag,
        Lang::En.texts().customer_high_returns,
        &|x| format!("{x}"),
        &|x| plain_percent(x, 0),
    )
}

/// Why a customer is flagged, from `template`, counts by `count` and shares by `percent`.
fn customer_flag_sentence(
    flag: &CustomerFlag,
    template: &str,
    count: &dyn Fn(f64) -> String,
    percent: &dyn Fn(f64) -> String,
) -> String {
    match *flag {
        CustomerFlag::HighReturns {
            return_rate,
            orders,
            threshold,
            min_orders,
        } => fill(
            template,
            &[
                ("rr", percent(return_rate)),
                ("n", count(orders)),
                ("t", percent(threshold)),
                ("min", min_orders.to_string()),
            ],
        ),
    }
}

/// The templates of the flags' sentences. The media sentence goes where `low_profit` has
/// `{media}`, else after it.
struct FlagTexts {
    low_profit: &'static str,
    media: &'static str,
    vip: &'static str,
    churn: &'static str,
    churn_shop: &'static str,
    discount: &'static str,
    hidden: &'static str,
    high_returns: &'static str,
}

/// The plain English of segments.json and the command line.
const PLAIN_FLAGS: FlagTexts = FlagTexts {
    low_profit: "{share} of customers bring {rev} of revenue before returns but {kept} of revenue after returns and {profit} of profit: they return {rr} by value (other customers: {base}) and cause {refunds} of all refunds. If their return rate fell to that of the other customers, profit {period} would rise by at most about {impact} (an upper bound: it assumes they keep buying as much){media}.",
    media: "; paid media spent on them: about {m} a year",
    vip: "The most valuable segment: {share} of customers, {profit} of profit",
    churn: "Last order {r} days ago (median), {x}× their usual {i} days between orders",
    churn_shop: "Last order {r} days ago (median), {x}× the shop's usual {i} days between orders; most of them have ordered only once",
    discount: "{d} of their orders carry a discount",
    hidden: "{n} of its customers ({share} of the segment, against {base} of the other customers) are flagged for high returns: they return {rr} by value, the rest of the segment {others}, and cause {refunds} of its refunds",
    high_returns: "They return {rr} by value (other customers: {base}) and cause {refunds} of all refunds; they bring {kept} of revenue after returns and {profit} of profit. If their return rate fell to that of the other customers, profit {period} would rise by at most about {impact} (an upper bound: it assumes they keep buying as much).",
};

/// [`PLAIN_FLAGS`] where no cost is known: revenue after returns, not profit.
const PLAIN_FLAGS_NO_COST: FlagTexts = FlagTexts {
    low_profit: "{share} of customers bring {rev} of revenue before returns but {kept} of revenue after returns: they return {rr} by value (other customers: {base}) and cause {refunds} of all refunds. If their return rate fell to that of the other customers, revenue after returns and return handling {period} would rise by at most about {impact} (an upper bound: it assumes they keep buying as much); the data have no cost of goods, so their profit is not known{media}.",
    vip: "The most valuable segment: {share} of customers, {profit} of revenue after returns and return handling",
    high_returns: "They return {rr} by value (other customers: {base}) and cause {refunds} of all refunds; they bring {kept} of revenue after returns. If their return rate fell to that of the other customers, revenue after returns and return handling {period} would rise by at most about {impact} (an upper bound: it assumes they keep buying as much).",
    ..PLAIN_FLAGS
};

/// A flag's sentence from `texts`, numbers by `number` (value, decimals) and shares by
/// `percent`.
fn flag_sentence(
    facts: &FlagFacts,
    texts: &FlagTexts,
    number: &dyn Fn(f64, usize) -> String,
    money: &dyn Fn(f64) -> String,
    percent: &dyn Fn(f64) -> String,
    period: &str,
) -> String {
    match *facts {
        FlagFacts::LowProfitHighReturn {
            share,
            revenue_share,
            kept_revenue_share,
            refund_share,
            profit_share,
            return_rate,
            base_return_rate,
            impact_profit,
            media_spend_at_risk,
        } => {
            let media = media_spend_at_risk
                .map(|m| fill(texts.media, &[("m", money(m))]))
                .unwrap_or_default();
            let mut s = fill(
                texts.low_profit,
                &[
                    ("share", percent(share)),
                    ("rev", percent(revenue_share)),
                    ("kept", percent(kept_revenue_share)),
                    ("refunds", percent(refund_share)),
                    ("profit", percent(profit_share)),
                    ("rr", percent(return_rate)),
                    ("base", percent(base_return_rate)),
                    // Two significant digits: an estimate, not a forecast to the krone.
                    ("impact", money(round_significant(impact_profit, 2))),
                    ("media", media.clone()),
                    ("period", period.to_string()),
                ],
            );
            if !texts.low_profit.contains("{media}") {
                s.push_str(&media);
            }
            s
        }
        FlagFacts::Vip {
            share,
            profit_share,
        } => fill(
            texts.vip,
            &[("share", percent(share)), ("profit", percent(profit_share))],
        ),
        FlagFacts::ChurnRisk {
            recency_days: r,
            interpurchase_days: i,
            shop_gap,
        } => fill(
            if shop_gap {
                texts.churn_shop
            } else {
                texts.churn
            },
            &[
                ("r", number(whole_days(r), 0)),
                ("x", number(r / i, 1)),
                ("i", number(whole_days(i), 0)),
            ],
        ),
        FlagFacts::DiscountDependent {
            discount_order_share,
        } => fill(texts.discount, &[("d", percent(discount_order_share))]),
        FlagFacts::HiddenReturners {
            customers,
            share,
            base_share,
            return_rate,
            others_return_rate,
            refund_share,
        } => fill(
            texts.hidden,
            &[
                ("n", number(customers as f64, 0)),
                ("share", percent(share)),
                ("base", percent(base_share)),
                ("rr", percent(return_rate)),
                ("others", percent(others_return_rate)),
                ("refunds", percent(refund_share)),
            ],
        ),
        FlagFacts::HighReturns {
            share: _,
            kept_revenue_share,
            refund_share,
            profit_share,
            return_rate,
            base_return_rate,
            impact_profit,
        } => fill(
            texts.high_returns,
            &[
                ("rr", percent(return_rate)),
                ("base", percent(base_return_rate)),
                ("refunds", percent(refund_share)),
                ("kept", percent(kept_revenue_share)),
                ("profit", percent(profit_share)),
                ("impact", money(round_significant(impact_profit, 2))),
                ("period", period.to_string()),
            ],
        ),
    }
}

/// `x` rounded to `digits` significant digits (2 801 730 → 2 800 000).
pub fn round_significant(x: f64, digits: i32) -> f64 {
    if x == 0.0 || !x.is_finite() {
        return x;
    }
    let magnitude = 10f64.powi(x.abs().log10().floor() as i32 - digits + 1);
    (x / magnitude).round() * magnitude
}

/// The finest precision of a percentage anywhere in the report (the tables' one decimal),
/// from which [`Lang::percent`] rounds.
const FINEST_PERCENT: usize = 1;

/// `x` rounded to `decimals` the way every number the report shows is rounded: halves away
/// from zero, as a reader rounds (`128.5` days is `129`, never `128`).
///
/// ```
/// use segmint::i18n::round_shown;
/// assert_eq!(round_shown(128.5, 0), 129.0);
/// assert_eq!(round_shown(-2.5, 0), -3.0);
/// assert_eq!(round_shown(128.46, 1), 128.5);
/// assert_eq!(round_shown(128.46, 0), 128.0);
/// ```
pub fn round_shown(x: f64, decimals: usize) -> f64 {
    round_from(x, decimals, decimals)
}

/// `x` rounded to `from` decimals, then one decimal at a time to `to`, halves away from zero:
/// a number shown with `to` decimals that the report also shows with `from` is the rounding
/// of that figure (`128,46` days is `128,5` in a table and `129` in the text, not `128`).
///
/// The rounding is of the number as written, the shortest decimal that reads back as `x`:
/// `1.15` is a half however its binary value (1.1499…) falls.
fn round_from(x: f64, from: usize, to: usize) -> f64 {
    let from = from.max(to);
    if !x.is_finite() || from > 18 {
        return x;
    }
    let written = format!("{}", x.abs());
    let (int, frac) = written.split_once('.').unwrap_or((&written, ""));
    if int.len() > 18 {
        return x;
    }
    let digit = |i: usize| frac.as_bytes().get(i).map_or(0, |b| i128::from(b - b'0'));
    let mut n: i128 = int.parse().unwrap_or(0);
    for i in 0..from {
        n = 10 * n + digit(i);
    }
    if digit(from) >= 5 {
        n += 1;
    }
    for _ in to..from {
        n = (n + 5) / 10;
    }
    let r = n as f64 / 10f64.powi(to as i32);
    if x < 0.0 && n != 0 {
        -r
    } else {
        r
    }
}

/// A number of days as prose and the cards write it (no decimals), rounded from the
/// one-decimal figure the feature tables show for the same days.
fn whole_days(x: f64) -> f64 {
    round_from(x, 1, 0)
}

/// A share as a number of per cent with `decimals` decimals, rounded from the one-decimal
/// figure the tables show, halves away from zero: a share a table writes as `4,5 %` is `5 %`
/// in a sentence, never `4 %` (rounding each from the raw 4.4988% gave `4,5 %` and `4 %`).
fn percent_points(share: f64, decimals: usize) -> f64 {
    round_from(100.0 * share, FINEST_PERCENT.max(decimals), decimals)
}

/// `x` with `decimals` decimals in plain English (no grouping), rounded as [`round_shown`].
fn plain_number(x: f64, decimals: usize) -> String {
    format!("{:.*}", decimals, round_shown(x, decimals))
}

/// A share in plain English with `decimals` decimals (`27%`), rounded as [`Lang::percent`].
fn plain_percent(x: f64, decimals: usize) -> String {
    format!("{:.*}%", decimals, percent_points(x, decimals))
}

/// Decimals for a share in prose: one when it shows as under 1% (but not for exactly 0), so
/// that 0.2% never reads as nothing; else none.
fn share_decimals(x: f64) -> usize {
    usize::from(x != 0.0 && percent_points(x, 1).abs() < 1.0)
}

/// A share in plain English (`27%`, `0.2%`).
fn plain_share(x: f64) -> String {
    plain_percent(x, share_decimals(x))
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// Every label and sentence template of the report and the charts, in one language.
#[derive(Debug)]
pub struct Texts {
    /// Default report title.
    pub title: &'static str,
    /// Section heading.
    pub summary: &'static str,
    /// Section heading.
    pub segments: &'static str,
    /// Section heading.
    pub chosen: &'static str,
    /// Section heading.
    pub data_quality: &'static str,
    /// Section heading.
    pub method: &'static str,
    /// Section heading.
    pub charts: &'static str,
    /// Column: segment.
    pub segment: &'static str,
    /// Column: customers.
    pub customers: &'static str,
    /// Share of customers.
    pub customer_share: &'static str,
    /// Share of revenue.
    pub revenue_share: &'static str,
    /// Share of profit.
    pub profit_share: &'static str,
    /// Net revenue.
    pub net_revenue: &'static str,
    /// Return-adjusted profit.
    pub profit: &'static str,
    /// Profit margin.
    pub profit_margin: &'static str,
    /// Return rate by value.
    pub return_rate: &'static str,
    /// Average order value.
    pub aov: &'static str,
    /// Net revenue per customer.
    pub revenue_per_customer: &'static str,
    /// Orders per customer.
    pub orders_per_customer: &'static str,
    /// Median days since last order.
    pub recency: &'static str,
    /// Card subheading.
    pub distinguishing: &'static str,
    /// Card subheading.
    pub survey_profile: &'static str,
    /// Card subheading.
    pub composition: &'static str,
    /// Card subheading.
    pub actions: &'static str,
    /// Card subheading / column.
    pub flags: &'static str,
    /// Column: feature.
    pub feature: &'static str,
    /// Column: mean.
    pub mean: &'static str,
    /// Column: the mean over a segment's customers of each customer's own value (the
    /// "what sets them apart" table), named so beside the segment's totals.
    pub mean_per_customer: &'static str,
    /// Column: all customers' mean.
    pub base_mean: &'static str,
    /// Column: lift.
    pub lift: &'static str,
    /// Column: share in segment.
    pub share_in_segment: &'static str,
    /// Column: share of all customers.
    pub share_in_base: &'static str,
    /// Column: candidate.
    pub candidate: &'static str,
    /// Column: algorithm.
    pub algorithm: &'static str,
    /// Column: silhouette.
    pub silhouette: &'static str,
    /// Column: stability.
    pub stability: &'static str,
    /// Column: smallest segment share.
    pub smallest: &'static str,
    /// Column / segment: unassigned.
    pub unassigned: &'static str,
    /// Column: composite score.
    pub composite: &'static str,
    /// Column: eligible.
    pub eligible: &'static str,
    /// Column: rules not met.
    pub fails: &'static str,
    /// Chosen mark.
    pub chosen_mark: &'static str,
    /// Yes.
    pub yes: &'static str,
    /// No.
    pub no: &'static str,
    /// Column: table.
    pub table: &'static str,
    /// Column: file.
    pub file: &'static str,
    /// Column: rows read.
    pub rows_read: &'static str,
    /// Column: rows used.
    pub rows_used: &'static str,
    /// Column: rows skipped.
    pub rows_skipped: &'static str,
    /// Column: reason.
    pub reason: &'static str,
    /// Subheading: missing values.
    pub missing_values: &'static str,
    /// Column: share missing.
    pub missing_share: &'static str,
    /// Subheading: customers without a segment.
    pub excluded: &'static str,
    /// Subheading: flagged customers.
    pub flagged_customers: &'static str,
    /// "high" in generated names.
    pub high: &'static str,
    /// "low" in generated names.
    pub low: &'static str,
    /// "many" in generated names of counts and days.
    pub many: &'static str,
    /// "few" in generated names of counts and days.
    pub few: &'static str,
    /// Survey item label prefix.
    pub survey_item: &'static str,
    /// Category share label prefix.
    pub category_share: &'static str,
    /// Channel share label prefix.
    pub channel_share: &'static str,
    /// Category view share label prefix.
    pub category_view_share: &'static str,
    /// Revenue after returns (revenue − refunds).
    pub kept_revenue: &'static str,
    /// Share of the revenue after returns.
    pub kept_share: &'static str,
    /// Value-versus-reachability view: `value_reach`.
    pub value_reach: &'static str,
    /// Value-versus-reachability view: `value_reach_note`.
    pub value_reach_note: &'static str,
    /// Value-versus-reachability view: `value_per_customer`.
    pub value_per_customer: &'static str,
    /// Value-versus-reachability view: `reachable`.
    pub reachable: &'static str,
    /// Value-versus-reachability view: `quadrant`.
    pub quadrant: &'static str,
    /// Value-versus-reachability view: `quadrant_protect`.
    pub quadrant_protect: &'static str,
    /// Value-versus-reachability view: `quadrant_win_back`.
    pub quadrant_win_back: &'static str,
    /// Value-versus-reachability view: `quadrant_develop`.
    pub quadrant_develop: &'static str,
    /// Value-versus-reachability view: `quadrant_deprioritise`.
    pub quadrant_deprioritise: &'static str,
    /// Value-versus-reachability view: `quadrant_suppress` (a segment to keep out of paid
    /// media, whatever its quadrant).
    pub quadrant_suppress: &'static str,
    /// Value-versus-reachability view: valuable, mostly inactive in the window, neither lapsed
    /// nor at risk by their own rhythm.
    pub quadrant_keep_in_touch: &'static str,
    /// Value-versus-reachability view: mostly inactive, a season campaign their action.
    pub quadrant_season: &'static str,
    /// Value-versus-reachability view: low value, drifting away by their own rhythm.
    pub quadrant_low_drifting: &'static str,
    /// The segment plan's label: `play_goal`.
    pub play_goal: &'static str,
    /// The segment plan's label: `play_channel`.
    pub play_channel: &'static str,
    /// The segment plan's label: `play_kpi`.
    pub play_kpi: &'static str,
    /// The segment plan's label: `play`.
    pub play: &'static str,
    /// Executive summary, measurement plan or appendix text: `exec_summary`.
    pub exec_summary: &'static str,
    /// Executive summary, measurement plan or appendix text: `findings`.
    pub findings: &'static str,
    /// Executive summary, measurement plan or appendix text: `recommendations`.
    pub recommendations: &'static str,
    /// Executive summary, measurement plan or appendix text: `finding_top`.
    pub finding_top: &'static str,
    /// Executive summary, measurement plan or appendix text: `finding_returns`.
    pub finding_returns: &'static str,
    /// Executive summary, measurement plan or appendix text: `finding_low_value`.
    pub finding_low_value: &'static str,
    /// Executive summary, measurement plan or appendix text: `finding_gone`.
    pub finding_gone: &'static str,
    /// Executive summary, measurement plan or appendix text: `finding_discount`.
    pub finding_discount: &'static str,
    /// Finding: a hidden group of serial returners: `{name}`, `{n}`, `{share}`, `{rr}`, `{refunds}`.
    pub finding_hidden: &'static str,
    /// Finding: a segment returning far more than the others: `{name}`, `{rr}`, `{base}`,
    /// `{refunds}`.
    pub finding_high_returns: &'static str,
    /// Executive summary, measurement plan or appendix text: `recommendation`.
    pub recommendation: &'static str,
    /// Executive summary, measurement plan or appendix text: `caveat_weak`.
    pub caveat_weak: &'static str,
    /// Executive summary, measurement plan or appendix text: `caveat_forced`.
    pub caveat_forced: &'static str,
    /// Executive summary: no clear segments in the data, `{k}` segments offered.
    pub caveat_no_structure: &'static str,
    /// Executive summary, measurement plan or appendix text: `measurement`.
    pub measurement: &'static str,
    /// Executive summary, measurement plan or appendix text: `measurement_holdout`.
    pub measurement_holdout: &'static str,
    /// Executive summary, measurement plan or appendix text: `measurement_rerun`.
    pub measurement_rerun: &'static str,
    /// Executive summary, measurement plan or appendix text: `measurement_migration`.
    pub measurement_migration: &'static str,
    /// Executive summary, measurement plan or appendix text: `appendix`.
    pub appendix: &'static str,
    /// Survey factor label prefix.
    pub survey_factor: &'static str,
    /// Fallback action.
    pub keep_regular: &'static str,
    /// The regular-campaign action when nothing sets the segment clearly apart (a sentence).
    pub nothing_stands_out: &'static str,
    /// Summary: `{n}` customers in `{k}` segments.
    pub summary_line: &'static str,
    /// After the headline's count of customers: `{file}` of them in the customer file, the
    /// `{missing}` others without a row there but in the tables of `{list}`.
    pub customers_accounted: &'static str,
    /// [`Texts::customers_accounted`] when one table holds them all (and no other any).
    pub customers_accounted_only: &'static str,
    /// [`Texts::customers_accounted`] without the tables (a run folder of an earlier version,
    /// which lacks them).
    pub customers_accounted_other: &'static str,
    /// Description: `{share}` of customers, `{rev}` of revenue, `{profit}` of profit.
    pub desc_shares: &'static str,
    /// Description: `{share}` of customers, `{rev}` of revenue before returns and `{kept}`
    /// after returns, `{profit}` of profit.
    pub desc_shares_kept: &'static str,
    /// Description: `{x}` revenue after returns per customer.
    pub desc_value: &'static str,
    /// Description: almost no orders.
    pub desc_no_orders: &'static str,
    /// Description: `{s}` sessions on average.
    pub desc_sessions: &'static str,
    /// Description: `{f}` orders each, `{d}` days between orders (median): the median
    /// customer's mean gap, named so beside the tables' means.
    pub desc_orders_every: &'static str,
    /// Description: `{f}` orders each.
    pub desc_orders: &'static str,
    /// Description: last order `{r}` days ago (median).
    pub desc_recency: &'static str,
    /// Description: `{rr}` returned by value.
    pub desc_returned: &'static str,
    /// A customer flagged for high returns: `{rr}`, `{n}` orders, threshold `{t}`, `{min}`
    /// orders.
    pub customer_high_returns: &'static str,
    /// Flag: low profit, high returns.
    pub flag_low_profit: &'static str,
    /// Flag message: `{share}`, `{rev}`, `{profit}`, `{rr}`, `{base}`, `{impact}`.
    pub flag_low_profit_msg: &'static str,
    /// Flag message addition: paid media `{m}`.
    pub flag_media: &'static str,
    /// Flag: VIP.
    pub flag_vip: &'static str,
    /// Flag message: `{share}`, `{profit}`.
    pub flag_vip_msg: &'static str,
    /// Flag: churn risk.
    pub flag_churn: &'static str,
    /// Flag message: `{r}`, `{x}`, `{i}`.
    pub flag_churn_msg: &'static str,
    /// Flag message, the shop's time between orders as the yardstick: `{r}`, `{x}`, `{i}`.
    pub flag_churn_shop_msg: &'static str,
    /// Flag: discount dependence.
    pub flag_discount: &'static str,
    /// Flag message: `{d}`.
    pub flag_discount_msg: &'static str,
    /// Flag: a hidden group of serial returners.
    pub flag_hidden: &'static str,
    /// Flag message: `{n}`, `{share}`, `{base}`, `{rr}`, `{others}`, `{refunds}`.
    pub flag_hidden_msg: &'static str,
    /// Flag: a return rate far above the other customers'.
    pub flag_high_returns: &'static str,
    /// Flag message: `{rr}`, `{base}`, `{refunds}`, `{kept}`, `{profit}`, `{impact}`,
    /// `{period}`.
    pub flag_high_returns_msg: &'static str,
    /// No flags raised.
    pub no_flags: &'static str,
    /// Selection: the proposal `{id}` with `{k}` segments.
    pub proposal_line: &'static str,
    /// Selection rule explanation: `{max}`, `{min_share}`, `{max_noise}`, `{min_st}`,
    /// `{valley}`, `{near}`, `{dip}`, `{trait}`.
    pub rule: &'static str,
    /// Indices' preferred k: `{list}`.
    pub preferred_k: &'static str,
    /// Indices agree.
    pub indices_agree: &'static str,
    /// Indices disagree.
    pub indices_disagree: &'static str,
    /// Unassigned customers: `{n}` `{share}`.
    pub excluded_line: &'static str,
    /// Nobody unassigned.
    pub excluded_none: &'static str,
    /// Rule: more than `{n}` segments.
    pub rule_more_than: &'static str,
    /// Rule: fewer than `{n}` segments.
    pub rule_fewer_than: &'static str,
    /// Rule: no stability score.
    pub rule_no_stability: &'static str,
    /// Rule: `{n}` segments, more than `{max}`.
    pub rule_too_many: &'static str,
    /// Rule: smallest segment `{share}` below `{min}`.
    pub rule_small: &'static str,
    /// Rule: `{share}` unassigned, above `{max}`.
    pub rule_noise: &'static str,
    /// Rule: stability `{st}` below `{min}`.
    pub rule_unstable: &'static str,
    /// Why: forced `{k}`.
    pub basis_forced: &'static str,
    /// Why: rank vote among `{n}` eligible candidates; `{id}`.
    pub basis_rank_vote: &'static str,
    /// Why: no clear structure; `{id}` the most stable actionable split (`{st}`), `{lo}`–`{hi}`.
    pub basis_actionable: &'static str,
    /// Why: nothing eligible; `{id}` fails `{fails}`.
    pub basis_none_eligible: &'static str,
    /// Structure clear: `{gap}`, `{se}`, `{k}`.
    pub structure_clear: &'static str,
    /// No clear structure: `{gap}`, `{se}`.
    pub structure_none: &'static str,
    /// No clear structure: the segments are about as tight when each family of traits is
    /// shuffled among customers with the same number of orders (largest trait gap `{gap}`,
    /// `{why}`: [`Texts::unlinked_below`] or [`Texts::unlinked_noise`]; standard error `{se}`).
    pub structure_unlinked: &'static str,
    /// Why a trait gap is no evidence: below `{min}`.
    pub unlinked_below: &'static str,
    /// Why a trait gap is no evidence: within twice its standard error of 0.
    pub unlinked_noise: &'static str,
    /// No clear structure although the gap is clear: no split has a density valley; the
    /// lowest is `{valley}`, a dip starts below `{max}`.
    pub structure_continuous: &'static str,
    /// Few segments although most indices prefer more: the best larger `{id}` ranks lower
    /// (`{c}` against `{chosen}`).
    pub few_rank_lower: &'static str,
    /// Few segments: no larger candidate is eligible; `{id}` fails `{fails}`.
    pub few_not_eligible: &'static str,
    /// Runner-up `{id}`.
    pub runner_up: &'static str,
    /// Index name: gap statistic.
    pub gap_statistic: &'static str,
    /// Index name: the most stable k.
    pub most_stable_k: &'static str,
    /// Why: the median of three views `{elbow}`, `{gap}`, `{stable}` (`{st}`) is `{k}`; `{id}`.
    pub basis_consensus: &'static str,
    /// The consensus was taken among separated candidates with `{lo}`–`{hi}` segments:
    /// `{id}`, `{v}`.
    pub basis_separated: &'static str,
    /// The candidate at the views' middle `{k}`, `{id}`, taken without a deep dip (`{v}`):
    /// refits reproduce it segment by segment (`{st}`, `{seg}`) with a slight dip (`{dip}`).
    pub basis_agreed: &'static str,
    /// Another separated candidate `{other}` was as near to the views' middle `{k}`: `{id}`
    /// has the larger gap (`{gap}` against `{ogap}`, by more than the standard error `{se}`).
    pub basis_tie_gap: &'static str,
    /// Another separated candidate `{other}` was as near to `{k}`, the gaps deciding nothing:
    /// `{id}` has the deeper dip (valley `{v}` against `{ov}`).
    pub basis_tie_valley: &'static str,
    /// Another separated candidate `{other}` was as near to `{k}` and as clearly split: `{id}`
    /// has fewer segments.
    pub basis_tie_fewer: &'static str,
    /// No eligible candidate with `{lo}`–`{hi}` segments was separated: `{id}`, `{v}`.
    pub basis_none_separated: &'static str,
    /// One segment more than `{from}` is proposed, `{id}`: reproduced (bootstrap agreement at
    /// least `{st}`, every segment found again with Jaccard at least `{seg}`) with a slight dip
    /// between its segments (valley below `{dip}`).
    pub basis_reproduced: &'static str,
    /// None with `{lo}`–`{hi}` segments was separated; `{id}` is the largest separated one
    /// with fewer segments: `{v}`.
    pub basis_separated_below: &'static str,
    /// Column: the least separated segment's density valley.
    pub valley: &'static str,
    /// Flagged customers: `{n}` of them, by the rule `{rate}` returned over `{orders}` orders.
    pub flagged_line: &'static str,
    /// No customer flagged by the rule `{rate}` returned over `{orders}` orders.
    pub flagged_none: &'static str,
    /// Method: features `{n}` in groups.
    pub method_features: &'static str,
    /// Method: transforms (`{cols}`).
    pub method_prepare: &'static str,
    /// Method: algorithms.
    pub method_algorithms: &'static str,
    /// Method: reproducibility `{seed}`, `{version}`, `{as_of}`.
    pub method_repro: &'static str,
    /// Footer.
    pub generated_by: &'static str,
    /// Reference date.
    pub as_of: &'static str,
    /// Chart title.
    pub chart_sizes: &'static str,
    /// Chart title.
    pub chart_heatmap: &'static str,
    /// Chart title.
    pub chart_k: &'static str,
    /// Chart title.
    pub chart_kdist: &'static str,
    /// Chart title.
    pub chart_map: &'static str,
    /// Chart title.
    pub chart_whale: &'static str,
    /// Chart title.
    pub chart_returns: &'static str,
    /// Chart title.
    pub chart_boxes: &'static str,
    /// Axis: number of segments.
    pub axis_k: &'static str,
    /// Axis: inertia.
    pub axis_inertia: &'static str,
    /// Axis: share.
    pub axis_share: &'static str,
    /// Axis: rows sorted by distance.
    pub axis_rows_sorted: &'static str,
    /// Axis: k-th neighbour distance.
    pub axis_kth: &'static str,
    /// Axis: principal component.
    pub axis_pc: &'static str,
    /// Axis: customers ranked by profit.
    pub axis_customers_ranked: &'static str,
    /// Axis: cumulative profit.
    pub axis_cum_profit: &'static str,
    /// Legend: elbow.
    pub elbow: &'static str,
    /// Legend: chosen.
    pub chosen_short: &'static str,
    /// Legend: eps.
    pub eps: &'static str,
    /// Legend: centroid.
    pub centroid: &'static str,
    /// Legend: flagged.
    pub flagged: &'static str,
    /// Legend: all customers.
    pub all_customers: &'static str,
    /// Bubble size note.
    pub bubble_note: &'static str,
    /// The period of the data, its first order date and the reference date: fills `{period}`.
    pub period_dates: &'static str,
    /// The period of the data when its first date is not known: fills `{period}`.
    pub period_unknown: &'static str,
    /// A chart tick of 10 000 or more: `{n}` the number in full, `{k}` in thousands.
    pub compact_thousands: &'static str,
    /// A chart tick of a million or more: `{m}` in millions.
    pub compact_millions: &'static str,
    /// An amount in millions in prose (`{m} million`, `{m} mill.`): [`Lang::money_compact`].
    pub money_millions: &'static str,
    /// The amounts include VAT (the mapping's `vat = "included"`).
    pub vat_included: &'static str,
    /// The amounts exclude VAT.
    pub vat_excluded: &'static str,
    /// The mapping does not state the VAT basis.
    pub vat_unstated: &'static str,
    /// A k-means candidate in words.
    pub candidate_kmeans: &'static str,
    /// A DBSCAN candidate in words.
    pub candidate_dbscan: &'static str,
    /// A DBSCAN candidate whose number of segments is not known, in words.
    pub candidate_dbscan_settings: &'static str,
}

// ---------------------------------------------------------------------------------------------
// The texts themselves: one reviewable TOML file per language (`src/i18n/<lang>.toml`), read
// once at first use. Every file has the same keys; `every_key_in_every_language` checks it.
// ---------------------------------------------------------------------------------------------

/// The bundled text files, in [`Lang::ALL`] order.
const FILES: [(Lang, &str); 4] = [
    (Lang::En, include_str!("en.toml")),
    (Lang::Nb, include_str!("nb.toml")),
    (Lang::Sv, include_str!("sv.toml")),
    (Lang::Da, include_str!("da.toml")),
];

/// The tables of every file besides `[report]` and `[campaign]`: keyed texts.
const SECTIONS: [&str; 15] = [
    "names",
    "high_low",
    "opportunities",
    "persona",
    "plays",
    "actions",
    "features",
    "skip_reasons",
    "levels",
    "tables",
    "groups",
    "notes",
    "glossary",
    "avoid",
    "no_cost",
];

/// The fields of [`Texts`], the `[report]` table of every file.
const REPORT_KEYS: &[&str] = &[
    "title",
    "summary",
    "segments",
    "chosen",
    "data_quality",
    "method",
    "charts",
    "segment",
    "customers",
    "customer_share",
    "revenue_share",
    "profit_share",
    "net_revenue",
    "profit",
    "profit_margin",
    "return_rate",
    "aov",
    "revenue_per_customer",
    "orders_per_customer",
    "recency",
    "distinguishing",
    "survey_profile",
    "composition",
    "actions",
    "flags",
    "feature",
    "mean",
    "mean_per_customer",
    "base_mean",
    "lift",
    "share_in_segment",
    "share_in_base",
    "candidate",
    "algorithm",
    "silhouette",
    "stability",
    "smallest",
    "unassigned",
    "composite",
    "eligible",
    "fails",
    "chosen_mark",
    "yes",
    "no",
    "table",
    "file",
    "rows_read",
    "rows_used",
    "rows_skipped",
    "reason",
    "missing_values",
    "missing_share",
    "excluded",
    "flagged_customers",
    "high",
    "low",
    "many",
    "few",
    "survey_item",
    "category_share",
    "channel_share",
    "category_view_share",
    "kept_revenue",
    "kept_share",
    "value_reach",
    "value_reach_note",
    "value_per_customer",
    "reachable",
    "quadrant",
    "quadrant_protect",
    "quadrant_win_back",
    "quadrant_develop",
    "quadrant_deprioritise",
    "quadrant_suppress",
    "quadrant_keep_in_touch",
    "quadrant_season",
    "quadrant_low_drifting",
    "play_goal",
    "play_channel",
    "play_kpi",
    "play",
    "exec_summary",
    "findings",
    "recommendations",
    "finding_top",
    "finding_returns",
    "finding_low_value",
    "finding_gone",
    "finding_discount",
    "finding_hidden",
    "finding_high_returns",
    "recommendation",
    "caveat_weak",
    "caveat_forced",
    "caveat_no_structure",
    "measurement",
    "measurement_holdout",
    "measurement_rerun",
    "measurement_migration",
    "appendix",
    "survey_factor",
    "keep_regular",
    "nothing_stands_out",
    "summary_line",
    "customers_accounted",
    "customers_accounted_only",
    "customers_accounted_other",
    "desc_shares",
    "desc_shares_kept",
    "desc_value",
    "desc_no_orders",
    "desc_sessions",
    "desc_orders_every",
    "desc_orders",
    "desc_recency",
    "desc_returned",
    "customer_high_returns",
    "flag_low_profit",
    "flag_low_profit_msg",
    "flag_media",
    "flag_vip",
    "flag_vip_msg",
    "flag_churn",
    "flag_churn_msg",
    "flag_churn_shop_msg",
    "flag_discount",
    "flag_discount_msg",
    "flag_hidden",
    "flag_hidden_msg",
    "flag_high_returns",
    "flag_high_returns_msg",
    "no_flags",
    "proposal_line",
    "rule",
    "preferred_k",
    "indices_agree",
    "indices_disagree",
    "excluded_line",
    "excluded_none",
    "rule_more_than",
    "rule_fewer_than",
    "rule_no_stability",
    "rule_too_many",
    "rule_small",
    "rule_noise",
    "rule_unstable",
    "basis_forced",
    "basis_rank_vote",
    "basis_actionable",
    "basis_none_eligible",
    "structure_clear",
    "structure_none",
    "structure_unlinked",
    "unlinked_below",
    "unlinked_noise",
    "structure_continuous",
    "few_rank_lower",
    "few_not_eligible",
    "runner_up",
    "gap_statistic",
    "most_stable_k",
    "basis_consensus",
    "basis_separated",
    "basis_agreed",
    "basis_tie_gap",
    "basis_tie_valley",
    "basis_tie_fewer",
    "basis_none_separated",
    "basis_reproduced",
    "basis_separated_below",
    "valley",
    "flagged_line",
    "flagged_none",
    "method_features",
    "method_prepare",
    "method_algorithms",
    "method_repro",
    "generated_by",
    "as_of",
    "chart_sizes",
    "chart_heatmap",
    "chart_k",
    "chart_kdist",
    "chart_map",
    "chart_whale",
    "chart_returns",
    "chart_boxes",
    "axis_k",
    "axis_inertia",
    "axis_share",
    "axis_rows_sorted",
    "axis_kth",
    "axis_pc",
    "axis_customers_ranked",
    "axis_cum_profit",
    "elbow",
    "chosen_short",
    "eps",
    "centroid",
    "flagged",
    "all_customers",
    "bubble_note",
    "period_dates",
    "period_unknown",
    "compact_thousands",
    "compact_millions",
    "money_millions",
    "vat_included",
    "vat_excluded",
    "vat_unstated",
    "candidate_kmeans",
    "candidate_dbscan",
    "candidate_dbscan_settings",
];
/// The fields of [`CampaignTexts`], the `[campaign]` table of every file.
const CAMPAIGN_KEYS: &[&str] = &[
    "lift_title",
    "lift_axis",
    "overall",
    "alluvial_title",
    "new",
    "gone",
    "lift_heading",
    "lift_intro",
    "col_segment",
    "col_treatment",
    "col_control",
    "col_conversion",
    "col_revenue",
    "col_relative",
    "col_p",
    "significant",
    "lift_overall",
    "compare_heading",
    "compare_intro",
    "col_earlier",
    "col_later",
    "col_customers",
    "col_net_revenue",
    "col_drift",
    "new_segment",
    "dissolved",
    "results_heading",
    "migration_heading",
    "migration_note",
    "matched_heading",
    "col_match",
    "col_incremental",
    "srm_warning",
    "window_from",
    "window_range",
    "window_outside",
];

/// Every text of one language.
#[derive(Debug)]
struct Catalogue {
    report: Texts,
    /// `[report]` with the `[no_cost]` table's texts in place of its own: for a run without
    /// cost data, where what the profiles call profit is revenue after returns and their
    /// handling.
    report_no_cost: Texts,
    campaign: CampaignTexts,
    names: BTreeMap<String, &'static str>,
    actions: BTreeMap<String, &'static str>,
    features: BTreeMap<String, &'static str>,
    skip_reasons: BTreeMap<String, &'static str>,
    levels: BTreeMap<String, &'static str>,
    tables: BTreeMap<String, &'static str>,
    groups: BTreeMap<String, &'static str>,
    notes: BTreeMap<String, &'static str>,
    /// Every table but `[report]` and `[campaign]`, by name (for the key checks).
    tables_by_name: BTreeMap<&'static str, BTreeMap<String, &'static str>>,
    /// Every text of the file.
    all: Vec<&'static str>,
}

/// A table of a text file: its keys and texts (leaked once: the texts live as long as the
/// program, like the constants they replace).
fn section(
    file: &toml::Table,
    lang: Lang,
    name: &str,
) -> std::result::Result<BTreeMap<String, &'static str>, String> {
    let table = file
        .get(name)
        .and_then(|v| v.as_table())
        .ok_or_else(|| format!("{}.toml has no [{name}] table", lang.code()))?;
    table
        .iter()
        .map(|(k, v)| {
            let s = v
                .as_str()
                .ok_or_else(|| format!("{}.toml [{name}] {k} is not a string", lang.code()))?;
            Ok((k.clone(), &*Box::leak(s.to_string().into_boxed_str())))
        })
        .collect()
}

fn get(
    table: &BTreeMap<String, &'static str>,
    lang: Lang,
    name: &str,
    key: &str,
) -> std::result::Result<&'static str, String> {
    table
        .get(key)
        .copied()
        .ok_or_else(|| format!("{}.toml [{name}] lacks {key}", lang.code()))
}

macro_rules! from_section {
    ($ty:ident, $table:expr, $lang:expr, $name:expr, [$($f:ident),* $(,)?]) => {
        $ty { $($f: get($table, $lang, $name, stringify!($f))?,)* }
    };
}

/// The `[report]` texts of a language from its table (`name`: the table, for messages).
fn report_texts(
    report: &BTreeMap<String, &'static str>,
    lang: Lang,
    name: &str,
) -> std::result::Result<Texts, String> {
    Ok(from_section!(
        Texts,
        report,
        lang,
        name,
        [
            title,
            summary,
            segments,
            chosen,
            data_quality,
            method,
            charts,
            segment,
            customers,
            customer_share,
            revenue_share,
            profit_share,
            net_revenue,
            profit,
            profit_margin,
            return_rate,
            aov,
            revenue_per_customer,
            orders_per_customer,
            recency,
            distinguishing,
            survey_profile,
            composition,
            actions,
            flags,
            feature,
            mean,
            mean_per_customer,
            base_mean,
            lift,
            share_in_segment,
            share_in_base,
            candidate,
            algorithm,
            silhouette,
            stability,
            smallest,
            unassigned,
            composite,
            eligible,
            fails,
            chosen_mark,
            yes,
            no,
            table,
            file,
            rows_read,
            rows_used,
            rows_skipped,
            reason,
            missing_values,
            missing_share,
            excluded,
            flagged_customers,
            high,
            low,
            many,
            few,
            survey_item,
            category_share,
            channel_share,
            category_view_share,
            kept_revenue,
            kept_share,
            value_reach,
            value_reach_note,
            value_per_customer,
            reachable,
            quadrant,
            quadrant_protect,
            quadrant_win_back,
            quadrant_develop,
            quadrant_deprioritise,
            quadrant_suppress,
            quadrant_keep_in_touch,
            quadrant_season,
            quadrant_low_drifting,
            play_goal,
            play_channel,
            play_kpi,
            play,
            exec_summary,
            findings,
            recommendations,
            finding_top,
            finding_returns,
            finding_low_value,
            finding_gone,
            finding_discount,
            finding_hidden,
            finding_high_returns,
            recommendation,
            caveat_weak,
            caveat_forced,
            caveat_no_structure,
            measurement,
            measurement_holdout,
            measurement_rerun,
            measurement_migration,
            appendix,
            survey_factor,
            keep_regular,
            nothing_stands_out,
            summary_line,
            customers_accounted,
            customers_accounted_only,
            customers_accounted_other,
            desc_shares,
            desc_shares_kept,
            desc_value,
            desc_no_orders,
            desc_sessions,
            desc_orders_every,
            desc_orders,
            desc_recency,
            desc_returned,
            customer_high_returns,
            flag_low_profit,
            flag_low_profit_msg,
            flag_media,
            flag_vip,
            flag_vip_msg,
            flag_churn,
            flag_churn_msg,
            flag_churn_shop_msg,
            flag_discount,
            flag_discount_msg,
            flag_hidden,
            flag_hidden_msg,
            flag_high_returns,
            flag_high_returns_msg,
            no_flags,
            proposal_line,
            rule,
            preferred_k,
            indices_agree,
            indices_disagree,
            excluded_line,
            excluded_none,
            rule_more_than,
            rule_fewer_than,
            rule_no_stability,
            rule_too_many,
            rule_small,
            rule_noise,
            rule_unstable,
            basis_forced,
            basis_rank_vote,
            basis_actionable,
            basis_none_eligible,
            structure_clear,
            structure_none,
            structure_unlinked,
            unlinked_below,
            unlinked_noise,
            structure_continuous,
            few_rank_lower,
            few_not_eligible,
            runner_up,
            gap_statistic,
            most_stable_k,
            basis_consensus,
            basis_separated,
            basis_agreed,
            basis_tie_gap,
            basis_tie_valley,
            basis_tie_fewer,
            basis_none_separated,
            basis_reproduced,
            basis_separated_below,
            valley,
            flagged_line,
            flagged_none,
            method_features,
            method_prepare,
            method_algorithms,
            method_repro,
            generated_by,
            as_of,
            chart_sizes,
            chart_heatmap,
            chart_k,
            chart_kdist,
            chart_map,
            chart_whale,
            chart_returns,
            chart_boxes,
            axis_k,
            axis_inertia,
            axis_share,
            axis_rows_sorted,
            axis_kth,
            axis_pc,
            axis_customers_ranked,
            axis_cum_profit,
            elbow,
            chosen_short,
            eps,
            centroid,
            flagged,
            all_customers,
            bubble_note,
            period_dates,
            period_unknown,
            compact_thousands,
            compact_millions,
            money_millions,
            vat_included,
            vat_excluded,
            vat_unstated,
            candidate_kmeans,
            candidate_dbscan,
            candidate_dbscan_settings
        ]
    ))
}

fn load(lang: Lang, text: &str) -> std::result::Result<Catalogue, String> {
    let file: toml::Table =
        toml::from_str(text).map_err(|e| format!("{}.toml: {e}", lang.code()))?;
    let report = section(&file, lang, "report")?;
    let campaign = section(&file, lang, "campaign")?;
    for (name, table, keys) in [
        ("report", &report, REPORT_KEYS),
        ("campaign", &campaign, CAMPAIGN_KEYS),
    ] {
        if let Some(k) = table.keys().find(|k| !keys.contains(&k.as_str())) {
            return Err(format!(
                "{}.toml [{name}] has an unknown key {k}",
                lang.code()
            ));
        }
    }
    let mut tables_by_name = BTreeMap::new();
    for name in SECTIONS {
        tables_by_name.insert(name, section(&file, lang, name)?);
    }
    if let Some(k) = file
        .keys()
        .find(|k| !SECTIONS.contains(&k.as_str()) && !["report", "campaign"].contains(&k.as_str()))
    {
        return Err(format!("{}.toml has an unknown table [{k}]", lang.code()));
    }
    // `[no_cost]` words again texts of `[report]` or `[plays]` that speak of profit, for a run
    // without cost data.
    let no_cost = &tables_by_name["no_cost"];
    if let Some(k) = no_cost.keys().find(|k| {
        !REPORT_KEYS.contains(&k.as_str())
            && !["plays", "features", "opportunities"]
                .iter()
                .any(|t| tables_by_name[t].contains_key(*k))
    }) {
        return Err(format!(
            "{}.toml [no_cost] has {k}, a key of none of [report], [plays], [features] and [opportunities]",
            lang.code()
        ));
    }
    let mut report_no_cost = report.clone();
    report_no_cost.extend(
        no_cost
            .iter()
            .filter(|(k, _)| REPORT_KEYS.contains(&k.as_str()))
            .map(|(k, v)| (k.clone(), *v)),
    );
    let report_no_cost = report_texts(&report_no_cost, lang, "report")?;
    let all = report
        .values()
        .chain(campaign.values())
        .chain(
            tables_by_name
                .iter()
                .filter(|(name, _)| !["glossary", "avoid"].contains(*name))
                .flat_map(|(_, t)| t.values()),
        )
        .copied()
        .collect();
    Ok(Catalogue {
        tables_by_name,
        all,
        report: report_texts(&report, lang, "report")?,
        report_no_cost,
        campaign: from_section!(
            CampaignTexts,
            &campaign,
            lang,
            "campaign",
            [
                lift_title,
                lift_axis,
                overall,
                alluvial_title,
                new,
                gone,
                lift_heading,
                lift_intro,
                col_segment,
                col_treatment,
                col_control,
                col_conversion,
                col_revenue,
                col_relative,
                col_p,
                significant,
                lift_overall,
                compare_heading,
                compare_intro,
                col_earlier,
                col_later,
                col_customers,
                col_net_revenue,
                col_drift,
                new_segment,
                dissolved,
                results_heading,
                migration_heading,
                migration_note,
                matched_heading,
                col_match,
                col_incremental,
                srm_warning,
                window_from,
                window_range,
                window_outside
            ]
        ),
        names: section(&file, lang, "names")?,
        actions: section(&file, lang, "actions")?,
        features: section(&file, lang, "features")?,
        skip_reasons: section(&file, lang, "skip_reasons")?,
        levels: section(&file, lang, "levels")?,
        tables: section(&file, lang, "tables")?,
        groups: section(&file, lang, "groups")?,
        notes: section(&file, lang, "notes")?,
    })
}

/// The four catalogues, loaded at first use. The files are part of the binary and every test
/// run loads them (`every_key_in_every_language`), so a broken file cannot ship.
fn catalogues() -> &'static [Catalogue; 4] {
    static ALL: std::sync::OnceLock<[Catalogue; 4]> = std::sync::OnceLock::new();
    ALL.get_or_init(|| {
        FILES.map(|(lang, text)| match load(lang, text) {
            Ok(c) => c,
            Err(e) => panic!("bundled texts are broken: {e}"),
        })
    })
}

impl Lang {
    /// Every language, in the order of the text files.
    pub const ALL: [Lang; 4] = [Lang::En, Lang::Nb, Lang::Sv, Lang::Da];

    fn catalogue(self) -> &'static Catalogue {
        &catalogues()[self.index()]
    }

    /// Every text of this language's file (`src/i18n/<lang>.toml`) but its glossary and its
    /// words to avoid, for checks such as "no English word in a Norwegian report".
    pub fn every_text(self) -> Vec<&'static str> {
        self.catalogue().all.clone()
    }
}

/// Fills `{name}` placeholders of a template.
pub fn fill(template: &str, values: &[(&str, String)]) -> String {
    let mut out = template.to_string();
    for (k, v) in values {
        out = out.replace(&format!("{{{k}}}"), v);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signed_money_puts_the_sign_before_the_amount_and_its_unit() {
        assert_eq!(Lang::En.signed_money(12.26, 1, Some("EUR")), "+€12.3");
        assert_eq!(Lang::En.signed_money(-12.0, 0, Some("EUR")), "-€12");
        assert_eq!(
            Lang::Nb.signed_money(1234.0, 0, Some("NOK")),
            "+1\u{a0}234\u{a0}kr"
        );
        assert_eq!(Lang::Da.signed_money(-5.0, 0, Some("DKK")), "−5\u{a0}kr.");
        // What rounds to zero has no sign; without a currency, the plain signed number.
        assert_eq!(Lang::Sv.signed_money(0.2, 0, Some("SEK")), "0\u{a0}kr");
        assert_eq!(Lang::En.signed_money(3.0, 0, None), Lang::En.signed(3.0, 0));
    }

    /// Issue 18: a level the mapping labels takes its label in every text that words it (a
    /// feature name, a persona list, a segment name), only while the report is written.
    #[test]
    fn level_labels_from_the_mapping_name_the_data_s_words() {
        let labels: crate::model::FeatureLabels = [(
            "klaer".to_string(),
            [("da", "Tøj"), ("sv", "Kläder")]
                .map(|(l, t)| (l.to_string(), t.to_string()))
                .into_iter()
                .collect(),
        )]
        .into_iter()
        .collect();
        let da = Lang::Da;
        let inside = with_level_labels(&labels, || {
            (
                da.feature("category_share_klaer"),
                da.level("Klær"),
                Lang::Sv.level("klaer"),
                Lang::En.level("klaer"),
                da.segment_name(&SegmentName {
                    kind: NameKind::Feature {
                        feature: "category_share_klaer".into(),
                        direction: Direction::High,
                    },
                    qualifiers: vec![],
                }),
            )
        });
        assert_eq!(inside.0, format!("{}: Tøj", da.texts().category_share));
        // The data's own spelling and the feature name's slug are one level.
        assert_eq!((inside.1.as_str(), inside.2.as_str()), ("Tøj", "Kläder"));
        // A language without a label keeps the data's word.
        assert_eq!(inside.3, "klaer");
        assert!(inside.4.ends_with("tøj"), "{}", inside.4);
        // Outside the report, the data's word.
        assert_eq!(da.level("klaer"), "klaer");
    }

    /// Issue 18: the return rate of a group's totals (refunds over revenue: 27.9% of all
    /// revenue) and the mean of the customers' own return rates (16.7%) are two measures,
    /// named apart in every language, both with the glossary's word; the feature tables say
    /// their values are means per customer.
    #[test]
    fn the_two_return_rates_have_two_names_in_every_language() {
        for lang in Lang::ALL {
            let t = lang.texts();
            let term = lang.catalogue().tables_by_name["glossary"]["return_rate"];
            let names = [
                t.return_rate.to_string(),
                lang.feature("return_rate_value"),
                lang.feature("return_rate_items"),
            ];
            for n in &names {
                assert!(n.to_lowercase().contains(term), "{lang:?}: {n}");
            }
            assert_ne!(names[0], names[1], "{lang:?}");
            assert_ne!(names[0], names[2], "{lang:?}");
            assert_ne!(names[1], names[2], "{lang:?}");
            assert_ne!(t.mean_per_customer, t.mean, "{lang:?}");
        }
        assert_eq!(Lang::Nb.texts().return_rate, "Returandel (av omsetningen)");
        assert_eq!(
            Lang::Nb.feature("return_rate_value"),
            "Returandel per kunde (verdi)"
        );
    }

    /// Issue 18: a segment's average order value (its revenue before returns over its
    /// orders: 533 kr on the card, the one the sizes use) and the mean of its customers' own
    /// average order values (532 kr in the feature table; 1 206 kr against 1 653 kr for all
    /// customers) are two numbers: they have two names in every language, the feature's
    /// saying it is per customer.
    #[test]
    fn the_two_average_order_values_have_two_names_in_every_language() {
        for lang in Lang::ALL {
            let card = lang.texts().aov;
            let feature = lang.feature("aov");
            assert_ne!(card, feature, "{lang:?}");
            let per = lang.texts().orders_per_customer;
            let per_customer = per.split_once(' ').map_or(per, |(_, rest)| rest);
            assert!(
                feature.ends_with(per_customer),
                "{lang:?}: {feature} is not said to be per customer ({per_customer})"
            );
        }
        assert_eq!(Lang::Nb.texts().aov, "Gjennomsnittlig ordreverdi");
        assert_eq!(
            Lang::Nb.feature("aov"),
            "Gjennomsnittlig ordreverdi per kunde"
        );
    }

    /// Issue 18: profit and margins stood under "All amounts include VAT", as if profit
    /// included VAT: with VAT included, the line says they are worked out from the amounts as
    /// given, in the glossary's word for profit.
    #[test]
    fn the_vat_line_does_not_say_profit_includes_vat() {
        for lang in Lang::ALL {
            let profit = lang.catalogue().tables_by_name["glossary"]["profit"];
            let line = lang.vat_basis(Some(crate::config::Vat::Included), false);
            assert!(line.contains(profit), "{lang:?}: {line}");
            let without = lang.vat_basis(Some(crate::config::Vat::Included), true);
            assert!(!without.contains(profit), "{lang:?}: {without}");
            assert!(
                line.contains(['.', ';']) && line.len() > 40,
                "{lang:?}: {line}"
            );
        }
        assert_eq!(
            Lang::Nb.vat_basis(Some(crate::config::Vat::Included), false),
            "Alle beløp er inkl. mva., slik de står i dataene; fortjeneste og marginer er regnet ut fra disse beløpene, uten at mva. er trukket fra."
        );
    }

    #[test]
    fn signed_percent_marks_every_positive_share() {
        assert_eq!(Lang::En.signed_percent(0.25, 0), "+25%");
        assert_eq!(Lang::Nb.signed_percent(-0.1, 0), "−10\u{a0}%");
        assert_eq!(Lang::En.signed_percent(0.0, 0), "0%");
    }

    #[test]
    fn every_key_in_every_language() {
        // Loading checks [report] and [campaign] against the structs (a missing or unknown
        // key is an error); the keyed tables must have the same keys in every language.
        for (lang, text) in FILES {
            if let Err(e) = load(lang, text) {
                panic!("{e}");
            }
        }
        let en = Lang::En.catalogue();
        for lang in [Lang::Nb, Lang::Sv, Lang::Da] {
            let c = lang.catalogue();
            for name in SECTIONS.iter().filter(|n| **n != "avoid") {
                let keys =
                    |c: &Catalogue| c.tables_by_name[name].keys().cloned().collect::<Vec<_>>();
                assert_eq!(keys(c), keys(en), "[{name}] of {}.toml", lang.code());
            }
            assert!(c.tables_by_name["names"]
                .values()
                .all(|t| !t.trim().is_empty()));
        }
        // A file missing a key does not load.
        let missing = FILES[1].1.replacen("title = \"Kundesegmenter\"\n", "", 1);
        assert_eq!(
            load(Lang::Nb, &missing).unwrap_err(),
            "nb.toml [report] lacks title"
        );
        let unknown = FILES[1].1.replacen("title = ", "titel = ", 1);
        assert!(load(Lang::Nb, &unknown)
            .unwrap_err()
            .contains("unknown key titel"));
        // [no_cost] only words again texts of [report] and [plays].
        let stray = FILES[1]
            .1
            .replacen("[no_cost]\n", "[no_cost]\ntitel = \"x\"\n", 1);
        assert_eq!(
            load(Lang::Nb, &stray).unwrap_err(),
            "nb.toml [no_cost] has titel, a key of none of [report], [plays], [features] and [opportunities]"
        );
    }

    /// Without cost data the labels and plans speak of revenue after returns: every text of
    /// `[no_cost]` replaces one that speaks of profit, and none speaks of profit itself; and
    /// every text of `[report]`, `[plays]` and `[features]` that speaks of profit or margin
    /// has its `[no_cost]` text or its `_revenue` variant, or is one the report leaves out
    /// without cost data.
    #[test]
    fn texts_without_cost_data_do_not_speak_of_profit() {
        // Not shown without cost data: the profit share and margin beside the revenue after
        // returns.
        const LEFT_OUT: [&str; 2] = ["profit_share", "profit_margin"];
        // The no-cost flag sentence that says the profit is not known.
        const SAYS_NOT_KNOWN: &str = "flag_low_profit_msg";
        let en: toml::Table = toml::from_str(FILES[0].1).unwrap();
        let no_cost = en["no_cost"].as_table().unwrap();
        for table in ["report", "plays", "features", "opportunities"] {
            let texts = en[table].as_table().unwrap();
            for (key, text) in texts {
                let words = text
                    .as_str()
                    .unwrap()
                    .replace("{profit}", "")
                    .to_lowercase();
                if (words.contains("profit") || words.contains("margin"))
                    && !no_cost.contains_key(key)
                {
                    assert!(LEFT_OUT.contains(&key.as_str()), "[{table}] {key}: {text}");
                }
            }
        }
        for (lang, profit) in [
            (Lang::En, "profit"),
            (Lang::Nb, "fortjenest"),
            (Lang::Sv, "vinst"),
            (Lang::Da, "fortjenest"),
        ] {
            let c = lang.catalogue();
            let file: toml::Table = toml::from_str(FILES[lang.index()].1).unwrap();
            let no_cost = &c.tables_by_name["no_cost"];
            for (key, text) in no_cost {
                let with_cost = c.tables_by_name["plays"]
                    .get(key)
                    .or_else(|| c.features.get(key))
                    .or_else(|| c.tables_by_name["opportunities"].get(key))
                    .copied()
                    .or_else(|| file["report"].get(key.as_str()).and_then(|v| v.as_str()))
                    .unwrap();
                assert_ne!(*text, with_cost, "{} {key}", lang.code());
                if key == SAYS_NOT_KNOWN {
                    continue;
                }
                // (`{profit}` is the placeholder of the share, whatever it is a share of.)
                let words = text.replace("{profit}", "").to_lowercase();
                assert!(!words.contains(profit), "{} {key}: {text}", lang.code());
            }
            assert_eq!(lang.texts_for(true).profit, no_cost["profit"]);
            assert_eq!(lang.texts_for(false).profit, lang.texts().profit);
            assert_eq!(
                lang.feature_for("contribution_profit", true),
                no_cost["contribution_profit"]
            );
            assert_eq!(
                lang.feature_for("contribution_profit", false),
                lang.feature("contribution_profit")
            );
            assert_eq!(lang.feature_for("orders", true), lang.feature("orders"));
            let vip = lang.play(&Action::VipTreatment, true);
            assert_eq!(vip[0], no_cost["vip_treatment_goal"]);
            assert_eq!(vip[1], lang.play(&Action::VipTreatment, false)[1]);
        }
    }

    /// Every run note has its words in every language, without a placeholder left, and the
    /// Nordic languages have their own; the plain English is what the manifest stores.
    #[test]
    fn every_run_note_has_its_words_in_every_language() {
        let notes = [
            RunNote::Pseudonymised {
                table: "customers".into(),
                column: "customer_id".into(),
                emails: 1200,
                phones: 3,
                key_file: "key".into(),
            },
            RunNote::ProductsMissing {
                missing: 2,
                lines: 10,
                first_lines: vec![2, 7],
            },
            RunNote::AssumedMargin { margin_pct: 40.0 },
            RunNote::NoCost,
            RunNote::NoOrderId,
            RunNote::SignupAfterAsOf {
                customers: 4,
                as_of: "2026-10-31".into(),
            },
            RunNote::AttributeMissing {
                attribute: "income".into(),
                values: 5,
            },
            RunNote::KMaxLowered {
                configured: 12,
                customers: 20,
                allowed: 10,
                used: 10,
                min_share: None,
            },
            RunNote::KMaxLowered {
                configured: 12,
                customers: 2000,
                allowed: 10,
                used: 10,
                min_share: Some(0.1),
            },
            RunNote::ClusterDiscovery {
                sample: 100_000,
                customers: 12_000_000,
                seed: 42,
                steps: 7,
                settled: true,
            },
            RunNote::ClusterDiscovery {
                sample: 100_000,
                customers: 12_000_000,
                seed: 42,
                steps: 50,
                settled: false,
            },
        ];
        // A new kind of note fails to compile here until it is added above.
        for n in &notes {
            match n {
                RunNote::Pseudonymised { .. }
                | RunNote::ProductsMissing { .. }
                | RunNote::AssumedMargin { .. }
                | RunNote::NoCost
                | RunNote::NoOrderId
                | RunNote::SignupAfterAsOf { .. }
                | RunNote::AttributeMissing { .. }
                | RunNote::KMaxLowered { .. }
                | RunNote::ClusterDiscovery { .. } => {}
            }
        }
        for n in &notes {
            let en = Lang::En.note(n);
            for lang in Lang::ALL {
                let s = lang.note(n);
                assert!(!s.is_empty() && !s.contains('{'), "{lang:?} {n:?}: {s}");
                if lang != Lang::En {
                    assert_ne!(s, en, "{lang:?} {n:?}");
                }
            }
        }
        assert_eq!(
            note_plain(&notes[2]),
            "transactions have no unit cost or margin column: cost of goods assumes the configured margin of 40%"
        );
        assert_eq!(
            Lang::Nb.note(&notes[5]),
            "4 kunder registrerte seg etter referansedatoen (31.10.2026): Tiden siden registrering mangler for dem"
        );
        assert_eq!(
            Lang::Sv.note(&notes[2]),
            "Köpdata har inget inköpspris eller marginal: varukostnaden bygger på den angivna marginalen på 40\u{a0}%"
        );
    }

    #[test]
    fn every_glossary_term_is_used_and_no_avoided_word_is() {
        for lang in Lang::ALL {
            let c = lang.catalogue();
            // Placeholders such as {as_of} are not words of the text.
            let texts: Vec<String> = lang
                .every_text()
                .iter()
                .map(|t| {
                    let mut out = String::new();
                    let mut depth = 0;
                    for ch in t.to_lowercase().chars() {
                        match ch {
                            '{' => depth += 1,
                            '}' => depth -= 1,
                            c if depth == 0 => out.push(c),
                            _ => {}
                        }
                    }
                    out
                })
                .collect();
            for (concept, term) in &c.tables_by_name["glossary"] {
                assert!(
                    texts.iter().any(|t| t.contains(&term.to_lowercase())),
                    "{}: the glossary's word for {concept}, {term:?}, is in no text",
                    lang.code()
                );
            }
            for (word, instead) in &c.tables_by_name["avoid"] {
                let hits: Vec<&String> =
                    texts.iter().filter(|t| t.contains(word.as_str())).collect();
                assert!(
                    hits.is_empty(),
                    "{}: {word:?} (write {instead:?}) in {hits:?}",
                    lang.code()
                );
            }
        }
    }

    #[test]
    fn numbers_per_language() {
        assert_eq!(Lang::En.number(1234567.891, 2), "1,234,567.89");
        assert_eq!(Lang::Nb.number(1234567.891, 2), "1\u{a0}234\u{a0}567,89");
        assert_eq!(Lang::Sv.number(999.5, 0), "1\u{a0}000");
        assert_eq!(Lang::Da.number(1234567.0, 0), "1.234.567");
        assert_eq!(Lang::En.number(-0.004, 2), "0.00");
        assert_eq!(Lang::Da.number(-12.5, 1), "−12,5");
        assert_eq!(Lang::En.percent(0.5, 0), "50%");
        assert_eq!(Lang::Sv.percent(0.125, 1), "12,5\u{a0}%");
    }

    /// Issue 18: a share of 4.4988% was "4,5 %" in a table and "4 %" in a sentence, and one of
    /// 4.5189% "4,5 %" and "5 %": each was rounded from the raw number. Every percentage is
    /// now rounded from the one-decimal figure a table shows, halves away from zero, and a
    /// share that shows as under 1% keeps its decimal.
    #[test]
    fn a_share_reads_the_same_in_a_table_and_in_a_sentence() {
        let nb = Lang::Nb;
        for x in [0.044988, 0.045189, 0.045, 0.0449] {
            assert_eq!(nb.percent(x, 1), "4,5\u{a0}%", "{x}");
            assert_eq!(nb.share(x), "5\u{a0}%", "{x}");
            assert_eq!(nb.percent(x, 0), "5\u{a0}%", "{x}");
        }
        assert_eq!(nb.percent(0.04449, 1), "4,4\u{a0}%");
        assert_eq!(nb.share(0.04449), "4\u{a0}%");
        assert_eq!(plain_percent(0.044988, 1), "4.5%");
        // Under 1%: a decimal, as the table writes it; 0.96% is 1.0% in a table, 1% in prose.
        assert_eq!(Lang::En.share(0.002), "0.2%");
        assert_eq!(Lang::En.share(0.0094), "0.9%");
        assert_eq!(Lang::En.percent(0.0096, 1), "1.0%");
        assert_eq!(Lang::En.share(0.0096), "1%");
        assert_eq!(Lang::En.share(0.0), "0%");
        // Days: a median of 128.46 is 128,5 in a table and 129 in the text and on the card;
        // a tie rounds up, as a reader rounds.
        assert_eq!(nb.number(128.46, 1), "128,5");
        assert_eq!(nb.opt_days(Some(128.46)), "129");
        assert_eq!(nb.number(128.5, 0), "129");
        let facts = DescriptionFacts {
            share: 0.044988,
            revenue_share: 0.02,
            kept_revenue_share: None,
            profit_share: 0.01,
            kept_per_customer: None,
            orders: OrderPattern::Regular {
                frequency: 7.0,
                interpurchase_days: 128.46,
            },
            recency_days: Some(30.46),
            return_rate_value: None,
        };
        assert!(nb
            .description(&facts, None, false)
            .starts_with("5\u{a0}% av kundene"));
        assert!(nb
            .description(&facts, None, false)
            .contains("129 dager mellom ordrene (median); siste ordre for 31 dager siden"));
        // The plain English of segments.json rounds the same way.
        assert_eq!(plain_share(0.044988), "5%");
        assert_eq!(plain_share(0.002), "0.2%");
        assert!(description_plain(&facts, false).contains("129 days between orders"));
        // A survey mean of 3.4449 is 3,44 in the table, so 3,4 in the persona's sentence;
        // 3.4451 is 3,45, so 3,5.
        assert_eq!(nb.number_from(3.4449, 2, 1), "3,4");
        assert_eq!(nb.number_from(3.4451, 2, 1), "3,5");
    }

    #[test]
    fn money_per_language() {
        // Hand-written: each language's own way with its own and other currencies.
        let nb = "\u{a0}";
        assert_eq!(
            Lang::Nb.money(1234.0, Some("NOK")),
            format!("1{nb}234{nb}kr")
        );
        assert_eq!(
            Lang::Sv.money(1234.4, Some("SEK")),
            format!("1{nb}234{nb}kr")
        );
        assert_eq!(Lang::Da.money(1234.0, Some("DKK")), format!("1.234{nb}kr."));
        assert_eq!(Lang::En.money(1234.0, Some("EUR")), "€1,234");
        assert_eq!(Lang::En.money(-1234.0, Some("USD")), "-$1,234");
        assert_eq!(Lang::En.money(1234.0, Some("GBP")), "£1,234");
        assert_eq!(Lang::En.money(1234.0, Some("NOK")), format!("NOK{nb}1,234"));
        assert_eq!(
            Lang::Nb.money(1234.0, Some("EUR")),
            format!("1{nb}234{nb}EUR")
        );
        assert_eq!(
            Lang::Sv.money(-32_865_198.0, Some("NOK")),
            format!("−32{nb}865{nb}198{nb}NOK")
        );
        assert_eq!(Lang::Da.money(1234.0, Some("SEK")), format!("1.234{nb}SEK"));
        assert_eq!(
            Lang::Da.money_dec(1234.5, 2, Some("DKK")),
            format!("1.234,50{nb}kr.")
        );
        // No currency in the mapping: the number alone, as before.
        assert_eq!(Lang::En.money(32_865_198.0, None), "32,865,198");
        assert_eq!(Lang::Nb.opt_money(None, Some("NOK")), "–");
    }

    /// Issue 18: a large rounded amount in prose reads as a reader says it ("3 800 000 kr"
    /// was "3,8 mill. kr"), by the millions of the chart ticks, with the currency in each
    /// language's place; a whole number of millions without ",0"; under a million in full.
    #[test]
    fn large_amounts_in_prose_in_millions() {
        let nb = "\u{a0}";
        let m = |lang: Lang, x: f64, c: Option<&str>| lang.money_compact(x, c);
        assert_eq!(
            m(Lang::Nb, 3_800_000.0, Some("NOK")),
            format!("3,8{nb}mill.{nb}kr")
        );
        assert_eq!(
            m(Lang::Sv, 3_800_000.0, Some("SEK")),
            format!("3,8{nb}milj.{nb}kr")
        );
        assert_eq!(
            m(Lang::Da, 3_800_000.0, Some("DKK")),
            format!("3,8{nb}mio.{nb}kr.")
        );
        assert_eq!(
            m(Lang::En, 3_800_000.0, Some("NOK")),
            format!("NOK{nb}3.8{nb}million")
        );
        assert_eq!(
            m(Lang::En, -2_500_000.0, Some("EUR")),
            format!("-€2.5{nb}million")
        );
        assert_eq!(
            m(Lang::Nb, 18_000_000.0, Some("NOK")),
            format!("18{nb}mill.{nb}kr")
        );
        assert_eq!(m(Lang::En, 1_000_000.0, None), format!("1{nb}million"));
        assert_eq!(
            m(Lang::Nb, 280_000.0, Some("NOK")),
            format!("280{nb}000{nb}kr")
        );
        // The chart ticks keep their one decimal.
        assert_eq!(Lang::Nb.compact(18_000_000.0, 0), format!("18,0{nb}mill."));
        // The sized opportunities and the returns impact say their amounts so.
        let op = Opportunity::FewerReturns { value: 3_801_234.0 };
        assert!(Lang::Nb
            .opportunity(&op, Some("NOK"), "", false)
            .starts_with(&format!("opptil 3,8{nb}mill.{nb}kr mer i fortjeneste")));
        let flag = FlagFacts::LowProfitHighReturn {
            share: 0.1,
            revenue_share: 0.27,
            kept_revenue_share: 0.04,
            refund_share: 0.85,
            profit_share: 0.02,
            return_rate: 0.88,
            base_return_rate: 0.06,
            impact_profit: 3_812_345.0,
            media_spend_at_risk: Some(1_234_567.0),
        };
        let said = Lang::Sv.flag_message(&flag, Some("SEK"), None, "", false);
        assert!(
            said.contains(&format!("cirka 3,8{nb}milj.{nb}kr")),
            "{said}"
        );
        assert!(said.contains(&format!("1,2{nb}milj.{nb}kr")), "{said}");
    }

    proptest::proptest! {
        /// Whatever the language, removing the grouping and reading the decimal mark back
        /// gives the number within half a unit of its last decimal; where it is also shown
        /// with one more decimal, it is the rounding of that figure (issue 18).
        #[test]
        fn numbers_read_back(x in -1e12f64..1e12, decimals in 0usize..4) {
            for lang in [Lang::En, Lang::Nb, Lang::Sv, Lang::Da] {
                let (group, point) = lang.separators();
                let read = |s: &str| -> String {
                    s.replace(group, "")
                        .replace('−', "-")
                        .chars()
                        .map(|c| if c == point { '.' } else { c })
                        .collect()
                };
                let s = lang.number(x, decimals);
                let plain = read(&s);
                let unit = 10f64.powi(-(decimals as i32));
                let back: f64 = plain.parse().unwrap();
                proptest::prop_assert!(
                    (back - x).abs() <= 0.5 * unit * (1.0 + 1e-9) + 1e-12 * x.abs(),
                    "{:?} {} {}", lang, x, s
                );
                proptest::prop_assert_eq!(
                    plain.split_once('.').map_or(0, |(_, f)| f.len()),
                    decimals
                );
                proptest::prop_assert!(!plain.starts_with('-') || back != 0.0, "{}", s);
                if decimals < 3 {
                    let finer: f64 = read(&lang.number(x, decimals + 1)).parse().unwrap();
                    proptest::prop_assert_eq!(
                        lang.number(finer, decimals),
                        lang.number_from(x, decimals + 1, decimals),
                        "{}", x
                    );
                }
                // Groups of exactly three digits left of the decimal mark.
                let int = s.split(point).next().unwrap().trim_start_matches(['-', '−']);
                for (i, g) in int.split(group).enumerate() {
                    proptest::prop_assert!(g.len() == 3 || (i == 0 && (1..=3).contains(&g.len())), "{}", s);
                }
            }
        }
    }

    #[test]
    fn names_and_actions_translate() {
        let name = |kind| SegmentName::new(kind);
        assert_eq!(
            Lang::Nb.segment_name(&name(NameKind::SerialReturners)),
            "Storreturnerere"
        );
        assert_eq!(
            Lang::Sv.segment_name(&name(NameKind::Lapsed).with(Qualifier::Feature {
                feature: "recency_days".into(),
                direction: Direction::High
            })),
            "Inaktiva kunder, många dagar sedan senaste order"
        );
        assert_eq!(
            Lang::Da.segment_name(&name(NameKind::Feature {
                feature: "sessions".into(),
                direction: Direction::High
            })),
            "Mange sessioner"
        );
        // Counts and days are many or few, amounts and shares high or low (the walk-through's
        // "Lav dager siden registrering").
        let joined = name(NameKind::Feature {
            feature: "signup_tenure_days".into(),
            direction: Direction::Low,
        });
        assert_eq!(
            Lang::Nb.segment_name(&joined),
            format!(
                "Få {}",
                Lang::Nb.feature("signup_tenure_days").to_lowercase()
            )
        );
        assert!(Lang::En.segment_name(&joined).starts_with("Few days"));
        // The word agrees with the label: a neuter noun, a plural, a spread.
        for (lang, feature, direction, want) in [
            (
                Lang::Sv,
                "aov",
                Direction::Low,
                "Lågt genomsnittligt ordervärde per kund",
            ),
            (
                Lang::Sv,
                "net_revenue",
                Direction::Low,
                "Låg omsättning före returer",
            ),
            (Lang::Nb, "refunds", Direction::High, "Høye refusjoner"),
            (
                Lang::Da,
                "discount_depth",
                Direction::High,
                "Høj rabatdybde",
            ),
            (
                Lang::En,
                "interpurchase_std_days",
                Direction::High,
                "Irregular gaps between orders",
            ),
            (
                Lang::Nb,
                "survey_answered",
                Direction::High,
                "Svarte på undersøkelsen",
            ),
        ] {
            let named = name(NameKind::Feature {
                feature: feature.into(),
                direction,
            });
            assert_eq!(lang.segment_name(&named), want);
        }
        assert_eq!(
            Lang::Nb.segment_name(
                &name(NameKind::Lapsed).with(Qualifier::Segment(crate::model::SegmentId(2)))
            ),
            "Frafalne 3"
        );
        assert_eq!(
            Lang::Nb.segment_name(&name(NameKind::Given("Something new".into()))),
            "Something new"
        );
        assert_eq!(
            Lang::Da.action(&Action::KeepRegular {
                feature: Some("aov".into())
            }),
            "Behold dem i de almindelige kampagner; byg videre på det, der adskiller dem (høj gennemsnitlig ordreværdi pr. kunde)"
        );
        // Nothing to lean on: a sentence of its own, not "lean on what sets them apart
        // (nothing stands out)".
        assert_eq!(
            Lang::En.action(&Action::KeepRegular { feature: None }),
            "Keep in regular campaigns: nothing sets them clearly apart to build on"
        );
        assert_eq!(
            Lang::Sv.action(&Action::LimitDiscounts),
            "Begränsa generella rabatter; testa försäljning till fullpris och paketerbjudanden"
        );
    }

    /// Names, qualifiers and actions with a feature use its label in every language (the
    /// English words of a label are never looked up again).
    #[test]
    fn features_in_names_and_actions_take_their_label() {
        let lapsed = SegmentName::new(NameKind::Lapsed).with(Qualifier::Feature {
            feature: "aov".into(),
            direction: Direction::Low,
        });
        assert_eq!(
            Lang::En.segment_name(&lapsed),
            "Lapsed, low average order value per customer"
        );
        assert_eq!(
            Lang::Nb.segment_name(&lapsed),
            "Frafalne, lav gjennomsnittlig ordreverdi per kunde"
        );
        let high = SegmentName::new(NameKind::Feature {
            feature: "category_share_shoes".into(),
            direction: Direction::High,
        });
        assert_eq!(Lang::En.segment_name(&high), "High spend share: shoes");
        assert_eq!(
            Lang::Nb.segment_name(&high),
            format!(
                "Høy {}",
                Lang::Nb.feature("category_share_shoes").to_lowercase()
            )
        );
        assert_eq!(Lang::Nb.segment_name(&high), "Høy kjøpsandel: shoes");
    }

    /// segments.json and the command line keep their plain English; the report formats
    /// numbers in its language.
    #[test]
    fn flag_sentences_plain_and_localised() {
        let low = FlagFacts::LowProfitHighReturn {
            share: 0.1,
            revenue_share: 0.27,
            kept_revenue_share: 0.05,
            refund_share: 0.85,
            profit_share: 0.02,
            return_rate: 0.88,
            base_return_rate: 0.28,
            impact_profit: 2801729.6,
            media_spend_at_risk: Some(12345.4),
        };
        let churn = FlagFacts::ChurnRisk {
            recency_days: 120.0,
            interpurchase_days: 40.0,
            shop_gap: false,
        };
        let vip = FlagFacts::Vip {
            share: 0.15,
            profit_share: 0.83,
        };
        let discount = FlagFacts::DiscountDependent {
            discount_order_share: 0.92,
        };
        for (got, want) in [
            (
                flag_plain_message(&low),
                "10% of customers bring 27% of revenue before returns but 5% of revenue after returns and 2% of profit: they return 88% by value (other customers: 28%) and cause 85% of all refunds. If their return rate fell to that of the other customers, profit over the period of the data would rise by at most about 2800000 (an upper bound: it assumes they keep buying as much); paid media spent on them: about 12345 a year.",
            ),
            (
                Lang::En.flag_message(&low, None, None, "2025-12-31", false),
                "10% of customers bring 27% of revenue before returns but only 5% of revenue after returns and 2% of profit: they return 88% by value (the other customers: 28%) and cause 85% of all refunds. If their return rate fell to that of the other customers, profit over the period of the data would rise by at most about 2.8\u{a0}million (an upper bound: it assumes they keep buying as much). Paid media spent on them: about 12,345 a year.",
            ),
            (
                Lang::Nb.flag_message(&low, None, Some("2024-01-03"), "2025-12-31", false),
                "10\u{a0}% av kundene står for 27\u{a0}% av omsetningen før returer, men bare 5\u{a0}% av omsetningen etter returer og 2\u{a0}% av fortjenesten: De returnerer 88\u{a0}% av verdien (de andre kundene: 28\u{a0}%) og står for 85\u{a0}% av alle refusjoner. Hvis returandelen deres falt til nivået for de andre kundene, ville fortjenesten fra 03.01.2024 til 31.12.2025 øke med opptil 2,8\u{a0}mill. (en øvre grense: Den forutsetter at de fortsetter å handle like mye). Kostnad til betalte medier rettet mot dem: omkring 12\u{a0}345 i året.",
            ),
            (
                Lang::Da.flag_message(&FlagFacts::LowProfitHighReturn {
                    share: 0.002,
                    revenue_share: 0.004,
                    kept_revenue_share: 0.0,
                    refund_share: 0.01,
                    profit_share: 0.0,
                    return_rate: 0.5,
                    base_return_rate: 0.1,
                    impact_profit: 1234.0,
                    media_spend_at_risk: None,
                }, Some("DKK"), None, "2025-12-31", false),
                "0,2\u{a0}% af kunderne står for 0,4\u{a0}% af omsætningen før returneringer, men kun 0\u{a0}% af omsætningen efter returneringer og 0\u{a0}% af fortjenesten: De returnerer 50\u{a0}% af værdien (de øvrige kunder: 10\u{a0}%) og står for 1\u{a0}% af alle refusioner. Hvis deres returandel faldt til de øvrige kunders niveau, ville fortjenesten for perioden i data stige med op til ca. 1.200\u{a0}kr. (en øvre grænse: Den forudsætter, at de bliver ved med at købe lige så meget).",
            ),
            // Without cost data no profit is known: revenue after returns, in every part.
            (
                Lang::En.flag_message(&low, None, None, "2025-12-31", true),
                "10% of customers bring 27% of revenue before returns but only 5% of revenue after returns: they return 88% by value (the other customers: 28%) and cause 85% of all refunds. If their return rate fell to that of the other customers, revenue after returns and return handling over the period of the data would rise by at most about 2.8\u{a0}million (an upper bound: it assumes they keep buying as much). The data have no cost of goods, so their profit is not known. Paid media spent on them: about 12,345 a year.",
            ),
            (
                Lang::Sv.flag_message(&vip, None, None, "", true),
                "Det mest värdefulla segmentet – 15\u{a0}% av kunderna, 83\u{a0}% av omsättningen efter returer och returhantering.",
            ),
            (
                Lang::Da.flag_label(FlagKind::LowProfitHighReturn, true).to_string(),
                "Lidt tilbage af omsætningen, mange returneringer",
            ),
            (
                flag_plain_message(&churn),
                "Last order 120 days ago (median), 3.0× their usual 40 days between orders",
            ),
            (
                Lang::Nb.flag_message(&churn, None, None, "", false),
                "Siste ordre for 120 dager siden (median) – 3,0 ganger så lenge som de vanlige 40 dagene mellom ordrene deres.",
            ),
            (
                flag_plain_message(&vip),
                "The most valuable segment: 15% of customers, 83% of profit",
            ),
            (
                flag_plain_message(&discount),
                "92% of their orders carry a discount",
            ),
        ] {
            assert_eq!(got, want);
        }
    }

    /// segments.json's plain sentences follow the run's cost data as the report's do.
    #[test]
    fn plain_flag_sentences_without_cost_data_speak_of_revenue() {
        for facts in FlagFacts::examples() {
            let with = flag_plain_message_for(&facts, false);
            let without = flag_plain_message_for(&facts, true);
            assert_eq!(with, flag_plain_message(&facts));
            match facts.kind() {
                FlagKind::LowProfitHighReturn | FlagKind::Vip | FlagKind::HighReturns => {
                    assert!(with.contains("profit"), "{with}");
                    assert!(without.contains("revenue after returns"), "{without}");
                    assert!(!without.contains("of profit"), "{without}");
                }
                _ => assert_eq!(with, without),
            }
        }
    }

    /// Every name kind, action and flag has a text in every language, and nb, sv and da
    /// have their own (a given name and the VIP label are the same everywhere).
    #[test]
    fn every_fact_has_a_text_in_every_language() {
        let langs = [Lang::Nb, Lang::Sv, Lang::Da];
        for kind in NameKind::ALL {
            let kind = match kind {
                NameKind::Feature { direction, .. } => NameKind::Feature {
                    feature: "recency_days".into(),
                    direction: *direction,
                },
                NameKind::Given(_) => NameKind::Given("Kunder".into()),
                k => k.clone(),
            };
            let n = SegmentName::new(kind.clone());
            let en = Lang::En.segment_name(&n);
            assert!(!en.trim().is_empty(), "{kind:?}");
            for lang in langs {
                let text = lang.segment_name(&n);
                assert!(!text.trim().is_empty(), "{kind:?} {lang:?}");
                // A given name is the client's own; "Segment" is the same word in all four.
                if !matches!(kind, NameKind::Given(_) | NameKind::Numbered) {
                    assert_ne!(text, en, "{kind:?} {lang:?} is English");
                }
            }
        }
        for action in Action::ALL {
            let action = match action {
                Action::KeepRegular { feature: Some(_) } => Action::KeepRegular {
                    feature: Some("aov".into()),
                },
                a => a.clone(),
            };
            let en = Lang::En.action(&action);
            assert!(!en.trim().is_empty(), "{action:?}");
            for lang in langs {
                let text = lang.action(&action);
                assert!(!text.trim().is_empty(), "{action:?} {lang:?}");
                assert_ne!(text, en, "{action:?} {lang:?} is English");
            }
        }
        for (facts, no_cost) in FlagFacts::examples()
            .into_iter()
            .flat_map(|f| [(f.clone(), false), (f, true)])
        {
            let kind = facts.kind();
            assert_eq!(serde_json::to_value(kind).unwrap(), kind.id());
            let en = (
                Lang::En.flag_label(kind, no_cost),
                Lang::En.flag_message(&facts, None, None, "", no_cost),
            );
            assert!(!en.0.is_empty() && !en.1.is_empty(), "{kind:?}");
            assert!(!flag_plain_message(&facts).is_empty(), "{kind:?}");
            for lang in langs {
                let (label, message) = (
                    lang.flag_label(kind, no_cost),
                    lang.flag_message(&facts, None, None, "", no_cost),
                );
                assert!(!label.trim().is_empty() && !message.trim().is_empty());
                if kind != FlagKind::Vip {
                    assert_ne!(label, en.0, "{kind:?} {lang:?} is English");
                }
                assert_ne!(message, en.1, "{kind:?} {lang:?} is English");
            }
        }
    }

    /// Words the Scandinavian texts share with English (Swedish `order`, `median`, ...,
    /// Norwegian and Swedish `per`) or that are ids (`as_of`).
    const SHARED_WORDS: &[&str] = &["order", "median", "id", "as_of", "vip", "per", "region"];

    /// Fails when `text` (in `lang`) holds a word of its English rendering `en`, the
    /// [`SHARED_WORDS`] aside.
    fn assert_not_english(lang: Lang, en: &str, text: &str) {
        assert_not_english_but(lang, en, text, &[]);
    }

    /// [`assert_not_english`] with `data`: words of the data (levels, labels) both share.
    fn assert_not_english_but(lang: Lang, en: &str, text: &str, data: &[&str]) {
        let words = |s: &str| -> Vec<String> {
            s.split(|c: char| !c.is_alphabetic() && c != '_')
                .filter(|w| w.chars().count() > 1)
                .map(str::to_lowercase)
                .collect()
        };
        let theirs = words(text);
        for w in words(en) {
            if !SHARED_WORDS.contains(&w.as_str()) && !data.contains(&w.as_str()) {
                assert!(
                    !theirs.contains(&w),
                    "{lang:?} has the English word {w:?}: {text:?} (English: {en:?})"
                );
            }
        }
    }

    /// Every skip reason has a text in every language; no Norwegian, Swedish or Danish text
    /// holds an English word of its English text.
    #[test]
    fn every_skip_reason_has_its_words_in_every_language() {
        for reason in SkipReason::ALL {
            let en = Lang::En.skip_reason(reason);
            assert!(!en.trim().is_empty(), "{reason:?}");
            for lang in [Lang::Nb, Lang::Sv, Lang::Da] {
                let text = lang.skip_reason(reason);
                assert!(!text.trim().is_empty(), "{reason:?} {lang:?}");
                assert_not_english(lang, en, text);
            }
        }
    }

    /// Every order pattern of a description has its words in every language, with none of
    /// the English ones ("customers", "orders", "revenue", "returned", ...).
    #[test]
    fn every_description_has_its_words_in_every_language() {
        for facts in DescriptionFacts::examples() {
            let en = Lang::En.description(&facts, None, false);
            assert!(!en.trim().is_empty(), "{facts:?}");
            assert!(
                !description_plain(&facts, false).trim().is_empty(),
                "{facts:?}"
            );
            for lang in [Lang::Nb, Lang::Sv, Lang::Da] {
                let text = lang.description(&facts, None, false);
                assert!(!text.trim().is_empty(), "{facts:?} {lang:?}");
                assert_not_english(lang, &en, &text);
            }
        }
        let [browsing, bare, regular, _] = DescriptionFacts::examples();
        // The plain English of segments.json: as segmint wrote it before the facts.
        assert_eq!(
            description_plain(&regular, false),
            "12% of customers, 30% of revenue, 25% of profit; 3.1 orders each, 40 days between orders (median); last order 120 days ago (median); 8% returned by value"
        );
        assert_eq!(
            description_plain(&bare, false),
            "12% of customers, 30% of revenue, 25% of profit; almost no orders"
        );
        assert_eq!(
            Lang::Nb.description(&regular, None, false),
            "12\u{a0}% av kundene, 30\u{a0}% av omsetningen, 25\u{a0}% av fortjenesten; 3,1 ordrer i snitt, 40 dager mellom ordrene (median); siste ordre for 120 dager siden (median); 8\u{a0}% av verdien returnert."
        );
        assert_eq!(
            Lang::Sv.description(&browsing, None, false),
            "12\u{a0}% av kunderna, 30\u{a0}% av omsättningen, 25\u{a0}% av vinsten; nästan inga order; 7 sessioner i snitt; senaste order för 120 dagar sedan (median); 8\u{a0}% av värdet returnerat."
        );
        // Issue 18: the days between orders are a median of the customers' mean gaps, and
        // say so beside the feature tables' means ("one every 129 days" beside a mean of
        // 145.7 read as one measure disagreeing with itself).
        for lang in Lang::ALL {
            let text = lang.description(&regular, None, false);
            assert_eq!(text.matches("(median)").count(), 2, "{lang:?}: {text}");
        }
        let big = DescriptionFacts {
            share: 0.5,
            revenue_share: 0.5,
            profit_share: -0.02,
            orders: OrderPattern::Orders { frequency: 1.26 },
            recency_days: Some(1234.4),
            return_rate_value: None,
            kept_revenue_share: None,
            kept_per_customer: None,
        };
        assert_eq!(
            Lang::Da.description(&big, None, false),
            "50\u{a0}% af kunderne, 50\u{a0}% af omsætningen, −2\u{a0}% af fortjenesten; 1,3 ordrer hver; seneste ordre for 1.234 dage siden (median)."
        );
        assert_eq!(
            description_plain(&big, false),
            "50% of customers, 50% of revenue, -2% of profit; 1.3 orders each; last order 1234 days ago (median)"
        );
        // With the revenue after returns: both shares labelled, the value per customer in the
        // mapping's currency.
        let kept = DescriptionFacts {
            kept_revenue_share: Some(0.046),
            kept_per_customer: Some(3554.2),
            ..big.clone()
        };
        assert_eq!(
            Lang::Nb.description(&kept, Some("NOK"), false),
            "50\u{a0}% av kundene, 50\u{a0}% av omsetningen før returer og 5\u{a0}% etter returer, −2\u{a0}% av fortjenesten; 3\u{a0}554\u{a0}kr per kunde etter returer; 1,3 ordrer i snitt; siste ordre for 1\u{a0}234 dager siden (median)."
        );
        assert_eq!(
            Lang::En.description(&kept, Some("EUR"), false),
            "50% of customers, 50% of revenue before returns and 5% after returns, -2% of profit; €3,554 per customer after returns; 1.3 orders each; last order 1,234 days ago (median)."
        );
        assert_eq!(
            description_plain(&kept, false),
            "50% of customers, 50% of revenue before returns and 5% after returns, -2% of profit; 3554 per customer after returns; 1.3 orders each; last order 1234 days ago (median)"
        );
        // Without cost data the profit is the revenue after returns (and their handling): its
        // share is not said a second time, in any language.
        assert_eq!(
            description_plain(&kept, true),
            "50% of customers, 50% of revenue before returns and 5% after returns; 3554 per customer after returns; 1.3 orders each; last order 1234 days ago (median)"
        );
        assert_eq!(
            Lang::Sv.description(&big, None, true),
            "50\u{a0}% av kunderna, 50\u{a0}% av omsättningen; 1,3 order per kund; senaste order för 1\u{a0}234 dagar sedan (median)."
        );
        for lang in [Lang::Nb, Lang::Da] {
            let text = lang.description(&kept, Some("NOK"), true);
            assert!(!text.contains("fortjenest"), "{text}");
            assert!(text.contains("5\u{a0}%"), "{text}");
        }
    }

    /// A persona card's sentences from hand-made facts: the numbers in the language's format,
    /// the survey item's label from the mapping with its scale and respondents, data levels
    /// as the data write them and segmint's own levels translated.
    #[test]
    fn persona_sentences_from_facts() {
        let labels = |lang: Lang| {
            move |f: &str| -> String {
                match (f, lang) {
                    ("survey_q_price", Lang::En) => "price-conscious".into(),
                    ("survey_q_price", Lang::Nb) => "prisbevisst".into(),
                    ("survey_q_price", Lang::Sv) => "priskänslig".into(),
                    ("survey_q_price", Lang::Da) => "prisbevidst".into(),
                    _ => f.into(),
                }
            }
        };
        let facts = PersonaFact::examples();
        let say = |lang: Lang| -> Vec<String> {
            facts
                .iter()
                .map(|f| lang.persona(f, &labels(lang)))
                .collect()
        };
        let en = say(Lang::En);
        let nb = say(Lang::Nb);
        // One channel or several: the noun before the list agrees with it ("kanalen app",
        // "kanalerna butik och app"; a bare "via butik" read wrong to a native speaker).
        let two = PersonaFact::Channels {
            levels: vec![
                ShareOf {
                    level: "butik".into(),
                    share: 0.4,
                    base: 0.15,
                },
                ShareOf {
                    level: "app".into(),
                    share: 0.3,
                    base: 0.2,
                },
            ],
        };
        assert_eq!(
            Lang::Sv.persona(&two, &labels(Lang::Sv)),
            "En större del av deras order läggs i kanalerna butik (40\u{a0}% mot 15\u{a0}%) och app (30\u{a0}% mot 20\u{a0}%) än bland kunderna generellt."
        );
        assert_eq!(
            en[..10],
            [
                "They are older than customers overall: 47 years on average against 39.",
                "They are younger than customers overall: 29 years on average against 39.",
                "The share of women is higher than among customers overall: 70% against 51%.",
                "The share of men is higher than among customers overall: 62% against 47%.",
                "The share with marital “Married” is higher than among customers overall: 55% against 40%.",
                "25% of them live in Oslo, against 11% of all customers.",
                "They spend a larger share of their money on shoes (42% against 14%) and bags (20% against 10%) than customers overall.",
                "A larger share of their product views goes to shoes (31% against 9%) than among customers overall.",
                "A larger share of their orders comes through app (60% against 30%) than among customers overall.",
                "On “price-conscious” they score clearly higher than customers overall: 4.1 against 3.2 on a 1–5 scale (n = 212).",
            ]
        );
        assert_eq!(
            en[12],
            "On “price-conscious” they score lower than customers overall: 2.2 against 3.2 on a 1–5 scale (n = 212)."
        );
        assert_eq!(
            nb[..10],
            [
                "De er eldre enn kundene generelt: 47 år i snitt mot 39.",
                "De er yngre enn kundene generelt: 29 år i snitt mot 39.",
                "Andelen kvinner er høyere enn blant kundene generelt: 70\u{a0}% mot 51\u{a0}%.",
                "Andelen menn er høyere enn blant kundene generelt: 62\u{a0}% mot 47\u{a0}%.",
                "Andelen med marital «Married» er høyere enn blant kundene generelt: 55\u{a0}% mot 40\u{a0}%.",
                "25\u{a0}% av dem bor i Oslo, mot 11\u{a0}% av alle kunder.",
                "De bruker en større del av pengene sine på shoes (42\u{a0}% mot 14\u{a0}%) og bags (20\u{a0}% mot 10\u{a0}%) enn kundene generelt.",
                "En større del av produktvisningene deres gjelder shoes (31\u{a0}% mot 9\u{a0}%) enn for kundene generelt.",
                "En større del av ordrene deres kommer fra kanalen app (60\u{a0}% mot 30\u{a0}%) enn blant kundene generelt.",
                "På «prisbevisst» ligger de klart høyere enn kundene generelt: 4,1 mot 3,2 på en skala fra 1 til 5 (n = 212).",
            ]
        );
        assert_eq!(
            nb[11],
            "På «prisbevisst» ligger de klart lavere enn kundene generelt: 2,2 mot 3,2 på en skala fra 1 til 5 (n = 212)."
        );
        // Where they live: the largest regions against all customers, or spread like them.
        assert_eq!(
            en[en.len() - 3..],
            [
                "Where they live, against all customers: Oslo (34% against 21%) and Vestland (20% against 18%).",
                "No region clearly stands out: they are spread across the regions much as customers overall are.",
                "No country clearly stands out: they are spread across the countries much as customers overall are.",
            ]
        );
        assert_eq!(
            nb[nb.len() - 3],
            "Bosted, mot alle kunder: Oslo (34\u{a0}% mot 21\u{a0}%) og Vestland (20\u{a0}% mot 18\u{a0}%)."
        );
        // Issue 18: gender reads as a reader says it in every language ("har kjønn
        // «kvinne»" read as a form's field), in the language's own word for women and men.
        for (lang, women, men) in [
            (
                Lang::Sv,
                "Andelen kvinnor är högre än bland kunderna generellt: 70\u{a0}% mot 51\u{a0}%.",
                "Andelen män ",
            ),
            (
                Lang::Da,
                "Kvindeandelen er højere end blandt kunderne generelt: 70\u{a0}% mod 51\u{a0}%.",
                "Mandeandelen ",
            ),
        ] {
            let said = say(lang);
            assert_eq!(said[2], women);
            assert!(said[3].starts_with(men), "{}", said[3]);
        }
        for lang in Lang::ALL {
            for text in &say(lang)[2..4] {
                for word in [
                    "female",
                    "male",
                    "kvinne»",
                    "kvinna”",
                    "kvinde«",
                    "«",
                    "”",
                    "»",
                    "“",
                ] {
                    assert!(!text.contains(word), "{lang:?}: {text}");
                }
            }
        }
        // Every fact in every language: filled, and no English word of the English sentence
        // (the data's own words aside).
        for lang in [Lang::Nb, Lang::Sv, Lang::Da] {
            for (f, (text, en)) in facts.iter().zip(say(lang).iter().zip(&en)) {
                assert!(!text.contains('{') && !text.is_empty(), "{lang:?} {f:?}");
                assert_not_english_but(
                    lang,
                    en,
                    text,
                    &[
                        "shoes", "bags", "oslo", "vestland", "app", "marital", "married",
                    ],
                );
            }
        }
        // A scale with a decimal bound keeps it.
        let half = PersonaFact::Survey {
            feature: "factor_x".into(),
            mean: 3.04,
            base: 2.5,
            n: 1234,
            scale: [0.5, 7.0],
            higher: true,
            clearly: false,
        };
        assert_eq!(
            Lang::Da.persona(&half, &labels(Lang::Da)),
            "På »factor_x« ligger de højere end kunderne generelt: 3,0 mod 2,5 på en skala fra 0,5 til 7 (n = 1.234)."
        );
    }

    /// Every customer flag has its words in every language, with the numbers in the
    /// language's format; segments.json's English is the same sentence, numbers ungrouped.
    #[test]
    fn every_customer_flag_has_its_words_in_every_language() {
        for flag in CustomerFlag::examples() {
            let en = Lang::En.customer_flag(&flag);
            assert!(!en.trim().is_empty(), "{flag:?}");
            for lang in [Lang::Nb, Lang::Sv, Lang::Da] {
                let text = lang.customer_flag(&flag);
                assert!(!text.trim().is_empty(), "{flag:?} {lang:?}");
                assert_not_english(lang, &en, &text);
            }
        }
        // 75.49% is 75,5 % with a decimal, so 76 % without one (issue 18: one rounding).
        let flag = CustomerFlag::HighReturns {
            return_rate: 0.7549,
            orders: 1204.0,
            threshold: 2.0 / 3.0,
            min_orders: 3,
        };
        assert_eq!(
            customer_flag_plain(&flag),
            "returned 76% of the value bought over 1204 orders (threshold 67% over at least 3)"
        );
        assert_eq!(
            Lang::En.customer_flag(&flag),
            "returned 76% of the value bought over 1,204 orders (threshold 67% over at least 3)"
        );
        assert_eq!(
            Lang::Nb.customer_flag(&flag),
            "returnerte 76\u{a0}% av kjøpsverdien på 1\u{a0}204 ordrer (terskel 67\u{a0}% ved minst 3 ordrer)"
        );
        assert_eq!(
            Lang::Da.customer_flag(&flag),
            "returnerede 76\u{a0}% af købsværdien på 1.204 ordrer (tærskel 67\u{a0}% ved mindst 3 ordrer)"
        );
    }

    /// The English words are the ones model.json held before the reasons were facts; every
    /// reason has its words in every language.
    /// The English reach labels are the ones the reach CSV held before they were facts.
    #[test]
    fn reach_marks_translate() {
        use crate::model::ReachMark;
        let rec = ReachMark::Members {
            percent: 90,
            recommended: true,
        };
        assert_eq!(
            Lang::En.reach_mark(&rec),
            "members p90 (recommended threshold)"
        );
        assert_eq!(
            Lang::En.reach_mark(&ReachMark::Threshold { times: 1.25 }),
            "1.25 x threshold"
        );
        assert_eq!(
            Lang::En.reach_mark(&ReachMark::Threshold { times: 2.0 }),
            "2 x threshold"
        );
        assert_eq!(
            Lang::Nb.reach_mark(&ReachMark::Threshold { times: 1.5 }),
            "1,5 × terskelen"
        );
        assert_eq!(Lang::En.reach_mark(&ReachMark::Farthest), "farthest member");
        assert_eq!(
            Lang::Da.reach_mark(&rec),
            "p90 af medlemmerne (anbefalet tærskel)"
        );
    }

    #[test]
    fn drop_reasons_translate() {
        let chance = DropReason::ChanceSpread {
            trials: "frequency".into(),
        };
        assert_eq!(
            Lang::En.drop_reason(&chance),
            "differs between customers no more than chance does for their number of orders"
        );
        let folded = DropReason::Folded {
            into: "gender=female".into(),
            r: -1.0,
        };
        assert_eq!(
            Lang::En.drop_reason(&folded),
            "folded into gender=female (r = -1.000)"
        );
        assert_eq!(
            Lang::Nb.drop_reason(&folded),
            "slått sammen med gender=female (r = −1,000)"
        );
        for why in [
            DropReason::Excluded,
            DropReason::SurveyAnswered,
            chance,
            DropReason::ChanceSpread {
                trials: "sessions".into(),
            },
            DropReason::NoValue,
            DropReason::ConstantAfterClipping,
            DropReason::ZeroWeight,
            DropReason::Constant,
            folded,
        ] {
            let en = Lang::En.drop_reason(&why);
            for lang in [Lang::Nb, Lang::Sv, Lang::Da] {
                let text = lang.drop_reason(&why);
                assert!(!text.is_empty() && text != en, "{lang:?} {why:?}: {text}");
            }
        }
    }

    #[test]
    fn skip_reasons_and_rule_failures_translate() {
        assert_eq!(
            Lang::Nb.skip_reason(SkipReason::GuestCheckout),
            "ingen kunde-id (f.eks. gjestekjøp)"
        );
        assert_eq!(
            Lang::Sv.skip_reason(SkipReason::ReturnWithoutOrder),
            "ingen order med detta order-id (retur utan matchande order)"
        );
        assert_eq!(
            Lang::En.skip_reason(SkipReason::CustomerAfterAsOf),
            "customer first seen after the reference date"
        );
        let f = |x| Lang::Sv.rule_failure(x);
        assert_eq!(
            f(&RuleFailure::Unstable {
                stability: 0.45,
                min: 0.75
            }),
            "stabilitet 0,45 < 0,75"
        );
        assert_eq!(
            Lang::Nb.rule_failure(&RuleFailure::SmallSegment {
                share: 0.021,
                min: 0.03
            }),
            "minste segment 2,1\u{a0}% < 3,0\u{a0}%"
        );
        assert_eq!(
            Lang::Da.rule_failure(&RuleFailure::Noise {
                share: 0.204,
                max: 0.15
            }),
            "20,4\u{a0}% uden segment > 15,0\u{a0}%"
        );
        assert_eq!(
            f(&RuleFailure::TooManySegments {
                segments: 12,
                max: 10
            }),
            "12 segment, fler än 10"
        );
        assert_eq!(
            Lang::Nb.rule_failure(&RuleFailure::NoStability),
            "ingen stabilitetsverdi"
        );
        assert_eq!(
            Lang::En.rule_failure(&RuleFailure::Unstable {
                stability: 0.45,
                min: 0.75
            }),
            "stability 0.45 < 0.75"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Campaign texts (`segmint lift`, `segmint compare`): a separate block, added with issue 17.
// ---------------------------------------------------------------------------------------------

/// The labels of the campaign charts and report sections.
#[derive(Debug)]
pub struct CampaignTexts {
    /// Lift chart title; `{level}` is the interval level (`95%`).
    pub lift_title: &'static str,
    /// Lift chart x axis.
    pub lift_axis: &'static str,
    /// The overall row.
    pub overall: &'static str,
    /// Alluvial chart title; `{from}`, `{to}` are the runs' dates.
    pub alluvial_title: &'static str,
    /// Customers only in the later run.
    pub new: &'static str,
    /// Customers only in the earlier run.
    pub gone: &'static str,
    /// Lift section heading.
    pub lift_heading: &'static str,
    /// Lift section intro; `{treatment}`, `{control}`, `{winsor}`, `{level}`, `{resamples}`.
    pub lift_intro: &'static str,
    /// Column: segment.
    pub col_segment: &'static str,
    /// Column: treated customers.
    pub col_treatment: &'static str,
    /// Column: held-out customers.
    pub col_control: &'static str,
    /// Column: conversion change in percentage points, with interval.
    pub col_conversion: &'static str,
    /// Column: revenue per customer change, with bootstrap interval.
    pub col_revenue: &'static str,
    /// Column: relative revenue lift.
    pub col_relative: &'static str,
    /// Column: Holm-adjusted p-value.
    pub col_p: &'static str,
    /// Marks a significant segment.
    pub significant: &'static str,
    /// Overall sentence; `{diff}`, `{low}`, `{high}`, `{inc}`, `{inc_low}`, `{inc_high}`.
    pub lift_overall: &'static str,
    /// Compare section heading.
    pub compare_heading: &'static str,
    /// Compare intro; `{both}`, `{new}`, `{gone}`, `{moved}`, `{ari}`.
    pub compare_intro: &'static str,
    /// Column: earlier segment.
    pub col_earlier: &'static str,
    /// Column: later segment.
    pub col_later: &'static str,
    /// Column: customers earlier → later.
    pub col_customers: &'static str,
    /// Column: net revenue earlier → later.
    pub col_net_revenue: &'static str,
    /// Column: features that drifted most.
    pub col_drift: &'static str,
    /// A later segment that continues none of the earlier ones.
    pub new_segment: &'static str,
    /// An earlier segment that no later one continues.
    pub dissolved: &'static str,
    /// Heading of the client report's lift section.
    pub results_heading: &'static str,
    /// Sub-heading: the migration matrix.
    pub migration_heading: &'static str,
    /// How to read the matrix; `{from}`, `{to}` are the runs' dates.
    pub migration_note: &'static str,
    /// Sub-heading: the matched segments and their changes.
    pub matched_heading: &'static str,
    /// Column: similarity of a matched pair.
    pub col_match: &'static str,
    /// Column and key figure: incremental revenue.
    pub col_incremental: &'static str,
    /// A segment whose lists do not have the planned ratio.
    pub srm_warning: &'static str,
    /// The post period without an end; `{from}`.
    pub window_from: &'static str,
    /// The post period; `{from}`, `{to}`.
    pub window_range: &'static str,
    /// Orders outside the post period; `{n}`.
    pub window_outside: &'static str,
}

impl Lang {
    /// The campaign labels of this language (`segmint lift`, `segmint compare`).
    pub fn campaign(self) -> &'static CampaignTexts {
        &self.catalogue().campaign
    }
}
