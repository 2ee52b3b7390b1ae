//! `benchanim render`: scenes → charts → frames → MP4, GIF and PNG in the output folder.

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;

use super::inputs::{ResultsArgs, ScenesArgs};
use crate::chart::Chart;
use crate::encode::{
    self, Frame, GifOptions, Mp4Encoder, Mp4Options, Sink, VideoSettings, Written,
};
use crate::gallery::{self, RenderedScene};
use crate::render::{self, RenderSettings, RenderStats, Theme};
use crate::results::Table;
use crate::scene::{list_scenes, load_scene, resolve};

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

pub fn run(args: RenderArgs) -> anyhow::Result<u8> {
    let table = args.input.table()?;
    let charts = charts(&args.scenes.dir, &args.names, args.all, &table)?;
    let (mut width, mut height, mut fps) = args.quality.size_and_fps();
    if let Some(r) = args.resolution {
        (width, height) = (r.0, r.1);
    }
    if let Some(f) = args.fps {
        fps = f;
    }
    let theme = match args.theme {
        ThemeArg::Dark => Theme::Dark,
        ThemeArg::Light => Theme::Light,
    };
    let job = Job {
        settings: RenderSettings {
            width,
            height,
            fps,
            theme,
            fadeout: args.fadeout,
        },
        formats: args.format.clone(),
        out: args.out.clone(),
        mp4: Mp4Options {
            encoder: args.encoder,
            cfr: args.cfr,
        },
        gif: GifOptions::default(),
    };
    if args.timings {
        return timings(&charts, &job);
    }
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let started = std::time::Instant::now();
    let outcomes = render_all(&charts, &job, args.jobs.unwrap_or(cores), args.quiet)?;
    let mut failures = 0;
    for outcome in &outcomes {
        for w in &outcome.written {
            if !args.quiet {
                println!("{}", summary_line(w));
            }
        }
        for (path, why) in &outcome.failed {
            failures += 1;
            eprintln!("error: {} not written: {why}", path.display());
        }
    }
    if args.all || outcomes.len() > 1 {
        let index = write_gallery(&job.out, &outcomes)?;
        if !args.quiet {
            println!("{}  (gallery)", index.display());
        }
    }
    if !args.quiet {
        eprintln!(
            "rendered {} scene{} in {:.1} s",
            outcomes.len(),
            if outcomes.len() == 1 { "" } else { "s" },
            started.elapsed().as_secs_f64()
        );
    }
    Ok(if failures > 0 { 1 } else { 0 })
}

/// `render --timings`: frames/s for rasterizing alone, encoding alone and the whole, one scene
/// at a time so the figures do not compete for the cores.
fn timings(charts: &[(String, Chart)], job: &Job) -> anyhow::Result<u8> {
    let s = &job.settings;
    println!(
        "{}x{} at {} fps, formats {:?}, MP4 encoder {}",
        s.width, s.height, s.fps, job.formats, job.mp4.encoder
    );
    println!(
        "{:<28} {:>7} {:>7} {:>12} {:>12} {:>12} {:>9}",
        "scene", "frames", "unique", "raster f/s", "encode f/s", "whole f/s", "whole s"
    );
    let (mut frames, mut raster, mut encode, mut whole) = (0u64, 0.0, 0.0, 0.0);
    for (name, chart) in charts {
        let t = time_scene(name, chart, job)?;
        let fps = |d: std::time::Duration| t.frames as f64 / d.as_secs_f64().max(1e-9);
        println!(
            "{:<28} {:>7} {:>7} {:>12.0} {:>12.0} {:>12.0} {:>9.2}",
            name,
            t.frames,
            t.unique_frames,
            fps(t.rasterize),
            fps(t.encode),
            fps(t.whole),
            t.whole.as_secs_f64()
        );
        frames += t.frames;
        raster += t.rasterize.as_secs_f64();
        encode += t.encode.as_secs_f64();
        whole += t.whole.as_secs_f64();
    }
    let per = |secs: f64| frames as f64 / secs.max(1e-9);
    println!(
        "{:<28} {:>7} {:>7} {:>12.0} {:>12.0} {:>12.0} {:>9.2}",
        "total",
        frames,
        "",
        per(raster),
        per(encode),
        per(whole),
        whole
    );
    println!(
        "rasterizing alone {raster:.2} s, encoding alone {encode:.2} s, whole {whole:.2} s: the whole takes {:.0}% more than encoding alone",
        (whole / encode.max(1e-9) - 1.0) * 100.0
    );
    Ok(0)
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    Mp4,
    Gif,
    Png,
}

impl OutputFormat {
    fn extension(self) -> &'static str {
        match self {
            OutputFormat::Mp4 => "mp4",
            OutputFormat::Gif => "gif",
            OutputFormat::Png => "png",
        }
    }
}

