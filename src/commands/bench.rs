//! `benchanim bench`: run a benchmark against a server or program and write a result file.

use clap::{Args, Subcommand};

use crate::bench::{self, exec, gpu_info, llama_server, openai};

/// Options of `benchanim bench`.
#[derive(Debug, Args)]
#[command(
    after_help = "Exit codes: 0 done; 1 error, or every request failed (nothing written); \
2 server unreachable before the start (nothing written); 3 the server stopped answering \
mid-run; 130 interrupted with Ctrl-C (3 and 130 write the results so far with `partial,true`)."
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
    /// Show what NVML sees: the GPU, its driver, and a second of telemetry samples.
    GpuInfo(gpu_info::GpuInfoArgs),
}

pub fn run(args: BenchArgs) -> anyhow::Result<u8> {
    let code = match args.command {
        BenchCommand::LlamaServer(a) => bench::block_on(llama_server::run(a))?,
        BenchCommand::Openai(a) => bench::block_on(openai::run(a))?,
        BenchCommand::Exec(a) => bench::block_on(exec::run(a))?,
        BenchCommand::GpuInfo(a) => gpu_info::run(a)?,
    };
    Ok(code.clamp(0, 255) as u8)
}
