//! Everything a run shows its readers under `<out>/<YYYY-MM>/`: the data files for other
//! tools, the workbook, the PDF report and the handover dossiers.

pub mod basis;
pub mod csv;
pub mod data;
pub mod early_warning;
pub mod error;
pub mod headings;
pub mod i18n;
pub mod model;
pub mod outputs;
#[cfg(feature = "parquet")]
pub mod parquet;
pub mod pdf;
pub mod records;
pub mod renderer;
pub mod sources;
pub mod summary;
pub mod table;
pub mod tables;
pub mod xlsx;

pub use error::ReportError;
