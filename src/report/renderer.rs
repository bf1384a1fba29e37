//! One output drawn from the report model: the data files, the workbook, the management
//! report, the dossiers. Each is one implementation of [`Renderer`]; the configuration
//! chooses which run (`outputs.rs`), and a run draws each in turn into its staged month folder.

use super::error::ReportError;
use super::model::ReportModel;
use crate::stopwatch::Lap;
use std::path::Path;

/// Draws the report model into a month folder. It reads nothing but the model.
pub trait Renderer {
    /// What it writes, as the timings name it (`data files`, `workbook`).
    fn name(&self) -> &'static str;
    /// Draws `m` into the staged month folder `month`, each file with
    /// [`crate::output::write_staged`]: the folder's commit puts them on disk.
    fn render(&self, m: &ReportModel<'_>, month: &Path) -> Result<(), ReportError>;

    /// The same, with the time of each part it writes when it writes several (`-v`): the data
    /// files time each file; the others are one part.
    fn render_timed(&self, m: &ReportModel<'_>, month: &Path) -> Result<Vec<(&'static str, Lap)>, ReportError> {
        self.render(m, month).map(|()| Vec::new())
    }
}
