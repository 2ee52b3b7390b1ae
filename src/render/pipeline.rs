//! The frame pipeline: plan which frames differ, rasterize them in parallel, and stream them in
//! order to the sinks, each sink on its own thread.
//!
//! Identical consecutive frames are planned as one frame with a repeat count and never
//! rasterized twice, and each planned frame knows the regions where it differs from the one
//! before. Workers take chunks of consecutive frames in order; each frame is the previous one
//! with only its changed regions redrawn, in a buffer that a worker brings up to date by copying
//! only what changed since it last held a frame. The sinks learn those regions too, so they
//! convert only what changed. A worker hands each frame over only when the consumer is ready
//! for it, so the number of frames alive is bounded by the number of workers and sinks, never
//! by the length of the video.

use std::ops::Range;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context, anyhow};
use tiny_skia::Pixmap;

use super::frame::{changed_regions, draw_frame, update_frame};
use super::stage::{Look, PixelRect, Stage};
use crate::encode::{Frame, Region, Sink, Written};

/// Consecutive frames one worker takes at a time.
const CHUNK: usize = 16;

/// One distinct frame and for how many frame periods it stays on screen.
pub struct Planned {
    pub looks: Vec<Look>,
    pub repeat: u32,
    /// Where it differs from the frame before (nothing for the first).
    pub changed: Vec<PixelRect>,
}

/// The distinct frames of the animation at `fps`, in order, with their repeat counts.
pub fn plan(stage: &Stage, fps: u32) -> Vec<Planned> {
    let fps = fps.max(1) as f64;
    let total = (stage.timeline.duration() * fps).round().max(1.0) as u64;
    let mut planned: Vec<Planned> = Vec::new();
    let mut last_time = 0.0;
    for i in 0..total {
        let t = i as f64 / fps;
        if let Some(last) = planned.last_mut() {
            // Nothing moves: the frame repeats without even computing how it looks.
            if stage.timeline.is_static_between(last_time, t) {
                last.repeat += 1;
                continue;
            }
            let looks = stage.looks_at(t);
            last_time = t;
            if looks == last.looks {
                last.repeat += 1;
                continue;
            }
            let changed = changed_regions(stage, &last.looks, &looks);
            planned.push(Planned {
                looks,
                repeat: 1,
                changed,
            });
        } else {
            planned.push(Planned {
                looks: stage.looks_at(t),
                repeat: 1,
                changed: Vec::new(),
            });
        }
    }
    planned
}

/// Frame buffers, reused so that frames cost no fresh allocation (and no page faults). Each
/// free buffer remembers which planned frame it holds.
struct Pool {
    free: Mutex<Vec<(Pixmap, usize)>>,
    width: u32,
    height: u32,
}

impl Pool {
    /// A buffer, preferably the latest of those holding a frame in `recent`; with the index of
    /// the frame it holds, if from `recent`.
    fn take(&self, recent: Range<usize>) -> Option<(Pixmap, Option<usize>)> {
        if let Ok(mut free) = self.free.lock() {
            let best = free
                .iter()
                .enumerate()
                .filter(|(_, (_, held))| recent.contains(held))
                .max_by_key(|(_, (_, held))| *held)
                .map(|(at, _)| at);
            if let Some(at) = best {
                let (pixmap, held) = free.swap_remove(at);
                return Some((pixmap, Some(held)));
            }
            if let Some((pixmap, _)) = free.pop() {
                return Some((pixmap, None));
            }
        }
        Pixmap::new(self.width, self.height).map(|p| (p, None))
    }
}

/// A finished frame, shared by the sinks; its buffer goes back to the pool when all are done.
struct SharedFrame<'p> {
    pixmap: Option<Pixmap>,
    pool: &'p Pool,
    /// Which planned frame it is.
    index: usize,
    /// Where it differs from the frame before, when only that was drawn.
    changed: Option<Vec<Region>>,
}

impl SharedFrame<'_> {
    fn rgba(&self) -> &[u8] {
        self.pixmap.as_ref().map_or(&[], |p| p.data())
    }
}

impl Drop for SharedFrame<'_> {
    fn drop(&mut self) {
        if let (Some(pixmap), Ok(mut free)) = (self.pixmap.take(), self.pool.free.lock()) {
            free.push((pixmap, self.index));
        }
    }
}

/// A drawn frame and its repeat count, as the sinks receive it.
type ToSink<'p> = (Arc<SharedFrame<'p>>, u32);
/// What a worker hands over: a frame, or why it could not draw one.
type FrameMsg<'p> = Result<ToSink<'p>, String>;

/// Everything the workers share.
struct Work<'a, 'p> {
    stage: &'a Stage,
    plan: &'a [Planned],
    chunks: Vec<Range<usize>>,
    next_chunk: AtomicUsize,
    stop: AtomicBool,
    pool: &'p Pool,
    raster_nanos: AtomicU64,
}

/// The frames a worker drew one after another without a gap.
struct Run<'p> {
    /// The first of them.
    start: usize,
    /// For each, whether it is the one before with only its changed regions redrawn.
    partial: Vec<bool>,
    /// The last of them, still shared with the sinks.
    last: Option<Arc<SharedFrame<'p>>>,
}

