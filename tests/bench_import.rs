//! `benchanim import vllm-json` and `import llama-bench`: the JSON those tools save, filed as
//! result files. `llama_bench.json` is real `llama-bench -o json` output (SmolLM2 on a CPU);
//! `vllm_bench_serve.json` has the keys `vllm bench serve --save-result` writes.

mod bench_support;

use std::path::Path;

use bench_support::{Result, result_files, run, text};
use benchanim::results::ResultFile;

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
        ("range_ratio", "0.3"),
        ("successful_requests", "100"),
        ("failed_requests", "0"),
        ("benchmark_duration", "59.2817335"),
        ("total_input_tokens", "91168"),
        ("total_generated_tokens", "13635"),
        ("request_throughput", "1.686859"),
        ("output_token_throughput", "230.003"),
        ("input_token_throughput", "1537.8767559150408"),
        ("peak_output_throughput", "230"),
        ("peak_concurrent_requests", "10"),
        ("total_token_throughput", "1768.3827"),
        ("ttft_mean", "282.5312"),
        ("ttft_median", "209.4187"),
        ("ttft_p99", "1182.3088"),
        ("tpot_p99", "386.0712"),
        ("itl_mean", "55.5612"),
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
    assert_eq!(rows["pp64_tokens_per_second"], "490.854084");
    assert_eq!(rows["pp64_stddev"], "0.164014");
    assert_eq!(rows["tg16_tokens_per_second"], "165.306954");
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

// --- Folders, llm-on-ray, and telling runs apart -------------------------------------------

/// Copies the folder `from` into `to`, at any depth.
fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

fn rows_of(path: &Path) -> std::collections::BTreeMap<String, String> {
    let (file, warnings) = ResultFile::read(path, None).expect("readable");
    assert!(warnings.is_empty(), "{warnings:?}");
    file.rows
        .iter()
        .map(|r| (r.metric.clone(), r.value.to_text()))
        .collect()
}

fn names(dir: &Path) -> Vec<String> {
    result_files(dir)
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect()
}

fn sha256(path: &Path) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(std::fs::read(path).unwrap())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn import(args: &[&str]) -> (i32, String) {
    let o = run(&[&["import"], args].concat());
    (o.status.code().unwrap_or(-1), text(&o.stderr))
}

const SWEEP: &str = "vllm_sweep/20260301_101500";
const COMB_32: &str = "SERVE--max_num_seqs=32-BENCH--max_concurrency=8";

#[test]
fn a_vllm_sweep_folder_imports_each_run_with_its_parameters() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("results");
    let out = out.to_str().unwrap();
    let sweep = fixture(SWEEP);
    let args = [
        "vllm-json",
        &sweep,
        "--gpu-name",
        "NVIDIA GB10",
        "--results",
        out,
    ];
    let (code, err) = import(&args);
    assert_eq!(code, 1, "{err}"); // a member was refused; the rest is imported
    assert_eq!(
        names(Path::new(out)),
        [
            "vLLM_NVIDIA_GB10_Qwen3_4B_text_only_samples_100_20260301_101712.csv",
            "vLLM_NVIDIA_GB10_Qwen3_4B_text_only_samples_100_20260301_101834.csv",
            "vLLM_NVIDIA_GB10_Qwen3_4B_text_only_samples_100_20260301_102307.csv",
        ]
    );
    let files = result_files(Path::new(out));
    let run1 = rows_of(&files[1]);
    for (metric, value) in [
        ("max_num_seqs", "32"),
        ("max_concurrency", "8"),
        ("iteration", "1"),
        ("sweep_id", "20260301_101500"),
        ("request_rate", "inf"),
        ("output_token_throughput", "604.8"),
        ("source_file", &format!("{COMB_32}/run=1.json")),
    ] {
        assert_eq!(
            run1.get(metric).map(String::as_str),
            Some(value),
            "{metric}"
        );
    }
    let source = Path::new(&sweep).join(COMB_32).join("run=1.json");
    assert_eq!(run1["source_sha256"], sha256(&source));
    assert_eq!(rows_of(&files[2])["max_num_seqs"], "64");
    // The warm-up and the summaries are left out on purpose; the failed run is reported.
    assert!(err.contains("warmup.json: a warm-up run"), "{err}");
    assert!(err.contains("summary.json: the sweep's summary"), "{err}");
    assert!(
        err.contains("warning: ")
            && err.contains("run=1.failure.json: a failed sweep run (CalledProcessError:"),
        "{err}"
    );
    assert!(err.contains("(0 already there, 4 skipped)"), "{err}");
    assert!(err.contains("imported 3 runs into"), "{err}");

    // Importing again writes nothing and says so for each run.
    let (code, err) = import(&args);
    assert_eq!(code, 1, "{err}"); // the failed run is refused again
    assert_eq!(err.matches("already imported: ").count(), 3, "{err}");
    assert!(
        err.contains("imported 0 runs into") && err.contains("(3 already there, 4 skipped)"),
        "{err}"
    );
    assert_eq!(result_files(Path::new(out)).len(), 3);

    // The sweep's summary.json named by itself holds the same runs: it is left out too.
    let summary = Path::new(&sweep).join(COMB_32).join("summary.json");
    let (code, err) = import(&[
        "vllm-json",
        summary.to_str().unwrap(),
        "--gpu-name",
        "NVIDIA GB10",
        "--results",
        out,
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("the sweep's summary of the run=N.json files beside it; import those"),
        "{err}"
    );
    assert_eq!(result_files(Path::new(out)).len(), 3);

    // With --strict too, the failed run is an error.
    let (code, err) = import(&[&args[..], &["--strict"]].concat());
    assert_eq!(code, 1, "{err}");
}

