//! Delimited text files: encoding and delimiter chosen, banner rows skipped, records parsed
//! on one thread while the previous batch is converted.

use super::scanner::{BLANK_MARK, LineScanner, ScanError};
use super::sink::{BATCH_ROWS, Batch, Extent, Header, Layout, Sink, TextRows};
use crate::ingest::error::InputError;
use crate::ingest::mapping::Mapping;
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

pub(super) fn open(path: &Path) -> Result<File, InputError> {
    File::open(path).map_err(|e| {
        let fix = if crate::platform::held_by_another_program(&e) {
            let name = path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into());
            crate::platform::close_it_first(&name)
        } else {
            "check the path in the configuration".to_string()
        };
        InputError::file(path, format!("cannot open the file: {e}"), fix)
    })
}

/// Picks the encoding: configured, or from a byte-order mark, or UTF-8 when the first megabyte
/// is valid UTF-8, else Windows-1252 (the encoding of Belgian and Dutch Excel CSV exports).
pub(super) fn choose_encoding(
    path: &Path,
    configured: Option<&str>,
    head: &[u8],
) -> Result<&'static encoding_rs::Encoding, InputError> {
    if let Some(label) = configured {
        return encoding_rs::Encoding::for_label(label.trim().as_bytes()).ok_or_else(|| {
            InputError::file(path, format!("unknown encoding '{label}'"), "use utf-8, windows-1252 or iso-8859-1")
        });
    }
    if let Some((enc, _)) = encoding_rs::Encoding::for_bom(head) {
        return Ok(enc);
    }
    match std::str::from_utf8(head) {
        Ok(_) => Ok(encoding_rs::UTF_8),
        // A multi-byte character cut at the end of the sniffed block is still UTF-8.
        Err(e) if e.error_len().is_none() => Ok(encoding_rs::UTF_8),
        Err(_) => Ok(encoding_rs::WINDOWS_1252),
    }
}

/// The delimiter that splits the header line into the most fields.
fn detect_delimiter(header_line: &str) -> Option<u8> {
    let count = |d: char| {
        let mut n = 0;
        let mut quoted = false;
        for c in header_line.chars() {
            if c == '"' {
                quoted = !quoted;
            } else if c == d && !quoted {
                n += 1;
            }
        }
        n
    };
    [';', ',', '\t', '|']
        .into_iter()
        .map(|d| (count(d), d))
        .filter(|(n, _)| *n > 0)
        .max_by_key(|(n, d)| (*n, std::cmp::Reverse(*d as u32)))
        .map(|(_, d)| d as u8)
}

// Long on purpose: encoding, banner rows, header and delimiter are found in that order on the

// same first bytes before the parser thread starts.

