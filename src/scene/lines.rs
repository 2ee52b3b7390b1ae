//! Resolving a line scene: each series' points are the distinct values of the x field among the
//! runs its pins select, each with the newest run's value; a level a series lacks is a gap.

use anyhow::{Context, bail};

use super::cell::ResolvedCell;
use super::footer::compares;
use super::levels::{Sample, cell, order, samples, section_samples};
use super::line_text::{annotations, footer_lines, names_peaks};
use super::model::{ByFamily, LinesBody, Pins, Scene, SectionX, XSpec};
use super::parts::{
    chart, metric_unit, scene_direction, series_colors, series_legend, unknown_direction,
};
use super::select::{Selection, select};
use crate::chart::{
    Body, Chart, LinePlot, LinePoint, LineSeries, Rgb, ValueAxis, XAxis, XLevel, XScale, XValue,
    knee, peak,
};
use crate::results::{Direction, PARTIAL_NOTE, Table, display};

/// A series' points: what its pins select, with each point's sample.
type Selected<'t> = (Selection<'t>, Vec<Sample<'t>>);

pub(super) fn resolve(
    scene: &Scene,
    body: &LinesBody,
    table: &Table,
) -> anyhow::Result<(Chart, Vec<ResolvedCell>)> {
    let file = scene.file().to_string();
    let Some(x) = body.x.as_ref() else {
        bail!("{file}: a line chart needs its x axis: `x = {{ field = … }}`");
    };
    // A section's points are the section's metric, unless the scene names another.
    let named;
    let scene = match &x.section {
        Some(section)
            if scene.common.metric.is_none()
                && scene.common.series.iter().all(|s| s.metric.is_none()) =>
        {
            let mut with_metric = scene.clone();
            with_metric.common.metric = Some(ByFamily::One(section.clone()));
            named = with_metric;
            &named
        }
        _ => scene,
    };
    // A config field, or a series section's x: the iteration, or the time.
    let field = match (&x.field, &x.section, x.by.unwrap_or_default()) {
        (Some(field), _, _) => field.as_str(),
        (None, Some(_), SectionX::Iteration) => "iteration",
        (None, Some(_), SectionX::Time) => "time (s)",
        (None, None, _) => bail!("{file}: a line chart needs its x axis: `x = {{ field = … }}`"),
    };
    if scene.common.series.is_empty() {
        bail!("{file}: a line chart needs at least one [[series]]");
    }
    let colors = series_colors(scene)?;
    let (selections, section_cells) = select_series(scene, x, field, table)?;
    let (cells, direction) = cells_of(scene, &selections, &section_cells, field, table)?;
    check_direction(scene, body, direction, &cells)?;

    let x_axis = x_axis(x, field, &selections, &cells).with_context(|| file.clone())?;
    let mut cells_left = cells.iter();
    let series: Vec<LineSeries> = scene
        .common
        .series
        .iter()
        .zip(&selections)
        .zip(&colors)
        .map(|((spec, (_, samples)), &color)| {
            let cells: Vec<&ResolvedCell> = cells_left.by_ref().take(samples.len()).collect();
            let line = Line {
                label: spec.label.clone(),
                color,
                samples,
                cells: &cells,
            };
            line_series(scene, body, line, &x_axis, direction)
        })
        .collect();
    let unit = cells
        .first()
        .map(|c| metric_unit(table, c))
        .unwrap_or_default();
    let mut plot = LinePlot {
        x: x_axis,
        y: ValueAxis {
            title: body
                .y
                .as_ref()
                .and_then(|y| y.label.clone())
                .unwrap_or_else(|| unit.clone()),
            direction,
            from_zero: body.y_from_zero.unwrap_or(true),
            decimals: scene.common.format.decimals,
            suffix: scene.common.format.suffix.clone(),
        },
        series,
        annotations: Vec::new(),
        point_labels: body.point_labels.unwrap_or_default(),
    };
    plot.annotations = annotations(scene, body, &plot, &unit);
    let mut footer = footer_lines(scene, &plot, &unit).with_context(|| file.clone())?;
    if cells.iter().any(|c| c.partial && c.value.is_some()) {
        footer.push(format!("* {PARTIAL_NOTE}"));
    }
    let legend = series_legend(scene, &colors);
    let phrase = direction.map(Direction::arrow_phrase);
    Ok((
        chart(scene, phrase, legend, footer, Body::Lines(plot)),
        cells,
    ))
}

