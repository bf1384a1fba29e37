//! Statutory late-payment interest (EU Directive 2011/7/EU) for the collection handover:
//! Belgian law of 2 August 2002 (simple interest) and the Dutch wettelijke handelsrente
//! (art. 6:119a BW, compounded yearly), from per-half-year rate tables shipped as data.

use super::error::CollectionError;
use chrono::{Datelike, NaiveDate};
use std::collections::BTreeMap;

/// The rate table shipped with arwatch (`rates/statutory-interest.csv`); a user table adds to
/// or overrides it.
pub const SHIPPED_RATES: &str = include_str!("../../rates/statutory-interest.csv");

/// Whose late-payment law applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Jurisdiction {
    /// Belgium: law of 2 August 2002.
    Belgium,
    /// The Netherlands: wettelijke handelsrente.
    Netherlands,
}

impl Jurisdiction {
    /// `BE` or `NL`.
    pub fn code(self) -> &'static str {
        match self {
            Jurisdiction::Belgium => "BE",
            Jurisdiction::Netherlands => "NL",
        }
    }

    /// `BE` or `NL` (any case).
    pub fn parse(s: &str) -> Option<Jurisdiction> {
        match s.trim().to_ascii_uppercase().as_str() {
            "BE" => Some(Jurisdiction::Belgium),
            "NL" => Some(Jurisdiction::Netherlands),
            _ => None,
        }
    }

    /// From a normalised company number (`BE…`, `NL…`).
    pub fn of_company(n: &str) -> Option<Jurisdiction> {
        n.get(..2).and_then(Jurisdiction::parse)
    }

    /// The legal basis, as a dossier states it.
    pub fn legal_basis(self) -> &'static str {
        match self {
            Jurisdiction::Belgium => {
                "Belgian law of 2 August 2002 on combating late payment in commercial transactions (art. 5 and 6)"
            }
            Jurisdiction::Netherlands => "Dutch Civil Code art. 6:119a and 6:96 (wettelijke handelsrente)",
        }
    }

    /// Where, and under which law, a claim on an insolvent debtor is filed.
    pub fn insolvency_register(self) -> &'static str {
        match self {
            Jurisdiction::Belgium => "in the Central Solvency Register, regsol.be (Code of Economic Law, Book XX)",
            Jurisdiction::Netherlands => "with the curator or the administrator (Faillissementswet)",
        }
    }

    /// Dutch statutory commercial interest is compounded yearly.
    pub fn compounds(self) -> bool {
        self == Jurisdiction::Netherlands
    }
}

/// A half-year: 2025 H1 is (2025, 1).
pub type HalfYear = (i32, u8);

/// The half-year a date falls in.
pub fn half_of(d: NaiveDate) -> HalfYear {
    (d.year(), if d.month() <= 6 { 1 } else { 2 })
}

/// One half-year's statutory rate.
#[derive(Clone, Debug, PartialEq)]
pub struct Rate {
    /// The rate, in percent a year.
    pub percent: f64,
    /// Not yet confirmed by the authority that publishes it.
    pub provisional: bool,
    /// Where it comes from.
    pub note: String,
}

/// The statutory rates per jurisdiction and half-year.
#[derive(Clone, Debug, Default)]
pub struct Rates {
    table: BTreeMap<(Jurisdiction, HalfYear), Rate>,
}

impl Rates {
    /// Reads a table (`jurisdiction,period,rate_percent,status,note`, period `2025-H1`) on top
    /// of what is already there.
    pub fn add_csv(&mut self, text: &str, source: &str) -> Result<(), CollectionError> {
        let mut r = csv::Reader::from_reader(text.as_bytes());
        for (n, rec) in r.records().enumerate() {
            let line = n + 2;
            let bad = |problem: String| CollectionError::Table {
                table: source.to_string(),
                line,
                column: String::new(),
                problem,
            };
            let rec = rec.map_err(|e| bad(e.to_string()))?;
            let get = |i: usize| rec.get(i).unwrap_or("").trim();
            let j =
                Jurisdiction::parse(get(0)).ok_or_else(|| bad(format!("jurisdiction {:?} is not BE or NL", get(0))))?;
            let (y, h) =
                get(1).split_once("-H").ok_or_else(|| bad(format!("period {:?} is not like 2025-H1", get(1))))?;
            let year: i32 = y.parse().map_err(|_| bad(format!("bad year in {:?}", get(1))))?;
            let half: u8 = match h {
                "1" => 1,
                "2" => 2,
                _ => return Err(bad(format!("period {:?} is not like 2025-H1", get(1)))),
            };
            let percent: f64 = get(2).parse().map_err(|_| bad(format!("rate {:?} is not a number", get(2))))?;
            let provisional = match get(3) {
                "" | "confirmed" => false,
                "provisional" => true,
                other => return Err(bad(format!("status {other:?} is not confirmed or provisional"))),
            };
            self.table.insert((j, (year, half)), Rate { percent, provisional, note: get(4).to_string() });
        }
        Ok(())
    }

