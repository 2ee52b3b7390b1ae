//! `benchanim import`: result files and other tools' outputs into the results folder. Each
//! subcommand's arguments are in a file of its own; the work is `crate::import`'s.

mod genai_perf;
mod guidellm;
mod llama_bench;
mod llm_on_ray;
mod multitenant;
mod results;
mod sglang;
mod sweep_configs;
mod table;
mod vllm_json;

use clap::Subcommand;

use super::inputs::{ResultsArgs, warn};
use crate::import::Imported;

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    Results(results::ResultsImportArgs),
    VllmJson(vllm_json::VllmJsonArgs),
    GenaiPerf(genai_perf::GenaiPerfArgs),
    Sglang(sglang::SglangArgs),
    Guidellm(guidellm::GuidellmArgs),
    LlamaBench(llama_bench::LlamaBenchArgs),
    LlmOnRay(llm_on_ray::LlmOnRayArgs),
    Table(table::TableArgs),
    SweepConfigs(sweep_configs::SweepConfigsArgs),
    Multitenant(multitenant::MultitenantArgs),
}

pub fn run(command: ImportCommand) -> anyhow::Result<u8> {
    // Stopped, it keeps every result file already written and leaves no half-written one.
    crate::atomic::exit_cleanly_on_signal()?;
    let mut done = Imported::default();
    let (imported, output) = match &command {
        ImportCommand::Results(args) => (args.import(&mut done), &args.output),
        ImportCommand::VllmJson(args) => (args.import(&mut done), &args.output),
        ImportCommand::GenaiPerf(args) => (args.import(&mut done), &args.output),
        ImportCommand::Sglang(args) => (args.import(&mut done), &args.output),
        ImportCommand::Guidellm(args) => (args.import(&mut done), &args.output),
        ImportCommand::LlamaBench(args) => (args.import(&mut done), &args.output),
        ImportCommand::LlmOnRay(args) => (args.import(&mut done), &args.output),
        ImportCommand::Table(args) => (args.import(&mut done), &args.output),
        ImportCommand::SweepConfigs(args) => (args.import(&mut done), &args.output),
        ImportCommand::Multitenant(args) => (args.import(&mut done), &args.output),
    };
    match imported {
        Ok(()) => Ok(summarize(&done, output)),
        Err(e) => {
            // What was read before the error is told as it would have been.
            warn(&done.warnings, false);
            Err(done.with_written(e))
        }
    }
}

/// Says what was written, what was already there and what was skipped; the exit code is 1
/// when a source could not be imported, or with `--strict` when anything was warned about.
fn summarize(done: &Imported, output: &ResultsArgs) -> u8 {
    let outcome = done.outcome(&output.results, output.strict);
    for line in &outcome.done {
        stderr_line!("{line}");
    }
    warn(&outcome.problems, false);
    for line in &outcome.closing {
        stderr_line!("{line}");
    }
    outcome.exit_code
}
