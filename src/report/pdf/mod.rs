//! The PDF management report and the per-debtor collection dossiers, drawn from the report
//! model with the canvas layer.

pub mod canvas;

use super::i18n::{self, Label, date};
use super::model::ReportModel;
use crate::collection::handover::{Creditor, Line, Reminder};
use canvas::{ACCENT, ACCENT2, Align, Canvas, Column, GREEN, INK, MARGIN, MUTED, PAGE_W, RED, col};

fn tier_color(tier: &str) -> Option<(f32, f32, f32)> {
    match tier {
        "critical" => Some(RED),
        "high" => Some(ACCENT2),
        _ => None,
    }
}

/// The management report.
pub fn management_report(m: &ReportModel<'_>) -> Result<Vec<u8>, String> {
    let header = format!("{} — {} — {} {}", m.company, m.t(Label::Title), m.t(Label::AsOf), date(m.as_of));
    let mut c = Canvas::new(m.t(Label::Title), &header, (m.t(Label::Page), m.t(Label::Of)), true)?;

    first_page(&mut c, m);
    charts(&mut c, m);
    riskiest(&mut c, m);
    alerts(&mut c, m);
    handover(&mut c, m);
    data_quality(&mut c, m);
    Ok(c.finish())
}

/// Page 1: the title, the KPI tiles and the headline alerts.
fn first_page(c: &mut Canvas, m: &ReportModel<'_>) {
    c.gap(14.0);
    c.text(MARGIN, c.y, m.t(Label::Title), 20.0, true, INK);
    c.gap(18.0);
    c.text(MARGIN, c.y, &format!("{} · {} {}", m.company, m.t(Label::AsOf), date(m.as_of)), 11.0, false, MUTED);
    c.gap(14.0);
    let tile_w = (PAGE_W - 2.0 * MARGIN - 3.0 * 8.0) / 4.0;
    let tile_h = 58.0;
    for (i, k) in m.kpis.iter().enumerate() {
        let (row, column) = (i / 4, i % 4);
        let x = MARGIN + column as f32 * (tile_w + 8.0);
        let y = c.y - (row as f32 + 1.0) * (tile_h + 8.0);
        c.rect(x, y, tile_w, tile_h, (0.93, 0.95, 0.98));
        c.rect(x, y + tile_h - 3.0, tile_w, 3.0, ACCENT);
        let label = c.fit(&k.label, tile_w - 10.0, 7.5, false);
        c.text(x + 6.0, y + tile_h - 15.0, &label, 7.5, false, MUTED);
        let value = c.fit(&m.kpi_text(k), tile_w - 10.0, 14.0, true);
        c.text(x + 6.0, y + 22.0, &value, 14.0, true, INK);
        let note_color = if k.key == Label::DsoCountback && k.note.starts_with('+') { RED } else { MUTED };
        let note = c.fit(&k.note, tile_w - 10.0, 6.5, false);
        c.text(x + 6.0, y + 8.0, &note, 6.5, false, note_color);
    }
    let rows = m.kpis.len().div_ceil(4) as f32;
    c.gap(rows * (tile_h + 8.0) + 6.0);
    c.heading(m.t(Label::HeadlineAlerts));
    let headline: Vec<_> = m.alerts.iter().filter(|a| a.risk && a.severity.label() != "low").take(8).collect();
    if m.compared_with.is_none() {
        c.paragraph(m.t(Label::NoHistory), 9.0, false, MUTED);
    } else if headline.is_empty() {
        c.paragraph(m.t(Label::NoAlerts), 9.0, false, MUTED);
    }
    for a in headline {
        let color = if a.severity.label() == "critical" { RED } else { INK };
        c.paragraph(&format!("• [{}] {}", a.severity.label(), a.message), 8.5, false, color);
    }
}

/// The trend and aging charts.
fn charts(c: &mut Canvas, m: &ReportModel<'_>) {
    c.heading(m.t(Label::Trends));
    let series = vec![
        (format!("DSO {}", m.t(Label::Countback)), m.dso_countback.clone(), ACCENT),
        (m.t(Label::DsoStandard).to_string(), m.dso_standard.clone(), ACCENT2),
    ];
    c.line_chart(m.t(Label::DsoTrend), &m.months, &series, "days", 170.0);
    let bars: Vec<(String, f64, String)> =
        m.aging.iter().map(|(l, v)| (l.clone(), v.minor() as f64, m.money(v.minor()))).collect();
    c.bar_chart(m.t(Label::Aging), &bars, ACCENT, 160.0);
    c.line_chart(
        m.t(Label::LateRatio),
        &m.months,
        &[(m.t(Label::LateRatio).to_string(), m.late_ratio.clone(), RED)],
        "%",
        130.0,
    );
    c.line_chart(m.t(Label::Wadl), &m.months, &[("WADL".to_string(), m.wadl.clone(), ACCENT2)], "days", 130.0);
}

