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

use serde::Serialize;

use crate::error::{Error, Result};
use crate::model::{
    Action, CustomerFlag, DescriptionFacts, Direction, FlagFacts, FlagKind, NameKind, OrderPattern,
    Qualifier, SegmentName, SkipReason,
};
use crate::select::{
    Basis, FewSegments, Index, Proposal, RuleFailure, Rules, Structure, ACTIONABLE, SEPARATED,
    STABLE,
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
        match self {
            Lang::En => &EN,
            Lang::Nb => &NB,
            Lang::Sv => &SV,
            Lang::Da => &DA,
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

    /// `x` with `decimals` decimals, thousands grouped, in this language's format. Negative
    /// numbers take a true minus sign except in English.
    pub fn number(self, x: f64, decimals: usize) -> String {
        if !x.is_finite() {
            return "–".into();
        }
        let (group, point) = self.separators();
        let s = format!("{:.*}", decimals, x.abs());
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

    /// A share (0.123) as a percentage (`12.3%`, `12,3 %`).
    pub fn percent(self, share: f64, decimals: usize) -> String {
        let n = self.number(100.0 * share, decimals);
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
        let Some(code) = currency else { return n };
        if !amount.is_finite() {
            return n;
        }
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
        let t: [&str; 4] = match kind {
            NameKind::AllCustomers => {
                ["All customers", "Alle kunder", "Alla kunder", "Alle kunder"]
            }
            NameKind::Unassigned => [
                "Unassigned (DBSCAN noise)",
                "Ikke tildelt (DBSCAN-støy)",
                "Ej tilldelade (DBSCAN-brus)",
                "Ikke tildelt (DBSCAN-støj)",
            ],
            NameKind::BrowsersRarelyBuy => [
                "Browsers, rarely buy",
                "Vindusshoppere, kjøper sjelden",
                "Fönstershoppare som sällan köper",
                "Vindueskiggere, køber sjældent",
            ],
            NameKind::SerialReturners => [
                "Serial returners",
                "Storreturnerere",
                "Storreturnerare",
                "Storreturnerende",
            ],
            NameKind::NewCustomers => ["New customers", "Nye kunder", "Nya kunder", "Nye kunder"],
            NameKind::SeasonalBuyers => [
                "Seasonal buyers",
                "Sesongkjøpere",
                "Säsongsköpare",
                "Sæsonkøbere",
            ],
            NameKind::Lapsed => ["Lapsed", "Frafalne", "Avhoppade", "Frafaldne"],
            NameKind::DiscountDrivenOccasionals => [
                "Discount-driven occasionals",
                "Rabattjegere, av og til",
                "Rabattjägare, då och då",
                "Rabatjægere, af og til",
            ],
            NameKind::LoyalHighSpenders => [
                "Loyal high spenders",
                "Lojale toppkunder",
                "Lojala toppkunder",
                "Loyale topkunder",
            ],
            NameKind::OccasionalBuyers => [
                "Occasional buyers",
                "Sporadiske kjøpere",
                "Sporadiska köpare",
                "Lejlighedsvise købere",
            ],
            NameKind::AverageCustomers => [
                "Average customers",
                "Gjennomsnittskunder",
                "Genomsnittskunder",
                "Gennemsnitskunder",
            ],
            NameKind::RecentBuyers => [
                "Recent buyers",
                "Nylige kjøpere",
                "Nyliga köpare",
                "Nylige købere",
            ],
            NameKind::LongInactive => [
                "Long inactive",
                "Lenge inaktive",
                "Länge inaktiva",
                "Længe inaktive",
            ],
            NameKind::FrequentBuyers => [
                "Frequent buyers",
                "Hyppige kjøpere",
                "Frekventa köpare",
                "Hyppige købere",
            ],
            NameKind::OneTimeBuyers => [
                "One-time buyers",
                "Engangskjøpere",
                "Engångsköpare",
                "Engangskøbere",
            ],
            NameKind::HighSpenders => [
                "High spenders",
                "Storforbrukere",
                "Storkonsumenter",
                "Storforbrugere",
            ],
            NameKind::LowSpenders => ["Low spenders", "Småhandlere", "Småhandlare", "Småhandlende"],
            NameKind::BigBaskets => ["Big baskets", "Store kurver", "Stora korgar", "Store kurve"],
            NameKind::SmallBaskets => ["Small baskets", "Små kurver", "Små korgar", "Små kurve"],
            NameKind::LongStandingCustomers => [
                "Long-standing customers",
                "Mangeårige kunder",
                "Mångåriga kunder",
                "Mangeårige kunder",
            ],
            NameKind::RecentJoiners => {
                ["Recent joiners", "Nyinnmeldte", "Nyanslutna", "Nytilmeldte"]
            }
            NameKind::FrequentReturners => [
                "Frequent returners",
                "Hyppige returnerere",
                "Frekventa returnerare",
                "Hyppige returnerende",
            ],
            NameKind::DealSeekers => [
                "Deal seekers",
                "Tilbudsjegere",
                "Fyndjägare",
                "Tilbudsjægere",
            ],
            NameKind::HeavyBrowsers => [
                "Heavy browsers",
                "Ivrige vindusshoppere",
                "Flitiga besökare",
                "Ivrige vindueskiggere",
            ],
            NameKind::Feature { feature, direction } => {
                return capitalise(&self.high_low(*direction, feature))
            }
            NameKind::Given(name) => return name.clone(),
        };
        t[self.index()].to_string()
    }

    /// "high …" / "low …" with the feature's label, in lower case.
    fn high_low(self, direction: Direction, feature: &str) -> String {
        let t = self.texts();
        let word = match direction {
            Direction::High => t.high,
            Direction::Low => t.low,
        };
        format!(
            "{} {}",
            word.to_lowercase(),
            self.feature(feature).to_lowercase()
        )
    }

    /// A suggested action in this language.
    pub fn action(self, action: &Action) -> String {
        let t: [&str; 4] = match action {
            Action::SuppressFromPaidMedia => [
                "Suppress from paid media and from lookalike seeds",
                "Utelat fra betalte medier og fra lookalike-grunnlag",
                "Uteslut från betalda medier och från lookalike-underlag",
                "Udelad fra betalte medier og fra lookalike-grundlag",
            ],
            Action::ReviewSizingAndReturns => [
                "Review sizing guidance and the return policy for what they buy",
                "Gå gjennom størrelsesveiledning og returvilkår for det de kjøper",
                "Se över storleksguider och returvillkor för det de köper",
                "Gennemgå størrelsesvejledning og returpolitik for det, de køber",
            ],
            Action::VipTreatment => [
                "VIP treatment: early access and service perks rather than discounts",
                "VIP-behandling: tidlig tilgang og servicefordeler fremfor rabatter",
                "VIP-behandling: tidig tillgång och serviceförmåner snarare än rabatter",
                "VIP-behandling: tidlig adgang og servicefordele frem for rabatter",
            ],
            Action::Reactivation => [
                "Reactivation offer to the most valuable; deprioritise the rest in paid media",
                "Reaktiveringstilbud til de mest verdifulle; nedprioriter resten i betalte medier",
                "Återaktiveringserbjudande till de mest värdefulla; nedprioritera resten i betalda medier",
                "Genaktiveringstilbud til de mest værdifulde; nedprioriter resten i betalte medier",
            ],
            Action::WinBack => [
                "Win-back campaign before they lapse for good",
                "Vinn-tilbake-kampanje før de faller fra for godt",
                "Återvinningskampanj innan de försvinner för gott",
                "Win-back-kampagne før de falder fra for altid",
            ],
            Action::LimitDiscounts => [
                "Limit blanket discounts; test full-price offers and bundles",
                "Begrens generelle rabatter; test fullpristilbud og pakker",
                "Begränsa generella rabatter; testa fullpriserbjudanden och paket",
                "Begræns generelle rabatter; test fuldprisstilbud og pakker",
            ],
            Action::Onboarding => [
                "Onboarding series with a second-purchase incentive within 30 days",
                "Velkomstserie med insentiv til et nytt kjøp innen 30 dager",
                "Välkomstserie med incitament till ett andra köp inom 30 dagar",
                "Velkomstserie med incitament til endnu et køb inden for 30 dage",
            ],
            Action::Retarget => [
                "Retarget with the categories they browse; cart reminders",
                "Retargeting med kategoriene de ser på; påminnelser om handlekurv",
                "Retargeting med kategorierna de tittar på; påminnelser om varukorg",
                "Retargeting med de kategorier, de kigger på; påmindelser om kurv",
            ],
            Action::KeepRegular { feature } => {
                let what = match feature {
                    Some(f) => self.feature(f).to_lowercase(),
                    None => self.texts().nothing_stands_out.to_string(),
                };
                return format!("{} ({what})", self.texts().keep_regular);
            }
        };
        t[self.index()].to_string()
    }

    /// A flag's name in this language.
    pub fn flag_label(self, kind: FlagKind) -> &'static str {
        let t = self.texts();
        match kind {
            FlagKind::LowProfitHighReturn => t.flag_low_profit,
            FlagKind::Vip => t.flag_vip,
            FlagKind::ChurnRisk => t.flag_churn,
            FlagKind::DiscountDependent => t.flag_discount,
        }
    }

    /// A flag's sentence with its numbers in this language (the report's).
    pub fn flag_message(self, facts: &FlagFacts) -> String {
        let t = self.texts();
        let texts = FlagTexts {
            low_profit: t.flag_low_profit_msg,
            media: t.flag_media,
            vip: t.flag_vip_msg,
            churn: t.flag_churn_msg,
            discount: t.flag_discount_msg,
        };
        flag_sentence(facts, &texts, &|x, d| self.number(x, d), &|x| {
            self.percent(x, 0)
        })
    }

    /// A segment's description in this language: one sentence with its numbers in this
    /// language's format.
    pub fn description(self, facts: &DescriptionFacts) -> String {
        let s = description_parts(facts, self.texts(), &|x, d| self.number(x, d), &|x| {
            self.percent(x, 0)
        })
        .join("; ");
        capitalise(&s) + "."
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

    /// A readable label for a feature: translated for the headline features, the catalog
    /// name (underscores as spaces) for the rest.
    pub fn feature(self, name: &str) -> String {
        if let Some(t) = FEATURES.iter().find(|f| f[0] == name) {
            return t[self.index() + 1].to_string();
        }
        if let Some(item) = name.strip_prefix("survey_") {
            return format!("{}: {}", self.texts().survey_item, item.replace('_', " "));
        }
        if let Some(cat) = name.strip_prefix("category_share_") {
            return format!("{}: {}", self.texts().category_share, cat.replace('_', " "));
        }
        if let Some(ch) = name.strip_prefix("channel_share_") {
            return format!("{}: {}", self.texts().channel_share, ch.replace('_', " "));
        }
        if let Some(f) = name.strip_prefix("factor_") {
            return format!("{}: {}", self.texts().survey_factor, f.replace('_', " "));
        }
        if let Some(a) = name.strip_prefix("attr_") {
            return capitalise(&a.replace('_', " "));
        }
        capitalise(&name.replace('_', " "))
    }

    /// Why ingest skipped rows, in this language.
    pub fn skip_reason(self, reason: SkipReason) -> &'static str {
        let t: [&'static str; 4] = match reason {
            SkipReason::GuestCheckout => [
                "no customer id (e.g. a guest checkout)",
                "ingen kunde-id (f.eks. gjestekjøp)",
                "inget kund-id (t.ex. gästköp)",
                "intet kunde-id (f.eks. gæstekøb)",
            ],
            SkipReason::AnonymousVisitor => [
                "no customer id (anonymous visitor)",
                "ingen kunde-id (anonym besøkende)",
                "inget kund-id (anonym besökare)",
                "intet kunde-id (anonym besøgende)",
            ],
            SkipReason::NoCustomerId => [
                "no customer id",
                "ingen kunde-id",
                "inget kund-id",
                "intet kunde-id",
            ],
            SkipReason::NoSessionId => [
                "no session id",
                "ingen økt-id",
                "inget sessions-id",
                "intet sessions-id",
            ],
            SkipReason::ZeroQuantity => ["quantity is 0", "antall er 0", "antal är 0", "antal er 0"],
            SkipReason::ZeroReturnedQuantity => [
                "returned quantity is 0",
                "returnert antall er 0",
                "returnerat antal är 0",
                "returneret antal er 0",
            ],
            SkipReason::AfterAsOf => [
                "after the reference date (as_of)",
                "etter referansedatoen (as_of)",
                "efter referensdatumet (as_of)",
                "efter referencedatoen (as_of)",
            ],
            SkipReason::CustomerAfterAsOf => [
                "customer first seen after the reference date (as_of)",
                "kunden er først registrert etter referansedatoen (as_of)",
                "kunden registrerades först efter referensdatumet (as_of)",
                "kunden er først registreret efter referencedatoen (as_of)",
            ],
            SkipReason::NoProductId => [
                "no product id",
                "ingen produkt-id",
                "inget produkt-id",
                "intet produkt-id",
            ],
            SkipReason::ReturnWithoutOrder => [
                "no order with this order id (return with no matching order)",
                "ingen ordre med denne ordre-id-en (retur uten tilhørende ordre)",
                "ingen order med detta order-id (retur utan matchande order)",
                "ingen ordre med dette ordre-id (returnering uden tilhørende ordre)",
            ],
            SkipReason::ReturnWithoutOrderLine => [
                "no order line with this order id and product id (return with no matching order)",
                "ingen ordrelinje med denne ordre-id-en og produkt-id-en (retur uten tilhørende ordre)",
                "ingen orderrad med detta order-id och produkt-id (retur utan matchande order)",
                "ingen ordrelinje med dette ordre-id og produkt-id (returnering uden tilhørende ordre)",
            ],
        };
        t[self.index()]
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
            ],
        )
    }

    /// Why the proposal is what it is: the basis, the structure verdict, the reason for few
    /// segments and the runner-up, as sentences.
    pub fn selection_reason(self, p: &Proposal, composite: impl Fn(&str) -> Option<f64>) -> String {
        let t = self.texts();
        let id = p.chosen.clone();
        let mut out = Vec::new();
        out.push(match &p.basis {
            Basis::Forced { k } => fill(t.basis_forced, &[("k", k.to_string())]),
            Basis::Consensus {
                elbow,
                gap_knee,
                stable,
                k,
                separated,
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
                let apart = fill(
                    if *separated {
                        t.basis_separated
                    } else {
                        t.basis_none_separated
                    },
                    &[("id", id.clone()), ("v", self.number(SEPARATED, 2))],
                );
                format!("{views} {apart}")
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
                    ("se", self.number(*se, 2)),
                    ("k", k.to_string()),
                ],
            )),
            Structure::None { gap, se, .. } => out.push(fill(
                t.structure_none,
                &[("gap", self.number(*gap, 2)), ("se", self.number(*se, 2))],
            )),
            Structure::Continuous { valley, .. } => out.push(fill(
                t.structure_continuous,
                &[
                    ("valley", self.number(*valley, 2)),
                    ("max", self.number(crate::select::SEPARATED, 2)),
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
                    ("id", candidate.clone()),
                    ("c", self.number(*c, 2)),
                    ("chosen", self.opt_number(composite(&p.chosen), 2)),
                ],
            )),
            Some(FewSegments::LargerNotEligible { candidate, fails }) if !candidate.is_empty() => {
                out.push(fill(
                    t.few_not_eligible,
                    &[
                        ("id", candidate.clone()),
                        ("fails", self.rule_failures(fails)),
                    ],
                ))
            }
            _ => {}
        }
        if let Some(r) = &p.runner_up {
            out.push(fill(t.runner_up, &[("id", r.clone())]));
        }
        out.join(" ")
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

