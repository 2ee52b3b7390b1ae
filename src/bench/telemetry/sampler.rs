//! Samples a [`GpuSource`] at a fixed rate on its own thread while a benchmark runs.

use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use super::gpu::{GpuSample, GpuSource};
use crate::results::Row;
use crate::results::stats;

/// 10 Hz: fine enough to see load phases, cheap enough not to disturb them.
pub const SAMPLE_PERIOD: Duration = Duration::from_millis(100);

/// A running sampler; [`Sampler::finish`] stops it and returns what it saw.
pub struct Sampler {
    stop: mpsc::Sender<()>,
    thread: JoinHandle<(Telemetry, Box<dyn GpuSource>)>,
}

impl Sampler {
    pub fn start(source: Box<dyn GpuSource>) -> Sampler {
        Sampler::with_period(source, SAMPLE_PERIOD)
    }

    pub fn with_period(mut source: Box<dyn GpuSource>, period: Duration) -> Sampler {
        let (stop, stopped) = mpsc::channel::<()>();
        let thread = std::thread::spawn(move || {
            let start = Instant::now();
            let mut telemetry = Telemetry::default();
            let mut take = |telemetry: &mut Telemetry| match source.sample() {
                Ok(s) => telemetry.samples.push((start.elapsed().as_secs_f64(), s)),
                Err(e) => telemetry.last_error = Some(format!("{e:#}")),
            };
            // Deadlines are absolute so the rate does not drift with the time a sample takes.
            for k in 1u32.. {
                take(&mut telemetry);
                let deadline = start + period * k;
                match stopped.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
                    Err(RecvTimeoutError::Timeout) => continue,
                    _ => break,
                }
            }
            // One more at the end, so energy covers the whole run.
            take(&mut telemetry);
            (telemetry, source)
        });
        Sampler { stop, thread }
    }

    pub fn finish(self) -> Telemetry {
        self.finish_keeping_source().0
    }

    /// Stops sampling and hands back what it saw and the source, for the next level of a
    /// sweep (no source if the sampling thread panicked).
    pub fn finish_keeping_source(self) -> (Telemetry, Option<Box<dyn GpuSource>>) {
        // The thread may already have ended if the receiver was dropped; either way join it.
        let _ = self.stop.send(());
        match self.thread.join() {
            Ok((telemetry, source)) => (telemetry, Some(source)),
            Err(_) => (Telemetry::default(), None),
        }
    }
}

/// Samples taken during a run, as `(seconds since start, sample)`.
#[derive(Debug, Clone, Default)]
pub struct Telemetry {
    pub samples: Vec<(f64, GpuSample)>,
    /// Why the last failed sample failed, if any did.
    pub last_error: Option<String>,
}

impl Telemetry {
    pub fn from_samples(samples: Vec<(f64, GpuSample)>) -> Telemetry {
        Telemetry {
            samples,
            last_error: None,
        }
    }

    fn series(&self, field: impl Fn(&GpuSample) -> Option<f64>) -> Vec<f64> {
        self.samples.iter().filter_map(|(_, s)| field(s)).collect()
    }

    /// Energy drawn in joules: the power readings integrated over time (trapezoids).
    pub fn energy_j(&self) -> Option<f64> {
        let points: Vec<(f64, f64)> = self
            .samples
            .iter()
            .filter_map(|(t, s)| s.power_w.map(|p| (*t, p)))
            .collect();
        if points.len() < 2 {
            return None;
        }
        Some(
            points
                .windows(2)
                .map(|w| (w[1].0 - w[0].0) * (w[0].1 + w[1].1) / 2.0)
                .sum(),
        )
    }

    /// The telemetry rows; a quantity the GPU did not report has no row (never a zero).
    pub fn rows(&self) -> Vec<Row> {
        let mut rows = Vec::new();
        let util = self.series(|s| s.util_percent);
        if !util.is_empty() {
            rows.push(Row::number("gpu_util_mean", stats::mean(&util), 1, "%"));
            rows.push(Row::number(
                "gpu_util_max",
                stats::max_or_zero(&util),
                1,
                "%",
            ));
        }
        let mem = self.series(|s| s.memory_used_bytes.map(|b| b as f64 / 1e9));
        if !mem.is_empty() {
            rows.push(Row::number(
                "gpu_mem_used_peak_gb",
                stats::max_or_zero(&mem),
                2,
                "GB",
            ));
        }
        let power = self.series(|s| s.power_w);
        if !power.is_empty() {
            rows.push(Row::number("power_mean_w", stats::mean(&power), 1, "W"));
            rows.push(Row::number(
                "power_max_w",
                stats::max_or_zero(&power),
                1,
                "W",
            ));
        }
        if let Some(e) = self.energy_j() {
            rows.push(Row::number("energy_j", e, 1, "J"));
        }
        let temp = self.series(|s| s.temperature_c);
        if !temp.is_empty() {
            rows.push(Row::number(
                "gpu_temp_max_c",
                stats::max_or_zero(&temp),
                0,
                "C",
            ));
        }
        rows
    }

