//! The human reports, read back the way their readers see them: the workbook through calamine,
//! the PDFs through poppler's pdftotext and pdffonts, all checked against the data files.

mod common;

use calamine::{Data, DataType, Reader, open_workbook_auto};
use common::{arwatch, cents, csv_rows, pdftotext, root};
use tempfile::TempDir;

/// Runs the sample pipeline into a fresh folder (September, then October, so there are alerts).
fn sample_run(lang: &str) -> TempDir {
    let out = TempDir::new().unwrap();
    let cfg = root().join("sample_data/arwatch.toml");
    for as_of in ["2026-09-30", "2026-10-31"] {
        let o = arwatch()
            .args([
                "run",
                "-q",
                "--config",
                cfg.to_str().unwrap(),
                "--out",
                out.path().to_str().unwrap(),
                "--as-of",
                as_of,
                "--lang",
                lang,
            ])
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    out
}

#[test]
fn workbook_matches_the_data_files() {
    let out = sample_run("en");
    let month = out.path().join("2026-10");
    let mut wb = open_workbook_auto(month.join("arwatch-2026-10.xlsx")).unwrap();
    assert_eq!(
        wb.sheet_names(),
        vec![
            "Summary",
            "Clients",
            "Forecast",
            "Early warning",
            "Open items",
            "Forecast per invoice",
            "Trends",
            "Alerts",
            "Opportunities",
            "Collection actions",
            "Handover",
            "Data quality"
        ]
    );
    // The Opportunities sheet is opportunities.csv, row for row.
    let (header, rows) = csv_rows(&month.join("data/opportunities.csv"));
    let sheet = wb.worksheet_range("Opportunities").unwrap();
    assert_eq!(sheet.height(), rows.len() + 1);
    let heads: Vec<String> = sheet.rows().next().unwrap().iter().map(|c| c.to_string()).collect();
    assert_eq!(heads.len(), header.len());
    for (r, row) in rows.iter().enumerate() {
        let cells = sheet.rows().nth(r + 1).unwrap();
        assert_eq!(cells[0].to_string(), row[0]);
        assert_eq!(cells[6].to_string(), row[6]);
    }

    // Clients: every column of clients.csv, headed for people, the same values.
    let (header, rows) = csv_rows(&month.join("data/clients.csv"));
    let sheet = wb.worksheet_range("Clients").unwrap();
    let got: Vec<String> = sheet.rows().next().unwrap().iter().map(|c| c.to_string()).collect();
    assert_eq!(got.len(), header.len());
    for (key, heading) in [("net_ar", "Net AR"), ("wadl_12m", "Weighted days late (12 months)")] {
        assert_eq!(got[header.iter().position(|h| h == key).unwrap()], heading);
    }
    assert_eq!(sheet.height(), rows.len() + 1);
    let net_ar = header.iter().position(|h| h == "net_ar").unwrap();
    let tier = header.iter().position(|h| h == "risk_tier").unwrap();
    for (r, row) in rows.iter().enumerate() {
        let cells = sheet.rows().nth(r + 1).unwrap();
        assert_eq!(cells[0].to_string(), row[0]);
        // Money is a true number, equal to the data file to the cent.
        match &cells[net_ar] {
            Data::Float(v) => assert_eq!((v * 100.0).round() as i64, cents(&row[net_ar]), "client {}", row[0]),
            other => panic!("net_ar of {} is not a number: {other:?}", row[0]),
        }
        assert_eq!(cells[tier].to_string(), row[tier]);
    }

    // Summary: the net AR KPI equals summary.json.
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(month.join("data/summary.json")).unwrap()).unwrap();
    let s = wb.worksheet_range("Summary").unwrap();
    let net = s.rows().find(|r| r[0] == "Net AR").expect("a Net AR row");
    assert_eq!(
        (net[1].as_f64().unwrap() * 100.0).round() as i64,
        cents(summary["portfolio"]["net_ar"].as_str().unwrap())
    );

    // Open items: real date cells.
    let open = wb.worksheet_range("Open items").unwrap();
    assert!(matches!(open.rows().nth(1).unwrap()[3], Data::DateTime(_)), "issue date is not a date cell");

    // Alerts and handover: as many rows as the data files.
    let (_, alerts) = csv_rows(&month.join("data/alerts.csv"));
    assert!(!alerts.is_empty());
    assert_eq!(wb.worksheet_range("Alerts").unwrap().height(), alerts.len() + 1);
    let (_, handover) = csv_rows(&month.join("data/handover.csv"));
    assert!(!handover.is_empty());
    assert_eq!(wb.worksheet_range("Handover").unwrap().height(), handover.len() + 1);
}

