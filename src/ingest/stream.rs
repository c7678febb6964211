//! Reading a delimited text file in pieces of whole records, so that a big file is never in
//! memory at once: each piece is checked (UTF-8, NUL bytes, field counts, with the line of every
//! fault) and then read by polars' CSV reader, every column as text, with the line each row
//! starts on. A table's rows come out in file order and exactly as a whole-file read gives them.

use std::io::{Read, Seek};
use std::path::Path;

use polars::prelude::*;

use super::read::{
    check_columns, check_not_empty, not_utf8, read_error, split_header, Record, LINE,
};
use crate::config::{FileOptions, Format};
use crate::error::{Error, Result};

/// Bytes read from the file at a time; a piece handed to polars holds about this much.
pub(crate) const BLOCK: usize = 32 << 20;

/// The record state machine of a delimited text: quotes are respected (a quote opens a quoted
/// field only at the start of a field or right after a closing quote, so `""` inside a quoted
/// field is a quote), a quoted line break does not end a record. It is fed any number of byte
/// slices in order and calls back at the end of every record.
#[derive(Debug, Clone)]
pub(crate) struct Scanner {
    delimiter: u8,
    line: u64,
    record_line: u64,
    fields: usize,
    quoted: bool,
    blank: bool,
    field_start: bool,
    just_closed: bool,
}

impl Scanner {
    pub(crate) fn new(delimiter: u8) -> Scanner {
        Scanner {
            delimiter,
            line: 1,
            record_line: 1,
            fields: 1,
            quoted: false,
            blank: true,
            field_start: true,
            just_closed: false,
        }
    }

    /// Whether the scanner stands at the start of a record (nothing of it seen yet).
    fn at_record_start(&self) -> bool {
        !self.quoted && self.blank && self.field_start && self.fields == 1 && !self.just_closed
    }

    /// Scans `bytes`, calling `f(record, end)` at every line break that ends a record, where
    /// `end` is the offset in `bytes` just after that line break. Returns false as soon as `f`
    /// does.
    pub(crate) fn feed(&mut self, bytes: &[u8], f: &mut impl FnMut(Record, usize) -> bool) -> bool {
        let d = self.delimiter;
        let mut i = 0;
        while i < bytes.len() {
            // Fast path: a whole line without quotes, from the start of a record.
            if self.at_record_start() {
                if let Some(nl) = memchr::memchr(b'\n', &bytes[i..]) {
                    let line = &bytes[i..i + nl];
                    if memchr::memchr(b'"', line).is_none() {
                        let delims = line.iter().filter(|&&b| b == d).count();
                        let blank =
                            delims == 0 && line.iter().all(|&b| matches!(b, b' ' | b'\t' | b'\r'));
                        let record = Record {
                            line: self.line,
                            fields: 1 + delims,
                            blank,
                        };
                        self.line += 1;
                        self.record_line = self.line;
                        i += nl + 1;
                        if !f(record, i) {
                            return false;
                        }
                        continue;
                    }
                }
            }
            let b = bytes[i];
            i += 1;
            if self.quoted {
                match b {
                    b'"' => {
                        self.quoted = false;
                        self.just_closed = true;
                    }
                    b'\n' => self.line += 1,
                    _ => {}
                }
                continue;
            }
            if b == b'"' && (self.field_start || self.just_closed) {
                self.quoted = true;
                self.just_closed = false;
                self.field_start = false;
                self.blank = false;
                continue;
            }
            self.just_closed = false;
            match b {
                b'\n' => {
                    self.line += 1;
                    let record = self.take();
                    if !f(record, i) {
                        return false;
                    }
                }
                _ if b == d => {
                    self.fields += 1;
                    self.blank = false;
                    self.field_start = true;
                }
                b'\r' => {}
                b' ' | b'\t' => self.field_start = false,
                _ => {
                    self.blank = false;
                    self.field_start = false;
                }
            }
        }
        true
    }

