//! `benchanim import table`: a wide table (a CSV file with a header row, or JSON objects, one per
//! line) filed as result files: one run per row, or one per group of rows (`--group-by`) with
//! each metric's mean or median and its spread.
//!
//! Columns are config or metrics. Named with `--config` or `--group-by`, a sweep field
//! (`batch_size`, `tensor_parallel_size`, …) or any column with a cell that is not a number is
//! config; every other column is a metric, and then each of its cells must be a finite number
//! (or empty: not measured). A `device` or `gpu` column names the GPU, a `timestamp` column the
//! run's time. Two layouts are known by their columns and get their family, config names and
//! units without options: exo-lab's `benchmark_results.csv` and the summary CSV of
//! plot_model_comparison.py's sweeps.

use std::collections::HashMap;
use std::path::Path;

use serde_json::Value as Json;

use super::json::{decimals_of, quote_non_finite};
use super::{
    Imported, SAME_NAME_RUNS, Source, file_record, modified_time, read_source, sha256_hex,
};
use crate::results::{
    Direction, FileName, Number, Record, Row, SWEEP_FIELDS, Value, sanitize, sanitize_gpu_name,
};

/// What a group's metrics become.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Aggregate {
    Mean,
    Median,
}

impl Aggregate {
    fn word(self) -> &'static str {
        match self {
            Aggregate::Mean => "mean",
            Aggregate::Median => "median",
        }
    }
}

/// How a table is filed: the command line's options, as given.
#[derive(Debug, Clone, Default)]
pub struct TableImport {
    /// The GPU of every run, instead of a `device`/`gpu` column.
    pub gpu: Option<String>,
    /// The first part of the file names and benchmark ids.
    pub family: Option<String>,
    /// The benchmark id after the family: a template of `{column}`s.
    pub name: Option<String>,
    /// Columns whose values make a group: one run per group.
    pub group_by: Vec<String>,
    /// What a group's metrics become (mean when grouping without it).
    pub aggregate: Option<Aggregate>,
    /// `COL` or `COL=FIELD`: columns that are config (renamed to FIELD).
    pub config: Vec<String>,
    /// `COL=UNIT`.
    pub units: Vec<String>,
    /// `KEY=VALUE`: config rows added to every run.
    pub set: Vec<String>,
    /// The runs' time, instead of a `timestamp` column or the file's modification time.
    pub timestamp: Option<String>,
    /// `COL=VALUE`: rows whose COL holds VALUE failed (instead of recognising a `success`,
    /// `ok` or `error` column).
    pub failed_if: Vec<String>,
}

/// One run read from a table.
#[derive(Debug, Clone)]
pub struct TableRun {
    pub gpu: String,
    pub record: Record,
    /// SHA-256 of the text the run was read from (see [`parse_table`]).
    pub sha256: String,
    /// Why the run is no measurement (every row of it failed); it is then not filed.
    pub refused: Option<String>,
}

/// Imports each table in `files` into `dest`. Every file is read and checked before anything
/// is written, so a mistake anywhere writes nothing.
pub fn import_table(
    files: &[std::path::PathBuf],
    how: &TableImport,
    dest: &Path,
    done: &mut Imported,
) -> anyhow::Result<()> {
    let mut found: Vec<(TableRun, Source)> = Vec::new();
    for file in files {
        if !file.exists() {
            anyhow::bail!("`{}` does not exist", file.display());
        }
        if file.is_dir() {
            anyhow::bail!(
                "`{}` is a folder; import table reads a CSV or JSON lines file",
                file.display()
            );
        }
        let bytes = read_source(file)?;
        // A time in the file's name (`results_20250401_145415.csv`) is when it ran; the
        // modification time only says when it was last copied.
        let time = match time_in_name(file) {
            Some(time) => time,
            None => {
                modified_time(file).map_err(|why| anyhow::anyhow!("`{}`: {why}", file.display()))?
            }
        };
        let context = std::fs::canonicalize(file).unwrap_or_else(|_| file.clone());
        let runs = parse_table(&context, &bytes, how, &time)
            .map_err(|why| anyhow::anyhow!("{}: {why}", file.display()))?;
        for run in runs {
            let source = Source::new(file, file, run.sha256.clone());
            found.push((run, source));
        }
    }
    // Runs that share a benchmark id and a second are filed a second apart, up to a limit:
    // found out before anything is written, with what to do about it.
    let mut sharing: HashMap<(String, &str, &str), usize> = HashMap::new();
    for (run, _) in &found {
        let key = (
            sanitize_gpu_name(&run.gpu),
            run.record.benchmark.as_str(),
            run.record.timestamp.as_str(),
        );
        *sharing.entry(key).or_default() += 1;
    }
    if let Some(((_, benchmark, time), n)) = sharing.iter().find(|(_, n)| **n > SAME_NAME_RUNS) {
        anyhow::bail!(
            "{n} runs would be filed as `{benchmark}` at {time}; at most {SAME_NAME_RUNS} can share a name and a time; tell them apart with --group-by COLUMN (one run per group) or --name \"{{model}}_{{COLUMN}}\", or give each row a `timestamp` column"
        );
    }
    for (run, source) in &found {
        match &run.refused {
            Some(why) => done.reject(&source.path, why.clone()),
            None => file_record(dest, &run.gpu, &run.record, source, done)?,
        }
    }
    Ok(())
}

/// A `YYYYMMDD_HHMMSS` (or `YYYYMMDD-HHMMSS`) time in the file's name, as benchmark scripts
/// name their output.
fn time_in_name(path: &Path) -> Option<String> {
    let stem = path.file_stem()?.to_str()?;
    let bytes = stem.as_bytes();
    (0..bytes.len().saturating_sub(14)).find_map(|i| {
        let candidate = stem.get(i..i + 15)?;
        let digit_before = i > 0 && bytes[i - 1].is_ascii_digit();
        let digit_after = bytes.get(i + 15).is_some_and(u8::is_ascii_digit);
        (!digit_before && !digit_after)
            .then(|| parse_time(candidate))
            .flatten()
    })
}

/// Reads a table's `bytes` into runs. `path` is read only for its name (a known layout's
/// model folder); `default_time` is the runs' time when neither `--timestamp` nor a
/// `timestamp` column gives one. Errors name the line and column, not the file.
///
/// A run's identity (`source_sha256`) is the SHA-256 of the header and its row with the row's
/// line (so two equal rows stay two runs), or of the header and the group's rows.
pub fn parse_table(
    path: &Path,
    bytes: &[u8],
    how: &TableImport,
    default_time: &str,
) -> Result<Vec<TableRun>, String> {
    let table = read(bytes)?;
    let plan = Plan::new(&table, how, path)?;
    plan.runs(&table, default_time)
}

// --- Reading ------------------------------------------------------------------------------

/// One cell, typed.
#[derive(Debug, Clone, PartialEq)]
enum Cell {
    /// Empty, `N/A`, `NA`, Python's `None`, JSON's `null`: not measured.
    Missing,
    /// A finite number and the text it was written as.
    Number(f64, String),
    Bool(bool),
    Text(String),
    /// `NaN`, `inf`, `-Infinity`, or a number too big for a float.
    NonFinite(String),
}

