//! What the program knows about metrics: which way is better.
//!
//! A metric's direction comes from, in order, the catalog (`metrics.toml`, see
//! [`super::catalog`]), its name and its unit. When none of them can tell, the metric has no
//! direction, and charts and reports say nothing about which value is better rather than guess.
//!
//! Names are read as lower-case words split at anything that is not a letter or digit, so
//! `mean_ttft_ms`, `vllm:time_to_first_token_seconds` and `llamacpp:prompt_tokens_seconds`
//! are read alike.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    Higher,
    Lower,
}

impl Direction {
    /// Which way is better for `metric` measured in `unit`, as benchmark tools name and measure
    /// them; `None` for counts, settings, timestamps, spreads, utilisation and names the rules
    /// do not know.
    pub fn of(metric: &str, unit: &str) -> Option<Direction> {
        let name = metric.to_lowercase();
        let words: Vec<&str> = name
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect();
        if words.is_empty() || says_nothing(&words) {
            return None;
        }
        if higher_by_name(&words) {
            return Some(Direction::Higher);
        }
        if counts(&words) {
            return None;
        }
        match memory(&words) {
            Some(direction) => return direction,
            None if lower_by_name(&words) => return Some(Direction::Lower),
            None => {}
        }
        by_unit(unit)
    }

    /// True when `a` is better than `b` in this direction.
    pub fn better(self, a: f64, b: f64) -> bool {
        match self {
            Direction::Higher => a > b,
            Direction::Lower => a < b,
        }
    }

    pub fn arrow_phrase(self) -> &'static str {
        match self {
            Direction::Higher => "↑ Higher is better",
            Direction::Lower => "↓ Lower is better",
        }
    }

    /// `higher` or `lower`, as scene and catalog files spell it.
    pub fn word(self) -> &'static str {
        match self {
            Direction::Higher => "higher",
            Direction::Lower => "lower",
        }
    }
}

/// Units of time, as words in names (`_ms`, `_seconds`) and as units (`ms`, `s`).
const TIME_UNITS: [&str; 19] = [
    "ns", "us", "µs", "μs", "ms", "s", "sec", "secs", "second", "seconds", "min", "mins", "minute",
    "minutes", "h", "hr", "hrs", "hour", "hours",
];
/// What a rate written as two words counts: `tok_s`, `images_s`, `prompt_tokens_seconds`.
/// Plural or abbreviated only: `time_to_first_token_seconds` is a time.
const COUNTED: [&str; 12] = [
    "tokens", "tok", "requests", "req", "images", "img", "samples", "it", "steps", "frames",
    "queries", "forwards",
];
/// Units of energy and power a rate may be per: `tok/J`, `tokens_per_joule`, `images_per_watt`.
const ENERGY_UNITS: [&str; 8] = ["j", "joule", "joules", "kwh", "wh", "w", "watt", "watts"];
/// Statistics a name may start with before its unit: `avg_ms`, `p99_ms`, `avg_ts`.
fn statistic(word: &str) -> bool {
    matches!(word, "avg" | "mean" | "median" | "min" | "max")
        || word
            .strip_prefix('p')
            .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
}

/// Names that are not a measure of how well something ran, whatever their unit says.
fn says_nothing(words: &[&str]) -> bool {
    let last = words[words.len() - 1];
    let any = |set: &[&str]| words.iter().any(|w| set.contains(w));
    // Timestamps and moments: `timestamp`, `timestamp_original`, `run_end`, `start_time`.
    words.iter().any(|w| w.starts_with("timestamp"))
        || any(&["date", "datetime", "epoch", "start", "end", "started", "finished"])
            && !any(&["latency", "duration", "e2e"])
        // Settings: `batch_size`, `model_size_gb`, `seq_len`, `output_sequence_length` (but
        // not sglang's `accept_length`), `max_concurrency`, `tensor_parallel_size`,
        // `request_rate` (the offered load, in req/s), `power_limit_w`. sglang's measured
        // `concurrency` is how many requests were in flight on average: a consequence, not a
        // score.
        || any(&["size"])
        || matches!(last, "len" | "length") && !any(&["accept", "acceptance"])
        || any(&["concurrency", "concurrent", "parallel", "parallelism", "limit", "seed"])
        || words == ["request", "rate"]
        // Spreads: `std_ttft_ms`, llama-bench's `stddev_ts`. How steady a figure is, not which
        // value is better; a chart of them states its direction.
        || any(&["std", "stddev", "stdev", "variance"])
        // Utilisation: `gpu_utilization`, `gpu_util_mean`, `gpu_busy_pct`. A busier GPU is not
        // a better one: it may be doing more work, or waiting less, or be slower.
        || any(&["util", "utilization", "utilisation", "busy", "occupancy"])
}

