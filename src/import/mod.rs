//! Every importer: result files from elsewhere (`import results`) and what other tools saved
//! (`vllm bench serve`, `llama-bench`), turned into result files in the usual place and format.

mod llama_bench;
mod results;
mod vllm_json;

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use anyhow::Context;
use serde_json::Value as Json;

use crate::results::{Record, Warning, sanitize_gpu_name};

pub use llama_bench::import_llama_bench;
pub use results::import_results;
pub use vllm_json::import_vllm_json;

/// What an import did.
#[derive(Debug, Default)]
pub struct Imported {
    pub written: Vec<PathBuf>,
    /// Runs already in the results folder.
    pub skipped: Vec<PathBuf>,
    /// Files or rows that could not be read; the rest was imported.
    pub warnings: Vec<Warning>,
}

/// Every JSON value in a file: one document, a JSON array's items, or JSON lines
/// (`--append-result`, `-o jsonl`). The bare `NaN`, `Infinity` and `-Infinity` Python's
/// `json` writes (and C's `nan`, `inf`) are read as strings, so the number they stand for is
/// refused by name rather than the whole file as invalid JSON.
fn read_json_values(path: &Path) -> anyhow::Result<Vec<Json>> {
    let size = std::fs::metadata(path)
        .with_context(|| format!("cannot read `{}`", path.display()))?
        .len();
    if size > 256 * 1024 * 1024 {
        anyhow::bail!(
            "`{}` is {} MB; not a benchmark result",
            path.display(),
            size / 1_000_000
        );
    }
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read `{}`", path.display()))?;
    let text = quote_non_finite(&text);
    let mut values = Vec::new();
    for value in serde_json::Deserializer::from_str(&text).into_iter::<Json>() {
        match value.with_context(|| format!("`{}` is not valid JSON", path.display()))? {
            Json::Array(items) => values.extend(items),
            other => values.push(other),
        }
    }
    if values.is_empty() {
        anyhow::bail!("`{}` holds no JSON", path.display());
    }
    Ok(values)
}

/// Files `record` under `dest/<GPU>/` unless that run is already there.
fn file_record(dest: &Path, gpu: &str, record: &Record, done: &mut Imported) -> anyhow::Result<()> {
    let gpu = sanitize_gpu_name(gpu);
    let path = record.path(dest, &gpu);
    if path.exists() {
        done.skipped.push(path);
        return Ok(());
    }
    done.written.push(record.write(dest, &gpu)?);
    Ok(())
}

/// `text` with every bare non-finite number outside strings (`NaN`, `-Infinity`, `nan`,
/// `inf`, ...) put in quotes. Nothing else changes: elsewhere in JSON a bare word is `true`,
/// `false` or `null`, or invalid anyway.
fn quote_non_finite(text: &str) -> Cow<'_, str> {
    let bytes = text.as_bytes();
    let mut out = String::new();
    let mut copied = 0;
    let (mut in_string, mut escaped) = (false, false);
    // The last byte outside strings that was not white space: a value starts after `[`, `,`,
    // `:` or at the start, never inside a number such as `1e5`.
    let mut before = b'[';
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            i += 1;
            continue;
        }
        if b == b'"' {
            in_string = true;
        } else if matches!(before, b'[' | b',' | b':') && (b == b'-' || b.is_ascii_alphabetic()) {
            let letters = i + usize::from(b == b'-');
            let end = letters
                + bytes[letters..]
                    .iter()
                    .take_while(|c| c.is_ascii_alphabetic())
                    .count();
            let word = text[letters..end].to_ascii_lowercase();
            if matches!(word.as_str(), "nan" | "inf" | "infinity") {
                out.push_str(&text[copied..i]);
                out.push('"');
                out.push_str(&text[i..end]);
                out.push('"');
                copied = end;
            }
            before = b'0';
            i = end.max(i + 1);
            continue;
        }
        if !b.is_ascii_whitespace() {
            before = b;
        }
        i += 1;
    }
    if copied == 0 {
        return Cow::Borrowed(text);
    }
    out.push_str(&text[copied..]);
    Cow::Owned(out)
}

/// The number under `key`: `None` when absent or `null`; an error naming the key and the value
/// when it is not a finite number (`NaN`, `inf`, `"fast"`, `true`). Numbers written as strings,
/// as `--metadata KEY=VALUE` saves them, count.
fn number(value: &Json, key: &str) -> Result<Option<f64>, String> {
    let invalid = |shown: &str, what: &str| Err(format!("`{key}` is `{shown}`, {what}"));
    match value.get(key) {
        None | Some(Json::Null) => Ok(None),
        Some(Json::Number(n)) => match n.as_f64() {
            Some(x) if x.is_finite() => Ok(Some(x)),
            _ => invalid(&n.to_string(), "not a finite number"),
        },
        Some(Json::String(s)) => match s.trim().parse::<f64>() {
            Ok(x) if x.is_finite() => Ok(Some(x)),
            Ok(_) => invalid(s, "not a finite number"),
            Err(_) => invalid(s, "not a number"),
        },
        Some(other) => invalid(&other.to_string(), "not a number"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn quotes_bare_non_finite_numbers_only() {
        assert_eq!(
            quote_non_finite(r#"{"a": NaN, "b": -Infinity, "c":[inf, -nan], "d": 1e5}"#),
            r#"{"a": "NaN", "b": "-Infinity", "c":["inf", "-nan"], "d": 1e5}"#
        );
        let untouched = r#"{"s": "NaN, \"inf\"", "t": true, "n": null, "x": -2.5E-3}"#;
        assert!(matches!(quote_non_finite(untouched), Cow::Borrowed(_)));
        assert!(matches!(quote_non_finite("[1,2]\n[3]"), Cow::Borrowed(_)));
    }

    #[test]
    fn numbers_must_be_finite() {
        let v = json!({"a": 1.5, "b": "2", "c": "NaN", "d": "inf", "e": "fast", "f": null,
                       "g": true});
        assert_eq!(number(&v, "a"), Ok(Some(1.5)));
        assert_eq!(number(&v, "b"), Ok(Some(2.0)));
        assert_eq!(number(&v, "f"), Ok(None));
        assert_eq!(number(&v, "missing"), Ok(None));
        assert_eq!(
            number(&v, "c"),
            Err("`c` is `NaN`, not a finite number".into())
        );
        assert_eq!(
            number(&v, "d"),
            Err("`d` is `inf`, not a finite number".into())
        );
        assert_eq!(number(&v, "e"), Err("`e` is `fast`, not a number".into()));
        assert_eq!(number(&v, "g"), Err("`g` is `true`, not a number".into()));
    }
}