#[test]
fn a_folder_with_other_files_imports_the_results_and_names_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("mixed");
    std::fs::create_dir_all(src.join("more")).unwrap();
    std::fs::copy(
        fixture("vllm_bench_serve.json"),
        src.join("more/serve.json"),
    )
    .unwrap();
    let good = std::fs::read_to_string(fixture("vllm_bench_serve.json")).unwrap();
    std::fs::write(
        src.join("nan.json"),
        good.replace("\"mean_ttft_ms\": 282.5312", "\"mean_ttft_ms\": NaN"),
    )
    .unwrap();
    std::fs::write(src.join("params.json"), r#"[{"max_concurrency": 8}]"#).unwrap();
    std::fs::write(src.join("cut.json"), &good[..good.len() / 2]).unwrap();
    std::fs::write(src.join("empty.json"), "").unwrap();
    std::fs::write(src.join("notes.txt"), "not JSON, not looked at").unwrap();
    let out = dir.path().join("results");
    let (code, err) = import(&[
        "vllm-json",
        src.to_str().unwrap(),
        "--gpu-name",
        "NVIDIA GB10",
        "--results",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 1, "{err}"); // a member was refused; the rest is imported
    assert_eq!(result_files(&out).len(), 1);
    for (file, why) in [
        (
            "nan.json",
            "`mean_ttft_ms` is NaN, not a finite number; skipped",
        ),
        (
            "params.json",
            "not a vLLM bench result (no `model_id` or `date`); skipped",
        ),
        ("cut.json", "not valid JSON: EOF while parsing"),
        ("empty.json", "the file is empty; skipped"),
    ] {
        let line = format!("warning: {}: {why}", src.join(file).display());
        assert!(err.contains(&line), "{line}\n{err}");
    }
    assert!(!err.contains("notes.txt"), "{err}");
    assert!(
        err.contains("imported 1 run into") && err.contains("(0 already there, 4 skipped)"),
        "{err}"
    );

    // A folder without any result is an error that says what it found.
    std::fs::remove_dir_all(src.join("more")).unwrap();
    std::fs::remove_file(src.join("nan.json")).unwrap();
    let (code, err) = import(&[
        "vllm-json",
        src.to_str().unwrap(),
        "--gpu-name",
        "G",
        "--results",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("holds no vLLM bench results: 3 JSON files"),
        "{err}"
    );
}

#[test]
fn sweep_folder_names_give_the_parameters_a_result_lacks() {
    let dir = tempfile::tempdir().unwrap();
    let comb = dir
        .path()
        .join("20260302_080000/SERVE--max_num_seqs=128-max_num_batched_tokens=4096-BENCH--max-concurrency=16");
    std::fs::create_dir_all(&comb).unwrap();
    let raw = std::fs::read_to_string(fixture(&format!("{SWEEP}/{COMB_32}/run=0.json"))).unwrap();
    let mut v: serde_json::Value = serde_json::from_str(&raw).unwrap();
    let map = v.as_object_mut().unwrap();
    for key in ["max_num_seqs", "max_concurrency", "run_number"] {
        map.remove(key);
    }
    std::fs::write(comb.join("run=0.json"), v.to_string()).unwrap();
    let out = dir.path().join("results");
    // The run file named by itself still reads its folders.
    let (code, err) = import(&[
        "vllm-json",
        comb.join("run=0.json").to_str().unwrap(),
        "--gpu-name",
        "G",
        "--results",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let rows = rows_of(&result_files(&out)[0]);
    for (metric, value) in [
        ("max_num_seqs", "128"),
        ("max_num_batched_tokens", "4096"),
        ("max_concurrency", "16"),
        ("sweep_id", "20260302_080000"),
        ("source_file", "run=0.json"),
    ] {
        assert_eq!(
            rows.get(metric).map(String::as_str),
            Some(value),
            "{metric}"
        );
    }
    assert!(!rows.contains_key("iteration"));
}

#[test]
fn a_different_run_in_the_same_second_is_kept_and_the_same_run_is_not() {
    let dir = tempfile::tempdir().unwrap();
    let good = std::fs::read_to_string(fixture("vllm_bench_serve.json")).unwrap();
    let first = dir.path().join("first.json");
    let second = dir.path().join("second.json");
    std::fs::write(&first, &good).unwrap();
    std::fs::write(
        &second,
        good.replace(
            "\"output_throughput\": 230.003",
            "\"output_throughput\": 231.5",
        ),
    )
    .unwrap();
    let out = dir.path().join("results");
    let out = out.to_str().unwrap();
    for file in [&first, &second] {
        let (code, err) = import(&[
            "vllm-json",
            file.to_str().unwrap(),
            "--gpu-name",
            "NVIDIA GB10",
            "--results",
            out,
        ]);
        assert_eq!(code, 0, "{err}");
        assert!(err.contains("imported 1 run into"), "{err}");
    }
    assert_eq!(
        names(Path::new(out)),
        [
            "vLLM_NVIDIA_GB10_gpt_oss_20b_text_only_samples_100_20260203_055449.csv",
            "vLLM_NVIDIA_GB10_gpt_oss_20b_text_only_samples_100_20260203_055450.csv",
        ]
    );
    let moved = rows_of(&result_files(Path::new(out))[1]);
    assert_eq!(moved["timestamp"], "20260203_055450");
    assert_eq!(moved["timestamp_original"], "20260203_055449");
    assert_eq!(moved["output_token_throughput"], "231.5");
    // Both again, in the other order: each is found, under whichever name it got.
    for file in [&second, &first] {
        let (code, err) = import(&[
            "vllm-json",
            file.to_str().unwrap(),
            "--gpu-name",
            "NVIDIA GB10",
            "--results",
            out,
        ]);
        assert_eq!(code, 0, "{err}");
        assert!(
            err.contains(&format!("already imported: {}", file.display())),
            "{err}"
        );
    }
    assert_eq!(result_files(Path::new(out)).len(), 2);

    // A file filed before imports recorded their source is taken as the run of its name.
    let legacy = tempfile::tempdir().unwrap();
    let gpu = legacy.path().join("NVIDIA_GB10");
    std::fs::create_dir_all(&gpu).unwrap();
    std::fs::write(
        gpu.join("vLLM_NVIDIA_GB10_gpt_oss_20b_text_only_samples_100_20260203_055449.csv"),
        "metric,value,unit\nmodel,openai/gpt-oss-20b,\n",
    )
    .unwrap();
    let legacy_out = legacy.path().to_str().unwrap();
    let (code, err) = import(&[
        "vllm-json",
        first.to_str().unwrap(),
        "--gpu-name",
        "NVIDIA GB10",
        "--results",
        legacy_out,
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("already imported"), "{err}");
    assert_eq!(result_files(legacy.path()).len(), 1);
}

#[test]
fn appended_vllm_results_keep_their_identity_when_more_are_appended() {
    let dir = tempfile::tempdir().unwrap();
    let good: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(fixture("vllm_bench_serve.json")).unwrap())
            .unwrap();
    let mut later = good.clone();
    later["date"] = "20260203-061000".into();
    let file = dir.path().join("append.json");
    // vLLM writes no newline after the last result.
    std::fs::write(&file, good.to_string()).unwrap();
    let out = dir.path().join("results");
    let args = [
        "vllm-json",
        file.to_str().unwrap(),
        "--gpu-name",
        "G",
        "--results",
        out.to_str().unwrap(),
    ];
    let (code, err) = import(&args);
    assert_eq!(code, 0, "{err}");
    // `--append-result` adds a line; the first result is the same run as before.
    std::fs::write(&file, format!("{good}\n{later}")).unwrap();
    let (code, err) = import(&args);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("imported 1 run into") && err.contains("(1 already there, 0 skipped)"),
        "{err}"
    );
    assert_eq!(result_files(&out).len(), 2);
}

const LLM_ON_RAY: &str = "llm_on_ray";

#[test]
fn llm_on_ray_summaries_become_runs_with_their_folders_as_config() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap();
    let src = fixture(LLM_ON_RAY);
    let args = [
        "llm-on-ray",
        &src,
        "--gpu-name",
        "NVIDIA GeForce RTX 4090",
        "--results",
        out,
    ];
    let (code, err) = import(&args);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("imported 39 runs into") && err.contains("(0 already there, 0 skipped)"),
        "{err}"
    );
    let gpu = dir.path().join("NVIDIA_GeForce_RTX_4090");
    let file = |name: &str| {
        gpu.join(format!(
            "llm_on_ray_NVIDIA_GeForce_RTX_4090_llama_2_7b_chat_hf_{name}.csv"
        ))
    };

    // Choice 1: batch size from bs_N; no token latencies were tracked.
    let rows = rows_of(&file("choice1_20240101_000006"));
    for (metric, value) in [
        ("model", "llama-2-7b-chat-hf"),
        ("engine", "vllm"),
        ("batch_size", "32"),
        ("num_prompts", "1000"),
        ("output_token_throughput", "480"),
        ("request_throughput", "2.4"),
        ("benchmark_duration", "416.667"),
        ("e2el_mean", "14667"),
        ("latency_per_token_mean", "73"),
        ("ttft_mean", "N/A"),
        ("tpot_mean", "N/A"),
        ("median_prompt_len", "180"),
        ("source_file", "choice_1/bs_32/summary_20240101-000006.json"),
    ] {
        assert_eq!(
            rows.get(metric).map(String::as_str),
            Some(value),
            "{metric}"
        );
    }
    assert_eq!(
        rows["source_sha256"],
        sha256(&Path::new(&src).join("choice_1/bs_32/summary_20240101-000006.json"))
    );
    // Choice 2: the engine from the vllm / wo_vllm folder.
    assert_eq!(
        rows_of(&file("choice2_20240102_000105"))["engine"],
        "llm_on_ray"
    );
    assert_eq!(rows_of(&file("choice2_20240102_000005"))["engine"], "vllm");
    // Choice 3: 16 prompts at once to 4 replicas is batch size 4; tokens and iteration.
    let rows = rows_of(&file("choice3_20240103_020003"));
    for (metric, value) in [
        ("batch_size", "4"),
        ("max_concurrency", "16"),
        ("replicas", "4"),
        ("input_len", "32"),
        ("output_len", "64"),
        ("iteration", "2"),
        ("tpot_mean", "51"),
        ("ttft_mean", "204"),
    ] {
        assert_eq!(
            rows.get(metric).map(String::as_str),
            Some(value),
            "{metric}"
        );
    }
    // Choice 4: input lengths and iterations; seconds become ms.
    let rows = rows_of(&file("choice4_20240104_010128"));
    for (metric, value) in [
        ("input_len", "128"),
        ("output_len", "32"),
        ("iteration", "1"),
        ("ttft_mean", "1310"),
        ("tpot_mean", "388"),
    ] {
        assert_eq!(
            rows.get(metric).map(String::as_str),
            Some(value),
            "{metric}"
        );
    }
    assert!(!rows.contains_key("batch_size"));

    // Again: nothing new.
    let (code, err) = import(&args);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("imported 0 runs into") && err.contains("(39 already there, 0 skipped)"),
        "{err}"
    );
    assert_eq!(result_files(dir.path()).len(), 39);
}

