//! `arwatch map` on every shape arwatch reads: exports made here in the shapes people have, the
//! sample set, and the real exports. Each time the proposed configuration runs as written, and
//! its figures equal those of the hand-written mapping.

mod common;

use common::{read, root, run};
use std::path::{Path, PathBuf};
use tempfile::TempDir;

/// `arwatch map FILES --out DIR ARGS`.
fn map(files: &[&Path], out: &Path, args: &[&str]) -> common::Run {
    let mut a: Vec<String> = vec!["map".into()];
    a.extend(files.iter().map(|f| f.to_string_lossy().to_string()));
    a.extend(["--out".to_string(), out.to_string_lossy().to_string()]);
    a.extend(args.iter().map(|s| s.to_string()));
    let refs: Vec<&str> = a.iter().map(String::as_str).collect();
    run(&refs)
}

/// Runs `cfg` as of `as_of` into `out`; the month's data folder.
fn data_of(cfg: &Path, out: &Path, as_of: &str) -> PathBuf {
    let r = run(&["run", "-q", "--config", cfg.to_str().unwrap(), "--out", out.to_str().unwrap(), "--as-of", as_of]);
    assert!(r.code == 0 || r.code == 3, "{}: {}", cfg.display(), r.stderr);
    out.join(&as_of[..7]).join("data")
}

/// The data files of two runs that differ, by name.
fn differing(a: &Path, b: &Path) -> Vec<&'static str> {
    ["clients.csv", "monthly.csv", "open_items.csv", "forecast.csv", "forecast_weeks.csv"]
        .into_iter()
        .filter(|f| std::fs::read(a.join(f)).unwrap() != std::fs::read(b.join(f)).unwrap())
        .collect()
}

/// Maps `files`, runs the proposal and the hand-written `cfg`, and says which data files differ.
fn compare(files: &[&Path], cfg: &Path, as_of: &str, args: &[&str]) -> (common::Run, Vec<&'static str>) {
    let dir = TempDir::new().unwrap();
    let m = map(files, &dir.path().join("map"), args);
    assert_eq!(m.code, 0, "{}\n{}", m.stdout, m.stderr);
    let proposed = data_of(&dir.path().join("map/arwatch.toml"), &dir.path().join("a"), as_of);
    let hand = data_of(cfg, &dir.path().join("b"), as_of);
    (m, differing(&proposed, &hand))
}

/// A file `name` in `dir` with `bytes`, and a hand-written configuration reading it with
/// `mapping`.
fn shape(dir: &Path, name: &str, bytes: &[u8], mapping: &str) -> (PathBuf, PathBuf) {
    let file = dir.join(name);
    std::fs::write(&file, bytes).unwrap();
    let cfg = dir.join(format!("{name}.toml"));
    let text = format!(
        "currency = \"EUR\"\n[handover]\nenabled = false\n[[inputs]]\nfile = {:?}\n[inputs.mapping]\n{mapping}",
        file.to_string_lossy()
    );
    std::fs::write(&cfg, text).unwrap();
    (file, cfg)
}

#[test]
fn the_sample_set_maps_to_the_same_figures_in_csv_and_xlsx() {
    let csv = root().join("sample_data/csv");
    let files = [
        csv.join("facturen.csv"),
        csv.join("betalingen.csv"),
        csv.join("kredietinfo.csv"),
        csv.join("logboek.csv"),
        csv.join("termijnen.csv"),
    ];
    let refs: Vec<&Path> = files.iter().map(PathBuf::as_path).collect();
    let (m, diff) = compare(&refs, &root().join("sample_data/arwatch.toml"), "2026-10-31", &[]);
    assert!(diff.is_empty(), "{diff:?}\n{}", m.stdout);
    assert!(m.stdout.contains("kredietinfo.csv: bureau"), "{}", m.stdout);
    // The collector's log is told from its kinds' words and its promised-date column.
    assert!(m.stdout.contains("logboek.csv: log (the collector's log"), "{}", m.stdout);
    assert!(m.stdout.lines().any(|l| l.trim_start().starts_with("promised_date ") && l.contains("'Beloofd tegen'")));
    // The payment schedules are told from their due dates without an issue date.
    assert!(m.stdout.contains("termijnen.csv: schedule (payment schedules: due dates"), "{}", m.stdout);
    assert!(
        m.stdout.lines().any(|l| l.trim_start().starts_with("reference ") && l.contains("← 'Factuurnr'")),
        "a payment's invoice number is its reference: {}",
        m.stdout
    );
    let xlsx = root().join("sample_data/xlsx/arwatch-sample.xlsx");
    // The workbook's configuration reads the same log, from its CSV.
    let (log, schedules) = (csv.join("logboek.csv"), csv.join("termijnen.csv"));
    let (m, diff) =
        compare(&[&xlsx, &log, &schedules], &root().join("sample_data/arwatch-xlsx.toml"), "2026-10-31", &[]);
    assert!(diff.is_empty(), "{diff:?}\n{}", m.stdout);
    assert!(m.stdout.contains("sheet 'Betalingen': payments"), "{}", m.stdout);
}

