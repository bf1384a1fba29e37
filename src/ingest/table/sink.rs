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

/// A CSV record and the line it starts on.
pub struct TextRow {
    /// The fields.
    pub record: csv::StringRecord,
    /// The physical line the record starts on.
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
    Text(&'a [TextRow]),
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
