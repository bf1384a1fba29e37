//! The sample set's records (clients with their story, documents, payments, bureau rows), its
//! calendar, and the random numbers that make it the same for the same seed.

use chrono::NaiveDate;

/// SplitMix64: small, fast and stable across platforms and crate versions, so the same seed
/// always gives byte-identical files.
pub(super) struct Rng(u64);

impl Rng {
    pub(super) fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15)
    }
    pub(super) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in [0, 1).
    pub(super) fn f(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
    pub(super) fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + (self.next_u64() % ((hi - lo + 1) as u64)) as i64
    }
    pub(super) fn chance(&mut self, p: f64) -> bool {
        self.f() < p
    }
    pub(super) fn normal(&mut self) -> f64 {
        let u1 = self.f().max(1e-12);
        let u2 = self.f();
        (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
    }
    pub(super) fn exp(&mut self, mean: f64) -> f64 {
        -mean * (1.0 - self.f()).ln()
    }
    pub(super) fn pick<'a, T>(&mut self, v: &'a [T]) -> &'a T {
        &v[(self.next_u64() % v.len() as u64) as usize]
    }
}

/// What happens to a client in the story the sample tells.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// Pays as the sample's clients usually do.
    Normal,
    /// Pays later and later, stops paying, and is declared bankrupt in the last month.
    Bankrupt,
    /// Enters judicial reorganisation (WCO) in the last month.
    Wco,
    /// The bureau cuts its credit limit and downgrades its rating in the last month.
    LimitCut,
    /// The bureau raises its limit and upgrades its rating in the last month.
    Improver,
    /// Pays later and later over the last months; the bureau has not noticed yet.
    LaterAndLater,
    /// Its bureau score slides slowly.
    Deteriorating,
}

/// A client of the sample.
#[derive(Clone, Debug)]
pub struct SampleClient {
    pub(crate) id: String,
    pub(crate) name: String,
    /// As the accounting system writes it (`BE 0403.019.261`, `34123456`).
    pub(crate) company_number: String,
    pub(crate) terms: i64,
    pub(crate) role: Role,
    pub(super) monthly_invoices: f64,
    pub(super) median_amount: f64,
    pub(super) on_time: f64,
    pub(super) late_mean: f64,
    pub(super) address: String,
    pub(super) board: String,
}

/// An invoice or credit note of the sample.
#[derive(Clone, Debug)]
pub struct SampleDoc {
    pub(crate) client: usize,
    pub(crate) id: String,
    pub(crate) credit_note: bool,
    pub(crate) issue: NaiveDate,
    pub(crate) due: NaiveDate,
    pub(crate) amount: i64,
    pub(crate) reference: String,
    pub(crate) disputed: bool,
}

/// A payment of the sample.
#[derive(Clone, Debug)]
pub struct SamplePayment {
    pub(crate) id: String,
    pub(crate) client: usize,
    pub(crate) date: NaiveDate,
    pub(crate) amount: i64,
    pub(crate) reference: String,
}

/// A bureau snapshot of the sample.
#[derive(Clone, Debug)]
pub struct BureauRow {
    pub(crate) company_number: String,
    pub(crate) date: NaiveDate,
    pub(crate) name: String,
    pub(crate) credit_limit: i64,
    pub(crate) score: i64,
    pub(crate) payment_score: i64,
    pub(crate) rating: &'static str,
    pub(crate) status: &'static str,
    pub(crate) address: String,
    pub(crate) board: String,
    pub(crate) growth: i64,
    pub(crate) discontinuation: i64,
    pub(crate) flag: &'static str,
}

/// The whole sample: what `arwatch sample` writes.
#[derive(Clone)]
pub struct SampleSet {
    /// The clients.
    pub clients: Vec<SampleClient>,
    /// Invoices and credit notes.
    pub documents: Vec<SampleDoc>,
    /// Payments.
    pub payments: Vec<SamplePayment>,
    /// Monthly bureau snapshots.
    pub bureau: Vec<BureauRow>,
    /// Companies watched that are not clients: (company number, name, role).
    pub watchlist: Vec<(String, &'static str, &'static str)>,
}

pub(super) const START: (i32, u32) = (2024, 5);
pub(super) const END: (i32, u32, u32) = (2026, 10, 31);

pub(super) fn end() -> NaiveDate {
    NaiveDate::from_ymd_opt(END.0, END.1, END.2).expect("valid")
}

/// Ratings from best to worst, as the sample bureau writes them.
pub const RATINGS: [&str; 10] = ["AAA", "AA", "A", "BBB", "BB", "B", "CCC", "CC", "C", "D"];
