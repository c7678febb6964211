//! Bands of an ordinal customer attribute: "35-44", "65+", "Under 15K", "50-74K",
//! "100-124K", "<25", "25 – 34 år", and the number each stands for.
//!
//! A closed band `lo–hi` stands for its midpoint (lo + hi) / 2, so "35-44" is 39.5 and
//! "50-74K" is 62 000. A single number stands for itself. An open band ("Under 15K", "<25",
//! "65+", "over 100K") has one bound: it stands for that bound moved half the width
//! (hi − lo) of the closest closed band of the column into the open side — "65+" next to
//! "55-64" is 65 + 4.5 = 69.5, "Under 15K" next to "15-24K" is 15 000 − 4 500 = 10 500. A
//! column without any closed band gives an open band its bound.
//!
//! ```
//! use segmint::ingest::bands::{midpoints, parse_band, Band};
//! assert_eq!(parse_band("50-74K"), Some(Band::Closed(50_000.0, 74_000.0)));
//! assert_eq!(parse_band("Under 15K"), Some(Band::Below(15_000.0)));
//! let m = midpoints(&["55-64", "65+"]).unwrap();
//! assert_eq!(m, vec![59.5, 69.5]);
//! ```

/// One band as written.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Band {
    /// `lo–hi`.
    Closed(f64, f64),
    /// One number.
    Exact(f64),
    /// Below a bound ("Under 15K", "<25").
    Below(f64),
    /// At or above a bound ("65+", "over 100K").
    AtLeast(f64),
}

/// Words and signs that only decorate a band (units, currencies), removed before reading it.
const NOISE: &[&str] = &[
    "years", "year", "yrs", "år", "ar", "aar", "jahre", "jaar", "kr", "nok", "sek", "dkk", "eur",
    "usd", "gbp", "y",
];

/// Words that open a band downwards ("under 15K") or upwards ("over 100K"), in English and
/// the Nordic languages.
const BELOW: &[&str] = &[
    "under",
    "below",
    "less than",
    "up to",
    "upto",
    "mindre enn",
    "mindre än",
    "mindre end",
    "lt",
];
const ABOVE: &[&str] = &[
    "over",
    "above",
    "more than",
    "and over",
    "and above",
    "or more",
    "and older",
    "or older",
    "og over",
    "och över",
    "eller mer",
    "eller mere",
];

/// A number token at the start of `s`: digits with thousands groups (`15,000`, `15 000`)
/// and an optional decimal part, then an optional `K`/`M` multiplier. Returns the value, the
/// rest, and the multiplier written (1 without one).
fn number(s: &str) -> Option<(f64, &str, f64)> {
    let s = s.trim_start();
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    if i == 0 {
        return None;
    }
    let mut digits = s[..i].to_string();
    // Thousands groups: a `,` or a space followed by exactly three digits.
    loop {
        let rest = &b[i..];
        if rest.len() >= 4
            && (rest[0] == b',' || rest[0] == b' ')
            && rest[1..4].iter().all(u8::is_ascii_digit)
            && rest.get(4).is_none_or(|c| !c.is_ascii_digit())
        {
            digits.push_str(&s[i + 1..i + 4]);
            i += 4;
        } else {
            break;
        }
    }
    if i + 1 < b.len() && (b[i] == b'.' || b[i] == b',') && b[i + 1].is_ascii_digit() {
        let start = i + 1;
        let mut j = start;
        while j < b.len() && b[j].is_ascii_digit() {
            j += 1;
        }
        digits.push('.');
        digits.push_str(&s[start..j]);
        i = j;
    }
    let v: f64 = digits.parse().ok()?;
    let rest = &s[i..];
    let after = rest.trim_start();
    let next = after.chars().next();
    let word_end = |r: &str| r.chars().nth(1).is_none_or(|c| !c.is_alphabetic());
    let (rest, factor) = match next {
        Some('k' | 'K') if word_end(after) => (&after[1..], 1e3),
        Some('m' | 'M') if word_end(after) => (&after[1..], 1e6),
        _ => (rest, 1.0),
    };
    Some((v * factor, rest, factor))
}

