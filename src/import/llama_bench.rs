//! The JSON `llama-bench -o json` (or `-o jsonl`) prints: one entry per test.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::Context;
use serde::Deserialize;

use super::json::{DocumentError, FieldError, json_documents, measurement};
use super::{Imported, Shape, Source, file_record, read_source_as, sha256_hex};
use crate::results::stats::Summary;
use crate::results::{Record, Row, Value, model_slug, sanitize_gpu_name};

/// One test of a llama-bench run (the fields the result uses; others are ignored).
#[derive(Debug, Clone, Deserialize)]
pub struct Test {
    model_filename: String,
    #[serde(default)]
    model_type: String,
    #[serde(default)]
    model_size: Option<u64>,
    #[serde(default)]
    model_n_params: Option<u64>,
    #[serde(default)]
    build_commit: String,
    #[serde(default)]
    backends: String,
    #[serde(default)]
    gpu_info: String,
    #[serde(default)]
    cpu_info: String,
    n_prompt: u64,
    n_gen: u64,
    #[serde(default)]
    n_depth: u64,
    #[serde(default)]
    test_time: String,
    avg_ts: f64,
    #[serde(default)]
    stddev_ts: f64,
    #[serde(flatten)]
    settings: BTreeMap<String, serde_json::Value>,
}

/// Why llama-bench's output cannot be read as tests; `index` is an entry's place, from 1.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum LlamaBenchError {
    #[error(transparent)]
    Document(#[from] DocumentError),
    #[error("entry {index}: {error}")]
    Field { index: usize, error: FieldError },
    /// `why`: what serde says is missing or of the wrong type.
    #[error("entry {index} is not a llama-bench test: {why}")]
    NotATest { index: usize, why: String },
    #[error("entry {index}: `n_prompt`, `n_gen` and `n_depth` are all 0, so it tested nothing")]
    TestedNothing { index: usize },
}

/// Settings that change what a test measures; tests that differ in them go to separate files.
const SETTINGS: [&str; 9] = [
    "n_batch",
    "n_ubatch",
    "n_threads",
    "n_gpu_layers",
    "type_k",
    "type_v",
    "flash_attn",
    "split_mode",
    "use_mmap",
];

impl Test {
    /// `pp512`, `tg128`, `pp512_tg128`, with `_d4096` for a test at depth.
    pub fn name(&self) -> String {
        let mut parts = Vec::new();
        if self.n_prompt > 0 {
            parts.push(format!("pp{}", self.n_prompt));
        }
        if self.n_gen > 0 {
            parts.push(format!("tg{}", self.n_gen));
        }
        if self.n_depth > 0 {
            parts.push(format!("d{}", self.n_depth));
        }
        parts.join("_")
    }

    fn setting(&self, key: &str) -> String {
        match self.settings.get(key) {
            Some(serde_json::Value::String(s)) => s.clone(),
            Some(serde_json::Value::Null) | None => String::new(),
            Some(v) => v.to_string(),
        }
    }

    fn config(&self) -> Vec<String> {
        SETTINGS.iter().map(|k| self.setting(k)).collect()
    }

    /// `2025-01-31T12:34:56Z` → `20250131_123456`.
    fn timestamp(&self) -> Option<String> {
        let digits: String = self
            .test_time
            .chars()
            .filter(char::is_ascii_digit)
            .take(14)
            .collect();
        (digits.len() == 14).then(|| format!("{}_{}", &digits[..8], &digits[8..]))
    }

    /// The first GPU llama-bench saw, else the CPU.
    fn device(&self) -> Option<String> {
        [&self.gpu_info, &self.cpu_info]
            .into_iter()
            .map(|s| s.split(',').next().unwrap_or("").trim().to_string())
            .find(|s| !s.is_empty())
    }
}

