//! The elements of a layout as a check reports them: a role, the text, the box, the font size
//! and the colour in the theme; and how messages name them.

use serde::Serialize;

use crate::chart::{Body, Chart, Rgb};
use crate::layout::{Axis, Element, ElementId, Ink, Layout, Rect, Shape, TextRole};
use crate::render::Theme;

/// One element of a final frame.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ElementReport {
    pub role: &'static str,
    /// What it reads (`\n` between wrapped lines); none for marks.
    pub text: Option<String>,
    /// Left, top, right, bottom in frame pixels.
    #[serde(rename = "box")]
    pub bounds: [f64; 4],
    pub font_px: Option<f64>,
    /// `#rrggbb`, as drawn in the theme.
    pub color: String,
}

/// Every element of `layout`, in the order they are drawn.
pub fn element_reports(layout: &Layout, chart: &Chart, theme: Theme) -> Vec<ElementReport> {
    let scatter = matches!(chart.body, Body::Scatter(_));
    layout
        .elements
        .iter()
        .map(|e| {
            let (text, font_px) = match &e.shape {
                Shape::Text(spec) => (Some(spec.text.clone()), Some(hundredths(spec.size))),
                _ => (None, None),
            };
            ElementReport {
                role: role(e.id, scatter),
                text,
                bounds: bounds(&e.rect),
                font_px,
                color: hex(color(e, theme)),
            }
        })
        .collect()
}

/// Left, top, right, bottom of `r`, to the hundredth of a pixel.
pub fn bounds(r: &Rect) -> [f64; 4] {
    [r.x, r.y, r.right(), r.bottom()].map(hundredths)
}

fn hundredths(v: f32) -> f64 {
    (f64::from(v) * 100.0).round() / 100.0
}

fn hex(c: Rgb) -> String {
    format!("#{:02x}{:02x}{:02x}", c.0, c.1, c.2)
}

/// The colour `e` is drawn in (a band's or a halo's opacity aside).
fn color(e: &Element, theme: Theme) -> Rgb {
    let ink = |ink: &Ink| match ink {
        Ink::Series(c) => *c,
        Ink::Foreground => theme.text(TextRole::Value),
        Ink::Frontier => theme.frontier().0,
    };
    match &e.shape {
        Shape::Text(spec) => theme.text_color(spec),
        Shape::Bar { color }
        | Shape::Swatch { color }
        | Shape::Pill { color }
        | Shape::Marker { color, .. }
        | Shape::Ring { color, .. }
        | Shape::Polyline { color, .. } => *color,
        Shape::Rule { role } => theme.rule(*role),
        Shape::Path { ink: i, .. } | Shape::Whisker { ink: i, .. } => ink(i),
    }
}

/// What an element is, by name: `title`, `row_label`, `bar`, … A point is a `point` on a
/// scatter chart (the points are the data) and a `marker` on a line chart's curve.
pub fn role(id: ElementId, scatter: bool) -> &'static str {
    use ElementId::*;
    match id {
        Title => "title",
        Subtitle => "subtitle",
        Metadata(_) => "metadata",
        LegendSwatch(_) => "legend_key",
        LegendLabel(_) => "legend",
        RowLabel(_) => "row_label",
        PanelTitle(_) => "panel_title",
        Bar { .. } => "bar",
        Value { .. } => "value_label",
        Whisker { .. } | PointWhisker { .. } => "whisker",
        DeltaPill(_) => "pill",
        Delta(_) => "pill_label",
        ElementId::Axis(_) => "axis",
        Tick { .. } => "tick",
        TickLabel { .. } => "tick_label",
        Grid { .. } => "gridline",
        AxisTitle(_) => "axis_title",
        Line(_) => "line",
        Point { .. } if scatter => "point",
        Point { .. } => "marker",
        PointLabel { .. } => "point_label",
        Ring(_) => "ring",
        Annotation(_) => "callout",
        Leader(_) => "leader",
        Frontier => "frontier",
        FrontierLabel => "frontier_label",
        Footer(_) | PanelNote { .. } => "footer",
    }
}

/// `row label "RTX 4090"`, `bar (row 3, bar 1)`: how a message names an element, its text
/// shortened, its place counted from 1.
pub fn describe(e: &Element, scatter: bool) -> String {
    let name = role(e.id, scatter).replace('_', " ");
    match &e.shape {
        Shape::Text(spec) => format!("{name} \"{}\"", short(&spec.text)),
        _ => match place(e.id) {
            Some(place) => format!("{name} ({place})"),
            None => name,
        },
    }
}

/// At most 40 characters of `text` on one line, `…` where it was cut.
pub fn short(text: &str) -> String {
    let line = text.replace('\n', " ");
    let line = crate::terminal::printable(&line);
    if line.chars().count() <= 40 {
        return line.into_owned();
    }
    let cut: String = line.chars().take(39).collect();
    format!("{}…", cut.trim_end())
}

/// Where a mark is: its row and bar, series and point, axis and tick, counted from 1.
fn place(id: ElementId) -> Option<String> {
    use ElementId as E;
    let axis = |a: Axis| match a {
        Axis::X => "x",
        Axis::Y => "y",
    };
    Some(match id {
        E::Bar { row, bar } | E::Whisker { row, bar } | E::Value { row, bar } => {
            format!("row {}, bar {}", row + 1, bar + 1)
        }
        E::DeltaPill(r) => format!("row {}", r + 1),
        E::LegendSwatch(i) => format!("{}", i + 1),
        E::Axis(a) => axis(a).to_string(),
        E::Tick { axis: a, i } | E::Grid { axis: a, i } => format!("{} {}", axis(a), i + 1),
        E::Line(s) => format!("series {}", s + 1),
        E::Point { series, i } | E::PointLabel { series, i } => {
            format!("series {}, point {}", series + 1, i + 1)
        }
        E::PointWhisker { series, i, axis: a } => {
            format!("series {}, point {}, {}", series + 1, i + 1, axis(a))
        }
        E::Ring(a) | E::Leader(a) => format!("callout {}", a + 1),
        _ => return None,
    })
}
