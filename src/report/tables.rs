//! Every table arwatch writes, defined once: its columns (key, report label, cell) and where
//! its rows come from. The data files, the workbook and the PDF draw these through their views
//! (which columns, in which order); adding a column is one line here and, where a renderer
//! shows only some columns, its key in that renderer's view.

use super::basis::{ClientBasis, Logged, basis};
use super::i18n::{self, Label, t};
use super::records::{DebtorTotal, RiskyClient};
use super::table::{Cell, Column, Table};
use crate::analytics::dispute::Disputes;
use crate::analytics::outlook::{ClientOutlook, InvoiceForecast, Outlook, Week};
use crate::analytics::promise::{Promises, Standing};
use crate::analytics::{Analysis, ClientResult, MonthRow, OpenItem};
use crate::bureau::watchlist::Role;
use crate::collection::handover::{Compensation, Line};
use crate::collection::ladder::{Action, LadderSettings};
use crate::ingest::{Reject, SourceStats, Warning};
use crate::locale::Lang;
use crate::model::{Client, ClientIx, Currency, Money, Roster};
use crate::monitor::alerts::Alert;
use crate::monitor::opportunities::Opportunity;
use crate::monitor::{Assessment, ClientView};
use chrono::NaiveDate;
use rayon::prelude::*;
use std::collections::BTreeMap;

/// Rows per block of the tables that are not per client: enough to keep both cores busy.
const BLOCK_ROWS: usize = 4096;

/// One client's row: who, its figures, its bureau view and risk.
pub struct ClientRow<'a> {
    client: &'a Client,
    result: &'a ClientResult,
    view: &'a ClientView,
    outlook: Option<&'a ClientOutlook>,
    currency: Currency,
}

