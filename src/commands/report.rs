//! `benchanim report`: the results collated into a table per benchmark.

use std::path::PathBuf;

use anyhow::Context;

use super::inputs::{ResultsArgs, warn};
use super::stdout;
use crate::output;
use crate::report::{Format, Options, Report};
use crate::results::{self, Table};

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
    let catalog = args.input.catalog()?;
    let (files, warnings) = results::load(&args.input.results)?;
    let table = Table::collate(files).with_catalog(catalog);
    let options = Options {
        metrics: args.metrics,
        all_runs: args.all_runs,
    };
    let text = Report::build(&table, &options).render(args.format.into());
    match &args.output {
        Some(path) => output::write_atomic(path, text.as_bytes())
            .with_context(|| format!("writing {}", path.display()))?,
        None => stdout::print(&text)?,
    }
    Ok(warn(&warnings, args.input.strict))
}
