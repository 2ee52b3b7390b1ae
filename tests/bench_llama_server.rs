//! `benchanim bench` against llama.cpp's real llama-server with SmolLM2-135M.
//!
//! Needs BENCHANIM_LLAMA_SERVER and BENCHANIM_GGUF: `eval "$(scripts/llama-server.sh)"`.
//! Without them these tests fail (they never pass without a server).

mod bench_support;

use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use bench_support::{LlamaServer, Result, benchanim, run, text, wait_until, wait_with_deadline};

/// `a` equals `b` up to the rounding of figures written with two decimals.
fn close(a: f64, b: f64, what: &str) {
    assert!(
        (a - b).abs() <= 0.01 * b.abs().max(1.0),
        "{what}: {a} vs {b}"
    );
}

#[test]
fn llama_server_run_matches_the_servers_own_counts() {
    let server = LlamaServer::start();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap();
    let (prompt_before, predicted_before) = server.token_counters();
    let o = run(&[
        "bench",
        "llama-server",
        "--url",
        &server.url(),
        "--output-dir",
        out,
        "--record-local",
        "--prompts",
        "4",
        "--warmups",
        "0",
        "--input-range",
        "20",
        "60",
        "--output-range",
        "8",
        "16",
        "--seed",
        "7",
    ]);
    let err = text(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{err}");
    let (prompt_after, predicted_after) = server.token_counters();

    let r = Result::only_in(dir.path());
    // Filed under this machine's GPU (or CPU, without NVML), as its rows say.
    assert_eq!(r.text("device_sanitized"), r.folder);
    assert!(
        r.file
            .path
            .file_name()
            .unwrap()
            .to_str()
            .unwrap()
            .starts_with(&format!(
                "llama_server_{}_SmolLM2_135M_Instruct_Q4_1_gguf_samples_4_",
                r.folder
            ))
    );
    assert_eq!(r.text("model_name"), "SmolLM2-135M-Instruct.Q4_1.gguf");
    // Asked for: where this machine keeps the model and the server.
    assert!(
        r.text("model_path")
            .ends_with("SmolLM2-135M-Instruct.Q4_1.gguf")
    );
    assert_eq!(r.text("server_url"), server.url());
    assert_eq!(r.text("input_token_range"), "20-60");
    assert_eq!(r.text("output_token_range"), "8-16");
    assert_eq!(r.num("successful_requests"), 4.0);
    assert_eq!(r.num("failed_requests"), 0.0);

    // Token totals are the server's own (cache_prompt is off, so every prompt token counts).
    let prompt = r.num("total_prompt_tokens");
    let generated = r.num("total_generated_tokens");
    assert_eq!(prompt, prompt_after - prompt_before);
    assert_eq!(generated, predicted_after - predicted_before);
    // ignore_eos: every answer has its requested length; prompts were cut with /tokenize.
    assert!((4.0 * 8.0..=4.0 * 16.0).contains(&generated), "{generated}");
    assert!((4.0 * 20.0..=4.0 * 61.0).contains(&prompt), "{prompt}");

    // Speeds are positive, and the time each implies fits in the wall time of the run.
    let (pt, gt) = (
        r.num("true_prompt_throughput"),
        r.num("true_gen_throughput"),
    );
    assert!(
        pt > 0.0 && gt > 0.0 && r.num("avg_prompt_speed") > 0.0 && r.num("avg_gen_speed") > 0.0
    );
    let runtime = r.num("total_runtime");
    assert!(prompt / pt <= runtime + 0.01, "{prompt} / {pt} > {runtime}");
    assert!(
        generated / gt <= runtime + 0.01,
        "{generated} / {gt} > {runtime}"
    );

    let summary = text(&o.stdout);
    assert!(
        summary.contains(&format!(
            "Total generated tokens:                  {generated}"
        )),
        "{summary}"
    );

    // `report` shows the run under this machine's column, next to the shipped results.
    for gpu in ["NVIDIA_GB10", "NVIDIA_GeForce_RTX_4090"] {
        copy_folder(
            &Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("benchmark_results")
                .join(gpu),
            &dir.path().join(gpu),
        );
    }
    let report = run(&["report", "--results", out]);
    let table = text(&report.stdout);
    assert_eq!(report.status.code(), Some(0), "{}", text(&report.stderr));
    assert!(
        table.contains("### llama_server_SmolLM2_135M_Instruct_Q4_1_gguf_samples_4"),
        "{table}"
    );
    let section = &table[table
        .find("### llama_server_SmolLM2_135M_Instruct_Q4_1_gguf_samples_4")
        .unwrap()..];
    let header = section.lines().find(|l| l.starts_with("| Metric")).unwrap();
    for gpu in [r.folder.as_str(), "NVIDIA_GB10", "NVIDIA_GeForce_RTX_4090"] {
        assert!(
            header.contains(&format!(" {gpu} |")),
            "{gpu} missing: {header}"
        );
    }
    assert!(table.contains(&r.folder), "{table}");
    assert!(
        table.contains(&format!(
            "| true_gen_throughput | tok/s | {} |",
            r.text("true_gen_throughput")
        )),
        "{table}"
    );
}

#[test]
fn openai_run_matches_usage_and_the_servers_counts() {
    let server = LlamaServer::start();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap();
    let (prompt_before, predicted_before) = server.token_counters();
    let pid = server.pid().to_string();
    let o = run(&[
        "bench",
        "openai",
        "--url",
        &server.url(),
        "--server-pid",
        &pid,
        "--results",
        out,
        "--prompts",
        "8",
        "--warmups",
        "0",
        "--input-len",
        "40",
        "--output-len",
        "12",
        "--range-ratio",
        "0.25",
        "--max-concurrency",
        "3",
        "--request-rate",
        "40",
    ]);
    let err = text(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{err}");
    let (prompt_after, predicted_after) = server.token_counters();

    let r = Result::only_in(dir.path());
    assert_eq!(r.text("device_sanitized"), r.folder);
    assert_eq!(r.text("server"), "llamacpp");
    // Filed under the engine that answered, with the model's name, not where this machine
    // keeps it, and without machine-local fields.
    assert_eq!(r.file.family, "llama_cpp");
    assert!(
        r.file
            .path
            .file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with(&format!(
                "llama_cpp_{}_SmolLM2_135M_Instruct_Q4_1_text_only",
                r.folder
            )),
        "{:?}",
        r.file.path
    );
    assert_eq!(r.text("model"), "SmolLM2-135M-Instruct.Q4_1");
    assert!(!r.has("server_url"), "a machine-local field was filed");
    assert_eq!(r.num("successful_requests"), 8.0);
    assert_eq!(r.num("failed_requests"), 0.0);
    assert_eq!(r.num("max_concurrency"), 3.0);
    assert_eq!(r.num("request_rate"), 40.0);

    // Generated tokens from usage equal what the server generated.
    let (input, output) = (r.num("total_input_tokens"), r.num("total_generated_tokens"));
    assert_eq!(output, predicted_after - predicted_before);
    // Output lengths 9..=15 each; input 30..=50 each (cut with /tokenize). The server may
    // reuse cached prompt prefixes, so it processed at most what usage reports.
    assert!((8.0 * 9.0..=8.0 * 15.0).contains(&output), "{output}");
    assert!((8.0 * 30.0..=8.0 * 51.0).contains(&input), "{input}");
    assert!(prompt_after - prompt_before <= input);

    // The server's memory, sampled through the run: a peak no higher than the most it ever
    // held (VmHWM), and an increase over idle that is not negative.
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let hwm_kib: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap();
    let peak = r.num("server_memory_peak_mb");
    assert!(
        peak > 0.0 && peak <= hwm_kib / 1024.0 + 0.05,
        "{peak} MB, VmHWM {hwm_kib} kB"
    );
    assert!(r.num("server_memory_increase_mb") >= 0.0);
    close(
        r.num("server_memory_increase_mb"),
        peak - r.num("server_memory_idle_mb"),
        "server_memory_increase_mb",
    );

    // Latencies are ordered as they must be.
    assert!(r.num("ttft_mean") > 0.0);
    assert!(r.num("ttft_mean") < r.num("e2el_mean"));
    assert!(r.num("ttft_p99") <= r.num("e2el_p99"));
    assert!(r.num("tpot_mean") > 0.0 && r.num("itl_mean") > 0.0);
    assert!(r.num("itl_median") <= r.num("itl_p99"));
    assert!(r.num("peak_concurrent_requests") <= 3.0);
    assert!(r.num("peak_output_throughput") > 0.0);

    // Throughputs are the totals over the measured duration.
    let duration = r.num("benchmark_duration");
    assert!(duration > 0.0 && duration * 1000.0 >= r.num("e2el_mean"));
    close(
        r.num("output_token_throughput"),
        output / duration,
        "output_token_throughput",
    );
    close(
        r.num("input_token_throughput"),
        input / duration,
        "input_token_throughput",
    );
    close(
        r.num("total_token_throughput"),
        (input + output) / duration,
        "total_token_throughput",
    );
    close(
        r.num("request_throughput"),
        8.0 / duration,
        "request_throughput",
    );

    let report = run(&["report", "--results", out]);
    let table = text(&report.stdout);
    assert!(
        table.contains(
            "## LLM/VLM inference\n\n### llama_cpp_SmolLM2_135M_Instruct_Q4_1_text_only_samples_8"
        ),
        "{table}"
    );
    assert!(
        table.contains(&format!("| ttft_mean | ms | {} |", r.text("ttft_mean"))),
        "{table}"
    );
}

/// Starts a long benchmark and waits until the server has generated some of it.
fn start_long_run(server: &LlamaServer, mode: &str, out: &str) -> std::process::Child {
    let (_, predicted_before) = server.token_counters();
    let url = server.url();
    let mut args = vec![
        "bench",
        mode,
        "--url",
        &url,
        "--output-dir",
        out,
        "--warmups",
        "0",
    ];
    if mode == "openai" {
        args.extend([
            "--prompts",
            "500",
            "--input-len",
            "20",
            "--output-len",
            "24",
            "--max-concurrency",
            "2",
        ]);
    } else {
        args.extend([
            "--prompts",
            "500",
            "--input-range",
            "10",
            "20",
            "--output-range",
            "16",
            "24",
        ]);
    }
    let child = benchanim()
        .args(&args)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Generous: on a loaded 2-core machine the first tokens can take a while.
    wait_until(
        Duration::from_secs(180),
        "the first completed requests",
        || server.token_counters().1 - predicted_before >= 80.0,
    );
    child
}

fn stderr_of(child: std::process::Child) -> String {
    text(&child.wait_with_output().unwrap().stderr)
}

#[test]
fn server_stopping_mid_run_writes_the_results_so_far() {
    for mode in ["openai", "llama-server"] {
        let mut server = LlamaServer::start();
        let dir = tempfile::tempdir().unwrap();
        let mut child = start_long_run(&server, mode, dir.path().to_str().unwrap());
        server.kill();
        let status = wait_with_deadline(&mut child, Duration::from_secs(60));
        let err = stderr_of(child);
        assert_eq!(status.code(), Some(3), "{mode}: {err}");
        assert!(
            err.contains("stopped accepting connections"),
            "{mode}: {err}"
        );
        let r = Result::only_in(dir.path());
        assert!(r.flag("partial"));
        assert!(
            r.text("partial_reason")
                .contains(&format!("the server at {} stopped", server.url()))
        );
        let done = r.num("successful_requests");
        assert!((1.0..500.0).contains(&done), "{mode}: {done}");
    }
}

#[test]
fn ctrl_c_and_sigterm_write_the_results_so_far() {
    let server = LlamaServer::start();
    for (signal, code, reason) in [
        ("-INT", 130, "interrupted (Ctrl-C)"),
        ("-TERM", 143, "terminated (SIGTERM)"),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let mut child = start_long_run(&server, "openai", dir.path().to_str().unwrap());
        let kill = std::process::Command::new("kill")
            .args([signal, &child.id().to_string()])
            .status()
            .unwrap();
        assert!(kill.success());
        let status = wait_with_deadline(&mut child, Duration::from_secs(30));
        let err = stderr_of(child);
        assert_eq!(status.code(), Some(code), "{signal}: {err}");
        let r = Result::only_in(dir.path());
        assert!(r.flag("partial"));
        assert_eq!(r.text("partial_reason"), reason);
        assert!(r.num("successful_requests") >= 1.0);
        assert!(r.num("ttft_mean") < r.num("e2el_mean"));
    }
}

fn copy_folder(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
    }
}
