//! `benchanim import vllm-json` and `import llama-bench`: the JSON those tools save, filed as
//! result files. `llama_bench.json` is real `llama-bench -o json` output (SmolLM2 on a CPU);
//! `vllm_bench_serve.json` has the keys `vllm bench serve --save-result` writes.

mod bench_support;

use std::path::Path;

use bench_support::{Result, result_files, run, text};

fn fixture(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

#[test]
fn imports_a_vllm_result_as_the_reference_files_name_it() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap();
    let file = fixture("vllm_bench_serve.json");
    let o = run(&[
        "import",
        "vllm-json",
        &file,
        "--gpu-name",
        "NVIDIA GB10",
        "--results",
        out,
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let r = Result::only_in(dir.path());
    assert_eq!(r.folder, "NVIDIA_GB10");
    assert_eq!(
        r.file.path.file_name().unwrap(),
        "vLLM_NVIDIA_GB10_gpt_oss_20b_text_only_samples_100_20260203_055449.csv"
    );
    let rows = r.rows();
    for (metric, value) in [
        ("model", "openai/gpt-oss-20b"),
        ("timestamp", "20260203_055449"),
        ("max_concurrency", "10"),
        ("input_len", "1000"),
        ("range_ratio", "0.30"),
        ("successful_requests", "100"),
        ("failed_requests", "0"),
        ("benchmark_duration", "59.28"),
        ("total_input_tokens", "91168"),
        ("total_generated_tokens", "13635"),
        ("request_throughput", "1.69"),
        ("output_token_throughput", "230.00"),
        ("input_token_throughput", "1537.88"),
        ("peak_output_throughput", "230.00"),
        ("peak_concurrent_requests", "10"),
        ("total_token_throughput", "1768.38"),
        ("ttft_mean", "282.53"),
        ("ttft_median", "209.42"),
        ("ttft_p99", "1182.31"),
        ("tpot_p99", "386.07"),
        ("itl_mean", "55.56"),
        ("e2el_p99", "10010.66"),
    ] {
        assert_eq!(
            rows.get(metric).map(String::as_str),
            Some(value),
            "{metric}"
        );
    }
    // Importing again writes nothing new.
    let o = run(&[
        "import",
        "vllm-json",
        &file,
        "--gpu-name",
        "NVIDIA GB10",
        "--results",
        out,
    ]);
    assert_eq!(o.status.code(), Some(0));
    assert!(text(&o.stderr).contains("already there"));
    assert_eq!(result_files(dir.path()).len(), 1);
    // Without --gpu-name or device metadata, the GPU is unknown.
    let o = run(&["import", "vllm-json", &file, "--results", out]);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o.stderr).contains("pass --gpu-name"));
}

