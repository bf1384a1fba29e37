//! The plain data files other tools read (`data/*.csv`, `data/summary.json`), exactly as
//! `outputs.md` fixes them: UTF-8, comma, ISO dates, money as plain decimals, ratios as
//! fractions with 4 decimals, days with 2, empty for undefined.

use crate::analytics::{Analysis, Figures};
use crate::ingest::bureau::BureauIngested;
use crate::ingest::{DataQuality, Reject, SourceStats, Warning};
use crate::model::{Currency, Money, Roster, format_minor};
use crate::monitor::Assessment;
use crate::monitor::alerts::Alert;
use crate::output::{write_atomic, write_atomic_parts};
use rayon::prelude::*;
use serde::Serialize;
use std::path::Path;

/// Whether a spreadsheet could take `s` for a formula: it starts with `=`, `+`, `-`, `@`, a
/// tab or a carriage return, and is not simply a signed number (`-12,50` stays a number).
pub fn formula_like(s: &str) -> bool {
    let Some(first) = s.chars().next() else { return false };
    if !matches!(first, '=' | '+' | '-' | '@' | '\t' | '\r') {
        return false;
    }
    let rest = &s[1..];
    let number = matches!(first, '+' | '-')
        && rest.chars().any(|c| c.is_ascii_digit())
        && rest.chars().all(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | ' ' | '\u{a0}' | '\u{202f}'));
    !number
}

/// Neutralises text a spreadsheet would run as a formula, for the CSV files: a leading `'`,
/// which spreadsheets show as text. Signed numbers are left as they are.
pub fn safe_text(s: &str) -> String {
    if formula_like(s) { format!("'{s}") } else { s.to_string() }
}

pub fn ratio(v: Option<f64>) -> String {
    v.map(|x| format!("{x:.4}")).unwrap_or_default()
}

pub fn days(v: Option<f64>) -> String {
    v.map(|x| format!("{x:.2}")).unwrap_or_default()
}

/// Writes a CSV file from rows of already formatted cells.
/// One CSV line appended to a buffer field by field, with no string made per cell: the large
/// files (monthly, open items, handover) have millions of cells.
struct Line<'a> {
    buf: &'a mut Vec<u8>,
    first: bool,
}

