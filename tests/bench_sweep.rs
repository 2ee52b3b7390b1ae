//! `benchanim bench openai` sweeps (lists of concurrencies, rates and shapes, `--repeat`) and
//! `--api chat`, against llama.cpp's real llama-server with SmolLM2-135M; a small fake server
//! only where a level must fail on purpose.
//!
//! Needs BENCHANIM_LLAMA_SERVER and BENCHANIM_GGUF: `eval "$(scripts/llama-server.sh)"`.
//! Without them the real-server tests fail (they never pass without a server).

mod bench_support;

use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use bench_support::fake::{self, Reply};
use bench_support::{
    LlamaServer, benchanim, result_files, run, text, wait_until, wait_with_deadline,
};
use benchanim::results::ResultFile;

/// Every result file under `dir`, read, in the order of their timestamps.
fn runs(dir: &Path) -> Vec<ResultFile> {
    let mut runs: Vec<ResultFile> = result_files(dir)
        .iter()
        .map(|path| {
            let folder = folder_of(path);
            let (file, warnings) = ResultFile::read(path, Some(&folder)).expect("readable");
            assert!(warnings.is_empty(), "{warnings:?}");
            file
        })
        .collect();
    runs.sort_by(|a, b| a.timestamp.cmp(&b.timestamp));
    runs
}

fn folder_of(path: &Path) -> String {
    path.parent()
        .and_then(|p| p.file_name())
        .and_then(|n| n.to_str())
        .expect("a GPU folder")
        .to_string()
}

fn num(run: &ResultFile, metric: &str) -> f64 {
    run.number(metric)
        .unwrap_or_else(|| panic!("no number `{metric}` in {}", run.path.display()))
}

fn field(run: &ResultFile, metric: &str) -> String {
    run.get(metric)
        .unwrap_or_else(|| panic!("no `{metric}` in {}", run.path.display()))
        .value
        .to_text()
}

fn file_name(run: &ResultFile) -> String {
    run.path.file_name().unwrap().to_str().unwrap().to_string()
}

/// One `sweep_id` in every file, and timestamps (rows and names) strictly increasing.
fn assert_one_sweep_in_order(runs: &[ResultFile]) {
    let sweep_id = field(&runs[0], "sweep_id");
    assert_eq!(sweep_id.len(), "YYYYMMDD_HHMMSS".len(), "{sweep_id}");
    assert!(sweep_id <= runs[0].timestamp, "{sweep_id}");
    for pair in runs.windows(2) {
        assert_eq!(field(&pair[1], "sweep_id"), sweep_id);
        assert!(
            pair[0].timestamp < pair[1].timestamp,
            "{} then {}",
            pair[0].timestamp,
            pair[1].timestamp
        );
        assert!(file_name(&pair[0]) < file_name(&pair[1]));
        assert_eq!(pair[0].benchmark, pair[1].benchmark);
    }
    for r in runs {
        assert!(file_name(r).ends_with(&format!("_{}.csv", r.timestamp)));
        assert_eq!(field(r, "timestamp"), r.timestamp);
    }
}

