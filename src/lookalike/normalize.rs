//! Identifier normalisation and SHA-256 hashing, per ad platform.
//!
//! The platforms match a customer file by hashing their own users' identifiers the same way
//! and comparing hashes, so a single stray capital or a `+` too many loses the match. What each
//! platform documents (looked up for this module; the issue's rules win where they are
//! stricter, and are noted):
//!
//! | identifier | Meta (customer list) | Google (Customer Match) | TikTok (customer file) |
//! |---|---|---|---|
//! | e-mail | trim, lowercase, SHA-256 | trim, lowercase, SHA-256 (optionally remove the dots before `@` of gmail.com / googlemail.com: `gmail_remove_dots`) | trim, lowercase, SHA-256 |
//! | phone | digits with country code, no `+`, no leading zeros; SHA-256 | E.164 (`+` and country code); SHA-256 | E.164 (`+` and country code, no spaces); SHA-256 |
//! | first / last name | lowercase letters only (no punctuation or spaces; accents kept, UTF-8); SHA-256 | lowercase, no spaces; SHA-256 | — |
//! | zip | lowercase, no spaces or dashes; SHA-256 | sent **unhashed**, as written (trimmed) | — |
//! | country | ISO 3166-1 alpha-2, lowercase; SHA-256 | ISO 3166-1 alpha-2, sent **unhashed** | — |
//!
//! Sources: Meta Business Help Centre "How to format a customer list" and the Marketing API
//! "Hashing and normalizing data" rules; Google Ads Help "Format your customer data file",
//! "Formatting guidelines for uploading hashed data" and "About Customer Match data matching"
//! ("Only the private customer data in your file (Email, Phone, First Name, and Last Name) will
//! be hashed, Country and Zip data won't be hashed"); TikTok Ads Manager Help "How to create a
//! Custom Audience with a customer file" (e-mail: remove spaces, lowercase; phone: E.164).
//! TikTok's older help page also asked to remove `+tags` and dots from the user part of
//! e-mails; the current page (September 2025) and the issue do not, so segmint does not.
//!
//! Phone numbers ([`normalize_phone`]): spaces, dashes, dots, slashes and parentheses are
//! removed (a `(0)` after the country code too); `+CC…` and `00CC…` are international; any
//! other number is local and gets the calling code of the customer's own country when known,
//! else `[lookalike] default_country_code`, with a leading trunk `0` dropped in countries that
//! dial one (Sweden, Finland, Germany, the UK, …; not Norway or Denmark). A number that is
//! still not plausible — letters, too short or too long for its country, or longer than
//! E.164's 15 digits — is invalid: dropped and counted, never guessed.

use sha2::{Digest, Sha256};

/// SHA-256 of a string's UTF-8 bytes as 64 lowercase hex digits.
pub fn sha256_hex(s: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let digest = Sha256::digest(s.as_bytes());
    let mut out = String::with_capacity(64);
    for b in digest.iter() {
        out.push(HEX[(b >> 4) as usize] as char);
        out.push(HEX[(b & 0xf) as usize] as char);
    }
    out
}

/// An ad platform whose customer-file format segmint writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Platform {
    /// Meta (Facebook, Instagram) customer list.
    Meta,
    /// Google Ads Customer Match.
    Google,
    /// TikTok customer file.
    Tiktok,
}

impl Platform {
    /// Parses `meta`, `google` or `tiktok` (any case).
    pub fn parse(s: &str) -> Option<Platform> {
        match s.to_ascii_lowercase().as_str() {
            "meta" | "facebook" => Some(Platform::Meta),
            "google" => Some(Platform::Google),
            "tiktok" => Some(Platform::Tiktok),
            _ => None,
        }
    }

