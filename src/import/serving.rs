//! What the importers of LLM serving benchmarks share (genai-perf and aiperf, sglang's
//! `bench_serving`, guidellm): finding their files, reading a figure by its path in the JSON
//! with the path named when it is wrong, latencies in ms under the names vLLM results use, and
//! the runs' times.
//!
//! Every figure is written as the tool wrote it (`Row::measured`), converted to ms where the
//! tool used another unit of time, never rounded.

use std::path::Path;

use serde_json::Value as Json;

use super::json::{FieldError, FieldProblem, Number, measurement, number, shown};
use super::source::FileError;
use super::{Imported, Shape, Source, file_record, modified_time, read_source_as, walk};
use crate::results::{Record, Row, Value, sanitize_gpu_name};

/// One run read from a file: the record and the SHA-256 of the JSON text it came from.
#[derive(Debug, Clone)]
pub struct Run {
    pub record: Record,
    pub sha256: String,
}

/// What one file holds: each run, or why one is not filed (all its requests failed, a value
/// is not a number). A file that is not of the format at all is an `Err` of the whole file.
pub type Runs<E> = Vec<Result<Run, E>>;

/// Reads one file's bytes, given its path (for its name and folders) and its modification time
/// (`YYYYMMDD_HHMMSS`, for runs that do not say when they ran).
pub(super) type Parse<'a, E> = &'a dyn Fn(&Path, &[u8], &str) -> Result<Runs<E>, E>;

/// How one format's files are found and read.
pub(super) struct Format<'a, E> {
    /// What a folder should hold, for the error when it holds none: `guidellm reports
    /// (*.json)`.
    pub what: &'a str,
    /// The files of a folder to read.
    pub wanted: &'a dyn Fn(&Path) -> bool,
    /// How its files are laid out: one JSON document, or JSON lines.
    pub shape: Shape,
    pub parse: Parse<'a, E>,
}

/// Imports the runs in `path` (a file, or the wanted files under a folder) for the GPU `gpu`
/// into `dest`. A run that is not filed is named in a warning; a file that cannot be read is
/// reported and skipped when a folder is imported, and an error when it was named itself.
/// Each file's runs are filed before the next file is read, so one file's are all it holds.
pub(super) fn import_runs<E: std::error::Error + 'static>(
    path: &Path,
    gpu: &str,
    dest: &Path,
    done: &mut Imported,
    format: &Format<E>,
) -> anyhow::Result<()> {
    if sanitize_gpu_name(gpu).is_empty() {
        anyhow::bail!("--gpu-name `{gpu}` has no letters or digits");
    }
    // The runs of one file, or why it is not of the format.
    let read = |file: &Path| -> Result<Runs<E>, FileError<E>> {
        let bytes = read_source_as(file, format.shape).map_err(FileError::Unreadable)?;
        let modified = modified_time(file)?;
        let context = std::fs::canonicalize(file).unwrap_or_else(|_| file.to_path_buf());
        (format.parse)(&context, &bytes, &modified).map_err(FileError::Format)
    };
    let file_runs = |runs: Runs<E>, file: &Path, root: &Path, done: &mut Imported| {
        for run in runs {
            match run {
                Ok(run) => {
                    let source = Source::new(file, root, run.sha256.clone());
                    file_record(dest, gpu, &run.record, &source, done)?;
                }
                Err(why) => done.reject(file, why),
            }
        }
        anyhow::Ok(())
    };
    if path.is_dir() {
        let files = walk(path, format.wanted, format.what, done)?;
        let mut recognised = 0;
        let mut first = None;
        for file in &files {
            match read(file) {
                Ok(runs) => {
                    recognised += 1;
                    file_runs(runs, file, path, done)?;
                }
                Err(why) => {
                    first.get_or_insert_with(|| format!(" (`{}`: {why})", file.display()));
                    done.reject(file, why);
                }
            }
        }
        if recognised == 0 {
            anyhow::bail!(
                "`{}` holds no {}: {} file{}, none readable{}",
                path.display(),
                format.what,
                files.len(),
                if files.len() == 1 { "" } else { "s" },
                first.unwrap_or_default()
            );
        }
    } else if path.is_file() {
        let runs = read(path).map_err(|why| anyhow::anyhow!("{}: {why}", path.display()))?;
        file_runs(runs, path, path, done)?;
    } else {
        anyhow::bail!("`{}` does not exist", path.display());
    }
    Ok(())
}

/// Seconds since 1970 (as guidellm records them) at `field`, as a local `YYYYMMDD_HHMMSS`.
pub(super) fn unix_time(seconds: f64, field: &str) -> Result<String, FieldError> {
    if !seconds.is_finite() || !(0.0..=YEAR_2101).contains(&seconds) {
        return Err(FieldProblem::SecondsOutOfRange(seconds).of(field));
    }
    let time = jiff::Timestamp::from_millisecond((seconds * 1000.0) as i64).map_err(|e| {
        FieldProblem::NotSeconds {
            seconds,
            why: e.to_string(),
        }
        .of(field)
    })?;
    checked(time.to_zoned(jiff::tz::TimeZone::system()).datetime()).map_err(|p| p.of(field))
}

