//! The configuration file (`arwatch.toml`): inputs and their mappings, the as-of date, the
//! reporting currency, the output root and the settings of every later stage.
//!
//! Read once, with paths resolved against the file's folder and command-line overrides applied,
//! into a `Config` that the rest of the program only reads.

use crate::analytics::Settings;
use crate::analytics::risk::RiskSettings;
use crate::analytics::settings::AnalyticsSection;
use crate::bureau::BureauSettings;
use crate::collection::handover::HandoverSettings;
use crate::collection::ladder::LadderSettings;
use crate::ingest::InputSpec;
use crate::ingest::mapping::{MappingError, RowKind};
use crate::ingest::parse::iso_date;
use crate::ingest::preset::mapping_from;
use crate::ingest::schedule::PaymentTerms;
use crate::locale::Lang;
use crate::model::Currency;
use crate::monitor::alerts::Thresholds;
use crate::monitor::early_warning::EarlyWarningSettings;
use crate::notify::{EmailSettings, NotifySettings};
use chrono::NaiveDate;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Why the configuration cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error(
        "cannot read the configuration {path}: {source}\n  fix: pass --config FILE, or run from a folder with an arwatch.toml"
    )]
    /// The file cannot be read.
    Read {
        /// Its path.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    #[error("configuration {path}: {message}\n  fix: {fix}")]
    /// The file says something arwatch cannot use.
    Invalid {
        /// Its path.
        path: String,
        /// What is wrong.
        message: String,
        /// What to do about it.
        fix: String,
    },
}

/// The file as written.
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    company: Option<String>,
    currency: Option<String>,
    as_of: Option<String>,
    out: Option<String>,
    lang: Option<String>,
    default_terms_days: Option<u32>,
    max_rejected_share: Option<f64>,
    /// Exchange-rate table: `date,currency,rate` (reporting units per unit).
    fx_rates: Option<String>,
    watchlist: Option<String>,
    #[serde(default)]
    inputs: Vec<RawInput>,
    #[serde(default)]
    analytics: AnalyticsSection,
    #[serde(default)]
    bureau_inputs: Vec<RawInput>,
    #[serde(default)]
    bureau: BureauSettings,
    #[serde(default)]
    log_inputs: Vec<RawInput>,
    #[serde(default)]
    schedule_inputs: Vec<RawInput>,
    #[serde(default)]
    payment_terms: BTreeMap<String, Vec<crate::ingest::schedule::TermLine>>,
    #[serde(default)]
    risk: RiskSettings,
    #[serde(default)]
    monitor: Thresholds,
    #[serde(default)]
    early_warning: EarlyWarningSettings,
    #[serde(default)]
    handover: HandoverSettings,
    #[serde(default)]
    ladder: LadderSettings,
    #[serde(default)]
    notify: NotifySettings,
    #[serde(default)]
    reports: ReportSettings,
    #[serde(default)]
    outputs: OutputSettings,
    #[serde(default)]
    pool: PoolSettings,
    #[serde(default)]
    warnings: WarningSettings,
}

/// `[warnings]`: the kinds of warning a run accepts without exit code 3 (`docs/configuration.md`).
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct WarningSettings {
    /// Kinds from `WARNING_KINDS`: still written and reported, no longer exit code 3.
    pub accept: Vec<String>,
}

impl WarningSettings {
    /// Whether warnings (or rejected rows) of `kind` are accepted.
    pub fn accepts(&self, kind: &str) -> bool {
        self.accept.iter().any(|a| a == kind)
    }
}

/// Every kind of warning (and of harmless rejected row) a run can accept, as `warnings.csv`'s
/// `kind` column names it, with what it is.
pub const WARNING_KINDS: [(&str, &str); 10] = [
    ("duplicate_row", "a row repeated exactly (same id, dates, amounts), counted once (rejected.csv)"),
    ("reused_document_id", "a document id used again for another document, kept as ID#2"),
    ("payment_id_reused", "a payment id used again for another payment"),
    ("possible_duplicate_payment", "a payment that looks like another (same client, date and amount)"),
    ("invalid_company_number", "a company number whose check digits are wrong"),
    ("analysis", "a payment not applied as written (an unknown reference, a reversal)"),
    ("incomplete_month", "the month reported holds far fewer invoices than usual"),
    ("implausible_mapping", "mapped dates that contradict each other on most rows, or amounts that look like ids"),
    ("compensation_not_converted", "no rate into the reporting currency for the 40 EUR compensation, claimed in EUR"),
    ("log_unknown_document", "a collector's log row names a document the ledger does not have for that client"),
];

