//! Scenes: TOML files in `scenes/` that say which results a chart shows and how.
//!
//! A scene pins benchmark / GPU / family / metric at the top (defaults for every cell), on each
//! row and on each series; a cell is the three merged. Nothing in the program is specific to
//! one scene.

mod file;
mod footer;
pub mod format;
mod resolve;

pub use file::{
    ByFamily, MAX_ANIMATION_SECONDS, MAX_DECIMALS, MAX_SCENE_BYTES, Pins, RowSpec, Scene,
    SeriesSpec, ValueFormat, check_name, list_scenes, load_scene, scan_scenes,
};
pub use resolve::{ResolvedCell, resolve};
