//! Exchange rates (spec section 9): how much one unit of a currency is worth in the reporting
//! currency on a date. The rate of a date is the latest on or before it; a needed rate that is
//! missing stops the run with an error naming the currency and the date.

use crate::model::Currency;
use chrono::NaiveDate;
use std::collections::HashMap;

/// Why an amount could not be converted, or the rate table not read.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum FxError {
    /// A line of the rate table that is no rate.
    #[error("{table} line {line}{column}: {problem}")]
    Table {
        /// The table's file.
        table: String,
        /// Its line.
        line: usize,
        /// `, column X` when the problem is one column's.
        column: String,
        /// What is wrong with it.
        problem: String,
    },
    /// A conversion needs a rate the table does not have.
    #[error("no exchange rate for {currency} (to {reporting}) on or before {date}: add it to the FX rate table")]
    MissingRate {
        /// The currency to convert.
        currency: Currency,
        /// The reporting currency.
        reporting: Currency,
        /// The date a rate is needed for.
        date: NaiveDate,
    },
    /// A converted amount beyond 64 bits (only a wrong rate gets there).
    #[error("{major} {from} in {to} on {date} is beyond what arwatch can hold")]
    TooLarge {
        /// The amount, in units of `from`.
        major: f64,
        /// Its currency.
        from: Currency,
        /// The currency it would become.
        to: Currency,
        /// The rates' date.
        date: NaiveDate,
    },
}

impl FxError {
    /// What the user can do about it.
    pub fn fix(&self) -> &'static str {
        match self {
            FxError::Table { .. } => {
                "correct the FX rate table: date,currency,rate with ISO dates and rates above zero"
            }
            FxError::MissingRate { .. } => "add the rate to the table named by fx_rates",
            FxError::TooLarge { .. } => "check the rate in the FX rate table",
        }
    }
}

/// Exchange rates into the reporting currency, by currency and date.
#[derive(Clone, Debug)]
pub struct Fx {
    reporting: Currency,
    /// Per currency, (date, reporting units per unit) sorted by date.
    rates: HashMap<Currency, Vec<(NaiveDate, f64)>>,
}

impl Fx {
    /// No rates: only the reporting currency converts (to itself).
    pub fn none(reporting: Currency) -> Fx {
        Fx { reporting, rates: HashMap::new() }
    }

    /// Reads a table `date,currency,rate` (ISO dates; `rate` = reporting-currency units for one
    /// unit of `currency`, e.g. `2026-10-31,USD,0.9234` when reporting in EUR).
    pub fn from_csv(text: &str, source: &str, reporting: Currency) -> Result<Fx, FxError> {
        let mut fx = Fx::none(reporting);
        let mut r = csv::Reader::from_reader(text.as_bytes());
        for (n, rec) in r.records().enumerate() {
            let line = n + 2;
            let bad = |column: &str, problem: String| FxError::Table {
                table: source.to_string(),
                line,
                column: if column.is_empty() { String::new() } else { format!(", column {column}") },
                problem,
            };
            let rec = rec.map_err(|e| bad("", e.to_string()))?;
            let get = |i: usize| rec.get(i).unwrap_or("").trim();
            let date = crate::ingest::parse::iso_date(get(0)).map_err(|e| bad("date", e.to_string()))?;
            let cur = Currency::parse(get(1))
                .ok_or_else(|| bad("currency", format!("{:?} is not a currency code", get(1))))?;
            let rate: f64 = get(2).parse().map_err(|_| bad("rate", format!("{:?} is not a number", get(2))))?;
            if !(rate.is_finite() && rate > 0.0) {
                return Err(bad("rate", format!("{rate} must be above zero")));
            }
            fx.rates.entry(cur).or_default().push((date, rate));
        }
        for v in fx.rates.values_mut() {
            v.sort_by_key(|a| a.0);
        }
        Ok(fx)
    }

    /// The currency amounts are converted into.
    pub fn reporting(&self) -> Currency {
        self.reporting
    }

    /// Reporting units for one unit of `c` on `d`.
    pub fn rate(&self, c: Currency, d: NaiveDate) -> Result<f64, FxError> {
        if c == self.reporting {
            return Ok(1.0);
        }
        let missing = || FxError::MissingRate { currency: c, reporting: self.reporting, date: d };
        let list = self.rates.get(&c).ok_or_else(missing)?;
        let i = list.partition_point(|(date, _)| *date <= d);
        if i == 0 {
            return Err(missing());
        }
        Ok(list[i - 1].1)
    }

    /// `minor` units of `from` in minor units of `to`, at the rates of `d`.
    pub fn convert(&self, minor: i64, from: Currency, to: Currency, d: NaiveDate) -> Result<i64, FxError> {
        if from == to || minor == 0 {
            return Ok(minor);
        }
        let major = minor as f64 / 10f64.powi(from.minor_digits() as i32);
        let value = major * self.rate(from, d)? / self.rate(to, d)?;
        let minor = (value * 10f64.powi(to.minor_digits() as i32)).round();
        // `as` would saturate silently: an amount beyond 64 bits is an error.
        if !minor.is_finite() || minor.abs() >= 9.0e18 {
            return Err(FxError::TooLarge { major, from, to, date: d });
        }
        Ok(minor as i64)
    }

    /// `minor` units of `from` in minor units of the reporting currency.
    pub fn to_reporting(&self, minor: i64, from: Currency, d: NaiveDate) -> Result<i64, FxError> {
        self.convert(minor, from, self.reporting, d)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn latest_rate_on_or_before_the_date() {
        let usd = Currency::parse("USD").unwrap();
        let fx =
            Fx::from_csv("date,currency,rate\n2026-10-31,USD,0.90\n2026-09-30,USD,0.80\n", "fx.csv", Currency::EUR)
                .unwrap();
        assert_eq!(fx.rate(usd, d("2026-10-15")).unwrap(), 0.80);
        assert_eq!(fx.rate(usd, d("2026-11-15")).unwrap(), 0.90);
        assert_eq!(fx.to_reporting(100_00, usd, d("2026-10-31")).unwrap(), 90_00);
        assert_eq!(fx.convert(90_00, Currency::EUR, usd, d("2026-10-31")).unwrap(), 100_00);
        let e = fx.rate(usd, d("2026-01-01")).unwrap_err().to_string();
        assert!(e.contains("USD") && e.contains("2026-01-01"), "{e}");
        let jpy = Currency::parse("JPY").unwrap();
        assert!(fx.rate(jpy, d("2026-10-31")).unwrap_err().to_string().contains("JPY"));
        assert_eq!(fx.to_reporting(5, Currency::EUR, d("2000-01-01")).unwrap(), 5);
    }

    #[test]
    fn bad_tables_are_refused_with_the_line() {
        assert!(
            Fx::from_csv("date,currency,rate\n2026-10-31,USD,-1\n", "fx.csv", Currency::EUR)
                .unwrap_err()
                .to_string()
                .contains("line 2")
        );
        assert!(
            Fx::from_csv("date,currency,rate\n31/10/2026,USD,1\n", "fx.csv", Currency::EUR)
                .unwrap_err()
                .to_string()
                .contains("column date")
        );
    }
}
