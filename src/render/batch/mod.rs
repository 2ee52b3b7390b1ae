//! A render job: charts into one folder. Every chart is laid out and planned first, then the
//! scenes render costliest first on one [`Budget`] of threads and frame memory, each into the
//! requested files. The folder's manifest (`manifest.json`) gains the scenes written, and its
//! gallery (`index.html`) is written again from the manifest, so it shows every scene rendered
//! there, not only this run's.

mod budget;
mod timings;

use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};

pub use budget::{Budget, Lease};
pub use timings::timings_table;

use crate::chart::Chart;
use crate::encode::{self, Frame, GifOptions, Mp4Options, OutputKind, Sink, Written};
use crate::gallery;
use crate::manifest::{Manifest, RenderedScene};
use crate::render::{self, FRAMES_PER_WORKER, Prepared, RenderSettings, Timings};

/// Frame buffers the whole run may hold: at 1080p, about ten frame workers' worth.
pub const FRAME_MEMORY: u64 = 256 << 20;

/// Everything a render needs besides the charts.
#[derive(Debug, Clone)]
pub struct Job {
    pub settings: RenderSettings,
    /// The files to write for each scene.
    pub formats: Vec<OutputKind>,
    /// The folder they go to.
    pub out: PathBuf,
    /// MP4 encoder and frame rate mode; each scene's encoder threads come from the budget.
    pub mp4: Mp4Options,
    pub gif: GifOptions,
    /// Threads for the whole run, shared by its scenes.
    pub threads: usize,
}

/// What became of one scene.
pub struct SceneOutcome {
    /// The scene with the files written for it.
    pub scene: RenderedScene,
    /// Files that were not written, with why.
    pub failed: Vec<(PathBuf, String)>,
    pub timings: Timings,
    /// The kind of file of each entry in `timings.encode`.
    pub encoded: Vec<OutputKind>,
    /// Threads the scene had from the budget.
    pub threads: usize,
}

/// What a job did.
pub struct Outcome {
    /// Every scene, in the order given.
    pub scenes: Vec<SceneOutcome>,
    /// The gallery, written (with the manifest) when any file was.
    pub gallery: Option<PathBuf>,
    /// From the start to the gallery written.
    pub wall: Duration,
    /// CPU time the program used meanwhile, on all its threads (encoders' own included).
    pub cpu: Duration,
}

/// Shows how far each scene has got.
pub trait Progress: Sync {
    /// A scene starts; the callback gets (frame periods done, frame periods in all) and is
    /// dropped when the scene is done.
    fn scene(&self, name: &str) -> Box<dyn FnMut(u64, u64) + '_>;
}

impl Job {
    /// Renders `charts` (scene name, chart) into the folder; stops before writing anything
    /// when the settings cannot render. A file that fails does not stop the others.
    pub fn run(
        &self,
        charts: &[(String, Chart)],
        progress: &dyn Progress,
    ) -> anyhow::Result<Outcome> {
        let started = Instant::now();
        let cpu_at_start = cpu_time();
        self.settings.check()?;
        if self.formats.is_empty() {
            bail!("no output formats; ask for at least one of mp4, gif, png, svg, frames");
        }
        let prepared = parallel_map(charts, self.threads, |(name, chart)| {
            render::prepare(chart, &self.settings)
                .with_context(|| format!("preparing scene `{name}`"))
        })
        .into_iter()
        .collect::<anyhow::Result<Vec<Prepared>>>()?;
        std::fs::create_dir_all(&self.out)
            .with_context(|| format!("cannot create `{}`", self.out.display()))?;

        let costs: Vec<u64> = prepared.iter().map(|p| self.cost(p)).collect();
        let worker_memory = FRAMES_PER_WORKER * self.settings.frame_bytes();
        let most = if self.formats.contains(&OutputKind::Mp4) {
            self.mp4.encoder.max_threads()
        } else {
            1
        };
        let budget = Budget::new(self.threads, FRAME_MEMORY, worker_memory, most, &costs);
        let done: Mutex<Vec<Option<SceneOutcome>>> =
            Mutex::new(charts.iter().map(|_| None).collect());
        // The folder is the truth: scenes whose files are there are listed even when the
        // manifest lost them, and each scene is listed as soon as it is finished, so a render
        // stopped halfway still lists what it finished.
        let (manifest, recovered) = Manifest::load_or_recover(&self.out);
        if !recovered.is_empty() {
            stderr_line!(
                "warning: {}: {} did not list {}; listed again from the files there",
                self.out.display(),
                crate::manifest::FILE_NAME,
                recovered.join(", ")
            );
        }
        let manifest = Mutex::new(manifest);
        std::thread::scope(|scope| {
            for _ in 0..budget.lanes() {
                scope.spawn(|| {
                    while let Some(lease) = budget.next() {
                        let (name, chart) = &charts[lease.scene];
                        let outcome = self.render_scene(
                            name,
                            &chart.title,
                            &prepared[lease.scene],
                            &lease,
                            progress,
                        );
                        if !outcome.scene.files.is_empty()
                            && let Ok(mut listed) = manifest.lock()
                        {
                            listed.merge([outcome.scene.clone()]);
                            // The final write below says whether writing works.
                            let _ = listed.write(&self.out);
                        }
                        if let Ok(mut done) = done.lock() {
                            done[lease.scene] = Some(outcome);
                        }
                    }
                });
            }
        });
        let scenes: Vec<SceneOutcome> = done
            .into_inner()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .into_iter()
            .zip(charts)
            .map(|(outcome, (name, _))| {
                outcome.with_context(|| format!("scene `{name}` was never rendered"))
            })
            .collect::<anyhow::Result<_>>()?;

        let mut gallery = None;
        let wrote_any = scenes.iter().any(|s| !s.scene.files.is_empty());
        if wrote_any || !recovered.is_empty() {
            let all = manifest
                .into_inner()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            all.write(&self.out)?;
            gallery = Some(gallery::write_index(&self.out, &all.scenes)?);
        }
        Ok(Outcome {
            scenes,
            gallery,
            wall: started.elapsed(),
            cpu: cpu_time().saturating_sub(cpu_at_start),
        })
    }

