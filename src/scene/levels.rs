//! A series' runs grouped by the value of a config field (its levels): the points of line and
//! scatter charts, each with the run that counts and every run behind it. Or the points of a
//! series section of one run (a tenant's latency per iteration).

use std::collections::HashMap;

use anyhow::bail;

use super::cell::ResolvedCell;
use super::format::format_value;
use super::model::SectionX;
use super::select::Selection;
use crate::chart::{XKey, XValue};
use crate::results::{Level, ResultFile, Row, Table, Value, Wanted};

/// One value of the field in one series' runs.
pub(super) struct Sample<'t> {
    pub value: XValue,
    /// As a tick or a table shows it: `1,024`, `∞`, `vllm`.
    pub label: String,
    /// Every run at this value, the one that counts first.
    pub runs: Vec<&'t ResultFile>,
}

/// The selected runs grouped by their value of `field`, in the order the runs count. `key` is
/// the scene key that names the field, for the error when no run has it.
pub(super) fn samples<'t>(
    selection: &Selection<'t>,
    field: &str,
    key: &str,
) -> anyhow::Result<Vec<Sample<'t>>> {
    let Selection { benchmark, gpu, .. } = selection;
    if selection.runs.is_empty() {
        bail!("no run of `{}` on `{gpu}`", benchmark.id);
    }
    let mut samples: Vec<Sample> = Vec::new();
    let mut at: HashMap<XKey, usize> = HashMap::new();
    for &run in &selection.runs {
        let Some((value, label)) = run.field(field).and_then(x_value) else {
            continue;
        };
        match at.get(&value.key()) {
            Some(&i) => samples[i].runs.push(run),
            None => {
                at.insert(value.key(), samples.len());
                samples.push(Sample {
                    value,
                    label,
                    runs: vec![run],
                });
            }
        }
    }
    if samples.is_empty() {
        bail!(
            "{key}: no run of `{}` on `{gpu}` has a value of `{field}`",
            benchmark.id
        );
    }
    Ok(samples)
}

/// A config value as a level, with its label; `None` for a missing one.
pub(super) fn x_value(value: &Value) -> Option<(XValue, String)> {
    match value {
        Value::Number(n) => Some((
            XValue::Number(n.value),
            format_value(n.value, Some(level_decimals(n.value, n.decimals())), ""),
        )),
        Value::Missing => None,
        other => {
            let text = other.to_text();
            let trimmed = text.trim();
            if ["inf", "infinity", "+inf"].contains(&trimmed.to_lowercase().as_str()) {
                Some((XValue::Infinity, "∞".to_string()))
            } else {
                Some((XValue::Text(trimmed.to_string()), trimmed.to_string()))
            }
        }
    }
}

/// The places a level's label needs: a setting written `1.00` or `2.50` is the level 1 or 2.5,
/// so whole levels read `1, 2, 4` rather than `1.00, 2.00, 4.00`.
fn level_decimals(value: f64, written: usize) -> usize {
    let text = format!("{:.*}", written, value.abs());
    text.split_once('.')
        .map_or(0, |(_, places)| places.trim_end_matches('0').len())
}

/// Level order: numbers ascending, then ∞, then text in order.
pub(super) fn order(a: &XValue, b: &XValue) -> std::cmp::Ordering {
    let rank = |v: &XValue| match v {
        XValue::Number(_) => 0,
        XValue::Infinity => 1,
        XValue::Text(_) => 2,
    };
    match (a, b) {
        (XValue::Number(x), XValue::Number(y)) => x.total_cmp(y),
        (XValue::Text(x), XValue::Text(y)) => x.cmp(y),
        _ => rank(a).cmp(&rank(b)),
    }
}

/// A value a run has, as a pin that selects it (`where`): ∞ is pinned as `inf`.
pub(super) fn level_of(value: &XValue) -> Level {
    match value {
        XValue::Number(n) => Level::Number(*n),
        XValue::Infinity => Level::Text("inf".into()),
        XValue::Text(t) => Level::Text(t.clone()),
    }
}