#[test]
fn imports_llama_bench_tests_one_file_per_model() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap();
    let o = run(&[
        "import",
        "llama-bench",
        &fixture("llama_bench.json"),
        "--results",
        out,
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let r = Result::only_in(dir.path());
    // A CPU build reports no gpu_info: the CPU names the folder.
    assert_eq!(r.folder, "AMD_EPYC");
    assert_eq!(
        r.file.path.file_name().unwrap(),
        "llama_bench_AMD_EPYC_SmolLM2_135M_Instruct_Q4_1_gguf_20261123_095943.csv"
    );
    let rows = r.rows();
    assert_eq!(rows["model_name"], "SmolLM2-135M-Instruct.Q4_1.gguf");
    assert_eq!(rows["pp64_tokens_per_second"], "490.85");
    assert_eq!(rows["pp64_stddev"], "0.16");
    assert_eq!(rows["tg16_tokens_per_second"], "165.31");
    assert_eq!(rows["n_threads"], "2");
    assert_eq!(rows["backends"], "CPU");
}

#[test]
fn llama_bench_runs_with_different_settings_and_gpus_are_told_apart() {
    let dir = tempfile::tempdir().unwrap();
    let raw = std::fs::read_to_string(fixture("llama_bench.json")).unwrap();
    let mut tests: Vec<serde_json::Value> = serde_json::from_str(&raw).unwrap();
    // The same tests again with 4 threads, all on a GPU, as JSON lines (`-o jsonl`).
    let mut more = tests.clone();
    for t in &mut more {
        t["n_threads"] = 4.into();
    }
    tests.extend(more);
    for t in &mut tests {
        t["gpu_info"] = "NVIDIA GeForce RTX 4090".into();
    }
    let jsonl: Vec<String> = tests.iter().map(|t| t.to_string()).collect();
    let file = dir.path().join("bench.jsonl");
    std::fs::write(&file, jsonl.join("\n")).unwrap();
    let out = dir.path().join("results");
    let o = run(&[
        "import",
        "llama-bench",
        file.to_str().unwrap(),
        "--results",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let names: Vec<String> = result_files(&out)
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        [
            "llama_bench_NVIDIA_GeForce_RTX_4090_SmolLM2_135M_Instruct_Q4_1_gguf_n_threads_2_20261123_095943.csv",
            "llama_bench_NVIDIA_GeForce_RTX_4090_SmolLM2_135M_Instruct_Q4_1_gguf_n_threads_4_20261123_095943.csv",
        ]
    );
}

#[test]
fn broken_json_is_refused_with_the_file_named() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("cut.json");
    std::fs::write(&file, r#"[{"model_filename": "x.gguf", "n_prompt": 5"#).unwrap();
    let out = dir.path().join("results");
    for kind in ["llama-bench", "vllm-json"] {
        let o = run(&[
            "import",
            kind,
            file.to_str().unwrap(),
            "--gpu-name",
            "G",
            "--results",
            out.to_str().unwrap(),
        ]);
        assert_eq!(o.status.code(), Some(1));
        let err = text(&o.stderr);
        assert!(
            err.contains("cut.json") && err.contains("not valid JSON"),
            "{kind}: {err}"
        );
    }
    std::fs::write(&file, r#"{"model_filename": "x.gguf"}"#).unwrap();
    let o = run(&[
        "import",
        "llama-bench",
        file.to_str().unwrap(),
        "--results",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o.stderr).contains("entry 1 is not a llama-bench test"),
        "{}",
        text(&o.stderr)
    );
    assert!(!out.exists());
}

/// The vLLM fixture as JSON, to change a key of.
fn vllm_result() -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(fixture("vllm_bench_serve.json")).unwrap())
        .unwrap()
}

#[test]
fn a_result_that_fails_after_one_was_written_names_the_file_written() {
    let dir = tempfile::tempdir().unwrap();
    let first = vllm_result();
    let mut second = vllm_result();
    second["date"] = "20260203-060000".into();
    second.as_object_mut().unwrap().remove("model_id");
    let file = dir.path().join("two.jsonl");
    std::fs::write(&file, format!("{first}\n{second}\n")).unwrap();
    let out = dir.path().join("results");
    let o = run(&[
        "import",
        "vllm-json",
        file.to_str().unwrap(),
        "--gpu-name",
        "NVIDIA GB10",
        "--results",
        out.to_str().unwrap(),
    ]);
    let err = text(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("two.jsonl: result 2: no `model_id`"), "{err}");
    let written = result_files(&out);
    assert_eq!(written.len(), 1, "{written:?}");
    assert!(
        err.contains(&format!(
            "1 result file was written before the error and stays:\n  {}",
            written[0].display()
        )),
        "{err}"
    );
}

#[test]
fn non_finite_numbers_in_vllm_json_are_invalid_values_not_missing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("results");
    let file = dir.path().join("result.json");
    let import = |strict: bool| {
        let mut args = vec![
            "import",
            "vllm-json",
            file.to_str().unwrap(),
            "--gpu-name",
            "NVIDIA GB10",
            "--results",
            out.to_str().unwrap(),
        ];
        if strict {
            args.push("--strict");
        }
        run(&args)
    };
    // The JSON string "NaN", the bare NaN and Infinity Python's json writes, and "inf".
    for (duration, shown) in [
        (r#""NaN""#, "NaN"),
        ("NaN", "NaN"),
        (r#""inf""#, "inf"),
        ("-Infinity", "-Infinity"),
    ] {
        let json = std::fs::read_to_string(fixture("vllm_bench_serve.json")).unwrap();
        let json = json.replacen(
            r#""duration": 59.2817335"#,
            &format!(r#""duration": {duration}"#),
            1,
        );
        assert!(json.contains(&format!(r#""duration": {duration}"#)));
        std::fs::write(&file, json).unwrap();
        let o = import(false);
        let err = text(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{duration}: {err}");
        assert!(
            err.contains(&format!(
                "result.json: result 1: `duration` is `{shown}`, not a finite number"
            )),
            "{duration}: {err}"
        );
        assert!(!err.contains("no `duration`"), "{err}");
        assert!(result_files(&out).is_empty());
    }

    // A figure other than the duration is left out, with a warning that says why.
    let mut result = vllm_result();
    result["mean_ttft_ms"] = "NaN".into();
    std::fs::write(&file, result.to_string()).unwrap();
    let strict = import(true);
    assert_eq!(strict.status.code(), Some(1));
    std::fs::remove_dir_all(&out).unwrap();
    let o = import(false);
    let err = text(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(
        err.contains(
            "warning: {file}: result 1: `mean_ttft_ms` is `NaN`, not a finite number; left out"
                .replace("{file}", file.to_str().unwrap())
                .as_str()
        ),
        "{err}"
    );
    let r = Result::only_in(&out);
    assert!(!r.has("ttft_mean"));
    assert_eq!(r.text("ttft_median"), "209.42");
}

#[test]
fn non_finite_numbers_in_llama_bench_json_name_the_test_and_the_value() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("results");
    let raw = std::fs::read_to_string(fixture("llama_bench.json")).unwrap();
    let file = dir.path().join("bench.json");
    let import = || {
        run(&[
            "import",
            "llama-bench",
            file.to_str().unwrap(),
            "--results",
            out.to_str().unwrap(),
        ])
    };
    // C's printf writes a bare `nan`.
    std::fs::write(
        &file,
        raw.replacen("\"avg_ts\": 490.854084", "\"avg_ts\": nan", 1),
    )
    .unwrap();
    let o = import();
    let err = text(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("bench.json: entry 1 (pp64): `avg_ts` is `nan`, not a finite number"),
        "{err}"
    );
    assert!(!out.exists());

    std::fs::write(
        &file,
        raw.replacen("\"stddev_ts\": 1.589067", "\"stddev_ts\": \"inf\"", 1),
    )
    .unwrap();
    let o = import();
    let err = text(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(
        err.contains("entry 2 (tg16): `stddev_ts` is `inf`, not a finite number; left out"),
        "{err}"
    );
    let rows = Result::only_in(&out).rows();
    assert_eq!(rows["tg16_tokens_per_second"], "165.31");
    assert!(!rows.contains_key("tg16_stddev"));
    assert_eq!(rows["pp64_stddev"], "0.16");
}
