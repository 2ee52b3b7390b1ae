//! Encoder throughput and file sizes on a synthetic 1080p chart animation.
//!
//! `cargo bench --bench encode` (add `--features ffmpeg` for x264). Frames are drawn outside the
//! timed region; only `push` and `finish` are timed.

use std::path::Path;
use std::time::{Duration, Instant};

use benchanim::encode::{Frame, GifOptions, Mp4Encoder, Mp4Options, Sink, VideoSettings, gif, mp4};

const VIDEO: VideoSettings = VideoSettings {
    width: 1920,
    height: 1080,
    fps: 30,
};
const BACKGROUND: [f32; 3] = [17.0, 19.0, 26.0];
const TEXT: [f32; 3] = [225.0, 228.0, 235.0];
const BARS: [[f32; 3]; 6] = [
    [118.0, 185.0, 0.0],
    [30.0, 136.0, 229.0],
    [255.0, 112.0, 67.0],
    [171.0, 71.0, 188.0],
    [38.0, 198.0, 218.0],
    [255.0, 202.0, 40.0],
];

/// The animation: (fade-in, grow, hold, fade-out) as (opacity, growth, repeat) per distinct frame.
fn timeline() -> Vec<(f32, f32, u32)> {
    let mut frames = Vec::new();
    for i in 0..15 {
        frames.push(((i + 1) as f32 / 15.0, 0.0, 1));
    }
    for i in 0..75 {
        let t = (i + 1) as f32 / 75.0;
        frames.push((1.0, 1.0 - (1.0 - t).powi(3), 1));
    }
    frames.push((1.0, 1.0, 150));
    for i in 0..15 {
        frames.push((1.0 - (i + 1) as f32 / 15.0, 1.0, 1));
    }
    frames.push((0.0, 1.0, 15));
    frames
}

/// Fills `[x0, x1) × [y0, y1)` (fractional edges blended) with `colour` at `alpha`.
fn fill(rgba: &mut [u8], (x0, y0, x1, y1): (f32, f32, f32, f32), colour: [f32; 3], alpha: f32) {
    let w = VIDEO.width as usize;
    for y in y0.floor() as usize..(y1.ceil() as usize).min(VIDEO.height as usize) {
        let cy = ((y as f32 + 1.0).min(y1) - (y as f32).max(y0)).clamp(0.0, 1.0);
        for x in x0.floor() as usize..(x1.ceil() as usize).min(w) {
            let cx = ((x as f32 + 1.0).min(x1) - (x as f32).max(x0)).clamp(0.0, 1.0);
            let a = alpha * cx * cy;
            let p = &mut rgba[(y * w + x) * 4..][..3];
            for c in 0..3 {
                p[c] = (f32::from(p[c]) * (1.0 - a) + colour[c] * a).round() as u8;
            }
        }
    }
}

/// Text-like marks: a row of glyph-sized blocks with thin strokes, picked by `seed`.
fn text(rgba: &mut [u8], x: f32, y: f32, chars: usize, seed: u64, alpha: f32) {
    let mut s = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    for c in 0..chars {
        for stroke in 0..4 {
            s = s
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let gx = x + c as f32 * 17.0 + (s >> 60) as f32 * 0.7;
            let gy = y + ((s >> 56) & 7) as f32 * 3.1;
            let (w, h) = if stroke % 2 == 0 {
                (2.3, 22.0)
            } else {
                (11.0, 2.3)
            };
            fill(rgba, (gx, gy, gx + w, gy + h), TEXT, alpha);
        }
    }
}