/// Each series' runs, grouped by x value; or its run's section, point by point (with the
/// section's cells).
fn select_series<'t>(
    scene: &Scene,
    x: &XSpec,
    field: &str,
    table: &'t Table,
) -> anyhow::Result<(Vec<Selected<'t>>, Vec<Vec<ResolvedCell>>)> {
    let file = scene.file();
    let by = x.by.unwrap_or_default();
    let mut selections = Vec::new();
    let mut section_cells = Vec::new();
    for (s, series) in scene.common.series.iter().enumerate() {
        let at = || format!("{file}: series[{s}] (\"{}\")", series.label);
        let selection =
            select(table, scene.common.pins(), Pins::none(), series.pins()).with_context(at)?;
        let samples = match &x.section {
            Some(section) => {
                let (samples, cells) =
                    section_samples(table, &selection, section, by).with_context(at)?;
                section_cells.push(cells);
                samples
            }
            None => samples(&selection, field, "x").with_context(at)?,
        };
        selections.push((selection, samples));
    }
    Ok((selections, section_cells))
}

/// Every point's cell, series by series, and which way is better: the scene's, else that of
/// the first cell whose metric has a known one.
fn cells_of(
    scene: &Scene,
    selections: &[Selected],
    section_cells: &[Vec<ResolvedCell>],
    field: &str,
    table: &Table,
) -> anyhow::Result<(Vec<ResolvedCell>, Option<Direction>)> {
    let mut direction = scene_direction(scene)?;
    let mut cells = Vec::new();
    for (s, (selection, samples)) in selections.iter().enumerate() {
        for (i, sample) in samples.iter().enumerate() {
            let cell = match section_cells.get(s) {
                Some(of_section) => of_section[i].clone(),
                None => cell(table, selection, sample, field, &selection.metric),
            };
            if direction.is_none() {
                direction = table
                    .catalog
                    .direction(&cell.metric, &metric_unit(table, &cell));
            }
            cells.push(ResolvedCell {
                series: scene.common.series[s].label.clone(),
                ..cell
            });
        }
    }
    Ok((cells, direction))
}

/// Callouts and footers that name the best point need to know which way is better.
fn check_direction(
    scene: &Scene,
    body: &LinesBody,
    direction: Option<Direction>,
    cells: &[ResolvedCell],
) -> anyhow::Result<()> {
    let file = scene.file();
    if direction.is_none() && !body.annotate.is_empty() {
        bail!(
            "{file}: `annotate` calls out the best point, but {}",
            unknown_direction(cells)
        );
    }
    if direction.is_none()
        && let Some(template) = scene
            .common
            .footer
            .iter()
            .find(|t| compares(t) || names_peaks(t))
    {
        bail!(
            "{file}: footer `{template}` compares values, but {}",
            unknown_direction(cells)
        );
    }
    Ok(())
}

/// The x axis: every x value some series has a value at, in order, on the scene's scale or
/// the one that suits them.
fn x_axis(
    x: &XSpec,
    field: &str,
    selections: &[(Selection, Vec<Sample>)],
    cells: &[ResolvedCell],
) -> anyhow::Result<XAxis> {
    let mut values: Vec<(XValue, String)> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (sample, cell) in selections.iter().flat_map(|(_, s)| s).zip(cells) {
        if cell.value.is_some() && seen.insert(sample.value.key()) {
            values.push((sample.value.clone(), sample.label.clone()));
        }
    }
    values.sort_by(|a, b| order(&a.0, &b.0));
    let scale = scale(x.scale, field, &values)?;
    Ok(XAxis {
        title: (x.label.clone())
            .unwrap_or_else(|| display::field_label(field).unwrap_or(field).to_string()),
        scale,
        levels: place(&values, scale),
        continuous: x.section.is_some(),
    })
}