#[test]
fn handover_file_and_dossiers() {
    let out = sample_run("en");
    let month = out.path().join("2026-10");
    let (header, rows) = csv_rows(&month.join("data/handover.csv"));
    assert_eq!(
        header[..12],
        [
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
            "claim_total"
        ]
    );
    let (ch, clients) = csv_rows(&month.join("data/clients.csv"));
    let tier = ch.iter().position(|h| h == "risk_tier").unwrap();
    let critical: Vec<&str> = clients.iter().filter(|c| c[tier] == "critical").map(|c| c[0].as_str()).collect();
    for r in &rows {
        // Claim = open + interest + 40.00, and only 60+ days past due unless the client is critical.
        assert_eq!(cents(&r[11]), cents(&r[7]) + cents(&r[9]) + cents(&r[10]), "{r:?}");
        assert_eq!(r[10], "40.00");
        assert!(r[8].parse::<i64>().unwrap() >= 60 || critical.contains(&r[0].as_str()), "{r:?}");
    }
    // One dossier per debtor, with its invoices, interest and legal basis.
    let debtors: std::collections::BTreeSet<&str> = rows.iter().map(|r| r[0].as_str()).collect();
    let files = std::fs::read_dir(month.join("handover")).unwrap().count();
    assert_eq!(files, debtors.len());
    let k8: Vec<&Vec<String>> = rows.iter().filter(|r| r[0] == "K0008").collect();
    let text = pdftotext(&month.join("handover/K0008.pdf"));
    assert!(text.contains("Collection dossier") && text.contains("Belgian law of 2 August 2002"), "{text}");
    assert!(text.contains("bankrupt") && text.contains("Voorbeeld Groothandel NV"));
    for r in &k8 {
        assert!(text.contains(&r[3]), "invoice {} missing", r[3]);
    }
    let first_interest = format!("€ {}", k8[0][9]);
    assert!(text.contains(&first_interest), "{first_interest} not in the dossier");
    assert!(text.contains("formal notice"), "the reminder history is missing");
}

#[test]
fn management_report_pdf_has_the_key_figures() {
    let out = sample_run("en");
    let month = out.path().join("2026-10");
    let pdf = month.join("arwatch-2026-10.pdf");
    let text = pdftotext(&pdf);
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(month.join("data/summary.json")).unwrap()).unwrap();
    let net = cents(summary["portfolio"]["net_ar"].as_str().unwrap());
    let shown = format!("€ {},{:03}.{:02}", net / 100_000, (net / 100) % 1000, net % 100);
    assert!(text.contains(&shown), "net AR {shown} not in the report");
    let dso = summary["portfolio"]["dso_countback"]["days"].as_f64().unwrap();
    assert!(text.contains(&format!("{dso:.1} days")), "countback DSO {dso:.1} not in the report");
    for s in [
        "Accounts receivable report",
        "31/10/2026",
        "Headline alerts",
        "The 20 riskiest clients",
        "Collection handover",
        "Data quality",
        "Page 1 of",
    ] {
        assert!(text.contains(s), "{s:?} not in the report");
    }
    assert!(text.contains("legal status changed from active to bankrupt"));
    // The font is embedded, with a Unicode map, so é, ë and € survive copy and paste.
    let fonts = std::process::Command::new("pdffonts").arg(&pdf).output().unwrap();
    let fonts = String::from_utf8_lossy(&fonts.stdout);
    assert!(fonts.lines().skip(2).all(|l| l.contains(" yes ")), "{fonts}");
    assert!(text.contains('é') || text.contains('ë'));
}

