//! Issue 9, "trust": each class of input that once lost rows, shifted values, double-counted
//! money or crashed, run through the binary. Every test names the class it guards.

mod common;

use common::{Run, arwatch, pdftotext, read, run};
use std::path::Path;
use tempfile::TempDir;

/// A folder with one ledger input, its mapping and a configuration.
struct Case {
    dir: TempDir,
}

const MAP: &str = "delimiter = \";\"\ndecimal = \",\"\ndate_formats = [\"%d/%m/%Y\"]\n[columns]\nclient_id = \"Klant\"\ndocument_id = \"Nr\"\nissue_date = \"Datum\"\ndue_date = \"Verval\"\namount = \"Bedrag\"\n";
const HEAD: &str = "Klant;Nr;Datum;Verval;Bedrag\n";

fn rows(n: usize) -> String {
    rows_from(0, n)
}

fn rows_from(first: usize, n: usize) -> String {
    (first..first + n).map(|i| format!("K{};F{i};01/02/2025;03/03/2025;100,00\n", i % 3)).collect()
}

impl Case {
    fn new(data: &[u8], mapping: &str, extra_config: &str) -> Case {
        let dir = TempDir::new().unwrap();
        std::fs::write(dir.path().join("f.csv"), data).unwrap();
        std::fs::write(dir.path().join("map.toml"), mapping).unwrap();
        std::fs::write(
            dir.path().join("arwatch.toml"),
            format!("currency = \"EUR\"\nout = \"out\"\nas_of = \"2025-03-31\"\nmax_rejected_share = 1.0\n{extra_config}[[inputs]]\nfile = \"f.csv\"\nmapping = \"map.toml\"\n[reports]\nworkbook = false\npdf = false\ndossiers = false\n"),
        )
        .unwrap();
        Case { dir }
    }
    fn path(&self, p: &str) -> std::path::PathBuf {
        self.dir.path().join(p)
    }
    fn run(&self, args: &[&str]) -> Run {
        let cfg = self.path("arwatch.toml");
        run(&[args, &["--config", cfg.to_str().unwrap()]].concat())
    }
    fn summary(&self) -> serde_json::Value {
        serde_json::from_str(&read(&self.path("out/2025-03/data/summary.json"))).unwrap()
    }
}

#[test]
fn a_quote_left_open_stops_the_run_naming_the_line_where_it_opened() {
    // Line 4 opens a quote that line 203 closes: 199 rows would have vanished into one field.
    let mut data = format!("{HEAD}{}", rows(2));
    data += "K1;\"F-open;01/02/2025;03/03/2025;100,00\n";
    data += &rows_from(2, 199);
    data += "K1;F-close\";01/02/2025;03/03/2025;100,00\n";
    data += &rows_from(201, 198);
    let case = Case::new(data.as_bytes(), MAP, "");
    let r = case.run(&["run"]);
    assert_eq!(r.code, 4, "{}{}", r.stdout, r.stderr);
    assert!(r.stderr.contains("f.csv, line 4") && r.stderr.contains("runs over 201 lines"), "{}", r.stderr);
    assert!(r.stderr.contains("multiline = true"), "{}", r.stderr);
    assert!(!case.path("out/2025-03").exists());
}

#[test]
fn a_quote_still_open_at_the_end_of_the_file_is_named_with_its_line() {
    let mut data = format!("{HEAD}{}", rows(3));
    data += "K1;\"F9;01/02/2025;03/03/2025;100,00\n";
    data += &rows(5);
    for mapping in [MAP.to_string(), MAP.replace("[columns]", "multiline = true\n[columns]")] {
        let case = Case::new(data.as_bytes(), &mapping, "");
        let r = case.run(&["check"]);
        assert_eq!(r.code, 4, "{}{}", r.stdout, r.stderr);
        assert!(r.stderr.contains("line 5") && r.stderr.contains("never closed"), "{}", r.stderr);
    }
}

