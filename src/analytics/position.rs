//! Where one invoice stands: whose it is, its id and dates, its amount and what is open on it.
//! The open items, the invoices handed over and the invoices' outcomes each carry one.

use crate::model::{ClientIx, Money};
use chrono::NaiveDate;

/// An invoice's position: the fields every record of one invoice shares.
#[derive(Clone, Debug, PartialEq)]
pub struct Position {
    /// The client.
    pub client: ClientIx,
    /// The invoice's id.
    pub document_id: String,
    /// Its place in the invoice's payment schedule (1 to n), 0 without one: each instalment is
    /// a position of its own, with its own due date, amount and open amount.
    pub instalment: u8,
    /// Its issue date.
    pub issue: NaiveDate,
    /// Its due date.
    pub due: NaiveDate,
    /// Its amount.
    pub amount: Money,
    /// What is open on it.
    pub open: Money,
}

impl Position {
    /// What was paid or credited on it: amount − open.
    pub fn settled(&self) -> Money {
        self.amount - self.open
    }
}