/// The value of `metric` at a level, and where it came from: the run that counts there (or it
/// and its repeats, by the selection's `aggregate`), and every run at that level.
pub(super) fn cell(
    table: &Table,
    selection: &Selection,
    sample: &Sample,
    field: &str,
    metric: &str,
) -> ResolvedCell {
    let level = level_of(&sample.value);
    let mut at_level = selection.wanted.clone();
    at_level.0.insert(field.to_string(), Wanted::One(level));
    ResolvedCell {
        row: sample.label.clone(),
        level: Some(sample.value.clone()),
        runs: sample.runs.iter().map(|r| r.path.clone()).collect(),
        ..ResolvedCell::measure(table, selection, &sample.runs, at_level, metric)
    }
}

/// The points of a series section of the run that counts (`x = { section = "latency_ms" }`):
/// its `# series latency_ms by <x>` rows, x in the metric column and y the value; with `by =
/// "time"` each point at the time the values up to it add up to, in seconds. Each point is a
/// sample of that one run, with its cell.
pub(super) fn section_samples<'t>(
    table: &Table,
    selection: &Selection<'t>,
    section: &str,
    by: SectionX,
) -> anyhow::Result<(Vec<Sample<'t>>, Vec<ResolvedCell>)> {
    let Selection { benchmark, gpu, .. } = selection;
    let Some(&run) = selection.runs.first() else {
        bail!("no run of `{}` on `{gpu}`", benchmark.id);
    };
    let rows: Vec<&Row> = run
        .rows
        .iter()
        .filter(|r| r.series_of().is_some_and(|(m, _)| m == section))
        .collect();
    if rows.is_empty() {
        let mut there: Vec<String> = run
            .rows
            .iter()
            .filter_map(|r| r.series_of().map(|(m, x)| format!("{m} by {x}")))
            .collect();
        there.dedup();
        bail!(
            "x.section: `{}` has no `# series {section} by …` section; {}",
            run.path.display(),
            if there.is_empty() {
                "it has no series sections".to_string()
            } else {
                format!("it has: {}", there.join(", "))
            }
        );
    }
    let mut points: Vec<(f64, f64, &str)> = rows
        .iter()
        .filter_map(|r| {
            let x = r
                .metric
                .trim()
                .parse::<f64>()
                .ok()
                .filter(|x| x.is_finite())?;
            let y = r.value.as_number().filter(|y| y.is_finite())?;
            Some((x, y, r.unit.as_str()))
        })
        .collect();
    points.sort_by(|a, b| a.0.total_cmp(&b.0));
    if by == SectionX::Time {
        let mut clock = 0.0;
        for p in &mut points {
            clock += match p.2 {
                "ms" => p.1 / 1000.0,
                "us" | "µs" => p.1 / 1e6,
                _ => p.1,
            };
            p.0 = clock;
        }
    }
    // What every point shares: the run, measured once.
    let mut base =
        ResolvedCell::measure(table, selection, &[run], selection.wanted.clone(), section);
    base.partial = run.is_partial();
    base.run = Some(run.path.clone());
    base.runs = vec![run.path.clone()];
    base.n = 1;
    let mut samples = Vec::with_capacity(points.len());
    let mut cells = Vec::with_capacity(points.len());
    // Points at one x (two requests that ended in the same millisecond) are one point, their
    // mean, standing for as many values: a line has one y at each x.
    for same_x in points.chunk_by(|a, b| a.0 == b.0) {
        let (x, _, unit) = same_x[0];
        let y = same_x.iter().map(|p| p.1).sum::<f64>() / same_x.len() as f64;
        let places = (x.fract() == 0.0).then_some(0);
        let label = format_value(x, places, "");
        let mut cell = base.clone();
        cell.row.clone_from(&label);
        cell.value = Some(y);
        cell.n = same_x.len();
        cell.unit = unit.to_string();
        cell.level = Some(XValue::Number(x));
        samples.push(Sample {
            value: XValue::Number(x),
            label,
            runs: vec![run],
        });
        cells.push(cell);
    }
    Ok((samples, cells))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_level_reads_as_the_setting_without_trailing_zeros() {
        let label = |text: &str| x_value(&Value::parse(text)).unwrap().1;
        assert_eq!(label("1.00"), "1");
        assert_eq!(label("2.50"), "2.5");
        assert_eq!(label("0.125"), "0.125");
        assert_eq!(label("4096"), "4,096");
        assert_eq!(label("inf"), "∞");
    }
}
