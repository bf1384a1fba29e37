//! Reading a source file as a header plus rows of cells, whatever its format: delimited text in
//! any of the usual encodings and delimiters, or a workbook sheet through calamine.
//!
//! Rows are handed out in batches so that a 10-million-row export is never held whole as text,
//! and so that each batch can be converted in parallel.

mod sample;
mod scanner;
mod sink;
mod text;
mod workbook;

use text::read_text;
use workbook::read_sheet;

pub use sample::{SampleCell, SampleTable, sample};
pub use scanner::MAX_LINE_BYTES;
pub use sink::{BATCH_ROWS, Batch, CellRef, Extent, Header, Layout, RawRow, SheetRow, Sink, TextRow};
pub use workbook::{MAX_PART_BYTES, MAX_SHEET_CELLS, MAX_SHEET_COLUMNS, MAX_UNPACKED_BYTES};

use super::error::InputError;
use super::mapping::Mapping;
use std::path::Path;
/// The file's format: the mapping's `format`, else the file's extension (lower case), else
/// `default`.
fn format_of(path: &Path, mapping: &Mapping, default: &str) -> String {
    mapping
        .format
        .clone()
        .unwrap_or_else(|| path.extension().and_then(|e| e.to_str()).unwrap_or(default).to_ascii_lowercase())
}

/// Reads `path` with `mapping` into `sink`.
pub fn read_table(
    path: &Path,
    mapping: &Mapping,
    sink: &mut dyn Sink,
    extent: &mut Extent,
) -> Result<Header, InputError> {
    match format_of(path, mapping, "csv").as_str() {
        format @ ("xlsx" | "xlsm" | "xls" | "xlsb" | "ods") => read_sheet(path, format, mapping, sink, extent),
        "csv" | "tsv" | "txt" => read_text(path, mapping, sink, extent),
        other => Err(InputError::file(
            path,
            format!("unknown format '{other}'"),
            "set format = \"csv\" or \"xlsx\" in the mapping",
        )),
    }
}
