//! Prints how fast frames rasterize, without encoding: a 9-row, 2-series chart like the
//! `vllm_input` scene at the quality presets.
//!
//! `cargo run --release --example raster_speed`

use std::time::Instant;

use benchanim::render::{RenderSettings, Theme, final_frame, rasterize_only};

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
    }
    Ok(())
}
