//! `benchanim import results`: brings existing result files into `benchmark_results/`,
//! normalized (plain numbers, machine-local fields dropped) and named by the usual rule.

use std::path::{Path, PathBuf};

use anyhow::bail;

use super::{Imported, Source, file_record, sha256_hex};
use crate::results::family::MACHINE_LOCAL_FIELDS;
use crate::results::{Record, ResultFile, Row, load};

/// Imports every result file in `sources` (folders laid out as `<GPU>/*.csv`, or single files).
pub fn import_results(
    sources: &[PathBuf],
    dest: &Path,
    report: &mut Imported,
) -> anyhow::Result<()> {
    for source in sources {
        let files = if source.is_dir() {
            let (files, warnings) = load(source)?;
            report.warnings.extend(warnings);
            files
        } else if source.is_file() {
            match ResultFile::read(source, None) {
                Ok((file, warnings)) => {
                    report.warnings.extend(warnings);
                    vec![file]
                }
                Err(w) => {
                    let reason = match w.line {
                        Some(line) => format!("line {line}: {}", w.message),
                        None => w.message,
                    };
                    report.reject(&w.path, reason);
                    continue;
                }
            }
        } else {
            bail!("`{}` does not exist", source.display());
        };
        for file in files {
            import_one(&file, source, dest, report)?;
        }
    }
    Ok(())
}

fn import_one(
    file: &ResultFile,
    root: &Path,
    dest: &Path,
    report: &mut Imported,
) -> anyhow::Result<()> {
    if file.timestamp.is_empty() {
        report.reject(&file.path, "no timestamp in the file or its name");
        return Ok(());
    }
    let bytes = match std::fs::read(&file.path) {
        Ok(bytes) => bytes,
        Err(e) => {
            report.reject(&file.path, format!("cannot read: {e}"));
            return Ok(());
        }
    };
    let rows: Vec<Row> = file
        .rows
        .iter()
        .filter(|r| !MACHINE_LOCAL_FIELDS.contains(&r.metric.as_str()))
        .cloned()
        .collect();
    let record = Record {
        family: file.family.clone(),
        benchmark: file.benchmark.clone(),
        timestamp: file.timestamp.clone(),
        rows,
    };
    // A file that was itself imported keeps the source it names.
    let source = Source::new(&file.path, root, sha256_hex(&bytes));
    file_record(dest, &file.gpu, &record, &source, report)
}
