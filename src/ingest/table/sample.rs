//! The first rows of a file read without a mapping, for `arwatch map` to look at: a text file's
//! encoding and delimiter worked out from its lines, every sheet of a workbook.

use super::text::{choose_encoding, open};
use super::workbook::{check_workbook, workbook_error};
use crate::ingest::error::InputError;
use calamine::{Data, DataType, Reader, open_workbook_auto};
use chrono::NaiveDate;
use std::io::Read;
use std::path::Path;

/// How much of a text file is looked at: enough rows to judge a column (the run's own date
/// detection looks at 20,000), never a whole large file.
const HEAD_BYTES: u64 = 16 << 20;

/// One cell as the file holds it.
#[derive(Clone, Debug, PartialEq)]
pub enum SampleCell {
    /// Nothing.
    Empty,
    /// Text (all of a text file's cells).
    Text(String),
    /// A spreadsheet number.
    Number(f64),
    /// A spreadsheet date.
    Date(NaiveDate),
}

impl SampleCell {
    /// The cell as text, as a user would see it.
    pub fn text(&self) -> String {
        match self {
            SampleCell::Empty => String::new(),
            SampleCell::Text(s) => s.trim().to_string(),
            SampleCell::Number(v) => format!("{v}"),
            SampleCell::Date(d) => d.to_string(),
        }
    }

    /// Whether it holds nothing (or only spaces).
    pub fn is_empty(&self) -> bool {
        match self {
            SampleCell::Empty => true,
            SampleCell::Text(s) => s.trim().is_empty(),
            _ => false,
        }
    }
}

/// A table's first rows.
#[derive(Clone, Debug)]
pub struct SampleTable {
    /// The sheet, for a workbook.
    pub sheet: Option<String>,
    /// The encoding, for a text file.
    pub encoding: Option<&'static str>,
    /// The delimiter, for a text file.
    pub delimiter: Option<u8>,
    /// The rows, each with the `skip_rows` that would make it the header: a text file's
    /// non-empty lines are counted, a sheet's rows from its first.
    pub rows: Vec<(usize, Vec<SampleCell>)>,
}

/// The first `max_rows` rows of every table in `path` (one for a text file, one per sheet).
pub fn sample(path: &Path, max_rows: usize) -> Result<Vec<SampleTable>, InputError> {
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
    match ext.as_str() {
        "xlsx" | "xlsm" | "xlsb" | "ods" | "xls" => sheets(path, &ext, max_rows),
        _ => text(path, max_rows).map(|t| vec![t]),
    }
}

/// The delimiter that splits the most of the first lines into the same number (≥ 2) of
/// fields: banner lines above the header have fewer, so they do not decide.
fn delimiter(text: &str) -> Option<u8> {
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).take(200).collect();
    let mut best: Option<(usize, usize, u8)> = None;
    for d in [b';', b',', b'\t', b'|'] {
        let mut counts = std::collections::BTreeMap::<usize, usize>::new();
        for l in &lines {
            let mut r =
                csv::ReaderBuilder::new().delimiter(d).has_headers(false).flexible(true).from_reader(l.as_bytes());
            if let Some(Ok(rec)) = r.records().next()
                && rec.len() >= 2
                && rec.iter().any(|f| !f.trim().is_empty())
            {
                *counts.entry(rec.len()).or_default() += 1;
            }
        }
        if let Some((&width, &n)) = counts.iter().max_by_key(|(w, n)| (**n, **w)) {
            let better = best.is_none_or(|(bn, bw, _)| (n, width) > (bn, bw));
            if better {
                best = Some((n, width, d));
            }
        }
    }
    best.map(|(_, _, d)| d)
}

fn text(path: &Path, max_rows: usize) -> Result<SampleTable, InputError> {
    let mut head = Vec::new();
    open(path)?
        .take(HEAD_BYTES)
        .read_to_end(&mut head)
        .map_err(|e| InputError::file(path, format!("cannot read: {e}"), "check the file"))?;
    let encoding = choose_encoding(path, None, &head)?;
    let (decoded, _, _) = encoding.decode(&head);
    let d = delimiter(&decoded).ok_or_else(|| {
        InputError::file(
            path,
            "no delimiter (; , tab |) splits its lines into columns",
            "export the data as CSV or XLSX with one row per document",
        )
    })?;
    let mut r =
        csv::ReaderBuilder::new().delimiter(d).has_headers(false).flexible(true).from_reader(decoded.as_bytes());
    let mut rows = Vec::new();
    // The CSV parser skips empty lines, as `skip_rows` does: a record's index is its skip.
    for (i, rec) in r.records().enumerate().take(max_rows) {
        // A cut at the end of the sniffed block is not the file's fault.
        let Ok(rec) = rec else { break };
        rows.push((i, rec.iter().map(|f| SampleCell::Text(f.to_string())).collect()));
    }
    Ok(SampleTable { sheet: None, encoding: Some(encoding.name()), delimiter: Some(d), rows })
}

fn sheets(path: &Path, ext: &str, max_rows: usize) -> Result<Vec<SampleTable>, InputError> {
    check_workbook(path, ext)?;
    let mut wb = open_workbook_auto(path).map_err(|e| workbook_error(path, e))?;
    let mut out = Vec::new();
    for name in wb.sheet_names() {
        let range = wb.worksheet_range(&name).map_err(|e| workbook_error(path, e))?;
        let Some((r0, c0)) = range.start() else { continue };
        let mut rows = Vec::new();
        for (i, row) in range.rows().enumerate().take(max_rows) {
            // Columns stay absolute, as the run reads them.
            let mut cells = vec![SampleCell::Empty; c0 as usize];
            cells.extend(row.iter().map(|v| match v {
                Data::Empty => SampleCell::Empty,
                Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => SampleCell::Text(s.clone()),
                Data::Float(f) => SampleCell::Number(*f),
                Data::Int(i) => SampleCell::Number(*i as f64),
                Data::Bool(b) => SampleCell::Text(b.to_string()),
                d @ Data::DateTime(_) => d.as_date().map_or(SampleCell::Empty, SampleCell::Date),
                Data::Error(_) => SampleCell::Text("#ERROR".into()),
            }));
            rows.push((r0 as usize + i, cells));
        }
        out.push(SampleTable { sheet: Some(name), encoding: None, delimiter: None, rows });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn banner_lines_do_not_decide_the_delimiter() {
        let text = "Title: B2B billing, Spain\nRun date: 01Aug2014\n\nKlant;Factuur;Bedrag\nK1;F1;1,50\nK2;F2;2,50\n";
        assert_eq!(delimiter(text), Some(b';'));
        assert_eq!(delimiter("a,b,c\n1,2,3\n"), Some(b','));
        assert_eq!(delimiter("a\tb\n1\t2\n"), Some(b'\t'));
        assert_eq!(delimiter("just words\n"), None);
    }

    #[test]
    fn a_text_file_is_read_with_its_skips() {
        let dir = tempfile::TempDir::new().unwrap();
        let p = dir.path().join("f.csv");
        std::fs::write(&p, b"Rapport\n\nKlant;Bedrag\nK1;1,50\n").unwrap();
        let t = &sample(&p, 10).unwrap()[0];
        assert_eq!((t.delimiter, t.encoding), (Some(b';'), Some("UTF-8")));
        let skips: Vec<usize> = t.rows.iter().map(|r| r.0).collect();
        assert_eq!(skips, [0, 1, 2], "the empty line is not counted");
        assert_eq!(t.rows[1].1, [SampleCell::Text("Klant".into()), SampleCell::Text("Bedrag".into())]);
    }
}