#[test]
fn dutch_report_uses_dutch_labels_and_number_formats() {
    let out = sample_run("nl");
    let month = out.path().join("2026-10");
    let text = pdftotext(&month.join("arwatch-2026-10.pdf"));
    assert!(text.contains("Rapport debiteurenbeheer") && text.contains("Pagina 1 van"), "labels");
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(month.join("data/summary.json")).unwrap()).unwrap();
    let net = cents(summary["portfolio"]["net_ar"].as_str().unwrap());
    let shown = format!("{}.{:03},{:02} €", net / 100_000, (net / 100) % 1000, net % 100);
    assert!(text.contains(&shown), "{shown} not in the Dutch report");
    // The risk reasons and the alerts' words are Dutch, with a decimal comma; the data files
    // keep English words and codes.
    let flat = text.replace('\n', " ");
    assert!(flat.contains("status bij het bureau: failliet"), "risk reasons not in Dutch");
    assert!(flat.contains("dagen later dan gewoonlijk"), "risk reasons not in Dutch");
    assert!(!flat.contains("bureau status: bankrupt"), "English risk reasons in the Dutch report");
    assert!(flat.contains("risicoklasse") && flat.contains("kritiek"), "alerts' kind and severity not in Dutch");
    let alerts = std::fs::read_to_string(month.join("data/alerts.csv")).unwrap();
    assert!(alerts.contains(",risk_tier,risk,critical,"), "{alerts}");
    let mut wb = open_workbook_auto(month.join("arwatch-2026-10.xlsx")).unwrap();
    assert_eq!(wb.sheet_names()[0], "Overzicht");
    assert!(wb.worksheet_range("Klanten").is_ok());
    let sheet = wb.worksheet_range("Signalen").unwrap();
    let kinds: Vec<String> = sheet.rows().skip(1).map(|r| r[2].to_string()).collect();
    assert!(kinds.iter().any(|k| k == "risicoklasse") && !kinds.iter().any(|k| k == "risk_tier"), "{kinds:?}");
}

/// A run of one invoice file (`Klant;Naam;Nr;Datum;Verval;Bedrag` rows, decimal comma) in
/// `currency` and `lang`, as of 30 June 2025, every client past due handed over.
fn ledger(rows: &str, currency: &str, lang: &str) -> TempDir {
    let dir = TempDir::new().unwrap();
    let w = |name: &str, text: &str| std::fs::write(dir.path().join(name), text).unwrap();
    w("f.csv", &format!("Klant;Naam;Nr;Datum;Verval;Bedrag\n{rows}"));
    w(
        "f.toml",
        "delimiter = \";\"\ndecimal = \",\"\ndate_formats = [\"%d/%m/%Y\"]\n[columns]\nclient_id = \"Klant\"\nclient_name = \"Naam\"\ndocument_id = \"Nr\"\nissue_date = \"Datum\"\ndue_date = \"Verval\"\namount = \"Bedrag\"\n",
    );
    w(
        "arwatch.toml",
        &format!(
            "currency = \"{currency}\"\nlang = \"{lang}\"\ncompany = \"Groothandel\"\nas_of = \"2025-06-30\"\nout = \"out\"\n[[inputs]]\nfile = \"f.csv\"\nmapping = \"f.toml\"\n[handover]\ncompensation = 40\ncompensation_currency = \"{currency}\"\n"
        ),
    );
    let o = arwatch().current_dir(dir.path()).args(["run", "-q", "--config", "arwatch.toml"]).output().unwrap();
    assert!(o.status.code().is_some_and(|c| c <= 3), "{}", String::from_utf8_lossy(&o.stderr));
    dir
}