impl<'a> Line<'a> {
    fn new(buf: &'a mut Vec<u8>) -> Line<'a> {
        Line { buf, first: true }
    }

    fn sep(&mut self) {
        if !self.first {
            self.buf.push(b',');
        }
        self.first = false;
    }

    /// Text, neutralised against formulas and quoted when it must be.
    fn text(&mut self, s: &str) -> &mut Self {
        self.sep();
        let risky = formula_like(s);
        let quote = s.bytes().any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r'));
        if quote {
            self.buf.push(b'"');
        }
        if risky {
            self.buf.push(b'\'');
        }
        for b in s.bytes() {
            if b == b'"' {
                self.buf.push(b'"');
            }
            self.buf.push(b);
        }
        if quote {
            self.buf.push(b'"');
        }
        self
    }

    /// Anything that formats without separators or quotes: numbers, dates, booleans.
    fn plain(&mut self, v: impl std::fmt::Display) -> &mut Self {
        use std::io::Write;
        self.sep();
        let _ = write!(self.buf, "{v}");
        self
    }

    fn money(&mut self, minor: i64, digits: u32) -> &mut Self {
        self.sep();
        if minor < 0 {
            self.buf.push(b'-');
        }
        let abs = minor.unsigned_abs();
        if digits == 0 {
            push_digits(self.buf, abs, 1);
        } else {
            let scale = 10u64.pow(digits);
            push_digits(self.buf, abs / scale, 1);
            self.buf.push(b'.');
            push_digits(self.buf, abs % scale, digits as usize);
        }
        self
    }

    /// A whole number (days, counts).
    fn int(&mut self, v: i64) -> &mut Self {
        self.sep();
        if v < 0 {
            self.buf.push(b'-');
        }
        push_digits(self.buf, v.unsigned_abs(), 1);
        self
    }

    /// An ISO date, `2026-10-31`.
    fn date(&mut self, d: chrono::NaiveDate) -> &mut Self {
        use chrono::Datelike;
        self.sep();
        match d.year() {
            y @ 0..=9999 => push_digits(self.buf, y as u64, 4),
            // Outside what exports hold; the library's own form.
            _ => {
                let _ = std::io::Write::write_fmt(self.buf, format_args!("{d}"));
                return self;
            }
        }
        self.buf.push(b'-');
        push_digits(self.buf, d.month() as u64, 2);
        self.buf.push(b'-');
        push_digits(self.buf, d.day() as u64, 2);
        self
    }

    /// A figure with `decimals` decimals, or empty when undefined.
    fn fixed(&mut self, v: Option<f64>, decimals: usize) -> &mut Self {
        self.sep();
        if let Some(x) = v {
            push_fixed(self.buf, x, decimals);
        }
        self
    }

    fn end(&mut self) {
        self.buf.push(b'\n');
    }
}

/// The decimal digits of `v`, left-padded with zeros to at least `width`.
fn push_digits(buf: &mut Vec<u8>, mut v: u64, width: usize) {
    let mut tmp = [b'0'; 20];
    let mut i = tmp.len();
    while v > 0 || tmp.len() - i < width {
        i -= 1;
        tmp[i] = b'0' + (v % 10) as u8;
        v /= 10;
    }
    buf.extend_from_slice(&tmp[i..]);
}

/// `x` with `decimals` decimals, byte for byte what `format!("{x:.decimals$}")` gives, without
/// its exact decimal expansion in the common case (millions of figures in `monthly.csv`).
fn push_fixed(buf: &mut Vec<u8>, x: f64, decimals: usize) {
    use std::io::Write;
    if decimals <= 6 && x.is_finite() {
        let scale = 10u64.pow(decimals as u32);
        let y = x.abs() * scale as f64;
        // Below 2^30 the product is within 2^-23 of the exact one, so unless the exact value
        // is close to a tie, rounding the product gives the same digits.
        let frac = y - y.trunc();
        if y < (1u64 << 30) as f64 && (frac - 0.5).abs() > 1e-6 {
            let r = y.round() as u64;
            if x.is_sign_negative() {
                buf.push(b'-');
            }
            push_digits(buf, r / scale, 1);
            if decimals > 0 {
                buf.push(b'.');
                push_digits(buf, r % scale, decimals);
            }
            return;
        }
    }
    let _ = write!(buf, "{x:.decimals$}");
}

/// CSV bytes of rows, without a header: per-client chunks are formatted in parallel.
fn rows_bytes(rows: impl Iterator<Item = Vec<String>>) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::Any(b'\n')).from_writer(Vec::new());
    for r in rows {
        // Writing into memory cannot fail.
        let _ = w.write_record(&r);
    }
    w.into_inner().unwrap_or_default()
}

/// A header and chunks of rows, in order.
fn write_chunks(path: &Path, header: &[String], chunks: Vec<Vec<u8>>) -> std::io::Result<()> {
    let head = rows_bytes(std::iter::once(header.to_vec()));
    let parts: Vec<&[u8]> = std::iter::once(head.as_slice()).chain(chunks.iter().map(Vec::as_slice)).collect();
    write_atomic_parts(path, &parts)
}

fn write_csv(path: &Path, header: &[String], rows: impl Iterator<Item = Vec<String>>) -> std::io::Result<()> {
    write_chunks(path, header, vec![rows_bytes(rows)])
}

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

/// The columns of `clients.csv` (the bucket columns follow the configured boundaries), which
/// the workbook's Clients sheet repeats.
pub fn clients_header(settings: &crate::analytics::Settings) -> Vec<String> {
    let mut header = strings(&["client_id", "client_name", "company_number", "currency", "net_ar", "open_invoices"]);
    header.extend(settings.bucket_names());
    header.extend(strings(&[
        "unapplied_credit",
        "dbt",
        "paid_12m",
        "late_12m",
        "late_ratio_12m",
        "late_amount_ratio_12m",
        "wadl_12m",
        "adp_12m",
        "wadl_slope_6m",
        "late_ratio_trend",
        "dso_standard",
        "dso_countback",
        "dso_countback_capped",
        "bpdso",
        "add",
        "cei",
        "credit_limit",
        "utilisation",
        "bureau_status",
        "risk_score",
        "risk_tier",
        "risk_reasons",
        "avg_terms_days",
    ]));
    header
}

