//! The proposal on small tables of each shape.

use super::*;

fn table(lines: &[&str]) -> SampleTable {
    let rows = lines
        .iter()
        .enumerate()
        .map(|(i, l)| (i, l.split(';').map(|c| SampleCell::Text(c.to_string())).collect()))
        .collect();
    SampleTable { sheet: None, encoding: Some("UTF-8"), delimiter: Some(b';'), rows }
}

#[test]
fn an_invoice_file_under_a_banner() {
    let t = table(&[
        "Debiteurenlijst per 31/10/2026",
        "",
        "Klantnr;Klant;Factuurnr;Factuurdatum;Vervaldatum;Bedrag;Munt",
        "K1;Café Geerts SA;F1;01/05/2024;31/05/2024;1.255,64;EUR",
        "K2;Bakkerij Claes NV;F2;13/05/2024;12/06/2024;80,00;EUR",
    ]);
    let p = propose(Path::new("facturen.csv"), &t, "EUR").unwrap();
    assert_eq!((p.shape, p.skip_rows, p.decimal), (Shape::Invoices, 2, Some(',')));
    let keys: Vec<(&str, &str)> = p.picks.iter().map(|x| (x.key, x.column.header.as_str())).collect();
    assert_eq!(
        keys,
        [
            ("client_id", "Klantnr"),
            ("client_name", "Klant"),
            ("document_id", "Factuurnr"),
            ("issue_date", "Factuurdatum"),
            ("due_date", "Vervaldatum"),
            ("amount", "Bedrag"),
            ("currency", "Munt")
        ]
    );
    assert!(!p.incomplete && p.fixed_currency.is_none(), "{:?}", p.undecided);
    assert_eq!(p.date_formats[0], ("issue_date", DateFormat::pattern("%d/%m/%Y")));
}

#[test]
fn a_payment_file_points_to_its_invoices() {
    let t =
        table(&["Betaling;Klantnr;Datum;Bedrag;Factuurnr", "B1;K1;04/05/2024;53,32;F1", "B2;K2;05/05/2024;10,00;F2"]);
    let p = propose(Path::new("betalingen.csv"), &t, "EUR").unwrap();
    assert_eq!(p.shape, Shape::Payments, "{}", p.why);
    let key = |k: &str| p.picks.iter().find(|x| x.key == k).map(|x| x.column.header.as_str());
    assert_eq!(
        (key("payment_id"), key("payment_date"), key("reference")),
        (Some("Betaling"), Some("Datum"), Some("Factuurnr"))
    );
    assert_eq!(p.fixed_currency.as_deref(), Some("EUR"));
}

#[test]
fn a_ledger_with_sap_types_and_negative_payments() {
    let t = table(&[
        "Customer;Document Number;Document Type;Document Date;Net Due Date;Amount in Local Currency",
        "100;1800000001;RV;01.03.2025;31.03.2025;1.000,00",
        "100;1400000001;DZ;15.03.2025;15.03.2025;-1.000,00",
        "100;1800000002;XX;02.03.2025;01.04.2025;5,00",
    ]);
    let p = propose(Path::new("fbl5n.txt"), &t, "EUR").unwrap();
    assert_eq!(p.shape, Shape::Ledger);
    assert_eq!(p.doc_types["invoice"], ["RV"]);
    assert_eq!(p.doc_types["payment"], ["DZ"]);
    assert!(p.payments_negative);
    assert!(p.undecided.iter().any(|u| u.contains("'XX'")), "{:?}", p.undecided);
}

#[test]
fn what_cannot_be_decided_is_said() {
    let t = table(&["Klant;Omschrijving;Bedrag", "K1;iets;10,00"]);
    let p = propose(Path::new("x.csv"), &t, "EUR").unwrap();
    assert!(p.incomplete);
    assert!(p.undecided.iter().any(|u| u.starts_with("document_id (required)")), "{:?}", p.undecided);
    let ambiguous = table(&["Klant;Factuur;Datum;Bedrag", "K1;F1;01/02/2024;1,00", "K1;F2;03/04/2024;2,00"]);
    let p = propose(Path::new("x.csv"), &ambiguous, "EUR").unwrap();
    assert!(p.undecided.iter().any(|u| u.contains("ambiguous")), "{:?}", p.undecided);
    assert!(propose(Path::new("x.csv"), &table(&["just a note", "nothing else"]), "EUR").is_none());
}
