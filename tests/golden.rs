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

/// Runs arwatch once per as-of date into `out`; returns what each run printed.
fn runs(config: &Path, out: &Path, lang: &str, as_ofs: &[&str], texts: &mut Texts) {
    for as_of in as_ofs {
        let mut args =
            vec!["run", "--config", config.to_str().unwrap(), "--out", out.to_str().unwrap(), "--lang", lang];
        if !as_of.is_empty() {
            args.extend(["--as-of", as_of]);
        }
        let o = arwatch().args(&args).output().unwrap();
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
    runs(&root().join("sample_data/arwatch.toml"), out.path(), "en", &["2026-09-30", "2026-10-31"], &mut texts);
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
    runs(&root().join("sample_data/arwatch-xlsx.toml"), out.path(), "nl", &[""], &mut texts);
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
    runs(
        &root().join("tests/fixtures/mixed/arwatch.toml"),
        out.path(),
        "fr",
        &["2026-02-28", "2026-03-31"],
        &mut texts,
    );
    month(&out.path().join("2026-03"), "2026-03", None, &mut texts);
    texts.insert("digests.txt".into(), digests(out.path()));
    check("mixed-fr", out.path(), texts);
}