/// The columns of `monthly.csv`, repeated by the workbook's Trends sheet.
pub const MONTHLY_COLUMNS: [&str; 12] = [
    "client_id",
    "month",
    "sales",
    "net_ar",
    "current_ar",
    "dso_standard",
    "dso_countback",
    "cei",
    "paid",
    "late",
    "wadl",
    "adp",
];

/// `clients.csv`: one row per client with any document or payment on or before A.
pub fn write_clients(
    dir: &Path,
    roster: &Roster,
    a: &Analysis,
    assessment: Option<&Assessment>,
    cur: Currency,
) -> std::io::Result<()> {
    let money = |v: i64| Money::new(v, cur).to_string();
    let header = clients_header(&a.settings);
    let rows = a.clients.iter().enumerate().map(|(i, c)| {
        let client = &roster.clients[c.client as usize];
        let view = assessment.and_then(|x| x.clients.get(i));
        let f: &Figures = &c.figures;
        let b = &f.sums.window;
        let mut r = vec![
            safe_text(&client.id),
            safe_text(&client.name),
            client.company_number.as_ref().map(ToString::to_string).unwrap_or_default(),
            cur.code().to_string(),
            money(f.sums.net_ar),
            f.sums.open_invoices.to_string(),
        ];
        r.extend(f.sums.buckets.iter().map(|v| money(*v)));
        r.extend([
            money(-f.sums.unapplied_credit),
            format!("{:.2}", f.dbt),
            b.paid.to_string(),
            b.late.to_string(),
            ratio(b.late_ratio()),
            ratio(b.late_amount_ratio()),
            days(b.wadl()),
            days(b.adp()),
            days(f.wadl_slope_6m),
            ratio(f.late_ratio_trend),
            days(f.dso_standard),
            format!("{:.2}", f.dso_countback),
            f.dso_countback_capped.to_string(),
            days(f.bpdso),
            days(f.add),
            ratio(f.cei),
            view.and_then(|v| v.credit_limit).map(money).unwrap_or_default(),
            ratio(view.and_then(|v| v.utilisation).filter(|u| u.is_finite())),
            view.and_then(|v| v.status).map(|s| s.label().to_string()).unwrap_or_default(),
            view.map(|v| format!("{:.1}", v.risk.score)).unwrap_or_default(),
            view.map(|v| v.risk.tier.label().to_string()).unwrap_or_default(),
            safe_text(&view.map(|v| v.risk.reasons.clone()).unwrap_or_default()),
            days(f.avg_terms_days),
        ]);
        r
    });
    write_csv(&dir.join("clients.csv"), &header, rows)
}

/// `monthly.csv`: the full grid of months for each client, plus `*` rows for the portfolio.
pub fn write_monthly(dir: &Path, roster: &Roster, a: &Analysis, cur: Currency) -> std::io::Result<()> {
    let digits = cur.minor_digits();
    let header = strings(&MONTHLY_COLUMNS);
    let rows = |id: &str, months: &[crate::analytics::MonthRow]| {
        let mut buf = Vec::with_capacity(months.len() * 96);
        for m in months {
            Line::new(&mut buf)
                .text(id)
                .plain(format_args!("{:04}-{:02}", m.month.div_euclid(12), m.month.rem_euclid(12) + 1))
                .money(m.sales, digits)
                .money(m.net_ar, digits)
                .money(m.current_ar, digits)
                .fixed(m.dso_standard, 2)
                .fixed(Some(m.dso_countback), 2)
                .fixed(m.cei, 4)
                .int(m.behaviour.paid as i64)
                .int(m.behaviour.late as i64)
                .fixed(m.behaviour.wadl(), 2)
                .fixed(m.behaviour.adp(), 2)
                .end();
        }
        buf
    };
    // `*` sorts before every client id, as a byte-wise sort of the file would put it.
    let mut chunks = vec![rows("*", &a.portfolio.monthly)];
    chunks.par_extend(a.clients.par_iter().map(|c| rows(&roster.clients[c.client as usize].id, &c.figures.monthly)));
    write_chunks(&dir.join("monthly.csv"), &header, chunks)
}

