//! `benchanim report`: the results collated into a table per benchmark.

use std::path::PathBuf;

use anyhow::Context;

use super::inputs::{ResultsArgs, warn};
use super::stdout;
use crate::atomic;
use crate::report::{Format, Options, Report};
use crate::results::{self, Level, Table, Wanted, Where};

#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    #[command(flatten)]
    pub input: ResultsArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = FormatArg::Markdown)]
    pub format: FormatArg,
    /// Write to FILE instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Show these metrics (comma-separated) instead of each family's headline ones.
    #[arg(long, value_delimiter = ',', value_name = "a,b")]
    pub metrics: Option<Vec<String>>,
    /// A column per run instead of only the newest run per GPU.
    #[arg(long)]
    pub all_runs: bool,
    /// Only runs with these config fields, e.g. `--where max_num_seqs=4,request_rate=inf`
    /// (numbers match by value: 4 = 4.0).
    #[arg(long = "where", value_name = "FIELD=VALUE,…", value_delimiter = ',', value_parser = parse_pin)]
    pub filter: Vec<(String, Level)>,
}

/// `max_num_seqs=4` → the field and its level (a number, a boolean, or text).
fn parse_pin(text: &str) -> Result<(String, Level), String> {
    let (field, value) = text
        .split_once('=')
        .ok_or_else(|| format!("`{text}` is not FIELD=VALUE, e.g. max_concurrency=8"))?;
    let (field, value) = (field.trim(), value.trim());
    if field.is_empty() {
        return Err(format!("`{text}` names no field"));
    }
    let level = match value.to_ascii_lowercase().as_str() {
        "true" => Level::Bool(true),
        "false" => Level::Bool(false),
        lower => match lower.parse::<f64>() {
            Ok(n) if !n.is_nan() => Level::Number(n),
            _ => Level::Text(value.to_string()),
        },
    };
    Ok((field.to_string(), level))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FormatArg {
    Markdown,
    Json,
    Csv,
}

impl From<FormatArg> for Format {
    fn from(format: FormatArg) -> Format {
        match format {
            FormatArg::Markdown => Format::Markdown,
            FormatArg::Json => Format::Json,
            FormatArg::Csv => Format::Csv,
        }
    }
}

pub fn run(args: ReportArgs) -> anyhow::Result<u8> {
    // Stopped, it leaves no half-written report (-o) behind.
    atomic::exit_cleanly_on_signal()?;
    let catalog = args.input.catalog()?;
    let (files, warnings) = results::load(&args.input.results)?;
    let table = Table::collate(files).with_catalog(catalog);
    let filter = Where(
        args.filter
            .into_iter()
            .map(|(field, level)| (field, Wanted::One(level)))
            .collect(),
    );
    let options = Options {
        metrics: args.metrics,
        all_runs: args.all_runs,
        filter,
    };
    let text = Report::build(&table, &options).render(args.format.into());
    match &args.output {
        Some(path) => atomic::write_atomic(path, text.as_bytes())
            .with_context(|| format!("writing {}", path.display()))?,
        // A reader that went away (`| head`) has what it wanted; the warnings about the
        // results are still said, and still decide the exit code with --strict.
        None => match stdout::print(&text) {
            Err(e) if !stdout::is_closed_pipe(&e) => return Err(e),
            _ => {}
        },
    }
    Ok(warn(&warnings, args.input.strict))
}
