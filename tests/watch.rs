//! `benchanim render --watch` as a user runs it: it renders, renders again when the scene is
//! edited, says what is wrong when the results go, keeps watching, and stops on SIGTERM.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

/// Long enough for a render on a loaded machine; only a hung watch waits this long.
const PATIENCE: Duration = Duration::from_secs(300);

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// The lines the watch prints on standard error, as they come.
fn error_lines(child: &mut Child) -> Receiver<String> {
    let (tx, rx) = channel();
    let stderr = BufReader::new(child.stderr.take().unwrap());
    std::thread::spawn(move || {
        for line in stderr.lines() {
            if tx.send(line.unwrap()).is_err() {
                break;
            }
        }
    });
    rx
}

/// Reads lines until one contains `needle`; returns every line read, that one last.
fn wait_for(lines: &Receiver<String>, needle: &str) -> Vec<String> {
    let mut seen = Vec::new();
    loop {
        match lines.recv_timeout(PATIENCE) {
            Ok(line) => {
                let found = line.contains(needle);
                seen.push(line);
                if found {
                    return seen;
                }
            }
            Err(e) => panic!("no line with `{needle}` ({e}); the watch said:\n{seen:#?}"),
        }
    }
}

/// The title the manifest records for the scene.
fn manifest_title(out: &Path) -> String {
    let text = std::fs::read_to_string(out.join("manifest.json")).unwrap();
    let manifest: serde_json::Value = serde_json::from_str(&text).unwrap();
    manifest["scenes"][0]["title"].as_str().unwrap().to_string()
}

#[test]
fn watch_renders_again_on_each_change_and_survives_missing_results() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    let scenes = dir.path().join("scenes");
    std::fs::create_dir(&scenes).unwrap();
    let scene = scenes.join("vllm_input.toml");
    std::fs::copy(root.join("scenes/vllm_input.toml"), &scene).unwrap();
    copy_dir(
        &root.join("benchmark_results"),
        &dir.path().join("benchmark_results"),
    );
    let out = dir.path().join("renders");
    let mut child = Command::new(env!("CARGO_BIN_EXE_benchanim"))
        .args(["render", "vllm_input", "--watch", "--format", "png"])
        .current_dir(dir.path())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let lines = error_lines(&mut child);

    let first = wait_for(&lines, "rendered 1 scene");
    assert!(first[0].starts_with("watching `scenes`"), "{first:#?}");
    let still = out.join("vllm_input.png");
    let before = std::fs::read(&still).unwrap();
    assert_eq!(
        manifest_title(&out),
        "vLLM Inference: Token Input Throughput"
    );
    // The preview is the small preset unless asked otherwise.
    let png = png::Decoder::new(std::io::Cursor::new(&before))
        .read_info()
        .unwrap();
    assert_eq!((png.info().width, png.info().height), (854, 480));

    // An edit to the title is a new still with the new title, and what `check` says of it.
    let title = "An extremely long title that goes on and on about input token throughput on two \
                 GPUs and many models and more words still to fill the frame";
    let text = std::fs::read_to_string(&scene).unwrap();
    let edited = text.replace(
        "title = \"vLLM Inference: Token Input Throughput\"",
        &format!("title = \"{title}\""),
    );
    assert_ne!(text, edited);
    std::fs::write(&scene, edited).unwrap();
    let second = wait_for(&lines, "rendered 1 scene");
    assert!(
        second
            .iter()
            .any(|l| l.ends_with("changed: scenes/vllm_input.toml")),
        "{second:#?}"
    );
    assert!(
        second
            .iter()
            .any(|l| l.starts_with("warning: vllm_input") && l.contains("title cut short")),
        "{second:#?}"
    );
    assert_eq!(manifest_title(&out), title);
    assert_ne!(std::fs::read(&still).unwrap(), before);

    // Results gone: an error that names them, and the watch goes on.
    std::fs::remove_dir_all(dir.path().join("benchmark_results")).unwrap();
    let gone = wait_for(&lines, "error:");
    let error = gone.last().unwrap();
    assert!(
        error.contains("results folder `benchmark_results` does not exist"),
        "{gone:#?}"
    );
    assert!(child.try_wait().unwrap().is_none(), "the watch ended");

    // The results back (moved into place whole) are seen again.
    let staged = dir.path().join("staged");
    copy_dir(&root.join("benchmark_results"), &staged);
    std::fs::rename(&staged, dir.path().join("benchmark_results")).unwrap();
    wait_for(&lines, "rendered 1 scene");

    let kill = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    assert_eq!(child.wait().unwrap().code(), Some(143));
    let rest: Vec<String> = lines.iter().collect();
    assert!(rest.iter().all(|l| !l.contains("panicked")), "{rest:#?}");
    let names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(names.iter().all(|n| !n.ends_with(".partial")), "{names:#?}");
}
