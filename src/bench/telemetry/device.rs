//! The machine a run is recorded under: its name (the results folder), its GPU's identity and,
//! with NVML, its telemetry sampled through the measured requests.

use super::gpu::{GpuInfo, GpuSource};
use super::host;
use super::nvml::NvmlSource;
use super::sampler::{Sampler, Telemetry};
use crate::results::{Row, sanitize_gpu_name};

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

    /// Says on stderr whether the GPU is sampled, and what the results are filed under.
    pub fn announce(&self, why_not: Option<&str>) {
        match (&self.info, why_not) {
            (Some(info), _) => stderr_line!("GPU: {} (sampling telemetry at 10 Hz)", info.name),
            (None, Some(why)) => stderr_line!(
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
