//! Rendering: a chart's frames, rasterized with tiny-skia (text shaped with cosmic-text) and
//! streamed to sinks.
//!
//! [`render`] plays the whole animation into sinks; [`final_frame`] draws the finished chart
//! (the PNG still and golden tests); [`frame_at`] draws any moment.

mod frame;
mod pipeline;
mod stage;
pub mod text;
mod theme;

#[cfg(test)]
pub(crate) mod test_charts;

use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use tiny_skia::Pixmap;

pub use theme::Theme;

use crate::chart::Chart;
use crate::encode::{Sink, Written};
use frame::draw_frame;
use stage::Stage;

/// Largest frame side accepted, far above 4K; keeps frame buffers allocatable.
const MAX_SIDE: u32 = 8192;
/// Smallest frame side: below this there is no room for a chart.
const MIN_SIDE: u32 = 64;
/// Memory the frame buffers of the workers may take; bounds the number of parallel workers on
/// large frames (each holds the previous frame, the one it draws and one being handed over).
const FRAME_MEMORY: u64 = 128 << 20;

#[derive(Debug, Clone, PartialEq)]
pub struct RenderSettings {
    pub width: u32,
    pub height: u32,
    pub fps: u32,
    pub theme: Theme,
    /// Fade everything out at the end.
    pub fadeout: bool,
}

impl RenderSettings {
    fn check(&self) -> anyhow::Result<()> {
        for (name, side) in [("width", self.width), ("height", self.height)] {
            if !(MIN_SIDE..=MAX_SIDE).contains(&side) {
                bail!(
                    "frame {name} {side} is out of range: expected {MIN_SIDE} to {MAX_SIDE} pixels"
                );
            }
        }
        if !(1..=240).contains(&self.fps) {
            bail!(
                "frame rate {} is out of range: expected 1 to 240 frames per second",
                self.fps
            );
        }
        Ok(())
    }

    fn stage(&self, chart: &Chart) -> anyhow::Result<Stage> {
        self.check()?;
        Ok(Stage::new(
            chart,
            &chart.durations,
            self.width,
            self.height,
            self.theme,
            self.fadeout,
        ))
    }
}

/// Figures from one render, for the `--timings` benchmark.
#[derive(Debug, Clone, Default)]
pub struct RenderStats {
    /// Frame periods in the video (repeats included).
    pub frames: u64,
    /// Distinct frames, each rasterized once and sent once with a repeat count.
    pub unique_frames: u64,
    /// Length of the video in seconds.
    pub seconds: f64,
    /// Laying out and rasterizing the text, once.
    pub prepare: Duration,
    /// Drawing frames, summed over the worker threads.
    pub rasterize: Duration,
    /// Time the pipeline waited for the next frame to be drawn.
    pub frame_wait: Duration,
    /// Time the pipeline waited for sinks to accept frames.
    pub sink_wait: Duration,
    /// Wall-clock time of the whole render, sinks finishing included.
    pub wall: Duration,
    pub workers: usize,
}

/// The result of a render: its figures and what became of each sink, in the order given. A sink
/// that failed does not stop the others.
pub struct Rendered {
    pub stats: RenderStats,
    pub outputs: Vec<anyhow::Result<Written>>,
}

/// Plays the chart's animation into `sinks`; `progress(done, total)` counts frame periods.
pub fn render(
    chart: &Chart,
    settings: &RenderSettings,
    sinks: Vec<Box<dyn Sink>>,
    progress: &mut dyn FnMut(u64, u64),
) -> anyhow::Result<Rendered> {
    let started = Instant::now();
    let stage = settings.stage(chart)?;
    let plan = pipeline::plan(&stage, settings.fps);
    let prepare = started.elapsed();

    let frame_bytes = settings.width as u64 * settings.height as u64 * 4;
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let workers = ((FRAME_MEMORY / (3 * frame_bytes)) as usize).clamp(1, cores);
    let (outputs, timing) =
        pipeline::run(&stage, &plan, sinks, workers, progress).context("rendering frames")?;
    Ok(Rendered {
        stats: RenderStats {
            frames: plan.iter().map(|p| p.repeat as u64).sum(),
            unique_frames: plan.len() as u64,
            seconds: plan.iter().map(|p| p.repeat as u64).sum::<u64>() as f64 / settings.fps as f64,
            prepare,
            rasterize: timing.rasterize,
            frame_wait: timing.frame_wait,
            sink_wait: timing.sink_wait,
            wall: started.elapsed(),
            workers,
        },
        outputs,
    })
}

/// The finished chart: every element in place, before any fade-out.
pub fn final_frame(chart: &Chart, settings: &RenderSettings) -> anyhow::Result<Pixmap> {
    let stage = settings.stage(chart)?;
    draw_at(&stage, stage.timeline.complete())
}

/// The frame at `seconds` into the animation.
pub fn frame_at(chart: &Chart, settings: &RenderSettings, seconds: f64) -> anyhow::Result<Pixmap> {
    draw_at(&settings.stage(chart)?, seconds)
}

fn draw_at(stage: &Stage, seconds: f64) -> anyhow::Result<Pixmap> {
    let (w, h) = (stage.layout.width, stage.layout.height);
    let mut pixmap = Pixmap::new(w, h).with_context(|| format!("allocating a {w}x{h} frame"))?;
    draw_frame(stage, &stage.looks_at(seconds), &mut pixmap);
    Ok(pixmap)
}

/// Laying out a chart without drawing it, for checks on the geometry.
pub fn layout(chart: &Chart, width: u32, height: u32) -> crate::layout::Layout {
    crate::layout::Layout::new(chart, width, height, &mut text::Typesetter::new())
}

/// For benchmarks: rasterizes every distinct frame of the animation on this thread, as the
/// pipeline does (each frame copied out to a buffer of its own), without any sink. Returns
/// (distinct frames, frame periods, time spent).
pub fn rasterize_only(
    chart: &Chart,
    settings: &RenderSettings,
) -> anyhow::Result<(u64, u64, Duration)> {
    let stage = settings.stage(chart)?;
    let plan = pipeline::plan(&stage, settings.fps);
    let (w, h) = (settings.width, settings.height);
    let mut canvas = Pixmap::new(w, h).with_context(|| format!("allocating a {w}x{h} frame"))?;
    let mut handed_over = canvas.clone();
    let mut scratch = Vec::new();
    let started = Instant::now();
    let mut before: Option<&[stage::Look]> = None;
    for planned in &plan {
        match before {
            None => draw_frame(&stage, &planned.looks, &mut canvas),
            Some(b) => frame::update_frame(&stage, b, &planned.looks, &mut canvas, &mut scratch),
        }
        handed_over.data_mut().copy_from_slice(canvas.data());
        before = Some(&planned.looks);
    }
    let frames = plan.iter().map(|p| p.repeat as u64).sum();
    Ok((plan.len() as u64, frames, started.elapsed()))
}

#[cfg(test)]
mod tests;
