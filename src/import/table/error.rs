//! What can be wrong with a table, the options it is filed with, or a run read from it; each
//! error says where (the line and column, or the option) and what to do about it.

use super::cell::At;
use super::options::GroupCenter;
use super::wide::{MAX_COLUMNS, NameProblem};

/// Anything that stops a table from being filed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TableError {
    #[error(transparent)]
    Read(#[from] ReadError),
    #[error(transparent)]
    Options(#[from] OptionError),
    #[error(transparent)]
    Template(#[from] TemplateError),
    #[error(transparent)]
    Run(#[from] RunError),
}

/// Why the file is not a table.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ReadError {
    #[error("the file is empty")]
    Empty,
    #[error("line {line}: not UTF-8 text")]
    NotUtf8 { line: usize },
    #[error("holds no rows")]
    NoRows,
    #[error("the file has a header and no rows")]
    HeaderOnly,
    #[error("not a CSV file: {0}")]
    NotCsv(String),
    #[error("line {line}: {count} columns; a table has at most {max}", max = MAX_COLUMNS)]
    TooManyColumns { line: usize, count: usize },
    #[error("line {line}: column {column} has no name")]
    UnnamedColumn { line: usize, column: usize },
    /// `name` as Rust escapes it, so that a control character shows.
    #[error("line {line}: the column name `{name}` {problem}")]
    BadColumnName {
        line: usize,
        name: String,
        problem: NameProblem,
    },
    #[error("line {line}: columns {first} and {second} are both named `{name}`")]
    SameColumnName {
        line: usize,
        first: usize,
        second: usize,
        name: String,
    },
    #[error(
        "line {line}, column {column}: a quote (`\"`) opens a cell that runs on to line {last_line}; close the quote, or remove it"
    )]
    OpenQuote {
        line: usize,
        column: usize,
        last_line: usize,
    },
    #[error(
        "line {line}: {cells} cell{} where the header has {width} column{}",
        plural(.cells),
        plural(.width)
    )]
    CellCount {
        line: usize,
        cells: usize,
        width: usize,
    },
    #[error("not valid JSON: {0}")]
    NotJson(String),
    /// Arrays and objects nested too deep, from the line where they do.
    #[error("{0}")]
    TooDeep(crate::import::DocumentError),
    #[error("{at}: {kind}, not an object (a row is an object of column names and values)")]
    NotAnObject { at: At, kind: &'static str },
    /// `key` as Rust escapes it.
    #[error(
        "{at}: two keys become the column `{key}` (a dotted key and a nested one, or keys that differ in spaces only); rename one so neither value is lost"
    )]
    KeysCollide { at: At, key: String },
    /// `key` as Rust escapes it.
    #[error("{at}: the key `{key}` {problem}")]
    BadKey {
        at: At,
        key: String,
        problem: NameProblem,
    },
    #[error(
        "{at}: more than {max} keys; a table has at most {max} columns",
        max = MAX_COLUMNS
    )]
    TooManyKeys { at: At },
    #[error("{at}: a key without a name")]
    UnnamedKey { at: At },
    /// `key` as Rust escapes it.
    #[error(
        "{at}, key `{key}`: a list; a table holds one value per key (flatten lists first, e.g. with jq)"
    )]
    List { at: At, key: String },
}

/// `s` for any count but one.
fn plural(n: &usize) -> &'static str {
    if *n == 1 { "" } else { "s" }
}

