//! `benchanim import results`: result CSV files from elsewhere.

use std::path::PathBuf;

use super::super::inputs::ResultsArgs;
use crate::import::{self, Imported};

/// Copy result CSV files (folders laid out as `<GPU>/*.csv`, or single files) into the
/// results folder, normalized and without machine-local fields (model_path, server_url).
/// Runs already there are skipped; nothing is overwritten.
#[derive(Debug, clap::Args)]
pub struct ResultsImportArgs {
    /// Folders or files to import.
    #[arg(required = true)]
    pub sources: Vec<PathBuf>,
    #[command(flatten)]
    pub output: ResultsArgs,
}

impl ResultsImportArgs {
    /// Imports what the arguments name into the results folder.
    pub fn import(&self, done: &mut Imported) -> anyhow::Result<()> {
        import::import_results(&self.sources, &self.output.results, done)
    }
}
