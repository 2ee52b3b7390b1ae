//! `benchanim data`: the values a scene shows, as a table for people or JSON for programs.

use std::fmt::Write;
use std::path::Path;

use super::inputs::{ResultsArgs, ScenesArgs, warn_ambiguous};
use super::stdout;
use crate::chart::Chart;
use crate::results::Table;
use crate::scene::{ResolvedCell, load_scene, resolve};
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
    let table = args.input.table()?;
    let json = args.format == DataFormat::Json;
    let text = data(
        &args.scenes.dir,
        &args.scene,
        &table,
        json,
        args.input.strict,
    )?;
    stdout::print(&text)?;
    Ok(0)
}

/// The resolved chart as a table (rows × series), or as JSON.
fn data(dir: &Path, name: &str, table: &Table, json: bool, strict: bool) -> anyhow::Result<String> {
    let scene = load_scene(dir, name)?;
    let (chart, cells) = resolve(&scene, table)?;
    warn_ambiguous(name, &cells, strict)?;
    if json {
        let value = serde_json::json!({ "scene": name, "chart": chart, "cells": cells });
        return Ok(serde_json::to_string_pretty(&value)? + "\n");
    }
    Ok(text_table(&chart, &cells))
}

fn text_table(chart: &Chart, cells: &[ResolvedCell]) -> String {
    let series: Vec<&str> = cells
        .iter()
        .take(chart.rows.first().map_or(0, |r| r.bars.len()))
        .map(|c| c.series.as_str())
        .collect();
    // Labels are the scene author's text: printed with their control characters escaped.
    let mut lines: Vec<Vec<String>> = vec![
        std::iter::once("Row".to_string())
            .chain(series.iter().map(|s| printable(s).into_owned()))
            .collect(),
    ];
    for (row, row_cells) in chart.rows.iter().zip(cells.chunks(series.len().max(1))) {
        lines.push(
            std::iter::once(printable(&row.label).into_owned())
                .chain(row.bars.iter().zip(row_cells).map(|(b, c)| match b.value {
                    Some(v) if c.partial => format!("{v:.2}*"),
                    Some(v) => format!("{v:.2}"),
                    None => "NA".to_string(),
                }))
                .collect(),
        );
    }
    let widths: Vec<usize> = (0..lines[0].len())
        .map(|i| {
            lines
                .iter()
                .map(|l| l[i].chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = format!(
        "{}\n{}\n\n",
        printable(&chart.title),
        printable(&chart.subtitle)
    );
    for (n, line) in lines.iter().enumerate() {
        let cols: Vec<String> = line
            .iter()
            .enumerate()
            .map(|(i, c)| {
                if i == 0 {
                    format!("{c:<w$}", w = widths[i])
                } else {
                    format!("{c:>w$}", w = widths[i])
                }
            })
            .collect();
        let _ = writeln!(out, "{}", cols.join("  ").trim_end());
        if n == 0 {
            let _ = writeln!(
                out,
                "{}",
                widths
                    .iter()
                    .map(|w| "-".repeat(*w))
                    .collect::<Vec<_>>()
                    .join("  ")
            );
        }
    }
    let units: Vec<&str> = cells
        .iter()
        .map(|c| c.unit.as_str())
        .filter(|u| !u.is_empty())
        .collect();
    if let Some(unit) = units.first() {
        let _ = writeln!(out, "\nunit: {}", printable(unit));
    }
    for line in &chart.footer {
        let _ = writeln!(out, "{}", printable(line));
    }
    out
}
