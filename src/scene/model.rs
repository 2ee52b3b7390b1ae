//! The scene model: the keys every chart takes ([`Common`]) and what each kind adds
//! ([`SceneBody`]), typed so that a kind's code sees only its own keys.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::chart::{AnnotationKind, DeltaForm, Durations, PointLabels, Scale, XScale};
use crate::results::{Aggregate, Spread, Where};

/// Scene, rows and series carry the same pins (and how repeated runs make a value): the struct
/// gets those fields, declared once here, and `pins()` to read them.
macro_rules! with_pins {
    ($(#[$attr:meta])* pub struct $name:ident { $($(#[$field_attr:meta])* pub $field:ident: $ty:ty,)* }) => {
        $(#[$attr])*
        pub struct $name {
            $($(#[$field_attr])* pub $field: $ty,)*
            pub benchmark: Option<ByFamily>,
            pub gpu: Option<String>,
            pub family: Option<String>,
            pub metric: Option<ByFamily>,
            /// Config fields the runs of every cell must have (`where = { max_concurrency = 10 }`).
            #[serde(rename = "where", default, skip_serializing_if = "Where::is_empty")]
            pub where_: Where,
            /// How repeated runs of a cell make its value: `newest` (default), `mean`, `median`,
            /// `min` or `max`.
            pub aggregate: Option<Aggregate>,
            /// Whiskers over repeated runs: `none` (default), `minmax` or `stdev`.
            pub spread: Option<Spread>,
        }

        impl $name {
            pub fn pins(&self) -> Pins<'_> {
                Pins {
                    benchmark: self.benchmark.as_ref(),
                    gpu: self.gpu.as_deref(),
                    family: self.family.as_deref(),
                    metric: self.metric.as_ref(),
                    where_: &self.where_,
                    aggregate: self.aggregate,
                    spread: self.spread,
                    from_data: self.made_from_data(),
                }
            }
        }
    };
}

/// One scene: what every chart has, and what its kind adds.
#[derive(Debug, Clone)]
pub struct Scene {
    pub common: Common,
    pub body: SceneBody,
}

with_pins! {
/// The keys every kind of chart takes.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct Common {
    #[serde(skip)]
    pub name: String,
    #[serde(skip)]
    pub path: PathBuf,
    pub title: String,
    /// What the values are; the direction phrase (`· ↑ Higher is better`) is added to it when
    /// the direction is known.
    pub subtitle: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub metadata: Vec<String>,
    /// Footer lines. `{fastest}`, `{slowest}` and `{ratio}` compare the best and worst value;
    /// a line with `{row}` is repeated for each row and compares within it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub footer: Vec<String>,
    /// `higher` or `lower`; by default the metric's own (from the metric catalog, else its
    /// name and unit). Footers that compare values need one or the other.
    pub direction: Option<String>,
    #[serde(default, skip_serializing_if = "ValueFormat::is_plain")]
    pub format: ValueFormat,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub series: Vec<SeriesSpec>,
    /// One series per value of a field, instead of `[[series]]`.
    pub series_from: Option<FromField>,
    #[serde(default, skip_serializing_if = "is_default_timing")]
    pub timing: Durations,
    /// A chart per combination of these config fields' values (`<scene>@<suffix>`), where
    /// every series has runs with it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub for_each: Vec<String>,
    /// The `<suffix>` of each chart, `{field}` filled in: `tp{tensor_parallel_size}`. By
    /// default `<field><value>` for each field, joined with `_`.
    pub name_suffix: Option<String>,
}
}

/// What a kind of chart adds to the common keys. A key another kind takes is a parse error.
#[derive(Debug, Clone)]
pub enum SceneBody {
    /// Rows × series of horizontal bars.
    Bars(RowTable, BarKeys),
    /// Two series, baseline and candidate, a metric per row with its own scale and
    /// direction, and each row's delta.
    Compare(RowTable),
    /// One curve per series over a config field.
    Lines(LinesBody),
    /// Two metrics against each other, a point per value of a config field.
    Scatter(ScatterBody),
    /// Bar or compare charts side by side, one per panel.
    Panels(PanelsBody),
}

/// The rows of a bar or compare chart, their order, and how deltas read.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct RowTable {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rows: Vec<RowSpec>,
    /// One row per value of a field, instead of `[[rows]]`.
    pub rows_from: Option<FromField>,
    /// The order of the rows: as written (default), best value first, by label, or by the
    /// size of their delta.
    pub sort: Option<Sort>,
    /// How deltas read and what colours say better, worse and neither.
    pub compare: Option<CompareSpec>,
}

/// What only bar charts take.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct BarKeys {
    /// One scale for the chart (default), or one per row.
    pub scale: Option<Scale>,
    /// Of two series: each row's delta, the second series against the first.
    pub delta: Option<bool>,
}

