//! The Excel workbook (`arwatch-YYYY-MM.xlsx`): a summary with native charts, and one sheet per
//! table, with frozen headers, filters, fitted widths, euro formats on true numbers, real
//! dates and percentages. Every text cell is neutralised against formulas.

use super::csv::formula_like;
use super::error::ReportError;
use super::i18n::{Label, t};
use super::model::{Figure, ReportModel};
use super::renderer::Renderer;
use super::table::{Cell, Column, Table};
use crate::analytics::calendar;
use crate::locale::Lang;
use crate::model::Currency;
use crate::output::month_folder::folder_name;
use crate::output::write_staged;
use rust_xlsxwriter::{
    Chart, ChartType, Color, ConditionalFormatText, ConditionalFormatTextRule, DocProperties, Format, FormatAlign,
    Workbook, Worksheet, XlsxError,
};
use std::path::Path;

struct Formats {
    currency: Currency,
    head: Format,
    money: Format,
    pct: Format,
    days: Format,
    date: Format,
    int: Format,
    title: Format,
    muted: Format,
}

fn formats(currency: Currency) -> Formats {
    let digits = match currency.minor_digits() {
        0 => String::new(),
        d => format!(".{}", "0".repeat(d as usize)),
    };
    let code = currency.code();
    let money = if code == "EUR" { format!("#,##0{digits} \"€\"") } else { format!("#,##0{digits} \"{code}\"") };
    Formats {
        currency,
        head: Format::new()
            .set_bold()
            .set_background_color(Color::RGB(0xDCE6F1))
            .set_border_bottom(rust_xlsxwriter::FormatBorder::Thin),
        money: Format::new().set_num_format(money),
        pct: Format::new().set_num_format("0.0%"),
        days: Format::new().set_num_format("0.0"),
        date: Format::new().set_num_format("dd/mm/yyyy").set_align(FormatAlign::Left),
        int: Format::new().set_num_format("0"),
        title: Format::new().set_bold().set_font_size(16),
        muted: Format::new().set_font_color(Color::RGB(0x666666)),
    }
}

impl Formats {
    /// How many characters a money cell shows: `-1,234,567.89 "EUR"`.
    fn money_chars(&self, minor: i64) -> usize {
        let digits = self.currency.minor_digits();
        let major = minor.unsigned_abs() / 10u64.pow(digits);
        let int = major.checked_ilog10().map_or(1, |l| l as usize + 1);
        let decimals = if digits > 0 { digits as usize + 1 } else { 0 };
        let symbol = if self.currency.code() == "EUR" { 2 } else { 4 };
        usize::from(minor < 0) + int + (int - 1) / 3 + decimals + symbol
    }
}

/// The most characters an Excel cell holds.
const MAX_CELL_CHARS: usize = 32_767;

/// Writes text as a string cell. Text a spreadsheet could take for a formula gets Excel's
/// quote prefix (shown as typed, kept as text when edited; no visible `'`); text beyond what a
/// cell holds is shortened with a note saying so (the data files keep it whole).
fn put(ws: &mut Worksheet, r: u32, c: u16, s: &str, fmt: Option<&Format>) -> Result<(), XlsxError> {
    let shortened;
    let mut s = s;
    let chars = s.chars().count();
    if chars > MAX_CELL_CHARS {
        let note =
            format!(" … [shortened from {chars} characters: Excel holds {MAX_CELL_CHARS}; the data files have it all]");
        let keep: String = s.chars().take(MAX_CELL_CHARS - note.chars().count()).collect();
        shortened = keep + &note;
        s = &shortened;
    }
    match (formula_like(s), fmt) {
        (false, None) => ws.write_string(r, c, s)?,
        (false, Some(f)) => ws.write_string_with_format(r, c, s, f)?,
        (true, f) => ws.write_string_with_format(r, c, s, &f.cloned().unwrap_or_default().set_quote_prefix())?,
    };
    Ok(())
}

/// Excel's last row (1,048,576) holds the note about rows left out, if any.
const MAX_ROWS: usize = 1_048_574;