/// 2101-01-01T00:00:00Z in seconds.
const YEAR_2101: f64 = 4_133_980_800.0;

/// A date and time as ISO 8601 text (`2026-03-01T10:15:00.123456`, as Python's
/// `datetime.isoformat` writes it; with an offset it is moved to local time), as
/// `YYYYMMDD_HHMMSS`.
pub(super) fn iso_time(text: &str, field: &str) -> Result<String, FieldError> {
    let civil = match text.trim().parse::<jiff::Timestamp>() {
        Ok(t) => t.to_zoned(jiff::tz::TimeZone::system()).datetime(),
        Err(_) => text
            .trim()
            .parse::<jiff::civil::DateTime>()
            .map_err(|_| FieldProblem::NotADateTime(text.to_string()).of(field))?,
    };
    checked(civil).map_err(|p| p.of(field))
}

/// `time` as `YYYYMMDD_HHMMSS`, if it is between 1970 and 2100.
fn checked(time: jiff::civil::DateTime) -> Result<String, FieldProblem> {
    if !(1970..=2100).contains(&time.year()) {
        return Err(FieldProblem::YearOutOfRange(time.year()));
    }
    Ok(time.strftime("%Y%m%d_%H%M%S").to_string())
}

/// The value at `path` (keys into nested objects, indices into lists), if every step is there.
pub(super) fn at<'v>(v: &'v Json, path: &[&str]) -> Option<&'v Json> {
    path.iter().try_fold(v, |v, k| match v {
        Json::Array(items) => items.get(k.parse::<usize>().ok()?),
        _ => v.get(k),
    })
}

