//! The data files as Parquet, through polars (the `parquet` feature): the same tables and
//! column names as the CSV files, with real types for the tools that read them. Money is a
//! 64-bit integer of minor units (cents; the file's `currency` column, or the run's currency,
//! says how many digits), exact and summable everywhere; dates are dates; ratios, days and
//! scores are 64-bit floats rounded as the CSV shows them; flags are booleans; months (`2026-10`) and text are strings.

use super::table::{Cell, Column as TableColumn, Table};
use crate::output::write_staged;
use polars::prelude::*;
use std::path::Path;

/// One column's values, typed by the first cell that is not blank.
enum Values {
    /// No value yet.
    Unknown(usize),
    Text(Vec<Option<String>>),
    Int(Vec<Option<i64>>),
    Float(Vec<Option<f64>>),
    Date(Vec<Option<i32>>),
    Bool(Vec<Option<bool>>),
}

fn days(d: chrono::NaiveDate) -> i32 {
    (d - chrono::NaiveDate::from_ymd_opt(1970, 1, 1).expect("a date")).num_days() as i32
}

impl Values {
    fn len(&self) -> usize {
        match self {
            Values::Unknown(n) => *n,
            Values::Text(v) => v.len(),
            Values::Int(v) => v.len(),
            Values::Float(v) => v.len(),
            Values::Date(v) => v.len(),
            Values::Bool(v) => v.len(),
        }
    }

    /// The column as text, for a cell of another type than the column's.
    fn into_text(self) -> Values {
        let t = |v: Vec<Option<String>>| Values::Text(v);
        match self {
            Values::Unknown(n) => t(vec![None; n]),
            Values::Text(v) => t(v),
            Values::Int(v) => t(v.into_iter().map(|x| x.map(|x| x.to_string())).collect()),
            Values::Float(v) => t(v.into_iter().map(|x| x.map(|x| x.to_string())).collect()),
            Values::Date(v) => t(v.into_iter().map(|x| x.map(|x| x.to_string())).collect()),
            Values::Bool(v) => t(v.into_iter().map(|x| x.map(|x| x.to_string())).collect()),
        }
    }

    fn push(&mut self, cell: &Cell<'_>) {
        let n = self.len();
        // An empty text in a typed column is a missing value (a claim that does not apply).
        let blank = matches!(cell, Cell::Blank | Cell::Percent(None) | Cell::Days(None))
            || matches!(cell, Cell::Text(t) if t.is_empty() && !matches!(self, Values::Text(_)));
        if blank {
            match self {
                Values::Unknown(k) => *k += 1,
                Values::Text(v) => v.push(None),
                Values::Int(v) => v.push(None),
                Values::Float(v) => v.push(None),
                Values::Date(v) => v.push(None),
                Values::Bool(v) => v.push(None),
            }
            return;
        }
        if let Values::Unknown(k) = *self {
            *self = match cell {
                Cell::Money(_) | Cell::Int(_) => Values::Int(vec![None; k]),
                Cell::Percent(_) | Cell::Days(_) | Cell::Score(_) => Values::Float(vec![None; k]),
                Cell::Date(_) => Values::Date(vec![None; k]),
                Cell::Bool(_) => Values::Bool(vec![None; k]),
                _ => Values::Text(vec![None; k]),
            };
        }
        match (&mut *self, cell) {
            (Values::Int(v), Cell::Money(m)) => v.push(Some(m.minor())),
            (Values::Int(v), Cell::Int(i)) => v.push(Some(*i)),
            (Values::Float(v), Cell::Percent(Some(x))) => v.push(Some(shown(*x, 4))),
            (Values::Float(v), Cell::Days(Some(x))) => v.push(Some(shown(*x, 2))),
            (Values::Float(v), Cell::Score(x)) => v.push(Some(shown(*x, 1))),
            (Values::Date(v), Cell::Date(d)) => v.push(Some(days(*d))),
            (Values::Bool(v), Cell::Bool(b)) => v.push(Some(*b)),
            (Values::Text(v), c) => v.push(Some(text(c))),
            _ => self.push_as_text(cell),
        }
        debug_assert_eq!(self.len(), n + 1);
    }

    /// A cell whose type differs from the column's: the whole column becomes text, so no
    /// value is lost or forced into a type it is not.
    fn push_as_text(&mut self, cell: &Cell<'_>) {
        let mut as_text = std::mem::replace(self, Values::Unknown(0)).into_text();
        if let Values::Text(v) = &mut as_text {
            v.push(Some(text(cell)));
        }
        *self = as_text;
    }

    fn into_column(self, name: &str) -> PolarsResult<polars::prelude::Column> {
        let name = PlSmallStr::from(name);
        let s = match self {
            Values::Unknown(n) => Series::new(name, vec![None::<String>; n]),
            Values::Text(v) => Series::new(name, v),
            Values::Int(v) => Series::new(name, v),
            Values::Float(v) => Series::new(name, v),
            Values::Date(v) => Series::new(name, v).cast(&DataType::Date)?,
            Values::Bool(v) => Series::new(name, v),
        };
        Ok(s.into())
    }
}

