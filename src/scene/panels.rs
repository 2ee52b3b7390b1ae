//! Scenes of panels (`[[panels]]`): each panel is the scene with the panel's pins, direction and
//! format over its own, resolved as a bar chart of its own; the chart shares the rows, series,
//! legend and footer, and a footer line with `{panel}` repeats per panel.

use anyhow::{Context, bail};

use super::file::{PanelSpec, Scene};
use super::footer::compares;
use super::resolve::{NA_NOTE, ResolvedCell, chart, resolve_ordered};
use crate::chart::{Body, Panel, Panels};
use crate::results::{Direction, PARTIAL_NOTE, Table};

pub(super) fn resolve_panels(
    scene: &Scene,
    table: &Table,
) -> anyhow::Result<(crate::chart::Chart, Vec<ResolvedCell>)> {
    let file = scene.path.display();
    for template in scene.footer.iter().filter(|t| !t.contains("{panel}")) {
        if compares(template) || super::compare::counts(template) || template.contains("{row}") {
            bail!(
                "{file}: footer `{template}` computes from the values, which differ from panel to panel; put `{{panel}}` in it to have a line per panel"
            );
        }
    }
    let mut panels = Vec::new();
    let mut cells = Vec::new();
    let mut legend = None;
    let mut computed = Vec::new();
    let (mut any_na, mut any_partial) = (false, false);
    for (p, spec) in scene.panels.iter().enumerate() {
        let panel_scene = panel_scene(scene, spec);
        let (resolved, panel_cells) = resolve_ordered(&panel_scene, table)
            .with_context(|| format!("panels[{p}] (\"{}\")", spec.title))?;
        let Body::Bars(bars) = resolved.body else {
            bail!("{file}: panels[{p}]: a panel is a bar or compare chart");
        };
        for line in resolved.footer {
            match line.as_str() {
                NA_NOTE => any_na = true,
                l if l.ends_with(PARTIAL_NOTE) => any_partial = true,
                _ => computed.push(line),
            }
        }
        legend.get_or_insert(resolved.legend);
        let title = match bars.direction.filter(|_| !bars.has_deltas()) {
            Some(direction) => format!("{}\n{}", spec.title, Direction::arrow_phrase(direction)),
            None => spec.title.clone(),
        };
        cells.extend(panel_cells);
        panels.push(Panel { title, bars });
    }
    let mut footer: Vec<String> = scene
        .footer
        .iter()
        .filter(|t| !t.contains("{panel}"))
        .cloned()
        .collect();
    footer.extend(computed);
    if any_na && !footer.iter().any(|l| l.starts_with("NA")) {
        footer.insert(0, NA_NOTE.to_string());
    }
    if any_partial {
        footer.push(format!("* {PARTIAL_NOTE}"));
    }
    let n = panels.len();
    let columns = scene
        .panels_columns
        .unwrap_or_else(|| (n as f64).sqrt().ceil() as usize)
        .clamp(1, n.max(1));
    let body = Body::Panels(Panels { panels, columns });
    Ok((
        chart(scene, None, legend.unwrap_or_default(), footer, body),
        cells,
    ))
}

/// The scene as one panel sees it: the panel's pins over the scene's, its direction and format,
/// and only the footer lines that repeat per panel, with its title for `{panel}`.
fn panel_scene(scene: &Scene, panel: &PanelSpec) -> Scene {
    let mut out = scene.clone();
    out.panels = Vec::new();
    out.panels_columns = None;
    if panel.benchmark.is_some() {
        out.benchmark.clone_from(&panel.benchmark);
    }
    if panel.gpu.is_some() {
        out.gpu.clone_from(&panel.gpu);
    }
    if panel.family.is_some() {
        out.family.clone_from(&panel.family);
    }
    if panel.metric.is_some() {
        out.metric.clone_from(&panel.metric);
    }
    out.where_ = scene.where_.and(&panel.where_);
    out.aggregate = panel.aggregate.or(scene.aggregate);
    out.spread = panel.spread.or(scene.spread);
    if panel.direction.is_some() {
        out.direction.clone_from(&panel.direction);
    }
    if let Some(format) = &panel.format {
        out.format = format.clone();
    }
    out.footer = scene
        .footer
        .iter()
        .filter(|t| t.contains("{panel}"))
        .map(|t| t.replace("{panel}", &panel.title))
        .collect();
    out
}