/// The riskiest clients, on a new page.
fn riskiest(c: &mut Canvas, m: &ReportModel<'_>) {
    let lang = m.lang;
    c.new_page();
    c.heading(m.t(Label::Riskiest));
    let cols = [
        col(m.t(Label::Client), 150.0, Align::Left),
        col(m.t(Label::Tier), 45.0, Align::Left),
        col(m.t(Label::Score), 35.0, Align::Right),
        col(m.t(Label::NetAr), 70.0, Align::Right),
        Column {
            title: m.t(Label::Reasons).into(),
            width: PAGE_W - 2.0 * MARGIN - 300.0,
            align: Align::Left,
            wrap: true,
        },
    ];
    let rows: Vec<Vec<String>> = m
        .riskiest
        .iter()
        .map(|r| {
            vec![
                r.name.to_string(),
                r.tier.label().to_string(),
                i18n::number(lang, r.score, 0),
                m.money(r.net_ar.minor()),
                r.reasons.to_string(),
            ]
        })
        .collect();
    let tiers: Vec<String> = rows.iter().map(|r| r[1].clone()).collect();
    c.table(&cols, &rows, &|i| tier_color(&tiers[i]));
}

/// All alerts, risks then opportunities.
fn alerts(c: &mut Canvas, m: &ReportModel<'_>) {
    c.heading(m.t(Label::Alerts));
    if m.compared_with.is_none() {
        c.paragraph(m.t(Label::NoHistory), 9.0, false, MUTED);
    }
    for (risk, title) in [(true, m.t(Label::Risks)), (false, m.t(Label::Opportunities))] {
        let list: Vec<_> = m.alerts.iter().filter(|a| a.risk == risk).collect();
        if list.is_empty() {
            continue;
        }
        c.ensure(50.0);
        c.gap(12.0);
        c.text(MARGIN, c.y, &format!("{title} ({})", list.len()), 10.0, true, if risk { RED } else { GREEN });
        let cols = [
            col(m.t(Label::Client), 110.0, Align::Left),
            col(m.t(Label::Kind), 62.0, Align::Left),
            col(m.t(Label::Severity), 45.0, Align::Left),
            Column {
                title: m.t(Label::Message).into(),
                width: PAGE_W - 2.0 * MARGIN - 217.0,
                align: Align::Left,
                wrap: true,
            },
        ];
        let rows: Vec<Vec<String>> = list
            .iter()
            .map(|a| {
                vec![
                    if a.client_name.is_empty() { a.client_id.clone() } else { a.client_name.clone() },
                    a.kind.to_string(),
                    a.severity.label().to_string(),
                    a.message.clone(),
                ]
            })
            .collect();
        let sev: Vec<String> = rows.iter().map(|r| r[2].clone()).collect();
        c.table(&cols, &rows, &|i| tier_color(&sev[i]));
    }
}

/// The handover per debtor, with its total.
fn handover(c: &mut Canvas, m: &ReportModel<'_>) {
    c.heading(m.t(Label::Handover));
    if m.debtors.is_empty() {
        c.paragraph(m.t(Label::NothingHandedOver), 9.0, false, MUTED);
    } else {
        let cols = [
            col(m.t(Label::Debtor), 140.0, Align::Left),
            col(m.t(Label::CompanyNumber), 75.0, Align::Left),
            col(m.t(Label::Invoices), 40.0, Align::Right),
            col(m.t(Label::OpenAmount), 65.0, Align::Right),
            col(m.t(Label::Interest), 60.0, Align::Right),
            col(m.t(Label::Compensation), 60.0, Align::Right),
            col(m.t(Label::ClaimTotal), PAGE_W - 2.0 * MARGIN - 440.0, Align::Right),
        ];
        let mut rows: Vec<Vec<String>> = m
            .debtors
            .iter()
            .map(|d| {
                let cl = m.client(d.client);
                vec![
                    m.client_name(d.client).to_string(),
                    cl.company_number.as_ref().map(ToString::to_string).unwrap_or_default(),
                    d.invoices.to_string(),
                    m.money(d.open),
                    format!("{}{}", m.money(d.interest), if d.provisional { " *" } else { "" }),
                    m.money(d.compensation),
                    m.money(d.claim),
                ]
            })
            .collect();
        let total = &m.handover_total;
        rows.push(vec![
            m.t(Label::Total).to_string(),
            String::new(),
            total.invoices.to_string(),
            m.money(total.open),
            m.money(total.interest),
            m.money(total.compensation),
            m.money(total.claim),
        ]);
        c.table(&cols, &rows, &|_| None);
        c.paragraph(m.t(Label::InterestNote), 7.5, false, MUTED);
        if m.handover_total.provisional {
            c.paragraph(&format!("* {}", m.t(Label::Provisional)), 7.5, false, MUTED);
        }
    }
}

