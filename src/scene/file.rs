//! The scene file format.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use serde::Deserialize;

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
            #[serde(rename = "where", default)]
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
                }
            }
        }
    };
}

with_pins! {
/// One scene file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scene {
    #[serde(skip)]
    pub name: String,
    #[serde(skip)]
    pub path: PathBuf,
    /// `bars` (the default), `compare`, `line` or `scatter`.
    #[serde(default)]
    pub kind: Kind,
    pub title: String,
    /// What the values are; the direction phrase (`· ↑ Higher is better`) is added to it when
    /// the direction is known.
    pub subtitle: String,
    #[serde(default)]
    pub metadata: Vec<String>,
    /// Footer lines. `{fastest}`, `{slowest}` and `{ratio}` compare the best and worst value;
    /// a line with `{row}` is repeated for each row and compares within it.
    #[serde(default)]
    pub footer: Vec<String>,
    /// `higher` or `lower`; by default the metric's own (from the metric catalog, else its
    /// name and unit). Footers that compare values need one or the other.
    pub direction: Option<String>,
    #[serde(default)]
    pub format: ValueFormat,
    /// Bar charts only; line and scatter charts pin everything on the scene and their series.
    #[serde(default)]
    pub rows: Vec<RowSpec>,
    #[serde(default)]
    pub series: Vec<SeriesSpec>,
    /// One row per value of a field, instead of `[[rows]]` (bar charts).
    pub rows_from: Option<FromField>,
    /// One series per value of a field, instead of `[[series]]`.
    pub series_from: Option<FromField>,
    #[serde(default)]
    pub timing: Durations,
    /// The order of the rows: as written (default), best value first, by label, or by the
    /// size of their delta.
    pub sort: Option<Sort>,
    /// Small multiples: charts side by side in a grid, sharing the rows, series, title, legend
    /// and footer, each with its own title, pins (its metric), direction and format.
    #[serde(default)]
    pub panels: Vec<PanelSpec>,
    /// Panels per row of the grid, 1 to 4 (default: the square root of their number, rounded
    /// up).
    pub panels_columns: Option<usize>,
    /// A chart per combination of these config fields' values (`<scene>@<suffix>`), where
    /// every series has runs with it.
    #[serde(default)]
    pub for_each: Vec<String>,
    /// The `<suffix>` of each chart, `{field}` filled in: `tp{tensor_parallel_size}`. By
    /// default `<field><value>` for each field, joined with `_`.
    pub name_suffix: Option<String>,
    // Bar and compare charts.
    /// Bar charts: one scale for the chart (default), or one per row.
    pub scale: Option<Scale>,
    /// Bar charts of two series: each row's delta, the second series against the first.
    pub delta: Option<bool>,
    /// How deltas read and what colours say better, worse and neither.
    pub compare: Option<CompareSpec>,
    // Line and scatter charts.
    /// The x axis: a line chart's config field, a scatter chart's title.
    pub x: Option<XSpec>,
    pub y: Option<YSpec>,
    /// `last` (a line chart's default), `all` (a scatter chart's) or `none`.
    pub point_labels: Option<PointLabels>,
    /// Start the y axis at zero (default) rather than near the smallest value.
    pub y_from_zero: Option<bool>,
    // Line charts only.
    /// Callouts on each line: `peak`, `knee`.
    #[serde(default)]
    pub annotate: Vec<AnnotationKind>,
    /// The knee is the first point reaching this share of the peak (default 0.9).
    pub knee_fraction: Option<f64>,
    /// The peak callout: `{value}`, `{x}`, `{x_label}` filled in.
    pub peak_label: Option<String>,
    /// The knee callout: `{percent}`, `{value}`, `{x}`, `{x_label}` filled in.
    pub knee_label: Option<String>,
    // Scatter charts only.
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
}

with_pins! {
/// A panel (`[[panels]]`): a pin level between the scene and its rows.
#[derive(Debug, Clone, Deserialize)]
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
#[derive(Debug, Clone, Default, Deserialize)]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
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
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FromField {
    /// A config field of the runs (each gets `where = { field = value }`), or `gpu` or
    /// `benchmark` (each gets that pin).
    pub field: String,
    /// A template over the fields of the newest run with the value; the value by default.
    pub label: Option<String>,
    #[serde(default)]
    pub order: FromOrder,
    /// `tab10`: colour each from matplotlib's ten colours in order (rows coloured so get no
    /// legend when there is one series).
    pub colors: Option<Palette>,
}

/// The order of generated rows or series.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Palette {
    Tab10,
}