/// `open_items.csv`: every open invoice at A.
pub fn write_open_items(dir: &Path, roster: &Roster, a: &Analysis, cur: Currency) -> std::io::Result<()> {
    let names = a.settings.bucket_names();
    let header = strings(&[
        "client_id",
        "document_id",
        "issue_date",
        "due_date",
        "amount",
        "open_amount",
        "days_past_due",
        "bucket",
        "disputed",
        "document_currency",
        "document_open_amount",
    ]);
    let digits = cur.minor_digits();
    let chunks = a.clients.par_iter().map(|c| {
        let id = &roster.clients[c.client as usize].id;
        let mut buf = Vec::with_capacity(c.open_items.len() * 128);
        for o in &c.open_items {
            Line::new(&mut buf)
                .text(id)
                .text(&o.document_id)
                .date(o.issue)
                .date(o.due)
                .money(o.amount, digits)
                .money(o.open, digits)
                .int(o.days_past_due)
                .plain(&names[o.bucket])
                .plain(o.disputed)
                .plain(o.currency.code())
                .money(o.open_in_currency, o.currency.minor_digits())
                .end();
        }
        buf
    });
    write_chunks(&dir.join("open_items.csv"), &header, chunks.collect())
}

/// `alerts.csv`: what changed since the previous run.
pub fn write_alerts(dir: &Path, alerts: &[Alert]) -> std::io::Result<()> {
    let header =
        strings(&["client_id", "kind", "direction", "severity", "previous", "current", "message", "client_name"]);
    let rows = alerts.iter().map(|a| {
        vec![
            safe_text(&a.client_id),
            a.kind.to_string(),
            a.direction().to_string(),
            a.severity.label().to_string(),
            safe_text(&a.previous),
            safe_text(&a.current),
            safe_text(&a.message),
            safe_text(&a.client_name),
        ]
    });
    write_csv(&dir.join("alerts.csv"), &header, rows)
}

/// `handover.csv`: the invoices handed to collection.
pub fn write_handover(
    dir: &Path,
    roster: &Roster,
    lines: &[crate::collection::handover::Line],
    dossiers: &std::collections::BTreeMap<crate::model::ClientIx, String>,
    cur: Currency,
) -> std::io::Result<()> {
    let header = strings(&[
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
        "jurisdiction",
        "interest_provisional",
        "dossier",
    ]);
    let digits = cur.minor_digits();
    let chunks = lines
        .par_chunks(20_000)
        .map(|chunk| {
            let mut buf = Vec::with_capacity(chunk.len() * 160);
            for l in chunk {
                let c = &roster.clients[l.client as usize];
                Line::new(&mut buf)
                    .text(&c.id)
                    .text(&c.name)
                    .text(c.company_number.as_deref().unwrap_or(""))
                    .text(&l.document_id)
                    .date(l.issue)
                    .date(l.due)
                    .money(l.amount, digits)
                    .money(l.open, digits)
                    .int(l.days_past_due)
                    .money(l.interest.amount, digits)
                    .money(l.compensation, digits)
                    .money(l.claim(), digits)
                    .plain(l.jurisdiction.code())
                    .plain(l.interest.provisional)
                    .text(dossiers.get(&l.client).map_or("", |f| f.as_str()))
                    .end();
            }
            buf
        })
        .collect();
    write_chunks(&dir.join("handover.csv"), &header, chunks)
}

/// What monitoring adds to `summary.json`.
pub struct RunInfo<'a> {
    pub bureau: &'a BureauIngested,
    pub assessment: &'a Assessment,
    pub alerts: &'a [Alert],
    pub compared_with: Option<&'a Path>,
}