impl Cell {
    fn of_text(raw: &str) -> Cell {
        let s = raw.trim();
        if s.is_empty() || matches!(s, "None" | "null") {
            return Cell::Missing;
        }
        let bare = s.trim_start_matches(['+', '-']).to_ascii_lowercase();
        if matches!(bare.as_str(), "nan" | "inf" | "infinity") {
            return Cell::NonFinite(s.to_string());
        }
        match Value::parse(s) {
            Value::Missing => Cell::Missing,
            Value::Number(n) if n.value.is_finite() => Cell::Number(n.value, n.text),
            Value::Number(n) => Cell::NonFinite(n.text),
            Value::Bool(b) => Cell::Bool(b),
            Value::Text(t) => Cell::Text(t),
        }
    }

    fn of_json(v: &Json) -> Cell {
        match v {
            Json::Null => Cell::Missing,
            Json::Bool(b) => Cell::Bool(*b),
            Json::Number(n) => match n.as_f64() {
                Some(x) if x.is_finite() => Cell::Number(x, n.to_string()),
                _ => Cell::NonFinite(n.to_string()),
            },
            Json::String(s) => Cell::of_text(s),
            // Lists and objects are refused or flattened before.
            other => Cell::Text(other.to_string()),
        }
    }

    fn is_numeric(&self) -> bool {
        matches!(self, Cell::Number(..) | Cell::NonFinite(_))
    }

    /// The cell as written, for messages and templates.
    fn text(&self) -> String {
        match self {
            Cell::Missing => String::new(),
            Cell::Number(_, t) | Cell::Text(t) | Cell::NonFinite(t) => t.clone(),
            Cell::Bool(b) => if *b { "True" } else { "False" }.to_string(),
        }
    }

    /// The cell, short enough for a message, on one line.
    fn shown(&self) -> String {
        let text = one_line(&self.text());
        if text.chars().count() > 40 {
            format!("`{}…`", text.chars().take(40).collect::<String>())
        } else {
            format!("`{text}`")
        }
    }

    /// The cell as a config value of a result file (one line of text).
    fn value(&self) -> Value {
        match self {
            Cell::Missing => Value::Missing,
            Cell::Number(x, t) => Value::Number(Number {
                value: *x,
                text: t.clone(),
            }),
            Cell::Bool(b) => Value::Bool(*b),
            Cell::Text(t) | Cell::NonFinite(t) => Value::Text(one_line(t)),
        }
    }
}

/// Text with its line breaks and other control characters turned into single spaces: a result
/// file holds one row per line.
fn one_line(text: &str) -> String {
    if !text.chars().any(char::is_control) {
        return text.to_string();
    }
    text.split(char::is_control)
        .filter(|part| !part.trim().is_empty())
        .map(str::trim)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Where a row is in its file.
#[derive(Debug, Clone, Copy, PartialEq)]
enum At {
    Line(usize),
    /// The n-th object of a JSON array.
    Item(usize),
}

impl std::fmt::Display for At {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        match self {
            At::Line(n) => write!(f, "line {n}"),
            At::Item(n) => write!(f, "item {n}"),
        }
    }
}

#[derive(Debug)]
struct Column {
    name: String,
    /// 1-based place in a CSV header (for messages); 0 for JSON keys.
    number: usize,
}

#[derive(Debug)]
struct TableRow {
    at: At,
    cells: Vec<Cell>,
    /// The row's text as read, for its identity.
    raw: String,
}

#[derive(Debug)]
struct Table {
    columns: Vec<Column>,
    rows: Vec<TableRow>,
    /// The header line of a CSV file (empty for JSON), part of each run's identity.
    header: String,
}

impl Table {
    /// `line 7, column 3 (`latency`)` or `line 7, key `latency``.
    fn place(&self, row: &TableRow, col: usize) -> String {
        let c = &self.columns[col];
        if c.number > 0 {
            format!("{}, column {} (`{}`)", row.at, c.number, c.name)
        } else {
            format!("{}, key `{}`", row.at, c.name)
        }
    }

    fn names(&self) -> String {
        let names: Vec<&str> = self.columns.iter().map(|c| c.name.as_str()).collect();
        names.join(", ")
    }
}

/// No table anyone charts has this many columns; more is a mistake (or garbage).
const MAX_COLUMNS: usize = 4096;

fn read(bytes: &[u8]) -> Result<Table, String> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err("the file is empty".into());
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let line = 1 + bytes[..e.valid_up_to()]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        format!("line {line}: not UTF-8 text")
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let table = if text.trim_start().starts_with(['{', '[']) {
        read_json(text)?
    } else {
        read_csv(text)?
    };
    if table.rows.is_empty() {
        return Err(if table.header.is_empty() {
            "holds no rows".into()
        } else {
            "the file has a header and no rows".into()
        });
    }
    Ok(table)
}

/// A column name must be able to be a row name of a result file.
fn check_name(name: &str) -> Result<(), String> {
    if name.starts_with('#') {
        Err("starts with `#`, which starts a comment in a result file".into())
    } else if name.chars().any(char::is_control) {
        Err("holds a line break or control character".into())
    } else if name.chars().count() > 200 {
        Err("is longer than 200 characters".into())
    } else {
        Ok(())
    }
}

/// CSV, or tab-separated values when the header has tabs and no commas.
fn read_csv(text: &str) -> Result<Table, String> {
    let header = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let delimiter = if header.contains('\t') && !header.contains(',') {
        b'\t'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut records: Vec<(usize, usize, Vec<String>)> = Vec::new();
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                let (line, byte) = record
                    .position()
                    .map_or((0, 0), |p| (p.line() as usize, p.byte() as usize));
                // A line of only spaces is a blank line.
                if record.len() == 1 && record[0].trim().is_empty() {
                    continue;
                }
                records.push((line, byte, record.iter().map(str::to_string).collect()));
            }
            Err(e) => return Err(format!("not a CSV file: {e}")),
        }
    }
    let raw = |i: usize| -> String {
        let start = records[i].1.min(text.len());
        let end = records
            .get(i + 1)
            .map_or(text.len(), |r| r.1)
            .clamp(start, text.len());
        text.get(start..end)
            .unwrap_or_default()
            .trim_end()
            .to_string()
    };
    let Some((_, _, header)) = records.first() else {
        return Err("the file is empty".into());
    };
    if header.len() > MAX_COLUMNS {
        return Err(format!(
            "line {}: {} columns; a table has at most {MAX_COLUMNS}",
            records[0].0,
            header.len()
        ));
    }
    let mut columns = Vec::new();
    // pandas' `to_csv()` writes its index as a first column without a name.
    let skip_index = header.len() > 1 && header[0].trim().is_empty();
    for (i, name) in header.iter().enumerate() {
        let name = name.trim();
        if i == 0 && skip_index {
            continue;
        }
        if name.is_empty() {
            return Err(format!(
                "line {}: column {} has no name",
                records[0].0,
                i + 1
            ));
        }
        check_name(name).map_err(|why| {
            format!(
                "line {}: the column name `{}` {why}",
                records[0].0,
                name.escape_debug()
            )
        })?;
        if let Some(c) = columns.iter().find(|c: &&Column| c.name == name) {
            return Err(format!(
                "line {}: columns {} and {} are both named `{name}`",
                records[0].0,
                c.number,
                i + 1
            ));
        }
        columns.push(Column {
            name: name.to_string(),
            number: i + 1,
        });
    }
    let width = header.len();
    let mut rows = Vec::new();
    for (i, (line, _, cells)) in records.iter().enumerate().skip(1) {
        // A quote opened and never closed takes the rest of the file into one cell.
        if cells.len() != width
            && let Some(k) = cells.iter().position(|c| c.contains('\n'))
        {
            let last_line = records.get(i + 1).map_or(text.lines().count(), |r| r.0 - 1);
            return Err(format!(
                "line {line}, column {}: a quote (`\"`) opens a cell that runs on to line {last_line}; close the quote, or remove it",
                k + 1
            ));
        }
        if cells.len() != width {
            return Err(format!(
                "line {line}: {} cell{} where the header has {width} column{}",
                cells.len(),
                if cells.len() == 1 { "" } else { "s" },
                if width == 1 { "" } else { "s" },
            ));
        }
        let cells = cells
            .iter()
            .skip(usize::from(skip_index))
            .map(|c| Cell::of_text(c))
            .collect();
        rows.push(TableRow {
            at: At::Line(*line),
            cells,
            raw: raw(i),
        });
    }
    Ok(Table {
        columns,
        rows,
        header: raw(0),
    })
}