/// A line chart: series over a config field or along a series section.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct LinesBody {
    /// The config field (or series section) along x.
    pub x: Option<XSpec>,
    pub y: Option<YSpec>,
    /// `last` (the default), `all` or `none`.
    pub point_labels: Option<PointLabels>,
    /// Start the y axis at zero (default) rather than near the smallest value.
    pub y_from_zero: Option<bool>,
    /// Callouts on each line: `peak`, `knee`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub annotate: Vec<AnnotationKind>,
    /// The knee is the first point reaching this share of the peak (default 0.9).
    pub knee_fraction: Option<f64>,
    /// The peak callout: `{value}`, `{x}`, `{x_label}` filled in.
    pub peak_label: Option<String>,
    /// The knee callout: `{percent}`, `{value}`, `{x}`, `{x_label}` filled in.
    pub knee_label: Option<String>,
}

/// Where a line's knee is when the scene does not say: the first point at 90% of the peak.
pub const KNEE_FRACTION: f64 = 0.9;

impl LinesBody {
    pub fn knee_fraction(&self) -> f64 {
        self.knee_fraction.unwrap_or(KNEE_FRACTION)
    }
}

/// A scatter chart: two metrics against each other, a point per value of a config field.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct ScatterBody {
    /// The x axis' title: `x = { label = "Time per output token (ms)" }`.
    pub x: Option<AxisTitle>,
    pub y: Option<YSpec>,
    /// `all` (the default), `last` or `none`.
    pub point_labels: Option<PointLabels>,
    /// Start the y axis at zero (default) rather than near the smallest value.
    pub y_from_zero: Option<bool>,
    /// The metric along the x axis (`metric` is along the y axis).
    pub x_metric: Option<String>,
    /// `higher` or `lower` for the x metric; by default the metric's own.
    pub x_direction: Option<String>,
    /// Start the x axis at zero (default) rather than near the smallest value.
    pub x_from_zero: Option<bool>,
    /// The config field whose values make the points, connected in its order.
    pub order: Option<String>,
    /// Each point's label, with `{field}` filled from its run: `c={max_concurrency}`.
    pub point_label: Option<String>,
    /// Join each series' points with a line (default true).
    pub connect: Option<bool>,
    /// Draw the Pareto frontier and dim the points it beats (default false).
    pub frontier: Option<bool>,
}

/// Small multiples: charts side by side in a grid, sharing the rows, series, title, legend
/// and footer, each with its own title, pins (its metric), direction and format.
#[derive(Debug, Clone)]
pub struct PanelsBody {
    pub grid: PanelGrid,
    /// The bar or compare chart each panel draws.
    pub chart: Box<SceneBody>,
}

/// The panels and how many go on a row.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct PanelGrid {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub panels: Vec<PanelSpec>,
    /// Panels per row of the grid, 1 to 4 (default: the square root of their number, rounded
    /// up).
    pub panels_columns: Option<usize>,
}

impl SceneBody {
    pub fn kind(&self) -> Kind {
        match self {
            SceneBody::Bars(..) => Kind::Bars,
            SceneBody::Compare(_) => Kind::Compare,
            SceneBody::Lines(_) => Kind::Line,
            SceneBody::Scatter(_) => Kind::Scatter,
            SceneBody::Panels(panels) => panels.chart.kind(),
        }
    }

    /// The rows of a bar or compare chart (of each panel's, for panels).
    pub fn rows(&self) -> Option<&RowTable> {
        match self {
            SceneBody::Bars(rows, _) | SceneBody::Compare(rows) => Some(rows),
            SceneBody::Panels(panels) => panels.chart.rows(),
            SceneBody::Lines(_) | SceneBody::Scatter(_) => None,
        }
    }

