//! The sample set as the files a Belgian accounting package and a bureau would export
//! (Windows-1252 CSV with decimal commas, and the same in a workbook), with their mappings
//! and configurations.

use super::set::{END, SampleSet, end};
use crate::output::write_atomic;
use chrono::{Duration, NaiveDate};
use rust_xlsxwriter::{DocProperties, Format, Workbook, Worksheet};
use std::path::Path;

/// Belgian notation: `1.234,56`.
pub(super) fn be_amount(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let a = cents.unsigned_abs();
    let units = (a / 100).to_string();
    let mut grouped = String::new();
    for (i, ch) in units.chars().enumerate() {
        if i > 0 && (units.len() - i).is_multiple_of(3) {
            grouped.push('.');
        }
        grouped.push(ch);
    }
    format!("{sign}{grouped},{:02}", a % 100)
}

pub(super) fn dmy(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

pub(super) const INVOICE_HEADER: [&str; 10] = [
    "Klantnr",
    "Klant",
    "Ondernemingsnr",
    "Factuurnr",
    "Factuurdatum",
    "Vervaldatum",
    "Bedrag",
    "Munt",
    "Referentie",
    "Betwist",
];
pub(super) const PAYMENT_HEADER: [&str; 6] = ["Betaling", "Klantnr", "Datum", "Bedrag", "Munt", "Factuurnr"];
pub(super) const BUREAU_HEADER: [&str; 13] = [
    "Ondernemingsnummer",
    "Datum",
    "Naam",
    "Kredietlimiet",
    "Score",
    "Betalingsscore",
    "Rating",
    "Status",
    "Adres",
    "Bestuur",
    "Groeiscore",
    "Opheffingsscore",
    "Kredietvlag",
];

pub(super) fn csv_bytes(header: &[&str], rows: Vec<Vec<String>>) -> std::io::Result<Vec<u8>> {
    let mut w = csv::WriterBuilder::new().delimiter(b';').terminator(csv::Terminator::CRLF).from_writer(Vec::new());
    w.write_record(header)?;
    for r in rows {
        w.write_record(&r)?;
    }
    let utf8 = String::from_utf8(w.into_inner().map_err(|e| std::io::Error::other(e.to_string()))?)
        .map_err(std::io::Error::other)?;
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(&utf8);
    if unmappable {
        return Err(std::io::Error::other("sample text has a character Windows-1252 cannot hold"));
    }
    Ok(bytes.into_owned())
}

/// A reminder log (UTF-8, ISO dates) that follows the default collection ladder: a first
/// reminder 7 days after the due date, a second after 21 and a formal notice after 35, for
/// invoices still unpaid then (so invoices 60 days past due are due for handover).
fn reminders(set: &SampleSet) -> String {
    let paid: std::collections::HashMap<&str, NaiveDate> = set
        .payments
        .iter()
        .filter(|p| !p.reference.is_empty() && p.amount > 0)
        .map(|p| (p.reference.as_str(), p.date))
        .collect();
    let mut out = String::from("client_id,document_id,date,note\n");
    // The instalment invoice is paid on its schedule: nothing to remind.
    for d in set.documents.iter().filter(|d| !d.credit_note && d.id != super::schedule::INVOICE) {
        let settled = paid.get(d.id.as_str()).copied();
        for (days, note) in [
            (7, "first reminder by e-mail"),
            (21, "second reminder by e-mail"),
            (35, "formal notice (ingebrekestelling) by registered letter"),
        ] {
            let date = d.due + Duration::days(days);
            if date <= end() && settled.is_none_or(|s| s > date) {
                out.push_str(&format!("{},{},{date},{note}\n", set.clients[d.client].id, d.id));
            }
        }
    }
    out
}

/// Writes the sample set, its mappings and its configurations under `dir`.
pub fn write(dir: &Path, set: &SampleSet) -> std::io::Result<()> {
    std::fs::create_dir_all(dir.join("csv"))?;
    std::fs::create_dir_all(dir.join("xlsx"))?;
    std::fs::create_dir_all(dir.join("mappings"))?;
    let c = &set.clients;
    let inv_rows: Vec<Vec<String>> = set
        .documents
        .iter()
        .map(|d| {
            let cl = &c[d.client];
            vec![
                cl.id.clone(),
                cl.name.clone(),
                cl.company_number.clone(),
                d.id.clone(),
                dmy(d.issue),
                dmy(d.due),
                be_amount(if d.credit_note { -d.amount } else { d.amount }),
                "EUR".into(),
                d.reference.clone(),
                if d.disputed { "ja".into() } else { String::new() },
            ]
        })
        .collect();
    write_atomic(&dir.join("csv/facturen.csv"), &csv_bytes(&INVOICE_HEADER, inv_rows)?)?;
    let pay_rows = set
        .payments
        .iter()
        .map(|p| {
            vec![
                p.id.clone(),
                c[p.client].id.clone(),
                dmy(p.date),
                be_amount(p.amount),
                "EUR".into(),
                p.reference.clone(),
            ]
        })
        .collect();
    write_atomic(&dir.join("csv/betalingen.csv"), &csv_bytes(&PAYMENT_HEADER, pay_rows)?)?;
    let bureau_rows = set
        .bureau
        .iter()
        .map(|b| {
            vec![
                b.company_number.clone(),
                dmy(b.date),
                b.name.clone(),
                be_amount(b.credit_limit),
                b.score.to_string(),
                b.payment_score.to_string(),
                b.rating.to_string(),
                b.status.to_string(),
                b.address.clone(),
                b.board.clone(),
                b.growth.to_string(),
                b.discontinuation.to_string(),
                b.flag.to_string(),
            ]
        })
        .collect();
    write_atomic(&dir.join("csv/kredietinfo.csv"), &csv_bytes(&BUREAU_HEADER, bureau_rows)?)?;
    let mut watch = String::from("company_number,name,role\n");
    for (number, name, role) in &set.watchlist {
        watch.push_str(&format!("{number},{name},{role}\n"));
    }
    write_atomic(&dir.join("csv/watchlist.csv"), watch.as_bytes())?;
    write_atomic(&dir.join("xlsx/arwatch-sample.xlsx"), &xlsx_bytes(set).map_err(std::io::Error::other)?)?;
    write_atomic(&dir.join("csv/herinneringen.csv"), reminders(set).as_bytes())?;
    let log_rows = super::log::rows(set)
        .into_iter()
        .map(|(date, client, document, kind, amount, by, text)| {
            vec![
                dmy(date),
                client,
                document,
                kind.to_string(),
                amount.map(be_amount).unwrap_or_default(),
                by.map(dmy).unwrap_or_default(),
                text.to_string(),
            ]
        })
        .collect();
    write_atomic(&dir.join("csv/logboek.csv"), &csv_bytes(&super::log::HEADER, log_rows)?)?;
    let schedule_rows = super::schedule::lines()
        .into_iter()
        .map(|(k, due, amount)| vec![super::schedule::INVOICE.to_string(), k.to_string(), dmy(due), be_amount(amount)])
        .collect();
    write_atomic(&dir.join("csv/termijnen.csv"), &csv_bytes(&super::schedule::HEADER, schedule_rows)?)?;
    for (name, text) in MAPPINGS {
        write_atomic(&dir.join(name), text.as_bytes())?;
    }
    Ok(())
}

fn xlsx_bytes(set: &SampleSet) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut wb = Workbook::new();
    // A fixed creation date keeps the file byte-identical from run to run.
    let created = NaiveDate::from_ymd_opt(END.0, END.1, END.2).expect("valid");
    wb.set_properties(&DocProperties::new().set_creation_datetime(&created).set_title("arwatch sample ledger"));
    let date = Format::new().set_num_format("dd/mm/yyyy");
    let money = Format::new().set_num_format("#,##0.00");
    let bold = Format::new().set_bold();
    let header = |ws: &mut Worksheet, h: &[&str]| -> Result<(), rust_xlsxwriter::XlsxError> {
        for (i, t) in h.iter().enumerate() {
            ws.write_string_with_format(0, i as u16, *t, &bold)?;
        }
        ws.set_freeze_panes(1, 0)?;
        Ok(())
    };
    let c = &set.clients;
    let mut ws = Worksheet::new();
    ws.set_name("Facturen")?;
    header(&mut ws, &INVOICE_HEADER)?;
    for (r, d) in set.documents.iter().enumerate() {
        let r = r as u32 + 1;
        let cl = &c[d.client];
        ws.write_string(r, 0, &cl.id)?;
        ws.write_string(r, 1, &cl.name)?;
        ws.write_string(r, 2, &cl.company_number)?;
        ws.write_string(r, 3, &d.id)?;
        ws.write_date_with_format(r, 4, d.issue, &date)?;
        ws.write_date_with_format(r, 5, d.due, &date)?;
        ws.write_number_with_format(r, 6, (if d.credit_note { -d.amount } else { d.amount }) as f64 / 100.0, &money)?;
        ws.write_string(r, 7, "EUR")?;
        if !d.reference.is_empty() {
            ws.write_string(r, 8, &d.reference)?;
        }
        if d.disputed {
            ws.write_string(r, 9, "ja")?;
        }
    }
    wb.push_worksheet(ws);
    let mut ws = Worksheet::new();
    ws.set_name("Betalingen")?;
    header(&mut ws, &PAYMENT_HEADER)?;
    for (r, p) in set.payments.iter().enumerate() {
        let r = r as u32 + 1;
        ws.write_string(r, 0, &p.id)?;
        ws.write_string(r, 1, &c[p.client].id)?;
        ws.write_date_with_format(r, 2, p.date, &date)?;
        ws.write_number_with_format(r, 3, p.amount as f64 / 100.0, &money)?;
        ws.write_string(r, 4, "EUR")?;
        if !p.reference.is_empty() {
            ws.write_string(r, 5, &p.reference)?;
        }
    }
    wb.push_worksheet(ws);
    let mut ws = Worksheet::new();
    ws.set_name("Kredietinfo")?;
    header(&mut ws, &BUREAU_HEADER)?;
    for (r, b) in set.bureau.iter().enumerate() {
        let r = r as u32 + 1;
        ws.write_string(r, 0, &b.company_number)?;
        ws.write_date_with_format(r, 1, b.date, &date)?;
        ws.write_string(r, 2, &b.name)?;
        ws.write_number_with_format(r, 3, b.credit_limit as f64 / 100.0, &money)?;
        ws.write_number(r, 4, b.score as f64)?;
        ws.write_number(r, 5, b.payment_score as f64)?;
        ws.write_string(r, 6, b.rating)?;
        ws.write_string(r, 7, b.status)?;
        ws.write_string(r, 8, &b.address)?;
        ws.write_string(r, 9, &b.board)?;
        ws.write_number(r, 10, b.growth as f64)?;
        ws.write_number(r, 11, b.discontinuation as f64)?;
        ws.write_string(r, 12, b.flag)?;
    }
    wb.push_worksheet(ws);
    wb.save_to_buffer()
}

