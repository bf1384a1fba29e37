//! The sample's instalment invoice: a larger order invoiced at the end of July with a 30/30/40
//! schedule, its first two instalments paid on time and the last not yet due at the sample's
//! as-of date (docs/reports.md, "The sample's story"). Without its schedule the same invoice
//! would look 62 days past due.

use super::set::{Role, SampleClient, SampleDoc, SamplePayment};
use chrono::NaiveDate;

/// The schedule file's header, as the invoicing system exports it.
pub(super) const HEADER: [&str; 4] = ["Factuurnr", "Termijn", "Vervaldatum", "Bedrag"];

/// The invoice's id: a series of its own, so it never meets the ledger's numbering.
pub(super) const INVOICE: &str = "F2026T00001";

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid")
}

/// The instalments: (number, due date, amount in cents).
pub(super) fn lines() -> [(u8, NaiveDate, i64); 3] {
    [(1, day(2026, 8, 30), 3_600_00), (2, day(2026, 9, 29), 3_600_00), (3, day(2026, 11, 28), 4_800_00)]
}

/// Adds the invoice and its two payments to the first client that pays well, after the
/// ledger's own rows: the ledger's random draws are left as they were.
pub(super) fn add(clients: &[SampleClient], docs: &mut Vec<SampleDoc>, pays: &mut Vec<SamplePayment>) {
    let Some(client) = clients.iter().position(|c| c.role == Role::Normal && c.on_time > 0.7) else { return };
    let [(_, first, a1), (_, second, a2), _] = lines();
    docs.push(SampleDoc {
        client,
        id: INVOICE.into(),
        credit_note: false,
        issue: day(2026, 7, 31),
        // The export's own due date is the first instalment's; the schedule file has the rest.
        due: first,
        amount: lines().iter().map(|l| l.2).sum(),
        reference: String::new(),
        disputed: false,
    });
    for (k, (date, amount)) in
        [(first - chrono::Duration::days(2), a1), (second - chrono::Duration::days(3), a2)].into_iter().enumerate()
    {
        pays.push(SamplePayment { id: format!("BETT{:05}", k + 1), client, date, amount, reference: INVOICE.into() });
    }
    docs.sort_by(|a, b| (a.issue, &a.id).cmp(&(b.issue, &b.id)));
    pays.sort_by(|a, b| (a.date, &a.id).cmp(&(b.date, &b.id)));
}
