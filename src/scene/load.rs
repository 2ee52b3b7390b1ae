//! Scene files on disk: reading one by name (refusing folders, devices and oversized files)
//! and listing a scenes folder.

use std::io::Read;
use std::path::Path;

use anyhow::{Context, bail};

use super::model::Scene;

/// Largest scene file read; real scenes are a few KiB.
pub const MAX_SCENE_BYTES: u64 = 1 << 20;

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
    let scene = Scene::parse(&text, name, &path)?;
    scene.check()?;
    Ok(scene)
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
