//! `benchanim bench gpu-info`: what NVML sees, to check a machine before benchmarking on it.

use std::fmt::Write;

use clap::Args;

use crate::bench::telemetry::{Device, Sampler};
use crate::commands::stdout;
use crate::results::Row;

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
        eprintln!(
            "error: --seconds {} is out of range: 0.1 to 60",
            args.seconds
        );
        return Ok(1);
    }
    let (mut device, why_not) = Device::detect(None, args.gpu_index);
    let Some(info) = device.info.clone() else {
        eprintln!(
            "no GPU telemetry: {}; results would go under `{}`",
            why_not.unwrap_or_default(),
            device.sanitized()
        );
        return Ok(1);
    };
    let mut text = format!("GPU {}: {}\n", args.gpu_index, info.name);
    rows(&mut text, &device.rows());
    // What NVML tells at once comes before the seconds of sampling.
    stdout::print(&text)?;
    if let Some(sampler) = device.start_sampler() {
        std::thread::sleep(std::time::Duration::from_secs_f64(args.seconds));
        let telemetry = Sampler::finish(sampler);
        let mut text = format!(
            "{} samples in {:.1} s\n",
            telemetry.samples.len(),
            args.seconds
        );
        if let Some((_, s)) = telemetry.samples.last() {
            writeln!(text, "  last sample: {s:?}")?;
        }
        if let Some(e) = &telemetry.last_error {
            writeln!(text, "  a sample failed: {e}")?;
        }
        rows(&mut text, &telemetry.rows());
        stdout::print(&text)?;
    }
    Ok(0)
}

/// `  metric,value,unit` lines.
fn rows(text: &mut String, rows: &[Row]) {
    for r in rows {
        let _ = writeln!(text, "  {},{},{}", r.metric, r.value.to_text(), r.unit);
    }
}
