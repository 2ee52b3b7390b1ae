//! Reading one result file: `metric,value,unit` rows, comments, blank lines.

use std::path::{Path, PathBuf};

use super::metric::Direction;
use super::name::{FileName, is_timestamp};
use super::sanitize::sanitize_gpu_name;
use super::value::{Number, Value};
use super::warning::Warning;

/// No real result file comes near this; a bigger one is a mistake, not data.
pub const MAX_FILE_BYTES: u64 = 4 * 1024 * 1024;

/// One row of a result file.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub metric: String,
    pub value: Value,
    pub unit: String,
    /// The `# ...` comment this row comes under, if any (e.g. `Per-bucket metrics`).
    pub section: Option<String>,
    /// 1-based line in the file, for messages.
    pub line: usize,
}

impl Row {
    /// A row made here rather than read from a file.
    pub fn new(metric: &str, value: Value, unit: &str) -> Row {
        Row {
            metric: metric.to_string(),
            value,
            unit: unit.to_string(),
            section: None,
            line: 0,
        }
    }

    /// A figure computed here, written with `decimals` places.
    pub fn number(metric: &str, value: f64, decimals: usize, unit: &str) -> Row {
        Row::new(
            metric,
            Value::Number(Number::computed(value, decimals)),
            unit,
        )
    }

    /// A figure as measured or as another tool wrote it, to its last digit.
    pub fn measured(metric: &str, value: f64, unit: &str) -> Row {
        Row::new(metric, Value::Number(Number::measured(value)), unit)
    }

    /// A figure as measured, in another unit: `value` × 10^`shift` (s → ms is 3).
    pub fn measured_scaled(metric: &str, value: f64, shift: i32, unit: &str) -> Row {
        Row::new(
            metric,
            Value::Number(Number::measured_scaled(value, shift)),
            unit,
        )
    }

    /// A name, URL or other text without a unit.
    pub fn text(metric: &str, text: impl Into<String>) -> Row {
        Row::new(metric, Value::Text(text.into()), "")
    }
}

/// The title of a section of points (x in the metric column, y the value):
/// `series latency_ms by iteration`.
pub fn series_title(metric: &str, x: &str) -> String {
    format!("series {metric} by {x}")
}

impl Row {
    /// The metric and x of the series section this row is a point of, if it is one.
    pub fn series_of(&self) -> Option<(&str, &str)> {
        self.section
            .as_deref()?
            .strip_prefix("series ")?
            .split_once(" by ")
    }
}

/// Adds `more` to `rows`; a metric already there keeps its first value. Rows of a section are
/// all kept: a series' points may share an x.
pub fn merge_rows(rows: &mut Vec<Row>, more: impl IntoIterator<Item = Row>) {
    for r in more {
        if r.section.is_some() || !rows.iter().any(|x| x.metric == r.metric) {
            rows.push(r);
        }
    }
}

/// One run of one benchmark on one GPU.
#[derive(Debug, Clone)]
pub struct ResultFile {
    pub path: PathBuf,
    pub family: String,
    pub gpu: String,
    pub benchmark: String,
    /// `YYYYMMDD_HHMMSS`: from the `timestamp` row, else the file name, else empty.
    pub timestamp: String,
    pub rows: Vec<Row>,
}

impl ResultFile {
    pub fn get(&self, metric: &str) -> Option<&Row> {
        self.rows.iter().find(|r| r.metric == metric)
    }

    /// A config field or metric of the run: the first row of that name outside sections.
    pub fn field(&self, name: &str) -> Option<&Value> {
        self.rows
            .iter()
            .find(|r| r.metric == name && r.section.is_none())
            .map(|r| &r.value)
    }

    pub fn number(&self, metric: &str) -> Option<f64> {
        self.get(metric).and_then(|r| r.value.as_number())
    }

    /// A run that was stopped before it finished (`partial,true`): Ctrl-C, a lost server.
    pub fn is_partial(&self) -> bool {
        self.get("partial")
            .is_some_and(|r| matches!(&r.value, Value::Bool(true)) || r.value.to_text() == "true")
    }