/// A ledger whose net AR is exactly 10^10 in `currency`: one client owing nearly all of it,
/// one owing 1,234 and a fraction, both long overdue so both are handed over.
fn ten_billion(currency: &str, lang: &str) -> TempDir {
    let (big, small) = match currency {
        "JPY" => ("9999998766", "1234"),
        "EUR" => ("9999998765,43", "1234,57"),
        _ => ("9999998765,433", "1234,567"),
    };
    ledger(
        &format!(
            "K1;Brasserie Zoë;F1;01/02/2025;03/03/2025;{big}\nK2;Garage Dupont;F2;01/01/2025;31/01/2025;{small}\n"
        ),
        currency,
        lang,
    )
}

/// Issue 21: two accounts of one group bear the same name; every list of the report (the
/// riskiest clients, the actions, the handover) tells them apart by their id, while a name of
/// its own stands alone and the data files keep the plain names.
#[test]
fn clients_that_share_a_name_are_told_apart_in_the_report() {
    let dir = ledger(
        "K1;Groep Janssens NV;F1;01/02/2025;03/03/2025;1500,00\nK2;Groep Janssens NV;F2;01/01/2025;31/01/2025;900,00\nK3;Brasserie Zoë;F3;01/01/2025;31/01/2025;700,00\n",
        "EUR",
        "en",
    );
    let month = dir.path().join("out/2025-06");
    let text = pdftotext(&month.join("arwatch-2025-06.pdf"));
    for id in ["K1", "K2"] {
        let label = format!("Groep Janssens NV ({id})");
        // The riskiest clients, the collection actions and the handover per debtor.
        assert_eq!(text.matches(&label).count(), 3, "{label} in every list:\n{text}");
    }
    assert!(text.contains("Brasserie Zoë") && !text.contains("Brasserie Zoë (K3)"), "{text}");
    let (header, rows) = csv_rows(&month.join("data/clients.csv"));
    let name = header.iter().position(|h| h == "client_name").unwrap();
    let names: Vec<&str> = rows.iter().map(|r| r[name].as_str()).collect();
    assert_eq!(names, ["Groep Janssens NV", "Groep Janssens NV", "Brasserie Zoë"]);
}

/// Issue 21: an amount was cut short in the PDFs (`€ 4,667,353.…` in the first page's tiles,
/// `KWD 1,234.…` in the tables of the report and the dossiers). A net AR of 10^10 in a 0-, 2-
/// and 3-digit currency, in every language: each amount is in the text whole, nothing is cut.
#[test]
fn no_amount_is_cut_short_in_the_pdfs() {
    for currency in ["JPY", "EUR", "KWD"] {
        for lang in ["en", "nl", "fr"] {
            let dir = ten_billion(currency, lang);
            let month = dir.path().join("out/2025-06");
            // The amounts as each language writes them, the symbol where it puts it (French
            // groups with a narrow no-break space, which pdftotext gives as a space).
            let (group, mark) = match lang {
                "en" => (",", "."),
                "nl" => (".", ","),
                _ => (" ", ","),
            };
            let fraction = |digits: &str| match currency {
                "JPY" => String::new(),
                "EUR" => format!("{mark}{}", &digits[..2]),
                _ => format!("{mark}{digits}"),
            };
            let shown = |groups: &[&str], digits: &str| {
                let n = format!("{}{}", groups.join(group), fraction(digits));
                let symbol = if currency == "EUR" { "€" } else { currency };
                if lang == "en" { format!("{symbol} {n}") } else { format!("{n} {symbol}") }
            };
            let net = shown(&["10", "000", "000", "000"], "000");
            let small = shown(&["1", "234"], if currency == "EUR" { "57" } else { "567" });
            let text = |p: &std::path::Path| pdftotext(p).replace('\u{202f}', " ");
            let report = text(&month.join("arwatch-2025-06.pdf"));
            let first_page = report.split('\u{c}').next().unwrap();
            assert!(first_page.contains(&net), "{currency} {lang}: net AR {net} not whole on page 1:\n{first_page}");
            assert!(report.contains(&small), "{currency} {lang}: {small} not whole in the report");
            let dossier = text(&month.join("handover/K2.pdf"));
            assert!(dossier.contains(&small), "{currency} {lang}: {small} not whole in the dossier:\n{dossier}");
            for text in [&report, &dossier] {
                assert!(!text.contains('…'), "{currency} {lang}: something is cut:\n{text}");
            }
        }
    }
}

