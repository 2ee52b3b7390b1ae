//! Running the program as a user does, from the repository root.
#![allow(dead_code)] // each test file uses a different part

use std::process::{Command, Output, Stdio};

pub fn benchanim(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_benchanim"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run benchanim")
}

/// Standard output of a run that must succeed.
pub fn stdout(args: &[&str]) -> String {
    let out = benchanim(args);
    assert!(
        out.status.success(),
        "{args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// `benchanim data SCENE --format json` over the scenes and results given, parsed.
pub fn data_json(scene: &str, scenes: &str, results: &str) -> serde_json::Value {
    let json = stdout(&[
        "data",
        scene,
        "--scenes",
        scenes,
        "--results",
        results,
        "--format",
        "json",
    ]);
    serde_json::from_str(&json).expect("data --format json gives JSON")
}

/// Runs benchanim from the repository root with `stdout` and `stderr` as its output.
fn with_output(args: &[&str], stdout: Stdio, stderr: Stdio) -> Output {
    Command::new(env!("CARGO_BIN_EXE_benchanim"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdout(stdout)
        .stderr(stderr)
        .output()
        .expect("run benchanim")
}

/// Runs benchanim from the repository root with `stdout` as its standard output.
pub fn with_stdout(args: &[&str], stdout: Stdio) -> Output {
    with_output(args, stdout, Stdio::piped())
}

/// A pipe whose reader has already gone (`| head -0`).
fn gone_reader() -> Stdio {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    writer.into()
}

/// Standard output is a pipe whose reader has already gone (`| head -0`).
pub fn closed_pipe(args: &[&str]) -> Output {
    with_stdout(args, gone_reader())
}

/// Standard error is a pipe whose reader has already gone (`2>&1 >/dev/null | head -c0`).
pub fn closed_stderr(args: &[&str]) -> Output {
    with_output(args, Stdio::null(), gone_reader())
}

/// Standard output is `/dev/full`: every write fails with "no space left".
pub fn full_disk(args: &[&str]) -> Output {
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    with_stdout(args, full.into())
}

/// Asserts that a run ended quietly: `code`, no panic and no error message.
pub fn assert_quiet(out: &Output, code: i32, what: &str) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{what}: {stderr}");
    assert_eq!(out.status.code(), Some(code), "{what}: {stderr}");
    assert!(!stderr.contains("error"), "{what}: {stderr}");
}

/// Asserts that a run stopped at a full standard output with exit code 1 and said why.
pub fn assert_says_disk_full(out: &Output, what: &str) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{what}: {stderr}");
    assert_eq!(out.status.code(), Some(1), "{what}: {stderr}");
    assert!(
        stderr.contains("cannot write to standard output: No space left on device"),
        "{what}: {stderr}"
    );
}

/// The quality presets (l, m, h, k) and the square and vertical frames people post.
pub const FRAMES: [(u32, u32); 6] = [
    (854, 480),
    (1280, 720),
    (1920, 1080),
    (3840, 2160),
    (1080, 1080),
    (1080, 1920),
];

/// `chart` laid out on a `w × h` frame, nothing overlapping and nothing outside it.
pub fn clean_layout(
    what: &str,
    chart: &benchanim::chart::Chart,
    (w, h): (u32, u32),
) -> benchanim::layout::Layout {
    let layout = benchanim::render::layout(chart, w, h);
    assert!(
        layout.collisions().is_empty(),
        "{what} at {w}x{h}: {:?}",
        layout.collisions()
    );
    assert!(
        layout.outside_frame().is_empty(),
        "{what} at {w}x{h}: {:?}",
        layout.outside_frame()
    );
    layout
}

/// The final frame of `chart` on a `w × h` frame in `theme`.
pub fn final_frame_at(
    chart: &benchanim::chart::Chart,
    (w, h): (u32, u32),
    theme: benchanim::render::Theme,
) -> tiny_skia::Pixmap {
    let settings = benchanim::render::RenderSettings {
        video: benchanim::encode::VideoSettings {
            width: w,
            height: h,
            fps: 15,
        },
        theme,
        fadeout: false,
        transparent: false,
    };
    benchanim::render::final_frame(chart, &settings).unwrap()
}

/// The names of the `.png` files in `dir`, sorted.
pub fn pngs(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".png"))
        .collect();
    names.sort();
    names
}
