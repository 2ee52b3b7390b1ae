//! The GPU as NVML (or a scripted source in tests) reports it: who it is, and one reading of
//! its state.

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
