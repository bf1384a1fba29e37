//! The shipped presets on exports built from the packages' published headers: each loads and
//! gives the balances its rows say, and `arwatch map` recognises it.

mod common;

use common::{csv_rows, read, run};
use std::path::Path;
use tempfile::TempDir;

/// Runs a configuration of `input` (the `[[inputs]]` body) and returns the clients' net AR.
fn net_ar(dir: &Path, input: &str, as_of: &str) -> Vec<(String, String)> {
    let cfg = dir.join("arwatch.toml");
    std::fs::write(&cfg, format!("currency = \"EUR\"\n[handover]\nenabled = false\n[[inputs]]\n{input}")).unwrap();
    let out = dir.join("out");
    let r = run(&["run", "-q", "--config", cfg.to_str().unwrap(), "--out", out.to_str().unwrap(), "--as-of", as_of]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let (h, rows) = csv_rows(&out.join(&as_of[..7]).join("data/clients.csv"));
    let c = h.iter().position(|x| x == "net_ar").unwrap();
    rows.iter().map(|r| (r[0].clone(), r[c].clone())).collect()
}

#[test]
fn odoo_journal_items_in_english_and_dutch() {
    let dir = TempDir::new().unwrap();
    // Odoo's CSV export: comma, every field quoted, ISO dates; Balance = debit - credit.
    let en = "\"Journal Entry\",\"Number\",\"Date\",\"Journal\",\"Account\",\"Partner\",\"Label\",\"Debit\",\"Credit\",\"Balance\",\"Due Date\"\n\
        \"INV/2026/00001\",\"INV/2026/00001\",\"2026-01-05\",\"Customer Invoices\",\"400000 Customers\",\"Brasserie Zoë\",\"\",\"1210.0\",\"0.0\",\"1210.0\",\"2026-02-04\"\n\
        \"INV/2026/00002\",\"INV/2026/00002\",\"2026-01-20\",\"Customer Invoices\",\"400000 Customers\",\"Brasserie Zoë\",\"\",\"500.0\",\"0.0\",\"500.0\",\"2026-02-19\"\n\
        \"RINV/2026/00001\",\"RINV/2026/00001\",\"2026-01-25\",\"Customer Invoices\",\"400000 Customers\",\"Brasserie Zoë\",\"\",\"0.0\",\"100.0\",\"-100.0\",\"2026-01-25\"\n\
        \"BNK1/2026/00001\",\"BNK1/2026/00001\",\"2026-02-03\",\"Bank\",\"400000 Customers\",\"Brasserie Zoë\",\"INV/2026/00001\",\"0.0\",\"1210.0\",\"-1210.0\",\"2026-02-03\"\n\
        \"INV/2026/00003\",\"INV/2026/00003\",\"2026-02-10\",\"Customer Invoices\",\"400000 Customers\",\"Garage Dubois\",\"\",\"250.0\",\"0.0\",\"250.0\",\"2026-03-12\"\n";
    std::fs::write(dir.path().join("Journal Item (account.move.line).csv"), en).unwrap();
    let ar = net_ar(
        dir.path(),
        "file = \"Journal Item (account.move.line).csv\"\n[inputs.mapping]\npreset = \"odoo-journal-items\"\n",
        "2026-02-28",
    );
    assert_eq!(ar, [("Brasserie Zoë".to_string(), "400.00".to_string()), ("Garage Dubois".into(), "250.00".into())]);

    // The same in Dutch, with the company's own journal names.
    let nl = en
        .replace("\"Journal Entry\",\"Number\",\"Date\",\"Journal\",\"Account\",\"Partner\",\"Label\",\"Debit\",\"Credit\",\"Balance\",\"Due Date\"",
                 "\"Boeking\",\"Nummer\",\"Datum\",\"Dagboek\",\"Account\",\"Relatie\",\"Omschrijving\",\"Debet\",\"Credit\",\"Saldo\",\"Vervaldatum\"")
        .replace("Customer Invoices", "Verkoopfacturen")
        .replace("\"Bank\"", "\"KBC\"");
    std::fs::write(dir.path().join("boekingen.csv"), nl).unwrap();
    let ar = net_ar(
        dir.path(),
        "file = \"boekingen.csv\"\n[inputs.mapping]\npreset = \"odoo-journal-items\"\n[inputs.mapping.doc_types]\ninvoice = [\"Verkoopfacturen\"]\npayment = [\"KBC\"]\n",
        "2026-02-28",
    );
    assert_eq!(ar[0].1, "400.00");
}

#[test]
fn odoo_invoices_as_an_open_items_list_in_french() {
    let dir = TempDir::new().unwrap();
    let fr = "\"Numéro\",\"Partenaire\",\"Date de facturation\",\"Date d'échéance\",\"Total signé\",\"Montant dû signé\",\"Statut du paiement\"\n\
        \"FAC/2026/00001\",\"Hôtel Müller\",\"2026-01-05\",\"2026-02-04\",\"1210.0\",\"0.0\",\"Payé\"\n\
        \"FAC/2026/00002\",\"Hôtel Müller\",\"2026-02-05\",\"2026-03-07\",\"800.0\",\"300.0\",\"Partiellement réglé\"\n\
        \"AVO/2026/00001\",\"Hôtel Müller\",\"2026-02-10\",\"2026-02-10\",\"-50.0\",\"-50.0\",\"Non payé\"\n\
        \"FAC/2026/00003\",\"Café Théâtre\",\"2026-03-01\",\"2026-03-31\",\"99.95\",\"99.95\",\"Non payé\"\n";
    std::fs::write(dir.path().join("factures.csv"), fr).unwrap();
    let ar = net_ar(
        dir.path(),
        "file = \"factures.csv\"\nsnapshot_date = \"2026-03-31\"\n[inputs.mapping]\npreset = \"odoo-invoices\"\n",
        "2026-03-31",
    );
    assert_eq!(ar, [("Café Théâtre".to_string(), "99.95".to_string()), ("Hôtel Müller".into(), "250.00".into())]);
    // The paid invoice is listed as such, not as an error.
    let rejected = read(&dir.path().join("out/2026-03/data/rejected.csv"));
    assert!(rejected.contains("nothing open (settled)"), "{rejected}");
}

#[test]
fn twinfield_debiteurenkaart_with_the_users_journal_codes() {
    let dir = TempDir::new().unwrap();
    let csv = "Dagboek;Naam;Boekst.nr.;Status;Boekdatum;Debiteur;Naam;Valuta;Bedrag;Euro;Openstaand bedrag;Factuurnr.;Vervaldatum;Betaalstatus;Betaalnr.;Betaaldatum\n\
        VRK;Verkoop;202600001;Definitief;05/01/2026;1001;Bakkerij Claes;EUR;2200,00;2200,00;0,00;202600001;04/02/2026;Betaald;1;02/02/2026\n\
        VRK;Verkoop;202600002;Definitief;12/01/2026;1001;Bakkerij Claes;EUR;605,00;605,00;605,00;202600002;11/02/2026;Beschikbaar;;\n\
        BNK;Bank;202600010;Definitief;02/02/2026;1001;Bakkerij Claes;EUR;-2200,00;-2200,00;0,00;202600001;02/02/2026;Betaald;1;02/02/2026\n";
    std::fs::write(dir.path().join("debiteurenkaart.csv"), csv).unwrap();
    let ar = net_ar(
        dir.path(),
        "file = \"debiteurenkaart.csv\"\n[inputs.mapping]\npreset = \"twinfield-debiteurenkaart\"\ndecimal = \",\"\n\
         date_formats = [\"%d/%m/%Y\"]\n\
         [inputs.mapping.doc_types]\ninvoice = [\"VRK\"]\nignore = [\"BNK\"]\n",
        "2026-02-28",
    );
    assert_eq!(ar, [("1001".to_string(), "605.00".to_string())]);
    let clients = read(&dir.path().join("out/2026-02/data/clients.csv"));
    assert!(clients.contains("1001,Bakkerij Claes,"), "the debtor's name is the second Naam: {clients}");

    // `arwatch map` recognises the layout and asks for the journal codes.
    let m = run(&[
        "map",
        dir.path().join("debiteurenkaart.csv").to_str().unwrap(),
        "--out",
        dir.path().join("m").to_str().unwrap(),
    ]);
    assert_eq!(m.code, 3, "{}", m.stderr);
    assert!(m.stdout.contains("the shipped preset twinfield-debiteurenkaart"), "{}", m.stdout);
    assert!(m.stdout.contains("doc_types"), "{}", m.stdout);
}

#[test]
fn map_names_the_odoo_preset_and_the_proposal_runs() {
    let dir = TempDir::new().unwrap();
    let f = dir.path().join("factures.csv");
    std::fs::write(
        &f,
        "\"Number\",\"Partner\",\"Invoice/Bill Date\",\"Due Date\",\"Amount Due Signed\"\n\"INV/1\",\"Azure Interior\",\"2026-03-02\",\"2026-04-01\",\"1000.0\"\n\"INV/2\",\"Deco Addict\",\"2026-03-09\",\"2026-04-08\",\"35.5\"\n",
    )
    .unwrap();
    let out = dir.path().join("m");
    let m = run(&["map", f.to_str().unwrap(), "--out", out.to_str().unwrap(), "--snapshot-date", "2026-03-31"]);
    assert_eq!(m.code, 0, "{}\n{}", m.stdout, m.stderr);
    assert!(read(&out.join("mappings/factures.toml")).contains("preset = \"odoo-invoices\""));
    let r = run(&[
        "run",
        "-q",
        "--config",
        out.join("arwatch.toml").to_str().unwrap(),
        "--out",
        dir.path().join("o").to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
}

/// A line of the OCA report: date, entry, due date, original and residual amount.
type Line<'a> = (&'a str, &'a str, &'a str, f64, f64);

/// The OCA "Open Items" report as its XLSX writer lays it out: title, filters, an account
/// title, then per partner a title row, the header, text dates, numbers, an ending balance.
fn oca_open_items(path: &Path) {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet().set_name("Open Items").unwrap();
    ws.write(0, 0, "Open Items - Voorbeeld NV - EUR").unwrap();
    for (r, (name, value)) in
        [("Date at filter", "31/03/2026"), ("Target moves filter", "All posted entries")].iter().enumerate()
    {
        ws.write(4 + r as u32, 1, *name).unwrap();
        ws.write(4 + r as u32, 4, *value).unwrap();
    }
    ws.write(9, 0, "400000 - Customers").unwrap();
    let header = ["Date", "Entry", "Journal", "Account", "Partner", "Ref - Label", "Due date", "Original", "Residual"];
    let mut row = 10;
    let blocks: [(&str, &[Line]); 2] = [
        (
            "Brasserie Zoë",
            &[
                ("05/01/2026", "INV/2026/00001", "04/02/2026", 1210.0, 1210.0),
                ("20/02/2026", "INV/2026/00007", "22/03/2026", 500.0, 200.0),
            ],
        ),
        ("Garage Dubois", &[("02/03/2026", "INV/2026/00011", "01/04/2026", 99.95, 99.95)]),
    ];
    for (partner, lines) in blocks {
        ws.write(row, 0, partner).unwrap();
        row += 1;
        for (c, h) in header.iter().enumerate() {
            ws.write(row, c as u16, *h).unwrap();
        }
        row += 1;
        let mut total = 0.0;
        for (date, entry, due, original, residual) in lines {
            for (c, v) in [*date, *entry, "INV", "400000", partner, "", *due].iter().enumerate() {
                ws.write(row, c as u16, *v).unwrap();
            }
            ws.write(row, 7, *original).unwrap();
            ws.write(row, 8, *residual).unwrap();
            total += residual;
            row += 1;
        }
        ws.write(row, 5, "Partner ending balance").unwrap();
        ws.write(row, 8, total).unwrap();
        row += 2;
    }
    wb.save(path).unwrap();
}

#[test]
fn oca_open_items_grouped_by_partner() {
    let dir = TempDir::new().unwrap();
    let f = dir.path().join("Open Items.xlsx");
    oca_open_items(&f);
    // By hand: the preset and where the first header is.
    let ar = net_ar(
        dir.path(),
        "file = \"Open Items.xlsx\"\nsnapshot_date = \"2026-03-31\"\n[inputs.mapping]\npreset = \"oca-open-items\"\nskip_rows = 11\n",
        "2026-03-31",
    );
    assert_eq!(ar, [("Brasserie Zoë".to_string(), "1410.00".to_string()), ("Garage Dubois".into(), "99.95".into())]);
    let rejected = read(&dir.path().join("out/2026-03/data/rejected.csv"));
    assert!(
        rejected.contains("a group title")
            && rejected.contains("the header again")
            && rejected.contains("ending balance"),
        "{rejected}"
    );
    // arwatch map finds the header under the titles and names the preset.
    let out = dir.path().join("m");
    let m = run(&["map", f.to_str().unwrap(), "--out", out.to_str().unwrap(), "--snapshot-date", "2026-03-31"]);
    assert_eq!(m.code, 0, "{}\n{}", m.stdout, m.stderr);
    assert!(m.stdout.contains("the shipped preset oca-open-items"), "{}", m.stdout);
    let r = run(&[
        "run",
        "-q",
        "--config",
        out.join("arwatch.toml").to_str().unwrap(),
        "--out",
        dir.path().join("o").to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let (_, rows) = csv_rows(&dir.path().join("o/2026-03/data/clients.csv"));
    assert_eq!(rows.len(), 2);
}

#[test]
fn a_grouped_report_without_a_client_column_takes_the_titles() {
    let dir = TempDir::new().unwrap();
    std::fs::write(
        dir.path().join("ouderdom.csv"),
        "Ouderdomsanalyse per 31/03/2026\nBrasserie Zoë\nFactuur;Datum;Vervaldatum;Openstaand\nF1;05/01/2026;04/02/2026;121,00\nF2;20/02/2026;22/03/2026;80,00\n\
         ;;Totaal Brasserie Zoë;201,00\nGarage Dubois\nFactuur;Datum;Vervaldatum;Openstaand\nF3;02/03/2026;01/04/2026;99,95\n;;;99,95\n",
    )
    .unwrap();
    let ar = net_ar(
        dir.path(),
        "file = \"ouderdom.csv\"\nsnapshot_date = \"2026-03-31\"\n[inputs.mapping]\nrows = \"open_items\"\ngrouped = true\nskip_rows = 2\n\
         delimiter = \";\"\ndecimal = \",\"\ndate_formats = [\"%d/%m/%Y\"]\n[inputs.mapping.columns]\ndocument_id = \"Factuur\"\n\
         issue_date = \"Datum\"\ndue_date = \"Vervaldatum\"\namount = \"Openstaand\"\n",
        "2026-03-31",
    );
    assert_eq!(ar, [("Brasserie Zoë".to_string(), "201.00".to_string()), ("Garage Dubois".into(), "99.95".into())]);
    let rejected = read(&dir.path().join("out/2026-03/data/rejected.csv"));
    assert_eq!(rejected.matches("subtotal or ending balance").count(), 2, "{rejected}");
    assert_eq!(rejected.matches("a group title:").count(), 1, "the first title is above the header: {rejected}");
}

#[test]
fn xero_invoices_one_row_per_line() {
    let dir = TempDir::new().unwrap();
    let header = "*ContactName,EmailAddress,POAddressLine1,POAddressLine2,POAddressLine3,POAddressLine4,POCity,PORegion,POPostalCode,POCountry,SAAddressLine1,SAAddressLine2,SAAddressLine3,SAAddressLine4,SACity,SARegion,SAPostalCode,SACountry,*InvoiceNumber,Reference,*InvoiceDate,*DueDate,PlannedDate,Total,TaxTotal,InvoiceAmountPaid,InvoiceAmountDue,InventoryItemCode,*Description,*Quantity,*UnitAmount,Discount,LineAmount,*AccountCode,*TaxType,TaxAmount,TrackingName1,TrackingOption1,TrackingName2,TrackingOption2,Currency,Type,Sent,Status";
    let row = |contact: &str, inv: &str, date: &str, due: &str, total: &str, paid: &str, owed: &str, desc: &str| {
        format!(
            "{contact},,,,,,,,,,,,,,,,,,{inv},,{date},{due},,{total},0,{paid},{owed},,{desc},1,{total},,{total},200,Tax Exempt,0,,,,,EUR,Sales Invoice,Sent,Awaiting Payment"
        )
    };
    let csv = [
        header.to_string(),
        row("Bakkerij Claes", "INV-0001", "15/02/2026", "17/03/2026", "150.00", "0.00", "150.00", "Bread"),
        row("Bakkerij Claes", "INV-0001", "15/02/2026", "17/03/2026", "150.00", "0.00", "150.00", "Cakes"),
        row("Bakkerij Claes", "INV-0002", "20/01/2026", "19/02/2026", "80.00", "80.00", "0.00", "Bread"),
        row("Drukkerij Peeters", "INV-0003", "28/03/2026", "27/04/2026", "99.95", "0.00", "99.95", "Flyers"),
    ]
    .join("\n");
    std::fs::write(dir.path().join("Invoices.csv"), csv).unwrap();
    let ar = net_ar(
        dir.path(),
        "file = \"Invoices.csv\"\nsnapshot_date = \"2026-03-31\"\n[inputs.mapping]\npreset = \"xero-invoices\"\n",
        "2026-03-31",
    );
    assert_eq!(
        ar,
        [("Bakkerij Claes".to_string(), "150.00".to_string()), ("Drukkerij Peeters".into(), "99.95".into())]
    );
    let rejected = read(&dir.path().join("out/2026-03/data/rejected.csv"));
    assert!(rejected.contains("another line of the document"), "{rejected}");
}

#[test]
fn oca_aged_partner_balance_in_move_line_mode_in_dutch() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("Ouderdomsanalyse.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.write(0, 0, "Aged Partner Balance - Voorbeeld NV - EUR").unwrap();
    let header = [
        "Datum",
        "Boeking",
        "Dagboek",
        "Rekening",
        "Partner",
        "Ref - Label",
        "Vervaldatum",
        "Resterend",
        "Huidig",
        "Vv. ≤ 30 d.",
        "Vv. ≤ 60 d.",
        "Vv. ≤ 90 d.",
        "Vv. ≤ 120 d.",
        "Ouder",
    ];
    ws.write(3, 0, "Brasserie Zoë").unwrap();
    for (c, h) in header.iter().enumerate() {
        ws.write(4, c as u16, *h).unwrap();
    }
    for (c, v) in
        ["05/01/2026", "INV/2026/00001", "INV", "400000", "Brasserie Zoë", "", "04/02/2026"].iter().enumerate()
    {
        ws.write(5, c as u16, *v).unwrap();
    }
    ws.write(5, 7, 1210.0).unwrap();
    ws.write(5, 10, 1210.0).unwrap();
    ws.write(6, 5, "Partner cumul aged balance").unwrap();
    ws.write(6, 7, 1210.0).unwrap();
    wb.save(&path).unwrap();
    let ar = net_ar(
        dir.path(),
        "file = \"Ouderdomsanalyse.xlsx\"\nsnapshot_date = \"2026-03-31\"\n[inputs.mapping]\npreset = \"oca-aged-partner-balance\"\nskip_rows = 4\n",
        "2026-03-31",
    );
    assert_eq!(ar, [("Brasserie Zoë".to_string(), "1210.00".to_string())]);
}

/// One line of WinBooks' ACT.txt: 36 quoted fields, the ones given set: DOCTYPE, DBKTYPE,
/// DOCNUMBER, ACCOUNTGL, ACCOUNTRP, DATE (also DATEDOC), DUEDATE, AMOUNTEUR.
fn act_line([doctype, dbktype, docnumber, gl, rp, date, due, eur]: [&str; 8]) -> String {
    let mut f = vec![String::new(); 36];
    f[0] = doctype.into();
    f[1] = if dbktype == "4" { "BANK".into() } else { "VENTES".into() };
    f[2] = dbktype.into();
    f[3] = docnumber.into();
    f[4] = "001".into();
    f[6] = gl.into();
    f[7] = rp.into();
    f[8] = "2026".into();
    f[10] = date.into();
    f[11] = date.into();
    f[12] = due.into();
    f[15] = "0.00".into();
    f[16] = eur.into();
    f.iter().map(|x| format!("\"{x}\"")).collect::<Vec<_>>().join(",")
}

#[test]
fn winbooks_act_without_a_header_row() {
    let dir = TempDir::new().unwrap();
    let lines = [
        act_line(["1", "2", "26000001", "400000", "CLAES", "20260105", "20260204", "1210.00"]),
        act_line(["3", "2", "26000001", "700000", "CLAES", "20260105", "20260204", "-1000.00"]),
        act_line(["4", "2", "26000001", "451000", "CLAES", "20260105", "20260204", "-210.00"]),
        act_line(["1", "4", "26000010", "400000", "CLAES", "20260203", "20260203", "-1210.00"]),
        act_line(["3", "4", "26000010", "550000", "", "20260203", "20260203", "1210.00"]),
        act_line(["1", "2", "26000002", "400000", "PEETERS", "20260209", "20260311", "605.00"]),
        act_line(["3", "2", "26000002", "700000", "PEETERS", "20260209", "20260311", "-500.00"]),
        act_line(["1", "3", "26000003", "400000", "PEETERS", "20260215", "20260215", "-60.50"]),
    ];
    std::fs::write(dir.path().join("ACT.txt"), lines.join("\r\n") + "\r\n").unwrap();
    let ar = net_ar(dir.path(), "file = \"ACT.txt\"\n[inputs.mapping]\npreset = \"winbooks-act\"\n", "2026-02-28");
    assert_eq!(ar, [("CLAES".to_string(), "0.00".to_string()), ("PEETERS".into(), "544.50".into())]);
    // Every line is accounted for: the first is a row, not a header.
    let summary: serde_json::Value =
        serde_json::from_str(&read(&dir.path().join("out/2026-02/data/summary.json"))).unwrap();
    let input = &summary["inputs"][0];
    assert_eq!(
        (input["lines"].as_u64(), input["rows_read"].as_u64(), input["lines_before_rows"].as_u64()),
        (Some(8), Some(8), Some(0))
    );
    assert_eq!(input["reconciles"], true);
    let rejected = read(&dir.path().join("out/2026-02/data/rejected.csv"));
    assert_eq!(rejected.matches("left out by the mapping: #1 is not 1").count(), 4, "{rejected}");
}