/// The cells an object has, by column.
type Sparse = Vec<(usize, Cell)>;

/// JSON lines (one object per line), a JSON array of objects, or one object.
fn read_json(text: &str) -> Result<Table, String> {
    let text = quote_non_finite(text);
    let mut stream = serde_json::Deserializer::from_str(&text).into_iter::<Json>();
    let mut columns: Vec<Column> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    // Each row's cells by column, as its object gave them.
    let mut rows: Vec<(At, Sparse, String)> = Vec::new();
    let (mut line, mut counted, mut items) = (1, 0, 0);
    loop {
        let start = stream.byte_offset();
        let Some(next) = stream.next() else { break };
        let value = next.map_err(|e| format!("not valid JSON: {e}"))?;
        let end = stream.byte_offset();
        let chunk = &text[start..end];
        let lead = chunk.len() - chunk.trim_start().len();
        line += text[counted..start + lead].matches('\n').count();
        counted = start + lead;
        let mut add = |value: &Json, at: At, raw: String| -> Result<(), String> {
            let Json::Object(object) = value else {
                return Err(format!(
                    "{at}: {}, not an object (a row is an object of column names and values)",
                    kind_of(value)
                ));
            };
            let mut flat = Vec::new();
            flatten("", object, at, &mut flat)?;
            let mut seen = std::collections::HashSet::new();
            if let Some((key, _)) = flat.iter().find(|(key, _)| !seen.insert(key.as_str())) {
                return Err(format!(
                    "{at}: two keys become the column `{}` (a dotted key and a nested one, or keys that differ in spaces only); rename one so neither value is lost",
                    key.escape_debug()
                ));
            }
            let mut cells = Vec::new();
            for (key, cell) in flat {
                let i = match index.get(&key) {
                    Some(&i) => i,
                    None => {
                        check_name(&key).map_err(|why| {
                            format!("{at}: the key `{}` {why}", key.escape_debug())
                        })?;
                        if columns.len() == MAX_COLUMNS {
                            return Err(format!(
                                "{at}: more than {MAX_COLUMNS} keys; a table has at most {MAX_COLUMNS} columns"
                            ));
                        }
                        index.insert(key.clone(), columns.len());
                        columns.push(Column {
                            name: key,
                            number: 0,
                        });
                        columns.len() - 1
                    }
                };
                cells.push((i, cell));
            }
            rows.push((at, cells, raw));
            Ok(())
        };
        match &value {
            Json::Array(list) => {
                for item in list {
                    items += 1;
                    add(item, At::Item(items), item.to_string())?;
                }
            }
            _ => add(&value, At::Line(line), chunk.trim().to_string())?,
        }
    }
    let width = columns.len();
    let rows = rows
        .into_iter()
        .map(|(at, set, raw)| {
            let mut cells = vec![Cell::Missing; width];
            for (i, cell) in set {
                cells[i] = cell;
            }
            TableRow { at, cells, raw }
        })
        .collect();
    Ok(Table {
        columns,
        rows,
        header: String::new(),
    })
}

fn kind_of(value: &Json) -> &'static str {
    match value {
        Json::Null => "null",
        Json::Bool(_) => "a boolean",
        Json::Number(_) => "a number",
        Json::String(_) => "a string",
        Json::Array(_) => "a list",
        Json::Object(_) => "an object",
    }
}

/// An object's values by key, nested objects' keys joined with `.`.
fn flatten(
    prefix: &str,
    object: &serde_json::Map<String, Json>,
    at: At,
    out: &mut Vec<(String, Cell)>,
) -> Result<(), String> {
    for (key, value) in object {
        let key = if prefix.is_empty() {
            key.trim().to_string()
        } else {
            format!("{prefix}.{}", key.trim())
        };
        if key.is_empty() {
            return Err(format!("{at}: a key without a name"));
        }
        match value {
            Json::Object(inner) => flatten(&key, inner, at, out)?,
            Json::Array(_) => {
                return Err(format!(
                    "{at}, key `{}`: a list; a table holds one value per key (flatten lists first, e.g. with jq)",
                    key.escape_debug()
                ));
            }
            other => out.push((key, Cell::of_json(other))),
        }
    }
    Ok(())
}

// --- Layouts other tools write ------------------------------------------------------------

/// A table another tool writes, known by its columns.
struct Layout {
    columns: &'static [&'static str],
    family: &'static str,
    /// Columns that are config under another name.
    renames: &'static [(&'static str, &'static str)],
    units: &'static [(&'static str, &'static str)],
    /// The model is the name of the folder the file is in.
    model_from_folder: bool,
}

const LAYOUTS: [Layout; 2] = [
    // exo-lab's benchmark.py: one row per model and prompt. Its `tokens_per_second` is the
    // decoded text's length over the time, so characters per second.
    Layout {
        columns: &[
            "model",
            "prompt",
            "latency",
            "memory_usage",
            "output_length",
            "tokens_per_second",
        ],
        family: "exo_bench",
        renames: &[],
        units: &[
            ("latency", "s"),
            ("memory_usage", "MB"),
            ("output_length", "chars"),
            ("tokens_per_second", "chars/s"),
        ],
        model_from_folder: false,
    },
    // The summary plot_model_comparison.py's sweeps write beside their runs,
    // `<Model>/benchmark_results_summary.csv`.
    Layout {
        columns: &[
            "TP",
            "DP",
            "PP",
            "max_num_batched_tokens",
            "overall_throughput_tokens_per_sec",
            "total_latency_p50_ms",
            "total_latency_p99_ms",
            "ttft_p50_ms",
            "ttft_p99_ms",
            "inter_token_p50_ms",
            "inter_token_p99_ms",
        ],
        family: "vllm_latency_sweep",
        renames: &[
            ("TP", "tensor_parallel_size"),
            ("DP", "data_parallel_size"),
            ("PP", "pipeline_parallel_size"),
        ],
        units: &[],
        model_from_folder: true,
    },
];

impl Layout {
    fn of(table: &Table) -> Option<&'static Layout> {
        LAYOUTS.iter().find(|l| {
            l.columns.len() == table.columns.len()
                && l.columns
                    .iter()
                    .all(|c| table.columns.iter().any(|t| t.name == *c))
        })
    }
}

