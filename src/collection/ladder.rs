//! The collection ladder: the dunning steps every overdue invoice goes through (first reminder,
//! second reminder, formal notice, handover), which step each invoice is at given the reminder
//! log, the next action and its date, and the steps that are overdue. An insolvent client is no
//! collection case: its action is to file the claim in the insolvency proceedings.

use super::error::CollectionError;
use super::handover::{Compensation, HandoverSettings, Reminder};
use super::interest::{Jurisdiction, Rates, statutory_interest};
use crate::analytics::Analysis;
use crate::analytics::outlook::Outlook;
use crate::analytics::promise::{Promises, Standing};
use crate::analytics::risk::Tier;
use crate::bureau::Status;
use crate::locale::Lang;
use crate::model::{Money, Roster};
use crate::monitor::{Assessment, ClientView};
use crate::toml_source::SettingError;
use chrono::{Duration, NaiveDate};
use serde::Deserialize;
use std::borrow::Cow;
use std::collections::BTreeMap;

/// A step's name in the report languages.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Names {
    /// English.
    pub en: String,
    /// Dutch.
    pub nl: String,
    /// French.
    pub fr: String,
}

impl Names {
    /// The name in a language.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.en,
            Lang::Nl => &self.nl,
            Lang::Fr => &self.fr,
        }
    }
}

/// One step of the ladder.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// Days after the due date the step is due.
    pub days: i64,
    /// Its name.
    pub name: Names,
}

/// `[ladder]` in the configuration.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct LadderSettings {
    /// The steps, in order; the last is the handover to a collection partner.
    pub steps: Vec<Step>,
    /// Whether the handover is off (`[handover] enabled = false`, set when the configuration
    /// loads): the last step is then named as off, and says why nothing is handed over.
    #[serde(skip)]
    pub handover_off: bool,
    /// An invoice whose chance of being collected within 13 weeks (the forecast) is below
    /// this goes to the handover as soon as the step before it is due, instead of waiting
    /// for the last step's day; 0 turns it off.
    pub forecast_handover_below: f64,
    /// Days after a promised date that a payment still keeps the promise (the bank's days,
    /// a weekend); the ladder waits for a live promise until then.
    pub promise_grace_days: u32,
}

impl Default for LadderSettings {
    fn default() -> Self {
        let step = |days, en: &str, nl: &str, fr: &str| Step {
            days,
            name: Names { en: en.into(), nl: nl.into(), fr: fr.into() },
        };
        LadderSettings {
            steps: vec![
                step(7, "first reminder", "eerste herinnering", "premier rappel"),
                step(21, "second reminder", "tweede herinnering", "second rappel"),
                step(35, "formal notice", "ingebrekestelling", "mise en demeure"),
                step(60, "handover to collection", "overdracht aan incasso", "transmission au recouvrement"),
            ],
            handover_off: false,
            forecast_handover_below: 0.1,
            promise_grace_days: 3,
        }
    }
}

impl LadderSettings {
    /// Refuses a ladder without steps or whose steps are not in increasing days.
    pub fn check(&self) -> Result<(), SettingError> {
        let days: Vec<i64> = self.steps.iter().map(|s| s.days).collect();
        let steps = || SettingError::shown("[ladder] steps, days", format!("{days:?}"), "");
        if self.steps.is_empty() {
            return Err(SettingError {
                problem: "needs at least one step (the last is the handover)".into(),
                ..steps()
            });
        }
        if days.windows(2).any(|w| w[0] >= w[1]) || days[0] < 0 {
            return Err(SettingError {
                problem: "steps must come in increasing days after the due date, from 0".into(),
                ..steps()
            });
        }
        if !(0.0..=1.0).contains(&self.forecast_handover_below) {
            return Err(SettingError::shown(
                "[ladder] forecast_handover_below",
                self.forecast_handover_below,
                "is a chance from 0 to 1, for example 0.1; 0 turns it off",
            ));
        }
        Ok(())
    }
}

/// Payments the forecast must have learnt from before the ladder acts on it.
pub const MIN_FORECAST_HISTORY: u64 = 100;

/// What to do about an invoice.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    /// File the claim in the insolvency proceedings (bankruptcy, judicial reorganisation).
    FileClaim,
    /// Hand over now: the ladder is exhausted, or the client became critical.
    Handover,
    /// Take the ladder's next step.
    Step,
}

