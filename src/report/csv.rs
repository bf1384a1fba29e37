//! The CSV renderer: a table's view as RFC 4180 text, the data files' conventions (UTF-8,
//! comma, ISO dates, money as plain decimals in the currency's digits, ratios as fractions
//! with 4 decimals, days with 2, empty for undefined), text neutralised against formulas.
//! Blocks are formatted in parallel and written in order, with no string made per cell.

use super::table::{Cell, Column, Table};
use crate::output::write_staged_parts;
use rayon::prelude::*;
use std::path::Path;

/// Whether a spreadsheet could take `s` for a formula: it starts with `=`, `+`, `-`, `@`, a
/// tab or a carriage return, and is not simply a signed number (`-12,50` stays a number).
pub fn formula_like(s: &str) -> bool {
    let Some(first) = s.chars().next() else { return false };
    if !matches!(first, '=' | '+' | '-' | '@' | '\t' | '\r') {
        return false;
    }
    let rest = &s[1..];
    let number = matches!(first, '+' | '-')
        && rest.chars().any(|c| c.is_ascii_digit())
        && rest.chars().all(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | ' ' | '\u{a0}' | '\u{202f}'));
    !number
}

/// Neutralises text a spreadsheet would run as a formula, for the CSV files: a leading `'`,
/// which spreadsheets show as text. Signed numbers are left as they are.
pub fn safe_text(s: &str) -> String {
    if formula_like(s) { format!("'{s}") } else { s.to_string() }
}

/// Writes a CSV file from rows of already formatted cells.
/// One CSV line appended to a buffer field by field, with no string made per cell: the large
/// files (monthly, open items, handover) have millions of cells.
struct Line<'a> {
    buf: &'a mut Vec<u8>,
    first: bool,
}