/// The x axis of a line chart: `x = { field = "max_concurrency", label = "Concurrent requests" }`;
/// of a scatter chart, only its title: `x = { label = "Time per output token (ms)" }`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct XSpec {
    /// A config field of the runs: each distinct value is a point (line charts; this or
    /// `section` is required there).
    pub field: Option<String>,
    /// A series section of each series' run (`# series latency_ms by iteration`): its points
    /// are the line (line charts).
    pub section: Option<String>,
    /// Along a section's x (`iteration`, the default) or the `time` its points add up to, in
    /// seconds, so that tenants of one experiment share a clock.
    pub by: Option<SectionX>,
    /// The axis title; by default the field's name (line charts) or the metric's name and
    /// unit (scatter charts).
    pub label: Option<String>,
    /// `linear`, `log2`, `log10` or `category`; by default `category` for text, `log2` when
    /// every value is a power of two (and there are three or more), else `linear`.
    pub scale: Option<XScale>,
}

/// What a series section's points are placed by along x.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SectionX {
    /// The section's own x (its metric column): the iteration.
    #[default]
    Iteration,
    /// The sum of the y values up to each point, in seconds (y being a time).
    Time,
}

/// The y axis of a line or scatter chart.
#[derive(Debug, Clone, Default, Deserialize)]
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
        }
    }
}

/// A value, or one value per family.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum ByFamily {
    One(String),
    PerFamily(BTreeMap<String, String>),
}

/// A row (`[[rows]]`) or a series (`[[series]]`): what it is called and the pins of its cells.
pub type RowSpec = GroupSpec;
pub type SeriesSpec = GroupSpec;

with_pins! {
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupSpec {
    /// A row's label (required), or a series' legend label (may be empty for a single series).
    #[serde(default)]
    pub label: String,
    /// What computed footers call the row, if not its label (`DGX Spark` for `DGX Spark (GB10)`).
    pub name: Option<String>,
    /// Colours the series, or the row's bars (for charts whose rows are GPUs and that have one
    /// series).
    pub color: Option<String>,
}
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ValueFormat {
    /// Fixed decimal places; by default enough for three significant digits.
    pub decimals: Option<usize>,
    /// Text after each value, e.g. `" s"`.
    #[serde(default)]
    pub suffix: String,
}

/// Largest scene file read; real scenes are a few KiB.
pub const MAX_SCENE_BYTES: u64 = 1 << 20;
/// Most decimal places a value may show.
pub const MAX_DECIMALS: usize = 10;
/// Longest animation a scene may ask for, in seconds.
pub const MAX_ANIMATION_SECONDS: f64 = 600.0;

/// A scene name is a file stem in the scenes folder, never a path.
pub fn check_name(name: &str) -> anyhow::Result<()> {
    if name.is_empty()
        || name.starts_with('.')
        || name.contains(['/', '\\', '\0'])
        || name.chars().any(char::is_control)
    {
        bail!(
            "`{}` is not a scene name: a scene is named by its file in the scenes folder, without folders or `.toml` (see `benchanim list`)",
            name.escape_debug()
        );
    }
    Ok(())
}

/// Reads `<dir>/<name>.toml`. An unknown name lists the scenes that exist.
pub fn load_scene(dir: &Path, name: &str) -> anyhow::Result<Scene> {
    check_name(name)?;
    let path = dir.join(format!("{name}.toml"));
    let text = match read_scene_file(&path)? {
        Some(text) => text,
        None => {
            let known = list_scenes(dir).unwrap_or_default();
            bail!(
                "no scene `{name}` in `{}`; scenes there: {}",
                dir.display(),
                if known.is_empty() {
                    "none".to_string()
                } else {
                    known.join(", ")
                }
            );
        }
    };
    let mut scene: Scene =
        toml::from_str(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    check_row_labels(&text, &path)?;
    scene.name = name.to_string();
    scene.path = path;
    scene.check()?;
    Ok(scene)
}

/// Rows and series share one type, in which a missing label reads as empty; a row must still
/// name its label (an empty one is fine), so its table is looked at as written.
fn check_row_labels(text: &str, path: &Path) -> anyhow::Result<()> {
    let Ok(table) = text.parse::<toml::Table>() else {
        return Ok(());
    };
    // A compare chart's row may be named by its metric.
    if table.get("kind").and_then(|k| k.as_str()) == Some("compare") {
        return Ok(());
    }
    let rows = table.get("rows").and_then(|r| r.as_array());
    for (i, row) in rows.into_iter().flatten().enumerate() {
        if row.get("label").is_none() {
            bail!("{}: rows[{i}]: missing field `label`", path.display());
        }
    }
    Ok(())
}

/// The text of a scene file; `None` when there is none. Folders, FIFOs, devices, symlink loops
/// and oversized files are errors that say what the path is.
fn read_scene_file(path: &Path) -> anyhow::Result<Option<String>> {
    let shown = path.display();
    let meta = match std::fs::metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => bail!("cannot read scene file `{shown}`: {e}"),
    };
    if meta.is_dir() {
        bail!("`{shown}` is a folder, not a scene file");
    }
    if !meta.is_file() {
        bail!("`{shown}` is not a regular file (a FIFO, socket or device); not read");
    }
    if meta.len() > MAX_SCENE_BYTES {
        bail!(
            "`{shown}` is {:.1} MiB; scene files are at most {} MiB",
            meta.len() as f64 / (1 << 20) as f64,
            MAX_SCENE_BYTES >> 20
        );
    }
    let mut text = String::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(MAX_SCENE_BYTES + 1).read_to_string(&mut text))
        .with_context(|| format!("cannot read scene file `{shown}`"))?;
    if text.len() as u64 > MAX_SCENE_BYTES {
        bail!(
            "`{shown}` is over {} MiB; scene files are at most that",
            MAX_SCENE_BYTES >> 20
        );
    }
    Ok(Some(text))
}