    /// Lowercase name.
    pub fn name(self) -> &'static str {
        match self {
            Platform::Meta => "meta",
            Platform::Google => "google",
            Platform::Tiktok => "tiktok",
        }
    }

    /// Fewest matched rows the platform accepts for a seed audience (Meta 100, Google 100,
    /// TikTok 1,000).
    pub fn minimum(self) -> usize {
        match self {
            Platform::Meta | Platform::Google => 100,
            Platform::Tiktok => 1000,
        }
    }
}

impl std::fmt::Display for Platform {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Platform::Meta => "Meta",
            Platform::Google => "Google",
            Platform::Tiktok => "TikTok",
        })
    }
}

/// Normalises an e-mail address: trimmed, lowercased; `None` when it is not an address
/// (no single `@` with text on both sides and a dot in the domain, or spaces inside).
/// With `gmail_remove_dots`, dots before the `@` of gmail.com and googlemail.com addresses
/// are removed (Google's documented option).
pub fn normalize_email(raw: &str, gmail_remove_dots: bool) -> Option<String> {
    let e = raw.trim().to_lowercase();
    let (user, domain) = e.split_once('@')?;
    if user.is_empty()
        || domain.contains('@')
        || !domain.contains('.')
        || domain.starts_with('.')
        || domain.ends_with('.')
        || e.chars().any(char::is_whitespace)
    {
        return None;
    }
    if gmail_remove_dots && (domain == "gmail.com" || domain == "googlemail.com") {
        let user: String = user.chars().filter(|&c| c != '.').collect();
        if user.is_empty() {
            return None;
        }
        return Some(format!("{user}@{domain}"));
    }
    Some(e)
}

/// A country's calling code, whether it dials a trunk `0` before national numbers, and the
/// plausible lengths of its national significant numbers.
struct CountryPhone {
    iso: &'static str,
    code: &'static str,
    trunk_zero: bool,
    national: (usize, usize),
}

/// The countries segmint knows the numbering of (the Nordics first). Numbers of other
/// countries are checked against E.164's general limits only.
#[rustfmt::skip]
const PHONE_PLANS: &[CountryPhone] = &[
    CountryPhone { iso: "NO", code: "47", trunk_zero: false, national: (8, 8) },
    CountryPhone { iso: "SE", code: "46", trunk_zero: true, national: (7, 9) },
    CountryPhone { iso: "DK", code: "45", trunk_zero: false, national: (8, 8) },
    CountryPhone { iso: "FI", code: "358", trunk_zero: true, national: (5, 10) },
    CountryPhone { iso: "IS", code: "354", trunk_zero: false, national: (7, 7) },
    CountryPhone { iso: "DE", code: "49", trunk_zero: true, national: (6, 11) },
    CountryPhone { iso: "GB", code: "44", trunk_zero: true, national: (9, 10) },
    CountryPhone { iso: "NL", code: "31", trunk_zero: true, national: (9, 9) },
    CountryPhone { iso: "FR", code: "33", trunk_zero: true, national: (9, 9) },
    CountryPhone { iso: "BE", code: "32", trunk_zero: true, national: (8, 9) },
    CountryPhone { iso: "AT", code: "43", trunk_zero: true, national: (4, 13) },
    CountryPhone { iso: "CH", code: "41", trunk_zero: true, national: (9, 9) },
    CountryPhone { iso: "PL", code: "48", trunk_zero: false, national: (9, 9) },
    CountryPhone { iso: "ES", code: "34", trunk_zero: false, national: (9, 9) },
    CountryPhone { iso: "IT", code: "39", trunk_zero: false, national: (6, 11) },
    CountryPhone { iso: "EE", code: "372", trunk_zero: false, national: (7, 8) },
    CountryPhone { iso: "US", code: "1", trunk_zero: false, national: (10, 10) },
    CountryPhone { iso: "CA", code: "1", trunk_zero: false, national: (10, 10) },
];

fn plan_by_iso(iso: &str) -> Option<&'static CountryPhone> {
    PHONE_PLANS.iter().find(|p| p.iso == iso)
}