#[test]
fn concurrency_sweep_writes_one_file_per_level_under_one_sweep_id() {
    let server = LlamaServer::start();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap();
    let (_, predicted_before) = server.token_counters();
    let o = run(&[
        "bench",
        "openai",
        "--url",
        &server.url(),
        "--output-dir",
        out,
        "--gpu-name",
        "CPU test",
        "--max-concurrency",
        "1,2",
        "--prompts",
        "4",
        "--warmups",
        "1",
        "--input-len",
        "24",
        "--output-len",
        "8",
        "--range-ratio",
        "0",
    ]);
    let err = text(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{err}");
    let (_, predicted_after) = server.token_counters();
    assert!(err.contains("level 1/2: max_concurrency 1"), "{err}");
    assert!(err.contains("level 2/2: max_concurrency 2"), "{err}");

    let runs = runs(dir.path());
    assert_eq!(runs.len(), 2, "{:?}", result_files(dir.path()));
    assert_one_sweep_in_order(&runs);
    assert_eq!(
        runs[0].benchmark,
        "llama_cpp_SmolLM2_135M_Instruct_Q4_1_text_only_samples_4"
    );
    for (r, level) in runs.iter().zip([1.0, 2.0]) {
        assert_eq!(r.gpu, "CPU_test");
        assert_eq!(num(r, "max_concurrency"), level);
        assert_eq!(field(r, "request_rate"), "inf");
        assert_eq!(num(r, "input_len"), 24.0);
        assert_eq!(num(r, "output_len"), 8.0);
        assert_eq!(num(r, "successful_requests"), 4.0);
        assert_eq!(num(r, "failed_requests"), 0.0);
        assert_eq!(num(r, "total_generated_tokens"), 32.0);
        assert!(num(r, "peak_concurrent_requests") <= level);
        assert!(num(r, "ttft_mean") > 0.0 && num(r, "ttft_mean") < num(r, "e2el_mean"));
        assert!(r.get("partial").is_none() && r.get("iteration").is_none());
    }
    // The warm-up goes before the first level only; the server generated exactly what the
    // files say, plus the warm-up's 8 tokens.
    assert_eq!(num(&runs[0], "num_warmups"), 1.0);
    assert_eq!(num(&runs[1], "num_warmups"), 0.0);
    assert_eq!(predicted_after - predicted_before, 2.0 * 32.0 + 8.0);

    // The closing table: a line per level with its figures and file.
    let table = text(&o.stdout);
    let sweep_id = field(&runs[0], "sweep_id");
    assert!(
        table.contains(&format!("sweep {sweep_id}: 2 levels, files in {out}")),
        "{table}"
    );
    assert!(
        table.contains("level  max_concurrency  status  ok  failed  output tok/s"),
        "{table}"
    );
    for (i, r) in runs.iter().enumerate() {
        let line = table
            .lines()
            .find(|l| l.trim_start().starts_with(&format!("{}/2", i + 1)))
            .unwrap_or_else(|| panic!("no line for level {}: {table}", i + 1));
        assert!(line.contains(" ok "), "{line}");
        assert!(
            line.contains(&field(r, "output_token_throughput")),
            "{line}"
        );
        assert!(line.contains(&field(r, "ttft_median")), "{line}");
        assert!(line.ends_with(&file_name(r)), "{line}");
    }
    assert!(!table.contains("Serving Benchmark Result"), "{table}");

    // A line scene charts the sweep: one point per level.
    let scenes = dir.path().join("scenes");
    std::fs::create_dir(&scenes).unwrap();
    std::fs::write(
        scenes.join("sweep.toml"),
        "kind = \"line\"\ntitle = \"Sweep\"\nsubtitle = \"Output tokens per second\"\n\
         benchmark = \"llama_cpp_SmolLM2_135M_Instruct_Q4_1_text_only_samples_4\"\n\
         metric = \"output_token_throughput\"\nx = { field = \"max_concurrency\" }\n\
         [[series]]\nlabel = \"CPU\"\ngpu = \"CPU_test\"\n",
    )
    .unwrap();
    let results = dir.path().join("results");
    std::fs::create_dir(&results).unwrap();
    std::fs::rename(dir.path().join("CPU_test"), results.join("CPU_test")).unwrap();
    let data = run(&[
        "data",
        "sweep",
        "--scenes",
        scenes.to_str().unwrap(),
        "--results",
        results.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(data.status.code(), Some(0), "{}", text(&data.stderr));
    let json: serde_json::Value = serde_json::from_slice(&data.stdout).unwrap();
    let ys: Vec<f64> = json["series"][0]["points"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["y"].as_f64().unwrap())
        .collect();
    let measured: Vec<f64> = runs
        .iter()
        .map(|r| num(r, "output_token_throughput"))
        .collect();
    assert_eq!(ys, measured, "{json}");
}

#[test]
fn chat_api_streams_from_llama_server() {
    let server = LlamaServer::start();
    let dir = tempfile::tempdir().unwrap();
    let (_, predicted_before) = server.token_counters();
    let o = run(&[
        "bench",
        "openai",
        "--api",
        "chat",
        "--url",
        &server.url(),
        "--output-dir",
        dir.path().to_str().unwrap(),
        "--prompts",
        "4",
        "--warmups",
        "0",
        "--input-len",
        "30",
        "--output-len",
        "10",
        "--range-ratio",
        "0",
        "--max-concurrency",
        "2",
    ]);
    let err = text(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{err}");
    let (_, predicted_after) = server.token_counters();
    let r = bench_support::Result::only_in(dir.path());
    assert!(
        r.file
            .benchmark
            .ends_with("SmolLM2_135M_Instruct_Q4_1_chat_text_only_samples_4"),
        "{}",
        r.file.benchmark
    );
    assert_eq!(r.text("api"), "chat");
    assert_eq!(r.num("successful_requests"), 4.0);
    // Usage came from the server, and says what it generated.
    assert!(!r.has("usage_estimated"));
    assert_eq!(r.num("total_generated_tokens"), 40.0);
    assert_eq!(predicted_after - predicted_before, 40.0);
    // The chat template wraps each 30-token prompt in more tokens.
    assert!(r.num("total_input_tokens") > 4.0 * 30.0);
    // Ten tokens each, one per chunk after the role announcement: nine gaps per request.
    assert!(r.num("ttft_mean") > 0.0 && r.num("ttft_mean") < r.num("e2el_mean"));
    assert!(r.num("itl_median") > 0.0 && r.num("tpot_mean") > 0.0);
    assert!(r.num("itl_median") <= r.num("itl_p99"));
    assert!(text(&o.stdout).contains("Serving Benchmark Result"));
}

/// A fake vLLM that streams `max_tokens` tokens 5 ms apart, except that every request for
/// `fail_tokens` tokens gets an HTTP 500.
fn serve_failing(fail_tokens: u64) -> String {
    let port = fake::serve(move |path, body, _| match path {
        "/v1/models" => fake::models(),
        "/v1/completions" => {
            let json: serde_json::Value = serde_json::from_str(body).unwrap_or_default();
            let tokens = json["max_tokens"].as_u64().unwrap_or(1);
            if tokens == fail_tokens {
                return Reply::Status(500);
            }
            std::thread::sleep(Duration::from_millis(5));
            fake::good_stream(8, tokens)
        }
        _ => Reply::Status(404),
    });
    format!("http://127.0.0.1:{port}")
}

fn sweep_args<'a>(url: &'a str, out: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec![
        "bench",
        "openai",
        "--url",
        url,
        "--output-dir",
        out,
        "--gpu-name",
        "Test GPU",
        "--prompts",
        "6",
        "--warmups",
        "0",
        "--range-ratio",
        "0",
    ];
    args.extend_from_slice(extra);
    args
}

#[test]
fn a_level_where_every_request_fails_writes_nothing_and_the_sweep_goes_on() {
    let url = serve_failing(6);
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap();
    let o = run(&sweep_args(
        &url,
        out,
        &["--max-concurrency", "1,2", "--shape", "8/4,8/6"],
    ));
    let err = text(&o.stderr);
    // The worst level's exit code: every request of a level failed.
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert_eq!(err.matches("every request failed").count(), 2, "{err}");
    let runs = runs(dir.path());
    assert_eq!(runs.len(), 2);
    assert_one_sweep_in_order(&runs);
    for (r, level) in runs.iter().zip([1.0, 2.0]) {
        assert_eq!(num(r, "max_concurrency"), level);
        assert_eq!(num(r, "input_len"), 8.0);
        assert_eq!(num(r, "output_len"), 4.0);
        assert_eq!(num(r, "total_generated_tokens"), 24.0);
    }
    let table = text(&o.stdout);
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(lines.len(), 6, "{table}");
    assert!(
        lines[1].starts_with("level  max_concurrency  input_len  output_len  status"),
        "{table}"
    );
    for (line, (status, file)) in lines[2..].iter().zip([
        ("ok", Some(&runs[0])),
        ("failed", None),
        ("ok", Some(&runs[1])),
        ("failed", None),
    ]) {
        assert!(line.contains(&format!("  {status}  ")), "{line}");
        match file {
            Some(r) => assert!(line.ends_with(&file_name(r)), "{line}"),
            None => assert!(line.ends_with("  -") && !line.contains(".csv"), "{line}"),
        }
    }
}

#[test]
fn rates_and_repeats_are_levels_too() {
    let url = serve_failing(0);
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap();
    let o = run(&sweep_args(
        &url,
        out,
        &[
            "--request-rate",
            "200,inf",
            "--repeat",
            "2",
            "--input-len",
            "8",
            "--output-len",
            "3",
        ],
    ));
    let err = text(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{err}");
    let runs = runs(dir.path());
    assert_eq!(runs.len(), 4);
    assert_one_sweep_in_order(&runs);
    let levels: Vec<(String, f64)> = runs
        .iter()
        .map(|r| (field(r, "request_rate"), num(r, "iteration")))
        .collect();
    assert_eq!(
        levels,
        [
            ("200.00".to_string(), 1.0),
            ("200.00".into(), 2.0),
            ("inf".into(), 1.0),
            ("inf".into(), 2.0)
        ]
    );
    for r in &runs {
        assert_eq!(num(r, "max_concurrency"), 10.0);
        assert_eq!(num(r, "successful_requests"), 6.0);
    }
    assert!(text(&o.stdout).contains("level  request_rate  iteration  status"));
}

#[test]
fn every_listed_number_is_checked_before_the_server_is_asked() {
    for (flag, value, expected) in [
        (
            "--max-concurrency",
            "1,2,0",
            "invalid value '0' for '--max-concurrency",
        ),
        (
            "--max-concurrency",
            "1,,4",
            "invalid value '' for '--max-concurrency",
        ),
        (
            "--request-rate",
            "1,4,0",
            "--request-rate 0 is out of range: 0.001 to 1000000 requests per second, or inf",
        ),
        (
            "--request-rate",
            "1,fast",
            "invalid value 'fast' for '--request-rate",
        ),
        (
            "--shape",
            "128/32,0/8",
            "input length 0 in `0/8` is not in 1..=1000000",
        ),
        ("--shape", "128/32,512", "`512` is not IN/OUT"),
        ("--repeat", "0", "invalid value '0' for '--repeat"),
        ("--api", "grpc", "invalid value 'grpc' for '--api"),
    ] {
        let o = run(&[
            "bench",
            "openai",
            "--url",
            "http://127.0.0.1:9",
            "--model",
            "m",
            flag,
            value,
        ]);
        let stderr = text(&o.stderr);
        assert_ne!(o.status.code(), Some(0), "{flag} {value}");
        assert!(stderr.contains(expected), "{flag} {value}: {stderr}");
        assert!(!stderr.contains("cannot reach"), "{flag} {value}: {stderr}");
    }
    let o = run(&[
        "bench",
        "openai",
        "--url",
        "http://127.0.0.1:9",
        "--shape",
        "8/4",
        "--input-len",
        "8",
    ]);
    assert_ne!(o.status.code(), Some(0));
    assert!(text(&o.stderr).contains("cannot be used with"));
}

#[test]
fn ctrl_c_mid_sweep_keeps_the_finished_levels() {
    let server = LlamaServer::start();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap();
    let url = server.url();
    let (_, predicted_before) = server.token_counters();
    // The first level is short, the second long, the third never runs.
    let mut child = benchanim()
        .args([
            "bench",
            "openai",
            "--url",
            &url,
            "--output-dir",
            out,
            "--prompts",
            "8",
            "--warmups",
            "0",
            "--range-ratio",
            "0",
            "--max-concurrency",
            "1",
            "--shape",
            "8/2,8/16,8/3",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // llama-server counts a request's tokens when it ends: past the first level's 16, the
    // second level's first request has ended.
    let first_level = 8.0 * 2.0;
    wait_until(
        Duration::from_secs(300),
        "the first level's file and a request of the second",
        || {
            result_files(dir.path()).len() == 1
                && server.token_counters().1 - predicted_before > first_level
        },
    );
    // Time for the answer to reach benchanim; the second level has 112 tokens to go.
    std::thread::sleep(Duration::from_millis(200));
    let kill = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    let status = wait_with_deadline(&mut child, Duration::from_secs(30));
    let output = child.wait_with_output().unwrap();
    let err = text(&output.stderr);
    assert_eq!(status.code(), Some(130), "{err}");

    let runs = runs(dir.path());
    assert_eq!(runs.len(), 2, "{err}");
    assert_one_sweep_in_order(&runs);
    let (done, stopped) = (&runs[0], &runs[1]);
    assert_eq!(num(done, "output_len"), 2.0);
    assert!(done.get("partial").is_none());
    assert_eq!(num(done, "successful_requests"), 8.0);
    assert_eq!(num(stopped, "output_len"), 16.0);
    assert_eq!(field(stopped, "partial"), "True");
    assert_eq!(field(stopped, "partial_reason"), "interrupted (Ctrl-C)");
    assert!((1.0..8.0).contains(&num(stopped, "successful_requests")));

    let table = text(&output.stdout);
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(lines.len(), 5, "{table}");
    assert!(lines[2].contains("  ok  ") && lines[2].ends_with(&file_name(done)));
    assert!(lines[3].contains("  partial  ") && lines[3].ends_with(&file_name(stopped)));
    assert!(lines[4].contains("  not run  ") && lines[4].ends_with("  -"));
}