impl Scene {
    /// Numbers a scene gives, against their documented ranges.
    fn check(&self) -> anyhow::Result<()> {
        let file = self.path.display();
        if let Some(d) = self.format.decimals
            && d > MAX_DECIMALS
        {
            bail!("{file}: format.decimals = {d} is out of range: 0 to {MAX_DECIMALS}");
        }
        let t = &self.timing;
        let steps = [
            ("title", t.title),
            ("subtitle", t.subtitle),
            ("metadata", t.metadata),
            ("legend", t.legend),
            ("labels", t.labels),
            ("bars", t.bars),
            ("values", t.values),
            ("deltas", t.deltas),
            ("axes", t.axes),
            ("lines", t.lines),
            ("annotations", t.annotations),
            ("footer", t.footer),
            ("hold", t.hold),
            ("fadeout", t.fadeout),
            ("wait", t.wait),
        ];
        for (key, seconds) in steps {
            if !(0.0..=MAX_ANIMATION_SECONDS).contains(&seconds) {
                let shown = crate::terminal::number(seconds);
                bail!(
                    "{file}: timing.{key} = {shown} is out of range: 0 to {MAX_ANIMATION_SECONDS} seconds"
                );
            }
        }
        self.check_kind()?;
        self.check_placeholders()?;
        // A wait stands between each pair of the eight steps at most.
        let total: f64 = steps.iter().map(|(_, s)| s).sum::<f64>() + 6.0 * t.wait;
        if total > MAX_ANIMATION_SECONDS {
            bail!(
                "{file}: the [timing] steps add up to {total:.0} s; an animation is at most {MAX_ANIMATION_SECONDS} s (10 minutes)"
            );
        }
        Ok(())
    }
}

/// Every `{name}` a footer line can hold, whatever the chart: the comparisons of bars and
/// lines, the per-row, per-series and per-panel lines, and the counts of compare charts.
const FOOTER_PLACEHOLDERS: [&str; 14] = [
    "row", "fastest", "slowest", "ratio", "series", "peak", "peak_x", "knee_x", "x", "x_label",
    "panel", "better", "worse", "rows",
];

impl Scene {
    /// A footer's `{name}` that no chart fills (nor a `for_each` field) is a mistake, not text
    /// to draw as it is.
    fn check_placeholders(&self) -> anyhow::Result<()> {
        for (line, template) in self.footer.iter().enumerate() {
            for name in placeholders(template) {
                let known = FOOTER_PLACEHOLDERS.contains(&name)
                    || self.for_each.iter().any(|f| f.trim() == name);
                if !known {
                    bail!(
                        "{}: footer line {} (`{template}`): `{{{name}}}` is not a placeholder; footers take {}{}",
                        self.path.display(),
                        line + 1,
                        FOOTER_PLACEHOLDERS.map(|p| format!("{{{p}}}")).join(", "),
                        if self.for_each.is_empty() {
                            String::new()
                        } else {
                            format!(" and the for_each fields ({})", self.for_each.join(", "))
                        }
                    );
                }
            }
        }
        Ok(())
    }
}

