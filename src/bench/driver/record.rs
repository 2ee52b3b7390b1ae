//! The end of a run: the result file (if anything was measured) and the exit code.

use std::path::Path;

use super::Failure;
use super::stop::Stop;
use crate::bench::telemetry::Device;
use crate::results::{Record, Row};

/// Writes the record unless nothing succeeded, and returns the exit code. A run `stop`ped
/// early is written with `partial,true` and why it stopped; `failure` is why a run of a single
/// request failed.
pub fn finish(
    output_dir: &Path,
    device: &Device,
    mut record: Record,
    stop: Option<Stop>,
    successes: usize,
    failure: Option<Failure>,
) -> anyhow::Result<i32> {
    if successes == 0 {
        return Ok(match (stop, failure) {
            (Some(s), _) => {
                eprintln!("{}: no request had finished; no result written", s.reason());
                s.exit_code()
            }
            (None, Some(f)) => {
                eprintln!("error: {f}; no result written");
                1
            }
            (None, None) => {
                eprintln!("error: every request failed; no result written (--verbose shows why)");
                1
            }
        });
    }
    if let Some(s) = &stop {
        record.rows.push(Row::text("partial", "true"));
        record.rows.push(Row::text("partial_reason", s.reason()));
        eprintln!("{}: writing the results so far", s.reason());
    }
    let code = stop.map_or(0, |s| s.exit_code());
    match record.write_unique(output_dir, &device.sanitized()) {
        Ok(path) => {
            eprintln!("wrote {}", path.display());
            Ok(code)
        }
        Err(e) => {
            // The folder was checked before the run; should it fail now, keep the run anyway.
            let rescue = std::env::temp_dir();
            let path = record.write_unique(&rescue, &device.sanitized())?;
            eprintln!(
                "error: {e:#}\nthe measured run is kept in {}; move it into the results folder",
                path.display()
            );
            Ok(if code == 0 { 1 } else { code })
        }
    }
}

/// Everything about the output that can be known before a run: the GPU's name makes a file
/// name, and the results folder takes files. A run is never measured to be thrown away.
pub fn check_output(output_dir: &Path, gpu: &str) -> anyhow::Result<()> {
    if gpu.len() > MAX_GPU_NAME {
        anyhow::bail!(
            "--gpu-name `{}…` is {} characters; a GPU name is at most {MAX_GPU_NAME}",
            gpu.chars().take(20).collect::<String>(),
            gpu.len()
        );
    }
    let folder = output_dir.join(gpu);
    std::fs::create_dir_all(&folder)
        .and_then(|()| tempfile::tempfile_in(&folder).map(drop))
        .map_err(|e| {
            anyhow::anyhow!(
                "cannot write result files in `{}`: {e}; pass --output-dir DIR",
                folder.display()
            )
        })
}

/// Longest GPU name: a result file's name holds it twice and must stay under 255 bytes.
const MAX_GPU_NAME: usize = 64;
