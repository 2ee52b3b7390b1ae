//! End to end in a real browser: the gallery page is served on 127.0.0.1 (by the server of
//! `render --watch --serve`) and opened in headless Chromium, which must load and play every scene's video at its rendered size and duration,
//! and load its poster and GIF (`tests/browser/check_gallery.mjs` does the checking).
//!
//! Needs Chromium, Node.js, `playwright-core` in `node_modules/` and the `ffmpeg` command;
//! `scripts/browser-setup.sh` installs them. Without them this test fails, saying so.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use benchanim::encode::{OutputKind, Written};
use benchanim::gallery;
use benchanim::manifest::{Manifest, RenderedScene};
use serde_json::json;

/// What the browser must find for one scene.
struct Expected {
    name: String,
    title: String,
    width: u32,
    height: u32,
    duration_s: f64,
}

/// A sample "render" made with the `ffmpeg` command: H.264 yuv420p with fast start, a GIF
/// and a PNG, the way `benchanim render` lays them out.
struct Sample {
    name: &'static str,
    title: &'static str,
    width: u32,
    height: u32,
    seconds: u32,
}

impl Sample {
    /// The scene as a render would record it: the sample's known size and length, the sizes
    /// of the files `make_sample` wrote.
    fn rendered(&self, dir: &Path) -> RenderedScene {
        let files = [OutputKind::Mp4, OutputKind::Gif, OutputKind::Png]
            .into_iter()
            .map(|kind| {
                let name = format!("{}.{}", self.name, kind.extension());
                let (duration, frames) = match kind {
                    OutputKind::Mp4 => (self.seconds, self.seconds * 15),
                    OutputKind::Gif => (self.seconds, self.seconds * 10),
                    // The stills.
                    _ => (0, 1),
                };
                Written {
                    bytes: std::fs::metadata(dir.join(&name)).unwrap().len(),
                    name,
                    kind,
                    width: self.width,
                    height: self.height,
                    duration: Duration::from_secs(u64::from(duration)),
                    frames: u64::from(frames),
                    fps: None,
                }
            })
            .collect();
        RenderedScene {
            name: self.name.to_string(),
            title: self.title.to_string(),
            files,
        }
    }
}

const SAMPLES: [Sample; 2] = [
    Sample {
        name: "vllm_input",
        title: "vLLM: Prompt/Input Throughput",
        width: 854,
        height: 480,
        seconds: 3,
    },
    Sample {
        name: "training_time",
        title: "Training <time> & \"cost\" per GPU",
        width: 640,
        height: 360,
        seconds: 2,
    },
];

#[test]
fn gallery_of_sample_renders_plays_in_chromium() {
    let tools = Tools::find();
    let dir = tempfile::tempdir().unwrap();
    let mut scenes = Vec::new();
    for sample in &SAMPLES {
        make_sample(&tools, dir.path(), sample);
        scenes.push(sample.rendered(dir.path()));
    }
    gallery::write_index(dir.path(), &scenes).unwrap();
    let expected = SAMPLES
        .iter()
        .map(|s| Expected {
            name: s.name.to_string(),
            title: s.title.to_string(),
            width: s.width,
            height: s.height,
            duration_s: f64::from(s.seconds),
        })
        .collect::<Vec<_>>();
    check_in_chromium(&tools, dir.path(), &expected);
}

