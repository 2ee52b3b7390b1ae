//! What a plot chose, in words, from the chart it resolved to: its kind and metrics with their
//! directions, its rows, series, x levels and points, so that a default that picked wrong is
//! seen before the video is watched.

use super::Plot;
use crate::chart::{Body, Chart, XLevel};
use crate::results::Direction;
use crate::scene::{ByFamily, SceneBody};

/// A line each: the chart and its metrics, then what each part is grouped by and its values.
pub fn describe(plot: &Plot, chart: &Chart) -> Vec<String> {
    let scene = &plot.scene;
    let y = match &scene.common.metric {
        Some(ByFamily::One(m)) => m.clone(),
        _ => String::new(),
    };
    let mut lines = vec![match &chart.body {
        Body::Lines(lines) => format!(
            "line chart: {} along {}",
            with_direction(&y, lines.y.direction),
            x_field(&scene.body)
        ),
        Body::Scatter(plot) => format!(
            "scatter chart: {} against {}",
            with_direction(&y, plot.y.direction),
            with_direction(&x_field(&scene.body), plot.x.direction)
        ),
        Body::Bars(bars) => format!("bar chart: {}", with_direction(&y, bars.direction)),
        Body::Panels(panels) => {
            let metrics: Vec<String> = (panel_metrics(&scene.body).iter())
                .zip(&panels.panels)
                .map(|(m, p)| with_direction(m, p.bars.direction))
                .collect();
            format!("bar charts in panels: {}", metrics.join(", "))
        }
    }];
    for (part, field) in &plot.groupings {
        let values = match *part {
            "rows" => row_labels(chart),
            "series" => series_labels(chart),
            _ => levels(chart).iter().map(|l| l.label.clone()).collect(),
        };
        lines.push(format!("{part} by {field}: {}", values.join(", ")));
    }
    if let Body::Lines(lines_plot) = &chart.body {
        let labels: Vec<&str> = lines_plot
            .x
            .levels
            .iter()
            .map(|l| l.label.as_str())
            .collect();
        let scale = serde_json::to_value(lines_plot.x.scale).unwrap_or_default();
        lines.push(format!(
            "x levels ({}): {}",
            scale.as_str().unwrap_or_default(),
            labels.join(", ")
        ));
    }
    lines
}

/// `metric (↑ higher is better)`, or `metric (no direction)`.
fn with_direction(metric: &str, direction: Option<Direction>) -> String {
    match direction {
        Some(d) => format!("{metric} ({} is better)", d.word()),
        None => format!("{metric} (no direction known)"),
    }
}

fn x_field(body: &SceneBody) -> String {
    match body {
        SceneBody::Lines(lines) => (lines.x.as_ref())
            .and_then(|x| x.field.clone())
            .unwrap_or_default(),
        SceneBody::Scatter(scatter) => scatter.x_metric.clone().unwrap_or_default(),
        _ => String::new(),
    }
}

fn panel_metrics(body: &SceneBody) -> Vec<String> {
    let SceneBody::Panels(panels) = body else {
        return Vec::new();
    };
    (panels.grid.panels.iter())
        .map(|p| match &p.metric {
            Some(ByFamily::One(m)) => m.clone(),
            _ => String::new(),
        })
        .collect()
}

/// The bar rows, of the first panel when there are panels.
fn row_labels(chart: &Chart) -> Vec<String> {
    let bars = match &chart.body {
        Body::Bars(bars) => bars,
        Body::Panels(panels) => match panels.panels.first() {
            Some(panel) => &panel.bars,
            None => return Vec::new(),
        },
        Body::Lines(_) | Body::Scatter(_) => return Vec::new(),
    };
    bars.rows.iter().map(|r| r.label.clone()).collect()
}

/// The series as the legend names them; a bar chart of one series has no legend, so its
/// one series is named by what its bars are.
fn series_labels(chart: &Chart) -> Vec<String> {
    match &chart.body {
        Body::Lines(plot) => plot.series.iter().map(|s| s.label.clone()).collect(),
        Body::Scatter(plot) => plot.series.iter().map(|s| s.label.clone()).collect(),
        Body::Bars(_) | Body::Panels(_) if chart.legend.is_empty() => {
            vec!["one series, its bars coloured by row".to_string()]
        }
        Body::Bars(_) | Body::Panels(_) => chart.legend.iter().map(|l| l.label.clone()).collect(),
    }
}

/// A scatter chart's levels: the values of the field its points are made by.
fn levels(chart: &Chart) -> &[XLevel] {
    match &chart.body {
        Body::Scatter(plot) => &plot.levels,
        _ => &[],
    }
}
