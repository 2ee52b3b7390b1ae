//! `benchanim render` end to end: the files a user gets play, have the right size, frames and
//! duration, the folder's manifest and gallery list every scene rendered there, `embed` works
//! from the manifest, and a failure leaves nothing half-written.

mod common;

use std::path::Path;

use benchanim::encode::OutputKind;
use benchanim::manifest::Manifest;
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
    // Title, subtitle, metadata and labels together 0.6 + bars 2.0 + values 0.8 + footer 0.4
    // + hold 3 + waits (at the default blog pace).
    assert!((7.0..8.5).contains(&vfr.seconds), "{} s", vfr.seconds);

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
fn the_manifest_says_what_each_file_is() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap();
    stdout(&["render", "llm_finetune", "-q", "l", "--quiet", "--out", out]);
    let manifest = Manifest::load(dir.path()).unwrap();
    assert_eq!(manifest.scenes.len(), 1);
    let scene = &manifest.scenes[0];
    assert_eq!(scene.name, "llm_finetune");
    assert_eq!(scene.title, "LLM Fine-Tuning: Training Time");
    let kinds: Vec<OutputKind> = scene.files.iter().map(|f| f.kind).collect();
    assert_eq!(kinds, [OutputKind::Mp4, OutputKind::Gif, OutputKind::Png]);

    let mp4 = scene.file(OutputKind::Mp4).unwrap();
    let video = read_mp4(&dir.path().join(&mp4.name));
    assert_eq!((mp4.width, mp4.height), (854, 480));
    assert_eq!((video.width, video.height), (854, 480));
    assert_eq!(mp4.frames, u64::from(video.samples));
    assert!(
        (mp4.duration.as_secs_f64() - video.seconds).abs() < 0.01,
        "{:?} vs {} s",
        mp4.duration,
        video.seconds
    );
    let gif = scene.file(OutputKind::Gif).unwrap();
    let (frames, delay, w, h, _) = read_gif(&dir.path().join(&gif.name));
    assert_eq!((gif.width, gif.height), (u32::from(w), u32::from(h)));
    assert_eq!(gif.frames, frames as u64);
    assert_eq!(gif.duration.as_millis(), u128::from(delay) * 10);
    let png = scene.file(OutputKind::Png).unwrap();
    assert_eq!((png.width, png.height, png.frames), (854, 480, 1));
    assert!(png.duration.is_zero());
    for file in &scene.files {
        let bytes = std::fs::metadata(dir.path().join(&file.name))
            .unwrap()
            .len();
        assert_eq!(file.bytes, bytes, "{}", file.name);
    }
    // A single scene still gets its gallery.
    let index = std::fs::read_to_string(dir.path().join("index.html")).unwrap();
    assert!(index.contains("<video src=\"llm_finetune.mp4\" poster=\"llm_finetune.png\""));
}

/// The scenes a gallery page shows, by name, in order.
fn gallery_scenes(dir: &Path) -> Vec<String> {
    let html = std::fs::read_to_string(dir.join("index.html")).unwrap();
    html.match_indices("<article class=\"scene\" id=\"")
        .map(|(at, m)| {
            let rest = &html[at + m.len()..];
            rest[..rest.find('"').unwrap()].to_string()
        })
        .collect()
}

fn manifest_scenes(dir: &Path) -> Vec<String> {
    Manifest::load(dir)
        .unwrap()
        .scenes
        .into_iter()
        .map(|s| s.name)
        .collect()
}

#[test]
fn rendering_some_scenes_keeps_the_others_in_manifest_and_gallery() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap();
    let png = ["--format", "png", "-q", "l", "--quiet", "--out", out];
    let first = [
        "llm_finetune",
        "vllm_input",
        "vllm_output",
        "image_generation",
    ];
    stdout(&[&["render"][..], &first, &png].concat());
    assert_eq!(
        manifest_scenes(dir.path()),
        [
            "image_generation",
            "llm_finetune",
            "vllm_input",
            "vllm_output"
        ]
    );

    // Two scenes, one of them new, into the folder that holds four.
    stdout(&[
        "render",
        "llm_finetune",
        "object_detection",
        "--format",
        "mp4,png",
        "-q",
        "l",
        "--quiet",
        "--out",
        out,
    ]);
    let all = [
        "image_generation",
        "llm_finetune",
        "object_detection",
        "vllm_input",
        "vllm_output",
    ];
    assert_eq!(manifest_scenes(dir.path()), all);
    assert_eq!(gallery_scenes(dir.path()), all);
    let manifest = Manifest::load(dir.path()).unwrap();
    let kinds = |name: &str| -> Vec<OutputKind> {
        let scene = manifest.scenes.iter().find(|s| s.name == name).unwrap();
        scene.files.iter().map(|f| f.kind).collect()
    };
    assert_eq!(kinds("llm_finetune"), [OutputKind::Mp4, OutputKind::Png]);
    assert_eq!(kinds("vllm_input"), [OutputKind::Png]);

    // A file deleted by hand drops out; a scene left with none drops out of the gallery.
    std::fs::remove_file(dir.path().join("vllm_output.png")).unwrap();
    std::fs::remove_file(dir.path().join("llm_finetune.mp4")).unwrap();
    stdout(&[&["render", "object_detection"][..], &png].concat());
    let all = [
        "image_generation",
        "llm_finetune",
        "object_detection",
        "vllm_input",
    ];
    assert_eq!(manifest_scenes(dir.path()), all);
    assert_eq!(gallery_scenes(dir.path()), all);
    let manifest = Manifest::load(dir.path()).unwrap();
    let finetune = manifest
        .scenes
        .iter()
        .find(|s| s.name == "llm_finetune")
        .unwrap();
    assert_eq!(finetune.files.len(), 1);
    let index = std::fs::read_to_string(dir.path().join("index.html")).unwrap();
    assert!(
        !index.contains("llm_finetune.mp4"),
        "deleted file still linked"
    );
}