/// Writes one typed cell; undefined figures and blanks leave the cell empty. Returns the
/// characters a money cell shows, for its column's width.
fn put_cell(ws: &mut Worksheet, f: &Formats, r: u32, c: u16, cell: &Cell<'_>) -> Result<usize, XlsxError> {
    match cell {
        Cell::Text(s) => put(ws, r, c, s, None)?,
        Cell::Money(v) => {
            ws.write_number_with_format(r, c, v.major(), &f.money)?;
            return Ok(f.money_chars(v.minor()));
        }
        Cell::Percent(Some(v)) if v.is_finite() => {
            ws.write_number_with_format(r, c, *v, &f.pct)?;
        }
        Cell::Days(Some(v)) if v.is_finite() => {
            ws.write_number_with_format(r, c, *v, &f.days)?;
        }
        Cell::Score(v) => {
            ws.write_number_with_format(r, c, *v, &f.days)?;
        }
        Cell::Int(v) => {
            ws.write_number_with_format(r, c, *v as f64, &f.int)?;
        }
        Cell::Date(d) => {
            ws.write_date_with_format(r, c, d, &f.date)?;
        }
        Cell::Month(m) => put(ws, r, c, &calendar::label(*m), None)?,
        Cell::Bool(b) => {
            ws.write_boolean(r, c, *b)?;
        }
        Cell::Percent(_) | Cell::Days(_) | Cell::Blank => {}
    }
    Ok(0)
}

/// Writes a table sheet from a view of a table (all columns when `keys` is `None`): header
/// (each column's label, or its key), rows, frozen header, autofilter, fitted widths. Beyond
/// Excel's row limit the sheet says how many rows are left out (the data files hold them all).
fn table<R>(
    ws: &mut Worksheet,
    f: &Formats,
    lang: Lang,
    table: &Table<'_, R>,
    keys: Option<&[&str]>,
) -> Result<(), XlsxError> {
    let view: Vec<&Column<'_, R>> = match keys {
        Some(k) => table.view(k),
        None => table.all(),
    };
    // People read headings in their language; the data files keep the keys.
    let header: Vec<String> = view
        .iter()
        .map(|c| match c.label {
            Some(l) => t(lang, l).to_string(),
            None => super::headings::heading(lang, &c.key).unwrap_or_else(|| c.key.to_string()),
        })
        .collect();
    for (c, h) in header.iter().enumerate() {
        put(ws, 0, c as u16, h, Some(&f.head))?;
    }
    let rows = table.rows();
    let (shown, left_out) = (rows.min(MAX_ROWS), rows.saturating_sub(MAX_ROWS));
    if left_out > 0 {
        let note = format!(
            "{left_out} more rows are left out: Excel holds 1,048,576 rows; the data files in data/ have them all"
        );
        ws.write_string_with_format(MAX_ROWS as u32 + 1, 0, note, &f.muted)?;
    }
    // Autofit measures a number as its bare digits; a money cell shows grouping, decimals and
    // the currency, so its column is widened to what it shows.
    let mut money_chars = vec![0usize; header.len()];
    let mut r = 0u32;
    let mut result = Ok(());
    for b in 0..table.blocks() {
        table.each(b, &mut |row| {
            if result.is_err() || r as usize >= shown {
                return;
            }
            r += 1;
            for (c, col) in view.iter().enumerate() {
                match put_cell(ws, f, r, c as u16, &(col.cell)(row)) {
                    Ok(w) => money_chars[c] = money_chars[c].max(w),
                    Err(e) => result = Err(e),
                }
            }
        });
    }
    result?;
    ws.set_freeze_panes(1, 0)?;
    if !header.is_empty() {
        ws.autofilter(0, 0, shown as u32, header.len() as u16 - 1)?;
    }
    ws.set_autofit_max_width(400);
    if shown <= 100_000 {
        // Fitting widths measures every cell: for very large sheets the header sets them.
        ws.autofit();
    } else {
        for (c, h) in header.iter().enumerate() {
            ws.set_column_width(c as u16, (h.chars().count() as f64 + 4.0).max(12.0))?;
        }
    }
    for (c, (h, &w)) in header.iter().zip(&money_chars).enumerate() {
        if w > 0 {
            ws.set_column_width(c as u16, (w.max(h.chars().count()) + 3) as f64)?;
        }
    }
    Ok(())
}

fn sheet(name: &str) -> Result<Worksheet, XlsxError> {
    let mut ws = Worksheet::new();
    // Sheet names cannot hold these characters and are at most 31 long.
    let clean: String = name.chars().filter(|c| !"[]:*?/\\".contains(*c)).take(31).collect();
    ws.set_name(clean)?;
    Ok(ws)
}