/// An option that does not fit the table, or that contradicts another.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum OptionError {
    /// `columns`: every column's name, joined by `, `.
    #[error("{option} `{name}`: no such column; the columns are {columns}")]
    NoSuchColumn {
        option: &'static str,
        name: String,
        columns: String,
    },
    #[error("--config `{entry}`: expected COLUMN=FIELD")]
    ConfigWithoutField { entry: String },
    #[error("--config `{entry}`: the name {problem}")]
    BadConfigName { entry: String, problem: NameProblem },
    #[error("--aggregate {0} needs --group-by: the columns whose rows make one run")]
    CenterWithoutGroups(GroupCenter),
    #[error(
        "column `{column}`: benchanim writes a row named `{field}` itself; pass --config {column}=OTHER_NAME"
    )]
    WrittenHere { column: String, field: String },
    #[error(
        "no column holds measurements: each of {columns} is config (text, a sweep field or named with --config/--group-by)"
    )]
    NoMetrics { columns: String },
    #[error("columns `{first}` and `{second}` would both be named `{field}`")]
    SameField {
        first: String,
        second: String,
        field: String,
    },
    #[error("--unit `{name}={unit}`: `{name}` is config, not a metric")]
    UnitOfConfig { name: String, unit: String },
    #[error("--unit `{name}={unit}`: no such column; the columns are {columns}")]
    UnitOfNoColumn {
        name: String,
        unit: String,
        columns: String,
    },
    #[error("{option} `{entry}`: expected {expected}")]
    NotAPair {
        option: &'static str,
        entry: String,
        expected: &'static str,
    },
    #[error("--set `{entry}`: the key {problem}")]
    BadSetKey { entry: String, problem: NameProblem },
    #[error(
        "--set `{entry}`: benchanim writes `{key}` itself (--gpu-name and --timestamp set the GPU and the time)"
    )]
    SetWrittenHere { entry: String, key: String },
    #[error("--set `{entry}`: the table has a column `{key}` already")]
    SetsAColumn { entry: String, key: String },
    #[error("--set `{key}` is given twice")]
    SetTwice { key: String },
    #[error("the family has no letters or digits; pass --family NAME")]
    EmptyFamily,
    #[error("--gpu-name `{0}` has no letters or digits")]
    EmptyGpuName(String),
    #[error("the table names no GPU (no `device` or `gpu` column); pass --gpu-name")]
    NoGpu,
    #[error("--timestamp `{0}` is not a time (YYYYMMDD_HHMMSS or 2024-06-01T12:00:00)")]
    NotATime(String),
}

/// A `--name` template that cannot name runs.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TemplateError {
    #[error("--name `{0}`: a `}}` without its `{{`")]
    CloseWithoutOpen(String),
    #[error("--name `{0}`: a `{{` without its `}}`")]
    OpenWithoutClose(String),
    #[error("--name `{text}`: expected `{{COLUMN}}`, found `{{{found}}}`")]
    NotAField { text: String, found: String },
    /// `columns`: every column's name, joined by `, `.
    #[error("--name `{{{name}}}`: no such column or --set key; the columns are {columns}")]
    NoSuchField { name: String, columns: String },
    #[error("--name `{{{0}}}`: `{0}` is a metric, averaged over each group; name runs by config")]
    Metric(String),
    #[error(
        "--name `{{{name}}}`: `{name}` differs within the group of {at} (add it to --group-by)"
    )]
    DiffersInGroup { name: String, at: At },
}

/// A row, a cell or a group that cannot be a run.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RunError {
    /// `place`: `line 7, column 3 (`latency`)` or `line 7, key `latency``.
    #[error("{place}: {text} is a negative measurement")]
    Negative { place: String, text: String },
    #[error("{place}: `{text}` is not a finite number")]
    NotFinite { place: String, text: String },
    /// `shown`: the cell, short and quoted.
    #[error(
        "{place}: {shown} is not a number, and other cells of the column are (pass --config {column} if the column is a setting, not a measurement)"
    )]
    NotANumber {
        place: String,
        shown: String,
        column: String,
    },
    #[error("{place}: {shown} does not name a GPU; pass --gpu-name")]
    NotAGpu { place: String, shown: String },
    #[error(
        "{place}: {shown} is not a time (YYYYMMDD_HHMMSS or 2024-06-01T12:00:00); pass --timestamp, or --config timestamp=OTHER_NAME to keep it as config"
    )]
    NotATime { place: String, shown: String },
    #[error("column `{column}`: the {center} of the group of {at} is out of range")]
    OutOfRange {
        column: String,
        center: GroupCenter,
        at: At,
    },
    #[error(
        "the family `{family}` and benchmark `{benchmark}` would not be read back from the file name `{file}`; pass another --family"
    )]
    NotReadBack {
        family: String,
        benchmark: String,
        file: String,
    },
}