/// Text at `path`: a string (not empty), or a number or boolean as written.
pub(super) fn text_at(v: &Json, path: &[&str]) -> Option<String> {
    match at(v, path)? {
        Json::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Json::Number(n) => Some(n.to_string()),
        Json::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A measurement at `path`: a finite number, not negative; `None` when absent or null. Errors
/// name the whole path (`time_to_first_token.p99`).
pub(super) fn measured_at(v: &Json, path: &[&str]) -> Result<Option<f64>, FieldError> {
    let Some((last, parents)) = path.split_last() else {
        return Ok(None);
    };
    let Some(parent) = at(v, parents) else {
        return Ok(None);
    };
    if !parent.is_object() {
        return Ok(None);
    }
    measurement(parent, last)
        .map(|x| x.map(|(x, _)| x))
        .map_err(|e| e.at_path(path))
}

/// A setting at `path` (a concurrency, a rate, a length): a finite number, not negative;
/// `None` when absent or null.
pub(super) fn setting_at(v: &Json, path: &[&str]) -> Result<Option<f64>, FieldError> {
    let Some((last, parents)) = path.split_last() else {
        return Ok(None);
    };
    let Some(parent) = at(v, parents).filter(|p| p.is_object()) else {
        return Ok(None);
    };
    // genai-perf writes a setting it was not given as "".
    if parent
        .get(last)
        .and_then(Json::as_str)
        .is_some_and(|s| s.trim().is_empty())
    {
        return Ok(None);
    }
    match number(parent, last).map_err(|e| e.at_path(path))? {
        Number::Value(x, _) if x < 0.0 => Err(FieldProblem::NegativeSetting(x).of(&path.join("."))),
        Number::Value(x, _) => Ok(Some(x)),
        Number::Absent | Number::Null => Ok(None),
    }
}

/// The power of ten that turns a figure in `unit`, a unit of time as the tools write them,
/// into ms (ns → −6, s → 3); `None` for another unit.
pub(super) fn ms_shift(unit: &str) -> Option<i32> {
    match unit.trim().to_ascii_lowercase().as_str() {
        "ns" => Some(-6),
        "us" | "µs" | "μs" => Some(-3),
        "ms" => Some(0),
        "s" | "sec" | "secs" | "second" | "seconds" => Some(3),
        _ => None,
    }
}

/// The rows of a run, each figure checked as it is added.
#[derive(Debug, Default)]
pub(super) struct Rows {
    pub rows: Vec<Row>,
}

impl Rows {
    pub fn text(&mut self, metric: &str, text: impl Into<String>) {
        let text = text.into();
        if !metric.is_empty() && !text.trim().is_empty() {
            self.rows.push(Row::text(metric, text.trim()));
        }
    }

    /// A setting (concurrency, rate, length) as the tool wrote it.
    pub fn setting(&mut self, metric: &str, value: Option<f64>, unit: &str) {
        if let Some(x) = value {
            self.rows.push(Row::measured(metric, x, unit));
        }
    }

    /// A figure as the tool wrote it, times 10^`shift` (a unit's conversion, 0 for none, made
    /// by moving the decimal point so no binary noise creeps in); one that overflows on the
    /// way is refused by the name of `field`.
    pub fn figure(
        &mut self,
        metric: &str,
        value: Option<f64>,
        shift: i32,
        unit: &str,
        field: &str,
    ) -> Result<(), FieldError> {
        let Some(x) = value else {
            return Ok(());
        };
        // Two names for one figure (aiperf's `goodput`, genai-perf's `request_goodput`): the
        // first is kept.
        if self.rows.iter().any(|r| r.metric == metric) {
            return Ok(());
        }
        let row = Row::measured_scaled(metric, x, shift, unit);
        if row.value.as_number().is_none_or(|y| !y.is_finite()) {
            return Err(FieldProblem::OutOfRangeIn {
                value: x,
                unit: unit.to_string(),
            }
            .of(field));
        }
        self.rows.push(row);
        Ok(())
    }

    /// A request rate as a setting: a number, or Python's `inf` (`Infinity`, all at once).
    pub fn request_rate(&mut self, value: Option<&Json>, field: &str) -> Result<(), FieldError> {
        let rate = match value {
            None | Some(Json::Null) => return Ok(()),
            Some(Json::Number(n)) => match n.as_f64().filter(|x| x.is_finite()) {
                Some(x) if x >= 0.0 => Value::Number(crate::results::Number::measured(x)),
                _ => return Err(FieldProblem::NotARequestRate(n.to_string()).of(field)),
            },
            Some(Json::String(s)) => {
                let t = s.trim();
                let bare = t.trim_start_matches('+').to_ascii_lowercase();
                if matches!(bare.as_str(), "inf" | "infinity") {
                    Value::parse("inf")
                } else {
                    match t.parse::<f64>() {
                        Ok(x) if x.is_finite() && x >= 0.0 => {
                            Value::Number(crate::results::Number::measured(x))
                        }
                        // sglang's `trace`: the trace's own times.
                        _ if t.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') => {
                            Value::Text(t.to_string())
                        }
                        _ => {
                            return Err(FieldProblem::NotARequestRate(shown(&Json::String(
                                s.clone(),
                            )))
                            .of(field));
                        }
                    }
                }
            }
            Some(other) => {
                return Err(FieldProblem::NotARequestRate(shown(other)).of(field));
            }
        };
        self.rows.push(Row::new("request_rate", rate, "req/s"));
        Ok(())
    }
}

/// The rows every imported run starts with: the GPU, the model and the time.
pub(super) fn head_rows(gpu: &str, model: &str, timestamp: &str) -> Rows {
    let mut rows = Rows::default();
    rows.text("device", gpu);
    rows.text("device_sanitized", sanitize_gpu_name(gpu));
    rows.text("model", model);
    rows.text("timestamp", timestamp);
    rows
}

/// Statistics of a distribution as the tools name them, and as result files do.
pub(super) const STATS: [(&str, &str); 8] = [
    ("mean", "mean"),
    ("median", "median"),
    ("p90", "p90"),
    ("p95", "p95"),
    ("p99", "p99"),
    ("min", "min"),
    ("max", "max"),
    ("std", "std"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_outside_1970_to_2100_are_refused() {
        assert!(unix_time(-1.0, "t").is_err());
        assert!(unix_time(f64::NAN, "t").is_err());
        assert!(
            unix_time(5e9, "t")
                .unwrap_err()
                .to_string()
                .contains("between 1970 and 2100")
        );
        assert_eq!(
            iso_time("2026-03-01T10:15:00.123456", "start_time").unwrap(),
            "20260301_101500"
        );
        assert!(iso_time("2200-01-01T00:00:00", "start_time").is_err());
        assert!(iso_time("yesterday", "start_time").is_err());
    }

    #[test]
    fn units_of_time_become_ms_and_others_are_none() {
        assert_eq!(ms_shift("ns"), Some(-6));
        assert_eq!(ms_shift("sec"), Some(3));
        assert_eq!(ms_shift("ms"), Some(0));
        assert_eq!(ms_shift("tokens/sec"), None);
        // The decimal point moves: no binary noise in what is written.
        let mut rows = Rows::default();
        rows.figure("ttft_median", Some(31_143_926.0), -6, "ms", "ttft.p50")
            .unwrap();
        rows.figure("e2el_mean", Some(0.1234), 3, "ms", "request_latency")
            .unwrap();
        let texts: Vec<String> = rows.rows.iter().map(|r| r.value.to_text()).collect();
        assert_eq!(texts, ["31.143926", "123.4"]);
    }

    #[test]
    fn errors_name_the_whole_path() {
        let v: Json = serde_json::json!({"a": {"b": "NaN", "c": -1, "d": 2.5}});
        assert_eq!(
            measured_at(&v, &["a", "b"]).unwrap_err().to_string(),
            "`a.b` is NaN, not a finite number"
        );
        assert!(
            measured_at(&v, &["a", "c"])
                .unwrap_err()
                .to_string()
                .contains("`a.c`")
        );
        assert_eq!(measured_at(&v, &["a", "d"]).unwrap(), Some(2.5));
        assert_eq!(measured_at(&v, &["x", "d"]).unwrap(), None);
    }
}