fn plan_by_code(code: &str) -> Option<&'static CountryPhone> {
    PHONE_PLANS.iter().find(|p| p.code == code)
}

/// The calling code of an ISO 3166-1 alpha-2 country, if segmint knows it.
pub fn calling_code(iso: &str) -> Option<&'static str> {
    plan_by_iso(&iso.to_ascii_uppercase()).map(|p| p.code)
}

/// Why a phone number could not be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhoneProblem {
    /// Letters or other characters that are not part of a phone number.
    NotANumber,
    /// A local number, and neither the customer's country nor a default calling code is known.
    NoCountryCode,
    /// Too short or too long for its country, or longer than E.164's 15 digits.
    WrongLength,
}

/// Normalises a phone number to its E.164 digits (country code and national number, without
/// the `+`): `Ok(None)` for an empty cell, `Err` for an invalid number. `country` is the
/// customer's own country (ISO alpha-2) when known; `default_code` completes local numbers
/// when it is not.
///
/// ```
/// use segmint::lookalike::normalize::normalize_phone;
/// assert_eq!(normalize_phone("+47 412 34 567", None, None), Ok(Some("4741234567".into())));
/// assert_eq!(normalize_phone("0047 41234567", None, None), Ok(Some("4741234567".into())));
/// assert_eq!(normalize_phone("412 34 567", None, Some("47")), Ok(Some("4741234567".into())));
/// assert_eq!(normalize_phone("070-123 45 67", Some("SE"), Some("47")), Ok(Some("46701234567".into())));
/// ```
pub fn normalize_phone(
    raw: &str,
    country: Option<&str>,
    default_code: Option<&str>,
) -> Result<Option<String>, PhoneProblem> {
    let s = raw.trim();
    if s.is_empty() {
        return Ok(None);
    }
    let s = s.replace("(0)", "");
    let mut plus = false;
    let mut digits = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '0'..='9' => digits.push(c),
            '+' if digits.is_empty() && !plus => plus = true,
            ' ' | '-' | '.' | '/' | '(' | ')' | '\u{a0}' | '\u{202f}' | '\t' => {}
            _ => return Err(PhoneProblem::NotANumber),
        }
    }
    if digits.is_empty() {
        return Err(PhoneProblem::NotANumber);
    }
    let international = if plus {
        Some(digits.clone())
    } else {
        digits.strip_prefix("00").map(str::to_string)
    };
    let e164 = match international {
        Some(d) => {
            // `+46 070…`: a trunk 0 kept after the country code of a country that dials one.
            match (1..=3)
                .filter_map(|n| d.get(..n).and_then(plan_by_code).map(|p| (n, p)))
                .next()
            {
                Some((n, p)) if p.trunk_zero && d[n..].starts_with('0') => {
                    format!("{}{}", p.code, &d[n + 1..])
                }
                _ => d,
            }
        }
        None => {
            let plan = country.and_then(|c| plan_by_iso(&c.trim().to_ascii_uppercase()));
            let code = match (plan, default_code) {
                (Some(p), _) => p.code,
                (None, Some(d)) => d,
                (None, None) => return Err(PhoneProblem::NoCountryCode),
            };
            let trunk = plan
                .or_else(|| plan_by_code(code))
                .is_some_and(|p| p.trunk_zero);
            let national = match digits.strip_prefix('0') {
                Some(rest) if trunk => rest,
                _ => digits.as_str(),
            };
            // Digits that already start with the country code (Meta's own format, e.g.
            // `4741234567`) when only that reading has a plausible length.
            let fits =
                |n: &str| plan.is_some_and(|p| (p.national.0..=p.national.1).contains(&n.len()));
            match digits.strip_prefix(code) {
                Some(rest) if !fits(national) && fits(rest) => digits.clone(),
                _ => format!("{code}{national}"),
            }
        }
    };
    if e164.starts_with('0') || !(8..=15).contains(&e164.len()) {
        return Err(PhoneProblem::WrongLength);
    }
    if let Some((n, p)) = (1..=3)
        .filter_map(|n| e164.get(..n).and_then(plan_by_code).map(|p| (n, p)))
        .next()
    {
        let len = e164.len() - n;
        if len < p.national.0 || len > p.national.1 {
            return Err(PhoneProblem::WrongLength);
        }
    }
    Ok(Some(e164))
}