/// The unit a metric's name ends with: `ttft_p50_ms` → ms.
fn unit_from_name(name: &str) -> &'static str {
    let lower = name.to_ascii_lowercase();
    const SUFFIXES: [(&str, &str); 14] = [
        ("_tokens_per_sec", "tok/s"),
        ("_tokens_per_s", "tok/s"),
        ("_tokens_per_second", "tok/s"),
        ("_tok_s", "tok/s"),
        ("_req_s", "req/s"),
        ("_ms", "ms"),
        ("_us", "us"),
        ("_sec", "s"),
        ("_seconds", "s"),
        ("_s", "s"),
        ("_pct", "%"),
        ("_percent", "%"),
        ("_mb", "MB"),
        ("_gb", "GB"),
    ];
    if let Some((_, unit)) = SUFFIXES.iter().find(|(suffix, _)| lower.ends_with(suffix)) {
        return unit;
    }
    // Bare names as benchmark scripts write them (exo-lab's `latency` in s, `memory_usage` in
    // MB).
    match lower.as_str() {
        "latency" | "duration" | "elapsed" | "wall_time" => "s",
        m if m.starts_with("memory") || m.starts_with("peak_memory") => "MB",
        _ => "",
    }
}

/// Columns that number rows or runs: config, never a measurement to average.
const INDEX_COLUMNS: [&str; 6] = ["run", "iteration", "idx", "id", "index", "run_id"];

/// Columns that say whether a row's request succeeded: (name, whether its value means failure).
fn failure_column(name: &str) -> Option<fn(&Cell) -> bool> {
    fn falsy(cell: &Cell) -> bool {
        match cell {
            Cell::Bool(b) => !b,
            Cell::Number(x, _) => *x == 0.0,
            Cell::Text(t) => matches!(
                t.trim().to_ascii_lowercase().as_str(),
                "false" | "no" | "fail" | "failed"
            ),
            _ => false,
        }
    }
    fn error_given(cell: &Cell) -> bool {
        match cell {
            Cell::Missing => false,
            Cell::Bool(b) => *b,
            Cell::Number(x, _) => *x != 0.0,
            Cell::Text(t) => !matches!(
                t.trim().to_ascii_lowercase().as_str(),
                "" | "none" | "null" | "false" | "no"
            ),
            Cell::NonFinite(_) => true,
        }
    }
    match name.to_ascii_lowercase().as_str() {
        "success" | "ok" | "succeeded" | "successful" => Some(falsy),
        "error" | "errors" | "error_message" | "failed" | "failure" => Some(error_given),
        _ => None,
    }
}

// --- What each column is ------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq)]
enum Role {
    /// The GPU's name.
    Gpu,
    /// The run's time.
    Time,
    Config {
        field: String,
    },
    Metric {
        field: String,
        unit: String,
    },
}

/// Rows every imported run gets from benchanim itself.
const WRITTEN_HERE: [&str; 6] = [
    "device_sanitized",
    "source_file",
    "source_sha256",
    "source_line",
    "timestamp_original",
    "aggregate",
];

struct Plan {
    /// Which rows failed: a column and the test of its cell.
    failed: Vec<(usize, FailedIf)>,
    family: String,
    template: Vec<Piece>,
    roles: Vec<Role>,
    sets: Vec<(String, Value)>,
    group: Vec<usize>,
    aggregate: Option<Aggregate>,
    gpu: Option<String>,
    timestamp: Option<String>,
}

/// What marks a failed row in a column.
enum FailedIf {
    /// `--failed-if COL=VALUE`: the cell reads VALUE.
    Equals(String),
    /// A recognised `success`/`ok`/`error` column's own rule.
    Rule(fn(&Cell) -> bool),
}

impl FailedIf {
    fn failed(&self, cell: &Cell) -> bool {
        match self {
            FailedIf::Equals(value) => cell.text().trim().eq_ignore_ascii_case(value.trim()),
            FailedIf::Rule(rule) => rule(cell),
        }
    }
}

/// A part of a `--name` template.
#[derive(Debug, Clone, PartialEq)]
enum Piece {
    Text(String),
    Field(String),
}

fn split_pair<'a>(option: &str, entry: &'a str, what: &str) -> Result<(&'a str, &'a str), String> {
    entry
        .split_once('=')
        .map(|(a, b)| (a.trim(), b.trim()))
        .filter(|(a, _)| !a.is_empty())
        .ok_or_else(|| format!("{option} `{entry}`: expected {what}"))
}