/// The same check over what `benchanim render --all` writes: its `index.html` must show every
/// scene in `scenes/`, each playing at the size and duration its manifest entry declares.
#[test]
fn rendered_gallery_plays_in_chromium() {
    let tools = Tools::find();
    let dir = tempfile::tempdir().unwrap();
    let status = Command::new(env!("CARGO_BIN_EXE_benchanim"))
        .args(["render", "--all", "-q", "l", "--out"])
        .arg(dir.path())
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .status()
        .unwrap();
    assert!(status.success(), "benchanim render --all failed: {status}");
    assert!(
        dir.path().join("index.html").is_file(),
        "render --all wrote no index.html"
    );
    let scenes_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenes");
    let manifest = Manifest::load(dir.path()).unwrap();
    let mut expected = Vec::new();
    for entry in std::fs::read_dir(&scenes_dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "toml") {
            let name = path.file_stem().unwrap().to_str().unwrap().to_string();
            let scene = manifest.scene(&name, dir.path()).unwrap();
            let title = benchanim::scene::load_scene(&scenes_dir, &name)
                .unwrap()
                .common
                .title;
            assert_eq!(scene.title, title);
            assert_eq!(page_title(&dir.path().join("index.html"), &name), title);
            // `-q l` is 854x480; every scene animates for several seconds and holds for 3.
            let duration_s = scene.duration().as_secs_f64();
            assert_eq!(scene.size(), (854, 480));
            assert!(duration_s > 6.0, "{name}: {duration_s} s");
            expected.push(Expected {
                name,
                title,
                width: 854,
                height: 480,
                duration_s,
            });
        }
    }
    assert!(
        !expected.is_empty(),
        "no scenes in {}",
        scenes_dir.display()
    );
    check_in_chromium(&tools, dir.path(), &expected);
}

/// The title the page shows for `name`, as the browser will read it (entities decoded).
fn page_title(index: &Path, name: &str) -> String {
    let html = std::fs::read_to_string(index).unwrap();
    let card = &html[html
        .find(&format!("data-scene=\"{name}\""))
        .unwrap_or_else(|| panic!("no card for {name} in {}", index.display()))..];
    let h2 = &card[card.find("<h2>").unwrap() + 4..card.find("</h2>").unwrap()];
    h2.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// Serves `dir` and runs the browser check over its `index.html`; screenshots go to
/// `target/tmp/gallery/` to look at.
fn check_in_chromium(tools: &Tools, dir: &Path, expected: &[Expected]) {
    let addr = benchanim::serve::serve(dir, 0).unwrap();
    let shots = Path::new(env!("CARGO_TARGET_TMPDIR")).join("gallery");
    std::fs::create_dir_all(&shots).unwrap();
    let screenshot = shots.join("gallery.png");
    let expected = json!(
        expected
            .iter()
            .map(|e| json!({
                "name": e.name,
                "title": e.title,
                "width": e.width,
                "height": e.height,
                "duration": e.duration_s,
            }))
            .collect::<Vec<_>>()
    );
    let output = Command::new(&tools.node)
        .arg(tools.repo.join("tests/browser/check_gallery.mjs"))
        .arg(format!("http://{addr}/index.html"))
        .arg(expected.to_string())
        .arg(&screenshot)
        .env("CHROMIUM", &tools.chromium)
        .current_dir(&tools.repo)
        .output()
        .unwrap();
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    println!("{report}");
    assert!(
        output.status.success(),
        "the gallery failed in Chromium:\n{report}"
    );
    println!("screenshots: {}", shots.display());
}

/// The programs the test drives.
struct Tools {
    repo: PathBuf,
    node: PathBuf,
    chromium: PathBuf,
    ffmpeg: PathBuf,
}

impl Tools {
    /// Finds every tool or fails the test saying how to install what is missing.
    fn find() -> Tools {
        let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
        let chromium = std::env::var_os("CHROMIUM")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"));
        let mut missing = Vec::new();
        if !chromium.is_file() {
            missing.push(format!("Chromium (`{}`)", chromium.display()));
        }
        let node = on_path("node");
        if node.is_none() {
            missing.push("Node.js (`node`)".to_string());
        }
        if !repo
            .join("node_modules/playwright-core/package.json")
            .is_file()
        {
            missing.push("playwright-core (`node_modules/`)".to_string());
        }
        let ffmpeg = on_path("ffmpeg");
        if ffmpeg.is_none() {
            missing.push("the `ffmpeg` command".to_string());
        }
        match (node, ffmpeg) {
            (Some(node), Some(ffmpeg)) if missing.is_empty() => Tools {
                repo,
                node,
                chromium,
                ffmpeg,
            },
            _ => panic!(
                "the browser test needs {}; run `scripts/browser-setup.sh` to install them",
                missing.join(", ")
            ),
        }
    }
}

fn on_path(program: &str) -> Option<PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|dir| dir.join(program))
        .find(|path| path.is_file())
}

