//! The explainable risk score: 0 (no signal) to 100, from the ledger (how late a client pays,
//! whether that is getting worse, what is overdue) and, when there is one, the credit bureau
//! (scores, rating, how much of the credit limit is used). Every score comes with the factors
//! that made it, in words, so a controller can defend it.

use crate::bureau::{BureauSettings, ScoreKind, Snapshot, Status};
use crate::locale::Lang;
use crate::model::Money;
use crate::toml_source::SettingError;
use serde::Deserialize;

/// Weights of the factors; a factor's share of the score is its weight over the sum of the
/// weights of the factors that are known for the client (for a sign of change, over at least
/// `min_known_share` of all the weights).
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct Weights {
    /// Weighted average days late (12 months).
    pub wadl: f64,
    /// The WADL trend (paying later and later).
    pub wadl_trend: f64,
    /// Paying later than usual: recent invoices against the year before them.
    pub later_than_usual: f64,
    /// Paying recent invoices in parts.
    pub paid_in_parts: f64,
    /// The bureau score's fall over six months.
    pub score_fall: f64,
    /// Days beyond terms.
    pub dbt: f64,
    /// Share of the open amount more than 60 days past due.
    pub overdue_60: f64,
    /// Share of the open amount more than 90 days past due.
    pub overdue_90: f64,
    /// Average days delinquent.
    pub add: f64,
    /// The bureau score.
    pub score: f64,
    /// The bureau payment score.
    pub payment_score: f64,
    /// The bureau discontinuation score (the chance that the company stops).
    pub discontinuation: f64,
    /// The bureau rating.
    pub rating: f64,
    /// Exposure against the credit limit.
    pub utilisation: f64,
    /// How late the client pays the other creditors of a pool (`docs/pooling.md`).
    pub elsewhere: f64,
    /// Promises to pay broken in the last 12 months (the collector's log).
    pub broken_promises: f64,
}

impl Default for Weights {
    fn default() -> Self {
        Weights {
            wadl: 5.0,
            wadl_trend: 10.0,
            later_than_usual: 80.0,
            paid_in_parts: 40.0,
            score_fall: 40.0,
            dbt: 10.0,
            overdue_60: 10.0,
            overdue_90: 10.0,
            add: 5.0,
            score: 15.0,
            payment_score: 10.0,
            discontinuation: 10.0,
            rating: 10.0,
            utilisation: 5.0,
            elsewhere: 10.0,
            broken_promises: 10.0,
        }
    }
}

impl Weights {
    /// Every factor's weight.
    fn all(&self) -> [f64; 16] {
        [
            self.wadl,
            self.wadl_trend,
            self.later_than_usual,
            self.paid_in_parts,
            self.score_fall,
            self.dbt,
            self.overdue_60,
            self.overdue_90,
            self.add,
            self.score,
            self.payment_score,
            self.discontinuation,
            self.rating,
            self.utilisation,
            self.elsewhere,
            self.broken_promises,
        ]
    }
}

/// `[risk]` in the configuration.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct RiskSettings {
    /// Each factor's weight.
    pub weights: Weights,
    /// Lowest scores of the medium, high and critical tiers.
    pub tiers: [f64; 3],
    /// Where each ledger factor reaches its full weight.
    pub wadl_full_days: f64,
    /// WADL trend (days a month) at which that factor is full.
    pub wadl_trend_full_days_per_month: f64,
    /// Days later than usual at which that factor is full.
    pub later_full_days: f64,
    /// Share of recent invoices paid in parts at which that factor is full.
    pub parts_full_share: f64,
    /// Fall of the bureau score over six months, as a share of its scale, at which that factor
    /// is full.
    pub score_fall_full: f64,
    /// DBT (days) at which that factor is full.
    pub dbt_full_days: f64,
    /// ADD (days) at which that factor is full.
    pub add_full_days: f64,
    /// ADD counts only for a client with at least this many open invoices: on a few invoices
    /// against little sales it is large without any invoice being that late.
    pub add_min_open_invoices: u64,
    /// Utilisation counts from this share of the credit limit, fully at `utilisation_full`.
    pub utilisation_from: f64,
    /// Utilisation at which that factor is full.
    pub utilisation_full: f64,
    /// Promises broken in 12 months at which that factor is full.
    pub broken_promises_full: f64,
    /// A sign of change (later than usual, paid in parts, the score's fall) adds its points
    /// over at least this share of all the weights, however few factors are known: without
    /// bureau data one sign alone then does not make a client high, while a level (an invoice
    /// long overdue) counts in full. Counted in full, a ledger-only score flagged healthy
    /// clients twice as often as one with bureau data (docs/monitoring.md). 0: in full.
    pub min_known_share: f64,
}

