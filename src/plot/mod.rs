//! A chart straight from the results, without a scene file: the metrics to plot, what goes
//! along x and what makes the series and rows, chosen from the runs when not given. The scene
//! is built in code, as any scene file would give it, so it renders as one and can be saved as
//! one to edit.
//!
//! `--x` decides the kind: a config field draws a line chart, a metric a scatter chart, none a
//! bar chart (several `--y` make panels, one per metric).

mod choices;
mod request;
mod runs;
mod scene;

use std::io::Write;
use std::path::Path;

use anyhow::{Context, bail};

use crate::atomic::PendingFile;
use crate::results::{Table, sanitize};
use crate::scene::{Kind, MAX_PANELS, Scene};

pub use choices::describe;
pub use request::Request;
use runs::{Grouping, Selection};

/// What a request made: the scene, and what was chosen for it.
#[derive(Debug, Clone)]
pub struct Plot {
    pub scene: Scene,
    /// What each of rows, series, x and points was grouped by: `("series", "gpu")`.
    pub groupings: Vec<(&'static str, String)>,
}

/// The scene `request` makes of `table`'s results, named `name`, after checking that every
/// option names metrics and fields the runs have.
pub fn plot(request: &Request, table: &Table, name: &str) -> anyhow::Result<Plot> {
    if request.ys.is_empty() || request.ys.len() > MAX_PANELS {
        bail!(
            "--y takes 1 to {MAX_PANELS} metrics (several make panels); {} given",
            request.ys.len()
        );
    }
    let selection = Selection::new(request, table)?;
    for y in &request.ys {
        selection.check_metric("--y", y)?;
    }
    let kind = kind(request, &selection)?;
    if kind != Kind::Line && !request.annotate.is_empty() {
        bail!("--annotate calls out peaks and knees on a line chart; give --x a config field");
    }
    if kind != Kind::Bars && request.ys.len() > 1 {
        bail!(
            "several --y make panels, which hold bar charts; a {} chart takes one --y",
            kind.noun()
        );
    }
    let plan = scene::Plan::new(request, &selection, kind)?;
    Ok(Plot {
        groupings: plan.groupings(),
        scene: plan.scene(request, &selection, name),
    })
}

/// The name of a plot that is not saved: `plot_<y>[_vs_<x>]`.
pub fn default_name(request: &Request) -> String {
    let mut name = format!("plot_{}", sanitize(&request.ys.join("_")));
    if let Some(x) = &request.x {
        name += &format!("_vs_{}", sanitize(x));
    }
    name
}

/// Writes `scene` to `path` as a scene file, never over a file that is there; `command` is
/// how it was made, for the file's first line.
pub fn save(path: &Path, scene: &Scene, command: &str) -> anyhow::Result<()> {
    let command = command.replace(['\n', '\r'], " ");
    let text = format!("# Made by `{command}`.\n{}\n", scene.to_toml()?.trim_end());
    let mut file = PendingFile::create(path)?;
    file.write_all(text.as_bytes())
        .with_context(|| format!("cannot write `{}`", path.display()))?;
    file.commit_new()
}

/// The kind of chart: the one asked for, else the one `--x` makes.
fn kind(request: &Request, selection: &Selection) -> anyhow::Result<Kind> {
    let Some(x) = &request.x else {
        return match request.kind {
            None | Some(Kind::Bars) => Ok(Kind::Bars),
            Some(Kind::Line) => bail!("--kind line needs --x FIELD: the config field along x"),
            Some(Kind::Scatter) => bail!("--kind scatter needs --x METRIC: the metric along x"),
            Some(Kind::Compare) => bail!("--kind compare: `benchanim compare` draws those"),
        };
    };
    let kind = match request.kind {
        Some(kind) => kind,
        None if selection.is_metric(x) => Kind::Scatter,
        None => Kind::Line,
    };
    match kind {
        Kind::Scatter => selection.check_metric("--x", x)?,
        Kind::Compare => bail!("--kind compare: `benchanim compare` draws those"),
        Kind::Line | Kind::Bars => {
            if selection.grouping("--x", x)? != Grouping::Field {
                bail!(
                    "--x {x}: a {} chart's x is a config field of the runs, such as max_concurrency",
                    kind.noun()
                );
            }
        }
    }
    Ok(kind)
}