/// The data-quality appendix: reconciliation, rejected rows, warnings.
fn data_quality(c: &mut Canvas, m: &ReportModel<'_>) {
    c.new_page();
    c.heading(m.t(Label::DataQuality));
    let cols = [
        col(m.t(Label::Source), 230.0, Align::Left),
        col(m.t(Label::RowsRead), 55.0, Align::Right),
        col(m.t(Label::Accepted), 55.0, Align::Right),
        col(m.t(Label::Rejected), 55.0, Align::Right),
        col("", PAGE_W - 2.0 * MARGIN - 395.0, Align::Left),
    ];
    let rows: Vec<Vec<String>> = m
        .inputs()
        .iter()
        .map(|s| {
            let ok = s.reconciles();
            vec![
                s.file.clone(),
                s.rows_read.to_string(),
                s.accepted.to_string(),
                s.rejected.to_string(),
                if ok { "✓" } else { "✗" }.into(),
            ]
        })
        .collect();
    c.table(&cols, &rows, &|_| None);
    let rejects = m.rejects();
    if !rejects.is_empty() {
        c.gap(8.0);
        c.text(MARGIN, c.y, &format!("{} ({})", m.t(Label::Rejected), rejects.len()), 10.0, true, INK);
        let cols = [
            col(m.t(Label::Location), 120.0, Align::Left),
            col(m.t(Label::Column), 70.0, Align::Left),
            col(m.t(Label::Value), 70.0, Align::Left),
            Column {
                title: m.t(Label::Reason).into(),
                width: PAGE_W - 2.0 * MARGIN - 260.0,
                align: Align::Left,
                wrap: true,
            },
        ];
        let rows: Vec<Vec<String>> = rejects
            .iter()
            .take(200)
            .map(|r| vec![r.location.clone(), r.column.clone(), r.value.clone(), r.reason.clone()])
            .collect();
        c.table(&cols, &rows, &|_| None);
    }
    let warnings: Vec<String> =
        m.warnings().iter().map(|w| w.message.clone()).chain(m.analysis_warnings().iter().cloned()).collect();
    if !warnings.is_empty() {
        c.gap(8.0);
        c.text(MARGIN, c.y, &format!("{} ({})", m.t(Label::Warnings), warnings.len()), 10.0, true, INK);
        for w in warnings.iter().take(200) {
            c.paragraph(&format!("• {w}"), 7.5, false, INK);
        }
    }
}

/// One debtor's collection dossier.
pub fn dossier(
    m: &ReportModel<'_>,
    lines: &[&Line],
    creditor: &Creditor,
    reminders: &[&Reminder],
) -> Result<Vec<u8>, String> {
    let first = lines.first().ok_or("a dossier needs at least one invoice")?;
    let header = format!("{} — {} — {}", m.t(Label::Dossier), m.client_name(first.client), date(m.as_of));
    let mut c = Canvas::new(m.t(Label::Dossier), &header, (m.t(Label::Page), m.t(Label::Of)), false)?;
    c.gap(14.0);
    c.text(MARGIN, c.y, &format!("{}: {}", m.t(Label::Dossier), m.client_name(first.client)), 16.0, false, INK);
    c.gap(16.0);
    c.text(MARGIN, c.y, &format!("{}: {}", m.t(Label::HandoverDate), date(m.as_of)), 9.0, false, MUTED);
    c.gap(8.0);
    parties(&mut c, m, first, creditor);
    claims(&mut c, m, lines);
    reminder_history(&mut c, m, reminders);
    Ok(c.finish())
}