impl Kind {
    /// The kind as the data files write it.
    pub fn label(self) -> &'static str {
        match self {
            Kind::FileClaim => "file_claim",
            Kind::Handover => "handover",
            Kind::Step => "step",
        }
    }
}

/// The next action on one overdue invoice. Compact (a million invoices past due at 10 million
/// invoices): the invoice is named by its place in the analysis, and the words are made when
/// the action is drawn ([`Action::action`], [`Action::reason`]).
#[derive(Clone, Debug, PartialEq)]
pub struct Action {
    /// The client's index in the roster.
    pub client: crate::model::ClientIx,
    /// Where the client is in `Analysis::clients`, and the invoice in its open items.
    pub position: u32,
    /// The invoice's index in the client's open items.
    pub item: u32,
    /// Steps taken so far (reminders in the log).
    pub steps_done: u32,
    /// What kind of action.
    pub kind: Kind,
    /// For a step or a handover: the ladder's step.
    pub step: u32,
    /// When it is (or was) due.
    pub date: NaiveDate,
    /// How many days it is overdue (0 when not yet due).
    pub overdue_days: i64,
    /// For a claim to file: principal + statutory interest + compensation (minor units), and
    /// where it is filed.
    pub claim: Option<(i64, Jurisdiction)>,
    /// For a handover the forecast brought forward: the chance of collection within 13 weeks.
    pub unlikely: Option<f64>,
    /// A promise to pay that moved the action: waited for, or broken.
    pub promise: Option<Promised>,
}

/// How a promise to pay in the collector's log moved an action.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Promised {
    /// A live promise to pay by this day: no step before its grace has passed.
    Waits(NaiveDate),
    /// A promise to pay by this day was broken: the next step is due at once.
    Broken(NaiveDate),
}

impl Action {
    /// The action in words, in the report's language for the ladder's steps. With the
    /// handover off, its step says so: the Actions and Handover sheets then agree.
    pub fn action<'a>(&self, ladder: &'a LadderSettings, lang: Lang) -> Cow<'a, str> {
        match self.kind {
            Kind::FileClaim => Cow::Borrowed(match lang {
                Lang::En => "file the claim in the insolvency proceedings",
                Lang::Nl => "schuldvordering indienen in de insolventieprocedure",
                Lang::Fr => "déclarer la créance dans la procédure d'insolvabilité",
            }),
            Kind::Handover if ladder.handover_off => {
                let off = match lang {
                    Lang::En => "off in the configuration",
                    Lang::Nl => "uitgeschakeld in de configuratie",
                    Lang::Fr => "désactivée dans la configuration",
                };
                Cow::Owned(format!("{} ({off})", ladder.steps[self.step as usize].name.get(lang)))
            }
            _ => Cow::Borrowed(ladder.steps[self.step as usize].name.get(lang)),
        }
    }

    /// Why, in words; `client` is the client's view (its status and risk reasons). With the
    /// handover off, a handover's reason says that nothing is handed over, and why.
    pub fn reason(&self, ladder: &LadderSettings, client: &ClientView) -> String {
        let why = self.why(ladder, client);
        if self.kind == Kind::Handover && ladder.handover_off {
            format!("{why}; not handed over: the handover is off ([handover] enabled = false)")
        } else {
            why
        }
    }

    fn why(&self, ladder: &LadderSettings, client: &ClientView) -> String {
        let step = &ladder.steps[self.step as usize].name.en;
        match (self.kind, self.claim) {
            (Kind::FileClaim, Some((_, j))) => format!(
                "{}: no case for a collection agency; file the claim {} within the term the judgment sets",
                client.status.map_or("", Status::label),
                j.insolvency_register()
            ),
            (Kind::Handover, _) if client.risk.tier == Tier::Critical => {
                format!("the client became critical ({})", client.risk.reasons)
            }
            (_, _) if let Some(Promised::Waits(by)) = self.promise => {
                format!("promised to pay by {by}: {step} on {}, when the promise's grace has passed", self.date)
            }
            (_, _) if let Some(Promised::Broken(by)) = self.promise => {
                format!("promise to pay by {by} broken: {step} due at once, for {} days", self.overdue_days)
            }
            (Kind::Handover, _) if self.unlikely.is_some() => format!(
                "{} % likely to be collected within 13 weeks (forecast, below {} %): handed over from the {} day on",
                (self.unlikely.unwrap_or(0.0) * 100.0).round(),
                (ladder.forecast_handover_below * 100.0).round(),
                ladder.steps[ladder.steps.len().saturating_sub(2)].name.en
            ),
            _ if self.step as usize == ladder.steps.len() - 1 && self.steps_done as usize >= self.step as usize => {
                format!("{} reminders sent: the ladder is exhausted", self.steps_done)
            }
            _ if self.overdue_days > 0 => format!("{step} due for {} days", self.overdue_days),
            _ => format!("{step} on {}", self.date),
        }
    }
}

