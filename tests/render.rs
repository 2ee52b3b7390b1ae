//! `benchanim render` end to end: the files a user gets play, have the right size, frames and
//! duration, and a failure leaves nothing half-written.

mod common;

use std::path::Path;

use common::{benchanim, stdout};

struct Video {
    width: u16,
    height: u16,
    samples: u32,
    seconds: f64,
    moov_before_mdat: bool,
}

fn read_mp4(path: &Path) -> Video {
    let bytes = std::fs::read(path).unwrap();
    let size = bytes.len() as u64;
    let mp4 = mp4::Mp4Reader::read_header(std::io::Cursor::new(&bytes), size).expect("MP4 parses");
    let track = mp4.tracks().values().next().expect("a track");
    assert_eq!(mp4.tracks().len(), 1, "video only, no audio");
    assert!(matches!(track.track_type(), Ok(mp4::TrackType::Video)));
    let moov = bytes.windows(4).position(|w| w == b"moov").unwrap();
    let mdat = bytes.windows(4).position(|w| w == b"mdat").unwrap();
    Video {
        width: track.width(),
        height: track.height(),
        samples: track.sample_count(),
        seconds: mp4.duration().as_secs_f64(),
        moov_before_mdat: moov < mdat,
    }
}

/// (frames, total delay in centiseconds, width, height, loops)
fn read_gif(path: &Path) -> (usize, u32, u16, u16, bool) {
    let mut options = gif::DecodeOptions::new();
    options.set_color_output(gif::ColorOutput::Indexed);
    let mut decoder = options
        .read_info(std::fs::File::open(path).unwrap())
        .expect("GIF decodes");
    let (w, h) = (decoder.width(), decoder.height());
    let (mut frames, mut delay) = (0, 0u32);
    while let Some(frame) = decoder.read_next_frame().expect("GIF frame decodes") {
        frames += 1;
        delay += u32::from(frame.delay);
    }
    let loops = matches!(decoder.repeat(), gif::Repeat::Infinite);
    (frames, delay, w, h, loops)
}

#[test]
fn renders_mp4_gif_and_png_that_play() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap();
    let summary = stdout(&["render", "llm_finetune", "-q", "l", "--out", out]);
    for ext in ["mp4", "gif", "png"] {
        assert!(
            summary.contains(&format!("llm_finetune.{ext}")),
            "{summary}"
        );
    }

    let vfr = read_mp4(&dir.path().join("llm_finetune.mp4"));
    assert_eq!((vfr.width, vfr.height), (854, 480));
    assert!(vfr.moov_before_mdat, "fast start");
    // Title 0.6 + subtitle, metadata, footer 0.4 each + labels 1.2 + bars 2.0 + values 0.8 + hold 3 + waits.
    assert!((9.0..12.0).contains(&vfr.seconds), "{} s", vfr.seconds);

    stdout(&[
        "render",
        "llm_finetune",
        "-q",
        "l",
        "--format",
        "mp4",
        "--cfr",
        "--out",
        out,
    ]);
    let cfr = read_mp4(&dir.path().join("llm_finetune.mp4"));
    assert!(
        (cfr.seconds - vfr.seconds).abs() < 0.07,
        "{} vs {}",
        cfr.seconds,
        vfr.seconds
    );
    assert_eq!(
        cfr.samples as f64,
        (cfr.seconds * 15.0).round(),
        "one sample per frame at 15 fps"
    );
    // Held frames are one sample each: the pauses and the 3 s hold cost next to nothing.
    assert!(
        vfr.samples * 3 < cfr.samples * 2,
        "{} VFR samples vs {} CFR",
        vfr.samples,
        cfr.samples
    );

    let (frames, delay, w, h, loops) = read_gif(&dir.path().join("llm_finetune.gif"));
    assert_eq!((w, h), (854, 480));
    assert!(loops);
    assert!(frames > 20, "{frames} frames");
    assert!(
        (f64::from(delay) / 100.0 - vfr.seconds).abs() < 0.1,
        "{delay} cs"
    );

    let png = tiny_skia::Pixmap::load_png(dir.path().join("llm_finetune.png")).unwrap();
    assert_eq!((png.width(), png.height()), (854, 480));
}

#[test]
fn all_scenes_with_gallery_and_light_theme() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap();
    stdout(&[
        "render", "--all", "-q", "l", "--format", "png", "--theme", "light", "--quiet", "--out",
        out,
    ]);
    let pngs = std::fs::read_dir(dir.path())
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "png")
        })
        .count();
    assert_eq!(pngs, 13);
    let still = tiny_skia::Pixmap::load_png(dir.path().join("vllm_input.png")).unwrap();
    assert_eq!(&still.data()[..3], &[255, 255, 255], "light background");
}

#[test]
fn errors_name_what_is_wrong_and_write_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap();
    let unknown = benchanim(&["render", "vllm_inptu", "--out", out]);
    assert_eq!(unknown.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&unknown.stderr);
    assert!(
        stderr.contains("no scene `vllm_inptu`") && stderr.contains("vllm_input"),
        "{stderr}"
    );

    let bad = benchanim(&[
        "render",
        "vllm_input",
        "--resolution",
        "10x10",
        "--out",
        out,
    ]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("out of range"));
    let bad = benchanim(&["render", "vllm_input", "--resolution", "wide", "--out", out]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("expected WIDTHxHEIGHT"));
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "no partial files left behind"
    );
}

#[test]
fn data_shows_the_resolved_chart() {
    let table = stdout(&["data", "vllm_input"]);
    let gpt = table
        .lines()
        .find(|l| l.starts_with("gpt-oss-20b "))
        .unwrap();
    assert_eq!(
        gpt.split_whitespace().collect::<Vec<_>>(),
        ["gpt-oss-20b", "4848.70", "1538.38"]
    );
    assert!(
        table
            .lines()
            .any(|l| l.starts_with("gpt-oss-120b") && l.contains(" NA "))
    );
    let json: serde_json::Value =
        serde_json::from_str(&stdout(&["data", "vllm_input", "--format", "json"])).unwrap();
    assert_eq!(json["cells"][1]["value"], 1538.38);
    assert_eq!(json["cells"][2]["value"], serde_json::Value::Null);
    let list = stdout(&["list"]);
    assert!(list.contains("vllm_input") && list.contains("vLLM Inference: Token Input Throughput"));
}

#[cfg(unix)]
#[test]
fn rendered_files_are_readable_by_others() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    stdout(&[
        "render",
        "llm_finetune",
        "-q",
        "l",
        "--format",
        "png",
        "--out",
        dir.path().to_str().unwrap(),
    ]);
    let mode = std::fs::metadata(dir.path().join("llm_finetune.png"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o044, 0o044, "mode {mode:o}");
}
