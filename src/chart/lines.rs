//! The body of a line chart: one curve per series over a shared x axis (a config field such as
//! `max_concurrency`), with the peak and knee of each curve.

use serde::{Deserialize, Serialize, Serializer};

use super::{Rgb, ValueAxis};
use crate::results::Direction;

/// Sweeps drawn as curves.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LinePlot {
    pub x: XAxis,
    pub y: ValueAxis,
    pub series: Vec<LineSeries>,
    /// Peak and knee callouts, in the order they are drawn.
    pub annotations: Vec<LineAnnotation>,
    pub point_labels: PointLabels,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct XAxis {
    /// The axis title: `Concurrent requests`.
    pub title: String,
    pub scale: XScale,
    /// Every x value some series has, in axis order.
    pub levels: Vec<XLevel>,
    /// Each series' points are one curve, however the others' interleave (a series section's
    /// points, placed by time); otherwise a level a series lacks between two of its points is
    /// a gap.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub continuous: bool,
}

/// How x values are spread along the axis.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum XScale {
    Linear,
    Log2,
    Log10,
    /// Evenly spaced, in order: text values, or numbers treated as names.
    Category,
}

/// One x value.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct XLevel {
    pub value: XValue,
    /// Position along the axis in scale units: the value on a linear axis, its logarithm on a
    /// log axis, its index on a category axis; ∞ one step past the largest finite value.
    pub at: f64,
    /// As its tick reads: `1,024`, `∞`, `vllm`.
    pub label: String,
}

/// An x value as the result files give it.
#[derive(Debug, Clone, PartialEq)]
pub enum XValue {
    Number(f64),
    /// `inf` (an unlimited request rate, say).
    Infinity,
    Text(String),
}

/// An x value as a key for maps and sets: equal values have equal keys.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum XKey {
    Number(u64),
    Infinity,
    Text(String),
}

impl XValue {
    pub fn key(&self) -> XKey {
        match self {
            // 0.0 and -0.0 are one value, as `==` has them.
            XValue::Number(n) if *n == 0.0 => XKey::Number(0.0f64.to_bits()),
            XValue::Number(n) => XKey::Number(n.to_bits()),
            XValue::Infinity => XKey::Infinity,
            XValue::Text(t) => XKey::Text(t.clone()),
        }
    }
}

impl Serialize for XValue {
    /// Numbers as numbers, ∞ as `"inf"` (JSON has no infinity), text as text.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            XValue::Number(n) => s.serialize_f64(*n),
            XValue::Infinity => s.serialize_str("inf"),
            XValue::Text(t) => s.serialize_str(t),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LineSeries {
    pub label: String,
    pub color: Rgb,
    /// In x order; a level the series lacks is absent (a gap, never a zero).
    pub points: Vec<LinePoint>,
    /// The best point by the axis' direction, and the knee; `None` without a direction.
    pub peak: Option<usize>,
    pub knee: Option<usize>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LinePoint {
    /// Index into the x axis' levels.
    pub level: usize,
    pub y: f64,
    /// The value as labelled: `1,404` (`897 ± 7` with a spread of a standard deviation), with
    /// `*` when from a partial run.
    pub label: String,
    /// How many runs measured this level: the one that counts and its repeats.
    pub n: usize,
    /// Where the whisker over repeated runs starts and ends (`spread`), if it has one.
    pub whisker: Option<(f64, f64)>,
}

/// A callout on a point: `peak 1,404 tok/s at concurrent requests 32`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LineAnnotation {
    pub series: usize,
    /// Index into the series' points.
    pub point: usize,
    pub kind: AnnotationKind,
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AnnotationKind {
    Peak,
    Knee,
}

/// Which points carry their value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PointLabels {
    /// The value at each line's end.
    #[default]
    Last,
    /// Every point's, where they fit; the last and annotated ones first.
    All,
    None,
}

impl LinePlot {
    /// The x axis' extent in scale units: the first and last level's position.
    pub fn x_span(&self) -> (f64, f64) {
        let at = self.x.levels.iter().map(|l| l.at);
        let min = at.clone().fold(f64::INFINITY, f64::min);
        let max = at.fold(f64::NEG_INFINITY, f64::max);
        if min.is_finite() {
            (min, max)
        } else {
            (0.0, 0.0)
        }
    }

    /// Where each level lies across the x axis: 0 at the first level, 1 at the last (0.5 for
    /// an axis of one level).
    pub fn x_fractions(&self) -> Vec<f64> {
        let (min, max) = self.x_span();
        self.x
            .levels
            .iter()
            .map(|l| {
                if max > min {
                    (l.at - min) / (max - min)
                } else {
                    0.5
                }
            })
            .collect()
    }

    /// The smallest and largest y of any point or whisker (0, 0 without points).
    pub fn y_extent(&self) -> (f64, f64) {
        let ys = self.series.iter().flat_map(|s| {
            s.points.iter().flat_map(|p| {
                [p.y]
                    .into_iter()
                    .chain(p.whisker.into_iter().flat_map(|(a, b)| [a, b]))
            })
        });
        let min = ys.clone().fold(f64::INFINITY, f64::min);
        let max = ys.fold(f64::NEG_INFINITY, f64::max);
        if min.is_finite() {
            (min, max)
        } else {
            (0.0, 0.0)
        }
    }
}

/// The index of the best of `ys` in `direction` (the first of equals).
pub fn peak(ys: &[f64], direction: Direction) -> Option<usize> {
    let mut best: Option<usize> = None;
    for (i, &y) in ys.iter().enumerate() {
        if best.is_none_or(|b| direction.better(y, ys[b])) {
            best = Some(i);
        }
    }
    best
}

/// The knee of a curve whose points are in x order: the first point that reaches `fraction`
/// of the peak (for lower-is-better metrics, the first within `1 / fraction` of the best).
pub fn knee(ys: &[f64], direction: Direction, fraction: f64) -> Option<usize> {
    let best = ys[peak(ys, direction)?];
    ys.iter().position(|&y| match direction {
        Direction::Higher => y >= fraction * best,
        Direction::Lower => y * fraction <= best,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn peak_and_knee_of_a_batch_size_sweep() {
        // Batch sizes 1 to 64: throughput rises, saturates at 32, then drops a little.
        let ys = [30.0, 58.0, 110.0, 200.0, 440.0, 480.0, 455.0];
        assert_eq!(peak(&ys, Direction::Higher), Some(5));
        assert_eq!(knee(&ys, Direction::Higher, 0.9), Some(4));
        // Latency: lower is better, the knee is the first within 1/0.9 of the best.
        let ms = [100.0, 52.0, 41.0, 40.0, 44.0];
        assert_eq!(peak(&ms, Direction::Lower), Some(3));
        assert_eq!(knee(&ms, Direction::Lower, 0.9), Some(2));
        assert_eq!(peak(&[], Direction::Higher), None);
        assert_eq!(knee(&[], Direction::Higher, 0.9), None);
    }
}
