//! Arguments several subcommands share: where results and scenes are read from.

use std::path::{Path, PathBuf};

use crate::chart::Chart;
use crate::results::{self, CATALOG_FILE, MetricCatalog, Table, Warning};
use crate::scene::{ResolvedCell, Scene, resolve};
use crate::terminal::printable_lines;

/// Where results are read from, and how strictly.
#[derive(Debug, clap::Args)]
pub struct ResultsArgs {
    /// Folder of result files, laid out as `<GPU>/*.csv`.
    #[arg(long, value_name = "DIR", default_value = "benchmark_results")]
    pub results: PathBuf,
    /// Fail (exit code 1) when any file or row could not be read, instead of only warning.
    #[arg(long)]
    pub strict: bool,
    /// Metric catalog: which way is better, labels and units per metric name
    /// [default: metrics.toml in the current directory, when there is one].
    #[arg(long, value_name = "FILE")]
    pub catalog: Option<PathBuf>,
}

impl ResultsArgs {
    /// Loads and collates the results, printing warnings; `Err` with `--strict` and warnings.
    pub fn table(&self) -> anyhow::Result<Table> {
        let (files, warnings) = results::load(&self.results)?;
        if warn(&warnings, self.strict) != 0 {
            anyhow::bail!(
                "the results have problems (see the warnings above) and --strict was given"
            );
        }
        Ok(Table::collate(files).with_catalog(self.catalog()?))
    }

    /// The metric catalog named with `--catalog`, else `metrics.toml` if present, else none.
    pub fn catalog(&self) -> anyhow::Result<MetricCatalog> {
        match &self.catalog {
            Some(path) => MetricCatalog::load(path),
            None => MetricCatalog::load_if_present(Path::new(CATALOG_FILE)),
        }
    }
}

#[derive(Debug, clap::Args)]
pub struct ScenesArgs {
    /// Folder of scene files (`<name>.toml`).
    #[arg(long = "scenes", value_name = "DIR", default_value = "scenes")]
    pub dir: PathBuf,
}

/// Prints warnings; with `--strict` any warning makes the exit code 1.
pub fn warn(warnings: &[Warning], strict: bool) -> u8 {
    for w in warnings {
        eprintln!("warning: {}", printable_lines(&w.to_string()));
    }
    if strict && !warnings.is_empty() {
        eprintln!("error: {} warnings and --strict was given", warnings.len());
        1
    } else {
        0
    }
}

/// A chart of `scene` (named `name`), resolved against `table`, with its warnings and one when a cell
/// could come from runs that differ in a sweep field (an error with `--strict`).
pub fn resolved(
    name: &str,
    scene: &Scene,
    table: &Table,
    strict: bool,
) -> anyhow::Result<(Chart, Vec<ResolvedCell>)> {
    let (chart, cells) = resolve(scene, table)?;
    for warning in &chart.warnings {
        eprintln!("warning: {name}: {}", printable_lines(warning));
    }
    warn_ambiguous(name, &cells, strict)?;
    Ok((chart, cells))
}

/// Says once per scene when a cell could come from runs that differ in a sweep field;
/// with `--strict` that is an error.
fn warn_ambiguous(scene: &str, cells: &[ResolvedCell], strict: bool) -> anyhow::Result<()> {
    let Some(cell) = cells.iter().find(|c| c.ambiguous.is_some()) else {
        return Ok(());
    };
    let message = format!(
        "{scene}: \"{}\" × \"{}\" {}",
        cell.row,
        cell.series,
        cell.ambiguous.as_deref().unwrap_or_default()
    );
    if strict {
        anyhow::bail!("{message} (--strict)");
    }
    eprintln!("warning: {}", printable_lines(&message));
    Ok(())
}