/// `clients.csv` and the Clients sheet: one row per client with any document or payment on or
/// before the as-of date. The bucket columns follow the configured boundaries. `log_read`: the
/// run read a collector's log (its promise columns are blank without: unknown, not zero).
pub fn clients<'a>(
    roster: &'a Roster,
    a: &'a Analysis,
    assessment: &'a Assessment,
    outlook: &'a Outlook,
    log_read: bool,
    cur: Currency,
) -> Table<'a, ClientRow<'a>> {
    let promised = move |v: u32| if log_read { Cell::Int(i64::from(v)) } else { Cell::Blank };
    let money = move |v: i64| Cell::Money(Money::new(v, cur));
    let snapshot = a.settings.snapshot;
    let known = move |c: Cell<'a>| if snapshot { Cell::Blank } else { c };
    let mut columns: Vec<Column<'a, ClientRow<'a>>> = vec![
        Column::new("client_id", |r: &ClientRow| Cell::text(&r.client.id)),
        Column::new("client_name", |r: &ClientRow| Cell::text(&r.client.name)),
        Column::new("company_number", |r: &ClientRow| Cell::text(r.client.company_number.as_deref().unwrap_or(""))),
        Column::new("currency", |r: &ClientRow| Cell::text(r.currency.code())),
        Column::new("net_ar", move |r: &ClientRow| money(r.result.figures.sums.net_ar)),
        Column::new("open_invoices", |r: &ClientRow| Cell::Int(r.result.figures.sums.open_invoices as i64)),
    ];
    for (i, name) in a.settings.bucket_names().into_iter().enumerate() {
        columns.push(Column::keyed(name, move |r: &ClientRow| money(r.result.figures.sums.buckets[i])));
    }
    columns.extend([
        Column::new("unapplied_credit", move |r: &ClientRow| money(-r.result.figures.sums.unapplied_credit)),
        Column::new("dbt", |r: &ClientRow| Cell::Days(Some(r.result.figures.dbt))),
        // A snapshot knows no settlement: the counts are not available, not zero.
        Column::new("paid_12m", move |r: &ClientRow| known(Cell::Int(r.result.figures.sums.window.paid as i64))),
        Column::new("late_12m", move |r: &ClientRow| known(Cell::Int(r.result.figures.sums.window.late as i64))),
        Column::new("late_ratio_12m", |r: &ClientRow| Cell::Percent(r.result.figures.sums.window.late_ratio())),
        Column::new("late_amount_ratio_12m", |r: &ClientRow| {
            Cell::Percent(r.result.figures.sums.window.late_amount_ratio())
        }),
        Column::new("wadl_12m", |r: &ClientRow| Cell::Days(r.result.figures.sums.window.wadl())),
        Column::new("adp_12m", |r: &ClientRow| Cell::Days(r.result.figures.sums.window.adp())),
        Column::new("wadl_slope_6m", |r: &ClientRow| Cell::Days(r.result.figures.wadl_slope_6m)),
        Column::new("late_ratio_trend", |r: &ClientRow| Cell::Percent(r.result.figures.late_ratio_trend)),
        Column::new("dso_standard", |r: &ClientRow| Cell::Days(r.result.figures.dso_standard)),
        Column::new("dso_countback", |r: &ClientRow| Cell::Days(r.result.figures.dso_countback)),
        Column::new("dso_countback_capped", |r: &ClientRow| Cell::Bool(r.result.figures.dso_countback_capped)),
        Column::new("bpdso", |r: &ClientRow| Cell::Days(r.result.figures.bpdso)),
        Column::new("add", |r: &ClientRow| Cell::Days(r.result.figures.add)),
        Column::new("cei", |r: &ClientRow| Cell::Percent(r.result.figures.cei)),
        // No limit is an empty text, not a zero.
        Column::new("credit_limit", move |r: &ClientRow| r.view.credit_limit.map_or(Cell::text(""), money)),
        Column::new("utilisation", |r: &ClientRow| Cell::Percent(r.view.utilisation.filter(|u| u.is_finite()))),
        Column::new("bureau_status", |r: &ClientRow| Cell::text(r.view.status.map_or("", |s| s.label()))),
        Column::new("risk_score", |r: &ClientRow| Cell::Score(r.view.risk.score)),
        Column::new("risk_tier", |r: &ClientRow| Cell::text(r.view.risk.tier.label())),
        Column::new("risk_reasons", |r: &ClientRow| Cell::text(&r.view.risk.reasons)),
        Column::new("avg_terms_days", |r: &ClientRow| Cell::Days(r.result.figures.avg_terms_days)),
        // How the client pays the other creditors of a pool (docs/pooling.md); empty without.
        Column::new("elsewhere_creditors", |r: &ClientRow| {
            r.view.elsewhere.as_ref().map_or(Cell::Blank, |e| Cell::Int(e.creditors as i64))
        }),
        Column::new("elsewhere_late_ratio_12m", |r: &ClientRow| {
            Cell::Percent(r.view.elsewhere.as_ref().and_then(|e| e.late_ratio))
        }),
        Column::new("elsewhere_wadl_12m", |r: &ClientRow| Cell::Days(r.view.elsewhere.as_ref().and_then(|e| e.wadl))),
        Column::new("elsewhere_wadl_trend_6m", |r: &ClientRow| {
            Cell::Days(r.view.elsewhere.as_ref().and_then(|e| e.wadl_trend))
        }),
        Column::new("elsewhere_dbt", |r: &ClientRow| Cell::Days(r.view.elsewhere.as_ref().and_then(|e| e.dbt))),
        // What the forecast expects the client to pay (docs/forecast.md).
        // Unknown, not zero, from a ledger without any payment.
        Column::new("forecast_30d", move |r: &ClientRow| {
            r.outlook.filter(|_| outlook.known()).map_or(Cell::Blank, |o| money(o.within_30d))
        }),
        Column::new("forecast_13w", move |r: &ClientRow| {
            r.outlook.filter(|_| outlook.known()).map_or(Cell::Blank, |o| money(o.within_13w))
        }),
        // The collector's log (docs/metrics.md, "Promises to pay" and "Disputes").
        Column::new("promises_made_12m", move |r: &ClientRow| promised(r.view.promises.made)),
        Column::new("promises_kept_12m", move |r: &ClientRow| promised(r.view.promises.kept)),
        Column::new("promises_broken_12m", move |r: &ClientRow| promised(r.view.promises.broken)),
        Column::new("promises_kept_ratio_12m", |r: &ClientRow| Cell::Percent(r.view.promises.kept_ratio())),
        Column::new("disputed_open", move |r: &ClientRow| money(r.result.disputed_open())),
        Column::new("longest_dispute_days", |r: &ClientRow| r.view.longest_dispute_days.map_or(Cell::Blank, Cell::Int)),
    ]);
    let rows = move |i: usize| {
        let c = &a.clients[i];
        ClientRow {
            client: &roster.clients[c.client as usize],
            result: c,
            view: &assessment.clients[i],
            outlook: outlook.clients.get(i),
            currency: cur,
        }
    };
    Table::blocked(columns, a.clients.len().div_ceil(BLOCK_ROWS), move |b, f| {
        for i in b * BLOCK_ROWS..((b + 1) * BLOCK_ROWS).min(a.clients.len()) {
            f(&rows(i));
        }
    })
}

/// One month of a client's series (`*` for the portfolio).
pub struct MonthlyRow<'a> {
    id: &'a str,
    row: &'a MonthRow,
}

