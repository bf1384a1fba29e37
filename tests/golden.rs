//! Golden files: today's outputs pinned byte for byte, so that a change in any number, label,
//! cell or page is seen and explained. Each scenario runs the binary and compares what it
//! wrote with `tests/golden/<scenario>/`: every data file, the run history, what the run
//! printed, the workbook's cells read back with calamine, the PDF text (pdftotext), and a
//! digest of every output file (the workbook and PDFs are deterministic to the byte).
//!
//! After a deliberate change, `ARWATCH_BLESS=1 cargo test --test golden` rewrites the files;
//! the diff then shows what changed, and the commit says why.

mod common;

use calamine::{Data, Reader, open_workbook_auto};
use common::{arwatch, pdftotext, root};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;
use tempfile::TempDir;

/// The texts of one scenario, by golden file name.
type Texts = BTreeMap<String, String>;

/// Runs arwatch once per as-of date into `out`; returns what each run printed. The
/// configuration is named relative to the repository, as a user in the clone would: the input
/// paths then read the same in every checkout (the PDF fits them to its columns, so their
/// length shapes the page).
fn runs(config: &str, out: &Path, lang: &str, as_ofs: &[&str], texts: &mut Texts) {
    for as_of in as_ofs {
        let mut args = vec!["run", "--config", config, "--out", out.to_str().unwrap(), "--lang", lang];
        if !as_of.is_empty() {
            args.extend(["--as-of", as_of]);
        }
        let o = arwatch().current_dir(root()).args(&args).output().unwrap();
        let code = o.status.code().unwrap_or(-1);
        assert!(code == 0 || code == 3, "{}", String::from_utf8_lossy(&o.stderr));
        let name = if as_of.is_empty() { "run".to_string() } else { format!("run-{as_of}") };
        texts.insert(
            format!("{name}.txt"),
            format!(
                "exit code {code}\n--- stdout\n{}--- stderr\n{}",
                String::from_utf8_lossy(&o.stdout),
                String::from_utf8_lossy(&o.stderr)
            ),
        );
    }
}

/// Every file under `dir` (relative paths, sorted).
fn files(dir: &Path) -> Vec<String> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                found.push(p.strip_prefix(dir).unwrap().to_string_lossy().replace('\\', "/"));
            }
        }
    }
    found.sort();
    found
}

/// FNV-1a, 64 bits: enough to see that a file changed, not a security measure.
fn digest(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3))
}

/// Size and digest of every file of the output root, one line each.
fn digests(out: &Path) -> String {
    let mut s = String::new();
    for f in files(out) {
        let bytes = std::fs::read(out.join(&f)).unwrap();
        writeln!(s, "{f}\t{}\t{:016x}", bytes.len(), digest(&bytes)).unwrap();
    }
    s
}

/// A cell as text: strings as they are, other types tagged so that `1` and `"1"` differ.
fn cell(c: &Data) -> String {
    match c {
        Data::Empty => String::new(),
        Data::String(s) => s.replace('\\', "\\\\").replace('\t', "\\t").replace('\n', "\\n"),
        Data::Float(f) => format!("#{f}"),
        Data::Int(i) => format!("#{i}"),
        Data::Bool(b) => format!("?{b}"),
        Data::DateTime(d) => format!("@{}", d.as_f64()),
        Data::DateTimeIso(d) => format!("@{d}"),
        Data::DurationIso(d) => format!("@{d}"),
        Data::Error(e) => format!("!{e:?}"),
    }
}

/// Every sheet's cells, a line per row (tab-separated, trailing empty cells left out).
fn workbook(path: &Path, sheets: Option<&[&str]>) -> String {
    let mut wb = open_workbook_auto(path).unwrap();
    let mut s = String::new();
    for name in wb.sheet_names() {
        if sheets.is_some_and(|only| !only.contains(&name.as_str())) {
            continue;
        }
        let range = wb.worksheet_range(&name).unwrap();
        let (r0, c0) = range.start().unwrap_or((0, 0));
        writeln!(s, "=== {name} (from row {} column {})", r0 + 1, c0 + 1).unwrap();
        for row in range.rows() {
            let mut cells: Vec<String> = row.iter().map(cell).collect();
            while cells.last().is_some_and(String::is_empty) {
                cells.pop();
            }
            writeln!(s, "{}", cells.join("\t")).unwrap();
        }
    }
    s
}

/// The text of every PDF under `dir` (sorted by name), each under its name.
fn pdf_texts(dir: &Path) -> String {
    let mut s = String::new();
    for f in files(dir).iter().filter(|f| f.ends_with(".pdf")) {
        writeln!(s, "=== {f}\n{}", pdftotext(&dir.join(f))).unwrap();
    }
    s
}

