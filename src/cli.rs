//! The command line: subcommands, shared flags and their help texts.

use crate::locale::Lang;
use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

/// What `arwatch --version` says: the version, the commit, the target and the features, so a
/// report of a problem names the exact build.
pub const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (commit ",
    env!("ARWATCH_COMMIT"),
    ", ",
    env!("ARWATCH_TARGET"),
    ", features: ",
    env!("ARWATCH_FEATURES"),
    ")"
);

#[derive(Parser, Debug)]
#[command(
    name = "arwatch",
    version = VERSION,
    about = "Watches accounts receivable: aging, DSO, payment behaviour, alerts and reports from your own exports.",
    long_about = "arwatch reads accounting exports (CSV, XLSX) through mapping files, computes per client \
aging, the DSO family and payment behaviour at an as-of date, and writes data files and reports.\n\n\
Exit codes: 0 ok; 1 internal error; 2 usage or configuration error; 3 done with data warnings \
(rows rejected within the threshold, or warnings); 4 input error; 5 output error; 6 done, but the \
alerts' digest could not be sent ([notify]).",
    after_help = "Examples:\n  arwatch run --config sample_data/arwatch.toml\n  arwatch check --config my.toml --as-of 2026-10-31\n  arwatch sample --out sample_data"
)]
/// The command line: a command and the options every command takes.
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
    /// Options of every command.
    #[command(flatten)]
    pub common: Common,
}

/// Flags every subcommand takes.
#[derive(Args, Debug, Clone, Default)]
pub struct Common {
    /// Configuration file (default: ./arwatch.toml).
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// As-of date, overriding the configuration (default: the last month end in the data).
    #[arg(long, global = true, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub as_of: Option<NaiveDate>,
    /// Output root, overriding the configuration; a run writes <out>/<YYYY-MM>/ (for map: the folder
    /// of arwatch.toml and mappings/, default the current folder).
    #[arg(long, global = true, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Report language, overriding the configuration.
    #[arg(long, global = true, value_parser = lang_values())]
    pub lang: Option<Lang>,
    /// Print only errors.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Print every warning and rejected row, not only the counts, and each stage's wall and CPU time.
    #[arg(short, long, global = true)]
    pub verbose: bool,
}

/// arwatch's commands.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run the whole pipeline: ingest, analyse, compare with the last run, write data files and reports.
    #[command(
        after_help = "Examples:\n  arwatch run --config sample_data/arwatch.toml --as-of 2026-09-30\n  arwatch run --config sample_data/arwatch.toml\n  arwatch run --config sample_data/arwatch.toml --compare-with 2026-08-31\n\n\
Writes <out>/<YYYY-MM>/: arwatch-YYYY-MM.xlsx, arwatch-YYYY-MM.pdf, handover/<client>.pdf, and\n\
data/{clients,monthly,open_items,alerts,opportunities,actions,handover,rejected,warnings}.csv\n\
with summary.json; saves the run in <out>/history/<as-of>.csv for the next run to compare with;\n\
then sends the new alerts' digest to the channels of [notify] (remembered in history/sent.csv)."
    )]
    Run {
        /// Compare with this saved run (a history file, or its as-of date) instead of the latest earlier one.
        #[arg(long, value_name = "FILE|DATE")]
        compare_with: Option<String>,
        /// Send no digest of the alerts, whatever [notify] says (a trial run).
        #[arg(long)]
        no_notify: bool,
        /// Also write every data file as Parquet (as [outputs] parquet = true).
        #[arg(long)]
        parquet: bool,
    },
    /// Validate the inputs and print a data-quality summary; writes nothing.
    #[command(after_help = "Example:\n  arwatch check --config sample_data/arwatch.toml\n\n\
Prints, per input, rows read, accepted and rejected, and the control totals, and whether they reconcile.")]
    Check,
    /// Regenerate the deterministic sample data set (CSV with Belgian conventions, and XLSX).
    #[command(after_help = "Examples:\n  arwatch sample --out sample_data --seed 2026\n  \
arwatch sample --portfolios 12 --out portfolios     (then: arwatch batch portfolios/manifest.toml)")]
    Sample {
        /// Seed of the generator; the same seed gives the same files.
        #[arg(long, default_value_t = 2026)]
        seed: u64,
        /// Write this many creditors' sample sets (different sizes and languages, some
        /// debtors shared) and their batch manifest, instead of one set.
        #[arg(long, value_name = "N")]
        portfolios: Option<usize>,
        /// Write three years of N generated clients' invoices, payments and bureau snapshots,
        /// some heading for failure, with the truth in failures.csv (docs/monitoring.md, the
        /// early-warning record), instead of the sample set.
        #[arg(long, value_name = "N", conflicts_with = "portfolios")]
        histories: Option<usize>,
    },
    /// Look at raw exports and write a configuration and mappings that run (arwatch.toml in --out,
    /// default the current folder).
    #[command(after_help = "Examples:\n  arwatch map exports/facturen.csv exports/betalingen.csv\n  \
