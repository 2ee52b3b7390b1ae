//! Loading a results folder: every result file under `<GPU>/*.csv` (or directly in the
//! folder), read in parallel, with what went wrong along the way.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use rayon::prelude::*;

use super::file::ResultFile;
use super::warning::Warning;

/// Every result file found under `dir`, read in parallel, with what went wrong along the way.
/// Files sit in `dir/<GPU>/` (the usual layout) or directly in `dir`.
pub fn load(dir: &Path) -> anyhow::Result<(Vec<ResultFile>, Vec<Warning>)> {
    let (paths, mut warnings) = result_paths(dir)?;
    let read: Vec<_> = paths
        .par_iter()
        .map(|(path, folder)| ResultFile::read(path, folder.as_deref()))
        .collect();
    let mut files = Vec::with_capacity(read.len());
    for r in read {
        match r {
            Ok((file, w)) => {
                files.push(file);
                warnings.extend(w);
            }
            Err(w) => warnings.push(w),
        }
    }
    Ok((files, warnings))
}

/// A result file's path and the name of the GPU folder it is in.
pub type ResultPath = (PathBuf, Option<String>);

/// Every result file under `dir`, sorted, without reading them (for what reads one at a
/// time), with the entries passed over; a folder that is not there or holds none is an error
/// saying how to fill it.
pub fn result_paths(dir: &Path) -> anyhow::Result<(Vec<ResultPath>, Vec<Warning>)> {
    if dir.is_file() {
        bail!(
            "`{}` is a file; --results takes the folder of result files (laid out as `<GPU>/*.csv`)",
            dir.display()
        );
    }
    if !dir.is_dir() {
        bail!(
            "results folder `{}` does not exist; pass --results DIR, or create it with `benchanim bench` or `benchanim import`",
            dir.display()
        );
    }
    let mut warnings = Vec::new();
    let paths = find_csv_files(dir, &mut warnings)?;
    if paths.is_empty() {
        bail!(
            "results folder `{}` holds no result files (expected `<GPU>/*.csv`); run `benchanim bench` or `benchanim import` first",
            dir.display()
        );
    }
    Ok((paths, warnings))
}

/// `(path, GPU folder name)` of each `.csv` one or two levels down, sorted for stable output.
/// `.csv` entries that are not regular files (folders, FIFOs, devices, broken links) are
/// skipped with a warning.
fn find_csv_files(dir: &Path, warnings: &mut Vec<Warning>) -> anyhow::Result<Vec<ResultPath>> {
    let mut out = Vec::new();
    let entries =
        std::fs::read_dir(dir).with_context(|| format!("cannot list `{}`", dir.display()))?;
    let mut take = |path: PathBuf, gpu: Option<String>, warnings: &mut Vec<Warning>| {
        if !has_csv_extension(&path) {
            return;
        }
        match std::fs::metadata(&path) {
            Ok(meta) if meta.is_file() => out.push((path, gpu)),
            Ok(meta) => warnings.push(Warning {
                message: if meta.is_dir() {
                    "a folder named like a result file; skipped".into()
                } else {
                    "not a regular file (a FIFO, socket or device); skipped".into()
                },
                path,
                line: None,
            }),
            Err(e) => warnings.push(Warning {
                message: format!("cannot read: {e}; skipped"),
                path,
                line: None,
            }),
        }
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() && !has_csv_extension(&path) {
            let gpu = path
                .file_name()
                .and_then(|n| n.to_str())
                .map(str::to_string);
            let inner = std::fs::read_dir(&path)
                .with_context(|| format!("cannot list `{}`", path.display()))?;
            for f in inner.flatten() {
                take(f.path(), gpu.clone(), warnings);
            }
        } else {
            take(path, None, warnings);
        }
    }
    out.sort();
    warnings.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(out)
}

fn has_csv_extension(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"))
}