/// `monthly.csv` and the Trends sheet: the full grid of months for each client, the portfolio
/// first. One block per client (the portfolio is block 0).
pub fn monthly<'a>(roster: &'a Roster, a: &'a Analysis, cur: Currency) -> Table<'a, MonthlyRow<'a>> {
    let money = move |v: i64| Cell::Money(Money::new(v, cur));
    // A snapshot knows its open items, not what was sold or paid that month.
    let snapshot = a.settings.snapshot;
    let known = move |c: Cell<'a>| if snapshot { Cell::Blank } else { c };
    let columns: Vec<Column<'a, MonthlyRow<'a>>> = vec![
        Column::new("client_id", |r: &MonthlyRow| Cell::text(r.id)),
        Column::new("month", |r: &MonthlyRow| Cell::Month(r.row.month)),
        Column::new("sales", move |r: &MonthlyRow| known(money(r.row.sales))),
        Column::new("net_ar", move |r: &MonthlyRow| money(r.row.net_ar)),
        Column::new("current_ar", move |r: &MonthlyRow| money(r.row.current_ar)),
        Column::new("dso_standard", |r: &MonthlyRow| Cell::Days(r.row.dso_standard)),
        Column::new("dso_countback", |r: &MonthlyRow| Cell::Days(r.row.dso_countback)),
        Column::new("cei", |r: &MonthlyRow| Cell::Percent(r.row.cei)),
        Column::new("paid", move |r: &MonthlyRow| known(Cell::Int(r.row.behaviour.paid as i64))),
        Column::new("late", move |r: &MonthlyRow| known(Cell::Int(r.row.behaviour.late as i64))),
        Column::new("wadl", |r: &MonthlyRow| Cell::Days(r.row.behaviour.wadl())),
        Column::new("adp", |r: &MonthlyRow| Cell::Days(r.row.behaviour.adp())),
    ];
    Table::blocked(columns, a.clients.len() + 1, move |b, f| {
        // `*` sorts before every client id, as a byte-wise sort of the file would put it.
        let (id, months) = match b {
            0 => ("*", &a.portfolio.monthly),
            _ => {
                let c = &a.clients[b - 1];
                (roster.clients[c.client as usize].id.as_str(), &c.figures.monthly)
            }
        };
        for row in months {
            f(&MonthlyRow { id, row });
        }
    })
}

/// One open invoice.
pub struct OpenItemRow<'a> {
    client: &'a Client,
    item: &'a OpenItem,
    bucket: &'a str,
}

/// `open_items.csv` and the Open items sheet: every open invoice at the as-of date, a block
/// per client.
/// An item's place in its invoice's payment schedule, blank for an invoice without one.
fn instalment(p: &crate::analytics::Position) -> Cell<'static> {
    if p.instalment == 0 { Cell::Blank } else { Cell::Int(p.instalment as i64) }
}

/// `open_items.csv` and the Open items sheet.
pub fn open_items<'a>(
    roster: &'a Roster,
    a: &'a Analysis,
    disputes: &'a Disputes,
    names: &'a [String],
) -> Table<'a, OpenItemRow<'a>> {
    let as_of = a.as_of;
    let columns: Vec<Column<'a, OpenItemRow<'a>>> = vec![
        Column::new("client_id", |r: &OpenItemRow| Cell::text(&r.client.id)).labelled(Label::ClientId),
        Column::new("client_name", |r: &OpenItemRow| Cell::text(&r.client.name)).labelled(Label::Client),
        Column::new("document_id", |r: &OpenItemRow| Cell::text(&r.item.invoice.document_id)).labelled(Label::Document),
        Column::new("issue_date", |r: &OpenItemRow| Cell::Date(r.item.invoice.issue)).labelled(Label::IssueDate),
        Column::new("due_date", |r: &OpenItemRow| Cell::Date(r.item.invoice.due)).labelled(Label::DueDate),
        Column::new("amount", move |r: &OpenItemRow| Cell::Money(r.item.invoice.amount)).labelled(Label::Amount),
        Column::new("open_amount", move |r: &OpenItemRow| Cell::Money(r.item.invoice.open)).labelled(Label::OpenAmount),
        Column::new("days_past_due", |r: &OpenItemRow| Cell::Int(r.item.days_past_due)).labelled(Label::DaysPastDue),
        Column::new("bucket", |r: &OpenItemRow| Cell::text(r.bucket)).labelled(Label::Bucket),
        Column::new("disputed", |r: &OpenItemRow| Cell::Bool(r.item.disputed)),
        Column::new("document_currency", |r: &OpenItemRow| Cell::text(r.item.open_in_currency.currency_code())),
        Column::new("document_open_amount", |r: &OpenItemRow| Cell::Money(r.item.open_in_currency)),
        // Known from the collector's log only: a ledger's flag has no date.
        Column::new("days_in_dispute", move |r: &OpenItemRow| {
            disputes.days(r.item.invoice.client, &r.item.invoice.document_id, as_of).map_or(Cell::Blank, Cell::Int)
        }),
        Column::new("instalment", |r: &OpenItemRow| instalment(&r.item.invoice)),
    ];
    Table::blocked(columns, a.clients.len(), move |b, f| {
        let c = &a.clients[b];
        let client = &roster.clients[c.client as usize];
        for item in &c.open_items {
            f(&OpenItemRow { client, item, bucket: &names[item.bucket] });
        }
    })
}

/// One open invoice's forecast.
pub struct ForecastRow<'a> {
    /// The client's position in the analysis.
    position: usize,
    client: &'a Client,
    outlook: &'a ClientOutlook,
    item: &'a OpenItem,
    forecast: &'a InvoiceForecast,
    lang: Lang,
}