/// A flag's sentence in plain English (numbers without grouping), as segments.json and the
/// command line state it.
pub fn flag_plain_message(facts: &FlagFacts) -> String {
    flag_sentence(facts, &PLAIN_FLAGS, &|x, d| format!("{x:.d$}"), &|x| {
        format!("{:.0}%", 100.0 * x)
    })
}

/// A segment's description in plain English (numbers without grouping, lower case, no final
/// full stop), as segments.json, profiles.csv and the command line state it.
pub fn description_plain(facts: &DescriptionFacts) -> String {
    description_parts(facts, &EN, &|x, d| format!("{x:.d$}"), &|x| {
        format!("{:.0}%", 100.0 * x)
    })
    .join("; ")
}

/// The clauses of a segment's description from `t`, numbers by `number` (value, decimals)
/// and shares by `percent`.
fn description_parts(
    facts: &DescriptionFacts,
    t: &Texts,
    number: &dyn Fn(f64, usize) -> String,
    percent: &dyn Fn(f64) -> String,
) -> Vec<String> {
    let mut parts = vec![fill(
        t.desc_shares,
        &[
            ("share", percent(facts.share)),
            ("rev", percent(facts.revenue_share)),
            ("profit", percent(facts.profit_share)),
        ],
    )];
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
                ("d", number(interpurchase_days, 0)),
            ],
        )),
        OrderPattern::Orders { frequency } => {
            parts.push(fill(t.desc_orders, &[("f", number(frequency, 1))]))
        }
    }
    if let Some(r) = facts.recency_days {
        parts.push(fill(t.desc_recency, &[("r", number(r, 0))]));
    }
    if let Some(rr) = facts.return_rate_value {
        parts.push(fill(t.desc_returned, &[("rr", percent(rr))]));
    }
    parts
}

/// Why a customer is flagged, in plain English (numbers without grouping), as segments.json
/// and flagged_customers state it.
pub fn customer_flag_plain(flag: &CustomerFlag) -> String {
    customer_flag_sentence(flag, EN.customer_high_returns, &|x| format!("{x}"), &|x| {
        format!("{:.0}%", 100.0 * x)
    })
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
    discount: &'static str,
}

/// The plain English of segments.json and the command line.
const PLAIN_FLAGS: FlagTexts = FlagTexts {
    low_profit: "{share} of customers bring {rev} of revenue but {profit} of profit: they return {rr} by value (all customers: {base}). If their return rate fell to the base rate, profit would rise by about {impact}{media}.",
    media: "; paid media spent on them: about {m} a year",
    vip: "The most valuable segment: {share} of customers, {profit} of profit",
    churn: "Last order {r} days ago (median), {x}× their usual {i} days between orders",
    discount: "{d} of their orders carry a discount",
};

