//! The deterministic sample data set (`arwatch sample`): about 150 Belgian and Dutch B2B
//! clients over 30 months, with credit notes, partial, unreferenced and reversed payments, and
//! monthly credit-bureau snapshots in which some clients deteriorate, one goes bankrupt, one
//! enters judicial reorganisation (WCO) and some improve.
//!
//! Written twice: CSV with Belgian conventions (`;`, decimal comma, day-first dates,
//! Windows-1252) and one XLSX workbook, each with its mapping files and configuration.

mod bureau;
mod files;
mod histories;
mod ledger;
mod log;
mod portfolios;
mod schedule;
mod set;

pub use files::write;
pub use histories::{Course, Histories, HistoryClient, Kind, histories, write_histories};
pub use ledger::build;
pub use portfolios::write_portfolios;
pub use set::{BureauRow, RATINGS, Role, SampleClient, SampleDoc, SamplePayment, SampleSet};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_set() {
        let a = build(7);
        let b = build(7);
        assert_eq!(a.documents.len(), b.documents.len());
        assert_eq!(a.payments.iter().map(|p| p.amount).sum::<i64>(), b.payments.iter().map(|p| p.amount).sum::<i64>());
    }

    #[test]
    fn company_numbers_are_valid() {
        let s = build(2026);
        for c in &s.clients {
            assert!(
                crate::model::company_number::normalise_company_number(&c.company_number).is_ok(),
                "{}",
                c.company_number
            );
        }
    }
}