/// `forecast.csv` and the Forecast per invoice sheet: every open invoice at the as-of date with
/// its forecast (spec section 10), a block per client, or only the `picks` (client and item
/// positions, for the PDF's lists); `basis` in `lang`.
pub fn forecast<'a>(
    roster: &'a Roster,
    a: &'a Analysis,
    o: &'a Outlook,
    log: (&'a Promises, &'a Disputes),
    lang: Lang,
    picks: Option<Vec<(usize, usize)>>,
) -> Table<'a, ForecastRow<'a>> {
    let (promises, disputes) = log;
    let as_of = a.as_of;
    let logged = move |item: &OpenItem| {
        let (client, id) = (item.invoice.client, item.invoice.document_id.as_str());
        Logged {
            dispute_days: disputes.days(client, id, as_of),
            promised: promises.covering(client, id, item.invoice.issue, Standing::Live).map(|p| p.by),
        }
    };
    let date = |d: Option<NaiveDate>| d.map_or(Cell::Blank, Cell::Date);
    let known = o.known();
    // Every client's part of its invoices' bases, made once for a whole table (a client's
    // rows repeat it); a few picked rows make their own.
    let clients: Vec<ClientBasis> = match picks {
        None if known => o.clients.par_iter().map(|c| ClientBasis::new(lang, c)).collect(),
        _ => Vec::new(),
    };
    let basis_of = move |r: &ForecastRow| match clients.get(r.position) {
        Some(c) => c.basis(r.forecast, r.item.days_past_due, logged(r.item)),
        None => basis(r.lang, r.outlook, r.forecast, r.item.days_past_due, logged(r.item)),
    };
    let columns: Vec<Column<'a, ForecastRow<'a>>> = vec![
        Column::new("client_id", |r: &ForecastRow| Cell::text(&r.client.id)).labelled(Label::ClientId),
        Column::new("client_name", |r: &ForecastRow| Cell::text(&r.client.name)).labelled(Label::Client),
        Column::new("document_id", |r: &ForecastRow| Cell::text(&r.item.invoice.document_id)).labelled(Label::Document),
        Column::new("currency", |r: &ForecastRow| Cell::text(r.item.invoice.open.currency_code())),
        Column::new("open_amount", |r: &ForecastRow| Cell::Money(r.item.invoice.open)).labelled(Label::OpenAmount),
        Column::new("due_date", |r: &ForecastRow| Cell::Date(r.item.invoice.due)).labelled(Label::DueDate),
        Column::new("days_past_due", |r: &ForecastRow| Cell::Int(r.item.days_past_due)).labelled(Label::DaysPastDue),
        Column::new("expected_date", move |r: &ForecastRow| date(r.forecast.expected)).labelled(Label::ExpectedDate),
        Column::new("date_p10", move |r: &ForecastRow| date(r.forecast.p10)).labelled(Label::DateP10),
        Column::new("date_p90", move |r: &ForecastRow| date(r.forecast.p90)).labelled(Label::DateP90),
        // Unknown, not zero, from a ledger without any payment.
        Column::new("p_collected_13w", move |r: &ForecastRow| Cell::Percent(Some(r.forecast.p_13w).filter(|_| known)))
            .labelled(Label::Collected13w),
        Column::new(
            "basis",
            move |r: &ForecastRow| {
                if known { Cell::owned(basis_of(r)) } else { Cell::text(t(r.lang, Label::NoForecast)) }
            },
        )
        .labelled(Label::Basis),
        Column::new("instalment", |r: &ForecastRow| instalment(&r.item.invoice)),
        // The document and its instalment in words, for the report's lists (no data file's).
        Column::new("document", |r: &ForecastRow| {
            Cell::owned(i18n::instalment_of(r.lang, &r.item.invoice.document_id, r.item.invoice.instalment))
        })
        .labelled(Label::Document),
    ];
    match picks {
        // Some invoices, in the order given: (client position, item position).
        Some(picks) => Table::blocked(columns, 1, move |_, f| {
            for &(b, i) in &picks {
                let (c, outlook) = (&a.clients[b], &o.clients[b]);
                let row = ForecastRow {
                    position: b,
                    client: &roster.clients[c.client as usize],
                    outlook,
                    item: &c.open_items[i],
                    forecast: &outlook.invoices[i],
                    lang,
                };
                f(&row);
            }
        }),
        None => Table::blocked(columns, a.clients.len(), move |b, f| {
            let (c, outlook) = (&a.clients[b], &o.clients[b]);
            let client = &roster.clients[c.client as usize];
            for (item, forecast) in c.open_items.iter().zip(&outlook.invoices) {
                f(&ForecastRow { position: b, client, outlook, item, forecast, lang });
            }
        }),
    }
}

