//! The collection handover: which open invoices go to the collection agency, with statutory
//! interest to the handover date and the fixed 40 EUR compensation per invoice (once for all
//! of an invoice's instalments).

use super::error::CollectionError;
use super::interest::{Interest, Jurisdiction, Rates, statutory_interest};
use crate::analytics::risk::Tier;
use crate::analytics::{Analysis, Position};
use crate::fx::Fx;
use crate::model::{ClientIx, Currency, Money, Roster};
use crate::monitor::Assessment;
use crate::toml_source::SettingError;
use chrono::NaiveDate;
use rayon::prelude::*;
use serde::Deserialize;
use std::collections::BTreeSet;
use std::path::PathBuf;

/// The creditor as the dossier names it.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct Creditor {
    /// Its name.
    pub name: String,
    /// Its company number, as it should appear.
    pub company_number: String,
    /// Its postal address.
    pub address: String,
    /// Who the collection partner can reach.
    pub contact: String,
    /// The account payments go to.
    pub iban: String,
}

/// `[handover]` in the configuration.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct HandoverSettings {
    /// Whether to prepare a handover at all (the rate table starts in 2019: old ledgers set
    /// this to false).
    pub enabled: bool,
    /// One PDF dossier per debtor, for at most this many debtors (the largest claims first).
    pub max_dossiers: usize,
    /// Open invoices at least this many days past due are handed over.
    pub min_days_past_due: i64,
    /// Also every open invoice of a `critical` client (bankrupt, WCO…).
    pub include_critical: bool,
    /// Hand over what the collection ladder says is due for handover (its last step reached,
    /// or a critical client's invoices past due) instead of using `min_days_past_due`;
    /// insolvent clients then file a claim instead.
    pub follow_ladder: bool,
    /// Disputed invoices stay with the company unless this is set.
    pub include_disputed: bool,
    /// Fixed recovery compensation per invoice (EU Directive 2011/7/EU: 40 EUR), in
    /// `compensation_currency`; converted to the reporting currency through the FX table.
    pub compensation: f64,
    /// The currency of `compensation` (EUR).
    pub compensation_currency: String,
    /// Jurisdiction when the debtor's company number names none: BE or NL.
    pub jurisdiction: String,
    /// Extra or corrected interest rates (same columns as `rates/statutory-interest.csv`).
    pub rates: Option<PathBuf>,
    /// Reminder log: `client_id,document_id,date,note` (ISO dates).
    pub reminders: Option<PathBuf>,
    /// The creditor the dossiers name.
    pub creditor: Creditor,
    /// `jurisdiction`, read by [`HandoverSettings::check`].
    #[serde(skip)]
    pub default_jurisdiction: Jurisdiction,
    /// `compensation` in `compensation_currency`, read by [`HandoverSettings::check`].
    #[serde(skip)]
    pub compensation_due: Money,
}

impl HandoverSettings {
    /// Reads the jurisdiction and the compensation as written, when the configuration loads.
    pub fn check(&mut self) -> Result<(), SettingError> {
        self.default_jurisdiction = Jurisdiction::parse(&self.jurisdiction)
            .ok_or_else(|| SettingError::new("[handover] jurisdiction", &self.jurisdiction, "use BE or NL"))?;
        let currency = Currency::parse(&self.compensation_currency).ok_or_else(|| {
            SettingError::new(
                "[handover] compensation_currency",
                &self.compensation_currency,
                "is not a currency code; use EUR (the Directive's 40 EUR) or a code such as USD",
            )
        })?;
        let minor = crate::ingest::parse::amount_from_f64(self.compensation, currency.minor_digits()).map_err(|e| {
            SettingError::shown("[handover] compensation", self.compensation, format!("{e}; for example 40"))
        })?;
        if minor < 0 {
            return Err(SettingError::shown(
                "[handover] compensation",
                self.compensation,
                "is negative; the Directive's compensation is 40 (EUR), 0 claims none",
            ));
        }
        self.compensation_due = Money::new(minor, currency);
        Ok(())
    }

