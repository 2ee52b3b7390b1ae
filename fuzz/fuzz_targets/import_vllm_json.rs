//! Any bytes given to the vLLM result reader, as one file of a `vllm bench sweep serve` folder,
//! come back as runs or a one-line error, never a panic. A first line starting with `/` is
//! taken as the file's path, so folder names (sweep parameters, the sweep's start) are fuzzed
//! too. A run whose requests all failed never comes back as a run, and a run that could not
//! be filed (an impossible date, a value out of range) says why in one line.
#![no_main]

use std::path::Path;

use benchanim::import::vllm_json::parse_file;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let default = "/r/20260301_101500/SERVE--max_num_seqs=32-BENCH--max_concurrency=8/run=0.json";
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
    for gpu in [Some("NVIDIA GB10"), None] {
        match parse_file(Path::new(&path), bytes, gpu) {
            Ok(file) => {
                for run in file.runs {
                    assert!(!run.record.benchmark.is_empty());
                    assert_eq!(run.sha256.len(), 64);
                    let succeeded = run
                        .record
                        .rows
                        .iter()
                        .find(|r| r.metric == "successful_requests")
                        .and_then(|r| r.value.as_number());
                    assert_ne!(succeeded, Some(0.0), "an all-failed run filed");
                    if let Err(why) = run.record.check() {
                        let why = why.to_string();
                        assert!(!why.is_empty() && !why.contains('\n'), "{why:?}");
                    }
                }
            }
            Err(why) => {
                let why = why.to_string();
                assert!(!why.is_empty() && !why.contains('\n'), "{why:?}");
            }
        }
    }
});