/// `forecast_weeks.csv` and the Forecast sheet's weeks: expected collections per week of the
/// horizon with their 80 % interval, beside the due-date baseline.
pub fn forecast_weeks<'a>(weeks: &'a [Week], cur: Currency, known: bool) -> Table<'a, Week> {
    let money = move |v: i64| Cell::Money(Money::new(v, cur));
    // Without any payment to learn from, only the due dates are known.
    let forecast = move |v: i64| if known { money(v) } else { Cell::Blank };
    let columns: Vec<Column<'a, Week>> = vec![
        Column::new("week", |w: &Week| Cell::Int(w.week as i64)).labelled(Label::Week),
        Column::new("start", |w: &Week| Cell::Date(w.start)).labelled(Label::WeekStart),
        Column::new("end", |w: &Week| Cell::Date(w.end)).labelled(Label::WeekEnd),
        Column::new("currency", move |_: &Week| Cell::owned(cur.code().to_string())),
        Column::new("expected", move |w: &Week| forecast(w.expected)).labelled(Label::Expected),
        Column::new("low", move |w: &Week| forecast(w.low)).labelled(Label::Low),
        Column::new("high", move |w: &Week| forecast(w.high)).labelled(Label::High),
        Column::new("due_date_baseline", move |w: &Week| money(w.due_date_baseline)).labelled(Label::DueDateBaseline),
    ];
    Table::blocked(columns, 1, move |_, f| weeks.iter().for_each(f))
}

/// `alerts.csv` and the Alerts sheet: what changed since the previous run. With the `roster`,
/// the `client` column (the PDF's) tells apart clients that share a name. With a language (the
/// reports'), kind, direction and severity are words of it; without (`alerts.csv`), codes.
pub fn alerts<'a>(alerts: Vec<&'a Alert>, roster: Option<&'a Roster>, lang: Option<Lang>) -> Table<'a, &'a Alert> {
    let columns: Vec<Column<'a, &'a Alert>> = vec![
        Column::new("client_id", |a: &&Alert| Cell::text(&a.client_id)).labelled(Label::ClientId),
        Column::new("client_name", |a: &&Alert| Cell::text(&a.client_name)).labelled(Label::Client),
        // The name, the id when the client has none, both when its name is shared.
        Column::new("client", move |a: &&Alert| match roster.filter(|_| a.role == Role::Client) {
            Some(r) => Cell::Text(r.label(&a.client_id, &a.client_name)),
            None => Cell::text(if a.client_name.is_empty() { &a.client_id } else { &a.client_name }),
        })
        .labelled(Label::Client),
        Column::new("kind", move |a: &&Alert| Cell::text(lang.map_or(a.kind.code(), |l| a.kind.words(l))))
            .labelled(Label::Kind),
        Column::new("direction", move |a: &&Alert| Cell::text(lang.map_or(a.direction(), |l| a.direction_words(l))))
            .labelled(Label::Direction),
        Column::new("severity", move |a: &&Alert| Cell::text(lang.map_or(a.severity.label(), |l| a.severity.words(l))))
            .labelled(Label::Severity),
        Column::new("previous", |a: &&Alert| Cell::text(&a.previous)).labelled(Label::Previous),
        Column::new("current", |a: &&Alert| Cell::text(&a.current)).labelled(Label::Current),
        Column::new("message", |a: &&Alert| Cell::text(&a.message)).labelled(Label::Message),
        Column::new("role", |a: &&Alert| Cell::text(a.role.label())).labelled(Label::Role),
    ];
    Table::of(columns, alerts)
}

/// One invoice handed over.
pub struct HandoverRow<'a> {
    client: &'a Client,
    line: &'a Line,
    /// The debtor's dossier file, empty when it has none.
    dossier: &'a str,
}

/// `handover.csv` and the Handover sheet: the invoices handed to collection.
pub fn handover<'a>(
    roster: &'a Roster,
    lines: &'a [Line],
    dossiers: &'a BTreeMap<ClientIx, String>,
    cur: Currency,
) -> Table<'a, HandoverRow<'a>> {
    let money = move |v: i64| Cell::Money(Money::new(v, cur));
    let columns: Vec<Column<'a, HandoverRow<'a>>> = vec![
        Column::new("client_id", |r: &HandoverRow| Cell::text(&r.client.id)).labelled(Label::ClientId),
        Column::new("client_name", |r: &HandoverRow| Cell::text(&r.client.name)).labelled(Label::Client),
        Column::new("company_number", |r: &HandoverRow| Cell::text(r.client.company_number.as_deref().unwrap_or("")))
            .labelled(Label::CompanyNumber),
        Column::new("document_id", |r: &HandoverRow| Cell::text(&r.line.invoice.document_id)).labelled(Label::Document),
        Column::new("issue_date", |r: &HandoverRow| Cell::Date(r.line.invoice.issue)).labelled(Label::IssueDate),
        Column::new("due_date", |r: &HandoverRow| Cell::Date(r.line.invoice.due)).labelled(Label::DueDate),
        Column::new("amount", move |r: &HandoverRow| Cell::Money(r.line.invoice.amount)).labelled(Label::Amount),
        Column::new("open_amount", move |r: &HandoverRow| Cell::Money(r.line.invoice.open)).labelled(Label::OpenAmount),
        Column::new("days_past_due", |r: &HandoverRow| Cell::Int(r.line.days_past_due)).labelled(Label::DaysPastDue),
        Column::new("interest", move |r: &HandoverRow| money(r.line.interest.amount)).labelled(Label::Interest),
        // Without a rate into the reporting currency there is no figure in it to write: the
        // compensation is in warnings.csv and the dossiers, in its own currency.
        Column::new("compensation", move |r: &HandoverRow| match r.line.compensation {
            Compensation::Converted(m) => Cell::Money(m),
            Compensation::Unconverted(_) => Cell::Blank,
        })
        .labelled(Label::Compensation),
        Column::new("claim_total", move |r: &HandoverRow| Cell::Money(r.line.claim())).labelled(Label::ClaimTotal),
        Column::new("jurisdiction", |r: &HandoverRow| Cell::text(r.line.jurisdiction.code())),
        Column::new("interest_provisional", |r: &HandoverRow| Cell::Bool(r.line.interest.provisional)),
        Column::new("dossier", |r: &HandoverRow| Cell::text(r.dossier)),
        Column::new("instalment", |r: &HandoverRow| instalment(&r.line.invoice)),
    ];
    Table::blocked(columns, lines.len().div_ceil(BLOCK_ROWS), move |b, f| {
        for line in &lines[b * BLOCK_ROWS..((b + 1) * BLOCK_ROWS).min(lines.len())] {
            let client = &roster.clients[line.invoice.client as usize];
            let dossier = dossiers.get(&line.invoice.client).map_or("", String::as_str);
            f(&HandoverRow { client, line, dossier });
        }
    })
}