impl Default for RiskSettings {
    fn default() -> Self {
        RiskSettings {
            weights: Weights::default(),
            tiers: [25.0, 50.0, 75.0],
            wadl_full_days: 30.0,
            wadl_trend_full_days_per_month: 5.0,
            later_full_days: 15.0,
            parts_full_share: 0.5,
            score_fall_full: 0.1,
            dbt_full_days: 60.0,
            add_full_days: 30.0,
            add_min_open_invoices: 5,
            utilisation_from: 0.5,
            utilisation_full: 1.2,
            broken_promises_full: 2.0,
            min_known_share: 0.75,
        }
    }
}

impl RiskSettings {
    /// Refuses settings that cannot rank clients (tiers out of order, negative weights).
    pub fn check(&self) -> Result<(), SettingError> {
        if let Some(x) = self.weights.all().iter().find(|x| **x < 0.0 || !x.is_finite()) {
            return Err(SettingError::shown("[risk.weights]", x, "a weight must be zero or positive"));
        }
        let t = self.tiers;
        if !(0.0 < t[0] && t[0] < t[1] && t[1] < t[2] && t[2] <= 100.0) {
            return Err(SettingError::shown(
                "[risk] tiers",
                format!("{t:?}"),
                "must rise within 0–100, e.g. [25, 50, 75]",
            ));
        }
        if self.broken_promises_full.is_nan() || self.broken_promises_full < 1.0 {
            return Err(SettingError::shown(
                "[risk] broken_promises_full",
                self.broken_promises_full,
                "is a number of promises, at least 1",
            ));
        }
        if !(0.0..=1.0).contains(&self.min_known_share) {
            return Err(SettingError::shown(
                "[risk] min_known_share",
                self.min_known_share,
                "is a share of all the weights, from 0 (off) to 1",
            ));
        }
        // Written so that a NaN (no order) is refused too.
        if self.utilisation_from.partial_cmp(&self.utilisation_full) != Some(std::cmp::Ordering::Less) {
            return Err(SettingError::shown(
                "[risk] utilisation_from",
                self.utilisation_from,
                format!("must be below utilisation_full ({})", self.utilisation_full),
            ));
        }
        Ok(())
    }
}

/// A client's risk tier, from its score.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Tier {
    /// Below the medium threshold.
    Low,
    /// From the medium threshold.
    Medium,
    /// From the high threshold.
    High,
    /// From the critical threshold, or any legal status but active.
    Critical,
}

impl Tier {
    /// The tier as the data files write it.
    pub fn label(self) -> &'static str {
        match self {
            Tier::Low => "low",
            Tier::Medium => "medium",
            Tier::High => "high",
            Tier::Critical => "critical",
        }
    }

    /// The tier a data file's label names.
    pub fn from_label(s: &str) -> Option<Tier> {
        [Tier::Low, Tier::Medium, Tier::High, Tier::Critical].into_iter().find(|t| t.label() == s)
    }
}

/// What the score is computed from.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RiskInput {
    /// WADL (12 months), if any invoice was paid.
    pub wadl: Option<f64>,
    /// WADL slope over 6 months.
    pub wadl_slope: Option<f64>,
    /// Days later than usual (`Lately::later_than_usual`).
    pub later_than_usual: Option<f64>,
    /// Share of the recent invoices paid in parts (`Lately::paid_in_parts`).
    pub paid_in_parts: Option<f64>,
    /// The bureau score six months before (at the end of the month six months before the
    /// as-of date's), when both it and `score` are known.
    pub score_before: Option<f64>,
    /// Days beyond terms.
    pub dbt: f64,
    /// Share of the open amount more than 60 days past due.
    pub share_over_60: f64,
    /// Share of the open amount more than 90 days past due.
    pub share_over_90: f64,
    /// Average days delinquent.
    pub add: Option<f64>,
    /// Open invoices (whether ADD says anything, `add_min_open_invoices`).
    pub open_invoices: u64,
    /// Bureau score.
    pub score: Option<f64>,
    /// Bureau payment score.
    pub payment_score: Option<f64>,
    /// Bureau discontinuation score.
    pub discontinuation: Option<f64>,
    /// Bureau rating, as its position in the configured list (0 is best).
    pub rating: Option<usize>,
    /// The rating as the bureau writes it.
    pub rating_label: Option<String>,
    /// Legal status.
    pub status: Option<Status>,
    /// Exposure / credit limit.
    pub utilisation: Option<f64>,
    /// Whether the client has a bureau snapshot at all.
    pub has_bureau: bool,
    /// Its WADL at the other creditors of a pool, and how many they are.
    pub elsewhere: Option<(f64, u32)>,
    /// Its promises to pay judged in 12 months (collector's log): (kept, broken); `None`
    /// without any.
    pub promises: Option<(u32, u32)>,
}

impl RiskInput {
    /// Adds what a bureau snapshot says, and the utilisation of its credit limit by `net_ar`.
    pub fn with_bureau(mut self, s: &Snapshot, net_ar: i64) -> RiskInput {
        let b = &s.bureau;
        self.has_bureau = true;
        self.score = b.score;
        self.payment_score = b.payment_score;
        self.discontinuation = b.discontinuation_score;
        self.rating = b.rating;
        self.rating_label = b.rating_label.clone();
        self.status = b.status;
        self.utilisation = utilisation(net_ar, b.credit_limit.map(Money::minor));
        self
    }