#[test]
fn shapes_people_export_map_with_no_edit() {
    let dir = TempDir::new().unwrap();
    let d = dir.path();
    let mut cases: Vec<(PathBuf, PathBuf, &str)> = Vec::new();

    // UTF-8 with a BOM, euro signs, a total row, the settled date on the invoice.
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend(
        "Customer;Customer name;Invoice number;Invoice date;Due date;Amount;Paid on\n\
         C1;Brasserie Zoë;I-1;03/01/2026;02/02/2026;€ 1.210,00;10/02/2026\n\
         C1;Brasserie Zoë;I-2;15/01/2026;14/02/2026;€ 605,00;\n\
         C2;Garage Dubois;I-3;20/01/2026;19/02/2026;€ 99,95;01/03/2026\n\
         C2;Garage Dubois;I-4;02/02/2026;04/03/2026;€ 2.000,00;\n\
         Total;;;;;€ 3.914,95;\n"
            .as_bytes(),
    );
    let (f, c) = shape(
        d,
        "invoices-bom.csv",
        &bytes,
        "rows = \"invoices\"\ndecimal = \",\"\ndate_formats = [\"%d/%m/%Y\"]\n[inputs.mapping.columns]\n\
         client_id = \"Customer\"\nclient_name = \"Customer name\"\ndocument_id = \"Invoice number\"\n\
         issue_date = \"Invoice date\"\ndue_date = \"Due date\"\namount = \"Amount\"\nsettled_date = \"Paid on\"\n",
    );
    cases.push((f, c, "2026-03-31"));

    // A tab-separated SAP-style ledger under banner lines, minus signs behind the number.
    let (f, c) = shape(
        d,
        "fbl5n.txt",
        b"Customer Line Items\nCompany code 1000\n\nCustomer\tDocument Number\tDocument Type\tDocument Date\tNet due date\tAmount in local currency\tReference\n\
          100\t1800000001\tRV\t01.03.2025\t31.03.2025\t1.000,00\t\n\
          100\t1800000002\tRV\t05.03.2025\t04.04.2025\t250,00\t\n\
          100\t1400000001\tDZ\t20.03.2025\t20.03.2025\t1.000,00-\t1800000001\n\
          200\t1800000003\tRV\t10.03.2025\t09.04.2025\t75,50\t\n\
          200\t1700000001\tDG\t12.03.2025\t12.03.2025\t25,50-\t1800000003\n",
        "rows = \"ledger\"\ndelimiter = \"tab\"\nskip_rows = 2\ndecimal = \",\"\npayments_negative = true\n\
         date_formats = [\"%d.%m.%Y\"]\n[inputs.mapping.columns]\nclient_id = \"Customer\"\n\
         document_id = \"Document Number\"\ndoc_type = \"Document Type\"\nissue_date = \"Document Date\"\n\
         due_date = \"Net due date\"\namount = \"Amount in local currency\"\nreference = \"Reference\"\n\
         [inputs.mapping.doc_types]\ninvoice = [\"RV\"]\ncredit_note = [\"DG\"]\npayment = [\"DZ\"]\n",
    );
    cases.push((f, c, "2025-04-30"));

    // Pipe-separated ISO-8859-1 with French type codes.
    let latin1: Vec<u8> = "Client|Nom|Pièce|Type|Date|Échéance|Montant\n\
         B1|Hôtel Müller|F1|FAC|2026-01-05|2026-02-04|100,00\n\
         B1|Hôtel Müller|A1|AVO|2026-01-20|2026-01-20|-20,00\n\
         B1|Hôtel Müller|R1|REG|2026-02-10|2026-02-10|80,00\n\
         B2|Café Théâtre|F2|FAC|2026-01-15|2026-02-14|300,00\n"
        .chars()
        .map(|c| c as u32 as u8)
        .collect();
    let (f, c) = shape(
        d,
        "grand-livre.txt",
        &latin1,
        "rows = \"ledger\"\ndelimiter = \"|\"\nencoding = \"windows-1252\"\ndecimal = \",\"\n\
         [inputs.mapping.columns]\nclient_id = \"Client\"\nclient_name = \"Nom\"\ndocument_id = \"Pièce\"\n\
         doc_type = \"Type\"\nissue_date = \"Date\"\ndue_date = \"Échéance\"\namount = \"Montant\"\n\
         [inputs.mapping.doc_types]\ninvoice = [\"FAC\"]\ncredit_note = [\"AVO\"]\npayment = [\"REG\"]\n",
    );
    cases.push((f, c, "2026-02-28"));

    // A workbook with a banner row, text dates and a paid-date column.
    let xlsx = d.join("debiteuren.xlsx");
    {
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet().set_name("Openstaand").unwrap();
        ws.write(0, 0, "Debiteuren per 31/03/2026").unwrap();
        for (c, h) in ["Klantnummer", "Naam", "Factuurnummer", "Factuurdatum", "Vervaldag", "Bedrag", "Betaald op"]
            .iter()
            .enumerate()
        {
            ws.write(2, c as u16, *h).unwrap();
        }
        let rows = [
            ("K1", "Bakkerij Claes", "F1", "05/01/2026", "04/02/2026", 121.0, "20/02/2026"),
            ("K1", "Bakkerij Claes", "F2", "12/02/2026", "14/03/2026", 50.5, ""),
            ("K2", "Drukkerij Peeters", "F3", "13/01/2026", "12/02/2026", 1000.0, "10/02/2026"),
        ];
        for (i, r) in rows.iter().enumerate() {
            let row = 3 + i as u32;
            ws.write(row, 0, r.0).unwrap();
            ws.write(row, 1, r.1).unwrap();
            ws.write(row, 2, r.2).unwrap();
            ws.write(row, 3, r.3).unwrap();
            ws.write(row, 4, r.4).unwrap();
            ws.write(row, 5, r.5).unwrap();
            if !r.6.is_empty() {
                ws.write(row, 6, r.6).unwrap();
            }
        }
        wb.save(&xlsx).unwrap();
    }
    let cfg = d.join("debiteuren.toml");
    std::fs::write(
        &cfg,
        format!(
            "currency = \"EUR\"\n[handover]\nenabled = false\n[[inputs]]\nfile = {:?}\n[inputs.mapping]\nrows = \"invoices\"\n\
             skip_rows = 2\ndate_formats = [\"%d/%m/%Y\"]\n[inputs.mapping.columns]\nclient_id = \"Klantnummer\"\n\
             client_name = \"Naam\"\ndocument_id = \"Factuurnummer\"\nissue_date = \"Factuurdatum\"\n\
             due_date = \"Vervaldag\"\namount = \"Bedrag\"\nsettled_date = \"Betaald op\"\n",
            xlsx.to_string_lossy()
        ),
    )
    .unwrap();
    cases.push((xlsx, cfg, "2026-03-31"));

    let mut no_edit = 0;
    for (file, cfg, as_of) in &cases {
        let (m, diff) = compare(&[file], cfg, as_of, &[]);
        assert!(diff.is_empty(), "{}: {diff:?} differ\n{}", file.display(), m.stdout);
        no_edit += 1;
    }
    assert_eq!(no_edit, cases.len());
}

