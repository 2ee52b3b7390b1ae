//! Any bytes given to the reader of plot_model_comparison.py's runs (`import sweep-configs`,
//! `<Model>/run_*/benchmark_results.json`) come back as a result or a one-line error, never a
//! panic. A first line starting with `/` is taken as the file's path, so the folders that give
//! the model and the time are fuzzed too.
#![no_main]

use std::path::Path;

use benchanim::import::sweep_configs::parse_run;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let default = "/r/Qwen_Qwen3-4B/run_20250612_101500/benchmark_results.json";
    let (path, bytes) = match data.split_first() {
        Some((b'/', _)) => match data.iter().position(|&b| b == b'\n') {
            Some(i) => (
                String::from_utf8_lossy(&data[..i]).into_owned(),
                &data[i + 1..],
            ),
            None => (default.to_string(), data),
        },
        _ => (default.to_string(), data),
    };
    match parse_run(
        Path::new(&path),
        bytes,
        "NVIDIA H100 80GB HBM3",
        "20240101_000000",
    ) {
        Ok(record) => assert!(record.benchmark.starts_with("vllm_latency_sweep_")),
        Err(why) => {
            let why = why.to_string();
            assert!(!why.is_empty() && !why.contains('\n'), "{why:?}");
        }
    }
});
