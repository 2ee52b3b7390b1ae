//! Standard output that is closed or full: a closed pipe ends a command quietly, a full disk
//! is an error that says so, and neither loses what the command wrote to files.

mod common;

use common::{assert_quiet, assert_says_disk_full, closed_pipe, full_disk};

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
        assert_quiet(&closed_pipe(&args), 0, &format!("{args:?}"));
    }
}

#[test]
fn a_full_disk_is_an_error_that_says_so() {
    for args in printing_commands() {
        if args == ["--help"] {
            continue;
        }
        assert_says_disk_full(&full_disk(&args), &format!("{args:?}"));
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
    let written = || {
        std::fs::read_dir(dir.path().join("Test_GPU"))
            .unwrap()
            .count()
    };
    assert_eq!(written(), 1, "{stderr}");
    // The program's output passes through a full disk too; the run is what counts.
    let full = full_disk(&args);
    assert_quiet(&full, 0, "bench exec > /dev/full");
    assert_eq!(written(), 2);
}

#[test]
fn embed_ends_quietly_on_a_closed_pipe_and_says_when_the_disk_is_full() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap();
    let render = common::benchanim(&[
        "render",
        "vllm_input",
        "--format",
        "png",
        "--out",
        out,
        "--results",
        "tests/fixtures/results",
    ]);
    assert_eq!(render.status.code(), Some(0));
    let args = ["embed", "vllm_input", "--out", out];
    assert!(common::stdout(&args).contains("vllm_input.png"));
    assert_quiet(&closed_pipe(&args), 0, "embed");
    assert_says_disk_full(&full_disk(&args), "embed");
}

/// The imports print nothing on standard output: closed or full, it changes nothing.
#[test]
fn imports_write_their_files_whatever_standard_output_is() {
    let imports: [&[&str]; 3] = [
        &["import", "results", "tests/fixtures/results"],
        &[
            "import",
            "vllm-json",
            "tests/fixtures/vllm_bench_serve.json",
            "--gpu-name",
            "NVIDIA GB10",
        ],
        &["import", "llama-bench", "tests/fixtures/llama_bench.json"],
    ];
    for import in imports {
        for (stdout, run) in [
            ("closed", closed_pipe as fn(&[&str]) -> std::process::Output),
            ("full", full_disk),
        ] {
            let dir = tempfile::tempdir().unwrap();
            let dest = dir.path().join("results");
            let mut args = import.to_vec();
            args.extend(["--results", dest.to_str().unwrap()]);
            let what = format!("{args:?} with standard output {stdout}");
            let out = run(&args);
            assert_quiet(&out, 0, &what);
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(stderr.contains("wrote "), "{what}: {stderr}");
            let written = std::fs::read_dir(&dest).map_or(0, Iterator::count);
            assert!(written > 0, "{what}: nothing in {}", dest.display());
        }
    }
}

#[test]
fn gpu_info_prints_through_the_same_standard_output() {
    let args = ["bench", "gpu-info", "--seconds", "0.1"];
    let plain = common::benchanim(&args);
    let closed = closed_pipe(&args);
    let full = full_disk(&args);
    if plain.status.code() == Some(1) {
        // No NVML on this machine: the same message, whatever standard output is.
        let why = String::from_utf8_lossy(&plain.stderr);
        assert!(why.contains("no GPU telemetry"), "{why}");
        for out in [&closed, &full] {
            assert_eq!(out.status.code(), Some(1));
            assert_eq!(String::from_utf8_lossy(&out.stderr), why);
        }
        return;
    }
    assert_eq!(plain.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&plain.stdout).starts_with("GPU 0: "));
    assert_quiet(&closed, 0, "gpu-info");
    assert_says_disk_full(&full, "gpu-info");
}

#[test]
fn a_closed_pipe_still_gets_the_warnings_about_the_results() {
    let dir = tempfile::tempdir().unwrap();
    let gpu = dir.path().join("G");
    std::fs::create_dir_all(&gpu).unwrap();
    std::fs::write(
        gpu.join("vLLM_G_good_20260101_000000.csv"),
        "metric,value,unit\noutput_token_throughput,10.5,tok/s\n",
    )
    .unwrap();
    std::fs::write(
        gpu.join("vLLM_G_bad_20260101_000000.csv"),
        "metric,value,unit\nx,\"1\n",
    )
    .unwrap();
    let results = dir.path().to_str().unwrap();
    let out = closed_pipe(&["report", "--results", results]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(err.contains("vLLM_G_bad_20260101_000000.csv:2"), "{err}");
    let out = closed_pipe(&["report", "--results", results, "--strict"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("--strict"), "{err}");
}

#[test]
fn a_closed_standard_error_loses_the_messages_not_the_work() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap();
    // `plot` tells what it chose on stderr before it draws; `render` says what it rendered.
    let cases: [&[&str]; 2] = [
        &[
            "plot",
            "--results",
            "examples/cpu-sweep/benchmark_results",
            "--y",
            "output_token_throughput",
            "--x",
            "max_concurrency",
            "--format",
            "png",
            "-q",
            "l",
            "--out",
            out,
        ],
        &[
            "render",
            "vllm_input",
            "--format",
            "png",
            "-q",
            "l",
            "--out",
            out,
        ],
    ];
    for args in cases {
        let run = common::closed_stderr(args);
        assert_eq!(run.status.code(), Some(0), "{args:?}");
    }
    let written = common::pngs(dir.path());
    assert_eq!(written.len(), 2, "{written:?}");
}
