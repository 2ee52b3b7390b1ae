//! The words of a line chart: peak and knee callouts, and footer lines about its series.

use anyhow::bail;

use super::footer::{Named, Repeated, compares, fill, fold_repeated};
use super::format::format_value;
use super::model::{LinesBody, Scene};
use crate::chart::{AnnotationKind, LineAnnotation, LinePlot, LineSeries, PointLabels};
use crate::results::{Direction, display};

/// Footer placeholders that speak of one series, so need `{series}` in their line.
pub const PER_SERIES: [&str; 3] = ["{peak}", "{peak_x}", "{knee_x}"];

/// True when `template` names the peak or knee of a series.
pub fn names_peaks(template: &str) -> bool {
    PER_SERIES.iter().any(|p| template.contains(p))
}

/// The callouts the scene asks for, series by series: each one's peak, then its knee (unless
/// it is the peak). With more than two series only the best one's (by its peak) are kept, since
/// a callout per series crowds the plot; `benchanim data` still lists every peak and knee. A
/// peak whose value the line's end label already prints gets no callout of its own. Needs the
/// plot's direction; without one there is no peak and so nothing.
pub(super) fn annotations(
    scene: &Scene,
    body: &LinesBody,
    plot: &LinePlot,
    unit: &str,
) -> Vec<LineAnnotation> {
    let Some(direction) = plot.y.direction else {
        return Vec::new();
    };
    let say = |y: f64| value_text(scene, y, unit);
    let mut kinds = body.annotate.clone();
    kinds.dedup();
    let best = best_series(plot, direction);
    let field = body.x.as_ref().and_then(|x| x.field.as_deref());
    let mut out = Vec::new();
    for kind in kinds {
        for (s, series) in plot.series.iter().enumerate() {
            if plot.series.len() > 2 && Some(s) != best {
                continue;
            }
            let point = match kind {
                AnnotationKind::Peak => series.peak.filter(|&p| !printed_at(plot, series, p)),
                AnnotationKind::Knee => series.knee.filter(|&k| Some(k) != series.peak),
            };
            let Some(point) = point else { continue };
            let p = &series.points[point];
            let at = display::at_x(field, &plot.x.title, &plot.x.levels[p.level].label);
            let text = callout(body, plot, series, point, kind, direction, &say, &at);
            out.push(LineAnnotation {
                series: s,
                point,
                kind,
                text,
            });
        }
    }
    out
}

/// The series whose peak is best.
fn best_series(plot: &LinePlot, direction: Direction) -> Option<usize> {
    let peak = |s: &LineSeries| s.peak.map(|p| s.points[p].y);
    (0..plot.series.len())
        .filter_map(|s| Some((s, peak(&plot.series[s])?)))
        .reduce(|a, b| if direction.better(b.1, a.1) { b } else { a })
        .map(|(s, _)| s)
}

/// True when the label at `point` of `series` already prints its value: every point's label,
/// or the end label of the last point.
fn printed_at(plot: &LinePlot, series: &LineSeries, point: usize) -> bool {
    match plot.point_labels {
        PointLabels::All => true,
        PointLabels::Last => point + 1 == series.points.len(),
        PointLabels::None => false,
    }
}

/// `peaks at 1,404 tok/s with 32 concurrent requests`, or the scene's own template filled in.
#[allow(clippy::too_many_arguments)]
fn callout(
    body: &LinesBody,
    plot: &LinePlot,
    series: &LineSeries,
    point: usize,
    kind: AnnotationKind,
    direction: Direction,
    say: &dyn Fn(f64) -> String,
    at: &str,
) -> String {
    let fraction = body.knee_fraction();
    let (given, default, percent) = match (kind, direction) {
        (AnnotationKind::Peak, Direction::Higher) => {
            (body.peak_label.as_deref(), "peaks at {value} {at}", 100.0)
        }
        (AnnotationKind::Peak, Direction::Lower) => {
            (body.peak_label.as_deref(), "lowest at {value} {at}", 100.0)
        }
        (AnnotationKind::Knee, Direction::Higher) => (
            body.knee_label.as_deref(),
            "{percent} of its peak {at}",
            fraction * 100.0,
        ),
        (AnnotationKind::Knee, Direction::Lower) => (
            body.knee_label.as_deref(),
            "within {percent} of its best {at}",
            (1.0 / fraction - 1.0) * 100.0,
        ),
    };
    let template = given.unwrap_or(default);
    let p = &series.points[point];
    template
        .replace("{value}", &say(p.y))
        .replace("{percent}", &percent_text(percent))
        .replace("{at}", at)
        .replace("{x_label}", &plot.x.title.to_lowercase())
        .replace("{x}", &plot.x.levels[p.level].label)
}

