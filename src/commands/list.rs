//! `benchanim list`: the scenes and their titles.

use std::fmt::Write;
use std::path::Path;

use super::inputs::{ResultsArgs, ScenesArgs};
use super::stdout;
use crate::results::Table;
use crate::scene::{expand, load_scene, scan_scenes};
use crate::terminal::printable;

#[derive(Debug, clap::Args)]
pub struct ListArgs {
    #[command(flatten)]
    pub scenes: ScenesArgs,
    /// The results count the charts of `for_each` scenes.
    #[command(flatten)]
    pub input: ResultsArgs,
}

pub fn run(args: ListArgs) -> anyhow::Result<u8> {
    stdout::print(&list(&args.scenes.dir, &args.input)?)?;
    Ok(0)
}

/// `name  title` for every scene in `dir`; `(× N charts)` after a `for_each` scene's, when
/// the results can be read.
fn list(dir: &Path, input: &ResultsArgs) -> anyhow::Result<String> {
    let (names, odd) = scan_scenes(dir)?;
    for entry in odd {
        stderr_line!(
            "warning: {}; not a scene file, skipped",
            printable(&entry.to_string())
        );
    }
    if names.is_empty() {
        anyhow::bail!("no scenes (*.toml) in `{}`", dir.display());
    }
    let width = names.iter().map(String::len).max().unwrap_or(0);
    let scenes: Vec<_> = names.iter().map(|n| load_scene(dir, n)).collect();
    // Read only when a scene makes a chart per combination of values.
    let table: Option<Table> = scenes
        .iter()
        .any(|s| s.as_ref().is_ok_and(|s| !s.common.for_each.is_empty()))
        .then(|| input.table().ok())
        .flatten();
    let mut out = String::new();
    for (name, scene) in names.iter().zip(scenes) {
        let title = match scene {
            Err(e) => format!("(unreadable: {e:#})"),
            Ok(scene) if scene.common.for_each.is_empty() => scene.common.title,
            Ok(scene) => {
                let charts = match table.as_ref().map(|t| expand(&scene, t)) {
                    Some(Ok(expanded)) => format!("× {} charts", expanded.charts.len()),
                    // As `render` would refuse it, so that a listed scene is one that renders.
                    Some(Err(e)) => format!("refused: {e:#}"),
                    None => format!("a chart per {}", scene.common.for_each.join(", ")),
                };
                format!("{} ({charts})", scene.common.title)
            }
        };
        let _ = writeln!(out, "{name:width$}  {}", printable(&title));
    }
    Ok(out)
}
