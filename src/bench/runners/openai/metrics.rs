//! Serving metrics, computed from the requests exactly as `vllm bench serve` computes them.

use super::request::Completion;
use crate::bench::driver::Timed;
use crate::bench::driver::summary::Summary;
use crate::results::Row;
use crate::results::stats;

/// Mean, median and 99th percentile, in milliseconds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Spread {
    pub mean: f64,
    pub median: f64,
    pub p99: f64,
}

impl Spread {
    fn of_seconds(values: &[f64]) -> Spread {
        Spread {
            mean: stats::mean(values) * 1000.0,
            median: stats::median_interpolated(values) * 1000.0,
            p99: stats::percentile(values, 99.0) * 1000.0,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ServeMetrics {
    pub successful: usize,
    pub failed: usize,
    pub duration: f64,
    pub total_input: u64,
    pub total_output: u64,
    pub request_throughput: f64,
    pub output_throughput: f64,
    pub input_throughput: f64,
    pub total_token_throughput: f64,
    pub peak_output_throughput: f64,
    pub peak_concurrent: usize,
    pub ttft: Spread,
    pub tpot: Spread,
    pub itl: Spread,
    pub e2el: Spread,
}

impl ServeMetrics {
    /// `duration` is the measured run's wall time in seconds; it must be positive.
    pub fn compute(done: &[Timed<Completion>], failed: usize, duration: f64) -> ServeMetrics {
        let mut ttfts = Vec::with_capacity(done.len());
        let mut tpots = Vec::new();
        let mut itls = Vec::new();
        let mut e2els = Vec::with_capacity(done.len());
        let (mut total_input, mut total_output) = (0u64, 0u64);
        for t in done {
            let c = &t.outcome;
            total_input += c.prompt_tokens;
            total_output += c.output_tokens;
            // TPOT only exists past the first token.
            if c.output_tokens > 1 {
                tpots.push((c.latency - c.ttft) / (c.output_tokens - 1) as f64);
            }
            itls.extend_from_slice(&c.itl);
            ttfts.push(c.ttft);
            e2els.push(c.latency);
        }
        let duration = duration.max(f64::MIN_POSITIVE);
        ServeMetrics {
            successful: done.len(),
            failed,
            duration,
            total_input,
            total_output,
            request_throughput: done.len() as f64 / duration,
            output_throughput: total_output as f64 / duration,
            input_throughput: total_input as f64 / duration,
            total_token_throughput: (total_input + total_output) as f64 / duration,
            peak_output_throughput: peak_chunks_per_second(done),
            peak_concurrent: peak_concurrency(done),
            ttft: Spread::of_seconds(&ttfts),
            tpot: Spread::of_seconds(&tpots),
            itl: Spread::of_seconds(&itls),
            e2el: Spread::of_seconds(&e2els),
        }
    }

    pub fn rows(&self) -> Vec<Row> {
        let mut rows = vec![
            Row::number("successful_requests", self.successful as f64, 0, ""),
            Row::number("failed_requests", self.failed as f64, 0, ""),
            Row::number("benchmark_duration", self.duration, 2, "s"),
            Row::number("total_input_tokens", self.total_input as f64, 0, "tokens"),
            Row::number(
                "total_generated_tokens",
                self.total_output as f64,
                0,
                "tokens",
            ),
            Row::number("request_throughput", self.request_throughput, 2, "req/s"),
            Row::number(
                "output_token_throughput",
                self.output_throughput,
                2,
                "tok/s",
            ),
            Row::number("input_token_throughput", self.input_throughput, 2, "tok/s"),
            Row::number(
                "peak_output_throughput",
                self.peak_output_throughput,
                2,
                "tok/s",
            ),
            Row::number(
                "peak_concurrent_requests",
                self.peak_concurrent as f64,
                0,
                "",
            ),
            Row::number(
                "total_token_throughput",
                self.total_token_throughput,
                2,
                "tok/s",
            ),
        ];
        for (name, s) in [
            ("ttft", self.ttft),
            ("tpot", self.tpot),
            ("itl", self.itl),
            ("e2el", self.e2el),
        ] {
            rows.push(Row::number(&format!("{name}_mean"), s.mean, 2, "ms"));
            rows.push(Row::number(&format!("{name}_median"), s.median, 2, "ms"));
            rows.push(Row::number(&format!("{name}_p99"), s.p99, 2, "ms"));
        }
        rows
    }

    pub fn summary(&self, max_concurrency: usize, request_rate: Option<f64>) -> String {
        let mut s = Summary::new("Serving Benchmark Result");
        s.field("Successful requests:", self.successful)
            .field("Failed requests:", self.failed)
            .field("Maximum request concurrency:", max_concurrency)
            .field(
                "Request rate configured (RPS):",
                request_rate.map_or("inf".to_string(), |r| format!("{r:.2}")),
            )
            .figure("Benchmark duration (s):", self.duration)
            .field("Total input tokens:", self.total_input)
            .field("Total generated tokens:", self.total_output)
            .figure("Request throughput (req/s):", self.request_throughput)
            .figure("Output token throughput (tok/s):", self.output_throughput)
            .figure(
                "Peak output token throughput (tok/s):",
                self.peak_output_throughput,
            )
            .field("Peak concurrent requests:", self.peak_concurrent)
            .figure(
                "Total token throughput (tok/s):",
                self.total_token_throughput,
            );
        for (title, short, spread) in [
            ("Time to First Token", "TTFT", self.ttft),
            ("Time per Output Token (excl. 1st token)", "TPOT", self.tpot),
            ("Inter-token Latency", "ITL", self.itl),
            ("End-to-end Latency", "E2EL", self.e2el),
        ] {
            s.section(title)
                .figure(&format!("Mean {short} (ms):"), spread.mean)
                .figure(&format!("Median {short} (ms):"), spread.median)
                .figure(&format!("P99 {short} (ms):"), spread.p99);
        }
        s.render()
    }
}

/// The most chunks with `choices` that arrived within one whole second of the run, counting
/// seconds from the first request sent (vLLM's `max_output_tokens_per_s`).
fn peak_chunks_per_second(done: &[Timed<Completion>]) -> f64 {
    let Some(first) = done.iter().map(|t| t.start).min_by(f64::total_cmp) else {
        return 0.0;
    };
    let end = done
        .iter()
        .map(|t| t.start + t.outcome.latency)
        .fold(first, f64::max);
    let mut buckets = vec![0u64; (end - first).ceil() as usize + 1];
    for t in done {
        let mut at = t.start + t.outcome.ttft;
        let times = std::iter::once(0.0).chain(t.outcome.itl.iter().copied());
        for gap in times {
            at += gap;
            let bucket = (at - first).floor();
            if bucket >= 0.0
                && let Some(b) = buckets.get_mut(bucket as usize)
            {
                *b += 1;
            }
        }
    }
    buckets.into_iter().max().unwrap_or(0) as f64
}

/// The most requests in flight at once: a sweep over `[start, end)` intervals, where a request
/// ending at the instant another starts does not overlap it.
fn peak_concurrency(done: &[Timed<Completion>]) -> usize {
    let mut events: Vec<(f64, i32)> = done
        .iter()
        .flat_map(|t| [(t.start, 1), (t.start + t.outcome.latency, -1)])
        .collect();
    events.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let (mut now, mut peak) = (0i32, 0i32);
    for (_, delta) in events {
        now += delta;
        peak = peak.max(now);
    }
    peak as usize
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Instant;

    fn timed(start: f64, ttft: f64, itl: &[f64], prompt: u64, output: u64) -> Timed<Completion> {
        Timed {
            start,
            outcome: Completion {
                sent: Instant::now(),
                ttft,
                itl: itl.to_vec(),
                latency: ttft + itl.iter().sum::<f64>(),
                prompt_tokens: prompt,
                output_tokens: output,
                usage_estimated: false,
            },
        }
    }

    #[test]
    fn computes_vllm_metrics() {
        let done = [
            // 4 output tokens over 0.1 + 3 chunks of 0.05 s.
            timed(0.0, 0.1, &[0.05, 0.05, 0.05], 100, 4),
            // A single-token answer has no TPOT and no ITL.
            timed(0.5, 0.3, &[], 50, 1),
        ];
        let m = ServeMetrics::compute(&done, 1, 2.0);
        assert_eq!((m.successful, m.failed), (2, 1));
        assert_eq!((m.total_input, m.total_output), (150, 5));
        assert_eq!(m.request_throughput, 1.0);
        assert_eq!(m.output_throughput, 2.5);
        assert_eq!(m.input_throughput, 75.0);
        assert_eq!(m.total_token_throughput, 77.5);
        assert!((m.ttft.mean - 200.0).abs() < 1e-9);
        assert!((m.ttft.median - 200.0).abs() < 1e-9);
        assert!((m.ttft.p99 - 298.0).abs() < 1e-9);
        // (0.25 - 0.1) / 3
        assert!((m.tpot.mean - 50.0).abs() < 1e-9);
        assert!((m.itl.mean - 50.0).abs() < 1e-9 && (m.itl.p99 - 50.0).abs() < 1e-9);
        assert!((m.e2el.mean - 275.0).abs() < 1e-9);
        // The first ends (0.25 s) before the second starts (0.5 s).
        assert_eq!(m.peak_concurrent, 1);
        // Chunks at 0.1, 0.15, 0.2, 0.25 and 0.8: all in second 0.
        assert_eq!(m.peak_output_throughput, 5.0);
    }

    #[test]
    fn peaks_count_overlaps_and_busiest_second() {
        let done = [
            timed(0.0, 0.5, &[0.5, 0.5], 1, 3), // chunks at 0.5, 1.0, 1.5; ends 1.5
            timed(1.0, 0.2, &[0.1, 0.1], 1, 3), // chunks at 1.2, 1.3, 1.4; ends 1.4
            timed(1.5, 0.1, &[], 1, 1),         // starts as the first ends: no overlap
        ];
        assert_eq!(peak_concurrency(&done), 2);
        // Second 1 holds 1.0, 1.2, 1.3, 1.4, 1.5, 1.6.
        assert_eq!(peak_chunks_per_second(&done), 6.0);
        assert_eq!(peak_concurrency(&[]), 0);
        assert_eq!(peak_chunks_per_second(&[]), 0.0);
    }

    #[test]
    fn writes_reference_metric_names() {
        let m = ServeMetrics::compute(&[timed(0.0, 0.1, &[0.05], 10, 2)], 0, 1.0);
        let names: Vec<String> = m.rows().into_iter().map(|r| r.metric).collect();
        for name in [
            "successful_requests",
            "failed_requests",
            "benchmark_duration",
            "total_input_tokens",
            "total_generated_tokens",
            "request_throughput",
            "output_token_throughput",
            "input_token_throughput",
            "total_token_throughput",
            "peak_output_throughput",
            "peak_concurrent_requests",
            "ttft_mean",
            "ttft_median",
            "ttft_p99",
            "tpot_mean",
            "tpot_median",
            "tpot_p99",
            "itl_mean",
            "itl_median",
            "itl_p99",
            "e2el_mean",
            "e2el_median",
            "e2el_p99",
        ] {
            assert!(names.iter().any(|n| n == name), "missing {name}");
        }
        assert!(m.summary(10, None).contains("Mean TTFT (ms):"));
    }
}
