//! The steps of a line chart: the axes, one pen drawing every series across the x axis, then
//! the callouts.

use super::step::{BodyPlan, StepKind};
use crate::chart::{Durations, LinePlot};

const ANNOTATION_LAG: f64 = 0.5;

pub(super) fn plan(plot: &LinePlot, d: &Durations) -> BodyPlan {
    let fractions = plot.x_fractions();
    let points: Vec<Vec<f64>> = plot
        .series
        .iter()
        .map(|s| {
            s.points
                .iter()
                .map(|p| fractions.get(p.level).copied().unwrap_or(0.5))
                .collect()
        })
        .collect();
    let any = points.iter().any(|p| !p.is_empty());
    let callouts = plot.annotations.len();
    let steps = vec![
        (StepKind::Axes, true, d.axes, 1, 0.0),
        (StepKind::Lines, any, d.lines, 1, 0.0),
        (
            StepKind::Annotations,
            callouts > 0,
            d.annotations,
            callouts,
            ANNOTATION_LAG,
        ),
    ];
    BodyPlan {
        steps,
        points,
        ..BodyPlan::default()
    }
}