/// A value as callouts and footers say it: `[format]` applied, then the unit unless the
/// scene's suffix already says it.
fn value_text(scene: &Scene, y: f64, unit: &str) -> String {
    let format = &scene.common.format;
    let text = format_value(y, format.decimals, &format.suffix);
    if format.suffix.is_empty() && !unit.is_empty() {
        format!("{text} {unit}")
    } else {
        text
    }
}

/// `90%`, `11.1%`.
fn percent_text(p: f64) -> String {
    if (p - p.round()).abs() < 1e-9 {
        format!("{p:.0}%")
    } else {
        format!("{p:.1}%")
    }
}

/// The footer: a line with `{series}` is repeated for each series (`{peak}`, `{peak_x}`,
/// `{knee_x}` filled from it); other lines compare the series at the largest x they all have
/// (`{fastest}`, `{slowest}`, `{ratio}`, `{x}`). `{x_label}` is the x axis' title, lower-cased.
pub(super) fn footer_lines(
    scene: &Scene,
    plot: &LinePlot,
    unit: &str,
) -> anyhow::Result<Vec<String>> {
    let x_label = plot.x.title.to_lowercase();
    let mut lines = Vec::new();
    for template in &scene.common.footer {
        if template.contains("{series}") {
            let mut repeated = Vec::new();
            for series in plot.series.iter().filter(|s| !s.points.is_empty()) {
                let x_of = |i: Option<usize>| {
                    i.map_or(String::new(), |i| {
                        plot.x.levels[series.points[i].level].label.clone()
                    })
                };
                let peak = series.peak.map_or(String::new(), |i| {
                    value_text(scene, series.points[i].y, unit)
                });
                let line = template
                    .replace("{series}", &series.label)
                    .replace("{peak_x}", &x_of(series.peak))
                    .replace("{knee_x}", &x_of(series.knee))
                    .replace("{peak}", &peak)
                    .replace("{x_label}", &x_label);
                // The best peak ranks first, whichever way is better.
                let rank = series.peak.zip(plot.y.direction).map(|(i, d)| match d {
                    Direction::Higher => series.points[i].y,
                    Direction::Lower => -series.points[i].y,
                });
                repeated.push(Repeated { line, rank });
            }
            lines.extend(fold_repeated(template, repeated, "series", "the best")?);
            continue;
        }
        if names_peaks(template) {
            bail!(
                "footer `{template}`: {} speak of one series; put `{{series}}` in the line to repeat it for each",
                PER_SERIES.join(", ")
            );
        }
        let Some(level) = common_level(plot) else {
            if !template.contains('{') {
                lines.push(template.clone());
            }
            continue;
        };
        let x = &plot.x.levels[level].label;
        let filled = if compares(template) {
            let values: Vec<Named> = plot
                .series
                .iter()
                .filter_map(|s| {
                    let p = s.points.iter().find(|p| p.level == level)?;
                    Some(Named {
                        name: &s.label,
                        value: p.y,
                    })
                })
                .collect();
            fill(template, None, &values, plot.y.direction)
        } else {
            Some(template.clone())
        };
        lines.extend(filled.map(|l| l.replace("{x_label}", &x_label).replace("{x}", x)));
    }
    Ok(lines)
}

/// The largest x value every series with points has a point at.
fn common_level(plot: &LinePlot) -> Option<usize> {
    let mut series = plot.series.iter().filter(|s| !s.points.is_empty());
    let Some(first) = series.next() else {
        return plot.x.levels.len().checked_sub(1);
    };
    let first: std::collections::BTreeSet<usize> = first.points.iter().map(|p| p.level).collect();
    let common = series.fold(first, |common, s| {
        let these: std::collections::BTreeSet<usize> = s.points.iter().map(|p| p.level).collect();
        common.intersection(&these).copied().collect()
    });
    common.last().copied()
}
