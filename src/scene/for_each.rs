//! `for_each`: one scene, a chart per combination of config values (`for_each =
//! ["tensor_parallel_size", "data_parallel_size"]`), named `<scene>@<suffix>`. A combination
//! charts only where every series has runs with it; the others are named as skipped.

use anyhow::{Context, bail};

use super::chart_name::ChartName;
use super::generate::selects;
use super::levels::{order, x_value};
use super::load::load_scene;
use super::model::Scene;
use crate::chart::XValue;
use crate::results::{ResultFile, Table, Wanted};

/// Most charts one scene may expand into.
pub const MAX_CHARTS: usize = 256;

/// The charts a scene expands into, and the combinations left out.
#[derive(Debug, Clone)]
pub struct Expanded {
    /// `(name, scene)`: `qwen_awq_compare@tp1_dp1_pp1`, pinned to its combination.
    pub charts: Vec<(String, Scene)>,
    /// `tp4_dp1_pp1: no runs of Qwen3-4B-AWQ`.
    pub skipped: Vec<String>,
}

/// One combination: each field's value, and how text shows it.
type Combination = Vec<(XValue, String)>;

/// The scenes to draw for `name`: the scene itself, or for a `for_each` scene each chart (all,
/// or the one `name@suffix` asks for), with the combinations skipped.
pub fn load_charts(dir: &std::path::Path, name: &str, table: &Table) -> anyhow::Result<Expanded> {
    let scene = load_scene(dir, ChartName::parse(name).scene)?;
    charts_of(name, scene, table)
}

/// The charts of `scene` for `name`: the scene itself, or for a `for_each` scene each chart
/// (all, or the one `name@suffix` asks for), with the combinations skipped.
pub fn charts_of(name: &str, scene: Scene, table: &Table) -> anyhow::Result<Expanded> {
    let ChartName {
        scene: base,
        suffix,
    } = ChartName::parse(name);
    if scene.common.for_each.is_empty() {
        if suffix.is_some() {
            bail!("scene `{base}` has no `for_each`, so no chart is called `{name}`");
        }
        return Ok(Expanded {
            charts: vec![(name.to_string(), scene)],
            skipped: Vec::new(),
        });
    }
    let mut expanded = expand(&scene, table)?;
    if suffix.is_some() {
        let Some(i) = expanded.charts.iter().position(|(n, _)| n == name) else {
            let names: Vec<&str> = expanded.charts.iter().map(|(n, _)| n.as_str()).collect();
            bail!(
                "scene `{base}` has no chart `{name}`; it has: {}",
                names.join(", ")
            );
        };
        expanded.charts = vec![expanded.charts.swap_remove(i)];
    }
    Ok(expanded)
}

