//! The JSON `vllm bench serve --save-result` writes.

use std::path::Path;

use anyhow::Context;
use serde_json::Value as Json;

use super::{Imported, file_record, number, read_json_values};
use crate::results::{Record, Row, Value, Warning, model_slug, sanitize_gpu_name};

/// Imports every result in `path` (one, or several with `--append-result`) for `gpu_name`
/// (else the file's `device` metadata) into `dest`, recording in `done` what it wrote (also
/// when it then fails).
pub fn import_vllm_json(
    path: &Path,
    gpu_name: Option<&str>,
    dest: &Path,
    done: &mut Imported,
) -> anyhow::Result<()> {
    for (i, value) in read_json_values(path)?.iter().enumerate() {
        let at = || format!("{}: result {}", path.display(), i + 1);
        let gpu = gpu_name
            .map(str::to_string)
            .or_else(|| text(value, "device"))
            .with_context(|| {
                format!("{}: the file does not name the GPU; pass --gpu-name", at())
            })?;
        let mut left_out = Vec::new();
        let record = to_record(value, &gpu, &mut left_out).with_context(at)?;
        done.warnings
            .extend(left_out.into_iter().map(|why| Warning {
                path: path.to_path_buf(),
                line: None,
                message: format!("result {}: {why}; left out", i + 1),
            }));
        file_record(dest, &gpu, &record, done)?;
    }
    Ok(())
}

fn text(v: &Json, key: &str) -> Option<String> {
    match v.get(key)? {
        Json::String(s) => Some(s.clone()),
        Json::Number(n) => Some(n.to_string()),
        Json::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn to_record(v: &Json, gpu: &str, left_out: &mut Vec<String>) -> anyhow::Result<Record> {
    if !v.is_object() {
        anyhow::bail!("not a JSON object");
    }
    // A figure that is there but not a number is told, not taken for missing.
    let mut num = |key: &str| {
        number(v, key).unwrap_or_else(|why| {
            left_out.push(why);
            None
        })
    };
    let model = text(v, "model_id").context("no `model_id`")?;
    let date = text(v, "date").context("no `date`")?;
    let timestamp = date.replace('-', "_");
    if !crate::results::name::is_timestamp(&timestamp) {
        anyhow::bail!("`date` is `{date}`, expected YYYYMMDD-HHMMSS");
    }
    let duration = number(v, "duration")
        .map_err(anyhow::Error::msg)?
        .context("no `duration`")?;
    let test_type = text(v, "test_type").unwrap_or_else(|| "text_only".into());
    let num_prompts = num("num_prompts");

    let mut rows: Vec<Row> = vec![
        Row::text("device", gpu),
        Row::text("device_sanitized", sanitize_gpu_name(gpu)),
        Row::text("model", model.clone()),
        Row::text("timestamp", timestamp.clone()),
        Row::text("test_type", test_type.clone()),
    ];
    if let Some(rate) = v.get("request_rate") {
        let rate = match rate {
            Json::Number(n) => n.to_string(),
            // `inf` is how vLLM saves "all at once" (`Infinity` from a bare number).
            Json::String(s) if s.trim().parse::<f64>() == Ok(f64::INFINITY) => "inf".into(),
            Json::String(s) => s.clone(),
            _ => "inf".into(),
        };
        rows.push(Row::new("request_rate", Value::parse(&rate), "req/s"));
    }
    let mut add = |metric: &str, value: Option<f64>, decimals: usize, unit: &str| {
        if let Some(x) = value {
            rows.push(Row::number(metric, x, decimals, unit));
        }
    };
    add("num_prompts", num_prompts, 0, "");
    add("max_concurrency", num("max_concurrency"), 0, "");
    // Settings vLLM does not save itself arrive as `--metadata KEY=VALUE`.
    add("num_warmups", num("num_warmups"), 0, "");
    add(
        "input_len",
        num("input_len").or(num("random_input_len")),
        0,
        "tokens",
    );
    add(
        "output_len",
        num("output_len").or(num("random_output_len")),
        0,
        "tokens",
    );
    add(
        "range_ratio",
        num("range_ratio").or(num("random_range_ratio")),
        2,
        "",
    );
    add("seed", num("seed"), 0, "");
    let input = num("total_input_tokens");
    add("successful_requests", num("completed"), 0, "");
    add("failed_requests", num("failed"), 0, "");
    add("benchmark_duration", Some(duration), 2, "s");
    add("total_input_tokens", input, 0, "tokens");
    add(
        "total_generated_tokens",
        num("total_output_tokens"),
        0,
        "tokens",
    );
    add("request_throughput", num("request_throughput"), 2, "req/s");
    add(
        "output_token_throughput",
        num("output_throughput"),
        2,
        "tok/s",
    );
    add(
        "input_token_throughput",
        input.filter(|_| duration > 0.0).map(|i| i / duration),
        2,
        "tok/s",
    );
    add(
        "peak_output_throughput",
        num("max_output_tokens_per_s"),
        2,
        "tok/s",
    );
    add(
        "peak_concurrent_requests",
        num("max_concurrent_requests"),
        0,
        "",
    );
    add(
        "total_token_throughput",
        num("total_token_throughput"),
        2,
        "tok/s",
    );
    for m in ["ttft", "tpot", "itl", "e2el"] {
        add(&format!("{m}_mean"), num(&format!("mean_{m}_ms")), 2, "ms");
        add(
            &format!("{m}_median"),
            num(&format!("median_{m}_ms")),
            2,
            "ms",
        );
        add(&format!("{m}_p99"), num(&format!("p99_{m}_ms")), 2, "ms");
    }
    let samples = num_prompts.map_or(String::new(), |n| format!("_samples_{n}"));
    Ok(Record {
        family: "vLLM".into(),
        benchmark: format!(
            "vLLM_{}_{}{samples}",
            model_slug(&model),
            crate::results::sanitize(&test_type)
        ),
        timestamp,
        rows,
    })
}