/// Counts: `num_prompts`, `n_gpu_layers`, `request_count`, `total_input_tokens`,
/// `failed_requests`, `max_concurrent_requests`. A count says what was run, not how well; a
/// rate of them (`throughput_tokens`, `num_tokens_per_s`) is caught as higher first.
fn counts(words: &[&str]) -> bool {
    matches!(words[0], "num" | "n")
        || words.iter().any(|w| matches!(*w, "count" | "counts"))
        || matches!(
            words[words.len() - 1],
            "tokens"
                | "requests"
                | "prompts"
                | "images"
                | "samples"
                | "steps"
                | "epochs"
                | "iterations"
                | "iters"
                | "layers"
                | "parameters"
                | "params"
                | "seqs"
                | "sequences"
                | "forwards"
                | "pixels"
                | "warmups"
                | "runs"
                | "completed"
                | "failed"
                | "retokenized"
        )
}

/// Names of things that are better when bigger.
fn higher_by_name(words: &[&str]) -> bool {
    let any = |set: &[&str]| words.iter().any(|w| set.contains(w));
    let last = words[words.len() - 1];
    // Throughput and goodput (`output_throughput`, `request_goodput`), speeds and speedups,
    // bandwidth, efficiency (`energy_efficiency`: Higher wins over the energy word).
    words.iter().any(|w| w.contains("throughput") || w.contains("goodput"))
        || any(&["speed", "speedup", "bandwidth", "efficiency"])
        // Quality: `accuracy`, `mAP`, `map50_95`, `f1`, `precision`, `recall`.
        || any(&["accuracy", "f1", "precision", "recall"])
        || words.iter().any(|w| {
            w.strip_prefix("map")
                .is_some_and(|n| n.chars().all(|c| c.is_ascii_digit()))
        })
        // Speculative decoding: sglang's `accept_length`, `acceptance_rate`.
        || any(&["accept", "acceptance"])
        // Rates named as such: `tps`, `qps`, `rps`, `fps`; llama-bench's `avg_ts` (tokens/s).
        || any(&["tps", "qps", "rps", "fps"])
        || words.len() == 2 && statistic(words[0]) && last == "ts"
        // `X_per_second`, `output_tokens_per_s_per_user`, `tokens_per_joule`, `perf_per_watt`.
        || words.windows(3).any(|w| {
            w[1] == "per"
                && !TIME_UNITS.contains(&w[0])
                && (TIME_UNITS.contains(&w[2]) || ENERGY_UNITS.contains(&w[2]))
        })
        // `tok_s`, and llama-server's `prompt_tokens_seconds`, `predicted_tokens_seconds`
        // (average tokens per second).
        || words
            .windows(2)
            .any(|w| COUNTED.contains(&w[0]) && TIME_UNITS.contains(&w[1]))
}

/// Memory: `memory_usage`, `gpu_mem_used_peak_gb`, `peak_vram_gb` are better when smaller
/// (`Some(Some(Lower))`); `vram_gb`, `gpu_total_memory`, `memory_gb` say how much the GPU or a
/// setting has (`Some(None)`). `None`: the name is not about memory.
fn memory(words: &[&str]) -> Option<Option<Direction>> {
    let any = |set: &[&str]| words.iter().any(|w| set.contains(w));
    if any(&["rss"]) {
        return Some(Some(Direction::Lower));
    }
    if !any(&["memory", "mem", "vram", "hbm"]) {
        return None;
    }
    let used = any(&[
        "usage",
        "used",
        "use",
        "peak",
        "max",
        "allocated",
        "alloc",
        "reserved",
        "consumption",
        "consumed",
        "footprint",
    ]);
    let capacity = any(&["total", "capacity", "available", "free"]);
    Some((used && !capacity).then_some(Direction::Lower))
}