#[test]
fn llm_on_ray_summaries_of_one_second_in_different_folders_both_land() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("results/choice_1");
    copy_tree(
        &Path::new(&fixture(LLM_ON_RAY)).join("choice_1/bs_1"),
        &src.join("bs_1"),
    );
    copy_tree(
        &Path::new(&fixture(LLM_ON_RAY)).join("choice_1/bs_2"),
        &src.join("bs_2"),
    );
    std::fs::rename(
        src.join("bs_2/summary_20240101-000002.json"),
        src.join("bs_2/summary_20240101-000001.json"),
    )
    .unwrap();
    let out = dir.path().join("out");
    let (code, err) = import(&[
        "llm-on-ray",
        dir.path().join("results").to_str().unwrap(),
        "--gpu-name",
        "G",
        "--model",
        "meta-llama/Llama-2-7b-chat-hf",
        "--results",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        names(&out),
        [
            "llm_on_ray_G_Llama_2_7b_chat_hf_choice1_20240101_000001.csv",
            "llm_on_ray_G_Llama_2_7b_chat_hf_choice1_20240101_000002.csv",
        ]
    );
    let files = result_files(&out);
    assert_eq!(rows_of(&files[0])["batch_size"], "1");
    assert_eq!(rows_of(&files[1])["batch_size"], "2");
    assert_eq!(rows_of(&files[1])["timestamp_original"], "20240101_000001");
}

