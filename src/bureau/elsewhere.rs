//! The pool's experience elsewhere: how each client pays the portfolio's fellow creditors,
//! read from the file `arwatch pool` wrote for this portfolio (`docs/pooling.md`) and matched
//! on the company number, as a bureau row is.

use crate::model::CompanyNumber;
use crate::model::company_number::normalise_company_number;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A client's figures at the other creditors of the pool (its own contribution left out).
/// A figure the pool suppressed (too few creditors, one dominating) is `None`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Elsewhere {
    /// The other creditors with anything settled or open.
    pub creditors: u32,
    /// Late count / settled count, 12 months.
    pub late_ratio: Option<f64>,
    /// Weighted average days late, 12 months.
    pub wadl: Option<f64>,
    /// The same, 12 months to the month before.
    pub wadl_before: Option<f64>,
    /// Slope of the monthly WADL over 6 months, days per month.
    pub wadl_trend: Option<f64>,
    /// Days beyond terms of what is open with them.
    pub dbt: Option<f64>,
}

/// The experience elsewhere of a run's clients, and the file it came from.
#[derive(Clone, Debug, Default)]
pub struct Pooled {
    /// The file read; `None` when no pool has been made yet.
    pub file: Option<PathBuf>,
    /// By company number.
    pub by_company: BTreeMap<CompanyNumber, Elsewhere>,
}

/// An experience-elsewhere file that cannot be used.
#[derive(Debug, thiserror::Error)]
#[error("pool file {file}{}: {problem}\n  fix: {}", line.map(|l| format!(" line {l}")).unwrap_or_default(), Self::FIX)]
pub struct ElsewhereError {
    /// The file.
    pub file: String,
    /// The line, when one is to blame.
    pub line: Option<usize>,
    /// What is wrong.
    pub problem: String,
}

impl ElsewhereError {
    const FIX: &'static str = "point [pool] elsewhere at the folder arwatch pool writes (--out), or at this portfolio's elsewhere/<contributor>.csv, unedited";
}

/// A contributor's name as a file name: letters, digits, `-`, `_` and `.` kept, the rest `_`.
pub fn file_name(contributor: &str) -> String {
    let s: String = contributor
        .chars()
        .map(|c| if c.is_alphanumeric() || matches!(c, '-' | '_' | '.') { c } else { '_' })
        .collect();
    s.trim_start_matches('.').to_string()
}

/// The file for `contributor` at `as_of`: `setting` itself when it is a file; when it is the
/// pool's folder, `elsewhere/<contributor>.csv` in its latest month folder up to the as-of
/// month. `None` when there is no such month or no folder yet (the first runs before any
/// pool), or that month has no file for this contributor (it did not contribute); a file named
/// `….csv` that is missing is given back, for the reader to say so.
pub fn locate(setting: &Path, contributor: &str, as_of_month: &str) -> Option<PathBuf> {
    let named_file = setting.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    if named_file || setting.is_file() {
        return Some(setting.to_path_buf());
    }
    let month = std::fs::read_dir(setting)
        .ok()?
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .filter_map(|e| e.file_name().to_str().map(str::to_string))
        .filter(|n| n.len() >= 7 && n.as_bytes()[4] == b'-' && n[..7] <= *as_of_month && !n.starts_with('.'))
        .max()?;
    let file = setting.join(month).join("elsewhere").join(format!("{}.csv", file_name(contributor)));
    file.exists().then_some(file)
}

