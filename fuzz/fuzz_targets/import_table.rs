//! Any bytes given to the table reader (`import table`: CSV with a header, or JSON lines) come
//! back as runs or a one-line error, never a panic. The first byte picks the options, so grouping
//! with a mean or a median, renamed config, units and a name template are fuzzed too.
#![no_main]

use std::path::Path;

use benchanim::import::table::{GroupCenter, TableImport, parse_table};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (pick, bytes) = data.split_first().unwrap_or((&0, data));
    let mut how = TableImport {
        gpu: Some("NVIDIA GeForce RTX 4090".into()),
        ..TableImport::default()
    };
    if pick & 1 != 0 {
        how.group_by = vec!["model".into()];
        how.aggregate = Some(if pick & 2 != 0 {
            GroupCenter::Median
        } else {
            GroupCenter::Mean
        });
    }
    if pick & 4 != 0 {
        how.config = vec!["prompt=question".into()];
        how.units = vec!["latency=s".into()];
    }
    if pick & 8 != 0 {
        how.set = vec!["engine=tinygrad".into()];
        how.name = Some("{model}_{engine}".into());
    }
    if pick & 16 != 0 {
        how.gpu = None;
    }
    let path = Path::new("/r/Qwen_Qwen3-4B/benchmark_results.csv");
    match parse_table(path, bytes, &how, "20240101_000000") {
        Ok(runs) => {
            for run in runs {
                assert!(!run.record.benchmark.is_empty());
                assert_eq!(run.sha256.len(), 64);
            }
        }
        Err(why) => {
            let why = why.to_string();
            assert!(!why.is_empty() && !why.contains('\n'), "{why:?}");
        }
    }
});