#[test]
fn bad_values_are_refused_naming_the_file_and_the_field() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let out = out.to_str().unwrap();
    let summary = std::fs::read_to_string(fixture(&format!(
        "{LLM_ON_RAY}/choice_4/iter_1/tokens_32_32/summary_20240104-010032.json"
    )))
    .unwrap();
    let bs = dir.path().join("bs_1");
    std::fs::create_dir_all(&bs).unwrap();
    for (name, bad, why) in [
        (
            "summary_20240105-000001.json",
            summary.replace("\"avg_latency\": 12.67", "\"avg_latency\": NaN"),
            "`avg_latency` is NaN, not a finite number",
        ),
        (
            "summary_20240105-000002.json",
            summary.replace("\"avg_latency\": 12.67", "\"avg_latency\": -Infinity"),
            "`avg_latency` is -Infinity, not a finite number",
        ),
        (
            "summary_20240105-000003.json",
            summary.replace("\"benchmark_time\": 12.67", "\"benchmark_time\": -1.5"),
            "`benchmark_time` is -1.5, a negative measurement",
        ),
        (
            "summary_20240105-000004.json",
            summary.replace("\"num_prompts\": 1", "\"num_prompts\": \"many\""),
            "`num_prompts` is \"many\", not a number",
        ),
        (
            "summary_20240105-000005.json",
            "[]".to_string(),
            "holds no JSON values",
        ),
        (
            "summary_x.json",
            summary.clone(),
            "the name `summary_x.json` does not give the run's time",
        ),
    ] {
        assert!(
            bad != summary || name == "summary_x.json",
            "{name}: the fixture changed"
        );
        let file = bs.join(name);
        std::fs::write(&file, &bad).unwrap();
        let (code, err) = import(&[
            "llm-on-ray",
            file.to_str().unwrap(),
            "--gpu-name",
            "G",
            "--results",
            out,
        ]);
        assert_eq!(code, 1, "{name}: {err}");
        assert!(
            err.contains(&format!("error: {}: {why}", file.display())),
            "{name}: {err}"
        );
    }
    // In a folder the same files are warnings, and the good one is imported.
    std::fs::write(bs.join("summary_20240105-000009.json"), &summary).unwrap();
    let (code, err) = import(&[
        "llm-on-ray",
        dir.path().to_str().unwrap(),
        "--gpu-name",
        "G",
        "--results",
        out,
    ]);
    assert_eq!(code, 1, "{err}"); // a member was refused; the rest is imported
    assert_eq!(err.matches("warning: ").count(), 6, "{err}");
    assert!(
        err.contains("imported 1 run into") && err.contains("(0 already there, 6 skipped)"),
        "{err}"
    );

    // vLLM's JSON: a non-finite measurement in a file named by itself is an error.
    let good = std::fs::read_to_string(fixture("vllm_bench_serve.json")).unwrap();
    let file = dir.path().join("inf.json");
    std::fs::write(
        &file,
        good.replace(
            "\"output_throughput\": 230.003",
            "\"output_throughput\": Infinity",
        ),
    )
    .unwrap();
    let (code, err) = import(&[
        "vllm-json",
        file.to_str().unwrap(),
        "--gpu-name",
        "G",
        "--results",
        out,
    ]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains(&format!(
            "error: {}: `output_throughput` is Infinity, not a finite number",
            file.display()
        )),
        "{err}"
    );
}

/// A small deterministic generator, so a failure replays.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Garbage and damaged copies of real files, for the parsers.
fn mangled_inputs() -> Vec<Vec<u8>> {
    mangled(&[
        fixture("vllm_bench_serve.json"),
        fixture(&format!("{SWEEP}/{COMB_32}/run=0.json")),
        fixture(&format!("{SWEEP}/{COMB_32}/summary.json")),
        fixture(&format!(
            "{LLM_ON_RAY}/choice_3/tokens_32_64/iter_1/num_prompts_16/summary_20240103-010003.json"
        )),
    ])
}

/// Garbage, and copies of the files at `seeds` damaged in many small ways.
fn mangled(seeds: &[String]) -> Vec<Vec<u8>> {
    let seeds: Vec<Vec<u8>> = seeds.iter().map(|p| std::fs::read(p).unwrap()).collect();
    let pieces: [&[u8]; 18] = [
        b"NaN",
        b"-Infinity",
        b"null",
        b"\"",
        b"{",
        b"]",
        b"1e999",
        b"-1",
        b"\xff\xfe",
        b"\\u0000",
        b"\"x\"",
        b"[[[[[[[[",
        b",",
        b",,,",
        b"\n",
        b"\r\n",
        b"inf",
        b"#",
    ];
    let mut rng = Lcg(0x5eed);
    let mut out: Vec<Vec<u8>> = vec![
        Vec::new(),
        b"   ".to_vec(),
        b"\xef\xbb\xbf".to_vec(),
        vec![b'['; 10_000],
        b"{\"date\": \"20260101-000000\", \"model_id\": \"m\", \"duration\": 1e308}".to_vec(),
    ];
    for _ in 0..400 {
        let n = rng.below(64);
        out.push((0..n).map(|_| rng.next() as u8).collect());
    }
    for seed in &seeds {
        for _ in 0..300 {
            let mut bytes = seed.clone();
            for _ in 0..1 + rng.below(4) {
                let at = rng.below(bytes.len());
                match rng.below(4) {
                    0 => bytes.truncate(at),
                    1 => bytes[at] = rng.next() as u8,
                    2 => {
                        let piece = pieces[rng.below(pieces.len())];
                        bytes.splice(at..at, piece.iter().copied());
                    }
                    _ => {
                        let end = (at + rng.below(20)).min(bytes.len());
                        bytes.drain(at..end);
                    }
                }
                if bytes.is_empty() {
                    break;
                }
            }
            out.push(bytes);
        }
    }
    out
}

