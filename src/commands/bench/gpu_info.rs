//! `benchanim bench gpu-info`: what NVML sees, to check a machine before benchmarking on it.

use clap::Args;

use crate::bench::telemetry::{Device, Sampler};

#[derive(Debug, Args)]
pub struct GpuInfoArgs {
    /// Which GPU to ask about.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub gpu_index: u32,
    /// Seconds of telemetry to sample and summarize (0.1 to 60).
    #[arg(long, default_value_t = 1.0)]
    pub seconds: f64,
}

pub fn run(args: GpuInfoArgs) -> i32 {
    if !(0.1..=60.0).contains(&args.seconds) {
        eprintln!(
            "error: --seconds {} is out of range: 0.1 to 60",
            args.seconds
        );
        return 1;
    }
    let (mut device, why_not) = Device::detect(None, args.gpu_index);
    let Some(info) = device.info.clone() else {
        eprintln!(
            "no GPU telemetry: {}; results would go under `{}`",
            why_not.unwrap_or_default(),
            device.sanitized()
        );
        return 1;
    };
    println!("GPU {}: {}", args.gpu_index, info.name);
    for r in device.rows() {
        println!("  {},{},{}", r.metric, r.value.to_text(), r.unit);
    }
    if let Some(sampler) = device.start_sampler() {
        std::thread::sleep(std::time::Duration::from_secs_f64(args.seconds));
        let telemetry = Sampler::finish(sampler);
        println!(
            "{} samples in {:.1} s",
            telemetry.samples.len(),
            args.seconds
        );
        if let Some((_, s)) = telemetry.samples.last() {
            println!("  last sample: {s:?}");
        }
        if let Some(e) = &telemetry.last_error {
            println!("  a sample failed: {e}");
        }
        for r in telemetry.rows() {
            println!("  {},{},{}", r.metric, r.value.to_text(), r.unit);
        }
    }
    0
}
