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
pub mod gpu_info;
pub mod host;
pub mod http1;
pub mod llama_server;
pub mod openai;
mod progress;
mod prompt;
pub(crate) mod record;
mod rx_time;
mod server;
pub mod sse;
pub mod stats;
mod stop;
mod summary;

pub use common::CommonArgs;
pub use server::Unreachable;

/// Runs a benchmark on a multi-threaded runtime and returns the process exit code: 2 when the
/// server was unreachable before the start.
pub fn block_on(benchmark: impl Future<Output = anyhow::Result<i32>>) -> anyhow::Result<i32> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let result = runtime.block_on(benchmark);
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
