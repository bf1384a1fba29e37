//! Pooled payment experience across creditors (`docs/pooling.md`): each portfolio may write a
//! contribution of aggregates per debtor; `arwatch pool` pools many and gives each contributor
//! its clients' experience elsewhere, under disclosure control.

pub mod contribution;
pub mod disclosure;
pub mod error;
#[cfg(feature = "parquet")]
pub mod pooled;
#[cfg(feature = "parquet")]
mod written;

#[cfg(feature = "parquet")]
pub use written::{Pooled, write};

pub use error::PoolError;