    /// Reads a file from disk. `gpu_folder` is the name of the folder it sits in, if any.
    /// Problems with single rows come back as warnings; a file that cannot be read at all is an `Err`.
    pub fn read(
        path: &Path,
        gpu_folder: Option<&str>,
    ) -> Result<(ResultFile, Vec<Warning>), Warning> {
        let fail = |line: Option<usize>, message: String| Warning {
            path: path.to_path_buf(),
            line,
            message,
        };
        let size = std::fs::metadata(path)
            .map_err(|e| fail(None, format!("cannot read: {e}")))?
            .len();
        if size > MAX_FILE_BYTES {
            return Err(fail(
                None,
                format!(
                    "file is {:.1} MB, more than a result file can be ({} MB); skipped",
                    size as f64 / 1e6,
                    MAX_FILE_BYTES / (1024 * 1024)
                ),
            ));
        }
        let bytes = std::fs::read(path).map_err(|e| fail(None, format!("cannot read: {e}")))?;
        Self::parse(path, gpu_folder, &bytes)
    }

    /// Parses the bytes of a result file; `path` is only used to name it.
    pub fn parse(
        path: &Path,
        gpu_folder: Option<&str>,
        bytes: &[u8],
    ) -> Result<(ResultFile, Vec<Warning>), Warning> {
        let text = text_of_file(path, bytes)?;
        let mut warnings = Vec::new();
        let rows = read_rows(path, text, &mut warnings)?;
        Ok((ResultFile::named(path, gpu_folder, rows), warnings))
    }

    /// The run whose `rows` were read from `path`: its GPU (the folder's name, else the rows'),
    /// family, benchmark and time (the `timestamp` row's, else the file name's).
    fn named(path: &Path, gpu_folder: Option<&str>, rows: Vec<Row>) -> ResultFile {
        let stem = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default();
        let gpu = gpu_folder
            .map(str::to_string)
            .or_else(|| text_of(&rows, "device_sanitized"))
            .or_else(|| text_of(&rows, "device").map(|d| sanitize_gpu_name(&d)))
            .unwrap_or_else(|| "unknown_GPU".to_string());
        let name = FileName::parse(stem, &gpu);
        let timestamp = text_of(&rows, "timestamp")
            .filter(|t| is_timestamp(t))
            .or(name.timestamp)
            .unwrap_or_default();
        ResultFile {
            path: path.to_path_buf(),
            family: name.family,
            gpu,
            benchmark: name.benchmark,
            timestamp,
            rows,
        }
    }
}

/// A problem at `line` of the file at `path`.
fn problem(path: &Path, line: Option<usize>, message: String) -> Warning {
    Warning {
        path: path.to_path_buf(),
        line,
        message,
    }
}

/// The file's text: not empty, not binary, UTF-8, without a byte-order mark.
fn text_of_file<'b>(path: &Path, bytes: &'b [u8]) -> Result<&'b str, Warning> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(problem(path, None, "file is empty".into()));
    }
    if let Some(i) = bytes.iter().position(|&b| b == 0) {
        return Err(problem(
            path,
            Some(line_of(bytes, i)),
            "file is binary (NUL byte), not a CSV result file".into(),
        ));
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        problem(
            path,
            Some(line_of(bytes, e.valid_up_to())),
            "file is not UTF-8 text".into(),
        )
    })?;
    Ok(text.strip_prefix('\u{feff}').unwrap_or(text))
}

/// The rows below the `metric,value,unit` header, each under the section it comes after.
/// A row that cannot be read is a warning and left out; a file without the header is an error.
fn read_rows(path: &Path, text: &str, warnings: &mut Vec<Warning>) -> Result<Vec<Row>, Warning> {
    let mut rows = Vec::new();
    let mut header_seen = false;
    let mut odd_headers = std::collections::HashSet::new();
    let (records, comments) = records(text);
    for (line, record) in records {
        let record = match record {
            Ok(fields) => fields,
            Err(why) => {
                warnings.push(problem(path, Some(line), why.to_string()));
                continue;
            }
        };
        if !header_seen {
            header_seen = true;
            let names: Vec<&str> = record.iter().map(|s| s.trim()).collect();
            if names.first() == Some(&"metric") && names.get(1) == Some(&"value") {
                continue;
            }
            return Err(problem(
                path,
                Some(line),
                format!(
                    "expected the header `metric,value,unit`, found `{}`",
                    record.join(",")
                ),
            ));
        }
        let section = comments
            .iter()
            .rev()
            .find(|(l, _)| *l < line)
            .map(|(_, c)| c.clone());
        let mut warn = |message: String| warnings.push(problem(path, Some(line), message));
        if let Some(row) = read_row(line, &record, section, &mut odd_headers, &mut warn) {
            rows.push(row);
        }
    }
    if !header_seen {
        return Err(problem(path, None, "file has no rows".into()));
    }
    Ok(rows)
}

