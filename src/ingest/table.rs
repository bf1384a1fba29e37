//! Reading a source file as a header plus rows of cells, whatever its format: delimited text in
//! any of the usual encodings and delimiters, or a workbook sheet through calamine.
//!
//! Rows are handed out in batches so that a 10-million-row export is never held whole as text,
//! and so that each batch can be converted in parallel.

use super::error::InputError;
use super::mapping::{Mapping, column_letters};
use super::parse::trim;
use calamine::{Data, DataType, Reader, open_workbook_auto};
use chrono::NaiveDate;
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

/// One cell as the converter sees it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum CellRef<'a> {
    Empty,
    Text(&'a str),
    Number(f64),
    Date(NaiveDate),
    Bool(bool),
}

impl CellRef<'_> {
    /// The value as shown in messages and in the rejected-rows file.
    pub fn display(&self) -> String {
        match self {
            CellRef::Empty => String::new(),
            CellRef::Text(s) => s.to_string(),
            CellRef::Number(v) => format!("{v}"),
            CellRef::Date(d) => d.to_string(),
            CellRef::Bool(b) => b.to_string(),
        }
    }

    pub fn is_empty(&self) -> bool {
        match self {
            CellRef::Empty => true,
            CellRef::Text(s) => trim(s).is_empty(),
            _ => false,
        }
    }
}

/// A row of any source, with its place in the file.
pub trait RawRow: Sync {
    /// 1-based line (text) or row (sheet).
    fn line(&self) -> u32;
    fn cell(&self, col: usize) -> CellRef<'_>;
    fn width(&self) -> usize;

    fn is_blank(&self) -> bool {
        (0..self.width()).all(|i| self.cell(i).is_empty())
    }

    /// For a delimited text row with more fields than its header has names, and something in
    /// the extra ones: how many fields it has. Its values would be shifted (an unquoted
    /// delimiter in a text field), so it is never read. Trailing empty fields are harmless,
    /// and a sheet's cells cannot shift.
    fn fields_beyond(&self, _header: usize) -> Option<usize> {
        None
    }

    /// All values of the row, for the rejected-rows file.
    fn raw_values(&self) -> String {
        (0..self.width()).map(|i| self.cell(i).display()).collect::<Vec<_>>().join(" | ")
    }
}

/// A CSV record and the line it starts on.
pub struct TextRow {
    pub record: csv::StringRecord,
    pub line: u32,
}

impl RawRow for TextRow {
    fn line(&self) -> u32 {
        self.line
    }
    fn cell(&self, col: usize) -> CellRef<'_> {
        match self.record.get(col) {
            Some(s) if !s.is_empty() => CellRef::Text(s),
            _ => CellRef::Empty,
        }
    }
    fn width(&self) -> usize {
        self.record.len()
    }
    fn fields_beyond(&self, header: usize) -> Option<usize> {
        let n = self.record.len();
        (n > header && self.record.iter().skip(header).any(|f| !trim(f).is_empty())).then_some(n)
    }
}

pub struct SheetRow {
    pub row: u32,
    pub cells: Vec<Data>,
}

impl RawRow for SheetRow {
    fn line(&self) -> u32 {
        self.row
    }
    fn cell(&self, col: usize) -> CellRef<'_> {
        match self.cells.get(col) {
            None | Some(Data::Empty) => CellRef::Empty,
            Some(Data::String(s)) | Some(Data::DateTimeIso(s)) | Some(Data::DurationIso(s)) => CellRef::Text(s),
            Some(Data::Float(f)) => CellRef::Number(*f),
            Some(Data::Int(i)) => CellRef::Number(*i as f64),
            Some(Data::Bool(b)) => CellRef::Bool(*b),
            Some(d @ Data::DateTime(_)) => match d.as_date() {
                Some(date) => CellRef::Date(date),
                None => CellRef::Empty,
            },
            Some(Data::Error(_)) => CellRef::Text("#ERROR"),
        }
    }
    fn width(&self) -> usize {
        self.cells.len()
    }
}

