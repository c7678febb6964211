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

    #[test]
    fn csv_fields() {
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("plain"), "plain");
    }
}