#[test]
fn fields_over_several_lines_are_read_when_the_mapping_allows_them_and_every_line_is_counted() {
    let map = MAP.replace("[columns]", "multiline = true\n[columns]\nclient_name = \"Naam\"");
    let data = "Klant;Naam;Nr;Datum;Verval;Bedrag\r\nK1;\"Zoë\r\nNV\";F1;01/02/2025;03/03/2025;100,00\r\n\r\nK2;Bo;F2;01/02/2025;03/03/2025;50,00\r\n";
    let case = Case::new(data.as_bytes(), &map, "");
    let r = case.run(&["run"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let input = &case.summary()["inputs"][0];
    assert_eq!(input["lines"], 5);
    assert_eq!(input["lines_before_rows"], 1);
    assert_eq!(input["lines_within_rows"], 1);
    assert_eq!(input["rows_read"], 3, "two documents and a blank line");
    assert_eq!(input["accepted"], 2);
    assert_eq!(input["reconciles"], true);
}

#[test]
fn physical_lines_are_accounted_for_in_the_summary() {
    let data = format!("Report of 2025\n\n{HEAD}{}\n{}", rows(4), rows_from(4, 2).trim_end());
    let map = MAP.replace("[columns]", "skip_rows = 1\n[columns]");
    let case = Case::new(data.as_bytes(), &map, "");
    let r = case.run(&["run"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let input = &case.summary()["inputs"][0];
    // 3 lines up to the header, 4 rows, a blank line, 2 rows (the last without a line break).
    assert_eq!(input["lines"], 10);
    assert_eq!(input["lines_before_rows"], 3);
    assert_eq!(input["rows_read"], 7);
    assert_eq!(input["reconciles"], true);
}

#[test]
fn a_row_with_more_fields_than_the_header_is_rejected_not_shifted() {
    // An unquoted ';' in the document number: read shifted, 5.000,00 would become "12".
    let data = format!("{HEAD}{}K1;F;12;01/02/2025;03/03/2025;5.000,00\nK2;F7;01/02/2025;03/03/2025;7,00;;\n", rows(3));
    let case = Case::new(data.as_bytes(), MAP, "");
    let r = case.run(&["run"]);
    assert_eq!(r.code, 3, "{}{}", r.stdout, r.stderr);
    let rej = read(&case.path("out/2025-03/data/rejected.csv"));
    assert!(rej.contains("line 5,,,\"6 fields, the header has 5: an unquoted delimiter"), "{rej}");
    // Trailing empty fields shift nothing: that row is accepted.
    let input = &case.summary()["inputs"][0];
    assert_eq!(input["accepted"], 4);
    assert_eq!(input["rejected"], 1);
}

/// Invoices and two payment exports that overlap, as a bank export taken twice would.
fn payments_case(pay_map_id: bool, first: &str, second: &str) -> Case {
    let invoices =
        "Klant;Nr;Datum;Verval;Bedrag\nK1;F1;01/02/2025;03/03/2025;1.000,00\nK1;F2;01/02/2025;03/03/2025;500,00\n";
    let case = Case::new(invoices.as_bytes(), MAP, "");
    let id = if pay_map_id { "payment_id = \"Id\"\n" } else { "" };
    let pmap = format!(
        "rows = \"payments\"\ndelimiter = \";\"\ndecimal = \",\"\ndate_formats = [\"%d/%m/%Y\"]\n[columns]\nclient_id = \"Klant\"\n{id}payment_date = \"Datum\"\namount = \"Bedrag\"\nreference = \"Ref\"\n"
    );
    std::fs::write(case.path("pmap.toml"), pmap).unwrap();
    std::fs::write(case.path("bank-1.csv"), format!("Klant;Id;Datum;Bedrag;Ref\n{first}")).unwrap();
    std::fs::write(case.path("bank-2.csv"), format!("Klant;Id;Datum;Bedrag;Ref\n{second}")).unwrap();
    let cfg = read(&case.path("arwatch.toml")).replace(
        "[reports]",
        "[[inputs]]\nfile = \"bank-1.csv\"\nmapping = \"pmap.toml\"\n[[inputs]]\nfile = \"bank-2.csv\"\nmapping = \"pmap.toml\"\n[reports]",
    );
    std::fs::write(case.path("arwatch.toml"), cfg).unwrap();
    case
}

fn net_ar(case: &Case) -> String {
    case.summary()["portfolio"]["net_ar"].as_str().unwrap().to_string()
}

#[test]
fn a_payment_repeated_by_overlapping_exports_is_counted_once() {
    let case = payments_case(
        true,
        "K1;P1;10/03/2025;1.000,00;F1\nK1;P2;12/03/2025;200,00;F2\n",
        "K1;P2;12/03/2025;200,00;F2\nK1;P3;20/03/2025;100,00;F2\n",
    );
    let r = case.run(&["run"]);
    assert_eq!(r.code, 3, "{}{}", r.stdout, r.stderr);
    // 1,500 invoiced, 1,300 paid once each: 200 open, not 0.
    assert_eq!(net_ar(&case), "200.00");
    let rej = read(&case.path("out/2025-03/data/rejected.csv"));
    assert!(
        rej.contains("bank-2.csv,line 2,Id,P2,\"exact duplicate of the payment at")
            && rej.contains("bank-1.csv line 3"),
        "{rej}"
    );
    let input = &case.summary()["inputs"][2];
    assert_eq!(input["accepted"], 1);
    assert_eq!(input["rejected"], 1);
    assert_eq!(input["control_totals"]["EUR"]["rejected"], "200.00");
    assert_eq!(input["reconciles"], true);
}

#[test]
fn a_payment_id_used_again_with_other_fields_is_kept_with_a_warning() {
    let case = payments_case(true, "K1;P1;10/03/2025;300,00;F1\n", "K1;P1;11/03/2025;300,00;F1\n");
    let r = case.run(&["run"]);
    assert_eq!(r.code, 3, "{}{}", r.stdout, r.stderr);
    assert_eq!(net_ar(&case), "900.00");
    let warnings = read(&case.path("out/2025-03/data/warnings.csv"));
    assert!(warnings.contains("payment id P1 is used again") && warnings.contains("payment_id_reused"), "{warnings}");
}

#[test]
fn identical_payments_without_an_id_are_kept_and_flagged_with_both_lines() {
    let case = payments_case(false, "K1;;10/03/2025;300,00;F1\n", "K1;;10/03/2025;300,00;F1\n");
    let r = case.run(&["run"]);
    assert_eq!(r.code, 3, "{}{}", r.stdout, r.stderr);
    assert_eq!(net_ar(&case), "900.00", "both kept: they may be two real payments");
    let warnings = read(&case.path("out/2025-03/data/warnings.csv"));
    let line = warnings.lines().find(|l| l.contains("possible_duplicate_payment")).expect(&warnings);
    assert!(line.contains("bank-2.csv,line 2") && line.contains("bank-1.csv line 2"), "{line}");
}

const XMAP: &str = "[columns]\nclient_id = \"Klant\"\ndocument_id = \"Nr\"\nissue_date = \"Datum\"\ndue_date = \"Verval\"\namount = \"Bedrag\"\n";

/// A workbook of a header and `rows` invoices, made with rust_xlsxwriter; `extra` adds cells.
fn workbook(path: &Path, rows: u32, extra: impl Fn(&mut rust_xlsxwriter::Worksheet)) {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in ["Klant", "Nr", "Datum", "Verval", "Bedrag"].iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for r in 1..=rows {
        ws.write_string(r, 0, "K1").unwrap();
        ws.write_string(r, 1, format!("F{r}")).unwrap();
        ws.write_string(r, 2, "2025-02-01").unwrap();
        ws.write_string(r, 3, "2025-03-03").unwrap();
        ws.write_number(r, 4, 100.0).unwrap();
    }
    extra(ws);
    wb.save(path).unwrap();
}

fn xlsx_case(extra: impl Fn(&mut rust_xlsxwriter::Worksheet)) -> Case {
    let case = Case::new(b"", XMAP, "");
    workbook(&case.path("f.xlsx"), 3, extra);
    let cfg = read(&case.path("arwatch.toml")).replace("file = \"f.csv\"", "file = \"f.xlsx\"");
    std::fs::write(case.path("arwatch.toml"), cfg).unwrap();
    case
}

#[test]
fn a_cell_at_the_last_cell_of_a_sheet_costs_one_cell_not_a_grid() {
    // A1 to XFD1048576 as a dense grid is 512 GiB: this once aborted the process.
    let case = xlsx_case(|ws| {
        ws.write_string(1_048_575, 16_383, "stray").unwrap();
    });
    let r = case.run(&["check"]);
    // Every row from the header to row 1048576 is read: three invoices, the rest blank.
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("1048575 rows read = 3 accepted + 1048572 rejected"), "{}", r.stdout);
}

/// Runs arwatch with `args` and returns its exit code and its own peak resident memory in
/// KiB (the kernel's count for that one child, whatever else the tests run meanwhile).
#[cfg(target_os = "linux")]
#[allow(clippy::zombie_processes)] // reaped by wait4, which also gives its usage
fn peak_resident_kib(args: &[&str]) -> (i32, i64) {
    let child = std::process::Command::new(assert_cmd::cargo::cargo_bin!("arwatch"))
        .args(args)
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value; wait4 reaps exactly this child once.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let pid = unsafe { libc::wait4(child.id() as libc::pid_t, &mut status, 0, &mut usage) };
    assert_eq!(pid, child.id() as libc::pid_t);
    assert!(libc::WIFEXITED(status), "arwatch was killed: status {status}");
    (libc::WEXITSTATUS(status), usage.ru_maxrss)
}

#[test]
#[cfg(target_os = "linux")]
fn a_stray_far_cell_costs_kilobytes_not_gigabytes_in_a_whole_run() {
    // A 6 KB workbook whose one stray cell implies a million rows once took 1.8 GB (a rejected
    // row and a row of empty cells for each): memory follows the cells present, and the
    // million blank rows are one line of rejected.csv.
    let case = xlsx_case(|ws| {
        ws.write_string(1_048_575, 16_383, "stray").unwrap();
    });
    let cfg = read(&case.path("arwatch.toml")).replace("workbook = false\npdf = false\n", "");
    std::fs::write(case.path("arwatch.toml"), cfg).unwrap();
    let (code, kib) = peak_resident_kib(&["run", "--config", case.path("arwatch.toml").to_str().unwrap()]);
    assert_eq!(code, 0);
    assert!(kib < 200 * 1024, "peak resident memory {kib} KiB");
    let rejected = read(&case.path("out/2025-03/data/rejected.csv"));
    assert_eq!(
        rejected.lines().skip(1).map(|l| l.rsplit("f.xlsx,").next().unwrap()).collect::<Vec<_>>(),
        ["sheet 'Sheet1' rows 5 to 1048576,,,blank rows (1048572),"]
    );
    let s = case.summary();
    assert_eq!(s["data_quality"]["rows_read"], 1_048_575);
    assert_eq!(s["data_quality"]["rejected"], 1_048_572);
    assert_eq!(s["inputs"][0]["rejected_blank_or_ignored"], 1_048_572);
    let made = |ext: &str| {
        std::fs::read_dir(case.path("out/2025-03"))
            .unwrap()
            .any(|e| e.unwrap().path().extension().is_some_and(|x| x == ext))
    };
    assert!(made("xlsx") && made("pdf"), "the workbook and the PDF are written");
}

#[test]
fn one_blank_sheet_row_between_invoices_is_reported_as_before() {
    let case = xlsx_case(|ws| {
        ws.write_string(5, 0, "K2").unwrap();
        ws.write_string(5, 1, "F9").unwrap();
        ws.write_string(5, 2, "2025-02-01").unwrap();
        ws.write_string(5, 3, "2025-03-03").unwrap();
        ws.write_number(5, 4, 50.0).unwrap();
        ws.write_string(8, 0, " ").unwrap();
    });
    let r = case.run(&["run"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let rejected = read(&case.path("out/2025-03/data/rejected.csv"));
    // Row 5 alone is missing; rows 7 and 8 are a run; row 9 has a cell of one space, read as
    // a row like any other.
    assert_eq!(
        rejected.lines().skip(1).map(|l| l.rsplit("f.xlsx,").next().unwrap()).collect::<Vec<_>>(),
        [
            "sheet 'Sheet1' row 5,,,blank row, |  |  |  | ",
            "sheet 'Sheet1' rows 7 to 8,,,blank rows (2),",
            "sheet 'Sheet1' row 9,,,blank row,  |  |  |  | ",
        ]
    );
    assert!(r.stdout.contains("8 rows read = 4 accepted + 4 rejected"), "{}", r.stdout);
}

#[test]
fn a_header_beyond_the_readable_width_is_a_clear_error() {
    let case = xlsx_case(|ws| {
        ws.write_string(0, 16_383, "stray").unwrap();
    });
    let r = case.run(&["check"]);
    assert_eq!(r.code, 4, "{}{}", r.stdout, r.stderr);
    assert!(r.stderr.contains("reaches column XFD") && r.stderr.contains("1024 columns"), "{}", r.stderr);
}

#[test]
fn a_workbook_that_would_unpack_to_gigabytes_is_refused_before_unpacking() {
    let case = xlsx_case(|_| {});
    // Forge the declared size of the first part in the central directory (offset 24 of its
    // entry), as a decompression bomb declares its true size.
    let mut bytes = std::fs::read(case.path("f.xlsx")).unwrap();
    let cd = bytes.windows(4).position(|w| w == [0x50, 0x4b, 0x01, 0x02]).unwrap();
    bytes[cd + 24..cd + 28].copy_from_slice(&0xF000_0000u32.to_le_bytes());
    std::fs::write(case.path("f.xlsx"), bytes).unwrap();
    let r = case.run(&["check"]);
    assert_eq!(r.code, 4, "{}{}", r.stdout, r.stderr);
    assert!(r.stderr.contains("unpacks to more than"), "{}", r.stderr);
}

/// A whole run, every report on, of a ledger in a currency with 0 or 3 decimals.
fn currency_case(code: &str, amounts: [&str; 2], eur_rate: &str) -> Case {
    let map = "delimiter = \";\"\ndate_formats = [\"%d/%m/%Y\"]\n[columns]\nclient_id = \"Klant\"\ndocument_id = \"Nr\"\nissue_date = \"Datum\"\ndue_date = \"Verval\"\namount = \"Bedrag\"\n";
    let data =
        format!("{HEAD}K1;F1;01/10/2024;01/11/2024;{}\nK2;F2;01/03/2025;31/03/2025;{}\n", amounts[0], amounts[1]);
    let case = Case::new(data.as_bytes(), map, "fx_rates = \"fx.csv\"\n");
    std::fs::write(case.path("fx.csv"), format!("date,currency,rate\n2025-01-01,EUR,{eur_rate}\n")).unwrap();
    let cfg = read(&case.path("arwatch.toml"))
        .replace("currency = \"EUR\"", &format!("currency = \"{code}\""))
        .replace("workbook = false\npdf = false\ndossiers = false\n", "");
    std::fs::write(case.path("arwatch.toml"), cfg).unwrap();
    case
}

/// A cell of a sheet, found by its column's heading (in English) and its row.
fn workbook_cell(path: &Path, sheet: &str, column: &str, row: usize) -> calamine::Data {
    use calamine::Reader;
    let mut wb = calamine::open_workbook_auto(path).unwrap();
    let range = wb.worksheet_range(sheet).unwrap();
    let header: Vec<String> = range.rows().next().unwrap().iter().map(|c| c.to_string()).collect();
    let col = header.iter().position(|h| h == column).unwrap_or_else(|| panic!("{column} in {header:?}"));
    range.rows().nth(row).unwrap()[col].clone()
}

#[test]
fn a_yen_ledger_is_right_in_every_output() {
    let case = currency_case("JPY", ["1234567", "5000"], "160");
    let r = case.run(&["run"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("net AR 1239567 JPY"), "{}", r.stdout);
    let month = case.path("out/2025-03");
    let clients = read(&month.join("data/clients.csv"));
    assert!(clients.contains("K1,,,JPY,1234567,"), "{clients}");
    // The 40 EUR compensation is 40 EUR: 6,400 yen at 160, never 4,000 yen.
    let handover = read(&month.join("data/handover.csv"));
    assert!(handover.lines().nth(1).unwrap().contains(",6400,"), "{handover}");
    assert_eq!(
        workbook_cell(&month.join("arwatch-2025-03.xlsx"), "Clients", "Net AR", 1),
        calamine::Data::Float(1234567.0)
    );
    let report = pdftotext(&month.join("arwatch-2025-03.pdf"));
    assert!(report.contains("JPY 1,239,567"), "{report}");
    assert!(!report.contains("12,395.67"), "a hundredth of the amount: {report}");
    let dossier = pdftotext(&month.join("handover/K1.pdf"));
    assert!(dossier.contains("JPY 6,400") && dossier.contains("JPY 1,234,567"), "{dossier}");
}

#[test]
fn a_dinar_ledger_keeps_its_three_decimals_in_every_output() {
    let case = currency_case("KWD", ["1234.567", "0.005"], "0.33");
    let r = case.run(&["run"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let month = case.path("out/2025-03");
    let clients = read(&month.join("data/clients.csv"));
    assert!(clients.contains("K1,,,KWD,1234.567,"), "{clients}");
    let handover = read(&month.join("data/handover.csv"));
    assert!(handover.lines().nth(1).unwrap().contains(",13.200,"), "{handover}");
    assert_eq!(
        workbook_cell(&month.join("arwatch-2025-03.xlsx"), "Clients", "Net AR", 1),
        calamine::Data::Float(1234.567)
    );
    let report = pdftotext(&month.join("arwatch-2025-03.pdf"));
    assert!(report.contains("KWD 1,234.572"), "{report}");
}

/// A yen ledger run with the defaults (no exchange-rate table): the 40 EUR compensation
/// stays 40 EUR beside each claim, with a warning, and the month is written.
fn yen_with_the_defaults(fx: Option<&str>) -> (Case, Run) {
    let case = currency_case("JPY", ["1234567", "5000"], "160");
    let cfg = read(&case.path("arwatch.toml"));
    let cfg = match fx {
        None => cfg.replace("fx_rates = \"fx.csv\"\n", ""),
        Some(table) => {
            std::fs::write(case.path("fx.csv"), table).unwrap();
            cfg
        }
    };
    std::fs::write(case.path("arwatch.toml"), cfg).unwrap();
    let r = case.run(&["run"]);
    (case, r)
}

#[test]
fn a_yen_ledger_runs_with_the_defaults_and_claims_the_compensation_in_euro() {
    // This once stopped the whole run: no EUR->JPY rate for the 40 EUR compensation.
    for fx in [None, Some("date,currency,rate\n2025-01-01,USD,150\n")] {
        let (case, r) = yen_with_the_defaults(fx);
        assert_eq!(r.code, 3, "{}{}", r.stdout, r.stderr);
        assert!(r.stdout.contains("1 warning (compensation_not_converted: 1)"), "{}", r.stdout);
        assert!(r.stderr.contains("warning: handover: no rate from EUR into JPY"), "{}", r.stderr);
        let month = case.path("out/2025-03");
        // handover.csv: no compensation in yen to write, and the claim without it.
        let (header, rows) = common::csv_rows(&month.join("data/handover.csv"));
        let col = |name: &str| header.iter().position(|h| h == name).unwrap();
        let k1 = rows.iter().find(|r| r[0] == "K1").unwrap();
        assert_eq!(k1[col("compensation")], "");
        let open: i64 = k1[col("open_amount")].parse().unwrap();
        let interest: i64 = k1[col("interest")].parse().unwrap();
        assert_eq!(k1[col("claim_total")], (open + interest).to_string());
        let warnings = read(&month.join("data/warnings.csv"));
        assert!(
            warnings.contains("compensation_not_converted")
                && warnings.contains("no rate from EUR into JPY on 2025-03-31"),
            "{warnings}"
        );
        assert_eq!(case.summary()["data_quality"]["warnings"], 1);
        // The dossier claims it in euro beside the total, and says why.
        let dossier = pdftotext(&month.join("handover/K1.pdf"));
        assert!(dossier.contains("€ 40.00") && dossier.contains("JPY 1,234,567"), "{dossier}");
        assert!(dossier.contains("no rate from EUR into JPY"), "{dossier}");
        let report = pdftotext(&month.join("arwatch-2025-03.pdf"));
        assert!(
            report.contains("compensation_not_converted") || report.contains("no rate from EUR into JPY"),
            "{report}"
        );
    }
}

#[test]
fn formulas_are_neutralised_without_damaging_text_or_numbers() {
    let map = MAP.replace("[columns]", "[columns]\nclient_name = \"Naam\"");
    let data = "Klant;Naam;Nr;Datum;Verval;Bedrag\nK1;=HYPERLINK(\"x\");F1;01/02/2025;03/03/2025;100,00\nK2;Bo;F2;01/02/2025;03/03/2025;-12,345\n";
    let case = Case::new(data.as_bytes(), &map, "");
    let cfg = read(&case.path("arwatch.toml")).replace("workbook = false\n", "");
    std::fs::write(case.path("arwatch.toml"), cfg).unwrap();
    let r = case.run(&["run"]);
    assert_eq!(r.code, 3, "{}{}", r.stdout, r.stderr);
    let month = case.path("out/2025-03");
    // CSV: the text is prefixed, a negative number is not.
    assert!(read(&month.join("data/clients.csv")).contains("K1,\"'=HYPERLINK(\"\"x\"\")\""));
    let rejected = read(&month.join("data/rejected.csv"));
    assert!(rejected.contains(",Bedrag,\"-12,345\",\"has 3 decimals"), "{rejected}");
    // Workbook: a string cell, shown as written, without a visible quote.
    let cell = workbook_cell(&month.join("arwatch-2025-03.xlsx"), "Clients", "Client", 1);
    assert_eq!(cell, calamine::Data::String("=HYPERLINK(\"x\")".into()));
}

#[test]
fn a_lone_typo_in_a_date_does_not_move_the_default_as_of_date() {
    let data = format!("{HEAD}{}K1;F-typo;01/02/2099;03/03/2099;100,00\n", rows(20));
    let case = Case::new(data.as_bytes(), MAP, "");
    let cfg = read(&case.path("arwatch.toml")).replace("as_of = \"2025-03-31\"\n", "");
    std::fs::write(case.path("arwatch.toml"), cfg).unwrap();
    let r = case.run(&["run"]);
    assert_eq!(r.code, 4, "{}{}", r.stdout, r.stderr);
    assert!(r.stderr.contains("f.csv line 22 (2099-02-01)") && r.stderr.contains("--as-of"), "{}", r.stderr);
    let r = case.run(&["run", "--as-of", "2025-03-31"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
}

#[test]
fn amounts_beyond_thirteen_digits_are_rejected_and_never_wrap_the_totals() {
    // Two rows of 9e16 (an id column mapped as the amount) once gave a negative net AR that
    // "reconciled".
    let data = format!(
        "{HEAD}{}K1;F90;01/02/2025;03/03/2025;90000000000000000\nK1;F91;01/02/2025;03/03/2025;90000000000000000\n",
        rows(3)
    );
    let case = Case::new(data.as_bytes(), MAP, "");
    let r = case.run(&["run"]);
    assert_eq!(r.code, 3, "{}{}", r.stdout, r.stderr);
    assert_eq!(net_ar(&case), "300.00");
    let rej = read(&case.path("out/2025-03/data/rejected.csv"));
    assert_eq!(rej.matches("beyond 13 integer digits").count(), 2, "{rej}");
}

#[test]
fn a_ledger_whose_amounts_add_up_beyond_the_bound_stops_with_the_reason() {
    // Each row is below the row bound; together they pass 10^15 euros.
    let big: String = (0..2000).map(|i| format!("K1;B{i};01/02/2025;03/03/2025;999.999.999.999,00\n")).collect();
    let case = Case::new(format!("{HEAD}{big}").as_bytes(), MAP, "");
    let r = case.run(&["run"]);
    assert_eq!(r.code, 4, "{}{}", r.stdout, r.stderr);
    assert!(r.stderr.contains("add up to more than"), "{}", r.stderr);
}

#[test]
fn the_release_build_checks_arithmetic_overflow() {
    // A wrap would be a wrong number that looks right; the release profile must panic (and
    // the panic hook turn it into exit code 1) instead.
    let manifest = read(&Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml"));
    let release = manifest.split("[profile.release.package.arwatch]").nth(1).expect("arwatch's release profile");
    let release = release.split("\n[").next().unwrap();
    assert!(release.contains("overflow-checks = true"), "{release}");
}

#[test]
fn an_internal_error_exits_1_with_a_message_not_101() {
    let out = arwatch().env("ARWATCH_TEST_PANIC", "1").args(["--help"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("internal error, please report") && stderr.contains("src/main.rs"), "{stderr}");
}

#[test]
fn dossiers_of_similar_ids_never_overwrite_each_other_and_handover_csv_names_them() {
    let data = format!(
        "{HEAD}A/1;F1;01/10/2024;01/11/2024;100,00\nA.1;F2;01/10/2024;01/11/2024;200,00\nA 1;F3;01/10/2024;01/11/2024;300,00\nCON;F4;01/10/2024;01/11/2024;400,00\nK1;F5;01/10/2024;01/11/2024;500,00\n"
    );
    let case = Case::new(data.as_bytes(), MAP, "");
    let cfg = read(&case.path("arwatch.toml")).replace("dossiers = false\n", "");
    std::fs::write(case.path("arwatch.toml"), cfg).unwrap();
    let r = case.run(&["run"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let month = case.path("out/2025-03");
    let mut files: Vec<String> = std::fs::read_dir(month.join("handover"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(files.len(), 5, "{files:?}");
    assert!(files.contains(&"K1.pdf".to_string()), "{files:?}");
    assert!(files.iter().all(|f| f.len() <= 84 && !f.to_uppercase().starts_with("CON.")), "{files:?}");
    let handover = read(&month.join("data/handover.csv"));
    let header: Vec<&str> = handover.lines().next().unwrap().split(',').collect();
    let at = header.iter().position(|h| *h == "dossier").expect("a dossier column");
    let named: Vec<&str> = handover.lines().skip(1).map(|l| l.split(',').nth(at).unwrap()).collect();
    for f in &files {
        assert_eq!(named.iter().filter(|n| **n == f.as_str()).count(), 1, "{f} in {handover}");
    }
}

#[test]
fn as_of_dates_at_the_edges_of_the_calendar_give_clear_errors() {
    let case = Case::new(format!("{HEAD}{}", rows(3)).as_bytes(), MAP, "");
    let r = case.run(&["run", "--as-of", "1950-01-31"]);
    assert_eq!(r.code, 4, "{}{}", r.stdout, r.stderr);
    assert!(r.stderr.contains("before every document and payment"), "{}", r.stderr);
    // Far in the future: every figure computes; the handover asks for rates the table lacks.
    let r = case.run(&["run", "--as-of", "9999-12-31"]);
    assert_eq!(r.code, 4, "{}{}", r.stdout, r.stderr);
    assert!(r.stderr.contains("no statutory interest rate for BE 2027-H1"), "{}", r.stderr);
}

#[test]
fn whitespace_only_and_header_only_files_are_clear() {
    let case = Case::new(b" \r\n\t\n  ", MAP, "");
    let r = case.run(&["check"]);
    assert_eq!(r.code, 4, "{}{}", r.stdout, r.stderr);
    assert!(r.stderr.contains("empty"), "{}", r.stderr);
    let case = Case::new(HEAD.as_bytes(), MAP, "");
    let r = case.run(&["run"]);
    assert_eq!(r.code, 4, "{}{}", r.stdout, r.stderr);
    assert!(r.stderr.contains("no document or payment"), "{}", r.stderr);
}

/// Every file under `dir` with its bytes.
fn snapshot(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut out = std::collections::BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.insert(p.strip_prefix(dir).unwrap().display().to_string(), std::fs::read(&p).unwrap());
            }
        }
    }
    out
}

#[test]
fn a_run_that_fails_half_way_leaves_the_previous_month_byte_for_byte() {
    let data = format!("{HEAD}K1;F1;01/10/2024;01/11/2024;100,00\nK2;F2;01/03/2025;31/03/2025;50,00\n");
    let case = Case::new(data.as_bytes(), MAP, "");
    let cfg = read(&case.path("arwatch.toml")).replace("workbook = false\npdf = false\ndossiers = false\n", "");
    std::fs::write(case.path("arwatch.toml"), &cfg).unwrap();
    assert_eq!(case.run(&["run"]).code, 0);
    let month = case.path("out/2025-03");
    let before = snapshot(&month);
    assert!(before.contains_key("handover/K1.pdf") && before.contains_key("data/clients.csv"), "{:?}", before.keys());
    let history = read(&case.path("out/history/2025-03-31.csv"));

    // The data files of the new run are written, then the handover fails on a missing table.
    std::fs::write(case.path("f.csv"), format!("{data}K3;F3;01/03/2025;31/03/2025;70,00\n")).unwrap();
    std::fs::write(
        case.path("arwatch.toml"),
        cfg.replace("[reports]", "[handover]\nrates = \"missing.csv\"\n[reports]"),
    )
    .unwrap();
    let r = case.run(&["run"]);
    assert_eq!(r.code, 4, "{}{}", r.stdout, r.stderr);
    assert_eq!(snapshot(&month), before, "the previous month changed");
    assert_eq!(read(&case.path("out/history/2025-03-31.csv")), history);
    let left: Vec<String> = std::fs::read_dir(case.path("out"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(left.iter().all(|n| !n.starts_with(".arwatch")), "{left:?}");

    // Fixed, the re-run replaces the month whole.
    std::fs::write(case.path("arwatch.toml"), &cfg).unwrap();
    assert_eq!(case.run(&["run"]).code, 0);
    assert!(read(&month.join("data/clients.csv")).contains("K3,"));
}

#[test]
fn a_second_run_on_the_same_output_root_is_refused_while_the_first_writes() {
    let case = Case::new(format!("{HEAD}{}", rows(3)).as_bytes(), MAP, "");
    std::fs::create_dir_all(case.path("out")).unwrap();
    // This test process stands for a run in progress.
    std::fs::write(case.path("out/.arwatch.lock"), std::process::id().to_string()).unwrap();
    let r = case.run(&["run"]);
    assert_eq!(r.code, 5, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stderr.contains("another arwatch run") && r.stderr.contains(&std::process::id().to_string()),
        "{}",
        r.stderr
    );
    assert!(!case.path("out/2025-03").exists());
    // Once it is gone, the next run goes ahead.
    std::fs::remove_file(case.path("out/.arwatch.lock")).unwrap();
    assert_eq!(case.run(&["run"]).code, 0);
    assert!(!case.path("out/.arwatch.lock").exists());
}

#[test]
fn a_mid_month_run_gets_its_own_folder_and_is_not_the_next_months_baseline() {
    let case = Case::new(format!("{HEAD}{}", rows(3)).as_bytes(), MAP, "");
    assert_eq!(case.run(&["run", "--as-of", "2025-02-28"]).code, 0);
    assert_eq!(case.run(&["run", "--as-of", "2025-03-15"]).code, 0);
    assert!(case.path("out/2025-03-15/data/clients.csv").exists());
    assert!(!case.path("out/2025-03").exists());
    let r = case.run(&["run"]);
    assert!(r.stdout.contains("compared with the run of 2025-02-28"), "{}", r.stdout);
    let r = case.run(&["run", "--compare-with", "2025-03-15"]);
    assert!(r.stdout.contains("compared with the run of 2025-03-15"), "{}", r.stdout);
}

#[test]
fn an_ods_whose_repeats_declare_billions_of_cells_is_refused() {
    // 1,048,000 rows × 16,000 repeated cells in a file of 1 KB.
    let case = Case::new(b"", XMAP, "");
    std::fs::copy(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/repeated-cells-bomb.ods"), case.path("f.ods"))
        .unwrap();
    let cfg = read(&case.path("arwatch.toml")).replace("file = \"f.csv\"", "file = \"f.ods\"");
    std::fs::write(case.path("arwatch.toml"), cfg).unwrap();
    let r = case.run(&["check"]);
    assert_eq!(r.code, 4, "{}{}", r.stdout, r.stderr);
    assert!(r.stderr.contains("f.ods") && r.stderr.contains("limit") && r.stderr.contains("as CSV"), "{}", r.stderr);
}

#[test]
fn text_beyond_a_cell_is_shortened_visibly_in_the_workbook_and_kept_whole_in_csv() {
    let map = MAP.replace("[columns]", "[columns]\nclient_name = \"Naam\"");
    let long = "Zoë ".repeat(10_000);
    let data = format!("Klant;Naam;Nr;Datum;Verval;Bedrag\nK1;{long};F1;01/10/2024;01/11/2024;100,00\n");
    let case = Case::new(data.as_bytes(), &map, "");
    let cfg = read(&case.path("arwatch.toml")).replace("workbook = false\npdf = false\ndossiers = false\n", "");
    std::fs::write(case.path("arwatch.toml"), cfg).unwrap();
    let r = case.run(&["run"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let month = case.path("out/2025-03");
    assert!(read(&month.join("data/clients.csv")).contains(long.trim()));
    let calamine::Data::String(cell) = workbook_cell(&month.join("arwatch-2025-03.xlsx"), "Clients", "Client", 1)
    else {
        panic!("not a string cell")
    };
    assert_eq!(cell.chars().count(), 32_767);
    assert!(
        cell.ends_with("characters: Excel holds 32767; the data files have it all]"),
        "{}",
        &cell[cell.len() - 120..]
    );
    assert!(month.join("handover/K1.pdf").exists());
}