/// Where rows come from, for messages: `line 12` or `sheet 'Invoices' row 12`.
#[derive(Clone, Debug)]
pub enum Layout {
    Text { delimiter: u8, encoding: &'static str },
    Sheet { name: String },
}

impl Layout {
    pub fn location(&self, line: u32, col: Option<usize>) -> String {
        match (self, col) {
            (Layout::Text { .. }, _) => format!("line {line}"),
            (Layout::Sheet { name }, Some(c)) => format!("sheet '{name}' cell {}{line}", column_letters(c)),
            (Layout::Sheet { name }, None) => format!("sheet '{name}' row {line}"),
        }
    }
}

/// What a reader hands to its consumer.
pub enum Batch<'a> {
    Text(&'a [TextRow]),
    Sheet(&'a [SheetRow]),
}

/// The header of a table, once found.
#[derive(Clone, Debug)]
pub struct Header {
    pub names: Vec<String>,
    pub line: u32,
    pub layout: Layout,
}

pub const BATCH_ROWS: usize = 50_000;

/// A line the CSV parser would skip silently (empty, outside quotes) is given this one-byte
/// field instead, so blank lines are reported with their true line numbers.
const BLANK_MARK: u8 = 0x01;

/// The longest line, or quoted field, arwatch reads: longer is a broken export (or a quote left
/// open), and stopping there keeps memory bounded whatever the file holds.
pub const MAX_LINE_BYTES: u64 = 4 << 20;

/// Why the scanner stopped reading, carried through the CSV parser as an I/O error.
#[derive(Debug)]
struct ScanError {
    line: u64,
    problem: String,
    fix: &'static str,
}

impl std::fmt::Display for ScanError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {}", self.line, self.problem)
    }
}

impl std::error::Error for ScanError {}

/// Reads the bytes under the CSV parser and follows them as the parser does (quotes open only
/// at the start of a field, `""` inside quotes is a quote), to:
/// - count physical lines (`\n`, `\r\n` or a lone `\r` ends one), so that every line of the
///   file is accounted for;
/// - mark blank lines, which the parser would otherwise drop without a trace;
/// - stop with the line where a quote opened when it is still open at the end of the file, and
///   on a line or quoted field beyond [`MAX_LINE_BYTES`].
///
/// Bytes are read straight into the parser's buffer; only a chunk that holds a blank line, or
/// follows a held-back byte, is copied.
/// What the scanner knows after the bytes it has seen.
#[derive(Clone, Copy)]
struct ScanState {
    in_quotes: bool,
    /// Nothing but a `\r` since the current line started.
    line_start: bool,
    /// The byte before the chunk being scanned (`\n` at the start of the file).
    prev: u8,
    /// Bytes handed on so far, to recognise a byte-order mark before the first field.
    offset: u64,
    /// Physical lines ended so far.
    lines: u64,
    /// Bytes of the current line, and of the current quoted field.
    line_bytes: u64,
    quote_bytes: u64,
    /// The line where the open quoted field started.
    quote_line: u64,
    /// Line breaks seen inside quotes so far: while there are none, no record spans lines and
    /// the parser need not look for breaks in each record.
    breaks_in_quotes: u64,
}

struct LineScanner<R> {
    inner: R,
    delimiter: u8,
    /// Marked bytes not yet handed out.
    output: Vec<u8>,
    pos: usize,
    /// Final `"` and `\r` bytes held back until the next byte tells what they are.
    carry: Vec<u8>,
    /// Where the scan stands; copied aside when a chunk is scanned twice (to mark blank lines).
    at: ScanState,
    done: bool,
}

impl<R: Read> LineScanner<R> {
    fn new(inner: R, delimiter: u8) -> Self {
        LineScanner {
            inner,
            delimiter,
            output: Vec::new(),
            pos: 0,
            carry: Vec::new(),
            at: ScanState {
                in_quotes: false,
                line_start: true,
                prev: b'\n',
                offset: 0,
                lines: 0,
                line_bytes: 0,
                quote_bytes: 0,
                quote_line: 0,
                breaks_in_quotes: 0,
            },
            done: false,
        }
    }

    /// Physical lines in what was read (a last line without a line break counts).
    fn lines(&self) -> u64 {
        self.at.lines
    }

    /// Whether any quoted field read so far (the parser's buffer is ahead of its records)
    /// spans lines.
    fn quotes_span_lines(&self) -> bool {
        self.at.breaks_in_quotes > 0
    }

