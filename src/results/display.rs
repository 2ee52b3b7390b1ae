//! How charts name the metrics and config fields the field's tools write, so a frame reads
//! "TTFT p50" where the file says `ttft_p50_ms`. A name not known here is shown as written.

/// Metrics whose names the latency pattern below cannot read.
const METRICS: &[(&str, &str)] = &[
    ("output_token_throughput", "Output throughput"),
    ("output_throughput", "Output throughput"),
    ("input_token_throughput", "Input throughput"),
    ("total_token_throughput", "Total throughput"),
    ("peak_output_throughput", "Peak output throughput"),
    ("request_throughput", "Request throughput"),
    ("throughput_tokens_per_s", "Throughput"),
    ("overall_throughput_tokens_per_sec", "Throughput"),
    ("gpu_throughput_tokens_per_s", "GPU throughput"),
    ("true_prompt_throughput", "Prompt throughput"),
    ("true_gen_throughput", "Generation throughput"),
    ("avg_prompt_speed", "Prompt speed"),
    ("avg_gen_speed", "Generation speed"),
    ("tokens_per_second", "Tokens per second"),
    ("images_per_second", "Images per second"),
    ("seconds_per_image", "Seconds per image"),
    ("steps_per_second", "Steps per second"),
    ("samples_per_second", "Samples per second"),
    ("train_samples_per_second", "Training samples per second"),
    ("fps", "Frames per second"),
    ("benchmark_duration", "Benchmark duration"),
    ("total_train_time", "Training time"),
    ("total_train_time_minutes", "Training time"),
    ("total_time", "Total time"),
    ("total_runtime", "Total runtime"),
    ("wall_time_s", "Wall time"),
    ("max_wall_time_s", "Longest wall time"),
    ("median_time", "Median time"),
    ("min_time", "Fastest time"),
    ("max_time", "Slowest time"),
    ("vram_gb", "VRAM"),
    ("peak_memory_gb", "Peak memory"),
    ("peak_vram_gb", "Peak VRAM"),
    ("server_memory_peak_mb", "Server memory peak"),
    ("server_memory_idle_mb", "Server memory idle"),
    ("server_memory_increase_mb", "Server memory growth"),
    ("gpu_busy_pct", "GPU busy"),
    ("gpu_utilization", "GPU utilization"),
    ("gpu_power_w", "GPU power"),
    ("energy_per_token_j", "Energy per token"),
    ("successful_requests", "Successful requests"),
    ("failed_requests", "Failed requests"),
    ("total_input_tokens", "Input tokens"),
    ("total_generated_tokens", "Generated tokens"),
    ("total_prompt_tokens", "Prompt tokens"),
    ("tokens_processed", "Tokens processed"),
    ("total_images", "Images"),
    ("total_steps", "Steps"),
    ("map50", "mAP@50"),
    ("map50_95", "mAP@50–95"),
    ("accuracy", "Accuracy"),
    ("train_loss", "Training loss"),
    ("eval_loss", "Eval loss"),
];

/// Config fields, as axis titles and in callouts.
const FIELDS: &[(&str, &str)] = &[
    ("max_concurrency", "Concurrency"),
    ("concurrency", "Concurrency"),
    ("batch_size", "Batch size"),
    ("tenants", "Tenants"),
    ("input_len", "Input length"),
    ("output_len", "Output length"),
    ("prompt_len", "Prompt length"),
    ("seq_len", "Sequence length"),
    ("num_prompts", "Prompts"),
    ("request_rate", "Request rate"),
    ("tensor_parallel_size", "Tensor parallel size"),
    ("pipeline_parallel_size", "Pipeline parallel size"),
    ("data_parallel_size", "Data parallel size"),
    ("max_num_seqs", "Max sequences in a batch"),
    ("max_num_batched_tokens", "Max batched tokens"),
    ("gpu_memory_utilization", "GPU memory share"),
    ("num_epochs", "Epochs"),
    ("inference_steps", "Inference steps"),
    ("image_size", "Image size"),
    ("model", "Model"),
    ("quantization", "Quantization"),
];

/// How a callout says where on the x axis a point is, per config field: `{x}` is its value.
const FIELD_PHRASES: &[(&str, &str)] = &[
    ("max_concurrency", "with {x} concurrent requests"),
    ("concurrency", "with {x} concurrent requests"),
    ("batch_size", "with {x} in a batch"),
    ("max_num_seqs", "with {x} sequences in a batch"),
    ("tenants", "with {x} tenants"),
    ("request_rate", "at {x} requests/s"),
    ("input_len", "with {x} tokens in"),
    ("output_len", "with {x} tokens out"),
    ("num_prompts", "over {x} prompts"),
];

