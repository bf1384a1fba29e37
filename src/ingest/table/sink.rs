//! What a reader hands to its consumer: the header once, then rows in batches behind the
//! `RawRow` trait (text records or sheet rows, each cell a `CellRef`), and the table's extent.

use crate::ingest::error::InputError;
use crate::ingest::mapping::column_letters;
use crate::ingest::parse::trim;
use calamine::{Data, DataType};
use chrono::NaiveDate;

/// One cell as the converter sees it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum CellRef<'a> {
    /// Nothing.
    Empty,
    /// Text as in the file.
    Text(&'a str),
    /// A spreadsheet number.
    Number(f64),
    /// A spreadsheet date.
    Date(NaiveDate),
    /// A spreadsheet boolean.
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

    /// Empty, or only blanks.
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
    /// The cell of column `col` (0-based); empty beyond the row's end.
    fn cell(&self, col: usize) -> CellRef<'_>;
    /// The number of cells.
    fn width(&self) -> usize;

    /// Every cell empty.
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

/// A batch of CSV records packed side by side: every field's text in one buffer, every
/// field's bounds in another. A small file's rows are all fresh, and a record of their own
/// each (two zeroed allocations, freed on another thread) cost more than parsing them
/// (BENCHMARKS.md, "A batch's records packed side by side"); emptied, a batch keeps its room.
#[derive(Default)]
pub struct TextRows {
    /// The records' fields, one after another.
    text: String,
    /// Per record: where its text starts in `text`, then where each field ends.
    bounds: Vec<usize>,
    /// Per record: the physical line it starts on, and where its bounds start.
    rows: Vec<(u32, usize)>,
}

impl TextRows {
    /// Appends `record`, read from `line`.
    pub(super) fn push(&mut self, record: &csv::StringRecord, line: u32) {
        let start = self.text.len();
        self.rows.push((line, self.bounds.len()));
        self.text.push_str(record.as_slice());
        self.bounds.push(start);
        let mut end = start;
        self.bounds.extend(record.iter().map(|f| {
            end += f.len();
            end
        }));
    }

    /// Makes room for `rows` records like `record` (once, in a fresh batch: grown from
    /// nothing, a small file's batch would be copied a dozen times as it doubles).
    /// A freak first record (a line of megabytes) reserves no more than 32 MiB a buffer.
    pub(super) fn reserve_like(&mut self, record: &csv::StringRecord, rows: usize) {
        const MOST: usize = 32 << 20;
        self.text.reserve(rows.saturating_mul(record.as_slice().len()).min(MOST));
        self.bounds.reserve(rows.saturating_mul(record.len() + 1).min(MOST / size_of::<usize>()));
        self.rows.reserve(rows);
    }

    /// Whether the batch has no room yet.
    pub(super) fn is_fresh(&self) -> bool {
        self.rows.capacity() == 0
    }

    /// The records held.
    pub(super) fn len(&self) -> usize {
        self.rows.len()
    }

    /// No record held.
    pub(super) fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Empties the batch, keeping its room for the next.
    pub(super) fn clear(&mut self) {
        self.text.clear();
        self.bounds.clear();
        self.rows.clear();
    }

    /// Each record as a row.
    pub(super) fn rows(&self) -> Vec<TextRow<'_>> {
        let bounds_end = self.rows.iter().skip(1).map(|&(_, b)| b).chain([self.bounds.len()]);
        self.rows
            .iter()
            .zip(bounds_end)
            .map(|(&(line, from), to)| TextRow { text: &self.text, bounds: &self.bounds[from..to], line })
            .collect()
    }
}

/// A CSV record of a [`TextRows`] batch, and the line it starts on.
#[derive(Clone, Copy)]
pub struct TextRow<'a> {
    /// The batch's text.
    text: &'a str,
    /// Where the record starts in `text`, then where each of its fields ends.
    bounds: &'a [usize],
    /// The physical line the record starts on.
    line: u32,
}

impl<'a> TextRow<'a> {
    /// Field `i`, if the record has it.
    fn get(&self, i: usize) -> Option<&'a str> {
        let (start, end) = (*self.bounds.get(i)?, *self.bounds.get(i + 1)?);
        Some(&self.text[start..end])
    }

    /// Its fields, in order.
    fn fields(&self) -> impl Iterator<Item = &'a str> + '_ {
        (0..self.width()).filter_map(|i| self.get(i))
    }
}

impl RawRow for TextRow<'_> {
    fn line(&self) -> u32 {
        self.line
    }
    fn cell(&self, col: usize) -> CellRef<'_> {
        match self.get(col) {
            Some(s) if !s.is_empty() => CellRef::Text(s),
            _ => CellRef::Empty,
        }
    }
    fn width(&self) -> usize {
        self.bounds.len() - 1
    }
    fn fields_beyond(&self, header: usize) -> Option<usize> {
        let n = self.width();
        (n > header && self.fields().skip(header).any(|f| !trim(f).is_empty())).then_some(n)
    }
}

