//! The bodies of the fuzz targets in `fuzz/` (see docs/fuzzing.md), here so that the regression
//! tests run exactly what the fuzzer ran on every input it ever found. Each takes arbitrary
//! bytes; none may panic, and each checks the promises that hold whatever the input.

use crate::analytics::as_of::AsOf;
use crate::analytics::{Settings, analyse};
use crate::config::{Config, Overrides};
use crate::fx::Fx;
use crate::ingest::mapping::Mapping;
use crate::ingest::parse::{self, DateFormat, NumberFormat};
use crate::ingest::{IngestOptions, InputSpec, ingest};
use crate::model::Currency;
use crate::model::company_number;
use std::path::PathBuf;

/// Mappings the table target chooses from with its first byte: the three ledger shapes. Date
/// formats are given, so that inputs reach the rows rather than stop at format detection.
const MAPPINGS: [&str; 4] = [
    "decimal = \",\"\ndate_formats = [\"%d/%m/%Y\", \"%Y-%m-%d\"]\n[columns]\nclient_id = \"Klant\"\ndocument_id = \"Nr\"\nissue_date = \"Datum\"\ndue_date = \"Verval\"\namount = \"Bedrag\"\ncurrency = \"Munt\"\nterms_days = \"Termijn\"\n",
    "rows = \"payments\"\ndate_formats = [\"%d/%m/%Y\", \"%Y-%m-%d\"]\n[columns]\nclient_id = \"Klant\"\npayment_id = \"Nr\"\npayment_date = \"Datum\"\namount = \"Bedrag\"\nreference = \"Ref\"\n",
    "rows = \"ledger\"\npayments_negative = true\nmultiline = true\ndate_formats = [\"%Y-%m-%d\", \"%d/%m/%Y\"]\n[columns]\nclient_id = \"Klant\"\ndocument_id = \"Nr\"\nissue_date = \"Datum\"\ndue_date = \"Verval\"\namount = \"Bedrag\"\ndoc_type = \"Type\"\nreference = \"Ref\"\n[doc_types]\ninvoice = [\"RV\"]\ncredit_note = [\"G2\"]\npayment = [\"DZ\"]\nignore = [\"AB\"]\n",
    "date_formats = [\"%d/%m/%Y\"]\n[columns]\nclient_id = \"Klant\"\ndocument_id = \"Nr\"\nissue_date = \"Datum\"\nsettled_date = \"Betaald\"\namount = \"Bedrag\"\ncompany_number = \"Ondernemingsnummer\"\n",
];

/// A file of this process in the temporary folder, for targets whose code reads paths.
fn scratch(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!("arwatch-fuzz-{}-{name}", std::process::id()))
}

/// Ingests `path` with `mapping`; when it reads, every input must reconcile and the analysis
/// must run. Returns whether it read (so tests can tell a seed that reads from one refused).
fn ingest_and_analyse(path: PathBuf, mapping: Mapping) -> bool {
    let inputs = [InputSpec { path, mapping, snapshot: None }];
    let Ok(ing) = ingest(&inputs, &IngestOptions::default(), &|_| {}) else { return false };
    for s in &ing.stats {
        assert!(s.reconciles(), "an input that does not reconcile: {s:?}");
    }
    if let Some(latest) = ing.ledger.latest_date() {
        let as_of = AsOf::from_data(latest, ing.stats.iter().filter_map(|s| s.stated_date).max(), &ing.ledger).date;
        let currencies =
            ing.ledger.documents.iter().map(|d| d.currency).chain(ing.ledger.payments.iter().map(|p| p.currency));
        if currencies.into_iter().all(|c| c == Currency::EUR) {
            let _ = analyse(&ing.ledger, as_of, &Settings::default(), &Fx::none(Currency::EUR));
        }
    }
    true
}

/// A delimited text export of any bytes, read with one of the ledger mappings. Returns whether
/// it read.
pub fn csv_table(data: &[u8]) -> bool {
    let Some((&pick, text)) = data.split_first() else { return false };
    let mapping: Mapping = toml::from_str(MAPPINGS[pick as usize % MAPPINGS.len()]).expect("a valid mapping");
    read_file("table.csv", text, mapping)
}

/// A workbook of any bytes (xlsx, ods or xls by the first byte), read with the first mapping.
/// Returns whether it read.
pub fn workbook(data: &[u8]) -> bool {
    let Some((&pick, bytes)) = data.split_first() else { return false };
    let ext = ["xlsx", "ods", "xls"][pick as usize % 3];
    let mut mapping: Mapping = toml::from_str(MAPPINGS[0]).expect("a valid mapping");
    mapping.format = Some(ext.into());
    read_file(&format!("book.{ext}"), bytes, mapping)
}

fn read_file(name: &str, bytes: &[u8], mapping: Mapping) -> bool {
    let path = scratch(name);
    if std::fs::write(&path, bytes).is_err() {
        return false;
    }
    let read = ingest_and_analyse(path.clone(), mapping);
    let _ = std::fs::remove_file(path);
    read
}

/// The value parsers: amounts in every notation and precision, spreadsheet numbers, dates,
/// date-format detection and company numbers.
pub fn values(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    for decimal in ['.', ','] {
        for digits in [0, 2, 3] {
            if let Ok(v) = parse::parse_amount(&text, NumberFormat { decimal }, digits)
                && let Ok(money) = parse::check_magnitude(v, digits)
            {
                assert_eq!(money, v);
            }
        }
    }
    if data.len() >= 8 {
        let v = f64::from_le_bytes(data[..8].try_into().expect("eight bytes"));
        for digits in [0, 2, 3] {
            if let Ok(minor) = parse::amount_from_f64(v, digits) {
                // What was read is the value itself, not a rounding of it.
                let back = minor as f64 / 10f64.powi(digits as i32);
                assert!((back - v).abs() <= v.abs() * 1e-14 + 1e-9, "{v} read as {minor} with {digits} digits");
            }
        }
    }
    for pattern in ["%d/%m/%Y", "%m/%d/%Y", "%Y-%m-%d", "%d.%m.%y", "%d-%m-%Y"] {
        if let Some(d) = DateFormat::pattern(pattern).parse_text(&text) {
            let _ = parse::plausible(d);
        }
    }
    for f in [DateFormat::Excel1900, DateFormat::Excel1904] {
        let _ = f.parse_text(&text);
    }
    let lines: Vec<String> = text.lines().map(String::from).collect();
    let _ = parse::detect_date_format(&lines);
    let _ = company_number::normalise_company_number(&text);
}

/// A configuration and a mapping of any text (split at the first NUL byte), loaded from files.
pub fn config(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let (cfg, map) = text.split_once('\0').unwrap_or((&text, ""));
    let dir = scratch("config");
    if std::fs::create_dir_all(&dir).is_err() {
        return;
    }
    let written = std::fs::write(dir.join("arwatch.toml"), cfg).and_then(|_| std::fs::write(dir.join("map.toml"), map));
    if written.is_ok()
        && let Ok(config) = Config::load(&dir.join("arwatch.toml"), &Overrides::default())
    {
        for input in &config.inputs {
            let _ = input.mapping.resolve();
        }
    }
    let _ = std::fs::remove_dir_all(dir);
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_table_mappings_are_valid() {
        for m in super::MAPPINGS {
            let mapping: super::Mapping = toml::from_str(m).unwrap();
            mapping.resolve().unwrap();
        }
    }
}
