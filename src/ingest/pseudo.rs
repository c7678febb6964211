//! Pseudonymising customer ids that are personal data.
//!
//! CRM and GA4 exports often use the customer's e-mail address (or phone number) as the
//! customer id. Such ids would travel into every output (assignments, flagged customers,
//! features, matrix). Ingest recognises them value by value — an e-mail address (`local@domain.tld`)
//! or a phone number (`+47 412 34 567`, `0047…`, `(555) 123-4567`: 8 to 15 digits written as
//! a phone number, not a plain digit run) — and replaces each by `anon-` and the first 24 hex
//! digits of its HMAC-SHA256 under a secret key. The same id gives the same pseudonym in every
//! table and every run with the same key, so joins (customers table, survey, events, seed
//! exports) still match; other ids are left as they are.
//!
//! The key (32 random bytes, written as 64 hex digits) lives in a file outside the outputs:
//! `[privacy] key_file` in the mapping, by default `segmint.key` next to the mapping file. It
//! is created (owner-only, mode 0600) the first time an id needs it. Keep it to get the same
//! pseudonyms in later runs; without it, a pseudonym cannot be turned back into the e-mail
//! (the seed exports read e-mails from the customers table's contact columns instead).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use polars::prelude::*;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::config::Config;
use crate::error::{Error, PolarsContext, Result};

/// Prefix of a pseudonymised id.
pub const PREFIX: &str = "anon-";

/// Ids of one table that were pseudonymised (a typed warning of the ingest report).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Pseudonymised {
    /// The mapping section.
    pub table: String,
    /// The client's customer id column.
    pub column: String,
    /// Distinct ids that are e-mail addresses.
    pub emails: usize,
    /// Distinct ids that are phone numbers.
    pub phones: usize,
    /// The key file used.
    pub key_file: PathBuf,
}

/// What an id looks like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Personal {
    /// An e-mail address.
    Email,
    /// A phone number.
    Phone,
}

/// Whether an id is an e-mail address or a phone number.
pub fn personal(id: &str) -> Option<Personal> {
    let s = id.trim();
    if let Some((local, domain)) = s.split_once('@') {
        let ok = !local.is_empty()
            && !domain.contains('@')
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !s.chars().any(char::is_whitespace);
        return ok.then_some(Personal::Email);
    }
    let digits = s.chars().filter(char::is_ascii_digit).count();
    let phone_chars = s
        .chars()
        .all(|c| c.is_ascii_digit() || " +-().\u{a0}".contains(c));
    if !phone_chars || !(8..=15).contains(&digits) {
        return None;
    }
    let international = s.starts_with('+')
        || (s.starts_with("00") && s[2..].starts_with(|c: char| ('1'..='9').contains(&c)));
    let formatted = s.contains(' ') || s.contains('(') || s.contains('\u{a0}');
    (international || formatted).then_some(Personal::Phone)
}

