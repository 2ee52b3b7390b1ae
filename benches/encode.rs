//! Encoder throughput and file sizes on a synthetic 1080p chart animation.
//!
//! `cargo bench --bench encode` (add `--features ffmpeg` for x264 in the program). Frames are
//! drawn outside the timed region; only `push` and `finish` are timed, in wall and CPU time.
//! Beside them the same frames go through the ffmpeg command's x264 at `-preset veryfast` (the
//! encode `scripts/speed-vs-manim.sh` calibrates by), with the ratio of CPU times; without an
//! ffmpeg with libx264 that baseline is skipped, saying why.

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
    /// CPU time of the calling thread: steadier than wall time on a busy machine.
    cpu: Duration,
    pushed: u64,
    written: benchanim::encode::Written,
}

/// CPU time the calling thread has used so far.
fn thread_cpu() -> Duration {
    let mut t = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `t` is a valid timespec for the call to fill.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut t) };
    Duration::new(t.tv_sec as u64, t.tv_nsec as u32)
}

/// CPU time (user + system) of the waited-for child processes so far.
fn children_cpu() -> Duration {
    // SAFETY: an all-zero rusage is valid for getrusage to fill.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `usage` is a valid rusage for the call to fill.
    unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) };
    let time = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    time(usage.ru_utime) + time(usage.ru_stime)
}

fn run(sink: Box<dyn Sink>) -> Figures {
    let mut sink = sink;
    let mut rgba = Vec::new();
    let (mut elapsed, mut cpu) = (Duration::ZERO, Duration::ZERO);
    let mut pushed = 0;
    for (opacity, growth, repeat) in timeline() {
        draw(&mut rgba, opacity, growth);
        let frame = Frame::whole(VIDEO.width, VIDEO.height, &rgba);
        let (start, start_cpu) = (Instant::now(), thread_cpu());
        sink.push(frame, repeat).expect("push");
        elapsed += start.elapsed();
        cpu += thread_cpu() - start_cpu;
        pushed += 1;
    }
    let (start, start_cpu) = (Instant::now(), thread_cpu());
    let written = sink.finish().expect("finish");
    elapsed += start.elapsed();
    cpu += thread_cpu() - start_cpu;
    Figures {
        elapsed,
        cpu,
        pushed,
        written,
    }
}

fn report(name: &str, f: &Figures) {
    let secs = f.elapsed.as_secs_f64();
    println!(
        "{name:<22} {:>6.1} frames/s pushed ({:>3} pushed, {:>3} stored)  {:>6.2} s  {:>6.2} s CPU  {:>8.1} KiB  {:.1} s of video",
        f.pushed as f64 / secs,
        f.pushed,
        f.written.frames,
        secs,
        f.cpu.as_secs_f64(),
        f.written.bytes as f64 / 1024.0,
        f.written.duration.as_secs_f64()
    );
}

/// The same frames, every frame period of them (constant rate), through the ffmpeg command's
/// libx264 at `-preset veryfast`: the encode the speed comparison with manim is calibrated by.
/// Returns (wall time, CPU time of ffmpeg, bytes), or why the baseline cannot run here.
fn x264_veryfast(path: &Path) -> Result<(Duration, Duration, u64), String> {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let encoders = Command::new("ffmpeg")
        .args(["-hide_banner", "-encoders"])
        .output()
        .map_err(|e| format!("no ffmpeg command ({e}); install it, e.g. apt-get install ffmpeg"))?;
    if !String::from_utf8_lossy(&encoders.stdout).contains("libx264") {
        return Err("this ffmpeg has no libx264 encoder".into());
    }
    let size = format!("{}x{}", VIDEO.width, VIDEO.height);
    let fps = VIDEO.fps.to_string();
    let before = children_cpu();
    let start = Instant::now();
    let mut ffmpeg = Command::new("ffmpeg")
        .args([
            "-loglevel",
            "error",
            "-y",
            "-f",
            "rawvideo",
            "-pix_fmt",
            "rgba",
        ])
        .args(["-s", &size, "-r", &fps, "-i", "-"])
        .args([
            "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p",
        ])
        .arg(path)
        .stdin(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start ffmpeg: {e}"))?;
    let mut input = ffmpeg.stdin.take().expect("piped stdin");
    let mut rgba = Vec::new();
    let mut drawing = Duration::ZERO;
    for (opacity, growth, repeat) in timeline() {
        let drawn = Instant::now();
        draw(&mut rgba, opacity, growth);
        drawing += drawn.elapsed();
        for _ in 0..repeat {
            input
                .write_all(&rgba)
                .map_err(|e| format!("ffmpeg stopped reading: {e}"))?;
        }
    }
    drop(input);
    let status = ffmpeg.wait().map_err(|e| e.to_string())?;
    if !status.success() {
        return Err(format!("ffmpeg failed: {status}"));
    }
    let bytes = std::fs::metadata(path).map_err(|e| e.to_string())?.len();
    Ok((start.elapsed() - drawing, children_cpu() - before, bytes))
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
    // OpenH264's CPU time as a render writes (held frames once) and frame for frame.
    let mut openh264_cpu = [Duration::ZERO; 2];
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
            if encoder == Mp4Encoder::OpenH264 {
                openh264_cpu[usize::from(cfr)] = figures.cpu;
            }
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
    let path = out("x264-veryfast.mp4");
    match x264_veryfast(&path) {
        Ok((wall, cpu, bytes)) => {
            println!(
                "{:<22} {periods:>4} frames, all encoded           {:>6.2} s  {:>6.2} s CPU  {:>8.1} KiB",
                "ffmpeg x264 veryfast",
                wall.as_secs_f64(),
                cpu.as_secs_f64(),
                bytes as f64 / 1024.0
            );
            for (mode, openh264) in ["VFR", "CFR"].iter().zip(openh264_cpu) {
                println!(
                    "openh264 {mode} / x264 veryfast CPU time: {:.2}",
                    openh264.as_secs_f64() / cpu.as_secs_f64()
                );
            }
            keep(&path);
        }
        Err(why) => println!("x264 veryfast baseline skipped: {why}"),
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
