//! Opportunities for sales: the clients and watched companies whose bureau picture improved,
//! the clients who pay faster than before, and the healthy clients with room under their
//! credit limit; each with its reasons in words, the largest room first.

use super::alerts::{Alert, AlertKind};
use super::assessment::{Assessment, ClientView};
use crate::analytics::Analysis;
use crate::analytics::risk::Tier;
use crate::bureau::Status;
use crate::bureau::watchlist::{Role, Watched};
use crate::model::{Currency, Money, Roster};
use std::collections::BTreeMap;

/// One company sales could call, and why.
#[derive(Clone, Debug, PartialEq)]
pub struct Opportunity {
    /// The client's id (a watched company's number).
    pub client_id: String,
    /// Its name.
    pub name: String,
    /// A client, or a watched company's role.
    pub role: Role,
    /// The bureau's credit limit (minor units), when known.
    pub credit_limit: Option<i64>,
    /// A client's exposure (net AR, minor units); none for a watched company.
    pub exposure: Option<i64>,
    /// Credit limit − exposure, for a healthy client with room left.
    pub room: Option<i64>,
    /// The reasons, in words.
    pub reasons: Vec<String>,
}

/// The alert kinds that are news for sales when they are good news.
const GOOD_NEWS: [AlertKind; 9] = [
    AlertKind::Score,
    AlertKind::PaymentScore,
    AlertKind::GrowthScore,
    AlertKind::DiscontinuationScore,
    AlertKind::Rating,
    AlertKind::CreditLimit,
    AlertKind::CreditFlag,
    AlertKind::Wadl,
    AlertKind::Dso,
];

/// A client sales can offer more credit: low or medium risk, active, nothing more than 90 days
/// past due. Room under the limit of a client in trouble is no opportunity.
fn healthy(v: &ClientView) -> bool {
    v.risk.tier <= Tier::Medium && v.status.is_none_or(|s| s == Status::Active) && v.over_90 == 0
}