fn make_sample(tools: &Tools, dir: &Path, sample: &Sample) {
    let source = format!(
        "testsrc2=size={}x{}:rate=15:duration={}",
        sample.width, sample.height, sample.seconds
    );
    let outputs: [(&str, &[&str]); 3] = [
        (
            "mp4",
            &[
                "-c:v",
                "libx264",
                "-profile:v",
                "high",
                "-pix_fmt",
                "yuv420p",
                "-movflags",
                "+faststart",
            ],
        ),
        ("gif", &["-r", "10"]),
        ("png", &["-frames:v", "1"]),
    ];
    for (ext, args) in outputs {
        let path = dir.join(format!("{}.{ext}", sample.name));
        let status = Command::new(&tools.ffmpeg)
            .args(["-loglevel", "error", "-y", "-f", "lavfi", "-i", &source])
            .args(args)
            .arg(&path)
            .status()
            .unwrap();
        assert!(
            status.success(),
            "ffmpeg could not write {}",
            path.display()
        );
    }
}

/// A transparent render's WebM, played by Chromium over a page of one colour: where the chart
/// has no background the page shows through, where it has bars and text it does not.
#[cfg(feature = "ffmpeg")]
#[test]
fn transparent_webm_shows_the_page_through_in_chromium() {
    const PAGE: [u8; 3] = [255, 0, 255];
    let tools = Tools::find();
    let dir = tempfile::tempdir().unwrap();
    let status = Command::new(env!("CARGO_BIN_EXE_benchanim"))
        .args(["render", "llm_finetune", "-q", "l", "--transparent"])
        .args(["--format", "png,webm", "--out"])
        .arg(dir.path())
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .status()
        .unwrap();
    assert!(status.success(), "benchanim render failed: {status}");
    let page = format!(
        "<!doctype html><html><body style=\"margin:0;background:rgb({},{},{})\">\
         <video src=\"llm_finetune.webm\" muted playsinline width=\"854\" height=\"480\" \
         style=\"display:block\"></video></body></html>",
        PAGE[0], PAGE[1], PAGE[2]
    );
    std::fs::write(dir.path().join("alpha.html"), page).unwrap();
    let addr = benchanim::serve::serve(dir.path(), 0).unwrap();
    let shots = Path::new(env!("CARGO_TARGET_TMPDIR")).join("gallery");
    std::fs::create_dir_all(&shots).unwrap();
    let screenshot = shots.join("transparent-webm.png");
    let output = Command::new(&tools.node)
        .arg(tools.repo.join("tests/browser/check_alpha.mjs"))
        .arg(format!("http://{addr}/alpha.html"))
        .arg(&screenshot)
        .env("CHROMIUM", &tools.chromium)
        .current_dir(&tools.repo)
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&output.stdout).into_owned()
        + &String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "Chromium:\n{report}");

    let shown = rgba_png(&screenshot);
    let still = rgba_png(&dir.path().join("llm_finetune.png"));
    assert_eq!(
        shown.len(),
        still.len(),
        "the screenshot is the video's 854x480"
    );
    let is_page = |p: &[u8; 4]| p[..3].iter().zip(PAGE).all(|(a, b)| a.abs_diff(b) <= 12);
    let (mut background, mut through, mut ink, mut covered) = (0, 0, 0, 0);
    for (s, p) in still.iter().zip(&shown) {
        match s[3] {
            0 => (background, through) = (background + 1, through + usize::from(is_page(p))),
            255 => (ink, covered) = (ink + 1, covered + usize::from(!is_page(p))),
            _ => {}
        }
    }
    assert!(
        through * 100 >= background * 99,
        "page shows through at {through} of {background}"
    );
    assert!(
        covered * 100 >= ink * 97,
        "the chart covers {covered} of {ink}"
    );
}

/// A PNG's pixels as RGBA (an opaque one gains alpha 255).
#[cfg(feature = "ffmpeg")]
fn rgba_png(path: &Path) -> Vec<[u8; 4]> {
    let pixmap = tiny_skia::Pixmap::load_png(path).unwrap();
    (pixmap.pixels().iter())
        .map(|p| {
            let c = p.demultiply();
            [c.red(), c.green(), c.blue(), c.alpha()]
        })
        .collect()
}
