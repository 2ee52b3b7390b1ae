//! Selecting runs by their config fields: the `where` pin of scenes
//! (`where = { max_concurrency = 10 }`), and the sweep fields whose runs must not be mixed up.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use super::file::ResultFile;
use super::value::Value;

/// The fields a sweep varies: runs of one benchmark that differ in one of these are different
/// measurements, never repeats of one.
pub const SWEEP_FIELDS: [&str; 14] = [
    "max_concurrency",
    "request_rate",
    "batch_size",
    "input_len",
    "output_len",
    "num_prompts",
    "tensor_parallel_size",
    "data_parallel_size",
    "pipeline_parallel_size",
    "max_num_batched_tokens",
    "mps",
    "tenants",
    "iteration",
    "sweep_id",
];

/// Sweep fields that number the repeats of one measurement rather than tell measurements apart.
pub const REPEAT_FIELDS: [&str; 2] = ["iteration", "sweep_id"];

/// Settings other tools sweep, beside the sweep fields.
const MORE_LEVEL_FIELDS: [&str; 6] = [
    "max_num_seqs",
    "tenant",
    "experiment",
    "strategy",
    "engine",
    "test_type",
];

/// Config fields whose values make runs of one benchmark different measurements, each worth
/// a column of its own in a report: the sweep fields but the repeat's number and sweep, and
/// the settings and tenants that other tools sweep.
pub fn level_fields() -> impl Iterator<Item = &'static str> {
    SWEEP_FIELDS
        .into_iter()
        .filter(|f| !REPEAT_FIELDS.contains(f))
        .chain(MORE_LEVEL_FIELDS)
}

/// A field's value as a level: numbers by value (`4` and `4.0` are one level, `4`), booleans
/// as `true`/`false`, text trimmed; `None` when the run lacks it.
pub fn level_text(run: &ResultFile, field: &str) -> Option<String> {
    match run.field(field)? {
        Value::Number(n) => Some(n.value.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Missing => None,
        other => Some(other.to_text().trim().to_string()),
    }
}

/// One wanted value of a field.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(untagged)]
pub enum Level {
    Bool(bool),
    Number(f64),
    Text(String),
}

impl Level {
    /// Numbers compare numerically (`10` = `10.0`, `"inf"` = `inf`), booleans match
    /// `True`/`true`/`1`, text exactly after trimming.
    pub fn matches(&self, value: &Value) -> bool {
        match (self, value) {
            (Level::Number(n), Value::Number(v)) => *n == v.value,
            (Level::Number(n), Value::Text(t)) => t.trim().parse::<f64>().is_ok_and(|v| v == *n),
            (Level::Bool(b), Value::Bool(v)) => b == v,
            (Level::Bool(b), Value::Number(v)) => (v.value == 1.0) == *b && v.value.abs() <= 1.0,
            (Level::Text(s), v) => v.to_text().trim() == s.trim(),
            _ => false,
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            Level::Bool(b) => write!(f, "{b}"),
            Level::Number(n) => write!(f, "{n}"),
            Level::Text(s) => write!(f, "{s:?}"),
        }
    }
}

/// A value, or a list of them meaning any of.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(untagged)]
pub enum Wanted {
    One(Level),
    AnyOf(Vec<Level>),
}

impl Wanted {
    pub fn matches(&self, value: &Value) -> bool {
        match self {
            Wanted::One(level) => level.matches(value),
            Wanted::AnyOf(levels) => levels.iter().any(|l| l.matches(value)),
        }
    }
}

impl fmt::Display for Wanted {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            Wanted::One(level) => write!(f, "{level}"),
            Wanted::AnyOf(levels) => {
                let shown: Vec<String> = levels.iter().map(ToString::to_string).collect();
                write!(f, "[{}]", shown.join(", "))
            }
        }
    }
}

/// Config fields a run must have, with the values wanted; a run lacking a field does not match.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(transparent)]
pub struct Where(pub BTreeMap<String, Wanted>);

impl Where {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn pins(&self, field: &str) -> bool {
        self.0.contains_key(field)
    }

    pub fn matches(&self, run: &ResultFile) -> bool {
        self.0
            .iter()
            .all(|(field, wanted)| run.field(field).is_some_and(|v| wanted.matches(v)))
    }

    /// `self` with `more`'s fields added; `more` wins where both name a field.
    pub fn and(&self, more: &Where) -> Where {
        let mut merged = self.0.clone();
        merged.extend(more.0.iter().map(|(k, v)| (k.clone(), v.clone())));
        Where(merged)
    }
}

impl fmt::Display for Where {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        let fields: Vec<String> = self.0.iter().map(|(k, v)| format!("{k} = {v}")).collect();
        write!(f, "{}", fields.join(", "))
    }
}

/// The distinct values of `field` among `runs`, numbers ascending (`inf` last), then text.
pub fn distinct<'a>(runs: impl IntoIterator<Item = &'a ResultFile>, field: &str) -> Vec<String> {
    let mut numbers: Vec<f64> = Vec::new();
    let mut texts: Vec<String> = Vec::new();
    for value in runs.into_iter().filter_map(|r| r.field(field)) {
        match value {
            Value::Number(n) if !numbers.contains(&n.value) => numbers.push(n.value),
            Value::Number(_) | Value::Missing => {}
            other => {
                let text = other.to_text();
                if !texts.contains(&text) {
                    texts.push(text);
                }
            }
        }
    }
    numbers.sort_by(f64::total_cmp);
    texts.sort();
    numbers.iter().map(|n| n.to_string()).chain(texts).collect()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A vLLM run on GPU `G` with the rows `rows` (`metric,value,unit` lines).
    pub(crate) fn run(rows: &str) -> ResultFile {
        let text = format!("metric,value,unit\n{rows}");
        ResultFile::parse(
            std::path::Path::new("G/vLLM_G_m_20260101_000000.csv"),
            Some("G"),
            text.as_bytes(),
        )
        .unwrap()
        .0
    }

    fn wanted(toml: &str) -> Where {
        toml::from_str(toml).unwrap()
    }

    #[test]
    fn matches_numbers_bools_text_and_lists() {
        let r = run("max_concurrency,10,\nmps,True,\nmodel,gpt-oss,\nrequest_rate,inf,\n");
        assert!(wanted("max_concurrency = 10").matches(&r));
        assert!(wanted("max_concurrency = 10.0").matches(&r));
        assert!(!wanted("max_concurrency = 1").matches(&r));
        assert!(wanted("max_concurrency = [1, 10]").matches(&r));
        assert!(wanted("mps = true").matches(&r));
        assert!(!wanted("mps = false").matches(&r));
        assert!(wanted("model = \" gpt-oss \"").matches(&r));
        assert!(wanted("request_rate = \"inf\"").matches(&r));
        assert!(wanted("request_rate = inf").matches(&r));
        // A run lacking the field does not match.
        assert!(!wanted("batch_size = 1").matches(&r));
        assert!(Where::default().matches(&r));
    }

    #[test]
    fn distinct_values_are_sorted_numbers_first() {
        let runs = [
            run("max_concurrency,64,\n"),
            run("max_concurrency,1,\n"),
            run("max_concurrency,10,\n"),
            run("max_concurrency,1,\n"),
            run("model,x,\n"),
        ];
        assert_eq!(distinct(&runs, "max_concurrency"), ["1", "10", "64"]);
    }
}