impl Plan {
    fn new(table: &Table, how: &TableImport, path: &Path) -> Result<Plan, String> {
        let layout = Layout::of(table);
        let find = |option: &str, name: &str| -> Result<usize, String> {
            table
                .columns
                .iter()
                .position(|c| c.name == name)
                .ok_or_else(|| {
                    format!(
                        "{option} `{name}`: no such column; the columns are {}",
                        table.names()
                    )
                })
        };
        // Config named on the command line (or by the layout), with its new name.
        let mut renamed: HashMap<usize, String> = HashMap::new();
        let mut explicit: Vec<usize> = Vec::new();
        if let Some(layout) = layout {
            for (from, to) in layout.renames {
                let i = find("--config", from)?;
                renamed.insert(i, to.to_string());
                explicit.push(i);
            }
        }
        for entry in how
            .config
            .iter()
            .map(|e| e.trim())
            .filter(|e| !e.is_empty())
        {
            let (column, field) = match entry.split_once('=') {
                Some((c, f)) => (c.trim(), Some(f.trim())),
                None => (entry, None),
            };
            let i = find("--config", column)?;
            if let Some(field) = field {
                if field.is_empty() {
                    return Err(format!("--config `{entry}`: expected COLUMN=FIELD"));
                }
                check_name(field).map_err(|why| format!("--config `{entry}`: the name {why}"))?;
                renamed.insert(i, field.to_string());
            }
            explicit.push(i);
        }
        let mut group = Vec::new();
        for name in how
            .group_by
            .iter()
            .map(|g| g.trim())
            .filter(|g| !g.is_empty())
        {
            let i = find("--group-by", name)?;
            if !group.contains(&i) {
                group.push(i);
            }
            explicit.push(i);
        }
        let aggregate = match (group.is_empty(), how.aggregate) {
            (true, Some(a)) => {
                return Err(format!(
                    "--aggregate {} needs --group-by: the columns whose rows make one run",
                    a.word()
                ));
            }
            (true, None) => None,
            (false, a) => Some(a.unwrap_or(Aggregate::Mean)),
        };

        let mut roles = Vec::new();
        for (i, column) in table.columns.iter().enumerate() {
            let field = renamed.get(&i).unwrap_or(&column.name).clone();
            let role = match field.as_str() {
                "device" | "gpu" => Role::Gpu,
                "timestamp" => Role::Time,
                _ if WRITTEN_HERE.contains(&field.as_str())
                    || (aggregate.is_some() && field == "runs") =>
                {
                    return Err(format!(
                        "column `{}`: benchanim writes a row named `{field}` itself; pass --config {}=OTHER_NAME",
                        column.name, column.name
                    ));
                }
                _ if explicit.contains(&i)
                    || SWEEP_FIELDS.contains(&field.as_str())
                    || INDEX_COLUMNS.contains(&field.to_ascii_lowercase().as_str())
                    || failure_column(&field).is_some() =>
                {
                    Role::Config { field }
                }
                _ if table.rows.iter().any(|r| r.cells[i].is_numeric()) => Role::Metric {
                    unit: unit_from_name(&field).to_string(),
                    field,
                },
                _ => Role::Config { field },
            };
            roles.push(role);
        }
        if !roles.iter().any(|r| matches!(r, Role::Metric { .. })) {
            return Err(format!(
                "no column holds measurements: each of {} is config (text, a sweep field or named with --config/--group-by)",
                table.names()
            ));
        }
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for (i, role) in roles.iter().enumerate() {
            let (Role::Config { field } | Role::Metric { field, .. }) = role else {
                continue;
            };
            if let Some(j) = seen.insert(field.as_str(), i) {
                return Err(format!(
                    "columns `{}` and `{}` would both be named `{field}`",
                    table.columns[j].name, table.columns[i].name
                ));
            }
        }
        // Units: the layout's, then --unit.
        let set_unit = |roles: &mut Vec<Role>, name: &str, unit: &str, given: bool| {
            let i = table.columns.iter().position(|c| c.name == name).or_else(|| {
                roles.iter().position(
                    |r| matches!(r, Role::Config { field } | Role::Metric { field, .. } if field == name),
                )
            });
            match i.map(|i| &mut roles[i]) {
                Some(Role::Metric { unit: u, .. }) => {
                    *u = unit.to_string();
                    Ok(())
                }
                Some(_) if given => Err(format!(
                    "--unit `{name}={unit}`: `{name}` is config, not a metric"
                )),
                None if given => Err(format!(
                    "--unit `{name}={unit}`: no such column; the columns are {}",
                    table.names()
                )),
                _ => Ok(()),
            }
        };
        if let Some(layout) = layout {
            for (name, unit) in layout.units {
                set_unit(&mut roles, name, unit, false)?;
            }
        }
        for entry in &how.units {
            let (name, unit) = split_pair("--unit", entry, "COLUMN=UNIT")?;
            set_unit(&mut roles, name, unit, true)?;
        }

        let mut sets: Vec<(String, Value)> = Vec::new();
        for entry in &how.set {
            let (key, value) = split_pair("--set", entry, "KEY=VALUE")?;
            check_name(key).map_err(|why| format!("--set `{entry}`: the key {why}"))?;
            let taken = ["device", "gpu", "timestamp", "runs"].contains(&key)
                || WRITTEN_HERE.contains(&key);
            if taken {
                return Err(format!(
                    "--set `{entry}`: benchanim writes `{key}` itself (--gpu-name and --timestamp set the GPU and the time)"
                ));
            }
            if roles.iter().any(
                |r| matches!(r, Role::Config { field } | Role::Metric { field, .. } if field == key),
            ) {
                return Err(format!(
                    "--set `{entry}`: the table has a column `{key}` already"
                ));
            }
            if sets.iter().any(|(k, _)| k == key) {
                return Err(format!("--set `{key}` is given twice"));
            }
            sets.push((key.to_string(), Value::parse(&one_line(value))));
        }
        let has_model = |sets: &[(String, Value)], roles: &[Role]| {
            sets.iter().any(|(k, _)| k == "model")
                || roles
                    .iter()
                    .any(|r| matches!(r, Role::Config { field } if field == "model"))
        };
        if layout.is_some_and(|l| l.model_from_folder)
            && !has_model(&sets, &roles)
            && let Some(folder) = path
                .parent()
                .and_then(Path::file_name)
                .and_then(|n| n.to_str())
                .filter(|n| !sanitize(n).is_empty())
        {
            sets.push(("model".into(), Value::Text(folder.to_string())));
        }

        let family = match (&how.family, layout) {
            (Some(f), _) => f.clone(),
            (None, Some(layout)) => layout.family.to_string(),
            (None, None) => family_from_name(path),
        };
        let family = sanitize(&family);
        if family.is_empty() {
            return Err("the family has no letters or digits; pass --family NAME".into());
        }
        let template = match &how.name {
            Some(name) => parse_template(name)?,
            None if !group.is_empty() => {
                let mut pieces = Vec::new();
                for (k, &i) in group.iter().enumerate() {
                    if k > 0 {
                        pieces.push(Piece::Text("_".into()));
                    }
                    pieces.push(Piece::Field(table.columns[i].name.clone()));
                }
                pieces
            }
            None if has_model(&sets, &roles) => vec![Piece::Field("model".into())],
            None => Vec::new(),
        };
        for piece in &template {
            if let Piece::Field(name) = piece {
                let known = sets.iter().any(|(k, _)| k == name)
                    || table.columns.iter().any(|c| &c.name == name)
                    || roles.iter().any(
                        |r| matches!(r, Role::Config { field } | Role::Metric { field, .. } if field == name),
                    );
                if !known {
                    return Err(format!(
                        "--name `{{{name}}}`: no such column or --set key; the columns are {}",
                        table.names()
                    ));
                }
            }
        }
        let gpu = match &how.gpu {
            Some(g) if sanitize_gpu_name(g).is_empty() => {
                return Err(format!("--gpu-name `{g}` has no letters or digits"));
            }
            Some(g) => Some(g.clone()),
            None if roles.contains(&Role::Gpu) => None,
            None => {
                return Err(
                    "the table names no GPU (no `device` or `gpu` column); pass --gpu-name".into(),
                );
            }
        };
        let timestamp = match &how.timestamp {
            Some(t) => Some(parse_time(t).ok_or_else(|| {
                format!("--timestamp `{t}` is not a time (YYYYMMDD_HHMMSS or 2024-06-01T12:00:00)")
            })?),
            None => None,
        };
        let mut failed = Vec::new();
        for entry in &how.failed_if {
            let (column, value) = split_pair("--failed-if", entry, "COLUMN=VALUE")?;
            failed.push((
                find("--failed-if", column)?,
                FailedIf::Equals(value.to_string()),
            ));
        }
        if how.failed_if.is_empty() {
            for (i, column) in table.columns.iter().enumerate() {
                if let Some(rule) = failure_column(&column.name) {
                    failed.push((i, FailedIf::Rule(rule)));
                }
            }
        }
        Ok(Plan {
            failed,
            family,
            template,
            roles,
            sets,
            group,
            aggregate,
            gpu,
            timestamp,
        })
    }

    fn field_index(&self, table: &Table, name: &str) -> Option<usize> {
        table.columns.iter().position(|c| c.name == name).or_else(|| {
            self.roles.iter().position(
                |r| matches!(r, Role::Config { field } | Role::Metric { field, .. } if field == name),
            )
        })
    }