#[test]
fn embed_reads_the_manifest_and_says_to_render_without_one() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap();

    let missing = benchanim(&["embed", "llm_finetune", "--out", out]);
    assert_eq!(missing.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&missing.stderr);
    assert!(stderr.contains("manifest.json"), "{stderr}");
    assert!(
        stderr.contains(&format!("benchanim render llm_finetune --out {out}")),
        "{stderr}"
    );

    stdout(&[
        "render",
        "llm_finetune",
        "-q",
        "l",
        "--format",
        "gif,png",
        "--quiet",
        "--out",
        out,
    ]);
    let snippets = stdout(&[
        "embed",
        "llm_finetune",
        "--out",
        out,
        "--base-url",
        "https://example.org/media",
    ]);
    assert!(
        snippets.contains("HTML:\n<img src=\"https://example.org/media/llm_finetune.gif\""),
        "{snippets}"
    );
    assert!(
        snippets.contains("width=\"854\" height=\"480\""),
        "{snippets}"
    );
    assert!(
        snippets.contains("Markdown:\n![LLM"),
        "the title comes from the manifest: {snippets}"
    );
    assert!(snippets.contains("Image:\n<img src=\"https://example.org/media/llm_finetune.png\""));

    let other = benchanim(&["embed", "vllm_input", "--out", out]);
    assert_eq!(other.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&other.stderr);
    assert!(
        stderr.contains("rendered there: llm_finetune")
            && stderr.contains("benchanim render vllm_input --out"),
        "{stderr}"
    );
}

