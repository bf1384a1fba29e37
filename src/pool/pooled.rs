//! The pool step: many portfolios' contributions read lazily with polars (thousands of files,
//! tens of millions of rows, aggregated as they stream), then per debtor the pooled figures
//! and, for each contributor, its clients' experience elsewhere: the same figures without its
//! own contribution, each under disclosure control.

use super::disclosure::{Rules, Withheld, band};
use super::error::PoolError;
use crate::analytics::calendar::{self, Month};
use crate::analytics::metrics::slope;
use chrono::NaiveDate;
use polars::prelude::*;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// Sums over a stretch of months: counts and amount-weighted sums of invoices settled.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Sums {
    /// Invoices settled.
    pub paid: i128,
    /// Of those, settled after their due date.
    pub late: i128,
    /// Σ amount settled (minor units).
    pub amount: i128,
    /// Σ amount × days late.
    pub amount_days_late: i128,
}

impl Sums {
    fn add(&mut self, o: &Sums) {
        self.paid += o.paid;
        self.late += o.late;
        self.amount += o.amount;
        self.amount_days_late += o.amount_days_late;
    }

    fn sub(&mut self, o: &Sums) {
        self.paid -= o.paid;
        self.late -= o.late;
        self.amount -= o.amount;
        self.amount_days_late -= o.amount_days_late;
    }

    fn wadl(&self) -> Option<f64> {
        (self.amount > 0).then(|| self.amount_days_late as f64 / self.amount as f64)
    }
}

/// One creditor's part in a debtor's figures.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Share {
    /// The contributor, as its contribution names it.
    pub contributor: String,
    /// The 12 months to the pool's month.
    pub now: Sums,
    /// The 12 months to the month before (for the change month over month).
    pub before: Sums,
    /// Each of the last 6 months, oldest first (for the trend).
    pub months: [Sums; 6],
    /// Net AR at the as-of date.
    pub exposure: i128,
    /// Σ open on invoices at the as-of date.
    pub open: i128,
    /// Σ open × days past due.
    pub open_days_overdue: i128,
    /// Open more than 90 days past due.
    pub open_over_90: i128,
}

/// A debtor (company number and currency: amounts in different currencies are not added up)
/// and every creditor's share.
#[derive(Clone, Debug, PartialEq)]
pub struct Debtor {
    /// The normalised company number.
    pub company_number: String,
    /// The contributions' currency.
    pub currency: String,
    /// One per contributing creditor, by contributor name.
    pub shares: Vec<Share>,
}

/// The figures over a set of creditors, each `None` when not published, with why.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Figures {
    /// Creditors with anything in the figures.
    pub creditors: usize,
    /// Σ exposure (minor units), when the position is published.
    pub exposure: Option<i128>,
    /// Late count / settled count, 12 months.
    pub late_ratio: Option<f64>,
    /// Weighted average days late, 12 months.
    pub wadl: Option<f64>,
    /// The same, 12 months to the month before.
    pub wadl_before: Option<f64>,
    /// Days beyond terms of what is open.
    pub dbt: Option<f64>,
    /// Share of the open amount more than 90 days past due.
    pub over_90_share: Option<f64>,
    /// Least-squares slope of the monthly WADL over the last 6 months (days per month).
    pub wadl_trend: Option<f64>,
    /// Worst creditor's WADL minus the best's (12 months), days.
    pub wadl_spread: Option<f64>,
    /// What was left out and why; empty when everything is published.
    pub note: String,
}

/// Positive weights of one figure: how many, their sum and the two largest, so that the rules
/// can be checked with any one creditor taken out without going over the others again.
#[derive(Clone, Copy, Debug, Default)]
struct Weights {
    n: usize,
    total: i128,
    top: [i128; 2],
}

impl Weights {
    fn add(&mut self, w: i128) {
        if w <= 0 {
            return;
        }
        self.n += 1;
        self.total += w;
        if w > self.top[0] {
            self.top = [w, self.top[0]];
        } else if w > self.top[1] {
            self.top[1] = w;
        }
    }

    /// The same weights without one creditor's `w`.
    fn without(self, w: i128) -> Weights {
        if w <= 0 {
            return self;
        }
        let top = if w == self.top[0] { [self.top[1], 0] } else { [self.top[0], 0] };
        Weights { n: self.n - 1, total: self.total - w, top }
    }

