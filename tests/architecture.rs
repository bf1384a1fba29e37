//! The floors of docs/architecture.md, checked on the sources: a module uses the floors below
//! it (or its own), never one above; no two modules of a floor, and no two files of a folder,
//! use each other; a file takes what it uses from the sibling that defines it, not through its
//! folder's `mod.rs`; and every output is a renderer that reads only the report model.

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
    ("stopwatch", 0),
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

/// A source's text without its tests (`#[cfg(test)]` blocks come last in a file), where
/// `super::` names the file itself.
fn code(f: &Path) -> String {
    let text = std::fs::read_to_string(f).unwrap();
    match text.find("#[cfg(test)]") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

/// Every source file under `src/` but the crate roots and test files, with its path from `src/`.
fn modules() -> Vec<(std::path::PathBuf, String)> {
    let src = root().join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    files
        .into_iter()
        .filter(|f| !matches!(f.file_name().and_then(|n| n.to_str()), Some("lib.rs" | "main.rs" | "tests.rs")))
        .map(|f| {
            let rel = f.strip_prefix(&src).unwrap().to_path_buf();
            (rel, code(&f))
        })
        .collect()
}

/// The cycles of a graph given as edges, each as its nodes (one per strongly connected part
/// of more than one node).
fn cycles(edges: &std::collections::BTreeSet<(String, String)>) -> Vec<Vec<String>> {
    let nodes: std::collections::BTreeSet<&String> = edges.iter().flat_map(|(a, b)| [a, b]).collect();
    let reach = |from: &String| {
        let mut seen = std::collections::BTreeSet::new();
        let mut todo = vec![from.clone()];
        while let Some(n) = todo.pop() {
            for (a, b) in edges {
                if *a == n && seen.insert(b.clone()) {
                    todo.push(b.clone());
                }
            }
        }
        seen
    };
    let reached: std::collections::BTreeMap<&String, _> = nodes.iter().map(|n| (*n, reach(n))).collect();
    let mut out: Vec<Vec<String>> = Vec::new();
    for n in &nodes {
        let part: Vec<String> = nodes
            .iter()
            .filter(|m| reached[*n].contains(**m) && reached[*m].contains(*n))
            .map(|m| (*m).clone())
            .collect();
        if part.len() > 1 && !out.contains(&part) {
            out.push(part);
        }
    }
    out
}

#[test]
fn no_two_modules_of_a_floor_use_each_other() {
    let mut edges = std::collections::BTreeSet::new();
    for (rel, text) in modules() {
        let first = rel.components().next().unwrap().as_os_str().to_string_lossy().into_owned();
        let module = first.trim_end_matches(".rs").to_string();
        for used in uses(&text) {
            if used != module && floor(used).is_some() {
                edges.insert((module.clone(), used.to_string()));
            }
        }
    }
    assert_eq!(cycles(&edges), Vec::<Vec<String>>::new(), "modules that use each other");
}

/// The names of the modules in `dir`: its files and folders.
fn siblings(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .collect()
}

/// What a file names through `super::`: each name right after it (`super::{a, b}` gives both).
fn through_super(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (i, m) in text.match_indices("super::") {
        let rest = &text[i + m.len()..];
        if let Some(list) = rest.strip_prefix('{') {
            let list = &list[..list.find('}').unwrap_or(list.len())];
            out.extend(list.split(',').map(|n| n.trim().split("::").next().unwrap_or("").to_string()));
        } else {
            let end = rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '*')).unwrap_or(rest.len());
            out.push(rest[..end].to_string());
        }
    }
    out.retain(|n| !n.is_empty() && n != "super");
    out
}

#[test]
fn a_file_uses_its_siblings_never_its_folder_and_no_two_use_each_other() {
    let src = root().join("src");
    let mut upward = Vec::new();
    let mut edges = std::collections::BTreeSet::new();
    for (rel, text) in modules() {
        // A folder's mod.rs is the folder's module, in its parent: its `super::` names the
        // folder's siblings.
        let rel = if rel.ends_with("mod.rs") { rel.parent().unwrap().with_extension("rs") } else { rel };
        let Some(dir) = rel.parent().filter(|d| !d.as_os_str().is_empty()) else { continue };
        let name = rel.file_stem().unwrap().to_string_lossy().into_owned();
        let folder = dir.display().to_string();
        let sibs = siblings(&src.join(dir));
        for n in through_super(&text) {
            if sibs.contains(&n) {
                edges.insert((format!("{folder}/{name}"), format!("{folder}/{n}")));
            } else {
                upward.push(format!("{}: super::{n}", rel.display()));
            }
        }
    }
    assert!(
        upward.is_empty(),
        "files that take from their folder's mod.rs instead of the sibling that defines it \
         (move the type to a file beside them, such as error.rs or settings.rs):\n{}",
        upward.join("\n")
    );
    assert_eq!(cycles(&edges), Vec::<Vec<String>>::new(), "files of a folder that use each other");
}

/// The files that draw the report model into files.
const RENDERERS: [&str; 5] = ["report/data.rs", "report/xlsx.rs", "report/pdf/", "report/csv.rs", "report/parquet.rs"];

fn is_renderer(rel: &Path) -> bool {
    let rel = rel.display().to_string().replace('\\', "/");
    RENDERERS.iter().any(|r| rel.starts_with(r))
}

#[test]
fn every_output_is_a_renderer_that_reads_only_the_report_model() {
    // What a run computes, below the report: a renderer names none of it (the calendar's
    // months are values, like dates).
    const BELOW: [&str; 9] =
        ["analytics", "bureau", "collection", "config", "fx", "ingest", "monitor", "notify", "pool"];
    let mut wrong = Vec::new();
    for (rel, text) in modules() {
        if is_renderer(&rel) {
            for (i, _) in text.match_indices("crate::") {
                let path = &text[i + 7..];
                let module = &path[..path.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(0)];
                if BELOW.contains(&module) && !path.starts_with("analytics::calendar") {
                    wrong.push(format!("{}: crate::{module} (draw it from report::model)", rel.display()));
                }
            }
        } else if text.contains("impl Renderer for") {
            wrong.push(format!("{}: a renderer outside the renderers' files", rel.display()));
        }
        // Outside the report, outputs are chosen, never named.
        let outside = !rel.starts_with("report");
        for named in
            ["DataFiles", "ExcelWorkbook", "ManagementReport", "Dossiers {", "management_report(", "pdf::dossier("]
        {
            if outside && text.contains(named) {
                wrong.push(format!("{}: names {named}; use report::outputs::chosen", rel.display()));
            }
        }
    }
    let chosen = std::fs::read_to_string(root().join("src/report/outputs.rs")).unwrap();
    for r in ["DataFiles", "ExcelWorkbook", "ManagementReport", "Dossiers"] {
        assert!(chosen.contains(&format!("Box::new({r}")), "outputs::chosen does not choose {r}");
    }
    assert!(wrong.is_empty(), "the renderer rule is broken:\n{}", wrong.join("\n"));
}
