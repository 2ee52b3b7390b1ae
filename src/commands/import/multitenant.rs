//! `benchanim import multitenant`: multi-tenant experiments, a result file per tenant and one
//! per experiment.

use std::path::PathBuf;

use super::super::inputs::ResultsArgs;
use crate::import::{self, Imported, MultitenantImport};

/// Turn multi-tenant experiments (several models sharing one GPU, each tenant's
/// `<experiment>/<tenant>/events.jsonl`) into a result file per tenant and one per
/// experiment.
///
/// DIR is an experiment's folder (`data/<experiment>`, with the YAML config it ran with
/// copied in) or a folder of them. A tenant's file is `multitenant_<model>_b<batch>_L<seq>`
/// with its config (experiment, tenant, tenants, mps, model_name, batch_size, seq_len,
/// num_iters, num_warmup), its latency mean and p50/p90/p95/p99 in ms (from `run_end`,
/// else computed from the iterations as numpy does), throughput_tokens_per_s,
/// tokens_processed, wall_time_s, gpu_busy_pct (its iterations' time over its wall time),
/// and its latencies as a `# series latency_ms by iteration` section. A log without
/// `run_end` is imported with `partial,true`; a broken line is a warning naming it. The
/// experiment's file, `multitenant_experiment`, has gpu_throughput_tokens_per_s (every
/// tenant's tokens over the longest wall time), max_wall_time_s and max_latency_p99_ms.
/// `mps` comes from the YAML config's `mps:`, else `--set mps=true|false`. The time is
/// `run_start`'s, in UTC.
///
/// A log with two `run_start` events, an iteration number twice, events out of time order,
/// or iterations that add up to more than its wall time is refused, naming the line. An
/// experiment that cannot be imported (no YAML saying `mps:`, a broken YAML) is listed
/// with the reason and the others are imported; the exit code is then 1.
///
/// Example:
///   benchanim import multitenant data/2_llama_1_mistral --gpu-name "NVIDIA A100-SXM4-40GB"
///   benchanim import multitenant data --config-dir configs --gpu-name "NVIDIA A100-SXM4-40GB"
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct MultitenantArgs {
    /// An experiment's folder, or a folder of experiment folders.
    #[arg(value_name = "DIR")]
    pub path: PathBuf,
    /// The GPU the tenants shared (the logs do not say).
    #[arg(long, value_name = "NAME")]
    pub gpu_name: String,
    /// What the YAML config does not say: `--set mps=true` or `--set mps=false`.
    #[arg(long, value_name = "mps=BOOL", value_parser = parse_mps)]
    pub set: Option<bool>,
    /// A folder of the experiments' YAML configs, kept apart from their logs: an
    /// experiment folder without a YAML of its own uses `<experiment>.yaml` (or `.yml`,
    /// any case) from here.
    #[arg(long, value_name = "DIR")]
    pub config_dir: Option<PathBuf>,
    #[command(flatten)]
    pub output: ResultsArgs,
}

impl MultitenantArgs {
    /// Imports what the arguments name into the results folder.
    pub fn import(&self, done: &mut Imported) -> anyhow::Result<()> {
        let how = MultitenantImport {
            gpu: self.gpu_name.clone(),
            mps: self.set,
            config_dir: self.config_dir.clone(),
        };
        import::import_multitenant(&self.path, &how, &self.output.results, done)
    }
}

/// `mps=true` or `mps=false`.
fn parse_mps(text: &str) -> Result<bool, String> {
    match text.trim().split_once('=') {
        Some(("mps", v)) => match v.trim().to_ascii_lowercase().as_str() {
            "true" | "yes" | "on" | "1" => Ok(true),
            "false" | "no" | "off" | "0" => Ok(false),
            _ => Err(format!("`{v}` is neither true nor false")),
        },
        _ => Err(format!(
            "`{text}`: only `mps=true` or `mps=false` can be set (the logs carry the rest)"
        )),
    }
}