/// One line of the data-quality table: an input's reconciliation, a rejected row, or a
/// warning.
pub enum QualityRow<'a> {
    /// An input's reconciliation.
    Input(&'a SourceStats),
    /// A rejected row.
    Rejected(&'a Reject),
    /// A warning of reading.
    Warning(&'a Warning),
    /// A warning of the analysis (no source file).
    Analysis(&'a str),
}

/// The Data quality sheet: every input's reconciliation, then every rejected row and warning.
pub fn quality<'a>(rows: Vec<QualityRow<'a>>) -> Table<'a, QualityRow<'a>> {
    use QualityRow::*;
    // An input's line has counts and no place; the others the reverse, with empty counts.
    let count = |r: &QualityRow, n: fn(&SourceStats) -> u64| match r {
        Input(s) => Cell::Int(n(s) as i64),
        _ => Cell::text(""),
    };
    let columns: Vec<Column<'a, QualityRow<'a>>> = vec![
        Column::new("source", |r: &QualityRow| match r {
            Input(s) => Cell::text(&s.file),
            Rejected(x) => Cell::text(&x.source),
            Warning(w) => Cell::text(&w.source),
            Analysis(_) => Cell::text("analysis"),
        })
        .labelled(Label::Source),
        Column::new("rows_read", move |r: &QualityRow| count(r, |s| s.rows_read)).labelled(Label::RowsRead),
        Column::new("accepted", move |r: &QualityRow| count(r, |s| s.accepted)).labelled(Label::Accepted),
        Column::new("rejected", move |r: &QualityRow| count(r, |s| s.rejected)).labelled(Label::Rejected),
        Column::new("reconciles", |r: &QualityRow| match r {
            Input(s) => Cell::Bool(s.reconciles()),
            _ => Cell::Blank,
        }),
        Column::new("location", |r: &QualityRow| match r {
            Input(_) => Cell::Blank,
            Rejected(x) => Cell::text(&x.location),
            Warning(w) => Cell::text(&w.location),
            Analysis(_) => Cell::text(""),
        })
        .labelled(Label::Location),
        Column::new("column", |r: &QualityRow| match r {
            Input(_) => Cell::Blank,
            Rejected(x) => Cell::text(&x.column),
            _ => Cell::text(""),
        })
        .labelled(Label::Column),
        Column::new("value", |r: &QualityRow| match r {
            Input(_) => Cell::Blank,
            Rejected(x) => Cell::text(&x.value),
            _ => Cell::text(""),
        })
        .labelled(Label::Value),
        Column::new("reason", |r: &QualityRow| match r {
            Input(_) => Cell::Blank,
            Rejected(x) => Cell::text(&x.reason),
            Warning(w) => Cell::text(&w.message),
            Analysis(m) => Cell::text(m),
        })
        .labelled(Label::Reason),
    ];
    Table::of(columns, rows)
}

/// The riskiest clients, riskiest first.
pub fn riskiest<'a>(rows: Vec<&'a RiskyClient<'a>>, lang: Lang) -> Table<'a, &'a RiskyClient<'a>> {
    let columns: Vec<Column<'a, &'a RiskyClient<'a>>> = vec![
        Column::new("client", |r: &&RiskyClient| Cell::text(&r.name)).labelled(Label::Client),
        Column::new("risk_tier", move |r: &&RiskyClient| Cell::text(i18n::tier(lang, r.tier))).labelled(Label::Tier),
        Column::new("risk_score", |r: &&RiskyClient| Cell::Score(r.score)).labelled(Label::Score),
        Column::new("net_ar", |r: &&RiskyClient| Cell::Money(r.net_ar)).labelled(Label::NetAr),
        Column::new("risk_reasons", |r: &&RiskyClient| Cell::text(&r.reasons)).labelled(Label::Reasons),
        Column::new("elsewhere_wadl_12m", |r: &&RiskyClient| Cell::Days(r.late_elsewhere))
            .labelled(Label::LateElsewhere),
        // "2 / 3": broken of those judged in 12 months.
        Column::new("promises_broken_12m", |r: &&RiskyClient| {
            r.broken_promises.map_or(Cell::Blank, |(b, n)| Cell::owned(format!("{b} / {n}")))
        })
        .labelled(Label::PromisesBroken),
    ];
    Table::of(columns, rows)
}

/// One line of the handover per debtor: a debtor, or the total of all.
pub enum DebtorRow<'a> {
    /// A debtor, with its name and company number.
    Debtor(&'a DebtorTotal, &'a Client),
    /// All debtors together.
    Total(&'a DebtorTotal),
}

impl DebtorRow<'_> {
    fn total(&self) -> &DebtorTotal {
        match self {
            DebtorRow::Debtor(d, _) | DebtorRow::Total(d) => d,
        }
    }
}