/// Issue 21: the workbook is for people. Every sheet's column headings are words in the
/// report's language (`Net AR`, `Netto openstaand`, `Encours net`), never a data file's
/// machine name such as `wadl_12m`, which the data files keep.
#[test]
fn workbook_headings_are_in_the_report_s_language() {
    let machine =
        |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    for (lang, net_ar, wadl) in [
        ("en", "Net AR", "Weighted days late (12 months)"),
        ("nl", "Netto openstaand", "Gewogen dagen te laat (12 m.)"),
        ("fr", "Encours net", "Retard moyen pondéré (12 mois)"),
    ] {
        let out = sample_run(lang);
        let month = out.path().join("2026-10");
        let mut wb = open_workbook_auto(month.join("arwatch-2026-10.xlsx")).unwrap();
        let names = wb.sheet_names();
        // Every sheet but the Summary (a layout, not a table) starts with its headings.
        for name in &names[1..] {
            let sheet = wb.worksheet_range(name).unwrap();
            let heads: Vec<String> = sheet.rows().next().unwrap().iter().map(|c| c.to_string()).collect();
            let keys: Vec<&String> = heads.iter().filter(|h| machine(h)).collect();
            assert!(keys.is_empty(), "{lang} {name}: machine names {keys:?} in {heads:?}");
        }
        let clients = wb.worksheet_range(&names[1]).unwrap();
        let heads: Vec<String> = clients.rows().next().unwrap().iter().map(|c| c.to_string()).collect();
        assert!(heads.contains(&net_ar.to_string()) && heads.contains(&wadl.to_string()), "{lang}: {heads:?}");
        let (header, _) = csv_rows(&month.join("data/clients.csv"));
        assert!(header.contains(&"wadl_12m".to_string()), "the data file keeps its machine names");
        // open_items.csv names each invoice's client, as clients.csv does.
        let (_, clients) = csv_rows(&month.join("data/clients.csv"));
        let (header, items) = csv_rows(&month.join("data/open_items.csv"));
        let name = header.iter().position(|h| h == "client_name").expect("open_items.csv has client_name");
        assert!(!items.is_empty());
        for item in &items {
            let client = clients.iter().find(|c| c[0] == item[0]).unwrap();
            assert_eq!(item[name], client[1], "{}", item[0]);
        }
    }
}