/// `[pool]`: pooled payment experience across creditors (`docs/pooling.md`).
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct PoolSettings {
    /// Write the month's pool contribution (`<month>/pool/contribution.csv` and `.parquet`).
    pub contribute: bool,
    /// The name the contribution goes under (default: `company`); unique within a pool.
    pub contributor: Option<String>,
    /// The pool's output folder (or one `elsewhere/<contributor>.csv`): the clients'
    /// experience elsewhere comes into the run from its latest month up to the as-of date.
    pub elsewhere: Option<PathBuf>,
}

/// `[outputs]`: extra forms of the data files.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct OutputSettings {
    /// Also write every data file as Parquet (`<file>.parquet` beside `<file>.csv`).
    pub parquet: bool,
}

/// `[reports]`: which human reports a run writes (the data files are always written).
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct ReportSettings {
    /// Write the workbook.
    pub workbook: bool,
    /// Write the PDF management report.
    pub pdf: bool,
    /// Write a collection dossier per debtor.
    pub dossiers: bool,
}

impl Default for ReportSettings {
    fn default() -> Self {
        ReportSettings { workbook: true, pdf: true, dossiers: true }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawInput {
    file: String,
    mapping: MappingRef,
    #[serde(default)]
    snapshot_date: Option<String>,
}

/// A mapping in its own file (shared by several configurations) or written inline.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum MappingRef {
    File(String),
    Inline(toml::Table),
}

/// The resolved configuration.
#[derive(Clone, Debug)]
pub struct Config {
    /// The configuration file.
    pub path: PathBuf,
    /// The company whose receivables these are.
    pub company: String,
    /// The reporting currency.
    pub currency: Currency,
    /// The as-of date, when given (else it follows from the data).
    pub as_of: Option<NaiveDate>,
    /// The output root: months go to `<out>/<YYYY-MM>/`.
    pub out: PathBuf,
    /// The reports' language.
    pub lang: Lang,
    /// Payment terms of a row without due date or terms.
    pub default_terms_days: u32,
    /// The most rows of an input that may be rejected before the run stops.
    pub max_rejected_share: f64,
    /// The ledger inputs.
    pub inputs: Vec<InputSpec>,
    /// `[analytics]`.
    pub analytics: Settings,
    /// Credit-bureau snapshot files (`[[bureau_inputs]]`).
    pub bureau_inputs: Vec<InputSpec>,
    /// `[bureau]`.
    pub bureau: BureauSettings,
    /// The collector's log files (`[[log_inputs]]`): promises, disputes, calls, notes.
    pub log_inputs: Vec<InputSpec>,
    /// Payment-schedule files (`[[schedule_inputs]]`): instalments of the ledger's invoices.
    pub schedule_inputs: Vec<InputSpec>,
    /// `[payment_terms]`: named schedules an invoice row may name.
    pub payment_terms: PaymentTerms,
    /// `[risk]`.
    pub risk: RiskSettings,
    /// `[monitor]`.
    pub monitor: Thresholds,
    /// `[early_warning]`: the record of how early the risk tier warned.
    pub early_warning: EarlyWarningSettings,
    /// A saved run to compare with instead of the latest earlier one.
    pub compare_with: Option<PathBuf>,
    /// `[handover]`.
    pub handover: HandoverSettings,
    /// `[ladder]`: the dunning steps.
    pub ladder: LadderSettings,
    /// `[notify]`: who is sent the alerts.
    pub notify: NotifySettings,
    /// The FX rate table, for ledgers in several currencies.
    pub fx_rates: Option<PathBuf>,
    /// Companies watched that are not clients (suppliers, prospects): `company_number,name,role`.
    pub watchlist: Option<PathBuf>,
    /// `[reports]`.
    pub reports: ReportSettings,
    /// `[outputs]`.
    pub outputs: OutputSettings,
    /// `[pool]`, with `contributor` set (the company when not given).
    pub pool: PoolSettings,
    /// `[warnings]`, each kind checked against `WARNING_KINDS`.
    pub warnings: WarningSettings,
}

/// What the command line may override.
#[derive(Clone, Debug, Default)]
pub struct Overrides {
    /// `--as-of`.
    pub as_of: Option<NaiveDate>,
    /// `--out`.
    pub out: Option<PathBuf>,
    /// `--lang`.
    pub lang: Option<Lang>,
    /// A history file, or the as-of date of a saved run (`2026-09-30`).
    pub compare_with: Option<String>,
    /// `--parquet`.
    pub parquet: bool,
}

/// `sample_data/../reports` as `reports`: the same place, said plainly in messages.
fn tidy(p: &Path) -> PathBuf {
    use std::path::Component;
    let mut out: Vec<Component<'_>> = Vec::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir if matches!(out.last(), Some(Component::Normal(_))) => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    if out.is_empty() { PathBuf::from(".") } else { out.iter().collect() }
}

impl Config {
    /// The name this portfolio's pool contribution goes under: `[pool] contributor`, else the
    /// company.
    pub fn contributor(&self) -> &str {
        self.pool.contributor.as_deref().unwrap_or(&self.company)
    }