arwatch map --out klant-x --currency EUR --preview 'Debiteuren 2026.xlsx'\n\n\
Each file (each sheet of a workbook) gets a mapping in mappings/, with the evidence of every choice\n\
in comments and what could not be decided at the top. Exits 0 when every input is complete, 3 when\n\
a required field is left to decide. Then: arwatch check, arwatch run.")]
    Map {
        /// The exports: CSV or text, XLSX, XLS, ODS.
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        /// The currency of amounts when no column says it.
        #[arg(long, default_value = "EUR")]
        currency: String,
        /// Then read the inputs with the proposed mappings and print their first rows and totals.
        #[arg(long)]
        preview: bool,
        /// Overwrite an existing arwatch.toml.
        #[arg(long)]
        force: bool,
        /// The date open-items lists show (what was unpaid on that day).
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
        snapshot_date: Option<NaiveDate>,
    },
    /// Run many portfolios listed in a manifest, several at once, and summarise them.
    #[command(
        after_help = "Examples:\n  arwatch batch portfolios.toml\n  arwatch batch portfolios.toml --only-failed\n  \
arwatch batch portfolios.toml --shard auto        (in a Slurm array job or a Kubernetes Indexed Job)\n  \
arwatch batch portfolios.toml --merge-summaries   (after the shards)\n\n\
The manifest lists [[portfolio]] entries (name, config, and optional as_of, out, lang), or is a CSV\n\
name,config,as_of,out,lang. Each portfolio runs as arwatch run would, in worker processes (a crash\n\
stops only its portfolio); one whose inputs and configuration are unchanged since its last\n\
successful run is skipped. Writes batch-summary.csv and batch-summary.json at the batch's root\n\
(the manifest's out, or --out). Exit code: the most serious of the portfolios' (0 all ok, 3 some\n\
with warnings, 4 or 2 some failed)."
    )]
    Batch {
        /// The manifest (TOML, or CSV by its extension).
        manifest: PathBuf,
        /// Portfolios at once (default: as many as memory and cores allow).
        #[arg(long)]
        jobs: Option<usize>,
        /// Run every portfolio, changed or not.
        #[arg(long)]
        force: bool,
        /// Run only the portfolios whose last run failed.
        #[arg(long, conflicts_with = "force")]
        only_failed: bool,
        /// Run this share of the manifest: I/N, or auto (Slurm array, Kubernetes Indexed Job).
        #[arg(long, value_name = "I/N|auto")]
        shard: Option<String>,
        /// Join the shards' summaries into batch-summary.csv and .json; runs nothing.
        #[arg(long, conflicts_with_all = ["force", "only_failed", "shard"])]
        merge_summaries: bool,
        /// Also write Parquet, laid out for the whole batch: <out>/parquet/<table>/portfolio=<name>/as_of=<date>/.
        #[arg(long)]
        parquet: bool,
    },
    /// Pool many portfolios' contributions: per debtor, how it pays all its creditors, and for
    /// each contributor how its clients pay the others.
    #[command(after_help = "Examples:\n  arwatch pool portfolios/batch --out pool\n  \
arwatch pool agency/ insurer/ --out pool --as-of 2026-10-31 --min-creditors 4\n\n\
Reads every pool/contribution.parquet under the folders (written by runs with [pool] contribute = true),\n\
each contributor's latest of the month, and writes <out>/<YYYY-MM>/debtors.csv (for the pool's keeper)\n\
and <out>/<YYYY-MM>/elsewhere/<contributor>.csv (each contributor's clients' experience elsewhere,\n\
without its own contribution), with Parquet twins. A figure is published only when at least\n\
--min-creditors creditors stand behind it and none holds more than --max-share of it (docs/pooling.md).")]
    Pool {
        /// Folders holding contributions (searched at any depth).
        #[arg(required = true, value_name = "DIR")]
        dirs: Vec<PathBuf>,
        /// Creditors a figure needs before it is published (never below 3).
        #[arg(long, default_value_t = 3)]
        min_creditors: usize,
        /// The largest share of a figure's weight one creditor may hold (0.5–0.9).
        #[arg(long, default_value_t = 0.75)]
        max_share: f64,
    },
    /// Print a shell's completion script for arwatch.
    #[command(
        after_help = "Examples:\n  arwatch completions bash > ~/.local/share/bash-completion/completions/arwatch\n  \
arwatch completions zsh > ~/.zfunc/_arwatch\n  arwatch completions powershell >> $PROFILE"
    )]
    Completions {
        /// bash, zsh, fish, powershell or elvish.
        shell: clap_complete::Shell,
    },
    /// Print arwatch's man page (roff).
    #[command(after_help = "Example:\n  arwatch man > ~/.local/share/man/man1/arwatch.1 && man arwatch")]
    Man,
    /// Runs the portfolios `arwatch batch` hands it on its input, one after another; not for use
    /// by hand (`batch::worker`).
    #[command(name = "batch-worker", hide = true)]
    BatchWorker,
}

/// `--as-of`'s and `--compare-with`'s dates, said wrong as the configuration says them.
fn parse_date(s: &str) -> Result<NaiveDate, crate::ingest::parse::NotADate> {
    crate::ingest::parse::iso_date(s)
}

/// `--lang`'s values, listed in the help as clap lists an enum's.
fn lang_values() -> impl clap::builder::TypedValueParser<Value = Lang> {
    use clap::builder::{PossibleValuesParser, TypedValueParser};
    // The listed values are exactly the ones `Lang::parse` reads, so the fallback is never taken.
    PossibleValuesParser::new(["en", "nl", "fr"]).map(|s| Lang::parse(&s).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_batch_starts_its_workers_by_the_hidden_command_s_name() {
        let cli = Cli::try_parse_from(["arwatch", crate::batch::worker::COMMAND]).unwrap();
        assert!(matches!(cli.command, Command::BatchWorker));
        let help = Cli::command().render_long_help().to_string();
        assert!(!help.contains(crate::batch::worker::COMMAND), "not for use by hand: {help}");
    }
}
