//! Scenes: TOML files in `scenes/` that say which results a chart shows and how.
//!
//! A scene is a bar chart (rows × series), a line chart (series over a config field) or a
//! scatter chart (two metrics, a point per value of a config field). It pins benchmark / GPU /
//! family / metric at the top (defaults for every cell), on each row and on each series; a
//! cell is the three merged. Nothing in the program is specific to one scene.

mod compare;
mod file;
mod footer;
mod for_each;
pub mod format;
mod generate;
mod levels;
mod line_text;
mod lines;
mod panels;
mod resolve;
mod run_template;
mod scatter;
mod select;
mod sort;

pub use file::{
    ByFamily, CompareSpec, FromField, FromOrder, Kind, MAX_ANIMATION_SECONDS, MAX_DECIMALS,
    MAX_PANELS, MAX_SCENE_BYTES, Palette, PanelSpec, Pins, RowSpec, Scene, SectionX, SeriesSpec,
    Sort, ValueFormat, XSpec, YSpec, check_name, list_scenes, load_scene, scan_scenes,
};
pub use for_each::{Expanded, MAX_CHARTS, chart_name_parts, expand, load_charts};
pub use resolve::{ResolvedCell, resolve};