    pub fn rows_mut(&mut self) -> Option<&mut RowTable> {
        match self {
            SceneBody::Bars(rows, _) | SceneBody::Compare(rows) => Some(rows),
            SceneBody::Panels(panels) => panels.chart.rows_mut(),
            SceneBody::Lines(_) | SceneBody::Scatter(_) => None,
        }
    }
}

impl Scene {
    /// The scene's file, for messages.
    pub fn file(&self) -> std::path::Display<'_> {
        self.common.path.display()
    }

    /// The rows of a bar or compare chart; none for other kinds.
    pub fn rows(&self) -> &[RowSpec] {
        self.body.rows().map_or(&[], |t| &t.rows)
    }
}

with_pins! {
/// A panel (`[[panels]]`): a pin level between the scene and its rows.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PanelSpec {
    /// Above the panel's plot.
    #[serde(default)]
    pub title: String,
    /// `higher` or `lower`, for the panel's metric.
    pub direction: Option<String>,
    /// The panel's value format, instead of the scene's.
    pub format: Option<ValueFormat>,
}
}

/// Most panels a scene may have.
pub const MAX_PANELS: usize = 8;
/// Most panels per row of the grid.
pub const MAX_PANEL_COLUMNS: usize = 4;

/// The `[compare]` table: `delta = "percent"`, `neutral_band = 0.5`, and the pills' colours.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CompareSpec {
    /// `percent` (`+15.0%`, the default) or `ratio` (`1.15×`).
    #[serde(default)]
    pub delta: DeltaForm,
    /// Differences below this many percent are neither better nor worse (default 0.5).
    pub neutral_band: Option<f64>,
    pub better: Option<String>,
    pub worse: Option<String>,
    pub neutral: Option<String>,
}

/// Most percent a neutral band may span.
pub const MAX_NEUTRAL_BAND: f64 = 100.0;

/// How rows are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Sort {
    /// As the scene lists them.
    #[default]
    None,
    /// Best first, by the first series' value and the chart's direction; NA last.
    Value,
    Label,
    /// Largest difference first (charts with deltas).
    Delta,
}

/// What a scene draws.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// Rows × series of horizontal bars.
    #[default]
    Bars,
    /// Two series, baseline and candidate, a metric per row with its own scale and
    /// direction, and each row's delta.
    Compare,
    /// One curve per series over a config field.
    Line,
    /// Two metrics against each other, a point per value of a config field.
    Scatter,
}

/// Rows or series generated from the values of a field:
/// `rows_from = { field = "max_concurrency", label = "c={max_concurrency}" }`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FromField {
    /// A config field of the runs (each gets `where = { field = value }`), or `gpu` or
    /// `benchmark` (each gets that pin).
    pub field: String,
    /// A template over the fields of the newest run with the value; the value by default.
    pub label: Option<String>,
    #[serde(default)]
    pub order: FromOrder,
    /// `tab10`: colour each from matplotlib's ten colours in order; `viridis`: from dark blue
    /// to green by the field's order (rows coloured so get no legend when there is one series).
    /// Series of numbers (concurrency 1 to 32) take `viridis` unless told otherwise.
    pub colors: Option<Palette>,
}

/// The order of generated rows or series.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FromOrder {
    /// The field's values in order: numbers ascending, then text.
    #[default]
    Field,
    /// Best value first, by the chart's direction; those without a value last.
    Value,
    /// By label.
    Label,
}

/// A set of colours to give generated rows or series in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Palette {
    /// Categorical: for things of different kinds.
    Tab10,
    /// Sequential: for ordered levels.
    Viridis,
}

/// The x axis of a line chart: `x = { field = "max_concurrency", label = "Concurrent requests" }`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct XSpec {
    /// A config field of the runs: each distinct value is a point (this or `section` is
    /// required).
    pub field: Option<String>,
    /// A series section of each series' run (`# series latency_ms by iteration`): its points
    /// are the line.
    pub section: Option<String>,
    /// Along a section's x (`iteration`, the default) or the `time` its points add up to, in
    /// seconds, so that tenants of one experiment share a clock.
    pub by: Option<SectionX>,
    /// The axis title; by default the field's name.
    pub label: Option<String>,
    /// `linear`, `log2`, `log10` or `category`; by default `category` for text, `log2` when
    /// every value is a power of two (and there are three or more), else `linear`.
    pub scale: Option<XScale>,
}

