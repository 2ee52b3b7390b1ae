//! `benchanim render`: scenes → charts → frames → MP4, GIF and PNG in the output folder.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use anyhow::bail;
use clap::builder::{PossibleValuesParser, TypedValueParser};
use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};

use std::fmt::Write;

use super::inputs::{ResultsArgs, ScenesArgs, resolved};
use super::stdout;
use crate::atomic;
use crate::chart::{Chart, Panels};
use crate::encode::{GifOptions, Mp4Encoder, Mp4Options, OutputKind, VideoSettings, Written};
use crate::gallery;
use crate::render::batch::{Job, Outcome, Progress};
use crate::render::text::missing_glyphs;
use crate::render::{RenderSettings, Theme};
use crate::results::Table;
use crate::scene::{load_charts, scan_scenes};
use crate::terminal::printable;

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
}

/// How charts become files: size, frame rate, formats, folder, look and encoders.
#[derive(Debug, clap::Args)]
pub struct OutputArgs {
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
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "mp4,gif,png",
        value_parser = PossibleValuesParser::new(OutputKind::ALL.map(OutputKind::extension))
            .try_map(|s| OutputKind::from_str(&s))
    )]
    pub format: Vec<OutputKind>,
    /// Output folder.
    #[arg(long, value_name = "DIR", default_value = "renders")]
    pub out: PathBuf,
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
    /// Threads for the whole run, shared by the scenes, their frame drawing and their encoders
    /// (default: one per CPU core).
    #[arg(short, long, value_name = "N")]
    pub jobs: Option<usize>,
    /// Print where the time went: per scene, its threads, rasterizing and each encoder's busy
    /// time; in total, how busy the threads were.
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

pub fn run(args: RenderArgs) -> anyhow::Result<u8> {
    let settings = args.output.settings()?;
    let table = args.input.table()?;
    let charts = charts(
        &args.scenes.dir,
        &args.names,
        args.all,
        &table,
        args.input.strict,
    )?;
    render_charts(&args.output, settings, &charts)
}

impl OutputArgs {
    /// The frames asked for, every number checked before any work.
    pub fn settings(&self) -> anyhow::Result<RenderSettings> {
        let (mut width, mut height, mut fps) = self.quality.size_and_fps();
        if let Some(r) = self.resolution {
            (width, height) = (r.0, r.1);
        }
        if let Some(f) = self.fps {
            fps = f;
        }
        let theme = match self.theme {
            ThemeArg::Dark => Theme::Dark,
            ThemeArg::Light => Theme::Light,
        };
        let settings = RenderSettings {
            video: VideoSettings { width, height, fps },
            theme,
            fadeout: self.fadeout,
        };
        settings.check()?;
        if let Some(jobs) = self.jobs
            && !(1..=MAX_JOBS).contains(&jobs)
        {
            bail!("-j/--jobs {jobs} is out of range: 1 to {MAX_JOBS}");
        }
        if self.out.is_file() {
            bail!(
                "--out `{}` is a file; it takes the folder the renders go in",
                self.out.display()
            );
        }
        Ok(settings)
    }
}

/// Renders `charts` into the output folder and prints what was written (unless quiet);
/// returns the exit code.
pub fn render_charts(
    output: &OutputArgs,
    settings: RenderSettings,
    charts: &[(String, Chart)],
) -> anyhow::Result<u8> {
    let (w, h) = (settings.video.width, settings.video.height);
    for (name, chart) in charts {
        if let Some(panels) = chart.panels()
            && panels.panels.len() > Panels::max_on(w, h)
        {
            bail!(
                "{name}: {} panels do not fit a {w}x{h} frame, which takes at most {} (8 from 1280x720 up); render it larger, or split it with `for_each`",
                panels.panels.len(),
                Panels::max_on(w, h)
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
        // Each kind once, in the order of OutputKind::ALL.
        formats: OutputKind::ALL
            .into_iter()
            .filter(|k| output.format.contains(k))
            .collect(),
        out: output.out.clone(),
        mp4: Mp4Options {
            encoder: output.encoder,
            cfr: output.cfr,
            ..Mp4Options::default()
        },
        gif: GifOptions::default(),
        threads: output.jobs.unwrap_or(cores).max(1),
    };
    let bars = Bars::new(output.quiet || output.timings);
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
            eprintln!("error: {} not written: {why}", path.display());
        }
    }
    if let (Some(gallery), false) = (&outcome.gallery, output.quiet) {
        text += &format!("{}  (gallery)\n", gallery.display());
    }
    if output.timings {
        text += &timings(&job, &outcome);
    }
    stdout::print(&text)?;
    if !output.quiet && !output.timings {
        let n = outcome.scenes.len();
        eprintln!(
            "rendered {n} scene{} in {:.1} s",
            if n == 1 { "" } else { "s" },
            outcome.wall.as_secs_f64()
        );
    }
    Ok(if failures > 0 { 1 } else { 0 })
}

/// A progress bar per scene on stderr, or nothing.
struct Bars {
    bars: MultiProgress,
    style: ProgressStyle,
}

impl Bars {
    fn new(hidden: bool) -> Bars {
        let target = if hidden {
            ProgressDrawTarget::hidden()
        } else {
            ProgressDrawTarget::stderr()
        };
        Bars {
            bars: MultiProgress::with_draw_target(target),
            style: ProgressStyle::with_template("{prefix:>24} [{bar:30}] {pos}/{len} frames {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
        }
    }
}

impl Progress for Bars {
    fn scene(&self, name: &str) -> Box<dyn FnMut(u64, u64) + '_> {
        /// Clears its bar when the scene is done.
        struct Bar(ProgressBar);
        impl Drop for Bar {
            fn drop(&mut self) {
                self.0.finish_and_clear();
            }
        }
        let bar = Bar(self.bars.add(
            ProgressBar::new(0)
                .with_style(self.style.clone())
                .with_prefix(name.to_string()),
        ));
        Box::new(move |done, total| {
            bar.0.set_length(total);
            bar.0.set_position(done);
        })
    }
}

