//! Everything a run shows its readers under `<out>/<YYYY-MM>/`: the data files for other
//! tools, the workbook, the PDF report and the handover dossiers.

pub mod csv;
pub mod data;
pub mod headings;
pub mod i18n;
pub mod model;
#[cfg(feature = "parquet")]
pub mod parquet;
pub mod pdf;
pub mod table;
pub mod tables;
pub mod xlsx;

/// A report that could not be drawn. The data files are written by then; the month is not
/// put in place, so the previous one stays as it was.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// The workbook, and why.
    #[error("cannot build the workbook: {0}\n  fix: {FIX}")]
    Workbook(#[from] rust_xlsxwriter::XlsxError),
    /// The management report, and why.
    #[error("cannot build the PDF report: {0}\n  fix: {FIX}")]
    Pdf(pdf::PdfError),
    /// A debtor's dossier.
    #[error("cannot build the dossier of {client}: {problem}\n  fix: {FIX}")]
    Dossier {
        /// The debtor's client id.
        client: String,
        /// Why.
        problem: pdf::PdfError,
    },
}

/// Drawing a report fails only on a bug or a resource limit, never on the data.
const FIX: &str = "run again with -v; if it fails again, please report it with the message";
