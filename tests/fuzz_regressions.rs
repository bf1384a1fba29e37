//! Every input the fuzzers ever stopped on (crash, hang, leak report or broken promise), and the
//! seeds they start from, run through the same code as the fuzz targets (`arwatch::fuzz`). CI
//! runs these as ordinary tests; docs/fuzzing.md says how to run the fuzzers themselves.

use std::path::PathBuf;

fn inputs(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions").join(target);
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| {
            let p = e.unwrap().path();
            (p.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read(&p).unwrap())
        })
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no regression inputs in {}", dir.display());
    files
}

fn replay(target: &str, body: fn(&[u8])) {
    for (name, data) in inputs(target) {
        // A panic names the input that caused it.
        let r = std::panic::catch_unwind(|| body(&data));
        assert!(r.is_ok(), "fuzz/regressions/{target}/{name} panics");
    }
}

/// Like `replay`; the seeds (`hand-*`, `seed-*`) must also read, so the target is known to
/// reach the whole pipeline, not only its first check.
fn replay_reading(target: &str, body: fn(&[u8]) -> bool) {
    for (name, data) in inputs(target) {
        let r = std::panic::catch_unwind(|| body(&data));
        assert!(r.is_ok(), "fuzz/regressions/{target}/{name} panics");
        if name.starts_with("hand-") || name.starts_with("seed-") {
            assert!(r.unwrap(), "the seed fuzz/regressions/{target}/{name} does not read");
        }
    }
}

#[test]
fn csv_table() {
    replay_reading("csv_table", arwatch::fuzz::csv_table);
}

#[test]
fn workbook() {
    replay_reading("workbook", arwatch::fuzz::workbook);
}

#[test]
fn values() {
    replay("values", arwatch::fuzz::values);
}

#[test]
fn config() {
    replay("config", arwatch::fuzz::config);
}
