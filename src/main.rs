//! arwatch's command line: read the arguments and the configuration, run the asked step,
//! print what happened, exit with a code that says how it went (see `exit.rs`).

use arwatch::cli::{Cli, Command, Common};
use arwatch::config::{Config, Overrides};
use arwatch::exit::{self, AppError};
use arwatch::ingest::{Reject, SourceStats, Warning};
use arwatch::{pipeline, sample};
use clap::Parser;
use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;
use std::path::PathBuf;

// Ingestion and analytics make tens of millions of small allocations across two threads;
// mimalloc keeps and reuses freed memory per thread where the system allocator returns it to
// the kernel and faults it back in (measured: about 3 s of 15 at 10 million invoices).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `mi_option_purge_delay` (its position in `mi_option_e` of the mimalloc 3 that
/// libmimalloc-sys 0.1.49 builds; the Rust bindings do not name it). A test checks it.
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

fn main() {
    // Memory freed by one client is needed again by the next: keep it instead of handing it
    // back to the kernel and faulting it in again (measured ~0.5 s at 10M invoices, ~20 MB).
    // SAFETY: set once, before any other thread exists, as mimalloc requires.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) };
    arwatch::memory::no_huge_pages();
    exit::install_panic_hook();
    // Lets the tests check the hook end to end: the only way to make a bug on purpose.
    if std::env::var_os("ARWATCH_TEST_PANIC").is_some() {
        panic!("ARWATCH_TEST_PANIC is set");
    }
    let cli = Cli::parse();
    let code = match dispatch(&cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            e.exit_code()
        }
    };
    std::process::exit(code);
}

fn dispatch(cli: &Cli) -> Result<i32, AppError> {
    let common = &cli.common;
    match &cli.command {
        Command::Sample { seed } => {
            let dir = common.out.clone().unwrap_or_else(|| PathBuf::from("sample_data"));
            let set = sample::build(*seed);
            sample::write(&dir, &set).map_err(|e| AppError::output(&dir, e))?;
            say(
                common,
                &format!(
                    "sample data written to {}: {} clients, {} documents, {} payments, {} bureau rows",
                    dir.display(),
                    set.clients.len(),
                    set.documents.len(),
                    set.payments.len(),
                    set.bureau.len()
                ),
            );
            Ok(exit::OK)
        }
        Command::Check => {
            let config = load_config(common, None)?;
            let progress = Progress::new(common);
            let ing = pipeline::load(&config, &|n| progress.inc(n))?;
            progress.finish();
            print_inputs(common, &ing.stats, &ing.rejects, &ing.warnings);
            pipeline::check_threshold(&config, &ing)?;
            let as_of = pipeline::as_of(&config, &ing)?;
            pipeline::check_as_of(&ing, as_of)?;
            pipeline::check_currencies(&config, &ing)?;
            let bureau = pipeline::load_bureau(&config, &ing)?;
            print_inputs(common, &bureau.stats, &bureau.rejects, &bureau.warnings);
            pipeline::check_threshold_of(&config, &bureau.stats, &bureau.rejects)?;
            say(common, &format!("as-of date would be {as_of}; nothing written"));
            let warnings = ing.warnings.len() + bureau.warnings.len();
            Ok(warnings_code(&[&ing.rejects[..], &bureau.rejects[..]].concat(), warnings))
        }
        Command::Run { compare_with } => {
            let config = load_config(common, compare_with.clone())?;
            let progress = Progress::new(common);
            let out = pipeline::run(&config, &|n| progress.inc(n))?;
            progress.finish();
            print_inputs(common, &out.ingested.stats, &out.ingested.rejects, &out.ingested.warnings);
            print_inputs(common, &out.bureau.stats, &out.bureau.rejects, &out.bureau.warnings);
            if common.verbose {
                for w in &out.analysis.warnings {
                    eprintln!("warning: {w}");
                }
                let steps: Vec<String> =
                    out.timings.iter().map(|(s, d)| format!("{s} {:.2} s", d.as_secs_f64())).collect();
                eprintln!("time: {}", steps.join(", "));
            }
            match &out.compared_with {
                Some(p) => say(
                    common,
                    &format!(
                        "compared with the run of {}: {} alerts ({} risks, {} opportunities)",
                        p.file_stem().map(|s| s.to_string_lossy().to_string()).unwrap_or_default(),
                        out.alerts.len(),
                        out.alerts.iter().filter(|a| a.risk).count(),
                        out.alerts.iter().filter(|a| !a.risk).count()
                    ),
                ),
                None => say(
                    common,
                    "no earlier run saved under the output root: nothing to compare with yet (this run is saved for the next one)",
                ),
            }
            if !config.bureau_inputs.is_empty() {
                let m = &out.assessment.matched;
                say(
                    common,
                    &format!(
                        "bureau: {} snapshots, {} clients matched; no snapshot for {} clients{}; {} bureau companies are no client",
                        out.bureau.snapshots.len(),
                        m.latest.len(),
                        m.unmatched_clients.len(),
                        if m.unmatched_clients.is_empty() {
                            String::new()
                        } else {
                            format!(" ({})", m.unmatched_clients.iter().take(5).cloned().collect::<Vec<_>>().join(", "))
                        },
                        m.unmatched_companies.len()
                    ),
                );
            }
            for n in &out.notes {
                say(common, &format!("note: {n}"));
            }
            let p = &out.analysis.portfolio;
            say(
                common,
                &format!(
                    "as of {}: {} clients, net AR {} {}, countback DSO {:.1} days, data in {}",
                    out.analysis.as_of,
                    out.analysis.clients.len(),
                    arwatch::model::format_minor(p.sums.net_ar, config.currency.minor_digits()),
                    config.currency,
                    p.dso_countback,
                    out.data_dir.display()
                ),
            );
            let warnings = out.ingested.warnings.len() + out.bureau.warnings.len() + out.analysis.warnings.len();
            Ok(warnings_code(&[&out.ingested.rejects[..], &out.bureau.rejects[..]].concat(), warnings))
        }
    }
}

