//! A multi-tenant experiment's own figures, the same whether `bench experiment` measured it or
//! the multitenant importer read its logs.

use super::Row;

/// An experiment's own figures: the GPU's throughput (every tenant's tokens over the longest
/// tenant's time, when both are known), that longest time, and the worst p99 latency.
pub fn figures(tokens: Option<f64>, longest_s: f64, worst_p99_ms: Option<f64>) -> Vec<Row> {
    let mut rows = Vec::new();
    if let Some(tokens) = tokens.filter(|_| longest_s > 0.0) {
        rows.push(Row::measured(
            "gpu_throughput_tokens_per_s",
            tokens / longest_s,
            "tok/s",
        ));
    }
    rows.push(Row::measured("max_wall_time_s", longest_s, "s"));
    if let Some(worst) = worst_p99_ms.filter(|w| w.is_finite()) {
        rows.push(Row::measured("max_latency_p99_ms", worst, "ms"));
    }
    rows
}