/// The handover per debtor, then the total. `total_label` names the total row, and a debtor's
/// interest at a provisional rate is marked `*` (the note under the table says why).
pub fn debtors<'a>(
    roster: &'a Roster,
    rows: Vec<DebtorRow<'a>>,
    total_label: &'a str,
    money: impl Fn(Money) -> String + Sync + 'a,
) -> Table<'a, DebtorRow<'a>> {
    let amount = Cell::Money;
    let columns: Vec<Column<'a, DebtorRow<'a>>> = vec![
        Column::new("debtor", move |r: &DebtorRow| match r {
            DebtorRow::Debtor(_, c) => Cell::Text(roster.label_of(c)),
            DebtorRow::Total(_) => Cell::text(total_label),
        })
        .labelled(Label::Debtor),
        Column::new("company_number", |r: &DebtorRow| match r {
            DebtorRow::Debtor(_, c) => Cell::text(c.company_number.as_deref().unwrap_or("")),
            DebtorRow::Total(_) => Cell::text(""),
        })
        .labelled(Label::CompanyNumber),
        Column::new("invoices", |r: &DebtorRow| Cell::Int(r.total().invoices as i64)).labelled(Label::Invoices),
        Column::new("open_amount", move |r: &DebtorRow| amount(r.total().open)).labelled(Label::OpenAmount),
        Column::new("interest", move |r: &DebtorRow| match r {
            DebtorRow::Debtor(d, _) if d.provisional => Cell::owned(format!("{} *", money(d.interest))),
            _ => amount(r.total().interest),
        })
        .labelled(Label::Interest),
        Column::new("compensation", move |r: &DebtorRow| match r.total().unconverted {
            Some(m) => Cell::Money(m),
            None => amount(r.total().compensation),
        })
        .labelled(Label::Compensation),
        Column::new("claim_total", move |r: &DebtorRow| amount(r.total().claim)).labelled(Label::ClaimTotal),
    ];
    Table::of(columns, rows)
}

/// `opportunities.csv`, the Opportunities sheet and the PDF's section: whom sales could call,
/// the largest credit room first. The `client` column (the PDF's) names a client as `roster`
/// labels it.
pub fn opportunities<'a>(rows: &'a [Opportunity], roster: &'a Roster, cur: Currency) -> Table<'a, Opportunity> {
    let money = move |v: Option<i64>| v.map_or(Cell::text(""), |v| Cell::Money(Money::new(v, cur)));
    let columns: Vec<Column<'a, Opportunity>> = vec![
        Column::new("client_id", |o: &Opportunity| Cell::text(&o.client_id)).labelled(Label::ClientId),
        Column::new("client_name", |o: &Opportunity| Cell::text(&o.name)).labelled(Label::Client),
        Column::new("client", move |o: &Opportunity| match o.role {
            Role::Client => Cell::Text(roster.label(&o.client_id, &o.name)),
            _ => Cell::text(if o.name.is_empty() { &o.client_id } else { &o.name }),
        })
        .labelled(Label::Client),
        Column::new("role", |o: &Opportunity| Cell::text(o.role.label())).labelled(Label::Role),
        Column::new("credit_limit", move |o: &Opportunity| money(o.credit_limit)).labelled(Label::CreditLimit),
        Column::new("exposure", move |o: &Opportunity| money(o.exposure)).labelled(Label::Exposure),
        Column::new("credit_room", move |o: &Opportunity| money(o.room)).labelled(Label::CreditRoom),
        Column::new("reasons", |o: &Opportunity| Cell::owned(o.reasons.join("; "))).labelled(Label::Reasons),
    ];
    Table::blocked(columns, 1, move |_, f| rows.iter().for_each(f))
}

/// What the actions' rows are drawn from.
#[derive(Clone, Copy)]
pub struct ActionContext<'a> {
    /// The clients.
    pub roster: &'a Roster,
    /// The analysis the actions point into.
    pub analysis: &'a Analysis,
    /// Each client's view (status, risk).
    pub assessment: &'a Assessment,
    /// The steps' names.
    pub ladder: &'a LadderSettings,
    /// The report's language, for the steps' names.
    pub lang: Lang,
    /// The reporting currency.
    pub currency: Currency,
}