/// Mapping files and configurations shipped with the sample set: the files in `sample_data/`
/// are the one source, compiled in so that `arwatch sample` writes them anywhere.
const MAPPINGS: [(&str, &str); 10] = [
    ("mappings/logboek-csv.toml", include_str!("../../sample_data/mappings/logboek-csv.toml")),
    ("mappings/termijnen-csv.toml", include_str!("../../sample_data/mappings/termijnen-csv.toml")),
    ("mappings/kredietinfo-csv.toml", include_str!("../../sample_data/mappings/kredietinfo-csv.toml")),
    ("mappings/kredietinfo-xlsx.toml", include_str!("../../sample_data/mappings/kredietinfo-xlsx.toml")),
    ("mappings/facturen-csv.toml", include_str!("../../sample_data/mappings/facturen-csv.toml")),
    ("mappings/betalingen-csv.toml", include_str!("../../sample_data/mappings/betalingen-csv.toml")),
    ("mappings/facturen-xlsx.toml", include_str!("../../sample_data/mappings/facturen-xlsx.toml")),
    ("mappings/betalingen-xlsx.toml", include_str!("../../sample_data/mappings/betalingen-xlsx.toml")),
    ("arwatch.toml", include_str!("../../sample_data/arwatch.toml")),
    ("arwatch-xlsx.toml", include_str!("../../sample_data/arwatch-xlsx.toml")),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn belgian_amounts() {
        assert_eq!(be_amount(123456), "1.234,56");
        assert_eq!(be_amount(-5), "-0,05");
        assert_eq!(be_amount(100_000_000), "1.000.000,00");
    }
}