impl<'p> Work<'_, 'p> {
    /// Draws chunks, taken in order, until none are left or the consumer has gone.
    fn run_worker(&self, senders: &[SyncSender<FrameMsg<'p>>]) {
        let mut scratch = Vec::new();
        let mut run = Run {
            start: 0,
            partial: Vec::new(),
            last: None,
        };
        while !self.stop.load(Ordering::Relaxed) {
            let c = self.next_chunk.fetch_add(1, Ordering::Relaxed);
            let Some(range) = self.chunks.get(c) else {
                return;
            };
            // A chunk right after this worker's last one goes on from its last frame.
            if run.last.as_ref().is_none_or(|f| f.index + 1 != range.start) {
                run = Run {
                    start: range.start,
                    partial: Vec::new(),
                    last: None,
                };
            }
            for i in range.clone() {
                let started = Instant::now();
                let Some((mut pixmap, held)) = self.pool.take(run.start..i) else {
                    let _ = senders[c].send(Err("could not allocate a frame".to_string()));
                    self.stop.store(true, Ordering::Relaxed);
                    return;
                };
                let planned = &self.plan[i];
                let partial = match &run.last {
                    None => {
                        draw_frame(self.stage, &planned.looks, &mut pixmap);
                        false
                    }
                    Some(last) => {
                        self.catch_up(&mut pixmap, held, last, &run);
                        update_frame(
                            self.stage,
                            &planned.looks,
                            &planned.changed,
                            &mut pixmap,
                            &mut scratch,
                        )
                    }
                };
                let nanos = started.elapsed().as_nanos() as u64;
                self.raster_nanos.fetch_add(nanos, Ordering::Relaxed);
                let frame = Arc::new(SharedFrame {
                    pixmap: Some(pixmap),
                    pool: self.pool,
                    index: i,
                    changed: partial.then(|| planned.changed.iter().map(region).collect()),
                });
                if senders[c]
                    .send(Ok((frame.clone(), planned.repeat)))
                    .is_err()
                {
                    self.stop.store(true, Ordering::Relaxed);
                    return;
                }
                run.partial.push(partial);
                run.last = Some(frame);
            }
        }
    }

    /// Makes `pixmap`, which holds frame `held` of this run (or anything, if `None`), into the
    /// run's last frame: by copying only the regions changed since, when each frame since was
    /// drawn from the one before it; otherwise by copying the whole frame.
    fn catch_up(&self, pixmap: &mut Pixmap, held: Option<usize>, last: &SharedFrame, run: &Run) {
        let since = held.map(|held| held + 1..last.index + 1);
        let Some(since) = since.filter(|s| s.clone().all(|k| run.partial[k - run.start])) else {
            pixmap.data_mut().copy_from_slice(last.rgba());
            return;
        };
        let stride = self.stage.layout.width as usize * 4;
        let (from, to) = (last.rgba(), pixmap.data_mut());
        for r in since.flat_map(|k| &self.plan[k].changed) {
            let (x0, x1) = (r.x0 as usize * 4, r.x1 as usize * 4);
            for y in r.y0 as usize..r.y1 as usize {
                let row = y * stride;
                to[row + x0..row + x1].copy_from_slice(&from[row + x0..row + x1]);
            }
        }
    }
}

/// A region of the frame as the sinks know it; changed regions lie inside the frame.
fn region(r: &PixelRect) -> Region {
    Region {
        x: r.x0.max(0) as u32,
        y: r.y0.max(0) as u32,
        width: r.width().max(0) as u32,
        height: r.height().max(0) as u32,
    }
}

