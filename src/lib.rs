//! benchanim turns GPU benchmark results into animated bar, line and scatter chart videos.
//!
//! The flow runs one way: result files → [`results::Table`] → scene → [`chart::Chart`] →
//! layout → timeline → frames → [`encode::Sink`]s (MP4, GIF, PNG). A [`render::batch`] renders scenes
//! into a folder and records what it wrote in the folder's [`manifest`], which the
//! [`gallery`] reads. The runner ([`bench`]) writes the result files.

/// Writes a line to standard error, as `stderr_line!` does, but never panics: with standard error
/// closed (`2>&1 | head -c0`) or full, the message is lost and the command carries on, as other
/// Unix tools do. Messages on stderr are there to inform; they must not decide the outcome.
#[macro_export]
macro_rules! stderr_line {
    ($($arg:tt)*) => {
        $crate::terminal::write_stderr(&format!("{}\n", format_args!($($arg)*)))
    };
}

/// Writes text to standard error without a line break, as `stderr_text!` does, but never panics.
#[macro_export]
macro_rules! stderr_text {
    ($($arg:tt)*) => {
        $crate::terminal::write_stderr(&format!($($arg)*))
    };
}

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