    /// Follows `chunk` (which ends in no `"` or `\r` unless the file ends there),
    /// marking blank lines into `out` when given. Returns whether the chunk holds one.
    fn scan(&mut self, chunk: &[u8], mut out: Option<&mut Vec<u8>>) -> Result<bool, ScanError> {
        let mut found = false;
        let mut copied = 0;
        let mut seg_start = 0;
        let mut skip_to = 0;
        // Where the current line started in this chunk (0: in an earlier chunk, or here).
        let mut line_begin = 0;
        let byte_before = |i: usize, prev: u8| if i == 0 { prev } else { chunk[i - 1] };
        for i in memchr::memchr3_iter(b'"', b'\n', b'\r', chunk) {
            if i < skip_to {
                continue;
            }
            let next = chunk.get(i + 1).copied();
            if chunk[i] == b'\r' && next == Some(b'\n') {
                // Half of a `\r\n`: the `\n` ends the line.
                continue;
            }
            let seg = &chunk[seg_start..i];
            if !seg.is_empty() && seg != b"\r" {
                self.at.line_start = false;
            }
            seg_start = i + 1;
            if chunk[i] == b'"' {
                self.at.line_start = false;
                if self.at.in_quotes {
                    if next == Some(b'"') {
                        skip_to = i + 2;
                        seg_start = i + 2;
                    } else {
                        self.at.in_quotes = false;
                    }
                } else {
                    let before = byte_before(i, self.at.prev);
                    let at_bom_end = self.at.offset + i as u64 == 3 && before == 0xBF;
                    if before == self.delimiter || before == b'\n' || before == b'\r' || at_bom_end {
                        self.at.in_quotes = true;
                        self.at.quote_line = self.at.lines + 1;
                        self.at.quote_bytes = 0;
                    }
                }
                continue;
            }
            // A line ends at `i`.
            if self.at.line_start && !self.at.in_quotes {
                found = true;
                if let Some(o) = out.as_deref_mut() {
                    // The mark goes where the empty line starts.
                    let at = line_begin.max(copied);
                    o.extend_from_slice(&chunk[copied..at]);
                    o.push(BLANK_MARK);
                    copied = at;
                }
            }
            line_begin = i + 1;
            self.at.lines += 1;
            self.at.breaks_in_quotes += self.at.in_quotes as u64;
            self.at.line_bytes = 0;
            if !self.at.in_quotes {
                self.at.line_start = true;
            }
        }
        let tail = &chunk[seg_start.min(chunk.len())..];
        if !tail.is_empty() && tail != b"\r" {
            self.at.line_start = false;
        }
        // Bytes since the last line break, and since the quote opened: bounded per chunk.
        let last_break = chunk.iter().rposition(|&b| b == b'\n' || b == b'\r');
        self.at.line_bytes += (chunk.len() - last_break.map_or(0, |p| p + 1)) as u64;
        if self.at.in_quotes {
            self.at.quote_bytes += chunk.len() as u64;
        }
        if let Some(&b) = chunk.last() {
            self.at.prev = b;
        }
        self.at.offset += chunk.len() as u64;
        if self.at.in_quotes && self.at.quote_bytes > MAX_LINE_BYTES {
            return Err(ScanError {
                line: self.at.quote_line,
                problem: format!(
                    "a quoted field opened on this line runs over more than {} MiB: a quote left open?",
                    MAX_LINE_BYTES >> 20
                ),
                fix: "close the quote in the export (or remove the stray \" character)",
            });
        }
        if self.at.line_bytes > MAX_LINE_BYTES {
            return Err(ScanError {
                line: self.at.lines + 1,
                problem: format!("the line is longer than {} MiB", MAX_LINE_BYTES >> 20),
                fix: "this is no accounting export line; check the file (and the delimiter and line breaks) or export it again",
            });
        }
        if let Some(o) = out {
            o.extend_from_slice(&chunk[copied..]);
        }
        Ok(found)
    }

    /// At the end of the file: the last line counts, and a quote must not be open.
    fn finish(&mut self) -> Result<(), ScanError> {
        if self.at.offset > 0 && self.at.prev != b'\n' && self.at.prev != b'\r' {
            self.at.lines += 1;
        }
        if self.at.in_quotes {
            return Err(ScanError {
                line: self.at.quote_line,
                problem: format!(
                    "a quote opened on this line is never closed: lines {} to {} (the end of the file) would be one field",
                    self.at.quote_line, self.at.lines
                ),
                fix: "close the quote in the export (or remove the stray \" character)",
            });
        }
        Ok(())
    }

