//! `benchanim bench gpu-info`: what NVML sees, to check a machine before benchmarking on it.

use clap::Args;

use crate::bench::telemetry::gpu_info;
use crate::commands::stdout;

#[derive(Debug, Args)]
pub struct GpuInfoArgs {
    /// Which GPU to ask about.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub gpu_index: u32,
    /// Seconds of telemetry to sample and summarize (0.1 to 60).
    #[arg(long, default_value_t = 1.0)]
    pub seconds: f64,
}

pub fn run(args: GpuInfoArgs) -> anyhow::Result<i32> {
    if !(0.1..=60.0).contains(&args.seconds) {
        stderr_line!(
            "error: --seconds {} is out of range: 0.1 to 60",
            args.seconds
        );
        return Ok(1);
    }
    gpu_info::show(args.gpu_index, args.seconds, stdout::print)
}
