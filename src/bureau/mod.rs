//! Credit-bureau snapshots: what a bureau says about a company on a date (credit limit, scores,
//! rating, legal status, watched fields), and how snapshots are matched to clients.
//!
//! No vendor's scale is hard-coded: score ranges and directions, the rating ladder and the
//! status vocabulary are configuration (`[bureau]`), with defaults that read Belgian and Dutch
//! bureau exports in English, Dutch and French.

pub mod elsewhere;
pub mod fields;
pub mod watchlist;

pub use fields::{BureauFields, CreditFlag, Status};

use crate::locale::Lang;
use crate::model::{Client, ClientIx, CompanyNumber, Origin};
use crate::toml_source::SettingError;
use chrono::NaiveDate;
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use watchlist::Watched;

/// The bureau's scores, each with its own configured scale and direction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScoreKind {
    /// The overall score (a multiscore).
    Score,
    /// The payment score (how the company pays its suppliers).
    PaymentScore,
    /// The growth score: the company's expected growth.
    Growth,
    /// The discontinuation score (opheffingsscore): the chance that the company stops.
    Discontinuation,
}

impl ScoreKind {
    /// Every score.
    pub const ALL: [ScoreKind; 4] =
        [ScoreKind::Score, ScoreKind::PaymentScore, ScoreKind::Growth, ScoreKind::Discontinuation];

    /// Its name in the data files and in `[bureau]` (`<name>_scale`).
    pub fn name(self) -> &'static str {
        match self {
            ScoreKind::Score => "score",
            ScoreKind::PaymentScore => "payment_score",
            ScoreKind::Growth => "growth_score",
            ScoreKind::Discontinuation => "discontinuation_score",
        }
    }

    /// Its name in messages and reports, in `lang` (the alerts' messages and the
    /// configuration's errors are English).
    pub fn words(self, lang: Lang) -> &'static str {
        lang.pick(match self {
            ScoreKind::Score => ["bureau score", "bureauscore", "score du bureau"],
            ScoreKind::PaymentScore => {
                ["bureau payment score", "betalingsscore van het bureau", "score de paiement du bureau"]
            }
            ScoreKind::Growth => ["growth score", "groeiscore", "score de croissance"],
            ScoreKind::Discontinuation => ["discontinuation score", "opheffingsscore", "score de cessation"],
        })
    }
}

/// `[bureau]` in the configuration: scales, ladders and vocabularies.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct BureauSettings {
    /// Lowest and highest score, and whether higher is safer.
    pub score_scale: [f64; 2],
    /// Whether a higher score is safer.
    pub score_higher_is_safer: bool,
    /// Lowest and highest payment score.
    pub payment_score_scale: [f64; 2],
    /// Whether a higher payment score is safer.
    pub payment_score_higher_is_safer: bool,
    /// Lowest and highest growth score.
    pub growth_score_scale: [f64; 2],
    /// Whether a higher growth score is better (it is, with every bureau known).
    pub growth_score_higher_is_safer: bool,
    /// Lowest and highest discontinuation score.
    pub discontinuation_score_scale: [f64; 2],
    /// Whether a higher discontinuation score is safer (it is not: it is the chance of
    /// stopping).
    pub discontinuation_score_higher_is_safer: bool,
    /// Credit-flag values per flag: green, orange, red.
    pub credit_flag: BTreeMap<String, Vec<String>>,
    /// Rating labels from best to worst; the last is insolvency.
    pub ratings: Vec<String>,
    /// Labels meaning "not rated": no rating, not the worst one.
    pub not_rated: Vec<String>,
    /// Status values per status: active, reorganisation, liquidation, dissolved, bankrupt.
    pub status: BTreeMap<String, Vec<String>>,
    /// Explicit client-to-company links (client id = company number), for clients whose own
    /// record has no or another company number.
    pub links: BTreeMap<String, String>,
}