/// Imports every test in `path`: one result file per model and settings, a row pair
/// (`<test>_tokens_per_second`, `<test>_stddev`) per test.
pub fn import_llama_bench(
    path: &Path,
    gpu_name: Option<&str>,
    dest: &Path,
    done: &mut Imported,
) -> anyhow::Result<()> {
    let bytes = read_source_as(path, Shape::Json)?;
    let tests = parse_tests(&bytes).map_err(|why| anyhow::anyhow!("{}: {why}", path.display()))?;
    let source = Source::new(path, path, sha256_hex(&bytes));
    // Group by model and settings, keeping the order of the file.
    let mut groups: Vec<(String, Vec<String>, Vec<Test>)> = Vec::new();
    for t in tests {
        let key = (t.model_filename.clone(), t.config());
        match groups.iter_mut().find(|g| g.0 == key.0 && g.1 == key.1) {
            Some(g) => g.2.push(t),
            None => groups.push((key.0, key.1, vec![t])),
        }
    }
    for (model, config, tests) in &groups {
        // Settings that tell this group from others of the same model go into its name.
        let varying: Vec<usize> = (0..SETTINGS.len())
            .filter(|&i| {
                groups
                    .iter()
                    .any(|(m, c, _)| m == model && c[i] != config[i])
            })
            .collect();
        let first = &tests[0];
        let gpu = gpu_name
            .map(str::to_string)
            .or_else(|| first.device())
            .with_context(|| {
                format!(
                    "{}: no gpu_info or cpu_info; pass --gpu-name",
                    path.display()
                )
            })?;
        let timestamp = tests
            .iter()
            .filter_map(Test::timestamp)
            .min()
            .with_context(|| format!("{}: no test_time for {model}", path.display()))?;
        let mut benchmark = format!("llama_bench_{}", model_slug(model));
        for &i in &varying {
            benchmark.push_str(&format!(
                "_{}_{}",
                SETTINGS[i],
                crate::results::sanitize(&config[i])
            ));
        }
        let record = Record {
            family: "llama_bench".into(),
            benchmark,
            timestamp: timestamp.clone(),
            rows: rows(first, tests, &gpu, &timestamp),
        };
        file_record(dest, &gpu, &record, &source, done)?;
    }
    Ok(())
}

/// The tests in a llama-bench output file's `bytes`; errors say what is wrong, not which file.
pub fn parse_tests(bytes: &[u8]) -> Result<Vec<Test>, LlamaBenchError> {
    let docs = json_documents(bytes)?;
    let mut tests = Vec::with_capacity(docs.len());
    for doc in docs {
        let index = doc.index;
        if doc.value.is_object() {
            for key in ["avg_ts", "stddev_ts"] {
                if let Err(error) = measurement(&doc.value, key) {
                    return Err(LlamaBenchError::Field { index, error });
                }
            }
        }
        let test: Test =
            serde_json::from_value(doc.value.clone()).map_err(|e| LlamaBenchError::NotATest {
                index,
                why: e.to_string(),
            })?;
        if test.name().is_empty() {
            return Err(LlamaBenchError::TestedNothing { index });
        }
        tests.push(test);
    }
    Ok(tests)
}

/// `models/x.gguf` → `x.gguf`: the path is the machine's, the name is the model's.
fn file_name(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

fn rows(first: &Test, tests: &[Test], gpu: &str, timestamp: &str) -> Vec<Row> {
    let mut rows = vec![
        Row::text("device", gpu),
        Row::text("device_sanitized", sanitize_gpu_name(gpu)),
        Row::text("model_name", file_name(&first.model_filename)),
        Row::text("model_type", first.model_type.as_str()),
        Row::text("timestamp", timestamp),
        Row::text("backends", first.backends.as_str()),
        Row::text("build_commit", first.build_commit.as_str()),
    ];
    if let Some(size) = first.model_size {
        rows.push(Row::measured_scaled("model_size_gb", size as f64, -9, "GB"));
    }
    if let Some(n) = first.model_n_params {
        rows.push(Row::measured("model_n_params", n as f64, ""));
    }
    for key in SETTINGS {
        let v = first.setting(key);
        if !v.is_empty() {
            rows.push(Row::new(key, Value::parse(&v), ""));
        }
    }
    // The same test twice (outputs appended to one file) is a repeat: its runs' mean, with
    // their number and spread, rather than two rows of one metric.
    let mut by_name: Vec<(String, Vec<&Test>)> = Vec::new();
    for t in tests {
        let name = t.name();
        match by_name.iter_mut().find(|(n, _)| *n == name) {
            Some((_, repeats)) => repeats.push(t),
            None => by_name.push((name, vec![t])),
        }
    }
    for (name, repeats) in by_name {
        let speeds: Vec<f64> = repeats.iter().map(|t| t.avg_ts).collect();
        let throughput = format!("{name}_tokens_per_second");
        let stddev = format!("{name}_stddev");
        if let [one] = repeats.as_slice() {
            rows.push(Row::measured(&throughput, one.avg_ts, "tok/s"));
            rows.push(Row::measured(&stddev, one.stddev_ts, "tok/s"));
            continue;
        }
        let Some(repeated) = Summary::of(&speeds) else {
            continue;
        };
        rows.push(Row::measured(&throughput, repeated.mean, "tok/s"));
        rows.push(Row::measured(
            &stddev,
            repeated.stdev.unwrap_or(0.0),
            "tok/s",
        ));
        rows.push(Row::measured(&format!("{name}_n"), repeated.n as f64, ""));
    }
    rows
}
