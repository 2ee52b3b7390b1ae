//! Any bytes given to the llama-bench reader (`import llama-bench`, `-o json` or `-o jsonl`)
//! come back as tests or a one-line error, never a panic; every test it returns measures
//! something (no metric named `_tokens_per_second`).
#![no_main]

use benchanim::import::llama_bench::parse_tests;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    match parse_tests(data) {
        Ok(tests) => {
            for test in tests {
                assert!(!test.name().is_empty());
            }
        }
        Err(why) => {
            let why = why.to_string();
            assert!(!why.is_empty() && !why.contains('\n'), "{why:?}");
        }
    }
});
