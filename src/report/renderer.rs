//! One output drawn from the report model: the data files, the workbook, the management
//! report, the dossiers. Each is one implementation of [`Renderer`]; the configuration
//! chooses which run ([`chosen`]), and a run draws each in turn into its staged month folder.

use super::ReportError;
use super::data::DataFiles;
use super::model::ReportModel;
use super::pdf::{Dossiers, ManagementReport};
use super::xlsx::ExcelWorkbook;
use crate::config::Config;
use std::path::Path;

/// Draws the report model into a month folder. It reads nothing but the model.
pub trait Renderer {
    /// What it writes, as the timings name it (`data files`, `workbook`).
    fn name(&self) -> &'static str;
    /// Draws `m` into the staged month folder `month`.
    fn render(&self, m: &ReportModel<'_>, month: &Path) -> Result<(), ReportError>;
}

/// The outputs the configuration asks for, in the order they are written: the data files
/// always, then the workbook, the management report and the dossiers as `[reports]` says.
pub fn chosen(config: &Config) -> Vec<Box<dyn Renderer + '_>> {
    let mut out: Vec<Box<dyn Renderer>> = vec![Box::new(DataFiles { parquet: config.outputs.parquet })];
    if config.reports.workbook {
        out.push(Box::new(ExcelWorkbook));
    }
    if config.reports.pdf {
        out.push(Box::new(ManagementReport));
    }
    if config.reports.dossiers {
        out.push(Box::new(Dossiers { creditor: &config.handover.creditor }));
    }
    out
}
