//! The byte stream under the CSV parser, followed as the parser reads it: physical lines
//! counted, blank lines marked, open quotes and endless lines stopped with their line.

use std::io::Read;

/// A line the CSV parser would skip silently (empty, outside quotes) is given this one-byte
/// field instead, so blank lines are reported with their true line numbers.
pub(super) const BLANK_MARK: u8 = 0x01;

/// The longest line, or quoted field, arwatch reads: longer is a broken export (or a quote left
/// open), and stopping there keeps memory bounded whatever the file holds.
pub const MAX_LINE_BYTES: u64 = 4 << 20;

/// Why the scanner stopped reading, carried through the CSV parser as an I/O error.
#[derive(Debug)]
pub(super) struct ScanError {
    pub(super) line: u64,
    pub(super) problem: String,
    pub(super) fix: &'static str,
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
pub(super) struct ScanState {
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

pub(super) struct LineScanner<R> {
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
    pub(super) fn new(inner: R, delimiter: u8) -> Self {
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
    pub(super) fn lines(&self) -> u64 {
        self.at.lines
    }

    /// Whether any quoted field read so far (the parser's buffer is ahead of its records)
    /// spans lines.
    pub(super) fn quotes_span_lines(&self) -> bool {
        self.at.breaks_in_quotes > 0
    }

    /// Follows `chunk` (which ends in no `"` or `\r` unless the file ends there),
    /// marking blank lines into `out` when given. Returns whether the chunk holds one.
    // Long on purpose: one pass over a chunk, byte classes handled inline; it runs over every byte
    // of every text input.
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::table::text::record_breaks;

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
    fn parse_all(text: &[u8], step: usize) -> Result<(Vec<Vec<String>>, u64, u64), csv::Error> {
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
                Err(e) => return Err(e),
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
            let said = |r: Result<_, csv::Error>| r.map_err(|e| e.to_string());
            let whole = said(parse_all(&text, 1 << 20));
            for step in [1, 2, 3, 7] {
                assert_eq!(said(parse_all(&text, step)), whole, "{:?} step {step}", String::from_utf8_lossy(&text));
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
        let err = parse_all(&text, 1 << 16).unwrap_err().to_string();
        assert!(err.contains("longer than 4 MiB"), "{err}");
        let mut quoted = b"a;\"".to_vec();
        quoted.extend(std::iter::repeat_n(b'\n', (MAX_LINE_BYTES + 10) as usize));
        let err = parse_all(&quoted, 1 << 16).unwrap_err().to_string();
        assert!(err.contains("line 1") && err.contains("quote left open"), "{err}");
    }
}
