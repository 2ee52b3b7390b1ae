//! `benchanim plot`: a chart straight from the results, no scene file: the metrics along y,
//! what goes along x and what makes the series and rows, rendered as `render` renders a
//! scene; `--save-scene` keeps the scene it built to edit.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

use super::inputs::{ResultsArgs, resolved};
use super::output::OutputArgs;
use super::render::render_charts;
use crate::chart::AnnotationKind;
use crate::comparison::parse_where;
use crate::plot::{self, Request};
use crate::scene::{Kind, check_name};
use crate::terminal::printable;

#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  benchanim plot --y output_token_throughput --x max_concurrency --series-by benchmark
  benchanim plot --y output_token_throughput --x itl_median --gpu CPU_2core
  benchanim plot --y output_token_throughput,ttft_median --rows-by max_concurrency \\
      --where sweep_id=20261129_153242 --save-scene scenes/cpu_levels.toml")]
pub struct PlotArgs {
    /// The metric along y; several, comma-separated, make a bar chart's panels (at most 8).
    #[arg(long, required = true, value_delimiter = ',', value_name = "METRIC")]
    pub y: Vec<String>,
    /// Along x: a config field (`max_concurrency`) draws a line per series, a metric
    /// (`itl_median`) a scatter chart of a point per sweep level; without it, bars.
    #[arg(long, value_name = "FIELD|METRIC")]
    pub x: Option<String>,
    /// What makes the series (lines, legend): a config field, `gpu` or `benchmark`. By default
    /// the GPU when the runs are on several, else the benchmark.
    #[arg(long, visible_alias = "curve-by", value_name = "FIELD")]
    pub series_by: Option<String>,
    /// What makes a bar chart's rows: a config field, `gpu` or `benchmark`. By default the
    /// benchmark when there are several, else the sweep field whose values differ.
    #[arg(long, value_name = "FIELD")]
    pub rows_by: Option<String>,
    /// Config values the runs must have: `sweep_id=20261129_153242,tensor_parallel_size=2`; a
    /// field given twice is any of its values.
    #[arg(
        long = "where",
        visible_alias = "filter-by",
        value_delimiter = ',',
        value_name = "FIELD=VALUE"
    )]
    pub where_: Vec<String>,
    /// Only this benchmark's runs: its id as `report` names it, the model it ran, or part of
    /// its id.
    #[arg(long)]
    pub benchmark: Option<String>,
    /// Only this GPU's runs (its results folder's name, or as the GPU calls itself).
    #[arg(long)]
    pub gpu: Option<String>,
    /// The kind of chart, instead of the one --x makes: `bars` with --x makes a row per value.
    #[arg(long, value_enum)]
    pub kind: Option<KindArg>,
    /// The chart's title; by default made of the metrics and fields.
    #[arg(long)]
    pub title: Option<String>,
    /// Callouts on each line, comma-separated: peak, knee.
    #[arg(long, value_enum, value_delimiter = ',')]
    pub annotate: Vec<AnnotateArg>,
    /// Also write the scene built to this file (`<name>.toml`, a new file), to edit and render
    /// with `benchanim render <name>`; the charts are named after it.
    #[arg(long, value_name = "FILE")]
    pub save_scene: Option<PathBuf>,
    #[command(flatten)]
    pub input: ResultsArgs,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum KindArg {
    Bars,
    Line,
    Scatter,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum AnnotateArg {
    Peak,
    Knee,
}

pub fn run(args: PlotArgs) -> anyhow::Result<u8> {
    crate::atomic::exit_cleanly_on_signal()?;
    let settings = args.output.settings()?;
    let request = request(&args)?;
    let name = match &args.save_scene {
        Some(path) => saved_name(path)?,
        None => plot::default_name(&request),
    };
    let table = args.input.table()?;
    let mut made = plot::plot(&request, &table, &name)?;
    if let Some(path) = &args.save_scene {
        made.scene.common.path = path.clone();
    }
    made.scene.check()?;
    let (chart, _) = resolved(&name, &made.scene, &table, args.input.strict)?;
    if !args.output.quiet {
        for line in plot::describe(&made, &chart) {
            stderr_line!("{}", printable(&line));
        }
    }
    if let Some(path) = &args.save_scene {
        let given = std::env::args().skip(1).map(|a| match printable(&a) {
            a if a.contains(' ') => format!("'{a}'"),
            a => a.into_owned(),
        });
        let command: Vec<String> = std::iter::once("benchanim".to_string())
            .chain(given)
            .collect();
        plot::save(path, &made.scene, &command.join(" ")).context("--save-scene")?;
        stderr_line!("saved {}", path.display());
    }
    render_charts(&args.output, settings, &[(name, chart)])
}

/// The request the options make, `--where` pins parsed.
fn request(args: &PlotArgs) -> anyhow::Result<Request> {
    Ok(Request {
        ys: args.y.clone(),
        x: args.x.clone(),
        series_by: args.series_by.clone(),
        rows_by: args.rows_by.clone(),
        wheres: (args.where_.iter())
            .map(|w| parse_where(w))
            .collect::<anyhow::Result<_>>()?,
        benchmark: args.benchmark.clone(),
        gpu: args.gpu.clone(),
        kind: args.kind.map(|k| match k {
            KindArg::Bars => Kind::Bars,
            KindArg::Line => Kind::Line,
            KindArg::Scatter => Kind::Scatter,
        }),
        title: args.title.clone(),
        annotate: (args.annotate.iter())
            .map(|a| match a {
                AnnotateArg::Peak => AnnotationKind::Peak,
                AnnotateArg::Knee => AnnotationKind::Knee,
            })
            .collect(),
    })
}

/// The scene name a `--save-scene` file gives: its stem, the file a new `.toml` one.
fn saved_name(path: &Path) -> anyhow::Result<String> {
    let stem = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default();
    if path.extension().and_then(|e| e.to_str()) != Some("toml") {
        bail!(
            "--save-scene `{}`: a scene file is named `<name>.toml`, e.g. scenes/my_plot.toml",
            path.display()
        );
    }
    check_name(stem).context("--save-scene")?;
    if path.exists() {
        bail!(
            "--save-scene `{}`: the file exists; name a new file, or delete it first",
            path.display()
        );
    }
    Ok(stem.to_string())
}
