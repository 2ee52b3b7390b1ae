//! The runner: benchmarks real inference servers and programs, and writes result files in the
//! format `report` and `render` read.
//!
//! - [`driver`]: a run from the reachability probe to the result file, the same for every
//!   benchmark, and its plumbing (stop, clock, progress, summary, statistics).
//! - [`runners`]: what each benchmark sends and measures: `openai`, `llama_server`, `exec`.
//! - [`transport`]: HTTP to the server under test, each token stamped with its arrival.
//! - [`telemetry`]: the GPU (NVML) and the host.
//! - [`experiment`]: tenants sharing one GPU, measured together.
//! - [`launch`] and [`mps`]: servers and the MPS daemon that an experiment starts itself.
//!
//! Exit codes: 0 done; 1 error, or every request failed, or the summary could not be printed
//! (the result file is written); 2 server unreachable before the start
//! (nothing written); 3 the server stopped answering mid-run (results so far written with
//! `partial,true`); 130 interrupted with Ctrl-C (likewise). A sweep exits with its worst level's
//! code.

pub mod driver;
pub mod experiment;
pub mod launch;
pub mod mps;
pub mod runners;
pub mod telemetry;
pub mod transport;

use driver::{Finished, Options, Runner};

/// Runs a benchmark on a multi-threaded runtime and returns the process exit code (2 when the
/// server was unreachable before the start) with the summary to print.
pub fn run(options: Options, runner: impl Runner) -> anyhow::Result<Finished> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let result = runtime.block_on(driver::run(options, runner));
    // Requests still in flight after an interrupt are abandoned, not awaited.
    runtime.shutdown_background();
    match result {
        Err(e) if e.downcast_ref::<transport::Unreachable>().is_some() => {
            stderr_line!("error: {e:#}");
            Ok(Finished {
                code: 2,
                summary: None,
                files: Vec::new(),
            })
        }
        other => other,
    }
}