    /// The table shipped with arwatch (`rates/statutory-interest.csv`).
    pub fn shipped() -> Rates {
        let mut r = Rates::default();
        r.add_csv(SHIPPED_RATES, "rates/statutory-interest.csv").expect("the shipped rate table is valid");
        r
    }

    /// The rate of a jurisdiction and half-year, or the error naming both.
    pub fn get(&self, j: Jurisdiction, h: HalfYear) -> Result<&Rate, CollectionError> {
        self.table.get(&(j, h)).ok_or(CollectionError::NoRate { jurisdiction: j.code(), year: h.0, half: h.1 })
    }
}

/// One stretch of days at one half-year's rate.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Period {
    /// The half-year.
    pub half: HalfYear,
    /// Its rate, in percent a year.
    pub percent: f64,
    /// Whether the rate is provisional.
    pub provisional: bool,
    /// Days at that rate.
    pub days: i64,
}

impl std::fmt::Display for Period {
    /// `2025-H1 11.5 % × 46 days`, as the dossier shows it.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (y, h) = self.half;
        write!(
            f,
            "{y}-H{h} {}{} % × {} days",
            self.percent,
            if self.provisional { " (provisional)" } else { "" },
            self.days
        )
    }
}

/// Interest on an overdue amount, with the half-years it used.
#[derive(Clone, Debug, PartialEq)]
pub struct Interest {
    /// Minor units.
    pub amount: i64,
    /// Days from the due date to the handover date.
    pub days: i64,
    /// A provisional rate was used (say so wherever the amount is shown).
    pub provisional: bool,
    /// The stretches at each rate, in order.
    pub periods: Vec<Period>,
}

fn next_half_start(d: NaiveDate) -> NaiveDate {
    if d.month() <= 6 {
        NaiveDate::from_ymd_opt(d.year(), 7, 1).expect("valid")
    } else {
        NaiveDate::from_ymd_opt(d.year() + 1, 1, 1).expect("valid")
    }
}

