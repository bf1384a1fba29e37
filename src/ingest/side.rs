//! Reading the inputs beside the ledger (credit-bureau snapshots, the collector's log) through
//! the same mappings, parsing and rejected-row accounting as ledgers: every row accepted or
//! rejected with its reason.

use super::convert::{RowError, RowView, shifted};
use super::error::InputError;
use super::mapping::{Field, RowKind};
use super::plan::{Plan, detect_dates};
use super::spec::{IngestOptions, InputSpec};
use super::stats::{Reject, SourceStats, Warning, account_extent, layout_label};
use super::table::{self, Batch, Header, RawRow};
use crate::model::Origin;

/// What reading one kind of side input gave.
#[derive(Debug)]
pub struct SideIngested<T> {
    /// The accepted rows, in input order.
    pub rows: Vec<T>,
    /// The rejected rows, with their reasons.
    pub rejects: Vec<Reject>,
    /// Observations that did not stop a row.
    pub warnings: Vec<Warning>,
    /// Each input's reconciliation.
    pub stats: Vec<SourceStats>,
}

impl<T> Default for SideIngested<T> {
    fn default() -> Self {
        SideIngested { rows: Vec::new(), rejects: Vec::new(), warnings: Vec::new(), stats: Vec::new() }
    }
}

/// An observation on an accepted row: its kind (as in warnings.csv) and the field it is about.
pub(super) struct Note {
    pub(super) kind: &'static str,
    pub(super) field: Field,
    pub(super) message: String,
}

/// How one kind of side input turns a row into a value.
pub(super) trait SideRows {
    /// The accepted row.
    type Row;
    /// The mappings' `rows` for this input.
    const KIND: RowKind;
    /// `rows = "…"` and the configuration list, for the message when a mapping is of another
    /// kind: ("bureau", "[[bureau_inputs]]").
    const NAMES: (&'static str, &'static str);
    /// One row, or why not.
    fn convert<R: RawRow>(&self, v: RowView<'_, R>, origin: Origin) -> Result<(Self::Row, Option<Note>), RowError>;
}

/// Reads every input of one side kind. `source_base` numbers the sources after the ledger's.
pub(super) fn ingest_side<S: SideRows>(
    inputs: &[InputSpec],
    rows: &S,
    opts: &IngestOptions,
    source_base: u16,
) -> Result<SideIngested<S::Row>, InputError> {
    let mut out = SideIngested::default();
    let (kind, list) = S::NAMES;
    for (i, input) in inputs.iter().enumerate() {
        let map = input
            .mapping
            .resolve()
            .map_err(|e| InputError::file(&input.path, format!("mapping: {e}"), "correct the mapping file"))?;
        if map.rows != S::KIND {
            return Err(InputError::file(
                &input.path,
                format!("an input under {list} needs a mapping with rows = \"{kind}\""),
                format!("set rows = \"{kind}\" in its mapping, or list the file where its kind belongs"),
            ));
        }
        let mut loader = Loader {
            input,
            map,
            opts,
            rows,
            source: source_base + i as u16,
            plan: None,
            stats: SourceStats::side(crate::platform::portable(&input.path)),
            out: &mut out,
        };
        let mut extent = table::Extent::default();
        let first_reject = loader.out.rejects.len();
        let header = table::read_table(&input.path, &input.mapping, &mut loader, &mut extent)?;
        let mut stats = loader.stats;
        account_extent(&mut stats, &mut out.rejects, &extent, &header);
        out.rejects[first_reject..].sort_by_key(|r| r.line);
        out.stats.push(stats);
    }
    Ok(out)
}

struct Loader<'a, S: SideRows> {
    input: &'a InputSpec,
    map: super::mapping::Resolved,
    opts: &'a IngestOptions,
    rows: &'a S,
    source: u16,
    plan: Option<Plan>,
    stats: SourceStats,
    out: &'a mut SideIngested<S::Row>,
}

impl<S: SideRows> table::Sink for Loader<'_, S> {
    fn header(&mut self, h: &Header) -> Result<(), InputError> {
        self.stats.layout = layout_label(&h.layout);
        self.plan = Some(Plan::new(self.input, &self.map, self.opts, h)?);
        Ok(())
    }

    fn batch(&mut self, h: &Header, batch: Batch<'_>) -> Result<(), InputError> {
        match batch {
            Batch::Text(rows) => self.read(h, rows),
            Batch::Sheet(rows) => self.read(h, rows),
        }
    }
}

impl<S: SideRows> Loader<'_, S> {
    fn read<R: RawRow>(&mut self, h: &Header, rows: &[R]) -> Result<(), InputError> {
        let mut plan = self.plan.take().expect("the header comes first");
        if plan.dates.is_none() {
            plan.dates = Some(detect_dates(&plan, rows, h, &self.input.path)?);
        }
        for row in rows {
            self.stats.rows_read += 1;
            if row.is_blank() {
                self.reject(&plan, h, row, RowError::benign(None, String::new(), "blank row".into()));
                continue;
            }
            if let Some(e) = shifted(&plan, row) {
                self.reject(&plan, h, row, e);
                continue;
            }
            match self.rows.convert(RowView { plan: &plan, row }, Origin { source: self.source, line: row.line() }) {
                Ok((value, note)) => {
                    if let Some(n) = note {
                        let location = h.layout.location(row.line(), plan.cols.get(&n.field).copied());
                        self.out.warnings.push(Warning {
                            kind: n.kind,
                            source: self.stats.file.clone(),
                            location,
                            message: n.message,
                        });
                    }
                    self.stats.accepted += 1;
                    self.out.rows.push(value);
                }
                Err(e) => self.reject(&plan, h, row, e),
            }
        }
        self.plan = Some(plan);
        Ok(())
    }

    fn reject<R: RawRow>(&mut self, plan: &Plan, h: &Header, row: &R, e: RowError) {
        let r = e.into_reject(&self.stats.file, h, &plan.header, row.line(), row.raw_values());
        self.stats.reject(&mut self.out.rejects, r);
    }
}
