//! benchanim turns GPU benchmark results into animated bar-chart videos.
//!
//! The flow runs one way: result files → [`results::Table`] → scene → [`chart::Chart`] →
//! layout → timeline → frames → [`encode::Sink`]s (MP4, GIF, PNG). The runner ([`bench`])
//! writes the result files.

pub mod bench;
pub mod chart;
pub mod commands;
pub mod encode;
pub mod gallery;
pub mod import;
pub mod layout;
pub mod output;
pub mod render;
pub mod report;
pub mod results;
pub mod scene;
pub mod terminal;
pub mod timeline;