/// The Open items sheet: the open invoices with the client's name, without the document
/// currency columns of `open_items.csv`.
const OPEN_ITEMS: [&str; 12] = [
    "client_id",
    "client_name",
    "document_id",
    "issue_date",
    "due_date",
    "amount",
    "open_amount",
    "days_past_due",
    "bucket",
    "disputed",
    "days_in_dispute",
    "instalment",
];

/// The Alerts sheet: the client's name beside its id.
const ALERTS: [&str; 9] =
    ["client_id", "client_name", "kind", "direction", "severity", "previous", "current", "message", "role"];

/// The Handover sheet: the claim, without the jurisdiction, interest status and dossier file.
const HANDOVER: [&str; 13] = [
    "client_id",
    "client_name",
    "company_number",
    "document_id",
    "issue_date",
    "due_date",
    "amount",
    "open_amount",
    "days_past_due",
    "interest",
    "compensation",
    "claim_total",
    "instalment",
];

/// The Summary sheet: the KPIs, the data of the charts, and the charts.
fn summary_sheet(m: &ReportModel<'_>, f: &Formats) -> Result<Worksheet, XlsxError> {
    let mut ws = sheet(m.t(Label::Summary))?;
    let summary = ws.name();
    put(&mut ws, 0, 0, m.t(Label::Title), Some(&f.title))?;
    let as_of = format!("{} {}", m.t(Label::AsOf), super::i18n::date(m.as_of));
    let subtitle = super::i18n::joined(" · ", &[m.company, &as_of]);
    put(&mut ws, 1, 0, &subtitle, Some(&f.muted))?;
    // Which date and why, and the warning of a month that looks incomplete, under the title.
    let why = match m.as_of_warning() {
        Some(w) => format!("{}: {} {w}", super::i18n::date(m.as_of), m.as_of_why()),
        None => format!("{}: {}", super::i18n::date(m.as_of), m.as_of_why()),
    };
    put(&mut ws, 2, 0, &why, Some(&f.muted))?;
    ws.write_string_with_format(3, 0, m.t(Label::Kpi), &f.head)?;
    ws.write_string_with_format(3, 1, m.t(Label::Value), &f.head)?;
    ws.write_string_with_format(3, 2, "", &f.head)?;
    for (i, k) in m.kpis.iter().enumerate() {
        let r = 4 + i as u32;
        put(&mut ws, r, 0, &k.label, None)?;
        match k.figure {
            Figure::Money(v) => ws.write_number_with_format(r, 1, v.major(), &f.money).map(|_| ())?,
            Figure::Percent(Some(v)) => ws.write_number_with_format(r, 1, v, &f.pct).map(|_| ())?,
            Figure::Days(Some(v)) => ws.write_number_with_format(r, 1, v, &f.days).map(|_| ())?,
            Figure::Percent(None) | Figure::Days(None) => {}
        }
        put(&mut ws, r, 2, &k.note, Some(&f.muted))?;
    }
    // Chart data: the 24 months, and the aging buckets.
    let top = 6 + m.kpis.len() as u32;
    let heads = [
        m.t(Label::Month).to_string(),
        format!("DSO {}", m.t(Label::Standard)),
        format!("DSO {}", m.t(Label::Countback)),
        m.t(Label::LateRatio).into(),
        "WADL".into(),
    ];
    for (c, h) in heads.iter().enumerate() {
        ws.write_string_with_format(top, c as u16, h, &f.head)?;
    }
    for (i, month) in m.months.iter().enumerate() {
        let r = top + 1 + i as u32;
        ws.write_string(r, 0, month)?;
        for (c, v, fmt) in [
            (1u16, m.dso_standard[i], &f.days),
            (2, m.dso_countback[i], &f.days),
            (3, m.late_ratio[i], &f.pct),
            (4, m.wadl[i], &f.days),
        ] {
            if let Some(v) = v.filter(|v| v.is_finite()) {
                ws.write_number_with_format(r, c, v, fmt)?;
            }
        }
    }
    let last = top + m.months.len() as u32;
    let aging_top = last + 2;
    ws.write_string_with_format(aging_top, 0, m.t(Label::Bucket), &f.head)?;
    ws.write_string_with_format(aging_top, 1, m.t(Label::OpenAmount), &f.head)?;
    for (i, (label, v)) in m.aging.iter().enumerate() {
        ws.write_string(aging_top + 1 + i as u32, 0, label)?;
        ws.write_number_with_format(aging_top + 1 + i as u32, 1, v.major(), &f.money)?;
    }
    let aging_last = aging_top + m.aging.len() as u32;
    let rows = ChartRows { top, last, aging_top, aging_last };
    charts(&mut ws, m, &summary, &rows)?;
    ws.set_column_width(0, 34)?;
    ws.set_column_width(1, 18)?;
    ws.set_column_width(2, 30)?;
    Ok(ws)
}