/// Names of things that are better when smaller.
fn lower_by_name(words: &[&str]) -> bool {
    let any = |set: &[&str]| words.iter().any(|w| set.contains(w));
    let last = words[words.len() - 1];
    // Times: `total_time`, `benchmark_duration`, `request_latency`, `total_runtime`,
    // `time_elapsed`, `seconds_per_image`, `time_per_output_token`.
    any(&["time", "times", "duration", "latency", "latencies", "runtime", "elapsed", "seconds"])
        // LLM serving latencies: time to first token, time per output token, inter-token
        // latency, end-to-end latency (vLLM's `mean_ttft_ms`, `p99_itl_ms`, `median_e2el_ms`).
        || any(&["ttft", "tpot", "itl", "e2el"])
        || words.windows(2).any(|w| {
            matches!(w[0], "inter" | "first" | "next" | "second") && w[1] == "token"
        })
        // A duration in a unit: `avg_ms`, `p99_ms`, `inter_token_p50_ms`, llama-bench's
        // `avg_ns`, `wall_s`. (`min` and `h` are left out: `throughput_min` is a statistic.)
        || words.len() > 1
            && TIME_UNITS.contains(&last)
            && !matches!(last, "min" | "h")
        // Energy, power and heat for the same work: `energy_j`, `power_mean_w`, `gpu_temp_max_c`.
        || any(&["energy", "joules", "power", "watts", "temp", "temperature"])
        || words.len() > 1 && matches!(last, "j" | "kj" | "wh" | "kwh" | "w")
        // Training: `train_loss`, `eval_perplexity`.
        || any(&["loss", "perplexity", "ppl"])
}