/// `rejected.csv`: every input row that is not in the ledger, with its place and reason.
pub fn write_rejected(dir: &Path, rejects: &[Reject]) -> std::io::Result<()> {
    let header = strings(&["source", "location", "column", "value", "reason", "raw"]);
    let rows = rejects.iter().map(|r| {
        vec![
            safe_text(&r.source),
            r.location.clone(),
            safe_text(&r.column),
            safe_text(&r.value),
            safe_text(&r.reason),
            safe_text(&r.raw),
        ]
    });
    write_csv(&dir.join("rejected.csv"), &header, rows)
}

/// `warnings.csv`: data-quality observations that did not stop a row.
pub fn write_warnings(dir: &Path, ingest: &[Warning], analysis: &[String]) -> std::io::Result<()> {
    let header = strings(&["source", "location", "message", "kind"]);
    let rows = ingest
        .iter()
        .map(|w| vec![safe_text(&w.source), w.location.clone(), safe_text(&w.message), w.kind.to_string()])
        .chain(
            analysis.iter().map(|m| vec!["analysis".to_string(), String::new(), safe_text(m), "analysis".to_string()]),
        );
    write_csv(&dir.join("warnings.csv"), &header, rows)
}

#[derive(Serialize)]
struct InputSummary<'a> {
    file: &'a str,
    layout: &'a str,
    /// Physical lines (sheet rows), those before the rows (banner, header), and those inside
    /// multi-line rows beyond their first: lines = before + rows_read + within.
    lines: u64,
    lines_before_rows: u64,
    lines_within_rows: u64,
    rows_read: u64,
    accepted: u64,
    rejected: u64,
    rejected_blank_or_ignored: u64,
    invoices: u64,
    credit_notes: u64,
    payments: u64,
    reconciles: bool,
    control_totals: std::collections::BTreeMap<String, TotalsOut>,
    rejected_without_amount: u64,
}

#[derive(Serialize)]
struct TotalsOut {
    read: String,
    accepted: String,
    rejected: String,
}

/// Per-input reconciliation for `summary.json` and `arwatch check`.
fn input_summaries(stats: &[SourceStats]) -> Vec<InputSummary<'_>> {
    stats
        .iter()
        .map(|s| InputSummary {
            file: &s.file,
            layout: &s.layout,
            lines: s.lines,
            lines_before_rows: s.lines_before_rows,
            lines_within_rows: s.lines_within_rows,
            rows_read: s.rows_read,
            accepted: s.accepted,
            rejected: s.rejected,
            rejected_blank_or_ignored: s.rejected_benign,
            invoices: s.invoices,
            credit_notes: s.credit_notes,
            payments: s.payments,
            reconciles: s.reconciles(),
            control_totals: s
                .control_totals
                .iter()
                .map(|(c, t)| {
                    let d = Currency::parse(c).map(|c| c.minor_digits()).unwrap_or(2);
                    (
                        c.clone(),
                        TotalsOut {
                            read: format_minor(t.read, d),
                            accepted: format_minor(t.accepted, d),
                            rejected: format_minor(t.rejected, d),
                        },
                    )
                })
                .collect(),
            rejected_without_amount: s.rejected_without_amount,
        })
        .collect()
}

