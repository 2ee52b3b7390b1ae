//! The machine a benchmark runs on: who its GPU is (for the results folder) and what it did
//! while the benchmark ran (telemetry sampled at 10 Hz), or the CPU without one. NVML sits
//! behind [`GpuSource`] so the sampler works the same with a scripted source in tests.

mod host;
mod nvml;
pub mod process;
mod sampler;

use crate::results::{Row, sanitize_gpu_name};

pub use nvml::NvmlSource;
pub use sampler::{SAMPLE_PERIOD, Sampler, Telemetry};

/// What the driver says about the GPU, once, before the run.
#[derive(Debug, Clone, PartialEq)]
pub struct GpuInfo {
    pub name: String,
    pub memory_total_bytes: Option<u64>,
    pub driver_version: Option<String>,
    /// `12.4` style.
    pub cuda_version: Option<String>,
}

/// One reading of the GPU's state. Fields a GPU does not report are `None`.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct GpuSample {
    pub util_percent: Option<f64>,
    pub memory_used_bytes: Option<u64>,
    pub power_w: Option<f64>,
    pub temperature_c: Option<f64>,
}

/// Where samples come from: NVML on a real machine, a script in tests.
pub trait GpuSource: Send {
    fn sample(&mut self) -> anyhow::Result<GpuSample>;
}

/// The machine a run is recorded under: the folder name and, with NVML, the GPU itself.
pub struct Device {
    /// As shown (`NVIDIA GeForce RTX 4090`).
    pub name: String,
    pub info: Option<GpuInfo>,
    source: Option<Box<dyn GpuSource>>,
}

impl Device {
    /// NVML's GPU `index` when there is one; `gpu_name` overrides the name; without NVML the
    /// CPU model names the machine. `why_not` says why NVML could not be used, if it could not.
    pub fn detect(gpu_name: Option<&str>, index: u32) -> (Device, Option<String>) {
        let (info, source, why_not) = match NvmlSource::open(index) {
            Ok((source, info)) => (
                Some(info),
                Some(Box::new(source) as Box<dyn GpuSource>),
                None,
            ),
            Err(e) => (None, None, Some(format!("{e} ({})", e.root_cause()))),
        };
        let name = match (gpu_name, &info) {
            (Some(n), _) => n.to_string(),
            (None, Some(info)) => info.name.clone(),
            (None, None) => host::cpu_model().unwrap_or_else(|| "unknown".into()),
        };
        (Device { name, info, source }, why_not)
    }

    /// A device with a given source, for tests of everything downstream of NVML.
    pub fn with_source(name: &str, info: Option<GpuInfo>, source: Box<dyn GpuSource>) -> Device {
        Device {
            name: name.to_string(),
            info,
            source: Some(source),
        }
    }

    /// Says on stderr whether the GPU is sampled, and what the results are filed under.
    pub fn announce(&self, why_not: Option<&str>) {
        match (&self.info, why_not) {
            (Some(info), _) => eprintln!("GPU: {} (sampling telemetry at 10 Hz)", info.name),
            (None, Some(why)) => eprintln!(
                "no GPU telemetry: {why}; results go under `{}`",
                self.sanitized()
            ),
            (None, None) => {}
        }
    }

    /// The folder name: `NVIDIA_GeForce_RTX_4090`.
    pub fn sanitized(&self) -> String {
        let s = sanitize_gpu_name(&self.name);
        if s.is_empty() { "unknown".into() } else { s }
    }

    /// Starts sampling, if there is a GPU to sample.
    pub fn start_sampler(&mut self) -> Option<Sampler> {
        self.source.take().map(Sampler::start)
    }

    /// Stops `sampler` and keeps its source, so the next level of a sweep is sampled too.
    pub fn finish_sampler(&mut self, sampler: Sampler) -> Telemetry {
        let (telemetry, source) = sampler.finish_keeping_source();
        self.source = source;
        telemetry
    }

    /// `device`, `device_sanitized`, and what NVML told about the GPU.
    pub fn rows(&self) -> Vec<Row> {
        let mut rows = vec![
            Row::text("device", self.name.as_str()),
            Row::text("device_sanitized", self.sanitized()),
        ];
        if let Some(info) = &self.info {
            if let Some(bytes) = info.memory_total_bytes {
                rows.push(Row::number("vram_gb", bytes as f64 / 1e9, 1, "GB"));
            }
            if let Some(v) = &info.driver_version {
                rows.push(Row::text("driver_version", v.as_str()));
            }
            if let Some(v) = &info.cuda_version {
                rows.push(Row::text("cuda_version", v.as_str()));
            }
        }
        rows
    }
}