pub(super) fn read_text(
    path: &Path,
    mapping: &Mapping,
    sink: &mut dyn Sink,
    extent: &mut Extent,
) -> Result<Header, InputError> {
    let mut head = Vec::with_capacity(1 << 20);
    open(path)?
        .take(1 << 20)
        .read_to_end(&mut head)
        .map_err(|e| InputError::file(path, format!("cannot read the file: {e}"), "check that the file is readable"))?;
    if head.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(InputError::file(path, "the file is empty", "export the data again; a header row is expected"));
    }
    let encoding = choose_encoding(path, mapping.encoding.as_deref(), &head)?;
    let (decoded_head, _, _) = encoding.decode(&head);
    // The CSV parser skips empty lines, so skip_rows counts non-empty lines here too.
    let header_text = decoded_head.lines().filter(|l| !l.is_empty()).nth(mapping.skip_rows).unwrap_or("");
    let above_text =
        mapping.skip_rows.checked_sub(1).and_then(|i| decoded_head.lines().filter(|l| !l.is_empty()).nth(i));
    let delimiter = match mapping.delimiter.as_deref() {
        Some("\\t") | Some("tab") => b'\t',
        Some(d) if d.len() == 1 => d.as_bytes()[0],
        Some(d) => {
            return Err(InputError::file(
                path,
                format!("delimiter {d:?} is not a single character"),
                "use \";\", \",\", \"tab\" or \"|\"",
            ));
        }
        None => detect_delimiter(header_text).ok_or_else(|| {
            InputError::file(
                path,
                format!("cannot tell the delimiter from the header line {:?}", truncate(header_text, 80)),
                "set delimiter in the mapping, or skip_rows if the header is further down",
            )
        })?,
    };
    // UTF-8 needs no decoding pass; the parser checks validity per record.
    let reader: Box<dyn Read + Send> = if encoding == encoding_rs::UTF_8 {
        Box::new(BufReader::with_capacity(1 << 20, open(path)?))
    } else {
        Box::new(
            encoding_rs_io::DecodeReaderBytesBuilder::new()
                .encoding(Some(encoding))
                .build(BufReader::with_capacity(1 << 20, open(path)?)),
        )
    };
    let rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .buffer_capacity(1 << 20)
        .from_reader(LineScanner::new(reader, delimiter));
    let layout = Layout::Text { delimiter, encoding: encoding.name() };
    let above: Vec<String> = above_text
        .and_then(|l| {
            let mut r = csv::ReaderBuilder::new().has_headers(false).delimiter(delimiter).from_reader(l.as_bytes());
            r.records().next().and_then(Result::ok)
        })
        .map(|rec| rec.iter().map(|f| f.trim().to_string()).filter(|f| !f.is_empty()).collect())
        .unwrap_or_default();
    let banner: Vec<String> =
        decoded_head.lines().filter(|l| !l.is_empty()).take(mapping.skip_rows).map(str::to_string).collect();

    // Parsing runs on its own thread, a batch ahead of conversion and merging, so that on two
    // cores reading the file overlaps with the rest. Emptied batches come back for reuse.
    let (tx, rx) = std::sync::mpsc::sync_channel::<Parsed>(2);
    let (back_tx, back_rx) = std::sync::mpsc::channel::<TextRows>();
    std::thread::scope(|scope| {
        let file_len = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
        let rules = Rules { skip_rows: mapping.skip_rows, multiline: mapping.multiline, header: mapping.header };
        scope.spawn(move || parse_records(rdr, path, rules, file_len, tx, back_rx));
        let mut header: Option<Header> = None;
        for msg in rx {
            match msg {
                Parsed::Header(names, line) => {
                    let h =
                        Header { names, line, layout: layout.clone(), above: above.clone(), banner: banner.clone() };
                    sink.header(&h)?;
                    header = Some(h);
                }
                Parsed::Rows(rows) => {
                    let h = header.as_ref().expect("the parser sends the header first");
                    sink.batch(h, Batch::Text(&rows.rows()))?;
                    let _ = back_tx.send(rows);
                }
                Parsed::Blank(line) => extent.blank_lines.push(line),
                Parsed::Lines(n, within) => (extent.physical_lines, extent.lines_within_rows) = (n, within),
                Parsed::SizeHint(rows) => sink.size_hint(rows),
                Parsed::Failed(e) => return Err(e),
            }
        }
        header.ok_or_else(|| {
            InputError::file(
                path,
                "no header row found",
                "the file has fewer rows than skip_rows; check skip_rows in the mapping",
            )
        })
    })
}

/// What the parser thread sends.
pub(super) enum Parsed {
    Header(Vec<String>, u32),
    Rows(TextRows),
    Blank(u32),
    SizeHint(usize),
    /// The physical lines of the whole file, once read, every one of them in a record; and
    /// those inside rows beyond their first line.
    Lines(u64, u64),
    Failed(InputError),
}

/// The mapping's rules for records.
#[derive(Clone, Copy)]
pub(super) struct Rules {
    skip_rows: usize,
    multiline: bool,
    /// The first record holds the column names (else they are `#1`, `#2`…).
    header: bool,
}

/// Line breaks inside a record's fields (`\n`, `\r\n` or a lone `\r` each count one), field by
/// field: a `\r` ending one field and a `\n` starting the next are two.
pub(super) fn record_breaks<'a>(all: &[u8], fields: impl Iterator<Item = &'a [u8]>) -> u64 {
    if memchr::memchr2(b'\n', b'\r', all).is_none() {
        return 0;
    }
    fields.map(line_breaks).sum()
}

fn line_breaks(b: &[u8]) -> u64 {
    let mut n = 0;
    for i in memchr::memchr2_iter(b'\n', b'\r', b) {
        if b[i] == b'\n' || b.get(i + 1) != Some(&b'\n') {
            n += 1;
        }
    }
    n
}

