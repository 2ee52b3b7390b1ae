//! Command-line arguments.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use std::str::FromStr;

use crate::commands::render::{OutputFormat, Quality, Resolution};
use crate::encode::Mp4Encoder;
use crate::report::Format;

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
    /// Render scenes to MP4, GIF and PNG: bars growing frame by frame.
    ///
    /// Each scene is a TOML file in `scenes/` that picks its values from the results. Writes
    /// `<out>/<scene>.mp4`, `.gif` and `.png` (the finished chart), and with several scenes an
    /// `index.html` gallery to preview them and copy embed snippets.
    Render(RenderArgs),
    /// List the scenes with their titles.
    List(ScenesArgs),
    /// Print the values a scene shows (rows × series, NA where a GPU has no result).
    Data(DataArgs),
    /// Print the HTML, Markdown and image snippets that put a rendered scene in a post.
    Embed(crate::gallery::EmbedArgs),
    /// Collate the results into a table per benchmark (Markdown, JSON or CSV).
    ///
    /// One section per category, one table per benchmark with its config, a column per GPU.
    /// The best value of each row is bold; NA marks a GPU without a result. When a GPU has
    /// several runs of a benchmark, the newest counts.
    Report(ReportArgs),
    /// Bring existing result files or tool outputs into the results folder.
    #[command(subcommand)]
    Import(ImportCommand),
    /// Run a benchmark against a server or program and write a result file.
    Bench(crate::bench::BenchArgs),
}

/// Where results are read from, and how strictly.
#[derive(Debug, clap::Args)]
pub struct ResultsArgs {
    /// Folder of result files, laid out as `<GPU>/*.csv`.
    #[arg(long, value_name = "DIR", default_value = "benchmark_results")]
    pub results: PathBuf,
    /// Fail (exit code 1) when any file or row could not be read, instead of only warning.
    #[arg(long)]
    pub strict: bool,
}

#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    #[command(flatten)]
    pub input: ResultsArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Markdown)]
    pub format: Format,
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

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Copy result CSV files (folders laid out as `<GPU>/*.csv`, or single files) into the
    /// results folder, normalized and without machine-local fields (model_path, server_url).
    /// Runs already there are skipped; nothing is overwritten.
    Results {
        /// Folders or files to import.
        #[arg(required = true)]
        sources: Vec<PathBuf>,
        #[command(flatten)]
        output: ResultsArgs,
    },
    /// Turn the JSON `vllm bench serve --save-result` writes into a `vLLM` result file.
    /// Settings vLLM does not save (input_len, output_len, range_ratio, seed, test_type,
    /// device) are taken from `--metadata KEY=VALUE` entries when present.
    VllmJson {
        /// The JSON file (one result, or several with `--append-result`).
        file: PathBuf,
        /// The GPU the run was on; needed unless the file has `device` metadata.
        #[arg(long, value_name = "NAME")]
        gpu_name: Option<String>,
        #[command(flatten)]
        output: ResultsArgs,
    },
    /// Turn the output of `llama-bench -o json` (or `-o jsonl`) into `llama_bench` result
    /// files: one per model and settings, `<test>_tokens_per_second` rows (pp512, tg128, ...).
    LlamaBench {
        /// The JSON file.
        file: PathBuf,
        /// The GPU the run was on, instead of the file's `gpu_info` (or `cpu_info`).
        #[arg(long, value_name = "NAME")]
        gpu_name: Option<String>,
        #[command(flatten)]
        output: ResultsArgs,
    },
}

#[derive(Debug, clap::Args)]
pub struct ScenesArgs {
    /// Folder of scene files (`<name>.toml`).
    #[arg(long = "scenes", value_name = "DIR", default_value = "scenes")]
    pub dir: PathBuf,
}

#[derive(Debug, clap::Args)]
pub struct DataArgs {
    /// The scene's name (see `benchanim list`).
    pub scene: String,
    #[command(flatten)]
    pub scenes: ScenesArgs,
    #[command(flatten)]
    pub input: ResultsArgs,
    /// `table` for people, `json` for programs.
    #[arg(long, value_enum, default_value_t = DataFormat::Table)]
    pub format: DataFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DataFormat {
    Table,
    Json,
}

#[derive(Debug, clap::Args)]
pub struct RenderArgs {
    /// Scenes to render, by name (see `benchanim list`).
    #[arg(value_name = "SCENE", required_unless_present = "all")]
    pub names: Vec<String>,
    /// Render every scene in the scenes folder.
    #[arg(long, conflicts_with = "names")]
    pub all: bool,
    /// Quality preset, as in manim: l = 854x480 at 15 fps, m = 1280x720 at 30, h = 1920x1080
    /// at 60, k = 3840x2160 at 60.
    #[arg(short, long, value_enum, default_value = "h")]
    pub quality: Quality,
    /// Frame size instead of the preset's: e.g. 1080x1080 (square), 1080x1350 (4:5) or 1080x1920
    /// (vertical). Frames narrower than 4:3 get a layout of their own.
    #[arg(long, value_name = "WxH")]
    pub resolution: Option<Resolution>,
    /// Frames per second instead of the preset's.
    #[arg(long, value_name = "N")]
    pub fps: Option<u32>,
    /// Which files to write.
    #[arg(long, value_enum, value_delimiter = ',', default_value = "mp4,gif,png")]
    pub format: Vec<OutputFormat>,
    /// Output folder.
    #[arg(long, value_name = "DIR", default_value = "renders")]
    pub out: PathBuf,
    #[command(flatten)]
    pub scenes: ScenesArgs,
    #[command(flatten)]
    pub input: ResultsArgs,
    /// Fade everything out at the end.
    #[arg(long)]
    pub fadeout: bool,
    /// Colours: dark is the classic look; light suits white blog pages.
    #[arg(long, value_enum, default_value = "dark")]
    pub theme: ThemeArg,
    /// H.264 encoder for the MP4: openh264 (built in), x264 or nvenc (builds with `--features ffmpeg`).
    #[arg(long, default_value = "openh264", value_parser = Mp4Encoder::from_str)]
    pub encoder: Mp4Encoder,
    /// Constant frame rate MP4 (for video editors); by default held frames are stored once.
    #[arg(long)]
    pub cfr: bool,
    /// Scenes rendered at the same time (default: one per CPU core).
    #[arg(short, long, value_name = "N")]
    pub jobs: Option<usize>,
    /// Print frames/s for rasterizing alone, encoding alone and the whole, per scene and in total.
    #[arg(long)]
    pub timings: bool,
    /// No progress bars or summary, only errors.
    #[arg(long)]
    pub quiet: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ThemeArg {
    Dark,
    Light,
}