    /// Adds the bureau's score as it stood at [`score_before_day`] (its latest snapshot then).
    pub fn with_before(mut self, before: Option<&Snapshot>) -> RiskInput {
        self.score_before = before.and_then(|s| s.bureau.score).filter(|_| self.score.is_some());
        self
    }
}

/// The bureau score's move is read over this many months: from the end of the month this many
/// months before the as-of date's.
pub const SCORE_FALL_MONTHS: i32 = 6;

/// The day the score's move is read from, for a score as of `as_of`.
pub fn score_before_day(as_of: chrono::NaiveDate) -> chrono::NaiveDate {
    crate::analytics::calendar::last_day(crate::analytics::calendar::month_of(as_of) - SCORE_FALL_MONTHS)
}

/// Exposure (net AR) over the credit limit. With a limit of zero any exposure is over it.
pub fn utilisation(net_ar: i64, limit: Option<i64>) -> Option<f64> {
    match limit {
        Some(l) if l > 0 => Some(net_ar.max(0) as f64 / l as f64),
        Some(_) if net_ar > 0 => Some(f64::INFINITY),
        _ => None,
    }
}

/// A client's risk: score, tier and the reasons in words.
#[derive(Clone, Debug, PartialEq)]
pub struct Risk {
    /// 0 (no risk seen) to 100.
    pub score: f64,
    /// The tier the score (or the legal status) gives.
    pub tier: Tier,
    /// The factors that weigh most, in English words (`days beyond terms 40.2 (+13)`), as the
    /// data files write them.
    pub reasons: String,
    /// The same reasons, for a report to put in its language.
    pub why: Vec<Reason>,
    /// The one that weighs most (a distress status first), without its points; `None` when
    /// nothing adds any.
    pub leading: Option<Reason>,
}

/// One factor of the score: its weight, how bad the client is on it (0 to 1), which, and the
/// points it adds to the score (set by [`scored`]).
struct Factor {
    weight: f64,
    badness: f64,
    key: Key,
    points: f64,
}

impl Factor {
    fn new(weight: f64, badness: f64, key: Key) -> Factor {
        Factor { weight, badness, key, points: 0.0 }
    }
}

/// Which factor, so that its words are written only when a reason is asked for.
#[derive(Clone, Copy)]
enum Key {
    Dbt,
    Over60,
    Over90,
    Wadl,
    WadlTrend,
    LaterThanUsual,
    PaidInParts,
    ScoreFall,
    Elsewhere,
    Promises,
    Add,
    Bureau(ScoreKind),
    Rating,
    Utilisation,
}

impl Key {
    /// A sign of change (paying later than usual, in parts, a falling bureau score) rather
    /// than a level: noisy on a few invoices, so it needs a second sign where little is known.
    fn is_change(self) -> bool {
        matches!(self, Key::LaterThanUsual | Key::PaidInParts | Key::ScoreFall)
    }
}

fn ramp(v: f64, full: f64) -> f64 {
    if v.is_nan() { 0.0 } else { (v / full).clamp(0.0, 1.0) }
}

/// Every factor known for the client, in the order the score sums them.
// Long on purpose: each factor of the score beside its weight, so a reader can check the
// score against docs/monitoring.md factor by factor.
fn factors(i: &RiskInput, s: &RiskSettings, b: &BureauSettings) -> Vec<Factor> {
    let w = &s.weights;
    let mut factors = vec![
        Factor::new(w.dbt, ramp(i.dbt, s.dbt_full_days), Key::Dbt),
        Factor::new(w.overdue_60, i.share_over_60.clamp(0.0, 1.0), Key::Over60),
        Factor::new(w.overdue_90, i.share_over_90.clamp(0.0, 1.0), Key::Over90),
    ];
    if let Some(v) = i.wadl {
        factors.push(Factor::new(w.wadl, ramp(v, s.wadl_full_days), Key::Wadl));
    }
    if let Some(v) = i.wadl_slope {
        factors.push(Factor::new(w.wadl_trend, ramp(v, s.wadl_trend_full_days_per_month), Key::WadlTrend));
    }
    if let Some(v) = i.later_than_usual {
        factors.push(Factor::new(w.later_than_usual, ramp(v, s.later_full_days), Key::LaterThanUsual));
    }
    if let Some(v) = i.paid_in_parts {
        factors.push(Factor::new(w.paid_in_parts, ramp(v, s.parts_full_share), Key::PaidInParts));
    }
    if let (Some(now), Some(before)) = (i.score, i.score_before) {
        // How far the score fell, as a share of its scale (a rise counts nothing).
        let fall = b.badness_of(ScoreKind::Score, now) - b.badness_of(ScoreKind::Score, before);
        factors.push(Factor::new(w.score_fall, ramp(fall, s.score_fall_full), Key::ScoreFall));
    }
    if let Some((v, _)) = i.elsewhere {
        factors.push(Factor::new(w.elsewhere, ramp(v, s.wadl_full_days), Key::Elsewhere));
    }
    if let Some((_, broken)) = i.promises {
        factors.push(Factor::new(w.broken_promises, ramp(f64::from(broken), s.broken_promises_full), Key::Promises));
    }
    // ADD is the standard DSO above its best possible, from the period's sales: said as such,
    // never as days overdue, and only where enough invoices are open for it to mean anything.
    if let Some(v) = i.add.filter(|_| i.open_invoices >= s.add_min_open_invoices) {
        factors.push(Factor::new(w.add, ramp(v, s.add_full_days), Key::Add));
    }
    for (kind, value, weight) in [
        (ScoreKind::Score, i.score, w.score),
        (ScoreKind::PaymentScore, i.payment_score, w.payment_score),
        (ScoreKind::Discontinuation, i.discontinuation, w.discontinuation),
    ] {
        if let Some(v) = value {
            factors.push(Factor::new(weight, b.badness_of(kind, v), Key::Bureau(kind)));
        }
    }
    if let Some(notch) = i.rating {
        let worst = (b.ratings.len() - 1).max(1) as f64;
        factors.push(Factor::new(w.rating, notch as f64 / worst, Key::Rating));
    }
    if let Some(u) = i.utilisation {
        let badness = if u.is_infinite() {
            1.0
        } else {
            ((u - s.utilisation_from) / (s.utilisation_full - s.utilisation_from)).clamp(0.0, 1.0)
        };
        factors.push(Factor::new(w.utilisation, badness, Key::Utilisation));
    }
    factors
}