    fn check(&self, rules: &Rules) -> Result<(), Withheld> {
        rules.check_sums(self.n, self.total, self.top[0])
    }
}

/// The two largest and two smallest of the creditors' WADLs, for the spread without one of them.
#[derive(Clone, Copy, Debug)]
struct Extremes {
    n: usize,
    high: [f64; 2],
    low: [f64; 2],
}

impl Default for Extremes {
    fn default() -> Self {
        Extremes { n: 0, high: [f64::NEG_INFINITY; 2], low: [f64::INFINITY; 2] }
    }
}

impl Extremes {
    fn add(&mut self, v: Option<f64>) {
        let Some(v) = v else { return };
        self.n += 1;
        if v > self.high[0] {
            self.high = [v, self.high[0]];
        } else if v > self.high[1] {
            self.high[1] = v;
        }
        if v < self.low[0] {
            self.low = [v, self.low[0]];
        } else if v < self.low[1] {
            self.low[1] = v;
        }
    }

    fn without(self, v: Option<f64>) -> Extremes {
        let Some(v) = v else { return self };
        let high = if v == self.high[0] { [self.high[1], f64::NEG_INFINITY] } else { self.high };
        let low = if v == self.low[0] { [self.low[1], f64::INFINITY] } else { self.low };
        Extremes { n: self.n - 1, high, low }
    }

    fn spread(&self) -> Option<f64> {
        (self.n > 0).then(|| self.high[0] - self.low[0])
    }
}

/// A debtor's sums over a set of creditors, from which one creditor can be taken out in
/// constant time (a debtor of thousands of creditors costs no more than its shares).
#[derive(Clone, Debug, Default)]
pub struct Totals {
    creditors: usize,
    now: Sums,
    before: Sums,
    months: [Sums; 6],
    exposure: i128,
    open: i128,
    open_days: i128,
    over_90: i128,
    pay: Weights,
    pay_before: Weights,
    position: Weights,
    wadls: Extremes,
}

fn has_any(s: &Share) -> bool {
    s.now.paid > 0 || s.open > 0 || s.exposure != 0
}

impl Totals {
    /// The sums over `shares`.
    pub fn of(shares: &[Share]) -> Totals {
        let mut t = Totals::default();
        for s in shares {
            t.creditors += usize::from(has_any(s));
            t.now.add(&s.now);
            t.before.add(&s.before);
            for (m, o) in t.months.iter_mut().zip(&s.months) {
                m.add(o);
            }
            t.exposure += s.exposure;
            t.open += s.open;
            t.open_days += s.open_days_overdue;
            t.over_90 += s.open_over_90;
            t.pay.add(s.now.amount);
            t.pay_before.add(s.before.amount);
            t.position.add(s.open.max(s.exposure));
            t.wadls.add(s.now.wadl());
        }
        t
    }

    /// The sums without `own`'s share.
    pub fn without(&self, own: &Share) -> Totals {
        let mut t = self.clone();
        t.creditors -= usize::from(has_any(own));
        t.now.sub(&own.now);
        t.before.sub(&own.before);
        for (m, o) in t.months.iter_mut().zip(&own.months) {
            m.sub(o);
        }
        t.exposure -= own.exposure;
        t.open -= own.open;
        t.open_days -= own.open_days_overdue;
        t.over_90 -= own.open_over_90;
        t.pay = self.pay.without(own.now.amount);
        t.pay_before = self.pay_before.without(own.before.amount);
        t.position = self.position.without(own.open.max(own.exposure));
        t.wadls = self.wadls.without(own.now.wadl());
        t
    }