/// Where the chart data sits on the Summary sheet.
struct ChartRows {
    /// The header row of the monthly series, and its last row.
    top: u32,
    last: u32,
    /// The header row of the aging buckets, and their last row.
    aging_top: u32,
    aging_last: u32,
}

/// The DSO, aging and late-payment charts, drawn from the data on the Summary sheet.
fn charts(ws: &mut Worksheet, m: &ReportModel<'_>, summary: &str, r: &ChartRows) -> Result<(), XlsxError> {
    let ChartRows { top, last, aging_top, aging_last } = *r;
    let mut aging = Chart::new(ChartType::Column);
    aging.title().set_name(m.t(Label::Aging));
    aging
        .add_series()
        .set_name((summary, aging_top, 1))
        .set_categories((summary, aging_top + 1, 0, aging_last, 0))
        .set_values((summary, aging_top + 1, 1, aging_last, 1));
    aging.set_width(640).set_height(300);
    if m.snapshot_only() {
        // One date: the trend charts would be empty frames.
        ws.write_string(3, 4, m.t(Label::NoTrends))?;
        ws.insert_chart(5, 4, &aging)?;
        return Ok(());
    }
    let mut dso = Chart::new(ChartType::Line);
    dso.title().set_name(m.t(Label::DsoTrend));
    for c in [1u16, 2] {
        dso.add_series().set_name((summary, top, c)).set_categories((summary, top + 1, 0, last, 0)).set_values((
            summary,
            top + 1,
            c,
            last,
            c,
        ));
    }
    dso.set_width(640).set_height(300);
    ws.insert_chart(3, 4, &dso)?;
    ws.insert_chart(19, 4, &aging)?;
    let mut late = Chart::new(ChartType::Line);
    late.title().set_name(m.t(Label::LateTrend));
    late.add_series().set_name((summary, top, 3)).set_categories((summary, top + 1, 0, last, 0)).set_values((
        summary,
        top + 1,
        3,
        last,
        3,
    ));
    late.add_series()
        .set_name((summary, top, 4))
        .set_categories((summary, top + 1, 0, last, 0))
        .set_values((summary, top + 1, 4, last, 4))
        .set_secondary_axis(true);
    late.y_axis().set_num_format("0%");
    late.set_width(640).set_height(300);
    ws.insert_chart(35, 4, &late)?;
    Ok(())
}

