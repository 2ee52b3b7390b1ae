//! Rendering: a chart's frames, rasterized with tiny-skia (text shaped with cosmic-text) and
//! streamed to sinks.
//!
//! [`prepare`] lays a chart out and plans its frames; [`Prepared::play`] plays the whole
//! animation into sinks; [`final_frame`] draws the finished chart (the PNG still and golden
//! tests), [`Prepared::final_svg`] writes it as SVG; [`frame_at`] draws any moment.

pub mod batch;
mod draw;
mod frame;
mod path;
mod pipeline;
mod pixel_rect;
mod stage;
mod svg;
pub mod text;
mod theme;

#[cfg(test)]
pub(crate) mod test_charts;

use std::time::Instant;

use anyhow::{Context, bail};
use tiny_skia::Pixmap;

pub use pipeline::Timings;
pub use theme::Theme;

use crate::chart::Chart;
use crate::encode::{Sink, VideoSettings, Written};
use frame::draw_frame;
use pipeline::Planned;
use stage::Stage;

/// Largest frame side accepted, far above 4K; keeps frame buffers allocatable.
pub const MAX_SIDE: u32 = 8192;
/// Smallest frame side: below this there is no room for a chart.
pub const MIN_SIDE: u32 = 64;
/// Most frames per second.
pub const MAX_FPS: u32 = 240;
/// Frame buffers one frame worker keeps alive: the previous frame, the one it draws and one
/// being handed over.
pub const FRAMES_PER_WORKER: u64 = 3;

#[derive(Debug, Clone, PartialEq)]
pub struct RenderSettings {
    pub video: VideoSettings,
    pub theme: Theme,
    /// Fade everything out at the end.
    pub fadeout: bool,
    /// No background: frames keep an alpha channel, to lay over footage.
    pub transparent: bool,
}

impl RenderSettings {
    /// Checks the frame size and rate, so nothing starts on settings that cannot render.
    pub fn check(&self) -> anyhow::Result<()> {
        let v = &self.video;
        check_size(v.width, v.height)?;
        if !(1..=MAX_FPS).contains(&v.fps) {
            bail!(
                "frame rate {} is out of range: expected 1 to {MAX_FPS} frames per second",
                v.fps
            );
        }
        Ok(())
    }

    /// Bytes of one RGBA frame.
    pub fn frame_bytes(&self) -> u64 {
        u64::from(self.video.width) * u64::from(self.video.height) * 4
    }

    fn stage(&self, chart: &Chart) -> anyhow::Result<Stage> {
        self.check()?;
        Ok(Stage::new(
            chart,
            &chart.durations,
            self.video.width,
            self.video.height,
            self.theme,
            self.fadeout,
            self.transparent,
        ))
    }
}

/// Checks a frame size, so nothing starts on a frame that cannot be drawn.
fn check_size(width: u32, height: u32) -> anyhow::Result<()> {
    for (name, side) in [("width", width), ("height", height)] {
        if !(MIN_SIDE..=MAX_SIDE).contains(&side) {
            bail!("frame {name} {side} is out of range: expected {MIN_SIDE} to {MAX_SIDE} pixels");
        }
    }
    Ok(())
}

/// The result of a render: its figures and what became of each sink, in the order given. A sink
/// that failed does not stop the others.
pub struct Rendered {
    pub timings: Timings,
    pub outputs: Vec<anyhow::Result<Written>>,
}

/// A chart ready to play: laid out, its text rasterized and its distinct frames planned.
pub struct Prepared {
    stage: Stage,
    plan: Vec<Planned>,
}

/// Lays out `chart` for `settings` and plans its frames.
pub fn prepare(chart: &Chart, settings: &RenderSettings) -> anyhow::Result<Prepared> {
    let stage = settings.stage(chart)?;
    let plan = pipeline::plan(&stage, settings.video.fps);
    Ok(Prepared { stage, plan })
}

impl Prepared {
    /// Distinct frames: what rasterizing and encoding cost grows with.
    pub fn unique_frames(&self) -> u64 {
        self.plan.len() as u64
    }

    /// Frame periods in the video, repeats included.
    pub fn frames(&self) -> u64 {
        self.plan.iter().map(|p| u64::from(p.repeat)).sum()
    }

    /// Plays the animation into `sinks`, drawing frames on `workers` threads;
    /// `progress(done, total)` counts frame periods.
    pub fn play(
        &self,
        sinks: Vec<Box<dyn Sink>>,
        workers: usize,
        progress: &mut dyn FnMut(u64, u64),
    ) -> anyhow::Result<Rendered> {
        let started = Instant::now();
        let mut timings = Timings {
            frames: self.frames(),
            unique_frames: self.unique_frames(),
            ..Timings::default()
        };
        let outputs = pipeline::run(
            &self.stage,
            &self.plan,
            sinks,
            workers.max(1),
            progress,
            &mut timings,
        )
        .context("rendering frames")?;
        timings.wall = started.elapsed();
        Ok(Rendered { timings, outputs })
    }

    /// The finished chart: every element in place, before any fade-out.
    pub fn final_frame(&self) -> anyhow::Result<Pixmap> {
        draw_at(&self.stage, self.stage.timeline.complete())
    }

    /// The finished chart as an SVG document, element for element the frame
    /// [`Prepared::final_frame`] draws.
    pub fn final_svg(&self) -> String {
        let looks = self.stage.looks_at(self.stage.timeline.complete());
        svg::document(&self.stage, &looks)
    }
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

/// Gives a set of charts one title size (see [`crate::layout::share_title_size`]).
pub fn share_title_size(charts: &mut [(String, Chart)]) {
    crate::layout::share_title_size(charts, &mut text::Typesetter::new());
}

/// Laying out a chart without drawing it, for checks on the geometry.
pub fn layout(chart: &Chart, width: u32, height: u32) -> crate::layout::Layout {
    crate::layout::Layout::new(chart, width, height, &mut text::Typesetter::new())
}

#[cfg(test)]
mod tests;
