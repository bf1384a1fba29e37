//! Presets: mappings for the exports of named packages, shipped with arwatch (`presets/`). A
//! mapping names one with `preset = "…"` and overrides any part of it: its own keys replace
//! the preset's, table by table (`[columns]`, `[doc_types]`, `[fixed]`…).

use super::mapping::{Mapping, MappingError};
use serde::Deserialize;

/// Each preset: its name, what it reads, and its mapping.
pub const PRESETS: &[(&str, &str, &str)] = &[
    (
        "odoo-journal-items",
        "Odoo: list export of Journal Items (en/nl/fr labels), a ledger",
        include_str!("../../presets/odoo-journal-items.toml"),
    ),
    (
        "odoo-invoices",
        "Odoo: list export of Invoices with Amount Due Signed (en/nl/fr labels), an open-items list",
        include_str!("../../presets/odoo-invoices.toml"),
    ),
    (
        "oca-open-items",
        "OCA account_financial_report: Open Items XLSX (en/nl/fr labels), grouped by partner",
        include_str!("../../presets/oca-open-items.toml"),
    ),
    (
        "oca-aged-partner-balance",
        "OCA account_financial_report: Aged Partner Balance XLSX in move-line mode (en/nl/fr)",
        include_str!("../../presets/oca-aged-partner-balance.toml"),
    ),
    (
        "xero-invoices",
        "Xero: invoice CSV (the import/export template), an open-items list, one row per line",
        include_str!("../../presets/xero-invoices.toml"),
    ),
    (
        "winbooks-act",
        "WinBooks: ACT.txt interchange file (no header row, fields by position), a ledger",
        include_str!("../../presets/winbooks-act.toml"),
    ),
    (
        "twinfield-debiteurenkaart",
        "Twinfield: browse 100 Debiteurenkaart (nl labels), invoices with their paid date",
        include_str!("../../presets/twinfield-debiteurenkaart.toml"),
    ),
];

/// The preset's mapping text, by name.
pub fn preset(name: &str) -> Option<&'static str> {
    PRESETS.iter().find(|(n, _, _)| *n == name).map(|(_, _, text)| *text)
}

/// A mapping from its TOML table, over its preset when it names one.
pub fn mapping_from(mut table: toml::Table) -> Result<Mapping, MappingError> {
    let Some(name) = table.remove("preset") else {
        return Mapping::deserialize(toml::Value::Table(table)).map_err(|e| MappingError::Toml(e.to_string()));
    };
    let name = name
        .as_str()
        .ok_or_else(|| MappingError::Preset("preset must be a name, such as \"odoo-invoices\"".into()))?
        .to_string();
    let text = preset(&name).ok_or_else(|| {
        let known: Vec<&str> = PRESETS.iter().map(|(n, _, _)| *n).collect();
        MappingError::Preset(format!("no preset named '{name}'; the presets are {}", known.join(", ")))
    })?;
    let mut merged: toml::Table =
        toml::from_str(text).map_err(|e| MappingError::Preset(format!("preset {name}: {e}")))?;
    for (key, value) in table {
        match (merged.get_mut(&key), value) {
            // A table overrides the preset's key by key ([columns] client_id alone).
            (Some(toml::Value::Table(base)), toml::Value::Table(over)) => base.extend(over),
            (_, v) => {
                merged.insert(key, v);
            }
        }
    }
    Mapping::deserialize(toml::Value::Table(merged)).map_err(|e| MappingError::Toml(format!("with preset {name}: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::mapping::RowKind;

    #[test]
    fn every_preset_is_a_mapping_that_resolves() {
        for (name, _, text) in PRESETS {
            let m: Mapping = toml::from_str(text).unwrap_or_else(|e| panic!("{name}: {e}"));
            // Twinfield's journal codes are the user's: without them it asks for them.
            match m.resolve() {
                Ok(_) => assert_ne!(*name, "twinfield-debiteurenkaart"),
                Err(e) => assert!(matches!(e, MappingError::Setting { key: "doc_types", .. }), "{name}: {e}"),
            }
        }
    }

    #[test]
    fn a_mapping_overrides_its_preset_table_by_table() {
        let t: toml::Table = toml::from_str(
            "preset = \"odoo-journal-items\"\n[columns]\nclient_id = \"Klant\"\n[doc_types]\ninvoice = [\"VF\"]\npayment = [\"BNK\"]",
        )
        .unwrap();
        let m = mapping_from(t).unwrap();
        assert_eq!(m.rows, RowKind::Ledger);
        assert!(m.payments_negative);
        assert_eq!(m.columns["client_id"], crate::ingest::mapping::ColumnRef::Name("Klant".into()));
        assert!(m.columns.contains_key("amount"), "the preset's other columns stay");
        assert_eq!(m.doc_types["invoice"], ["VF"]);
        let t: toml::Table = toml::from_str("preset = \"sage\"").unwrap();
        assert!(mapping_from(t).unwrap_err().to_string().contains("the presets are odoo-journal-items"));
    }
}
