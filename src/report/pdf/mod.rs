//! The PDF management report and the per-debtor collection dossiers, drawn from the report
//! model with the canvas layer.

pub mod canvas;

use super::error::{PdfError, ReportError};
use super::i18n::{self, Label, date};
use super::model::{Compensation, Creditor, Dossier, Line, Reminder, ReportModel, Role, Severity, Tier, Week};
use super::records::DebtorTotal;
use super::renderer::Renderer;
use super::table::{Cell, Table};
use super::tables::QualityRow;
use crate::locale::Lang;
use crate::output::month_folder::folder_name;
use crate::output::write_staged;
use canvas::{ACCENT, ACCENT2, Align, Canvas, Column, GREEN, INK, MARGIN, MUTED, PAGE_W, RED, col};
use std::path::Path;

/// The management report (`arwatch-<month>.pdf`).
pub struct ManagementReport;

impl Renderer for ManagementReport {
    fn name(&self) -> &'static str {
        "management report"
    }

    fn render(&self, m: &ReportModel<'_>, month: &Path) -> Result<(), ReportError> {
        let path = month.join(format!("arwatch-{}.pdf", folder_name(m.as_of)));
        let bytes = management_report(m).map_err(ReportError::Pdf)?;
        write_staged(&path, &bytes).map_err(|e| ReportError::write(&path, e))
    }
}

/// One dossier per debtor handed over (`handover/<file>.pdf`), naming `creditor`.
pub struct Dossiers<'c> {
    /// The creditor the dossiers name (`[handover.creditor]`).
    pub creditor: &'c Creditor,
}

impl Renderer for Dossiers<'_> {
    fn name(&self) -> &'static str {
        "dossiers"
    }

    fn render(&self, m: &ReportModel<'_>, month: &Path) -> Result<(), ReportError> {
        let dossiers = m.dossiers();
        let folder = month.join("handover");
        if !dossiers.is_empty() {
            std::fs::create_dir_all(&folder).map_err(|e| ReportError::write(&folder, e))?;
        }
        for d in &dossiers {
            let bytes = dossier(m, d, self.creditor)
                .map_err(|problem| ReportError::Dossier { client: d.client.id.clone(), problem })?;
            let path = folder.join(d.file);
            write_staged(&path, &bytes).map_err(|e| ReportError::write(&path, e))?;
        }
        Ok(())
    }
}

/// The colour of an alert row whose severity reads `shown` (in the report's language).
fn severity_color(lang: Lang, shown: &str) -> Option<(f32, f32, f32)> {
    if shown == Severity::Critical.words(lang) {
        Some(RED)
    } else if shown == Severity::High.words(lang) {
        Some(ACCENT2)
    } else {
        None
    }
}

/// The colour of a row whose tier reads `shown` (in the report's language).
fn tier_color(lang: Lang, shown: &str) -> Option<(f32, f32, f32)> {
    if shown == i18n::tier(lang, Tier::Critical) {
        Some(RED)
    } else if shown == i18n::tier(lang, Tier::High) {
        Some(ACCENT2)
    } else {
        None
    }
}

/// The management report.
pub fn management_report(m: &ReportModel<'_>) -> Result<Vec<u8>, PdfError> {
    let as_of = format!("{} {}", m.t(Label::AsOf), date(m.as_of));
    let header = i18n::joined(" — ", &[m.company, m.t(Label::Title), &as_of]);
    let mut c = Canvas::new(m.t(Label::Title), &header, (m.t(Label::Page), m.t(Label::Of)), true)?;

    first_page(&mut c, m);
    charts(&mut c, m);
    forecast(&mut c, m);
    riskiest(&mut c, m);
    early_warning(&mut c, m);
    alerts(&mut c, m);
    watchlist(&mut c, m);
    opportunities(&mut c, m);
    actions(&mut c, m);
    handover(&mut c, m);
    data_quality(&mut c, m);
    Ok(c.finish())
}

