//! Arguments several subcommands share: where results and scenes are read from.

use std::path::{Path, PathBuf};

use anyhow::bail;

use crate::chart::Chart;
use crate::render::text::missing_glyphs;
use crate::results::{self, CATALOG_FILE, MetricCatalog, Table, Warning};
use crate::scene::{ResolvedCell, Scene, load_charts, resolve, scan_scenes};
use crate::terminal::{printable, printable_lines};

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
        stderr_line!("warning: {}", printable_lines(&w.to_string()));
    }
    if strict && !warnings.is_empty() {
        stderr_line!("error: {} warnings and --strict was given", warnings.len());
        1
    } else {
        0
    }
}

/// A chart of `scene` (named `name`), resolved against `table`, printing its warnings, and one
/// when a cell could come from runs that differ in a sweep field (an error with `--strict`).
pub fn resolved(
    name: &str,
    scene: &Scene,
    table: &Table,
    strict: bool,
) -> anyhow::Result<(Chart, Vec<ResolvedCell>)> {
    let (chart, cells) = resolve(scene, table)?;
    for warning in &chart.warnings {
        stderr_line!("warning: {name}: {}", printable_lines(warning));
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
    stderr_line!("warning: {}", printable_lines(&message));
    Ok(())
}

/// The charts to render: every named scene resolved against `table`, stopping at the first
/// scene that has an error (so nothing renders from a half-valid request).
pub fn charts(
    scenes_dir: &Path,
    names: &[String],
    all: bool,
    table: &Table,
    strict: bool,
) -> anyhow::Result<Vec<(String, Chart)>> {
    let names = if all {
        let (names, odd) = scan_scenes(scenes_dir)?;
        for entry in odd {
            stderr_line!("warning: {}; not a scene file, skipped", printable(&entry));
        }
        if names.is_empty() {
            bail!("no scenes (*.toml) in `{}`", scenes_dir.display());
        }
        names
    } else if names.is_empty() {
        bail!("name the scenes to render (see `benchanim list`), or pass --all");
    } else {
        names.to_vec()
    };
    let mut charts = Vec::new();
    for name in names {
        // A `for_each` scene is a chart per combination: `name@suffix`.
        let expanded = load_charts(scenes_dir, &name, table)?;
        for skipped in &expanded.skipped {
            stderr_line!("{name}: skipped {}", printable(skipped));
        }
        for (name, scene) in expanded.charts {
            let (chart, _) = resolved(&name, &scene, table, strict)?;
            for missing in missing_glyphs(&chart) {
                stderr_line!("warning: {name}: {}", printable(&missing.to_string()));
            }
            charts.push((name, chart));
        }
    }
    // A set of charts read as one: their titles share one size, the smallest that fits all.
    crate::render::share_title_size(&mut charts);
    Ok(charts)
}
