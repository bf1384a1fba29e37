//! The outputs a run writes, as the configuration chooses them: each a renderer of the report
//! model.

use super::data::DataFiles;
use super::pdf::{Dossiers, ManagementReport};
use super::renderer::Renderer;
use super::xlsx::ExcelWorkbook;
use crate::config::Config;

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
