//! Seed files: a segment's customers in an ad platform's customer-file format.
//!
//! Each written row is one customer with at least one usable identifier (a valid e-mail or
//! phone); names, zip and country go along where the mapping has them. Every identifier is
//! normalised and hashed as [`super::normalize`] describes; no plaintext e-mail, phone or name
//! is ever written. The columns per platform:
//!
//! | platform | header | hashed |
//! |---|---|---|
//! | Meta | `email,phone,fn,ln,zip,country,value` | all but `value` (the customer's value for value-based lookalikes, `[lookalike] value`, default return-adjusted profit; negative values are written as 0, since Meta takes none) |
//! | Google | `Email,Phone,First Name,Last Name,Country,Zip` | Email, Phone, First Name, Last Name; Country and Zip in clear, as Google asks (written only when first name, last name, country and postcode are all mapped: Google matches addresses on all four) |
//! | TikTok | `Email_SHA256,Phone_SHA256` | both |
//!
//! Columns the mapping cannot fill are left out. Every count adds up:
//! `members = written + excluded_returners + without_contact + without_identifier`.

use std::collections::{BTreeMap, BTreeSet};

use polars::prelude::DataFrame;
use serde::Serialize;

use super::csv_field;
use super::normalize::{
    country_code, normalize_email, normalize_name, normalize_phone, normalize_zip, phone_for,
    sha256_hex, PhoneProblem, Platform,
};
use crate::config::{Config, LookalikeOptions};
use crate::error::{Error, Result};
use crate::frame::column_str;
use crate::i18n::Lang;
use crate::model::SeedWarning;

/// Above this many matched customers the summary suggests a tighter seed.
pub const LARGE_SEED: usize = 50_000;

/// One customer's personal data as read from the customers table (plaintext; never written).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Contact {
    /// E-mail.
    pub email: Option<String>,
    /// Phone, as written.
    pub phone: Option<String>,
    /// First name.
    pub first_name: Option<String>,
    /// Last name.
    pub last_name: Option<String>,
    /// Postcode.
    pub postcode: Option<String>,
    /// Country, as written (code or name).
    pub country: Option<String>,
}

/// The customers' personal data by customer id, and which fields the mapping has.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Contacts {
    /// Customer id → personal data.
    pub by_id: BTreeMap<String, Contact>,
    /// Mapped fields among `email, phone, first_name, last_name, postcode, country`.
    pub mapped: BTreeSet<String>,
}

impl Contacts {
    /// From the `contacts` frame of ingest (`customer_id` and the mapped personal fields).
    pub fn from_frame(df: &DataFrame) -> Result<Contacts> {
        let ids = column_str(df, "customer_id")?;
        let field = |name: &str| -> Result<Option<Vec<Option<String>>>> {
            if df.column(name).is_ok() {
                Ok(Some(column_str(df, name)?))
            } else {
                Ok(None)
            }
        };
        let names = crate::ingest::CONTACT_FIELDS;
        let cols: Vec<Option<Vec<Option<String>>>> =
            names.iter().map(|n| field(n)).collect::<Result<_>>()?;
        let mapped = names
            .iter()
            .zip(&cols)
            .filter(|(_, c)| c.is_some())
            .map(|(n, _)| n.to_string())
            .collect();
        let mut by_id = BTreeMap::new();
        for (i, id) in ids.into_iter().enumerate() {
            let Some(id) = id else { continue };
            let get = |j: usize| cols[j].as_ref().and_then(|c| c[i].clone());
            by_id.insert(
                id,
                Contact {
                    email: get(0),
                    phone: get(1),
                    first_name: get(2),
                    last_name: get(3),
                    postcode: get(4),
                    country: get(5),
                },
            );
        }
        Ok(Contacts { by_id, mapped })
    }

    fn has(&self, field: &str) -> bool {
        self.mapped.contains(field)
    }
}

