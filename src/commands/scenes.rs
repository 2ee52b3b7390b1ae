//! `benchanim list` and `benchanim data`: what the scenes are and what they show.

use std::fmt::Write;
use std::path::Path;

use crate::chart::Chart;
use crate::results::Table;
use crate::scene::{ResolvedCell, list_scenes, load_scene, resolve};

/// `name  title` for every scene in `dir`.
pub fn list(dir: &Path) -> anyhow::Result<String> {
    let names = list_scenes(dir)?;
    if names.is_empty() {
        anyhow::bail!("no scenes (*.toml) in `{}`", dir.display());
    }
    let width = names.iter().map(String::len).max().unwrap_or(0);
    let mut out = String::new();
    for name in names {
        let title =
            load_scene(dir, &name).map_or_else(|e| format!("(unreadable: {e:#})"), |s| s.title);
        let _ = writeln!(out, "{name:width$}  {title}");
    }
    Ok(out)
}

/// The resolved chart as a table (rows × series), or as JSON.
pub fn data(dir: &Path, name: &str, table: &Table, json: bool) -> anyhow::Result<String> {
    let scene = load_scene(dir, name)?;
    let (chart, cells) = resolve(&scene, table)?;
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
    let mut lines: Vec<Vec<String>> = vec![
        std::iter::once("Row".to_string())
            .chain(series.iter().map(|s| s.to_string()))
            .collect(),
    ];
    for row in &chart.rows {
        lines.push(
            std::iter::once(row.label.clone())
                .chain(
                    row.bars
                        .iter()
                        .map(|b| b.value.map_or("NA".to_string(), |v| format!("{v:.2}"))),
                )
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
    let mut out = format!("{}\n{}\n\n", chart.title, chart.subtitle);
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
        let _ = writeln!(out, "\nunit: {unit}");
    }
    for line in &chart.footer {
        let _ = writeln!(out, "{line}");
    }
    out
}