/// Issue 21: a first month after a month with nothing owed showed "+31.0 days vs last month"
/// in red, a change from nothing. The tile now shows no change, as no DSO alert is raised.
#[test]
fn a_dso_from_nothing_owed_shows_no_change_against_last_month() {
    let dir = TempDir::new().unwrap();
    let w = |name: &str, text: &str| std::fs::write(dir.path().join(name), text).unwrap();
    w(
        "f.csv",
        "Klant;Nr;Datum;Verval;Bedrag;Betaald\nK1;F1;05/01/2025;20/01/2025;100,00;15/01/2025\nK1;F2;01/03/2025;31/03/2025;500,00;\nK2;F3;05/03/2025;04/04/2025;700,00;\n",
    );
    w(
        "m.toml",
        "delimiter = \";\"\ndecimal = \",\"\ndate_formats = [\"%d/%m/%Y\"]\n[columns]\nclient_id = \"Klant\"\ndocument_id = \"Nr\"\nissue_date = \"Datum\"\ndue_date = \"Verval\"\namount = \"Bedrag\"\nsettled_date = \"Betaald\"\n",
    );
    w(
        "a.toml",
        "currency = \"EUR\"\nas_of = \"2025-03-31\"\nout = \"out\"\n[[inputs]]\nfile = \"f.csv\"\nmapping = \"m.toml\"\n",
    );
    let o = arwatch().current_dir(dir.path()).args(["run", "-q", "--config", "a.toml"]).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = pdftotext(&dir.path().join("out/2025-03/arwatch-2025-03.pdf"));
    let first_page = text.split('\u{c}').next().unwrap();
    assert!(first_page.contains("31.0 days") && !first_page.contains("vs last month"), "{first_page}");
}

/// Issue 21 (found on the way): the interest note said "40 EUR fixed compensation" whatever
/// the configured compensation; it now says the compensation claimed per invoice.
#[test]
fn the_interest_note_states_the_compensation_claimed() {
    let dir = ten_billion("KWD", "en");
    let month = dir.path().join("out/2025-06");
    for pdf in ["arwatch-2025-06.pdf", "handover/K2.pdf"] {
        let text = pdftotext(&month.join(pdf)).split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(text.contains("fixed compensation of KWD 40.000 per invoice"), "{pdf}: {text}");
        assert!(!text.contains("40 EUR"), "{pdf}");
    }
}

#[test]
fn the_forecast_sheet_is_forecast_weeks_csv_with_its_chart_and_track_record() {
    let out = sample_run("nl");
    let month = out.path().join("2026-10");
    let book = month.join("arwatch-2026-10.xlsx");
    let mut wb = open_workbook_auto(&book).unwrap();
    let sheet = wb.worksheet_range("Prognose").unwrap();
    let cell = |r: usize, c: usize| sheet.get((r, c)).map(|d| d.to_string()).unwrap_or_default();
    assert_eq!(cell(0, 0), "Verwachte ontvangsten uit de openstaande facturen van vandaag");
    assert!(cell(3, 0).starts_with("Over de laatste 6 maandeinden zat de prognose per week"), "{}", cell(3, 0));
    // The 13 weeks below their header, the same amounts as forecast_weeks.csv.
    let (header, weeks) = csv_rows(&month.join("data/forecast_weeks.csv"));
    let col = |k: &str| header.iter().position(|h| h == k).unwrap();
    assert_eq!(weeks.len(), 13);
    for (i, w) in weeks.iter().enumerate() {
        let r = 6 + i;
        assert_eq!(cell(r, 0), w[col("week")]);
        let expected = sheet.get((r, 3)).and_then(|d| d.as_f64()).unwrap();
        assert_eq!((expected * 100.0).round() as i64, cents(&w[col("expected")]), "week {}", i + 1);
        let baseline = sheet.get((r, 6)).and_then(|d| d.as_f64()).unwrap();
        assert_eq!((baseline * 100.0).round() as i64, cents(&w[col("due_date_baseline")]));
    }
    // The chart is a real one: its part is in the workbook and draws from this sheet.
    let file = std::fs::File::open(&book).unwrap();
    let mut zip = zip::ZipArchive::new(file).unwrap();
    let charts: Vec<String> = zip
        .file_names()
        .filter_map(|n| n.ok().map(|n| n.to_string()))
        .filter(|n| n.starts_with("xl/charts/chart"))
        .collect();
    let mut found = false;
    for name in charts {
        let mut xml = String::new();
        std::io::Read::read_to_string(&mut zip.by_name(&name).unwrap(), &mut xml).unwrap();
        found |= xml.contains("Prognose!$D$7:$D$19") && xml.contains("Prognose!$G$7:$G$19");
    }
    assert!(found, "no chart of the weeks on the Prognose sheet");
    // Every open invoice's forecast, as forecast.csv has it, its basis in Dutch.
    let (_, rows) = csv_rows(&month.join("data/forecast.csv"));
    let per_invoice = wb.worksheet_range("Prognose per factuur").unwrap();
    assert_eq!(per_invoice.height(), rows.len() + 1);
    let basis = per_invoice.rows().nth(1).unwrap()[10].to_string();
    assert!(
        basis.contains("klantgeschiedenis") || basis.contains("kredietbureau") || basis.contains("betwist"),
        "{basis}"
    );
}