/// Rasterizes the planned frames with `workers` threads and streams them to the sinks.
/// Returns each sink's outcome, in the order given; adds where the time went to `timings`.
pub fn run(
    stage: &Stage,
    plan: &[Planned],
    sinks: Vec<Box<dyn Sink>>,
    workers: usize,
    progress: &mut dyn FnMut(u64, u64),
    timings: &mut Timings,
) -> anyhow::Result<Vec<anyhow::Result<Written>>> {
    let (width, height) = (stage.layout.width, stage.layout.height);
    let pool = Pool {
        free: Mutex::new(Vec::new()),
        width,
        height,
    };
    let work = Work {
        stage,
        plan,
        chunks: (0..plan.len())
            .step_by(CHUNK)
            .map(|s| s..(s + CHUNK).min(plan.len()))
            .collect(),
        next_chunk: AtomicUsize::new(0),
        stop: AtomicBool::new(false),
        pool: &pool,
        raster_nanos: AtomicU64::new(0),
    };
    let total: u64 = plan.iter().map(|p| p.repeat as u64).sum();
    let aborted = AtomicBool::new(false);

    let outcome = std::thread::scope(|scope| {
        let mut feeds = Vec::new();
        let mut to_sinks = Vec::new();
        for sink in sinks {
            let (tx, rx) = sync_channel::<ToSink>(1);
            let aborted = &aborted;
            let feed = std::thread::Builder::new()
                .name("sink".into())
                .spawn_scoped(scope, move || feed(sink, rx, width, height, aborted))
                .context("starting a sink thread")?;
            feeds.push(feed);
            to_sinks.push(Some(tx));
        }

        // A rendezvous channel per chunk: a worker that is ahead waits, holding one frame. The
        // workers share the senders; when the last worker ends, even by panicking, they are
        // dropped and the consumer learns that no more frames will come.
        let (senders, receivers): (Vec<_>, Vec<_>) = work
            .chunks
            .iter()
            .map(|_| sync_channel::<FrameMsg>(0))
            .unzip();
        let senders = Arc::new(senders);
        let mut drawing = Vec::new();
        for i in 0..workers.max(1) {
            let (work, senders) = (&work, Arc::clone(&senders));
            let worker = std::thread::Builder::new()
                .name(format!("frame-{i}"))
                .spawn_scoped(scope, move || work.run_worker(&senders));
            match worker {
                Ok(worker) => drawing.push(worker),
                // Fewer workers only make it slower; with none at all, nothing is drawn.
                Err(e) if drawing.is_empty() => {
                    return Err(anyhow!(e).context("starting the frame workers"));
                }
                Err(_) => break,
            }
        }
        drop(senders);

        let result = consume(&receivers, &work.chunks, &mut to_sinks, total, progress);
        if result.is_err() {
            aborted.store(true, Ordering::Relaxed);
        }
        // Dropping the channels releases workers and tells sinks the video is over.
        work.stop.store(true, Ordering::Relaxed);
        drop(receivers);
        drop(to_sinks);
        let drawing = drawing
            .into_iter()
            .try_for_each(|w| w.join().map_err(|_| anyhow!("a frame worker panicked")));
        let fed: Vec<(anyhow::Result<Written>, Duration)> = feeds
            .into_iter()
            .map(|f| {
                f.join()
                    .unwrap_or_else(|_| (Err(anyhow!("a sink panicked")), Duration::ZERO))
            })
            .collect();
        result.and(drawing).map(|()| fed)
    });
    timings.rasterize = Duration::from_nanos(work.raster_nanos.load(Ordering::Relaxed));
    let fed = outcome?;
    timings.encode = fed.iter().map(|(_, busy)| *busy).collect();
    Ok(fed.into_iter().map(|(written, _)| written).collect())
}

/// Receives frames chunk by chunk, in order, and hands each to every sink still working.
fn consume<'p>(
    receivers: &[Receiver<FrameMsg<'p>>],
    chunks: &[Range<usize>],
    to_sinks: &mut [Option<SyncSender<ToSink<'p>>>],
    total: u64,
    progress: &mut dyn FnMut(u64, u64),
) -> anyhow::Result<()> {
    let mut done = 0;
    progress(done, total);
    for (rx, chunk) in receivers.iter().zip(chunks) {
        for _ in chunk.clone() {
            let (frame, repeat) = rx
                .recv()
                .map_err(|_| anyhow!("frame workers stopped early"))?
                .map_err(|e| anyhow!(e))?;
            for slot in to_sinks.iter_mut() {
                // A sink that failed has hung up; the others carry on.
                if let Some(tx) = slot
                    && tx.send((frame.clone(), repeat)).is_err()
                {
                    *slot = None;
                }
            }
            if to_sinks.iter().all(Option::is_none) {
                return Ok(());
            }
            done += repeat as u64;
            progress(done, total);
        }
    }
    Ok(())
}

/// Feeds one sink until the video ends, then finishes its file (unless rendering failed).
/// Returns the outcome and the time the sink spent working (not waiting for frames).
fn feed(
    mut sink: Box<dyn Sink>,
    frames: Receiver<ToSink>,
    width: u32,
    height: u32,
    aborted: &AtomicBool,
) -> (anyhow::Result<Written>, Duration) {
    let mut busy = Duration::ZERO;
    for (frame, repeat) in frames {
        let started = Instant::now();
        let pushed = sink.push(
            Frame {
                width,
                height,
                rgba: frame.rgba(),
                changed: frame.changed.as_deref(),
            },
            repeat,
        );
        busy += started.elapsed();
        if let Err(e) = pushed {
            return (Err(e), busy);
        }
    }
    if aborted.load(Ordering::Relaxed) {
        return (
            Err(anyhow!("rendering stopped before the last frame")),
            busy,
        );
    }
    let started = Instant::now();
    let written = sink.finish();
    (written, busy + started.elapsed())
}

/// Where the time of one render went: the figures `render --timings` prints.
#[derive(Debug, Clone, Default)]
pub struct Timings {
    /// Frame periods in the video (repeats included).
    pub frames: u64,
    /// Distinct frames, each rasterized once and sent once with a repeat count.
    pub unique_frames: u64,
    /// Drawing frames, summed over the workers.
    pub rasterize: Duration,
    /// Each sink's busy time (taking frames, then finishing its file), in the order given.
    pub encode: Vec<Duration>,
    /// From the first frame drawn to the last file finished (in a job, the whole scene's,
    /// its still included).
    pub wall: Duration,
}