/// HMAC-SHA256 (RFC 2104) of `message` under `key`.
pub fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    const BLOCK: usize = 64;
    let mut k = [0u8; BLOCK];
    if key.len() > BLOCK {
        k[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        k[..key.len()].copy_from_slice(key);
    }
    let mut inner = Sha256::new();
    inner.update(k.map(|b| b ^ 0x36));
    inner.update(message);
    let inner = inner.finalize();
    let mut outer = Sha256::new();
    outer.update(k.map(|b| b ^ 0x5c));
    outer.update(inner);
    let mut out = [0u8; 32];
    out.copy_from_slice(&outer.finalize());
    out
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Replaces personal-data ids by keyed pseudonyms; loads (or creates) the key on first need.
#[derive(Debug)]
pub struct Pseudonymiser {
    key_file: PathBuf,
    key: Option<Vec<u8>>,
}

impl Pseudonymiser {
    /// The pseudonymiser of a mapping: its `[privacy] key_file`, default `segmint.key` next to
    /// the mapping file.
    pub fn for_config(config: &Config) -> Pseudonymiser {
        let file = config
            .mapping
            .privacy
            .key_file
            .clone()
            .unwrap_or_else(|| PathBuf::from("segmint.key"));
        let key_file = if file.is_absolute() {
            file
        } else {
            config.base_dir.join(file)
        };
        Pseudonymiser {
            key_file,
            key: None,
        }
    }

    /// A pseudonymiser with a given key (tests, benchmarks).
    pub fn with_key(key: &[u8]) -> Pseudonymiser {
        Pseudonymiser {
            key_file: PathBuf::new(),
            key: Some(key.to_vec()),
        }
    }

    fn key(&mut self) -> Result<&[u8]> {
        if self.key.is_none() {
            self.key = Some(load_or_create_key(&self.key_file)?);
        }
        Ok(self.key.as_deref().unwrap_or_default())
    }

    /// The pseudonym of an id.
    pub fn pseudonym(&mut self, id: &str) -> Result<String> {
        let mac = hmac_sha256(self.key()?, id.as_bytes());
        Ok(format!("{PREFIX}{}", &hex(&mac)[..24]))
    }

    /// Pseudonymises the personal-data values of `df[column]` (a string column); returns what
    /// was replaced, or `None` when no value needed it.
    pub fn apply(
        &mut self,
        df: &mut DataFrame,
        column: &str,
        table: &str,
        client_column: &str,
    ) -> Result<Option<Pseudonymised>> {
        let Ok(c) = df.column(column) else {
            return Ok(None);
        };
        let ids = c.str().ctx("reading customer ids")?.clone();
        // Rows of one customer often follow each other (events of a session): each run of
        // equal ids is looked at once.
        let mut previous = None;
        let any_personal = ids.iter().any(|v| {
            if v.is_none() || v == previous {
                return false;
            }
            previous = v;
            v.is_some_and(|v| personal(v).is_some())
        });
        if !any_personal {
            return Ok(None);
        }
        let (mut emails, mut phones) = (BTreeSet::new(), BTreeSet::new());
        let mut out: Vec<Option<String>> = Vec::with_capacity(ids.len());
        let mut cache: std::collections::HashMap<String, String> = Default::default();
        for v in ids.iter() {
            out.push(match v {
                None => None,
                Some(v) => match personal(v) {
                    None => Some(v.to_string()),
                    Some(kind) => {
                        match kind {
                            Personal::Email => emails.insert(v.to_string()),
                            Personal::Phone => phones.insert(v.to_string()),
                        };
                        if let Some(p) = cache.get(v) {
                            Some(p.clone())
                        } else {
                            let p = self.pseudonym(v)?;
                            cache.insert(v.to_string(), p.clone());
                            Some(p)
                        }
                    }
                },
            });
        }
        df.with_column(Column::new(column.into(), out))
            .ctx("pseudonymising customer ids")?;
        Ok(Some(Pseudonymised {
            table: table.to_string(),
            column: client_column.to_string(),
            emails: emails.len(),
            phones: phones.len(),
            key_file: self.key_file.clone(),
        }))
    }
}

fn load_or_create_key(path: &Path) -> Result<Vec<u8>> {
    let io = |source| Error::Io {
        path: path.to_path_buf(),
        source,
    };
    match std::fs::read_to_string(path) {
        Ok(text) => {
            let t = text.trim();
            let bytes: Option<Vec<u8>> = (t.len() == 64)
                .then(|| {
                    (0..32)
                        .map(|i| u8::from_str_radix(&t[2 * i..2 * i + 2], 16).ok())
                        .collect()
                })
                .flatten();
            bytes.ok_or_else(|| {
                Error::Mapping(format!(
                    "{}: the pseudonymisation key file must hold 64 hex digits; remove it to get a new key (ids then get new pseudonyms)",
                    path.display()
                ))
            })
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            use rand::RngCore;
            let mut key = [0u8; 32];
            rand::rngs::OsRng.fill_bytes(&mut key);
            if let Some(dir) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir).map_err(io)?;
            }
            let mut opts = std::fs::OpenOptions::new();
            opts.write(true).create_new(true);
            #[cfg(unix)]
            {
                use std::os::unix::fs::OpenOptionsExt;
                opts.mode(0o600);
            }
            use std::io::Write;
            let mut f = opts.open(path).map_err(io)?;
            f.write_all(format!("{}\n", hex(&key)).as_bytes())
                .map_err(io)?;
            Ok(key.to_vec())
        }
        Err(e) => Err(io(e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hmac_matches_rfc_4231_test_case_2() {
        assert_eq!(
            hex(&hmac_sha256(b"Jefe", b"what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn recognises_emails_and_phones_but_not_plain_ids() {
        for id in ["kari@example.no", " Kari.N+x@mail.example.com "] {
            assert_eq!(personal(id), Some(Personal::Email), "{id}");
        }
        for id in [
            "+47 412 34 567",
            "+4741234567",
            "004741234567",
            "(555) 123-4567",
        ] {
            assert_eq!(personal(id), Some(Personal::Phone), "{id}");
        }
        for id in [
            "K000123",
            "12345",
            "6940951085291",
            "000012345678",
            "2024-000123",
            "a@b",
            "@example.com",
            "+47 12",
        ] {
            assert_eq!(personal(id), None, "{id}");
        }
    }

    #[test]
    fn pseudonyms_are_keyed_and_stable() {
        let mut a = Pseudonymiser::with_key(b"key one");
        let mut b = Pseudonymiser::with_key(b"key two");
        let p = a.pseudonym("kari@example.no").unwrap();
        assert!(p.starts_with(PREFIX) && p.len() == PREFIX.len() + 24);
        assert_eq!(p, a.pseudonym("kari@example.no").unwrap());
        assert_ne!(p, b.pseudonym("kari@example.no").unwrap());
    }
}