/// What the unit says when the name says nothing: times are better short, rates high,
/// energy and power low. Sizes (`GB`, `MB`), shares (`%`) and counts say nothing: a model's size
/// in GB is not a memory measurement, and memory use is known by its name.
fn by_unit(unit: &str) -> Option<Direction> {
    let unit = unit.trim().to_lowercase();
    let unit = unit.replace(" per ", "/");
    if unit.is_empty() {
        return None;
    }
    let time = |u: &str| TIME_UNITS.contains(&u.trim());
    if time(&unit) {
        return Some(Direction::Lower);
    }
    if matches!(unit.as_str(), "tps" | "qps" | "rps" | "fps") {
        return Some(Direction::Higher);
    }
    if matches!(unit.as_str(), "j" | "kj" | "wh" | "kwh" | "w" | "kw" | "mw") {
        return Some(Direction::Lower);
    }
    let (numerator, denominator) = unit.split_once('/')?;
    let denominator = denominator.split('/').next().unwrap_or_default().trim();
    if time(numerator) {
        // `s/img`, `ms/token`, `s/it`: time per thing.
        Some(Direction::Lower)
    } else if time(denominator) || ENERGY_UNITS.contains(&denominator) {
        // `tok/s`, `req/s`, `images/s`, `it/s`, `samples/s`, `tokens/s/user`, `tok/J`.
        Some(Direction::Higher)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::Direction::{self, *};

    #[test]
    fn knows_which_way_is_better() {
        let cases = [
            ("true_prompt_throughput", Some(Higher)),
            ("output_token_throughput", Some(Higher)),
            ("images_per_second", Some(Higher)),
            ("avg_gen_speed", Some(Higher)),
            ("inference_tokens_per_second", Some(Higher)),
            ("total_time", Some(Lower)),
            ("benchmark_duration", Some(Lower)),
            ("ttft_p99", Some(Lower)),
            ("tpot_mean", Some(Lower)),
            ("itl_median", Some(Lower)),
            ("e2el_mean", Some(Lower)),
            ("seconds_per_image", Some(Lower)),
            ("total_train_time", Some(Lower)),
            ("total_runtime", Some(Lower)),
            ("timestamp", None),
            ("num_prompts", None),
            ("batch_size", None),
            ("total_input_tokens", None),
        ];
        for (m, want) in cases {
            assert_eq!(Direction::of(m, ""), want, "{m}");
        }
        assert!(Higher.better(2.0, 1.0));
        assert!(Lower.better(1.0, 2.0));
    }

    /// Metric names and units as the field's tools write them, each with the direction a reader
    /// of a chart of it expects (`None`: the chart must say).
    fn expect(cases: &[(&str, &str, Option<Direction>)]) {
        let wrong: Vec<String> = cases
            .iter()
            .filter(|(m, u, d)| Direction::of(m, u) != *d)
            .map(|(m, u, d)| format!("{m} [{u}]: {:?}, expected {d:?}", Direction::of(m, u)))
            .collect();
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }

    const H: Option<Direction> = Some(Higher);
    const L: Option<Direction> = Some(Lower);

    /// vLLM `vllm bench serve --save-result` JSON keys.
    #[test]
    fn vllm_bench_serve_keys() {
        expect(&[
            ("request_throughput", "req/s", H),
            ("output_throughput", "tok/s", H),
            ("total_token_throughput", "tok/s", H),
            ("request_goodput", "req/s", H),
            ("goodput", "", H),
            ("max_output_tokens_per_s", "tok/s", H),
            ("mean_ttft_ms", "ms", L),
            ("median_ttft_ms", "ms", L),
            ("p99_ttft_ms", "ms", L),
            ("median_tpot_ms", "ms", L),
            ("mean_itl_ms", "ms", L),
            ("p99_itl_ms", "ms", L),
            ("mean_e2el_ms", "ms", L),
            ("std_ttft_ms", "ms", None),
            ("duration", "s", L),
            ("completed", "", None),
            ("failed", "", None),
            ("total_input_tokens", "", None),
            ("total_output_tokens", "", None),
            ("max_concurrent_requests", "", None),
            ("max_concurrency", "", None),
            ("num_prompts", "", None),
            ("request_rate", "req/s", None),
        ]);
    }

    /// vLLM's Prometheus names.
    #[test]
    fn vllm_prometheus_names() {
        expect(&[
            ("vllm:time_to_first_token_seconds", "", L),
            ("vllm:e2e_request_latency_seconds", "", L),
        ]);
    }

    /// llama-bench (`-o json`), and what `import llama-bench` writes.
    #[test]
    fn llama_bench_and_its_import() {
        expect(&[
            ("avg_ts", "t/s", H),
            ("avg_ns", "ns", L),
            ("stddev_ts", "t/s", None),
            ("stddev_ns", "ns", None),
            ("pp512_tokens_per_second", "tok/s", H),
            ("pp512_stddev", "tok/s", None),
            ("model_size_gb", "GB", None),
            ("n_gpu_layers", "", None),
        ]);
    }

    /// llama-server `/metrics`.
    #[test]
    fn llama_server_metrics() {
        expect(&[
            ("llamacpp:prompt_tokens_seconds", "", H),
            ("predicted_tokens_seconds", "", H),
            ("prompt_tokens_seconds", "", H),
            ("prompt_seconds_total", "", L),
            ("tokens_predicted_total", "", None),
            ("kv_cache_usage_ratio", "", None),
            ("requests_processing", "", None),
        ]);
    }

    /// sglang `bench_serving`.
    #[test]
    fn sglang_bench_serving_keys() {
        expect(&[
            ("median_e2e_latency_ms", "ms", L),
            ("mean_e2e_latency_ms", "ms", L),
            ("input_throughput", "tok/s", H),
            ("output_throughput", "tok/s", H),
            ("total_throughput", "tok/s", H),
            ("concurrency", "", None),
            ("accept_length", "", H),
        ]);
    }

    /// aiperf / genai-perf.
    #[test]
    fn aiperf_and_genai_perf_names() {
        expect(&[
            ("time_to_first_token", "ms", L),
            ("time_to_second_token", "ms", L),
            ("inter_token_latency", "ms", L),
            ("request_latency", "ms", L),
            ("output_token_throughput_per_user", "tokens/sec/user", H),
            ("output_token_throughput", "tokens/sec", H),
            ("request_count", "requests", None),
            ("output_sequence_length", "tokens", None),
            ("input_sequence_length", "tokens", None),
        ]);
    }

    /// The workflows benchanim charts: exo, llm-on-ray, model comparison, multi-tenant
    /// MPS, and the runner's own GPU telemetry.
    #[test]
    fn the_workflows_benchanim_charts() {
        expect(&[
            ("memory_usage", "MB", L),
            ("latency", "s", L),
            ("tokens_per_second", "", H),
            ("avg_latency_first_token", "s", L),
            ("avg_latency_next_token", "s", L),
            ("avg_first_token_latency", "", L),
            ("avg_next_token_latency", "", L),
            ("input_tokens_length", "", None),
            ("overall_throughput_tokens_per_sec", "", H),
            ("throughput_tokens_per_s", "", H),
            ("gpu_throughput_tokens_per_s", "", H),
            ("output_tokens_per_s_per_user", "", H),
            ("output_throughput_tokens_per_s", "", H),
            ("total_latency_p50_ms", "", L),
            ("total_latency_p99_ms", "", L),
            ("ttft_p50_ms", "", L),
            ("ttft_p99_ms", "", L),
            ("inter_token_p50_ms", "", L),
            ("inter_token_p99_ms", "", L),
            ("latency_p90_ms", "", L),
            ("avg_ms", "", L),
            ("p50_ms", "", L),
            ("p99_ms", "", L),
            ("avg_ms", "ms", L),
            ("wall_time_s", "", L),
            ("time_per_step", "", L),
            ("seconds_per_sample", "", L),
            ("gpu_utilization", "%", None),
            ("gpu_utilization_pct", "", None),
            ("gpu_util_mean", "%", None),
            ("gpu_util_max", "%", None),
            ("gpu_busy_pct", "%", None),
            ("gpu_mem_used_peak_gb", "GB", L),
            ("peak_mem", "", L),
            ("max_mem", "", L),
            ("energy_j", "J", L),
            ("power_mean_w", "W", L),
            ("power_max_w", "W", L),
            ("gpu_temp_max_c", "°C", L),
            ("tokens_per_joule", "tok/J", H),
            ("tokens_processed", "", None),
            ("vram_gb", "GB", None),
            ("gpu_total_memory", "GB", None),
            ("batch_size", "", None),
            ("seq_len", "", None),
            ("tensor_parallel_size", "", None),
            ("timestamp", "", None),
            ("timestamp_original", "", None),
            ("run_end", "", None),
            ("sweep_id", "", None),
            ("source_sha256", "", None),
            ("tenants", "", None),
        ]);
    }

    /// Training, image generation and detection.
    #[test]
    fn training_image_and_detection_names() {
        expect(&[
            ("speedup", "×", H),
            ("accuracy", "%", H),
            ("mAP", "", H),
            ("map50_95", "", H),
            ("train_loss", "", L),
            ("total_train_time_minutes", "minutes", L),
            ("dit_forwards_per_second", "forwards/s", H),
            ("steps_per_second", "steps/s", H),
            ("learning_rate", "", None),
            ("total_parameters_millions", "M", None),
        ]);
    }

    /// The unit decides when the name cannot.
    #[test]
    fn the_unit_decides_when_the_name_cannot() {
        expect(&[
            ("prefill", "ms", L),
            ("decode", "tok/s", H),
            ("gen", "s/img", L),
            ("draw", "W", L),
            ("spent", "Wh", L),
            ("efficiency_score", "tok/J", H),
            ("score", "", None),
            ("size_on_disk", "MiB", None),
            ("", "ms", None),
        ]);
    }
}