/// What a factor says of the client, with its values: a reason of the score, put in words in
/// any report language ([`What::words`]).
#[derive(Clone, Debug, PartialEq)]
pub enum What {
    /// Days beyond terms.
    Dbt(f64),
    /// Share of the open amount over 60 days past due.
    Over60(f64),
    /// Share over 90 days past due.
    Over90(f64),
    /// WADL over 12 months.
    Wadl(f64),
    /// WADL trend, days a month.
    WadlTrend(f64),
    /// Days later than usual.
    LaterThanUsual(f64),
    /// Share of recent invoices paid in parts.
    PaidInParts(f64),
    /// The bureau score six months before, and now.
    ScoreFall(f64, f64),
    /// WADL at the pool's other creditors, and how many they are.
    Elsewhere(f64, u32),
    /// Promises kept and broken in 12 months.
    Promises(u32, u32),
    /// ADD.
    Add(f64),
    /// A bureau score: which, its value, its scale.
    Bureau(ScoreKind, f64, [f64; 2]),
    /// The rating's label.
    Rating(String),
    /// Exposure over the credit limit (infinite with a limit of zero).
    Utilisation(f64),
}

/// A number with `d` decimals in a language's notation (a decimal comma in Dutch and French).
fn num(lang: Lang, v: f64, d: usize) -> String {
    decimal_comma(lang, format!("{v:.d$}"))
}

/// A number written with a point, in a language's notation.
fn decimal_comma(lang: Lang, s: String) -> String {
    if lang == Lang::En { s } else { s.replace('.', ",") }
}