/// Checks that the mapping can give seeds: a `[customers]` table with an e-mail or phone
/// column. The message names the mapping entries needed.
pub fn check_mapping(config: &Config) -> Result<()> {
    let file = config.source.display();
    match &config.mapping.customers {
        None => Err(Error::Mapping(format!(
            "seed files need the customers' e-mail or phone, and {file} has no [customers] table: \
             add [customers] with `path = \"<customers file>\"` and, under [customers.columns], \
             `customer_id`, `email = \"<e-mail column>\"` and/or `phone = \"<phone column>\"` \
             (first_name, last_name, postcode and country improve the match)"
        ))),
        Some(c) if c.columns.email.is_none() && c.columns.phone.is_none() => {
            Err(Error::Mapping(format!(
                "seed files need the customers' e-mail or phone, and {file} maps neither: add \
                 `email = \"<e-mail column>\"` and/or `phone = \"<phone column>\"` under \
                 [customers.columns] (first_name, last_name, postcode and country improve the match)"
            )))
        }
        Some(_) => Ok(()),
    }
}

/// Options of one seed or exclusion file.
#[derive(Debug, Clone, PartialEq)]
pub struct SeedOptions {
    /// Target platform.
    pub platform: Platform,
    /// Keep flagged high-return customers in the seed (default: excluded).
    pub keep_returners: bool,
    /// `[lookalike]` of the mapping.
    pub lookalike: LookalikeOptions,
}

/// What happened to the identifiers of the customers considered.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct IdentifierCounts {
    /// Rows with a hashed e-mail.
    pub emails_written: usize,
    /// Rows with a hashed phone.
    pub phones_written: usize,
    /// Customers without an e-mail.
    pub emails_missing: usize,
    /// E-mails that are not addresses (dropped).
    pub emails_invalid: usize,
    /// Customers without a phone.
    pub phones_missing: usize,
    /// Phones with letters or other characters (dropped).
    pub phones_not_a_number: usize,
    /// Local phones whose country is unknown and no `default_country_code` is set (dropped).
    pub phones_without_country_code: usize,
    /// Phones too short or too long for their country (dropped).
    pub phones_wrong_length: usize,
}

/// What a seed file is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SeedKind {
    /// A segment's members, for the platform to find people like them.
    Seed,
    /// The flagged high-return customers, for the platform to leave out.
    Exclusions,
}

/// The counts of one seed (or exclusion) file. They add up:
/// `members = written + excluded_returners + without_contact + without_identifier`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SeedSummary {
    /// `seed` or `exclusions`.
    pub kind: SeedKind,
    /// Target platform.
    pub platform: Platform,
    /// Segment id (seeds) or `flagged` (exclusions).
    pub segment: String,
    /// Segment name.
    pub segment_name: String,
    /// Customers considered (segment members, or flagged customers).
    pub members: usize,
    /// Flagged high-return members left out (0 with `--keep-returners` and for exclusions).
    pub excluded_returners: usize,
    /// Flagged high-return members kept because of `--keep-returners`.
    pub kept_returners: usize,
    /// Members with no row in the customers table (e.g. visitors known only from browsing).
    pub without_contact: usize,
    /// Members whose row has neither a usable e-mail nor a usable phone.
    pub without_identifier: usize,
    /// Rows written (matched: at least one usable identifier).
    pub written: usize,
    /// The platform's minimum.
    pub minimum: usize,
    /// Identifier details.
    pub identifiers: IdentifierCounts,
    /// Meta value column: its feature, if written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value_feature: Option<String>,
    /// Meta value column: negative values written as 0.
    pub values_clamped: usize,
    /// The file's columns.
    pub columns: Vec<String>,
    /// Warnings (large seed, exclusion list below the platform minimum, ...; worded by
    /// [`crate::i18n::Lang::seed_warning`]).
    pub warnings: Vec<SeedWarning>,
}

/// A written seed or exclusion file: the CSV bytes and its counts.
#[derive(Debug, Clone, PartialEq)]
pub struct SeedFile {
    /// The customer file (CSV, UTF-8).
    pub bytes: Vec<u8>,
    /// Its counts.
    pub summary: SeedSummary,
}

/// Which columns a platform's file gets, given what the mapping has.
fn columns(platform: Platform, contacts: &Contacts, value: bool) -> Vec<&'static str> {
    let mut out = Vec::new();
    match platform {
        Platform::Meta => {
            for (field, header) in [
                ("email", "email"),
                ("phone", "phone"),
                ("first_name", "fn"),
                ("last_name", "ln"),
                ("postcode", "zip"),
                ("country", "country"),
            ] {
                if contacts.has(field) {
                    out.push(header);
                }
            }
            if value {
                out.push("value");
            }
        }
        Platform::Google => {
            if contacts.has("email") {
                out.push("Email");
            }
            if contacts.has("phone") {
                out.push("Phone");
            }
            if ["first_name", "last_name", "country", "postcode"]
                .iter()
                .all(|f| contacts.has(f))
            {
                out.extend(["First Name", "Last Name", "Country", "Zip"]);
            }
        }
        Platform::Tiktok => {
            if contacts.has("email") {
                out.push("Email_SHA256");
            }
            if contacts.has("phone") {
                out.push("Phone_SHA256");
            }
        }
    }
    out
}

