//! Prints how fast frames rasterize, without encoding: a 9-row, 2-series bar chart like the
//! `vllm_input` scene and a two-series line chart like `vllm_concurrency`, at the quality
//! presets, through the frame pipeline into a sink that only reads the frames, on one frame
//! worker and then on one per core; then the line chart's time as a multiple of the bar
//! chart's.
//!
//! `cargo run --release --example raster_speed`

use std::time::{Duration, Instant};

use benchanim::encode::{Frame, OutputKind, Sink, VideoSettings, Written};
use benchanim::render::{RenderSettings, Theme, final_frame, prepare};

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
            name: format!("checksum {}", self.0),
            kind: OutputKind::Png,
            bytes: 0,
            width: 0,
            height: 0,
            duration: Duration::ZERO,
            frames: self.1,
            fps: None,
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
    let charts = [
        ("bars (vllm_input)", test_charts::vllm_input()),
        ("line (vllm_concurrency)", test_charts::sweep()),
    ];
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    for (width, height, fps) in [
        (854, 480, 15),
        (1280, 720, 30),
        (1920, 1080, 60),
        (3840, 2160, 60),
    ] {
        let settings = RenderSettings {
            video: VideoSettings { width, height, fps },
            theme: Theme::Dark,
            fadeout: false,
            transparent: false,
        };
        println!("{width}x{height}@{fps}:");
        let mut walls = Vec::new();
        for (name, chart) in &charts {
            let started = Instant::now();
            final_frame(chart, &settings)?;
            let still = started.elapsed();
            let prepared = prepare(chart, &settings)?;
            println!(
                "  {name}: {} frames, {} distinct; still frame {:.1} ms",
                prepared.frames(),
                prepared.unique_frames(),
                still.as_secs_f64() * 1e3,
            );
            for workers in [1, cores] {
                let sinks: Vec<Box<dyn Sink>> =
                    vec![Box::new(ReadOnly(0, 0)), Box::new(ReadOnly(0, 0))];
                let t = prepared.play(sinks, workers, &mut |_, _| {})?.timings;
                let raster = t.rasterize.as_secs_f64();
                println!(
                    "    {workers} worker(s), two reading sinks: {:.3} s wall, {:.0} frames/s; \
                     rasterizing {raster:.3} s ({:.0} distinct frames/s per worker), reading \
                     {:.3} s per sink",
                    t.wall.as_secs_f64(),
                    prepared.frames() as f64 / t.wall.as_secs_f64().max(1e-9),
                    t.unique_frames as f64 / raster.max(1e-9),
                    t.encode.iter().map(Duration::as_secs_f64).sum::<f64>() / t.encode.len() as f64,
                );
                if workers == cores {
                    walls.push(t.wall.as_secs_f64());
                }
            }
        }
        println!(
            "  line chart / bar chart wall time on {cores} worker(s): {:.2}x",
            walls[1] / walls[0].max(1e-9)
        );
    }
    Ok(())
}
