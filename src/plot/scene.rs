//! The scene a plot is: its series, rows, x and points chosen from the runs where the request
//! leaves them open, and the keys a scene file would hold for them.

use std::path::PathBuf;

use anyhow::bail;

use super::request::Request;
use super::runs::Selection;
use crate::results::display;
use crate::scene::{
    BarKeys, ByFamily, Common, FromField, FromOrder, Kind, LinesBody, Palette, PanelGrid,
    PanelSpec, PanelsBody, RowTable, ScatterBody, Scene, SceneBody, XSpec,
};

/// What the chart is grouped by, each checked against the runs.
pub(super) struct Plan {
    kind: Kind,
    series: String,
    /// A bar chart's rows.
    rows: Option<String>,
    /// A scatter chart's points.
    points: Option<String>,
}

impl Plan {
    pub fn new(request: &Request, selection: &Selection, kind: Kind) -> anyhow::Result<Plan> {
        if kind != Kind::Bars && request.rows_by.is_some() {
            bail!(
                "--rows-by: a {} chart has no rows; its series are --series-by",
                kind.noun()
            );
        }
        let series = match &request.series_by {
            Some(field) => {
                selection.grouping("--series-by", field)?;
                field.clone()
            }
            None => default_series(selection),
        };
        if request.x.as_deref() == Some(series.as_str()) && kind != Kind::Scatter {
            bail!("--series-by {series}: that is --x; give the series another field");
        }
        let rows = match (kind, &request.rows_by) {
            (Kind::Bars, Some(field)) if request.x.is_some() => {
                bail!("--rows-by {field}: a bar chart's rows are --x or --rows-by, not both")
            }
            (Kind::Bars, Some(field)) => {
                selection.grouping("--rows-by", field)?;
                Some(field.clone())
            }
            (Kind::Bars, None) => Some(match &request.x {
                Some(x) => x.clone(),
                None => default_rows(selection, &series),
            }),
            _ => None,
        };
        if rows.as_deref() == Some(series.as_str()) {
            bail!("--rows-by {series}: that is the series too; give the rows another field");
        }
        for (pin, option) in [("benchmark", "--benchmark"), ("gpu", "--gpu")] {
            let grouped = series == pin || rows.as_deref() == Some(pin);
            let values = selection.values(pin);
            if !grouped && values.len() > 1 {
                bail!(
                    "the runs are of several {pin}s: {}; pick one with {option}, or make them the series with --series-by {pin}",
                    values.join(", ")
                );
            }
        }
        let points = match kind {
            Kind::Scatter => Some(selection.varying_field(&[series.as_str()]).ok_or_else(|| {
                anyhow::anyhow!(
                    "a scatter chart has a point per value of a sweep field (such as max_concurrency), and none differs among the runs{}",
                    " selected; widen --where"
                )
            })?),
            _ => None,
        };
        Ok(Plan {
            kind,
            series,
            rows,
            points,
        })
    }

    /// What each part of the chart is grouped by.
    pub fn groupings(&self) -> Vec<(&'static str, String)> {
        let mut out = vec![("series", self.series.clone())];
        if let Some(rows) = &self.rows {
            out.insert(0, ("rows", rows.clone()));
        }
        if let Some(points) = &self.points {
            out.push(("points", points.clone()));
        }
        out
    }

