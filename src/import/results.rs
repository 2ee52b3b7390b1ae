//! `benchanim import results`: brings existing result files into `benchmark_results/`,
//! normalized (plain numbers, machine-local fields dropped) and named by the usual rule.

use std::path::{Path, PathBuf};

use anyhow::bail;

use super::Imported;
use crate::results::family::MACHINE_LOCAL_FIELDS;
use crate::results::{ResultFile, Row, Warning, load, write_result_file};

/// Imports every result file in `sources` (folders laid out as `<GPU>/*.csv`, or single files);
/// `report` records what was written, also when it then fails.
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
                    report.warnings.push(w);
                    continue;
                }
            }
        } else {
            bail!("`{}` does not exist", source.display());
        };
        for file in files {
            import_one(&file, dest, report)?;
        }
    }
    Ok(())
}

fn import_one(file: &ResultFile, dest: &Path, report: &mut Imported) -> anyhow::Result<()> {
    if file.timestamp.is_empty() {
        report.warnings.push(Warning {
            path: file.path.clone(),
            line: None,
            message: "no timestamp in the file or its name; not imported".into(),
        });
        return Ok(());
    }
    let rows: Vec<Row> = file
        .rows
        .iter()
        .filter(|r| !MACHINE_LOCAL_FIELDS.contains(&r.metric.as_str()))
        .cloned()
        .collect();
    let name =
        crate::results::FileName::build(&file.family, &file.gpu, &file.benchmark, &file.timestamp);
    if dest.join(&file.gpu).join(&name).exists() {
        report.skipped.push(file.path.clone());
        return Ok(());
    }
    let path = write_result_file(
        dest,
        &file.gpu,
        &file.family,
        &file.benchmark,
        &file.timestamp,
        &rows,
    )?;
    report.written.push(path);
    Ok(())
}
