//! `benchanim bench` against llama.cpp's real llama-server with standard output closed or
//! full: the result file is written either way; a closed pipe ends the run quietly, a full
//! disk is an error that says the result is safe.
//!
//! Needs BENCHANIM_LLAMA_SERVER and BENCHANIM_GGUF: `eval "$(scripts/llama-server.sh)"`.

mod bench_support;
mod common;

use bench_support::{LlamaServer, result_files};
use common::{assert_quiet, assert_says_disk_full, closed_pipe, full_disk};

/// The smallest run of `benchmark` (`openai`, `llama-server`): one short prompt, one short
/// answer.
fn smallest_run(benchmark: &str, url: &str, out: &str) -> Vec<String> {
    let lengths: &[&str] = match benchmark {
        "openai" => &["--input-len", "8", "--output-len", "4"],
        _ => &["--input-range", "8", "8", "--output-range", "4", "4"],
    };
    let args = [
        "bench",
        benchmark,
        "--url",
        url,
        "--output-dir",
        out,
        "--gpu-name",
        "Test GPU",
        "--prompts",
        "1",
        "--warmups",
        "0",
    ];
    args.iter().chain(lengths).map(|s| s.to_string()).collect()
}

#[test]
fn bench_writes_its_result_whatever_standard_output_is() {
    let server = LlamaServer::start();
    for what in ["openai", "llama-server"] {
        let dir = tempfile::tempdir().unwrap();
        let args = smallest_run(what, &server.url(), dir.path().to_str().unwrap());
        let args: Vec<&str> = args.iter().map(String::as_str).collect();

        let closed = closed_pipe(&args);
        assert_quiet(&closed, 0, &format!("{what} | head -0"));
        assert_eq!(result_files(dir.path()).len(), 1, "{what} | head -0");

        let full = full_disk(&args);
        assert_says_disk_full(&full, &format!("{what} > /dev/full"));
        let files = result_files(dir.path());
        assert_eq!(files.len(), 2, "{what} > /dev/full");
        let stderr = String::from_utf8_lossy(&full.stderr);
        assert!(
            files
                .iter()
                .any(|f| stderr.contains(&format!("wrote {}", f.display()))),
            "{what}: {stderr}"
        );
        assert!(
            stderr.contains("the result file is written all the same"),
            "{what}: {stderr}"
        );
    }
}