/// A phone number as the platform wants it before hashing: Meta digits only (country code,
/// no `+`), Google and TikTok E.164 with `+`.
pub fn phone_for(platform: Platform, e164_digits: &str) -> String {
    match platform {
        Platform::Meta => e164_digits.to_string(),
        Platform::Google | Platform::Tiktok => format!("+{e164_digits}"),
    }
}

/// Normalises a first or last name: Meta keeps lowercase letters only (no spaces or
/// punctuation, accents kept); Google lowercases and removes spaces. `None` when nothing is
/// left.
pub fn normalize_name(platform: Platform, raw: &str) -> Option<String> {
    let lower = raw.trim().to_lowercase();
    let s: String = match platform {
        Platform::Meta => lower.chars().filter(|c| c.is_alphabetic()).collect(),
        _ => lower.chars().filter(|c| !c.is_whitespace()).collect(),
    };
    (!s.is_empty()).then_some(s)
}

/// Normalises a zip / postcode: for Meta lowercase without spaces or dashes (to be hashed);
/// for Google trimmed with inner spaces collapsed (sent unhashed, as Google asks).
pub fn normalize_zip(platform: Platform, raw: &str) -> Option<String> {
    let s: String = match platform {
        Platform::Meta => raw
            .trim()
            .to_lowercase()
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .collect(),
        _ => raw.split_whitespace().collect::<Vec<_>>().join(" "),
    };
    (!s.is_empty()).then_some(s)
}

/// Country names (English and Nordic) that are read as their ISO code.
const COUNTRY_NAMES: &[(&str, &str)] = &[
    ("norway", "NO"),
    ("norge", "NO"),
    ("noreg", "NO"),
    ("sweden", "SE"),
    ("sverige", "SE"),
    ("denmark", "DK"),
    ("danmark", "DK"),
    ("finland", "FI"),
    ("suomi", "FI"),
    ("iceland", "IS"),
    ("ísland", "IS"),
    ("germany", "DE"),
    ("deutschland", "DE"),
    ("united kingdom", "GB"),
    ("uk", "GB"),
    ("great britain", "GB"),
    ("netherlands", "NL"),
    ("france", "FR"),
    ("united states", "US"),
    ("usa", "US"),
];