#[test]
fn png_only_render_of_all_scenes_shows_every_still_in_the_gallery() {
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

    let scenes = gallery_scenes(dir.path());
    assert_eq!(scenes.len(), 13, "{scenes:?}");
    let index = std::fs::read_to_string(dir.path().join("index.html")).unwrap();
    assert!(!index.contains("No scenes rendered yet"));
    for name in &scenes {
        assert!(
            index.contains(&format!("<img src=\"{name}.png\"")),
            "no still for {name}"
        );
    }
    assert!(!index.contains("<video"), "no video was rendered");
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

/// A line scene's data: every series' points with the runs behind them, its peak and knee.
#[test]
fn data_lists_a_line_charts_points_peak_and_knee() {
    let sweep = [
        "data",
        "vllm_concurrency",
        "--scenes",
        "tests/fixtures/sweep-scenes",
        "--results",
        "tests/fixtures/sweep",
    ];
    let json: serde_json::Value =
        serde_json::from_str(&stdout(&[&sweep[..], &["--format", "json"]].concat())).unwrap();
    assert_eq!(json["chart"]["kind"], "line");
    let series = json["series"].as_array().unwrap();
    assert_eq!(series.len(), 2);
    let (rtx, gb10) = (&series[0], &series[1]);
    assert_eq!(rtx["label"], "RTX 4090");
    let xs: Vec<f64> = rtx["points"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["x"].as_f64().unwrap())
        .collect();
    assert_eq!(xs, [1.0, 2.0, 4.0, 16.0, 32.0], "no 8: a gap, not a zero");
    assert_eq!(rtx["peak"], serde_json::json!({ "x": 32.0, "y": 1403.72 }));
    assert_eq!(rtx["knee"], serde_json::json!({ "x": 16.0, "y": 1298.4 }));
    let four = &gb10["points"][2];
    assert_eq!(
        (four["x"].as_f64(), four["y"].as_f64()),
        (Some(4.0), Some(148.52))
    );
    assert_eq!(four["n"], 2);
    let runs: Vec<&str> = four["runs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap())
        .collect();
    assert_eq!(runs.len(), 2);
    assert!(
        runs[0].ends_with("_20260301_102851.csv"),
        "newest first: {runs:?}"
    );
    assert!(runs[1].ends_with("_20260301_090204.csv"), "{runs:?}");

    // For people: a table per series, its peak and knee under it.
    let table = stdout(&sweep);
    assert!(
        table.contains("peak 428.91 at 32; knee 401.73 at 16"),
        "{table}"
    );
    let row = table
        .lines()
        .find(|l| l.starts_with("4 ") && l.contains("148.52"));
    assert_eq!(
        row.map(|l| l.split_whitespace().collect::<Vec<_>>()),
        Some(vec!["4", "148.52", "2"])
    );
}

/// A scatter scene's data: every series' points in their order with the runs behind them, and
/// the frontier left to right.
#[test]
fn data_lists_a_scatter_charts_points_in_order_and_its_frontier() {
    let tradeoff = [
        "data",
        "vllm_tradeoff",
        "--scenes",
        "tests/fixtures/sweep-scenes",
        "--results",
        "tests/fixtures/sweep",
    ];
    let json: serde_json::Value =
        serde_json::from_str(&stdout(&[&tradeoff[..], &["--format", "json"]].concat())).unwrap();
    assert_eq!(json["chart"]["kind"], "scatter");
    let series = json["series"].as_array().unwrap();
    assert_eq!(series.len(), 2);
    let (rtx, gb10) = (&series[0], &series[1]);
    assert_eq!(rtx["label"], "RTX 4090");
    let levels = |s: &serde_json::Value| -> Vec<f64> {
        s["points"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["level"].as_f64().unwrap())
            .collect()
    };
    assert_eq!(levels(rtx), [1.0, 2.0, 4.0, 16.0, 32.0], "in order, no 8");
    assert_eq!(levels(gb10), [1.0, 2.0, 4.0, 8.0, 16.0, 32.0]);
    let four = &gb10["points"][2];
    assert_eq!(
        (four["x"].as_f64(), four["y"].as_f64(), four["n"].as_u64()),
        (Some(26.12), Some(148.52), Some(2))
    );
    assert_eq!(four["label"], "c=4");
    assert_eq!(four["frontier"], false);
    let runs: Vec<&str> = four["runs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap())
        .collect();
    assert_eq!(runs.len(), 2);
    assert!(
        runs[0].ends_with("_20260301_102851.csv"),
        "newest first: {runs:?}"
    );
    assert_eq!(rtx["points"][0]["frontier"], true);
    let frontier = json["frontier"].as_array().unwrap();
    assert_eq!(frontier.len(), 5);
    assert_eq!(
        frontier[0],
        serde_json::json!({ "series": "RTX 4090", "level": 1.0, "x": 6.38, "y": 152.1, "label": "c=1" })
    );
    assert_eq!(frontier[4]["label"], "c=32");

    // For people: a table per series, then the frontier.
    let table = stdout(&tradeoff);
    let row = table
        .lines()
        .find(|l| l.starts_with("4 ") && l.contains("148.52"));
    assert_eq!(
        row.map(|l| l.split_whitespace().collect::<Vec<_>>()),
        Some(vec!["4", "26.12", "148.52", "2"])
    );
    assert!(
        table.contains(
            "frontier: RTX 4090 c=1, RTX 4090 c=2, RTX 4090 c=4, RTX 4090 c=16, RTX 4090 c=32"
        ),
        "{table}"
    );
}

/// Aggregated cells: the value, how many runs it stands for, their least and most and the
/// standard deviation, the whisker drawn; in the table, the value with its n.
#[test]
fn data_shows_how_many_runs_each_value_stands_for() {
    let latency = [
        "data",
        "llm_on_ray_latency",
        "--scenes",
        "tests/fixtures/repeats-scenes",
        "--results",
        "tests/fixtures/repeats",
    ];
    let json: serde_json::Value =
        serde_json::from_str(&stdout(&[&latency[..], &["--format", "json"]].concat())).unwrap();
    let cells = json["cells"].as_array().unwrap();
    let values: Vec<(f64, u64)> = cells
        .iter()
        .map(|c| (c["value"].as_f64().unwrap(), c["n"].as_u64().unwrap()))
        .collect();
    assert_eq!(values, [(897.0, 2), (383.0, 2), (1315.0, 2), (390.0, 2)]);
    let first = &cells[0];
    assert_eq!(first["row"], "32 tokens in");
    assert_eq!(first["aggregate"], "mean");
    assert_eq!(first["spread"], "minmax");
    assert_eq!(
        (first["min"].as_f64(), first["max"].as_f64()),
        (Some(890.0), Some(904.0))
    );
    assert!((first["stdev"].as_f64().unwrap() - 14.0 / 2f64.sqrt()).abs() < 1e-9);
    assert_eq!(first["whisker"], serde_json::json!([890.0, 904.0]));
    assert_eq!(
        json["chart"]["rows"][0]["bars"][0]["whisker"],
        serde_json::json!([890.0, 904.0])
    );
    let table = stdout(&latency);
    let row = table.lines().find(|l| l.starts_with("128 tokens in"));
    assert_eq!(
        row.map(|l| l.split_whitespace().collect::<Vec<_>>()),
        Some(vec![
            "128", "tokens", "in", "1315.00", "(n=2)", "390.00", "(n=2)"
        ])
    );

    // A scatter's points: each the mean of its two runs.
    let tradeoff = [
        "data",
        "llm_on_ray_tradeoff",
        "--scenes",
        "tests/fixtures/repeats-scenes",
        "--results",
        "tests/fixtures/repeats",
        "--format",
        "json",
    ];
    let json: serde_json::Value = serde_json::from_str(&stdout(&tradeoff)).unwrap();
    let points = json["series"][0]["points"].as_array().unwrap();
    assert_eq!(points.len(), 7);
    assert!(
        points
            .iter()
            .all(|p| p["n"] == 2 && p["runs"].as_array().unwrap().len() == 2)
    );
    assert_eq!(
        (points[0]["x"].as_f64(), points[0]["y"].as_f64()),
        (Some(45.45), Some(80.8))
    );
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

#[test]
fn numbers_out_of_range_are_refused_before_any_work() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r");
    let out = out.to_str().unwrap();
    for (args, expected) in [
        (
            vec!["--resolution", "4294967295x1"],
            "--resolution 4294967295x1: the width 4294967295 is out of range: 64 to 8192 pixels",
        ),
        (
            vec!["--fps", "100000"],
            "--fps 100000 is out of range: 1 to 240 frames per second",
        ),
        (
            vec!["-j", "100000"],
            "-j/--jobs 100000 is out of range: 1 to 1024",
        ),
        (vec!["-j", "0"], "-j/--jobs 0 is out of range: 1 to 1024"),
    ] {
        let mut all = vec!["render", "vllm_input", "--out", out];
        all.extend(args.iter().copied());
        let o = common::benchanim(&all);
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
        assert!(
            !std::path::Path::new(out).exists(),
            "{args:?} wrote something"
        );
    }
    let file = dir.path().join("file");
    std::fs::write(&file, "").unwrap();
    let o = common::benchanim(&["render", "vllm_input", "--out", file.to_str().unwrap()]);
    assert!(String::from_utf8_lossy(&o.stderr).contains("is a file; it takes the folder"));
}

#[test]
fn sigterm_stops_a_render_and_leaves_no_temporary_files() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap();
    // A stale temporary file of a run that was killed goes; finished files stay.
    std::fs::write(dir.path().join(".old.mp4.4194305.AbCdEf.partial"), "half").unwrap();
    std::fs::write(dir.path().join("kept.png"), "earlier").unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_benchanim"))
        .args(["render", "--all", "-q", "l", "--out", out])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stderr(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Wait until it is writing, then stop it.
    while !std::fs::read_dir(dir.path()).unwrap().flatten().any(|e| {
        e.file_name()
            .to_string_lossy()
            .contains(&format!(".{}.", child.id()))
    }) {
        let exited = child.try_wait().unwrap();
        assert!(exited.is_none(), "render ended before it wrote: {exited:?}");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let kill = std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(143));
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(names.iter().all(|n| !n.ends_with(".partial")), "{names:?}");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("kept.png")).unwrap(),
        "earlier"
    );
}

#[test]
fn pace_talk_reveals_the_opening_step_by_step_and_blog_shows_the_data_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let gif_seconds = |pace: &[&str]| {
        let out = dir.path().join(pace.join("-"));
        let mut args = vec!["render", "llm_finetune", "-q", "l", "--format", "gif"];
        args.extend_from_slice(&["--quiet", "--out", out.to_str().unwrap()]);
        args.extend_from_slice(pace);
        stdout(&args);
        let (_, delay, ..) = read_gif(&out.join("llm_finetune.gif"));
        f64::from(delay) / 100.0
    };
    let (blog, talk) = (gif_seconds(&[]), gif_seconds(&["--pace", "talk"]));
    assert_eq!(gif_seconds(&["--pace", "blog"]), blog);
    // Talk waits for title, subtitle, legend and labels in turn (0.6 + 0.4 + 0.4 + 1.2 s and
    // their pauses); blog fades them in together within 0.6 s.
    assert!(talk - blog > 2.0, "blog {blog} s, talk {talk} s");
}
