//! What a credit bureau says of a company on one date: its credit limit, scores, flag and
//! rating, legal status and register data. A snapshot carries it as read; a run's history
//! entry carries the one it matched, to compare with the next run.

use crate::locale::Lang;
use crate::model::Money;

/// A bureau's figures and register data for one company, each absent when the bureau gave none.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct BureauFields {
    /// The registered name.
    pub name: Option<String>,
    /// The credit limit, in the reporting currency.
    pub credit_limit: Option<Money>,
    /// The score, on the configured scale.
    pub score: Option<f64>,
    /// The payment score, on the configured scale.
    pub payment_score: Option<f64>,
    /// The growth score, on the configured scale.
    pub growth_score: Option<f64>,
    /// The discontinuation score, on the configured scale.
    pub discontinuation_score: Option<f64>,
    /// The credit flag.
    pub credit_flag: Option<CreditFlag>,
    /// Notch on the rating ladder (0 = best); `None` when not rated or absent.
    pub rating: Option<usize>,
    /// The rating as the bureau writes it.
    pub rating_label: Option<String>,
    /// The legal status.
    pub status: Option<Status>,
    /// The registered address.
    pub address: Option<String>,
    /// The board (management).
    pub board: Option<String>,
    /// The legal form (NV, BV, SRL…).
    pub legal_form: Option<String>,
}

/// A company's legal status.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Status {
    /// Trading normally.
    Active,
    /// Judicial reorganisation: WCO/PRJ in Belgium, surseance van betaling in the Netherlands.
    Reorganisation,
    /// Being wound up.
    Liquidation,
    /// No longer exists.
    Dissolved,
    /// Declared bankrupt.
    Bankrupt,
}

impl Status {
    /// The status as the data files write it.
    pub fn label(self) -> &'static str {
        match self {
            Status::Active => "active",
            Status::Reorganisation => "judicial reorganisation",
            Status::Liquidation => "in liquidation",
            Status::Dissolved => "dissolved",
            Status::Bankrupt => "bankrupt",
        }
    }

    /// The status in a report's language (the data files write `label`).
    pub fn words(self, lang: Lang) -> &'static str {
        lang.pick(match self {
            Status::Active => ["active", "actief", "active"],
            Status::Reorganisation => {
                ["judicial reorganisation", "in gerechtelijke reorganisatie", "en réorganisation judiciaire"]
            }
            Status::Liquidation => ["in liquidation", "in vereffening", "en liquidation"],
            Status::Dissolved => ["dissolved", "ontbonden", "dissoute"],
            Status::Bankrupt => ["bankrupt", "failliet", "en faillite"],
        })
    }

    /// Any status but active makes a client critical, whatever its figures say.
    pub fn is_distress(self) -> bool {
        self != Status::Active
    }

    /// The status a data file's label names.
    pub fn from_label(s: &str) -> Option<Status> {
        [Status::Active, Status::Reorganisation, Status::Liquidation, Status::Dissolved, Status::Bankrupt]
            .into_iter()
            .find(|st| st.label() == s)
    }
}

/// A bureau's traffic light on a company (green, orange, red): its overall advice.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CreditFlag {
    /// Deal as usual.
    Green,
    /// Be careful: limit the exposure, follow up.
    Orange,
    /// Do not extend credit.
    Red,
}

impl CreditFlag {
    /// Every flag, safest first.
    pub const ALL: [CreditFlag; 3] = [CreditFlag::Green, CreditFlag::Orange, CreditFlag::Red];

    /// The flag as the data files write it.
    pub fn label(self) -> &'static str {
        match self {
            CreditFlag::Green => "green",
            CreditFlag::Orange => "orange",
            CreditFlag::Red => "red",
        }
    }

    /// The flag a data file's label names.
    pub fn from_label(s: &str) -> Option<CreditFlag> {
        CreditFlag::ALL.into_iter().find(|f| f.label() == s)
    }
}
