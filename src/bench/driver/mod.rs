//! The driver: what every benchmark run does around its requests, written once.
//!
//! A run checks that the server answers HTTP within the deadline (exit 2 if not, nothing
//! written), names the device, lets the runner prepare, then measures each level (one for a
//! plain run, several for a sweep): it plans the level's requests, sends its warm-ups (a level
//! ends there if a first wave of them fails), then sends the measured requests with the GPU
//! sampled: at the level's concurrency and rate, each under its deadline, with a
//! progress bar, counting failures and noticing Ctrl-C (exit 130) or a server that went away
//! (exit 3). Each level ends with its result file (a sweep's share a `sweep_id` and sort in
//! the order they ran); the caller then prints a plain run's summary, or a sweep's table of its
//! levels.
//! A level where every request failed writes nothing and the sweep goes on; a stop writes the
//! running level as partial and ends the sweep. A runner only says how to send one request
//! (or run a program once), what each level sends, and what the answers measure.

mod clock;
mod dispatch;
mod failure;
pub mod gate;
mod level;
mod options;
mod progress;
mod record;
mod runner;
pub mod stop;
pub mod summary;
mod sweep;

use std::path::PathBuf;
use std::sync::Arc;

use super::telemetry::process;
use level::Session;
use stop::StopSignal;

pub use failure::Failure;
pub use options::{Options, Tenant};
pub use runner::{Load, Plan, Report, Run, Runner, Timed, request_timeout};

/// How a run ended.
#[derive(Debug)]
pub struct Finished {
    /// The process exit code: the worst level's, or why the run stopped.
    pub code: i32,
    /// What to print on standard output, now that the result files are written: a plain run's
    /// summary, or a sweep's table of its levels.
    pub summary: Option<String>,
    /// The result files written, a level's each.
    pub files: Vec<PathBuf>,
}

/// Runs `runner` from the reachability probe to the result files, one per level.
pub async fn run<R: Runner>(options: Options, mut runner: R) -> anyhow::Result<Finished> {
    // Taken first, so that any way out of here gives it back.
    let ticket = options.start_gate.as_ref().map(|g| g.ticket());
    if let Some(pid) = options.server_pid {
        process::check_pid(pid)?;
    }
    if let Some(server) = runner.server() {
        server.ensure_reachable().await?;
    }
    let device = options.device();
    record::check_output(&options.output_dir, &device.sanitized())?;
    let sweep_id = clock::timestamp_now();
    let stop = StopSignal::with_ctrl_c();
    runner.prepare().await?;
    let levels = runner.levels();
    let mut session = Session {
        headline: runner.headline(),
        runner: Arc::new(runner),
        sweep_id: (levels > 1).then_some(sweep_id),
        options,
        device,
        stop,
        last_timestamp: None,
        ticket,
    };
    let mut lines = Vec::with_capacity(levels);
    let mut code = 0;
    let mut summary = None;
    let mut files = Vec::new();
    for level in 0..levels {
        let settings = session.runner.settings(level);
        if let Some(s) = session.stop.get() {
            code = worse(code, s.exit_code());
            lines.push(sweep::Line::without_run(settings, sweep::Outcome::NotRun));
            continue;
        }
        if levels > 1 {
            stderr_line!("{}", sweep::announce(level, levels, &settings));
        }
        match session.measure(level, settings).await {
            Ok(measured) => {
                code = worse(code, measured.code);
                files.extend(measured.file);
                lines.push(measured.line);
                summary = measured.summary;
            }
            Err(e) => {
                // The levels done so far are filed; say which they are.
                if !lines.is_empty() {
                    stderr_text!("{}", session.table(&lines));
                }
                return Err(e);
            }
        }
    }
    if levels > 1 {
        summary = Some(session.table(&lines));
    }
    Ok(Finished {
        code,
        summary,
        files,
    })
}

/// The worse of two exit codes: a stop (130, 143, 3) over a failure (1) over success.
fn worse(a: i32, b: i32) -> i32 {
    let rank = |c: i32| match c {
        0 => 0,
        1 => 1,
        _ => 2,
    };
    if rank(b) > rank(a) { b } else { a }
}