/// An action on an invoice, or a client's most urgent one with its totals.
pub struct ActionRow<'a> {
    client: &'a Client,
    item: &'a OpenItem,
    view: &'a ClientView,
    action: &'a Action,
    ctx: ActionContext<'a>,
    /// The client's invoices past due and their open amount (a client's row only).
    totals: Option<(usize, i64)>,
}

impl<'a> ActionContext<'a> {
    fn row(self, a: &'a Action, totals: Option<(usize, i64)>) -> ActionRow<'a> {
        let p = a.position as usize;
        ActionRow {
            client: &self.roster.clients[a.client as usize],
            item: &self.analysis.clients[p].open_items[a.item as usize],
            view: &self.assessment.clients[p],
            action: a,
            ctx: self,
            totals,
        }
    }
}

fn action_columns<'a>(cur: Currency) -> Vec<Column<'a, ActionRow<'a>>> {
    let money = move |v: i64| Cell::Money(Money::new(v, cur));
    vec![
        Column::new("client_id", |r: &ActionRow| Cell::text(&r.client.id)).labelled(Label::ClientId),
        Column::new("client_name", |r: &ActionRow| Cell::text(&r.client.name)).labelled(Label::Client),
        // The PDF's: the name, told apart from another client's of the same name.
        Column::new("client", |r: &ActionRow| Cell::Text(r.ctx.roster.label_of(r.client))).labelled(Label::Client),
        Column::new("document_id", |r: &ActionRow| Cell::text(&r.item.invoice.document_id)).labelled(Label::Document),
        Column::new("due_date", |r: &ActionRow| Cell::Date(r.item.invoice.due)).labelled(Label::DueDate),
        Column::new("days_past_due", |r: &ActionRow| Cell::Int(r.item.days_past_due)).labelled(Label::DaysPastDue),
        Column::new("open_amount", move |r: &ActionRow| Cell::Money(r.item.invoice.open)).labelled(Label::OpenAmount),
        Column::new("steps_done", |r: &ActionRow| Cell::Int(r.action.steps_done as i64)).labelled(Label::StepsDone),
        Column::new("kind", |r: &ActionRow| Cell::text(r.action.kind.label())).labelled(Label::Kind),
        Column::new("next_action", |r: &ActionRow| Cell::Text(r.action.action(r.ctx.ladder, r.ctx.lang)))
            .labelled(Label::NextAction),
        Column::new("action_date", |r: &ActionRow| Cell::Date(r.action.date)).labelled(Label::ActionDate),
        Column::new("overdue_days", |r: &ActionRow| Cell::Int(r.action.overdue_days)).labelled(Label::OverdueDays),
        Column::new("claim", move |r: &ActionRow| r.action.claim.map_or(Cell::text(""), |(c, _)| money(c)))
            .labelled(Label::ClaimTotal),
        Column::new("reason", |r: &ActionRow| Cell::owned(r.action.reason(r.ctx.ladder, r.view)))
            .labelled(Label::Reason),
        Column::new("instalment", |r: &ActionRow| instalment(&r.item.invoice)),
        Column::new("invoices", |r: &ActionRow| r.totals.map_or(Cell::Blank, |t| Cell::Int(t.0 as i64)))
            .labelled(Label::Invoices),
        Column::new("client_open_amount", move |r: &ActionRow| r.totals.map_or(Cell::Blank, |t| money(t.1)))
            .labelled(Label::OpenAmount),
    ]
}

/// `actions.csv`: the next collection action on every invoice past due, the most urgent
/// first, in blocks formatted in parallel (a million rows at 10 million invoices).
pub fn actions<'a>(ctx: ActionContext<'a>, actions: &'a [Action]) -> Table<'a, ActionRow<'a>> {
    Table::blocked(action_columns(ctx.currency), actions.len().div_ceil(BLOCK_ROWS), move |b, f| {
        for a in &actions[b * BLOCK_ROWS..((b + 1) * BLOCK_ROWS).min(actions.len())] {
            f(&ctx.row(a, None));
        }
    })
}

/// The Actions sheet and the PDF's section: one row per client, its most urgent action, with
/// its invoices past due and their open amount.
pub fn client_actions<'a>(ctx: ActionContext<'a>, actions: &'a [Action]) -> Table<'a, ActionRow<'a>> {
    let mut totals: BTreeMap<ClientIx, (usize, i64)> = BTreeMap::new();
    for a in actions {
        let t = totals.entry(a.client).or_default();
        t.0 += 1;
        t.1 += ctx.row(a, None).item.invoice.open.minor();
    }
    Table::blocked(action_columns(ctx.currency), 1, move |_, f| {
        let mut seen = std::collections::BTreeSet::new();
        for a in actions.iter().filter(|a| seen.insert(a.client)) {
            f(&ctx.row(a, totals.get(&a.client).copied()));
        }
    })
}
