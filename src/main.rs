use std::process::ExitCode;

use anyhow::Context;
use clap::Parser;

use benchanim::cli::{Cli, Command, ImportCommand, ReportArgs};
use benchanim::report::{self, Report};
use benchanim::results::{self, Table, Warning};
use benchanim::{bench, gallery, import, output};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli.command) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(1)
        }
    }
}

fn run(command: Command) -> anyhow::Result<u8> {
    match command {
        Command::Report(args) => report(args),
        Command::Import(ImportCommand::Results { sources, output }) => {
            let imported = import::import_results(&sources, &output.results)?;
            for path in &imported.written {
                eprintln!("wrote {}", path.display());
            }
            eprintln!(
                "imported {} result files into {} ({} already there)",
                imported.written.len(),
                output.results.display(),
                imported.skipped.len()
            );
            Ok(warn(&imported.warnings, output.strict))
        }
        Command::Import(ImportCommand::VllmJson {
            file,
            gpu_name,
            output,
        }) => imported(bench::import::import_vllm_json(
            &file,
            gpu_name.as_deref(),
            &output.results,
        )?),
        Command::Import(ImportCommand::LlamaBench {
            file,
            gpu_name,
            output,
        }) => imported(bench::import::import_llama_bench(
            &file,
            gpu_name.as_deref(),
            &output.results,
        )?),
        Command::Bench(args) => Ok(bench::run(args)?.clamp(0, 255) as u8),
        Command::Embed(args) => {
            print!("{}", gallery::embed(&args)?);
            Ok(0)
        }
    }
}

fn report(args: ReportArgs) -> anyhow::Result<u8> {
    let (files, warnings) = results::load(&args.input.results)?;
    let table = Table::collate(files);
    let options = report::Options {
        metrics: args.metrics,
        all_runs: args.all_runs,
    };
    let text = Report::build(&table, &options).render(args.format);
    match &args.output {
        Some(path) => output::write_atomic(path, text.as_bytes())
            .with_context(|| format!("writing {}", path.display()))?,
        None => print!("{text}"),
    }
    Ok(warn(&warnings, args.input.strict))
}

fn imported(done: bench::import::Imported) -> anyhow::Result<u8> {
    for path in &done.written {
        eprintln!("wrote {}", path.display());
    }
    for path in &done.skipped {
        eprintln!("already there: {}", path.display());
    }
    Ok(0)
}

/// Prints warnings; with `--strict` any warning makes the exit code 1.
fn warn(warnings: &[Warning], strict: bool) -> u8 {
    for w in warnings {
        eprintln!("warning: {w}");
    }
    if strict && !warnings.is_empty() {
        eprintln!("error: {} warnings and --strict was given", warnings.len());
        1
    } else {
        0
    }
}