/// A sheet row.
pub struct SheetRow {
    /// Its 1-based row number.
    pub row: u32,
    /// Its cells.
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
    /// Delimited text.
    Text {
        /// The delimiter byte.
        delimiter: u8,
        /// The encoding's name.
        encoding: &'static str,
    },
    /// A workbook sheet.
    Sheet {
        /// The sheet's name.
        name: String,
    },
}

impl Layout {
    /// Where `rows` rows from `line` on are: `sheet 'X' rows 5 to 9`, or as [`Self::location`]
    /// for one row.
    pub fn span(&self, line: u32, rows: u32) -> String {
        match self {
            Layout::Sheet { name } if rows > 1 => format!("sheet '{name}' rows {line} to {}", line + (rows - 1)),
            _ => self.location(line, None),
        }
    }

    /// How messages name a place: `line 12`, `sheet 'X' row 12` or `sheet 'X' cell C12`.
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
    /// Delimited text records.
    Text(&'a [TextRow<'a>]),
    /// Sheet rows.
    Sheet(&'a [SheetRow]),
}

/// The header of a table, once found.
#[derive(Clone, Debug)]
pub struct Header {
    /// The column names.
    pub names: Vec<String>,
    /// The header's line (or row); the data starts after it.
    pub line: u32,
    /// How the file was read.
    pub layout: Layout,
    /// The non-empty cells of the row just above the header, if any: in a report grouped by
    /// client, the first group's title.
    pub above: Vec<String>,
    /// Every non-empty line (sheet row) above the header, as text: the banner, where an export
    /// may state its own date.
    pub banner: Vec<String>,
}

/// Rows per batch handed to the sink.
pub const BATCH_ROWS: usize = 50_000;

/// What receives a table: its header once, then its rows in batches.
pub trait Sink {
    /// The header, before any row.
    fn header(&mut self, h: &Header) -> Result<(), InputError>;
    /// An estimate of the rows to come, so that storage is reserved once, not regrown.
    fn size_hint(&mut self, _rows: usize) {}
    /// The next batch of rows, in file order.
    fn batch(&mut self, h: &Header, rows: Batch<'_>) -> Result<(), InputError>;
}

/// What a table holds besides its rows: its physical lines (sheet rows), and the blank lines
/// the CSV parser would skip, so that both can be reported.
#[derive(Debug, Default)]
pub struct Extent {
    /// Physical lines of the file (rows of a sheet).
    pub physical_lines: u64,
    /// Lines inside rows beyond their first (quoted fields over several lines, when allowed).
    pub lines_within_rows: u64,
    /// Lines the CSV parser would have skipped as blank.
    pub blank_lines: Vec<u32>,
    /// Runs of sheet rows with no cell under the header, as (first row, rows): a sheet stores
    /// only the cells it has, so a run costs one entry however many rows it spans.
    pub blank_runs: Vec<(u32, u32)>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(fields: &[&str]) -> csv::StringRecord {
        csv::StringRecord::from(fields.to_vec())
    }

    #[test]
    fn packed_records_give_back_each_field_of_each_row_with_its_line() {
        let mut batch = TextRows::default();
        batch.push(&record(&["C1", "Brasserie Ségal", "", "12,50", " "]), 2);
        batch.push(&record(&[""]), 3);
        batch.push(&record(&["C2", "Ålborg \"Noord\"", "x", "1", " ", "extra"]), 5);
        let rows = batch.rows();
        assert_eq!(rows.len(), 3);
        assert_eq!((rows[0].line(), rows[0].width()), (2, 5));
        assert_eq!(rows[0].cell(1), CellRef::Text("Brasserie Ségal"));
        assert_eq!(rows[0].cell(2), CellRef::Empty);
        assert_eq!(rows[0].cell(3), CellRef::Text("12,50"));
        assert_eq!(rows[0].cell(5), CellRef::Empty);
        assert_eq!((rows[1].line(), rows[1].width()), (3, 1));
        assert!(rows[1].is_blank());
        assert_eq!(rows[2].raw_values(), "C2 | Ålborg \"Noord\" | x | 1 |   | extra");
        assert_eq!(rows[2].fields_beyond(4), Some(6));
        assert_eq!(rows[0].fields_beyond(4), None, "a blank field beyond the header is harmless");
        assert_eq!(rows[0].fields_beyond(3), Some(5));
    }

    #[test]
    fn an_emptied_batch_keeps_its_room_and_holds_the_next_rows_alone() {
        let mut batch = TextRows::default();
        assert!(batch.is_fresh());
        batch.reserve_like(&record(&["a", "b"]), 10);
        batch.push(&record(&["a", "b"]), 1);
        batch.clear();
        assert!(!batch.is_fresh() && batch.is_empty());
        batch.push(&record(&["c"]), 7);
        let rows = batch.rows();
        assert_eq!(rows.len(), 1);
        assert_eq!((rows[0].line(), rows[0].cell(0), rows[0].width()), (7, CellRef::Text("c"), 1));
    }
}