/// One customer's identifiers, normalised (and hashed where the platform hashes) for
/// `platform`, keyed by the platform's column header. `None` when neither the e-mail nor the
/// phone is usable. Counts what was missing or dropped.
pub fn identifiers(
    platform: Platform,
    contact: &Contact,
    opts: &LookalikeOptions,
    counts: &mut IdentifierCounts,
) -> Option<BTreeMap<&'static str, String>> {
    let mut row = BTreeMap::new();
    let email = match contact.email.as_deref() {
        None => {
            counts.emails_missing += 1;
            None
        }
        Some(e) => {
            let gmail = platform == Platform::Google && opts.gmail_remove_dots;
            let n = normalize_email(e, gmail);
            if n.is_none() {
                counts.emails_invalid += 1;
            }
            n
        }
    };
    let country = contact.country.as_deref().and_then(country_code);
    let phone = match contact.phone.as_deref() {
        None => {
            counts.phones_missing += 1;
            None
        }
        Some(p) => {
            match normalize_phone(p, country.as_deref(), opts.default_country_code.as_deref()) {
                Ok(None) => {
                    counts.phones_missing += 1;
                    None
                }
                Ok(Some(d)) => Some(phone_for(platform, &d)),
                Err(PhoneProblem::NotANumber) => {
                    counts.phones_not_a_number += 1;
                    None
                }
                Err(PhoneProblem::NoCountryCode) => {
                    counts.phones_without_country_code += 1;
                    None
                }
                Err(PhoneProblem::WrongLength) => {
                    counts.phones_wrong_length += 1;
                    None
                }
            }
        }
    };
    if email.is_none() && phone.is_none() {
        return None;
    }
    let (email_col, phone_col) = match platform {
        Platform::Meta => ("email", "phone"),
        Platform::Google => ("Email", "Phone"),
        Platform::Tiktok => ("Email_SHA256", "Phone_SHA256"),
    };
    if let Some(e) = email {
        counts.emails_written += 1;
        row.insert(email_col, sha256_hex(&e));
    }
    if let Some(p) = phone {
        counts.phones_written += 1;
        row.insert(phone_col, sha256_hex(&p));
    }
    let first = contact
        .first_name
        .as_deref()
        .and_then(|n| normalize_name(platform, n));
    let last = contact
        .last_name
        .as_deref()
        .and_then(|n| normalize_name(platform, n));
    let zip = contact
        .postcode
        .as_deref()
        .and_then(|z| normalize_zip(platform, z));
    match platform {
        Platform::Meta => {
            for (k, v) in [("fn", first), ("ln", last), ("zip", zip)] {
                if let Some(v) = v {
                    row.insert(k, sha256_hex(&v));
                }
            }
            if let Some(c) = &country {
                row.insert("country", sha256_hex(&c.to_lowercase()));
            }
        }
        Platform::Google => {
            for (k, v) in [("First Name", first), ("Last Name", last)] {
                if let Some(v) = v {
                    row.insert(k, sha256_hex(&v));
                }
            }
            // Sent in clear, as Google asks.
            if let Some(c) = country {
                row.insert("Country", c);
            }
            if let Some(z) = zip {
                row.insert("Zip", z);
            }
        }
        Platform::Tiktok => {}
    }
    Some(row)
}

/// What a seed file is built from.
#[derive(Debug, Clone, Copy)]
pub struct SeedInput<'a> {
    /// Segment id (`1`, ...) or `flagged`.
    pub segment: &'a str,
    /// Segment name.
    pub segment_name: &'a str,
    /// Customer ids to consider.
    pub members: &'a [String],
    /// Customers flagged for high returns.
    pub flagged: &'a BTreeSet<String>,
    /// Personal data.
    pub contacts: &'a Contacts,
    /// Meta's value column: the feature and each customer's value.
    pub values: Option<(&'a str, &'a BTreeMap<String, f64>)>,
}