    /// Scans `chunk` (at least one byte) and hands it out through `output`.
    fn stage(&mut self, chunk: Vec<u8>) -> Result<(), ScanError> {
        let saved = self.at;
        if self.scan(&chunk, None)? {
            self.at = saved;
            let mut marked = Vec::with_capacity(chunk.len() + 16);
            self.scan(&chunk, Some(&mut marked))?;
            self.output = marked;
        } else {
            self.output = chunk;
        }
        self.pos = 0;
        Ok(())
    }
}

fn scan_error(e: ScanError) -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::InvalidData, e)
}

/// How many bytes at the end of `b` are `"` or `\r`: their meaning depends on the byte after.
fn undecided_tail(b: &[u8]) -> usize {
    b.iter().rev().take_while(|&&c| c == b'"' || c == b'\r').count()
}

impl<R: Read> Read for LineScanner<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        loop {
            if self.pos < self.output.len() {
                let n = buf.len().min(self.output.len() - self.pos);
                buf[..n].copy_from_slice(&self.output[self.pos..self.pos + n]);
                self.pos += n;
                return Ok(n);
            }
            if self.done {
                return Ok(0);
            }
            let n = self.inner.read(buf)?;
            if n == 0 {
                self.done = true;
                let rest = std::mem::take(&mut self.carry);
                if !rest.is_empty() {
                    self.stage(rest).map_err(scan_error)?;
                }
                self.finish().map_err(scan_error)?;
                continue;
            }
            // Trailing quotes and carriage returns are held back until the next byte says what
            // they are (a closing or an escaped quote; a line break or half of one).
            let keep = undecided_tail(&buf[..n]);
            if self.carry.is_empty() && keep < n {
                let saved = self.at;
                if !self.scan(&buf[..n - keep], None).map_err(scan_error)? {
                    self.carry.extend_from_slice(&buf[n - keep..n]);
                    return Ok(n - keep);
                }
                self.at = saved;
            }
            let mut chunk = std::mem::take(&mut self.carry);
            chunk.extend_from_slice(&buf[..n]);
            let keep = undecided_tail(&chunk);
            self.carry = chunk.split_off(chunk.len() - keep);
            if self.carry.len() as u64 > MAX_LINE_BYTES {
                return Err(scan_error(ScanError {
                    line: self.at.lines + 1,
                    problem: format!("more than {} MiB of quotes and carriage returns", MAX_LINE_BYTES >> 20),
                    fix: "this is no accounting export; check the file",
                }));
            }
            if !chunk.is_empty() {
                self.stage(chunk).map_err(scan_error)?;
            }
        }
    }
}