/// The creditor and the debtor side by side, and the legal basis of the claim.
fn parties(c: &mut Canvas, m: &ReportModel<'_>, first: &Line, creditor: &Creditor) {
    let debtor = m.debtor(first.client);
    let client = debtor.client;
    let half = (PAGE_W - 2.0 * MARGIN) / 2.0;
    let block_top = c.y;
    let block = |c: &mut Canvas, x: f32, title: &str, lines: &[String]| {
        let mut y = block_top - 14.0;
        c.text(x, y, title, 10.0, false, ACCENT);
        for l in lines.iter().filter(|l| !l.trim().is_empty()) {
            y -= 12.0;
            let l = c.fit(l, half - 12.0, 8.5, false);
            c.text(x, y, &l, 8.5, false, INK);
        }
        y
    };
    let creditor_lines = vec![
        creditor.name.clone(),
        creditor.company_number.clone(),
        creditor.address.clone(),
        creditor.contact.clone(),
        creditor.iban.clone(),
    ];
    let snapshot = debtor.snapshot;
    let debtor_lines = vec![
        m.client_name(first.client).to_string(),
        format!("{}: {}", m.t(Label::ClientId), client.id),
        format!(
            "{}: {}",
            m.t(Label::CompanyNumber),
            client.company_number.as_ref().map_or("–".to_string(), ToString::to_string)
        ),
        snapshot.and_then(|s| s.address.clone()).map(|a| format!("{}: {a}", m.t(Label::Address))).unwrap_or_default(),
        snapshot.and_then(|s| s.status).map(|s| format!("status: {}", s.label())).unwrap_or_default(),
    ];
    let y1 = block(c, MARGIN, m.t(Label::Creditor), &creditor_lines);
    let y2 = block(c, MARGIN + half, m.t(Label::Debtor), &debtor_lines);
    c.y = y1.min(y2) - 10.0;
    c.paragraph(&format!("{}: {}", m.t(Label::LegalBasis), first.jurisdiction.legal_basis()), 8.5, false, INK);
    c.gap(4.0);
}

/// The invoices claimed, with interest and compensation, their total and the rates used.
fn claims(c: &mut Canvas, m: &ReportModel<'_>, lines: &[&Line]) {
    let cols = [
        col(m.t(Label::Document), 58.0, Align::Left),
        col(m.t(Label::IssueDate), 48.0, Align::Left),
        col(m.t(Label::DueDate), 48.0, Align::Left),
        col(m.t(Label::Amount), 56.0, Align::Right),
        col(m.t(Label::Paid), 46.0, Align::Right),
        col(m.t(Label::OpenAmount), 56.0, Align::Right),
        col(m.t(Label::Days), 28.0, Align::Right),
        col(m.t(Label::Interest), 50.0, Align::Right),
        col(m.t(Label::Compensation), 50.0, Align::Right),
        col(m.t(Label::ClaimTotal), PAGE_W - 2.0 * MARGIN - 440.0, Align::Right),
    ];
    let mut rows: Vec<Vec<String>> = lines
        .iter()
        .map(|l| {
            vec![
                l.document_id.clone(),
                date(l.issue),
                date(l.due),
                m.money(l.amount),
                m.money(l.amount - l.open),
                m.money(l.open),
                l.days_past_due.to_string(),
                format!("{}{}", m.money(l.interest.amount), if l.interest.provisional { " *" } else { "" }),
                m.money(l.compensation),
                m.money(l.claim()),
            ]
        })
        .collect();
    // The debtor's totals are the model's, the ones the management report lists.
    let total = lines.first().and_then(|l| m.debtor_total(l.client)).cloned().unwrap_or_default();
    rows.push(vec![
        m.t(Label::Total).into(),
        String::new(),
        String::new(),
        m.money(total.amount),
        m.money(total.amount - total.open),
        m.money(total.open),
        String::new(),
        m.money(total.interest),
        m.money(total.compensation),
        m.money(total.claim),
    ]);
    c.table(&cols, &rows, &|_| None);
    c.paragraph(m.t(Label::InterestNote), 7.5, false, MUTED);
    for l in lines.iter().filter(|l| !l.interest.periods.is_empty()) {
        let periods: Vec<String> = l.interest.periods.iter().map(|p| p.to_string()).collect();
        c.paragraph(&format!("{}: {}", l.document_id, periods.join(", ")), 7.0, false, MUTED);
    }
    if lines.iter().any(|l| l.interest.provisional) {
        c.paragraph(&format!("* {}", m.t(Label::Provisional)), 7.5, false, RED);
    }
}

/// The reminders sent before the handover.
fn reminder_history(c: &mut Canvas, m: &ReportModel<'_>, reminders: &[&Reminder]) {
    c.heading(m.t(Label::Reminders));
    if reminders.is_empty() {
        c.paragraph(m.t(Label::NoReminders), 8.5, false, MUTED);
    } else {
        let cols = [
            col(m.t(Label::Document), 90.0, Align::Left),
            col("", 60.0, Align::Left),
            Column { title: String::new(), width: PAGE_W - 2.0 * MARGIN - 150.0, align: Align::Left, wrap: true },
        ];
        let rows: Vec<Vec<String>> =
            reminders.iter().map(|r| vec![r.document_id.clone(), date(r.date), r.note.clone()]).collect();
        c.table(&cols, &rows, &|_| None);
    }
}
