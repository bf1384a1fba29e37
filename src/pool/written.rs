//! The pool step's files: `<out>/<YYYY-MM>/debtors.csv` for the pool's keeper and
//! `elsewhere/<contributor>.csv` for each contributor, with their Parquet twins, written whole.

use super::disclosure::Rules;
use super::error::PoolError;
use super::pooled::{self, Debtor, Elsewhere, Figures};
use crate::bureau::elsewhere::file_name;
use crate::model::{Currency, Money};
use crate::output::WriteError;
use crate::output::month_folder::{self, MonthFolder, RootLock};
use crate::report::data::DataDir;
use crate::report::table::{Cell, Column, Table};
use chrono::NaiveDate;
use std::path::{Path, PathBuf};

/// What the pool step did.
pub struct Pooled {
    /// The pool's as-of date.
    pub as_of: NaiveDate,
    /// The month folder written.
    pub folder: PathBuf,
    /// Contributions read.
    pub files: usize,
    /// Debtors pooled.
    pub debtors: usize,
    /// Contributors given an `elsewhere` file.
    pub contributors: usize,
}

fn money(v: i128, currency: &str) -> Cell<'static> {
    match (i64::try_from(v), Currency::parse(currency)) {
        (Ok(m), Some(c)) => Cell::Money(Money::new(m, c)),
        _ => Cell::owned(v.to_string()),
    }
}

/// The figure columns both files share.
fn figure_columns<'a, R: 'a>(get: fn(&R) -> &Figures) -> Vec<Column<'a, R>> {
    vec![
        Column::new("late_ratio_12m", move |r: &R| Cell::Percent(get(r).late_ratio)),
        Column::new("wadl_12m", move |r: &R| Cell::Days(get(r).wadl)),
        Column::new("wadl_12m_month_before", move |r: &R| Cell::Days(get(r).wadl_before)),
        Column::new("wadl_trend_6m", move |r: &R| Cell::Days(get(r).wadl_trend)),
        Column::new("wadl_spread", move |r: &R| Cell::Days(get(r).wadl_spread)),
        Column::new("dbt", move |r: &R| Cell::Days(get(r).dbt)),
        Column::new("over_90_share", move |r: &R| Cell::Percent(get(r).over_90_share)),
        Column::new("note", move |r: &R| Cell::text(&get(r).note)),
    ]
}

/// Reads the contributions under `dirs`, pools them for the month of `as_of` (the latest found
/// when `None`) and writes the month's files under `out`, whole or not at all.
pub fn write(dirs: &[PathBuf], out: &Path, as_of: Option<NaiveDate>, rules: &Rules) -> Result<Pooled, PoolError> {
    let files = pooled::find(dirs)?;
    let (as_of, debtors) = pooled::read(&files, as_of)?;
    if debtors.is_empty() {
        return Err(PoolError::NoRows);
    }
    let views = pooled::elsewhere(&debtors, rules);
    let mut names: std::collections::BTreeMap<String, &str> = Default::default();
    for c in views.keys() {
        if let Some(other) = names.insert(file_name(c), c) {
            return Err(PoolError::SameFileName(other.to_string(), c.clone()));
        }
    }
    let io = |p: &Path, e: std::io::Error| PoolError::Write(WriteError::new(p, e));
    std::fs::create_dir_all(out).map_err(|e| io(out, e))?;
    let lock = RootLock::take(out).map_err(|e| io(out, e))?;
    let month = MonthFolder::begin(out, &month_folder::folder_name(as_of), &lock).map_err(|e| io(out, e))?;
    // A month folder starts with the `data/` a run fills; the pool's files sit at its top.
    let _ = std::fs::remove_dir(month.path().join("data"));
    let dir = DataDir { path: month.path(), parquet: true };
    let all: Vec<(&Debtor, Figures)> =
        debtors.iter().map(|d| (d, pooled::Totals::of(&d.shares).figures(rules))).collect();
    let mut columns: Vec<Column<'_, (&Debtor, Figures)>> = vec![
        Column::new("company_number", |r: &(&Debtor, Figures)| Cell::text(&r.0.company_number)),
        Column::new("currency", |r: &(&Debtor, Figures)| Cell::text(&r.0.currency)),
        Column::new("creditors", |r: &(&Debtor, Figures)| Cell::Int(r.1.creditors as i64)),
        Column::new("exposure", |r: &(&Debtor, Figures)| r.1.exposure.map_or(Cell::Blank, |e| money(e, &r.0.currency))),
    ];
    columns.extend(figure_columns(|r: &(&Debtor, Figures)| &r.1));
    dir.table("debtors", &Table::of(columns, all), None).map_err(|e| io(month.path(), e))?;
    let elsewhere = month.path().join("elsewhere");
    std::fs::create_dir_all(&elsewhere).map_err(|e| io(&elsewhere, e))?;
    let edir = DataDir { path: &elsewhere, parquet: true };
    let contributors = views.len();
    for (contributor, rows) in views {
        let mut columns: Vec<Column<'_, Elsewhere>> = vec![
            Column::new("company_number", |r: &Elsewhere| Cell::text(&r.company_number)),
            Column::new("currency", |r: &Elsewhere| Cell::text(&r.currency)),
            Column::new("creditors_elsewhere", |r: &Elsewhere| Cell::Int(r.figures.creditors as i64)),
            Column::new("exposure_elsewhere_from", |r: &Elsewhere| {
                r.exposure_band.map_or(Cell::Blank, |b| money(b.0, &r.currency))
            }),
            Column::new("exposure_elsewhere_to", |r: &Elsewhere| {
                r.exposure_band.map_or(Cell::Blank, |b| money(b.1, &r.currency))
            }),
        ];
        columns.extend(figure_columns(|r: &Elsewhere| &r.figures));
        edir.table(&file_name(&contributor), &Table::of(columns, rows), None).map_err(|e| io(&elsewhere, e))?;
    }
    let folder = month.commit().map_err(|e| io(out, e))?;
    Ok(Pooled { as_of, folder, files: files.len(), debtors: debtors.len(), contributors })
}
