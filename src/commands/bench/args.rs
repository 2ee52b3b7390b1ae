//! The options `bench` subcommands share: where results go and which GPU they belong to, and
//! how many requests a server benchmark sends.

use std::path::PathBuf;
use std::time::Duration;

use clap::Args;

use crate::bench::driver::{Options, request_timeout};

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

impl RequestArgs {
    /// `--timeout` as a duration, once it is checked.
    pub fn timeout(&self) -> anyhow::Result<Duration> {
        request_timeout(self.timeout)
    }
}
