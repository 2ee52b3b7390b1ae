//! Any bytes given to the reader of what sglang's `bench_serving --output-file` appends (JSON
//! lines, a run each) come back as runs, lines refused by number, or a one-line error, never
//! a panic.
#![no_main]

use std::path::Path;

use benchanim::import::sglang::parse_lines;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for model in [Some("SmolLM2-135M-Instruct"), None] {
        match parse_lines(
            Path::new("/r/results.jsonl"),
            data,
            "NVIDIA GB10",
            model,
            "20260301_101500",
        ) {
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
                            assert!(why.starts_with("line ") && !why.contains('\n'), "{why:?}")
                        }
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