    /// The compensation per invoice in the reporting currency, converted at `as_of`; without a
    /// rate, as the configuration states it (never converted with a guess).
    pub fn compensation(&self, fx: &Fx, as_of: NaiveDate) -> Compensation {
        let due = self.compensation_due;
        if due.minor() == 0 {
            // Nothing claimed is nothing to convert (and no rate to miss).
            return Compensation::Converted(Money::zero(fx.reporting()));
        }
        match fx.convert(due.minor(), due.currency(), fx.reporting(), as_of) {
            Ok(v) => Compensation::Converted(Money::new(v, fx.reporting())),
            Err(_) => Compensation::Unconverted(due),
        }
    }
}

/// The fixed recovery compensation of one invoice, as its claim carries it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Compensation {
    /// In the reporting currency: part of the claim's total.
    Converted(Money),
    /// As the law states it (40 EUR), for want of a rate into the reporting currency: claimed
    /// beside the total in its own currency, never converted with a guess.
    Unconverted(Money),
}

impl Compensation {
    /// What it adds to a claim's total in the reporting currency `cur`: nothing when
    /// unconverted.
    pub fn in_claim(self, cur: Currency) -> Money {
        match self {
            Compensation::Converted(m) => m,
            Compensation::Unconverted(_) => Money::zero(cur),
        }
    }

    /// The compensation of an invoice's instalment when another of its instalments claims
    /// it: none (the Directive's 40 EUR is per invoice).
    pub fn claimed_elsewhere(self) -> Compensation {
        match self {
            Compensation::Converted(m) => Compensation::Converted(Money::zero(m.currency())),
            Compensation::Unconverted(m) => Compensation::Unconverted(Money::zero(m.currency())),
        }
    }

    /// The compensation of the open item `p`, given the invoices whose compensation is claimed
    /// already (`claimed`, which it joins): an invoice's instalments claim it once, on the first
    /// one claimed.
    pub fn for_item<'a>(self, p: &'a crate::analytics::Position, claimed: &mut BTreeSet<&'a str>) -> Compensation {
        if p.instalment > 0 && !claimed.insert(p.document_id.as_str()) { self.claimed_elsewhere() } else { self }
    }

    /// The amount, in whichever currency it is.
    pub fn amount(self) -> Money {
        match self {
            Compensation::Converted(m) | Compensation::Unconverted(m) => m,
        }
    }
}

impl Default for HandoverSettings {
    fn default() -> Self {
        HandoverSettings {
            enabled: true,
            max_dossiers: 500,
            min_days_past_due: 60,
            include_critical: false,
            follow_ladder: false,
            include_disputed: false,
            compensation: 40.0,
            compensation_currency: "EUR".into(),
            jurisdiction: "BE".into(),
            rates: None,
            reminders: None,
            creditor: Creditor::default(),
            default_jurisdiction: Jurisdiction::Belgium,
            compensation_due: Money::new(4000, Currency::EUR),
        }
    }
}

/// One invoice handed over.
#[derive(Clone, Debug, PartialEq)]
pub struct Line {
    /// The invoice, in the reporting currency: its amount, and what is open on it at the
    /// handover date.
    pub invoice: Position,
    /// Handover date − due date.
    pub days_past_due: i64,
    /// Statutory interest to the handover date.
    pub interest: Interest,
    /// The fixed compensation.
    pub compensation: Compensation,
    /// Whose law the interest follows.
    pub jurisdiction: Jurisdiction,
}

impl Line {
    /// Open amount + interest + compensation (when converted into the reporting currency).
    pub fn claim(&self) -> Money {
        let open = self.invoice.open;
        open + Money::new(self.interest.amount, open.currency()) + self.compensation.in_claim(open.currency())
    }
}

/// A reminder sent before the handover.
#[derive(Clone, Debug, PartialEq)]
pub struct Reminder {
    /// The client.
    pub client_id: String,
    /// The invoice reminded of.
    pub document_id: String,
    /// When.
    pub date: NaiveDate,
    /// What was sent (first reminder, formal notice…).
    pub note: String,
}