fn load_config(common: &Common, compare_with: Option<String>) -> Result<Config, AppError> {
    let path = common.config.clone().unwrap_or_else(|| PathBuf::from("arwatch.toml"));
    let overrides = Overrides { as_of: common.as_of, out: common.out.clone(), lang: common.lang, compare_with };
    Ok(Config::load(&path, &overrides)?)
}

/// Exit code 3 when the run completed but rows were rejected or warnings raised.
fn warnings_code(rejects: &[Reject], warnings: usize) -> i32 {
    let errors = rejects.iter().filter(|r| !r.benign).count();
    if errors > 0 || warnings > 0 { exit::DATA_WARNINGS } else { exit::OK }
}

fn say(common: &Common, line: &str) {
    if !common.quiet {
        println!("{line}");
    }
}

/// The per-input reconciliation: read = accepted + rejected, and the control totals.
fn print_inputs(common: &Common, stats: &[SourceStats], rejects: &[Reject], warnings: &[Warning]) {
    for s in stats {
        let totals: Vec<String> = s
            .control_totals
            .iter()
            .map(|(c, t)| {
                let d = arwatch::model::Currency::parse(c).map(|c| c.minor_digits()).unwrap_or(2);
                let f = |v| arwatch::model::format_minor(v, d);
                format!("{c} read {} = accepted {} + rejected {}", f(t.read), f(t.accepted), f(t.rejected))
            })
            .collect();
        let ok = s.reconciles();
        // Ledger inputs count documents and payments and have money totals; bureau inputs
        // have neither.
        let ledger = s.invoices + s.credit_notes + s.payments > 0 || !totals.is_empty();
        let content = if ledger {
            format!(
                " ({} invoices, {} credit notes, {} payments); {}",
                s.invoices,
                s.credit_notes,
                s.payments,
                totals.join(", ")
            )
        } else {
            String::new()
        };
        say(
            common,
            &format!(
                "{}: {} rows read = {} accepted + {} rejected{}{content}; {}",
                s.file,
                s.rows_read,
                s.accepted,
                s.rejected,
                if s.rejected_benign > 0 {
                    format!(" (of which {} blank, total or ignored)", s.rejected_benign)
                } else {
                    String::new()
                },
                if ok { "reconciles" } else { "DOES NOT RECONCILE" }
            ),
        );
    }
    if !common.quiet {
        let shown = if common.verbose { usize::MAX } else { 5 };
        for r in rejects.iter().filter(|r| !r.benign).take(shown) {
            eprintln!(
                "rejected: {}, {}, column '{}', value {:?}: {}",
                r.source, r.location, r.column, r.value, r.reason
            );
        }
        for w in warnings.iter().take(shown) {
            eprintln!("warning: {}, {}: {}", w.source, w.location, w.message);
        }
        let hidden =
            rejects.iter().filter(|r| !r.benign).count().saturating_sub(shown) + warnings.len().saturating_sub(shown);
        if hidden > 0 {
            eprintln!("… and {hidden} more (use -v, or see data/rejected.csv and data/warnings.csv)");
        }
    }
}

/// A row counter on stderr, only when stderr is a terminal and not quiet.
struct Progress(Option<ProgressBar>);

impl Progress {
    fn new(common: &Common) -> Progress {
        if common.quiet || !std::io::stderr().is_terminal() {
            return Progress(None);
        }
        let pb = ProgressBar::new_spinner();
        pb.set_style(
            ProgressStyle::with_template("{spinner} {pos} rows read ({per_sec})")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        Progress(Some(pb))
    }
    fn inc(&self, n: u64) {
        if let Some(pb) = &self.0 {
            pb.inc(n);
        }
    }
    fn finish(&self) {
        if let Some(pb) = &self.0 {
            pb.finish_and_clear();
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_purge_delay_option_is_the_one_set() {
        // Its default in this mimalloc (options.c) is 1000 ms; the options beside it default
        // to 1 and 0, so a shifted enum fails here.
        // SAFETY: reading an option has no preconditions.
        assert_eq!(unsafe { libmimalloc_sys::mi_option_get(super::MI_OPTION_PURGE_DELAY) }, 1000);
    }
}
