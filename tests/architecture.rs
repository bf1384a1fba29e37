//! The floors of docs/architecture.md, checked on the sources: a module uses the floors below
//! it (or its own), never one above.

mod common;

use common::root;
use std::path::Path;

/// Each top-level module's floor.
const FLOORS: &[(&str, u8)] = &[
    ("model", 0),
    ("locale", 0),
    ("memory", 0),
    ("output", 0),
    ("platform", 0),
    ("toml_source", 0),
    ("exit_code", 0),
    ("fx", 1),
    ("bureau", 1),
    ("ingest", 1),
    ("analytics", 2),
    ("monitor", 3),
    ("collection", 4),
    ("notify", 4),
    ("config", 5),
    ("report", 6),
    ("pool", 6),
    ("pipeline", 7),
    ("exit", 7),
    ("command", 7),
    ("console", 7),
    ("cli", 7),
    ("sample", 7),
    ("fuzz", 7),
    ("mapper", 7),
    ("batch", 7),
    ("launcher", 7),
];

fn floor(module: &str) -> Option<u8> {
    FLOORS.iter().find(|(m, _)| *m == module).map(|(_, f)| *f)
}

/// Every `.rs` file under `dir`.
fn sources(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            sources(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The modules a source names as `crate::<module>`.
fn uses(text: &str) -> Vec<&str> {
    text.match_indices("crate::")
        .map(|(i, m)| {
            let rest = &text[i + m.len()..];
            let end = rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(rest.len());
            &rest[..end]
        })
        .collect()
}

#[test]
fn no_module_uses_one_above_it() {
    let src = root().join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    let mut wrong = Vec::new();
    let mut unknown = Vec::new();
    for f in &files {
        let rel = f.strip_prefix(&src).unwrap();
        let first = rel.components().next().unwrap().as_os_str().to_string_lossy().into_owned();
        let module = first.trim_end_matches(".rs");
        if matches!(module, "lib" | "main") {
            continue;
        }
        let Some(own) = floor(module) else {
            unknown.push(module.to_string());
            continue;
        };
        let text = std::fs::read_to_string(f).unwrap();
        for used in uses(&text) {
            match floor(used) {
                Some(fl) if fl > own => {
                    wrong.push(format!("{}: {module} (floor {own}) uses {used} (floor {fl})", rel.display()))
                }
                Some(_) => {}
                None => unknown.push(used.to_string()),
            }
        }
    }
    assert!(unknown.is_empty(), "modules without a floor in this test and docs/architecture.md: {unknown:?}");
    assert!(wrong.is_empty(), "imports that go up a floor:\n{}", wrong.join("\n"));
}

#[test]
fn the_floor_table_matches_the_library() {
    let lib = std::fs::read_to_string(root().join("src/lib.rs")).unwrap();
    let declared: Vec<&str> =
        lib.lines().filter_map(|l| l.strip_prefix("pub mod ")).map(|l| l.trim_end_matches(';')).collect();
    let mut listed: Vec<&str> = FLOORS.iter().map(|(m, _)| *m).collect();
    let mut declared_sorted = declared.clone();
    listed.sort_unstable();
    declared_sorted.sort_unstable();
    assert_eq!(listed, declared_sorted, "src/lib.rs and the floor table disagree");
}