/// Page 1: the title, the KPI tiles and the headline alerts.
fn first_page(c: &mut Canvas, m: &ReportModel<'_>) {
    c.gap(14.0);
    c.text(MARGIN, c.y, m.t(Label::Title), 20.0, true, INK);
    c.gap(18.0);
    let as_of = format!("{} {}", m.t(Label::AsOf), date(m.as_of));
    c.text(MARGIN, c.y, &i18n::joined(" · ", &[m.company, &as_of]), 11.0, false, MUTED);
    c.gap(4.0);
    // Which date and why; a month that looks incomplete is said before any figure.
    c.paragraph(&format!("{}: {}", date(m.as_of), m.as_of_why()), 7.5, false, MUTED);
    if let Some(w) = m.as_of_warning() {
        c.paragraph(&w, 9.0, true, RED);
    }
    c.gap(10.0);
    let texts: Vec<[String; 3]> = m.kpis.iter().map(|k| [k.label.clone(), m.kpi_text(k), k.note.clone()]).collect();
    let tiles = Tiles::lay_out(c, &texts);
    for (i, (k, t)) in m.kpis.iter().zip(&tiles.texts).enumerate() {
        let (row, column) = (i / tiles.per_row, i % tiles.per_row);
        let x = MARGIN + column as f32 * (tiles.width + TILE_GAP);
        let top = c.y - row as f32 * (tiles.height + TILE_GAP);
        c.rect(x, top - tiles.height, tiles.width, tiles.height, (0.93, 0.95, 0.98));
        c.rect(x, top - 3.0, tiles.width, 3.0, ACCENT);
        let mut y = top - 15.0 + 9.0;
        for l in &t.label.0 {
            y -= 9.0;
            c.text(x + 6.0, y, l, t.label.1, false, MUTED);
        }
        y -= 7.0 + tiles.value_size;
        c.text(x + 6.0, y, &t.value, tiles.value_size, true, INK);
        let note_color = if k.key == Label::DsoCountback && k.note.starts_with('+') { RED } else { MUTED };
        y -= 14.0 - 8.0;
        for l in &t.note.0 {
            y -= 8.0;
            c.text(x + 6.0, y, l, t.note.1, false, note_color);
        }
    }
    let rows = m.kpis.len().div_ceil(tiles.per_row) as f32;
    c.gap(rows * (tiles.height + TILE_GAP) + 6.0);
    c.heading(m.t(Label::HeadlineAlerts));
    let headline: Vec<_> =
        m.alerts.iter().filter(|a| a.risk && a.role == Role::Client && a.severity.label() != "low").take(8).collect();
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

/// The room between two tiles.
const TILE_GAP: f32 = 8.0;

/// One tile's text as set: its label's lines and size, its value, its note's lines and size.
struct TileText {
    label: (Vec<String>, f32),
    value: String,
    note: (Vec<String>, f32),
}

/// The first page's figure tiles, laid out so that every label, value and note is shown
/// whole: four to a row while every value still reads at 11 points, else three, else two;
/// one value size for all (the largest at which each fits); labels and notes on up to two
/// lines, set smaller only when two lines are not enough.
struct Tiles {
    per_row: usize,
    width: f32,
    height: f32,
    value_size: f32,
    texts: Vec<TileText>,
}

impl Tiles {
    fn lay_out(c: &Canvas, texts: &[[String; 3]]) -> Tiles {
        let width_of = |per_row: usize| (PAGE_W - 2.0 * MARGIN - (per_row - 1) as f32 * TILE_GAP) / per_row as f32;
        let value_size = |per_row: usize| {
            texts.iter().map(|[_, v, _]| c.size_to_fit(v, width_of(per_row) - 12.0, 14.0, true)).fold(14.0, f32::min)
        };
        let per_row = [4, 3].into_iter().find(|&n| value_size(n) >= 11.0).unwrap_or(2);
        let (width, value_size) = (width_of(per_row), value_size(per_row));
        let inner = width - 12.0;
        let texts: Vec<TileText> = texts
            .iter()
            .map(|[label, value, note]| TileText {
                label: c.whole(label, inner, 7.5, false, 2),
                value: value.clone(),
                note: if note.is_empty() { (Vec::new(), 6.5) } else { c.whole(note, inner, 6.5, false, 2) },
            })
            .collect();
        let lines = |f: fn(&TileText) -> usize| texts.iter().map(f).max().unwrap_or(1).max(1) as f32;
        let (label_lines, note_lines) = (lines(|t| t.label.0.len()), lines(|t| t.note.0.len()));
        let height = 15.0 + (label_lines - 1.0) * 9.0 + 7.0 + value_size + 14.0 + (note_lines - 1.0) * 8.0 + 8.0;
        Tiles { per_row, width, height: height.max(58.0), value_size, texts }
    }
}

/// The trend and aging charts.
fn charts(c: &mut Canvas, m: &ReportModel<'_>) {
    c.heading(m.t(Label::Trends));
    let bars: Vec<(String, f64, String)> =
        m.aging.iter().map(|(l, v)| (l.clone(), v.minor() as f64, m.money(v.minor()))).collect();
    let disputed = |c: &mut Canvas| {
        let (amount, n, days) = m.disputed;
        if n > 0 {
            c.paragraph(&i18n::disputed(m.lang, &m.money(amount.minor()), n, days), 9.0, false, MUTED);
        }
        let i = m.instalments;
        if i.invoices > 0 {
            let (amount, past_due) = (m.money(i.amount.minor()), m.money(i.past_due.minor()));
            c.paragraph(&i18n::instalments(m.lang, i.invoices, i.open, &amount, &past_due), 9.0, false, MUTED);
        }
    };
    if m.snapshot_only() {
        c.paragraph(m.t(Label::NoTrends), 9.0, false, MUTED);
        c.bar_chart(m.t(Label::Aging), &bars, ACCENT, 160.0);
        disputed(c);
        return;
    }
    let series = vec![
        (format!("DSO {}", m.t(Label::Countback)), m.dso_countback.clone(), ACCENT),
        (m.t(Label::DsoStandard).to_string(), m.dso_standard.clone(), ACCENT2),
    ];
    c.line_chart(m.t(Label::DsoTrend), &m.months, &series, "days", 170.0);
    c.bar_chart(m.t(Label::Aging), &bars, ACCENT, 160.0);
    disputed(c);
    c.line_chart(
        m.t(Label::LateRatio),
        &m.months,
        &[(m.t(Label::LateRatio).to_string(), m.late_ratio.clone(), RED)],
        "%",
        130.0,
    );
    c.line_chart(m.t(Label::Wadl), &m.months, &[("WADL".to_string(), m.wadl.clone(), ACCENT2)], "days", 130.0);
}

/// A column of a table on a page: which of the table's columns, how wide, how aligned, and
/// whether long text wraps.
struct View(&'static str, f32, Align, bool);

/// A cell as the report shows it, in its language.
fn text_of(m: &ReportModel<'_>, cell: &Cell<'_>) -> String {
    match cell {
        Cell::Text(s) => s.to_string(),
        Cell::Money(v) => m.money_of(*v),
        Cell::Percent(Some(v)) => i18n::percent(m.lang, *v, 1),
        Cell::Days(Some(v)) => i18n::number(m.lang, *v, 1),
        Cell::Score(v) => i18n::number(m.lang, *v, 0),
        Cell::Int(v) => v.to_string(),
        Cell::Date(d) => date(*d),
        Cell::Month(mo) => crate::analytics::calendar::label(*mo),
        Cell::Bool(b) => if *b { "✓" } else { "✗" }.into(),
        Cell::Percent(None) | Cell::Days(None) | Cell::Blank => String::new(),
    }
}

/// Which colour, if any, a row is written in, from its cells as shown.
type Emphasis = dyn Fn(&[String]) -> Option<(f32, f32, f32)>;

/// Draws a view of a table: each column titled with its label, the rows of every block, at
/// most `limit` of them; `emphasis` colours a row from its cells.
fn draw<R>(
    c: &mut Canvas,
    m: &ReportModel<'_>,
    table: &Table<'_, R>,
    view: &[View],
    limit: usize,
    emphasis: &Emphasis,
) {
    let keys: Vec<&str> = view.iter().map(|v| v.0).collect();
    let columns = table.view(&keys);
    let cols: Vec<Column> = columns
        .iter()
        .zip(view)
        .map(|(col, v)| Column {
            title: col.label.map_or("", |l| m.t(l)).to_string(),
            width: v.1,
            align: v.2,
            wrap: v.3,
        })
        .collect();
    let mut rows: Vec<Vec<String>> = Vec::new();
    for b in 0..table.blocks() {
        table.each(b, &mut |r| {
            if rows.len() < limit {
                rows.push(columns.iter().map(|col| text_of(m, &(col.cell)(r))).collect());
            }
        });
    }
    c.table(&cols, &rows, &|i| emphasis(&rows[i]));
}

/// The text width left of a page's width after the other columns.
const fn rest(used: f32) -> f32 {
    PAGE_W - 2.0 * MARGIN - used
}

/// Cash expected from today's open invoices, on a new page: the totals, the track record, the
/// 13 weeks as a chart and a table, the largest expected amounts and the invoices least likely
/// to be collected, with what each forecast rests on.
fn forecast(c: &mut Canvas, m: &ReportModel<'_>) {
    c.new_page();
    c.heading(m.t(Label::ForecastTitle));
    let o = m.outlook();
    let expected = o.expected_13w();
    if !o.known() {
        // An open-items list: nothing to forecast from; the due dates alone.
        c.paragraph(m.t(Label::NoForecast), 9.0, false, MUTED);
        let weeks = [
            View("week", 30.0, Align::Right, false),
            View("start", 60.0, Align::Left, false),
            View("end", 60.0, Align::Left, false),
            View("due_date_baseline", rest(150.0), Align::Right, false),
        ];
        draw(c, m, &m.forecast_weeks(), &weeks, usize::MAX, &|_| None);
        return;
    }
    c.paragraph(
        &format!(
            "{}: {} · {}: {}",
            m.t(Label::ExpectedWithin13w),
            m.money(expected),
            m.t(Label::Beyond13w),
            m.money(o.beyond)
        ),
        10.0,
        true,
        INK,
    );
    c.paragraph(&super::basis::track_record(m.lang, &o.backtest), 8.5, false, MUTED);
    let labels: Vec<String> = o.weeks.iter().map(|w| w.week.to_string()).collect();
    let major = |f: fn(&Week) -> i64| o.weeks.iter().map(|w| Some(m.money_value(f(w)))).collect::<Vec<_>>();
    let series = vec![
        (m.t(Label::Expected).to_string(), major(|w| w.expected), ACCENT),
        (m.t(Label::Low).to_string(), major(|w| w.low), MUTED),
        (m.t(Label::High).to_string(), major(|w| w.high), MUTED),
        (m.t(Label::DueDateBaseline).to_string(), major(|w| w.due_date_baseline), ACCENT2),
    ];
    c.line_chart(m.t(Label::PerWeek), &labels, &series, "", 170.0);
    let weeks = [
        View("week", 30.0, Align::Right, false),
        View("start", 60.0, Align::Left, false),
        View("end", 60.0, Align::Left, false),
        View("expected", 80.0, Align::Right, false),
        View("low", 80.0, Align::Right, false),
        View("high", 80.0, Align::Right, false),
        View("due_date_baseline", rest(390.0), Align::Right, false),
    ];
    draw(c, m, &m.forecast_weeks(), &weeks, usize::MAX, &|_| None);
    let invoices = [
        View("client_name", 90.0, Align::Left, true),
        View("document", 80.0, Align::Left, true),
        View("open_amount", 62.0, Align::Right, false),
        View("expected_date", 52.0, Align::Left, false),
        View("p_collected_13w", 40.0, Align::Right, false),
        View("basis", rest(324.0), Align::Left, true),
    ];
    c.heading(m.t(Label::LargestExpected));
    draw(c, m, &m.largest_expected(10), &invoices, usize::MAX, &|_| None);
    c.heading(m.t(Label::LeastLikely));
    draw(c, m, &m.least_likely(10), &invoices, usize::MAX, &|_| None);
}

/// The early-warning record, on a new page: the sentence, the clients flagged at each month
/// end, and every failure and false alarm with what weighed most when it was flagged (the
/// failures not flagged in time in red).
fn early_warning(c: &mut Canvas, m: &ReportModel<'_>) {
    c.new_page();
    c.heading(m.t(Label::EarlyWarningTitle));
    c.paragraph(&m.early_warning_sentence(), 9.0, false, INK);
    let months = m.flagged_per_month();
    if months.is_empty() {
        return;
    }
    // Every month end's bar, labelled with its month (`2026-10`) every third month.
    let bars: Vec<(String, f64, String)> = months
        .iter()
        .enumerate()
        .map(|(i, (end, n))| {
            let label = if (months.len() - 1 - i).is_multiple_of(3) { end[..7].to_string() } else { String::new() };
            (label, *n as f64, n.to_string())
        })
        .collect();
    c.bar_chart(m.t(Label::FlaggedPerMonth), &bars, ACCENT, 150.0);
    let view = [
        View("client", 120.0, Align::Left, true),
        View("outcome", 55.0, Align::Left, false),
        View("failed_on", 52.0, Align::Left, false),
        View("cause", 70.0, Align::Left, true),
        View("flagged_on", 52.0, Align::Left, false),
        View("lead_months", 35.0, Align::Right, false),
        View("factor", rest(384.0), Align::Left, true),
    ];
    // A failure (its date shown) that was never flagged (none shown) is the record's miss.
    draw(c, m, &m.early_warning_table(), &view, 60, &|row| (!row[2].is_empty() && row[4].is_empty()).then_some(RED));
}

/// The riskiest clients, on a new page.
fn riskiest(c: &mut Canvas, m: &ReportModel<'_>) {
    let lang = m.lang;
    c.new_page();
    c.heading(m.t(Label::Riskiest));
    let mut view = vec![
        View("client", 150.0, Align::Left, true),
        View("risk_tier", 45.0, Align::Left, false),
        View("risk_score", 35.0, Align::Right, false),
        View("net_ar", 70.0, Align::Right, false),
        View("risk_reasons", rest(300.0), Align::Left, true),
    ];
    // With a pool, how late each pays the other creditors, beside the reasons.
    if m.riskiest.iter().any(|r| r.late_elsewhere.is_some()) {
        view[4] = View("risk_reasons", rest(380.0), Align::Left, true);
        view.push(View("elsewhere_wadl_12m", 80.0, Align::Right, false));
    }
    // With a collector's log, the promises each broke, when any did.
    if m.riskiest.iter().any(|r| r.broken_promises.is_some()) {
        let View(_, width, ..) = view[4];
        view[4] = View("risk_reasons", width - 70.0, Align::Left, true);
        view.push(View("promises_broken_12m", 70.0, Align::Right, false));
    }
    draw(c, m, &m.riskiest_table(), &view, usize::MAX, &move |row| tier_color(lang, &row[1]));
    // The collector's log: who broke promises to pay, riskiest or not.
    if !m.breakers.is_empty() {
        c.heading(m.t(Label::Breakers));
        let view = [
            View("client", 150.0, Align::Left, true),
            View("risk_tier", 45.0, Align::Left, false),
            View("risk_score", 35.0, Align::Right, false),
            View("net_ar", 70.0, Align::Right, false),
            View("promises_broken_12m", 70.0, Align::Right, false),
            View("risk_reasons", rest(370.0), Align::Left, true),
        ];
        draw(c, m, &m.breakers_table(), &view, usize::MAX, &move |row| tier_color(lang, &row[1]));
    }
}

/// All alerts, risks then opportunities.
fn alerts(c: &mut Canvas, m: &ReportModel<'_>) {
    let lang = m.lang;
    c.heading(m.t(Label::Alerts));
    if m.compared_with.is_none() {
        c.paragraph(m.t(Label::NoHistory), 9.0, false, MUTED);
    }
    for (risk, title) in [(true, m.t(Label::Risks)), (false, m.t(Label::Opportunities))] {
        let list: Vec<_> = m.alerts.iter().copied().filter(|a| a.risk == risk && a.role == Role::Client).collect();
        if list.is_empty() {
            continue;
        }
        c.ensure(50.0);
        c.gap(12.0);
        c.text(MARGIN, c.y, &format!("{title} ({})", list.len()), 10.0, true, if risk { RED } else { GREEN });
        let view = [
            View("client", 110.0, Align::Left, true),
            // Wide enough for `discontinuation_score`.
            View("kind", 84.0, Align::Left, false),
            View("severity", 45.0, Align::Left, false),
            View("message", rest(239.0), Align::Left, true),
        ];
        draw(c, m, &m.alerts_of(list), &view, usize::MAX, &move |row| severity_color(lang, &row[2]));
    }
}

/// The watched companies' alerts (suppliers, prospects), when there are any: their own
/// section, after the clients'.
fn watchlist(c: &mut Canvas, m: &ReportModel<'_>) {
    let lang = m.lang;
    let list: Vec<_> = m.alerts.iter().copied().filter(|a| a.role != Role::Client).collect();
    if list.is_empty() {
        return;
    }
    c.heading(m.t(Label::Watchlist));
    let view = [
        View("client", 110.0, Align::Left, true),
        View("role", 50.0, Align::Left, false),
        View("kind", 84.0, Align::Left, false),
        View("severity", 45.0, Align::Left, false),
        View("message", rest(289.0), Align::Left, true),
    ];
    draw(c, m, &m.alerts_of(list), &view, usize::MAX, &move |row| severity_color(lang, &row[3]));
}

/// Opportunities for sales: the thirty with the largest credit room or the best news.
fn opportunities(c: &mut Canvas, m: &ReportModel<'_>) {
    let table = m.opportunities();
    if table.rows() == 0 {
        return;
    }
    c.heading(m.t(Label::SalesOpportunities));
    let view = [
        View("client", 140.0, Align::Left, true),
        View("role", 50.0, Align::Left, false),
        View("credit_room", 70.0, Align::Right, false),
        View("reasons", rest(260.0), Align::Left, true),
    ];
    draw(c, m, &table, &view, 30, &|_| None);
}

/// The collection actions: the forty most urgent clients, each with its most urgent action.
fn actions(c: &mut Canvas, m: &ReportModel<'_>) {
    let table = m.client_actions();
    if table.rows() == 0 {
        return;
    }
    c.heading(m.t(Label::Actions));
    let view = [
        View("client", 115.0, Align::Left, true),
        View("next_action", 95.0, Align::Left, true),
        View("action_date", 50.0, Align::Left, false),
        View("overdue_days", 40.0, Align::Right, false),
        View("client_open_amount", 60.0, Align::Right, false),
        View("reason", rest(360.0), Align::Left, true),
    ];
    draw(c, m, &table, &view, 40, &|row| if row[3] != "0" { Some(RED) } else { None });
}

/// The handover per debtor, with its total.
fn handover(c: &mut Canvas, m: &ReportModel<'_>) {
    c.heading(m.t(Label::Handover));
    if m.debtors.is_empty() {
        let why = if m.handover_off() { Label::HandoverOff } else { Label::NothingHandedOver };
        c.paragraph(m.t(why), 9.0, false, MUTED);
        return;
    }
    let view = [
        View("debtor", 140.0, Align::Left, true),
        View("company_number", 75.0, Align::Left, false),
        View("invoices", 40.0, Align::Right, false),
        View("open_amount", 65.0, Align::Right, false),
        View("interest", 60.0, Align::Right, false),
        View("compensation", 60.0, Align::Right, false),
        View("claim_total", rest(440.0), Align::Right, false),
    ];
    draw(c, m, &m.debtors_table(), &view, usize::MAX, &|_| None);
    c.paragraph(&interest_note(m, m.handover_lines().first()), 7.5, false, MUTED);
    if m.handover_total.provisional {
        c.paragraph(&format!("* {}", m.t(Label::Provisional)), 7.5, false, MUTED);
    }
}

/// The data-quality appendix: reconciliation, rejected rows, warnings.
fn data_quality(c: &mut Canvas, m: &ReportModel<'_>) {
    c.new_page();
    c.heading(m.t(Label::DataQuality));
    let view = [
        View("source", 230.0, Align::Left, false),
        View("rows_read", 55.0, Align::Right, false),
        View("accepted", 55.0, Align::Right, false),
        View("rejected", 55.0, Align::Right, false),
        View("reconciles", rest(395.0), Align::Left, false),
    ];
    let inputs = m.inputs().into_iter().map(QualityRow::Input).collect();
    draw(c, m, &m.quality_of(inputs), &view, usize::MAX, &|_| None);
    let rejects = m.rejects();
    if !rejects.is_empty() {
        c.gap(8.0);
        c.text(
            MARGIN,
            c.y,
            &format!("{} ({})", m.t(Label::Rejected), rejects.iter().map(|r| u64::from(r.rows)).sum::<u64>()),
            10.0,
            true,
            INK,
        );
        let view = [
            View("location", 120.0, Align::Left, false),
            View("column", 70.0, Align::Left, false),
            View("value", 70.0, Align::Left, false),
            View("reason", rest(260.0), Align::Left, true),
        ];
        let rows = rejects.into_iter().map(QualityRow::Rejected).collect();
        draw(c, m, &m.quality_of(rows), &view, 200, &|_| None);
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

/// How interest and compensation were computed, with the compensation per invoice as claimed
/// (the configured amount in the reporting currency, not a fixed 40 EUR).
fn interest_note(m: &ReportModel<'_>, line: Option<&Line>) -> String {
    let Some(l) = line else { return m.t(Label::InterestNote).replace("{}", &m.money(0)) };
    let note = m.t(Label::InterestNote).replace("{}", &m.money_of(l.compensation.amount()));
    match l.compensation {
        Compensation::Converted(_) => note,
        Compensation::Unconverted(c) => format!(
            "{note} {}",
            m.t(Label::CompensationUnconverted)
                .replace("{from}", c.currency().code())
                .replace("{to}", m.currency.code())
        ),
    }
}

/// One debtor's collection dossier.
pub fn dossier(m: &ReportModel<'_>, d: &Dossier<'_>, creditor: &Creditor) -> Result<Vec<u8>, PdfError> {
    let (lines, reminders) = (d.lines.as_slice(), d.reminders.as_slice());
    let first = lines.first().ok_or(PdfError::NoInvoice)?;
    let header = format!("{} — {} — {}", m.t(Label::Dossier), m.client_name(first.invoice.client), date(m.as_of));
    let mut c = Canvas::new(m.t(Label::Dossier), &header, (m.t(Label::Page), m.t(Label::Of)), false)?;
    c.gap(14.0);
    c.text(MARGIN, c.y, &format!("{}: {}", m.t(Label::Dossier), m.client_name(first.invoice.client)), 16.0, false, INK);
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
    let debtor = m.debtor(first.invoice.client);
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
        m.client_name(first.invoice.client).to_string(),
        format!("{}: {}", m.t(Label::ClientId), client.id),
        format!(
            "{}: {}",
            m.t(Label::CompanyNumber),
            client.company_number.as_ref().map_or("–".to_string(), ToString::to_string)
        ),
        snapshot
            .and_then(|s| s.bureau.address.clone())
            .map(|a| format!("{}: {a}", m.t(Label::Address)))
            .unwrap_or_default(),
        snapshot.and_then(|s| s.bureau.status).map(|s| format!("status: {}", s.label())).unwrap_or_default(),
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
                i18n::instalment_of(m.lang, &l.invoice.document_id, l.invoice.instalment),
                date(l.invoice.issue),
                date(l.invoice.due),
                m.money_of(l.invoice.amount),
                m.money_of(l.invoice.settled()),
                m.money_of(l.invoice.open),
                l.days_past_due.to_string(),
                format!("{}{}", m.money(l.interest.amount), if l.interest.provisional { " *" } else { "" }),
                m.money_of(l.compensation.amount()),
                m.money_of(l.claim()),
            ]
        })
        .collect();
    // The debtor's totals are the model's, the ones the management report lists.
    let total = lines
        .first()
        .and_then(|l| m.debtor_total(l.invoice.client))
        .cloned()
        .unwrap_or_else(|| DebtorTotal::new(0, m.currency));
    rows.push(vec![
        m.t(Label::Total).into(),
        String::new(),
        String::new(),
        m.money_of(total.amount),
        m.money_of(total.amount - total.open),
        m.money_of(total.open),
        String::new(),
        m.money_of(total.interest),
        m.money_of(total.unconverted.unwrap_or(total.compensation)),
        m.money_of(total.claim),
    ]);
    c.table(&cols, &rows, &|_| None);
    c.paragraph(&interest_note(m, lines.first().copied()), 7.5, false, MUTED);
    for l in lines.iter().filter(|l| !l.interest.periods.is_empty()) {
        let periods: Vec<String> = l.interest.periods.iter().map(|p| p.to_string()).collect();
        let id = i18n::instalment_of(m.lang, &l.invoice.document_id, l.invoice.instalment);
        c.paragraph(&format!("{id}: {}", periods.join(", ")), 7.0, false, MUTED);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::locale::Lang;
    use crate::model::Currency;

    /// Issue 21: the first page's tiles showed `€ 4,667,353.…` for any net AR of a million or
    /// more, and cut the Dutch WADL label. Every value, label and note is now laid out whole,
    /// within its tile, for 0-, 2- and 3-digit currencies up to the 10^13 bound, in en/nl/fr.
    #[test]
    fn tiles_show_every_figure_whole() {
        let c = Canvas::new("t", "header", ("Page", "of"), true).unwrap();
        let labels = [Label::NetAr, Label::OverdueShare, Label::DsoCountback, Label::Wadl, Label::Top10];
        for lang in [Lang::En, Lang::Nl, Lang::Fr] {
            for (code, digits) in [("JPY", 0), ("EUR", 2), ("KWD", 3)] {
                let currency = Currency::parse(code).unwrap();
                for major in [4_667_353i64, 10_000_000_000, 9_999_999_999_999] {
                    let minor = major * 10i64.pow(digits) + 10i64.pow(digits) / 3;
                    let amount = i18n::money(lang, minor, currency);
                    let note = format!("{amount} / {amount}");
                    let texts: Vec<[String; 3]> =
                        labels.iter().map(|&l| [i18n::t(lang, l).to_string(), amount.clone(), note.clone()]).collect();
                    let tiles = Tiles::lay_out(&c, &texts);
                    let inner = tiles.width - 12.0;
                    for (t, [label, value, note]) in tiles.texts.iter().zip(&texts) {
                        assert_eq!(&t.value, value);
                        assert!(c.width(value, tiles.value_size, true) <= inner, "{value} at {}", tiles.value_size);
                        for ((lines, size), whole) in [(&t.label, label), (&t.note, note)] {
                            assert_eq!(&lines.join(" "), whole);
                            assert!(lines.iter().all(|l| c.width(l, *size, false) <= inner), "{lines:?}");
                        }
                    }
                    if major == 4_667_353 {
                        let fewest = if code == "EUR" { 4 } else { 3 };
                        assert!(tiles.per_row >= fewest, "a few millions keep {fewest} tiles a row ({amount})");
                        assert!(tiles.value_size >= 11.0, "{amount} at {}", tiles.value_size);
                    }
                }
            }
        }
    }
}