/// The texts of one month folder: data files, workbook cells, report and dossier PDFs.
fn month(dir: &Path, name: &str, sheets: Option<&[&str]>, texts: &mut Texts) {
    for f in files(&dir.join("data")) {
        texts.insert(format!("data/{f}"), std::fs::read_to_string(dir.join("data").join(&f)).unwrap());
    }
    texts.insert("workbook.txt".into(), workbook(&dir.join(format!("arwatch-{name}.xlsx")), sheets));
    texts.insert("report.txt".into(), pdftotext(&dir.join(format!("arwatch-{name}.pdf"))));
    if dir.join("handover").exists() {
        texts.insert("dossiers.txt".into(), pdf_texts(&dir.join("handover")));
    }
}

/// Compares the texts with the golden folder (or writes them under `ARWATCH_BLESS=1`), with
/// the machine's paths replaced so that the files hold on any machine.
fn check(scenario: &str, out: &Path, texts: Texts) {
    let dir = root().join("tests/golden").join(scenario);
    let bless = std::env::var_os("ARWATCH_BLESS").is_some();
    let (repo, tmp) = (root().to_string_lossy().into_owned(), out.to_string_lossy().into_owned());
    let mut failures = Vec::new();
    if bless && dir.exists() {
        std::fs::remove_dir_all(&dir).unwrap();
    }
    for (name, text) in &texts {
        let text = text.replace(&tmp, "<out>").replace(&repo, "<repo>");
        let path = dir.join(name);
        if bless {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, &text).unwrap();
            continue;
        }
        let Ok(want) = std::fs::read_to_string(&path) else {
            failures.push(format!("{name}: no golden file (ARWATCH_BLESS=1 writes it)"));
            continue;
        };
        if want != text {
            let (n, (w, g)) = want
                .lines()
                .map(Some)
                .chain(std::iter::repeat(None))
                .zip(text.lines().map(Some).chain(std::iter::repeat(None)))
                .enumerate()
                .find(|(_, (w, g))| w != g)
                .unwrap_or((0, (None, None)));
            failures.push(format!("{name}, line {}:\n  golden: {w:?}\n  now:    {g:?}", n + 1));
        }
    }
    if !bless {
        for f in files(&dir) {
            if !texts.contains_key(&f) {
                failures.push(format!("{f}: golden file no longer produced"));
            }
        }
    }
    assert!(failures.is_empty(), "{scenario}: outputs differ from tests/golden/{scenario}:\n{}", failures.join("\n"));
}

#[test]
fn sample_two_months_in_english() {
    let out = TempDir::new().unwrap();
    let mut texts = Texts::new();
    runs("sample_data/arwatch.toml", out.path(), "en", &["2026-09-30", "2026-10-31"], &mut texts);
    month(&out.path().join("2026-10"), "2026-10", None, &mut texts);
    for f in files(&out.path().join("history")) {
        texts.insert(format!("history/{f}"), std::fs::read_to_string(out.path().join("history").join(&f)).unwrap());
    }
    texts.insert("digests.txt".into(), digests(out.path()));
    check("sample-en", out.path(), texts);
}

#[test]
fn sample_workbook_input_in_dutch() {
    let out = TempDir::new().unwrap();
    let mut texts = Texts::new();
    runs("sample_data/arwatch-xlsx.toml", out.path(), "nl", &[""], &mut texts);
    let name = files(out.path()).iter().find_map(|f| f.strip_suffix("/data/summary.json").map(String::from)).unwrap();
    let dir = out.path().join(&name);
    texts.insert("data/summary.json".into(), std::fs::read_to_string(dir.join("data/summary.json")).unwrap());
    texts.insert(
        "workbook.txt".into(),
        workbook(&dir.join(format!("arwatch-{name}.xlsx")), Some(&["Overzicht", "Samenvatting"])),
    );
    texts.insert("report.txt".into(), pdftotext(&dir.join(format!("arwatch-{name}.pdf"))));
    texts.insert("digests.txt".into(), digests(out.path()));
    check("sample-xlsx-nl", out.path(), texts);
}

#[test]
fn mixed_currencies_two_months_in_french() {
    let out = TempDir::new().unwrap();
    let mut texts = Texts::new();
    runs("tests/fixtures/mixed/arwatch.toml", out.path(), "fr", &["2026-02-28", "2026-03-31"], &mut texts);
    month(&out.path().join("2026-03"), "2026-03", None, &mut texts);
    texts.insert("digests.txt".into(), digests(out.path()));
    check("mixed-fr", out.path(), texts);
}

/// A ledger case for the error messages: its rows and configuration lines, and side files.
struct Case {
    name: &'static str,
    rows: &'static str,
    config: &'static str,
    /// Lines of the `[handover]` table.
    handover: &'static str,
    files: &'static [(&'static str, &'static str)],
}

const HEAD: &str = "Klant;Nr;Datum;Verval;Bedrag;Munt\nK1;F1;01/02/2025;03/03/2025;100,00;EUR\nK2;F2;01/02/2025;03/03/2025;50,00;EUR\n";
const BAD_DATES: &str = "K1;F3;31/02/2025;03/03/2025;5,00;EUR\nK1;F4;xx;03/03/2025;5,00;EUR\n";
const IN_USD: &str = "K1;F3;01/02/2025;03/03/2025;5,00;USD\n";