/// The next action on every open invoice past due, the most urgent first: claims to file,
/// handovers, then steps by how long they are overdue.
// Long on purpose: the ladder's rules read in their order of precedence (insolvency, a
// critical client, the ladder itself).
#[allow(clippy::too_many_arguments)]
pub fn actions(
    roster: &Roster,
    analysis: &Analysis,
    assessment: &Assessment,
    reminders: &[Reminder],
    ladder: &LadderSettings,
    handover: &HandoverSettings,
    rates: &Rates,
    compensation: Compensation,
    outlook: &Outlook,
    promises: &Promises,
) -> Result<Vec<Action>, CollectionError> {
    let grace = Duration::days(i64::from(ladder.promise_grace_days));
    let as_of = analysis.as_of;
    let mut done: BTreeMap<(&str, &str), u32> = BTreeMap::new();
    for r in reminders.iter().filter(|r| r.date <= as_of) {
        *done.entry((r.client_id.as_str(), r.document_id.as_str())).or_default() += 1;
    }
    let default = handover.default_jurisdiction;
    let last = (ladder.steps.len() - 1) as u32;
    let mut out = Vec::new();
    for (position, (c, v)) in analysis.clients.iter().zip(&assessment.clients).enumerate() {
        let client = &roster.clients[c.client as usize];
        let insolvent = matches!(v.status, Some(Status::Bankrupt | Status::Reorganisation));
        let snapshot_date = v.snapshot.map(|i| assessment.snapshots[i].date).unwrap_or(as_of);
        let mut claimed = std::collections::BTreeSet::new();
        for (item, o) in c.open_items.iter().enumerate().filter(|(_, o)| o.days_past_due > 0 || insolvent) {
            let steps_done = if done.is_empty() {
                0
            } else {
                done.get(&(client.id.as_str(), o.invoice.document_id.as_str())).copied().unwrap_or(0)
            };
            let step = steps_done.min(last);
            let date = o.invoice.due + Duration::days(ladder.steps[step as usize].days);
            let mut a = Action {
                client: c.client,
                position: position as u32,
                item: item as u32,
                steps_done,
                kind: Kind::Step,
                step,
                date,
                overdue_days: (as_of - date).num_days().max(0),
                claim: None,
                unlikely: None,
                promise: None,
            };
            // The forecast's chance of collection within 13 weeks, for the rule below: only
            // from a history of some size (a handful of payments says little).
            let chance = outlook
                .clients
                .get(position)
                .and_then(|f| f.invoices.get(item))
                .map(|f| f.p_13w)
                .filter(|_| outlook.paid >= MIN_FORECAST_HISTORY);
            // The day the step before the last is due: from then on an invoice the forecast
            // does not expect within 13 weeks is handed over, whatever was sent before.
            let before_last = (last > 0)
                .then(|| o.invoice.due + Duration::days(ladder.steps[last as usize - 1].days))
                .filter(|d| *d <= as_of);
            if insolvent {
                // The claim is what a handover would claim, with interest to the day the
                // bureau reported the proceedings (the judgment date is not an input).
                let j = client.company_number.as_deref().and_then(Jurisdiction::of_company).unwrap_or(default);
                let open = o.invoice.open;
                let interest = statutory_interest(open.minor(), o.invoice.due, snapshot_date.min(as_of), j, rates)?;
                a.kind = Kind::FileClaim;
                a.date = snapshot_date;
                a.overdue_days = 0;
                let compensation = compensation.for_item(&o.invoice, &mut claimed);
                let claim =
                    open + Money::new(interest.amount, open.currency()) + compensation.in_claim(open.currency());
                a.claim = Some((claim.minor(), j));
            } else if v.risk.tier == Tier::Critical {
                a.kind = Kind::Handover;
                a.step = last;
                a.date = as_of;
                a.overdue_days = 0;
            } else if step == last && date <= as_of {
                a.kind = Kind::Handover;
            } else if let (Some(p), Some(d)) = (chance.filter(|p| *p < ladder.forecast_handover_below), before_last) {
                a.kind = Kind::Handover;
                a.step = last;
                a.date = d;
                a.overdue_days = (as_of - d).num_days().max(0);
                a.unlikely = Some(p);
            }
            if !insolvent && v.risk.tier != Tier::Critical {
                let (id, issue) = (o.invoice.document_id.as_str(), o.invoice.issue);
                if let Some(p) = promises.covering(c.client, id, issue, Standing::Live) {
                    // Nothing before the promised day and its grace.
                    a.date = a.date.max(p.by + grace + Duration::days(1));
                    a.overdue_days = (as_of - a.date).num_days().max(0);
                    a.promise = Some(Promised::Waits(p.by));
                    // Not handed over while it waits: the handover pack takes handovers only.
                    if a.kind == Kind::Handover {
                        a.kind = Kind::Step;
                        a.unlikely = None;
                    }
                } else if let Some(p) = promises.covering(c.client, id, issue, Standing::Broken) {
                    // The next step from the day after the broken promise's grace, if sooner (and
                    // never before the invoice is past due).
                    let broke = (p.by + grace).max(o.invoice.due) + Duration::days(1);
                    if broke < a.date {
                        a.date = broke;
                        a.overdue_days = (as_of - broke).num_days().max(0);
                        a.promise = Some(Promised::Broken(p.by));
                    }
                }
            }
            out.push(a);
        }
    }
    out.sort_unstable_by(|a, b| {
        (a.kind, std::cmp::Reverse(a.overdue_days), a.client, a.item).cmp(&(
            b.kind,
            std::cmp::Reverse(b.overdue_days),
            b.client,
            b.item,
        ))
    });
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analytics::promise::Promise;
    use crate::analytics::risk::Risk;
    use crate::analytics::{ClientResult, OpenItem, Position};
    use crate::model::{Client, Currency};
    use crate::monitor::ClientView;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn item(id: &str, due: &str, as_of: NaiveDate) -> OpenItem {
        let eur = Money::new(1_000_00, Currency::EUR);
        OpenItem {
            invoice: Position {
                client: 0,
                document_id: id.into(),
                instalment: 0,
                issue: d(due) - Duration::days(30),
                due: d(due),
                amount: eur,
                open: eur,
            },
            days_past_due: (as_of - d(due)).num_days(),
            bucket: 1,
            disputed: false,
            open_in_currency: eur,
        }
    }

    /// One client with three invoices due 10, 30 and 70 days before A, and its view.
    fn case(tier: Tier, status: Option<Status>) -> (Roster, Analysis, Assessment) {
        let as_of = d("2026-10-31");
        let roster = Roster::new(Vec::new(), vec![Client { id: "K1".into(), name: "A".into(), company_number: None }]);
        let mut analysis = crate::analytics::analyse(
            &Default::default(),
            as_of,
            &Default::default(),
            &crate::fx::Fx::none(Currency::EUR),
        )
        .unwrap();
        let items =
            vec![item("F10", "2026-10-21", as_of), item("F30", "2026-10-01", as_of), item("F70", "2026-08-22", as_of)];
        analysis.clients = vec![ClientResult {
            client: 0,
            figures: analysis.portfolio.clone(),
            open_items: items,
            history: Default::default(),
            warnings: Vec::new(),
        }];
        let view = ClientView {
            snapshot: None,
            credit_limit: None,
            utilisation: None,
            status,
            risk: Risk { score: 90.0, tier, reasons: "bureau score 5".into(), leading: None, why: Vec::new() },
            over_60: 0,
            over_90: 0,
            elsewhere: None,
            promises: Default::default(),
            longest_dispute_days: None,
        };
        (roster, analysis, Assessment { clients: vec![view], ..Default::default() })
    }

    /// An action as the report draws it.
    struct Seen {
        document_id: String,
        open: i64,
        days_past_due: i64,
        steps_done: u32,
        kind: Kind,
        action: String,
        overdue_days: i64,
        claim: Option<i64>,
        reason: String,
    }

    fn run(tier: Tier, status: Option<Status>, reminders: &[Reminder]) -> Vec<Seen> {
        run_with(tier, status, reminders, &Outlook::default(), &LadderSettings::default(), &Promises::default())
    }

    fn run_with(
        tier: Tier,
        status: Option<Status>,
        reminders: &[Reminder],
        outlook: &Outlook,
        ladder: &LadderSettings,
        promises: &Promises,
    ) -> Vec<Seen> {
        let (roster, analysis, assessment) = case(tier, status);
        let actions = actions(
            &roster,
            &analysis,
            &assessment,
            reminders,
            ladder,
            &HandoverSettings::default(),
            &Rates::shipped(),
            HandoverSettings::default().compensation(&crate::fx::Fx::none(Currency::EUR), d("2026-10-31")),
            outlook,
            promises,
        )
        .unwrap();
        actions
            .iter()
            .map(|a| {
                let o = &analysis.clients[a.position as usize].open_items[a.item as usize];
                Seen {
                    document_id: o.invoice.document_id.clone(),
                    open: o.invoice.open.minor(),
                    days_past_due: o.days_past_due,
                    steps_done: a.steps_done,
                    kind: a.kind,
                    action: a.action(ladder, Lang::En).to_string(),
                    overdue_days: a.overdue_days,
                    claim: a.claim.map(|(c, _)| c),
                    reason: a.reason(ladder, &assessment.clients[a.position as usize]),
                }
            })
            .collect()
    }

    fn promise(document: Option<&str>, made: &str, by: &str, standing: Standing) -> Promise {
        Promise {
            client: 0,
            made: d(made),
            by: d(by),
            document_id: document.map(String::from),
            amount: 1_000_00,
            paid: 0,
            standing,
            text: String::new(),
        }
    }

    #[test]
    fn a_live_promise_holds_the_ladder_and_a_broken_one_moves_it_on() {
        let ladder = LadderSettings::default();
        let run = |promises: Vec<Promise>| {
            run_with(
                Tier::Low,
                None,
                &[],
                &Outlook::default(),
                &ladder,
                &Promises { all: promises, warnings: Vec::new() },
            )
        };
        let find = |seen: &[Seen], id: &str| seen.iter().position(|s| s.document_id == id).unwrap();
        // Without reminders sent every invoice is at its first reminder: F30 (due 01/10) since
        // 08/10, F70 (due 22/08) since 29/08.
        let before = run(Vec::new());
        assert_eq!(before[find(&before, "F30")].overdue_days, 23);
        // A live promise for F30 by 05/11: nothing before 05/11 + 3 days' grace.
        let waits = run(vec![promise(Some("F30"), "2026-10-25", "2026-11-05", Standing::Live)]);
        let f30 = &waits[find(&waits, "F30")];
        assert_eq!((f30.kind, f30.overdue_days), (Kind::Step, 0));
        assert!(
            f30.reason.starts_with("promised to pay by 2026-11-05: first reminder on 2026-11-09"),
            "{}",
            f30.reason
        );
        let f70 = &waits[find(&waits, "F70")];
        assert_eq!((f70.overdue_days, f70.reason.as_str()), (63, "first reminder due for 63 days"), "F30 only");
        // A live promise for the whole account holds even the handover back.
        let all = run(vec![promise(None, "2026-10-25", "2026-11-05", Standing::Live)]);
        assert!(all.iter().all(|s| s.kind == Kind::Step && s.overdue_days == 0));
        // Broken (by 10/10, grace to 13/10): F30's second step… its first reminder was due on
        // 08/10 already; F10 (due 21/10) gets its first reminder from the day after it is due
        // (22/10), not on its ladder day (28/10).
        let broken = run(vec![promise(None, "2026-09-30", "2026-10-10", Standing::Broken)]);
        let f10 = &broken[find(&broken, "F10")];
        assert_eq!(f10.overdue_days, 9, "22/10 to 31/10");
        assert!(
            f10.reason.starts_with("promise to pay by 2026-10-10 broken: first reminder due at once"),
            "{}",
            f10.reason
        );
        let f30 = &broken[find(&broken, "F30")];
        assert_eq!(f30.overdue_days, 23, "its own day (08/10) was sooner than the promise's");
    }

    fn reminder(doc: &str, date: &str) -> Reminder {
        Reminder { client_id: "K1".into(), document_id: doc.into(), date: d(date), note: String::new() }
    }

    #[test]
    fn each_invoice_gets_its_next_step_and_how_late_it_is() {
        let a = run(Tier::Low, Some(Status::Active), &[reminder("F70", "2026-08-29"), reminder("F70", "2026-09-12")]);
        let by = |id: &str| a.iter().find(|x| x.document_id == id).unwrap();
        // Due 10 days ago: the first reminder (due + 7) is 3 days overdue.
        assert_eq!((by("F10").action.as_str(), by("F10").overdue_days), ("first reminder", 3));
        assert_eq!(by("F10").reason, "first reminder due for 3 days");
        // Due 30 days ago, nothing sent: still the first reminder, 23 days overdue.
        assert_eq!((by("F30").steps_done, by("F30").overdue_days), (0, 23));
        // Two reminders sent: the formal notice (due + 35) is 35 days overdue.
        assert_eq!((by("F70").steps_done, by("F70").action.as_str(), by("F70").overdue_days), (2, "formal notice", 35));
        // The most overdue first.
        assert_eq!(a.iter().map(|x| x.document_id.as_str()).collect::<Vec<_>>(), ["F70", "F30", "F10"]);
    }

    #[test]
    fn an_exhausted_ladder_or_a_critical_client_goes_to_handover() {
        let sent: Vec<Reminder> =
            ["2026-08-29", "2026-09-12", "2026-09-26"].iter().map(|d| reminder("F70", d)).collect();
        let a = run(Tier::Medium, Some(Status::Active), &sent);
        let f70 = a.iter().find(|x| x.document_id == "F70").unwrap();
        assert_eq!((f70.kind, f70.action.as_str(), f70.overdue_days), (Kind::Handover, "handover to collection", 10));
        assert_eq!(a[0].document_id, "F70", "handovers come before steps");
        let a = run(Tier::Critical, Some(Status::Active), &[]);
        assert!(a.iter().all(|x| x.kind == Kind::Handover && x.reason.contains("became critical")));
    }

    #[test]
    fn an_invoice_the_forecast_does_not_expect_is_handed_over_from_the_formal_notice_day() {
        use crate::analytics::outlook::{ClientOutlook, InvoiceForecast};
        // F10, F30 and F70 (open items in due-date order: F70, F30, F10), each 5 % likely
        // within 13 weeks.
        let unlikely = InvoiceForecast {
            expected: None,
            p10: None,
            p90: None,
            p_13w: 0.05,
            client_share: 1.0,
            hold: None,
            disputed: false,
        };
        let outlook = Outlook {
            clients: vec![ClientOutlook { invoices: vec![unlikely; 3], ..Default::default() }],
            paid: MIN_FORECAST_HISTORY,
            ..Default::default()
        };
        let a =
            run_with(Tier::Low, Some(Status::Active), &[], &outlook, &LadderSettings::default(), &Promises::default());
        let by = |id: &str| a.iter().find(|x| x.document_id == id).unwrap();
        // Due 70 days ago: the formal notice (due + 35) passed 35 days ago; handed over since.
        assert_eq!((by("F70").kind, by("F70").overdue_days), (Kind::Handover, 35));
        assert!(by("F70").reason.starts_with("5 % likely to be collected within 13 weeks"), "{}", by("F70").reason);
        // Due 30 days ago: the formal notice is not due yet, the ladder goes on.
        assert_eq!((by("F30").kind, by("F30").action.as_str()), (Kind::Step, "first reminder"));
        // Switched off.
        let off = LadderSettings { forecast_handover_below: 0.0, ..Default::default() };
        let a = run_with(Tier::Low, Some(Status::Active), &[], &outlook, &off, &Promises::default());
        assert!(a.iter().all(|x| x.kind == Kind::Step));
        assert!(LadderSettings { forecast_handover_below: 1.5, ..Default::default() }.check().is_err());
        // A forecast from a handful of payments is not acted on.
        let thin = Outlook { paid: MIN_FORECAST_HISTORY - 1, ..outlook.clone() };
        let a = run_with(Tier::Low, Some(Status::Active), &[], &thin, &LadderSettings::default(), &Promises::default());
        assert!(a.iter().all(|x| x.kind == Kind::Step));
    }

    #[test]
    fn an_insolvent_client_is_a_claim_to_file_not_a_collection_case() {
        let a = run(Tier::Critical, Some(Status::Bankrupt), &[]);
        assert_eq!(a.len(), 3);
        for x in &a {
            assert_eq!(x.kind, Kind::FileClaim);
            assert!(x.reason.contains("regsol.be"), "{}", x.reason);
            // Principal, statutory interest to the day the bureau reported it, 40 EUR.
            let claim = x.claim.unwrap();
            assert!(claim > x.open + 40_00 || x.days_past_due <= 0, "{claim}");
        }
    }

    #[test]
    fn a_ladder_must_climb() {
        let mut l = LadderSettings::default();
        assert!(l.check().is_ok());
        l.steps.swap(0, 1);
        assert!(l.check().is_err());
        l.steps.clear();
        assert!(l.check().is_err());
    }
}