fn draw(rgba: &mut Vec<u8>, opacity: f32, growth: f32) {
    rgba.clear();
    for _ in 0..VIDEO.width * VIDEO.height {
        rgba.extend_from_slice(&[
            BACKGROUND[0] as u8,
            BACKGROUND[1] as u8,
            BACKGROUND[2] as u8,
            255,
        ]);
    }
    text(rgba, 120.0, 60.0, 40, 1, opacity);
    for (i, colour) in BARS.iter().enumerate() {
        let y = 200.0 + i as f32 * 140.0;
        let full = 1300.0 * (1.0 - i as f32 * 0.12);
        text(rgba, 60.0, y + 35.0, 12, 10 + i as u64, opacity);
        fill(
            rgba,
            (330.0, y, 330.0 + full * growth, y + 96.0),
            *colour,
            opacity,
        );
        // The value label counts up with the bar.
        let value = (growth * 1000.0) as u64;
        text(
            rgba,
            350.0 + full * growth,
            y + 35.0,
            6,
            value * 7 + i as u64,
            opacity,
        );
    }
}

struct Figures {
    elapsed: Duration,
    pushed: u64,
    written: benchanim::encode::Written,
}

fn run(sink: Box<dyn Sink>) -> Figures {
    let mut sink = sink;
    let mut rgba = Vec::new();
    let mut elapsed = Duration::ZERO;
    let mut pushed = 0;
    for (opacity, growth, repeat) in timeline() {
        draw(&mut rgba, opacity, growth);
        let frame = Frame::whole(VIDEO.width, VIDEO.height, &rgba);
        let start = Instant::now();
        sink.push(frame, repeat).expect("push");
        elapsed += start.elapsed();
        pushed += 1;
    }
    let start = Instant::now();
    let written = sink.finish().expect("finish");
    elapsed += start.elapsed();
    Figures {
        elapsed,
        pushed,
        written,
    }
}

fn report(name: &str, f: &Figures) {
    let secs = f.elapsed.as_secs_f64();
    println!(
        "{name:<22} {:>6.1} frames/s pushed ({:>3} pushed, {:>3} stored)  {:>6.2} s  {:>8.1} KiB  {:.1} s of video",
        f.pushed as f64 / secs,
        f.pushed,
        f.written.frames,
        secs,
        f.written.bytes as f64 / 1024.0,
        f.written.duration.as_secs_f64()
    );
}

fn main() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = |name: &str| dir.path().join(name);
    let periods: u32 = timeline().iter().map(|f| f.2).sum();
    let seconds = f64::from(periods) / f64::from(VIDEO.fps);
    println!(
        "1920x1080 at 30 fps, {seconds:.1} s chart animation: {} distinct frames",
        timeline().len()
    );
    let mut encoders = vec![Mp4Encoder::OpenH264];
    if cfg!(feature = "ffmpeg") {
        encoders.push(Mp4Encoder::X264);
    }
    for encoder in encoders {
        let mut runs = vec![(false, 1), (true, 1)];
        // OpenH264 encodes on one thread; x264 runs frame threads.
        if encoder == Mp4Encoder::X264 {
            runs.push((false, 4));
        }
        for (cfr, threads) in runs {
            let path = out(&format!("{encoder}-{cfr}-{threads}.mp4"));
            let options = Mp4Options {
                encoder,
                cfr,
                threads,
            };
            let figures = run(mp4(&path, VIDEO, options).expect("mp4"));
            let mode = if cfr { "CFR" } else { "VFR" };
            report(&format!("mp4 {encoder} {mode} {threads}t"), &figures);
            if cfr {
                let frames = figures.written.frames as f64;
                println!(
                    "{:<22} {:>6.1} frames/s encoded",
                    "",
                    frames / figures.elapsed.as_secs_f64()
                );
            }
            keep(&path);
        }
    }
    let path = out("chart.gif");
    report(
        "gif 960 px 20 fps",
        &run(gif(&path, VIDEO, GifOptions::default()).expect("gif")),
    );
    keep(&path);
}

/// Copies an output to `$BENCH_OUT` when set, to look at it afterwards.
fn keep(path: &Path) {
    if let (Some(dir), Some(name)) = (std::env::var_os("BENCH_OUT"), path.file_name()) {
        let _ = std::fs::copy(path, Path::new(&dir).join(name));
    }
}