/// `x` as the CSV file shows it (ratios to 4 decimals, days to 2, scores to 1), so both files
/// hold the same number and a total in a BI tool matches one made from the CSV.
fn shown(x: f64, decimals: usize) -> f64 {
    format!("{x:.decimals$}").parse().unwrap_or(x)
}

/// A cell as text, for a text column.
fn text(c: &Cell<'_>) -> String {
    match c {
        Cell::Text(t) => t.to_string(),
        Cell::Money(m) => m.minor().to_string(),
        Cell::Percent(x) | Cell::Days(x) => x.map(|x| x.to_string()).unwrap_or_default(),
        Cell::Score(x) => x.to_string(),
        Cell::Int(i) => i.to_string(),
        Cell::Date(d) => d.to_string(),
        Cell::Month(m) => crate::analytics::calendar::label(*m),
        Cell::Bool(b) => b.to_string(),
        Cell::Blank => String::new(),
    }
}

fn write(path: &Path, mut df: DataFrame) -> std::io::Result<()> {
    let mut bytes = Vec::new();
    ParquetWriter::new(&mut bytes).finish(&mut df).map_err(|e| std::io::Error::other(e.to_string()))?;
    write_staged(path, &bytes)
}

/// Writes `table` (its columns `keys`, or all) as a Parquet file.
pub fn write_table<R>(path: &Path, table: &Table<'_, R>, keys: Option<&[&str]>) -> std::io::Result<()> {
    let view: Vec<&TableColumn<'_, R>> = match keys {
        Some(k) => table.view(k),
        None => table.all(),
    };
    let mut values: Vec<Values> = view.iter().map(|_| Values::Unknown(0)).collect();
    for b in 0..table.blocks() {
        table.each(b, &mut |row| {
            for (v, c) in values.iter_mut().zip(&view) {
                v.push(&(c.cell)(row));
            }
        });
    }
    let height = values.first().map_or(0, Values::len);
    let columns = values
        .into_iter()
        .zip(&view)
        .map(|(v, c)| v.into_column(&c.key))
        .collect::<PolarsResult<Vec<_>>>()
        .map_err(|e| std::io::Error::other(e.to_string()))?;
    write(path, DataFrame::new(height, columns).map_err(|e| std::io::Error::other(e.to_string()))?)
}

/// Writes rows of text (`rejected`, `warnings`) as a Parquet file of string columns.
pub fn write_strings(path: &Path, header: &[String], rows: &[Vec<String>]) -> std::io::Result<()> {
    let columns = header
        .iter()
        .enumerate()
        .map(|(i, h)| {
            Series::new(
                PlSmallStr::from(h.as_str()),
                rows.iter().map(|r| r.get(i).cloned()).collect::<Vec<Option<String>>>(),
            )
            .into()
        })
        .collect::<Vec<polars::prelude::Column>>();
    write(path, DataFrame::new(rows.len(), columns).map_err(|e| std::io::Error::other(e.to_string()))?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Currency, Money};

    fn column(cells: &[Cell<'_>]) -> Series {
        let mut v = Values::Unknown(0);
        for c in cells {
            v.push(c);
        }
        v.into_column("x").unwrap().as_materialized_series().clone()
    }

    #[test]
    fn a_column_takes_the_type_of_its_first_value_and_blanks_become_null() {
        let eur = Currency::EUR;
        let s = column(&[Cell::Blank, Cell::Money(Money::new(-1234, eur)), Cell::text("")]);
        assert_eq!(s.dtype(), &DataType::Int64);
        assert_eq!(s.get(0).unwrap(), AnyValue::Null);
        assert_eq!(s.get(1).unwrap(), AnyValue::Int64(-1234));
        assert_eq!(s.get(2).unwrap(), AnyValue::Null);
        let d = column(&[Cell::Date(chrono::NaiveDate::from_ymd_opt(2026, 2, 28).unwrap())]);
        assert_eq!(d.dtype(), &DataType::Date);
        assert_eq!(d.get(0).unwrap(), AnyValue::Date(20512));
        assert_eq!(column(&[Cell::Days(Some(12.345_6))]).get(0).unwrap(), AnyValue::Float64(12.35));
        assert_eq!(column(&[Cell::Blank, Cell::Blank]).dtype(), &DataType::String);
    }

    #[test]
    fn a_value_of_another_type_turns_the_column_into_text_and_keeps_every_value() {
        let s = column(&[Cell::Int(7), Cell::Blank, Cell::text("n/a")]);
        assert_eq!(s.dtype(), &DataType::String);
        let got: Vec<AnyValue<'_>> = (0..3).map(|i| s.get(i).unwrap()).collect();
        assert_eq!(got, [AnyValue::String("7"), AnyValue::Null, AnyValue::String("n/a")]);
    }
}
