//! Alerts: what changed for each client since the previous run, risks and opportunities alike,
//! each with its previous and current value and a sentence a controller can forward.

use super::history::Entry;
use crate::bureau::watchlist::Role;
use crate::bureau::{BureauSettings, CreditFlag, ScoreKind, Status};
use crate::locale::Lang;
use crate::model::{Currency, Money, SharedNames};
use std::collections::BTreeMap;

/// How urgent an alert is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Act now: bankruptcy, WCO, a client turning critical.
    Critical,
    /// Act this week.
    High,
    /// Look at it this month.
    Medium,
    /// For information.
    Low,
}

impl Severity {
    /// The severity in a report's language (the data files write `label`).
    pub fn words(self, lang: Lang) -> &'static str {
        lang.pick(match self {
            Severity::Critical => ["critical", "kritiek", "critique"],
            Severity::High => ["high", "hoog", "élevée"],
            Severity::Medium => ["medium", "matig", "moyenne"],
            Severity::Low => ["low", "laag", "faible"],
        })
    }

    /// The severity as the data files write it.
    pub fn label(self) -> &'static str {
        match self {
            Severity::Critical => "critical",
            Severity::High => "high",
            Severity::Medium => "medium",
            Severity::Low => "low",
        }
    }
}

/// What an alert is about: one kind per rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum AlertKind {
    /// The client appears in the bureau file.
    BureauNew,
    /// The client is no longer in the bureau file.
    BureauGone,
    /// Its legal status changed.
    BureauStatus,
    /// Its credit limit was cut or raised.
    CreditLimit,
    /// Its bureau score moved.
    Score,
    /// Its bureau payment score moved.
    PaymentScore,
    /// Its growth score moved.
    GrowthScore,
    /// Its discontinuation score moved.
    DiscontinuationScore,
    /// Its credit flag changed.
    CreditFlag,
    /// Its rating was up- or downgraded.
    Rating,
    /// Its registered address changed.
    Address,
    /// Its board changed.
    Board,
    /// Its registered name changed.
    Name,
    /// Its legal form changed.
    LegalForm,
    /// Its exposure crossed its credit limit.
    OverLimit,
    /// Its WADL moved.
    Wadl,
    /// It pays later and later.
    PayingLater,
    /// Its share of invoices paid late jumped.
    LateRatio,
    /// A first invoice is more than 90 days past due.
    Overdue91,
    /// Its agreed payment terms lengthened.
    PaymentTerms,
    /// Its countback DSO moved.
    Dso,
    /// Its risk tier moved.
    RiskTier,
    /// It pays the other creditors of a pool markedly later than this one, or later than the
    /// month before.
    PaysOthersLate,
    /// It broke a promise to pay since the last run (the collector's log).
    PromiseBroken,
    /// A dispute about one of its invoices has lasted longer than allowed (the collector's log).
    LongDispute,
}

