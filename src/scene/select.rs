//! Selecting the runs a cell or a line draws on: the scene's, the row's and the series' pins
//! merged and checked against the table.

use anyhow::{anyhow, bail};

use super::model::{ByFamily, Pins};
use crate::results::{Aggregate, Benchmark, ResultFile, Spread, Table, Where, distinct};

/// What the merged pins select.
pub struct Selection<'t> {
    pub benchmark: &'t Benchmark,
    pub gpu: String,
    pub metric: String,
    /// The config fields the runs were chosen by.
    pub wanted: Where,
    /// The GPU's runs of the benchmark with those fields, the one that counts first.
    pub runs: Vec<&'t ResultFile>,
    /// How repeats of a run make the value, and their whiskers: the series', else the row's,
    /// else the scene's.
    pub aggregate: Aggregate,
    pub spread: Spread,
}

/// Merges scene ← row ← series pins; a row and a series may not pin the same thing differently.
/// Errors name the pin and what exists instead.
pub fn select<'t>(
    table: &'t Table,
    scene: Pins,
    row: Pins,
    series: Pins,
) -> anyhow::Result<Selection<'t>> {
    let family = pick("family", scene.family, row.family, series.family)?;
    let gpu = pick("gpu", scene.gpu, row.gpu, series.gpu)?
        .ok_or_else(|| anyhow!("no `gpu` pinned on the scene, row or series"))?;
    let benchmark = pick_by_family(
        "benchmark",
        scene.benchmark,
        row.benchmark,
        series.benchmark,
        family,
    )?
    .ok_or_else(|| anyhow!("no `benchmark` pinned on the scene, row or series"))?;
    let Some(found) = table.benchmark(&benchmark) else {
        let known: Vec<&str> = table
            .benchmarks
            .iter()
            .filter(|b| family.is_none_or(|f| b.family == f))
            .map(|b| b.id.as_str())
            .collect();
        bail!(
            "benchmark: no benchmark `{benchmark}` in the results; there are: {}",
            known.join(", ")
        );
    };
    if let Some(f) = family
        && f != found.family
    {
        bail!(
            "family: `{f}` is pinned but benchmark `{benchmark}` is of family `{}`",
            found.family
        );
    }
    if !table.gpus.iter().any(|g| g == gpu) {
        bail!(
            "gpu: no results for GPU `{gpu}`; GPUs with results: {}",
            table.gpus.join(", ")
        );
    }
    let metric = pick_by_family(
        "metric",
        scene.metric,
        row.metric,
        series.metric,
        Some(&found.family),
    )?
    .ok_or_else(|| anyhow!("no `metric` pinned on the scene, row or series"))?;
    if !found.has_metric(&metric) && !found.has_series(&metric) {
        bail!(
            "metric: benchmark `{benchmark}` has no metric `{metric}`; it has: {}",
            found.headline_metrics(&table.catalog).join(", ")
        );
    }
    let wanted = merge_where(scene.where_, row.where_, series.where_)?;
    let runs: Vec<&ResultFile> = found.runs_where(gpu, &wanted);
    // A level a generated row or series lacks is NA; one the scene wrote is a mistake to name.
    let from_data = row.from_data || series.from_data;
    if runs.is_empty() && !wanted.is_empty() && found.latest(gpu).is_some() && !from_data {
        let (field, _) = wanted.0.iter().next().expect("where is not empty");
        let has = distinct(found.runs.iter().filter(|r| r.gpu == gpu), field);
        bail!(
            "where: no run of `{benchmark}` on `{gpu}` has {wanted}; {}",
            if has.is_empty() {
                format!("its runs have no `{field}`")
            } else {
                format!("it has {field} {}", has.join(", "))
            }
        );
    }
    Ok(Selection {
        benchmark: found,
        gpu: gpu.to_string(),
        metric,
        wanted,
        runs,
        aggregate: series
            .aggregate
            .or(row.aggregate)
            .or(scene.aggregate)
            .unwrap_or_default(),
        spread: series
            .spread
            .or(row.spread)
            .or(scene.spread)
            .unwrap_or_default(),
    })
}

/// Scene, row and series `where` merged, most specific last; the row and the series may not
/// want different values of one field.
fn merge_where(scene: &Where, row: &Where, series: &Where) -> anyhow::Result<Where> {
    for (field, r) in &row.0 {
        if let Some(s) = series.0.get(field)
            && r != s
        {
            bail!("where.{field}: the row pins `{r}` and the series pins `{s}`");
        }
    }
    Ok(scene.and(row).and(series))
}

fn pick<'a>(
    key: &str,
    scene: Option<&'a str>,
    row: Option<&'a str>,
    series: Option<&'a str>,
) -> anyhow::Result<Option<&'a str>> {
    if let (Some(r), Some(s)) = (row, series)
        && r != s
    {
        bail!("{key}: the row pins `{r}` and the series pins `{s}`");
    }
    Ok(series.or(row).or(scene))
}

fn pick_by_family(
    key: &str,
    scene: Option<&ByFamily>,
    row: Option<&ByFamily>,
    series: Option<&ByFamily>,
    family: Option<&str>,
) -> anyhow::Result<Option<String>> {
    let one = |v: Option<&ByFamily>| -> anyhow::Result<Option<String>> {
        match v {
            None => Ok(None),
            Some(ByFamily::One(s)) => Ok(Some(s.clone())),
            Some(ByFamily::PerFamily(map)) => {
                let Some(f) = family else {
                    bail!(
                        "{key} is given per family ({}) but no `family` is pinned",
                        map.keys().cloned().collect::<Vec<_>>().join(", ")
                    );
                };
                map.get(f).cloned().map(Some).ok_or_else(|| {
                    anyhow!(
                        "{key} has no entry for family `{f}`; it has: {}",
                        map.keys().cloned().collect::<Vec<_>>().join(", ")
                    )
                })
            }
        }
    };
    let (scene, row, series) = (one(scene)?, one(row)?, one(series)?);
    Ok(pick(key, scene.as_deref(), row.as_deref(), series.as_deref())?.map(str::to_string))
}