impl<'a> Line<'a> {
    fn new(buf: &'a mut Vec<u8>) -> Line<'a> {
        Line { buf, first: true }
    }

    fn sep(&mut self) {
        if !self.first {
            self.buf.push(b',');
        }
        self.first = false;
    }

    /// Text, neutralised against formulas and quoted when it must be.
    fn text(&mut self, s: &str) -> &mut Self {
        self.sep();
        let risky = formula_like(s);
        let quote = s.bytes().any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r'));
        if quote {
            self.buf.push(b'"');
        }
        if risky {
            self.buf.push(b'\'');
        }
        // Quotes are doubled; text without any is copied whole (forecast.csv's basis, say).
        if s.contains('"') {
            for b in s.bytes() {
                if b == b'"' {
                    self.buf.push(b'"');
                }
                self.buf.push(b);
            }
        } else {
            self.buf.extend_from_slice(s.as_bytes());
        }
        if quote {
            self.buf.push(b'"');
        }
        self
    }

    /// Anything that formats without separators or quotes: numbers, dates, booleans.
    fn plain(&mut self, v: impl std::fmt::Display) -> &mut Self {
        use std::io::Write;
        self.sep();
        let _ = write!(self.buf, "{v}");
        self
    }

    fn money(&mut self, minor: i64, digits: u32) -> &mut Self {
        self.sep();
        if minor < 0 {
            self.buf.push(b'-');
        }
        let abs = minor.unsigned_abs();
        if digits == 0 {
            push_digits(self.buf, abs, 1);
        } else {
            let scale = 10u64.pow(digits);
            push_digits(self.buf, abs / scale, 1);
            self.buf.push(b'.');
            push_digits(self.buf, abs % scale, digits as usize);
        }
        self
    }

    /// A whole number (days, counts).
    fn int(&mut self, v: i64) -> &mut Self {
        self.sep();
        if v < 0 {
            self.buf.push(b'-');
        }
        push_digits(self.buf, v.unsigned_abs(), 1);
        self
    }

    /// An ISO date, `2026-10-31`.
    fn date(&mut self, d: chrono::NaiveDate) -> &mut Self {
        use chrono::Datelike;
        self.sep();
        match d.year() {
            y @ 0..=9999 => push_digits(self.buf, y as u64, 4),
            // Outside what exports hold; the library's own form.
            _ => {
                let _ = std::io::Write::write_fmt(self.buf, format_args!("{d}"));
                return self;
            }
        }
        self.buf.push(b'-');
        push_digits(self.buf, d.month() as u64, 2);
        self.buf.push(b'-');
        push_digits(self.buf, d.day() as u64, 2);
        self
    }

    /// A figure with `decimals` decimals, or empty when undefined.
    fn fixed(&mut self, v: Option<f64>, decimals: usize) -> &mut Self {
        self.sep();
        if let Some(x) = v {
            push_fixed(self.buf, x, decimals);
        }
        self
    }

    /// One typed cell as the data files write it.
    fn cell(&mut self, c: &Cell<'_>) -> &mut Self {
        match c {
            Cell::Text(s) => self.text(s),
            Cell::Money(m) => self.money(m.minor(), m.currency().minor_digits()),
            Cell::Percent(v) => self.fixed(*v, 4),
            Cell::Days(v) => self.fixed(*v, 2),
            Cell::Score(v) => self.fixed(Some(*v), 1),
            Cell::Int(v) => self.int(*v),
            Cell::Date(d) => self.date(*d),
            Cell::Month(m) => {
                self.sep();
                push_digits(self.buf, m.div_euclid(12) as u64, 4);
                self.buf.push(b'-');
                push_digits(self.buf, (m.rem_euclid(12) + 1) as u64, 2);
                self
            }
            Cell::Bool(b) => self.plain(b),
            Cell::Blank => {
                self.sep();
                self
            }
        }
    }

    fn end(&mut self) {
        self.buf.push(b'\n');
    }
}

/// The decimal digits of `v`, left-padded with zeros to at least `width`, written at the end
/// of `tmp` (every number of the data files, and of the forecast's bases, is made of them).
pub(super) fn digits(tmp: &mut [u8; 20], mut v: u64, width: usize) -> &[u8] {
    let mut i = tmp.len();
    while v > 0 || tmp.len() - i < width {
        i -= 1;
        tmp[i] = b'0' + (v % 10) as u8;
        v /= 10;
    }
    &tmp[i..]
}

/// Appends the decimal digits of `v`, left-padded with zeros to at least `width`.
fn push_digits(buf: &mut Vec<u8>, v: u64, width: usize) {
    buf.extend_from_slice(digits(&mut [0; 20], v, width));
}

/// `x` with `decimals` decimals, byte for byte what `format!("{x:.decimals$}")` gives, without
/// its exact decimal expansion in the common case (millions of figures in `monthly.csv`).
fn push_fixed(buf: &mut Vec<u8>, x: f64, decimals: usize) {
    use std::io::Write;
    if decimals <= 6 && x.is_finite() {
        let scale = 10u64.pow(decimals as u32);
        let y = x.abs() * scale as f64;
        // Below 2^30 the product is within 2^-23 of the exact one, so unless the exact value
        // is close to a tie, rounding the product gives the same digits.
        let frac = y - y.trunc();
        if y < (1u64 << 30) as f64 && (frac - 0.5).abs() > 1e-6 {
            let r = y.round() as u64;
            if x.is_sign_negative() {
                buf.push(b'-');
            }
            push_digits(buf, r / scale, 1);
            if decimals > 0 {
                buf.push(b'.');
                push_digits(buf, r % scale, decimals);
            }
            return;
        }
    }
    let _ = write!(buf, "{x:.decimals$}");
}

/// CSV bytes of rows, without a header: per-client chunks are formatted in parallel.
fn rows_bytes(rows: impl Iterator<Item = Vec<String>>) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::Any(b'\n')).from_writer(Vec::new());
    for r in rows {
        // Writing into memory cannot fail.
        let _ = w.write_record(&r);
    }
    w.into_inner().unwrap_or_default()
}

/// A header and chunks of rows, in order.
fn write_chunks(path: &Path, header: &[String], chunks: Vec<Vec<u8>>) -> std::io::Result<()> {
    let head = rows_bytes(std::iter::once(header.to_vec()));
    let parts: Vec<&[u8]> = std::iter::once(head.as_slice()).chain(chunks.iter().map(Vec::as_slice)).collect();
    write_staged_parts(path, &parts)
}

pub(super) fn write_csv(
    path: &Path,
    header: &[String],
    rows: impl Iterator<Item = Vec<String>>,
) -> std::io::Result<()> {
    write_chunks(path, header, vec![rows_bytes(rows)])
}

pub(super) fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

