//! benchanim turns GPU benchmark results into animated bar, line and scatter chart videos.
//!
//! The flow runs one way: result files → [`results::Table`] → scene → [`chart::Chart`] →
//! layout → timeline → frames → [`encode::Sink`]s (MP4, GIF, PNG). A [`render::batch`] renders scenes
//! into a folder and records what it wrote in the folder's [`manifest`], which the
//! [`gallery`] reads. The runner ([`bench`]) writes the result files.

pub mod atomic;
pub mod bench;
pub mod chart;
pub mod commands;
pub mod comparison;
pub mod data;
pub mod encode;
pub mod gallery;
pub mod import;
pub mod layout;
pub mod lint;
pub mod manifest;
pub mod plot;
pub mod render;
pub mod report;
pub mod results;
pub mod scene;
pub mod serve;
pub mod terminal;
pub mod timeline;
pub mod watch;
