//! The subcommands, one file each: its arguments and its `run`. Nothing below this module
//! knows of clap.

mod bench;
mod check;
mod compare;
mod data;
mod embed;
mod import;
mod inputs;
mod list;
mod output;
mod plot;
mod render;
mod report;
mod stdout;
mod watch;

pub use stdout::is_closed_pipe;

use clap::{Parser, Subcommand};

/// Turns GPU benchmark results into animated bar-chart videos.
///
/// Results are CSV files in `benchmark_results/<GPU>/`, one per run; scenes are TOML files in
/// `scenes/` that say which values a chart shows. `render` turns scenes into MP4, GIF and PNG
/// (start with `benchanim render --all`), `report` collates the results into tables, `import`
/// brings in results you already have and `bench` measures new ones.
#[derive(Debug, Parser)]
#[command(name = "benchanim", version, about, long_about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Render scenes to MP4, GIF and PNG: bars growing, lines drawing or points popping, frame
    /// by frame.
    ///
    /// Each scene is a TOML file in `scenes/` that picks its values from the results. Writes
    /// `<out>/<scene>.mp4`, `.gif` and `.png` (the finished chart), records them in
    /// `<out>/manifest.json`, and writes `<out>/index.html`, a gallery of every scene rendered
    /// into that folder, to preview them and copy embed snippets.
    Render(render::RenderArgs),
    /// Check how charts read, without rendering: each chart's final frame laid out at the
    /// sizes it is rendered at, in each theme.
    ///
    /// Reports text that overlaps text or data, anything outside the frame, text too small
    /// for the frame or cut short, point labels and callouts left out, a plot crushed by the
    /// header and footer, and text below WCAG AA contrast. Exit code 1 when anything is found:
    /// a gate for CI.
    Check(check::CheckArgs),
    /// Compare two benchmarks metric by metric, straight to videos: a compare chart per
    /// metric (and with --combined one with every metric), with each metric's % difference.
    ///
    /// A and B are benchmark ids as `report` names them, the models they ran, or part of an
    /// id. Writes `<out>/compare_<A>_vs_<B>_<metric>[@tp1_dp1_pp1].mp4`, `.gif` and `.png` as
    /// `render` does, then prints each metric's values and delta.
    Compare(compare::CompareArgs),
    /// Plot a chart straight from the results, without a scene file: --y the metric, --x a
    /// config field (a line chart) or a metric (a scatter chart), none for bars.
    ///
    /// What is not given is chosen from the runs (series by GPU or benchmark, rows by
    /// benchmark or the field a sweep varies) and printed; the chart renders as `render` would
    /// render the scene, and `--save-scene FILE` writes that scene, to edit and render again.
    Plot(plot::PlotArgs),
    /// List the scenes with their titles.
    List(list::ListArgs),
    /// Print the values a scene shows (rows × series, NA where a GPU has no result; for a line
    /// or scatter chart, each series' points with the runs behind them, and a scatter chart's
    /// frontier).
    Data(data::DataArgs),
    /// Print the HTML, Markdown and image snippets that put a rendered scene in a post (from
    /// the renders folder's manifest).
    Embed(embed::EmbedArgs),
    /// Collate the results into a table per benchmark (Markdown, JSON or CSV).
    ///
    /// One section per category, one table per benchmark with its config, a column per GPU.
    /// The best value of each row is bold; NA marks a GPU without a result. When a GPU has
    /// several runs of a benchmark, the newest counts.
    Report(report::ReportArgs),
    /// Bring existing result files or tool outputs into the results folder.
    ///
    /// Each run records where it came from (`source_file`, and `source_sha256`: the SHA-256
    /// of what it was read from). Importing the same thing again writes nothing ("already
    /// imported: FILE"); a different run that shares the benchmark id and the second is filed
    /// a second later (`timestamp_original` keeps the real one), never dropped. Each file is
    /// read under limits (JSON at most 64 MiB and 64 levels deep, a line at most 16 MiB) and
    /// filed before the next is read, so memory does not grow with the number of files.
    #[command(subcommand)]
    Import(import::ImportCommand),
    /// Run a benchmark against a server or program and write a result file.
    Bench(bench::BenchArgs),
}

impl Command {
    /// Runs the subcommand and returns the process exit code.
    pub fn run(self) -> anyhow::Result<u8> {
        match self {
            Command::Render(args) if args.watch.watch => watch::run(args),
            Command::Render(args) => render::run(args),
            Command::Check(args) => check::run(args),
            Command::Compare(args) => compare::run(args),
            Command::Plot(args) => plot::run(args),
            Command::List(args) => list::run(args),
            Command::Data(args) => data::run(args),
            Command::Embed(args) => embed::run(args),
            Command::Report(args) => report::run(args),
            Command::Import(command) => import::run(command),
            Command::Bench(args) => bench::run(args),
        }
    }
}