impl AlertKind {
    /// What changed, in a report's language (the data files write `code`).
    // Long on purpose: one line per kind, its words in the three languages side by side.
    pub fn words(self, lang: Lang) -> &'static str {
        lang.pick(match self {
            AlertKind::BureauNew => ["new at the bureau", "nieuw bij het bureau", "nouveau au bureau"],
            AlertKind::BureauGone => ["gone from the bureau", "niet meer bij het bureau", "disparu du bureau"],
            AlertKind::BureauStatus => ["status", "status", "statut"],
            AlertKind::CreditLimit => ["credit limit", "kredietlimiet", "limite de crédit"],
            AlertKind::Score => ["score", "score", "score"],
            AlertKind::PaymentScore => ["payment score", "betalingsscore", "score de paiement"],
            AlertKind::GrowthScore => ["growth score", "groeiscore", "score de croissance"],
            AlertKind::DiscontinuationScore => ["discontinuation score", "opheffingsscore", "score de cessation"],
            AlertKind::CreditFlag => ["credit flag", "kredietvlag", "drapeau de crédit"],
            AlertKind::Rating => ["rating", "rating", "notation"],
            AlertKind::Address => ["address", "adres", "adresse"],
            AlertKind::Board => ["board", "bestuur", "conseil d'administration"],
            AlertKind::Name => ["name", "naam", "nom"],
            AlertKind::LegalForm => ["legal form", "rechtsvorm", "forme juridique"],
            AlertKind::OverLimit => ["over its credit limit", "boven de kredietlimiet", "au-delà de la limite"],
            AlertKind::Wadl => ["average days late", "gemiddelde dagen te laat", "retard moyen (jours)"],
            AlertKind::PayingLater => ["paying later", "betaalt later", "paie plus tard"],
            AlertKind::LateRatio => ["share paid late", "aandeel te laat betaald", "part payée en retard"],
            AlertKind::Overdue91 => {
                ["over 90 days past due", "meer dan 90 dagen vervallen", "échu depuis plus de 90 jours"]
            }
            AlertKind::PaymentTerms => ["payment terms", "betalingstermijn", "délai de paiement"],
            AlertKind::Dso => ["DSO", "DSO", "DSO"],
            AlertKind::RiskTier => ["risk tier", "risicoklasse", "classe de risque"],
            AlertKind::PaysOthersLate => ["pays others late", "betaalt anderen te laat", "paie les autres en retard"],
            AlertKind::PromiseBroken => {
                ["promise to pay broken", "betalingsbelofte gebroken", "promesse de paiement non tenue"]
            }
            AlertKind::LongDispute => ["long dispute", "langdurige betwisting", "litige prolongé"],
        })
    }

    /// The name in `alerts.csv` and the reports: an interface other tools match on.
    pub fn code(self) -> &'static str {
        match self {
            AlertKind::BureauNew => "bureau_new",
            AlertKind::BureauGone => "bureau_gone",
            AlertKind::BureauStatus => "bureau_status",
            AlertKind::CreditLimit => "credit_limit",
            AlertKind::Score => "score",
            AlertKind::PaymentScore => "payment_score",
            AlertKind::GrowthScore => "growth_score",
            AlertKind::DiscontinuationScore => "discontinuation_score",
            AlertKind::CreditFlag => "credit_flag",
            AlertKind::Rating => "rating",
            AlertKind::Address => "address",
            AlertKind::Board => "board",
            AlertKind::Name => "name",
            AlertKind::LegalForm => "legal_form",
            AlertKind::OverLimit => "over_limit",
            AlertKind::Wadl => "wadl",
            AlertKind::PayingLater => "paying_later",
            AlertKind::LateRatio => "late_ratio",
            AlertKind::Overdue91 => "overdue_91",
            AlertKind::PaymentTerms => "payment_terms",
            AlertKind::Dso => "dso",
            AlertKind::RiskTier => "risk_tier",
            AlertKind::PaysOthersLate => "pays_others_late",
            AlertKind::PromiseBroken => "promise_broken",
            AlertKind::LongDispute => "long_dispute",
        }
    }
}

impl std::fmt::Display for AlertKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

/// One change worth telling.
#[derive(Clone, Debug, PartialEq)]
pub struct Alert {
    /// The client's id (a watched company's number).
    pub client_id: String,
    /// Its name.
    pub client_name: String,
    /// A client, or a watched company's role.
    pub role: Role,
    /// What changed.
    pub kind: AlertKind,
    /// `true` for a risk, `false` for an opportunity.
    pub risk: bool,
    /// How urgent it is.
    pub severity: Severity,
    /// The value before, as text.
    pub previous: String,
    /// The value now, as text.
    pub current: String,
    /// A sentence a controller can forward.
    pub message: String,
}

impl Alert {
    /// `risk` or `opportunity`, as the data files write it.
    pub fn direction(&self) -> &'static str {
        if self.risk { "risk" } else { "opportunity" }
    }

    /// The same in a report's language.
    pub fn direction_words(&self, lang: Lang) -> &'static str {
        if self.risk {
            lang.pick(["risk", "risico", "risque"])
        } else {
            lang.pick(["opportunity", "kans", "opportunité"])
        }
    }
}

fn num(v: Option<f64>) -> String {
    v.map(|x| format!("{x:.1}")).unwrap_or_default()
}