impl Default for BureauSettings {
    fn default() -> Self {
        let words = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let mut status = BTreeMap::new();
        status.insert("active".into(), words(&["active", "actief", "actif", "active company", "normaal", "normal"]));
        status.insert(
            "reorganisation".into(),
            words(&[
                "judicial reorganisation",
                "reorganisation",
                "wco",
                "prj",
                "gerechtelijke reorganisatie",
                "réorganisation judiciaire",
                "reorganisation judiciaire",
                "surseance",
                "surseance van betaling",
            ]),
        );
        status.insert("liquidation".into(), words(&["in liquidation", "liquidation", "vereffening", "in vereffening"]));
        status.insert("dissolved".into(), words(&["dissolved", "ontbonden", "dissoute", "dissous", "opgeheven"]));
        status.insert("bankrupt".into(), words(&["bankrupt", "bankruptcy", "faillissement", "failliet", "faillite"]));
        BureauSettings {
            score_scale: [0.0, 100.0],
            score_higher_is_safer: true,
            payment_score_scale: [0.0, 10.0],
            payment_score_higher_is_safer: true,
            growth_score_scale: [0.0, 100.0],
            growth_score_higher_is_safer: true,
            discontinuation_score_scale: [0.0, 100.0],
            discontinuation_score_higher_is_safer: false,
            credit_flag: BTreeMap::from([
                ("green".to_string(), words(&["green", "groen", "vert"])),
                ("orange".to_string(), words(&["orange", "oranje"])),
                ("red".to_string(), words(&["red", "rood", "rouge"])),
            ]),
            ratings: words(&["AAA", "AA", "A", "BBB", "BB", "B", "CCC", "CC", "C", "D"]),
            not_rated: words(&["NR", "N/R", "not rated"]),
            status,
            links: BTreeMap::new(),
        }
    }
}

/// A rating that is not on the configured ladder.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("unknown rating; the configured ladder is {ladder} (not rated: {not_rated})")]
pub struct UnknownRating {
    /// The ratings, best first.
    pub ladder: String,
    /// The values that mean not rated.
    pub not_rated: String,
}

impl BureauSettings {
    /// Refuses scales and vocabularies that cannot be applied (an empty scale, fewer than two
    /// ratings, an unknown status).
    pub fn check(&self) -> Result<(), SettingError> {
        for kind in ScoreKind::ALL {
            let [lo, hi] = self.scale(kind);
            if lo.partial_cmp(&hi) != Some(std::cmp::Ordering::Less) {
                return Err(SettingError::shown(
                    format!("[bureau] {}_scale", kind.name()),
                    format!("[{lo}, {hi}]"),
                    "must be [lowest, highest]",
                ));
            }
        }
        for k in self.credit_flag.keys() {
            if CreditFlag::from_label(k).is_none() {
                return Err(SettingError::new("[bureau.credit_flag] key", k, "use green, orange or red"));
            }
        }
        if self.ratings.len() < 2 {
            return Err(SettingError::new("[bureau] ratings", &self.ratings, "needs at least two labels, best first"));
        }
        for k in self.status.keys() {
            if Status::from_label(k).is_none() && !matches!(k.as_str(), "reorganisation" | "liquidation") {
                return Err(SettingError::new(
                    "[bureau.status] key",
                    k,
                    "use active, reorganisation, liquidation, dissolved or bankrupt",
                ));
            }
        }
        Ok(())
    }

    /// The status a bureau's raw value means, through the configured vocabulary.
    pub fn status_of(&self, raw: &str) -> Option<Status> {
        let v = raw.trim().to_lowercase();
        self.status.iter().find(|(_, values)| values.iter().any(|x| x.to_lowercase() == v)).map(|(k, _)| {
            match k.as_str() {
                "active" => Status::Active,
                "reorganisation" => Status::Reorganisation,
                "liquidation" => Status::Liquidation,
                "dissolved" => Status::Dissolved,
                _ => Status::Bankrupt,
            }
        })
    }