/// Reads one band; `None` when the text is not a band.
pub fn parse_band(text: &str) -> Option<Band> {
    let mut s = text.trim().to_lowercase();
    for c in ['$', '€', '£', '¥'] {
        s = s.replace(c, "");
    }
    let words: Vec<&str> = s
        .split(|c: char| c.is_whitespace())
        .filter(|w| !w.is_empty() && !NOISE.contains(w))
        .collect();
    let mut s = words.join(" ");
    // Signs that open a band.
    let mut below = false;
    let mut above = false;
    for p in ["<=", "≤", "<"] {
        if let Some(r) = s.strip_prefix(p) {
            s = r.trim().to_string();
            below = true;
            break;
        }
    }
    if !below {
        for p in [">=", "≥", ">"] {
            if let Some(r) = s.strip_prefix(p) {
                s = r.trim().to_string();
                above = true;
                break;
            }
        }
    }
    if !below && !above {
        for w in BELOW {
            if let Some(r) = s.strip_prefix(w).filter(|r| r.starts_with(' ')) {
                s = r.trim().to_string();
                below = true;
                break;
            }
        }
    }
    if !below && !above {
        for w in ABOVE {
            if let Some(r) = s.strip_prefix(w).filter(|r| r.starts_with(' ')) {
                s = r.trim().to_string();
                above = true;
                break;
            }
        }
    }
    let (a, rest, factor_a) = number(&s)?;
    let rest = rest.trim();
    if rest.is_empty() {
        return Some(if below {
            Band::Below(a)
        } else if above {
            Band::AtLeast(a)
        } else {
            Band::Exact(a)
        });
    }
    if below || above {
        return None;
    }
    if let Some(r) = rest.strip_prefix('+') {
        let r = r.trim();
        return (r.is_empty() || ABOVE.contains(&r)).then_some(Band::AtLeast(a));
    }
    if ABOVE.contains(&rest) {
        return Some(Band::AtLeast(a));
    }
    let second = ["-", "–", "—", "to ", "til ", "till ", "bis "]
        .iter()
        .find_map(|sep| rest.strip_prefix(sep))?;
    let (b, tail, factor_b) = number(second)?;
    if !tail.trim().is_empty() {
        return None;
    }
    // "50-74K": the multiplier written once applies to both ends.
    let a = if factor_a == 1.0 { a * factor_b } else { a };
    let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
    Some(Band::Closed(lo, hi))
}

/// The number each band of a column stands for (see the module's rule), in the order given;
/// `Err(i)` names the first value that is not a band.
pub fn midpoints(values: &[&str]) -> std::result::Result<Vec<f64>, usize> {
    let bands: Vec<Band> = values
        .iter()
        .enumerate()
        .map(|(i, v)| parse_band(v).ok_or(i))
        .collect::<std::result::Result<_, _>>()?;
    let closed: Vec<(f64, f64)> = bands
        .iter()
        .filter_map(|b| match b {
            Band::Closed(lo, hi) => Some((*lo, *hi)),
            _ => None,
        })
        .collect();
    // The width of the closed band nearest a bound (ties: the narrower).
    let width_near = |x: f64| {
        closed
            .iter()
            .map(|&(lo, hi)| {
                let d = if x < lo {
                    lo - x
                } else if x > hi {
                    x - hi
                } else {
                    0.0
                };
                (d, hi - lo)
            })
            .min_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)))
            .map_or(0.0, |(_, w)| w)
    };
    Ok(bands
        .iter()
        .map(|b| match *b {
            Band::Closed(lo, hi) => (lo + hi) / 2.0,
            Band::Exact(x) => x,
            Band::Below(x) => x - width_near(x) / 2.0,
            Band::AtLeast(x) => x + width_near(x) / 2.0,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bands_of_real_exports() {
        assert_eq!(parse_band("35-44"), Some(Band::Closed(35.0, 44.0)));
        assert_eq!(parse_band("25 – 34 år"), Some(Band::Closed(25.0, 34.0)));
        assert_eq!(parse_band("65+"), Some(Band::AtLeast(65.0)));
        assert_eq!(parse_band("<25"), Some(Band::Below(25.0)));
        assert_eq!(parse_band("Under 15K"), Some(Band::Below(15_000.0)));
        assert_eq!(parse_band("50-74K"), Some(Band::Closed(50_000.0, 74_000.0)));
        assert_eq!(
            parse_band("100-124K"),
            Some(Band::Closed(100_000.0, 124_000.0))
        );
        assert_eq!(parse_band("250K+"), Some(Band::AtLeast(250_000.0)));
        assert_eq!(
            parse_band("$15,000 - $24,999"),
            Some(Band::Closed(15_000.0, 24_999.0))
        );
        assert_eq!(parse_band("5+"), Some(Band::AtLeast(5.0)));
        assert_eq!(parse_band("2"), Some(Band::Exact(2.0)));
        assert_eq!(parse_band("45 to 54 years"), Some(Band::Closed(45.0, 54.0)));
        assert_eq!(parse_band("Single"), None);
        assert_eq!(parse_band("Unknown"), None);
        assert_eq!(parse_band("35-"), None);
        assert_eq!(parse_band("A-B"), None);
    }

    #[test]
    fn open_bands_take_half_the_nearest_closed_width() {
        // Hand-computed: 19-24 → 21.5; 25-34 → 29.5; 65+ next to 55-64 (width 9) → 69.5.
        let m = midpoints(&["19-24", "25-34", "55-64", "65+"]).unwrap();
        assert_eq!(m, vec![21.5, 29.5, 59.5, 69.5]);
        // Under 15K next to 15-24K (width 9K) → 10 500; 50-74K → 62 000.
        let m = midpoints(&["Under 15K", "15-24K", "50-74K", "250K+", "200-249K"]).unwrap();
        assert_eq!(m, vec![10_500.0, 19_500.0, 62_000.0, 274_500.0, 224_500.0]);
        // No closed band: the bound itself.
        assert_eq!(midpoints(&["1", "5+"]).unwrap(), vec![1.0, 5.0]);
        assert_eq!(midpoints(&["1", "lots"]), Err(1));
    }
}