/// One series' line before it is placed: its samples and their cells.
struct Line<'a> {
    label: String,
    color: Rgb,
    samples: &'a [Sample<'a>],
    cells: &'a [&'a ResolvedCell],
}

/// A series' points (its samples that have a value), peak and knee.
fn line_series(
    scene: &Scene,
    body: &LinesBody,
    line: Line,
    x_axis: &XAxis,
    direction: Option<Direction>,
) -> LineSeries {
    let Line {
        label,
        color,
        samples,
        cells,
    } = line;
    let level_of: std::collections::HashMap<_, usize> = x_axis
        .levels
        .iter()
        .enumerate()
        .map(|(i, l)| (l.value.key(), i))
        .collect();
    let mut points: Vec<LinePoint> = samples
        .iter()
        .zip(cells)
        .filter_map(|(sample, cell)| {
            Some(LinePoint {
                level: *level_of.get(&sample.value.key())?,
                y: cell.value?,
                label: cell.label(&scene.common.format)?,
                n: cell.n,
                whisker: cell.whisker,
            })
        })
        .collect();
    points.sort_by_key(|p| p.level);
    let ys: Vec<f64> = points.iter().map(|p| p.y).collect();
    let fraction = body.knee_fraction();
    LineSeries {
        label,
        color,
        peak: direction.and_then(|d| peak(&ys, d)),
        knee: direction.and_then(|d| knee(&ys, d, fraction)),
        points,
    }
}

/// The scene's scale, checked against the values, or the one that suits them: category for
/// text, log2 for three or more powers of two, else linear.
fn scale(
    given: Option<XScale>,
    field: &str,
    values: &[(XValue, String)],
) -> anyhow::Result<XScale> {
    let text = values.iter().find_map(|(v, _)| match v {
        XValue::Text(t) => Some(t),
        _ => None,
    });
    let numbers: Vec<f64> = values
        .iter()
        .filter_map(|(v, _)| match v {
            XValue::Number(n) => Some(*n),
            _ => None,
        })
        .collect();
    match (given, text) {
        (None | Some(XScale::Category), Some(_)) => Ok(XScale::Category),
        (Some(scale), Some(t)) => bail!(
            "x: `{field}` has the value `{t}`, which is not a number; use `scale = \"category\"` rather than `{}`",
            scale_name(scale)
        ),
        (Some(scale @ (XScale::Log2 | XScale::Log10)), None) => {
            if let Some(n) = numbers.iter().find(|&&n| n <= 0.0) {
                bail!(
                    "x: `{field}` = {n} cannot go on a {} axis (only values above zero can); use `scale = \"linear\"`",
                    scale_name(scale)
                );
            }
            Ok(scale)
        }
        (Some(scale), None) => Ok(scale),
        (None, None) => {
            let powers_of_two = numbers.len() >= 3
                && numbers
                    .iter()
                    .all(|&n| n > 0.0 && n.log2().fract() == 0.0 && n.log2().is_finite());
            Ok(if powers_of_two {
                XScale::Log2
            } else {
                XScale::Linear
            })
        }
    }
}

fn scale_name(scale: XScale) -> &'static str {
    match scale {
        XScale::Linear => "linear",
        XScale::Log2 => "log2",
        XScale::Log10 => "log10",
        XScale::Category => "category",
    }
}