    /// The record in progress, and a fresh start at the current line.
    fn take(&mut self) -> Record {
        let record = Record {
            line: self.record_line,
            fields: self.fields,
            blank: self.blank,
        };
        self.fields = 1;
        self.blank = true;
        self.field_start = true;
        self.quoted = false;
        self.just_closed = false;
        self.record_line = self.line;
        record
    }

    /// The last record, at the end of the text (blank when the text ended with a line break).
    pub(crate) fn finish(mut self) -> Record {
        self.take()
    }
}

/// Calls `f` with every record of a delimited text, the header first, until `f` returns false.
pub(crate) fn for_each_record(text: &str, delimiter: u8, mut f: impl FnMut(Record) -> bool) {
    let mut s = Scanner::new(delimiter);
    if s.feed(text.as_bytes(), &mut |r, _| f(r)) {
        f(s.finish());
    }
}

/// Reads up to `want` more bytes of `file` onto `buf`; true at the end of the file.
fn fill(path: &Path, file: &mut std::fs::File, buf: &mut Vec<u8>, want: usize) -> Result<bool> {
    // No more than what is left of the file (and one byte to see its end): a small file does
    // not get a whole block of zeroed memory.
    let left = file.metadata().ok().and_then(|m| {
        let at = file.stream_position().ok()?;
        usize::try_from(m.len().saturating_sub(at)).ok()
    });
    let want = left.map_or(want, |l| want.min(l.saturating_add(1)));
    let start = buf.len();
    buf.resize(start + want, 0);
    let mut got = 0;
    while got < want {
        match file.read(&mut buf[start + got..]) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(source) => {
                return Err(Error::Io {
                    path: path.to_path_buf(),
                    source,
                })
            }
        }
    }
    buf.truncate(start + got);
    Ok(got < want)
}