/// Interest on `principal` (minor units) for the days after `due` up to and including `until`,
/// act/365, split at 1 January and 1 July; compounded on each anniversary of the start of the
/// delay where the jurisdiction says so.
pub fn statutory_interest(
    principal: i64,
    due: NaiveDate,
    until: NaiveDate,
    j: Jurisdiction,
    rates: &Rates,
) -> Result<Interest, CollectionError> {
    let mut out =
        Interest { amount: 0, days: (until - due).num_days().max(0), provisional: false, periods: Vec::new() };
    if until <= due || principal <= 0 {
        return Ok(out);
    }
    // Interest runs over (due, until]: a day counts at the rate of its half-year.
    out.periods.reserve((out.days / 181 + 3) as usize);
    let mut base = principal as f64;
    let mut accrued_year = 0.0;
    let mut total = 0.0;
    let mut anniversary = due.with_year(due.year() + 1).unwrap_or_else(|| due + chrono::Duration::days(365));
    let mut from = due; // exclusive
    while from < until {
        let mut to = (next_half_start(from + chrono::Duration::days(1)) - chrono::Duration::days(1)).min(until);
        if j.compounds() && anniversary > from && anniversary < to {
            to = anniversary;
        }
        let days = (to - from).num_days();
        let rate = rates.get(j, half_of(from + chrono::Duration::days(1)))?;
        let piece = base * rate.percent / 100.0 * days as f64 / 365.0;
        accrued_year += piece;
        total += piece;
        out.provisional |= rate.provisional;
        out.periods.push(Period {
            half: half_of(from + chrono::Duration::days(1)),
            percent: rate.percent,
            provisional: rate.provisional,
            days,
        });
        if j.compounds() && to == anniversary {
            // The year's interest is added to the principal on the anniversary.
            base += (accrued_year).round();
            accrued_year = 0.0;
            anniversary =
                anniversary.with_year(anniversary.year() + 1).unwrap_or(anniversary + chrono::Duration::days(365));
        }
        from = to;
    }
    out.amount = total.round() as i64;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn spec_vector_belgium_and_netherlands() {
        let r = Rates::shipped();
        let be = statutory_interest(10_000_00, d("2025-05-15"), d("2025-08-14"), Jurisdiction::Belgium, &r).unwrap();
        assert_eq!(be.amount, 274_38);
        assert_eq!(be.days, 91);
        let shown: Vec<String> = be.periods.iter().map(|p| p.to_string()).collect();
        assert_eq!(shown, vec!["2025-H1 11.5 % × 46 days", "2025-H2 10.5 % × 45 days"]);
        let nl =
            statutory_interest(10_000_00, d("2025-05-15"), d("2025-08-14"), Jurisdiction::Netherlands, &r).unwrap();
        assert_eq!(nl.amount, 265_66);
        assert!(!nl.provisional);
    }

    #[test]
    fn spec_vector_single_rate() {
        let r = Rates::shipped();
        let i = statutory_interest(1_000_00, d("2021-03-01"), d("2021-03-12"), Jurisdiction::Belgium, &r).unwrap();
        assert_eq!(i.amount, 2_41);
    }

    #[test]
    fn dutch_interest_compounds_yearly_and_2026_h2_is_provisional() {
        let r = Rates::shipped();
        // Two years at 8 %: simple 1,600.00; compounded 1,664.00 (8 % on 10,800.00 the second year).
        let be = statutory_interest(10_000_00, d("2020-01-31"), d("2022-01-31"), Jurisdiction::Belgium, &r).unwrap();
        let nl =
            statutory_interest(10_000_00, d("2020-01-31"), d("2022-01-31"), Jurisdiction::Netherlands, &r).unwrap();
        // 2020 is a leap year: 366 days at act/365 in the first year.
        assert_eq!(be.amount, (10_000_00f64 * 0.08 * 731.0 / 365.0).round() as i64);
        let first = 10_000_00f64 * 0.08 * 366.0 / 365.0;
        let second = (10_000_00f64 + first.round()) * 0.08 * 365.0 / 365.0;
        assert_eq!(nl.amount, (first + second).round() as i64);
        assert!(nl.amount > be.amount);
        let p = statutory_interest(1_000_00, d("2026-06-30"), d("2026-07-31"), Jurisdiction::Netherlands, &r).unwrap();
        assert!(p.provisional);
    }

    #[test]
    fn a_missing_period_is_an_error_naming_it() {
        let r = Rates::shipped();
        let e = statutory_interest(1_000_00, d("2026-12-01"), d("2027-02-01"), Jurisdiction::Belgium, &r).unwrap_err();
        assert_eq!(e, CollectionError::NoRate { jurisdiction: "BE", year: 2027, half: 1 });
        assert!(e.to_string().contains("BE 2027-H1"), "{e}");
        let mut user = Rates::shipped();
        user.add_csv("jurisdiction,period,rate_percent,status,note\nBE,2027-H1,10.00,confirmed,\n", "mine.csv")
            .unwrap();
        assert!(statutory_interest(1_000_00, d("2026-12-01"), d("2027-02-01"), Jurisdiction::Belgium, &user).is_ok());
        let e = user.add_csv("jurisdiction,period,rate_percent\nFR,2027-H1,10\n", "x.csv").unwrap_err();
        assert_eq!(e.to_string(), "x.csv line 2: jurisdiction \"FR\" is not BE or NL");
    }

    #[test]
    fn nothing_before_the_due_date() {
        let r = Rates::shipped();
        assert_eq!(
            statutory_interest(1_000_00, d("2025-05-15"), d("2025-05-15"), Jurisdiction::Belgium, &r).unwrap().amount,
            0
        );
        assert_eq!(Jurisdiction::of_company("NL12345678"), Some(Jurisdiction::Netherlands));
    }
}
