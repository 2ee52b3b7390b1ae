//! The real GPU, through NVML (loaded at run time; absent on machines without the driver).

use anyhow::Context;
use nvml_wrapper::Nvml;
use nvml_wrapper::enum_wrappers::device::TemperatureSensor;

use super::gpu::{GpuInfo, GpuSample, GpuSource};

pub struct NvmlSource {
    nvml: Nvml,
    index: u32,
}

impl NvmlSource {
    /// Opens NVML and GPU `index`, and reads what does not change during a run.
    pub fn open(index: u32) -> anyhow::Result<(NvmlSource, GpuInfo)> {
        let nvml = Nvml::init().context("NVML is not available (no NVIDIA driver?)")?;
        let info = {
            let device = nvml
                .device_by_index(index)
                .with_context(|| format!("NVML has no GPU {index}"))?;
            let cuda = nvml.sys_cuda_driver_version().ok().map(|v| {
                format!(
                    "{}.{}",
                    nvml_wrapper::cuda_driver_version_major(v),
                    nvml_wrapper::cuda_driver_version_minor(v)
                )
            });
            GpuInfo {
                name: device.name().context("NVML cannot name the GPU")?,
                // Unified-memory GPUs (GB10) do not report a framebuffer size.
                memory_total_bytes: device.memory_info().ok().map(|m| m.total),
                driver_version: nvml.sys_driver_version().ok(),
                cuda_version: cuda,
            }
        };
        Ok((NvmlSource { nvml, index }, info))
    }
}

impl GpuSource for NvmlSource {
    fn sample(&mut self) -> anyhow::Result<GpuSample> {
        let device = self.nvml.device_by_index(self.index)?;
        Ok(GpuSample {
            util_percent: device.utilization_rates().ok().map(|u| f64::from(u.gpu)),
            memory_used_bytes: device.memory_info().ok().map(|m| m.used),
            power_w: device.power_usage().ok().map(|mw| f64::from(mw) / 1000.0),
            temperature_c: device
                .temperature(TemperatureSensor::Gpu)
                .ok()
                .map(f64::from),
        })
    }
}
