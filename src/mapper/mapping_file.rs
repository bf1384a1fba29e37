//! A proposal written as a mapping file a person can check: every choice with its evidence in
//! a comment, what was not decided at the top.

use super::proposal::{Pick, Proposal};
use std::fmt::Write;

/// A TOML string, quoted and escaped.
pub fn quoted(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// How a column is named in the mapping: its header, or `#N` when two columns share it.
fn column_ref(p: &Proposal, pick: &Pick) -> String {
    let same = p.picks.iter().filter(|x| x.column.header == pick.column.header).count();
    if same > 1 || pick.column.header.is_empty() {
        format!("#{}", pick.column.index + 1)
    } else {
        pick.column.header.clone()
    }
}

fn evidence(pick: &Pick) -> String {
    let c = &pick.column;
    let examples: Vec<String> = c.examples.iter().map(|e| e.chars().take(24).collect()).collect();
    format!("{} · {} of {} filled · {}", examples.join(" | "), c.filled, c.rows, pick.confidence())
}

/// The mapping file's text.
pub fn mapping_toml(p: &Proposal) -> String {
    let mut t = String::new();
    let source = match &p.sheet {
        Some(s) => format!("{}, sheet '{s}'", p.file.display()),
        None => p.file.display().to_string(),
    };
    let _ = writeln!(t, "# Proposed by `arwatch map` for {source}.");
    let _ = writeln!(t, "# {} rows looked at. Check the lines marked low, and what was not decided:", p.rows);
    if p.undecided.is_empty() {
        let _ = writeln!(t, "# nothing.");
    }
    for u in &p.undecided {
        let _ = writeln!(t, "# - {u}");
    }
    for n in &p.notes {
        let _ = writeln!(t, "# Note: {n}");
    }
    if let Some(name) = p.preset {
        let what = crate::ingest::preset::PRESETS.iter().find(|(n, _, _)| *n == name).map_or("", |(_, w, _)| *w);
        let _ = writeln!(t, "\n# The header is that of a shipped preset: {what}.");
        let _ = writeln!(t, "# Its columns are in presets/{name}.toml; override any of them below.");
        let _ = writeln!(t, "preset = {}", quoted(name));
    } else {
        let _ = writeln!(t, "\n# {}: {}", p.shape.rows(), p.why);
        let _ = writeln!(t, "rows = {}", quoted(p.shape.rows()));
    }
    if let Some(s) = &p.sheet {
        let _ = writeln!(t, "sheet = {}", quoted(s));
    }
    if let Some(d) = p.delimiter {
        let d = if d == b'\t' { "tab".to_string() } else { (d as char).to_string() };
        let _ = writeln!(t, "delimiter = {}", quoted(&d));
    }
    if let Some(e) = p.encoding {
        let _ = writeln!(t, "encoding = {}", quoted(&e.to_ascii_lowercase()));
    }
    if p.skip_rows > 0 {
        let _ = writeln!(t, "skip_rows = {}              # rows above the header", p.skip_rows);
    }
    if let Some(d) = p.decimal {
        let _ = writeln!(t, "decimal = {}", quoted(&d.to_string()));
    }
    if p.payments_negative {
        let _ = writeln!(t, "payments_negative = true     # most payment lines are negative");
    }
    if p.preset.is_some() {
        return t;
    }
    let _ = writeln!(t, "\n[columns]");
    let width = p.picks.iter().map(|x| x.key.len() + column_ref(p, x).len() + 6).max().unwrap_or(0);
    for pick in &p.picks {
        let line = format!("{} = {}", pick.key, quoted(&column_ref(p, pick)));
        let _ = writeln!(t, "{line:width$}# {}", evidence(pick));
    }
    if !p.date_formats.is_empty() {
        let _ = writeln!(t, "\n[column_date_formats]");
        for (key, f) in &p.date_formats {
            let _ = writeln!(t, "{key} = [{}]", quoted(&f.describe()));
        }
    }
    if let Some(c) = &p.fixed_currency {
        let _ = writeln!(t, "\n[fixed]");
        let _ = writeln!(t, "currency = {}             # no currency column: every amount is in {c}", quoted(c));
    }
    if !p.doc_types.is_empty() {
        let _ = writeln!(t, "\n[doc_types]");
        for (kind, values) in &p.doc_types {
            let list: Vec<String> = values.iter().map(|v| quoted(v)).collect();
            let _ = writeln!(t, "{kind} = [{}]", list.join(", "));
        }
    }
    t
}