    /// The figures, each published only when `rules` allow it.
    pub fn figures(&self, rules: &Rules) -> Figures {
        let mut f = Figures { creditors: self.creditors, ..Figures::default() };
        let mut notes = Vec::new();
        match self.pay.check(rules) {
            Ok(()) => {
                let now = &self.now;
                f.late_ratio = (now.paid > 0).then(|| now.late as f64 / now.paid as f64);
                f.wadl = now.wadl();
                let points: Vec<(f64, f64)> =
                    self.months.iter().enumerate().filter_map(|(i, m)| m.wadl().map(|w| (i as f64, w))).collect();
                f.wadl_trend = slope(&points);
                f.wadl_spread = self.wadls.spread();
            }
            Err(why) => notes.push(format!("payments: {why}")),
        }
        if self.pay_before.check(rules).is_ok() {
            f.wadl_before = self.before.wadl();
        }
        match self.position.check(rules) {
            Ok(()) => {
                f.exposure = Some(self.exposure);
                f.dbt = (self.open > 0).then(|| self.open_days as f64 / self.open as f64);
                f.over_90_share = (self.open > 0).then(|| self.over_90 as f64 / self.open as f64);
            }
            Err(why) => notes.push(format!("open amounts: {why}")),
        }
        f.note = notes.join("; ");
        f
    }
}

/// The contributions found under `dirs`: every `pool/contribution.parquet`, any depth.
pub fn find(dirs: &[PathBuf]) -> Result<Vec<PathBuf>, PoolError> {
    fn walk(dir: &std::path::Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
        let mut entries: Vec<_> = std::fs::read_dir(dir)?.collect::<Result<_, _>>()?;
        entries.sort_by_key(|e| e.file_name());
        for e in entries {
            let p = e.path();
            if e.file_type()?.is_dir() {
                walk(&p, out)?;
            } else if p.file_name().is_some_and(|n| n == "contribution.parquet")
                && p.parent().and_then(|d| d.file_name()).is_some_and(|n| n == "pool")
            {
                out.push(p);
            }
        }
        Ok(())
    }
    let mut files = Vec::new();
    for d in dirs {
        walk(d, &mut files).map_err(|e| PoolError::Read(d.clone(), e.to_string()))?;
    }
    if files.is_empty() {
        return Err(PoolError::NoContributions(dirs.to_vec()));
    }
    Ok(files)
}

fn polars(e: PolarsError) -> PoolError {
    PoolError::Engine(e.to_string())
}

/// Σ `value` over the rows where `when` holds, in 128 bits (no sum can overflow). Written as a
/// row-wise mask and a plain sum, which the streaming engine aggregates as rows pass; a filter
/// inside the aggregation would make it gather every group's rows first.
fn masked_sum(value: Expr, when_true: Expr) -> Expr {
    when(when_true).then(value.cast(DataType::Int128)).otherwise(lit(NULL).cast(DataType::Int128)).sum()
}

/// The settled sums of a stretch of months, as aggregations named `{prefix}_{column}`.
fn stretch(prefix: &str, from: Month, to: Month) -> Vec<Expr> {
    let within = col("month").gt_eq(lit(calendar::label(from))).and(col("month").lt_eq(lit(calendar::label(to))));
    ["paid", "late", "paid_amount", "amount_days_late"]
        .iter()
        .map(|c| masked_sum(col(*c), within.clone()).alias(format!("{prefix}_{c}")))
        .collect()
}

/// One streamed scan over `files`, each row with its file's path (`file`).
fn scan(files: &[PathBuf]) -> Result<LazyFrame, PoolError> {
    let paths: Vec<PlRefPath> = files.iter().map(|f| PlRefPath::new(f.to_string_lossy().as_ref())).collect();
    let args = ScanArgsParquet { include_file_paths: Some("file".into()), glob: false, ..Default::default() };
    Ok(LazyFrame::scan_parquet_files(paths.into(), args)
        .map_err(polars)?
        .with_column(col("as_of").cast(DataType::Int32)))
}

