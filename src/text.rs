//! Small helpers on names and paths shared by several stages: one slug, one format detector.

use std::path::Path;

/// A file- and column-name-safe slug: lower case ASCII letters and digits, every other run of
/// characters as one `sep`, none at either end. Nordic and other Latin letters are folded
/// (`ø` → `o`, `æ` → `ae`, `å` → `a`, `é` → `e`, `ü` → `u`). May be empty.
pub fn slug(s: &str, sep: char) -> String {
    let mut out = String::new();
    let mut pending = false;
    for c in s.to_lowercase().chars() {
        let folded = match c {
            'æ' | 'ä' => "ae",
            'ø' | 'ö' => "o",
            'å' | 'à' | 'á' | 'â' => "a",
            'é' | 'è' | 'ê' => "e",
            'ü' | 'ú' => "u",
            _ => "",
        };
        let piece: Option<&str> = if !folded.is_empty() {
            Some(folded)
        } else if c.is_ascii_alphanumeric() {
            None
        } else {
            pending = !out.is_empty();
            continue;
        };
        if pending {
            out.push(sep);
            pending = false;
        }
        match piece {
            Some(p) => out.push_str(p),
            None => out.push(c),
        }
    }
    out
}

/// A column-name-safe slug: lower case, ASCII letters and digits, `_` for the rest
/// ([`slug`]); `blank` when nothing is left.
pub fn column_slug(s: &str) -> String {
    let s = slug(s, '_');
    if s.is_empty() {
        "blank".into()
    } else {
        s
    }
}

/// Whether a path names a Parquet file (by its extension: `.parquet` or `.pq`, any case).
pub fn is_parquet(path: &Path) -> bool {
    matches!(
        path.extension()
            .and_then(|e| e.to_str())
            .map(|e| e.to_ascii_lowercase())
            .as_deref(),
        Some("parquet") | Some("pq")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_fold_letters_and_collapse_the_rest() {
        assert_eq!(
            slug("Big baskets, few returns!", '-'),
            "big-baskets-few-returns"
        );
        assert_eq!(slug("Kjøpere på Ærø", '-'), "kjopere-pa-aero");
        assert_eq!(slug("Skjønnhet", '_'), "skjonnhet");
        assert_eq!(slug("Hjem & Hage", '_'), "hjem_hage");
        assert_eq!(slug("  __a__b  ", '_'), "a_b");
        assert_eq!(slug("  ", '_'), "");
        assert_eq!(slug("%%", '-'), "");
    }

    #[test]
    fn parquet_is_detected_by_extension() {
        assert!(is_parquet(Path::new("a/b.parquet")));
        assert!(is_parquet(Path::new("b.PQ")));
        assert!(!is_parquet(Path::new("b.csv")));
        assert!(!is_parquet(Path::new("parquet")));
    }
}