/// The row of `record` (the fields of `line`), under `section`; `None` with a warning when it
/// cannot be one. `odd_headers` are the sections already warned about.
fn read_row(
    line: usize,
    record: &[String],
    section: Option<String>,
    odd_headers: &mut std::collections::HashSet<String>,
    warn: &mut dyn FnMut(String),
) -> Option<Row> {
    if record.len() < 2 {
        warn(format!(
            "expected `metric,value,unit`, found one column `{}`; row skipped",
            record[0]
        ));
        return None;
    }
    let metric = record[0].trim().to_string();
    if metric.is_empty() {
        warn("row has no metric name; row skipped".into());
        return None;
    }
    let mut value = Value::parse(&record[1]);
    let unit = record
        .get(2)
        .map(|u| u.trim().to_string())
        .unwrap_or_default();
    if let Some(title) = section.as_deref() {
        match series_problem(title, &metric, &value) {
            // Said once per section, at its first row.
            Some(SeriesProblem::Header) if odd_headers.insert(title.to_string()) => {
                warn(format!(
                    "the section `# {title}` is not `# series <metric> by <x>`, so its rows are not points a line can draw"
                ));
            }
            Some(SeriesProblem::Point(why)) => {
                warn(format!("{why}; point skipped"));
                return None;
            }
            _ => {}
        }
    }
    if Direction::of(&metric, &unit).is_some()
        && let Some(problem) = measurement_problem(&value)
    {
        warn(format!("{metric}: {problem}; treated as missing"));
        value = Value::Missing;
    }
    Some(Row {
        metric,
        value,
        unit,
        section,
        line,
    })
}

fn text_of(rows: &[Row], metric: &str) -> Option<String> {
    rows.iter()
        .find(|r| r.metric == metric)
        .map(|r| r.value.to_text())
        .filter(|t| !t.is_empty() && t != "N/A")
}

/// What is wrong with a row of a section that means to be a series.
enum SeriesProblem {
    /// The section starts with `series` but does not say `series <metric> by <x>`.
    Header,
    /// A point whose x or y is not a finite number.
    Point(String),
}

/// A row `x,y` under the section `title`: fine, or why it cannot be a point.
fn series_problem(title: &str, x: &str, y: &Value) -> Option<SeriesProblem> {
    let words: Vec<&str> = title.split_whitespace().collect();
    let means_series = words
        .first()
        .is_some_and(|w| w.eq_ignore_ascii_case("series"));
    if !means_series {
        return None;
    }
    let well_formed = words[0] == "series"
        && title
            .strip_prefix("series ")
            .and_then(|rest| rest.split_once(" by "))
            .is_some_and(|(m, b)| !m.trim().is_empty() && !b.trim().is_empty());
    if !well_formed {
        return Some(SeriesProblem::Header);
    }
    if !x.trim().parse::<f64>().is_ok_and(f64::is_finite) {
        return Some(SeriesProblem::Point(format!(
            "`{x}` is not a finite number, so not an x of `# {title}`"
        )));
    }
    match y {
        Value::Number(n) if n.value.is_finite() => None,
        Value::Missing => None,
        other => Some(SeriesProblem::Point(format!(
            "`{}` is not a finite number, so not a value of `# {title}`",
            other.to_text()
        ))),
    }
}

/// Why a measured value cannot be charted, if it cannot.
fn measurement_problem(value: &Value) -> Option<String> {
    match value {
        Value::Missing => None,
        Value::Number(n) if n.value.is_finite() && n.value >= 0.0 => None,
        Value::Number(n) if !n.value.is_finite() => Some(format!("`{}` is out of range", n.text)),
        Value::Number(n) => Some(format!("`{}` is negative", n.text)),
        Value::Bool(b) => Some(format!("expected a number, found `{b}`")),
        Value::Text(t) if t.parse::<f64>().is_ok_and(|x| !x.is_finite()) => {
            Some(format!("`{t}` is not a finite number"))
        }
        Value::Text(t) => Some(format!("expected a number, found `{t}`")),
    }
}

