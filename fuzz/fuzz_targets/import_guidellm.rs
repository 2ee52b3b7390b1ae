//! Any bytes given to the guidellm report reader come back as runs, benchmarks refused by
//! number, or a one-line error, never a panic.
#![no_main]

use std::path::Path;

use benchanim::import::guidellm::parse_report;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    match parse_report(Path::new("/r/benchmarks.json"), data, "NVIDIA GB10") {
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
                        assert!(
                            why.starts_with("benchmark ") && !why.contains('\n'),
                            "{why:?}"
                        )
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
