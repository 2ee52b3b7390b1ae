//! What the user asked to plot, before it is checked against the runs.

use crate::chart::AnnotationKind;
use crate::results::Level;
use crate::scene::Kind;

/// What the user asked to plot, as given.
#[derive(Debug, Clone, Default)]
pub struct Request {
    /// The metrics along y: one, or up to `MAX_PANELS` for a bar chart's panels.
    pub ys: Vec<String>,
    /// A config field (a line chart) or a metric (a scatter chart) along x.
    pub x: Option<String>,
    /// The field whose values make the series: a config field, `gpu` or `benchmark`.
    pub series_by: Option<String>,
    /// The field whose values make a bar chart's rows.
    pub rows_by: Option<String>,
    /// Config values the runs must have; a field given twice is any of its values.
    pub wheres: Vec<(String, Level)>,
    /// A benchmark id, the model it ran, or part of its id.
    pub benchmark: Option<String>,
    pub gpu: Option<String>,
    /// The kind of chart, instead of the one `x` makes.
    pub kind: Option<Kind>,
    pub title: Option<String>,
    /// Callouts on a line chart's lines.
    pub annotate: Vec<AnnotationKind>,
}
