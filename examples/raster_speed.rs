//! Prints how fast frames rasterize, without encoding: a 9-row, 2-series chart like the
//! `vllm_input` scene at the quality presets, on one thread, then through the whole frame
//! pipeline into a sink that only reads the frames.
//!
//! `cargo run --release --example raster_speed`

use std::time::{Duration, Instant};

use benchanim::encode::{Frame, Sink, Written};
use benchanim::render::{RenderSettings, Theme, final_frame, rasterize_only, render};

/// Reads every byte of every frame, as an encoder would, and writes nothing.
struct ReadOnly(u64, u64);

impl Sink for ReadOnly {
    fn push(&mut self, frame: Frame<'_>, repeat: u32) -> anyhow::Result<()> {
        self.0 = self
            .0
            .wrapping_add(frame.rgba.iter().map(|&b| b as u64).sum::<u64>());
        self.1 += repeat as u64;
        Ok(())
    }

    fn finish(self: Box<Self>) -> anyhow::Result<Written> {
        Ok(Written {
            path: format!("checksum {}", self.0).into(),
            bytes: 0,
            duration: Duration::ZERO,
            frames: self.1,
        })
    }
}

// The sample charts of the unit tests, built in code.
mod chart {
    pub use benchanim::chart::*;
}
mod results {
    pub use benchanim::results::*;
}
#[path = "../src/render/test_charts.rs"]
#[allow(dead_code)]
mod test_charts;

fn main() -> anyhow::Result<()> {
    let chart = test_charts::vllm_input();
    for (width, height, fps) in [
        (854, 480, 15),
        (1280, 720, 30),
        (1920, 1080, 60),
        (3840, 2160, 60),
    ] {
        let settings = RenderSettings {
            width,
            height,
            fps,
            theme: Theme::Dark,
            fadeout: false,
        };
        let started = Instant::now();
        final_frame(&chart, &settings)?;
        let still = started.elapsed();
        let (unique, frames, spent) = rasterize_only(&chart, &settings)?;
        let secs = spent.as_secs_f64();
        println!(
            "{width}x{height}@{fps}: {frames} frames, {unique} distinct, rasterized in {:.3} s: \
             {:.0} distinct frames/s, {:.0} video frames/s (one thread); still frame {:.1} ms",
            secs,
            unique as f64 / secs,
            frames as f64 / secs,
            still.as_secs_f64() * 1e3,
        );
        let sinks: Vec<Box<dyn Sink>> = vec![Box::new(ReadOnly(0, 0)), Box::new(ReadOnly(0, 0))];
        let rendered = render(&chart, &settings, sinks, &mut |_, _| {})?;
        let s = rendered.stats;
        println!(
            "  pipeline, two reading sinks, {} workers: {:.3} s wall, rasterizing {:.3} s, \
             waiting for frames {:.3} s, waiting for sinks {:.3} s",
            s.workers,
            s.wall.as_secs_f64(),
            s.rasterize.as_secs_f64(),
            s.frame_wait.as_secs_f64(),
            s.sink_wait.as_secs_f64(),
        );
    }
    Ok(())
}