/// Reads a reminder log (`client_id,document_id,date,note`).
pub fn read_reminders(path: &std::path::Path) -> Result<Vec<Reminder>, CollectionError> {
    let table = path.display().to_string();
    let mut r = csv::Reader::from_path(path).map_err(|e| CollectionError::Unreadable {
        what: "reminder log",
        path: table.clone(),
        problem: e.to_string(),
    })?;
    let mut out = Vec::new();
    for (n, rec) in r.records().enumerate() {
        let line = n + 2;
        let bad = |column: &str, problem: String| CollectionError::Table {
            table: table.clone(),
            line,
            column: if column.is_empty() { String::new() } else { format!(", column {column}") },
            problem,
        };
        let rec = rec.map_err(|e| bad("", e.to_string()))?;
        let get = |i: usize| rec.get(i).unwrap_or("").trim().to_string();
        let date = crate::ingest::parse::iso_date(&get(2)).map_err(|e| bad("date", e.to_string()))?;
        out.push(Reminder { client_id: get(0), document_id: get(1), date, note: get(3) });
    }
    Ok(out)
}

/// The handover at the as-of date, by client then due date. With `ladder` (the invoices the
/// collection ladder sends to handover, by client and document id) an invoice goes when the
/// ladder says so instead of after `min_days_past_due`.
pub fn select(
    roster: &Roster,
    analysis: &Analysis,
    assessment: &Assessment,
    s: &HandoverSettings,
    rates: &Rates,
    compensation: Compensation,
    ladder: Option<&BTreeSet<(ClientIx, &str)>>,
) -> Result<Vec<Line>, CollectionError> {
    if !s.enabled {
        return Ok(Vec::new());
    }
    let default = s.default_jurisdiction;
    // Clients are independent: each one's lines in parallel, in client order.
    let per_client: Vec<Result<Vec<Line>, CollectionError>> = analysis
        .clients
        .par_iter()
        .enumerate()
        .map(|(i, c)| {
            let critical = assessment.clients.get(i).is_some_and(|v| v.risk.tier == Tier::Critical);
            let client = &roster.clients[c.client as usize];
            let j = client.company_number.as_deref().and_then(Jurisdiction::of_company).unwrap_or(default);
            let mut out = Vec::new();
            let mut claimed = BTreeSet::new();
            for o in &c.open_items {
                let dpd = (analysis.as_of - o.invoice.due).num_days();
                let due_enough = match ladder {
                    Some(set) => set.contains(&(c.client, o.invoice.document_id.as_str())),
                    None => dpd >= s.min_days_past_due || (s.include_critical && critical),
                };
                if !due_enough || (o.disputed && !s.include_disputed) {
                    continue;
                }
                let interest = statutory_interest(o.invoice.open.minor(), o.invoice.due, analysis.as_of, j, rates)?;
                out.push(Line {
                    invoice: o.invoice.clone(),
                    days_past_due: dpd,
                    interest,
                    compensation: compensation.for_item(&o.invoice, &mut claimed),
                    jurisdiction: j,
                });
            }
            Ok(out)
        })
        .collect();
    let mut out = Vec::with_capacity(per_client.iter().map(|r| r.as_ref().map_or(0, Vec::len)).sum());
    for lines in per_client {
        out.extend(lines?);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_compensation_is_converted_or_kept_as_the_law_states_it() {
        let as_of = NaiveDate::from_ymd_opt(2025, 3, 31).unwrap();
        let jpy = Currency::parse("JPY").unwrap();
        let mut s = HandoverSettings::default();
        s.check().unwrap();
        let eur40 = Money::new(40_00, Currency::EUR);
        assert_eq!(s.compensation(&Fx::none(Currency::EUR), as_of), Compensation::Converted(eur40));
        // No EUR rate into yen: 40 EUR as such, adding nothing to a claim in yen.
        let kept = s.compensation(&Fx::none(jpy), as_of);
        assert_eq!(kept, Compensation::Unconverted(eur40));
        assert_eq!(kept.in_claim(jpy), Money::zero(jpy));
        // A creditor who claims none needs no rate.
        s.compensation = 0.0;
        s.check().unwrap();
        assert_eq!(s.compensation(&Fx::none(jpy), as_of), Compensation::Converted(Money::zero(jpy)));
        s.compensation = -5.0;
        assert_eq!(s.check().unwrap_err().key, "[handover] compensation");
        s.compensation = 40.0;
        s.compensation_currency = "euro".into();
        assert_eq!(
            s.check().unwrap_err().to_string().split(':').next(),
            Some("[handover] compensation_currency = \"euro\"")
        );
    }
}
