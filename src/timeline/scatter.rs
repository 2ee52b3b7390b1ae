//! The steps of a scatter chart: the axes, every series' points popping level by level, their
//! labels, then the frontier drawn while the points it beats dim.

use super::step::{BodyPlan, StepKind, VALUE_LAG};
use crate::chart::{Durations, PointLabels, ScatterPlot};

pub(super) fn plan(plot: &ScatterPlot, d: &Durations) -> BodyPlan {
    let points: Vec<Vec<f64>> = plot
        .series
        .iter()
        .map(|s| {
            s.points
                .iter()
                .map(|p| plot.level_fraction(p.level))
                .collect()
        })
        .collect();
    let label_items = plot
        .series
        .iter()
        .map(|s| s.points.iter().map(|p| p.level).collect())
        .collect();
    let dominated = (0..plot.series.len())
        .map(|s| {
            (0..plot.series[s].points.len())
                .map(|i| plot.dominated(s, i))
                .collect()
        })
        .collect();
    let all_dominated = (0..plot.series.len())
        .map(|s| plot.all_dominated(s))
        .collect();
    let any = points.iter().any(|p| !p.is_empty());
    let labelled = any && plot.point_labels != PointLabels::None;
    let levels = plot.levels.len();
    let steps = vec![
        (StepKind::Axes, true, d.axes, 1, 0.0),
        (StepKind::Lines, any, d.lines, 1, 0.0),
        (StepKind::Values, labelled, d.values, levels, VALUE_LAG),
        (
            StepKind::Annotations,
            plot.frontier.is_some() && any,
            d.annotations,
            1,
            0.0,
        ),
    ];
    BodyPlan {
        steps,
        rows: 0,
        points,
        label_items: Some(label_items),
        dominated,
        all_dominated,
    }
}