#[test]
fn garbage_bytes_give_the_parsers_an_error_never_a_panic() {
    use benchanim::import::llm_on_ray::{LlmOnRay, parse_summary};
    use benchanim::import::vllm_json::parse_file;
    let vllm_path =
        Path::new("/r/20260301_101500/SERVE--max_num_seqs=32-BENCH--max_concurrency=8/run=0.json");
    let summary_path =
        Path::new("/r/choice_3/tokens_32_64/iter_1/num_prompts_16/summary_20240103-010003.json");
    let how = LlmOnRay {
        gpu: "G".into(),
        model: "m".into(),
        replicas: 4,
    };
    let (mut ok, mut refused) = (0, 0);
    for bytes in mangled_inputs() {
        let vllm = std::panic::catch_unwind(|| parse_file(vllm_path, &bytes, Some("G")));
        let summary = std::panic::catch_unwind(|| parse_summary(summary_path, &bytes, &how));
        let (Ok(vllm), Ok(summary)) = (vllm, summary) else {
            panic!("a parser panicked on {:?}", String::from_utf8_lossy(&bytes));
        };
        for result in [
            vllm.map(|_| ()).map_err(|e| e.to_string()),
            summary.map(|_| ()).map_err(|e| e.to_string()),
        ] {
            match result {
                Ok(()) => ok += 1,
                Err(why) => {
                    refused += 1;
                    // A clear error: one line of words, not an empty or debug dump.
                    assert!(!why.trim().is_empty() && !why.contains('\n'), "{why:?}");
                    assert!(why.chars().any(char::is_alphabetic), "{why:?}");
                }
            }
        }
    }
    assert!(ok > 0 && refused > 0, "ok {ok}, refused {refused}");
}

// --- Tables and plot_model_comparison.py's sweeps -------------------------------------------

const EXO: &str = "exo/benchmark_results.csv";
const SWEEP_CONFIGS: &str = "sweep_configs";

/// The result files under `dir` with their rows, by file name.
fn runs_in(
    dir: &Path,
) -> std::collections::BTreeMap<String, std::collections::BTreeMap<String, String>> {
    result_files(dir)
        .iter()
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                rows_of(p),
            )
        })
        .collect()
}

/// The unit of `metric` in the result file at `path`.
fn unit_of(path: &Path, metric: &str) -> String {
    let (file, _) = ResultFile::read(path, None).unwrap();
    file.get(metric)
        .unwrap_or_else(|| panic!("no {metric} in {}", path.display()))
        .unit
        .clone()
}

#[test]
fn exo_results_grouped_by_model_become_one_run_per_model_with_its_means() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("results");
    let args = [
        "table",
        &fixture(EXO),
        "--gpu-name",
        "NVIDIA GeForce RTX 4090",
        "--group-by",
        "model",
        "--aggregate",
        "mean",
        "--set",
        "engine=tinygrad",
        "--results",
        out.to_str().unwrap(),
    ];
    let (code, err) = import(&args);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("imported 5 runs into"), "{err}");
    let runs = runs_in(&out);
    let names: Vec<&str> = runs.keys().map(String::as_str).collect();
    for (name, model) in names.iter().zip([
        "deepseek_r1",
        "llama_3_1_8b",
        "llama_3_2_1b",
        "mistral_7b",
        "qwen_1_5_7b",
    ]) {
        let prefix = format!("exo_bench_NVIDIA_GeForce_RTX_4090_{model}_");
        assert!(name.starts_with(&prefix), "{name}");
    }
    let (name, small) = runs
        .iter()
        .find(|(_, rows)| rows["model"] == "llama-3.2-1b")
        .unwrap();
    // By hand, from the fixture's five llama-3.2-1b rows:
    // latency (1.158217951904652 + 1.0423075966383046 + 1.10394606211275 + 1.349392752776779
    //          + 1.0711001059539618) / 5 = 1.14499289…; sample stdev 0.12211…
    assert_eq!(small["latency"], "1.144993");
    assert_eq!(small["latency_stdev"], "0.122");
    assert_eq!(small["latency_min"], "1.0423075966383046");
    assert_eq!(small["latency_max"], "1.349392752776779");
    assert_eq!(small["latency_n"], "5");
    // output_length (57 + 59 + 56 + 73 + 64) / 5 = 61.8: one decimal more than the inputs.
    assert_eq!(small["output_length"], "61.8");
    assert_eq!(small["output_length_stdev"], "6.98");
    // memory_usage (103.1015625 + 12.6640625 + 12.66796875 + 15.625 + 6.18359375) / 5.
    let memory: f64 = small["memory_usage"].parse().unwrap();
    assert!((memory - 30.0484375).abs() < 1e-6, "{memory}");
    assert_eq!(small["tokens_per_second"], "54.079176");
    assert_eq!(small["runs"], "5");
    assert_eq!(small["aggregate"], "mean");
    assert_eq!(small["engine"], "tinygrad");
    assert_eq!(small["device"], "NVIDIA GeForce RTX 4090");
    assert_eq!(small["source_file"], "benchmark_results.csv");
    assert!(!small.contains_key("prompt"), "prompts differ: left out");
    let path = out.join("NVIDIA_GeForce_RTX_4090").join(name);
    assert_eq!(unit_of(&path, "latency"), "s");
    assert_eq!(unit_of(&path, "latency_stdev"), "s");
    assert_eq!(unit_of(&path, "memory_usage"), "MB");
    assert_eq!(unit_of(&path, "tokens_per_second"), "chars/s");
    assert_eq!(unit_of(&path, "output_length"), "chars");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("\n# Spread\nlatency_min,"), "{text}");
    let (file, _) = ResultFile::read(&path, None).unwrap();
    assert_eq!(file.family, "exo_bench");
    assert_eq!(file.benchmark, "exo_bench_llama_3_2_1b");
    assert!(file.field("source_sha256").is_some(), "above the section");

    // The same file again writes nothing; so does a copy with another modification time.
    let (code, err) = import(&args);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("imported 0 runs into") && err.contains("(5 already there"),
        "{err}"
    );
    let copy = dir.path().join("benchmark_results.csv");
    std::fs::copy(fixture(EXO), &copy).unwrap();
    std::fs::File::options()
        .write(true)
        .open(&copy)
        .unwrap()
        .set_modified(
            std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_000_000_000),
        )
        .unwrap();
    let mut again = args;
    again[1] = copy.to_str().unwrap();
    let (code, err) = import(&again);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("(5 already there"), "{err}");
    assert_eq!(result_files(&out).len(), 5);
}