    /// Every cell of the metric columns is a finite number (or not measured), and not negative
    /// where the metric says which way is better.
    fn check_metrics(&self, table: &Table) -> Result<(), String> {
        for row in &table.rows {
            for (i, role) in self.roles.iter().enumerate() {
                let Role::Metric { field, unit } = role else {
                    continue;
                };
                match &row.cells[i] {
                    Cell::Missing => {}
                    Cell::Number(x, text) => {
                        if *x < 0.0 && Direction::of(field, unit).is_some() {
                            return Err(format!(
                                "{}: {text} is a negative measurement",
                                table.place(row, i)
                            ));
                        }
                    }
                    Cell::NonFinite(text) => {
                        return Err(format!(
                            "{}: `{text}` is not a finite number",
                            table.place(row, i)
                        ));
                    }
                    other => {
                        return Err(format!(
                            "{}: {} is not a number, and other cells of the column are (pass --config {} if the column is a setting, not a measurement)",
                            table.place(row, i),
                            other.shown(),
                            table.columns[i].name
                        ));
                    }
                }
            }
        }
        Ok(())
    }

    /// The rows of each run, in the order the runs first appear.
    fn groups(&self, table: &Table) -> Vec<Vec<usize>> {
        if self.group.is_empty() {
            return (0..table.rows.len()).map(|i| vec![i]).collect();
        }
        let mut keys: Vec<usize> = self.group.clone();
        if self.gpu.is_none()
            && let Some(g) = self.roles.iter().position(|r| *r == Role::Gpu)
            && !keys.contains(&g)
        {
            keys.push(g);
        }
        let mut order: Vec<Vec<usize>> = Vec::new();
        let mut at: HashMap<Vec<String>, usize> = HashMap::new();
        for (r, row) in table.rows.iter().enumerate() {
            let key: Vec<String> = keys.iter().map(|&i| row.cells[i].text()).collect();
            match at.get(&key) {
                Some(&g) => order[g].push(r),
                None => {
                    at.insert(key, order.len());
                    order.push(vec![r]);
                }
            }
        }
        order
    }

    fn runs(&self, table: &Table, default_time: &str) -> Result<Vec<TableRun>, String> {
        self.check_metrics(table)?;
        self.groups(table)
            .iter()
            .map(|rows| self.run(table, rows, default_time))
            .collect()
    }

    /// The value of column `i` shared by `rows`, or `None` when they differ.
    fn shared<'t>(table: &'t Table, rows: &[usize], i: usize) -> Option<&'t Cell> {
        let first = &table.rows[rows[0]].cells[i];
        rows.iter()
            .all(|&r| table.rows[r].cells[i].text() == first.text())
            .then_some(first)
    }

    fn run(&self, table: &Table, rows: &[usize], default_time: &str) -> Result<TableRun, String> {
        let first = &table.rows[rows[0]];
        let gpu = match &self.gpu {
            Some(g) => g.clone(),
            None => {
                let i = self
                    .roles
                    .iter()
                    .position(|r| *r == Role::Gpu)
                    .unwrap_or_default();
                let name = first.cells[i].text();
                if sanitize_gpu_name(&name).is_empty() {
                    return Err(format!(
                        "{}: {} does not name a GPU; pass --gpu-name",
                        table.place(first, i),
                        first.cells[i].shown()
                    ));
                }
                one_line(&name)
            }
        };
        let timestamp = match (
            &self.timestamp,
            self.roles.iter().position(|r| *r == Role::Time),
        ) {
            (Some(t), _) => t.clone(),
            (None, Some(i)) => {
                let mut latest = String::new();
                for &r in rows {
                    let row = &table.rows[r];
                    let t = parse_time(&row.cells[i].text()).ok_or_else(|| {
                        format!(
                            "{}: {} is not a time (YYYYMMDD_HHMMSS or 2024-06-01T12:00:00); pass --timestamp, or --config timestamp=OTHER_NAME to keep it as config",
                            table.place(row, i),
                            row.cells[i].shown()
                        )
                    })?;
                    latest = latest.max(t);
                }
                latest
            }
            (None, None) => default_time.to_string(),
        };
        let mut out = vec![
            Row::text("device", gpu.as_str()),
            Row::text("device_sanitized", sanitize_gpu_name(&gpu)),
            Row::text("timestamp", timestamp.as_str()),
        ];
        for (i, role) in self.roles.iter().enumerate() {
            if let Role::Config { field } = role
                && let Some(cell) = Self::shared(table, rows, i)
            {
                out.push(Row::new(field, cell.value(), ""));
            }
        }
        for (key, value) in &self.sets {
            out.push(Row::new(key, value.clone(), ""));
        }
        // Failed rows are counted, never averaged in: a timeout's 300 s is no latency.
        let measured: Vec<usize> = rows
            .iter()
            .copied()
            .filter(|&r| {
                !self
                    .failed
                    .iter()
                    .any(|(i, test)| test.failed(&table.rows[r].cells[*i]))
            })
            .collect();
        let failed = rows.len() - measured.len();
        if failed > 0 {
            out.push(Row::measured("failed_requests", failed as f64, ""));
        }
        match (self.aggregate, first.at) {
            (Some(aggregate), _) => {
                out.push(Row::measured("runs", measured.len() as f64, ""));
                out.push(Row::text("aggregate", aggregate.word()));
            }
            (None, At::Line(line)) => out.push(Row::measured("source_line", line as f64, "")),
            (None, At::Item(_)) => {}
        }
        let mut spread = Vec::new();
        let refused = measured.is_empty().then(|| {
            let what = if rows.len() == 1 {
                format!("{}", first.at)
            } else {
                format!("all {} rows of the group of {}", rows.len(), first.at)
            };
            format!("{what} failed (see --failed-if): not a measurement")
        });
        for (i, role) in self.roles.iter().enumerate() {
            let Role::Metric { field, unit } = role else {
                continue;
            };
            if refused.is_some() {
                break;
            }
            match self.aggregate {
                None => out.push(Row::new(field, first.cells[i].value(), unit)),
                Some(aggregate) => {
                    let stats = Stats::of(table, &measured, i, aggregate)
                        .map_err(|why| format!("column `{}`: {why}", table.columns[i].name))?;
                    out.push(Row::new(field, stats.center, unit));
                    let mut add = |suffix: &str, value: Value, unit: &str| {
                        let mut row = Row::new(&format!("{field}_{suffix}"), value, unit);
                        row.section = Some("Spread".into());
                        spread.push(row);
                    };
                    add("min", stats.min, unit);
                    add("max", stats.max, unit);
                    add("stdev", stats.stdev, unit);
                    add("n", Value::Number(Number::computed(stats.n as f64, 0)), "");
                }
            }
        }
        out.extend(spread);

        let name = self.render_name(table, rows)?;
        let benchmark = if name.is_empty() {
            self.family.clone()
        } else {
            format!("{}_{name}", self.family)
        };
        let folder = sanitize_gpu_name(&gpu);
        let file = FileName::build(&self.family, &folder, &benchmark, &timestamp);
        let back = FileName::parse(file.trim_end_matches(".csv"), &folder);
        if back.family != self.family || back.benchmark != benchmark {
            return Err(format!(
                "the family `{}` and benchmark `{benchmark}` would not be read back from the file name `{file}`; pass another --family",
                self.family
            ));
        }
        let mut identity = table.header.clone();
        for &r in rows {
            identity.push('\n');
            identity.push_str(&table.rows[r].raw);
        }
        if self.aggregate.is_none() {
            identity.push_str(&format!("\n{}", first.at));
        }
        Ok(TableRun {
            gpu,
            record: Record {
                family: self.family.clone(),
                benchmark,
                timestamp,
                rows: out,
            },
            sha256: sha256_hex(identity.as_bytes()),
            refused,
        })
    }

    /// The `--name` template filled in for a run, sanitized for a file name.
    fn render_name(&self, table: &Table, rows: &[usize]) -> Result<String, String> {
        let mut out = String::new();
        for piece in &self.template {
            match piece {
                Piece::Text(t) => out.push_str(t),
                Piece::Field(name) => {
                    if let Some((_, v)) = self.sets.iter().find(|(k, _)| k == name) {
                        out.push_str(&v.to_text());
                        continue;
                    }
                    let Some(i) = self.field_index(table, name) else {
                        continue;
                    };
                    if self.aggregate.is_some() && matches!(self.roles[i], Role::Metric { .. }) {
                        return Err(format!(
                            "--name `{{{name}}}`: `{name}` is a metric, averaged over each group; name runs by config"
                        ));
                    }
                    match Self::shared(table, rows, i) {
                        Some(cell) => out.push_str(&cell.text()),
                        None => {
                            return Err(format!(
                                "--name `{{{name}}}`: `{name}` differs within the group of {} (add it to --group-by)",
                                table.rows[rows[0]].at
                            ));
                        }
                    }
                }
            }
        }
        Ok(sanitize(&out))
    }
}