/// Everything a render needs besides the scenes.
#[derive(Debug, Clone)]
pub struct Job {
    pub settings: RenderSettings,
    pub formats: Vec<OutputFormat>,
    pub out: PathBuf,
    pub mp4: Mp4Options,
    pub gif: GifOptions,
}

impl Job {
    fn video(&self) -> VideoSettings {
        let s = &self.settings;
        VideoSettings {
            width: s.width,
            height: s.height,
            fps: s.fps,
        }
    }

    fn path(&self, name: &str, format: OutputFormat) -> PathBuf {
        self.out.join(format!("{name}.{}", format.extension()))
    }

    /// The video sinks (MP4, GIF) of the requested formats for scene `name`, each with its
    /// path; the PNG is drawn apart, from the finished chart.
    fn video_sinks(&self, name: &str) -> Vec<(PathBuf, anyhow::Result<Box<dyn Sink>>)> {
        self.formats
            .iter()
            .filter_map(|&format| {
                let path = self.path(name, format);
                let sink = match format {
                    OutputFormat::Mp4 => encode::mp4(&path, self.video(), self.mp4),
                    OutputFormat::Gif => encode::gif(&path, self.video(), self.gif),
                    OutputFormat::Png => return None,
                };
                Some((path, sink))
            })
            .collect()
    }
}

/// What became of one scene.
pub struct SceneOutcome {
    pub name: String,
    pub title: String,
    pub written: Vec<Written>,
    /// Outputs that failed, with why.
    pub failed: Vec<(PathBuf, String)>,
    pub stats: RenderStats,
}

/// The charts to render: every named scene resolved against `table`, stopping at the first
/// scene that has an error (so nothing renders from a half-valid request).
pub fn charts(
    scenes_dir: &Path,
    names: &[String],
    all: bool,
    table: &Table,
) -> anyhow::Result<Vec<(String, Chart)>> {
    let names = if all {
        let names = list_scenes(scenes_dir)?;
        if names.is_empty() {
            bail!("no scenes (*.toml) in `{}`", scenes_dir.display());
        }
        names
    } else if names.is_empty() {
        bail!("name the scenes to render (see `benchanim list`), or pass --all");
    } else {
        names.to_vec()
    };
    names
        .into_iter()
        .map(|name| {
            let scene = load_scene(scenes_dir, &name)?;
            let (chart, _) = resolve(&scene, table)?;
            Ok((name, chart))
        })
        .collect()
}

/// Renders the charts, `jobs` scenes at a time, with a progress bar per scene unless `quiet`.
pub fn render_all(
    charts: &[(String, Chart)],
    job: &Job,
    jobs: usize,
    quiet: bool,
) -> anyhow::Result<Vec<SceneOutcome>> {
    std::fs::create_dir_all(&job.out)
        .with_context(|| format!("cannot create `{}`", job.out.display()))?;
    let bars = MultiProgress::with_draw_target(if quiet {
        ProgressDrawTarget::hidden()
    } else {
        ProgressDrawTarget::stderr()
    });
    let style = ProgressStyle::with_template("{prefix:>24} [{bar:30}] {pos}/{len} frames {msg}")
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ");
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs.max(1))
        .build()?;
    pool.install(|| {
        charts
            .par_iter()
            .map(|(name, chart)| {
                let bar = bars.add(
                    ProgressBar::new(0)
                        .with_style(style.clone())
                        .with_prefix(name.clone()),
                );
                let outcome = render_scene(name, chart, job, &mut |done, total| {
                    bar.set_length(total);
                    bar.set_position(done);
                });
                bar.finish_and_clear();
                outcome
            })
            .collect()
    })
}

/// One scene into each requested format. The PNG is the finished chart, written even when the
/// video encoders fail.
pub fn render_scene(
    name: &str,
    chart: &Chart,
    job: &Job,
    progress: &mut dyn FnMut(u64, u64),
) -> anyhow::Result<SceneOutcome> {
    let s = &job.settings;
    let mut written = Vec::new();
    let mut failed = Vec::new();
    let mut sinks: Vec<Box<dyn Sink>> = Vec::new();
    let mut sink_paths = Vec::new();
    for (path, sink) in job.video_sinks(name) {
        match sink {
            Ok(sink) => {
                sinks.push(sink);
                sink_paths.push(path);
            }
            Err(e) => failed.push((path, format!("{e:#}"))),
        }
    }
    let mut stats = RenderStats::default();
    if !sinks.is_empty() {
        let rendered = render::render(chart, s, sinks, progress)
            .with_context(|| format!("rendering scene `{name}`"))?;
        stats = rendered.stats;
        for (result, path) in rendered.outputs.into_iter().zip(sink_paths) {
            match result {
                Ok(w) => written.push(w),
                Err(e) => failed.push((path, format!("{e:#}"))),
            }
        }
    }
    if job.formats.contains(&OutputFormat::Png) {
        let still = render::final_frame(chart, s)?;
        let mut sink = encode::png(&job.path(name, OutputFormat::Png), job.video())?;
        sink.push(
            Frame {
                width: still.width(),
                height: still.height(),
                rgba: still.data(),
            },
            1,
        )?;
        written.push(sink.finish()?);
    }
    Ok(SceneOutcome {
        name: name.to_string(),
        title: chart.title.clone(),
        written,
        failed,
        stats,
    })
}

