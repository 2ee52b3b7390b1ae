//! Axes of line and scatter charts: where the ticks go and what they read. Pure numbers; the
//! plot area's layout turns them into rules and labels.

use crate::chart::{LinePlot, ValueAxis, XScale, XValue};
use crate::scene::format::format_value;

/// Most y ticks: enough to read values off, few enough to stay quiet.
pub const MAX_Y_TICKS: usize = 6;
/// Up to this many x values each get a tick; more get "nice" ticks instead.
pub const MAX_LEVEL_TICKS: usize = 12;
/// Most x ticks on an axis of many values, or of a metric (the x axis is the wider one).
pub const MAX_X_TICKS: usize = 8;

/// A tick: its position in axis units and its label.
#[derive(Debug, Clone, PartialEq)]
pub struct Tick {
    pub at: f64,
    pub label: String,
}

/// Ticks every nice step (1, 2 or 5 times a power of ten) from a multiple at or below `min` to
/// one at or above `max`: the smallest such step that gives at most `max_ticks` ticks.
pub fn nice_ticks(min: f64, max: f64, max_ticks: usize) -> Vec<f64> {
    let (min, max) = if max > min {
        (min, max)
    } else if min == 0.0 {
        (0.0, 1.0)
    } else {
        (min - min.abs() * 0.5, max + max.abs() * 0.5)
    };
    let max_ticks = max_ticks.max(2);
    let rough = (max - min) / (max_ticks - 1) as f64;
    let mut magnitude = 10f64.powf(rough.log10().floor() - 1.0);
    loop {
        for m in [1.0, 2.0, 5.0] {
            let step = m * magnitude;
            let first = (min / step + 1e-9).floor();
            let last = (max / step - 1e-9).ceil();
            if ((last - first) as usize) < max_ticks {
                return (0..=(last - first) as usize)
                    .map(|i| clean((first + i as f64) * step))
                    .collect();
            }
        }
        magnitude *= 10.0;
    }
}

/// `0.30000000000000004` → `0.3`: tick values read as written.
fn clean(v: f64) -> f64 {
    if v == 0.0 {
        return 0.0;
    }
    let digits = 12 - v.abs().log10().ceil() as i32;
    let scale = 10f64.powi(digits.clamp(0, 300));
    (v * scale).round() / scale
}

/// Decimal places that tell ticks `step` apart: none for whole steps, one for 0.5, two for 0.05.
pub fn step_decimals(ticks: &[f64]) -> usize {
    let step = match ticks {
        [a, b, ..] => (b - a).abs(),
        _ => return 0,
    };
    if step >= 1.0 || step <= 0.0 {
        0
    } else {
        (-step.log10() - 1e-9).ceil() as usize
    }
}

/// The y ticks of a line chart.
pub fn y_ticks(plot: &LinePlot) -> Vec<Tick> {
    value_ticks(&plot.y, plot.y_extent(), MAX_Y_TICKS)
}

/// Ticks along an axis of values spanning `(min, max)`: from zero (unless the scene says
/// otherwise) to past the largest value, at most `max_ticks`.
pub fn value_ticks(
    axis: &ValueAxis,
    (mut min, mut max): (f64, f64),
    max_ticks: usize,
) -> Vec<Tick> {
    if axis.from_zero {
        min = min.min(0.0);
        max = max.max(0.0);
    }
    let ticks = nice_ticks(min, max, max_ticks);
    let decimals = axis.decimals.unwrap_or_else(|| step_decimals(&ticks));
    ticks
        .iter()
        .map(|&at| Tick {
            at,
            label: format_value(at, Some(decimals), &axis.suffix),
        })
        .collect()
}

/// The x values at the plot's left and right ends. A continuous linear axis of many values
/// (iterations, seconds) runs out to its outer nice ticks, so 100 iterations read 0 to 100
/// rather than stopping at 80; any other axis spans its values.
pub fn x_axis_span(plot: &LinePlot) -> (f64, f64) {
    let (min, max) = plot.x_span();
    if !rounded_out(plot) {
        return (min, max);
    }
    let ticks = nice_ticks(min, max, MAX_X_TICKS);
    match (ticks.first(), ticks.last()) {
        (Some(&lo), Some(&hi)) if hi > lo => (lo, hi),
        _ => (min, max),
    }
}

fn rounded_out(plot: &LinePlot) -> bool {
    plot.x.continuous
        && plot.x.scale == XScale::Linear
        && plot.x.levels.len() > MAX_LEVEL_TICKS
        && plot.x.levels.iter().all(|l| l.value != XValue::Infinity)
}