/// A chart per combination of the `for_each` fields that every series has runs with, in the
/// fields' order; `{field}` in the texts filled with its value.
pub fn expand(scene: &Scene, table: &Table) -> anyhow::Result<Expanded> {
    let file = scene.file();
    let fields = &scene.common.for_each;
    // Who must have each combination: every series, or the scene's runs when it has none.
    let groups: Vec<(String, Vec<&ResultFile>)> = if scene.common.series.is_empty() {
        vec![(scene.common.name.clone(), runs_of(scene, None, table))]
    } else {
        scene
            .common
            .series
            .iter()
            .map(|s| (s.label.clone(), runs_of(scene, Some(s), table)))
            .collect()
    };
    let per_group: Vec<Vec<Combination>> = groups
        .iter()
        .map(|(_, runs)| combinations(runs, fields))
        .collect();
    let mut all: Vec<Combination> = Vec::new();
    for combination in per_group.iter().flatten() {
        if !all.contains(combination) {
            all.push(combination.clone());
        }
    }
    if all.is_empty() {
        bail!(
            "{file}: for_each: no run the scene selects has a value of every one of {}",
            fields.join(", ")
        );
    }
    all.sort_by(|a, b| {
        a.iter()
            .zip(b)
            .map(|((x, _), (y, _))| order(x, y))
            .find(|o| o.is_ne())
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    let mut expanded = Expanded {
        charts: Vec::new(),
        skipped: Vec::new(),
    };
    let total = all.len();
    let mut names = std::collections::HashSet::new();
    for combination in all {
        let suffix = suffix(scene, &combination).with_context(|| format!("{file}: name_suffix"))?;
        let lacking: Vec<&str> = groups
            .iter()
            .zip(&per_group)
            .filter(|(_, combos)| !combos.contains(&combination))
            .map(|((label, _), _)| label.as_str())
            .collect();
        if !lacking.is_empty() {
            expanded
                .skipped
                .push(format!("{suffix}: no runs of {}", lacking.join(", ")));
            continue;
        }
        let name = ChartName {
            scene: &scene.common.name,
            suffix: Some(&suffix),
        }
        .to_string();
        if !names.insert(name.clone()) {
            bail!(
                "{file}: name_suffix: two charts would be called `{name}`; put every field of for_each in it"
            );
        }
        expanded.charts.push((name, pinned(scene, &combination)));
        // Said before the work of charts that would be refused anyway.
        if expanded.charts.len() > MAX_CHARTS {
            bail!(
                "{file}: for_each makes more than {MAX_CHARTS} charts ({total} combinations of {}); at most {MAX_CHARTS}: pin some of the fields with `where`",
                fields.join(", ")
            );
        }
    }
    Ok(expanded)
}

/// The runs a series (or the scene alone) selects.
fn runs_of<'t>(
    scene: &Scene,
    series: Option<&super::model::SeriesSpec>,
    table: &'t Table,
) -> Vec<&'t ResultFile> {
    table
        .benchmarks
        .iter()
        .flat_map(|b| &b.runs)
        .filter(|run| selects(scene.common.pins(), series.map(|s| s.pins()), run))
        .collect()
}

/// The distinct combinations of `fields` among `runs` (runs lacking one are left out).
fn combinations(runs: &[&ResultFile], fields: &[String]) -> Vec<Combination> {
    let mut found: Vec<Combination> = Vec::new();
    for run in runs {
        let combination: Option<Combination> = fields
            .iter()
            .map(|f| run.field(f).and_then(x_value))
            .collect();
        if let Some(c) = combination
            && !found.contains(&c)
        {
            found.push(c);
        }
    }
    found
}

/// The chart's name after `@`: the scene's `name_suffix` filled in, else `<field><value>` for
/// each field, joined with `_`; anything but letters, digits, `-`, `.` and `_` becomes `_`.
fn suffix(scene: &Scene, combination: &Combination) -> anyhow::Result<String> {
    let raw = match &scene.common.name_suffix {
        Some(template) => {
            let filled = fill(template, &scene.common.for_each, combination);
            if let Some(start) = filled.find('{')
                && let Some(end) = filled[start..].find('}')
            {
                bail!(
                    "`{}` is not a field of for_each ({})",
                    &filled[start..start + end + 1],
                    scene.common.for_each.join(", ")
                );
            }
            filled
        }
        None => scene
            .common
            .for_each
            .iter()
            .zip(combination)
            .map(|(field, (_, shown))| format!("{field}{shown}"))
            .collect::<Vec<_>>()
            .join("_"),
    };
    Ok(raw
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect())
}

/// `{field}` in `text` replaced by the combination's value of that field.
fn fill(text: &str, fields: &[String], combination: &Combination) -> String {
    let mut out = text.to_string();
    for (field, (_, shown)) in fields.iter().zip(combination) {
        out = out.replace(&format!("{{{field}}}"), shown);
    }
    out
}

/// The scene pinned to `combination`, its texts filled in.
fn pinned(scene: &Scene, combination: &Combination) -> Scene {
    let mut out = scene.clone();
    for (field, (value, _)) in scene.common.for_each.iter().zip(combination) {
        out.common
            .where_
            .0
            .insert(field.clone(), Wanted::One(super::levels::level_of(value)));
    }
    let fields = &scene.common.for_each;
    out.common.title = fill(&scene.common.title, fields, combination);
    out.common.subtitle = fill(&scene.common.subtitle, fields, combination);
    out.common.metadata = scene
        .common
        .metadata
        .iter()
        .map(|m| fill(m, fields, combination))
        .collect();
    out.common.footer = scene
        .common
        .footer
        .iter()
        .map(|f| fill(f, fields, combination))
        .collect();
    out.common.for_each = Vec::new();
    out
}