/// A table of a few rows (one block) under a sheet's heading: its labels on row `head`, its
/// rows below. Returns the last row written.
fn small_table<R>(
    ws: &mut Worksheet,
    f: &Formats,
    m: &ReportModel<'_>,
    table: &Table<'_, R>,
    view: &[&Column<'_, R>],
    head: u32,
) -> Result<u32, XlsxError> {
    for (c, col) in view.iter().enumerate() {
        put(ws, head, c as u16, col.label.map_or(&*col.key, |l| m.t(l)), Some(&f.head))?;
    }
    let mut r = head;
    let mut result = Ok(0);
    table.each(0, &mut |row| {
        r += 1;
        for (c, col) in view.iter().enumerate() {
            if result.is_ok() {
                result = put_cell(ws, f, r, c as u16, &(col.cell)(row));
            }
        }
    });
    result?;
    Ok(r)
}

/// The Forecast sheet: what the open invoices are expected to bring in, the 13 weeks with their
/// 80 % interval beside the due dates, a native chart of them, and the track record in words.
fn forecast_sheet(m: &ReportModel<'_>, f: &Formats) -> Result<Worksheet, XlsxError> {
    let mut ws = sheet(m.t(Label::Forecast))?;
    let name = ws.name();
    let o = m.outlook();
    put(&mut ws, 0, 0, m.t(Label::ForecastTitle), Some(&f.title))?;
    let expected = o.expected_13w();
    if o.known() {
        for (r, label, v) in [(1u32, Label::ExpectedWithin13w, expected), (2, Label::Beyond13w, o.beyond)] {
            put(&mut ws, r, 0, m.t(label), None)?;
            ws.write_number_with_format(r, 1, m.money_value(v), &f.money)?;
        }
    } else {
        put(&mut ws, 1, 0, m.t(Label::NoForecast), None)?;
    }
    put(&mut ws, 3, 0, &super::basis::track_record(m.lang, &o.backtest), Some(&f.muted))?;
    let weeks = m.forecast_weeks();
    let keys = ["week", "start", "end", "expected", "low", "high", "due_date_baseline"];
    let view = weeks.view(&keys);
    let top = 5u32;
    let last = small_table(&mut ws, f, m, &weeks, &view, top)?;
    let first = top + 1;
    let mut chart = Chart::new(ChartType::Column);
    chart.title().set_name(m.t(Label::ForecastTitle));
    chart
        .add_series()
        .set_name((name.as_str(), top, 3))
        .set_categories((name.as_str(), first, 0, last, 0))
        .set_values((name.as_str(), first, 3, last, 3));
    let mut lines = Chart::new(ChartType::Line);
    for c in [4u16, 5, 6] {
        lines
            .add_series()
            .set_name((name.as_str(), top, c))
            .set_categories((name.as_str(), first, 0, last, 0))
            .set_values((name.as_str(), first, c, last, c));
    }
    chart.combine(&lines);
    chart.x_axis().set_name(m.t(Label::Week));
    chart.set_width(720).set_height(360);
    ws.insert_chart(top, 8, &chart)?;
    ws.set_column_width(0, 30)?;
    for c in 1..7u16 {
        ws.set_column_width(c, 16)?;
    }
    Ok(ws)
}

/// The Early warning sheet: the record in words, the clients flagged at each month end with a
/// native chart of them, then every failure and false alarm with what weighed most.
fn early_warning_sheet(m: &ReportModel<'_>, f: &Formats) -> Result<Worksheet, XlsxError> {
    let mut ws = sheet(m.t(Label::EarlyWarning))?;
    let name = ws.name();
    put(&mut ws, 0, 0, m.t(Label::EarlyWarningTitle), Some(&f.title))?;
    put(&mut ws, 1, 0, &m.early_warning_sentence(), Some(&f.muted))?;
    let months = m.flagged_per_month();
    let top = 3u32;
    put(&mut ws, top, 0, m.t(Label::MonthEnd), Some(&f.head))?;
    put(&mut ws, top, 1, m.t(Label::FlaggedPerMonth), Some(&f.head))?;
    for (i, (end, n)) in months.iter().enumerate() {
        let r = top + 1 + i as u32;
        put(&mut ws, r, 0, end, None)?;
        ws.write_number(r, 1, *n as f64)?;
    }
    if !months.is_empty() {
        let (first, last) = (top + 1, top + months.len() as u32);
        let mut chart = Chart::new(ChartType::Column);
        chart.title().set_name(m.t(Label::FlaggedPerMonth));
        chart
            .add_series()
            .set_name((name.as_str(), top, 1))
            .set_categories((name.as_str(), first, 0, last, 0))
            .set_values((name.as_str(), first, 1, last, 1));
        chart.set_width(640).set_height(320);
        ws.insert_chart(top, 3, &chart)?;
    }
    // The failures and false alarms, below the month ends and the chart.
    let table = m.early_warning_table();
    small_table(&mut ws, f, m, &table, &table.all(), top + months.len().max(17) as u32 + 2)?;
    ws.set_column_width(0, 30)?;
    for c in 1..7u16 {
        ws.set_column_width(c, 16)?;
    }
    ws.set_column_width(7, 60)?;
    Ok(ws)
}

/// The Forecast per invoice sheet: every open invoice's forecast, with the client's name.
const FORECAST: [&str; 13] = [
    "client_id",
    "client_name",
    "document_id",
    "open_amount",
    "due_date",
    "days_past_due",
    "expected_date",
    "date_p10",
    "date_p90",
    "p_collected_13w",
    "basis",
    "currency",
    "instalment",
];

/// The Data quality sheet: the reconciliation's counts and each rejected row's place and reason.
const QUALITY: [&str; 8] = ["source", "rows_read", "accepted", "rejected", "location", "column", "value", "reason"];

/// The Actions sheet: a client a row, its most urgent action first.
const CLIENT_ACTIONS: [&str; 11] = [
    "client_id",
    "client_name",
    "next_action",
    "kind",
    "action_date",
    "overdue_days",
    "document_id",
    "invoices",
    "client_open_amount",
    "claim",
    "reason",
];

/// The workbook (`arwatch-<month>.xlsx`): every table as a sheet, with native charts.
pub struct ExcelWorkbook;

impl Renderer for ExcelWorkbook {
    fn name(&self) -> &'static str {
        "workbook"
    }

    fn render(&self, m: &ReportModel<'_>, month: &Path) -> Result<(), ReportError> {
        let path = month.join(format!("arwatch-{}.xlsx", folder_name(m.as_of)));
        write_staged(&path, &workbook(m)?).map_err(|e| ReportError::write(&path, e))
    }
}

