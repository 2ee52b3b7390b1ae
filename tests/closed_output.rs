//! Standard output that is closed or full: a closed pipe ends a command quietly, a full disk
//! is an error that says so, and neither loses what the command wrote to files.

mod common;

use std::process::{Command, Output, Stdio};

fn with_stdout(args: &[&str], stdout: Stdio) -> Output {
    Command::new(env!("CARGO_BIN_EXE_benchanim"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdout(stdout)
        .stderr(Stdio::piped())
        .output()
        .expect("run benchanim")
}

/// Standard output is a pipe whose reader has already gone (`| head -0`).
fn closed_pipe(args: &[&str]) -> Output {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    with_stdout(args, writer.into())
}

/// Standard output is `/dev/full`: every write fails with "no space left".
fn full_disk(args: &[&str]) -> Output {
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    with_stdout(args, full.into())
}

const RESULTS: [&str; 2] = ["--results", "tests/fixtures/results"];

fn printing_commands() -> Vec<Vec<&'static str>> {
    let with_results = |args: &[&'static str]| -> Vec<&'static str> {
        args.iter().copied().chain(RESULTS).collect()
    };
    vec![
        with_results(&["report"]),
        with_results(&["report", "--format", "json"]),
        vec!["list"],
        with_results(&["data", "vllm_input"]),
        with_results(&["data", "vllm_input", "--format", "json"]),
        vec!["--help"],
    ]
}

#[test]
fn a_closed_pipe_ends_quietly() {
    for args in printing_commands() {
        let out = closed_pipe(&args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert_eq!(out.status.code(), Some(0), "{args:?}: {stderr}");
        assert!(!stderr.contains("error"), "{args:?}: {stderr}");
    }
}

#[test]
fn a_full_disk_is_an_error_that_says_so() {
    for args in printing_commands() {
        if args == ["--help"] {
            continue;
        }
        let out = full_disk(&args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert_eq!(out.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(
            stderr.contains("cannot write to standard output: No space left on device"),
            "{args:?}: {stderr}"
        );
    }
}

#[test]
fn render_writes_every_file_before_it_prints() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap();
    let args = [
        "render",
        "vllm_input",
        "llm_finetune",
        "--format",
        "png",
        "--out",
        out,
        "--results",
        "tests/fixtures/results",
    ];
    let closed = closed_pipe(&args);
    assert_eq!(closed.status.code(), Some(0));
    for file in [
        "vllm_input.png",
        "llm_finetune.png",
        "index.html",
        "manifest.json",
    ] {
        assert!(dir.path().join(file).is_file(), "{file} missing");
    }
    let full = full_disk(&args);
    assert_eq!(full.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&full.stderr).contains("No space left on device"));
}

#[test]
fn bench_keeps_its_run_when_standard_output_is_closed() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap();
    let args = [
        "bench",
        "exec",
        "--family",
        "demo_bench",
        "--name",
        "closed",
        "--gpu-name",
        "Test GPU",
        "--output-dir",
        out,
        "--",
        "sh",
        "-c",
        "echo images_per_second,2.5,img/s",
    ];
    let closed = closed_pipe(&args);
    let stderr = String::from_utf8_lossy(&closed.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    let written: Vec<_> = std::fs::read_dir(dir.path().join("Test_GPU"))
        .unwrap()
        .collect();
    assert_eq!(written.len(), 1, "{stderr}");
}