/// The ISO 3166-1 alpha-2 code (uppercase) of a country written as a two-letter code or as
/// one of a few common names; `None` otherwise.
pub fn country_code(raw: &str) -> Option<String> {
    let t = raw.trim();
    if t.len() == 2 && t.chars().all(|c| c.is_ascii_alphabetic()) {
        return Some(t.to_ascii_uppercase());
    }
    let lower = t.to_lowercase();
    COUNTRY_NAMES
        .iter()
        .find(|(n, _)| *n == lower)
        .map(|(_, c)| c.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_of_known_strings() {
        // `printf '%s' '' | sha256sum` and `printf '%s' 'abc' | sha256sum`.
        assert_eq!(
            sha256_hex(""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(
            sha256_hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn emails() {
        assert_eq!(
            normalize_email("  John.Doe@Example.COM ", false).as_deref(),
            Some("john.doe@example.com")
        );
        assert_eq!(
            normalize_email("John.Doe@GMail.com", true).as_deref(),
            Some("johndoe@gmail.com")
        );
        assert_eq!(
            normalize_email("john.doe@example.com", true).as_deref(),
            Some("john.doe@example.com")
        );
        for bad in [
            "", "john", "john@", "@x.com", "a@b", "a b@c.no", "a@b@c.no", "a@.no",
        ] {
            assert_eq!(normalize_email(bad, false), None, "{bad:?}");
        }
    }

    #[test]
    fn phones_in_every_form_agree() {
        let no = Some("4741234567".to_string());
        for raw in [
            "41234567",
            "412 34 567",
            "+47 412 34 567",
            "+4741234567",
            "004741234567",
            "0047 412-34-567",
            "(+47) 41234567",
        ] {
            assert_eq!(
                normalize_phone(raw, None, Some("47")),
                Ok(no.clone()),
                "{raw}"
            );
        }
        assert_eq!(
            normalize_phone("4741234567", Some("NO"), None),
            Ok(no.clone())
        );
        // The customer's country wins over the default for local numbers.
        assert_eq!(
            normalize_phone("070-123 45 67", Some("se"), Some("47")),
            Ok(Some("46701234567".into()))
        );
        assert_eq!(
            normalize_phone("+46 (0)70 123 45 67", None, None),
            Ok(Some("46701234567".into()))
        );
        assert_eq!(
            normalize_phone("+46 070 123 45 67", None, None),
            Ok(Some("46701234567".into()))
        );
        assert_eq!(
            normalize_phone("21 23 45 67", Some("DK"), None),
            Ok(Some("4521234567".into()))
        );
        // A country segmint has no plan for: the default code, E.164 limits only.
        assert_eq!(
            normalize_phone("612345678", Some("ZZ"), Some("34")),
            Ok(Some("34612345678".into()))
        );
    }

    #[test]
    fn invalid_phones_are_refused_not_guessed() {
        assert_eq!(normalize_phone("", None, Some("47")), Ok(None));
        assert_eq!(normalize_phone("   ", None, Some("47")), Ok(None));
        assert_eq!(
            normalize_phone("41234567", None, None),
            Err(PhoneProblem::NoCountryCode)
        );
        assert_eq!(
            normalize_phone("call me", None, Some("47")),
            Err(PhoneProblem::NotANumber)
        );
        assert_eq!(
            normalize_phone("4123 ext 5", None, Some("47")),
            Err(PhoneProblem::NotANumber)
        );
        // Norwegian numbers have 8 digits.
        assert_eq!(
            normalize_phone("4123456", None, Some("47")),
            Err(PhoneProblem::WrongLength)
        );
        assert_eq!(
            normalize_phone("+47 412 34 5678", None, None),
            Err(PhoneProblem::WrongLength)
        );
        // Longer than E.164 allows.
        assert_eq!(
            normalize_phone("+999 1234567890123", None, None),
            Err(PhoneProblem::WrongLength)
        );
        assert_eq!(
            normalize_phone("+0123456789", None, None),
            Err(PhoneProblem::WrongLength)
        );
    }

    #[test]
    fn names_zips_countries() {
        assert_eq!(
            normalize_name(Platform::Meta, " Mary-Ann O'Hara ").as_deref(),
            Some("maryannohara")
        );
        assert_eq!(
            normalize_name(Platform::Meta, "Søren").as_deref(),
            Some("søren")
        );
        assert_eq!(
            normalize_name(Platform::Google, " Mary Ann ").as_deref(),
            Some("maryann")
        );
        assert_eq!(normalize_name(Platform::Meta, " - "), None);
        assert_eq!(
            normalize_zip(Platform::Meta, "123 45").as_deref(),
            Some("12345")
        );
        assert_eq!(
            normalize_zip(Platform::Meta, "WC2H 8LG").as_deref(),
            Some("wc2h8lg")
        );
        assert_eq!(
            normalize_zip(Platform::Google, " WC2H  8LG ").as_deref(),
            Some("WC2H 8LG")
        );
        assert_eq!(country_code(" no ").as_deref(), Some("NO"));
        assert_eq!(country_code("Sverige").as_deref(), Some("SE"));
        assert_eq!(country_code("Atlantis"), None);
        assert_eq!(calling_code("dk"), Some("45"));
    }
}
