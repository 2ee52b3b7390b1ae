//! `benchanim render`: scenes → charts → frames → MP4, GIF and PNG in the output folder.

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;

use crate::chart::Chart;
use crate::encode::{self, Frame, GifOptions, Mp4Options, Sink, VideoSettings, Written};
use crate::gallery::{self, RenderedScene};
use crate::render::{self, RenderSettings, RenderStats};
use crate::results::Table;
use crate::scene::{list_scenes, load_scene, resolve};

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