/// The `{name}`s in `text` (names of letters, digits and `_`).
fn placeholders(text: &str) -> impl Iterator<Item = &str> {
    text.split('{').skip(1).filter_map(|rest| {
        let name = rest.split_once('}')?.0;
        (!name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
            .then_some(name)
    })
}

impl Kind {
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

impl Scene {
    /// Keys of one kind of chart are not given to another, and each kind has what it needs.
    fn check_kind(&self) -> anyhow::Result<()> {
        use Kind::{Bars, Compare, Line, Scatter};
        let file = self.path.display();
        let both: &[Kind] = &[Line, Scatter];
        let with_rows: &[Kind] = &[Bars, Compare];
        // Each key that only some kinds take: whether the scene gives it, and those kinds.
        let keys: [(&str, bool, &[Kind]); 21] = [
            ("sort", self.sort.is_some(), with_rows),
            ("scale", self.scale.is_some(), &[Bars]),
            ("delta", self.delta.is_some(), &[Bars]),
            ("compare", self.compare.is_some(), with_rows),
            ("panels", !self.panels.is_empty(), with_rows),
            ("panels_columns", self.panels_columns.is_some(), with_rows),
            ("x", self.x.is_some(), both),
            ("y", self.y.is_some(), both),
            ("point_labels", self.point_labels.is_some(), both),
            ("y_from_zero", self.y_from_zero.is_some(), both),
            ("annotate", !self.annotate.is_empty(), &[Line]),
            ("knee_fraction", self.knee_fraction.is_some(), &[Line]),
            ("peak_label", self.peak_label.is_some(), &[Line]),
            ("knee_label", self.knee_label.is_some(), &[Line]),
            ("x_metric", self.x_metric.is_some(), &[Scatter]),
            ("x_direction", self.x_direction.is_some(), &[Scatter]),
            ("x_from_zero", self.x_from_zero.is_some(), &[Scatter]),
            ("order", self.order.is_some(), &[Scatter]),
            ("point_label", self.point_label.is_some(), &[Scatter]),
            ("connect", self.connect.is_some(), &[Scatter]),
            ("frontier", self.frontier.is_some(), &[Scatter]),
        ];
        if let Some((key, _, kinds)) = keys
            .iter()
            .find(|(_, given, kinds)| *given && !kinds.contains(&self.kind))
        {
            let nouns: Vec<&str> = kinds.iter().map(|k| k.noun()).collect();
            let adds: Vec<String> = kinds
                .iter()
                .map(|k| format!("`kind = \"{}\"`", k.name()))
                .collect();
            bail!(
                "{file}: `{key}` is for {} charts; add {}",
                nouns.join(" or "),
                adds.join(" or ")
            );
        }
        if self.panels.len() > MAX_PANELS {
            bail!(
                "{file}: {} panels; a chart has at most {MAX_PANELS}: split it with `for_each`, or into scenes",
                self.panels.len()
            );
        }
        if let Some(c) = self.panels_columns
            && !(1..=MAX_PANEL_COLUMNS).contains(&c)
        {
            bail!("{file}: panels_columns = {c} is out of range: 1 to {MAX_PANEL_COLUMNS}");
        }
        if self.panels_columns.is_some() && self.panels.is_empty() {
            bail!("{file}: `panels_columns` lays out [[panels]], which this scene lacks");
        }
        if let Some(d) = self.panels.iter().find_map(|p| p.format.as_ref()?.decimals)
            && d > MAX_DECIMALS
        {
            bail!("{file}: panels: format.decimals = {d} is out of range: 0 to {MAX_DECIMALS}");
        }
        if self.name_suffix.is_some() && self.for_each.is_empty() {
            bail!("{file}: `name_suffix` names the charts of `for_each`, which this scene lacks");
        }
        if let Some(field) = self.for_each.iter().find(|f| f.trim().is_empty()) {
            bail!("{file}: for_each: `{field}` is not a field name");
        }
        if !self.rows.is_empty() && self.rows_from.is_some() {
            bail!("{file}: give [[rows]] or `rows_from`, not both");
        }
        if !self.series.is_empty() && self.series_from.is_some() {
            bail!("{file}: give [[series]] or `series_from`, not both");
        }
        if !with_rows.contains(&self.kind) && (!self.rows.is_empty() || self.rows_from.is_some()) {
            bail!(
                "{file}: a {} chart has no [[rows]]; pin benchmark, gpu and metric on the scene or on each [[series]]",
                self.kind.name()
            );
        }
        if let Some(band) = self.compare.as_ref().and_then(|c| c.neutral_band)
            && !(0.0..=MAX_NEUTRAL_BAND).contains(&band)
        {
            let shown = crate::terminal::number(band);
            bail!(
                "{file}: compare.neutral_band = {shown} is out of range: 0 to {MAX_NEUTRAL_BAND} percent"
            );
        }
        let x = self.x.as_ref();
        match self.kind {
            Kind::Bars | Kind::Compare => {}
            Kind::Line => {
                match x.map(|x| (&x.field, &x.section, x.by)) {
                    None | Some((None, None, _)) => bail!(
                        "{file}: a line chart needs its x axis: `x = {{ field = \"max_concurrency\" }}` (a config field of the runs) or `x = {{ section = \"latency_ms\" }}` (a series section of each run)"
                    ),
                    Some((Some(_), Some(_), _)) => {
                        bail!("{file}: x takes a `field` or a `section`, not both")
                    }
                    Some((Some(_), None, Some(_))) => bail!(
                        "{file}: x.by places a section's points; add `section = …` or leave `by` out"
                    ),
                    _ => {}
                }
                if let Some(f) = self.knee_fraction
                    && !(f > 0.0 && f <= 1.0)
                {
                    bail!("{file}: knee_fraction = {f} is out of range: above 0, at most 1");
                }
            }
            Kind::Scatter => {
                if self.x_metric.is_none() {
                    bail!(
                        "{file}: a scatter chart needs the metric along its x axis: `x_metric = \"tpot_median\"` (`metric` goes along the y axis)"
                    );
                }
                if self.order.is_none() {
                    bail!(
                        "{file}: a scatter chart needs the config field whose values make its points: `order = \"max_concurrency\"`"
                    );
                }
                if let Some(key) = x.and_then(|x| {
                    (x.field.is_some().then_some("field"))
                        .or(x.scale.is_some().then_some("scale"))
                        .or(x.section.is_some().then_some("section"))
                        .or(x.by.is_some().then_some("by"))
                }) {
                    bail!(
                        "{file}: x.{key}: a scatter chart's x axis is the metric `x_metric`, on a linear scale; `x` only takes a `label`"
                    );
                }
            }
        }
        Ok(())
    }
}

/// The names of the scenes in `dir` (regular files `*.toml`, or links to them), sorted.
pub fn list_scenes(dir: &Path) -> anyhow::Result<Vec<String>> {
    Ok(scan_scenes(dir)?.0)
}

/// The scene names in `dir`, and the `*.toml` entries that are not scene files (folders,
/// FIFOs, broken links), each with what it is.
pub fn scan_scenes(dir: &Path) -> anyhow::Result<(Vec<String>, Vec<String>)> {
    if dir.is_file() {
        bail!(
            "`{}` is a file; --scenes takes the folder of scene files",
            dir.display()
        );
    }
    let entries = std::fs::read_dir(dir).with_context(|| {
        format!(
            "scenes folder `{}` does not exist; pass --scenes DIR",
            dir.display()
        )
    })?;
    let mut names = Vec::new();
    let mut odd = Vec::new();
    for path in entries.flatten().map(|e| e.path()) {
        if path.extension().is_none_or(|e| e != "toml") {
            continue;
        }
        let Some(name) = path.file_stem().and_then(|s| s.to_str()) else {
            odd.push(format!("`{}`: the name is not UTF-8", path.display()));
            continue;
        };
        match std::fs::metadata(&path) {
            Ok(meta) if meta.is_file() => names.push(name.to_string()),
            Ok(meta) if meta.is_dir() => odd.push(format!("`{}` is a folder", path.display())),
            Ok(_) => odd.push(format!(
                "`{}` is not a regular file (a FIFO, socket or device)",
                path.display()
            )),
            Err(e) => odd.push(format!("`{}`: {e}", path.display())),
        }
    }
    names.sort();
    odd.sort();
    Ok((names, odd))
}
