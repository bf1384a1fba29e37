//! Everything a run shows its readers under `<out>/<YYYY-MM>/`: the data files for other
//! tools, the workbook, the PDF report and the handover dossiers.

pub mod data;
pub mod i18n;
pub mod model;
pub mod pdf;
pub mod xlsx;
