//! Scenes of panels (`[[panels]]`): each panel is the scene with the panel's pins, direction and
//! format over its own, resolved as a bar chart of its own; the chart shares the rows, series,
//! legend and footer, and a footer line with `{panel}` repeats per panel.

use anyhow::{Context, bail};

use super::cell::ResolvedCell;
use super::footer::compares;
use super::model::{PanelSpec, PanelsBody, Scene};
use super::ordered;
use super::parts::{NA_NOTE, chart};
use crate::chart::{Body, Panel, Panels};
use crate::results::{Direction, PARTIAL_NOTE, Table};

pub(super) fn resolve(
    scene: &Scene,
    body: &PanelsBody,
    table: &Table,
) -> anyhow::Result<(crate::chart::Chart, Vec<ResolvedCell>)> {
    let file = scene.file();
    for template in scene
        .common
        .footer
        .iter()
        .filter(|t| !t.contains("{panel}"))
    {
        if compares(template) || super::compare::counts(template) || template.contains("{row}") {
            bail!(
                "{file}: footer `{template}` computes from the values, which differ from panel to panel; put `{{panel}}` in it to have a line per panel"
            );
        }
    }
    let mut panels = Vec::new();
    let mut cells = Vec::new();
    let mut legend = None;
    let mut warnings = None;
    let (mut any_na, mut any_partial) = (false, false);
    for (p, spec) in body.grid.panels.iter().enumerate() {
        let panel_scene = panel_scene(scene, body, spec);
        let (resolved, panel_cells) = ordered::resolve(&panel_scene, table)
            .with_context(|| format!("panels[{p}] (\"{}\")", spec.title))?;
        let Body::Bars(bars) = resolved.body else {
            bail!("{file}: panels[{p}]: a panel is a bar or compare chart");
        };
        let mut notes = Vec::new();
        for line in resolved.footer {
            match line.as_str() {
                NA_NOTE => any_na = true,
                l if l.ends_with(PARTIAL_NOTE) => any_partial = true,
                _ => notes.push(line),
            }
        }
        legend.get_or_insert(resolved.legend);
        // Every panel colours its series alike: the first says what changed.
        warnings.get_or_insert(resolved.warnings);
        let title = match bars.direction.filter(|_| !bars.has_deltas()) {
            Some(direction) => format!("{}\n{}", spec.title, Direction::arrow_phrase(direction)),
            None => spec.title.clone(),
        };
        cells.extend(panel_cells);
        panels.push(Panel { title, bars, notes });
    }
    let mut footer: Vec<String> = scene
        .common
        .footer
        .iter()
        .filter(|t| !t.contains("{panel}"))
        .cloned()
        .collect();
    if any_na && !footer.iter().any(|l| l.starts_with("NA")) {
        footer.insert(0, NA_NOTE.to_string());
    }
    if any_partial {
        footer.push(format!("* {PARTIAL_NOTE}"));
    }
    let n = panels.len();
    let columns = body.grid.panels_columns.map(|c| c.clamp(1, n.max(1)));
    let panels = Body::Panels(Panels { panels, columns });
    let mut chart = chart(scene, None, legend.unwrap_or_default(), footer, panels);
    chart.warnings = warnings.unwrap_or_default();
    Ok((chart, cells))
}

/// The scene as one panel sees it: the panel's pins over the scene's, its direction and format,
/// and only the footer lines that repeat per panel, with its title for `{panel}`.
fn panel_scene(scene: &Scene, body: &PanelsBody, panel: &PanelSpec) -> Scene {
    let mut common = scene.common.clone();
    if panel.benchmark.is_some() {
        common.benchmark.clone_from(&panel.benchmark);
    }
    if panel.gpu.is_some() {
        common.gpu.clone_from(&panel.gpu);
    }
    if panel.family.is_some() {
        common.family.clone_from(&panel.family);
    }
    if panel.metric.is_some() {
        common.metric.clone_from(&panel.metric);
    }
    common.where_ = scene.common.where_.and(&panel.where_);
    common.aggregate = panel.aggregate.or(scene.common.aggregate);
    common.spread = panel.spread.or(scene.common.spread);
    if panel.direction.is_some() {
        common.direction.clone_from(&panel.direction);
    }
    if let Some(format) = &panel.format {
        common.format = format.clone();
    }
    common.footer = scene
        .common
        .footer
        .iter()
        .filter(|t| t.contains("{panel}"))
        .map(|t| in_panel(t, &panel.title))
        .collect();
    Scene {
        common,
        body: (*body.chart).clone(),
    }
}

/// A `{panel}` footer line as it reads under its own panel: a leading `{panel}` (and what
/// separates it from the rest) is left out there, any other is the panel's title.
fn in_panel(template: &str, title: &str) -> String {
    match template.strip_prefix("{panel}") {
        Some(rest) => rest
            .trim_start_matches([':', '·', '-', '–', '—', ',', ' '])
            .to_string(),
        None => template.replace("{panel}", title),
    }
}
