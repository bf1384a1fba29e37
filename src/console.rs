//! What the command line prints: each input's reconciliation, the first rejected rows and
//! warnings, a run's summary, and a row counter while reading.

use crate::analytics::as_of::AsOf;
use crate::batch::BatchOutcome;
use crate::cli::Common;
use crate::config::Config;
use crate::exit_code::ExitCode;
use crate::ingest::{Reject, SourceStats, Warning};
use crate::locale::Lang;
use crate::mapper::Mapped;
use crate::model::{ClientIx, Currency, Ledger, Money, format_minor};
use crate::pipeline::{Analysed, RunOutput};
use indicatif::{ProgressBar, ProgressStyle};
use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::path::Path;

/// Prints a line on stdout unless `-q`.
pub fn say(common: &Common, line: &str) {
    if !common.quiet {
        println!("{line}");
    }
}

/// The per-input reconciliation: read = accepted + rejected, and the control totals; then the
/// first rejected rows and warnings on stderr (all of them with `-v`).
pub fn inputs(common: &Common, stats: &[SourceStats], rejects: &[Reject], warnings: &[Warning]) {
    for s in stats {
        say(common, &reconciliation(s));
    }
    if common.quiet {
        return;
    }
    let shown = if common.verbose { usize::MAX } else { 5 };
    for r in rejects.iter().filter(|r| !r.benign).take(shown) {
        eprintln!("rejected: {}, {}, column '{}', value {:?}: {}", r.source, r.location, r.column, r.value, r.reason);
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

/// How a run or check that finished ends: success, or warnings (exit code 3) when a row was
/// rejected or anything warned about, the kinds `[warnings] accept` names aside.
pub fn data_code(a: &Analysed) -> ExitCode {
    let t = a.tally();
    ExitCode::done(t.errors, t.warnings)
}

/// Why a run or check ends with exit code 3: the rejected rows by input and column, the
/// warnings by kind, and where to read them all. Nothing when there is nothing to say.
pub fn why_warnings(common: &Common, a: &Analysed, data_dir: Option<&Path>) {
    let tally = a.tally();
    if !tally.accepted.is_empty() {
        let kinds = counted(tally.accepted.iter().map(|(k, n)| (k.to_string(), *n)));
        say(common, &format!("accepted as configured ([warnings] accept), no exit code 3 for them: {kinds}"));
    }
    let accepted = |kind: &str| a.accepted.accepts(kind);
    let rejects: Vec<&Reject> = a
        .quality
        .rejects
        .iter()
        .chain(&a.bureau.rejects)
        .chain(&a.log.rejects)
        .filter(|r| !(r.benign || accepted(r.kind())))
        .collect();
    let warnings: Vec<&Warning> = a
        .quality
        .warnings
        .iter()
        .chain(&a.bureau.warnings)
        .chain(&a.log.warnings)
        .chain(&a.run_warnings)
        .filter(|w| !accepted(w.kind))
        .collect();
    let others = if accepted("analysis") { 0 } else { a.analysis.warnings.len() };
    let incomplete = a.as_of_choice.incomplete.filter(|_| !accepted("incomplete_month"));
    if rejects.is_empty() && warnings.is_empty() && others == 0 && incomplete.is_none() {
        return;
    }
    let mut parts = Vec::new();
    if let Some(x) = incomplete {
        parts.push(format!("the month looks incomplete ({} invoices against a usual {})", x.invoices, x.usual));
    }
    if !rejects.is_empty() {
        let mut by: BTreeMap<(&str, &str), usize> = BTreeMap::new();
        for r in &rejects {
            *by.entry((r.source.as_str(), r.column.as_str())).or_default() += 1;
        }
        let rows = if rejects.len() == 1 { "row" } else { "rows" };
        parts.push(format!(
            "{} {rows} rejected ({})",
            rejects.len(),
            counted(by.into_iter().map(|((s, c), n)| (format!("{s} {c}"), n)))
        ));
    }
    if !warnings.is_empty() {
        let mut by: BTreeMap<&str, usize> = BTreeMap::new();
        for w in &warnings {
            *by.entry(w.kind).or_default() += 1;
        }
        let what = if warnings.len() == 1 { "warning" } else { "warnings" };
        parts.push(format!("{} {what} ({})", warnings.len(), counted(by.into_iter().map(|(k, n)| (k.to_string(), n)))));
    }
    if others > 0 {
        let what = if others == 1 { "payment" } else { "payments" };
        parts.push(format!("{others} {what} not applied as written (unknown references, reversals)"));
    }
    let place = match data_dir {
        Some(d) => format!("every one is in {} and warnings.csv", d.join("rejected.csv").display()),
        None => "`-v` lists every one; `arwatch run` writes them to data/rejected.csv and data/warnings.csv".into(),
    };
    say(common, &format!("exit code 3, done with data warnings: {}; {place}", parts.join(", ")));
}

/// `a 3, b 1` for counts, the largest first, at most five and how many more.
fn counted(counts: impl Iterator<Item = (String, usize)>) -> String {
    let mut v: Vec<(String, usize)> = counts.collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let more = v.len().saturating_sub(5);
    let mut out: Vec<String> = v.into_iter().take(5).map(|(k, n)| format!("{k}: {n}")).collect();
    if more > 0 {
        out.push(format!("{more} more"));
    }
    out.join(", ")
}

/// What `arwatch map` proposed for each input, with the evidence, and what is left to decide.
pub fn mapped(common: &Common, m: &Mapped) {
    for (p, file) in &m.inputs {
        let source = match &p.sheet {
            Some(s) => format!("{}, sheet '{s}'", p.file.display()),
            None => p.file.display().to_string(),
        };
        say(common, &format!("{source}: {} ({}) → {}", p.shape.rows(), p.why, file.display()));
        if let Some(name) = p.preset {
            say(common, &format!("  the columns of the shipped preset {name}: the mapping names it"));
        }
        for pick in p.picks.iter().filter(|_| p.preset.is_none()) {
            let c = &pick.column;
            say(
                common,
                &format!(
                    "  {:<22} ← {:<24} {} · {} of {} filled · {}",
                    pick.key,
                    format!("'{}'", c.header),
                    c.examples.iter().map(|e| e.chars().take(20).collect::<String>()).collect::<Vec<_>>().join(" | "),
                    c.filled,
                    c.rows,
                    pick.confidence()
                ),
            );
        }
        if let Some(c) = &p.fixed_currency {
            say(common, &format!("  no currency column: every amount is in {c} (--currency to change)"));
        }
        for n in &p.notes {
            say(common, &format!("  note: {n}"));
        }
        for u in &p.undecided {
            say(common, &format!("  not decided: {u}"));
        }
    }
    for s in &m.skipped {
        say(common, &format!("left out: {s}"));
    }
    let next = if m.complete() {
        format!("next: arwatch check --config {}", m.config.display())
    } else {
        "a required field is not decided: edit the mapping before the first run".to_string()
    };
    say(common, &format!("wrote {} and {} mapping file(s); {next}", m.config.display(), m.inputs.len()));
}

/// The first documents and payments as the ledger holds them, for `map --preview`.
pub fn preview(common: &Common, ledger: &Ledger) {
    let client = |c: ClientIx| ledger.clients.get(c as usize).map(|c| c.id.as_str()).unwrap_or("?");
    say(common, "first documents as read: client, document, kind, issue date, due date, amount");
    for d in ledger.documents.iter().take(5) {
        say(
            common,
            &format!(
                "  {} · {} · {:?} · {} · {} · {} {}",
                client(d.client),
                ledger.texts.get(d.id),
                d.kind,
                d.issue,
                d.due,
                Money::new(d.amount, d.currency),
                d.currency
            ),
        );
    }
    say(common, "first payments as read: client, payment, date, amount (negative: a reversal), reference");
    for p in ledger.payments.iter().take(5) {
        say(
            common,
            &format!(
                "  {} · {} · {} · {} {} · {}",
                client(p.client),
                ledger.texts.get(p.id),
                p.date,
                Money::new(p.amount, p.currency),
                p.currency,
                p.reference.map(|r| ledger.texts.get(r)).unwrap_or("")
            ),
        );
    }
}

/// One input's line: `file: N rows read = A accepted + R rejected (…); totals; reconciles`.
fn reconciliation(s: &SourceStats) -> String {
    let totals: Vec<String> = s
        .control_totals
        .iter()
        .map(|(c, t)| {
            let d = Currency::parse(c).map(|c| c.minor_digits()).unwrap_or(2);
            let f = |v| format_minor(v, d);
            format!("{c} read {} = accepted {} + rejected {}", f(t.read), f(t.accepted), f(t.rejected))
        })
        .collect();
    // Ledger inputs count documents and payments and have money totals; bureau inputs
    // have neither.
    let ledger = s.invoices + s.credit_notes + s.payments > 0 || !totals.is_empty();
    let outside = if s.rejected_without_amount > 0 {
        let n = s.rejected_without_amount;
        let (rows, are) = if n == 1 { ("row", "is") } else { ("rows", "are") };
        format!(" ({n} rejected {rows} without a readable amount {are} outside these totals)")
    } else {
        String::new()
    };
    let content = if ledger {
        format!(
            " ({} invoices, {} credit notes, {} payments); {}{outside}",
            s.invoices,
            s.credit_notes,
            s.payments,
            totals.join(", ")
        )
    } else {
        String::new()
    };
    format!(
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
        if s.reconciles() { "reconciles" } else { "DOES NOT RECONCILE" }
    )
}

/// Which as-of date, and why; a warning when its month looks incomplete.
pub fn as_of(common: &Common, a: &AsOf) {
    say(common, &format!("as-of date {}: {}", a.date, a.why(Lang::En)));
    if let Some(w) = a.warning(Lang::En) {
        eprintln!("warning: {w}");
    }
}

/// After a run: the inputs, what was compared, the bureau match, notes and the headline.
pub fn run_summary(common: &Common, config: &Config, out: &RunOutput) {
    let a = &out.analysed;
    inputs(common, &a.quality.stats, &a.quality.rejects, &a.quality.warnings);
    inputs(common, &a.bureau.stats, &a.bureau.rejects, &a.bureau.warnings);
    inputs(common, &a.log.stats, &a.log.rejects, &a.log.warnings);
    as_of(common, &a.as_of_choice);
    if !common.quiet {
        for w in &a.run_warnings {
            eprintln!("warning: {}: {}", w.source, w.message);
        }
    }
    if common.verbose {
        for w in &a.analysis.warnings {
            eprintln!("warning: {w}");
        }
        let steps: Vec<String> = a.timings.iter().map(|(s, lap)| lap.describe(s)).collect();
        eprintln!("time: {}", steps.join(", "));
    }
    match &a.compared_with {
        Some(p) => say(
            common,
            &format!(
                "compared with the run of {}: {} alerts ({} risks, {} opportunities)",
                p.file_stem().map(|s| s.to_string_lossy().to_string()).unwrap_or_default(),
                a.alerts.len(),
                a.alerts.iter().filter(|x| x.risk).count(),
                a.alerts.iter().filter(|x| !x.risk).count()
            ),
        ),
        // Not "no earlier run": a re-run of the month has one saved, of the same date.
        None => say(
            common,
            &format!(
                "no month-end run before {} is saved under the output root: nothing to compare with yet \
                 (this run is saved for the next month's)",
                a.as_of
            ),
        ),
    }
    if !config.bureau_inputs.is_empty() {
        let m = &a.assessment.matched;
        let named = if m.unmatched_clients.is_empty() {
            String::new()
        } else {
            format!(" ({})", m.unmatched_clients.iter().take(5).cloned().collect::<Vec<_>>().join(", "))
        };
        let others = if config.watchlist.is_some() {
            format!(
                "{} watched companies matched; {} bureau companies are neither a client nor watched",
                m.watched.len(),
                m.unmatched_companies.len()
            )
        } else {
            format!("{} bureau companies are no client", m.unmatched_companies.len())
        };
        say(
            common,
            &format!(
                "bureau: {} snapshots, {} clients matched; no snapshot for {} clients{named}; {others}",
                a.bureau.rows.len(),
                m.latest.len(),
                m.unmatched_clients.len(),
            ),
        );
    }
    for n in &out.written.notes {
        say(common, &format!("note: {n}"));
    }
    for d in &out.delivered {
        let channel = d.channel.label();
        let earlier =
            if d.already_sent > 0 { format!(" ({} sent by an earlier run)", d.already_sent) } else { String::new() };
        match &d.error {
            // A failure is an error line even when quiet: the outputs are in place, the
            // digest is not.
            Some(e) if d.sent > 0 => {
                eprintln!("error: {channel}: {} alerts sent, but {e}; a re-run may send them again", d.sent)
            }
            Some(e) => eprintln!(
                "error: alerts not sent by {channel}: {e} (the month's outputs are in place; a re-run sends them)"
            ),
            None if d.sent == 0 => say(common, &format!("{channel}: no new alert to send{earlier}")),
            None => say(common, &format!("{channel}: {} alerts sent{earlier}", d.sent)),
        }
    }
    let p = &a.analysis.portfolio;
    say(
        common,
        &format!(
            "as of {}: {} clients, net AR {} {}, countback DSO {}, data in {}",
            a.analysis.as_of,
            a.analysis.clients.len(),
            Money::new(p.sums.net_ar, config.currency),
            config.currency,
            p.dso_countback.map_or("not available (an open-items snapshot)".to_string(), |d| format!("{d:.1} days")),
            out.written.data_dir.display()
        ),
    );
}

/// A batch's progress on stderr (portfolios done, failed, running), only on a terminal.
pub struct BatchProgress(Option<ProgressBar>);

impl BatchProgress {
    /// A bar, or nothing when quiet or not on a terminal.
    pub fn new(common: &Common) -> BatchProgress {
        if common.quiet || !std::io::stderr().is_terminal() {
            return BatchProgress(None);
        }
        let pb = ProgressBar::new(0);
        pb.set_style(
            ProgressStyle::with_template("{bar:30} {pos}/{len} portfolios {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        BatchProgress(Some(pb))
    }

    /// A portfolio ended.
    pub fn tell(&self, done: usize, failed: usize, running: usize, total: usize) {
        if let Some(pb) = &self.0 {
            pb.set_length(total as u64);
            pb.set_position(done as u64);
            pb.set_message(format!("({failed} failed, {running} running)"));
        }
    }

    /// Clears the bar.
    pub fn finish(&self) {
        if let Some(pb) = &self.0 {
            pb.finish_and_clear();
        }
    }
}

/// One line per portfolio, then the counts and where the summary is.
pub fn batch_summary(common: &Common, b: &BatchOutcome) {
    for r in &b.rows {
        let why = if r.message.is_empty() { String::new() } else { format!(": {}", r.message) };
        say(common, &format!("{}: {} (exit {}, {:.1} s){why}", r.portfolio, r.status, r.exit_code, r.duration_s));
    }
    let n = |s: &str| b.rows.iter().filter(|r| r.status == s).count();
    say(
        common,
        &format!(
            "batch: {} ok, {} with warnings, {} failed, {} skipped; summary in {}",
            n("ok"),
            n("warnings"),
            n("failed"),
            n("skipped"),
            b.summary.display()
        ),
    );
}

/// What the pool step read and wrote.
#[cfg(feature = "parquet")]
pub fn pooled(common: &Common, p: &crate::pool::Pooled) {
    say(
        common,
        &format!(
            "pool as of {}: {} contributions, {} debtors; debtors.csv and elsewhere/ for {} contributors in {}",
            p.as_of,
            p.files,
            p.debtors,
            p.contributors,
            p.folder.display()
        ),
    );
}

/// A row counter on stderr, only when stderr is a terminal and not quiet.
pub struct Progress(Option<ProgressBar>);

impl Progress {
    /// A spinner counting rows, or nothing.
    pub fn new(common: &Common) -> Progress {
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

    /// `n` more rows read.
    pub fn inc(&self, n: u64) {
        if let Some(pb) = &self.0 {
            pb.inc(n);
        }
    }

    /// Clears the counter.
    pub fn finish(&self) {
        if let Some(pb) = &self.0 {
            pb.finish_and_clear();
        }
    }
}