/// Every opportunity of the run: first the companies with good news (the most news first, then
/// the largest room), then the healthy clients with room only, the largest room first.
pub fn opportunities(
    roster: &Roster,
    analysis: &Analysis,
    assessment: &Assessment,
    alerts: &[Alert],
    watchlist: &[Watched],
    currency: Currency,
) -> Vec<Opportunity> {
    let money = |minor: i64| Money::new(minor, currency).to_string();
    // The good news of each company, in words (the alert's message without the name).
    let mut news: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for a in alerts.iter().filter(|a| !a.risk && GOOD_NEWS.contains(&a.kind)) {
        let reason = a.message.split_once(": ").map_or(a.message.as_str(), |(_, r)| r);
        news.entry(a.client_id.as_str()).or_default().push(reason.to_string());
    }
    let mut out = Vec::new();
    for (c, v) in analysis.clients.iter().zip(&assessment.clients) {
        let client = &roster.clients[c.client as usize];
        let exposure = c.figures.sums.net_ar.max(0);
        let room = v.credit_limit.map(|l| l - exposure).filter(|r| *r > 0 && healthy(v));
        let mut reasons = news.remove(client.id.as_str()).unwrap_or_default();
        if let (Some(r), Some(l)) = (room, v.credit_limit) {
            reasons.push(format!("room of {r} under its credit limit of {l}", r = money(r), l = money(l)));
        }
        if !reasons.is_empty() {
            let name = if client.name.is_empty() { &client.id } else { &client.name };
            out.push(Opportunity {
                client_id: client.id.clone(),
                name: name.clone(),
                role: Role::Client,
                credit_limit: v.credit_limit,
                exposure: Some(exposure),
                room,
                reasons,
            });
        }
    }
    for (i, w) in watchlist.iter().enumerate() {
        if let Some(reasons) = news.remove(w.company.as_str()) {
            let limit = assessment
                .matched
                .watched
                .get(&i)
                .and_then(|&j| assessment.snapshots[j].bureau.credit_limit.map(Money::minor));
            out.push(Opportunity {
                client_id: w.company.to_string(),
                name: w.name.clone(),
                role: w.role,
                credit_limit: limit,
                exposure: None,
                room: None,
                reasons,
            });
        }
    }
    let news = |o: &Opportunity| o.reasons.len() - usize::from(o.room.is_some());
    out.sort_by(|a, b| (news(b), b.room).cmp(&(news(a), a.room)).then_with(|| a.client_id.cmp(&b.client_id)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analytics::ClientResult;
    use crate::analytics::risk::Risk;
    use crate::bureau::watchlist::Role;
    use crate::model::{Client, company_number::normalise_company_number};
    use crate::monitor::alerts::Severity;

    fn client(id: &str) -> Client {
        Client { id: id.into(), name: format!("{id} NV"), company_number: None }
    }

    fn view(limit: Option<i64>, tier: Tier, over_90: i64) -> ClientView {
        ClientView {
            snapshot: None,
            credit_limit: limit,
            utilisation: None,
            status: Some(Status::Active),
            risk: Risk { score: 0.0, tier, reasons: String::new(), leading: None, why: Vec::new() },
            over_60: over_90,
            over_90,
            elsewhere: None,
            promises: Default::default(),
            longest_dispute_days: None,
        }
    }

    fn result(ix: u32, net_ar: i64, like: &crate::analytics::Figures) -> ClientResult {
        let mut figures = like.clone();
        figures.sums.net_ar = net_ar;
        ClientResult { client: ix, figures, open_items: Vec::new(), history: Default::default(), warnings: Vec::new() }
    }

    fn alert(id: &str, kind: AlertKind, risk: bool, message: &str) -> Alert {
        Alert {
            client_id: id.into(),
            client_name: String::new(),
            role: Role::Client,
            kind,
            risk,
            severity: Severity::Medium,
            previous: String::new(),
            current: String::new(),
            message: message.into(),
        }
    }

    #[test]
    fn room_for_healthy_clients_and_good_news_for_all_largest_room_first() {
        let roster = Roster::new(Vec::new(), vec![client("K1"), client("K2"), client("K3"), client("K4")]);
        let mut analysis = crate::analytics::analyse(
            &crate::model::Ledger::default(),
            chrono::NaiveDate::from_ymd_opt(2026, 10, 31).unwrap(),
            &Default::default(),
            &crate::fx::Fx::none(crate::model::Currency::EUR),
        )
        .unwrap();
        let p = analysis.portfolio.clone();
        analysis.clients =
            vec![result(0, 2_000_00, &p), result(1, 500_00, &p), result(2, 100_00, &p), result(3, 100_00, &p)];
        let assessment = Assessment {
            clients: vec![
                view(Some(10_000_00), Tier::Low, 0),    // room 8,000
                view(Some(50_000_00), Tier::High, 0),   // room, but a risky client: none
                view(Some(20_000_00), Tier::Low, 5_00), // something > 90 days: none
                view(Some(5_000_00), Tier::Medium, 0),  // room 4,900
            ],
            ..Default::default()
        };
        let watch = vec![Watched {
            company: normalise_company_number("0403019261").unwrap(),
            name: "Hotel NV".into(),
            role: Role::Prospect,
        }];
        let alerts = vec![
            alert("K2", AlertKind::GrowthScore, false, "K2 NV: growth score improved from 50 to 70"),
            alert("K2", AlertKind::Score, true, "K2 NV: bureau score fell from 70 to 50"),
            alert("K3", AlertKind::RiskTier, false, "K3 NV: risk tier down from high to low"),
            alert("BE0403019261", AlertKind::Rating, false, "Hotel NV: rating upgraded from BBB to A"),
        ];
        let o = opportunities(&roster, &analysis, &assessment, &alerts, &watch, crate::model::Currency::EUR);
        let ids: Vec<&str> = o.iter().map(|x| x.client_id.as_str()).collect();
        assert_eq!(ids, ["BE0403019261", "K2", "K1", "K4"]);
        // Good news only: the prospect's rating, the growth score of a risky client; a risk
        // alert and a tier moving down are no sales news.
        assert_eq!(o[0].role, Role::Prospect);
        assert_eq!(o[0].reasons, ["rating upgraded from BBB to A"]);
        assert_eq!(o[1].reasons, ["growth score improved from 50 to 70"]);
        assert_eq!(o[1].room, None);
        // Then the room of healthy clients, the largest first.
        assert_eq!(o[2].room, Some(8_000_00));
        assert_eq!(o[2].reasons, ["room of 8000.00 under its credit limit of 10000.00"]);
        assert_eq!(o[3].room, Some(4_900_00));
        // In a currency without decimals, the room is written in its own digits.
        let yen = crate::model::Currency::parse("JPY").unwrap();
        let o = opportunities(&roster, &analysis, &assessment, &[], &[], yen);
        assert_eq!(o[0].reasons, ["room of 800000 under its credit limit of 1000000"]);
    }
}
