//! `benchanim render`: scenes → charts → frames → MP4, GIF and PNG in the output folder.

use std::borrow::Cow;
use std::path::Path;

use anyhow::bail;

use super::inputs::{ResultsArgs, ScenesArgs, charts};
use super::output::OutputArgs;
use super::stdout;
use super::watch::WatchArgs;
use crate::atomic;
use crate::chart::{Chart, Pace};
use crate::encode::{GifOptions, Mp4Options, Written};
use crate::gallery;
use crate::layout::{check_panels_fit, check_rows_fit};
use crate::lint::{self, Listing};
use crate::render::RenderSettings;
use crate::render::batch::{Job, timings_table};
use crate::terminal::{SceneBars, printable};

#[derive(Debug, clap::Args)]
pub struct RenderArgs {
    /// Scenes to render, by name (see `benchanim list`); `scene@suffix` for one chart of a
    /// `for_each` scene.
    #[arg(value_name = "SCENE", required_unless_present = "all")]
    pub names: Vec<String>,
    /// Render every scene in the scenes folder.
    #[arg(long, conflicts_with = "names")]
    pub all: bool,
    #[command(flatten)]
    pub scenes: ScenesArgs,
    #[command(flatten)]
    pub input: ResultsArgs,
    #[command(flatten)]
    pub output: OutputArgs,
    #[command(flatten)]
    pub watch: WatchArgs,
}

pub fn run(args: RenderArgs) -> anyhow::Result<u8> {
    render_once(&args, &args.output.settings()?)
}

/// One render, reading the scenes and results as they are now.
pub fn render_once(args: &RenderArgs, settings: &RenderSettings) -> anyhow::Result<u8> {
    let table = args.input.table()?;
    let charts = charts(
        &args.scenes.dir,
        &args.names,
        args.all,
        &table,
        args.input.strict,
    )?;
    render_charts(&args.output, settings.clone(), &charts)
}

/// `charts` at `pace` when --pace was given (a copy), else as they are.
fn paced(charts: &[(String, Chart)], pace: Option<Pace>) -> Cow<'_, [(String, Chart)]> {
    let Some(pace) = pace else {
        return Cow::Borrowed(charts);
    };
    let mut charts = charts.to_vec();
    for (_, chart) in &mut charts {
        chart.durations.pace = pace;
    }
    Cow::Owned(charts)
}

/// Most layout warnings a render prints before it counts the rest.
const MAX_WARNINGS: usize = 5;

/// Renders `charts` into the output folder and prints what was written (unless quiet);
/// returns the exit code.
pub fn render_charts(
    output: &OutputArgs,
    settings: RenderSettings,
    charts: &[(String, Chart)],
) -> anyhow::Result<u8> {
    let charts: &[(String, Chart)] = &paced(charts, output.pace);
    let (w, h) = (settings.video.width, settings.video.height);
    for (name, chart) in charts {
        check_panels_fit(name, chart, w, h)?;
        check_rows_fit(name, chart, w, h)?;
    }
    // What would read badly at this size, as `benchanim check` says it: a warning, not a stop,
    // and a few of them, so that a batch of charts alike does not bury the output.
    if !output.quiet {
        let report = lint::check(charts, &[(w, h)], &[settings.theme], Listing::Problems);
        let warnings = report.lines();
        for line in warnings.iter().take(MAX_WARNINGS) {
            stderr_line!("warning: {}", printable(line));
        }
        if warnings.len() > MAX_WARNINGS {
            stderr_line!(
                "warning: {} more like these; `benchanim check` lists every one",
                warnings.len() - MAX_WARNINGS
            );
        }
    }
    if output.out.exists() && !output.out.is_dir() {
        bail!(
            "--out `{}` is not a folder: a render writes a folder of files (MP4, GIF, PNG and index.html); name a folder, e.g. --out renders",
            output.out.display()
        );
    }
    atomic::exit_cleanly_on_signal()?;
    atomic::remove_stale_partials(&output.out);
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let job = Job {
        settings,
        formats: output.formats()?,
        out: output.out.clone(),
        mp4: Mp4Options {
            encoder: output.encoder,
            cfr: output.cfr,
            ..Mp4Options::default()
        },
        gif: GifOptions::default(),
        threads: output.jobs.unwrap_or(cores).max(1),
    };
    let bars = SceneBars::new(output.quiet || output.timings);
    let outcome = job.run(charts, &bars)?;
    // Every file is written before anything is printed: a closed pipe loses nothing.
    let mut text = String::new();
    let mut failures = 0;
    for scene in &outcome.scenes {
        if !output.quiet {
            for w in &scene.scene.files {
                text += &summary_line(&job.out, w);
                text.push('\n');
            }
        }
        for (path, why) in &scene.failed {
            failures += 1;
            stderr_line!("error: {} not written: {why}", path.display());
        }
    }
    if let (Some(gallery), false) = (&outcome.gallery, output.quiet) {
        text += &format!("{}  (gallery)\n", gallery.display());
    }
    if output.timings {
        text += &timings_table(&job, &outcome);
    }
    stdout::print(&text)?;
    if !output.quiet && !output.timings {
        let n = outcome.scenes.len();
        stderr_line!(
            "rendered {n} scene{} in {:.1} s",
            if n == 1 { "" } else { "s" },
            outcome.wall.as_secs_f64()
        );
    }
    Ok(if failures > 0 { 1 } else { 0 })
}

/// `renders/vllm_input.mp4   9.4 s   1.1 MB`; a PNG says `still`.
fn summary_line(out: &Path, w: &Written) -> String {
    let length = if w.duration.is_zero() {
        "still".to_string()
    } else {
        format!("{:.1} s", w.duration.as_secs_f64())
    };
    format!(
        "{:<40} {:>8} {:>9}",
        out.join(&w.name).display(),
        length,
        gallery::human_size(w.bytes)
    )
}
