//! Any bytes given to the genai-perf and aiperf export reader, as one export of a sweep's
//! artifacts folder, come back as runs or a one-line error, never a panic. A first line
//! starting with `/` is taken as the file's path, so names (which tool) and folders (the
//! concurrency a folder names) are fuzzed too.
#![no_main]

use std::path::Path;

use benchanim::import::genai_perf::parse_export;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let default = "/r/artifacts/SmolLM2-135M-Instruct-openai-chat-concurrency4/profile_export_genai_perf.json";
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
    match parse_export(Path::new(&path), bytes, "NVIDIA GB10", "20260301_101500") {
        Ok(runs) => {
            for run in runs {
                match run {
                    Ok(run) => {
                        assert!(!run.record.benchmark.is_empty());
                        assert!(run.record.rows.iter().all(|r| !r.metric.is_empty()));
                        assert_eq!(run.sha256.len(), 64);
                    }
                    Err(why) => {
                        let why = why.to_string();
                        assert!(!why.is_empty() && !why.contains('\n'), "{why:?}");
                    }
                }
            }
        }
        Err(why) => {
            let why = why.to_string();
            assert!(!why.is_empty() && !why.contains('\n'), "{why:?}");
        }
    }
});
