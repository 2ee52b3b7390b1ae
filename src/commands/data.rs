//! `benchanim data`: the values a scene shows, as a table for people or JSON for programs.

use std::fmt::Write;
use std::path::Path;

use super::inputs::{ResultsArgs, ScenesArgs, resolved};
use super::stdout;
use crate::data;
use crate::results::Table;
use crate::scene::{ChartName, Scene, load_charts};
use crate::terminal::printable;

#[derive(Debug, clap::Args)]
pub struct DataArgs {
    /// The scene's name (see `benchanim list`).
    pub scene: String,
    #[command(flatten)]
    pub scenes: ScenesArgs,
    #[command(flatten)]
    pub input: ResultsArgs,
    /// `table` for people, `json` for programs.
    #[arg(long, value_enum, default_value_t = DataFormat::Table)]
    pub format: DataFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DataFormat {
    Table,
    Json,
}

pub fn run(args: DataArgs) -> anyhow::Result<u8> {
    crate::atomic::exit_cleanly_on_signal()?;
    let table = args.input.table()?;
    let json = args.format == DataFormat::Json;
    let text = scene_data(
        &args.scenes.dir,
        &args.scene,
        &table,
        json,
        args.input.strict,
    )?;
    stdout::print(&text)?;
    Ok(0)
}

/// The resolved chart as a table (rows × series, or each series' points), or as JSON. A
/// `for_each` scene gives each of its charts, and the combinations it skipped.
fn scene_data(
    dir: &Path,
    name: &str,
    table: &Table,
    json: bool,
    strict: bool,
) -> anyhow::Result<String> {
    let expanded = load_charts(dir, name, table)?;
    // One chart: a plain scene, or one chart of a `for_each` scene asked for by name.
    let asked_for_one = ChartName::parse(name).suffix.is_some();
    if expanded.charts.len() == 1 && (asked_for_one || expanded.charts[0].0 == name) {
        let (name, scene) = &expanded.charts[0];
        return chart_data(name, scene, table, json, strict);
    }
    if json {
        let mut charts = Vec::new();
        for (chart_name, scene) in &expanded.charts {
            let (chart, cells) = resolved(chart_name, scene, table, strict)?;
            charts.push(data::chart_json(chart_name, &chart, &cells));
        }
        let value = serde_json::json!({
            "scene": name,
            "charts": charts,
            "skipped": expanded.skipped,
        });
        return Ok(serde_json::to_string_pretty(&value)? + "\n");
    }
    let mut out = String::new();
    for (chart_name, scene) in &expanded.charts {
        let part = chart_data(chart_name, scene, table, false, strict)?;
        let _ = writeln!(out, "== {} ==\n{part}", printable(chart_name));
    }
    for skipped in &expanded.skipped {
        let _ = writeln!(out, "skipped {}", printable(skipped));
    }
    Ok(out)
}

/// One chart's data.
fn chart_data(
    name: &str,
    scene: &Scene,
    table: &Table,
    json: bool,
    strict: bool,
) -> anyhow::Result<String> {
    let (chart, cells) = resolved(name, scene, table, strict)?;
    if json {
        let value = data::chart_json(name, &chart, &cells);
        return Ok(serde_json::to_string_pretty(&value)? + "\n");
    }
    Ok(data::chart_text(&chart, &cells))
}
