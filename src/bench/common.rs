//! Options every benchmark takes: where results go and which GPU they belong to.

use std::path::PathBuf;

use clap::Args;

use super::gpu::Device;

#[derive(Debug, Clone, Args)]
pub struct CommonArgs {
    /// Folder the result file goes in, under `<GPU>/`.
    #[arg(long, value_name = "DIR", default_value = "benchmark_results")]
    pub output_dir: PathBuf,
    /// Name of the GPU for the results folder, instead of asking NVML (or, without NVML,
    /// using the CPU model).
    #[arg(long, value_name = "NAME")]
    pub gpu_name: Option<String>,
    /// Which GPU NVML samples, on machines with several.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub gpu_index: u32,
    /// Print every failed request with its reason.
    #[arg(long, short)]
    pub verbose: bool,
}

impl CommonArgs {
    /// Finds the device and says on stderr what the results will be filed under.
    pub fn device(&self) -> Device {
        let (device, why_not) = Device::detect(self.gpu_name.as_deref(), self.gpu_index);
        match (&device.info, why_not) {
            (Some(info), _) => eprintln!("GPU: {} (sampling telemetry at 10 Hz)", info.name),
            (None, Some(why)) => eprintln!(
                "no GPU telemetry: {why}; results go under `{}`",
                device.sanitized()
            ),
            (None, None) => {}
        }
        device
    }
}