impl What {
    /// In words, with the client's values (`days beyond terms 40.2`).
    // Long on purpose: one arm per factor, its words in the three languages side by side.
    pub fn words(&self, lang: Lang) -> String {
        let n1 = |v: f64| num(lang, v, 1);
        let pct = |v: f64| format!("{:.0}", v * 100.0);
        let shown = |v: f64| decimal_comma(lang, v.to_string());
        match self {
            What::Dbt(v) => lang.pick([
                format!("days beyond terms {}", n1(*v)),
                format!("{} dagen over de betalingstermijn (DBT)", n1(*v)),
                format!("{} jours au-delà du délai de paiement (DBT)", n1(*v)),
            ]),
            What::Over60(v) => lang.pick([
                format!("{} % of the open amount over 60 days past due", pct(*v)),
                format!("{} % van het openstaande bedrag meer dan 60 dagen vervallen", pct(*v)),
                format!("{} % de l'encours échu depuis plus de 60 jours", pct(*v)),
            ]),
            What::Over90(v) => lang.pick([
                format!("{} % over 90 days past due", pct(*v)),
                format!("{} % meer dan 90 dagen vervallen", pct(*v)),
                format!("{} % échu depuis plus de 90 jours", pct(*v)),
            ]),
            What::Wadl(v) => lang.pick([
                format!("pays {} days late on average (WADL 12 months)", n1(*v)),
                format!("betaalt gemiddeld {} dagen te laat (WADL 12 maanden)", n1(*v)),
                format!("paie en moyenne {} jours en retard (WADL 12 mois)", n1(*v)),
            ]),
            What::WadlTrend(v) => lang.pick([
                format!("paying later by {} days a month (WADL trend 6 months)", n1(*v)),
                format!("betaalt elke maand {} dagen later (WADL-trend 6 maanden)", n1(*v)),
                format!("paie {} jours plus tard chaque mois (tendance WADL 6 mois)", n1(*v)),
            ]),
            What::LaterThanUsual(v) => lang.pick([
                format!(
                    "pays {} days later than usual (median of the invoices due in the last 3 months against the year \
                     before)",
                    n1(*v)
                ),
                format!(
                    "betaalt {} dagen later dan gewoonlijk (mediaan van de facturen vervallen in de laatste 3 maanden \
                     tegenover het jaar ervoor)",
                    n1(*v)
                ),
                format!(
                    "paie {} jours plus tard que d'habitude (médiane des factures échues ces 3 derniers mois par \
                     rapport à l'année d'avant)",
                    n1(*v)
                ),
            ]),
            What::PaidInParts(v) => lang.pick([
                format!("{} % of its recent invoices paid in parts (due in the last 3 months)", pct(*v)),
                format!("{} % van de recente facturen in delen betaald (vervallen in de laatste 3 maanden)", pct(*v)),
                format!("{} % des factures récentes payées en plusieurs fois (échues ces 3 derniers mois)", pct(*v)),
            ]),
            What::ScoreFall(before, now) => lang.pick([
                format!("bureau score fell from {} to {} in 6 months", shown(*before), shown(*now)),
                format!("bureauscore gedaald van {} naar {} in 6 maanden", shown(*before), shown(*now)),
                format!("score du bureau passé de {} à {} en 6 mois", shown(*before), shown(*now)),
            ]),
            What::Elsewhere(v, n) => lang.pick([
                format!("pays other suppliers {} days late on average ({n} creditors)", n1(*v)),
                format!("betaalt andere leveranciers gemiddeld {} dagen te laat ({n} schuldeisers)", n1(*v)),
                format!("paie les autres fournisseurs en moyenne {} jours en retard ({n} créanciers)", n1(*v)),
            ]),
            What::Promises(kept, broken) => {
                let all = kept + broken;
                lang.pick([
                    format!("broke {broken} of {all} promises to pay (12 months)"),
                    format!("brak {broken} van {all} betalingsbeloften (12 maanden)"),
                    format!("n'a pas tenu {broken} de {all} promesses de paiement (12 mois)"),
                ])
            }
            What::Add(v) => lang.pick([
                format!("DSO {} days above its best possible (ADD)", n1(*v)),
                format!("DSO {} dagen boven het best mogelijke (ADD)", n1(*v)),
                format!("DSO {} jours au-dessus du meilleur possible (ADD)", n1(*v)),
            ]),
            What::Bureau(kind, v, [lo, hi]) => {
                format!("{} {} ({}–{})", kind.words(lang), shown(*v), shown(*lo), shown(*hi))
            }
            What::Rating(label) => {
                lang.pick([format!("rating {label}"), format!("rating {label}"), format!("notation {label}")])
            }
            What::Utilisation(u) if u.is_infinite() => lang
                .pick([
                    "exposure with a credit limit of zero",
                    "blootstelling met een kredietlimiet van nul",
                    "exposition avec une limite de crédit nulle",
                ])
                .to_string(),
            What::Utilisation(u) => lang.pick([
                format!("{} % of the credit limit used", pct(*u)),
                format!("{} % van de kredietlimiet gebruikt", pct(*u)),
                format!("{} % de la limite de crédit utilisée", pct(*u)),
            ]),
        }
    }
}

/// One reason of a score, as `risk_reasons` lists them and a report shows them.
#[derive(Clone, Debug, PartialEq)]
pub enum Reason {
    /// The score has no bureau data.
    LedgerOnly,
    /// A distress status made the client critical.
    Status(Status),
    /// A factor, with the points it adds (none where only the factor is named).
    Factor(What, Option<f64>),
    /// Nothing weighs: pays on time.
    NoSignalPaid,
    /// Nothing weighs, and how it pays is not known.
    NoSignalUnknown,
}

impl Reason {
    /// In words, in a report language (`risk_reasons` is English).
    pub fn words(&self, lang: Lang) -> String {
        match self {
            Reason::LedgerOnly => lang
                .pick([
                    "ledger only (no bureau data)",
                    "alleen grootboek (geen bureaugegevens)",
                    "grand livre seul (pas de données de bureau)",
                ])
                .into(),
            Reason::Status(st) => {
                let word = st.words(lang);
                lang.pick([
                    format!("bureau status: {word}"),
                    format!("status bij het bureau: {word}"),
                    format!("statut au bureau : {word}"),
                ])
            }
            Reason::Factor(what, Some(points)) => format!("{} (+{points:.0})", what.words(lang)),
            Reason::Factor(what, None) => what.words(lang),
            Reason::NoSignalPaid => lang
                .pick([
                    "no risk signal: pays on time, nothing long overdue",
                    "geen risicosignaal: betaalt op tijd, niets lang vervallen",
                    "aucun signal de risque : paie à temps, rien d'échu depuis longtemps",
                ])
                .into(),
            Reason::NoSignalUnknown => lang
                .pick([
                    "no risk signal: nothing long overdue; how it pays is not known",
                    "geen risicosignaal: niets lang vervallen; hoe het betaalt is niet bekend",
                    "aucun signal de risque : rien d'échu depuis longtemps ; sa façon de payer n'est pas connue",
                ])
                .into(),
        }
    }