/// Reads an experience-elsewhere file. Its rows must be in the run's `currency`.
pub fn read(path: &Path, currency: &str) -> Result<BTreeMap<CompanyNumber, Elsewhere>, ElsewhereError> {
    let file = path.display().to_string();
    let bad = |line: Option<usize>, problem: String| ElsewhereError { file: file.clone(), line, problem };
    let mut r = csv::Reader::from_path(path).map_err(|e| bad(None, format!("cannot read it: {e}")))?;
    let header: Vec<String> = r.headers().map_err(|e| bad(None, e.to_string()))?.iter().map(String::from).collect();
    let col = |name: &str| {
        header.iter().position(|h| h == name).ok_or_else(|| bad(Some(1), format!("no column {name:?} in the header")))
    };
    let cols = [
        "company_number",
        "currency",
        "creditors_elsewhere",
        "late_ratio_12m",
        "wadl_12m",
        "wadl_12m_month_before",
        "wadl_trend_6m",
        "dbt",
    ]
    .map(col);
    let mut at = [0usize; 8];
    for (a, c) in at.iter_mut().zip(cols) {
        *a = c?;
    }
    let mut out = BTreeMap::new();
    for (n, rec) in r.records().enumerate() {
        let line = n + 2;
        let rec = rec.map_err(|e| bad(Some(line), e.to_string()))?;
        let get = |i: usize| rec.get(at[i]).unwrap_or("").trim();
        let number = normalise_company_number(get(0)).map_err(|e| bad(Some(line), format!("company number: {e}")))?;
        if get(1) != currency {
            return Err(bad(Some(line), format!("currency {:?}, but this run's is {currency}", get(1))));
        }
        let figure = |i: usize| -> Result<Option<f64>, ElsewhereError> {
            match get(i) {
                "" => Ok(None),
                v => v
                    .parse::<f64>()
                    .map(Some)
                    .map_err(|_| bad(Some(line), format!("{}: {v:?} is no number", header[at[i]]))),
            }
        };
        let creditors = get(2)
            .parse::<u32>()
            .map_err(|_| bad(Some(line), format!("creditors_elsewhere: {:?} is no count", get(2))))?;
        let e = Elsewhere {
            creditors,
            late_ratio: figure(3)?,
            wadl: figure(4)?,
            wadl_before: figure(5)?,
            wadl_trend: figure(6)?,
            dbt: figure(7)?,
        };
        if out.insert(number.clone(), e).is_some() {
            return Err(bad(Some(line), format!("{number} is listed twice")));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "company_number,currency,creditors_elsewhere,exposure_elsewhere_from,exposure_elsewhere_to,late_ratio_12m,wadl_12m,wadl_12m_month_before,wadl_trend_6m,wadl_spread,dbt,over_90_share,note\n";

    #[test]
    fn reads_published_and_suppressed_figures() {
        let dir = tempfile::TempDir::new().unwrap();
        let p = dir.path().join("c.csv");
        let text = format!(
            "{HEADER}BE0403019261,EUR,4,20000.00,50000.00,0.3358,15.90,16.49,-2.49,20.46,121.01,0.3594,\nBE0417497106,EUR,2,,,,,,,,,,payments: fewer than 3 creditors (2)\n"
        );
        std::fs::write(&p, text).unwrap();
        let m = read(&p, "EUR").unwrap();
        let e = &m[&normalise_company_number("BE0403019261").unwrap()];
        assert_eq!((e.creditors, e.wadl, e.wadl_before, e.dbt), (4, Some(15.9), Some(16.49), Some(121.01)));
        assert_eq!(m[&normalise_company_number("0417497106").unwrap()].wadl, None);
        let err = read(&p, "USD").unwrap_err();
        assert_eq!(err.line, Some(2));
        assert!(err.to_string().contains("fix:"), "{err}");
    }

    #[test]
    fn contributor_names_become_safe_file_names() {
        assert_eq!(file_name("creditor-01"), "creditor-01");
        assert_eq!(file_name("Bakkerij Claes/NV"), "Bakkerij_Claes_NV");
        assert_eq!(file_name("../x"), "_x");
        assert_eq!(file_name("Société Générale"), "Société_Générale");
    }

    #[test]
    fn a_folder_gives_the_latest_month_up_to_the_run() {
        let dir = tempfile::TempDir::new().unwrap();
        for m in ["2026-08", "2026-09", "2026-11"] {
            std::fs::create_dir_all(dir.path().join(m).join("elsewhere")).unwrap();
            std::fs::write(dir.path().join(m).join("elsewhere/Bakkerij_Claes.csv"), "").unwrap();
        }
        let p = locate(dir.path(), "Bakkerij Claes", "2026-10").unwrap();
        assert_eq!(p, dir.path().join("2026-09/elsewhere/Bakkerij_Claes.csv"));
        assert_eq!(locate(dir.path(), "not in the pool", "2026-10"), None);
        assert_eq!(locate(dir.path(), "x", "2026-07"), None);
        assert_eq!(locate(&dir.path().join("f.csv"), "x", "2026-07"), Some(dir.path().join("f.csv")));
        assert_eq!(locate(&dir.path().join("no-pool-yet"), "x", "2026-10"), None);
    }
}
