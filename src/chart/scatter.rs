//! The body of a scatter chart: two metrics against each other (a latency and a throughput,
//! say), one point per value of a config field, each series' points connected in that field's
//! order; and, when asked for, the Pareto frontier of all the points.

use serde::Serialize;

use super::{PointLabels, Rgb, ValueAxis, XLevel};
use crate::results::Direction;

/// A trade-off drawn as points.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScatterPlot {
    pub x: ValueAxis,
    pub y: ValueAxis,
    /// The config field whose values make the points (`max_concurrency`).
    pub order: String,
    /// Every value of that field some series has a point at, in order (`at` is the index).
    pub levels: Vec<XLevel>,
    pub series: Vec<ScatterSeries>,
    /// Each series' points are joined by a line in the order of their levels.
    pub connect: bool,
    pub point_labels: PointLabels,
    /// The points no other point beats on both axes, left to right; `None` unless the scene
    /// asks for it.
    pub frontier: Option<Vec<FrontierPoint>>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScatterSeries {
    pub label: String,
    pub color: Rgb,
    /// In the order of their levels; a level the series lacks has no point.
    pub points: Vec<ScatterPoint>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScatterPoint {
    /// Index into the plot's levels.
    pub level: usize,
    pub x: f64,
    pub y: f64,
    /// The point's label: the scene's template filled from its run (`c=16`).
    pub label: String,
    /// How many runs measured this level: the one that counts and its repeats.
    pub n: usize,
    /// Where the whiskers over repeated runs start and end along each axis (`spread`), if
    /// the point has them.
    pub x_whisker: Option<(f64, f64)>,
    pub y_whisker: Option<(f64, f64)>,
}

/// A point on the frontier: point `point` of series `series`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct FrontierPoint {
    pub series: usize,
    pub point: usize,
}

impl ScatterPlot {
    /// True when the plot has a frontier and point `i` of series `s` is not on it.
    pub fn dominated(&self, s: usize, i: usize) -> bool {
        self.frontier
            .as_ref()
            .is_some_and(|f| !f.iter().any(|p| p.series == s && p.point == i))
    }

    /// True when every point of series `s` is dominated (a series with no point on the frontier).
    pub fn all_dominated(&self, s: usize) -> bool {
        (0..self.series[s].points.len()).all(|i| self.dominated(s, i))
    }

    /// Where a level lies in the order: 0 for the first, 1 for the last (0 when there is one).
    pub fn level_fraction(&self, level: usize) -> f64 {
        match self.levels.len() {
            0 | 1 => 0.0,
            n => level as f64 / (n - 1) as f64,
        }
    }

    /// The smallest and largest x of any point or whisker (0, 0 without points).
    pub fn x_extent(&self) -> (f64, f64) {
        self.extent(|p| (p.x, p.x_whisker))
    }

    /// The smallest and largest y of any point or whisker (0, 0 without points).
    pub fn y_extent(&self) -> (f64, f64) {
        self.extent(|p| (p.y, p.y_whisker))
    }

    fn extent(&self, along: impl Fn(&ScatterPoint) -> (f64, Option<(f64, f64)>)) -> (f64, f64) {
        let along = &along;
        let values = self.series.iter().flat_map(move |s| {
            s.points.iter().flat_map(move |p| {
                let (v, whisker) = along(p);
                std::iter::once(v).chain(whisker.into_iter().flat_map(|(a, b)| [a, b]))
            })
        });
        extent(values)
    }
}

fn extent(values: impl Iterator<Item = f64> + Clone) -> (f64, f64) {
    let min = values.clone().fold(f64::INFINITY, f64::min);
    let max = values.fold(f64::NEG_INFINITY, f64::max);
    if min.is_finite() {
        (min, max)
    } else {
        (0.0, 0.0)
    }
}

/// The indices of the points that no other point dominates, sorted by x (then y). A point
/// dominates another when it is at least as good on both axes, by each axis' direction, and
/// better on one; equal points dominate neither, so both stay.
pub fn frontier(points: &[(f64, f64)], x: Direction, y: Direction) -> Vec<usize> {
    let at_least = |d: Direction, a: f64, b: f64| a == b || d.better(a, b);
    let dominates =
        |a: (f64, f64), b: (f64, f64)| at_least(x, a.0, b.0) && at_least(y, a.1, b.1) && a != b;
    let mut kept: Vec<usize> = (0..points.len())
        .filter(|&i| !points.iter().any(|&q| dominates(q, points[i])))
        .collect();
    kept.sort_by(|&a, &b| {
        points[a]
            .0
            .total_cmp(&points[b].0)
            .then(points[a].1.total_cmp(&points[b].1))
    });
    kept
}

#[cfg(test)]
mod tests {
    use super::*;
    use Direction::{Higher, Lower};

    #[test]
    fn the_frontier_keeps_points_nothing_beats_on_both_axes() {
        // Tokens per second per user (x) against per GPU (y), both better higher, at
        // concurrency 1, 4, 16 and 64: the last is beaten by the third on both.
        let points = [(40.0, 40.0), (35.0, 140.0), (20.0, 320.0), (8.0, 300.0)];
        assert_eq!(frontier(&points, Higher, Higher), [2, 1, 0]);
        // Latency (x, lower better) against throughput (y, higher better): a point slower and
        // with less throughput than another is dominated; the rest trade one for the other.
        let points = [(10.0, 100.0), (12.0, 90.0), (20.0, 300.0), (20.0, 250.0)];
        assert_eq!(frontier(&points, Lower, Higher), [0, 2]);
        // Directions turn the picture round: lower on both keeps the bottom-left points.
        assert_eq!(frontier(&points, Lower, Lower), [0, 1]);
        // Equal points dominate neither.
        assert_eq!(frontier(&[(1.0, 1.0), (1.0, 1.0)], Lower, Higher), [0, 1]);
        assert!(frontier(&[], Higher, Higher).is_empty());
    }
}