/// The latency families and how they are written on a frame.
const LATENCIES: &[(&str, &str)] = &[
    ("ttft", "TTFT"),
    ("tpot", "TPOT"),
    ("itl", "ITL"),
    ("e2el", "E2E latency"),
    ("latency", "Latency"),
    ("total_latency", "Total latency"),
    ("request_latency", "Request latency"),
    ("time_to_first_token", "TTFT"),
    ("inter_token_latency", "ITL"),
    ("inter_token", "ITL"),
    ("time_per_output_token", "TPOT"),
];

/// The statistics a latency is summarised by.
const STATISTICS: &[(&str, &str)] = &[
    ("mean", "mean"),
    ("avg", "mean"),
    ("median", "median"),
    ("std", "std"),
    ("min", "min"),
    ("max", "max"),
];

/// A metric's name on a frame, when it is one of the field's well-known metrics.
pub fn metric_label(metric: &str) -> Option<String> {
    if let Some((_, label)) = METRICS.iter().find(|(id, _)| *id == metric) {
        return Some(label.to_string());
    }
    latency_label(metric)
}

/// A config field's name on a frame, when it is one of the well-known fields.
pub fn field_label(field: &str) -> Option<&'static str> {
    FIELDS
        .iter()
        .find(|(id, _)| *id == field)
        .map(|(_, label)| *label)
}

/// Where a point is, in words: "with 32 concurrent requests" for a known field, else "at
/// `axis` `x`" with the axis title lower-cased ("at image size 1024").
pub fn at_x(field: Option<&str>, axis: &str, x: &str) -> String {
    match field.and_then(|f| FIELD_PHRASES.iter().find(|(id, _)| *id == f)) {
        Some((_, phrase)) => phrase.replace("{x}", x),
        None => format!("at {} {x}", axis.to_lowercase()),
    }
}

/// `ttft_p50_ms`, `p99_itl_ms`, `mean_tpot_ms`, `tpot_median`: the family and the statistic,
/// in either order, with an optional `_ms`/`_s` unit suffix.
fn latency_label(metric: &str) -> Option<String> {
    let name = metric
        .strip_suffix("_ms")
        .or_else(|| metric.strip_suffix("_s"))
        .unwrap_or(metric);
    let statistic = |s: &str| -> Option<String> {
        if let Some((_, word)) = STATISTICS.iter().find(|(id, _)| *id == s) {
            return Some(word.to_string());
        }
        let digits = s.strip_prefix('p')?;
        let percentile = !digits.is_empty()
            && digits.len() <= 4
            && digits.bytes().all(|b| b.is_ascii_digit() || b == b'.');
        percentile.then(|| s.to_string())
    };
    LATENCIES.iter().find_map(|(family, word)| {
        let stat = name
            .strip_prefix(family)
            .and_then(|rest| rest.strip_prefix('_'))
            .or_else(|| {
                name.strip_suffix(family)
                    .and_then(|rest| rest.strip_suffix('_'))
            })?;
        statistic(stat).map(|s| format!("{word} {s}"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latencies_read_in_either_order_with_or_without_a_unit() {
        let label = |m: &str| metric_label(m);
        assert_eq!(label("ttft_p50_ms").as_deref(), Some("TTFT p50"));
        assert_eq!(label("p99_itl_ms").as_deref(), Some("ITL p99"));
        assert_eq!(label("mean_tpot_ms").as_deref(), Some("TPOT mean"));
        assert_eq!(label("tpot_median").as_deref(), Some("TPOT median"));
        assert_eq!(label("e2el_p99").as_deref(), Some("E2E latency p99"));
        assert_eq!(label("latency_p95_ms").as_deref(), Some("Latency p95"));
        assert_eq!(
            label("total_latency_p99_ms").as_deref(),
            Some("Total latency p99")
        );
        assert_eq!(label("ttft_p99.9_ms").as_deref(), Some("TTFT p99.9"));
    }

    #[test]
    fn known_metrics_have_their_names_and_others_none() {
        assert_eq!(
            metric_label("output_token_throughput").as_deref(),
            Some("Output throughput")
        );
        assert_eq!(metric_label("ttft_pizza_ms"), None);
        assert_eq!(metric_label("my_metric"), None);
        assert_eq!(metric_label("ttft"), None);
        assert_eq!(field_label("max_concurrency"), Some("Concurrency"));
        assert_eq!(field_label("my_knob"), None);
        assert_eq!(
            at_x(Some("max_concurrency"), "Concurrent requests", "32"),
            "with 32 concurrent requests"
        );
        assert_eq!(
            at_x(Some("image_size"), "Image size", "1024"),
            "at image size 1024"
        );
        assert_eq!(at_x(None, "Time (s)", "3"), "at time (s) 3");
    }
}