/// Parses records into batches. Stops quietly when the consumer has stopped listening (it
/// hit an error of its own).
// Long on purpose: one loop on the parser thread, its state (line counts, batch, blank
// marks) kept in locals the optimiser holds in registers over millions of records.
fn parse_records<R: Read>(
    mut rdr: csv::Reader<LineScanner<R>>,
    path: &Path,
    rules: Rules,
    file_len: u64,
    tx: std::sync::mpsc::SyncSender<Parsed>,
    back: std::sync::mpsc::Receiver<TextRows>,
) {
    let mut header_seen = false;
    let mut hinted = false;
    let mut skipped = 0;
    let mut batch = TextRows::default();
    // Each record is read into this one and copied into the batch.
    let mut record = csv::StringRecord::new();
    let mut next_line = 1u64;
    let mut within_rows = 0u64;
    loop {
        let more = match rdr.read_record(&mut record) {
            Ok(more) => more,
            Err(e) => {
                let scanned = match e.kind() {
                    csv::ErrorKind::Io(io) => io.get_ref().and_then(|x| x.downcast_ref::<ScanError>()),
                    _ => None,
                };
                if let Some(se) = scanned {
                    let err = InputError::at(path, format!("line {}", se.line), se.problem.clone(), se.fix);
                    let _ = tx.send(Parsed::Failed(err));
                    return;
                }
                let (line, hint) = match e.kind() {
                    csv::ErrorKind::Utf8 { pos, .. } => (
                        pos.as_ref().map(|p| p.line()).unwrap_or(0),
                        "the file is not valid UTF-8 there: set encoding = \"windows-1252\" in the mapping",
                    ),
                    _ => (e.position().map(|p| p.line()).unwrap_or(0), "check the file around that line"),
                };
                let err = InputError::at(path, format!("line {line}"), format!("cannot parse the file: {e}"), hint);
                let _ = tx.send(Parsed::Failed(err));
                return;
            }
        };
        if !more {
            break;
        }
        // Our own line count: the parser's positions lag by one line in CRLF files. Blank
        // lines are records here (marked), so every line is seen.
        let line = next_line;
        // The scanner has read at least as far as this record: with no break inside quotes so
        // far (nearly every file), no record holds one.
        let breaks = if rdr.get_ref().quotes_span_lines() {
            record_breaks(record.as_slice().as_bytes(), record.iter().map(str::as_bytes))
        } else {
            0
        };
        next_line += 1 + breaks;
        if header_seen {
            within_rows += breaks;
        }
        if breaks > 0 && !rules.multiline {
            let err = InputError::at(
                path,
                format!("line {line}"),
                format!(
                    "a quoted field opened on this line runs over {} lines, to line {}: a quote left open? The lines in it would be lost as rows",
                    breaks + 1,
                    line + breaks
                ),
                "close the quote in the export (or remove the stray \" character); if fields really span several lines, set multiline = true in the mapping",
            );
            let _ = tx.send(Parsed::Failed(err));
            return;
        }
        if record.len() == 1 && record[0].as_bytes() == [BLANK_MARK] {
            // Blank lines before the header are part of the banner, as the header search sees it.
            if header_seen && tx.send(Parsed::Blank(line as u32)).is_err() {
                return;
            }
            continue;
        }
        if skipped < rules.skip_rows {
            skipped += 1;
            continue;
        }
        if !header_seen {
            header_seen = true;
            if rules.header {
                let names = record.iter().map(|s| s.trim().trim_start_matches('\u{feff}').to_string()).collect();
                if tx.send(Parsed::Header(names, line as u32)).is_err() {
                    return;
                }
                continue;
            }
            // No header: the columns are numbered and this record is the first row.
            within_rows += breaks;
            let names = (1..=record.len()).map(|i| format!("#{i}")).collect();
            if tx.send(Parsed::Header(names, line as u32 - 1)).is_err() {
                return;
            }
        }
        if batch.is_fresh() {
            // The file's bytes over this record's: the rows of a small file, or a whole batch.
            let per_row = (record.as_slice().len() + record.len()).max(1) as u64;
            batch.reserve_like(&record, (file_len / per_row).clamp(1, BATCH_ROWS as u64) as usize);
        }
        batch.push(&record, line as u32);
        if batch.len() == BATCH_ROWS {
            if !hinted {
                hinted = true;
                let consumed = rdr.position().byte().max(1);
                let rows = (file_len as f64 / consumed as f64 * BATCH_ROWS as f64 * 1.02) as usize;
                if tx.send(Parsed::SizeHint(rows)).is_err() {
                    return;
                }
            }
            let mut next = back.try_recv().unwrap_or_default();
            next.clear();
            let full = std::mem::replace(&mut batch, next);
            if tx.send(Parsed::Rows(full)).is_err() {
                return;
            }
        }
    }
    if !batch.is_empty() && tx.send(Parsed::Rows(batch)).is_err() {
        return;
    }
    // Every physical line is in a record (blank ones are marked): the two counts are one.
    let physical = rdr.get_ref().lines();
    if physical != next_line - 1 {
        let err = InputError::file(
            path,
            format!("the file has {physical} lines but its records cover {}: lines would be lost", next_line - 1),
            "this is a bug in arwatch's reading of this file: please report it with the file's line endings and quoting",
        );
        let _ = tx.send(Parsed::Failed(err));
        return;
    }
    let _ = tx.send(Parsed::Lines(physical, within_rows));
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n { s.to_string() } else { s.chars().take(n).collect::<String>() + "…" }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delimiter_detection() {
        assert_eq!(detect_delimiter("a;b;c"), Some(b';'));
        assert_eq!(detect_delimiter("a,b,c"), Some(b','));
        assert_eq!(detect_delimiter("\"a;x\",b,c"), Some(b','));
        assert_eq!(detect_delimiter("a\tb"), Some(b'\t'));
        assert_eq!(detect_delimiter("abc"), None);
    }
}