/// What consumes a table: the header once, then batches of rows.
pub trait Sink {
    fn header(&mut self, h: &Header) -> Result<(), InputError>;
    /// An estimate of the rows to come, so that storage is reserved once, not regrown.
    fn size_hint(&mut self, _rows: usize) {}
    fn batch(&mut self, h: &Header, rows: Batch<'_>) -> Result<(), InputError>;
}

/// What a table holds besides its rows: its physical lines (sheet rows), and the blank lines
/// the CSV parser would skip, so that both can be reported.
#[derive(Debug, Default)]
pub struct Extent {
    pub physical_lines: u64,
    /// Lines inside rows beyond their first (quoted fields over several lines, when allowed).
    pub lines_within_rows: u64,
    pub blank_lines: Vec<u32>,
}

/// Reads `path` with `mapping` into `sink`.
pub fn read_table(
    path: &Path,
    mapping: &Mapping,
    sink: &mut dyn Sink,
    extent: &mut Extent,
) -> Result<Header, InputError> {
    let format = mapping
        .format
        .clone()
        .unwrap_or_else(|| path.extension().and_then(|e| e.to_str()).unwrap_or("csv").to_ascii_lowercase());
    match format.as_str() {
        "xlsx" | "xlsm" | "xls" | "xlsb" | "ods" => read_sheet(path, mapping, sink, extent),
        "csv" | "tsv" | "txt" => read_text(path, mapping, sink, extent),
        other => Err(InputError::file(
            path,
            format!("unknown format '{other}'"),
            "set format = \"csv\" or \"xlsx\" in the mapping",
        )),
    }
}

fn open(path: &Path) -> Result<File, InputError> {
    File::open(path).map_err(|e| {
        InputError::file(path, format!("cannot open the file: {e}"), "check the path in the configuration")
    })
}

/// Picks the encoding: configured, or from a byte-order mark, or UTF-8 when the first megabyte
/// is valid UTF-8, else Windows-1252 (the encoding of Belgian and Dutch Excel CSV exports).
fn choose_encoding(
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

fn read_text(path: &Path, mapping: &Mapping, sink: &mut dyn Sink, extent: &mut Extent) -> Result<Header, InputError> {
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

    // Parsing runs on its own thread, a batch ahead of conversion and merging, so that on two
    // cores reading the file overlaps with the rest. Emptied batches come back for reuse.
    let (tx, rx) = std::sync::mpsc::sync_channel::<Parsed>(2);
    let (back_tx, back_rx) = std::sync::mpsc::channel::<Vec<TextRow>>();
    std::thread::scope(|scope| {
        let file_len = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
        let rules = Rules { skip_rows: mapping.skip_rows, multiline: mapping.multiline };
        scope.spawn(move || parse_records(rdr, path, rules, file_len, tx, back_rx));
        let mut header: Option<Header> = None;
        for msg in rx {
            match msg {
                Parsed::Header(names, line) => {
                    let h = Header { names, line, layout: layout.clone() };
                    sink.header(&h)?;
                    header = Some(h);
                }
                Parsed::Rows(rows) => {
                    let h = header.as_ref().expect("the parser sends the header first");
                    sink.batch(h, Batch::Text(&rows))?;
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
enum Parsed {
    Header(Vec<String>, u32),
    Rows(Vec<TextRow>),
    Blank(u32),
    SizeHint(usize),
    /// The physical lines of the whole file, once read, every one of them in a record; and
    /// those inside rows beyond their first line.
    Lines(u64, u64),
    Failed(InputError),
}

/// The mapping's rules for records.
#[derive(Clone, Copy)]
struct Rules {
    skip_rows: usize,
    multiline: bool,
}

/// Line breaks inside a record's fields (`\n`, `\r\n` or a lone `\r` each count one), field by
/// field: a `\r` ending one field and a `\n` starting the next are two.
fn record_breaks<'a>(all: &[u8], fields: impl Iterator<Item = &'a [u8]>) -> u64 {
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
fn parse_records<R: Read>(
    mut rdr: csv::Reader<LineScanner<R>>,
    path: &Path,
    rules: Rules,
    file_len: u64,
    tx: std::sync::mpsc::SyncSender<Parsed>,
    back: std::sync::mpsc::Receiver<Vec<TextRow>>,
) {
    let mut header_seen = false;
    let mut hinted = false;
    let mut skipped = 0;
    let mut batch: Vec<TextRow> = Vec::with_capacity(BATCH_ROWS);
    let mut filled = 0;
    let mut next_line = 1u64;
    let mut within_rows = 0u64;
    loop {
        if filled == batch.len() {
            batch.push(TextRow { record: csv::StringRecord::new(), line: 0 });
        }
        let record = &mut batch[filled].record;
        let more = match rdr.read_record(record) {
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
            let names = record.iter().map(|s| s.trim().trim_start_matches('\u{feff}').to_string()).collect();
            if tx.send(Parsed::Header(names, line as u32)).is_err() {
                return;
            }
            header_seen = true;
            continue;
        }
        batch[filled].line = line as u32;
        filled += 1;
        if filled == BATCH_ROWS {
            if !hinted {
                hinted = true;
                let consumed = rdr.position().byte().max(1);
                let rows = (file_len as f64 / consumed as f64 * BATCH_ROWS as f64 * 1.02) as usize;
                if tx.send(Parsed::SizeHint(rows)).is_err() {
                    return;
                }
            }
            let next = back.try_recv().unwrap_or_else(|_| Vec::with_capacity(BATCH_ROWS));
            let full = std::mem::replace(&mut batch, next);
            filled = 0;
            if tx.send(Parsed::Rows(full)).is_err() {
                return;
            }
        }
    }
    batch.truncate(filled);
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

/// The most a workbook may unpack to, in all and per part: beyond this it is no export but a
/// decompression bomb, refused before anything is unpacked.
pub const MAX_UNPACKED_BYTES: u64 = 2 << 30;
pub const MAX_PART_BYTES: u64 = 1 << 30;
/// The most cells with a value a sheet may hold (a million rows of thirty columns).
pub const MAX_SHEET_CELLS: usize = 30_000_000;
/// The widest header row arwatch reads; cells right of the header have no column name and are
/// not read.
pub const MAX_SHEET_COLUMNS: u32 = 1024;
/// Cells per batch of sheet rows, so that memory does not grow with the width of a sheet.
const BATCH_CELLS: usize = 2_000_000;

fn workbook_error(path: &Path, e: impl std::fmt::Display) -> InputError {
    let problem = format!("cannot read the workbook: {e}");
    let fix = if problem.contains("limit") {
        "the file declares more cells than any export holds: export the data again, or as CSV"
    } else {
        "check that the file is a complete .xlsx/.xls/.ods file (a truncated download or an open lock file gives this)"
    };
    InputError::file(path, problem, fix)
}

/// Refuses a zip-based workbook whose parts declare more than the limits; the zip reader then
/// holds every part to its declared size, so nothing larger is ever unpacked.
fn check_unpacked_sizes(path: &Path) -> Result<(), InputError> {
    let file = open(path)?;
    let mut zip = zip::ZipArchive::new(BufReader::new(file)).map_err(|e| workbook_error(path, e))?;
    let mut total = 0u64;
    for i in 0..zip.len() {
        let part = zip.by_index_raw(i).map_err(|e| workbook_error(path, e))?;
        total = total.saturating_add(part.size());
        if part.size() > MAX_PART_BYTES || total > MAX_UNPACKED_BYTES {
            return Err(InputError::file(
                path,
                format!(
                    "the workbook unpacks to more than {} MiB (part '{}' alone {} MiB): no accounting export is that large",
                    if part.size() > MAX_PART_BYTES { MAX_PART_BYTES >> 20 } else { MAX_UNPACKED_BYTES >> 20 },
                    part.name().unwrap_or_default(),
                    part.size() >> 20
                ),
                "export the data again, or as CSV",
            ));
        }
    }
    Ok(())
}

fn read_sheet(path: &Path, mapping: &Mapping, sink: &mut dyn Sink, extent: &mut Extent) -> Result<Header, InputError> {
    let format = mapping
        .format
        .clone()
        .unwrap_or_else(|| path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase());
    if format != "xls" {
        check_unpacked_sizes(path)?;
    }
    let mut wb = open_workbook_auto(path).map_err(|e| workbook_error(path, e))?;
    let names = wb.sheet_names();
    let sheet = match &mapping.sheet {
        Some(s) => names.iter().find(|n| n.trim() == s.trim()).cloned().ok_or_else(|| {
            InputError::file(
                path,
                format!("no sheet named '{s}'; the workbook has {}", names.join(", ")),
                "set sheet in the mapping",
            )
        })?,
        None => names
            .first()
            .cloned()
            .ok_or_else(|| InputError::file(path, "the workbook has no sheets", "export the data again"))?,
    };
    let cant_read = |e: &dyn std::fmt::Display| {
        InputError::file(path, format!("cannot read sheet '{sheet}': {e}"), "check that the workbook is complete")
    };
    // Cells with a value, as (row, column, value), read one by one where the format allows, so
    // that a sheet with a stray cell at XFD1048576 costs one cell, not a dense grid.
    let mut cells: Vec<(u32, u32, Data)> = Vec::new();
    let mut push = |row: u32, col: u32, v: Data| -> Result<(), InputError> {
        if cells.len() == MAX_SHEET_CELLS {
            return Err(InputError::file(
                path,
                format!("sheet '{sheet}' holds more than {MAX_SHEET_CELLS} cells"),
                "split the export (for example per year), or export it as CSV",
            ));
        }
        cells.push((row, col, v));
        Ok(())
    };
    // The xlsx and xlsb cell readers are two types with the same methods.
    macro_rules! each_cell {
        ($book:expr) => {{
            let mut r = $book.worksheet_cells_reader(&sheet).map_err(|e| cant_read(&e))?;
            while let Some(c) = r.next_cell().map_err(|e| cant_read(&e))? {
                if !matches!(c.get_value(), calamine::DataRef::Empty) {
                    let (row, col) = c.get_position();
                    push(row, col, c.get_value().clone().into())?;
                }
            }
        }};
    }
    match &mut wb {
        calamine::Sheets::Xlsx(x) => each_cell!(x),
        calamine::Sheets::Xlsb(x) => each_cell!(x),
        // Legacy .xls is bounded by its format (65,536 × 256); .ods by the sizes checked above.
        other => {
            let range = other.worksheet_range(&sheet).map_err(|e| cant_read(&e))?;
            for (row, col, v) in range.used_cells() {
                if !matches!(v, Data::Empty) {
                    let (r0, c0) = range.start().unwrap_or((0, 0));
                    push(r0 + row as u32, c0 + col as u32, v.clone())?;
                }
            }
        }
    }
    sheet_rows(path, &sheet, mapping.skip_rows, cells, sink, extent)
}

/// Hands a sheet's cells to `sink` as rows: every row from the first used one to the last (so
/// empty rows between are reported as blank), columns absolute (`@C` is column C wherever the
/// used range starts), each row as wide as the header.
fn sheet_rows(
    path: &Path,
    sheet: &str,
    skip_rows: usize,
    mut cells: Vec<(u32, u32, Data)>,
    sink: &mut dyn Sink,
    extent: &mut Extent,
) -> Result<Header, InputError> {
    let no_header = || {
        InputError::file(path, format!("sheet '{sheet}' has no header row"), "check skip_rows and sheet in the mapping")
    };
    cells.sort_by_key(|c| (c.0, c.1));
    let (Some(first), Some(last)) = (cells.first().map(|c| c.0), cells.last().map(|c| c.0)) else {
        return Err(no_header());
    };
    let header_row = first.max(u32::try_from(skip_rows).unwrap_or(u32::MAX));
    if header_row > last {
        return Err(no_header());
    }
    let layout = Layout::Sheet { name: sheet.to_string() };
    let mut it = cells.into_iter().skip_while(|c| c.0 < header_row).peekable();
    let mut take_row = |r: u32, width: Option<usize>| -> Vec<Data> {
        let mut row = vec![Data::Empty; width.unwrap_or(0)];
        while let Some((_, col, v)) = it.next_if(|c| c.0 == r) {
            let col = col as usize;
            match width {
                Some(w) if col >= w => {} // right of the header: no column name
                _ => {
                    if row.len() <= col {
                        row.resize(col + 1, Data::Empty);
                    }
                    row[col] = v;
                }
            }
        }
        row
    };
    let header_cells = take_row(header_row, None);
    if header_cells.len() > MAX_SHEET_COLUMNS as usize {
        return Err(InputError::file(
            path,
            format!(
                "the header row of sheet '{sheet}' reaches column {}; arwatch reads at most {MAX_SHEET_COLUMNS} columns",
                super::mapping::column_letters(header_cells.len() - 1)
            ),
            "delete the stray cells right of the header, or set skip_rows to the real header row",
        ));
    }
    let width = header_cells.len().max(1);
    let r = SheetRow { row: header_row + 1, cells: header_cells };
    let names = (0..r.width()).map(|c| r.cell(c).display().trim().to_string()).collect();
    let header = Header { names, line: header_row + 1, layout };
    sink.header(&header)?;
    let batch_rows = (BATCH_CELLS / width).clamp(1000, BATCH_ROWS);
    let mut batch = Vec::with_capacity(batch_rows.min((last - header_row) as usize));
    for r in header_row + 1..=last {
        batch.push(SheetRow { row: r + 1, cells: take_row(r, Some(width)) });
        if batch.len() == batch_rows {
            sink.batch(&header, Batch::Sheet(&batch))?;
            batch.clear();
        }
    }
    if !batch.is_empty() {
        sink.batch(&header, Batch::Sheet(&batch))?;
    }
    extent.physical_lines = last as u64 + 1;
    Ok(header)
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n { s.to_string() } else { s.chars().take(n).collect::<String>() + "…" }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Hands out a few bytes at a time, to cross chunk boundaries everywhere.
    struct Trickle<'a>(&'a [u8], usize);
    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = self.1.min(buf.len()).min(self.0.len());
            buf[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    #[test]
    fn blank_lines_are_marked_across_chunks_but_not_inside_quotes() {
        let text = b"a;b\n\nc;\"x\n\ny\"\r\n\r\nd;e\n";
        for step in [1, 2, 3, 5, 64] {
            let mut out = Vec::new();
            let mut scanner = LineScanner::new(Trickle(text, step), b';');
            scanner.read_to_end(&mut out).unwrap();
            let out = String::from_utf8(out).unwrap();
            assert_eq!(out, "a;b\n\x01\nc;\"x\n\ny\"\r\n\x01\r\nd;e\n", "step {step}");
            assert_eq!(scanner.lines(), 7, "step {step}");
        }
    }

    /// Reads `text` through the scanner and the CSV parser, `step` bytes at a time: the
    /// records (marks included) and the line count, or the scanner's error.
    fn parse_all(text: &[u8], step: usize) -> Result<(Vec<Vec<String>>, u64, u64), String> {
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(b';')
            .from_reader(LineScanner::new(Trickle(text, step), b';'));
        let mut records = Vec::new();
        let mut covered = 0;
        let mut rec = csv::ByteRecord::new();
        loop {
            match rdr.read_byte_record(&mut rec) {
                Ok(false) => break,
                Ok(true) => {
                    covered += 1 + record_breaks(rec.as_slice(), rec.iter());
                    records.push(rec.iter().map(|f| String::from_utf8_lossy(f).into_owned()).collect());
                }
                Err(e) => return Err(e.to_string()),
            }
        }
        Ok((records, rdr.get_ref().lines(), covered))
    }

    #[test]
    fn the_scanner_follows_the_parser_on_any_text() {
        // Random texts of quotes, delimiters, line breaks and letters: whatever the chunking,
        // every physical line is in a record (or the scanner stops with a reason).
        let alphabet = [b'a', b';', b'"', b'\n', b'\r', b' '];
        let mut state = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..20_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let len = (state % 24) as usize;
            let text: Vec<u8> = (0..len).map(|k| alphabet[((state >> (k * 5 % 59)) % 6) as usize]).collect();
            let whole = parse_all(&text, 1 << 20);
            for step in [1, 2, 3, 7] {
                assert_eq!(parse_all(&text, step), whole, "{:?} step {step}", String::from_utf8_lossy(&text));
            }
            if let Ok((_, lines, covered)) = whole {
                assert_eq!(lines, covered, "{:?}", String::from_utf8_lossy(&text));
                let expected = text
                    .iter()
                    .enumerate()
                    .filter(|&(i, &b)| b == b'\n' || (b == b'\r' && text.get(i + 1) != Some(&b'\n')))
                    .count()
                    + usize::from(!text.is_empty() && !matches!(text.last(), Some(b'\n' | b'\r')));
                assert_eq!(lines as usize, expected, "{:?}", String::from_utf8_lossy(&text));
            }
        }
    }

    #[test]
    fn an_endless_line_is_an_error_not_a_growing_buffer() {
        let text = vec![b'a'; (MAX_LINE_BYTES + 10) as usize];
        let err = parse_all(&text, 1 << 16).unwrap_err();
        assert!(err.contains("longer than 4 MiB"), "{err}");
        let mut quoted = b"a;\"".to_vec();
        quoted.extend(std::iter::repeat_n(b'\n', (MAX_LINE_BYTES + 10) as usize));
        let err = parse_all(&quoted, 1 << 16).unwrap_err();
        assert!(err.contains("line 1") && err.contains("quote left open"), "{err}");
    }

    #[test]
    fn delimiter_detection() {
        assert_eq!(detect_delimiter("a;b;c"), Some(b';'));
        assert_eq!(detect_delimiter("a,b,c"), Some(b','));
        assert_eq!(detect_delimiter("\"a;x\",b,c"), Some(b','));
        assert_eq!(detect_delimiter("a\tb"), Some(b'\t'));
        assert_eq!(detect_delimiter("abc"), None);
    }
}