fn line_of(bytes: &[u8], offset: usize) -> usize {
    bytes[..offset.min(bytes.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// Why a record of the file could not be split into fields; the row is skipped.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
enum Unsplit {
    #[error("unterminated quote; row skipped")]
    UnterminatedQuote,
    #[error("quote left open across rows; row skipped")]
    QuoteOpenAcrossRows,
    #[error("malformed CSV: {0}; row skipped")]
    Malformed(String),
}

/// A record's fields, or why it could not be split, with its 1-based starting line.
type Record = (usize, Result<Vec<String>, Unsplit>);

/// The records of the file with their 1-based starting line, and the `#` comment lines.
/// Quoted fields may hold commas, semicolons and even line breaks: a line with an open quote
/// continues on the next. A quote that never closes, or whose continuation turns into more
/// than `metric,value,unit`, is reported on its line and the lines after it are read again as
/// rows of their own, so one stray quote loses one row, not the rest of the file.
fn records(text: &str) -> (Vec<Record>, Vec<(usize, String)>) {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    let mut comments = Vec::new();
    let mut index = 0;
    while index < lines.len() {
        let line = lines[index];
        let start = index;
        index += 1;
        let trimmed = line.trim_start();
        if trimmed.starts_with('#') {
            comments.push((
                start + 1,
                trimmed.trim_start_matches('#').trim().to_string(),
            ));
            continue;
        }
        if trimmed.is_empty() {
            continue;
        }
        let mut record = line.to_string();
        while record.matches('"').count() % 2 == 1 && index < lines.len() {
            record.push('\n');
            record.push_str(lines[index]);
            index += 1;
        }
        let spans_lines = index - start > 1;
        let fields = if record.matches('"').count() % 2 == 1 {
            Err(Unsplit::UnterminatedQuote)
        } else if lines[start + 1..index].iter().any(|l| looks_like_row(l)) {
            Err(Unsplit::QuoteOpenAcrossRows)
        } else {
            split_record(&record)
        };
        match fields {
            Err(why) if spans_lines => {
                out.push((start + 1, Err(why)));
                index = start + 1;
            }
            fields => out.push((start + 1, fields)),
        }
    }
    (out, comments)
}

/// `name,...` with a metric-like name: a row of its own, not the rest of a quoted text.
fn looks_like_row(line: &str) -> bool {
    line.split_once(',').is_some_and(|(name, _)| {
        let name = name.trim();
        !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
    })
}

fn split_record(record: &str) -> Result<Vec<String>, Unsplit> {
    // Most rows have no quotes; a CSV reader per row would cost more than the whole file.
    if !record.contains('"') {
        return Ok(record.split(',').map(str::to_string).collect());
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(record.as_bytes());
    let mut fields = csv::StringRecord::new();
    match reader.read_record(&mut fields) {
        Ok(_) => Ok(fields.iter().map(str::to_string).collect()),
        Err(e) => Err(Unsplit::Malformed(e.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_and_sections_that_cannot_be_drawn_are_warned_about() {
        let text = "metric,value,unit\nx,1,ms\n\n# series latency_ms by iteration\n\
                    0,1.5,ms\nNaN,2.5,ms\n2,oops,ms\n3,3.5,ms\n\n# Series e2el\n1,2,ms\n2,3,ms\n";
        let (file, warnings) =
            ResultFile::parse(Path::new("G/f_G_b.csv"), Some("G"), text.as_bytes()).unwrap();
        let said: Vec<String> = warnings
            .iter()
            .map(|w| format!("{}: {}", w.line.unwrap_or(0), w.message))
            .collect();
        assert_eq!(
            said,
            [
                "6: `NaN` is not a finite number, so not an x of `# series latency_ms by iteration`; point skipped",
                "7: `oops` is not a finite number, so not a value of `# series latency_ms by iteration`; point skipped",
                "11: the section `# Series e2el` is not `# series <metric> by <x>`, so its rows are not points a line can draw",
            ]
        );
        let points = file.rows.iter().filter(|r| r.series_of().is_some()).count();
        assert_eq!(points, 2);
    }

    #[test]
    fn first_value_of_a_metric_wins() {
        let mut rows = vec![Row::number("total_time", 5.0, 0, "seconds")];
        merge_rows(
            &mut rows,
            [
                Row::number("total_time", 9.0, 0, "seconds"),
                Row::text("x", "1"),
            ],
        );
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].value.as_number(), Some(5.0));
    }
}