#[test]
fn the_real_exports_map_to_the_same_figures() {
    let real = root().join("../shared/realdata");
    if !real.is_dir() {
        assert!(std::env::var_os("CI").is_none(), "../shared/realdata is absent, and CI needs the real-data tests");
        eprintln!("skipped: ../shared/realdata is absent");
        return;
    }
    let ibm = real.join("ibm-accounts-receivable/WA_Fn-UseC_-Accounts-Receivable.csv");
    let ibm2 = real.join("ibm-accounts-receivable-ddmmyyyy-reexport/WA_Fn-UseC_-Accounts-Receivable.csv");
    let abc = real.join("abc-spain-b2b-einvoicing/Spain Raw data.csv");
    let abc_xlsx = real.join("abc-spain-b2b-einvoicing/Data Crunching Problem.xlsx");
    let ex = root().join("examples/realdata");
    for (file, cfg) in [(&ibm, "ibm.toml"), (&ibm2, "ibm-ddmmyyyy.toml")] {
        let (m, diff) = compare(&[file], &ex.join(cfg), "2014-01-31", &["--currency", "USD"]);
        assert!(diff.is_empty(), "{cfg}: {diff:?}\n{}", m.stdout);
    }
    // ABC marks a dispute in a status column ("Status2" = ASSIGNED) that no name gives away:
    // every figure is the same, only open_items.csv's disputed column differs, and with it
    // clients.csv's disputed open amount and forecast.csv's basis, which says an invoice is
    // disputed.
    for (file, cfg) in [(&abc, "abc-spain-csv.toml"), (&abc_xlsx, "abc-spain-xlsx.toml")] {
        let (m, diff) = compare(&[file], &ex.join(cfg), "2014-07-31", &[]);
        assert_eq!(diff, ["clients.csv", "open_items.csv", "forecast.csv"], "{cfg}\n{}", m.stdout);
        assert!(m.stdout.contains("skip_rows") || m.stdout.contains("'Cust nbr'"), "{}", m.stdout);
    }
}