/// Draws one table sheet.
type Draw<'a> = dyn Fn(&mut Worksheet) -> Result<(), XlsxError> + 'a;

/// The workbook's bytes.
pub fn workbook(m: &ReportModel<'_>) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    // A fixed creation date (the as-of date) keeps the file the same from run to run.
    wb.set_properties(
        &DocProperties::new().set_title(m.t(Label::Title)).set_company(m.company).set_creation_datetime(&m.as_of),
    );
    let f = formats(m.currency);

    // Summary: KPIs, the chart data, and three native charts.
    let ws = summary_sheet(m, &f)?;
    wb.push_worksheet(ws);

    // Clients: every column of clients.csv, the tiers coloured.
    let lang = m.lang;
    let mut ws = sheet(m.t(Label::Clients))?;
    let clients = m.clients();
    table(&mut ws, &f, lang, &clients, None)?;
    let tier_col = clients.columns.iter().position(|c| c.key == "risk_tier").unwrap_or(0) as u16;
    let n = clients.rows() as u32;
    if n > 0 {
        for (word, color) in [("critical", 0xF4CCCC), ("high", 0xFCE5CD), ("medium", 0xFFF2CC), ("low", 0xD9EAD3)] {
            let cf = ConditionalFormatText::new()
                .set_rule(ConditionalFormatTextRule::Contains(word.to_string()))
                .set_format(Format::new().set_background_color(Color::RGB(color)));
            ws.add_conditional_format(1, tier_col, n, tier_col, &cf)?;
        }
    }
    wb.push_worksheet(ws);

    wb.push_worksheet(forecast_sheet(m, &f)?);
    wb.push_worksheet(early_warning_sheet(m, &f)?);

    let sheets: [(Label, &Draw); 8] = [
        (Label::OpenItems, &|ws| table(ws, &f, lang, &m.open_items(), Some(&OPEN_ITEMS))),
        (Label::ForecastInvoices, &|ws| table(ws, &f, lang, &m.forecast(lang), Some(&FORECAST))),
        // The monthly series, portfolio first: every column of monthly.csv.
        (Label::Trends, &|ws| table(ws, &f, lang, &m.monthly(), None)),
        (Label::Alerts, &|ws| table(ws, &f, lang, &m.alerts_table(), Some(&ALERTS))),
        // Whom sales could call: every column of opportunities.csv.
        (Label::Opportunities, &|ws| table(ws, &f, lang, &m.opportunities(), Some(&super::data::OPPORTUNITIES))),
        // One row per client: its most urgent collection action.
        (Label::Actions, &|ws| table(ws, &f, lang, &m.client_actions(), Some(&CLIENT_ACTIONS))),
        (Label::HandoverSheet, &|ws| {
            // The sheet does not name the dossier files.
            table(ws, &f, lang, &m.handover(), Some(&HANDOVER))
        }),
        // The reconciliation, then every rejected row and warning.
        (Label::DataQuality, &|ws| table(ws, &f, lang, &m.quality(), Some(&QUALITY))),
    ];
    for (name, draw) in sheets {
        let mut ws = sheet(m.t(name))?;
        draw(&mut ws)?;
        wb.push_worksheet(ws);
    }

    wb.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_columns_are_as_wide_as_what_they_show() {
        let c = |code: &str| formats(Currency::parse(code).unwrap());
        assert_eq!(c("JPY").money_chars(1_234_567), "1,234,567 JPY".len());
        assert_eq!(c("EUR").money_chars(-123_456), "-1,234.56 €".chars().count());
        assert_eq!(c("KWD").money_chars(1_234_567), "1,234.567 KWD".len());
        assert_eq!(c("EUR").money_chars(5), "0.05 €".chars().count());
    }
}