#[test]
fn the_spec_numbers_for_exo_come_out_as_written() {
    let dir = tempfile::tempdir().unwrap();
    let mut csv =
        String::from("model,prompt,latency,memory_usage,output_length,tokens_per_second\n");
    for (model, latency, memory, tps) in [
        (
            "llama-3.2-1b",
            ["1.0", "1.2", "1.4", "1.6", "1.8"],
            [100, 110, 120, 130, 140],
            [50, 52, 54, 56, 58],
        ),
        (
            "llama-3.1-8b",
            ["3.1", "3.3", "3.5", "3.7", "3.9"],
            [380, 390, 400, 410, 420],
            [18, 19, 20, 21, 22],
        ),
    ] {
        for i in 0..5 {
            csv.push_str(&format!(
                "{model},\"Prompt {i}, with a comma\",{},{},{},{}\n",
                latency[i],
                memory[i],
                60 + i,
                tps[i]
            ));
        }
    }
    let file = dir.path().join("benchmark_results.csv");
    std::fs::write(&file, csv).unwrap();
    let out = dir.path().join("results");
    let (code, err) = import(&[
        "table",
        file.to_str().unwrap(),
        "--family",
        "exo_bench",
        "--name",
        "{model}",
        "--group-by",
        "model",
        "--aggregate",
        "mean",
        "--gpu-name",
        "NVIDIA GeForce RTX 4090",
        "--unit",
        "latency=s",
        "--unit",
        "memory_usage=MB",
        "--unit",
        "tokens_per_second=chars/s",
        "--timestamp",
        "20250601_120000",
        "--results",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let runs = runs_in(&out);
    let small = &runs["exo_bench_NVIDIA_GeForce_RTX_4090_llama_3_2_1b_20250601_120000.csv"];
    assert_eq!(
        (
            small["latency"].as_str(),
            small["memory_usage"].as_str(),
            small["tokens_per_second"].as_str()
        ),
        ("1.40", "120.0", "54.0")
    );
    assert_eq!(small["latency_stdev"], "0.316");
    assert_eq!(small["runs"], "5");
    let big = &runs["exo_bench_NVIDIA_GeForce_RTX_4090_llama_3_1_8b_20250601_120000.csv"];
    assert_eq!(
        (
            big["latency"].as_str(),
            big["memory_usage"].as_str(),
            big["tokens_per_second"].as_str()
        ),
        ("3.50", "400.0", "20.0")
    );
    // The median instead, of the same rows, is another run: already there as the mean.
    let (code, err) = import(&[
        "table",
        file.to_str().unwrap(),
        "--group-by",
        "model",
        "--aggregate",
        "median",
        "--gpu-name",
        "NVIDIA GeForce RTX 4090",
        "--timestamp",
        "20250601_120000",
        "--results",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("(2 already there"), "{err}");
}

#[test]
fn json_lines_become_one_run_per_line() {
    let dir = tempfile::tempdir().unwrap();
    let lines = [
        r#"{"model": "Qwen/Qwen3-8B", "concurrency": 1, "ttft_ms": 41.5, "tps": 88.25, "ok": true, "gpu": "NVIDIA GB10", "timestamp": "2025-06-01T10:00:00"}"#,
        r#"{"model": "Qwen/Qwen3-8B", "concurrency": 8, "ttft_ms": 97.0, "tps": 512.5, "ok": true, "gpu": "NVIDIA GB10", "timestamp": "2025-06-01T10:05:00"}"#,
        r#"{"model": "Qwen/Qwen3-8B", "concurrency": 8, "ttft_ms": null, "tps": 530.75, "ok": true, "gpu": "NVIDIA GB10", "timestamp": "2025-06-01T10:10:00", "stats": {"p99": 4.0}}"#,
    ];
    let file = dir.path().join("runs.jsonl");
    std::fs::write(&file, lines[..2].join("\n") + "\n").unwrap();
    let out = dir.path().join("results");
    let args = [
        "table",
        file.to_str().unwrap(),
        "--family",
        "my_bench",
        "--name",
        "{model}_c{concurrency}",
        "--config",
        "concurrency=max_concurrency",
        "--unit",
        "tps=tok/s",
        "--set",
        "quant=fp8",
        "--results",
        out.to_str().unwrap(),
    ];
    let (code, err) = import(&args);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("imported 2 runs into"), "{err}");
    let runs = runs_in(&out);
    let first = &runs["my_bench_NVIDIA_GB10_Qwen_Qwen3_8B_c1_20250601_100000.csv"];
    assert_eq!(first["model"], "Qwen/Qwen3-8B");
    assert_eq!(first["max_concurrency"], "1");
    assert_eq!(first["ttft_ms"], "41.5");
    assert_eq!(first["tps"], "88.25");
    assert_eq!(first["ok"], "True");
    assert_eq!(first["quant"], "fp8");
    assert_eq!(first["source_line"], "1");
    assert_eq!(first["timestamp"], "20250601_100000");
    assert!(!first.contains_key("runs"), "one row, not an aggregate");
    let path = out
        .join("NVIDIA_GB10")
        .join("my_bench_NVIDIA_GB10_Qwen_Qwen3_8B_c1_20250601_100000.csv");
    assert_eq!(unit_of(&path, "tps"), "tok/s");
    assert_eq!(unit_of(&path, "ttft_ms"), "ms");

    // A line appended: only it is new. Its null is not measured.
    std::fs::write(&file, lines.join("\n") + "\n").unwrap();
    let (code, err) = import(&args);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("imported 1 run into") && err.contains("(2 already there"),
        "{err}"
    );
    let runs = runs_in(&out);
    let third = &runs["my_bench_NVIDIA_GB10_Qwen_Qwen3_8B_c8_20250601_101000.csv"];
    assert_eq!(third["ttft_ms"], "N/A");
    assert_eq!(third["stats.p99"], "4.0");
    assert_eq!(third["source_line"], "3");
    assert_eq!(result_files(&out).len(), 3);
}

#[test]
fn sweep_configs_become_one_run_per_run_folder_with_tp_dp_pp() {
    let dir = tempfile::tempdir().unwrap();
    let base = dir.path().join("sweep_configs");
    copy_tree(Path::new(&fixture(SWEEP_CONFIGS)), &base);
    let out = dir.path().join("results");
    let args = [
        "sweep-configs",
        base.to_str().unwrap(),
        "--gpu-name",
        "NVIDIA H100 80GB HBM3",
        "--results",
        out.to_str().unwrap(),
    ];
    let (code, err) = import(&args);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("imported 5 runs into"), "{err}");
    assert_eq!(
        names(&out),
        [
            "vllm_latency_sweep_NVIDIA_H100_80GB_HBM3_Qwen_Qwen3_4B_20250612_101500.csv",
            "vllm_latency_sweep_NVIDIA_H100_80GB_HBM3_Qwen_Qwen3_4B_20250612_103012.csv",
            "vllm_latency_sweep_NVIDIA_H100_80GB_HBM3_Qwen_Qwen3_4B_20250612_104533.csv",
            "vllm_latency_sweep_NVIDIA_H100_80GB_HBM3_Qwen_Qwen3_4B_AWQ_20250613_091004.csv",
            "vllm_latency_sweep_NVIDIA_H100_80GB_HBM3_Qwen_Qwen3_4B_AWQ_20250613_092547.csv",
        ]
    );
    let runs = runs_in(&out);
    let awq =
        &runs["vllm_latency_sweep_NVIDIA_H100_80GB_HBM3_Qwen_Qwen3_4B_AWQ_20250613_091004.csv"];
    for (metric, value) in [
        ("model", "Qwen/Qwen3-4B-AWQ"),
        ("tensor_parallel_size", "1"),
        ("data_parallel_size", "1"),
        ("pipeline_parallel_size", "1"),
        ("max_num_batched_tokens", "4096"),
        ("overall_throughput_tokens_per_sec", "1150"),
        ("total_latency_p50_ms", "380"),
        ("total_latency_p99_ms", "500.2"),
        ("ttft_p50_ms", "120"),
        ("ttft_p99_ms", "270"),
        ("inter_token_p50_ms", "19"),
        ("inter_token_p99_ms", "44"),
        ("successful_requests", "200"),
        ("total_generated_tokens", "51200"),
        ("timestamp", "20250613_091004"),
        (
            "source_file",
            "Qwen_Qwen3-4B-AWQ/run_20250613_091004/benchmark_results.json",
        ),
    ] {
        assert_eq!(awq.get(metric).map(String::as_str), Some(value), "{metric}");
    }
    let tp2 = &runs["vllm_latency_sweep_NVIDIA_H100_80GB_HBM3_Qwen_Qwen3_4B_20250612_103012.csv"];
    assert_eq!(
        (
            tp2["tensor_parallel_size"].as_str(),
            tp2["data_parallel_size"].as_str(),
            tp2["pipeline_parallel_size"].as_str()
        ),
        ("2", "4", "1")
    );
    let path = out
        .join("NVIDIA_H100_80GB_HBM3")
        .join("vllm_latency_sweep_NVIDIA_H100_80GB_HBM3_Qwen_Qwen3_4B_AWQ_20250613_091004.csv");
    assert_eq!(unit_of(&path, "overall_throughput_tokens_per_sec"), "tok/s");
    assert_eq!(unit_of(&path, "inter_token_p99_ms"), "ms");
    let (file, _) = ResultFile::read(&path, None).unwrap();
    assert_eq!(file.benchmark, "vllm_latency_sweep_Qwen_Qwen3_4B_AWQ");

    // Twice writes nothing.
    let (code, err) = import(&args);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("imported 0 runs into") && err.contains("(5 already there"),
        "{err}"
    );

    // The summary CSV the sweep writes beside its runs, as a table: the same benchmark, one
    // run per row, TP/DP/PP under their full names.
    let table_out = dir.path().join("from_summary");
    let summary = base.join("Qwen_Qwen3-4B-AWQ/benchmark_results_summary.csv");
    let (code, err) = import(&[
        "table",
        summary.to_str().unwrap(),
        "--gpu-name",
        "NVIDIA H100 80GB HBM3",
        "--timestamp",
        "20250613_100000",
        "--results",
        table_out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let rows = runs_in(&table_out);
    let first =
        &rows["vllm_latency_sweep_NVIDIA_H100_80GB_HBM3_Qwen_Qwen3_4B_AWQ_20250613_100000.csv"];
    assert_eq!(first["tensor_parallel_size"], "1");
    assert_eq!(first["model"], "Qwen_Qwen3-4B-AWQ");
    assert_eq!(first["total_latency_p99_ms"], "500.2");
    let second =
        &rows["vllm_latency_sweep_NVIDIA_H100_80GB_HBM3_Qwen_Qwen3_4B_AWQ_20250613_100001.csv"];
    assert_eq!(second["data_parallel_size"], "4");
    assert_eq!(second["timestamp_original"], "20250613_100000");
}

#[test]
fn a_broken_sweep_run_is_named_and_the_others_are_imported() {
    let dir = tempfile::tempdir().unwrap();
    let base = dir.path().join("sweep_configs");
    copy_tree(Path::new(&fixture(SWEEP_CONFIGS)), &base);
    let bad = base.join("Qwen_Qwen3-4B/run_20250612_104533/benchmark_results.json");
    let text = std::fs::read_to_string(&bad).unwrap();
    std::fs::write(
        &bad,
        text.replace(
            "\"first_token_p99\": 250.5",
            "\"first_token_p99\": Infinity",
        ),
    )
    .unwrap();
    let out = dir.path().join("results");
    let (code, err) = import(&[
        "sweep-configs",
        base.to_str().unwrap(),
        "--gpu-name",
        "G",
        "--results",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 1, "{err}"); // a member was refused; the rest is imported
    assert!(
        err.contains(&format!(
            "{}: `benchmark_stats.latency_percentiles_ms.time_to_first_token.first_token_p99` is Infinity, not a finite number; skipped",
            bad.display()
        )),
        "{err}"
    );
    assert!(err.contains("imported 4 runs into"), "{err}");
    // Named by itself, it is an error, and JSON that does not parse says where.
    std::fs::write(&bad, &text[..text.len() / 2]).unwrap();
    let (code, err) = import(&[
        "sweep-configs",
        bad.to_str().unwrap(),
        "--gpu-name",
        "G",
        "--results",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("not valid JSON") && err.contains(" line ") && err.contains(" column "),
        "{err}"
    );
    assert_eq!(result_files(&out).len(), 4);
}

#[test]
fn bad_tables_are_refused_naming_file_line_and_column_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("results");
    let header = "model,prompt,latency,memory_usage,output_length,tokens_per_second\n";
    let good = "llama-3.2-1b,Write a poem.,1.2,100.5,60,50.0\n";
    for (name, text, extra, why) in [
        (
            "ragged.csv",
            format!("{header}{good}llama-3.2-1b,Write a poem.,1.2,100.5,60\n"),
            &[][..],
            "line 3: 5 cells where the header has 6 columns".to_string(),
        ),
        (
            "text.csv",
            format!("{header}{good}llama-3.2-1b,Write a poem.,fast,100.5,60,50.0\n"),
            &[][..],
            "line 3, column 3 (`latency`): `fast` is not a number".to_string(),
        ),
        (
            "nan.csv",
            format!("{header}{good}llama-3.2-1b,Write a poem.,1.2,nan,60,50.0\n"),
            &[][..],
            "line 3, column 4 (`memory_usage`): `nan` is not a finite number".to_string(),
        ),
        (
            "inf.csv",
            format!("{header}llama-3.2-1b,\"Write, then stop.\",1.2,100.5,60,inf\n"),
            &[][..],
            "line 2, column 6 (`tokens_per_second`): `inf` is not a finite number".to_string(),
        ),
        (
            "negative.csv",
            format!("{header}{good}llama-3.2-1b,Write a poem.,-1.2,100.5,60,50.0\n"),
            &[][..],
            "line 3, column 3 (`latency`): -1.2 is a negative measurement".to_string(),
        ),
        ("empty.csv", "\n  \n".to_string(), &[][..], "the file is empty".to_string()),
        (
            "header.csv",
            header.to_string(),
            &[][..],
            "the file has a header and no rows".to_string(),
        ),
        (
            "group.csv",
            format!("{header}{good}"),
            &["--group-by", "modle"][..],
            "--group-by `modle`: no such column; the columns are model, prompt, latency, memory_usage, output_length, tokens_per_second".to_string(),
        ),
        (
            "lines.jsonl",
            "{\"model\": \"m\", \"tps\": 5}\n{\"model\": \"m\", \"tps\": NaN}\n".to_string(),
            &[][..],
            "line 2, key `tps`: `NaN` is not a finite number".to_string(),
        ),
        (
            "cut.jsonl",
            "{\"model\": \"m\", \"tps\": 5}\n{\"model\": \"m\", \"tps".to_string(),
            &[][..],
            "not valid JSON: EOF while parsing a string at line 2 column".to_string(),
        ),
    ] {
        let file = dir.path().join(name);
        std::fs::write(&file, &text).unwrap();
        let args: Vec<&str> = ["table", file.to_str().unwrap(), "--gpu-name", "G", "--results", out.to_str().unwrap()]
            .into_iter()
            .chain(extra.iter().copied())
            .collect();
        let (code, err) = import(&args);
        assert_eq!(code, 1, "{name}: {err}");
        assert!(
            err.contains(&format!("error: {}: {why}", file.display())),
            "{name}: {err}"
        );
        assert!(!out.exists(), "{name}: nothing is written");
    }
    // Good rows before and after a bad one: still nothing written.
    let file = dir.path().join("late.csv");
    std::fs::write(
        &file,
        format!("{header}{good}{good}llama-3.2-1b,x,1.2,100.5,sixty,50.0\n"),
    )
    .unwrap();
    let (code, _) = import(&[
        "table",
        file.to_str().unwrap(),
        "--gpu-name",
        "G",
        "--results",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 1);
    assert!(!out.exists());
    // Without --gpu-name or a device column, the GPU is unknown.
    let file = dir.path().join("nogpu.csv");
    std::fs::write(&file, format!("{header}{good}")).unwrap();
    let (code, err) = import(&[
        "table",
        file.to_str().unwrap(),
        "--results",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 1);
    assert!(err.contains("pass --gpu-name"), "{err}");
    // --aggregate means nothing without --group-by.
    let (code, err) = import(&[
        "table",
        file.to_str().unwrap(),
        "--gpu-name",
        "G",
        "--aggregate",
        "mean",
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--group-by"), "{err}");
}

#[test]
fn garbage_bytes_give_the_table_and_sweep_readers_an_error_never_a_panic() {
    use benchanim::import::sweep_configs::parse_run;
    use benchanim::import::table::{GroupCenter, TableImport, parse_table};
    let inputs = mangled(&[
        fixture(EXO),
        fixture(&format!(
            "{SWEEP_CONFIGS}/Qwen_Qwen3-4B/run_20250612_101500/benchmark_results.json"
        )),
        fixture(&format!(
            "{SWEEP_CONFIGS}/Qwen_Qwen3-4B/benchmark_results_summary.csv"
        )),
    ]);
    let plain = TableImport {
        gpu: Some("G".into()),
        ..TableImport::default()
    };
    let grouped = TableImport {
        group_by: vec!["model".into()],
        aggregate: Some(GroupCenter::Median),
        ..plain.clone()
    };
    let path = Path::new("/b/Qwen_Qwen3-4B/run_20250612_101500/benchmark_results.json");
    let (mut ok, mut refused) = (0, 0);
    for bytes in inputs {
        let results = std::panic::catch_unwind(|| {
            [
                parse_table(path, &bytes, &plain, "20240101_000000")
                    .map(|_| ())
                    .map_err(|e| e.to_string()),
                parse_table(path, &bytes, &grouped, "20240101_000000")
                    .map(|_| ())
                    .map_err(|e| e.to_string()),
                parse_run(path, &bytes, "G", "20240101_000000")
                    .map(|_| ())
                    .map_err(|e| e.to_string()),
            ]
        });
        let Ok(results) = results else {
            panic!("a reader panicked on {:?}", String::from_utf8_lossy(&bytes));
        };
        for result in results {
            match result {
                Ok(()) => ok += 1,
                Err(why) => {
                    refused += 1;
                    assert!(!why.trim().is_empty() && !why.contains('\n'), "{why:?}");
                    assert!(why.chars().any(char::is_alphabetic), "{why:?}");
                }
            }
        }
    }
    assert!(ok > 0 && refused > 0, "ok {ok}, refused {refused}");
}