/// The files to pool for the month of `as_of` (the latest as-of date found when `None`): each
/// contributor's latest contribution of that month up to that day. A first pass reads only who
/// and when each file is (a contribution is one run: one contributor, one date); two files of
/// one contributor for its latest day are refused, as two portfolios under one name would be
/// pooled as one creditor.
fn choose(files: &[PathBuf], as_of: Option<NaiveDate>) -> Result<(NaiveDate, Vec<PathBuf>), PoolError> {
    let index = scan(files)?
        .group_by([col("file")])
        .agg([
            col("contributor").n_unique().alias("contributors"),
            col("contributor").first().alias("contributor"),
            col("as_of").n_unique().alias("dates"),
            col("as_of").first().alias("as_of"),
        ])
        .with_streaming(true)
        .collect()
        .map_err(polars)?;
    let text = |c: &str| -> Result<Vec<String>, PoolError> {
        let s = index.column(c).map_err(polars)?.str().map_err(polars)?.iter().map(|v| v.unwrap_or("").to_string());
        Ok(s.collect())
    };
    let count = |c: &str| -> Result<Vec<u32>, PoolError> {
        let s = index.column(c).map_err(polars)?.cast(&DataType::UInt32).map_err(polars)?;
        Ok(s.u32().map_err(polars)?.iter().map(|v| v.unwrap_or(0)).collect())
    };
    let (file, contributor) = (text("file")?, text("contributor")?);
    let (contributors, dates) = (count("contributors")?, count("dates")?);
    let date: Vec<Option<i32>> = index.column("as_of").map_err(polars)?.i32().map_err(polars)?.iter().collect();
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).expect("a date");
    let mut runs = Vec::new();
    for i in 0..index.height() {
        match (contributors[i], dates[i], date[i]) {
            (1, 1, Some(d)) => runs.push((contributor[i].clone(), epoch + chrono::Duration::days(d as i64), &file[i])),
            (0, _, _) | (_, _, None) => {}
            _ => {
                return Err(PoolError::Engine(format!(
                    "{}: a contribution holds one contributor and one as-of date",
                    file[i]
                )));
            }
        }
    }
    let as_of = match as_of {
        Some(d) => d,
        None => runs.iter().map(|r| r.1).max().ok_or(PoolError::NoRows)?,
    };
    let first = calendar::first_day(calendar::month_of(as_of));
    let in_month: Vec<&(String, NaiveDate, &String)> = runs.iter().filter(|r| r.1 >= first && r.1 <= as_of).collect();
    let mut latest: BTreeMap<&str, NaiveDate> = BTreeMap::new();
    for (who, day, _) in &in_month {
        let d = latest.entry(who.as_str()).or_insert(*day);
        *d = (*d).max(*day);
    }
    let mut chosen: BTreeMap<&str, &String> = BTreeMap::new();
    for (who, _, path) in in_month.iter().filter(|r| latest[r.0.as_str()] == r.1) {
        if let Some(other) = chosen.insert(who.as_str(), path) {
            let (a, b) = if other < *path { (other, *path) } else { (*path, other) };
            return Err(PoolError::SameContributor(who.clone(), a.into(), b.into()));
        }
    }
    if chosen.is_empty() {
        return Err(PoolError::NoRows);
    }
    Ok((as_of, chosen.into_values().map(PathBuf::from).collect()))
}

/// Reads the contributions for the month of `as_of` (the latest as-of date found when `None`):
/// for each contributor, its latest contribution in that month up to that day. Returns the
/// date and every debtor with its creditors' shares.
pub fn read(files: &[PathBuf], as_of: Option<NaiveDate>) -> Result<(NaiveDate, Vec<Debtor>), PoolError> {
    let (as_of, used) = choose(files, as_of)?;
    let month = calendar::month_of(as_of);
    let mut aggs = stretch("now", month - 11, month);
    aggs.extend(stretch("before", month - 12, month - 1));
    for k in 0..6 {
        let m = calendar::label(month - 5 + k);
        for c in ["paid_amount", "amount_days_late"] {
            let sum = masked_sum(col(c), col("month").eq(lit(m.clone())));
            aggs.push(sum.alias(format!("m{k}_{c}")));
        }
    }
    for c in ["exposure", "open_amount", "open_amount_days_overdue", "open_over_90"] {
        aggs.push(masked_sum(col(c), col("month").eq(lit(calendar::label(month)))).alias(c));
    }
    // Only the 13 months the figures read (contributions carry 24).
    let window =
        col("month").gt_eq(lit(calendar::label(month - 12))).and(col("month").lt_eq(lit(calendar::label(month))));
    let df = scan(&used)?
        .filter(window)
        .group_by([col("company_number"), col("currency"), col("contributor")])
        .agg(aggs)
        .sort(["company_number", "currency", "contributor"], SortMultipleOptions::default())
        .with_streaming(true)
        .collect()
        .map_err(polars)?;
    Ok((as_of, debtors(&df).map_err(polars)?))
}

