//! The experiment's own result file (`multitenant_experiment`): what its tenants' files say
//! together (the GPU's throughput over the longest tenant, the longest wall time and the worst
//! p99), the GPU's telemetry over the shared window, and how far apart the tenants began.

use std::path::PathBuf;

use super::file::Experiment;
use crate::bench::telemetry::{Device, Telemetry};
use crate::results::experiment::figures as experiment_figures;
use crate::results::{Record, ResultFile, Row, Value};

/// The experiment's record, from its tenants' files (`shared`, the runs measured together),
/// the device and its `telemetry` over the whole shared window (or why there is none,
/// `why_not`). It takes the earliest tenant's timestamp.
pub fn record(
    experiment: &Experiment,
    shared: &[PathBuf],
    device: &Device,
    telemetry: Option<&Telemetry>,
    why_not: Option<&str>,
) -> Record {
    let tenants: Vec<ResultFile> = shared
        .iter()
        .filter_map(|p| ResultFile::read(p, None).ok().map(|(f, _)| f))
        .collect();
    let timestamp = tenants
        .iter()
        .map(|t| t.timestamp.clone())
        .min()
        .unwrap_or_default();
    let mut rows = device.rows();
    rows.extend([
        Row::text("timestamp", timestamp.as_str()),
        Row::text("experiment", experiment.experiment_name.as_str()),
        Row::number("tenants", experiment.tenants.len() as f64, 0, ""),
        Row::new("mps", Value::Bool(experiment.mps), ""),
    ]);
    rows.extend(figures(&tenants));
    let tokens = tenants
        .iter()
        .filter_map(|t| t.field("total_generated_tokens")?.as_number())
        .sum::<f64>();
    rows.extend(gpu_rows(telemetry, tokens, why_not));
    rows.extend(start_offsets(&tenants));
    Record {
        family: "multitenant".into(),
        benchmark: "multitenant_experiment".into(),
        timestamp,
        rows,
    }
}

/// The experiment's figures from its tenants' files: their generated tokens over the longest
/// measured time, and the worst p99 request latency.
fn figures(tenants: &[ResultFile]) -> Vec<Row> {
    let number = |t: &ResultFile, m: &str| t.field(m).and_then(Value::as_number);
    let tokens = tenants
        .iter()
        .map(|t| number(t, "total_generated_tokens"))
        .sum::<Option<f64>>();
    let longest = tenants
        .iter()
        .filter_map(|t| number(t, "benchmark_duration"))
        .fold(0.0, f64::max);
    let worst = tenants
        .iter()
        .filter_map(|t| number(t, "e2el_p99"))
        .reduce(f64::max);
    experiment_figures(tokens, longest, worst)
}

/// The GPU over the whole experiment: its telemetry and the tokens it gave per joule when it
/// was sampled, else a note saying why it was not (a machine without a GPU is no error).
fn gpu_rows(telemetry: Option<&Telemetry>, tokens: f64, why_not: Option<&str>) -> Vec<Row> {
    match telemetry {
        Some(t) => t.rows_with_tokens(tokens as u64),
        None => vec![Row::text(
            "gpu_telemetry",
            format!("none: {}", why_not.unwrap_or("no GPU")),
        )],
    }
}

/// How long after the first tenant each began measuring, in ms: the largest as a figure, and
/// each in a section of its own.
fn start_offsets(tenants: &[ResultFile]) -> Vec<Row> {
    let starts: Vec<(String, f64)> = tenants
        .iter()
        .filter_map(|t| {
            let name = t.field("tenant")?.to_text();
            Some((name, t.field("started_at_unix")?.as_number()?))
        })
        .collect();
    let first = starts.iter().map(|(_, s)| *s).fold(f64::INFINITY, f64::min);
    if !first.is_finite() {
        return Vec::new();
    }
    let offsets: Vec<(String, f64)> = starts
        .into_iter()
        .map(|(n, s)| (n, (s - first) * 1000.0))
        .collect();
    let largest = offsets.iter().map(|(_, o)| *o).fold(0.0, f64::max);
    let mut rows = vec![Row::number("max_start_offset_ms", largest, 1, "ms")];
    for (name, offset) in offsets {
        let mut row = Row::number(&name, offset, 1, "ms");
        row.section = Some("Start offsets".into());
        rows.push(row);
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bench::telemetry::GpuSample;

    fn value(rows: &[Row], metric: &str) -> Option<String> {
        rows.iter()
            .find(|r| r.metric == metric)
            .map(|r| r.value.to_text())
    }

    #[test]
    fn the_experiment_file_has_gpu_telemetry_when_sampled_and_a_note_when_not() {
        // Two tenants' 3,000 tokens over 2 s of a GPU at 80-90 % and 300 W.
        let samples = (0..=20)
            .map(|i| {
                let at = f64::from(i) * 0.1;
                let sample = GpuSample {
                    util_percent: Some(if i % 2 == 0 { 80.0 } else { 90.0 }),
                    memory_used_bytes: Some(40_000_000_000),
                    power_w: Some(300.0),
                    temperature_c: Some(61.0),
                };
                (at, sample)
            })
            .collect();
        let telemetry = Telemetry::from_samples(samples);
        let rows = gpu_rows(Some(&telemetry), 3000.0, None);
        assert_eq!(value(&rows, "gpu_util_max").as_deref(), Some("90.0"));
        assert_eq!(
            value(&rows, "gpu_mem_used_peak_gb").as_deref(),
            Some("40.00")
        );
        assert_eq!(value(&rows, "power_mean_w").as_deref(), Some("300.0"));
        assert_eq!(value(&rows, "energy_j").as_deref(), Some("600.0"));
        assert_eq!(value(&rows, "tokens_per_joule").as_deref(), Some("5.000"));
        assert_eq!(value(&rows, "gpu_telemetry"), None);

        let rows = gpu_rows(None, 3000.0, Some("NVML is not available"));
        assert_eq!(
            value(&rows, "gpu_telemetry").as_deref(),
            Some("none: NVML is not available")
        );
        assert_eq!(rows.len(), 1);
    }
}
