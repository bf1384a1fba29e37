//! Payment schedules: an invoice due in instalments becomes one open item per instalment
//! (docs/metrics.md, "Instalment schedules"). A schedule comes from a named payment term of
//! the configuration (`[payment_terms]`, named on the invoice's row), from an export written
//! one row per instalment (`instalment_rows`), or from a schedule file beside the ledger
//! (`[[schedule_inputs]]`).

use crate::model::{Document, Origin};
use chrono::{Duration, NaiveDate};
use rustc_hash::FxHashMap;
use serde::Deserialize;
use std::collections::BTreeMap;

/// The most instalments an invoice may have (its number is stored in one byte).
pub const MAX_INSTALMENTS: usize = 255;

/// One line of a named payment term as written: a share of the invoice due so many days after
/// its issue date.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct TermLine {
    /// The share of the invoice, above 0 and at most 1 (`0.3`), at most six decimals.
    pub share: f64,
    /// Days after the issue date.
    pub days: u32,
}

/// One instalment: its due date and amount in minor units of the invoice's currency.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Line {
    /// Its due date.
    pub due: NaiveDate,
    /// Its amount, above zero.
    pub amount: i64,
}

/// Shares are kept in millionths, so that they add up exactly.
const WHOLE: i64 = 1_000_000;

/// `[payment_terms]`: named schedules, each a list of (share in millionths, days) in days
/// order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PaymentTerms {
    named: Vec<(String, Vec<(i64, u32)>)>,
}

impl PaymentTerms {
    /// Checks the terms as written: each has 1 to 255 lines, each share above 0 with at most
    /// six decimals, the shares adding up to exactly 1.
    pub fn new(raw: &BTreeMap<String, Vec<TermLine>>) -> Result<PaymentTerms, String> {
        let mut named = Vec::with_capacity(raw.len());
        for (name, lines) in raw {
            if lines.is_empty() || lines.len() > MAX_INSTALMENTS {
                return Err(format!("payment term {name:?} has {} lines; give 1 to {MAX_INSTALMENTS}", lines.len()));
            }
            let mut parts = Vec::with_capacity(lines.len());
            for l in lines {
                let ppm = (l.share * WHOLE as f64).round();
                if !(l.share > 0.0 && l.share <= 1.0) || (l.share * WHOLE as f64 - ppm).abs() > 1e-3 {
                    return Err(format!(
                        "payment term {name:?}: share {} is not a fraction above 0 and at most 1 with at most six \
                         decimals",
                        l.share
                    ));
                }
                parts.push((ppm as i64, l.days));
            }
            let sum: i64 = parts.iter().map(|p| p.0).sum();
            if sum != WHOLE {
                return Err(format!(
                    "payment term {name:?}: its shares add up to {}, not 1",
                    sum as f64 / WHOLE as f64
                ));
            }
            parts.sort_by_key(|p| p.1);
            named.push((name.trim().to_lowercase(), parts));
        }
        Ok(PaymentTerms { named })
    }

    /// Whether no term is configured.
    pub fn is_empty(&self) -> bool {
        self.named.is_empty()
    }

    /// The term a row names (compared without case or surrounding blanks).
    pub fn find(&self, name: &str) -> Option<u16> {
        let want = name.trim().to_lowercase();
        self.named.iter().position(|(n, _)| *n == want).map(|i| i as u16)
    }

    /// The names configured, for the message when a row names another.
    pub fn names(&self) -> Vec<&str> {
        self.named.iter().map(|(n, _)| n.as_str()).collect()
    }

    /// The instalments of an invoice of `amount` issued on `issue` under term `term`.
    pub fn lines(&self, term: u16, issue: NaiveDate, amount: i64) -> Vec<Line> {
        let parts = &self.named[term as usize].1;
        let shares: Vec<i64> = parts.iter().map(|p| p.0).collect();
        split(amount, &shares)
            .into_iter()
            .zip(parts)
            .map(|(amount, &(_, days))| Line { due: issue + Duration::days(days as i64), amount })
            .collect()
    }
}

