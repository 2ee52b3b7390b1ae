//! The machine a benchmark runs on: who its GPU is (for the results folder) and what it did
//! while the benchmark ran (telemetry sampled at 10 Hz), or the CPU without one. NVML sits
//! behind [`GpuSource`] so the sampler works the same with a scripted source in tests.

mod device;
mod gpu;
pub mod gpu_info;
mod host;
mod nvml;
pub mod process;
mod sampler;

pub use device::Device;
pub use gpu::{GpuInfo, GpuSample, GpuSource};
pub use sampler::{Sampler, Telemetry};
