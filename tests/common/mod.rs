//! Helpers shared by the binary tests: the repository root, running the binary, reading the
//! reports back (CSV, workbook through calamine, PDF through poppler's pdftotext).
#![allow(dead_code)] // each test file uses its own subset

use assert_cmd::Command;
use std::path::{Path, PathBuf};

/// The repository root (where `Cargo.toml` is).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The arwatch binary of this build.
pub fn arwatch() -> Command {
    Command::cargo_bin("arwatch").unwrap()
}

/// What a finished run printed and how it exited.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Runs the binary with `args`; a panic message on stderr fails the test whatever the code.
pub fn run(args: &[&str]) -> Run {
    let out = arwatch().args(args).output().unwrap();
    let r = Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into(),
        stderr: String::from_utf8_lossy(&out.stderr).into(),
    };
    assert!(!r.stderr.contains("panicked"), "panic: {}", r.stderr);
    r
}

/// A file as text, naming the file when it cannot be read.
pub fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// A CSV file as its header and rows of strings.
pub fn csv_rows(p: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::Reader::from_path(p).unwrap();
    let header = r.headers().unwrap().iter().map(String::from).collect();
    let rows = r.records().map(|x| x.unwrap().iter().map(String::from).collect()).collect();
    (header, rows)
}

/// A PDF's text as poppler lays it out.
pub fn pdftotext(p: &Path) -> String {
    let o = std::process::Command::new("pdftotext")
        .args(["-layout", p.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext (poppler-utils) is needed; .ci/run installs it");
    assert!(o.status.success(), "pdftotext {}", p.display());
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// `"-12.34"` as -1234 (two decimals, as the data files write euros); an empty field is 0.
pub fn cents(s: &str) -> i64 {
    if s.is_empty() {
        return 0;
    }
    let (a, b) = s.split_once('.').unwrap_or((s, "0"));
    let v = a.trim_start_matches('-').parse::<i64>().unwrap() * 100 + b.parse::<i64>().unwrap();
    if s.starts_with('-') { -v } else { v }
}

/// The sample's configuration written into `dir` with its input paths made absolute and
/// `extra` appended (later tables override nothing: add only new keys or tables), so a test
/// can change a setting without touching `sample_data/`. `edit` may rewrite the text first.
pub fn sample_config(dir: &Path, edit: impl Fn(String) -> String, extra: &str) -> PathBuf {
    let sample = root().join("sample_data");
    let text = read(&sample.join("arwatch.toml"))
        .replace("\"csv/", &format!("\"{}/csv/", sample.display()))
        .replace("\"mappings/", &format!("\"{}/mappings/", sample.display()));
    let cfg = dir.join("arwatch.toml");
    std::fs::write(&cfg, format!("{}\n{extra}", edit(text))).unwrap();
    cfg
}
