//! Any bytes given to the llm-on-ray summary reader come back as a result or a one-line error,
//! never a panic. A first line starting with `/` is taken as the summary's path, so the folder
//! names that become config (`bs_N`, `iter_N`, `tokens_IN_OUT`, `num_prompts_N`) are fuzzed too.
#![no_main]

use std::path::Path;

use benchanim::import::llm_on_ray::{LlmOnRay, parse_summary};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let default = "/r/choice_3/tokens_32_64/iter_1/num_prompts_16/summary_20240103-010003.json";
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
    let how = LlmOnRay {
        gpu: "NVIDIA GB10".into(),
        model: "llama-2-7b-chat-hf".into(),
        replicas: 4,
    };
    match parse_summary(Path::new(&path), bytes, &how) {
        Ok(record) => assert!(record.benchmark.starts_with("llm_on_ray_")),
        Err(why) => {
            let why = why.to_string();
            assert!(!why.is_empty() && !why.contains('\n'), "{why:?}");
        }
    }
});