/// Each value's position along the axis; ∞ goes one step past the largest finite value.
fn place(values: &[(XValue, String)], scale: XScale) -> Vec<XLevel> {
    let position = |n: f64| match scale {
        XScale::Linear | XScale::Category => n,
        XScale::Log2 => n.log2(),
        XScale::Log10 => n.log10(),
    };
    let finite: Vec<f64> = values
        .iter()
        .filter_map(|(v, _)| match v {
            XValue::Number(n) => Some(position(*n)),
            _ => None,
        })
        .collect();
    // One step: a doubling (or decade) on a log axis, the last gap on a linear one.
    let step = match (scale, finite.as_slice()) {
        (XScale::Linear, [.., a, b]) if b > a => b - a,
        _ => 1.0,
    };
    let past_the_end = finite.last().map_or(0.0, |last| last + step);
    values
        .iter()
        .enumerate()
        .map(|(i, (value, label))| XLevel {
            value: value.clone(),
            at: match (scale, value) {
                (XScale::Category, _) => i as f64,
                (_, XValue::Number(n)) => position(*n),
                _ => past_the_end,
            },
            label: label.clone(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::results::Value;
    use crate::scene::levels::x_value;

    fn values(raw: &[&str]) -> Vec<(XValue, String)> {
        let mut out: Vec<(XValue, String)> = raw
            .iter()
            .filter_map(|r| x_value(&Value::parse(r)))
            .collect();
        out.sort_by(|a, b| order(&a.0, &b.0));
        out
    }

    #[test]
    fn the_scale_suits_the_values_unless_the_scene_says() {
        let scale_of = |raw: &[&str]| scale(None, "max_concurrency", &values(raw)).unwrap();
        assert_eq!(scale_of(&["1", "2", "4", "32"]), XScale::Log2);
        assert_eq!(scale_of(&["1", "2", "4", "inf"]), XScale::Log2);
        // Two powers of two are not yet a doubling series; other numbers are linear.
        assert_eq!(scale_of(&["1", "2"]), XScale::Linear);
        assert_eq!(scale_of(&["1", "3", "4"]), XScale::Linear);
        assert_eq!(scale_of(&["0", "1", "2", "4"]), XScale::Linear);
        assert_eq!(scale_of(&["vllm", "sglang"]), XScale::Category);
        let given = |s, raw: &[&str]| scale(Some(s), "max_concurrency", &values(raw));
        assert_eq!(
            given(XScale::Log10, &["1", "10", "100"]).unwrap(),
            XScale::Log10
        );
        assert_eq!(
            given(XScale::Category, &["1", "2"]).unwrap(),
            XScale::Category
        );
        let e = given(XScale::Log2, &["0", "1"]).unwrap_err().to_string();
        assert!(
            e.contains("`max_concurrency` = 0") && e.contains("linear"),
            "{e}"
        );
        let e = given(XScale::Linear, &["1", "vllm"])
            .unwrap_err()
            .to_string();
        assert!(e.contains("`vllm`") && e.contains("category"), "{e}");
    }

    #[test]
    fn infinity_goes_one_step_past_the_largest_value() {
        let at = |raw: &[&str], scale| -> Vec<(f64, String)> {
            place(&values(raw), scale)
                .into_iter()
                .map(|l| (l.at, l.label))
                .collect()
        };
        assert_eq!(
            at(&["4", "inf", "1", "2"], XScale::Log2),
            [
                (0.0, "1".into()),
                (1.0, "2".into()),
                (2.0, "4".into()),
                (3.0, "∞".into())
            ]
        );
        // Linear: the last gap once more.
        assert_eq!(
            at(&["10", "20", "50", "inf"], XScale::Linear)
                .last()
                .cloned(),
            Some((80.0, "∞".into()))
        );
        // Category: in order, ∞ after the numbers, text last; thousands grouped.
        assert_eq!(
            at(&["vllm", "inf", "1024"], XScale::Category),
            [
                (0.0, "1,024".into()),
                (1.0, "∞".into()),
                (2.0, "vllm".into())
            ]
        );
    }
}