/// The aggregated frame as debtors with their shares (sorted by company number, currency and
/// contributor, so consecutive rows of one debtor are its shares).
fn debtors(df: &DataFrame) -> PolarsResult<Vec<Debtor>> {
    let text = |c: &str| -> PolarsResult<Vec<String>> {
        Ok(df.column(c)?.str()?.iter().map(|v| v.unwrap_or("").to_string()).collect())
    };
    let int =
        |c: &str| -> PolarsResult<Vec<i128>> { Ok(df.column(c)?.i128()?.iter().map(|v| v.unwrap_or(0)).collect()) };
    let sums = |p: &str| -> PolarsResult<Vec<Sums>> {
        let (paid, late, amount, adl) = (
            int(&format!("{p}_paid"))?,
            int(&format!("{p}_late"))?,
            int(&format!("{p}_paid_amount"))?,
            int(&format!("{p}_amount_days_late"))?,
        );
        Ok((0..df.height())
            .map(|i| Sums { paid: paid[i], late: late[i], amount: amount[i], amount_days_late: adl[i] })
            .collect())
    };
    let (numbers, currencies, contributors) = (text("company_number")?, text("currency")?, text("contributor")?);
    let (now, before) = (sums("now")?, sums("before")?);
    // Each month's settled amount and days-late sum (the trend needs no more).
    let months: Vec<Vec<Sums>> = (0..6)
        .map(|k| {
            let (amount, adl) = (int(&format!("m{k}_paid_amount"))?, int(&format!("m{k}_amount_days_late"))?);
            Ok(amount
                .into_iter()
                .zip(adl)
                .map(|(amount, amount_days_late)| Sums { amount, amount_days_late, ..Sums::default() })
                .collect())
        })
        .collect::<PolarsResult<_>>()?;
    let (exposure, open, open_days, over_90) =
        (int("exposure")?, int("open_amount")?, int("open_amount_days_overdue")?, int("open_over_90")?);
    let mut out: Vec<Debtor> = Vec::new();
    for i in 0..df.height() {
        let share = Share {
            contributor: contributors[i].clone(),
            now: now[i],
            before: before[i],
            months: std::array::from_fn(|k| months[k][i]),
            exposure: exposure[i],
            open: open[i],
            open_days_overdue: open_days[i],
            open_over_90: over_90[i],
        };
        match out.last_mut() {
            Some(d) if d.company_number == numbers[i] && d.currency == currencies[i] => d.shares.push(share),
            _ => out.push(Debtor {
                company_number: numbers[i].clone(),
                currency: currencies[i].clone(),
                shares: vec![share],
            }),
        }
    }
    Ok(out)
}

/// One contributor's view of a debtor: the pool without its own share.
#[derive(Clone, Debug, PartialEq)]
pub struct Elsewhere {
    /// The debtor.
    pub company_number: String,
    /// Its currency.
    pub currency: String,
    /// The other creditors' figures; exposure replaced by its band.
    pub figures: Figures,
    /// The band of the others' exposure (minor units, lower bound included, upper excluded).
    pub exposure_band: Option<(i128, i128)>,
}

/// For each contributor (in name order), its debtors' experience elsewhere: the debtors it
/// shares with at least one other creditor (their figures suppressed while too few share them).
pub fn elsewhere(debtors: &[Debtor], rules: &Rules) -> BTreeMap<String, Vec<Elsewhere>> {
    let mut out: BTreeMap<String, Vec<Elsewhere>> = BTreeMap::new();
    for d in debtors {
        let digits = crate::model::Currency::parse(&d.currency).map_or(2, |c| c.minor_digits());
        let all = Totals::of(&d.shares);
        for own in &d.shares {
            // Every contributor gets its file, empty when it shares no debtor.
            let view = out.entry(own.contributor.clone()).or_default();
            if d.shares.len() == 1 {
                continue;
            }
            let mut figures = all.without(own).figures(rules);
            let exposure_band = figures.exposure.take().map(|e| band(e, digits));
            view.push(Elsewhere {
                company_number: d.company_number.clone(),
                currency: d.currency.clone(),
                figures,
                exposure_band,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests;
