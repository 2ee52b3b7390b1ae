//! Scenes: TOML files in `scenes/` that say which results a chart shows and how.
//!
//! A scene is a bar chart (rows × series), a compare chart, a line chart (series over a config
//! field) or a scatter chart (two metrics, a point per value of a config field), alone or in
//! panels. It pins benchmark / GPU / family / metric at the top (defaults for every cell), on
//! each row and on each series; a cell is the three merged. Nothing in the program is specific
//! to one scene.
//!
//! The stages: [`model`] (the typed scene), `parse` and `check` (file → model), then `resolve`
//! (model + results → [`crate::chart::Chart`]), one file per kind: `bars` (bar and compare
//! charts), `lines`, `scatter`, `panels`.

mod bars;
mod cell;
mod chart_name;
mod check;
mod compare;
mod footer;
mod for_each;
pub mod format;
mod generate;
mod levels;
mod line_text;
mod lines;
mod load;
pub mod model;
mod ordered;
mod panels;
mod parse;
mod parts;
mod resolve;
mod run_template;
mod scatter;
mod select;
mod sort;

pub use cell::ResolvedCell;
pub use chart_name::ChartName;
pub use check::{MAX_ANIMATION_SECONDS, MAX_DECIMALS};
pub use for_each::{Expanded, MAX_CHARTS, charts_of, expand, load_charts};
pub use load::{MAX_SCENE_BYTES, check_name, list_scenes, load_scene, scan_scenes};
pub use model::{
    AxisTitle, BarKeys, ByFamily, Common, CompareSpec, FromField, FromOrder, Kind, LinesBody,
    MAX_PANELS, Palette, PanelGrid, PanelSpec, PanelsBody, Pins, RowSpec, RowTable, ScatterBody,
    Scene, SceneBody, SectionX, SeriesSpec, Sort, ValueFormat, XSpec, YSpec,
};
pub use resolve::resolve;
