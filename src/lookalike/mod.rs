//! Lookalike: what an ad or data team needs to find more people like a segment, and fewer
//! like the serial returners.
//!
//! * [`seeds`]: a segment's customers in Meta's, Google's or TikTok's customer-file format,
//!   identifiers normalised and SHA-256 hashed as each platform documents ([`normalize`]),
//!   flagged high-return customers left out by default, and an exclusion list of them for
//!   suppression.
//! * [`vectors`]: the "lookalike feature vector" of each segment — centroid in raw units and in
//!   the scaled space, spread, the defining features, the transforms that place a new person in
//!   the same space and the recommended similarity threshold.
//! * [`score`]: prospects (people who are not customers, or not yet in the segment) placed in
//!   the same space and ranked by distance to the segment and by a seed-vs-rest classifier,
//!   with a reach curve.
//!
//! Personal data (e-mail, phone, names, postcode) is read only from the mapping's customers
//! table, only by [`seeds`], and leaves it only hashed — except Google's Country and Zip, which
//! Google asks for in clear (see [`normalize`]).

pub mod normalize;
pub mod score;
pub mod seeds;
pub mod vectors;

use serde::Deserialize;

use crate::error::{Error, Result};

/// A segment of a profiled run, as `segments.json` lists it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct RunSegment {
    /// `1`, `2`, ... (or `unassigned`).
    pub segment: String,
    /// Readable name.
    pub name: String,
    /// Customers.
    pub customers: usize,
}

/// A flagged customer, as `segments.json` lists it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct RunFlagged {
    /// Customer id.
    pub customer_id: String,
}

/// What seeds and scoring need from a profiled run's `segments.json`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct RunSegments {
    /// The segments (and the unassigned customers, if any).
    pub segments: Vec<RunSegment>,
    /// Customers flagged for high returns (the customer-level flag).
    pub flagged_customers: Vec<RunFlagged>,
}

impl RunSegments {
    /// Finds a segment by id (`3`), by name (any case) or by the slug of its name
    /// (`loyal-high-spenders`). Returns its 0-based index in the model.
    pub fn find(&self, name_or_id: &str) -> Result<(usize, &RunSegment)> {
        let wanted = name_or_id.trim();
        let found = self
            .segments
            .iter()
            .find(|s| s.segment == wanted)
            .or_else(|| {
                self.segments
                    .iter()
                    .find(|s| s.name.to_lowercase() == wanted.to_lowercase())
            })
            .or_else(|| self.segments.iter().find(|s| slug(&s.name) == slug(wanted)));
        match found.map(|s| (s.segment.parse::<usize>(), s)) {
            Some((Ok(id), s)) if id >= 1 => Ok((id - 1, s)),
            Some((_, s)) => Err(Error::Data(format!(
                "{:?} are the customers no segment took; choose a segment: {}",
                s.name,
                self.list()
            ))),
            None => Err(Error::Data(format!(
                "no segment {wanted:?} in this run; choose one by id or name: {}",
                self.list()
            ))),
        }
    }

    fn list(&self) -> String {
        self.segments
            .iter()
            .filter(|s| s.segment.parse::<usize>().is_ok())
            .map(|s| format!("{} ({:?}, {} customers)", s.segment, s.name, s.customers))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// A file-name-safe slug of a segment name: lowercase ASCII letters and digits, other runs
/// of characters as one `-` (Nordic letters folded: `ø` → `o`, `æ` → `ae`, `å` → `a`).
pub fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.to_lowercase().chars() {
        let folded = match c {
            'æ' | 'ä' => "ae",
            'ø' | 'ö' => "o",
            'å' | 'à' | 'á' | 'â' => "a",
            'é' | 'è' | 'ê' => "e",
            'ü' => "u",
            _ => "",
        };
        if !folded.is_empty() {
            out.push_str(folded);
        } else if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_string()
}

/// The file stem of a segment's lookalike file: `<id>-<slug of name>`, e.g.
/// `1-loyal-high-spenders`.
pub fn file_stem(segment: &str, name: &str) -> String {
    let s = slug(name);
    if s.is_empty() {
        segment.to_string()
    } else {
        format!("{segment}-{s}")
    }
}

/// Quotes a CSV field when it holds a comma, quote or line break.
pub(crate) fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run() -> RunSegments {
        serde_json::from_str(
            r#"{"segments": [
                {"segment": "1", "name": "Loyal high spenders", "customers": 10},
                {"segment": "2", "name": "Kundar på ferie", "customers": 5},
                {"segment": "unassigned", "name": "Unassigned (DBSCAN noise)", "customers": 2}],
              "flagged_customers": [{"customer_id": "K1"}], "base": {}}"#,
        )
        .unwrap()
    }

    #[test]
    fn segments_are_found_by_id_name_or_slug() {
        let r = run();
        assert_eq!(r.find("1").unwrap().0, 0);
        assert_eq!(r.find("loyal HIGH spenders").unwrap().0, 0);
        assert_eq!(r.find("loyal-high-spenders").unwrap().0, 0);
        assert_eq!(r.find("kundar-pa-ferie").unwrap().0, 1);
        let e = r.find("vips").unwrap_err().to_string();
        assert!(
            e.contains("no segment \"vips\"") && e.contains("1 (\"Loyal high spenders\""),
            "{e}"
        );
        let e = r.find("unassigned").unwrap_err().to_string();
        assert!(e.contains("no segment took"), "{e}");
    }

    #[test]
    fn slugs_and_csv_fields() {
        assert_eq!(slug("Big baskets, few returns!"), "big-baskets-few-returns");
        assert_eq!(slug("Kjøpere på Ærø"), "kjopere-pa-aero");
        assert_eq!(file_stem("3", "Recent buyers"), "3-recent-buyers");
        assert_eq!(file_stem("3", "%%"), "3");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("plain"), "plain");
    }
}