/// Writes `index.html` beside the renders, for every scene that has all three files there.
pub fn write_gallery(out: &Path, outcomes: &[SceneOutcome]) -> anyhow::Result<PathBuf> {
    let mut scenes = Vec::new();
    for outcome in outcomes {
        if let Ok(mut scene) = RenderedScene::from_dir(out, &outcome.name) {
            scene.title = outcome.title.clone();
            scenes.push(scene);
        }
    }
    gallery::write_index(out, &scenes)
}

/// `renders/vllm_input.mp4   9.4 s   1.1 MB`; a PNG says `still`.
pub fn summary_line(w: &Written) -> String {
    let length = if w.duration.is_zero() {
        "still".to_string()
    } else {
        format!("{:.1} s", w.duration.as_secs_f64())
    };
    format!(
        "{:<40} {:>8} {:>9}",
        w.path.display(),
        length,
        gallery::human_size(w.bytes)
    )
}

/// Figures for `--timings`: rasterizing alone, encoding alone and the whole, for one scene.
pub struct Timings {
    pub frames: u64,
    pub unique_frames: u64,
    pub rasterize: Duration,
    pub encode: Duration,
    pub whole: Duration,
}

/// Measures the three in one run: rasterizing every distinct frame without sinks; encoding the
/// same frames (drawn beforehand, held in memory) without rasterizing; and the normal render.
pub fn time_scene(name: &str, chart: &Chart, job: &Job) -> anyhow::Result<Timings> {
    let (unique_frames, frames, rasterize) = render::rasterize_only(chart, &job.settings)?;

    let scratch = tempfile::tempdir()?;
    let captured = capture(chart, &job.settings)?;
    let replay_job = Job {
        out: scratch.path().to_path_buf(),
        ..job.clone()
    };
    let started = Instant::now();
    replay(name, &captured, &replay_job)?;
    let encode = started.elapsed();
    drop(captured);

    let started = Instant::now();
    render_scene(name, chart, job, &mut |_, _| {})?;
    let whole = started.elapsed();
    Ok(Timings {
        frames,
        unique_frames,
        rasterize,
        encode,
        whole,
    })
}

/// Every distinct frame with its repeat count.
type Captured = Vec<(Vec<u8>, u32)>;

fn capture(chart: &Chart, settings: &RenderSettings) -> anyhow::Result<Captured> {
    struct Collect(std::sync::Arc<std::sync::Mutex<Captured>>);
    impl Sink for Collect {
        fn push(&mut self, frame: Frame<'_>, repeat: u32) -> anyhow::Result<()> {
            self.0
                .lock()
                .map_err(|_| anyhow::anyhow!("capture poisoned"))?
                .push((frame.rgba.to_vec(), repeat));
            Ok(())
        }
        fn finish(self: Box<Self>) -> anyhow::Result<Written> {
            Ok(Written {
                path: PathBuf::new(),
                bytes: 0,
                duration: Duration::ZERO,
                frames: 0,
            })
        }
    }
    let frames = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    render::render(
        chart,
        settings,
        vec![Box::new(Collect(frames.clone()))],
        &mut |_, _| {},
    )?;
    let frames = std::mem::take(
        &mut *frames
            .lock()
            .map_err(|_| anyhow::anyhow!("capture poisoned"))?,
    );
    Ok(frames)
}

/// Feeds captured frames to the job's encoders, each on its own thread as in a render.
fn replay(name: &str, frames: &Captured, job: &Job) -> anyhow::Result<()> {
    let s = &job.settings;
    let sinks = job
        .video_sinks(name)
        .into_iter()
        .map(|(_, sink)| sink)
        .collect::<anyhow::Result<Vec<_>>>()?;
    std::thread::scope(|scope| {
        let handles: Vec<_> = sinks
            .into_iter()
            .map(|mut sink| {
                scope.spawn(move || -> anyhow::Result<()> {
                    for (rgba, repeat) in frames {
                        sink.push(
                            Frame {
                                width: s.width,
                                height: s.height,
                                rgba,
                            },
                            *repeat,
                        )?;
                    }
                    sink.finish().map(drop)
                })
            })
            .collect();
        handles.into_iter().try_for_each(|h| {
            h.join()
                .map_err(|_| anyhow::anyhow!("encoder thread panicked"))?
        })
    })
}