/// The family a table without one is filed under: its file's name without the time in it
/// (`benchmark_results_20250401_145415.csv` → `benchmark_results`).
fn family_from_name(path: &Path) -> String {
    let stem = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default()
        .to_string();
    let mut words: Vec<&str> = stem.split(['_', '-', '.', ' ']).collect();
    // A date and a time of day, or the two run together.
    words.retain(|w| !(w.len() >= 6 && w.chars().all(|c| c.is_ascii_digit())));
    match sanitize(&words.join("_")) {
        name if name.is_empty() => "table".to_string(),
        name => name,
    }
}

fn parse_template(text: &str) -> Result<Vec<Piece>, String> {
    let mut pieces = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find(['{', '}']) {
        if rest[open..].starts_with('}') {
            return Err(format!("--name `{text}`: a `}}` without its `{{`"));
        }
        if open > 0 {
            pieces.push(Piece::Text(rest[..open].to_string()));
        }
        let after = &rest[open + 1..];
        let close = after
            .find('}')
            .ok_or_else(|| format!("--name `{text}`: a `{{` without its `}}`"))?;
        let name = after[..close].trim();
        if name.is_empty() || name.contains('{') {
            return Err(format!(
                "--name `{text}`: expected `{{COLUMN}}`, found `{{{}}}`",
                &after[..close]
            ));
        }
        pieces.push(Piece::Field(name.to_string()));
        rest = &after[close + 1..];
    }
    if !rest.is_empty() {
        pieces.push(Piece::Text(rest.to_string()));
    }
    Ok(pieces)
}

/// `YYYYMMDD_HHMMSS`, `YYYYmmdd-HHMMSS`, or ISO 8601 (`2024-06-01T12:00:00`, a space for the
/// `T`, fractions of a second, an offset or `Z`: then turned into local time).
fn parse_time(text: &str) -> Option<String> {
    let t = text.trim();
    let format = |dt: jiff::civil::DateTime| dt.strftime("%Y%m%d_%H%M%S").to_string();
    for pattern in ["%Y%m%d_%H%M%S", "%Y%m%d-%H%M%S"] {
        if t.len() == 15
            && let Ok(dt) = jiff::civil::DateTime::strptime(pattern, t)
        {
            return Some(format(dt));
        }
    }
    let iso = match t.as_bytes().get(10) {
        Some(b' ') => format!("{}T{}", &t[..10], &t[11..]),
        _ => t.to_string(),
    };
    if let Ok(instant) = iso.parse::<jiff::Timestamp>() {
        return Some(format(
            instant.to_zoned(jiff::tz::TimeZone::system()).datetime(),
        ));
    }
    iso.parse::<jiff::civil::DateTime>().ok().map(format)
}

// --- Aggregates ---------------------------------------------------------------------------

struct Stats {
    center: Value,
    min: Value,
    max: Value,
    stdev: Value,
    n: usize,
}

impl Stats {
    /// The mean or median of column `i` over `rows`, with its spread. The center is written with
    /// one decimal more than the inputs have (at most 6, or enough for 4 significant digits);
    /// min and max as written; the sample standard deviation with 3 significant digits.
    fn of(table: &Table, rows: &[usize], i: usize, aggregate: Aggregate) -> Result<Stats, String> {
        let mut xs: Vec<(f64, &str)> = rows
            .iter()
            .filter_map(|&r| match &table.rows[r].cells[i] {
                Cell::Number(x, t) => Some((*x, t.as_str())),
                _ => None,
            })
            .collect();
        let n = xs.len();
        if n == 0 {
            return Ok(Stats {
                center: Value::Missing,
                min: Value::Missing,
                max: Value::Missing,
                stdev: Value::Missing,
                n,
            });
        }
        xs.sort_by(|a, b| a.0.total_cmp(&b.0));
        let decimals = xs.iter().map(|(_, t)| decimals_of(t)).max().unwrap_or(0);
        let mean = xs.iter().map(|(x, _)| x / n as f64).sum::<f64>();
        let center = match aggregate {
            Aggregate::Mean => mean,
            Aggregate::Median if n % 2 == 1 => xs[n / 2].0,
            Aggregate::Median => xs[n / 2 - 1].0 / 2.0 + xs[n / 2].0 / 2.0,
        };
        let stdev = (n > 1).then(|| {
            let ss: f64 = xs
                .iter()
                .map(|(x, _)| ((x - mean) / (n as f64 - 1.0).sqrt()).powi(2))
                .sum();
            ss.sqrt()
        });
        if !center.is_finite() || stdev.is_some_and(|s| !s.is_finite()) {
            return Err(format!(
                "the {} of the group of {} is out of range",
                aggregate.word(),
                table.rows[rows[0]].at
            ));
        }
        let written = |(x, t): (f64, &str)| {
            Value::Number(Number {
                value: x,
                text: t.to_string(),
            })
        };
        Ok(Stats {
            center: Value::Number(Number::computed(center, center_decimals(decimals, center))),
            min: written(xs[0]),
            max: written(xs[n - 1]),
            stdev: match stdev {
                Some(s) => Value::Number(Number::computed(s, significant_decimals(s, 3))),
                None => Value::Missing,
            },
            n,
        })
    }
}

/// One decimal more than the inputs, at most 6 unless 4 significant digits need more.
fn center_decimals(input: usize, value: f64) -> usize {
    let wanted = input + 1;
    wanted.min(6.max(significant_decimals(value, 4))).min(12)
}

