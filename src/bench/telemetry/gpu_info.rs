//! What NVML sees, to check a machine before benchmarking on it: the GPU and its driver, then
//! a few seconds of telemetry samples, summarized.

use std::fmt::Write;

use super::device::Device;
use super::sampler::Sampler;
use crate::results::Row;

/// Shows what NVML sees of GPU `index` and `seconds` of its telemetry through `print`
/// (standard output, for the command), what it tells at once before the seconds of sampling.
/// Exit code 1 when NVML sees no GPU, said on stderr.
pub fn show(
    index: u32,
    seconds: f64,
    print: fn(&str) -> anyhow::Result<()>,
) -> anyhow::Result<i32> {
    let (mut device, why_not) = Device::detect(None, index);
    let Some(info) = device.info.clone() else {
        stderr_line!(
            "no GPU telemetry: {}; results would go under `{}`",
            why_not.unwrap_or_default(),
            device.sanitized()
        );
        return Ok(1);
    };
    let mut text = format!("GPU {index}: {}\n", info.name);
    rows(&mut text, &device.rows());
    print(&text)?;
    if let Some(sampler) = device.start_sampler() {
        std::thread::sleep(std::time::Duration::from_secs_f64(seconds));
        let telemetry = Sampler::finish(sampler);
        let mut text = format!("{} samples in {seconds:.1} s\n", telemetry.samples.len());
        if let Some((_, s)) = telemetry.samples.last() {
            writeln!(text, "  last sample: {s:?}")?;
        }
        if let Some(e) = &telemetry.last_error {
            writeln!(text, "  a sample failed: {e}")?;
        }
        rows(&mut text, &telemetry.rows());
        print(&text)?;
    }
    Ok(0)
}

/// `  metric,value,unit` lines.
fn rows(text: &mut String, rows: &[Row]) {
    for r in rows {
        let _ = writeln!(text, "  {},{},{}", r.metric, r.value.to_text(), r.unit);
    }
}
