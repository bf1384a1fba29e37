//! Workbook sheets (xlsx, xlsb, xls, ods) through calamine, bounded before anything is
//! unpacked and read cell by cell where the format allows.

use super::sink::{BATCH_ROWS, Batch, Extent, Header, Layout, RawRow, SheetRow, Sink};
use super::text::open;
use crate::ingest::error::InputError;
use crate::ingest::mapping::{Mapping, column_letters};
use calamine::{Data, DataType, Reader, open_workbook_auto};
use std::io::BufReader;
use std::path::Path;

/// The most a workbook may unpack to, in all and per part: beyond this it is no export but a
/// decompression bomb, refused before anything is unpacked.
pub const MAX_UNPACKED_BYTES: u64 = 2 << 30;
/// The most one part of a workbook may unpack to.
pub const MAX_PART_BYTES: u64 = 1 << 30;
/// The most cells with a value a sheet may hold (a million rows of thirty columns).
pub const MAX_SHEET_CELLS: usize = 30_000_000;
/// The widest header row arwatch reads; cells right of the header have no column name and are
/// not read.
pub const MAX_SHEET_COLUMNS: u32 = 1024;
/// Cells per batch of sheet rows, so that memory does not grow with the width of a sheet.
const BATCH_CELLS: usize = 2_000_000;

pub(super) fn workbook_error(path: &Path, e: impl std::fmt::Display) -> InputError {
    let problem = format!("cannot read the workbook: {e}");
    let fix = if problem.contains("limit") {
        "the file declares more cells than any export holds: export the data again, or as CSV"
    } else {
        "check that the file is a complete .xlsx/.xls/.ods file (a truncated download or an open lock file gives this)"
    };
    InputError::file(path, problem, fix)
}

/// Opens the workbook once before calamine does, so that a file held by Excel gets its clear
/// error; refuses a zip-based workbook (all but `.xls`) whose parts declare more than the
/// limits: the zip reader then holds every part to its declared size, so nothing larger is
/// ever unpacked.
pub(super) fn check_workbook(path: &Path, format: &str) -> Result<(), InputError> {
    let file = open(path)?;
    if format == "xls" {
        return Ok(());
    }
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

pub(super) fn read_sheet(
    path: &Path,
    format: &str,
    mapping: &Mapping,
    sink: &mut dyn Sink,
    extent: &mut Extent,
) -> Result<Header, InputError> {
    if !mapping.header {
        return Err(InputError::file(
            path,
            "header = false is for text files: a sheet has its column titles",
            "remove header = false from the mapping, or export the sheet as CSV",
        ));
    }
    check_workbook(path, format)?;
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
    let above_row = cells.iter().rev().find(|c| c.0 < header_row).map(|c| c.0);
    let above: Vec<String> = cells
        .iter()
        .filter(|c| Some(c.0) == above_row)
        .map(|c| c.2.to_string().trim().to_string())
        .filter(|s| !s.is_empty())
        .collect();
    // The banner's rows as text, a date cell as its ISO date.
    let mut banner: Vec<String> = Vec::new();
    let mut banner_row = None;
    for (r, _, v) in cells.iter().take_while(|c| c.0 < header_row) {
        let text = match v.as_date() {
            Some(d) => d.to_string(),
            None => v.to_string().trim().to_string(),
        };
        if text.is_empty() {
            continue;
        }
        match banner.last_mut() {
            Some(line) if banner_row == Some(*r) => {
                line.push(' ');
                line.push_str(&text);
            }
            _ => banner.push(text),
        }
        banner_row = Some(*r);
    }
    let mut it = cells.into_iter().skip_while(|c| c.0 < header_row).peekable();
    // The next row present from row `r` on (the header's row: `r` itself, present or not), as
    // its row and its cells under the header.
    let mut take_row = |r: Option<u32>, width: Option<usize>| -> Option<(u32, Vec<Data>)> {
        let r = r.or_else(|| it.peek().map(|c| c.0))?;
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
        Some((r, row))
    };
    let header_cells = take_row(Some(header_row), None).map(|(_, cells)| cells).unwrap_or_default();
    if header_cells.len() > MAX_SHEET_COLUMNS as usize {
        return Err(InputError::file(
            path,
            format!(
                "the header row of sheet '{sheet}' reaches column {}; arwatch reads at most {MAX_SHEET_COLUMNS} columns",
                column_letters(header_cells.len() - 1)
            ),
            "delete the stray cells right of the header, or set skip_rows to the real header row",
        ));
    }
    let width = header_cells.len().max(1);
    let r = SheetRow { row: header_row + 1, cells: header_cells };
    let names = (0..r.width()).map(|c| r.cell(c).display().trim().to_string()).collect();
    let header = Header { names, line: header_row + 1, layout, above, banner };
    sink.header(&header)?;
    let batch_rows = (BATCH_CELLS / width).clamp(1000, BATCH_ROWS);
    let mut batch = Vec::with_capacity(batch_rows.min((last - header_row) as usize));
    // Only rows with a cell under the header are handed on; the rows between them (absent
    // from the file, or with cells only right of the header) are noted as runs, so that memory
    // follows the cells present, not the rows a stray far cell implies.
    let mut next = header_row + 1;
    while let Some((r, cells)) = take_row(None, Some(width)) {
        if cells.iter().all(|c| matches!(c, Data::Empty)) {
            continue;
        }
        if r > next {
            extent.blank_runs.push((next + 1, r - next));
        }
        batch.push(SheetRow { row: r + 1, cells });
        next = r + 1;
        if batch.len() == batch_rows {
            sink.batch(&header, Batch::Sheet(&batch))?;
            batch.clear();
        }
    }
    if next <= last {
        extent.blank_runs.push((next + 1, last + 1 - next));
    }
    if !batch.is_empty() {
        sink.batch(&header, Batch::Sheet(&batch))?;
    }
    extent.physical_lines = last as u64 + 1;
    Ok(header)
}
