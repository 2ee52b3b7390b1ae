//! `benchanim bench`: run a benchmark against a server or program and write a result file.
//! One file per benchmark's arguments; each turns them into the runner's options.

mod exec;
mod experiment;
mod gpu_info;
mod llama_server;
mod openai;

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Subcommand};

use super::stdout::{self, is_closed_pipe};
use crate::bench::{self, driver::Options, driver::Runner};

/// Options of `benchanim bench`.
#[derive(Debug, Args)]
#[command(
    after_help = "Exit codes: 0 done; 1 error, or every request failed (nothing written), or \
the summary could not be printed (after the result file was written); 2 server unreachable \
before the start (nothing written); 3 the server stopped answering mid-run; 130 interrupted \
with Ctrl-C, 143 with SIGTERM (3, 130 and 143 write the results so far with `partial,true`). \
A sweep exits with its \
worst level's code."
)]
pub struct BenchArgs {
    #[command(subcommand)]
    pub command: BenchCommand,
}

#[derive(Debug, Subcommand)]
pub enum BenchCommand {
    LlamaServer(llama_server::LlamaServerArgs),
    Openai(openai::OpenAiArgs),
    Exec(exec::ExecArgs),
    /// Measure several servers sharing one GPU together (a multi-tenant experiment): all warm
    /// up, then their measured requests start at once; a result file per tenant, one for the
    /// experiment, and each tenant's request events.
    Experiment(experiment::ExperimentArgs),
    /// Show what NVML sees: the GPU, its driver, and a second of telemetry samples.
    GpuInfo(gpu_info::GpuInfoArgs),
}

/// Options every benchmark takes: where results go and which GPU they belong to.
#[derive(Debug, Clone, Args)]
pub struct CommonArgs {
    /// Folder the result file goes in, under `<GPU>/` (as `render`, `report` and `import`
    /// read it; `--output-dir` is the same).
    #[arg(
        long = "results",
        visible_alias = "output-dir",
        value_name = "DIR",
        default_value = "benchmark_results"
    )]
    pub output_dir: PathBuf,
    /// Also file what only makes sense on this machine: the server's URL and the model's path
    /// (left out by default, so result folders can be shared as they are).
    #[arg(long)]
    pub record_local: bool,
    /// Name of the GPU for the results folder, instead of asking NVML (or, without NVML,
    /// using the CPU model).
    #[arg(long, value_name = "NAME")]
    pub gpu_name: Option<String>,
    /// Which GPU NVML samples, on machines with several.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub gpu_index: u32,
    /// Print every failed request with its reason.
    #[arg(long, short)]
    pub verbose: bool,
    /// The server's process id: its resident memory is sampled through the measured
    /// requests and filed as server_memory_idle_mb, server_memory_peak_mb and
    /// server_memory_increase_mb (Linux; e.g. `--server-pid "$(pgrep -n llama-server)"`).
    #[arg(long, value_name = "PID")]
    pub server_pid: Option<u32>,
}

impl From<CommonArgs> for Options {
    fn from(a: CommonArgs) -> Options {
        Options {
            output_dir: a.output_dir,
            gpu_name: a.gpu_name,
            gpu_index: a.gpu_index,
            verbose: a.verbose,
            server_pid: a.server_pid,
            record_local: a.record_local,
            start_gate: None,
            extra_rows: Vec::new(),
            tenant: None,
        }
    }
}

pub fn run(args: BenchArgs) -> anyhow::Result<u8> {
    let code = match args.command {
        BenchCommand::LlamaServer(a) => start(a.runner()?)?,
        BenchCommand::Openai(a) => start(a.runner()?)?,
        BenchCommand::Exec(a) => start(a.runner()?)?,
        BenchCommand::Experiment(a) => experiment::run(a)?,
        BenchCommand::GpuInfo(a) => gpu_info::run(a)?,
    };
    Ok(code.clamp(0, 255) as u8)
}

/// Runs the benchmark that a subcommand's arguments describe, and prints its summary once the
/// result file is written. A reader that went away changes nothing; a summary that cannot be
/// written (a full disk) is an error, though the result file stays.
fn start((common, runner): (CommonArgs, impl Runner)) -> anyhow::Result<i32> {
    let finished = bench::run(common.into(), runner)?;
    let Some(summary) = finished.summary else {
        return Ok(finished.code);
    };
    match stdout::print(&summary) {
        Ok(()) => Ok(finished.code),
        Err(e) if is_closed_pipe(&e) => Ok(finished.code),
        Err(e) => {
            eprintln!("error: {e:#}; the result file is written all the same");
            Ok(finished.code.max(1))
        }
    }
}

/// How many requests a server benchmark sends, and how long each may take.
#[derive(Debug, Clone, Args)]
pub struct RequestArgs {
    /// Requests measured.
    #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    pub prompts: u32,
    /// Requests sent first and not measured.
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u32).range(0..=10_000))]
    pub warmups: u32,
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Seconds before a request counts as failed.
    #[arg(long, default_value_t = 600.0)]
    pub timeout: f64,
}

/// Longest a request may take.
pub const MAX_TIMEOUT: f64 = 86_400.0;

impl RequestArgs {
    /// `--timeout` as a duration.
    fn timeout(&self) -> anyhow::Result<Duration> {
        if !(self.timeout > 0.0 && self.timeout <= MAX_TIMEOUT) {
            anyhow::bail!(
                "--timeout {} is out of range: above 0, at most {MAX_TIMEOUT} seconds (a day)",
                crate::terminal::number(self.timeout)
            );
        }
        Ok(Duration::from_secs_f64(self.timeout))
    }
}