/// The decimals that show `value` with `digits` significant digits (none for whole parts
/// longer than that).
fn significant_decimals(value: f64, digits: i32) -> usize {
    if value == 0.0 || !value.is_finite() {
        return 0;
    }
    let magnitude = value.abs().log10().floor() as i32;
    (digits - 1 - magnitude).clamp(0, 12) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    fn runs(text: &str, how: &TableImport) -> Result<Vec<TableRun>, String> {
        parse_table(
            Path::new("/data/results.csv"),
            text.as_bytes(),
            how,
            "20240101_000000",
        )
    }

    fn rows(run: &TableRun) -> Vec<(String, String, String, Option<String>)> {
        run.record
            .rows
            .iter()
            .map(|r| {
                (
                    r.metric.clone(),
                    r.value.to_text(),
                    r.unit.clone(),
                    r.section.clone(),
                )
            })
            .collect()
    }

    fn get(run: &TableRun, metric: &str) -> String {
        run.record
            .rows
            .iter()
            .find(|r| r.metric == metric)
            .map(|r| r.value.to_text())
            .unwrap_or_else(|| panic!("no {metric} in {:?}", rows(run)))
    }

    fn gpu() -> TableImport {
        TableImport {
            gpu: Some("G".into()),
            ..TableImport::default()
        }
    }

    #[test]
    fn cells_are_typed_and_non_finite_ones_told_apart() {
        assert_eq!(Cell::of_text(" 1.50 "), Cell::Number(1.5, "1.50".into()));
        assert_eq!(Cell::of_text(""), Cell::Missing);
        assert_eq!(Cell::of_text("N/A"), Cell::Missing);
        assert_eq!(Cell::of_text("None"), Cell::Missing);
        assert_eq!(Cell::of_text("nan"), Cell::NonFinite("nan".into()));
        assert_eq!(
            Cell::of_text("-Infinity"),
            Cell::NonFinite("-Infinity".into())
        );
        assert_eq!(Cell::of_text("1e999"), Cell::NonFinite("1e999".into()));
        assert_eq!(Cell::of_text("True"), Cell::Bool(true));
        assert_eq!(
            Cell::of_text("llama-3.2-1b"),
            Cell::Text("llama-3.2-1b".into())
        );
    }

    #[test]
    fn text_columns_are_config_and_number_columns_metrics() {
        let runs = runs("model,batch_size,latency_ms\nm,4,12.5\n", &gpu()).unwrap();
        assert_eq!(runs.len(), 1);
        let r = rows(&runs[0]);
        assert!(r.contains(&("model".into(), "m".into(), "".into(), None)));
        assert!(r.contains(&("batch_size".into(), "4".into(), "".into(), None)));
        assert!(r.contains(&("latency_ms".into(), "12.5".into(), "ms".into(), None)));
        assert_eq!(runs[0].record.family, "results");
        assert_eq!(runs[0].record.benchmark, "results_m");
    }

    #[test]
    fn means_get_a_decimal_more_and_the_stdev_three_digits() {
        let how = TableImport {
            group_by: vec!["model".into()],
            ..gpu()
        };
        let text = "model,latency\na,1.0\na,1.2\na,1.4\na,1.6\na,1.8\n";
        let run = &runs(text, &how).unwrap()[0];
        assert_eq!(get(run, "latency"), "1.40");
        assert_eq!(get(run, "latency_stdev"), "0.316");
        assert_eq!(get(run, "latency_min"), "1.0");
        assert_eq!(get(run, "latency_n"), "5");
        assert_eq!(get(run, "runs"), "5");
        let how = TableImport {
            aggregate: Some(Aggregate::Median),
            ..how
        };
        let run = &runs("model,x\na,1\na,2\na,10\na,20\n", &how).unwrap()[0];
        assert_eq!(get(run, "x"), "6.0");
        assert_eq!(center_decimals(16, 2.345_678_901_234), 6);
        assert_eq!(center_decimals(16, 0.000_012_345_678), 8);
        assert_eq!(significant_decimals(1234.5, 3), 0);
    }

    #[test]
    fn keys_that_become_one_column_are_refused() {
        let err = runs(
            "{\"x.y\": 1, \"x\": {\"y\": 2}, \"model\": \"m\"}\n",
            &gpu(),
        )
        .unwrap_err();
        assert!(
            err.starts_with("line 1: two keys become the column `x.y`"),
            "{err}"
        );
    }

    #[test]
    fn a_bad_cell_is_named_by_line_and_column() {
        let err = runs("model,latency\na,1.0\na,fast\n", &gpu()).unwrap_err();
        assert!(
            err.starts_with("line 3, column 2 (`latency`): `fast` is not a number"),
            "{err}"
        );
        let err = runs("model,latency\na,1.0\na,NaN\n", &gpu()).unwrap_err();
        assert_eq!(
            err,
            "line 3, column 2 (`latency`): `NaN` is not a finite number"
        );
        let err = runs("model,latency\na,1.0,3\n", &gpu()).unwrap_err();
        assert_eq!(err, "line 2: 3 cells where the header has 2 columns");
        let err = runs(
            "a,b,c,d,e,f\n1,\"x,3,4,5,6\n2,y,3,4,5,6\n3,z,3,4,5,6\n",
            &gpu(),
        )
        .unwrap_err();
        assert_eq!(
            err,
            "line 2, column 2: a quote (`\"`) opens a cell that runs on to line 4; close the quote, or remove it"
        );
        // A cell that holds line breaks in closed quotes is fine.
        assert!(runs("model,x\n\"a\nb\nc\",1\nd,2\n", &gpu()).is_ok());
        let err = runs("{\"a\": 1}\n{\"a\": \"x\", \"b\": [1]}\n", &gpu()).unwrap_err();
        assert!(err.starts_with("line 2, key `b`: a list"), "{err}");
    }

    #[test]
    fn json_lines_nested_objects_and_arrays_are_rows() {
        let text = "{\"model\": \"m\", \"stats\": {\"tps\": 5}}\n\n{\"model\": \"n\", \"stats\": {\"tps\": 7.5}}\n";
        let lines = runs(text, &gpu()).unwrap();
        assert_eq!(lines.len(), 2);
        assert_eq!(get(&lines[1], "stats.tps"), "7.5");
        assert_eq!(get(&lines[1], "source_line"), "3");
        let items = runs("[{\"x\": 1}, {\"x\": 2}]", &gpu()).unwrap();
        assert_eq!(items.len(), 2);
        assert_ne!(items[0].sha256, items[1].sha256);
    }

    #[test]
    fn tab_separated_values_are_a_table_too() {
        let runs = runs("model\tlatency_s\nm\t1.5\n", &gpu()).unwrap();
        assert_eq!(get(&runs[0], "latency_s"), "1.5");
    }

    #[test]
    fn equal_rows_stay_two_runs() {
        let runs = runs("model,x\nm,1\nm,1\n", &gpu()).unwrap();
        assert_ne!(runs[0].sha256, runs[1].sha256);
    }

    #[test]
    fn templates_and_times() {
        assert_eq!(
            parse_template("{model}-tp{TP}").unwrap(),
            [
                Piece::Field("model".into()),
                Piece::Text("-tp".into()),
                Piece::Field("TP".into())
            ]
        );
        assert!(parse_template("{model").is_err());
        assert!(parse_template("model}").is_err());
        assert_eq!(
            parse_time("20240101_010203").as_deref(),
            Some("20240101_010203")
        );
        assert_eq!(
            parse_time("20240101-010203").as_deref(),
            Some("20240101_010203")
        );
        assert_eq!(
            parse_time("2024-01-01 01:02:03.5").as_deref(),
            Some("20240101_010203")
        );
        assert_eq!(parse_time("yesterday"), None);
    }

    #[test]
    fn one_line_joins_lines() {
        assert_eq!(one_line("a\r\nb \n\n c"), "a b c");
        assert_eq!(one_line("plain"), "plain");
    }
}