/// Splits `amount` by shares in millionths (adding up to one million): each line its share
/// rounded to the minor unit (halves away from zero), the last line what is left, so the
/// lines add up to the amount exactly.
pub fn split(amount: i64, shares: &[i64]) -> Vec<i64> {
    let mut out = Vec::with_capacity(shares.len());
    let mut given = 0i64;
    for (k, &share) in shares.iter().enumerate() {
        if k + 1 == shares.len() {
            out.push(amount - given);
        } else {
            let exact = amount as i128 * share as i128;
            let half = WHOLE as i128 / 2;
            let v = if exact >= 0 { (exact + half) / WHOLE as i128 } else { (exact - half) / WHOLE as i128 };
            // Within the amount: a share is at most one million millionths.
            let v = v as i64;
            given += v;
            out.push(v);
        }
    }
    out
}

/// Replaces each planned invoice by its instalments, in place of it: consecutive documents
/// sharing its id and issue date, numbered 1 to n in due order. Lines of zero (a cent split
/// three ways) are left out; a schedule left with one line only moves the due date. `plans`
/// is keyed by the invoice's index in `documents`.
pub fn expand(documents: &mut Vec<Document>, mut plans: FxHashMap<usize, Vec<Line>>) {
    if plans.is_empty() {
        return;
    }
    let extra: usize = plans.values().map(|l| l.len().saturating_sub(1)).sum();
    let mut out = Vec::with_capacity(documents.len() + extra);
    for (i, d) in std::mem::take(documents).into_iter().enumerate() {
        let Some(mut lines) = plans.remove(&i) else {
            out.push(d);
            continue;
        };
        lines.retain(|l| l.amount != 0);
        lines.sort_by_key(|l| l.due);
        match lines.as_slice() {
            [] => out.push(d),
            [only] => out.push(Document { due: only.due, ..d }),
            _ => {
                for (k, l) in lines.iter().enumerate() {
                    out.push(Document { due: l.due, amount: l.amount, instalment: k as u8 + 1, ..d.clone() });
                }
            }
        }
    }
    *documents = out;
}