    /// `Ok(Some(notch))` for a rating (0 = best), `Ok(None)` for not rated.
    pub fn rating_of(&self, raw: &str) -> Result<Option<usize>, UnknownRating> {
        let v = raw.trim();
        if self.not_rated.iter().any(|x| x.eq_ignore_ascii_case(v)) {
            return Ok(None);
        }
        self.ratings
            .iter()
            .position(|x| x.eq_ignore_ascii_case(v))
            .map(Some)
            .ok_or_else(|| UnknownRating { ladder: self.ratings.join(", "), not_rated: self.not_rated.join(", ") })
    }

    /// A score's configured scale, lowest first.
    pub fn scale(&self, kind: ScoreKind) -> [f64; 2] {
        match kind {
            ScoreKind::Score => self.score_scale,
            ScoreKind::PaymentScore => self.payment_score_scale,
            ScoreKind::Growth => self.growth_score_scale,
            ScoreKind::Discontinuation => self.discontinuation_score_scale,
        }
    }

    /// Whether a higher value of a score is safer (better).
    pub fn higher_is_safer(&self, kind: ScoreKind) -> bool {
        match kind {
            ScoreKind::Score => self.score_higher_is_safer,
            ScoreKind::PaymentScore => self.payment_score_higher_is_safer,
            ScoreKind::Growth => self.growth_score_higher_is_safer,
            ScoreKind::Discontinuation => self.discontinuation_score_higher_is_safer,
        }
    }

    /// A score's value as badness in [0, 1]: 0 is the safest end of its scale.
    pub fn badness_of(&self, kind: ScoreKind, v: f64) -> f64 {
        badness(v, self.scale(kind), self.higher_is_safer(kind))
    }

    /// Why a value cannot be on a score's scale, if it cannot.
    pub fn out_of_scale(&self, kind: ScoreKind, v: f64) -> Option<String> {
        let [lo, hi] = self.scale(kind);
        (!(lo..=hi).contains(&v)).then(|| {
            format!(
                "{} {v} is outside the configured scale {lo}–{hi} ([bureau] {}_scale)",
                kind.words(Lang::En),
                kind.name()
            )
        })
    }

    /// The credit flag a bureau's raw value means, through the configured vocabulary.
    pub fn credit_flag_of(&self, raw: &str) -> Option<CreditFlag> {
        let v = raw.trim().to_lowercase();
        self.credit_flag
            .iter()
            .find(|(_, values)| values.iter().any(|x| x.to_lowercase() == v))
            .and_then(|(k, _)| CreditFlag::from_label(k))
    }
}

fn badness(v: f64, [lo, hi]: [f64; 2], higher_is_safer: bool) -> f64 {
    let x = ((v - lo) / (hi - lo)).clamp(0.0, 1.0);
    if higher_is_safer { 1.0 - x } else { x }
}

/// One bureau row, validated.
#[derive(Clone, Debug, PartialEq)]
pub struct Snapshot {
    /// Normalised company number; `None` when the bureau's number is invalid (never matched).
    pub company: Option<CompanyNumber>,
    /// The company number as the bureau wrote it.
    pub raw_company: String,
    /// The client's own id, when the bureau file carries it (portfolio uploads do).
    pub client_id: Option<String>,
    /// The snapshot's date.
    pub date: NaiveDate,
    /// What the bureau says of the company on that date.
    pub bureau: BureauFields,
    /// Where the row is in its input.
    pub origin: Origin,
}

/// Which snapshot belongs to which client at the as-of date, and what could not be matched.
#[derive(Clone, Debug, Default)]
pub struct Matched {
    /// Per client index: the latest snapshot on or before the as-of date.
    pub latest: HashMap<ClientIx, usize>,
    /// Clients with a ledger at A but no bureau snapshot (by their id).
    pub unmatched_clients: Vec<String>,
    /// Companies in the bureau file that are neither a client nor watched (company number as
    /// written).
    pub unmatched_companies: Vec<String>,
    /// Per watched company (its index in the watchlist): the latest snapshot on or before the
    /// as-of date.
    pub watched: BTreeMap<usize, usize>,
}

