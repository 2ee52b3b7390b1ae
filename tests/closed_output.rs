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