/// The plans of the invoices read with a payment term or as instalment rows, keyed by where
/// each invoice was read, turned into plans keyed by the invoice's place in `documents`.
pub(super) fn by_place(
    documents: &[Document],
    terms: &PaymentTerms,
    named: &[(Origin, u16)],
    rows: Vec<(Origin, Vec<Line>)>,
) -> FxHashMap<usize, Vec<Line>> {
    if named.is_empty() && rows.is_empty() {
        return FxHashMap::default();
    }
    let key = |o: Origin| (o.source, o.line);
    let named: FxHashMap<(u16, u32), u16> = named.iter().map(|&(o, t)| (key(o), t)).collect();
    let mut rows: FxHashMap<(u16, u32), Vec<Line>> = rows.into_iter().map(|(o, l)| (key(o), l)).collect();
    let mut plans = FxHashMap::default();
    for (i, d) in documents.iter().enumerate() {
        if let Some(lines) = rows.remove(&key(d.origin)) {
            plans.insert(i, lines);
        } else if let Some(&t) = named.get(&key(d.origin)) {
            plans.insert(i, terms.lines(t, d.issue, d.amount));
        }
    }
    plans
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Texts;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn terms(toml_text: &str) -> Result<PaymentTerms, String> {
        let raw: BTreeMap<String, Vec<TermLine>> = toml::from_str(toml_text).unwrap();
        PaymentTerms::new(&raw)
    }

    #[test]
    fn shares_split_to_the_cent_with_the_rounding_on_the_last_line() {
        assert_eq!(split(100_00, &[300_000, 700_000]), [30_00, 70_00]);
        // 100.01 at 30/70: 30.003 rounds to 30.00, the last line takes 70.01.
        assert_eq!(split(100_01, &[300_000, 700_000]), [30_00, 70_01]);
        // A third each: 33.33, 33.33, 33.34.
        assert_eq!(split(100_00, &[333_333, 333_333, 333_334]), [33_33, 33_33, 33_34]);
        // Halves round away from zero: 0.05 at 50/50 is 0.03 and 0.02.
        assert_eq!(split(5, &[500_000, 500_000]), [3, 2]);
        // No overflow at the largest amounts.
        assert_eq!(split(i64::MAX / 2, &[WHOLE]), [i64::MAX / 2]);
        let big = split(9_000_000_000_000_000, &[300_000, 700_000]);
        assert_eq!(big.iter().sum::<i64>(), 9_000_000_000_000_000);
    }

    #[test]
    fn named_terms_are_checked_and_found_without_case() {
        let t = terms(r#""30/70" = [{share = 0.3, days = 30}, {share = 0.7, days = 60}]"#).unwrap();
        assert_eq!(t.find(" 30/70 "), Some(0));
        assert_eq!(t.find("net 30"), None);
        let lines = t.lines(0, d("2026-01-01"), 1000_00);
        assert_eq!(
            lines,
            [Line { due: d("2026-01-31"), amount: 300_00 }, Line { due: d("2026-03-02"), amount: 700_00 }]
        );
        let e = terms(r#"x = [{share = 0.3, days = 30}, {share = 0.6, days = 60}]"#).unwrap_err();
        assert!(e.contains("add up to 0.9, not 1"), "{e}");
        assert!(terms(r#"x = [{share = 0.0, days = 30}, {share = 1.0, days = 60}]"#).is_err());
        assert!(terms(r#"x = [{share = 0.1234567, days = 30}, {share = 0.8765433, days = 60}]"#).is_err());
        assert!(terms("x = []").is_err());
        // Lines in any order come out in days order.
        let t = terms(r#"x = [{share = 0.5, days = 60}, {share = 0.5, days = 0}]"#).unwrap();
        assert_eq!(t.lines(0, d("2026-01-01"), 10)[0].due, d("2026-01-01"));
    }

    #[test]
    fn an_invoice_becomes_its_instalments_in_its_place() {
        let mut texts = Texts::default();
        let doc = |id: &str, texts: &mut Texts, amount: i64| {
            Document::invoice(0, texts.push(id).unwrap(), d("2026-01-01"), d("2026-01-31"), amount)
        };
        let mut docs = vec![doc("A", &mut texts, 10_00), doc("S", &mut texts, 100_00), doc("B", &mut texts, 5_00)];
        let mut plans = FxHashMap::default();
        plans.insert(
            1,
            vec![
                Line { due: d("2026-03-02"), amount: 50_00 },
                Line { due: d("2026-01-31"), amount: 30_00 },
                Line { due: d("2026-04-01"), amount: 20_00 },
                Line { due: d("2026-05-01"), amount: 0 },
            ],
        );
        expand(&mut docs, plans);
        let got: Vec<(&str, u8, i64, NaiveDate)> =
            docs.iter().map(|x| (texts.get(x.id), x.instalment, x.amount, x.due)).collect();
        assert_eq!(
            got,
            [
                ("A", 0, 10_00, d("2026-01-31")),
                ("S", 1, 30_00, d("2026-01-31")),
                ("S", 2, 50_00, d("2026-03-02")),
                ("S", 3, 20_00, d("2026-04-01")),
                ("B", 0, 5_00, d("2026-01-31")),
            ]
        );
        // One line left: the invoice keeps its place and takes the line's due date.
        let mut one = vec![doc("C", &mut texts, 7_00)];
        let mut plans = FxHashMap::default();
        plans.insert(0, vec![Line { due: d("2026-02-15"), amount: 7_00 }]);
        expand(&mut one, plans);
        assert_eq!((one.len(), one[0].instalment, one[0].due), (1, 0, d("2026-02-15")));
    }
}