fn build(input: SeedInput, opts: &SeedOptions, kind: SeedKind) -> SeedFile {
    let platform = opts.platform;
    let value = platform == Platform::Meta && input.values.is_some() && kind == SeedKind::Seed;
    let cols = columns(platform, input.contacts, value);
    let mut members: Vec<&String> = input.members.iter().collect();
    members.sort();
    members.dedup();
    let mut s = SeedSummary {
        kind,
        platform,
        segment: input.segment.into(),
        segment_name: input.segment_name.into(),
        members: members.len(),
        excluded_returners: 0,
        kept_returners: 0,
        without_contact: 0,
        without_identifier: 0,
        written: 0,
        minimum: platform.minimum(),
        identifiers: IdentifierCounts::default(),
        value_feature: value
            .then(|| input.values.map(|v| v.0.to_string()))
            .flatten(),
        values_clamped: 0,
        columns: cols.iter().map(|c| c.to_string()).collect(),
        warnings: Vec::new(),
    };
    let mut out = cols.join(",");
    out.push('\n');
    for id in members {
        if kind == SeedKind::Seed && input.flagged.contains(id) {
            if opts.keep_returners {
                s.kept_returners += 1;
            } else {
                s.excluded_returners += 1;
                continue;
            }
        }
        let Some(contact) = input.contacts.by_id.get(id) else {
            s.without_contact += 1;
            continue;
        };
        let Some(mut row) = identifiers(platform, contact, &opts.lookalike, &mut s.identifiers)
        else {
            s.without_identifier += 1;
            continue;
        };
        if value {
            if let Some(v) = input.values.and_then(|(_, m)| m.get(id)) {
                if *v < 0.0 {
                    s.values_clamped += 1;
                }
                row.insert("value", format!("{:.2}", v.max(0.0)));
            }
        }
        let line: Vec<String> = cols
            .iter()
            .map(|c| row.get(c).map(|v| csv_field(v)).unwrap_or_default())
            .collect();
        out.push_str(&line.join(","));
        out.push('\n');
        s.written += 1;
    }
    SeedFile {
        bytes: out.into_bytes(),
        summary: s,
    }
}

/// Builds a segment's seed file. Flagged high-return customers are left out unless
/// `keep_returners`. Refuses (with the counts) when fewer customers than the platform's
/// minimum are matched; warns above [`LARGE_SEED`].
pub fn seed_file(input: SeedInput, opts: &SeedOptions) -> Result<SeedFile> {
    let mut f = build(input, opts, SeedKind::Seed);
    let s = &f.summary;
    if s.written < s.minimum {
        return Err(Error::Data(format!(
            "segment {} ({:?}) gives {} matched customers for {}, which needs at least {}: \
             {} members, {} flagged returners excluded, {} without a customers row, {} without a \
             usable e-mail or phone. Choose a larger segment{}{}",
            s.segment,
            s.segment_name,
            s.written,
            s.platform,
            s.minimum,
            s.members,
            s.excluded_returners,
            s.without_contact,
            s.without_identifier,
            if s.platform == Platform::Tiktok {
                ", or Meta or Google (they take 100)"
            } else {
                ""
            },
            if s.excluded_returners > 0 {
                ", or pass --keep-returners if the returners belong in it"
            } else {
                ""
            },
        )));
    }
    if s.written > LARGE_SEED {
        f.summary.warnings.push(SeedWarning::LargeSeed {
            written: s.written,
            above: LARGE_SEED,
        });
    }
    Ok(f)
}