/// A scatter chart's x axis: only its title, since the axis is the metric `x_metric`, on a
/// linear scale.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct AxisTitle {
    /// By default the metric's name and unit.
    pub label: Option<String>,
}

/// What a series section's points are placed by along x.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SectionX {
    /// The section's own x (its metric column): the iteration.
    #[default]
    Iteration,
    /// The sum of the y values up to each point, in seconds (y being a time).
    Time,
}

/// The y axis of a line or scatter chart.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct YSpec {
    /// The axis title; by default the metric's unit (line charts) or its name and unit
    /// (scatter charts).
    pub label: Option<String>,
}

/// What a row, a series or the whole scene fixes about its cells. `benchmark` and `metric`
/// may depend on the family: `metric = { llama_server = "true_gen_throughput", vLLM = "output_token_throughput" }`.
#[derive(Debug, Clone, Copy)]
pub struct Pins<'a> {
    pub benchmark: Option<&'a ByFamily>,
    pub gpu: Option<&'a str>,
    pub family: Option<&'a str>,
    pub metric: Option<&'a ByFamily>,
    pub where_: &'a Where,
    pub aggregate: Option<Aggregate>,
    pub spread: Option<Spread>,
    /// Pins made from the values among the runs (`rows_from`, `series_from`): a run they
    /// select that does not exist is NA, not a mistake in the scene.
    pub from_data: bool,
}

/// No `where` at all, for [`Pins::none`].
static NO_WHERE: Where = Where(BTreeMap::new());

impl Pins<'static> {
    /// Pins that fix nothing: the row of a chart that has none.
    pub fn none() -> Pins<'static> {
        Pins {
            benchmark: None,
            gpu: None,
            family: None,
            metric: None,
            where_: &NO_WHERE,
            aggregate: None,
            spread: None,
            from_data: false,
        }
    }
}

/// A value, or one value per family.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(untagged)]
pub enum ByFamily {
    One(String),
    PerFamily(BTreeMap<String, String>),
}

/// A row (`[[rows]]`) or a series (`[[series]]`): what it is called and the pins of its cells.
pub type RowSpec = GroupSpec;
pub type SeriesSpec = GroupSpec;

with_pins! {
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct GroupSpec {
    /// A row's label (required), or a series' legend label (may be empty for a single series).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub label: String,
    /// What computed footers call the row, if not its label (`DGX Spark` for `DGX Spark (GB10)`).
    pub name: Option<String>,
    /// Colours the series, or the row's bars (for charts whose rows are GPUs and that have one
    /// series).
    pub color: Option<String>,
    /// Made by `rows_from` or `series_from`, not written in the scene.
    #[serde(skip)]
    pub generated: bool,
}
}

impl GroupSpec {
    fn made_from_data(&self) -> bool {
        self.generated
    }
}

impl Common {
    fn made_from_data(&self) -> bool {
        false
    }
}

impl PanelSpec {
    fn made_from_data(&self) -> bool {
        false
    }
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ValueFormat {
    /// Fixed decimal places; by default enough for three significant digits.
    pub decimals: Option<usize>,
    /// Text after each value, e.g. `" s"`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub suffix: String,
}

impl ValueFormat {
    /// No decimals fixed and no suffix: a scene file leaves it out.
    pub fn is_plain(&self) -> bool {
        self.decimals.is_none() && self.suffix.is_empty()
    }
}

/// The default steps' durations: a scene file leaves them out.
fn is_default_timing(timing: &Durations) -> bool {
    *timing == Durations::default()
}

impl Kind {
    pub const ALL: [Kind; 4] = [Kind::Bars, Kind::Compare, Kind::Line, Kind::Scatter];

    /// As scene files spell it.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Bars => "bars",
            Kind::Compare => "compare",
            Kind::Line => "line",
            Kind::Scatter => "scatter",
        }
    }

    /// As prose names it: a `bar` chart.
    pub fn noun(self) -> &'static str {
        match self {
            Kind::Bars => "bar",
            kind => kind.name(),
        }
    }
}
