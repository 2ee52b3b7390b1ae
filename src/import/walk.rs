//! Finding the files to import under a folder, however deep, without following links to
//! folders.

use std::path::{Path, PathBuf};

use anyhow::Context;

use super::imported::Imported;

/// How deep below an imported folder results are looked for; deeper folders are reported.
const MAX_FOLDER_DEPTH: usize = 64;

/// The files under `root` (at most `MAX_FOLDER_DEPTH` folders down) that `wanted` picks by
/// path, sorted. Links to folders
/// are not followed (no loops); a wanted name that is not a regular file is reported. A folder
/// with nothing wanted in it is an error saying that it `holds no {what}`.
pub(super) fn walk(
    root: &Path,
    wanted: &dyn Fn(&Path) -> bool,
    what: &str,
    done: &mut Imported,
) -> anyhow::Result<Vec<PathBuf>> {
    fn visit(
        dir: &Path,
        depth: usize,
        wanted: &dyn Fn(&Path) -> bool,
        out: &mut Vec<PathBuf>,
        done: &mut Imported,
    ) -> anyhow::Result<()> {
        let entries =
            std::fs::read_dir(dir).with_context(|| format!("cannot list `{}`", dir.display()))?;
        let mut paths: Vec<(PathBuf, std::fs::FileType)> = entries
            .flatten()
            .filter_map(|e| e.file_type().ok().map(|t| (e.path(), t)))
            .collect();
        paths.sort_by(|a, b| a.0.cmp(&b.0));
        for (path, kind) in paths {
            if kind.is_dir() {
                if depth < MAX_FOLDER_DEPTH {
                    visit(&path, depth + 1, wanted, out, done)?;
                } else {
                    done.reject(
                        &path,
                        format!(
                            "more than {MAX_FOLDER_DEPTH} folders below what was imported; not searched (import it by itself)"
                        ),
                    );
                }
            } else if wanted(&path) {
                match std::fs::metadata(&path) {
                    Ok(meta) if meta.is_file() => out.push(path),
                    Ok(meta) if meta.is_dir() => {} // a link to a folder
                    Ok(_) => done.reject(&path, "not a regular file"),
                    Err(e) => done.reject(&path, format!("cannot read: {e}")),
                }
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    visit(root, 0, wanted, &mut out, done)?;
    if out.is_empty() && done.skipped.is_empty() {
        anyhow::bail!("`{}` holds no {what}", root.display());
    }
    Ok(out)
}