/// Matches snapshots to clients by normalised company number, explicit link, or the client id
/// the bureau row carries; never by name. A snapshot of no client goes to the watched company
/// with its number, if any.
pub fn match_clients(
    clients: &[Client],
    active: &[ClientIx],
    snapshots: &[Snapshot],
    settings: &BureauSettings,
    watchlist: &[Watched],
    as_of: NaiveDate,
) -> Matched {
    let watched: HashMap<&CompanyNumber, usize> = watchlist.iter().enumerate().map(|(i, w)| (&w.company, i)).collect();
    let mut by_company: HashMap<CompanyNumber, Vec<ClientIx>> = HashMap::new();
    let mut by_id: HashMap<&str, ClientIx> = HashMap::new();
    for &ix in active {
        let c = &clients[ix as usize];
        by_id.insert(&c.id, ix);
        let linked =
            settings.links.get(&c.id).and_then(|n| crate::model::company_number::normalise_company_number(n).ok());
        if let Some(n) = linked.or_else(|| c.company_number.clone()) {
            by_company.entry(n).or_default().push(ix);
        }
    }
    let mut m = Matched::default();
    let mut unmatched = std::collections::BTreeSet::new();
    for (i, s) in snapshots.iter().enumerate() {
        if s.date > as_of {
            continue;
        }
        let targets: Vec<ClientIx> = match (&s.client_id, &s.company) {
            (Some(id), _) if by_id.contains_key(id.as_str()) => vec![by_id[id.as_str()]],
            (_, Some(n)) => by_company.get(n).cloned().unwrap_or_default(),
            _ => Vec::new(),
        };
        if targets.is_empty() {
            match s.company.as_ref().and_then(|n| watched.get(n)) {
                Some(&w) => {
                    if m.watched.get(&w).is_none_or(|&j| snapshots[j].date <= s.date) {
                        m.watched.insert(w, i);
                    }
                }
                None => {
                    unmatched.insert(s.raw_company.clone());
                }
            }
        }
        for ix in targets {
            let better = match m.latest.get(&ix) {
                Some(&j) => snapshots[j].date <= s.date,
                None => true,
            };
            if better {
                m.latest.insert(ix, i);
            }
        }
    }
    m.unmatched_companies = unmatched.into_iter().collect();
    m.unmatched_clients =
        active.iter().filter(|ix| !m.latest.contains_key(ix)).map(|&ix| clients[ix as usize].id.clone()).collect();
    m
}

