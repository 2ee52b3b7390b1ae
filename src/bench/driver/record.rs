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
    let path = record.write(output_dir, &device.sanitized())?;
    eprintln!("wrote {}", path.display());
    Ok(stop.map_or(0, |s| s.exit_code()))
}
