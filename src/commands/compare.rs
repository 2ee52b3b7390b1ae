//! `benchanim compare A B`: two benchmarks (two models, two engines) metric by metric, straight
//! to videos without writing a scene: a compare chart per metric, and with `--combined` one
//! holding every metric as a row, for one configuration or for each (`--all-configs`).

use std::path::PathBuf;

use anyhow::{Context, bail};

use super::inputs::{ResultsArgs, resolved};
use super::output::OutputArgs;
use super::render::render_charts;
use super::stdout;
use crate::chart::Chart;
use crate::comparison::{self, Request};
use crate::scene::charts_of;
use crate::terminal::printable;

#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  benchanim compare Qwen3-4B Qwen3-4B-AWQ --combined
  benchanim compare Qwen3-4B Qwen3-4B-AWQ --all-configs --metrics ttft_p50_ms,ttft_p99_ms
  benchanim compare vllm_latency_sweep_Qwen_Qwen3_4B vllm_latency_sweep_Qwen_Qwen3_4B_AWQ \\
      --where tensor_parallel_size=2,data_parallel_size=4 --save-scene scenes/")]
pub struct CompareArgs {
    /// The baseline: a benchmark id as `report` names it, the model it ran (`Qwen3-4B`), or
    /// part of one benchmark's id.
    pub baseline: String,
    /// The candidate, named the same ways.
    pub candidate: String,
    /// The GPU whose runs are compared; by default the only one with runs of both.
    #[arg(long)]
    pub gpu: Option<String>,
    /// Metrics to chart, comma-separated; by default those both have that have a direction
    /// (at most 8, in the baseline's order).
    #[arg(long, value_delimiter = ',', value_name = "METRIC")]
    pub metrics: Vec<String>,
    /// Config values the runs must have: `tensor_parallel_size=2,max_num_batched_tokens=4096`.
    /// By default TP, DP and PP of 1, where the runs have those fields.
    #[arg(long = "where", value_delimiter = ',', value_name = "FIELD=VALUE")]
    pub where_: Vec<String>,
    /// A chart for every combination of these fields that both have (by default TP, DP and
    /// PP); the others are named as skipped.
    #[arg(long, value_delimiter = ',', num_args = 0.., value_name = "FIELD")]
    pub all_configs: Option<Vec<String>>,
    /// Also one chart with every metric as a row.
    #[arg(long)]
    pub combined: bool,
    /// The charts' title (default: `BASELINE vs CANDIDATE`).
    #[arg(long)]
    pub title: Option<String>,
    /// Also write the scenes made into this folder, to keep and edit as data.
    #[arg(long, value_name = "DIR")]
    pub save_scene: Option<PathBuf>,
    #[command(flatten)]
    pub input: ResultsArgs,
    #[command(flatten)]
    pub output: OutputArgs,
}

pub fn run(args: CompareArgs) -> anyhow::Result<u8> {
    crate::atomic::exit_cleanly_on_signal()?;
    let settings = args.output.settings()?;
    let request = Request {
        baseline: args.baseline.clone(),
        candidate: args.candidate.clone(),
        gpu: args.gpu.clone(),
        metrics: args.metrics.clone(),
        wheres: (args.where_.iter())
            .map(|w| comparison::parse_where(w))
            .collect::<anyhow::Result<_>>()?,
        all_configs: args.all_configs.clone(),
        combined: args.combined,
        title: args.title.clone(),
    };
    let table = args.input.table()?;
    let mut scenes = comparison::scenes(&request, &table)?;
    if let Some(keep) = &args.save_scene {
        let saved = comparison::save(keep, &request, &scenes).context("--save-scene")?;
        for ((_, scene), path) in scenes.iter_mut().zip(saved) {
            stderr_line!("saved {}", path.display());
            scene.common.path = path;
        }
    }
    let for_each = comparison::for_each_fields(&scenes);
    let mut charts: Vec<(String, Chart)> = Vec::new();
    let mut skipped: Vec<String> = Vec::new();
    for (name, scene) in scenes {
        scene.check()?;
        let expanded = charts_of(&name, scene, &table)?;
        for s in expanded.skipped {
            if !skipped.contains(&s) {
                skipped.push(s);
            }
        }
        for (name, scene) in expanded.charts {
            let (chart, _) = resolved(&name, &scene, &table, args.input.strict)?;
            charts.push((name, chart));
        }
    }
    for s in &skipped {
        stderr_line!("skipped {}", printable(s));
    }
    if charts.is_empty() {
        bail!(
            "nothing to compare: no configuration of --all-configs {} has runs of both (a field the two differ in, such as `model`, leaves none in common; leave it out)",
            for_each.join(",")
        );
    }
    let code = render_charts(&args.output, settings, &charts)?;
    if !args.output.quiet {
        let table = comparison::delta_table(&charts, &args.baseline, &args.candidate);
        stdout::print(&table)?;
    }
    Ok(code)
}