    /// How much work a scene is, for ordering and sharing: its distinct frames, or every frame
    /// when the MP4 encodes each one.
    fn cost(&self, prepared: &Prepared) -> u64 {
        if self.mp4.cfr && self.formats.contains(&OutputKind::Mp4) {
            prepared.frames()
        } else {
            prepared.unique_frames()
        }
    }

    fn path(&self, name: &str, kind: OutputKind) -> PathBuf {
        self.out.join(kind.file_name(name))
    }

    /// One scene into each requested format, with what it borrowed from the budget. The PNG and
    /// SVG are the finished chart, written even when the video encoders fail.
    fn render_scene(
        &self,
        name: &str,
        title: &str,
        prepared: &Prepared,
        lease: &Lease,
        progress: &dyn Progress,
    ) -> SceneOutcome {
        let started = Instant::now();
        let video = self.settings.video;
        let mp4 = Mp4Options {
            threads: lease.threads,
            ..self.mp4
        };
        let gif = GifOptions {
            transparent: self.settings.transparent,
            ..self.gif
        };
        let mut files = Vec::new();
        let mut failed = Vec::new();
        let mut sinks: Vec<Box<dyn Sink>> = Vec::new();
        let mut encoded = Vec::new();
        for &kind in self.formats.iter().filter(|k| k.is_video()) {
            let path = self.path(name, kind);
            let sink = match kind {
                OutputKind::Mp4 => encode::mp4(&path, video, mp4),
                OutputKind::Gif => encode::gif(&path, video, gif),
                OutputKind::Frames => encode::frames(&path, video),
                OutputKind::Webm | OutputKind::Mov => encode::alpha_video(&path, video, kind),
                OutputKind::Png | OutputKind::Svg => continue,
            };
            match sink {
                Ok(sink) => {
                    sinks.push(sink);
                    encoded.push(kind);
                }
                Err(e) => failed.push((path, format!("{e:#}"))),
            }
        }
        let mut timings = Timings {
            frames: prepared.frames(),
            unique_frames: prepared.unique_frames(),
            ..Timings::default()
        };
        if !sinks.is_empty() {
            let mut report = progress.scene(name);
            match prepared.play(sinks, lease.workers, &mut *report) {
                Ok(rendered) => {
                    timings = rendered.timings;
                    for (result, &kind) in rendered.outputs.into_iter().zip(&encoded) {
                        match result {
                            Ok(w) => files.push(w),
                            Err(e) => failed.push((self.path(name, kind), format!("{e:#}"))),
                        }
                    }
                }
                Err(e) => {
                    for &kind in &encoded {
                        failed.push((self.path(name, kind), format!("{e:#}")));
                    }
                    timings.encode = vec![Duration::ZERO; encoded.len()];
                }
            }
        }
        for &kind in self.formats.iter().filter(|k| !k.is_video()) {
            let started = Instant::now();
            match self.write_still(name, prepared, kind) {
                Ok(w) => files.push(w),
                Err(e) => failed.push((self.path(name, kind), format!("{e:#}"))),
            }
            timings.encode.push(started.elapsed());
            encoded.push(kind);
        }
        files.sort_by_key(|f| OutputKind::ALL.iter().position(|&k| k == f.kind));
        timings.wall = started.elapsed();
        SceneOutcome {
            scene: RenderedScene {
                name: name.to_string(),
                title: title.to_string(),
                files,
            },
            failed,
            timings,
            encoded,
            threads: lease.threads,
        }
    }

    /// The finished chart as a PNG or an SVG.
    fn write_still(
        &self,
        name: &str,
        prepared: &Prepared,
        kind: OutputKind,
    ) -> anyhow::Result<Written> {
        let (path, video) = (self.path(name, kind), self.settings.video);
        if kind == OutputKind::Svg {
            return encode::svg(&path, &prepared.final_svg(), (video.width, video.height));
        }
        let still = prepared.final_frame()?;
        let mut sink = encode::png(&path, video)?;
        sink.push(Frame::whole(still.width(), still.height(), still.data()), 1)?;
        sink.finish()
    }
}

/// User and system CPU time of the whole process so far.
fn cpu_time() -> Duration {
    // SAFETY: getrusage only writes the struct it is given.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        if libc::getrusage(libc::RUSAGE_SELF, &mut usage) != 0 {
            return Duration::ZERO;
        }
        usage
    };
    let time = |t: libc::timeval| {
        Duration::from_secs(t.tv_sec.max(0) as u64) + Duration::from_micros(t.tv_usec.max(0) as u64)
    };
    time(usage.ru_utime) + time(usage.ru_stime)
}

/// `f` over `items` on up to `threads` threads; results in the order of the items.
fn parallel_map<T: Sync, R: Send>(
    items: &[T],
    threads: usize,
    f: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<R>>> = Mutex::new(items.iter().map(|_| None).collect());
    std::thread::scope(|scope| {
        for _ in 0..threads.clamp(1, items.len().max(1)) {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(item) = items.get(i) else { break };
                    let result = f(item);
                    if let Ok(mut results) = results.lock() {
                        results[i] = Some(result);
                    }
                }
            });
        }
    });
    results
        .into_inner()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .into_iter()
        .flatten()
        .collect()
}
