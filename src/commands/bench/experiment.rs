//! `benchanim bench experiment FILE.toml`: tenants (servers sharing one GPU) measured together.
//! Each tenant is measured as `bench openai` measures; all warm up first, then their measured
//! requests start together behind a gate. A result file per tenant, one for the experiment,
//! and each tenant's request events are written.

use std::path::PathBuf;

use super::args::CommonArgs;
use crate::bench::experiment::{self, Settings};
use crate::commands::stdout;

#[derive(Debug, clap::Args)]
#[command(after_help = "The experiment file (TOML):

  experiment_name = \"pair_qwen\"
  mps = false                      # recorded as the tenants' `mps` (see --start-mps)
  [[tenants]]
  name = \"qwen_a\"
  url = \"http://127.0.0.1:8001\"
  max_concurrency = 4              # defaults: 1 in flight, 100 prompts, 2 warm-ups,
  prompts = 100                    #   128 tokens in, 128 out, all sent at once
  input_len = 128
  output_len = 128
  # model = \"...\", warmups = 2, request_rate = 4.0, api = \"chat\", server_pid = 1234
  [[tenants]]
  name = \"qwen_b\"
  url = \"http://127.0.0.1:8002\"
  # The server may be started by the experiment: the program and its arguments (no shell).
  # It runs until the experiment ends, its memory is sampled, and its output is kept.
  command = [\"llama-server\", \"-m\", \"qwen.gguf\", \"--port\", \"8002\"]

Writes, under --results: a result file per tenant in <GPU>/ (as bench openai's, plus
experiment, tenant, tenants, mps and started_at_unix), the experiment's own file
(multitenant_experiment: gpu_throughput_tokens_per_s over the longest tenant, max_wall_time_s,
max_latency_p99_ms, max_start_offset_ms, GPU telemetry when NVML finds a GPU), and
experiments/<name>_<time>/ with the experiment file and each tenant's events.jsonl (and
server.log for the servers it started).

Exit codes as bench openai's, the worst tenant's.")]
pub struct ExperimentArgs {
    /// The experiment: its name, whether MPS is on, and its tenants.
    #[arg(value_name = "FILE.toml")]
    pub file: PathBuf,
    /// Measure each tenant alone first (files with `solo,true` and `tenants,1`), as the
    /// baseline for what sharing costs.
    #[arg(long)]
    pub solo: bool,
    /// What each tenant's events.jsonl holds: every request's start, first token and end, or
    /// every token as well.
    #[arg(long, value_enum, default_value = "requests")]
    pub events: EventDetail,
    /// Seconds before a request counts as failed.
    #[arg(long, default_value_t = 600.0)]
    pub timeout: f64,
    /// Seconds the servers the experiment starts (tenants with a `command`) have to answer
    /// /health or /v1/models, from 1 to 86400.
    #[arg(long, value_name = "SECONDS", default_value_t = 600)]
    pub ready_timeout: u64,
    /// Start the CUDA MPS control daemon before the servers and stop it after them. Needs
    /// root, nvidia-cuda-mps-control, `mps = true` and a `command` for every tenant (servers
    /// started before the daemon do not use it).
    #[arg(long)]
    pub start_mps: bool,
    #[command(flatten)]
    pub common: CommonArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum EventDetail {
    Requests,
    Tokens,
}

pub fn run(args: ExperimentArgs) -> anyhow::Result<i32> {
    let settings = Settings {
        file: args.file,
        solo: args.solo,
        token_events: args.events == EventDetail::Tokens,
        timeout: args.timeout,
        ready_timeout: args.ready_timeout,
        start_mps: args.start_mps,
        options: args.common.into(),
    };
    experiment::run(settings, stdout::print)
}