/// The x ticks of a plot: one per value when there are few, else nice ones in the axis' scale.
pub fn x_ticks(plot: &LinePlot) -> Vec<Tick> {
    let levels = &plot.x.levels;
    if levels.len() <= MAX_LEVEL_TICKS {
        return levels
            .iter()
            .map(|l| Tick {
                at: l.at,
                label: l.label.clone(),
            })
            .collect();
    }
    let (min, _) = plot.x_span();
    let infinity = levels.iter().find(|l| l.value == XValue::Infinity);
    let finite_max = levels
        .iter()
        .filter(|l| l.value != XValue::Infinity)
        .map(|l| l.at)
        .fold(min, f64::max);
    let mut ticks: Vec<Tick> = match plot.x.scale {
        XScale::Category => {
            let stride = levels.len().div_ceil(MAX_X_TICKS);
            levels
                .iter()
                .step_by(stride)
                .map(|l| Tick {
                    at: l.at,
                    label: l.label.clone(),
                })
                .collect()
        }
        XScale::Linear => {
            let values = nice_ticks(min, finite_max, MAX_X_TICKS);
            let decimals = step_decimals(&values);
            // A rounded-out axis spans exactly these ticks; any other, only its values.
            let all = rounded_out(plot);
            let step = values.get(1).zip(values.first()).map(|(b, a)| b - a);
            let mut ticks: Vec<Tick> = values
                .into_iter()
                .filter(|v| all || (min..=finite_max).contains(v))
                .map(|at| Tick {
                    at,
                    label: format_value(at, Some(decimals), ""),
                })
                .collect();
            // The first level always has a tick, so the axis says where the data starts: added
            // before the first nice one, or in its place when that one is too close to it.
            let lowest = levels.iter().min_by(|a, b| a.at.total_cmp(&b.at));
            if let (Some(first), Some(step), Some(level)) = (ticks.first(), step, lowest)
                && !all
                && first.at > min
            {
                let tick = Tick {
                    at: min,
                    label: level.label.clone(),
                };
                if first.at - min >= step / 2.0 {
                    ticks.insert(0, tick);
                } else {
                    ticks[0] = tick;
                }
            }
            ticks
        }
        XScale::Log2 | XScale::Log10 => {
            let base: f64 = if plot.x.scale == XScale::Log2 {
                2.0
            } else {
                10.0
            };
            let (first, last) = (min.ceil() as i64, finite_max.floor() as i64);
            let count = (last - first + 1).max(1) as usize;
            let stride = count.div_ceil(MAX_X_TICKS) as i64;
            (first..=last)
                .step_by(stride as usize)
                .map(|e| {
                    let value = base.powi(e as i32);
                    Tick {
                        at: e as f64,
                        label: format_value(value, (value >= 1.0).then_some(0), ""),
                    }
                })
                .collect()
        }
    };
    // ∞ keeps its own tick at the end.
    if let Some(inf) = infinity
        && plot.x.scale != XScale::Category
    {
        ticks.push(Tick {
            at: inf.at,
            label: inf.label.clone(),
        });
    }
    ticks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nice_ticks_take_the_smallest_step_giving_at_most_six() {
        // A batch-size sweep peaking at 480 tok/s: 0 to 500 by 100.
        assert_eq!(
            nice_ticks(0.0, 480.0, 6),
            [0.0, 100.0, 200.0, 300.0, 400.0, 500.0]
        );
        assert_eq!(nice_ticks(0.0, 1403.7, 6), [0.0, 500.0, 1000.0, 1500.0]);
        assert_eq!(nice_ticks(0.0, 1350.0, 6), [0.0, 500.0, 1000.0, 1500.0]);
        assert_eq!(nice_ticks(0.0, 0.9, 6), [0.0, 0.2, 0.4, 0.6, 0.8, 1.0]);
        assert_eq!(nice_ticks(12.0, 19.0, 6), [12.0, 14.0, 16.0, 18.0, 20.0]);
        assert_eq!(nice_ticks(-30.0, 40.0, 6), [-40.0, -20.0, 0.0, 20.0, 40.0]);
        // A single value still gets an axis.
        assert_eq!(nice_ticks(0.0, 0.0, 6), [0.0, 0.2, 0.4, 0.6, 0.8, 1.0]);
        assert!(nice_ticks(5.0, 5.0, 6).len() <= 6);
        for (lo, hi) in [(0.0, 1e-7), (0.0, 3e12), (7.0, 7.1)] {
            let ticks = nice_ticks(lo, hi, 6);
            assert!(ticks.len() <= 6 && ticks.len() >= 2, "{lo} {hi}: {ticks:?}");
            assert!(ticks[0] <= lo && *ticks.last().unwrap() >= hi, "{ticks:?}");
        }
    }

    #[test]
    fn tick_labels_have_the_places_their_step_needs() {
        assert_eq!(step_decimals(&[0.0, 500.0]), 0);
        assert_eq!(step_decimals(&[0.0, 0.2]), 1);
        assert_eq!(step_decimals(&[0.0, 0.05]), 2);
        assert_eq!(step_decimals(&[1.0]), 0);
    }
}