/// Every way the data can stop a run, and what `check` and `run` then say.
const CASES: &[Case] = &[
    Case { name: "too_many_rejected", rows: BAD_DATES, config: "as_of = \"2025-03-31\"", handover: "", files: &[] },
    Case { name: "too_many_rejected_without_as_of", rows: BAD_DATES, config: "", handover: "", files: &[] },
    Case { name: "other_currency", rows: IN_USD, config: "as_of = \"2025-03-31\"", handover: "", files: &[] },
    Case {
        name: "fx_table_missing",
        rows: IN_USD,
        config: "as_of = \"2025-03-31\"\nfx_rates = \"nofx.csv\"",
        handover: "",
        files: &[],
    },
    Case {
        name: "fx_table_bad",
        rows: IN_USD,
        config: "as_of = \"2025-03-31\"\nfx_rates = \"fx.csv\"",
        handover: "",
        files: &[("fx.csv", "date,currency,rate\n2025-01-01,USD,-1\n")],
    },
    Case {
        name: "fx_rate_missing",
        rows: IN_USD,
        config: "as_of = \"2025-03-31\"\nfx_rates = \"fx.csv\"",
        handover: "",
        files: &[("fx.csv", "date,currency,rate\n2025-06-01,USD,0.9\n")],
    },
    Case { name: "as_of_before_data", rows: "", config: "as_of = \"2024-01-31\"", handover: "", files: &[] },
    Case {
        name: "outlying_date",
        rows: "K1;F9;01/02/2099;03/03/2099;5,00;EUR\n",
        config: "",
        handover: "",
        files: &[],
    },
    Case {
        name: "interest_rates_missing",
        rows: "",
        config: "as_of = \"2025-06-30\"",
        handover: "rates = \"norates.csv\"",
        files: &[],
    },
    Case {
        name: "interest_rates_bad",
        rows: "",
        config: "as_of = \"2025-06-30\"",
        handover: "rates = \"rates.csv\"",
        files: &[("rates.csv", "jurisdiction,period,rate_percent,status,note\nFR,2025-H1,10,confirmed,\n")],
    },
    Case {
        name: "reminders_missing",
        rows: "",
        config: "as_of = \"2025-06-30\"",
        handover: "reminders = \"nothere.csv\"",
        files: &[],
    },
    Case {
        name: "watchlist_bad",
        rows: "",
        config: "as_of = \"2025-03-31\"\nwatchlist = \"watch.csv\"",
        handover: "",
        files: &[(
            "watch.csv",
            "company_number,name,role\nBE 0403.019.261,Papier NV,supplier\n0431150351,Bouw BV,prospect\n",
        )],
    },
    Case {
        name: "jurisdiction_bad",
        rows: "",
        config: "as_of = \"2025-06-30\"",
        handover: "jurisdiction = \"FR\"",
        files: &[],
    },
    Case {
        name: "compensation_bad",
        rows: "",
        config: "as_of = \"2025-06-30\"",
        handover: "compensation = 40\ncompensation_currency = \"EURO\"",
        files: &[],
    },
];

#[test]
fn what_stops_a_run_and_how_it_is_said() {
    const MAP: &str = "delimiter = \";\"\ndecimal = \",\"\ndate_formats = [\"%d/%m/%Y\"]\n[columns]\nclient_id = \"Klant\"\ndocument_id = \"Nr\"\nissue_date = \"Datum\"\ndue_date = \"Verval\"\namount = \"Bedrag\"\ncurrency = \"Munt\"\n";
    let root_dir = TempDir::new().unwrap();
    let mut texts = Texts::new();
    for case in CASES {
        let dir = root_dir.path().join(case.name);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("f.csv"), format!("{HEAD}{}", case.rows)).unwrap();
        std::fs::write(dir.join("map.toml"), MAP).unwrap();
        std::fs::write(
            dir.join("arwatch.toml"),
            format!(
                "currency = \"EUR\"\nmax_rejected_share = 0.1\n{}\n[[inputs]]\nfile = \"f.csv\"\nmapping = \"map.toml\"\n[handover]\n{}\n",
                case.config, case.handover
            ),
        )
        .unwrap();
        for (name, text) in case.files {
            std::fs::write(dir.join(name), text).unwrap();
        }
        let mut said = String::new();
        for cmd in ["check", "run"] {
            let o =
                arwatch().current_dir(&dir).args([cmd, "--config", "arwatch.toml", "--out", "out"]).output().unwrap();
            writeln!(
                said,
                "$ arwatch {cmd}\n{}{}exit code {}",
                String::from_utf8_lossy(&o.stdout),
                String::from_utf8_lossy(&o.stderr),
                o.status.code().unwrap_or(-1)
            )
            .unwrap();
        }
        // A configuration error stops a run before the output root is made.
        let out = dir.join("out");
        let mut written: Vec<String> = if out.exists() { files(&out) } else { Vec::new() };
        written.retain(|f| !f.ends_with(".lock"));
        written.sort();
        writeln!(said, "written under out/: {written:?}").unwrap();
        texts.insert(format!("{}.txt", case.name), said);
    }
    check("errors", root_dir.path(), texts);
}