/// The band (1 safest … `bands`) of each client's payment score at each of `dates`, from its
/// latest snapshot on or before that date (`match_clients` as of the date: nothing later is
/// read); 0 where it has none. One list per `active` client, in its order. Bands split the
/// configured scale in equal parts, whichever direction is safer.
pub fn payment_bands(
    clients: &[Client],
    active: &[ClientIx],
    snapshots: &[Snapshot],
    settings: &BureauSettings,
    dates: &[NaiveDate],
    bands: usize,
) -> Vec<Vec<u8>> {
    let mut out = vec![vec![0u8; dates.len()]; active.len()];
    if snapshots.is_empty() || bands == 0 {
        return out;
    }
    let position: HashMap<ClientIx, usize> = active.iter().enumerate().map(|(i, &ix)| (ix, i)).collect();
    for (d, &date) in dates.iter().enumerate() {
        let matched = match_clients(clients, active, snapshots, settings, &[], date);
        for (ix, &k) in &matched.latest {
            let (Some(&i), Some(v)) = (position.get(ix), snapshots[k].bureau.payment_score) else { continue };
            let badness = settings.badness_of(ScoreKind::PaymentScore, v);
            out[i][d] = 1 + ((badness * bands as f64) as usize).min(bands - 1) as u8;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_vocabulary_reads_three_languages() {
        let s = BureauSettings::default();
        assert_eq!(s.status_of("Faillissement"), Some(Status::Bankrupt));
        assert_eq!(s.status_of("faillite"), Some(Status::Bankrupt));
        assert_eq!(s.status_of("Gerechtelijke reorganisatie"), Some(Status::Reorganisation));
        assert_eq!(s.status_of("Surseance van betaling"), Some(Status::Reorganisation));
        assert_eq!(s.status_of("Actief"), Some(Status::Active));
        assert_eq!(s.status_of("sleeping"), None);
    }

    #[test]
    fn ratings_and_not_rated() {
        let s = BureauSettings::default();
        assert_eq!(s.rating_of("aaa"), Ok(Some(0)));
        assert_eq!(s.rating_of("D"), Ok(Some(9)));
        assert_eq!(s.rating_of("NR"), Ok(None));
        assert!(s.rating_of("Z").unwrap_err().to_string().contains("AAA"));
    }

    #[test]
    fn scales_and_directions() {
        let mut s = BureauSettings::default();
        let score = ScoreKind::Score;
        assert_eq!(s.badness_of(score, 100.0), 0.0);
        assert_eq!(s.badness_of(score, 25.0), 0.75);
        assert_eq!(s.badness_of(score, 150.0), 0.0);
        s.score_higher_is_safer = false;
        s.score_scale = [1.0, 5.0];
        assert_eq!(s.badness_of(score, 5.0), 1.0);
        assert_eq!(s.badness_of(score, 2.0), 0.25);
        // The discontinuation score is the chance of stopping: higher is worse.
        assert_eq!(s.badness_of(ScoreKind::Discontinuation, 80.0), 0.8);
        assert_eq!(s.badness_of(ScoreKind::Growth, 80.0), 0.19999999999999996);
    }

    #[test]
    fn values_outside_their_scale_are_named_with_the_scale() {
        let mut s = BureauSettings::default();
        assert_eq!(s.out_of_scale(ScoreKind::PaymentScore, 10.0), None);
        assert_eq!(
            s.out_of_scale(ScoreKind::PaymentScore, 55.0).as_deref(),
            Some("bureau payment score 55 is outside the configured scale 0–10 ([bureau] payment_score_scale)")
        );
        assert!(s.out_of_scale(ScoreKind::Discontinuation, -1.0).unwrap().contains("discontinuation_score_scale"));
        assert!(s.out_of_scale(ScoreKind::Growth, f64::NAN).is_some(), "no value is on a scale without order");
        s.growth_score_scale = [1.0, 10.0];
        assert_eq!(s.out_of_scale(ScoreKind::Growth, 10.0), None);
        s.growth_score_scale = [10.0, 1.0];
        assert_eq!(s.check().unwrap_err().key, "[bureau] growth_score_scale");
    }

    #[test]
    fn credit_flags_in_three_languages_and_only_three_flags() {
        let mut s = BureauSettings::default();
        assert_eq!(s.credit_flag_of(" Oranje "), Some(CreditFlag::Orange));
        assert_eq!(s.credit_flag_of("rouge"), Some(CreditFlag::Red));
        assert_eq!(s.credit_flag_of("purple"), None);
        assert!(CreditFlag::Green < CreditFlag::Orange && CreditFlag::Orange < CreditFlag::Red);
        s.credit_flag.insert("blue".into(), vec!["blauw".into()]);
        assert_eq!(s.check().unwrap_err().to_string(), "[bureau.credit_flag] key = \"blue\": use green, orange or red");
    }

    fn snap(company: &str, date: &str) -> Snapshot {
        Snapshot {
            company: crate::model::company_number::normalise_company_number(company).ok(),
            raw_company: company.into(),
            client_id: None,
            date: NaiveDate::parse_from_str(date, "%Y-%m-%d").unwrap(),
            bureau: BureauFields::default(),
            origin: Origin::default(),
        }
    }

    #[test]
    fn payment_bands_read_the_latest_score_on_or_before_each_date_in_thirds_of_the_scale() {
        let client = |id: &str, n: &str| Client {
            id: id.into(),
            name: id.into(),
            company_number: crate::model::company_number::normalise_company_number(n).ok(),
        };
        let clients = vec![client("K1", "BE0403019261"), client("K2", "BE0417497106"), client("K3", "")];
        let scored = |n: &str, date: &str, v: f64| {
            let mut s = snap(n, date);
            s.bureau.payment_score = Some(v);
            s
        };
        // K1: 9 of 10 (safe) in August, 2 of 10 (risky) from the end of October on; K2: 5 once.
        let snaps = vec![
            scored("0403019261", "2026-08-31", 9.0),
            scored("0403019261", "2026-10-31", 2.0),
            scored("0417497106", "2026-09-30", 5.0),
        ];
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let dates = [d("2026-10-31"), d("2026-09-30"), d("2026-07-31")];
        let settings = BureauSettings::default();
        let b = payment_bands(&clients, &[0, 1, 2], &snaps, &settings, &dates, 3);
        assert_eq!(b, vec![vec![3, 1, 0], vec![2, 2, 0], vec![0, 0, 0]]);
        // A scale where lower is safer turns the bands round.
        let settings = BureauSettings { payment_score_higher_is_safer: false, ..BureauSettings::default() };
        let b = payment_bands(&clients, &[0, 1, 2], &snaps, &settings, &dates, 3);
        assert_eq!(b[0], vec![1, 3, 0]);
    }

    #[test]
    fn matching_by_number_link_and_latest_date() {
        let clients = vec![
            Client {
                id: "K1".into(),
                name: "A".into(),
                company_number: crate::model::company_number::normalise_company_number("BE0403019261").ok(),
            },
            Client { id: "K2".into(), name: "B".into(), company_number: None },
            Client { id: "K3".into(), name: "C".into(), company_number: None },
        ];
        let mut settings = BureauSettings::default();
        settings.links.insert("K2".into(), "NL 1234.5678".into());
        let snaps = vec![
            snap("BE 0403.019.261", "2026-08-31"),
            snap("403019261", "2026-09-30"),
            snap("0403019261", "2026-10-31"),
            snap("12345678", "2026-09-30"),
            snap("0417497106", "2026-09-30"),
            snap("0431150351", "2026-09-30"),
        ];
        let as_of = NaiveDate::from_ymd_opt(2026, 9, 30).unwrap();
        let m = match_clients(&clients, &[0, 1, 2], &snaps, &settings, &[], as_of);
        // The latest on or before A, not the one after it.
        assert_eq!(m.latest.get(&0), Some(&1));
        assert_eq!(m.latest.get(&1), Some(&3));
        assert_eq!(m.unmatched_clients, vec!["K3".to_string()]);
        // A valid number of no client, and an invalid number: both reported, neither matched.
        assert_eq!(m.unmatched_companies, vec!["0417497106".to_string(), "0431150351".to_string()]);
        // Watched, the valid one is matched to its watchlist entry and no longer unmatched; a
        // client's company stays the client's even when it is watched too.
        let watch = [
            Watched {
                company: crate::model::company_number::normalise_company_number("0417497106").unwrap(),
                name: "Supplier".into(),
                role: watchlist::Role::Supplier,
            },
            Watched {
                company: crate::model::company_number::normalise_company_number("0403019261").unwrap(),
                name: "Client too".into(),
                role: watchlist::Role::Prospect,
            },
        ];
        let m = match_clients(&clients, &[0, 1, 2], &snaps, &settings, &watch, as_of);
        assert_eq!(m.watched, BTreeMap::from([(0, 4)]));
        assert_eq!(m.unmatched_companies, vec!["0431150351".to_string()]);
        assert_eq!(m.latest.get(&0), Some(&1));
    }
}