/// `render --timings`: per scene its threads, frames, the time spent rasterizing (summed over
/// its frame workers) and inside each encoder, and its wall time; in total the wall time and
/// how many of the run's threads the program kept busy (its CPU time over the wall time).
fn timings(job: &Job, outcome: &Outcome) -> String {
    let mut out = String::new();
    let v = &job.settings.video;
    let _ = writeln!(
        out,
        "{}x{} at {} fps, {} threads, MP4 encoder {}",
        v.width, v.height, v.fps, job.threads, job.mp4.encoder
    );
    let kinds: Vec<OutputKind> = OutputKind::ALL
        .into_iter()
        .filter(|k| job.formats.contains(k))
        .collect();
    let width = outcome
        .scenes
        .iter()
        .map(|s| s.scene.name.len())
        .max()
        .unwrap_or(0)
        .max(24);
    let mut header = format!(
        "{:<width$} {:>7} {:>7} {:>7} {:>9}",
        "scene", "threads", "frames", "unique", "raster s"
    );
    for kind in &kinds {
        header += &format!(" {:>9}", format!("{} s", kind.extension()));
    }
    let _ = writeln!(out, "{header} {:>9}", "wall s");
    let mut busy_by_kind = vec![0.0; kinds.len()];
    let (mut raster, mut frames) = (0.0, 0);
    for s in &outcome.scenes {
        let t = &s.timings;
        let mut line = format!(
            "{:<width$} {:>7} {:>7} {:>7} {:>9.2}",
            s.scene.name,
            s.threads,
            t.frames,
            t.unique_frames,
            t.rasterize.as_secs_f64()
        );
        for (k, kind) in kinds.iter().enumerate() {
            let busy: f64 = s
                .encoded
                .iter()
                .zip(&t.encode)
                .filter(|(e, _)| *e == kind)
                .map(|(_, d)| d.as_secs_f64())
                .sum();
            busy_by_kind[k] += busy;
            line += &format!(" {busy:>9.2}");
        }
        let _ = writeln!(out, "{line} {:>9.2}", t.wall.as_secs_f64());
        raster += t.rasterize.as_secs_f64();
        frames += t.frames;
    }
    let mut line = format!(
        "{:<width$} {:>7} {:>7} {:>7} {raster:>9.2}",
        "total", "", frames, ""
    );
    for busy in &busy_by_kind {
        line += &format!(" {busy:>9.2}");
    }
    let wall = outcome.wall.as_secs_f64();
    let _ = writeln!(out, "{line} {wall:>9.2}");
    let cpu = outcome.cpu.as_secs_f64();
    let _ = writeln!(
        out,
        "{wall:.2} s wall, {cpu:.2} s CPU: {:.1} of {} threads busy on average",
        cpu / wall.max(1e-9),
        job.threads
    );
    out
}

/// manim's quality presets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Quality {
    /// 854x480 at 15 fps.
    L,
    /// 1280x720 at 30 fps.
    M,
    /// 1920x1080 at 60 fps.
    H,
    /// 3840x2160 at 60 fps.
    K,
}

impl Quality {
    pub fn size_and_fps(self) -> (u32, u32, u32) {
        match self {
            Quality::L => (854, 480, 15),
            Quality::M => (1280, 720, 30),
            Quality::H => (1920, 1080, 60),
            Quality::K => (3840, 2160, 60),
        }
    }
}

/// `1920x1080`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Resolution(pub u32, pub u32);

impl FromStr for Resolution {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let parse = || -> Option<Resolution> {
            let (w, h) = s.split_once(['x', 'X'])?;
            Some(Resolution(w.trim().parse().ok()?, h.trim().parse().ok()?))
        };
        parse().ok_or_else(|| format!("`{s}` is not a size; expected WIDTHxHEIGHT, e.g. 1920x1080"))
    }
}

/// The charts to render: every named scene resolved against `table`, stopping at the first
/// scene that has an error (so nothing renders from a half-valid request).
fn charts(
    scenes_dir: &Path,
    names: &[String],
    all: bool,
    table: &Table,
    strict: bool,
) -> anyhow::Result<Vec<(String, Chart)>> {
    let names = if all {
        let (names, odd) = scan_scenes(scenes_dir)?;
        for entry in odd {
            eprintln!("warning: {}; not a scene file, skipped", printable(&entry));
        }
        if names.is_empty() {
            bail!("no scenes (*.toml) in `{}`", scenes_dir.display());
        }
        names
    } else if names.is_empty() {
        bail!("name the scenes to render (see `benchanim list`), or pass --all");
    } else {
        names.to_vec()
    };
    let mut charts = Vec::new();
    for name in names {
        // A `for_each` scene is a chart per combination: `name@suffix`.
        let expanded = load_charts(scenes_dir, &name, table)?;
        for skipped in &expanded.skipped {
            eprintln!("{name}: skipped {}", printable(skipped));
        }
        for (name, scene) in expanded.charts {
            let (chart, _) = resolved(&name, &scene, table, strict)?;
            for missing in missing_glyphs(&chart) {
                eprintln!("warning: {name}: {}", printable(&missing.to_string()));
            }
            charts.push((name, chart));
        }
    }
    Ok(charts)
}

/// Most scenes rendered at once (`-j`).
const MAX_JOBS: usize = 1024;

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
