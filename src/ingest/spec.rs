//! What the configuration says of the inputs: each file with its mapping, and the settings that
//! apply to all of them.

use super::mapping::Mapping;
use crate::model::Currency;
use chrono::NaiveDate;
use std::path::PathBuf;

/// One input: a file and the mapping that reads it.
#[derive(Clone, Debug)]
pub struct InputSpec {
    /// The file.
    pub path: PathBuf,
    /// Its mapping.
    pub mapping: Mapping,
    /// For an open-items list, the date it shows what was open on.
    pub snapshot: Option<NaiveDate>,
}

/// Settings that apply to every input.
#[derive(Clone, Debug)]
pub struct IngestOptions {
    /// Currency of rows that have neither a currency column nor a fixed currency.
    pub default_currency: Currency,
    /// Payment terms when a row has no due date and no terms.
    pub default_terms_days: u32,
    /// `[payment_terms]`: the named schedules an invoice row's `payment_term` may name.
    pub payment_terms: super::schedule::PaymentTerms,
}

impl Default for IngestOptions {
    fn default() -> Self {
        IngestOptions { default_currency: Currency::EUR, default_terms_days: 30, payment_terms: Default::default() }
    }
}