/// One client's previous and current entries, the settings, and the alerts found so far.
struct Change<'a> {
    p: &'a Entry,
    c: &'a Entry,
    /// The client as messages name it.
    name: String,
    t: &'a Thresholds,
    /// How the bureau's scores read (scales and directions).
    bureau: &'a BureauSettings,
    currency: Currency,
    out: &'a mut Vec<Alert>,
}

impl Change<'_> {
    fn push(
        &mut self,
        kind: AlertKind,
        risk: bool,
        severity: Severity,
        previous: String,
        current: String,
        message: String,
    ) {
        // A change whose before and after read the same is no change to tell.
        if !previous.is_empty() && previous == current {
            return;
        }
        self.out.push(Alert {
            client_id: self.c.client_id.clone(),
            client_name: self.c.client_name.clone(),
            role: self.c.role,
            kind,
            risk,
            severity,
            previous,
            current,
            message,
        });
    }

    /// Money in the reporting currency's own digits (JPY has none, KWD three).
    fn money(&self, v: i64) -> String {
        Money::new(v, self.currency).to_string()
    }

    /// Both runs had the client in the bureau file.
    fn in_bureau(&self) -> bool {
        self.p.in_bureau && self.c.in_bureau
    }

    /// The balance, now or before, is large enough for ledger alerts: small balances swing
    /// without meaning.
    fn material(&self) -> bool {
        let unit = 10f64.powi(self.currency.minor_digits() as i32);
        self.p.net_ar.minor().max(self.c.net_ar.minor()) as f64 >= self.t.min_net_ar * unit
    }
}

