//! `benchanim bench`: run a benchmark against a server or program and write a result file.
//! One file per benchmark's arguments; each turns them into the runner's options.

mod args;
mod exec;
mod experiment;
mod gpu_info;
mod llama_server;
mod openai;

use clap::{Args, Subcommand};

use super::stdout::{self, is_closed_pipe};
use crate::bench::{self, driver::Runner};
use args::CommonArgs;

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
            stderr_line!("error: {e:#}; the result file is written all the same");
            Ok(finished.code.max(1))
        }
    }
}
