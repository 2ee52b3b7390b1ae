//! The end of a run: the result file (if anything was measured) and the exit code.

use std::path::{Path, PathBuf};

use super::failure::Failure;
use super::stop::Stop;
use crate::bench::telemetry::Device;
use crate::results::{Record, Row};

/// How a level ended: its exit code, and the file written for it, if any.
pub struct Filed {
    pub code: i32,
    pub path: Option<PathBuf>,
    /// The timestamp the file got, which later levels of a sweep must follow.
    pub timestamp: Option<String>,
}

/// Writes the record unless nothing succeeded, and returns the exit code. A run `stop`ped
/// early is written with `partial,true` and why it stopped; `failure` is why a run of a single
/// request failed. `after` is the timestamp of the previous level's file in a sweep: this one
/// is filed later.
pub fn finish(
    output_dir: &Path,
    device: &Device,
    mut record: Record,
    stop: Option<Stop>,
    successes: usize,
    failure: Option<Failure>,
    after: Option<&str>,
) -> anyhow::Result<Filed> {
    if successes == 0 {
        let code = match (stop, failure) {
            (Some(s), _) => {
                stderr_line!("{}: no request had finished; no result written", s.reason());
                s.exit_code()
            }
            (None, Some(f)) => {
                stderr_line!("error: {f}; no result written");
                1
            }
            (None, None) => {
                stderr_line!(
                    "error: every request failed; no result written (--verbose shows why)"
                );
                1
            }
        };
        return Ok(Filed {
            code,
            path: None,
            timestamp: None,
        });
    }
    if let Some(s) = &stop {
        record.rows.extend([
            Row::text("partial", "true"),
            Row::text("partial_reason", s.reason()),
        ]);
        stderr_line!("{}: writing the results so far", s.reason());
    }
    let code = stop.map_or(0, |s| s.exit_code());
    match record.write_unique_after(output_dir, &device.sanitized(), after) {
        Ok((path, timestamp)) => {
            stderr_line!("wrote {}", path.display());
            Ok(Filed {
                code,
                path: Some(path),
                timestamp: Some(timestamp),
            })
        }
        Err(e) => {
            // The folder was checked before the run; should it fail now, keep the run anyway.
            let rescue = std::env::temp_dir();
            let (path, timestamp) =
                record.write_unique_after(&rescue, &device.sanitized(), after)?;
            stderr_line!(
                "error: {e:#}\nthe measured run is kept in {}; move it into the results folder",
                path.display()
            );
            Ok(Filed {
                code: if code == 0 { 1 } else { code },
                path: Some(path),
                timestamp: Some(timestamp),
            })
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