/// Writes the columns `keys` of a table (all of them when `None`) as a CSV file with a header
/// of their keys, its blocks formatted in parallel.
pub fn write_table<R>(path: &Path, table: &Table<'_, R>, keys: Option<&[&str]>) -> std::io::Result<()> {
    let view: Vec<&Column<'_, R>> = match keys {
        Some(k) => table.view(k),
        None => table.all(),
    };
    let header: Vec<String> = view.iter().map(|c| c.key.to_string()).collect();
    let chunks: Vec<Vec<u8>> = (0..table.blocks())
        .into_par_iter()
        .map(|b| {
            let mut buf = Vec::new();
            table.each(b, &mut |row| {
                let mut line = Line::new(&mut buf);
                for c in &view {
                    line.cell(&(c.cell)(row));
                }
                line.end();
            });
            buf
        })
        .collect();
    write_chunks(path, &header, chunks)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised() {
        assert_eq!(safe_text("=1+1"), "'=1+1");
        // A signed number is a number: neither a formula nor to be prefixed (issue 9).
        assert_eq!(safe_text("-5"), "-5");
        assert_eq!(safe_text("-1.234,56"), "-1.234,56");
        assert_eq!(safe_text("+32 2 555 12 12"), "+32 2 555 12 12");
        assert_eq!(safe_text("-5+cmd"), "'-5+cmd");
        assert_eq!(safe_text("-"), "'-");
        assert_eq!(safe_text("+"), "'+");
        assert_eq!(safe_text("@SUM"), "'@SUM");
        assert_eq!(safe_text("Brasserie Zoë"), "Brasserie Zoë");
    }

    #[test]
    fn lines_match_the_csv_writer() {
        let values = ["plain", "a,b", "say \"hi\"", "=SUM(A1)", "-5", "multi\nline", "Zoë", ""];
        for v in values {
            let mut mine = Vec::new();
            Line::new(&mut mine).text(v).text("x").end();
            let theirs = rows_bytes(std::iter::once(vec![safe_text(v), "x".to_string()]));
            assert_eq!(String::from_utf8(mine).unwrap(), String::from_utf8(theirs).unwrap(), "{v:?}");
        }
        let mut b = Vec::new();
        Line::new(&mut b).money(-5, 2).money(123450, 2).money(7, 0).fixed(None, 2).fixed(Some(0.25), 4).end();
        assert_eq!(String::from_utf8(b).unwrap(), "-0.05,1234.50,7,,0.2500\n");
        for (minor, digits) in [(0, 2), (-1, 2), (i64::MIN, 2), (i64::MAX, 3), (100, 0), (-99, 1), (5, 6)] {
            let mut b = Vec::new();
            Line::new(&mut b).money(minor, digits);
            assert_eq!(String::from_utf8(b).unwrap(), crate::model::format_minor(minor, digits), "{minor} {digits}");
        }
        let mut b = Vec::new();
        let d = |s: &str| s.parse::<chrono::NaiveDate>().unwrap();
        Line::new(&mut b)
            .int(0)
            .int(-120)
            .int(i64::MIN)
            .date(d("2026-01-05"))
            .date(d("0999-12-31"))
            .date(d("+10000-01-01"));
        assert_eq!(
            String::from_utf8(b).unwrap(),
            format!("0,-120,{},2026-01-05,0999-12-31,{}", i64::MIN, d("+10000-01-01"))
        );
    }

    #[test]
    fn fixed_decimals_match_the_standard_formatting() {
        let mut values = vec![0.0, -0.0, -0.001, 0.005, 0.015, 0.125, 2.675, -2.675, 1e-9, 0.99995, 1e8 + 0.005, 3e9];
        // A cheap deterministic spread of magnitudes, signs and near-ties.
        let mut state = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..200_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let mantissa = (state >> 11) as f64 / (1u64 << 53) as f64;
            let exp = (state % 14) as i32 - 4;
            let sign = if state & 1 == 1 { -1.0 } else { 1.0 };
            values.push(sign * mantissa * 10f64.powi(exp));
            values.push((state % 1_000_000) as f64 / 1000.0 + 0.0005);
        }
        for x in values {
            for d in [0, 1, 2, 4] {
                let mut buf = Vec::new();
                push_fixed(&mut buf, x, d);
                assert_eq!(String::from_utf8(buf).unwrap(), format!("{x:.d$}"), "{x:e} with {d} decimals");
            }
        }
    }
}