/// Builds the exclusion (suppression) list: every flagged high-return customer, in the same
/// format (Meta without the value column). Never refused; warns when it is below the
/// platform's minimum, since the platform may not use so small a list.
pub fn exclusion_file(
    flagged: &BTreeSet<String>,
    contacts: &Contacts,
    opts: &SeedOptions,
) -> SeedFile {
    let members: Vec<String> = flagged.iter().cloned().collect();
    let input = SeedInput {
        segment: "flagged",
        segment_name: Lang::En.texts().flagged_customers,
        members: &members,
        flagged,
        contacts,
        values: None,
    };
    let mut f = build(input, opts, SeedKind::Exclusions);
    if f.summary.written < f.summary.minimum {
        let (w, m, p) = (f.summary.written, f.summary.minimum, f.summary.platform);
        f.summary.warnings.push(SeedWarning::ExclusionBelowMinimum {
            written: w,
            minimum: m,
            platform: p.to_string(),
        });
    }
    f
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contacts(n: usize) -> Contacts {
        let mut c = Contacts {
            mapped: crate::ingest::CONTACT_FIELDS
                .iter()
                .map(|s| s.to_string())
                .collect(),
            ..Default::default()
        };
        for i in 0..n {
            c.by_id.insert(
                format!("K{i:03}"),
                Contact {
                    email: (i % 10 != 0).then(|| format!("Person.{i}@Example.com")),
                    phone: match i % 10 {
                        0 => None,
                        1 => Some("12".into()),
                        _ => Some(format!("+47 4{i:07}")),
                    },
                    first_name: Some("Ola".into()),
                    last_name: Some("Nordmann".into()),
                    postcode: Some("0356".into()),
                    country: Some("NO".into()),
                },
            );
        }
        c
    }

    #[test]
    fn counts_add_up_and_returners_are_excluded() {
        let c = contacts(200);
        let members: Vec<String> = (0..200)
            .map(|i| format!("K{i:03}"))
            .chain(["V1".to_string()])
            .collect();
        let flagged: BTreeSet<String> = ["K005", "K006", "K010", "X9"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let values: BTreeMap<String, f64> = members.iter().map(|m| (m.clone(), -1.0)).collect();
        let opts = SeedOptions {
            platform: Platform::Meta,
            keep_returners: false,
            lookalike: LookalikeOptions::default(),
        };
        let input = SeedInput {
            segment: "1",
            segment_name: "All",
            members: &members,
            flagged: &flagged,
            contacts: &c,
            values: Some(("contribution_profit", &values)),
        };
        let f = seed_file(input, &opts).unwrap();
        let s = &f.summary;
        assert_eq!(s.members, 201);
        assert_eq!(s.excluded_returners, 3);
        assert_eq!(s.without_contact, 1);
        // Every tenth has neither e-mail nor phone (K010 is flagged, so 19 of 20).
        assert_eq!(s.without_identifier, 19);
        assert_eq!(
            s.members,
            s.written + s.excluded_returners + s.without_contact + s.without_identifier
        );
        assert_eq!(s.values_clamped, s.written);
        let text = String::from_utf8(f.bytes.clone()).unwrap();
        assert_eq!(text.lines().count(), s.written + 1);
        assert_eq!(
            text.lines().next(),
            Some("email,phone,fn,ln,zip,country,value")
        );
        assert!(!text.to_lowercase().contains("example.com") && !text.contains("ola"));
        // Keeping the returners.
        let keep = SeedOptions {
            keep_returners: true,
            ..opts.clone()
        };
        let k = seed_file(input, &keep).unwrap().summary;
        assert_eq!((k.excluded_returners, k.kept_returners), (0, 3));
        assert_eq!(k.written, s.written + 2);
        // TikTok needs 1,000.
        let tiktok = SeedOptions {
            platform: Platform::Tiktok,
            ..opts
        };
        let e = seed_file(input, &tiktok).unwrap_err().to_string();
        assert!(
            e.contains("needs at least 1000") && e.contains("Meta or Google"),
            "{e}"
        );
    }

    #[test]
    fn a_seed_above_50000_is_written_with_a_warning() {
        let mut c = Contacts {
            mapped: ["email"].iter().map(|s| s.to_string()).collect(),
            ..Default::default()
        };
        let members: Vec<String> = (0..=LARGE_SEED).map(|i| format!("K{i:06}")).collect();
        for m in &members {
            c.by_id.insert(
                m.clone(),
                Contact {
                    email: Some(format!("{m}@example.com")),
                    ..Default::default()
                },
            );
        }
        let opts = SeedOptions {
            platform: Platform::Tiktok,
            keep_returners: false,
            lookalike: LookalikeOptions::default(),
        };
        let input = SeedInput {
            segment: "1",
            segment_name: "Everyone",
            members: &members,
            flagged: &BTreeSet::new(),
            contacts: &c,
            values: None,
        };
        let f = seed_file(input, &opts).unwrap();
        assert_eq!(f.summary.written, LARGE_SEED + 1);
        assert_eq!(f.summary.columns, ["Email_SHA256"]);
        assert!(
            f.summary.warnings[0]
                == SeedWarning::LargeSeed {
                    written: LARGE_SEED + 1,
                    above: LARGE_SEED
                },
            "{:?}",
            f.summary.warnings
        );
    }
}
