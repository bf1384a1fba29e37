//! What the report model computes beside its tables: each debtor's handover totals, the
//! riskiest clients as the report lists them, and the open instalments. The tables
//! (`tables.rs`) and the model (`model.rs`) both use them; neither owns them.

use crate::analytics::risk::Tier;
use crate::collection::handover::{Compensation, Line};
use crate::model::{ClientIx, Currency, Money};
use std::borrow::Cow;

/// One debtor's handover totals (or, for `ReportModel::handover_total`, all debtors'), in the
/// reporting currency.
#[derive(Clone, Debug, PartialEq)]
pub struct DebtorTotal {
    /// The debtor.
    pub client: ClientIx,
    /// Invoices handed over.
    pub invoices: usize,
    /// Σ invoice amount.
    pub amount: Money,
    /// Σ open amount.
    pub open: Money,
    /// Σ statutory interest.
    pub interest: Money,
    /// Σ fixed compensation, in the reporting currency.
    pub compensation: Money,
    /// Σ fixed compensation as the law states it, when there is no rate into the reporting
    /// currency: claimed beside the total, not in it.
    pub unconverted: Option<Money>,
    /// Σ claim: open + interest + compensation.
    pub claim: Money,
    /// Some interest was computed at a provisional rate.
    pub provisional: bool,
    /// The invoices with a schedule counted so far (their instalments are one invoice).
    scheduled: std::collections::BTreeSet<(ClientIx, String)>,
}

impl DebtorTotal {
    /// Nothing yet, for `client`, in `currency`.
    pub fn new(client: ClientIx, currency: Currency) -> DebtorTotal {
        let zero = Money::zero(currency);
        DebtorTotal {
            client,
            invoices: 0,
            amount: zero,
            open: zero,
            interest: zero,
            compensation: zero,
            unconverted: None,
            claim: zero,
            provisional: false,
            scheduled: Default::default(),
        }
    }

    /// Adds one invoice (or instalment) handed over.
    pub fn add(&mut self, l: &Line) {
        let cur = self.amount.currency();
        let money = |v: i64| Money::new(v, cur);
        let p = &l.invoice;
        if p.instalment == 0 || self.scheduled.insert((p.client, p.document_id.clone())) {
            self.invoices += 1;
        }
        self.amount = self.amount + l.invoice.amount;
        self.open = self.open + l.invoice.open;
        self.interest = self.interest + money(l.interest.amount);
        match l.compensation {
            Compensation::Converted(c) => self.compensation = self.compensation + c,
            Compensation::Unconverted(c) => self.unconverted = Some(self.unconverted.map_or(c, |u| u + c)),
        }
        self.claim = self.claim + l.claim();
        self.provisional |= l.interest.provisional;
    }
}

/// One of the riskiest clients, as the report lists it.
pub struct RiskyClient<'a> {
    /// The client's name (or id; with its id when another client bears the same name).
    pub name: Cow<'a, str>,
    /// Its risk tier.
    pub tier: Tier,
    /// Its risk score.
    pub score: f64,
    /// Its net AR.
    pub net_ar: Money,
    /// Why, in words.
    pub reasons: String,
    /// Its WADL at the other creditors of a pool, when the run has one and it was published.
    pub late_elsewhere: Option<f64>,
    /// Its promises to pay judged in 12 months, (broken, judged), when it broke any.
    pub broken_promises: Option<(u32, u32)>,
}

/// The open invoices paid in instalments, in the reporting currency.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Instalments {
    /// Invoices with an instalment open.
    pub invoices: usize,
    /// Their open instalments.
    pub open: usize,
    /// What is open on them.
    pub amount: Money,
    /// What of it is past due.
    pub past_due: Money,
}

impl Instalments {
    /// The open instalments of the analysis.
    pub(super) fn of(a: &crate::analytics::Analysis, currency: Currency) -> Instalments {
        let zero = Money::new(0, currency);
        let mut out = Instalments { invoices: 0, open: 0, amount: zero, past_due: zero };
        for c in &a.clients {
            // Open items are in due order: an invoice's instalments need not be adjacent.
            let mut ids = std::collections::BTreeSet::new();
            for o in c.open_items.iter().filter(|o| o.invoice.instalment > 0) {
                out.open += 1;
                out.amount = out.amount + o.invoice.open;
                if o.invoice.due < a.as_of {
                    out.past_due = out.past_due + o.invoice.open;
                }
                ids.insert(o.invoice.document_id.as_str());
            }
            out.invoices += ids.len();
        }
        out
    }
}
