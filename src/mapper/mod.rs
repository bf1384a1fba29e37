//! `arwatch map`: from raw exports to a configuration that runs. Each file (each sheet of a
//! workbook) is looked at without a mapping; its header row, shape, columns, formats and
//! document types are proposed with their evidence, and written as `arwatch.toml` with a
//! mapping file per input beside it. What cannot be decided is said, never guessed.

mod column;
mod mapping_file;
mod proposal;
mod synonyms;

pub use proposal::{Pick, Proposal, Shape};

use crate::ingest::InputError;
use crate::ingest::table::sample;
use crate::output::write_atomic;
use chrono::NaiveDate;
use mapping_file::{mapping_toml, quoted};
use std::fmt::Write;
use std::path::{Component, Path, PathBuf};

/// Rows of each table looked at: as many as the run's own date detection uses.
const SAMPLE_ROWS: usize = 20_000;

/// Why `map` wrote nothing.
#[derive(Debug, thiserror::Error)]
pub enum MapError {
    /// A file cannot be read.
    #[error("{0}")]
    Input(#[from] InputError),
    /// A file holds no table arwatch can use.
    #[error("{file}: no row of its first 30 names two fields or more (client, invoice, date, amount…)\n  fix: {fix}")]
    NoTable {
        /// The file.
        file: String,
        /// What to do.
        fix: &'static str,
    },
    /// The configuration exists.
    #[error("{0} exists: arwatch map does not overwrite a configuration\n  fix: give another --out folder, or --force")]
    Exists(String),
    /// The files could not be written.
    #[error("cannot write {path}: {source}\n  fix: check that the folder is writable")]
    Write {
        /// What.
        path: String,
        /// Why.
        source: std::io::Error,
    },
}

/// What `map` made.
#[derive(Debug)]
pub struct Mapped {
    /// A proposal per input, with the mapping file it was written to.
    pub inputs: Vec<(Proposal, PathBuf)>,
    /// Sheets or files left out (no header found), with the reason.
    pub skipped: Vec<String>,
    /// The configuration written.
    pub config: PathBuf,
}

impl Mapped {
    /// Whether every input has its required fields.
    pub fn complete(&self) -> bool {
        self.inputs.iter().all(|(p, _)| !p.incomplete)
    }
}

/// Options of `arwatch map`.
#[derive(Clone, Debug)]
pub struct MapOptions {
    /// Where `arwatch.toml` and `mappings/` go.
    pub out: PathBuf,
    /// The currency of amounts when no column says it.
    pub currency: String,
    /// Overwrite an existing configuration.
    pub force: bool,
    /// The date open-items lists show, when given.
    pub snapshot: Option<NaiveDate>,
    /// Where the configuration sends the reports (its `out`, relative to it): `reports`, or
    /// beside the exports for files dropped on the program.
    pub reports: String,
}

/// `file` as seen from the folder `dir` (`../exports/oct.csv`), the way a configuration names
/// its inputs; absolute when there is no way from one to the other (another drive).
fn relative(file: &Path, dir: &Path) -> PathBuf {
    // Both absolute, `.` and `..` resolved as written (the run joins them the same way).
    let parts = |p: &Path| -> Option<(PathBuf, Vec<std::ffi::OsString>)> {
        let mut root = PathBuf::new();
        let mut names = Vec::new();
        for c in std::path::absolute(p).ok()?.components() {
            match c {
                Component::Prefix(_) | Component::RootDir => root.push(c),
                Component::CurDir => {}
                Component::ParentDir => {
                    names.pop();
                }
                Component::Normal(n) => names.push(n.to_os_string()),
            }
        }
        Some((root, names))
    };
    let (Some((file_root, f)), Some((dir_root, d))) = (parts(file), parts(dir)) else {
        return file.to_path_buf();
    };
    if file_root != dir_root {
        return std::path::absolute(file).unwrap_or_else(|_| file.to_path_buf());
    }
    let common = f.iter().zip(&d).take_while(|(a, b)| a == b).count();
    let mut out = PathBuf::new();
    for _ in common..d.len() {
        out.push("..");
    }
    for n in &f[common..] {
        out.push(n);
    }
    out
}

/// A file name for the mapping of `p`, unique among `taken`.
fn mapping_name(p: &Proposal, taken: &mut Vec<String>) -> String {
    let stem = p.file.file_stem().map(|s| s.to_string_lossy().to_string()).unwrap_or_else(|| "input".into());
    let base: String = match &p.sheet {
        Some(s) => format!("{stem}-{s}"),
        None => stem,
    }
    .chars()
    .map(|c| if c.is_alphanumeric() || c == '-' || c == '_' { c.to_ascii_lowercase() } else { '-' })
    .collect();
    let mut name = format!("{base}.toml");
    let mut n = 2;
    while taken.contains(&name) {
        name = format!("{base}-{n}.toml");
        n += 1;
    }
    taken.push(name.clone());
    name
}

/// Looks at `files`, writes `arwatch.toml` and its mappings under `opts.out`.
pub fn map(files: &[PathBuf], opts: &MapOptions) -> Result<Mapped, MapError> {
    let config = opts.out.join("arwatch.toml");
    if config.exists() && !opts.force {
        return Err(MapError::Exists(config.display().to_string()));
    }
    let mut inputs = Vec::new();
    let mut skipped = Vec::new();
    let mut taken = Vec::new();
    for file in files {
        let tables = sample(file, SAMPLE_ROWS)?;
        let before = inputs.len();
        for t in &tables {
            match proposal::propose(file, t, &opts.currency) {
                Some(mut p) => {
                    if p.preset.is_some() {
                        // The preset's columns replace the proposal's: only what the preset
                        // leaves to the user (Twinfield's journal codes) is left to decide.
                        p.undecided.clear();
                        p.notes.clear();
                        p.incomplete = false;
                        let table: toml::Table = toml::from_str(&mapping_toml(&p)).expect("a mapping arwatch wrote");
                        if let Err(e) = crate::ingest::preset::mapping_from(table).and_then(|m| m.resolve().map(|_| ()))
                        {
                            p.incomplete = true;
                            p.undecided.push(format!("{e} (see the preset's comments)"));
                        }
                    }
                    if p.shape == Shape::OpenItems && opts.snapshot.is_none() {
                        p.incomplete = true;
                        p.undecided.push(
                            "snapshot_date (required): the date this open-items list shows; give --snapshot-date \
                             YYYY-MM-DD, or set it in arwatch.toml"
                                .into(),
                        );
                    }
                    let name = mapping_name(&p, &mut taken);
                    inputs.push((p, PathBuf::from("mappings").join(name)));
                }
                None => skipped.push(match &t.sheet {
                    Some(s) => format!("{}, sheet '{s}': no header row found", file.display()),
                    None => format!("{}: no header row found", file.display()),
                }),
            }
        }
        if inputs.len() == before {
            return Err(MapError::NoTable {
                file: file.display().to_string(),
                fix: "export the list with its column titles (one row per document or payment)",
            });
        }
    }
    let write = |path: &Path, text: &str| {
        std::fs::create_dir_all(path.parent().unwrap_or(Path::new(".")))
            .and_then(|_| write_atomic(path, text.as_bytes()))
            .map_err(|source| MapError::Write { path: path.display().to_string(), source })
    };
    for (p, m) in &inputs {
        write(&opts.out.join(m), &mapping_toml(p))?;
    }
    write(&config, &config_toml(&inputs, opts))?;
    Ok(Mapped { inputs, skipped, config })
}

/// The configuration: the inputs (bureau ones apart) with their mappings.
fn config_toml(inputs: &[(Proposal, PathBuf)], opts: &MapOptions) -> String {
    let (currency, snapshot) = (opts.currency.as_str(), opts.snapshot);
    let mut t = String::new();
    let _ = writeln!(t, "# Proposed by `arwatch map`. Check it, then:");
    let _ = writeln!(t, "#   arwatch check --config arwatch.toml");
    let _ = writeln!(t, "#   arwatch run --config arwatch.toml");
    let _ = writeln!(t, "# Every key: docs/configuration.md.");
    let _ = writeln!(t, "company = \"\"                 # your company, as the reports name it");
    let _ = writeln!(t, "currency = {}", quoted(currency));
    let _ = writeln!(t, "out = {}", quoted(&opts.reports));
    // The handover needs statutory rates from each invoice's due date on (the shipped table
    // starts in 2019) and, for the 40 EUR compensation, an EUR rate: a ledger without them
    // runs with the handover off, and says so.
    let shipped_from = NaiveDate::from_ymd_opt(2019, 1, 1).expect("a date");
    let earliest = inputs
        .iter()
        .flat_map(|(p, _)| p.picks.iter().filter(|x| x.key.ends_with("date")).filter_map(|x| x.column.earliest))
        .min();
    let why_off = match earliest {
        Some(d) if d < shipped_from => Some(format!(
            "dates from {d}: the shipped statutory-interest table starts in 2019 (add older rates under [handover] rates to turn it on)"
        )),
        _ if currency != "EUR" => {
            Some(format!("amounts in {currency}: the 40 EUR compensation needs an EUR rate (fx_rates) to turn it on"))
        }
        _ => None,
    };
    if let Some(why) = why_off {
        let _ = writeln!(
            t,
            "
# The collection handover is off: {why}."
        );
        let _ = writeln!(
            t,
            "[handover]
enabled = false"
        );
    }
    for (p, m) in inputs {
        let table = match p.shape {
            Shape::Bureau => "bureau_inputs",
            Shape::Log => "log_inputs",
            Shape::Schedule => "schedule_inputs",
            _ => "inputs",
        };
        // Relative to the configuration, as it reads them: the folder can be moved or shared
        // with its exports, and works from wherever it is run.
        let file = relative(&p.file, &opts.out);
        let _ = writeln!(t, "\n[[{table}]]");
        let _ = writeln!(t, "file = {}", quoted(&file.to_string_lossy().replace('\\', "/")));
        let _ = writeln!(t, "mapping = {}", quoted(&m.to_string_lossy().replace('\\', "/")));
        if p.shape == Shape::OpenItems {
            match snapshot {
                Some(d) => {
                    let _ = writeln!(t, "snapshot_date = \"{d}\"");
                }
                None => {
                    let _ = writeln!(t, "# snapshot_date = \"YYYY-MM-DD\"   # required: the date this list shows");
                }
            }
        }
        if p.incomplete {
            let _ = writeln!(t, "# not usable yet: a required field is not decided (see the mapping's first lines)");
        }
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inputs_are_named_from_the_configuration_s_folder() {
        let r = |f: &str, d: &str| relative(Path::new(f), Path::new(d)).to_string_lossy().replace('\\', "/");
        assert_eq!(r("/data/acme/exports/oct.csv", "/data/acme/setup"), "../exports/oct.csv");
        assert_eq!(r("/data/acme/oct.csv", "/data/acme"), "oct.csv");
        assert_eq!(r("/data/acme/./setup/../oct.csv", "/data/acme/setup/x/.."), "../oct.csv");
        assert_eq!(r("/elsewhere/oct.csv", "/data/acme/setup"), "../../../elsewhere/oct.csv");
    }
}
