//! The runner: benchmarks real inference servers and programs, and writes result files in the
//! format `report` and `render` read.
//!
//! Exit codes: 0 done; 1 error, or every request failed; 2 server unreachable before the start
//! (nothing written); 3 the server stopped answering mid-run (results so far written with
//! `partial,true`); 130 interrupted with Ctrl-C (likewise).

mod clock;
mod common;
pub mod exec;
pub mod gpu;
mod gpu_info;
pub mod host;
pub mod http1;
pub mod import;
pub mod llama_server;
pub mod openai;
mod progress;
mod prompt;
mod record;
mod rx_time;
mod server;
pub mod sse;
pub mod stats;
mod stop;
mod summary;

use clap::{Args, Subcommand};

pub use common::CommonArgs;
pub use server::Unreachable;

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

/// Runs a benchmark and returns the process exit code.
pub fn run(args: BenchArgs) -> anyhow::Result<i32> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let result = runtime.block_on(async {
        match args.command {
            BenchCommand::LlamaServer(a) => llama_server::run(a).await,
            BenchCommand::Openai(a) => openai::run(a).await,
            BenchCommand::Exec(a) => exec::run(a).await,
            BenchCommand::GpuInfo(a) => gpu_info::run(a),
        }
    });
    // Requests still in flight after an interrupt are abandoned, not awaited.
    runtime.shutdown_background();
    match result {
        Err(e) if e.downcast_ref::<Unreachable>().is_some() => {
            eprintln!("error: {e:#}");
            Ok(2)
        }
        other => other,
    }
}