/// A rule: looks at one client's change and pushes the alerts it finds.
type Rule = fn(&mut Change<'_>);

/// Every rule, the bureau's first, then the ledger's.
const RULES: [Rule; 18] = [
    bureau_presence,
    bureau_status,
    credit_limit,
    scores,
    credit_flag,
    rating,
    registry,
    over_limit,
    wadl,
    paying_later,
    late_ratio,
    overdue_91,
    payment_terms,
    dso,
    risk_tier,
    pays_others_late,
    promise_broken,
    long_dispute,
];

/// Compares the current run with the previous one, client by client (and watched company by
/// watched company), rule by rule; `bureau` says how the scores read (scales and directions).
/// Sorted: clients, then the watchlist by role; within each, severity, risks before
/// opportunities, then client and kind.
pub fn compare(
    prev: &BTreeMap<String, Entry>,
    cur: &[Entry],
    t: &Thresholds,
    bureau: &BureauSettings,
    currency: Currency,
) -> Vec<Alert> {
    let mut out = Vec::new();
    // Clients that share a name are told apart by their id, as every report lists them.
    let shared = SharedNames::of(cur.iter().filter(|c| c.role == Role::Client).map(|c| c.client_name.as_str()));
    let none = SharedNames::default();
    for c in cur {
        let Some(p) = prev.get(&c.client_id) else { continue };
        let names = if c.role == Role::Client { &shared } else { &none };
        let name = names.label(&c.client_id, &c.client_name).into_owned();
        let mut change = Change { p, c, name, t, bureau, currency, out: &mut out };
        let first = change.out.len();
        for rule in RULES {
            rule(&mut change);
        }
        // One event, one alert: a client paying later and later says, with its trend, what a
        // WADL that rose says alone.
        if out[first..].iter().any(|a| a.kind == AlertKind::PayingLater) {
            let mut mine = out.split_off(first);
            mine.retain(|a| !(a.kind == AlertKind::Wadl && a.risk));
            out.append(&mut mine);
        }
    }
    // Clients first, then each role of the watchlist: its own section.
    out.sort_by(|a, b| {
        (a.role, a.severity, !a.risk, &a.client_id, a.kind.code()).cmp(&(
            b.role,
            b.severity,
            !b.risk,
            &b.client_id,
            b.kind.code(),
        ))
    });
    out
}

/// The client appears in, or disappears from, the bureau file.
fn bureau_presence(x: &mut Change<'_>) {
    let (p, c, name) = (x.p, x.c, x.name.clone());
    match (p.in_bureau, c.in_bureau) {
        (false, true) => x.push(
            AlertKind::BureauNew,
            false,
            Severity::Low,
            String::new(),
            status_label(c.bureau.status).to_string(),
            format!("{name} now appears in the bureau file"),
        ),
        (true, false) => x.push(
            AlertKind::BureauGone,
            true,
            Severity::Medium,
            status_label(p.bureau.status).to_string(),
            String::new(),
            format!("{name} is no longer in the bureau file: monitoring has stopped"),
        ),
        _ => {}
    }
}

/// A change of legal status: any status but active is distress.
fn bureau_status(x: &mut Change<'_>) {
    let (p, c, name) = (x.p, x.c, x.name.clone());
    let Some(now) = c.bureau.status else { return };
    if !x.in_bureau() || p.bureau.status == c.bureau.status {
        return;
    }
    let distress = now != Status::Active;
    let severity = if distress { Severity::Critical } else { Severity::Medium };
    x.push(
        AlertKind::BureauStatus,
        distress,
        severity,
        status_label(p.bureau.status).to_string(),
        now.label().to_string(),
        format!("{name}: legal status changed from {} to {}", or_unknown(status_label(p.bureau.status)), now.label()),
    );
}

/// The credit limit cut or raised by at least the threshold; a cut by half or more is high.
fn credit_limit(x: &mut Change<'_>) {
    let (Some(a), Some(b), true) =
        (x.p.bureau.credit_limit.map(Money::minor), x.c.bureau.credit_limit.map(Money::minor), x.in_bureau())
    else {
        return;
    };
    let change = if a > 0 {
        (b - a) as f64 / a as f64
    } else if b > 0 {
        1.0
    } else {
        0.0
    };
    if change.abs() < x.t.credit_limit_change {
        return;
    }
    let cut = b < a;
    let message = format!(
        "{}: credit limit {} from {} to {} ({:+.0} %)",
        x.name,
        if cut { "cut" } else { "raised" },
        x.money(a),
        x.money(b),
        change * 100.0
    );
    let severity = if cut && change <= -0.5 { Severity::High } else { Severity::Medium };
    let (previous, current) = (x.money(a), x.money(b));
    x.push(AlertKind::CreditLimit, cut, severity, previous, current, message);
}

/// Each bureau score moved by at least its share of its scale: a risk when it moved the
/// unsafe way (down for a score where higher is safer, up for the discontinuation score), an
/// opportunity otherwise.
fn scores(x: &mut Change<'_>) {
    if !x.in_bureau() {
        return;
    }
    let (p, c, t, b) = (x.p, x.c, x.t, x.bureau);
    for (kind, alert, threshold) in [
        (ScoreKind::Score, AlertKind::Score, t.score_change),
        (ScoreKind::PaymentScore, AlertKind::PaymentScore, t.payment_score_change),
        (ScoreKind::Growth, AlertKind::GrowthScore, t.growth_score_change),
        (ScoreKind::Discontinuation, AlertKind::DiscontinuationScore, t.discontinuation_score_change),
    ] {
        let [lo, hi] = b.scale(kind);
        if let (Some(a), Some(v)) = (score_of(p, kind), score_of(c, kind))
            && (v - a).abs() >= threshold * (hi - lo)
            && (v - a).abs() > 0.0
        {
            let worse = if b.higher_is_safer(kind) { v < a } else { v > a };
            let verb = match (worse, v < a) {
                (true, true) => "fell",
                (true, false) => "rose",
                (false, _) => "improved",
            };
            let message = format!("{}: {} {verb} from {a} to {v}", x.name, kind.words(Lang::En));
            x.push(alert, worse, Severity::Medium, format!("{a}"), format!("{v}"), message);
        }
    }
}

/// A register field as text, empty when the bureau gave none.
fn text(t: &Option<String>) -> &str {
    t.as_deref().unwrap_or("")
}

/// An entry's value of a score.
fn score_of(e: &Entry, kind: ScoreKind) -> Option<f64> {
    match kind {
        ScoreKind::Score => e.bureau.score,
        ScoreKind::PaymentScore => e.bureau.payment_score,
        ScoreKind::Growth => e.bureau.growth_score,
        ScoreKind::Discontinuation => e.bureau.discontinuation_score,
    }
}

/// The bureau's credit flag changed: towards red a risk (to red is high), towards green an
/// opportunity.
fn credit_flag(x: &mut Change<'_>) {
    let (p, c) = (x.p, x.c);
    let Some(now) = c.bureau.credit_flag else { return };
    if !x.in_bureau() || p.bureau.credit_flag == c.bureau.credit_flag {
        return;
    }
    let worse = p.bureau.credit_flag.map_or(now != CreditFlag::Green, |before| now > before);
    let severity = match (worse, now) {
        (true, CreditFlag::Red) => Severity::High,
        (true, _) => Severity::Medium,
        (false, _) => Severity::Low,
    };
    let before = p.bureau.credit_flag.map_or("", CreditFlag::label);
    let message = format!("{}: credit flag changed from {} to {}", x.name, or_unknown(before), now.label());
    x.push(AlertKind::CreditFlag, worse, severity, before.to_string(), now.label().to_string(), message);
}

/// A rating up- or downgrade; two notches down or more is high.
fn rating(x: &mut Change<'_>) {
    let (p, c) = (x.p, x.c);
    if !x.in_bureau() || p.bureau.rating == c.bureau.rating || (p.bureau.rating.is_none() && c.bureau.rating.is_none())
    {
        return;
    }
    let (a, b) = (p.bureau.rating.map(|r| r as i64), c.bureau.rating.map(|r| r as i64));
    let (worse, notches) = match (a, b) {
        (Some(a), Some(b)) => (b > a, (b - a).abs()),
        (None, Some(_)) => (false, 0),
        (Some(_), None) => (true, 0),
        (None, None) => (false, 0),
    };
    let message = format!(
        "{}: rating {} from {} to {}",
        x.name,
        if worse { "downgraded" } else { "upgraded" },
        or_unknown(text(&p.bureau.rating_label)),
        or_unknown(text(&c.bureau.rating_label))
    );
    let severity = if worse && notches >= 2 { Severity::High } else { Severity::Medium };
    let (before, after) = (text(&p.bureau.rating_label).to_string(), text(&c.bureau.rating_label).to_string());
    x.push(AlertKind::Rating, worse, severity, before, after, message);
}

/// What the company register says: address, board, name, legal form.
fn registry(x: &mut Change<'_>) {
    if !x.in_bureau() {
        return;
    }
    let (p, c) = (x.p, x.c);
    for (kind, label, a, b, severity) in [
        (AlertKind::Address, "address", &p.bureau.address, &c.bureau.address, Severity::Low),
        (AlertKind::Board, "board", &p.bureau.board, &c.bureau.board, Severity::Medium),
        (AlertKind::Name, "registered name", &p.bureau.name, &c.bureau.name, Severity::Low),
        (AlertKind::LegalForm, "legal form", &p.bureau.legal_form, &c.bureau.legal_form, Severity::Low),
    ] {
        let (a, b) = (text(a), text(b));
        if a != b && !(a.is_empty() && b.is_empty()) {
            let message = format!("{}: {label} changed from {} to {}", x.name, or_unknown(a), or_unknown(b));
            x.push(kind, true, severity, a.to_string(), b.to_string(), message);
        }
    }
}

/// Exposure crossing the credit limit, either way.
fn over_limit(x: &mut Change<'_>) {
    let (p, c) = (x.p, x.c);
    let (Some(l0), Some(l1), true) =
        (p.bureau.credit_limit.map(Money::minor), c.bureau.credit_limit.map(Money::minor), x.in_bureau())
    else {
        return;
    };
    // Exposure against the limit, before and after: either may have moved.
    let against = |exposure: i64, limit: i64| format!("{} / {}", x.money(exposure), x.money(limit));
    let (e0, e1) = (p.net_ar.minor(), c.net_ar.minor());
    let (previous, current, now, limit) = (against(e0, l0), against(e1, l1), x.money(e1), x.money(l1));
    match (e0 > l0, e1 > l1) {
        (false, true) => {
            let message = format!("{}: exposure {now} is now over the credit limit of {limit}", x.name);
            x.push(AlertKind::OverLimit, true, Severity::High, previous, current, message)
        }
        (true, false) => {
            let message = format!("{}: exposure {now} is back within the credit limit of {limit}", x.name);
            x.push(AlertKind::OverLimit, false, Severity::Low, previous, current, message)
        }
        _ => {}
    }
}

/// WADL (12 months) moved by at least the threshold, either way.
fn wadl(x: &mut Change<'_>) {
    let (Some(a), Some(b), true) = (x.p.wadl_12m, x.c.wadl_12m, x.material()) else { return };
    if (b - a).abs() < x.t.wadl_change_days {
        return;
    }
    let worse = b > a;
    let message = format!(
        "{}: pays {} on average, {b:.1} days late instead of {a:.1}",
        x.name,
        if worse { "later" } else { "sooner" }
    );
    x.push(AlertKind::Wadl, worse, Severity::Medium, num(Some(a)), num(Some(b)), message);
}

/// WADL up since the last run, high enough, and rising steadily over six months.
fn paying_later(x: &mut Change<'_>) {
    let (Some(a), Some(b), true) = (x.p.wadl_12m, x.c.wadl_12m, x.material()) else { return };
    let slope = x.c.wadl_slope_6m;
    if b > a && b >= x.t.paying_later_min_wadl && slope.is_some_and(|s| s >= x.t.paying_later_days_per_month) {
        let message = format!(
            "{} is paying later and later: WADL rising {:.1} days a month over 6 months, now {b:.1} days",
            x.name,
            slope.unwrap_or(0.0)
        );
        x.push(AlertKind::PayingLater, true, Severity::Medium, num(Some(a)), num(Some(b)), message);
    }
}

/// The share of invoices paid late jumped.
fn late_ratio(x: &mut Change<'_>) {
    let (Some(a), Some(b), true) = (x.p.late_ratio_12m, x.c.late_ratio_12m, x.material()) else { return };
    if b - a >= x.t.late_ratio_jump {
        let message =
            format!("{}: share of invoices paid late rose from {:.0} % to {:.0} %", x.name, a * 100.0, b * 100.0);
        x.push(AlertKind::LateRatio, true, Severity::Medium, format!("{a:.4}"), format!("{b:.4}"), message);
    }
}

/// A first invoice more than 90 days past due (whatever the balance).
fn overdue_91(x: &mut Change<'_>) {
    if x.p.overdue_91_plus.minor() == 0 && x.c.overdue_91_plus.minor() > 0 {
        let open = x.money(x.c.overdue_91_plus.minor());
        let message = format!("{}: a first invoice is more than 90 days past due ({open} open)", x.name);
        let previous = x.money(0);
        x.push(AlertKind::Overdue91, true, Severity::Medium, previous, open, message);
    }
}

/// Longer agreed payment terms on average.
fn payment_terms(x: &mut Change<'_>) {
    let (Some(a), Some(b), true) = (x.p.avg_terms_days, x.c.avg_terms_days, x.material()) else { return };
    if b - a >= x.t.terms_increase_days {
        let message = format!("{}: agreed payment terms lengthened from {a:.0} to {b:.0} days on average", x.name);
        x.push(AlertKind::PaymentTerms, true, Severity::Medium, num(Some(a)), num(Some(b)), message);
    }
}

/// Countback DSO moved by both the days and the share thresholds.
fn dso(x: &mut Change<'_>) {
    let (Some(a), Some(b), true) = (x.p.dso_countback, x.c.dso_countback, x.material()) else { return };
    // From nothing owed, a first invoice raises the DSO: that is business, not a risk.
    if a <= 0.0 || x.p.net_ar.minor() <= 0 {
        return;
    }
    if (b - a).abs() >= x.t.dso_change_days && (b - a).abs() >= x.t.dso_change_share * a {
        let worse = b > a;
        let message =
            format!("{}: countback DSO {} from {a:.1} to {b:.1} days", x.name, if worse { "rose" } else { "fell" });
        x.push(AlertKind::Dso, worse, Severity::Medium, num(Some(a)), num(Some(b)), message);
    }
}

/// The pool says the client pays the other creditors markedly later than it pays this one
/// (newly so since the last run), or later than the month before: often the first sign that a
/// client keeps its favourite supplier paid while the others wait.
fn pays_others_late(x: &mut Change<'_>) {
    let (p, c) = (x.p, x.c);
    let Some(elsewhere) = c.elsewhere_wadl_12m else { return };
    let n = c.elsewhere_creditors;
    let gap = |e: &Entry| e.elsewhere_wadl_12m.zip(e.wadl_12m).map(|(other, own)| other - own);
    let own = c.wadl_12m.unwrap_or(0.0);
    let now_apart = gap(c).is_some_and(|g| g >= x.t.pays_others_late_gap_days);
    let was_apart = gap(p).is_some_and(|g| g >= x.t.pays_others_late_gap_days);
    let worse = c.elsewhere_wadl_before.map(|b| elsewhere - b).filter(|d| *d >= x.t.pays_others_worse_days);
    let message = match (now_apart && !was_apart, worse) {
        (_, Some(d)) => format!(
            "{}: pays other suppliers later: {elsewhere:.1} days late on average, {d:.1} more than a month before ({n} creditors; you: {own:.1})",
            x.name
        ),
        (true, None) => format!(
            "{}: pays other suppliers {elsewhere:.1} days late on average ({n} creditors), you {own:.1}",
            x.name
        ),
        (false, None) => return,
    };
    let previous = num(c.elsewhere_wadl_before.or(p.elsewhere_wadl_12m));
    x.push(AlertKind::PaysOthersLate, true, Severity::High, previous, num(Some(elsewhere)), message);
}

/// The risk tier moved; up to critical is critical, up to high is high.
fn risk_tier(x: &mut Change<'_>) {
    use crate::analytics::risk::Tier;
    let (p, c) = (x.p, x.c);
    let (Some(a), Some(b)) = (p.risk_tier, c.risk_tier) else { return };
    if a == b {
        return;
    }
    let worse = b > a;
    let severity = match (worse, b) {
        (true, Tier::Critical) => Severity::Critical,
        (true, Tier::High) => Severity::High,
        (true, _) => Severity::Medium,
        (false, _) => Severity::Low,
    };
    let message =
        format!("{}: risk tier {} from {} to {}", x.name, if worse { "up" } else { "down" }, a.label(), b.label());
    x.push(AlertKind::RiskTier, worse, severity, a.label().to_string(), b.label().to_string(), message);
}

/// A legal status as alerts write it: its label, empty when unknown.
fn status_label(s: Option<Status>) -> &'static str {
    s.map_or("", Status::label)
}

