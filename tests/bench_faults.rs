//! How `benchanim bench` fails: an unreachable server, and answers a real server never gives
//! (served by small fakes). Each case must end in a clear message, never a panic.

mod bench_support;

use bench_support::fake::{self, End, Reply};
use std::time::Duration;

use bench_support::{Result, free_port, result_files, run, run_within, text};

/// Longer than any deadline a test sets, far shorter than the ones it replaces.
const BOUND: Duration = Duration::from_secs(30);

fn openai_args<'a>(url: &'a str, out: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
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
        "--input-len",
        "20",
        "--output-len",
        "4",
        "--max-concurrency",
        "2",
    ];
    args.extend_from_slice(extra);
    args
}

#[test]
fn closed_port_exits_2_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap();
    let url = format!("http://127.0.0.1:{}", free_port());
    for mode in ["openai", "llama-server"] {
        let o = run(&["bench", mode, "--url", &url, "--output-dir", out]);
        let err = text(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{mode}: {err}");
        assert!(
            err.contains("cannot reach the server at") && err.contains(&url),
            "{mode}: {err}"
        );
        assert!(!err.contains("panicked"), "{err}");
    }
    assert!(result_files(dir.path()).is_empty());
    assert!(!dir.path().join("Test_GPU").exists());
}

#[test]
fn malformed_json_in_the_stream_fails_every_request_with_the_reason() {
    let port = fake::serve(|path, _, _| match path {
        "/v1/models" => fake::models(),
        "/v1/completions" => Reply::Stream(
            vec!["{\"choices\": [oops".into(), "[DONE]".into()],
            End::Close,
        ),
        _ => Reply::Status(404),
    });
    let dir = tempfile::tempdir().unwrap();
    let url = format!("http://127.0.0.1:{port}");
    let o = run(&openai_args(
        &url,
        dir.path().to_str().unwrap(),
        &["--verbose"],
    ));
    let err = text(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert_eq!(err.matches("invalid JSON in stream").count(), 6, "{err}");
    assert!(err.contains("every request failed"), "{err}");
    assert!(err.contains("no /tokenize"), "{err}");
    assert!(result_files(dir.path()).is_empty());
}

#[test]
fn a_stalled_stream_times_out_and_one_without_done_fails() {
    // Even requests stall after one chunk; odd ones end without [DONE].
    let port = fake::serve(|path, _, n| match path {
        "/v1/models" => fake::models(),
        "/v1/completions" if n % 2 == 0 => {
            Reply::Stream(vec![r#"{"choices":[{"text":"a"}]}"#.into()], End::Stall)
        }
        "/v1/completions" => Reply::Stream(
            vec![
                r#"{"choices":[{"text":"a"}]}"#.into(),
                r#"{"choices":[],"usage":{"prompt_tokens":3,"completion_tokens":1}}"#.into(),
            ],
            End::Close,
        ),
        _ => Reply::Status(404),
    });
    let dir = tempfile::tempdir().unwrap();
    let url = format!("http://127.0.0.1:{port}");
    let o = run(&openai_args(
        &url,
        dir.path().to_str().unwrap(),
        &["--verbose", "--timeout", "1"],
    ));
    let err = text(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    // Each names the server and the option that set the deadline.
    assert_eq!(
        err.matches(&format!(
            "no complete answer from {url} within --timeout 1 s"
        ))
        .count(),
        3,
        "{err}"
    );
    assert_eq!(
        err.matches("stream ended without [DONE]").count(),
        3,
        "{err}"
    );
    assert!(result_files(dir.path()).is_empty());
}

#[test]
fn failed_requests_are_counted_and_the_run_goes_on() {
    // Every third completion is an HTTP 500; the rest stream 5 tokens for a 7-token prompt.
    let port = fake::serve(|path, _, n| match path {
        "/v1/models" => fake::models(),
        "/v1/completions" if n % 3 == 1 => Reply::Status(500),
        "/v1/completions" => fake::good_stream(7, 5),
        _ => Reply::Status(404),
    });
    let dir = tempfile::tempdir().unwrap();
    let url = format!("http://127.0.0.1:{port}");
    let o = run(&openai_args(&url, dir.path().to_str().unwrap(), &[]));
    let err = text(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(
        err.contains("2 of 6 requests failed, the first with: HTTP 500"),
        "{err}"
    );
    let r = Result::only_in(dir.path());
    assert_eq!(r.folder, "Test_GPU");
    assert_eq!(r.num("successful_requests"), 4.0);
    assert_eq!(r.num("failed_requests"), 2.0);
    assert_eq!(r.num("total_input_tokens"), 28.0);
    assert_eq!(r.num("total_generated_tokens"), 20.0);
    assert_eq!(r.text("model"), "fake/model-1B");
    assert_eq!(r.text("server"), "vllm");
    assert!(!r.has("partial"));
    // Without NVML there is no telemetry, and no zeros standing in for it.
    if !r.has("driver_version") {
        assert!(!r.has("gpu_util_mean") && !r.has("energy_j"));
    }
    // The summary goes to stdout, as vLLM prints it.
    let summary = text(&o.stdout);
    assert!(
        summary.contains("============ Serving Benchmark Result ============"),
        "{summary}"
    );
    assert!(
        summary.contains("Failed requests:                         2"),
        "{summary}"
    );
}

#[test]
fn llama_server_answers_without_timings_or_json_fail_with_the_reason() {
    let port = fake::serve(|path, _, n| match path {
        "/props" => Reply::Json(r#"{"model_path":"/models/tiny.gguf"}"#.into()),
        "/tokenize" => Reply::Json(r#"{"tokens":[1,2,3,4,5,6,7,8,9,10]}"#.into()),
        "/completion" if n % 2 == 0 => Reply::Json(r#"{"content":"hi"}"#.into()),
        "/completion" => Reply::Json("{\"content\": \"hi\", \"timings\": ".into()),
        _ => Reply::Status(404),
    });
    let dir = tempfile::tempdir().unwrap();
    let url = format!("http://127.0.0.1:{port}");
    let o = run(&[
        "bench",
        "llama-server",
        "--url",
        &url,
        "--output-dir",
        dir.path().to_str().unwrap(),
        "--prompts",
        "4",
        "--warmups",
        "0",
        "--input-range",
        "10",
        "10",
        "--output-range",
        "2",
        "2",
        "--verbose",
    ]);
    let err = text(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert_eq!(
        err.matches("the response has no `timings`").count(),
        2,
        "{err}"
    );
    assert_eq!(
        err.matches("malformed response: invalid JSON").count(),
        2,
        "{err}"
    );
    assert!(result_files(dir.path()).is_empty());
}

#[test]
fn bad_options_are_refused_before_anything_runs() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap();
    let url = format!("http://127.0.0.1:{}", free_port());
    let o = run(&[
        "bench",
        "openai",
        "--url",
        &url,
        "--output-dir",
        out,
        "--range-ratio",
        "1.5",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o.stderr).contains("--range-ratio must be at least 0 and below 1"));
    let o = run(&[
        "bench",
        "llama-server",
        "--url",
        &url,
        "--output-dir",
        out,
        "--input-range",
        "9",
        "3",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o.stderr).contains("--input-range takes MIN MAX"));
    let o = run(&["bench", "openai", "--url", "not a url", "--output-dir", out]);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o.stderr).contains("`not a url` is not a URL"));
}

#[test]
fn numbers_out_of_range_are_refused_before_the_server_is_asked() {
    for (flag, value, expected) in [
        ("--timeout", "1e20", "--timeout 1e20 is out of range"),
        ("--timeout", "nan", "--timeout NaN is out of range"),
        (
            "--request-rate",
            "1e-300",
            "--request-rate 1e-300 is out of range",
        ),
        (
            "--input-len",
            "4294967295",
            "4294967295 is not in 1..=1000000",
        ),
        ("--max-concurrency", "100000", "100000 is not in 1..=4096"),
        ("--prompts", "0", "0 is not in 1..=1000000"),
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
}

#[test]
fn a_server_that_never_answers_is_unreachable_after_the_timeout() {
    let port = fake::silent();
    let url = format!("http://127.0.0.1:{port}");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap();
    for mode in ["openai", "llama-server"] {
        let args = [
            "bench",
            mode,
            "--url",
            &url,
            "--timeout",
            "3",
            "--output-dir",
            out,
            "--gpu-name",
            "Test GPU",
        ];
        let (o, took) = run_within(&args, BOUND);
        let err = text(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{mode}: {err}");
        assert!(
            err.contains(&format!(
                "cannot reach the server at {url}: it accepts connections but sent no answer \
                 within 3 s (--timeout)"
            )),
            "{mode}: {err}"
        );
        assert!(
            took >= Duration::from_secs(3),
            "{mode}: gave up after {took:?}"
        );
        assert!(!err.contains("panicked"), "{err}");
    }
    assert!(result_files(dir.path()).is_empty());
}

#[test]
fn a_server_that_falls_silent_after_the_probe_fails_at_the_first_deadline() {
    // Answers the probe, then nothing: every other request is left hanging.
    let port = fake::serve(|path, _, _| match path {
        "/health" => Reply::Json("{}".into()),
        _ => Reply::Silent,
    });
    let url = format!("http://127.0.0.1:{port}");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap();
    let cases: [(&[&str], &str); 3] = [
        (
            &["openai"],
            "cannot list the server's models: {url}/v1/models: no answer within 2 s (--timeout)",
        ),
        (
            // With the model given, the listing is still what finds the server stuck.
            &["openai", "--model", "m"],
            "cannot list the server's models: {url}/v1/models: no answer within 2 s (--timeout)",
        ),
        (
            &["llama-server"],
            "cannot tell which model the server runs: {url}/props: no answer within 2 s (--timeout)",
        ),
    ];
    for (mode, expected) in cases {
        let mut args = vec!["bench"];
        args.extend_from_slice(mode);
        args.extend([
            "--url",
            &url,
            "--timeout",
            "2",
            "--output-dir",
            out,
            "--gpu-name",
            "Test GPU",
        ]);
        let (o, took) = run_within(&args, BOUND);
        let err = text(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{mode:?}: {err}");
        let expected = expected.replace("{url}", &url);
        assert!(err.contains(&expected), "{mode:?}: {err}");
        assert!(took < Duration::from_secs(10), "{mode:?}: took {took:?}");
    }
    assert!(result_files(dir.path()).is_empty());
}

#[test]
fn warm_ups_that_time_out_end_the_run_before_the_measured_requests() {
    // Everything answers but the completions, which never do.
    let port = fake::serve(|path, _, _| match path {
        "/health" => Reply::Json("{}".into()),
        "/v1/models" => fake::models(),
        "/props" => Reply::Json(r#"{"model_path":"/models/tiny.gguf"}"#.into()),
        "/tokenize" => Reply::Json(r#"{"tokens":[1,2,3]}"#.into()),
        "/v1/completions" | "/completion" => Reply::Silent,
        _ => Reply::Status(404),
    });
    let url = format!("http://127.0.0.1:{port}");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap();
    let common = [
        "--url",
        &url,
        "--timeout",
        "2",
        "--output-dir",
        out,
        "--gpu-name",
        "Test GPU",
        "--prompts",
        "50",
        "--warmups",
        "10",
    ];
    let cases: [(&[&str], String); 2] = [
        (
            &["openai", "--max-concurrency", "2", "--input-len", "3"],
            format!(
                "the first 2 warm-up requests failed (no complete answer from {url} within --timeout 2 s); no result written"
            ),
        ),
        (
            &["llama-server", "--input-range", "3", "3"],
            format!(
                "the first warm-up request failed (no complete answer from {url} within --timeout 2 s); no result written"
            ),
        ),
    ];
    for (mode, expected) in cases {
        let mut args = vec!["bench"];
        args.extend_from_slice(mode);
        args.extend_from_slice(&common);
        let (o, took) = run_within(&args, BOUND);
        let err = text(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{mode:?}: {err}");
        assert!(err.contains(&expected), "{mode:?}: {err}");
        // One wave of warm-ups, not ten of them and then the fifty measured requests.
        assert!(took < Duration::from_secs(10), "{mode:?}: took {took:?}");
    }
    assert!(result_files(dir.path()).is_empty());
}