/// The early-warning record (docs/monitoring.md) in the workbook and the management report:
/// the sentence, the clients flagged at each month end with a native chart, and one row per
/// failure and false alarm, the same counts as summary.json's `early_warning`.
#[test]
fn the_early_warning_record_is_in_the_workbook_the_pdf_and_the_summary() {
    let out = sample_run("fr");
    let month = out.path().join("2026-10");
    let summary: serde_json::Value = serde_json::from_str(&common::read(&month.join("data/summary.json"))).unwrap();
    let ew = &summary["early_warning"];
    let (failures, alarms) = (ew["failures"].as_u64().unwrap() as usize, ew["false_alarms"].as_u64().unwrap() as usize);
    assert_eq!(ew["month_ends"], 24);
    assert_eq!(ew["failed"].as_array().unwrap().len(), failures);
    let book = month.join("arwatch-2026-10.xlsx");
    let mut wb = open_workbook_auto(&book).unwrap();
    let sheet = wb.worksheet_range("Alerte précoce").unwrap();
    let cell = |r: usize, c: usize| sheet.get((r, c)).map(|d| d.to_string()).unwrap_or_default();
    assert_eq!(cell(0, 0), "Bilan de l'alerte précoce");
    // Failures count from `lead_months` into the record's 24 month ends.
    let months = 24 - ew["lead_months"].as_u64().unwrap();
    let sentence = format!("Sur les {failures} clients défaillants des {months} derniers mois");
    assert!(cell(1, 0).starts_with(&sentence), "{}", cell(1, 0));
    assert!(cell(1, 0).contains(&format!("{alarms} des ")), "{}", cell(1, 0));
    // 24 month ends, the last the as-of date.
    assert_eq!(cell(4, 0), "2024-11-30");
    assert_eq!(cell(27, 0), "2026-10-31");
    // Then the table: its header, the failures, the false alarms.
    let head = (28..sheet.height()).find(|&r| cell(r, 0) == "Client").expect("the table's header");
    let rows: Vec<String> = (head + 1..sheet.height()).map(|r| cell(r, 1)).filter(|s| !s.is_empty()).collect();
    assert_eq!(rows.iter().filter(|s| *s == "défaillant").count(), failures);
    assert_eq!(rows.iter().filter(|s| *s == "fausse alerte").count(), alarms);
    // The chart draws from the sheet's month ends.
    let file = std::fs::File::open(&book).unwrap();
    let mut zip = zip::ZipArchive::new(file).unwrap();
    let names: Vec<String> = zip
        .file_names()
        .filter_map(|n| n.ok().map(|n| n.to_string()))
        .filter(|n| n.starts_with("xl/charts/"))
        .collect();
    let found = names.iter().any(|name| {
        let mut xml = String::new();
        std::io::Read::read_to_string(&mut zip.by_name(name).unwrap(), &mut xml).unwrap();
        xml.contains("$B$5:$B$28")
    });
    assert!(found, "no chart of the month ends");
    // The PDF's page says the same.
    let text = pdftotext(&month.join("arwatch-2026-10.pdf"));
    assert!(text.contains("Bilan de l'alerte précoce"), "no early-warning page");
    assert!(text.replace('\n', " ").contains(&sentence), "the page lacks the sentence");
}
