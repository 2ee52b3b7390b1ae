//! `benchanim list`: the scenes and their titles.

use std::fmt::Write;
use std::path::Path;

use super::inputs::ScenesArgs;
use super::stdout;
use crate::scene::{load_scene, scan_scenes};
use crate::terminal::printable;

#[derive(Debug, clap::Args)]
pub struct ListArgs {
    #[command(flatten)]
    pub scenes: ScenesArgs,
}

pub fn run(args: ListArgs) -> anyhow::Result<u8> {
    stdout::print(&list(&args.scenes.dir)?)?;
    Ok(0)
}

/// `name  title` for every scene in `dir`.
fn list(dir: &Path) -> anyhow::Result<String> {
    let (names, odd) = scan_scenes(dir)?;
    for entry in odd {
        eprintln!(
            "warning: {}; not a scene file, skipped",
            printable(&entry.to_string())
        );
    }
    if names.is_empty() {
        anyhow::bail!("no scenes (*.toml) in `{}`", dir.display());
    }
    let width = names.iter().map(String::len).max().unwrap_or(0);
    let mut out = String::new();
    for name in names {
        let title =
            load_scene(dir, &name).map_or_else(|e| format!("(unreadable: {e:#})"), |s| s.title);
        let _ = writeln!(out, "{name:width$}  {}", printable(&title));
    }
    Ok(out)
}