    /// The telemetry rows plus `tokens_per_joule` for a run that produced `tokens`.
    pub fn rows_with_tokens(&self, tokens: u64) -> Vec<Row> {
        let mut rows = self.rows();
        if let Some(e) = self.energy_j().filter(|e| *e > 0.0) {
            rows.push(Row::number(
                "tokens_per_joule",
                tokens as f64 / e,
                3,
                "tok/J",
            ));
        }
        rows
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    /// Plays back readings in order, repeating the last; counts how often it was asked.
    struct Scripted {
        readings: Vec<GpuSample>,
        calls: Arc<Mutex<usize>>,
    }

    impl GpuSource for Scripted {
        fn sample(&mut self) -> anyhow::Result<GpuSample> {
            let mut calls = self.calls.lock().map_err(|_| anyhow::anyhow!("poisoned"))?;
            let i = (*calls).min(self.readings.len() - 1);
            *calls += 1;
            if i == 1 {
                anyhow::bail!("GPU is lost");
            }
            Ok(self.readings[i])
        }
    }

    fn reading(util: f64, mem_gb: f64, power: f64) -> GpuSample {
        GpuSample {
            util_percent: Some(util),
            memory_used_bytes: Some((mem_gb * 1e9) as u64),
            power_w: Some(power),
            temperature_c: Some(60.0),
        }
    }

    fn value(rows: &[Row], metric: &str) -> Option<f64> {
        rows.iter()
            .find(|r| r.metric == metric)
            .and_then(|r| r.value.as_number())
    }

    #[test]
    fn summarizes_samples() {
        let t = Telemetry::from_samples(vec![
            (0.0, reading(10.0, 1.0, 100.0)),
            (0.5, reading(90.0, 3.5, 300.0)),
            (1.5, reading(50.0, 2.0, 200.0)),
        ]);
        let rows = t.rows();
        assert_eq!(value(&rows, "gpu_util_mean"), Some(50.0));
        assert_eq!(value(&rows, "gpu_util_max"), Some(90.0));
        assert_eq!(value(&rows, "gpu_mem_used_peak_gb"), Some(3.5));
        assert_eq!(value(&rows, "power_mean_w"), Some(200.0));
        assert_eq!(value(&rows, "power_max_w"), Some(300.0));
        // 0.5 s at mean 200 W + 1 s at mean 250 W
        assert_eq!(value(&rows, "energy_j"), Some(350.0));
        assert_eq!(value(&rows, "gpu_temp_max_c"), Some(60.0));
    }

    #[test]
    fn unreported_quantities_have_no_rows() {
        let t = Telemetry::from_samples(vec![
            (
                0.0,
                GpuSample {
                    util_percent: Some(5.0),
                    ..Default::default()
                },
            ),
            (
                0.1,
                GpuSample {
                    util_percent: Some(7.0),
                    ..Default::default()
                },
            ),
        ]);
        let metrics: Vec<_> = t.rows().into_iter().map(|r| r.metric).collect();
        assert_eq!(metrics, ["gpu_util_mean", "gpu_util_max"]);
        assert!(Telemetry::default().rows().is_empty());
    }

    #[test]
    fn samples_until_finished_and_survives_failed_readings() {
        let calls = Arc::new(Mutex::new(0));
        let source = Scripted {
            readings: vec![
                reading(20.0, 1.0, 100.0),
                reading(0.0, 0.0, 0.0),
                reading(40.0, 2.0, 100.0),
            ],
            calls: calls.clone(),
        };
        let sampler = Sampler::with_period(Box::new(source), Duration::from_millis(10));
        // Wait for a few readings however loaded the machine is.
        let deadline = std::time::Instant::now() + Duration::from_secs(20);
        while *calls.lock().unwrap() < 5 && std::time::Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(10));
        }
        let t = sampler.finish();
        let asked = *calls.lock().unwrap();
        // One reading failed; every other one is kept, in time order.
        assert!(asked >= 5, "only {asked} readings in 20 s at 100 Hz");
        assert_eq!(t.samples.len(), asked - 1);
        assert_eq!(t.last_error.as_deref(), Some("GPU is lost"));
        assert!(t.samples.windows(2).all(|w| w[0].0 <= w[1].0));
        let rows = t.rows();
        assert_eq!(value(&rows, "gpu_util_max"), Some(40.0));
        // Constant 100 W over the sampled span.
        let span = t.samples.last().unwrap().0 - t.samples[0].0;
        let energy = value(&rows, "energy_j").unwrap();
        assert!(
            (energy - 100.0 * span).abs() < 0.1,
            "{energy} J over {span} s"
        );
    }
}