/// `summary.json`: the run's as-of date, inputs reconciled, portfolio KPIs and version.
pub fn write_summary(
    dir: &Path,
    company: &str,
    ing: &DataQuality,
    a: Option<&Analysis>,
    run: Option<&RunInfo<'_>>,
    cur: Currency,
) -> std::io::Result<()> {
    let money = |v: i64| Money::new(v, cur).to_string();
    let round = |v: Option<f64>, d: i32| v.map(|x| (x * 10f64.powi(d)).round() / 10f64.powi(d));
    let mut root = serde_json::Map::new();
    root.insert("software".into(), serde_json::json!({"name": "arwatch", "version": env!("CARGO_PKG_VERSION")}));
    root.insert("company".into(), company.into());
    root.insert("currency".into(), cur.code().into());
    if let Some(a) = a {
        root.insert("as_of".into(), a.as_of.to_string().into());
    }
    root.insert("inputs".into(), serde_json::to_value(input_summaries(&ing.stats)).unwrap_or_default());
    root.insert(
        "data_quality".into(),
        serde_json::json!({
            "rows_read": ing.stats.iter().map(|s| s.rows_read).sum::<u64>(),
            "accepted": ing.stats.iter().map(|s| s.accepted).sum::<u64>(),
            "rejected": ing.rejects.len(),
            "warnings": ing.warnings.len() + a.map(|a| a.warnings.len()).unwrap_or(0),
        }),
    );
    if let Some(a) = a {
        let p = &a.portfolio;
        let s = &a.settings;
        let mut buckets = serde_json::Map::new();
        for (name, v) in s.bucket_names().iter().zip(&p.sums.buckets) {
            buckets.insert(name.clone(), money(*v).into());
        }
        let overdue: i64 = p.sums.buckets.iter().skip(1).sum();
        root.insert(
            "portfolio".into(),
            serde_json::json!({
                "clients": a.clients.len(),
                "net_ar": money(p.sums.net_ar),
                "open_invoices": p.sums.open_invoices,
                "aging": buckets,
                "unapplied_credit": money(-p.sums.unapplied_credit),
                "overdue_share": round((p.sums.open_total > 0).then(|| overdue as f64 / p.sums.open_total as f64), 4),
                "dbt": round(Some(p.dbt), 2),
                "dso_standard": {"method": "standard", "period_months": s.dso_months, "days": round(p.dso_standard, 2)},
                "dso_countback": {"method": "countback", "lookback_months": s.countback_lookback_months, "days": round(Some(p.dso_countback), 2), "capped": p.dso_countback_capped},
                "bpdso": {"method": "best possible", "period_months": s.dso_months, "days": round(p.bpdso, 2)},
                "add": {"method": "standard DSO minus BPDSO", "period_months": s.dso_months, "days": round(p.add, 2)},
                "cei": {"period_months": s.dso_months, "value": round(p.cei, 4)},
                "behaviour": {
                    "window_months": s.behaviour_window_months,
                    "paid": p.sums.window.paid,
                    "late": p.sums.window.late,
                    "late_ratio": round(p.sums.window.late_ratio(), 4),
                    "late_amount_ratio": round(p.sums.window.late_amount_ratio(), 4),
                    "wadl": round(p.sums.window.wadl(), 2),
                    "adp": round(p.sums.window.adp(), 2),
                    "wadl_slope_6m": round(p.wadl_slope_6m, 2),
                    "late_ratio_trend": round(p.late_ratio_trend, 4),
                },
            }),
        );
    }
    if let Some(r) = run {
        let m = &r.assessment.matched;
        root.insert(
            "bureau".into(),
            serde_json::json!({
                "inputs": input_summaries(&r.bureau.stats),
                "snapshots": r.bureau.snapshots.len(),
                "clients_matched": m.latest.len(),
                "unmatched_clients": m.unmatched_clients,
                "unmatched_companies": m.unmatched_companies,
            }),
        );
        let mut tiers = serde_json::Map::new();
        for t in ["low", "medium", "high", "critical"] {
            let n = r.assessment.clients.iter().filter(|c| c.risk.tier.label() == t).count();
            tiers.insert(t.into(), n.into());
        }
        root.insert("risk_tiers".into(), serde_json::Value::Object(tiers));
        root.insert(
            "monitoring".into(),
            match r.compared_with {
                Some(p) => serde_json::json!({
                    "compared_with": p.file_stem().map(|s| s.to_string_lossy().to_string()),
                    "alerts": r.alerts.len(),
                    "risks": r.alerts.iter().filter(|a| a.risk).count(),
                    "opportunities": r.alerts.iter().filter(|a| !a.risk).count(),
                }),
                None => serde_json::json!({
                    "compared_with": null,
                    "alerts": 0,
                    "note": "no earlier run saved under the output root: nothing to compare with yet",
                }),
            },
        );
    }
    let mut text = serde_json::to_string_pretty(&serde_json::Value::Object(root)).map_err(std::io::Error::other)?;
    text.push('\n');
    write_atomic(&dir.join("summary.json"), text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised() {
        assert_eq!(safe_text("=1+1"), "'=1+1");
        // A signed number is a number: neither a formula nor to be prefixed (issue 9).
        assert_eq!(safe_text("-5"), "-5");
        assert_eq!(safe_text("-1.234,56"), "-1.234,56");
        assert_eq!(safe_text("+32 2 555 12 12"), "+32 2 555 12 12");
        assert_eq!(safe_text("-5+cmd"), "'-5+cmd");
        assert_eq!(safe_text("-"), "'-");
        assert_eq!(safe_text("+"), "'+");
        assert_eq!(safe_text("@SUM"), "'@SUM");
        assert_eq!(safe_text("Brasserie Zoë"), "Brasserie Zoë");
    }

    #[test]
    fn lines_match_the_csv_writer() {
        let values = ["plain", "a,b", "say \"hi\"", "=SUM(A1)", "-5", "multi\nline", "Zoë", ""];
        for v in values {
            let mut mine = Vec::new();
            Line::new(&mut mine).text(v).text("x").end();
            let theirs = rows_bytes(std::iter::once(vec![safe_text(v), "x".to_string()]));
            assert_eq!(String::from_utf8(mine).unwrap(), String::from_utf8(theirs).unwrap(), "{v:?}");
        }
        let mut b = Vec::new();
        Line::new(&mut b).money(-5, 2).money(123450, 2).money(7, 0).fixed(None, 2).fixed(Some(0.25), 4).end();
        assert_eq!(String::from_utf8(b).unwrap(), "-0.05,1234.50,7,,0.2500\n");
        for (minor, digits) in [(0, 2), (-1, 2), (i64::MIN, 2), (i64::MAX, 3), (100, 0), (-99, 1), (5, 6)] {
            let mut b = Vec::new();
            Line::new(&mut b).money(minor, digits);
            assert_eq!(String::from_utf8(b).unwrap(), crate::model::format_minor(minor, digits), "{minor} {digits}");
        }
        let mut b = Vec::new();
        let d = |s: &str| s.parse::<chrono::NaiveDate>().unwrap();
        Line::new(&mut b)
            .int(0)
            .int(-120)
            .int(i64::MIN)
            .date(d("2026-01-05"))
            .date(d("0999-12-31"))
            .date(d("+10000-01-01"));
        assert_eq!(
            String::from_utf8(b).unwrap(),
            format!("0,-120,{},2026-01-05,0999-12-31,{}", i64::MIN, d("+10000-01-01"))
        );
    }

    #[test]
    fn fixed_decimals_match_the_standard_formatting() {
        let mut values = vec![0.0, -0.0, -0.001, 0.005, 0.015, 0.125, 2.675, -2.675, 1e-9, 0.99995, 1e8 + 0.005, 3e9];
        // A cheap deterministic spread of magnitudes, signs and near-ties.
        let mut state = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..200_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let mantissa = (state >> 11) as f64 / (1u64 << 53) as f64;
            let exp = (state % 14) as i32 - 4;
            let sign = if state & 1 == 1 { -1.0 } else { 1.0 };
            values.push(sign * mantissa * 10f64.powi(exp));
            values.push((state % 1_000_000) as f64 / 1000.0 + 0.0005);
        }
        for x in values {
            for d in [0, 1, 2, 4] {
                let mut buf = Vec::new();
                push_fixed(&mut buf, x, d);
                assert_eq!(String::from_utf8(buf).unwrap(), format!("{x:.d$}"), "{x:e} with {d} decimals");
            }
        }
    }

    #[test]
    fn number_conventions() {
        assert_eq!(ratio(Some(0.25)), "0.2500");
        assert_eq!(ratio(None), "");
        assert_eq!(days(Some(73.714)), "73.71");
    }
}
