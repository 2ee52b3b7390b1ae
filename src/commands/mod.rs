//! What each subcommand does, on top of the library's stages.

pub mod render;
pub mod scenes;