    /// Reasons in words, joined as `risk_reasons` joins them.
    pub fn joined(reasons: &[Reason], lang: Lang) -> String {
        reasons.iter().map(|r| r.words(lang)).collect::<Vec<_>>().join("; ")
    }
}

/// What a factor says of the client, with its values.
fn what(key: Key, i: &RiskInput, b: &BureauSettings) -> What {
    match key {
        Key::Dbt => What::Dbt(i.dbt),
        Key::Over60 => What::Over60(i.share_over_60),
        Key::Over90 => What::Over90(i.share_over_90),
        Key::Wadl => What::Wadl(i.wadl.unwrap_or_default()),
        Key::WadlTrend => What::WadlTrend(i.wadl_slope.unwrap_or_default()),
        Key::LaterThanUsual => What::LaterThanUsual(i.later_than_usual.unwrap_or_default()),
        Key::PaidInParts => What::PaidInParts(i.paid_in_parts.unwrap_or_default()),
        Key::ScoreFall => What::ScoreFall(i.score_before.unwrap_or_default(), i.score.unwrap_or_default()),
        Key::Elsewhere => {
            let (v, n) = i.elsewhere.unwrap_or_default();
            What::Elsewhere(v, n)
        }
        Key::Promises => {
            let (kept, broken) = i.promises.unwrap_or_default();
            What::Promises(kept, broken)
        }
        Key::Add => What::Add(i.add.unwrap_or_default()),
        Key::Bureau(kind) => {
            let v = match kind {
                ScoreKind::Score => i.score,
                ScoreKind::PaymentScore => i.payment_score,
                ScoreKind::Discontinuation => i.discontinuation,
                ScoreKind::Growth => None,
            };
            What::Bureau(kind, v.unwrap_or_default(), b.scale(kind))
        }
        Key::Rating => {
            let notch = i.rating.unwrap_or_default();
            What::Rating(i.rating_label.clone().unwrap_or_else(|| b.ratings[notch].clone()))
        }
        Key::Utilisation => What::Utilisation(i.utilisation.unwrap_or_default()),
    }
}

/// The score and tier of an input, with its factors in the order they were summed, each with
/// its points. Each factor adds its weight times its badness as a share of the known factors'
/// weights; a sign of change as a share of at least `min_known_share` of all the weights, so
/// that where little is known (no bureau data) one noisy sign alone does not make a client high,
/// while a level (an invoice long overdue) counts in full.
fn scored(i: &RiskInput, s: &RiskSettings, b: &BureauSettings) -> (f64, Tier, Vec<Factor>) {
    let mut factors = factors(i, s, b);
    let known: f64 = factors.iter().map(|f| f.weight).sum();
    let for_change = known.max(s.min_known_share * s.weights.all().iter().sum::<f64>());
    for f in &mut factors {
        let over = if f.key.is_change() { for_change } else { known };
        f.points = if over > 0.0 { 100.0 * f.weight * f.badness / over } else { 0.0 };
    }
    let distress = i.status.is_some_and(Status::is_distress);
    let score = if distress { 100.0 } else { factors.iter().map(|f| f.points).sum() };
    let tier = if distress || score >= s.tiers[2] {
        Tier::Critical
    } else if score >= s.tiers[1] {
        Tier::High
    } else if score >= s.tiers[0] {
        Tier::Medium
    } else {
        Tier::Low
    };
    (score, tier, factors)
}

/// The factors by the points each adds, largest first (ties in the order they were summed).
fn by_points(mut factors: Vec<Factor>) -> Vec<Factor> {
    factors.sort_by(|a, b| b.points.total_cmp(&a.points));
    factors
}

/// The score and tier alone, without the reasons' words: the early-warning record asks this
/// of every client at every month end.
pub fn tier(i: &RiskInput, s: &RiskSettings, b: &BureauSettings) -> (f64, Tier) {
    let (score, tier, _) = scored(i, s, b);
    (score, tier)
}

/// What weighs most in the score: a distress status, else the factor that adds the most
/// points; `None` when nothing adds any.
pub fn leading(i: &RiskInput, s: &RiskSettings, b: &BureauSettings) -> Option<Reason> {
    if let Some(st) = i.status.filter(|st| st.is_distress()) {
        return Some(Reason::Status(st));
    }
    let (_, _, factors) = scored(i, s, b);
    by_points(factors).first().filter(|f| f.points > 0.0).map(|f| Reason::Factor(what(f.key, i, b), None))
}