/// Reads the mapped columns of a CSV table in pieces of whole records of about `block` bytes,
/// in file order, and hands each to `each` as a frame of text columns named by the field, plus
/// [`LINE`] (the line each row starts on; header = line 1). A fault (not UTF-8, NUL bytes, a
/// record with too few or too many fields, a missing column, no rows) stops the read with an
/// error naming its line before any later piece is read.
pub(crate) fn read_csv_pieces(
    table: &'static str,
    path: &Path,
    opts: &FileOptions,
    fields: &[(String, String)],
    block: usize,
    mut each: impl FnMut(DataFrame) -> Result<()>,
) -> Result<()> {
    let delimiter = opts.delimiter_byte(table)?;
    let mut file = std::fs::File::open(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let size = file.metadata().map_or(usize::MAX, |m| m.len() as usize);
    let mut buf: Vec<u8> = Vec::with_capacity((2 * block.min(1 << 30)).min(size) + 4096);
    let mut eof = fill(path, &mut file, &mut buf, block)?;
    while !eof && buf.len() < 4 {
        eof = fill(path, &mut file, &mut buf, block)?;
    }
    // The byte-order marks, then at least the whole header line.
    if buf.starts_with(b"\xEF\xBB\xBF") {
        buf.drain(..3);
    }
    if buf.starts_with(b"\xFF\xFE") || buf.starts_with(b"\xFE\xFF") {
        return Err(Error::Utf16 {
            file: path.to_path_buf(),
            line: 1,
            what: "starts with a UTF-16 byte-order mark".into(),
        });
    }
    while !eof && memchr::memchr(b'\n', &buf).is_none() {
        eof = fill(path, &mut file, &mut buf, block)?;
    }
    let header_end = memchr::memchr(b'\n', &buf).unwrap_or(buf.len());
    let header_bytes = buf[..header_end].to_vec();
    // Bytes before `checked` are UTF-8 without NUL; `buf_line` is the line of buf[0].
    let mut checked = 0usize;
    let mut buf_line: u64 = 1;
    let check = |buf: &[u8], checked: &mut usize, buf_line: u64, eof: bool| -> Result<()> {
        let new = &buf[*checked..];
        if let Some(at) = memchr::memchr(0, new) {
            let before = memchr::memchr_iter(b'\n', &buf[..*checked + at]).count() as u64;
            return Err(Error::Utf16 {
                file: path.to_path_buf(),
                line: (buf_line + before) as usize,
                what: "holds NUL bytes (UTF-16 or a binary file)".into(),
            });
        }
        match std::str::from_utf8(new) {
            Ok(_) => *checked = buf.len(),
            // A character cut by the end of the block: checked with the next block.
            Err(e) if e.error_len().is_none() && !eof => *checked += e.valid_up_to(),
            Err(e) => {
                return Err(not_utf8(
                    path,
                    buf,
                    *checked + e.valid_up_to(),
                    &header_bytes,
                    buf_line,
                    opts,
                    table,
                ))
            }
        }
        Ok(())
    };
    check(&buf, &mut checked, buf_line, eof)?;
    if eof {
        // The whole file is here: its emptiness is told before its columns.
        check_not_empty(table, path, std::str::from_utf8(&buf).unwrap_or(""))?;
    }
    let header_line = String::from_utf8_lossy(&header_bytes).into_owned();
    let header = split_header(&header_line, Format::Csv, delimiter);
    check_columns(table, path, None, &header_line, &header, opts, fields)?;
    let expected = header.len();
    let mut names: Vec<PlSmallStr> = Vec::new();
    for (_, c) in fields {
        if !names.iter().any(|n| n.as_str() == c) {
            names.push(c.as_str().into());
        }
    }
    let names: Arc<[PlSmallStr]> = names.into();

    // The header is a record of the scan too (its quotes count), then leaves the buffer.
    let mut scanner = Scanner::new(delimiter);
    let mut scanned = 0usize;
    let mut header_seen = false;
    let mut any_rows = false;
    // The start lines of the records read but not yet handed over.
    let mut starts: Vec<u64> = Vec::new();
    // Blank records (only blanks and tabs) read but not handed over, as byte ranges of `buf`:
    // they are left out of what polars reads, which would make rows of them.
    let mut blanks: Vec<(usize, usize)> = Vec::new();
    // Where the record in progress starts in `buf`.
    let mut record_start = 0usize;
    loop {
        // `cut`: the end of the last whole record seen.
        let mut cut = 0usize;
        let mut bad: Option<Record> = None;
        let base = scanned;
        let go = scanner.feed(&buf[scanned..checked], &mut |r, end| {
            if std::mem::replace(&mut header_seen, true) {
                if r.blank {
                    blanks.push((record_start, base + end));
                } else if r.fields != expected {
                    bad = Some(r);
                    return false;
                } else {
                    starts.push(r.line);
                }
            }
            cut = base + end;
            record_start = cut;
            true
        });
        scanned = checked;
        if !go {
            let r = bad.expect("the scan stops only at a bad record");
            return Err(field_count_error(path, r, &header));
        }
        if eof {
            let r = scanner.clone().finish();
            if header_seen && r.blank {
                blanks.push((record_start, buf.len()));
            } else if header_seen {
                if r.fields != expected {
                    return Err(field_count_error(path, r, &header));
                }
                starts.push(r.line);
            }
            cut = buf.len();
        }
        if cut > 0 && (cut >= block || eof) {
            // The header line is given to polars with every piece, so it leaves the first.
            let body = if buf_line == 1 {
                (header_end + 1).min(cut)
            } else {
                0
            };
            if !starts.is_empty() {
                // The records of the piece without its blank ones.
                let mut kept: Vec<(usize, usize)> = Vec::with_capacity(blanks.len() + 1);
                let mut from = body;
                for &(a, b) in blanks.iter().filter(|(_, b)| *b > body) {
                    if a > from {
                        kept.push((from, a));
                    }
                    from = b;
                }
                if cut > from {
                    kept.push((from, cut));
                }
                let df = read_piece(
                    path,
                    &header_bytes,
                    kept.iter().map(|&(a, b)| &buf[a..b]),
                    delimiter,
                    &names,
                    fields,
                    &starts,
                )?;
                any_rows |= df.height() > 0;
                each(df)?;
                starts.clear();
            }
            blanks.clear();
            buf_line += memchr::memchr_iter(b'\n', &buf[..cut]).count() as u64;
            buf.drain(..cut);
            scanned -= cut;
            checked -= cut;
            // At the end of the file the last record (without a line break) is cut too.
            record_start = record_start.saturating_sub(cut);
        }
        if eof {
            break;
        }
        eof = fill(path, &mut file, &mut buf, block)?;
        check(&buf, &mut checked, buf_line, eof)?;
    }
    if !any_rows {
        return Err(Error::EmptyFile {
            file: path.to_path_buf(),
            table: table.into(),
            what: "the file has a header but no rows".into(),
        });
    }
    Ok(())
}

fn field_count_error(path: &Path, r: Record, header: &[String]) -> Error {
    let expected = header.len();
    let column = if r.fields < expected {
        header[r.fields].clone()
    } else {
        header.last().cloned().unwrap_or_default()
    };
    Error::FieldCount {
        file: path.to_path_buf(),
        line: r.line as usize,
        column,
        found: r.fields,
        expected,
    }
}

/// Reads one piece of whole records (without the header) with polars, every column as text.
fn read_piece<'a>(
    path: &Path,
    header: &[u8],
    body: impl Iterator<Item = &'a [u8]> + Clone,
    delimiter: u8,
    names: &Arc<[PlSmallStr]>,
    fields: &[(String, String)],
    starts: &[u64],
) -> Result<DataFrame> {
    let size: usize = body.clone().map(<[u8]>::len).sum();
    let mut bytes = Vec::with_capacity(header.len() + 1 + size + 1);
    bytes.extend_from_slice(header);
    bytes.push(b'\n');
    for part in body {
        bytes.extend_from_slice(part);
    }
    let first = starts.first().copied().unwrap_or(2);
    let df = CsvReadOptions::default()
        .with_has_header(true)
        .with_infer_schema_length(Some(0))
        .with_raise_if_empty(false)
        .with_columns(Some(names.clone()))
        .with_row_index(Some(RowIndex {
            name: LINE.into(),
            offset: first as IdxSize,
        }))
        .map_parse_options(|p| p.with_separator(delimiter).with_missing_is_null(true))
        .into_reader_with_file_handle(std::io::Cursor::new(bytes))
        .finish()
        .map_err(|e| read_error(path, e))?;
    let mut exprs = vec![col(LINE).cast(DataType::UInt64)];
    exprs.extend(
        fields
            .iter()
            .map(|(f, c)| col(c.as_str()).alias(f.as_str())),
    );
    let mut df = df
        .lazy()
        .select(exprs)
        .collect()
        .map_err(|e| read_error(path, e))?;
    // Quoted line breaks and blank lines make records start on lines other than the next:
    // give each row the line it starts on.
    let consecutive = starts.windows(2).all(|w| w[1] == w[0] + 1);
    if !consecutive && df.height() == starts.len() {
        df.with_column(Column::new(LINE.into(), starts.to_vec()))
            .map_err(|e| read_error(path, e))?;
    }
    Ok(df)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn scan_whole(text: &[u8]) -> Vec<(Record, usize)> {
        let mut out = Vec::new();
        let mut s = Scanner::new(b',');
        s.feed(text, &mut |r, end| {
            out.push((r, end));
            true
        });
        out.push((s.finish(), text.len()));
        out
    }

    /// Fed in pieces cut at `cuts` (one byte at a time when empty).
    fn scan_cut(text: &[u8], cuts: &[usize]) -> Vec<(Record, usize)> {
        let mut bounds: Vec<usize> = if cuts.is_empty() {
            (0..=text.len()).collect()
        } else {
            let mut b: Vec<usize> = cuts.iter().map(|c| c % (text.len() + 1)).collect();
            b.push(0);
            b.push(text.len());
            b
        };
        bounds.sort_unstable();
        bounds.dedup();
        let mut out = Vec::new();
        let mut s = Scanner::new(b',');
        for w in bounds.windows(2) {
            let base = w[0];
            s.feed(&text[w[0]..w[1]], &mut |r, end| {
                out.push((r, base + end));
                true
            });
        }
        out.push((s.finish(), text.len()));
        out
    }

    proptest! {
        /// The fast path (whole quote-free lines) finds what the byte-by-byte state machine
        /// finds, wherever the text is cut.
        #[test]
        fn records_do_not_depend_on_how_the_text_is_fed(
            text in proptest::collection::vec(
                prop_oneof![
                    Just(b'a'), Just(b','), Just(b'"'), Just(b'\n'), Just(b'\r'), Just(b' '),
                    Just(b'\t'), Just(b'x')
                ],
                0..200,
            ),
            cuts in proptest::collection::vec(0usize..400, 0..6),
        ) {
            let whole = scan_whole(&text);
            prop_assert_eq!(&scan_cut(&text, &[]), &whole);
            prop_assert_eq!(&scan_cut(&text, &cuts), &whole);
        }
    }

    #[test]
    fn a_quoted_line_break_stays_in_its_record() {
        let recs = scan_whole(b"a,b\n\"x\ny\",2\n\n3,4");
        let lines: Vec<(u64, usize, bool)> = recs
            .iter()
            .map(|(r, _)| (r.line, r.fields, r.blank))
            .collect();
        assert_eq!(
            lines,
            vec![(1, 2, false), (2, 2, false), (4, 1, true), (5, 2, false)]
        );
    }

    fn opts(path: &Path) -> FileOptions {
        FileOptions::plain(path, Format::Csv)
    }

    fn fields() -> Vec<(String, String)> {
        vec![
            ("id".to_string(), "customer".to_string()),
            ("v".to_string(), "value".to_string()),
        ]
    }

    /// A row as read: line, id, value.
    type Row = (u64, String, String);

    /// Every piece of a read, stacked: the number of pieces and the rows.
    fn read_rows(path: &Path, block: usize) -> Result<(usize, Vec<Row>)> {
        let mut pieces = 0;
        let mut rows = Vec::new();
        read_csv_pieces("events", path, &opts(path), &fields(), block, |df| {
            pieces += 1;
            let line = df.column(LINE).unwrap().u64().unwrap().clone();
            let id = df.column("id").unwrap().str().unwrap().clone();
            let v = df.column("v").unwrap().str().unwrap().clone();
            for i in 0..df.height() {
                rows.push((
                    line.get(i).unwrap(),
                    id.get(i).unwrap_or("").to_string(),
                    v.get(i).unwrap_or("").to_string(),
                ));
            }
            Ok(())
        })?;
        Ok((pieces, rows))
    }

    #[test]
    fn small_pieces_give_the_rows_and_lines_of_one_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("e.csv");
        let mut text = String::from("\u{feff}customer,other,value\n");
        for i in 0..300 {
            match i % 50 {
                7 => text.push_str(&format!("c{i},\"two\nlines\",é{i}\n")),
                13 => text.push_str("\n\n"),
                _ => text.push_str(&format!("c{i},x,ø{i}\n")),
            }
        }
        std::fs::write(&path, &text).unwrap();
        let (one, whole) = read_rows(&path, 1 << 20).unwrap();
        assert_eq!(one, 1);
        assert_eq!(whole.len(), 294);
        // Line numbers: the header is line 1; a quoted line break and blank lines shift them.
        assert_eq!(whole[0], (2, "c0".into(), "ø0".into()));
        assert_eq!(whole[7], (9, "c7".into(), "é7".into()));
        assert_eq!(whole[8].0, 11);
        assert_eq!(whole[14].0, 19);
        for block in [1, 5, 64, 333, 1000] {
            let (pieces, rows) = read_rows(&path, block).unwrap();
            assert!(pieces > 1, "block {block}");
            assert_eq!(rows, whole, "block {block}");
        }
    }

    /// A header and 100 good rows, on lines 2 to 101.
    fn hundred_rows() -> String {
        let mut good = String::from("customer,value\n");
        for i in 0..100 {
            good.push_str(&format!("c{i},{i}\n"));
        }
        good
    }

    #[test]
    fn faults_in_later_pieces_name_their_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("e.csv");
        let good = hundred_rows();
        // A row with a missing field on line 102.
        std::fs::write(&path, format!("{good}c100\n")).unwrap();
        for block in [8, 100, 1 << 20] {
            match read_rows(&path, block) {
                Err(Error::FieldCount { line, found, .. }) => {
                    assert_eq!((line, found), (102, 1), "block {block}")
                }
                other => panic!("block {block}: {other:?}"),
            }
        }
        // A byte that is not UTF-8 on line 102, column `value`.
        let mut bytes = good.clone().into_bytes();
        bytes.extend_from_slice(b"c100,\xff\n");
        std::fs::write(&path, &bytes).unwrap();
        for block in [8, 100, 1 << 20] {
            match read_rows(&path, block) {
                Err(Error::NotUtf8 { line, column, .. }) => {
                    assert_eq!((line, column.as_str()), (102, "value"), "block {block}")
                }
                other => panic!("block {block}: {other:?}"),
            }
        }
        // A NUL byte on line 102.
        let mut bytes = good.clone().into_bytes();
        bytes.extend_from_slice(b"c100,\0\n");
        std::fs::write(&path, &bytes).unwrap();
        for block in [8, 100, 1 << 20] {
            match read_rows(&path, block) {
                Err(Error::Utf16 { line, .. }) => assert_eq!(line, 102, "block {block}"),
                other => panic!("block {block}: {other:?}"),
            }
        }
        // A character cut by a block boundary is read whole.
        let mut text = String::from("customer,value\n");
        for i in 0..50 {
            text.push_str(&format!("c{i},Ærø{i}\n"));
        }
        std::fs::write(&path, &text).unwrap();
        let (_, whole) = read_rows(&path, 1 << 20).unwrap();
        for block in 1..12 {
            assert_eq!(read_rows(&path, block).unwrap().1, whole, "block {block}");
        }
    }

    #[test]
    fn read_ahead_an_error_of_the_taker_wins_over_a_fault_met_ahead() {
        use crate::ingest::read::read_ahead;
        use std::sync::atomic::{AtomicBool, Ordering};
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("e.csv");
        let mut text = hundred_rows();
        // A row with a missing field on line 102: in the second piece of 250 bytes.
        text.push_str("c100\n");
        std::fs::write(&path, &text).unwrap();
        // The first piece is held until the reader has met the fault in the second.
        let fault_met = AtomicBool::new(false);
        let mut seen_ahead = Vec::new();
        let got = read_ahead(
            |give| {
                let read = read_csv_pieces("events", &path, &opts(&path), &fields(), 250, give);
                fault_met.store(true, Ordering::SeqCst);
                read
            },
            |_| {
                let t = std::time::Instant::now();
                while !fault_met.load(Ordering::SeqCst)
                    && t.elapsed() < std::time::Duration::from_secs(20)
                {
                    std::thread::yield_now();
                }
                seen_ahead.push(fault_met.load(Ordering::SeqCst));
                Err(Error::Data("stopped by the taker".into()))
            },
        );
        assert_eq!(
            seen_ahead,
            [true],
            "the fault was read while the first piece was held"
        );
        match got {
            Err(Error::Data(m)) => assert_eq!(m, "stopped by the taker"),
            other => panic!("{other:?}"),
        }
        // Without an error of the taker, the pieces before the fault's are taken in order,
        // then the fault is told.
        let mut lines = Vec::new();
        let got = read_ahead(
            |give| read_csv_pieces("events", &path, &opts(&path), &fields(), 8, give),
            |df: DataFrame| {
                lines.extend(df.column(LINE).unwrap().u64().unwrap().into_no_null_iter());
                Ok(())
            },
        );
        assert!(
            matches!(got, Err(Error::FieldCount { line: 102, .. })),
            "{got:?}"
        );
        let last = *lines.last().unwrap();
        assert!((99..102).contains(&last), "last line taken {last}");
        assert_eq!(lines, (2..=last).collect::<Vec<u64>>());
    }

    #[test]
    fn a_header_without_rows_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("e.csv");
        std::fs::write(&path, "customer,value\n\n").unwrap();
        for block in [1, 4, 1 << 20] {
            assert!(
                matches!(read_rows(&path, block), Err(Error::EmptyFile { .. })),
                "block {block}"
            );
        }
    }
}