    /// Reads and checks a configuration file; paths in it are relative to its folder.
    pub fn load(path: &Path, overrides: &Overrides) -> Result<Config, ConfigError> {
        let text = crate::toml_source::read(path)
            .map_err(|source| ConfigError::Read { path: path.display().to_string(), source })?;
        let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
        let invalid = |message: String, fix: &str| ConfigError::Invalid {
            path: path.display().to_string(),
            message,
            fix: fix.to_string(),
        };
        let mut raw: RawConfig = toml::from_str(&text).map_err(|e| {
            invalid(
                e.to_string(),
                &format!("correct the TOML; see docs/configuration.md ({})", crate::toml_source::HINT),
            )
        })?;
        let currency = match raw.currency.as_deref() {
            None => Currency::EUR,
            Some(c) => Currency::parse(c)
                .ok_or_else(|| invalid(format!("currency {c:?} is not a currency code"), "use a code such as EUR"))?,
        };
        let as_of = match (overrides.as_of, raw.as_of.as_deref()) {
            (Some(d), _) => Some(d),
            (None, Some(s)) => Some(iso_date(s).map_err(|e| invalid(format!("as_of {}", e.problem), e.fix))?),
            (None, None) => None,
        };
        let lang = match (overrides.lang, raw.lang.as_deref()) {
            (Some(l), _) => l,
            (None, Some(s)) => {
                Lang::parse(s).ok_or_else(|| invalid(format!("lang {s:?} is not en, nl or fr"), "use en, nl or fr"))?
            }
            (None, None) => Lang::En,
        };
        let out = match &overrides.out {
            Some(o) => o.clone(),
            None => {
                let out = raw.out.as_deref().unwrap_or("reports");
                crate::toml_source::check_path("out", out).map_err(|e| invalid(e.to_string(), "correct out"))?;
                tidy(&base.join(out))
            }
        };
        let inputs = read_inputs(raw.inputs, &base, &invalid)?;
        let bureau_inputs = read_inputs(raw.bureau_inputs, &base, &invalid)?;
        let log_inputs = read_inputs(std::mem::take(&mut raw.log_inputs), &base, &invalid)?;
        let schedule_inputs = read_inputs(std::mem::take(&mut raw.schedule_inputs), &base, &invalid)?;
        let payment_terms = PaymentTerms::new(&raw.payment_terms)
            .map_err(|e| invalid(e, "see docs/configuration.md, [payment_terms]"))?;
        raw.bureau.check().map_err(|e| invalid(e.to_string(), "see docs/monitoring.md"))?;
        raw.risk.check().map_err(|e| invalid(e.to_string(), "see docs/monitoring.md"))?;
        raw.early_warning
            .check()
            .map_err(|e| invalid(e.to_string(), "see docs/monitoring.md, the early-warning record"))?;
        raw.ladder.check().map_err(|e| invalid(e.to_string(), "see docs/reports.md, the collection ladder"))?;
        raw.notify.check().map_err(|e| invalid(e.to_string(), "see docs/monitoring.md, alarms that reach people"))?;
        raw.handover.check().map_err(|e| invalid(e.to_string(), "see docs/configuration.md, [handover]"))?;
        if (raw.outputs.parquet || overrides.parquet) && !cfg!(feature = "parquet") {
            return Err(invalid(
                "Parquet outputs are asked for, but this arwatch was built without them (--no-default-features)".into(),
                "build it with its default features, or remove [outputs] parquet / --parquet",
            ));
        }
        let compare_with = overrides.compare_with.as_deref().map(|v| match NaiveDate::parse_from_str(v, "%Y-%m-%d") {
            Ok(d) => crate::monitor::history::dir(&out).join(format!("{d}.csv")),
            Err(_) => PathBuf::from(v),
        });
        if inputs.is_empty() {
            return Err(invalid("no [[inputs]]".into(), "add at least one [[inputs]] with file and mapping"));
        }
        let share = raw.max_rejected_share.unwrap_or(0.01);
        if !(0.0..=1.0).contains(&share) {
            return Err(invalid(format!("max_rejected_share {share} is not between 0 and 1"), "0.01 means 1 %"));
        }
        let mut analytics =
            raw.analytics.settings().map_err(|e| invalid(e.to_string(), "see docs/configuration.md, [analytics]"))?;
        let as_of = snapshots(&inputs, as_of, &mut analytics, &invalid)?;
        let default_terms_days = raw.default_terms_days.unwrap_or(30);
        if default_terms_days > crate::ingest::MAX_TERMS_DAYS {
            return Err(invalid(
                format!("default_terms_days = {default_terms_days} is beyond {} days", crate::ingest::MAX_TERMS_DAYS),
                "use the payment terms in days, for example 30",
            ));
        }
        let company = raw.company.clone().unwrap_or_default();
        let contributor = raw.pool.contributor.clone().unwrap_or_else(|| company.clone());
        if raw.pool.contribute && contributor.trim().is_empty() {
            return Err(invalid(
                "[pool] contribute = true, but the contribution has no name".into(),
                "give [pool] contributor (or company), unique among the portfolios pooled together",
            ));
        }
        if let Some(k) = raw.warnings.accept.iter().find(|k| !WARNING_KINDS.iter().any(|(w, _)| w == k)) {
            let kinds: Vec<&str> = WARNING_KINDS.iter().map(|(w, _)| *w).collect();
            return Err(invalid(
                format!("[warnings] accept: {k:?} is not a kind of warning"),
                &format!("use the kinds of warnings.csv's kind column: {}", kinds.join(", ")),
            ));
        }
        Ok(Config {
            path: path.to_path_buf(),
            company,
            currency,
            as_of,
            out,
            lang,
            default_terms_days,
            max_rejected_share: share,
            inputs,
            analytics,
            bureau_inputs,
            bureau: std::mem::take(&mut raw.bureau),
            log_inputs,
            schedule_inputs,
            payment_terms,
            risk: raw.risk.clone(),
            monitor: raw.monitor.clone(),
            early_warning: raw.early_warning.clone(),
            compare_with,
            fx_rates: raw.fx_rates.as_ref().map(|p| base.join(p)),
            watchlist: raw.watchlist.as_ref().map(|p| base.join(p)),
            reports: raw.reports.clone(),
            outputs: OutputSettings { parquet: raw.outputs.parquet || overrides.parquet },
            pool: PoolSettings {
                contribute: raw.pool.contribute,
                contributor: Some(contributor),
                elsewhere: raw.pool.elsewhere.as_ref().map(|p| base.join(p)),
            },
            warnings: raw.warnings.clone(),
            ladder: LadderSettings { handover_off: !raw.handover.enabled, ..raw.ladder.clone() },
            notify: NotifySettings {
                email: raw
                    .notify
                    .email
                    .clone()
                    .map(|e| EmailSettings { ca_file: e.ca_file.map(|p| base.join(p)), ..e }),
                ..raw.notify.clone()
            },
            handover: HandoverSettings {
                rates: raw.handover.rates.as_ref().map(|p| base.join(p)),
                reminders: raw.handover.reminders.as_ref().map(|p| base.join(p)),
                ..raw.handover.clone()
            },
        })
    }
}

/// Open-items snapshots: one is its own as-of date and the whole ledger; a series is as of its
/// latest list, and what was sold or paid is known after its first. The as-of date, checked.
fn snapshots(
    inputs: &[InputSpec],
    as_of: Option<NaiveDate>,
    analytics: &mut Settings,
    invalid: &dyn Fn(String, &str) -> ConfigError,
) -> Result<Option<NaiveDate>, ConfigError> {
    let dates: std::collections::BTreeSet<NaiveDate> = inputs.iter().filter_map(|i| i.snapshot).collect();
    let Some(&latest) = dates.last() else { return Ok(as_of) };
    if inputs.iter().any(|i| i.snapshot.is_none()) {
        return Err(invalid(
            "an open-items list cannot be combined with invoice, payment or ledger files".into(),
            "run the open-items list alone, or the full ledger without it",
        ));
    }
    if let Some(a) = as_of.filter(|a| *a != latest) {
        return Err(invalid(
            format!("as of {a}, but the open-items list shows what was open on {latest}"),
            "run it as of its snapshot date (drop --as-of or as_of), or use a list of that date",
        ));
    }
    analytics.snapshot = dates.len() == 1;
    analytics.known_from = dates.first().copied().filter(|_| dates.len() > 1);
    Ok(Some(latest))
}

/// The inputs with their mappings (inline, or read from a file beside the configuration).
fn read_inputs(
    list: Vec<RawInput>,
    base: &Path,
    invalid: &dyn Fn(String, &str) -> ConfigError,
) -> Result<Vec<InputSpec>, ConfigError> {
    let mut inputs = Vec::new();
    for input in list {
        let mapping = match input.mapping {
            MappingRef::Inline(t) => mapping_from(t).map_err(|e| {
                invalid(format!("input {}: its mapping: {e}", input.file), "correct the mapping; see docs/mapping.md")
            })?,
            MappingRef::File(f) => {
                let mpath = base.join(&f);
                crate::toml_source::check_path("mapping", &f)
                    .map_err(|e| invalid(e.to_string(), "correct the mapping's path"))?;
                let mtext = crate::toml_source::read(&mpath).map_err(|e| {
                    invalid(
                        format!("cannot read mapping {}: {e}", mpath.display()),
                        "check the mapping path of this input",
                    )
                })?;
                let invalid_mapping = |e: MappingError| ConfigError::Invalid {
                    path: mpath.display().to_string(),
                    message: e.to_string(),
                    fix: "correct the mapping; see docs/mapping.md".into(),
                };
                let table: toml::Table = toml::from_str(&mtext).map_err(|e| ConfigError::Invalid {
                    path: mpath.display().to_string(),
                    message: e.to_string(),
                    fix: format!("correct the mapping; see docs/mapping.md ({})", crate::toml_source::HINT),
                })?;
                mapping_from(table).map_err(invalid_mapping)?
            }
        };
        let open_items = mapping.rows == RowKind::OpenItems;
        let snapshot = match (&input.snapshot_date, open_items) {
            (Some(d), true) => Some(
                iso_date(d)
                    .map_err(|e| invalid(format!("input {}: snapshot_date {}", input.file, e.problem), e.fix))?,
            ),
            (None, true) => {
                return Err(invalid(
                    format!(
                        "input {} is an open-items list (rows = \"open_items\") without its snapshot_date",
                        input.file
                    ),
                    "add snapshot_date = \"YYYY-MM-DD\" to the [[inputs]] entry: the date the list shows what was open",
                ));
            }
            (Some(_), false) => {
                return Err(invalid(
                    format!("input {} has a snapshot_date but its mapping does not read open items", input.file),
                    "remove snapshot_date, or set rows = \"open_items\" in its mapping",
                ));
            }
            (None, false) => None,
        };
        // Said in messages as a person would write it (`../shared/x.csv`, not `a/../../shared`).
        crate::toml_source::check_path("file", &input.file)
            .map_err(|e| invalid(e.to_string(), "correct the input's file"))?;
        inputs.push(InputSpec { path: tidy(&base.join(&input.file)), mapping, snapshot });
    }
    Ok(inputs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_paths_are_said_plainly() {
        assert_eq!(tidy(Path::new("sample_data/../reports")), PathBuf::from("reports"));
        assert_eq!(tidy(Path::new("a/./b/../../c")), PathBuf::from("c"));
        assert_eq!(tidy(Path::new("../x")), PathBuf::from("../x"));
        assert_eq!(
            tidy(Path::new("/work/main/examples/realdata/../../reports/ibm")),
            PathBuf::from("/work/main/reports/ibm")
        );
    }
}

/// Every key the configuration accepts is documented in `docs/configuration.md`, in its
/// section's table: the list is asked of the settings' own types (serde names the fields it
/// expects when it meets an unknown one), so a new key fails here until it is documented.
#[cfg(test)]
mod documented {
    use super::*;
    use serde::de::DeserializeOwned;

    /// The fields a section's type accepts.
    fn accepted<T: DeserializeOwned>() -> Vec<String> {
        let err = match toml::from_str::<T>("zz_not_a_key = 1") {
            Err(e) => e.to_string(),
            Ok(_) => panic!("{} accepts an unknown key", std::any::type_name::<T>()),
        };
        let list = err.split("expected one of ").nth(1).or_else(|| err.split("expected ").nth(1)).unwrap_or("");
        let list = list.lines().next().unwrap_or("");
        list.split(", ")
            .flat_map(|k| k.split(" or "))
            .map(|k| k.trim().trim_matches('`').to_string())
            .filter(|k| !k.is_empty())
            .collect()
    }

    /// Each section with the keys its type accepts.
    fn sections() -> Vec<(&'static str, Vec<String>)> {
        use crate::analytics::risk::{RiskSettings, Weights};
        use crate::bureau::BureauSettings;
        use crate::collection::handover::{Creditor, HandoverSettings};
        use crate::collection::ladder::{LadderSettings, Names, Step};
        use crate::monitor::alerts::Thresholds;
        use crate::notify::{EmailSettings, NotifySettings, WebhookSettings};
        vec![
            ("top level", accepted::<RawConfig>()),
            ("[[inputs]], [[bureau_inputs]], [[log_inputs]] and [[schedule_inputs]]", accepted::<RawInput>()),
            ("[analytics]", accepted::<AnalyticsSection>()),
            ("[bureau]", accepted::<BureauSettings>()),
            ("[risk]", accepted::<RiskSettings>()),
            ("[risk.weights]", accepted::<Weights>()),
            ("[monitor]", accepted::<Thresholds>()),
            ("[early_warning]", accepted::<EarlyWarningSettings>()),
            ("[handover]", accepted::<HandoverSettings>()),
            ("[handover.creditor]", accepted::<Creditor>()),
            ("[ladder]", accepted::<LadderSettings>()),
            ("[[ladder.steps]]", accepted::<Step>()),
            ("name of a step", accepted::<Names>()),
            ("[notify]", accepted::<NotifySettings>()),
            ("[notify.email]", accepted::<EmailSettings>()),
            ("[notify.webhook]", accepted::<WebhookSettings>()),
            ("[reports]", accepted::<ReportSettings>()),
            ("[outputs]", accepted::<OutputSettings>()),
            ("[pool]", accepted::<PoolSettings>()),
            ("[warnings]", accepted::<WarningSettings>()),
        ]
    }

    #[test]
    fn every_mapping_key_is_in_the_mapping_docs() {
        let docs = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/mapping.md")).unwrap();
        let mut keys = accepted::<crate::ingest::mapping::Mapping>();
        // A preset is read before the mapping's own keys (ingest/preset.rs).
        keys.push("preset".into());
        let missing: Vec<String> = keys
            .into_iter()
            .filter(|k| !docs.contains(&format!("\n{k} = ")) && !docs.contains(&format!("[{k}]")))
            .collect();
        assert!(missing.is_empty(), "mapping keys not in docs/mapping.md: {missing:?}");
    }

    #[test]
    fn every_accepted_key_is_documented() {
        let docs = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/configuration.md")).unwrap();
        let mut missing = Vec::new();
        for (section, keys) in sections() {
            assert!(!keys.is_empty(), "{section}: no keys found");
            let heading = format!("### {section}\n");
            let Some(start) = docs.find(&heading) else {
                missing.push(format!("no heading '### {section}'"));
                continue;
            };
            let body = &docs[start + heading.len()..];
            let body = &body[..body.find("\n### ").or_else(|| body.find("\n## ")).unwrap_or(body.len())];
            for k in keys {
                if !body.contains(&format!("| `{k}` |")) {
                    missing.push(format!("{section}: `{k}`"));
                }
            }
        }
        assert!(missing.is_empty(), "not in docs/configuration.md:\n{}", missing.join("\n"));
    }
}