fn or_unknown(s: &str) -> &str {
    if s.is_empty() { "(none)" } else { s }
}

/// A promise to pay broken since the last run: one whose promised date is later than that of
/// the latest broken promise the last run knew.
fn promise_broken(x: &mut Change<'_>) {
    let Some(by) = x.c.last_broken_promise else { return };
    if x.p.last_broken_promise.is_some_and(|p| p >= by) {
        return;
    }
    let message = format!("{}: broke its promise to pay by {by}", x.name);
    let previous = x.p.last_broken_promise.map(|d| d.to_string()).unwrap_or_default();
    x.push(AlertKind::PromiseBroken, true, Severity::High, previous, by.to_string(), message);
}

/// A dispute that has now lasted `long_dispute_days`, and had not at the last run.
fn long_dispute(x: &mut Change<'_>) {
    let Some(days) = x.c.longest_dispute_days else { return };
    let limit = x.t.long_dispute_days;
    if (days as f64) < limit || x.p.longest_dispute_days.is_some_and(|d| d as f64 >= limit) {
        return;
    }
    let message = format!("{}: an invoice has been in dispute for {days} days (the limit is {limit:.0})", x.name);
    let previous = x.p.longest_dispute_days.map(|d| d.to_string()).unwrap_or_default();
    x.push(AlertKind::LongDispute, true, Severity::Medium, previous, days.to_string(), message);
}

#[cfg(test)]
mod tests;
mod thresholds;

pub use thresholds::Thresholds;
