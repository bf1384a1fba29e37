//! Collection: which open invoices go to a collection partner, the statutory interest and
//! compensation they carry, and the dossier each debtor gets. Accounting rules, not rendering:
//! the report draws what this module decides.

pub mod dossier_names;
pub mod error;
pub mod handover;
pub mod interest;
pub mod ladder;

pub use error::CollectionError;
