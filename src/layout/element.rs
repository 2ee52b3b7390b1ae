//! What a layout is made of: elements, each an id, a box and a shape, and the text measure
//! that sizes them.

use super::Rect;
use crate::chart::Rgb;

/// Line box height of every text element, as a multiple of its font size (Inter's ascent plus
/// descent is 1.21 em, so glyphs stay inside their box).
pub const LINE_HEIGHT: f32 = 1.2;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Weight {
    Regular,
    Bold,
}

/// Text measurement: the advance width of a line of text, in pixels.
pub trait Measure {
    fn advance(&mut self, text: &str, size: f32, weight: Weight) -> f32;
}

/// Names every element on a chart; the timeline uses the same names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ElementId {
    Title,
    Subtitle,
    Metadata(usize),
    LegendSwatch(usize),
    LegendLabel(usize),
    RowLabel(usize),
    /// A panel's heading (charts of panels; their rows are numbered on across panels).
    PanelTitle(usize),
    /// A line of a panel's own footer, under its bars.
    PanelNote {
        panel: usize,
        line: usize,
    },
    /// The bar of cell `bar` (index into the row's bars) in row `row`; absent for NA cells.
    Bar {
        row: usize,
        bar: usize,
    },
    /// The value label of a cell, `NA` for a missing one.
    Value {
        row: usize,
        bar: usize,
    },
    /// The whisker over a cell's repeated runs (`spread`).
    Whisker {
        row: usize,
        bar: usize,
    },
    /// A row's delta pill (compare charts, and bar charts with `delta = true`), and the text
    /// on it.
    DeltaPill(usize),
    Delta(usize),
    /// Line charts: the x axis' line (there is no y axis line; gridlines carry the values).
    Axis(Axis),
    /// A tick mark on an axis, its label, and the gridline across the plot.
    Tick {
        axis: Axis,
        i: usize,
    },
    TickLabel {
        axis: Axis,
        i: usize,
    },
    Grid {
        axis: Axis,
        i: usize,
    },
    AxisTitle(Axis),
    /// The curve of series `s`.
    Line(usize),
    /// The marker of a point of a series (index into the series' points), and its value label.
    Point {
        series: usize,
        i: usize,
    },
    PointLabel {
        series: usize,
        i: usize,
    },
    /// The whisker over a point's repeated runs along an axis (`spread`).
    PointWhisker {
        series: usize,
        i: usize,
        axis: Axis,
    },
    /// The ring around an annotated point, its callout (index into the plot's annotations),
    /// and the line from one to the other when the callout had to go further out.
    Ring(usize),
    Annotation(usize),
    Leader(usize),
    /// A scatter chart's Pareto frontier, and the label that names it.
    Frontier,
    FrontierLabel,
    Footer(usize),
}

/// One of the two axes of a line chart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Axis {
    X,
    Y,
}

/// What a text element is, which decides its colour in a theme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TextRole {
    Title,
    Subtitle,
    Metadata,
    Legend,
    RowLabel,
    /// A panel's heading.
    PanelTitle,
    /// A value label right of its bar.
    Value,
    /// A value label drawn inside its bar, because it would leave the frame otherwise.
    ValueInside,
    /// The `NA` of a cell without a value.
    Missing,
    /// A delta on its pill, in the pill's ink.
    Delta,
    /// Numbers along an axis, and the axis' title.
    TickLabel,
    AxisTitle,
    /// A point's value on a line chart, and a callout: drawn on the plot, over the gridlines.
    PointLabel,
    Annotation,
    Footer,
}

impl TextRole {
    /// Text drawn on a plot, with the background showing around it so gridlines stop short.
    pub fn on_plot(self) -> bool {
        matches!(self, TextRole::PointLabel | TextRole::Annotation)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct TextSpec {
    /// One line, or several separated by `\n`, each centred in the element's box.
    pub text: String,
    pub size: f32,
    pub weight: Weight,
    pub role: TextRole,
    /// The colour of the series the text speaks for (a line's value or callout); the theme
    /// shades it to read well on its background. `None`: the role's colour.
    pub tint: Option<Rgb>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Shape {
    /// Text whose line boxes, stacked, are the element's rect (x, y snapped to whole pixels).
    Text(TextSpec),
    /// A bar; the rect is the fully grown bar, which grows rightwards from its left edge.
    Bar { color: Rgb },
    /// A legend colour swatch.
    Swatch { color: Rgb },
    /// A delta's rounded box; its text is an element of its own, inside it.
    Pill { color: Rgb },
    /// A straight rule (axis line, tick mark, gridline); the rect is the rule itself.
    Rule { role: RuleRole },
    /// A curve through points in frame pixels, in pieces where the series has gaps, each gap
    /// bridged by a dotted segment. A pen draws it from left to right, sweeping from `pen.0` to
    /// `pen.1` (the same for every series).
    Polyline {
        pieces: Vec<Vec<(f32, f32)>>,
        bridges: Vec<[(f32, f32); 2]>,
        color: Rgb,
        width: f32,
        pen: (f32, f32),
    },
    /// A dot on a curve, ringed with `halo` pixels of background so it stands out from the
    /// lines behind it; the rect is its bounding square, halo included.
    Marker { color: Rgb, halo: f32 },
    /// A ring around a called-out point; the rect is its bounding square.
    Ring { color: Rgb, width: f32 },
    /// A path drawn along its length, from its first point to its last; `at` says how far
    /// through the drawing (0 to 1, never decreasing) each point is reached. A scatter chart's
    /// line through a series (each point reached as its level comes) and its frontier. The
    /// rect is its bounding box.
    Path {
        points: Vec<(f32, f32)>,
        at: Vec<f32>,
        width: f32,
        ink: Ink,
    },
    /// A whisker: a line `width` wide along `along` across the rect, with a cap across each
    /// end as long as the rect is across.
    Whisker { along: Axis, width: f32, ink: Ink },
}

/// What colour a path or whisker is drawn in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ink {
    Series(Rgb),
    /// The theme's bound: a thin dashed line in a colour no series has.
    Frontier,
    /// The theme's text colour: a whisker over a bar.
    Foreground,
}

/// What a rule is, which decides its colour in a theme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RuleRole {
    Axis,
    Tick,
    Grid,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Element {
    pub id: ElementId,
    pub rect: Rect,
    pub shape: Shape,
}