/// A flag's sentence from `texts`, numbers by `number` (value, decimals) and shares by
/// `percent`.
fn flag_sentence(
    facts: &FlagFacts,
    texts: &FlagTexts,
    number: &dyn Fn(f64, usize) -> String,
    percent: &dyn Fn(f64) -> String,
) -> String {
    match *facts {
        FlagFacts::LowProfitHighReturn {
            share,
            revenue_share,
            profit_share,
            return_rate,
            base_return_rate,
            impact_profit,
            media_spend_at_risk,
        } => {
            let media = media_spend_at_risk
                .map(|m| fill(texts.media, &[("m", number(m, 0))]))
                .unwrap_or_default();
            let mut s = fill(
                texts.low_profit,
                &[
                    ("share", percent(share)),
                    ("rev", percent(revenue_share)),
                    ("profit", percent(profit_share)),
                    ("rr", percent(return_rate)),
                    ("base", percent(base_return_rate)),
                    ("impact", number(impact_profit, 0)),
                    ("media", media.clone()),
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
        } => fill(
            texts.churn,
            &[
                ("r", number(r, 0)),
                ("x", number(r / i, 1)),
                ("i", number(i, 0)),
            ],
        ),
        FlagFacts::DiscountDependent {
            discount_order_share,
        } => fill(texts.discount, &[("d", percent(discount_order_share))]),
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// Feature labels: catalog name, en, nb, sv, da.
const FEATURES: &[[&str; 5]] = &[
    [
        "recency_days",
        "Days since last order",
        "Dager siden siste ordre",
        "Dagar sedan senaste order",
        "Dage siden seneste ordre",
    ],
    ["frequency", "Orders", "Ordrer", "Order", "Ordrer"],
    [
        "tenure_days",
        "Days since first order",
        "Dager siden første ordre",
        "Dagar sedan första order",
        "Dage siden første ordre",
    ],
    [
        "net_revenue",
        "Net revenue",
        "Nettoomsetning",
        "Nettoomsättning",
        "Nettoomsætning",
    ],
    [
        "aov",
        "Average order value",
        "Gjennomsnittlig ordreverdi",
        "Genomsnittligt ordervärde",
        "Gennemsnitlig ordreværdi",
    ],
    [
        "items_per_order",
        "Items per order",
        "Varer per ordre",
        "Varor per order",
        "Varer pr. ordre",
    ],
    [
        "interpurchase_mean_days",
        "Days between orders",
        "Dager mellom ordrer",
        "Dagar mellan order",
        "Dage mellem ordrer",
    ],
    [
        "discount_order_share",
        "Share of orders with discount",
        "Andel ordrer med rabatt",
        "Andel order med rabatt",
        "Andel ordrer med rabat",
    ],
    [
        "discount_depth",
        "Discount depth",
        "Rabattdybde",
        "Rabattdjup",
        "Rabatdybde",
    ],
    [
        "return_rate_value",
        "Return rate (value)",
        "Returandel (verdi)",
        "Returandel (värde)",
        "Returandel (værdi)",
    ],
    [
        "return_rate_items",
        "Return rate (items)",
        "Returandel (varer)",
        "Returandel (varor)",
        "Returandel (varer)",
    ],
    [
        "refunds",
        "Refunds",
        "Refusjoner",
        "Återbetalningar",
        "Refusioner",
    ],
    [
        "contribution_profit",
        "Return-adjusted profit",
        "Returjustert fortjeneste",
        "Returjusterad vinst",
        "Returjusteret fortjeneste",
    ],
    [
        "gross_margin",
        "Gross margin",
        "Bruttomargin",
        "Bruttomarginal",
        "Bruttomargin",
    ],
    ["sessions", "Sessions", "Økter", "Sessioner", "Sessioner"],
    [
        "product_views",
        "Product views",
        "Produktvisninger",
        "Produktvisningar",
        "Produktvisninger",
    ],
    [
        "days_since_last_visit",
        "Days since last visit",
        "Dager siden siste besøk",
        "Dagar sedan senaste besök",
        "Dage siden seneste besøg",
    ],
    ["age", "Age", "Alder", "Ålder", "Alder"],
    [
        "return_handling_cost",
        "Return handling cost",
        "Returhåndteringskostnad",
        "Returhanteringskostnad",
        "Returhåndteringsomkostning",
    ],
    [
        "returned_orders",
        "Orders with returns",
        "Ordrer med retur",
        "Order med retur",
        "Ordrer med retur",
    ],
    ["searches", "Searches", "Søk", "Sökningar", "Søgninger"],
    [
        "interpurchase_std_days",
        "Spread of days between orders",
        "Spredning i dager mellom ordrer",
        "Spridning i dagar mellan order",
        "Spredning i dage mellem ordrer",
    ],
    [
        "signup_tenure_days",
        "Days since sign-up",
        "Dager siden registrering",
        "Dagar sedan registrering",
        "Dage siden tilmelding",
    ],
    [
        "cart_to_purchase",
        "Cart-to-purchase rate",
        "Andel handlekurver kjøpt",
        "Andel varukorgar köpta",
        "Andel kurve købt",
    ],
    [
        "view_to_purchase",
        "View-to-purchase rate",
        "Andel visninger kjøpt",
        "Andel visningar köpta",
        "Andel visninger købt",
    ],
    [
        "holiday_order_share",
        "Share of orders in Nov–Dec",
        "Andel ordrer i nov–des",
        "Andel order i nov–dec",
        "Andel ordrer i nov–dec",
    ],
    [
        "weekend_order_share",
        "Share of weekend orders",
        "Andel helgeordrer",
        "Andel helgorder",
        "Andel weekendordrer",
    ],
    [
        "mean_dwell_seconds",
        "Seconds per page view",
        "Sekunder per sidevisning",
        "Sekunder per sidvisning",
        "Sekunder pr. sidevisning",
    ],
    [
        "events",
        "Browsing events",
        "Hendelser",
        "Händelser",
        "Hændelser",
    ],
    ["gender", "Gender", "Kjønn", "Kön", "Køn"],
    ["country", "Country", "Land", "Land", "Land"],
    ["region", "Region", "Region", "Region", "Region"],
    [
        "cart_adds",
        "Cart adds",
        "Lagt i handlekurv",
        "Lagt i varukorg",
        "Lagt i kurv",
    ],
    [
        "survey_answered",
        "Answered the survey",
        "Svarte på undersøkelsen",
        "Svarade på enkäten",
        "Svarede på spørgeskemaet",
    ],
];

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
    /// Survey item label prefix.
    pub survey_item: &'static str,
    /// Category share label prefix.
    pub category_share: &'static str,
    /// Channel share label prefix.
    pub channel_share: &'static str,
    /// Survey factor label prefix.
    pub survey_factor: &'static str,
    /// Fallback action.
    pub keep_regular: &'static str,
    /// Fallback action detail.
    pub nothing_stands_out: &'static str,
    /// Summary: `{n}` customers in `{k}` segments.
    pub summary_line: &'static str,
    /// Description: `{share}` of customers, `{rev}` of revenue, `{profit}` of profit.
    pub desc_shares: &'static str,
    /// Description: almost no orders.
    pub desc_no_orders: &'static str,
    /// Description: `{s}` sessions on average.
    pub desc_sessions: &'static str,
    /// Description: `{f}` orders each, one every `{d}` days.
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
    /// Flag: discount dependence.
    pub flag_discount: &'static str,
    /// Flag message: `{d}`.
    pub flag_discount_msg: &'static str,
    /// No flags raised.
    pub no_flags: &'static str,
    /// Selection: the proposal `{id}` with `{k}` segments.
    pub proposal_line: &'static str,
    /// Selection rule explanation.
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
    /// No clear structure although the gap is clear: no split has a density valley; the
    /// lowest is `{valley}`, the rule's threshold `{max}`.
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
    /// The consensus was taken among separated candidates: `{id}`, `{v}`.
    pub basis_separated: &'static str,
    /// No eligible candidate was separated: `{id}`, `{v}`.
    pub basis_none_separated: &'static str,
    /// Column: the least separated segment's density valley.
    pub valley: &'static str,
    /// Flagged customers: `{n}`.
    pub flagged_line: &'static str,
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
}

/// English.
pub const EN: Texts = Texts {
    title: "Customer segments",
    summary: "Summary",
    segments: "Segments",
    chosen: "How the segments were chosen",
    data_quality: "Data quality",
    method: "Method notes",
    charts: "Charts",
    segment: "Segment",
    customers: "Customers",
    customer_share: "Share of customers",
    revenue_share: "Share of revenue",
    profit_share: "Share of profit",
    net_revenue: "Net revenue",
    profit: "Return-adjusted profit",
    profit_margin: "Profit margin",
    return_rate: "Return rate (value)",
    aov: "Average order value",
    revenue_per_customer: "Net revenue per customer (log scale)",
    orders_per_customer: "Orders per customer",
    recency: "Days since last order (median)",
    distinguishing: "What sets them apart",
    survey_profile: "Survey profile",
    composition: "Over-represented groups",
    actions: "Suggested actions",
    flags: "Flags",
    feature: "Feature",
    mean: "Mean",
    base_mean: "All customers",
    lift: "Lift (SD)",
    share_in_segment: "In segment",
    share_in_base: "All customers",
    candidate: "Candidate",
    algorithm: "Algorithm",
    silhouette: "Silhouette",
    stability: "Stability",
    smallest: "Smallest segment",
    unassigned: "Unassigned",
    composite: "Composite",
    eligible: "Eligible",
    fails: "Rules not met",
    chosen_mark: "chosen",
    yes: "yes",
    no: "no",
    table: "Table",
    file: "File",
    rows_read: "Rows read",
    rows_used: "Rows used",
    rows_skipped: "Rows skipped",
    reason: "Reason",
    missing_values: "Missing values",
    missing_share: "Missing",
    excluded: "Customers without a segment",
    flagged_customers: "Customers flagged for high returns",
    high: "High",
    low: "Low",
    survey_item: "Survey",
    category_share: "Spend share",
    channel_share: "Channel share",
    survey_factor: "Survey factor",
    keep_regular: "Keep in regular campaigns; lean on what sets them apart",
    nothing_stands_out: "nothing stands out",
    summary_line: "{n} customers fall into {k} segments.",
    desc_shares: "{share} of customers, {rev} of revenue, {profit} of profit",
    desc_no_orders: "almost no orders",
    desc_sessions: "{s} sessions on average",
    desc_orders_every: "{f} orders each, one every {d} days",
    desc_orders: "{f} orders each",
    desc_recency: "last order {r} days ago (median)",
    desc_returned: "{rr} returned by value",
    customer_high_returns: "returned {rr} of the value bought over {n} orders (threshold {t} over at least {min})",
    flag_low_profit: "Low profit, high returns",
    flag_low_profit_msg: "{share} of customers bring {rev} of revenue but {profit} of profit: they return {rr} by value (all customers: {base}). If their return rate fell to the base rate, profit would rise by about {impact}.",
    flag_media: " Paid media spent on them: about {m} a year.",
    flag_vip: "VIP",
    flag_vip_msg: "The most valuable segment: {share} of customers, {profit} of profit.",
    flag_churn: "Churn risk",
    flag_churn_msg: "Last order {r} days ago (median), {x}× their usual {i} days between orders.",
    flag_discount: "Discount dependence",
    flag_discount_msg: "{d} of their orders carry a discount.",
    no_flags: "No segment is flagged.",
    proposal_line: "Proposed: {id} with {k} segments.",
    rule: "A candidate is eligible when it has 2–{max} segments, each with at least {min_share} of the customers, at most {max_noise} unassigned, and a stability of at least {min_st} (how closely refits on random 80% subsamples agree with it). The number of segments is the middle one of three views: the elbow of the spread within segments, the knee of the gap statistic (how much tighter the segments are than in comparable data without segments), and the most segments with a stability of at least 0.90; the eligible k-means candidate nearest to it is proposed, preferring those whose every segment is set apart from its nearest segment by a dip in the density of customers (density valley below {valley}). Silhouette, Calinski–Harabasz and Davies–Bouldin are shown for comparison (mean rank as the composite). When no split is clearly tighter than in data without segments, or none is set apart by a density valley, the report says so and offers the most stable workable split instead.",
    preferred_k: "The number of segments each index prefers on its own: {list}.",
    indices_agree: "The indices agree.",
    indices_disagree: "The indices disagree; the proposal follows the rule above, not a single index.",
    excluded_line: "{n} customers ({share}) are in no segment: DBSCAN found them too far from any dense group (noise). They are kept in every total as “unassigned”.",
    excluded_none: "Every customer is in a segment.",
    rule_more_than: "more than {n} segments",
    rule_fewer_than: "fewer than {n} segments",
    rule_no_stability: "no stability score",
    rule_too_many: "{n} segments, more than {max}",
    rule_small: "smallest segment {share} < {min}",
    rule_noise: "{share} unassigned > {max}",
    rule_unstable: "stability {st} < {min}",
    basis_forced: "The number of segments ({k}) was set by the analyst; the indices below are shown for comparison.",
    basis_rank_vote: "{id} ranks best on the four indices together among the {n} candidates that meet every rule.",
    basis_actionable: "{id} is offered as the most workable split, not as segments found in the data: of the candidates with {lo}–{hi} segments that meet every rule, it is the most stable ({st}).",
    basis_none_eligible: "No candidate meets every rule. {id} ranks best on the indices but does not meet: {fails}.",
    structure_clear: "The segments are clearly tighter than in comparable data without segments (gap {gap} at {k} segments, standard error {se}).",
    structure_none: "The data show no clear segments: no split is clearly tighter than in comparable data without segments (largest gap {gap}, standard error {se}). Treat the segments as a practical grouping of a continuous customer base.",
    structure_continuous: "The data show no clear segments: customers are more concentrated than in comparable data without segments, but no split leaves a thinly populated zone between its segments (the lowest density valley is {valley}; separated segments stay below {max}). Treat the segments as a practical grouping of a continuous customer base.",
    few_rank_lower: "Most indices prefer 4 or more segments; the best such candidate, {id}, ranks lower on the indices together ({c} against {chosen}).",
    few_not_eligible: "Most indices prefer 4 or more segments, but no such candidate meets every rule ({id}: {fails}).",
    runner_up: "Runner-up: {id}.",
    gap_statistic: "gap statistic",
    most_stable_k: "most stable",
    basis_consensus: "{id} follows three views of the number of segments: where more segments stop reducing the spread within segments (elbow: {elbow}), where they stop adding structure beyond comparable data without segments (gap: {gap}), and the most segments that refits on random subsamples reproduce (stability at least {st}: {stable}). The proposal takes the middle one, {k}.",
    basis_separated: "Among the candidates whose every segment is set apart from its nearest segment by a dip in the density of customers (valley below {v}), {id} is the nearest to it; a segment without such a dip would be one group cut in two.",
    basis_none_separated: "No candidate that meets every rule sets each segment apart from its nearest one by a dip in density (valley below {v}), so {id} is the nearest candidate that meets every rule; its segments shade into each other.",
    valley: "Density valley",
    flagged_line: "{n} customers return at least two thirds of what they buy by value over three or more orders; they are listed in flagged_customers for suppression, whatever their segment.",
    method_features: "{n} features per customer in four groups (behaviour, browsing, psychographics from the survey, demographics and geography); the catalog with every formula is docs/features.md.",
    method_prepare: "Preparation: rates resting on few orders, views or sessions moved toward the shop's own rate; log1p of money, counts and days; winsorising; standard or robust scaling, a missing value at the column's centre; one-hot encoding with rare levels pooled; each feature group weighted as a group; near-identical columns folded. The matrix has {cols} columns.",
    method_algorithms: "Candidates: k-means (k-means++ start, Lloyd iterations with Elkan's bounds) for k = {kmin}–{kmax} with several seeds each and bootstrap refits for stability; DBSCAN on the principal components, eps from the knee of the k-distance curve. {n} candidates in all.",
    method_repro: "Seed {seed}; segmint {version}; reference date {as_of}. The same inputs and seed give byte-identical outputs.",
    generated_by: "Generated by segmint",
    as_of: "Reference date",
    chart_sizes: "Segment sizes and their shares of revenue and profit",
    chart_heatmap: "What sets each segment apart (lift in standard deviations)",
    chart_k: "Choosing the number of segments",
    chart_kdist: "DBSCAN: k-distance curve and the chosen eps",
    chart_map: "Segment map (first two principal components)",
    chart_whale: "Whale curve: cumulative profit by customer rank",
    chart_returns: "Return rate and revenue per segment",
    chart_boxes: "Distribution of key features per segment",
    axis_k: "Number of segments (k)",
    axis_inertia: "Inertia",
    axis_share: "Share",
    axis_rows_sorted: "Customers, sorted by distance",
    axis_kth: "Distance to the k-th neighbour",
    axis_pc: "Principal component",
    axis_customers_ranked: "Customers ranked by profit (share)",
    axis_cum_profit: "Cumulative profit (share of total)",
    elbow: "elbow",
    chosen_short: "chosen",
    eps: "eps",
    centroid: "centroid",
    flagged: "flagged",
    all_customers: "all customers",
    bubble_note: "bubble size = customers",
};

/// Norwegian (bokmål).
pub const NB: Texts = Texts {
    title: "Kundesegmenter",
    summary: "Sammendrag",
    segments: "Segmenter",
    chosen: "Slik ble segmentene valgt",
    data_quality: "Datakvalitet",
    method: "Metode",
    charts: "Diagrammer",
    segment: "Segment",
    customers: "Kunder",
    customer_share: "Andel kunder",
    revenue_share: "Andel omsetning",
    profit_share: "Andel fortjeneste",
    net_revenue: "Nettoomsetning",
    profit: "Returjustert fortjeneste",
    profit_margin: "Fortjenestemargin",
    return_rate: "Returandel (verdi)",
    aov: "Gjennomsnittlig ordreverdi",
    revenue_per_customer: "Nettoomsetning per kunde (logaritmisk skala)",
    orders_per_customer: "Ordrer per kunde",
    recency: "Dager siden siste ordre (median)",
    distinguishing: "Dette skiller dem ut",
    survey_profile: "Svar på spørreundersøkelsen",
    composition: "Overrepresenterte grupper",
    actions: "Foreslåtte tiltak",
    flags: "Flagg",
    feature: "Variabel",
    mean: "Snitt",
    base_mean: "Alle kunder",
    lift: "Løft (SD)",
    share_in_segment: "I segmentet",
    share_in_base: "Alle kunder",
    candidate: "Kandidat",
    algorithm: "Algoritme",
    silhouette: "Silhuett",
    stability: "Stabilitet",
    smallest: "Minste segment",
    unassigned: "Ikke tildelt",
    composite: "Samlet poeng",
    eligible: "Kvalifisert",
    fails: "Regler som ikke er oppfylt",
    chosen_mark: "valgt",
    yes: "ja",
    no: "nei",
    table: "Tabell",
    file: "Fil",
    rows_read: "Rader lest",
    rows_used: "Rader brukt",
    rows_skipped: "Rader utelatt",
    reason: "Årsak",
    missing_values: "Manglende verdier",
    missing_share: "Mangler",
    excluded: "Kunder uten segment",
    flagged_customers: "Kunder flagget for mange returer",
    high: "Høy",
    low: "Lav",
    survey_item: "Undersøkelse",
    category_share: "Kjøpsandel",
    channel_share: "Kanalandel",
    survey_factor: "Faktor",
    keep_regular: "Behold i vanlige kampanjer; bygg på det som skiller dem ut",
    nothing_stands_out: "ingenting skiller seg ut",
    summary_line: "{n} kunder fordeler seg på {k} segmenter.",
    desc_shares: "{share} av kundene, {rev} av omsetningen, {profit} av fortjenesten",
    desc_no_orders: "nesten ingen ordrer",
    desc_sessions: "{s} økter i snitt",
    desc_orders_every: "{f} ordrer hver, én hver {d}. dag",
    desc_orders: "{f} ordrer hver",
    desc_recency: "siste ordre for {r} dager siden (median)",
    desc_returned: "{rr} av verdien returnert",
    customer_high_returns: "returnerte {rr} av kjøpsverdien på {n} ordrer (terskel {t} ved minst {min} ordrer)",
    flag_low_profit: "Lav fortjeneste, mange returer",
    flag_low_profit_msg: "{share} av kundene står for {rev} av omsetningen, men bare {profit} av fortjenesten: de returnerer {rr} etter verdi (alle kunder: {base}). Om returandelen falt til nivået for alle kunder, ville fortjenesten øke med omkring {impact}.",
    flag_media: " Betalte medier brukt på dem: omkring {m} i året.",
    flag_vip: "VIP",
    flag_vip_msg: "Det mest verdifulle segmentet: {share} av kundene, {profit} av fortjenesten.",
    flag_churn: "Frafallsrisiko",
    flag_churn_msg: "Siste ordre for {r} dager siden (median), {x}× deres vanlige {i} dager mellom ordrer.",
    flag_discount: "Rabattavhengighet",
    flag_discount_msg: "{d} av ordrene deres har rabatt.",
    no_flags: "Ingen segmenter er flagget.",
    proposal_line: "Forslag: {id} med {k} segmenter.",
    rule: "En kandidat er kvalifisert når den har 2–{max} segmenter, hvert med minst {min_share} av kundene, høyst {max_noise} uten segment og en stabilitet på minst {min_st} (hvor godt nye tilpasninger på tilfeldige utvalg av 80 % av kundene stemmer med den). Antall segmenter er det midterste av tre syn: albuen i spredningen innen segmentene, knekkpunktet i gap-statistikken (hvor mye tettere segmentene er enn i sammenlignbare data uten segmenter) og det høyeste antallet med en stabilitet på minst 0,90; den kvalifiserte k-means-kandidaten nærmest dette foreslås, helst blant dem der hvert segment er skilt fra sitt nærmeste segment av en dal i kundetettheten (tetthetsdal under {valley}). Silhuett, Calinski–Harabasz og Davies–Bouldin vises til sammenligning (gjennomsnittlig plassering som samlet poeng). Er ingen inndeling tydelig tettere enn i data uten segmenter, eller skilt av en tetthetsdal, sier rapporten det og foreslår i stedet den mest stabile brukbare inndelingen.",
    preferred_k: "Antall segmenter hver indeks foretrekker alene: {list}.",
    indices_agree: "Indeksene er enige.",
    indices_disagree: "Indeksene er uenige; forslaget følger regelen over, ikke én enkelt indeks.",
    excluded_line: "{n} kunder ({share}) er ikke i noe segment: DBSCAN fant dem for langt fra alle tette grupper (støy). De er med i alle totaler som «ikke tildelt».",
    excluded_none: "Alle kunder er i et segment.",
    rule_more_than: "mer enn {n} segmenter",
    rule_fewer_than: "færre enn {n} segmenter",
    rule_no_stability: "ingen stabilitetsverdi",
    rule_too_many: "{n} segmenter, flere enn {max}",
    rule_small: "minste segment {share} < {min}",
    rule_noise: "{share} uten segment > {max}",
    rule_unstable: "stabilitet {st} < {min}",
    basis_forced: "Antall segmenter ({k}) er valgt av analytikeren; indeksene nedenfor vises til sammenligning.",
    basis_rank_vote: "{id} kommer best ut på de fire indeksene samlet blant de {n} kandidatene som oppfyller alle reglene.",
    basis_actionable: "{id} foreslås som den mest brukbare inndelingen, ikke som segmenter funnet i dataene: blant kandidatene med {lo}–{hi} segmenter som oppfyller alle reglene, er den mest stabil ({st}).",
    basis_none_eligible: "Ingen kandidat oppfyller alle reglene. {id} kommer best ut på indeksene, men oppfyller ikke: {fails}.",
    structure_clear: "Segmentene er tydelig tettere enn i sammenlignbare data uten segmenter (gap {gap} ved {k} segmenter, standardfeil {se}).",
    structure_none: "Dataene viser ingen tydelige segmenter: ingen inndeling er tydelig tettere enn i sammenlignbare data uten segmenter (største gap {gap}, standardfeil {se}). Se segmentene som en praktisk gruppering av en sammenhengende kundemasse.",
    structure_continuous: "Dataene viser ingen tydelige segmenter: kundene ligger tettere samlet enn i sammenlignbare data uten segmenter, men ingen inndeling har en glissen sone mellom segmentene (laveste tetthetsdal er {valley}; adskilte segmenter ligger under {max}). Se segmentene som en praktisk gruppering av en sammenhengende kundemasse.",
    few_rank_lower: "De fleste indeksene foretrekker 4 eller flere segmenter; den beste slike kandidaten, {id}, kommer dårligere ut på indeksene samlet ({c} mot {chosen}).",
    few_not_eligible: "De fleste indeksene foretrekker 4 eller flere segmenter, men ingen slik kandidat oppfyller alle reglene ({id}: {fails}).",
    runner_up: "Nest best: {id}.",
    gap_statistic: "gap-statistikk",
    most_stable_k: "mest stabil",
    basis_consensus: "{id} følger tre syn på antall segmenter: der flere segmenter slutter å gjøre segmentene tettere (albue: {elbow}), der de slutter å gi mer struktur enn sammenlignbare data uten segmenter (gap: {gap}), og det høyeste antallet som nye tilpasninger på tilfeldige utvalg gjenskaper (stabilitet minst {st}: {stable}). Forslaget tar det midterste, {k}.",
    basis_separated: "Blant kandidatene der hvert segment er skilt fra sitt nærmeste segment av en dal i kundetettheten (dal under {v}), ligger {id} nærmest; et segment uten en slik dal ville vært én gruppe delt i to.",
    basis_none_separated: "Ingen kvalifisert kandidat skiller hvert segment fra det nærmeste med en dal i tettheten (dal under {v}), så {id} er den kvalifiserte kandidaten som ligger nærmest; segmentene glir over i hverandre.",
    valley: "Tetthetsdal",
    flagged_line: "{n} kunder returnerer minst to tredjedeler av det de kjøper etter verdi over tre eller flere ordrer; de står i flagged_customers for utelatelse, uansett segment.",
    method_features: "{n} variabler per kunde i fire grupper (atferd, nettlesing, psykografi fra spørreundersøkelsen, demografi og geografi); katalogen med alle formler er docs/features.md.",
    method_prepare: "Klargjøring: andeler som bygger på få ordrer, visninger eller økter, trukket mot butikkens egen andel; log1p av beløp, antall og dager; winsorisering; standard- eller robust skalering, en manglende verdi satt til kolonnens midtpunkt; one-hot-koding med sjeldne nivåer slått sammen; hver gruppe av kjennetegn vektet som en gruppe; nesten like kolonner slått sammen. Matrisen har {cols} kolonner.",
    method_algorithms: "Kandidater: k-means (k-means++-start, Lloyd-iterasjoner med Elkans grenser) for k = {kmin}–{kmax} med flere frø hver og bootstrap-tilpasninger for stabilitet; DBSCAN på hovedkomponentene, eps fra kneet i k-avstandskurven. {n} kandidater i alt.",
    method_repro: "Frø {seed}; segmint {version}; referansedato {as_of}. Samme data og frø gir byte-identiske resultater.",
    generated_by: "Laget med segmint",
    as_of: "Referansedato",
    chart_sizes: "Segmentenes størrelse og deres andel av omsetning og fortjeneste",
    chart_heatmap: "Dette skiller segmentene ut (løft i standardavvik)",
    chart_k: "Valg av antall segmenter",
    chart_kdist: "DBSCAN: k-avstandskurve og valgt eps",
    chart_map: "Segmentkart (de to første hovedkomponentene)",
    chart_whale: "Hvalkurve: akkumulert fortjeneste etter kunderangering",
    chart_returns: "Returandel og omsetning per segment",
    chart_boxes: "Fordeling av nøkkelvariabler per segment",
    axis_k: "Antall segmenter (k)",
    axis_inertia: "Treghet",
    axis_share: "Andel",
    axis_rows_sorted: "Kunder, sortert etter avstand",
    axis_kth: "Avstand til k-te nabo",
    axis_pc: "Hovedkomponent",
    axis_customers_ranked: "Kunder rangert etter fortjeneste (andel)",
    axis_cum_profit: "Akkumulert fortjeneste (andel av total)",
    elbow: "albue",
    chosen_short: "valgt",
    eps: "eps",
    centroid: "sentroide",
    flagged: "flagget",
    all_customers: "alle kunder",
    bubble_note: "boblestørrelse = kunder",
};

/// Swedish.
pub const SV: Texts = Texts {
    title: "Kundsegment",
    summary: "Sammanfattning",
    segments: "Segment",
    chosen: "Så valdes segmenten",
    data_quality: "Datakvalitet",
    method: "Metod",
    charts: "Diagram",
    segment: "Segment",
    customers: "Kunder",
    customer_share: "Andel kunder",
    revenue_share: "Andel av omsättningen",
    profit_share: "Andel av vinsten",
    net_revenue: "Nettoomsättning",
    profit: "Returjusterad vinst",
    profit_margin: "Vinstmarginal",
    return_rate: "Returandel (värde)",
    aov: "Genomsnittligt ordervärde",
    revenue_per_customer: "Nettoomsättning per kund (logaritmisk skala)",
    orders_per_customer: "Order per kund",
    recency: "Dagar sedan senaste order (median)",
    distinguishing: "Det här utmärker dem",
    survey_profile: "Enkätsvar",
    composition: "Överrepresenterade grupper",
    actions: "Föreslagna åtgärder",
    flags: "Flaggor",
    feature: "Variabel",
    mean: "Medel",
    base_mean: "Alla kunder",
    lift: "Lyft (SD)",
    share_in_segment: "I segmentet",
    share_in_base: "Alla kunder",
    candidate: "Kandidat",
    algorithm: "Algoritm",
    silhouette: "Siluett",
    stability: "Stabilitet",
    smallest: "Minsta segment",
    unassigned: "Ej tilldelade",
    composite: "Sammanvägd poäng",
    eligible: "Godkänd",
    fails: "Regler som inte uppfylls",
    chosen_mark: "vald",
    yes: "ja",
    no: "nej",
    table: "Tabell",
    file: "Fil",
    rows_read: "Rader lästa",
    rows_used: "Rader använda",
    rows_skipped: "Rader utelämnade",
    reason: "Orsak",
    missing_values: "Saknade värden",
    missing_share: "Saknas",
    excluded: "Kunder utan segment",
    flagged_customers: "Kunder flaggade för många returer",
    high: "Hög",
    low: "Låg",
    survey_item: "Enkät",
    category_share: "Köpandel",
    channel_share: "Kanalandel",
    survey_factor: "Faktor",
    keep_regular: "Behåll i ordinarie kampanjer; bygg på det som utmärker dem",
    nothing_stands_out: "inget sticker ut",
    summary_line: "{n} kunder fördelas på {k} segment.",
    desc_shares: "{share} av kunderna, {rev} av omsättningen, {profit} av vinsten",
    desc_no_orders: "nästan inga order",
    desc_sessions: "{s} sessioner i snitt",
    desc_orders_every: "{f} order var, en var {d}:e dag",
    desc_orders: "{f} order var",
    desc_recency: "senaste order för {r} dagar sedan (median)",
    desc_returned: "{rr} av värdet returnerat",
    customer_high_returns: "returnerade {rr} av köpvärdet på {n} order (tröskel {t} vid minst {min} order)",
    flag_low_profit: "Låg vinst, många returer",
    flag_low_profit_msg: "{share} av kunderna står för {rev} av omsättningen men bara {profit} av vinsten: de returnerar {rr} i värde (alla kunder: {base}). Om returandelen sjönk till nivån för alla kunder skulle vinsten öka med omkring {impact}.",
    flag_media: " Betalda medier som läggs på dem: omkring {m} per år.",
    flag_vip: "VIP",
    flag_vip_msg: "Det mest värdefulla segmentet: {share} av kunderna, {profit} av vinsten.",
    flag_churn: "Risk för avhopp",
    flag_churn_msg: "Senaste order för {r} dagar sedan (median), {x}× deras vanliga {i} dagar mellan order.",
    flag_discount: "Rabattberoende",
    flag_discount_msg: "{d} av deras order har rabatt.",
    no_flags: "Inget segment är flaggat.",
    proposal_line: "Förslag: {id} med {k} segment.",
    rule: "En kandidat är godkänd när den har 2–{max} segment, vart och ett med minst {min_share} av kunderna, högst {max_noise} utan segment och en stabilitet på minst {min_st} (hur väl nya anpassningar på slumpvisa urval av 80 % av kunderna stämmer med den). Antalet segment är det mittersta av tre sätt att se det: armbågen i spridningen inom segmenten, knäet i gap-statistiken (hur mycket tätare segmenten är än i jämförbara data utan segment) och det högsta antalet med en stabilitet på minst 0,90; den godkända k-means-kandidaten närmast detta föreslås, helst bland dem där varje segment skiljs från sitt närmaste segment av en dal i kundtätheten (täthetsdal under {valley}). Siluett, Calinski–Harabasz och Davies–Bouldin visas som jämförelse (genomsnittlig placering som sammanvägd poäng). Är ingen indelning tydligt tätare än i data utan segment, eller åtskild av en täthetsdal, säger rapporten det och föreslår i stället den mest stabila användbara indelningen.",
    preferred_k: "Antalet segment som varje index föredrar på egen hand: {list}.",
    indices_agree: "Indexen är överens.",
    indices_disagree: "Indexen är oense; förslaget följer regeln ovan, inte ett enskilt index.",
    excluded_line: "{n} kunder ({share}) ingår inte i något segment: DBSCAN fann dem för långt från alla täta grupper (brus). De ingår i alla summor som ”ej tilldelade”.",
    excluded_none: "Alla kunder ingår i ett segment.",
    rule_more_than: "fler än {n} segment",
    rule_fewer_than: "färre än {n} segment",
    rule_no_stability: "inget stabilitetsvärde",
    rule_too_many: "{n} segment, fler än {max}",
    rule_small: "minsta segmentet {share} < {min}",
    rule_noise: "{share} utan segment > {max}",
    rule_unstable: "stabilitet {st} < {min}",
    basis_forced: "Antalet segment ({k}) har valts av analytikern; indexen nedan visas som jämförelse.",
    basis_rank_vote: "{id} placerar sig bäst på de fyra indexen sammantaget bland de {n} kandidater som uppfyller alla regler.",
    basis_actionable: "{id} föreslås som den mest användbara indelningen, inte som segment som finns i data: bland kandidaterna med {lo}–{hi} segment som uppfyller alla regler är den mest stabil ({st}).",
    basis_none_eligible: "Ingen kandidat uppfyller alla regler. {id} placerar sig bäst på indexen men uppfyller inte: {fails}.",
    structure_clear: "Segmenten är tydligt tätare än i jämförbara data utan segment (gap {gap} vid {k} segment, standardfel {se}).",
    structure_none: "Data visar inga tydliga segment: ingen indelning är tydligt tätare än i jämförbara data utan segment (största gap {gap}, standardfel {se}). Se segmenten som en praktisk gruppering av en sammanhängande kundbas.",
    structure_continuous: "Data visar inga tydliga segment: kunderna ligger tätare samlade än i jämförbara data utan segment, men ingen indelning har en glest befolkad zon mellan segmenten (lägsta täthetsdalen är {valley}; åtskilda segment ligger under {max}). Se segmenten som en praktisk gruppering av en sammanhängande kundbas.",
    few_rank_lower: "De flesta index föredrar 4 eller fler segment; den bästa sådana kandidaten, {id}, placerar sig sämre på indexen sammantaget ({c} mot {chosen}).",
    few_not_eligible: "De flesta index föredrar 4 eller fler segment, men ingen sådan kandidat uppfyller alla regler ({id}: {fails}).",
    runner_up: "Näst bäst: {id}.",
    gap_statistic: "gap-statistik",
    most_stable_k: "mest stabil",
    basis_consensus: "{id} följer tre sätt att se på antalet segment: där fler segment slutar göra segmenten tätare (armbåge: {elbow}), där de slutar tillföra mer struktur än jämförbara data utan segment (gap: {gap}), och det högsta antal som nya anpassningar på slumpvisa urval återskapar (stabilitet minst {st}: {stable}). Förslaget tar det mittersta, {k}.",
    basis_separated: "Bland kandidaterna där varje segment skiljs från sitt närmaste segment av en dal i kundtätheten (dal under {v}) ligger {id} närmast; ett segment utan en sådan dal vore en grupp delad i två.",
    basis_none_separated: "Ingen godkänd kandidat skiljer varje segment från det närmaste med en dal i tätheten (dal under {v}), så {id} är den godkända kandidat som ligger närmast; segmenten går över i varandra.",
    valley: "Täthetsdal",
    flagged_line: "{n} kunder returnerar minst två tredjedelar av vad de köper i värde över tre eller fler order; de listas i flagged_customers för undantag, oavsett segment.",
    method_features: "{n} variabler per kund i fyra grupper (beteende, surfande, psykografi från enkäten, demografi och geografi); katalogen med alla formler finns i docs/features.md.",
    method_prepare: "Förberedelse: andelar som bygger på få ordrar, visningar eller sessioner dragna mot butikens egen andel; log1p av belopp, antal och dagar; winsorisering; standard- eller robust skalning, ett saknat värde satt till kolumnens mittpunkt; one-hot-kodning med sällsynta nivåer sammanslagna; varje grupp av egenskaper viktad som en grupp; nästan identiska kolumner sammanslagna. Matrisen har {cols} kolumner.",
    method_algorithms: "Kandidater: k-means (k-means++-start, Lloyd-iterationer med Elkans gränser) för k = {kmin}–{kmax} med flera frön vardera och bootstrap-anpassningar för stabilitet; DBSCAN på huvudkomponenterna, eps från knät i k-avståndskurvan. {n} kandidater totalt.",
    method_repro: "Frö {seed}; segmint {version}; referensdatum {as_of}. Samma data och frö ger byte-identiska resultat.",
    generated_by: "Skapad med segmint",
    as_of: "Referensdatum",
    chart_sizes: "Segmentens storlek och deras andel av omsättning och vinst",
    chart_heatmap: "Det här utmärker segmenten (lyft i standardavvikelser)",
    chart_k: "Val av antal segment",
    chart_kdist: "DBSCAN: k-avståndskurva och valt eps",
    chart_map: "Segmentkarta (de två första huvudkomponenterna)",
    chart_whale: "Valkurva: ackumulerad vinst efter kundrangordning",
    chart_returns: "Returandel och omsättning per segment",
    chart_boxes: "Fördelning av nyckelvariabler per segment",
    axis_k: "Antal segment (k)",
    axis_inertia: "Tröghet",
    axis_share: "Andel",
    axis_rows_sorted: "Kunder, sorterade efter avstånd",
    axis_kth: "Avstånd till k:e grannen",
    axis_pc: "Huvudkomponent",
    axis_customers_ranked: "Kunder rangordnade efter vinst (andel)",
    axis_cum_profit: "Ackumulerad vinst (andel av total)",
    elbow: "armbåge",
    chosen_short: "vald",
    eps: "eps",
    centroid: "centroid",
    flagged: "flaggad",
    all_customers: "alla kunder",
    bubble_note: "bubblans storlek = kunder",
};

/// Danish.
pub const DA: Texts = Texts {
    title: "Kundesegmenter",
    summary: "Resumé",
    segments: "Segmenter",
    chosen: "Sådan blev segmenterne valgt",
    data_quality: "Datakvalitet",
    method: "Metode",
    charts: "Diagrammer",
    segment: "Segment",
    customers: "Kunder",
    customer_share: "Andel kunder",
    revenue_share: "Andel af omsætningen",
    profit_share: "Andel af fortjenesten",
    net_revenue: "Nettoomsætning",
    profit: "Returjusteret fortjeneste",
    profit_margin: "Fortjenstmargen",
    return_rate: "Returandel (værdi)",
    aov: "Gennemsnitlig ordreværdi",
    revenue_per_customer: "Nettoomsætning pr. kunde (logaritmisk skala)",
    orders_per_customer: "Ordrer pr. kunde",
    recency: "Dage siden seneste ordre (median)",
    distinguishing: "Det adskiller dem",
    survey_profile: "Svar på spørgeskemaet",
    composition: "Overrepræsenterede grupper",
    actions: "Foreslåede tiltag",
    flags: "Flag",
    feature: "Variabel",
    mean: "Gennemsnit",
    base_mean: "Alle kunder",
    lift: "Løft (SD)",
    share_in_segment: "I segmentet",
    share_in_base: "Alle kunder",
    candidate: "Kandidat",
    algorithm: "Algoritme",
    silhouette: "Silhuet",
    stability: "Stabilitet",
    smallest: "Mindste segment",
    unassigned: "Ikke tildelt",
    composite: "Samlet score",
    eligible: "Kvalificeret",
    fails: "Regler, der ikke er opfyldt",
    chosen_mark: "valgt",
    yes: "ja",
    no: "nej",
    table: "Tabel",
    file: "Fil",
    rows_read: "Rækker læst",
    rows_used: "Rækker brugt",
    rows_skipped: "Rækker udeladt",
    reason: "Årsag",
    missing_values: "Manglende værdier",
    missing_share: "Mangler",
    excluded: "Kunder uden segment",
    flagged_customers: "Kunder markeret for mange returneringer",
    high: "Høj",
    low: "Lav",
    survey_item: "Spørgeskema",
    category_share: "Købsandel",
    channel_share: "Kanalandel",
    survey_factor: "Faktor",
    keep_regular: "Behold i almindelige kampagner; byg på det, der adskiller dem",
    nothing_stands_out: "intet skiller sig ud",
    summary_line: "{n} kunder fordeler sig på {k} segmenter.",
    desc_shares: "{share} af kunderne, {rev} af omsætningen, {profit} af fortjenesten",
    desc_no_orders: "næsten ingen ordrer",
    desc_sessions: "{s} sessioner i gennemsnit",
    desc_orders_every: "{f} ordrer hver, én hver {d}. dag",
    desc_orders: "{f} ordrer hver",
    desc_recency: "seneste ordre for {r} dage siden (median)",
    desc_returned: "{rr} af værdien returneret",
    customer_high_returns: "returnerede {rr} af købsværdien på {n} ordrer (tærskel {t} ved mindst {min} ordrer)",
    flag_low_profit: "Lav fortjeneste, mange returneringer",
    flag_low_profit_msg: "{share} af kunderne står for {rev} af omsætningen, men kun {profit} af fortjenesten: de returnerer {rr} i værdi (alle kunder: {base}). Hvis returandelen faldt til niveauet for alle kunder, ville fortjenesten stige med omkring {impact}.",
    flag_media: " Betalte medier brugt på dem: omkring {m} om året.",
    flag_vip: "VIP",
    flag_vip_msg: "Det mest værdifulde segment: {share} af kunderne, {profit} af fortjenesten.",
    flag_churn: "Risiko for frafald",
    flag_churn_msg: "Seneste ordre for {r} dage siden (median), {x}× deres sædvanlige {i} dage mellem ordrer.",
    flag_discount: "Rabatafhængighed",
    flag_discount_msg: "{d} af deres ordrer har rabat.",
    no_flags: "Intet segment er markeret.",
    proposal_line: "Forslag: {id} med {k} segmenter.",
    rule: "En kandidat er kvalificeret, når den har 2–{max} segmenter, hver med mindst {min_share} af kunderne, højst {max_noise} uden segment og en stabilitet på mindst {min_st} (hvor godt nye tilpasninger på tilfældige udsnit af 80 % af kunderne stemmer med den). Antallet af segmenter er det midterste af tre måder at se det på: albuen i spredningen inden for segmenterne, knækket i gap-statistikken (hvor meget tættere segmenterne er end i sammenlignelige data uden segmenter) og det højeste antal med en stabilitet på mindst 0,90; den kvalificerede k-means-kandidat nærmest dette foreslås, helst blandt dem, hvor hvert segment er adskilt fra sit nærmeste segment af en dal i kundetætheden (tæthedsdal under {valley}). Silhuet, Calinski–Harabasz og Davies–Bouldin vises til sammenligning (gennemsnitlig placering som samlet score). Er ingen opdeling tydeligt tættere end i data uden segmenter eller adskilt af en tæthedsdal, siger rapporten det og foreslår i stedet den mest stabile brugbare opdeling.",
    preferred_k: "Antallet af segmenter, hvert indeks foretrækker alene: {list}.",
    indices_agree: "Indeksene er enige.",
    indices_disagree: "Indeksene er uenige; forslaget følger reglen ovenfor, ikke ét enkelt indeks.",
    excluded_line: "{n} kunder ({share}) er ikke i noget segment: DBSCAN fandt dem for langt fra alle tætte grupper (støj). De indgår i alle totaler som »ikke tildelt«.",
    excluded_none: "Alle kunder er i et segment.",
    rule_more_than: "flere end {n} segmenter",
    rule_fewer_than: "færre end {n} segmenter",
    rule_no_stability: "ingen stabilitetsværdi",
    rule_too_many: "{n} segmenter, flere end {max}",
    rule_small: "mindste segment {share} < {min}",
    rule_noise: "{share} uden segment > {max}",
    rule_unstable: "stabilitet {st} < {min}",
    basis_forced: "Antallet af segmenter ({k}) er valgt af analytikeren; indeksene nedenfor vises til sammenligning.",
    basis_rank_vote: "{id} klarer sig bedst på de fire indeks samlet blandt de {n} kandidater, der opfylder alle regler.",
    basis_actionable: "{id} foreslås som den mest brugbare opdeling, ikke som segmenter fundet i data: blandt kandidaterne med {lo}–{hi} segmenter, der opfylder alle regler, er den mest stabil ({st}).",
    basis_none_eligible: "Ingen kandidat opfylder alle regler. {id} klarer sig bedst på indeksene, men opfylder ikke: {fails}.",
    structure_clear: "Segmenterne er tydeligt tættere end i sammenlignelige data uden segmenter (gap {gap} ved {k} segmenter, standardfejl {se}).",
    structure_none: "Data viser ingen tydelige segmenter: ingen opdeling er tydeligt tættere end i sammenlignelige data uden segmenter (største gap {gap}, standardfejl {se}). Se segmenterne som en praktisk gruppering af en sammenhængende kundebase.",
    structure_continuous: "Data viser ingen tydelige segmenter: kunderne ligger tættere samlet end i sammenlignelige data uden segmenter, men ingen opdeling har en tyndt befolket zone mellem segmenterne (laveste tæthedsdal er {valley}; adskilte segmenter ligger under {max}). Se segmenterne som en praktisk gruppering af en sammenhængende kundebase.",
    few_rank_lower: "De fleste indeks foretrækker 4 eller flere segmenter; den bedste af dem, {id}, klarer sig dårligere på indeksene samlet ({c} mod {chosen}).",
    few_not_eligible: "De fleste indeks foretrækker 4 eller flere segmenter, men ingen af dem opfylder alle regler ({id}: {fails}).",
    runner_up: "Næstbedst: {id}.",
    gap_statistic: "gap-statistik",
    most_stable_k: "mest stabil",
    basis_consensus: "{id} følger tre måder at se på antallet af segmenter: hvor flere segmenter holder op med at gøre segmenterne tættere (albue: {elbow}), hvor de holder op med at tilføre mere struktur end sammenlignelige data uden segmenter (gap: {gap}), og det højeste antal, som nye tilpasninger på tilfældige udsnit genskaber (stabilitet mindst {st}: {stable}). Forslaget tager det midterste, {k}.",
    basis_separated: "Blandt kandidaterne, hvor hvert segment er adskilt fra sit nærmeste segment af en dal i kundetætheden (dal under {v}), ligger {id} nærmest; et segment uden en sådan dal ville være én gruppe delt i to.",
    basis_none_separated: "Ingen kvalificeret kandidat adskiller hvert segment fra det nærmeste med en dal i tætheden (dal under {v}), så {id} er den kvalificerede kandidat, der ligger nærmest; segmenterne glider over i hinanden.",
    valley: "Tæthedsdal",
    flagged_line: "{n} kunder returnerer mindst to tredjedele af det, de køber, i værdi over tre eller flere ordrer; de står i flagged_customers til udeladelse, uanset segment.",
    method_features: "{n} variabler pr. kunde i fire grupper (adfærd, browsing, psykografi fra spørgeskemaet, demografi og geografi); kataloget med alle formler er docs/features.md.",
    method_prepare: "Forberedelse: andele, der bygger på få ordrer, visninger eller sessioner, trukket mod butikkens egen andel; log1p af beløb, antal og dage; winsorisering; standard- eller robust skalering, en manglende værdi sat til kolonnens midtpunkt; one-hot-kodning med sjældne niveauer slået sammen; hver gruppe af kendetegn vægtet som en gruppe; næsten ens kolonner slået sammen. Matricen har {cols} kolonner.",
    method_algorithms: "Kandidater: k-means (k-means++-start, Lloyd-iterationer med Elkans grænser) for k = {kmin}–{kmax} med flere frø hver og bootstrap-tilpasninger for stabilitet; DBSCAN på hovedkomponenterne, eps fra knæet i k-afstandskurven. {n} kandidater i alt.",
    method_repro: "Frø {seed}; segmint {version}; referencedato {as_of}. Samme data og frø giver byte-identiske resultater.",
    generated_by: "Lavet med segmint",
    as_of: "Referencedato",
    chart_sizes: "Segmenternes størrelse og deres andel af omsætning og fortjeneste",
    chart_heatmap: "Det adskiller segmenterne (løft i standardafvigelser)",
    chart_k: "Valg af antal segmenter",
    chart_kdist: "DBSCAN: k-afstandskurve og valgt eps",
    chart_map: "Segmentkort (de to første hovedkomponenter)",
    chart_whale: "Hvalkurve: akkumuleret fortjeneste efter kunderangering",
    chart_returns: "Returandel og omsætning pr. segment",
    chart_boxes: "Fordeling af nøglevariabler pr. segment",
    axis_k: "Antal segmenter (k)",
    axis_inertia: "Inerti",
    axis_share: "Andel",
    axis_rows_sorted: "Kunder, sorteret efter afstand",
    axis_kth: "Afstand til k'te nabo",
    axis_pc: "Hovedkomponent",
    axis_customers_ranked: "Kunder rangeret efter fortjeneste (andel)",
    axis_cum_profit: "Akkumuleret fortjeneste (andel af total)",
    elbow: "albue",
    chosen_short: "valgt",
    eps: "eps",
    centroid: "centroide",
    flagged: "markeret",
    all_customers: "alle kunder",
    bubble_note: "boblestørrelse = kunder",
};

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

    proptest::proptest! {
        /// Whatever the language, removing the grouping and reading the decimal mark back
        /// gives Rust's own rounding of the number.
        #[test]
        fn numbers_read_back(x in -1e12f64..1e12, decimals in 0usize..4) {
            for lang in [Lang::En, Lang::Nb, Lang::Sv, Lang::Da] {
                let (group, point) = lang.separators();
                let s = lang.number(x, decimals);
                let plain: String = s
                    .replace(group, "")
                    .replace('−', "-")
                    .chars()
                    .map(|c| if c == point { '.' } else { c })
                    .collect();
                let want = format!("{:.*}", decimals, x);
                let want = if want.trim_start_matches('-').chars().all(|c| c == '0' || c == '.') {
                    want.trim_start_matches('-').to_string()
                } else {
                    want
                };
                proptest::prop_assert_eq!(plain, want, "{:?} {}", lang, s);
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
            "Avhoppade, hög dagar sedan senaste order"
        );
        assert_eq!(
            Lang::Da.segment_name(&name(NameKind::Feature {
                feature: "sessions".into(),
                direction: Direction::High
            })),
            "Høj sessioner"
        );
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
            "Behold i almindelige kampagner; byg på det, der adskiller dem (gennemsnitlig ordreværdi)"
        );
        assert_eq!(
            Lang::Sv.action(&Action::LimitDiscounts),
            "Begränsa generella rabatter; testa fullpriserbjudanden och paket"
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
            "Lapsed, low average order value"
        );
        assert_eq!(
            Lang::Nb.segment_name(&lapsed),
            "Frafalne, lav gjennomsnittlig ordreverdi"
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
            profit_share: 0.02,
            return_rate: 0.88,
            base_return_rate: 0.28,
            impact_profit: 2801729.6,
            media_spend_at_risk: Some(12345.4),
        };
        let churn = FlagFacts::ChurnRisk {
            recency_days: 120.0,
            interpurchase_days: 40.0,
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
                "10% of customers bring 27% of revenue but 2% of profit: they return 88% by value (all customers: 28%). If their return rate fell to the base rate, profit would rise by about 2801730; paid media spent on them: about 12345 a year.",
            ),
            (
                Lang::En.flag_message(&low),
                "10% of customers bring 27% of revenue but 2% of profit: they return 88% by value (all customers: 28%). If their return rate fell to the base rate, profit would rise by about 2,801,730. Paid media spent on them: about 12,345 a year.",
            ),
            (
                flag_plain_message(&churn),
                "Last order 120 days ago (median), 3.0× their usual 40 days between orders",
            ),
            (
                Lang::Nb.flag_message(&churn),
                "Siste ordre for 120 dager siden (median), 3,0× deres vanlige 40 dager mellom ordrer.",
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
                if !matches!(kind, NameKind::Given(_)) {
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
        for facts in FlagFacts::examples() {
            let kind = facts.kind();
            assert_eq!(serde_json::to_value(kind).unwrap(), kind.id());
            let en = (Lang::En.flag_label(kind), Lang::En.flag_message(&facts));
            assert!(!en.0.is_empty() && !en.1.is_empty(), "{kind:?}");
            assert!(!flag_plain_message(&facts).is_empty(), "{kind:?}");
            for lang in langs {
                let (label, message) = (lang.flag_label(kind), lang.flag_message(&facts));
                assert!(!label.trim().is_empty() && !message.trim().is_empty());
                if kind != FlagKind::Vip {
                    assert_ne!(label, en.0, "{kind:?} {lang:?} is English");
                }
                assert_ne!(message, en.1, "{kind:?} {lang:?} is English");
            }
        }
    }

    /// Words the Scandinavian texts share with English (Swedish `order`, `median`, ...) or
    /// that are ids (`as_of`).
    const SHARED_WORDS: &[&str] = &["order", "median", "id", "as_of", "vip"];

    /// Fails when `text` (in `lang`) holds a word of its English rendering `en`, the
    /// [`SHARED_WORDS`] aside.
    fn assert_not_english(lang: Lang, en: &str, text: &str) {
        let words = |s: &str| -> Vec<String> {
            s.split(|c: char| !c.is_alphabetic() && c != '_')
                .filter(|w| w.chars().count() > 1)
                .map(str::to_lowercase)
                .collect()
        };
        let theirs = words(text);
        for w in words(en) {
            if !SHARED_WORDS.contains(&w.as_str()) {
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
            let en = Lang::En.description(&facts);
            assert!(!en.trim().is_empty(), "{facts:?}");
            assert!(!description_plain(&facts).trim().is_empty(), "{facts:?}");
            for lang in [Lang::Nb, Lang::Sv, Lang::Da] {
                let text = lang.description(&facts);
                assert!(!text.trim().is_empty(), "{facts:?} {lang:?}");
                assert_not_english(lang, &en, &text);
            }
        }
        let [browsing, bare, regular, _] = DescriptionFacts::examples();
        // The plain English of segments.json: as segmint wrote it before the facts.
        assert_eq!(
            description_plain(&regular),
            "12% of customers, 30% of revenue, 25% of profit; 3.1 orders each, one every 40 days; last order 120 days ago (median); 8% returned by value"
        );
        assert_eq!(
            description_plain(&bare),
            "12% of customers, 30% of revenue, 25% of profit; almost no orders"
        );
        assert_eq!(
            Lang::Nb.description(&regular),
            "12\u{a0}% av kundene, 30\u{a0}% av omsetningen, 25\u{a0}% av fortjenesten; 3,1 ordrer hver, én hver 40. dag; siste ordre for 120 dager siden (median); 8\u{a0}% av verdien returnert."
        );
        assert_eq!(
            Lang::Sv.description(&browsing),
            "12\u{a0}% av kunderna, 30\u{a0}% av omsättningen, 25\u{a0}% av vinsten; nästan inga order; 7 sessioner i snitt; senaste order för 120 dagar sedan (median); 8\u{a0}% av värdet returnerat."
        );
        let big = DescriptionFacts {
            share: 0.5,
            revenue_share: 0.5,
            profit_share: -0.02,
            orders: OrderPattern::Orders { frequency: 1.26 },
            recency_days: Some(1234.4),
            return_rate_value: None,
        };
        assert_eq!(
            Lang::Da.description(&big),
            "50\u{a0}% af kunderne, 50\u{a0}% af omsætningen, −2\u{a0}% af fortjenesten; 1,3 ordrer hver; seneste ordre for 1.234 dage siden (median)."
        );
        assert_eq!(
            description_plain(&big),
            "50% of customers, 50% of revenue, -2% of profit; 1.3 orders each; last order 1234 days ago (median)"
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
        let flag = CustomerFlag::HighReturns {
            return_rate: 0.7549,
            orders: 1204.0,
            threshold: 2.0 / 3.0,
            min_orders: 3,
        };
        assert_eq!(
            customer_flag_plain(&flag),
            "returned 75% of the value bought over 1204 orders (threshold 67% over at least 3)"
        );
        assert_eq!(
            Lang::En.customer_flag(&flag),
            "returned 75% of the value bought over 1,204 orders (threshold 67% over at least 3)"
        );
        assert_eq!(
            Lang::Nb.customer_flag(&flag),
            "returnerte 75\u{a0}% av kjøpsverdien på 1\u{a0}204 ordrer (terskel 67\u{a0}% ved minst 3 ordrer)"
        );
        assert_eq!(
            Lang::Da.customer_flag(&flag),
            "returnerede 75\u{a0}% af købsværdien på 1.204 ordrer (tærskel 67\u{a0}% ved mindst 3 ordrer)"
        );
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
            "customer first seen after the reference date (as_of)"
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

static CAMPAIGN_EN: CampaignTexts = CampaignTexts {
    lift_title: "Revenue per customer: lift against the control group ({level} intervals)",
    lift_axis: "relative lift (treatment / control − 1)",
    overall: "All (weighted by size)",
    alluvial_title: "Where the customers went: {from} → {to}",
    new: "New",
    gone: "Gone",
    lift_heading: "Campaign lift per segment",
    lift_intro: "Intention to treat: {treatment} customers were sent the campaign and {control} were held out; everyone counts, including those who did not buy. Revenue per customer is tested with Welch's t on values capped at the {winsor} percentile; intervals are {level}, from {resamples} bootstrap resamples; p-values are Holm-corrected across segments.",
    col_segment: "Segment",
    col_treatment: "Sent",
    col_control: "Held out",
    col_conversion: "Conversion, change (pp)",
    col_revenue: "Revenue per customer, change",
    col_relative: "Relative",
    col_p: "p (Holm)",
    significant: "significant",
    lift_overall: "Overall, weighted by segment size: {diff} per customer ({low} to {high}); incremental revenue {inc} ({inc_low} to {inc_high}).",
    compare_heading: "Segments over time",
    compare_intro: "{both} customers are in both runs, {new} are new and {gone} are gone. Under the earlier segmentation, {moved} of the customers in both runs changed segment; the later segments agree with the earlier model at an adjusted Rand index of {ari} (1 means the same segments).",
    col_earlier: "Earlier segment",
    col_later: "Later segment",
    col_customers: "Customers",
    col_net_revenue: "Net revenue",
    col_drift: "Changed most (standard deviations)",
    new_segment: "new segment",
    dissolved: "dissolved",
    results_heading: "Campaign results",
    migration_heading: "Migration between segments",
    migration_note: "Rows: the segments of {from}; columns: the segments of {to}. Each cell gives the customers who moved that way and their share of the row.",
    matched_heading: "Matched segments",
    col_match: "Match",
    col_incremental: "Incremental revenue",
    srm_warning: "The lists do not have the planned ratio (sample-ratio mismatch): find out why before trusting this segment's result.",
    window_from: "Orders dated {from} or later are counted.",
    window_range: "Orders dated {from} to {to} are counted.",
    window_outside: "{n} orders dated outside this period were not counted.",
};

static CAMPAIGN_NB: CampaignTexts = CampaignTexts {
    lift_title: "Omsetning per kunde: økning mot kontrollgruppen ({level} konfidensintervall)",
    lift_axis: "relativ økning (kampanjegruppe / kontrollgruppe − 1)",
    overall: "Alle (vektet etter størrelse)",
    alluvial_title: "Hvor kundene gikk: {from} → {to}",
    new: "Nye",
    gone: "Borte",
    lift_heading: "Kampanjeeffekt per segment",
    lift_intro: "Alle tildelte kunder teller: {treatment} kunder fikk kampanjen og {control} ble holdt utenfor, også de som ikke handlet. Omsetning per kunde testes med Welchs t-test på verdier kappet ved {winsor}-persentilen; intervallene er {level}, fra {resamples} bootstrap-trekk; p-verdiene er Holm-korrigert over segmentene.",
    col_segment: "Segment",
    col_treatment: "Fikk kampanjen",
    col_control: "Holdt utenfor",
    col_conversion: "Konvertering, endring (prosentpoeng)",
    col_revenue: "Omsetning per kunde, endring",
    col_relative: "Relativt",
    col_p: "p (Holm)",
    significant: "signifikant",
    lift_overall: "Samlet, vektet etter segmentstørrelse: {diff} per kunde ({low} til {high}); merinntekt {inc} ({inc_low} til {inc_high}).",
    compare_heading: "Segmentene over tid",
    compare_intro: "{both} kunder finnes i begge kjøringene, {new} er nye og {gone} er borte. Med den tidligere segmenteringen byttet {moved} av kundene i begge kjøringene segment; de nye segmentene samsvarer med den tidligere modellen med justert Rand-indeks {ari} (1 betyr de samme segmentene).",
    col_earlier: "Tidligere segment",
    col_later: "Nytt segment",
    col_customers: "Kunder",
    col_net_revenue: "Nettoomsetning",
    col_drift: "Endret mest (standardavvik)",
    new_segment: "nytt segment",
    dissolved: "oppløst",
    results_heading: "Kampanjeresultater",
    migration_heading: "Bevegelser mellom segmentene",
    migration_note: "Rader: segmentene per {from}; kolonner: segmentene per {to}. Hver celle viser kundene som flyttet seg slik, og hvor stor andel av raden de utgjør.",
    matched_heading: "Segmentene koblet over tid",
    col_match: "Likhet",
    col_incremental: "Merinntekt",
    srm_warning: "Listene har ikke den planlagte fordelingen mellom gruppene: finn ut hvorfor før du stoler på resultatet for dette segmentet.",
    window_from: "Ordrer datert {from} eller senere er tatt med.",
    window_range: "Ordrer datert fra og med {from} til og med {to} er tatt med.",
    window_outside: "{n} ordrer datert utenfor perioden er ikke tatt med.",
};

static CAMPAIGN_SV: CampaignTexts = CampaignTexts {
    lift_title: "Intäkt per kund: ökning jämfört med kontrollgruppen ({level} konfidensintervall)",
    lift_axis: "relativ ökning (kampanjgrupp / kontrollgrupp − 1)",
    overall: "Alla (viktat efter storlek)",
    alluvial_title: "Vart kunderna tog vägen: {from} → {to}",
    new: "Nya",
    gone: "Borta",
    lift_heading: "Kampanjeffekt per segment",
    lift_intro: "Alla tilldelade kunder räknas: {treatment} kunder fick kampanjen och {control} hölls utanför, även de som inte handlade. Intäkt per kund testas med Welchs t-test på värden kapade vid {winsor}-percentilen; intervallen är {level}, från {resamples} bootstrap-dragningar; p-värdena är Holm-korrigerade över segmenten.",
    col_segment: "Segment",
    col_treatment: "Fick kampanjen",
    col_control: "Hölls utanför",
    col_conversion: "Konvertering, förändring (procentenheter)",
    col_revenue: "Intäkt per kund, förändring",
    col_relative: "Relativt",
    col_p: "p (Holm)",
    significant: "signifikant",
    lift_overall: "Totalt, viktat efter segmentens storlek: {diff} per kund ({low} till {high}); merintäkt {inc} ({inc_low} till {inc_high}).",
    compare_heading: "Segmenten över tid",
    compare_intro: "{both} kunder finns i båda körningarna, {new} är nya och {gone} har försvunnit. Med den tidigare segmenteringen bytte {moved} av kunderna i båda körningarna segment; de nya segmenten stämmer överens med den tidigare modellen med justerat Rand-index {ari} (1 betyder samma segment).",
    col_earlier: "Tidigare segment",
    col_later: "Nytt segment",
    col_customers: "Kunder",
    col_net_revenue: "Nettointäkt",
    col_drift: "Ändrades mest (standardavvikelser)",
    new_segment: "nytt segment",
    dissolved: "upplöst",
    results_heading: "Kampanjresultat",
    migration_heading: "Rörelser mellan segmenten",
    migration_note: "Rader: segmenten per {from}; kolumner: segmenten per {to}. Varje cell visar kunderna som flyttade så och hur stor andel av raden de utgör.",
    matched_heading: "Segmenten kopplade över tid",
    col_match: "Likhet",
    col_incremental: "Merintäkt",
    srm_warning: "Listorna har inte den planerade fördelningen mellan grupperna: ta reda på varför innan du litar på resultatet för det här segmentet.",
    window_from: "Ordrar daterade {from} eller senare räknas med.",
    window_range: "Ordrar daterade från och med {from} till och med {to} räknas med.",
    window_outside: "{n} ordrar daterade utanför perioden räknades inte med.",
};

static CAMPAIGN_DA: CampaignTexts = CampaignTexts {
    lift_title: "Omsætning pr. kunde: stigning i forhold til kontrolgruppen ({level} konfidensinterval)",
    lift_axis: "relativ stigning (kampagnegruppe / kontrolgruppe − 1)",
    overall: "Alle (vægtet efter størrelse)",
    alluvial_title: "Hvor kunderne gik hen: {from} → {to}",
    new: "Nye",
    gone: "Væk",
    lift_heading: "Kampagneeffekt pr. segment",
    lift_intro: "Alle tildelte kunder tæller: {treatment} kunder fik kampagnen og {control} blev holdt udenfor, også dem, der ikke købte. Omsætning pr. kunde testes med Welchs t-test på værdier skåret ved {winsor}-percentilen; intervallerne er {level}, fra {resamples} bootstrap-træk; p-værdierne er Holm-korrigeret på tværs af segmenterne.",
    col_segment: "Segment",
    col_treatment: "Fik kampagnen",
    col_control: "Holdt udenfor",
    col_conversion: "Konvertering, ændring (procentpoint)",
    col_revenue: "Omsætning pr. kunde, ændring",
    col_relative: "Relativt",
    col_p: "p (Holm)",
    significant: "signifikant",
    lift_overall: "Samlet, vægtet efter segmenternes størrelse: {diff} pr. kunde ({low} til {high}); meromsætning {inc} ({inc_low} til {inc_high}).",
    compare_heading: "Segmenterne over tid",
    compare_intro: "{both} kunder findes i begge kørsler, {new} er nye og {gone} er væk. Med den tidligere segmentering skiftede {moved} af kunderne i begge kørsler segment; de nye segmenter stemmer overens med den tidligere model med justeret Rand-indeks {ari} (1 betyder de samme segmenter).",
    col_earlier: "Tidligere segment",
    col_later: "Nyt segment",
    col_customers: "Kunder",
    col_net_revenue: "Nettoomsætning",
    col_drift: "Ændret mest (standardafvigelser)",
    new_segment: "nyt segment",
    dissolved: "opløst",
    results_heading: "Kampagneresultater",
    migration_heading: "Bevægelser mellem segmenterne",
    migration_note: "Rækker: segmenterne pr. {from}; kolonner: segmenterne pr. {to}. Hver celle viser de kunder, der flyttede sig sådan, og hvor stor en andel af rækken de udgør.",
    matched_heading: "Segmenterne koblet over tid",
    col_match: "Lighed",
    col_incremental: "Meromsætning",
    srm_warning: "Listerne har ikke den planlagte fordeling mellem grupperne: find ud af hvorfor, før du stoler på resultatet for dette segment.",
    window_from: "Ordrer dateret {from} eller senere er talt med.",
    window_range: "Ordrer dateret fra og med {from} til og med {to} er talt med.",
    window_outside: "{n} ordrer dateret uden for perioden er ikke talt med.",
};

impl Lang {
    /// The campaign labels of this language (`segmint lift`, `segmint compare`).
    pub fn campaign(self) -> &'static CampaignTexts {
        match self {
            Lang::En => &CAMPAIGN_EN,
            Lang::Nb => &CAMPAIGN_NB,
            Lang::Sv => &CAMPAIGN_SV,
            Lang::Da => &CAMPAIGN_DA,
        }
    }
}