#[test]
fn what_cannot_be_decided_is_said_and_nothing_is_overwritten() {
    let dir = TempDir::new().unwrap();
    let f = dir.path().join("lijst.csv");
    std::fs::write(&f, "Klant;Omschrijving;Bedrag\nK1;huur;10,00\nK2;huur;12,00\n").unwrap();
    let out = dir.path().join("m");
    let r = map(&[&f], &out, &[]);
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert!(r.stdout.contains("not decided: document_id (required)"), "{}", r.stdout);
    assert!(r.stdout.contains("edit the mapping before the first run"), "{}", r.stdout);
    let mapping = read(&out.join("mappings/lijst.toml"));
    assert!(mapping.contains("# - document_id (required)"), "{mapping}");
    let again = map(&[&f], &out, &[]);
    assert_eq!(again.code, 2, "{}", again.stderr);
    assert!(again.stderr.contains("does not overwrite"), "{}", again.stderr);
    assert_eq!(map(&[&f], &out, &["--force"]).code, 3);
    // A file without a table, and one that is not there.
    let note = dir.path().join("note.txt");
    std::fs::write(&note, "just a note\nno table here\n").unwrap();
    let r = map(&[&note], &dir.path().join("n"), &[]);
    assert_eq!(r.code, 4, "{}", r.stderr);
    assert!(r.stderr.contains("no delimiter") || r.stderr.contains("no row of its first 30"), "{}", r.stderr);
    assert_eq!(map(&[&dir.path().join("missing.csv")], &dir.path().join("x"), &[]).code, 4);
}