/// The score, its tier and its reasons. A worse input never lowers the score.
pub fn assess(i: &RiskInput, s: &RiskSettings, b: &BureauSettings) -> Risk {
    let (score, tier, factors) = scored(i, s, b);
    let factors = by_points(factors);
    let mut why: Vec<Reason> = Vec::new();
    let mut leading = None;
    if let Some(st) = i.status.filter(|st| st.is_distress()) {
        leading = Some(Reason::Status(st));
        why.push(Reason::Status(st));
    }
    for f in factors.iter().filter(|f| f.points > 0.0).take(3) {
        let what = what(f.key, i, b);
        leading.get_or_insert(Reason::Factor(what.clone(), None));
        why.push(Reason::Factor(what, Some(f.points)));
    }
    if why.is_empty() && i.wadl.is_some() {
        why.push(Reason::NoSignalPaid);
    } else if why.is_empty() {
        // No settled invoice to judge (a new client, or an open-items snapshot).
        why.push(Reason::NoSignalUnknown);
    }
    if !i.has_bureau {
        why.insert(0, Reason::LedgerOnly);
    }
    Risk { score, tier, reasons: Reason::joined(&why, Lang::En), why, leading }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> RiskInput {
        RiskInput { wadl: Some(2.0), wadl_slope: Some(0.0), dbt: 3.0, add: Some(1.0), ..Default::default() }
    }

    #[test]
    fn paying_others_late_raises_the_score_with_its_reason() {
        let (s, b) = (RiskSettings::default(), BureauSettings::default());
        let alone = assess(&base(), &s, &b);
        let pooled = assess(&RiskInput { elsewhere: Some((24.0, 4)), ..base() }, &s, &b);
        assert!(pooled.score > alone.score + 10.0, "{} vs {}", pooled.score, alone.score);
        assert!(
            pooled.reasons.contains("pays other suppliers 24.0 days late on average (4 creditors) (+"),
            "{}",
            pooled.reasons
        );
        // Paying the others on time is one more good factor known: the score falls.
        let on_time = assess(&RiskInput { elsewhere: Some((0.0, 4)), ..base() }, &s, &b);
        assert!(on_time.score < alone.score, "{} vs {}", on_time.score, alone.score);
        let off = RiskSettings { weights: Weights { elsewhere: 0.0, ..Weights::default() }, ..RiskSettings::default() };
        let pooled = RiskInput { elsewhere: Some((24.0, 4)), ..base() };
        assert_eq!(assess(&pooled, &off, &b).score, assess(&base(), &off, &b).score);
    }

    /// Issue 21: "average days delinquent 92.0" for a client whose two open invoices are 16 and
    /// 7 days past due read as 92 days overdue. On so few invoices ADD is left out of the score
    /// and reasons; where it counts, it says what it is.
    #[test]
    fn add_is_left_out_on_few_invoices_and_never_called_days_delinquent() {
        let (s, b) = (RiskSettings::default(), BureauSettings::default());
        let small = RiskInput { add: Some(92.0), open_invoices: 2, dbt: 12.0, ..base() };
        let r = assess(&small, &s, &b);
        assert!(!r.reasons.contains("ADD") && !r.reasons.contains("delinquent"), "{}", r.reasons);
        assert_eq!(r.score, assess(&RiskInput { add: None, ..small.clone() }, &s, &b).score);
        let r = assess(&RiskInput { open_invoices: 6, ..small }, &s, &b);
        assert!(r.reasons.contains("DSO 92.0 days above its best possible (ADD)"), "{}", r.reasons);
        assert!(!r.reasons.contains("delinquent"), "{}", r.reasons);
    }

    /// Where less than `min_known_share` of all the weights is known (no bureau data), a sign of
    /// change counts over that share: one sign alone (paying later than usual, in full) makes
    /// a client medium, a second sign high; a level counts in full; where the bureau's factors
    /// are known too, nothing changes.
    #[test]
    fn one_sign_alone_does_not_make_a_ledger_only_client_high() {
        let (s, b) = (RiskSettings::default(), BureauSettings::default());
        // Its recent invoices are all open, so nothing is known of parts.
        let later = RiskInput { later_than_usual: Some(30.0), ..base() };
        let r = assess(&later, &s, &b);
        assert_eq!(r.tier, Tier::Medium, "{}", r.score);
        // Later than usual adds its 80 over at least 0.75 of all the 280 weight; the levels
        // (DBT 3 of 60 days, WADL 2 of 30) over the 125 known.
        let levels = 10.0 * 3.0 / 60.0 + 5.0 * 2.0 / 30.0;
        assert!((r.score - 100.0 * (80.0 / (0.75 * 280.0) + levels / 125.0)).abs() < 1e-9, "{}", r.score);
        let off = RiskSettings { min_known_share: 0.0, ..RiskSettings::default() };
        assert_eq!(assess(&later, &off, &b).tier, Tier::High);
        let two_signs = RiskInput { paid_in_parts: Some(0.6), ..later.clone() };
        assert_eq!(assess(&two_signs, &s, &b).tier, Tier::High);
        // A level counts in full however little is known: one invoice long overdue, nothing
        // else known, is critical.
        let overdue = RiskInput { dbt: 120.0, share_over_60: 1.0, share_over_90: 1.0, ..RiskInput::default() };
        assert_eq!(assess(&overdue, &s, &b).tier, Tier::Critical);
        // With the bureau's factors known the known weights pass the floor: the same score.
        let bureau = RiskInput {
            has_bureau: true,
            score: Some(60.0),
            score_before: Some(62.0),
            payment_score: Some(5.0),
            discontinuation: Some(10.0),
            rating: Some(3),
            utilisation: Some(0.4),
            ..two_signs
        };
        assert_eq!(assess(&bureau, &s, &b).score, assess(&bureau, &off, &b).score);
    }

    #[test]
    fn settings_that_cannot_rank_clients_are_refused() {
        assert!(RiskSettings::default().check().is_ok());
        for share in [-0.1, 1.5, f64::NAN] {
            let s = RiskSettings { min_known_share: share, ..RiskSettings::default() };
            let e = s.check().expect_err("refused").to_string();
            assert!(e.contains("min_known_share") && e.contains("from 0 (off) to 1"), "{e}");
        }
        let s = RiskSettings { tiers: [50.0, 25.0, 75.0], ..RiskSettings::default() };
        assert!(s.check().expect_err("refused").to_string().contains("tiers"));
    }

    #[test]
    fn a_good_payer_is_low_and_says_why() {
        let r = assess(&base(), &RiskSettings::default(), &BureauSettings::default());
        assert_eq!(r.tier, Tier::Low);
        assert!(r.reasons.starts_with("ledger only (no bureau data)"), "{}", r.reasons);
    }

    #[test]
    fn distress_status_is_critical_whatever_the_rest_says() {
        for st in [Status::Bankrupt, Status::Reorganisation, Status::Dissolved, Status::Liquidation] {
            let i = RiskInput { status: Some(st), has_bureau: true, score: Some(99.0), ..base() };
            let r = assess(&i, &RiskSettings::default(), &BureauSettings::default());
            assert_eq!(r.tier, Tier::Critical, "{st:?}");
            assert_eq!(r.score, 100.0);
            assert!(r.reasons.contains(st.label()), "{}", r.reasons);
        }
    }

    #[test]
    fn reasons_name_the_largest_factors_with_values() {
        let i = RiskInput {
            wadl: Some(40.0),
            share_over_90: 0.5,
            has_bureau: true,
            score: Some(20.0),
            rating: Some(7),
            ..base()
        };
        let r = assess(&i, &RiskSettings::default(), &BureauSettings::default());
        assert!(r.reasons.contains("50 % over 90 days past due"), "{}", r.reasons);
        assert!(r.reasons.contains("bureau score 20 (0–100)"), "{}", r.reasons);
        // A client paying later than it used to: that leads, with its days.
        let later = RiskInput { later_than_usual: Some(21.5), ..i };
        let r = assess(&later, &RiskSettings::default(), &BureauSettings::default());
        assert!(r.reasons.starts_with("pays 21.5 days later than usual"), "{}", r.reasons);
        assert_eq!(r.leading.map(|l| l.words(Lang::En)).as_deref(), Some(r.reasons.split(" (+").next().unwrap()));
        // In Dutch and French, with a decimal comma.
        assert!(Reason::joined(&r.why, Lang::Nl).starts_with("betaalt 21,5 dagen later dan gewoonlijk"));
        assert!(Reason::joined(&r.why, Lang::Fr).starts_with("paie 21,5 jours plus tard que d'habitude"));
        assert!(r.tier >= Tier::Medium);
    }

    #[test]
    fn a_rising_discontinuation_score_raises_the_score_and_says_so() {
        let (s, b) = (RiskSettings::default(), BureauSettings::default());
        let low = RiskInput { discontinuation: Some(5.0), has_bureau: true, ..base() };
        let high = RiskInput { discontinuation: Some(85.0), ..low.clone() };
        let (before, after) = (assess(&low, &s, &b), assess(&high, &s, &b));
        assert!(after.score > before.score, "{} -> {}", before.score, after.score);
        assert!(after.reasons.contains("discontinuation score 85 (0–100)"), "{}", after.reasons);
        // Its weight is configuration: at zero it changes nothing.
        let mut zero = RiskSettings::default();
        zero.weights.discontinuation = 0.0;
        assert!(!assess(&high, &zero, &b).reasons.contains("discontinuation"));
    }

    #[test]
    fn zero_limit_with_exposure_is_full_utilisation() {
        assert_eq!(utilisation(100, Some(0)), Some(f64::INFINITY));
        assert_eq!(utilisation(0, Some(0)), None);
        assert_eq!(utilisation(50, Some(100)), Some(0.5));
        assert_eq!(utilisation(-50, Some(100)), Some(0.0));
    }
}
