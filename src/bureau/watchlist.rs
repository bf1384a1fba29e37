//! Companies watched that are not clients: suppliers, prospects, others. A stable supplier can
//! get into trouble too, and a prospect whose scores improve is a call for sales to make; their
//! bureau snapshots raise the same bureau alerts as a client's.
//!
//! The watchlist is a CSV file, `company_number,name,role` (UTF-8, comma), one company a line.

use crate::model::CompanyNumber;
use crate::model::company_number::normalise_company_number;
use std::path::Path;

/// Who a company is to the creditor.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    /// A client: its ledger is analysed.
    #[default]
    Client,
    /// A supplier the company depends on.
    Supplier,
    /// A company sales would like as a client.
    Prospect,
    /// Any other company worth watching.
    Other,
}

impl Role {
    /// The role as the data files write it.
    pub fn label(self) -> &'static str {
        match self {
            Role::Client => "client",
            Role::Supplier => "supplier",
            Role::Prospect => "prospect",
            Role::Other => "other",
        }
    }

    /// The role a data file's label names.
    pub fn from_label(s: &str) -> Option<Role> {
        [Role::Client, Role::Supplier, Role::Prospect, Role::Other].into_iter().find(|r| r.label() == s)
    }

    /// The role a watchlist's word means, in English, Dutch or French (`leverancier`,
    /// `fournisseur`…). A client is no watchlist role: clients come from the ledger.
    pub fn from_word(raw: &str) -> Option<Role> {
        match raw.trim().to_lowercase().as_str() {
            "supplier" | "leverancier" | "fournisseur" => Some(Role::Supplier),
            "prospect" | "prospecteur" | "potentiële klant" => Some(Role::Prospect),
            "other" | "ander" | "andere" | "autre" => Some(Role::Other),
            _ => None,
        }
    }
}

/// One watched company.
#[derive(Clone, Debug, PartialEq)]
pub struct Watched {
    /// Its company number, normalised: what bureau rows are matched on.
    pub company: CompanyNumber,
    /// Its name, as the creditor knows it.
    pub name: String,
    /// Supplier, prospect or other.
    pub role: Role,
}

/// A watchlist that cannot be used.
#[derive(Debug, thiserror::Error)]
#[error("watchlist {file}{}: {problem}\n  fix: {}", line.map(|l| format!(" line {l}")).unwrap_or_default(), Self::FIX)]
pub struct WatchlistError {
    /// The file.
    pub file: String,
    /// The line, when one is to blame.
    pub line: Option<usize>,
    /// What is wrong.
    pub problem: String,
}

impl WatchlistError {
    const FIX: &'static str = "correct the watchlist: company_number,name,role with a valid company number and a role of supplier, prospect or other (docs/monitoring.md)";
}

/// Reads a watchlist. Every line must be a company the bureau can be matched on: an invalid
/// company number, an unknown role or a company listed twice stops the run, naming the line.
pub fn read(path: &Path) -> Result<Vec<Watched>, WatchlistError> {
    let file = path.display().to_string();
    let bad = |line: Option<usize>, problem: String| WatchlistError { file: file.clone(), line, problem };
    let mut r = csv::Reader::from_path(path).map_err(|e| bad(None, format!("cannot read it: {e}")))?;
    let header: Vec<String> =
        r.headers().map_err(|e| bad(None, e.to_string()))?.iter().map(|h| h.trim().to_lowercase()).collect();
    let col = |name: &str| {
        header.iter().position(|h| h == name).ok_or_else(|| bad(Some(1), format!("no column {name:?} in the header")))
    };
    let (number, name, role) = (col("company_number")?, col("name")?, col("role")?);
    let mut out: Vec<Watched> = Vec::new();
    for (n, rec) in r.records().enumerate() {
        let line = n + 2;
        let rec = rec.map_err(|e| bad(Some(line), e.to_string()))?;
        let get = |i: usize| rec.get(i).unwrap_or("").trim();
        let company =
            normalise_company_number(get(number)).map_err(|e| bad(Some(line), format!("company number: {e}")))?;
        let role = Role::from_word(get(role))
            .ok_or_else(|| bad(Some(line), format!("role {:?} is not supplier, prospect or other", get(role))))?;
        if out.iter().any(|w| w.company == company) {
            return Err(bad(Some(line), format!("{company} is listed twice")));
        }
        out.push(Watched { company, name: get(name).to_string(), role });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_text(text: &str) -> Result<Vec<Watched>, WatchlistError> {
        let dir = tempfile::TempDir::new().unwrap();
        let p = dir.path().join("watch.csv");
        std::fs::write(&p, text).unwrap();
        read(&p)
    }

    #[test]
    fn companies_with_their_roles_in_three_languages() {
        let w =
            read_text("company_number,name,role\nBE 0403.019.261,Papier NV,Leverancier\n0417497106,Bouw BV,prospect\n")
                .unwrap();
        assert_eq!(w.len(), 2);
        assert_eq!(
            (w[0].company.as_str(), w[0].name.as_str(), w[0].role),
            ("BE0403019261", "Papier NV", Role::Supplier)
        );
        assert_eq!(w[1].role, Role::Prospect);
        assert_eq!(Role::from_word("fournisseur"), Some(Role::Supplier));
        assert_eq!(Role::from_label(Role::Other.label()), Some(Role::Other));
    }

    #[test]
    fn a_bad_line_stops_with_its_line_and_the_fix() {
        let e = read_text("company_number,name,role\nBE 0403.019.261,A,supplier\n0431150351,B,supplier\n").unwrap_err();
        assert_eq!(e.line, Some(3));
        assert!(e.to_string().contains("line 3: company number") && e.to_string().contains("fix:"), "{e}");
        let e = read_text("company_number,name,role\n0403019261,A,client\n").unwrap_err();
        assert!(e.problem.contains("\"client\" is not supplier, prospect or other"), "{e}");
        let e = read_text("company_number,name,role\n0403019261,A,supplier\nBE0403019261,B,other\n").unwrap_err();
        assert!(e.problem.contains("listed twice"), "{e}");
        let e = read_text("number,name,role\n").unwrap_err();
        assert!(e.problem.contains("no column \"company_number\""), "{e}");
    }
}