#[test]
fn preview_reads_the_inputs_through_the_proposal() {
    let dir = TempDir::new().unwrap();
    let f = root().join("sample_data/csv/facturen.csv");
    let r = map(&[&f], &dir.path().join("m"), &["--preview"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("11690 rows read = 11690 accepted + 0 rejected"), "{}", r.stdout);
    assert!(r.stdout.contains("first documents as read"), "{}", r.stdout);
    assert!(r.stdout.contains("K0022 · F2024000053 · Invoice · 2024-05-01 · 2024-05-15 · 255.64 EUR"), "{}", r.stdout);
}

/// A date as year, month, day.
type Ymd = (i32, u32, u32);

/// An invoice row: client, name, invoice, issue, due, amount, paid.
type SheetRow = (&'static str, &'static str, &'static str, Ymd, Ymd, f64, Option<Ymd>);

const SHEET_ROWS: [SheetRow; 3] = [
    ("K1", "Bakkerij Claes", "F1", (2026, 1, 5), (2026, 2, 4), 121.0, Some((2026, 2, 20))),
    ("K1", "Bakkerij Claes", "F2", (2026, 2, 12), (2026, 3, 14), 50.5, None),
    ("K2", "Drukkerij Peeters", "F3", (2026, 1, 13), (2026, 2, 12), 1000.0, Some((2026, 2, 10))),
];
const SHEET_HEADER: [&str; 7] =
    ["Klantnummer", "Naam", "Factuurnummer", "Factuurdatum", "Vervaldag", "Bedrag", "Betaald op"];

fn ymd((y, m, d): Ymd) -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// An XLSX in the 1904 date system (as Excel for Mac wrote them), a banner row above the
/// header: real date cells holding 1904 serials, the workbook flagged `date1904`.
fn workbook_1904(path: &Path) {
    let plain = path.with_extension("1900.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let date = rust_xlsxwriter::Format::new().set_num_format("dd/mm/yyyy");
    let ws = wb.add_worksheet();
    ws.write(0, 0, "Openstaande posten").unwrap();
    for (c, h) in SHEET_HEADER.iter().enumerate() {
        ws.write(1, c as u16, *h).unwrap();
    }
    let serial = |d| (ymd(d) - ymd((1904, 1, 1))).num_days() as f64;
    for (i, r) in SHEET_ROWS.iter().enumerate() {
        let row = 2 + i as u32;
        ws.write(row, 0, r.0).unwrap();
        ws.write(row, 1, r.1).unwrap();
        ws.write(row, 2, r.2).unwrap();
        ws.write_with_format(row, 3, serial(r.3), &date).unwrap();
        ws.write_with_format(row, 4, serial(r.4), &date).unwrap();
        ws.write(row, 5, r.5).unwrap();
        if let Some(p) = r.6 {
            ws.write_with_format(row, 6, serial(p), &date).unwrap();
        }
    }
    wb.save(&plain).unwrap();
    // The same parts, with the workbook's date system set to 1904.
    let mut from = zip::ZipArchive::new(std::fs::File::open(&plain).unwrap()).unwrap();
    let mut to = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    for i in 0..from.len() {
        let mut part = from.by_index(i).unwrap();
        let name = part.name().unwrap().to_string();
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut part, &mut bytes).unwrap();
        if name == "xl/workbook.xml" {
            let text = String::from_utf8(bytes).unwrap().replace("<workbookPr ", "<workbookPr date1904=\"1\" ");
            bytes = text.into_bytes();
        }
        to.start_file(name, zip::write::SimpleFileOptions::default()).unwrap();
        std::io::Write::write_all(&mut to, &bytes).unwrap();
    }
    to.finish().unwrap();
}

/// An OpenDocument spreadsheet of the same rows, as LibreOffice stores one: date cells with
/// their ISO value, amounts as floats.
fn ods(path: &Path) {
    let cell =
        |v: String| format!("<table:table-cell office:value-type=\"string\"><text:p>{v}</text:p></table:table-cell>");
    let date = |d: Ymd| {
        format!(
            "<table:table-cell office:value-type=\"date\" office:date-value=\"{}\"><text:p>{}</text:p></table:table-cell>",
            ymd(d),
            ymd(d)
        )
    };
    let mut rows = String::from("<table:table-row>");
    rows.push_str(&SHEET_HEADER.iter().map(|h| cell(h.to_string())).collect::<String>());
    rows.push_str("</table:table-row>");
    for r in SHEET_ROWS {
        rows.push_str("<table:table-row>");
        rows.push_str(&cell(r.0.into()));
        rows.push_str(&cell(r.1.into()));
        rows.push_str(&cell(r.2.into()));
        rows.push_str(&date(r.3));
        rows.push_str(&date(r.4));
        rows.push_str(&format!(
            "<table:table-cell office:value-type=\"float\" office:value=\"{}\"><text:p>{}</text:p></table:table-cell>",
            r.5, r.5
        ));
        rows.push_str(&r.6.map(date).unwrap_or_else(|| "<table:table-cell/>".into()));
        rows.push_str("</table:table-row>");
    }
    let content = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><office:document-content \
         xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" \
         xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" \
         xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" office:version=\"1.2\">\
         <office:body><office:spreadsheet><table:table table:name=\"Debiteuren\">{rows}</table:table>\
         </office:spreadsheet></office:body></office:document-content>"
    );
    let manifest = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><manifest:manifest \
        xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\" manifest:version=\"1.2\">\
        <manifest:file-entry manifest:full-path=\"/\" manifest:media-type=\"application/vnd.oasis.opendocument.spreadsheet\"/>\
        <manifest:file-entry manifest:full-path=\"content.xml\" manifest:media-type=\"text/xml\"/></manifest:manifest>";
    let mut z = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    z.start_file("mimetype", stored).unwrap();
    std::io::Write::write_all(&mut z, b"application/vnd.oasis.opendocument.spreadsheet").unwrap();
    for (name, text) in [("META-INF/manifest.xml", manifest.to_string()), ("content.xml", content)] {
        z.start_file(name, zip::write::SimpleFileOptions::default()).unwrap();
        std::io::Write::write_all(&mut z, text.as_bytes()).unwrap();
    }
    z.finish().unwrap();
}

#[test]
fn a_1904_workbook_and_an_ods_map_with_no_edit() {
    let dir = TempDir::new().unwrap();
    let d = dir.path();
    let columns = "[inputs.mapping.columns]\nclient_id = \"Klantnummer\"\nclient_name = \"Naam\"\ndocument_id = \"Factuurnummer\"\n\
                   issue_date = \"Factuurdatum\"\ndue_date = \"Vervaldag\"\namount = \"Bedrag\"\nsettled_date = \"Betaald op\"\n";
    let x1904 = d.join("debiteuren-mac.xlsx");
    workbook_1904(&x1904);
    let (_, cfg) = shape(d, "unused-1904", b"", &format!("rows = \"invoices\"\nskip_rows = 1\n{columns}"));
    let text = read(&cfg)
        .replace(&format!("{:?}", d.join("unused-1904").to_string_lossy()), &format!("{:?}", x1904.to_string_lossy()));
    std::fs::write(&cfg, text).unwrap();
    let (m, diff) = compare(&[&x1904], &cfg, "2026-03-31", &[]);
    assert!(diff.is_empty(), "1904: {diff:?} differ\n{}", m.stdout);
    // The dates are the ones written, not four years and a day off.
    assert!(m.stdout.contains("2026-01-05"), "{}", m.stdout);

    let o = d.join("debiteuren.ods");
    ods(&o);
    let (_, cfg) = shape(d, "unused-ods", b"", &format!("rows = \"invoices\"\n{columns}"));
    let text = read(&cfg)
        .replace(&format!("{:?}", d.join("unused-ods").to_string_lossy()), &format!("{:?}", o.to_string_lossy()));
    std::fs::write(&cfg, text).unwrap();
    let (m, diff) = compare(&[&o], &cfg, "2026-03-31", &[]);
    assert!(diff.is_empty(), "ods: {diff:?} differ\n{}", m.stdout);
    assert!(m.stdout.contains("sheet 'Debiteuren': invoices"), "{}", m.stdout);
}

#[test]
fn map_help_says_what_its_out_is() {
    let r = run(&["map", "--help"]);
    assert_eq!(r.code, 0);
    let out =
        r.stdout.lines().skip_while(|l| !l.trim_start().starts_with("--out")).take(3).collect::<Vec<_>>().join(" ");
    assert!(out.contains("for map: the folder of arwatch.toml and mappings/"), "{out}");
}

/// Issue 21: `arwatch map` listed as "not decided" a column it had mapped ('Betaald op', the
/// settlement date, is also named like the amount paid), and wrote absolute paths, so that
/// the folder could not be moved or shared. Now a mapped column is decided, and the
/// configuration names its exports relative to itself: moved with them, it runs the same.
#[test]
fn a_mapped_column_is_decided_and_the_configuration_moves_with_its_exports() {
    let dir = TempDir::new().unwrap();
    let work = dir.path().join("work");
    let exports = work.join("exports");
    std::fs::create_dir_all(&exports).unwrap();
    let mut rows = String::from("Klant;Factuur;Datum;Vervaldatum;Bedrag;Betaald op\n");
    for i in 0..30 {
        let day = 1 + i % 20;
        rows.push_str(&format!(
            "K{};F{i};{day:02}/01/2025;{day:02}/02/2025;{},50;{:02}/02/2025\n",
            i % 4,
            100 + i,
            day + 5
        ));
    }
    std::fs::write(exports.join("f.csv"), rows).unwrap();
    let m = map(&[&exports.join("f.csv")], &work.join("setup"), &[]);
    assert_eq!(m.code, 0, "{}\n{}", m.stdout, m.stderr);
    assert!(m.stdout.contains("settled_date           ← 'Betaald op'"), "{}", m.stdout);
    assert!(!m.stdout.contains("not decided"), "{}", m.stdout);
    let config = read(&work.join("setup/arwatch.toml"));
    assert!(config.contains("file = \"../exports/f.csv\""), "{config}");
    // The whole folder moved elsewhere runs as it did.
    let moved = dir.path().join("moved");
    std::fs::rename(&work, &moved).unwrap();
    let r = run(&["check", "--config", moved.join("setup/arwatch.toml").to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
}
