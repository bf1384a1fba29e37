//! How one input's rows are read, fixed once its header is known: the mapped columns, the
//! fixed values and the date formats (detected from the first rows when not configured).

use super::error::InputError;
use super::mapping::{ColumnRef, Field, Resolved};
use super::parse::{self, DateFormat};
use super::spec::{IngestOptions, InputSpec};
use super::table::{CellRef, Header, RawRow};
use std::collections::BTreeMap;

/// Everything needed to convert a row of one input, fixed once the header is known.
pub(super) struct Plan {
    pub(super) map: Resolved,
    pub(super) cols: BTreeMap<Field, usize>,
    /// The same columns, and the fixed values, indexed by field: a row asks for them dozens
    /// of times, so an array lookup instead of a tree walk.
    pub(super) by_field: [Option<usize>; Field::ALL.len()],
    pub(super) fixed: [Option<String>; Field::ALL.len()],
    /// Date formats per date field, fixed from the first batch.
    pub(super) dates: Option<BTreeMap<Field, Vec<DateFormat>>>,
    pub(super) opts: IngestOptions,
    pub(super) header: Vec<String>,
    /// The mapping's `keep`: a column and the values of the rows read.
    pub(super) keep: Vec<(usize, Vec<String>)>,
}

impl Plan {
    /// Resolves the mapping's columns against the header; every required field must be there.
    pub(super) fn new(input: &InputSpec, map: &Resolved, opts: &IngestOptions, h: &Header) -> Result<Plan, InputError> {
        let path = &input.path;
        let mut cols = BTreeMap::new();
        for (name, cref) in &input.mapping.columns {
            let field = Field::from_name(name).expect("mapping resolved");
            let ix = cref.resolve(&h.names).map_err(|e| {
                InputError::at(
                    path,
                    h.layout.location(h.line, None),
                    format!("field '{name}': {e}; the header has: {}", h.names.join(", ")),
                    if h.names.len() <= 1 {
                        "the header has one column: check the delimiter (and skip_rows) in the mapping"
                    } else {
                        "correct the column name in the mapping's [columns]"
                    },
                )
            })?;
            cols.insert(field, ix);
        }
        for f in input.mapping.required_fields() {
            if !cols.contains_key(&f) && !map.fixed.contains_key(&f) {
                return Err(InputError::at(
                    path,
                    h.layout.location(h.line, None),
                    format!("required field '{}' is not mapped; the header has: {}", f.name(), h.names.join(", ")),
                    format!("add {} = \"<column name>\" under [columns] in the mapping", f.name()),
                ));
            }
        }
        let mut keep = Vec::new();
        for (name, values) in &input.mapping.keep {
            let ix = ColumnRef::Name(name.clone()).resolve(&h.names).map_err(|e| {
                InputError::at(
                    path,
                    h.layout.location(h.line, None),
                    format!("keep: {e}; the header has: {}", h.names.join(", ")),
                    "correct the column name under [keep] in the mapping",
                )
            })?;
            keep.push((ix, values.iter().map(|v| v.trim().to_string()).collect()));
        }
        let mut by_field = [None; Field::ALL.len()];
        for (&f, &c) in &cols {
            by_field[f as usize] = Some(c);
        }
        let fixed = std::array::from_fn(|i| map.fixed.get(&Field::ALL[i]).cloned());
        Ok(Plan {
            map: map.clone(),
            cols,
            by_field,
            fixed,
            dates: None,
            opts: opts.clone(),
            header: h.names.clone(),
            keep,
        })
    }
}

/// Chooses date formats for date columns that have none configured, from the first batch.
pub(super) fn detect_dates<R: RawRow>(
    plan: &Plan,
    rows: &[R],
    h: &Header,
    path: &std::path::Path,
) -> Result<BTreeMap<Field, Vec<DateFormat>>, InputError> {
    let mut dates = BTreeMap::new();
    for (&field, &col) in &plan.cols {
        if !field.is_date() {
            continue;
        }
        let configured =
            plan.map.date_formats.get(&field).cloned().unwrap_or_else(|| plan.map.default_date_formats.clone());
        if !configured.is_empty() {
            dates.insert(field, configured);
            continue;
        }
        let mut samples = Vec::new();
        for r in rows.iter().take(20_000) {
            if let CellRef::Text(s) = r.cell(col)
                && !s.trim().is_empty()
            {
                samples.push(s.to_string());
            }
        }
        let formats = if samples.is_empty() {
            vec![plan.map.excel_epoch.clone()]
        } else {
            let f = parse::detect_date_format(&samples).map_err(|e| {
                InputError::at(
                    path,
                    h.layout.location(h.line, Some(col)),
                    e.to_string(),
                    "set date_formats = [\"%d/%m/%Y\"] (or the format the file uses) in the mapping",
                )
                .with_column(h.names.get(col).cloned().unwrap_or_default())
            })?;
            // Numeric cells in a text-dated sheet column are still serial dates.
            vec![f, plan.map.excel_epoch.clone()]
        };
        dates.insert(field, formats);
    }
    Ok(dates)
}