    /// The scene, named `name`.
    pub fn scene(&self, request: &Request, selection: &Selection, name: &str) -> Scene {
        let label = |m: &str| selection.table.catalog.display_name(m);
        // A config field as a title says it: "concurrency", or the field as written.
        let field =
            |f: &str| display::field_label(f).map_or_else(|| f.to_string(), str::to_lowercase);
        let y = &request.ys[0];
        let with_unit = |m: &str| match selection.unit(m) {
            unit if unit.is_empty() => label(m),
            unit => format!("{} ({unit})", label(m)),
        };
        let x = request.x.clone().unwrap_or_default();
        let (title, subtitle) = match (self.kind, &self.rows, &self.points) {
            (Kind::Scatter, _, Some(points)) => (
                format!("{} vs {}", label(y), label(&x)),
                format!("One point per {}", field(points)),
            ),
            (Kind::Line, ..) => (format!("{} vs {}", label(y), field(&x)), with_unit(y)),
            (_, Some(rows), _) if request.ys.len() > 1 => {
                let labels: Vec<String> = request.ys.iter().map(|m| label(m)).collect();
                (
                    format!("{} by {}", labels.join(", "), field(rows)),
                    format!("A panel per metric, a row per {}", field(rows)),
                )
            }
            (_, rows, _) => (
                format!(
                    "{} by {}",
                    label(y),
                    field(rows.as_deref().unwrap_or_default())
                ),
                with_unit(y),
            ),
        };
        let series_count = selection.values(&self.series).len();
        let common = Common {
            name: name.to_string(),
            // What errors over the scene name until it is saved to a file.
            path: PathBuf::from("benchanim plot"),
            title: request.title.clone().unwrap_or(title),
            subtitle,
            metadata: pins_line(selection).into_iter().collect(),
            benchmark: selection.benchmark.clone().map(ByFamily::One),
            gpu: selection.gpu.clone(),
            metric: (request.ys.len() == 1).then(|| ByFamily::One(y.clone())),
            where_: selection.wanted.clone(),
            series_from: Some(from(&self.series, None)),
            ..Common::default()
        };
        let body = match self.kind {
            Kind::Line => SceneBody::Lines(lines(x, request)),
            Kind::Scatter => SceneBody::Scatter(scatter(x, self.points.clone())),
            Kind::Bars | Kind::Compare => {
                // One series: its rows take the colours, and there is no legend to read.
                let colors = (series_count == 1).then_some(Palette::Tab10);
                let rows = RowTable {
                    rows_from: self.rows.as_deref().map(|f| from(f, colors)),
                    ..RowTable::default()
                };
                let bars = SceneBody::Bars(rows, BarKeys::default());
                if request.ys.len() == 1 {
                    bars
                } else {
                    panels(request, bars, &label)
                }
            }
        };
        Scene { common, body }
    }
}

/// One series per GPU when the runs are on several, else per benchmark when of several, else
/// the one GPU's.
fn default_series(selection: &Selection) -> String {
    if selection.values("gpu").len() <= 1 && selection.values("benchmark").len() > 1 {
        "benchmark".to_string()
    } else {
        "gpu".to_string()
    }
}

/// A row per benchmark when the series are not, else per value of what the runs measure
/// apart, else per benchmark.
fn default_rows(selection: &Selection, series: &str) -> String {
    if series != "benchmark" && selection.values("benchmark").len() > 1 {
        return "benchmark".to_string();
    }
    match selection.varying_field(&[series]) {
        Some(field) => field,
        None if series == "benchmark" => "gpu".to_string(),
        None => "benchmark".to_string(),
    }
}

/// Rows or series from the values of `field`, in its order.
fn from(field: &str, colors: Option<Palette>) -> FromField {
    FromField {
        field: field.to_string(),
        label: None,
        order: FromOrder::Field,
        colors,
    }
}

fn lines(x: String, request: &Request) -> LinesBody {
    LinesBody {
        x: Some(XSpec {
            field: Some(x),
            section: None,
            by: None,
            label: None,
            scale: None,
        }),
        y: None,
        point_labels: None,
        y_from_zero: None,
        annotate: request.annotate.clone(),
        knee_fraction: None,
        peak_label: None,
        knee_label: None,
    }
}

fn scatter(x_metric: String, points: Option<String>) -> ScatterBody {
    ScatterBody {
        x: None,
        y: None,
        point_labels: None,
        y_from_zero: None,
        x_metric: Some(x_metric),
        x_direction: None,
        x_from_zero: None,
        order: points,
        point_label: None,
        connect: None,
        frontier: None,
    }
}

/// A bar chart per metric, side by side.
fn panels(request: &Request, bars: SceneBody, label: &dyn Fn(&str) -> String) -> SceneBody {
    let panels = (request.ys.iter())
        .map(|m| PanelSpec {
            title: label(m),
            direction: None,
            format: None,
            benchmark: None,
            gpu: None,
            family: None,
            metric: Some(ByFamily::One(m.clone())),
            where_: Default::default(),
            aggregate: None,
            spread: None,
        })
        .collect();
    SceneBody::Panels(PanelsBody {
        grid: PanelGrid {
            panels,
            panels_columns: None,
        },
        chart: Box::new(bars),
    })
}

/// The pins the options gave, as a metadata line: `benchmark · GPU · field = value`.
fn pins_line(selection: &Selection) -> Option<String> {
    let mut parts: Vec<String> = Vec::new();
    parts.extend(selection.benchmark.clone());
    parts.extend(selection.gpu.as_ref().map(|g| g.replace('_', " ")));
    if !selection.wanted.is_empty() {
        parts.push(selection.wanted.to_string());
    }
    (!parts.is_empty()).then(|| parts.join(" · "))
}
