//! The Excel workbook (`arwatch-YYYY-MM.xlsx`): a summary with native charts, and one sheet per
//! table, with frozen headers, filters, fitted widths, euro formats on true numbers, real
//! dates and percentages. Every text cell is neutralised against formulas.

use super::data::formula_like;
use super::i18n::Label;
use super::model::{ReportModel, Unit};
use crate::analytics::calendar;
use crate::model::Currency;
use rust_xlsxwriter::{
    Chart, ChartType, Color, ConditionalFormatText, ConditionalFormatTextRule, DocProperties, Format, FormatAlign,
    Workbook, Worksheet, XlsxError,
};

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

/// A typed cell, so each sheet is described as data and written by one function.
enum Cell {
    Text(String),
    Money(i64),
    Pct(Option<f64>),
    Days(Option<f64>),
    Int(i64),
    Date(chrono::NaiveDate),
    Bool(bool),
}

fn text(s: impl Into<String>) -> Cell {
    Cell::Text(s.into())
}

/// Excel's last row (1,048,576) holds the note about rows left out, if any.
const MAX_ROWS: usize = 1_048_574;

/// Writes a table sheet: header, rows, frozen header, autofilter, fitted widths. Beyond Excel's
/// row limit the sheet says how many rows are left out (the data files hold them all).
fn table(ws: &mut Worksheet, f: &Formats, header: &[String], rows: &[Vec<Cell>]) -> Result<(), XlsxError> {
    for (c, h) in header.iter().enumerate() {
        put(ws, 0, c as u16, h, Some(&f.head))?;
    }
    let (rows, left_out) = if rows.len() > MAX_ROWS { (&rows[..MAX_ROWS], rows.len() - MAX_ROWS) } else { (rows, 0) };
    if left_out > 0 {
        let note = format!(
            "{left_out} more rows are left out: Excel holds 1,048,576 rows; the data files in data/ have them all"
        );
        ws.write_string_with_format(MAX_ROWS as u32 + 1, 0, note, &f.muted)?;
    }
    // Autofit measures a number as its bare digits; a money cell shows grouping, decimals and
    // the currency, so its column is widened to what it shows.
    let mut money_chars = vec![0usize; header.len()];
    for (r, row) in rows.iter().enumerate() {
        let r = r as u32 + 1;
        for (c, cell) in row.iter().enumerate() {
            let c = c as u16;
            match cell {
                Cell::Text(s) => put(ws, r, c, s, None)?,
                Cell::Money(v) => {
                    ws.write_number_with_format(r, c, f.currency.major(*v), &f.money)?;
                    if let Some(w) = money_chars.get_mut(c as usize) {
                        *w = (*w).max(f.money_chars(*v));
                    }
                }
                Cell::Pct(Some(v)) if v.is_finite() => {
                    ws.write_number_with_format(r, c, *v, &f.pct)?;
                }
                Cell::Days(Some(v)) if v.is_finite() => {
                    ws.write_number_with_format(r, c, *v, &f.days)?;
                }
                Cell::Int(v) => {
                    ws.write_number_with_format(r, c, *v as f64, &f.int)?;
                }
                Cell::Date(d) => {
                    ws.write_date_with_format(r, c, d, &f.date)?;
                }
                Cell::Bool(b) => {
                    ws.write_boolean(r, c, *b)?;
                }
                Cell::Pct(_) | Cell::Days(_) => {}
            }
        }
    }
    ws.set_freeze_panes(1, 0)?;
    if !header.is_empty() {
        ws.autofilter(0, 0, rows.len() as u32, header.len() as u16 - 1)?;
    }
    ws.set_autofit_max_width(400);
    if rows.len() <= 100_000 {
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

/// The workbook's bytes.
pub fn workbook(m: &ReportModel<'_>) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    // A fixed creation date (the as-of date) keeps the file the same from run to run.
    wb.set_properties(
        &DocProperties::new().set_title(m.t(Label::Title)).set_company(m.src.company).set_creation_datetime(&m.as_of),
    );
    let f = formats(m.src.currency);
    let a = m.src.analysis;
    let s = &a.settings;
    let roster = m.src.roster;

    // Summary: KPIs, the chart data, and three native charts.
    let mut ws = sheet(m.t(Label::Summary))?;
    let summary = ws.name();
    put(&mut ws, 0, 0, m.t(Label::Title), Some(&f.title))?;
    let subtitle = format!("{} · {} {}", m.src.company, m.t(Label::AsOf), super::i18n::date(m.as_of));
    put(&mut ws, 1, 0, &subtitle, Some(&f.muted))?;
    ws.write_string_with_format(3, 0, m.t(Label::Kpi), &f.head)?;
    ws.write_string_with_format(3, 1, m.t(Label::Value), &f.head)?;
    ws.write_string_with_format(3, 2, "", &f.head)?;
    for (i, k) in m.kpis.iter().enumerate() {
        let r = 4 + i as u32;
        put(&mut ws, r, 0, &k.label, None)?;
        if let Some(v) = k.value {
            let fmt = match k.unit {
                Unit::Money => &f.money,
                Unit::Percent => &f.pct,
                Unit::Days => &f.days,
            };
            ws.write_number_with_format(r, 1, v, fmt)?;
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
        ws.write_number_with_format(aging_top + 1 + i as u32, 1, f.currency.major(*v), &f.money)?;
    }
    let aging_last = aging_top + m.aging.len() as u32;
    let mut dso = Chart::new(ChartType::Line);
    dso.title().set_name(m.t(Label::DsoTrend));
    for c in [1u16, 2] {
        dso.add_series()
            .set_name((summary.as_str(), top, c))
            .set_categories((summary.as_str(), top + 1, 0, last, 0))
            .set_values((summary.as_str(), top + 1, c, last, c));
    }
    dso.set_width(640).set_height(300);
    ws.insert_chart(3, 4, &dso)?;
    let mut aging = Chart::new(ChartType::Column);
    aging.title().set_name(m.t(Label::Aging));
    aging
        .add_series()
        .set_name((summary.as_str(), aging_top, 1))
        .set_categories((summary.as_str(), aging_top + 1, 0, aging_last, 0))
        .set_values((summary.as_str(), aging_top + 1, 1, aging_last, 1));
    aging.set_width(640).set_height(300);
    ws.insert_chart(19, 4, &aging)?;
    let mut late = Chart::new(ChartType::Line);
    late.title().set_name(m.t(Label::LateTrend));
    late.add_series()
        .set_name((summary.as_str(), top, 3))
        .set_categories((summary.as_str(), top + 1, 0, last, 0))
        .set_values((summary.as_str(), top + 1, 3, last, 3));
    late.add_series()
        .set_name((summary.as_str(), top, 4))
        .set_categories((summary.as_str(), top + 1, 0, last, 0))
        .set_values((summary.as_str(), top + 1, 4, last, 4))
        .set_secondary_axis(true);
    late.y_axis().set_num_format("0%");
    late.set_width(640).set_height(300);
    ws.insert_chart(35, 4, &late)?;
    ws.set_column_width(0, 34)?;
    ws.set_column_width(1, 18)?;
    ws.set_column_width(2, 30)?;
    wb.push_worksheet(ws);

    // Clients: every column of clients.csv.
    let mut ws = sheet(m.t(Label::Clients))?;
    let header = super::data::clients_header(s);
    let tier_col = header.iter().position(|h| h == "risk_tier").unwrap_or(0) as u16;
    let rows: Vec<Vec<Cell>> = a
        .clients
        .iter()
        .zip(&m.src.assessment.clients)
        .map(|(c, v)| {
            let client = &roster.clients[c.client as usize];
            let fg = &c.figures;
            let b = &fg.sums.window;
            let mut r = vec![
                text(&client.id),
                text(&client.name),
                text(client.company_number.as_deref().unwrap_or("")),
                text(m.src.currency.code()),
                Cell::Money(fg.sums.net_ar),
                Cell::Int(fg.sums.open_invoices as i64),
            ];
            r.extend(fg.sums.buckets.iter().map(|x| Cell::Money(*x)));
            r.extend([
                Cell::Money(-fg.sums.unapplied_credit),
                Cell::Days(Some(fg.dbt)),
                Cell::Int(b.paid as i64),
                Cell::Int(b.late as i64),
                Cell::Pct(b.late_ratio()),
                Cell::Pct(b.late_amount_ratio()),
                Cell::Days(b.wadl()),
                Cell::Days(b.adp()),
                Cell::Days(fg.wadl_slope_6m),
                Cell::Pct(fg.late_ratio_trend),
                Cell::Days(fg.dso_standard),
                Cell::Days(Some(fg.dso_countback)),
                Cell::Bool(fg.dso_countback_capped),
                Cell::Days(fg.bpdso),
                Cell::Days(fg.add),
                Cell::Pct(fg.cei),
                v.credit_limit.map(Cell::Money).unwrap_or(Cell::Text(String::new())),
                Cell::Pct(v.utilisation.filter(|u| u.is_finite())),
                text(v.status.map(|x| x.label()).unwrap_or("")),
                Cell::Days(Some(v.risk.score)),
                text(v.risk.tier.label()),
                text(&v.risk.reasons),
                Cell::Days(fg.avg_terms_days),
            ]);
            r
        })
        .collect();
    table(&mut ws, &f, &header, &rows)?;
    let n = rows.len() as u32;
    if n > 0 {
        for (word, color) in [("critical", 0xF4CCCC), ("high", 0xFCE5CD), ("medium", 0xFFF2CC), ("low", 0xD9EAD3)] {
            let cf = ConditionalFormatText::new()
                .set_rule(ConditionalFormatTextRule::Contains(word.to_string()))
                .set_format(Format::new().set_background_color(Color::RGB(color)));
            ws.add_conditional_format(1, tier_col, n, tier_col, &cf)?;
        }
    }
    wb.push_worksheet(ws);

    // Open items.
    let mut ws = sheet(m.t(Label::OpenItems))?;
    let names = &s.bucket_names();
    let header = [
        m.t(Label::ClientId),
        m.t(Label::Client),
        m.t(Label::Document),
        m.t(Label::IssueDate),
        m.t(Label::DueDate),
        m.t(Label::Amount),
        m.t(Label::OpenAmount),
        m.t(Label::DaysPastDue),
        m.t(Label::Bucket),
    ]
    .map(String::from)
    .to_vec();
    let rows: Vec<Vec<Cell>> = a
        .clients
        .iter()
        .flat_map(|c| {
            let client = &roster.clients[c.client as usize];
            c.open_items.iter().map(move |o| {
                vec![
                    text(&client.id),
                    text(&client.name),
                    text(&o.document_id),
                    Cell::Date(o.issue),
                    Cell::Date(o.due),
                    Cell::Money(o.amount),
                    Cell::Money(o.open),
                    Cell::Int(o.days_past_due),
                    text(&names[o.bucket]),
                ]
            })
        })
        .collect();
    table(&mut ws, &f, &header, &rows)?;
    wb.push_worksheet(ws);

    // Trends: the monthly series, portfolio first.
    let mut ws = sheet(m.t(Label::Trends))?;
    let header = super::data::MONTHLY_COLUMNS.map(String::from).to_vec();
    let row = |id: &str, r: &crate::analytics::MonthRow| {
        vec![
            text(id),
            text(calendar::label(r.month)),
            Cell::Money(r.sales),
            Cell::Money(r.net_ar),
            Cell::Money(r.current_ar),
            Cell::Days(r.dso_standard),
            Cell::Days(Some(r.dso_countback)),
            Cell::Pct(r.cei),
            Cell::Int(r.behaviour.paid as i64),
            Cell::Int(r.behaviour.late as i64),
            Cell::Days(r.behaviour.wadl()),
            Cell::Days(r.behaviour.adp()),
        ]
    };
    let mut rows: Vec<Vec<Cell>> = a.portfolio.monthly.iter().map(|r| row("*", r)).collect();
    for c in &a.clients {
        let id = &roster.clients[c.client as usize].id;
        rows.extend(c.figures.monthly.iter().map(|r| row(id, r)));
    }
    table(&mut ws, &f, &header, &rows)?;
    wb.push_worksheet(ws);

    // Alerts.
    let mut ws = sheet(m.t(Label::Alerts))?;
    let header = [
        m.t(Label::ClientId),
        m.t(Label::Client),
        m.t(Label::Kind),
        m.t(Label::Direction),
        m.t(Label::Severity),
        m.t(Label::Previous),
        m.t(Label::Current),
        m.t(Label::Message),
    ]
    .map(String::from)
    .to_vec();
    let rows: Vec<Vec<Cell>> = m
        .alerts
        .iter()
        .map(|x| {
            vec![
                text(&x.client_id),
                text(&x.client_name),
                text(x.kind.code()),
                text(x.direction()),
                text(x.severity.label()),
                text(&x.previous),
                text(&x.current),
                text(&x.message),
            ]
        })
        .collect();
    table(&mut ws, &f, &header, &rows)?;
    wb.push_worksheet(ws);

    // Handover.
    let mut ws = sheet(m.t(Label::HandoverSheet))?;
    let header = [
        m.t(Label::ClientId),
        m.t(Label::Client),
        m.t(Label::CompanyNumber),
        m.t(Label::Document),
        m.t(Label::IssueDate),
        m.t(Label::DueDate),
        m.t(Label::Amount),
        m.t(Label::OpenAmount),
        m.t(Label::DaysPastDue),
        m.t(Label::Interest),
        m.t(Label::Compensation),
        m.t(Label::ClaimTotal),
    ]
    .map(String::from)
    .to_vec();
    let rows: Vec<Vec<Cell>> = m
        .src
        .handover
        .iter()
        .map(|l| {
            let client = &roster.clients[l.client as usize];
            vec![
                text(&client.id),
                text(&client.name),
                text(client.company_number.as_deref().unwrap_or("")),
                text(&l.document_id),
                Cell::Date(l.issue),
                Cell::Date(l.due),
                Cell::Money(l.amount),
                Cell::Money(l.open),
                Cell::Int(l.days_past_due),
                Cell::Money(l.interest.amount),
                Cell::Money(l.compensation),
                Cell::Money(l.claim()),
            ]
        })
        .collect();
    table(&mut ws, &f, &header, &rows)?;
    wb.push_worksheet(ws);

    // Data quality: the reconciliation, then every rejected row and warning.
    let mut ws = sheet(m.t(Label::DataQuality))?;
    let header = [
        m.t(Label::Source),
        m.t(Label::RowsRead),
        m.t(Label::Accepted),
        m.t(Label::Rejected),
        m.t(Label::Location),
        m.t(Label::Column),
        m.t(Label::Value),
        m.t(Label::Reason),
    ]
    .map(String::from)
    .to_vec();
    let mut rows: Vec<Vec<Cell>> = m
        .inputs()
        .iter()
        .map(|st| {
            vec![
                text(&st.file),
                Cell::Int(st.rows_read as i64),
                Cell::Int(st.accepted as i64),
                Cell::Int(st.rejected as i64),
            ]
        })
        .collect();
    for r in m.rejects() {
        rows.push(vec![
            text(&r.source),
            text(""),
            text(""),
            text(""),
            text(&r.location),
            text(&r.column),
            text(&r.value),
            text(&r.reason),
        ]);
    }
    for w in m.warnings() {
        rows.push(vec![
            text(&w.source),
            text(""),
            text(""),
            text(""),
            text(&w.location),
            text(""),
            text(""),
            text(&w.message),
        ]);
    }
    for w in m.src.analysis_warnings {
        rows.push(vec![text("analysis"), text(""), text(""), text(""), text(""), text(""), text(""), text(w)]);
    }
    table(&mut ws, &f, &header, &rows)?;
    wb.push_worksheet(ws);

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
