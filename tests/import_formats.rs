//! `benchanim import genai-perf`, `import sglang` and `import guidellm`: what those LLM serving
//! benchmarks save, filed as result files.
//!
//! Real output of the tools, run against llama-server on this kind of machine:
//! `aiperf/artifacts/` is an aiperf 0.13.0 concurrency sweep, `guidellm/benchmarks.json` a
//! guidellm 0.8.1 sweep, `sglang/results.jsonl` four runs of sglang 0.5.23's `bench_serving`
//! (no `server_info`: the server is not sglang's). Laid out as the tools' writers write them:
//! `genai_perf/` (genai-perf needs Triton's perf_analyzer binary to run), and the runs whose
//! requests all failed, which the current aiperf and sglang do not write at all (aiperf exits
//! 1, sglang stops on numpy's percentile of no latencies): `aiperf/failed/` as earlier aiperf
//! releases wrote one (error counts only), `sglang/failed.jsonl` as the writer would fill it
//! (nothing completed, NaN end-to-end latencies).

mod bench_support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use bench_support::{result_files, run, text};
use benchanim::results::ResultFile;
use serde_json::Value as Json;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// Runs `benchanim import ARGS` in UTC (times from seconds since 1970 and modification times
/// are filed in local time); returns the exit code and what it said.
fn import(args: &[&str]) -> (i32, String) {
    let o = bench_support::benchanim()
        .arg("import")
        .args(args)
        .env("TZ", "UTC")
        .output()
        .expect("benchanim runs");
    (o.status.code().unwrap_or(-1), text(&o.stderr))
}

/// A result file: its name and rows.
struct Filed {
    name: String,
    rows: BTreeMap<String, String>,
    file: ResultFile,
}

impl Filed {
    fn num(&self, metric: &str) -> f64 {
        self.file
            .number(metric)
            .unwrap_or_else(|| panic!("no number `{metric}` in {}", self.name))
    }
    fn get(&self, metric: &str) -> &str {
        self.rows
            .get(metric)
            .unwrap_or_else(|| panic!("no `{metric}` in {}", self.name))
    }
    fn unit(&self, metric: &str) -> &str {
        &self.file.get(metric).unwrap().unit
    }
}

/// Every result file under `dir`, in name order.
fn filed(dir: &Path) -> Vec<Filed> {
    result_files(dir)
        .into_iter()
        .map(|path| {
            let (file, warnings) = ResultFile::read(&path, None).expect("readable");
            assert!(warnings.is_empty(), "{warnings:?}");
            Filed {
                name: path.file_name().unwrap().to_string_lossy().into_owned(),
                rows: file
                    .rows
                    .iter()
                    .map(|r| (r.metric.clone(), r.value.to_text()))
                    .collect(),
                file,
            }
        })
        .collect()
}

fn json(path: &Path) -> Json {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

/// The number at `path` (keys, or indices) of `v`.
fn at(v: &Json, path: &[&str]) -> f64 {
    path.iter()
        .try_fold(v, |v, k| match k.parse::<usize>() {
            Ok(i) if v.is_array() => v.get(i),
            _ => v.get(k),
        })
        .and_then(Json::as_f64)
        .unwrap_or_else(|| panic!("no number at {path:?}"))
}

/// `written` is `source` to the last digit that matters: a unit's conversion may differ in the
/// last bit, rounding may not.
fn same(written: f64, source: f64, what: &str) {
    let error = ((written - source) / source.abs().max(f64::MIN_POSITIVE)).abs();
    assert!(
        written == source || error < 1e-9,
        "{what}: wrote {written}, the source has {source}"
    );
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Sets a file's modification time, in UTC.
fn touch(path: &Path, time: &str) {
    let ok = std::process::Command::new("touch")
        .args(["-d", time])
        .arg(path)
        .env("TZ", "UTC")
        .status()
        .unwrap()
        .success();
    assert!(ok, "touch -d {time}");
}

// --- genai-perf and aiperf -------------------------------------------------------------------

const AIPERF: &str = "aiperf/artifacts";

#[test]
fn an_aiperf_sweep_files_a_run_per_level_with_the_values_it_wrote() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("results");
    let out = out.to_str().unwrap();
    let sweep = fixture(AIPERF);
    let args = [
        "genai-perf",
        sweep.to_str().unwrap(),
        "--gpu-name",
        "CPU 2core",
        "--results",
        out,
    ];
    let (code, err) = import(&args);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("imported 4 runs into"), "{err}");
    let runs = filed(Path::new(out));
    // The time is each run's `start_time`, as aiperf wrote it.
    let names: Vec<&str> = runs.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "aiperf_CPU_2core_SmolLM2_135M_Instruct_20261207_163543.csv",
            "aiperf_CPU_2core_SmolLM2_135M_Instruct_20261207_163604.csv",
            "aiperf_CPU_2core_SmolLM2_135M_Instruct_20261207_163630.csv",
            "aiperf_CPU_2core_SmolLM2_135M_Instruct_20261207_163703.csv",
        ]
    );
    for (run, level) in runs.iter().zip(["1", "2", "4", "8"]) {
        let source_file = format!("concurrency_{level}/profile_export_aiperf.json");
        let source = json(&sweep.join(&source_file));
        for (metric, value) in [
            ("model", "SmolLM2-135M-Instruct"),
            ("device", "CPU 2core"),
            ("max_concurrency", level),
            ("input_len", "64"),
            ("output_len", "32"),
            ("num_prompts", "16"),
            ("endpoint_type", "chat"),
            ("source_file", &source_file),
        ] {
            assert_eq!(run.get(metric), value, "{}: {metric}", run.name);
        }
        assert_eq!(
            run.file.field("streaming"),
            Some(&benchanim::results::Value::Bool(true))
        );
        // Every figure as aiperf wrote it: latencies in ms, its ITL as TPOT, chunks as ITL.
        for (metric, path, unit) in [
            ("ttft_mean", &["time_to_first_token", "avg"][..], "ms"),
            ("ttft_median", &["time_to_first_token", "p50"], "ms"),
            ("ttft_p90", &["time_to_first_token", "p90"], "ms"),
            ("ttft_p99", &["time_to_first_token", "p99"], "ms"),
            ("ttft_std", &["time_to_first_token", "std"], "ms"),
            ("tpot_mean", &["inter_token_latency", "avg"], "ms"),
            ("tpot_p95", &["inter_token_latency", "p95"], "ms"),
            ("itl_median", &["inter_chunk_latency", "p50"], "ms"),
            ("itl_max", &["inter_chunk_latency", "max"], "ms"),
            ("e2el_mean", &["request_latency", "avg"], "ms"),
            ("e2el_p99", &["request_latency", "p99"], "ms"),
            ("e2el_min", &["request_latency", "min"], "ms"),
            (
                "output_token_throughput",
                &["output_token_throughput", "avg"],
                "tok/s",
            ),
            (
                "request_throughput",
                &["request_throughput", "avg"],
                "req/s",
            ),
            (
                "total_token_throughput",
                &["total_token_throughput", "avg"],
                "tok/s",
            ),
            ("successful_requests", &["request_count", "avg"], ""),
            ("benchmark_duration", &["benchmark_duration", "avg"], "s"),
            ("total_input_tokens", &["total_isl", "avg"], "tokens"),
            ("total_generated_tokens", &["total_osl", "avg"], "tokens"),
        ] {
            same(
                run.num(metric),
                at(&source, path),
                &format!("{} {metric}", run.name),
            );
            assert_eq!(run.unit(metric), unit, "{metric}");
        }
    }
    // One failed request of 16 at concurrency 1 is told, the run is filed.
    assert_eq!(runs[0].get("successful_requests"), "15");
    assert_eq!(runs[0].get("failed_requests"), "1");

    // Importing again writes nothing, and so does a copy whose files are newer.
    let (code, err) = import(&args);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("imported 0 runs") && err.contains("(4 already there"),
        "{err}"
    );
    let copy = dir.path().join("copy");
    copy_tree(&sweep, &copy);
    let (code, err) = import(&[
        "genai-perf",
        copy.to_str().unwrap(),
        "--gpu-name",
        "CPU 2core",
        "--results",
        out,
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("imported 0 runs"), "{err}");
    assert_eq!(result_files(Path::new(out)).len(), 4);
}

#[test]
fn a_run_whose_requests_all_failed_is_named_and_not_filed() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("results");
    let out = out.to_str().unwrap();
    // An export of 4 requests to a port nothing listened on.
    let failed = fixture("aiperf/failed/profile_export_aiperf.json");
    let (code, err) = import(&[
        "genai-perf",
        failed.to_str().unwrap(),
        "--gpu-name",
        "G",
        "--results",
        out,
    ]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains(&format!(
            "warning: {}: no request completed (4 failed); not a measurement; skipped",
            failed.display()
        )),
        "{err}"
    );
    assert!(err.contains("imported 0 runs"), "{err}");
    assert!(result_files(Path::new(out)).is_empty());

    // Beside good runs in a folder: they are filed, it is named, and --strict fails.
    let src = dir.path().join("artifacts");
    copy_tree(&fixture(AIPERF), &src);
    copy_tree(failed.parent().unwrap(), &src.join("concurrency_16"));
    let args = [
        "genai-perf",
        src.to_str().unwrap(),
        "--gpu-name",
        "G",
        "--results",
        out,
    ];
    let (code, err) = import(&args);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("concurrency_16/profile_export_aiperf.json: no request completed"),
        "{err}"
    );
    assert!(
        err.contains("imported 4 runs") && err.contains("1 skipped"),
        "{err}"
    );
    let (code, err) = import(&[&args[..], &["--strict"]].concat());
    assert_eq!(code, 1, "{err}");
}

#[test]
fn genai_perf_exports_give_ms_whatever_their_unit_and_the_level_from_input_config() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("results");
    let out = out.to_str().unwrap();
    let sweep = fixture("genai_perf/artifacts");
    let (code, err) = import(&[
        "genai-perf",
        sweep.to_str().unwrap(),
        "--gpu-name",
        "NVIDIA GB10",
        "--results",
        out,
    ]);
    assert_eq!(code, 0, "{err}");
    let runs = filed(Path::new(out));
    assert_eq!(runs.len(), 2, "{err}");
    let mut levels: Vec<&str> = runs.iter().map(|r| r.get("max_concurrency")).collect();
    levels.sort();
    assert_eq!(levels, ["1", "4"]);
    for run in &runs {
        assert!(
            run.name
                .starts_with("genai_perf_NVIDIA_GB10_SmolLM2_135M_Instruct_"),
            "{}",
            run.name
        );
        assert_eq!(run.get("model"), "HuggingFaceTB/SmolLM2-135M-Instruct");
        assert_eq!(run.get("endpoint"), "v1/chat/completions");
        assert_eq!(run.get("input_len"), "64");
        assert_eq!(run.get("output_len"), "32");
        let source = json(&sweep.join(run.get("source_file")));
        for (metric, path) in [
            ("ttft_mean", &["time_to_first_token", "avg"][..]),
            ("ttft_p95", &["time_to_first_token", "p95"]),
            ("tpot_median", &["inter_token_latency", "p50"]),
            ("e2el_max", &["request_latency", "max"]),
            (
                "output_token_throughput",
                &["output_token_throughput", "avg"],
            ),
            ("request_throughput", &["request_throughput", "avg"]),
            ("successful_requests", &["request_count", "avg"]),
        ] {
            same(run.num(metric), at(&source, path), metric);
        }
    }
    // An older export in ns, its level a request rate.
    let ns = fixture("genai_perf/ns/profile_export_genai_perf.json");
    let out2 = dir.path().join("ns");
    let (code, err) = import(&[
        "genai-perf",
        ns.to_str().unwrap(),
        "--gpu-name",
        "G",
        "--results",
        out2.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let runs = filed(&out2);
    let source = json(&ns);
    assert_eq!(runs[0].get("request_rate"), "8");
    assert_eq!(runs[0].get("model"), "gpt2");
    assert!(
        runs[0].name.starts_with("genai_perf_G_gpt2_"),
        "{}",
        runs[0].name
    );
    for (metric, path) in [
        ("ttft_mean", &["time_to_first_token", "avg"][..]),
        ("ttft_p99", &["time_to_first_token", "p99"]),
        ("tpot_mean", &["inter_token_latency", "avg"]),
        ("e2el_median", &["request_latency", "p50"]),
    ] {
        same(runs[0].num(metric), at(&source, path) / 1e6, metric);
        assert_eq!(runs[0].unit(metric), "ms");
    }
}

/// `bytes` with the first `from` after `after` made `to`.
fn replaced(bytes: &str, after: &str, from: &str, to: &str) -> String {
    let start = bytes.find(after).unwrap_or_else(|| panic!("no {after}"));
    let at = start
        + bytes[start..]
            .find(from)
            .unwrap_or_else(|| panic!("no {from}"));
    format!("{}{to}{}", &bytes[..at], &bytes[at + from.len()..])
}

#[test]
fn bad_values_in_an_export_are_refused_naming_the_file_and_the_field() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("results");
    let out = out.to_str().unwrap();
    let good = std::fs::read_to_string(fixture(&format!(
        "{AIPERF}/concurrency_2/profile_export_aiperf.json"
    )))
    .unwrap();
    let p99 = |bytes: &str| {
        let start = bytes.find("\"time_to_first_token\"").unwrap();
        let at = start + bytes[start..].find("\"p99\": ").unwrap() + 7;
        let end = at + bytes[at..].find(',').unwrap();
        (at, end)
    };
    let (a, b) = p99(&good);
    for (what, bad, expected) in [
        (
            "nan",
            format!("{}NaN{}", &good[..a], &good[b..]),
            "`time_to_first_token.p99` is NaN, not a finite number".to_string(),
        ),
        (
            "infinity",
            format!("{}Infinity{}", &good[..a], &good[b..]),
            "`time_to_first_token.p99` is Infinity, not a finite number".into(),
        ),
        (
            "negative",
            format!("{}-3.5{}", &good[..a], &good[b..]),
            "`time_to_first_token.p99` is -3.5, a negative measurement".into(),
        ),
        (
            "date",
            replaced(&good, "\"is_complete\"", "2026-12-07", "2150-01-01"),
            "`start_time` is in 2150, not between 1970 and 2100".into(),
        ),
        (
            "unit",
            replaced(
                &good,
                "\"request_throughput\"",
                "requests/sec",
                "requests/fortnight",
            ),
            "`request_throughput.unit` is `requests/fortnight`".into(),
        ),
    ] {
        let file = dir.path().join(what).join("profile_export_aiperf.json");
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(&file, &bad).unwrap();
        let (code, err) = import(&[
            "genai-perf",
            file.to_str().unwrap(),
            "--gpu-name",
            "G",
            "--results",
            out,
        ]);
        assert_eq!(code, 1, "{what}: {err}");
        assert!(
            err.contains(&format!("warning: {}: {expected}", file.display())),
            "{what}: {err}"
        );
        assert!(result_files(Path::new(out)).is_empty(), "{what}");
    }
    // A figure that overflows when made ms.
    let huge = replaced(
        &good,
        "\"request_latency\"",
        "\"unit\": \"ms\"",
        "\"unit\": \"s\"",
    );
    let start = huge.find("\"request_latency\"").unwrap();
    let at = start + huge[start..].find("\"avg\": ").unwrap() + 7;
    let end = at + huge[at..].find(',').unwrap();
    let huge = format!("{}1e307{}", &huge[..at], &huge[end..]);
    let file = dir.path().join("huge/profile_export_aiperf.json");
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    std::fs::write(&file, huge).unwrap();
    let (_, err) = import(&[
        "genai-perf",
        file.to_str().unwrap(),
        "--gpu-name",
        "G",
        "--results",
        out,
    ]);
    assert!(
        err.contains("`request_latency.avg` is 10000000000000000000000000000000000000000000000"),
        "{err}"
    );
    assert!(err.contains("out of range in ms"), "{err}");
    // Broken JSON named by itself is an error.
    let file = dir.path().join("broken/profile_export_aiperf.json");
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    std::fs::write(&file, &good[..good.len() / 2]).unwrap();
    let (code, err) = import(&[
        "genai-perf",
        file.to_str().unwrap(),
        "--gpu-name",
        "G",
        "--results",
        out,
    ]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains(&format!("error: {}: not valid JSON", file.display())),
        "{err}"
    );
}

// --- sglang ------------------------------------------------------------------------------

const SGLANG: &str = "sglang/results.jsonl";

#[test]
fn sglang_lines_become_runs_a_second_apart_with_the_values_they_hold() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("results");
    let out = out.to_str().unwrap();
    let file = dir.path().join("results.jsonl");
    std::fs::copy(fixture(SGLANG), &file).unwrap();
    touch(&file, "2026-03-01 10:15:00");
    let args = [
        "sglang",
        file.to_str().unwrap(),
        "--gpu-name",
        "CPU 2core",
        "--model",
        "SmolLM2-135M-Instruct",
        "--results",
        out,
    ];
    // llama-server has no sglang `server_info`: the lines do not name the model.
    let (code, err) = import(&args[..4]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("line 1: the run does not name its model"),
        "{err}"
    );
    assert!(err.contains("pass --model"), "{err}");

    let (code, err) = import(&args);
    assert_eq!(code, 0, "{err}");
    let source: Vec<Json> = std::fs::read_to_string(&file)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(&l.replace("Infinity", "\"inf\"")).unwrap())
        .collect();
    let runs = filed(Path::new(out));
    assert_eq!(runs.len(), source.len(), "{err}");
    for (i, (run, line)) in runs.iter().zip(&source).enumerate() {
        assert_eq!(
            run.name,
            format!(
                "sglang_bench_CPU_2core_SmolLM2_135M_Instruct_random_ids_20260301_10150{i}.csv"
            )
        );
        assert_eq!(run.get("backend"), "vllm-chat");
        assert_eq!(run.get("dataset_name"), "random-ids");
        assert_eq!(
            run.get("max_concurrency"),
            line["max_concurrency"].to_string()
        );
        assert_eq!(run.get("request_rate"), "inf");
        assert_eq!(run.get("input_len"), "64");
        assert_eq!(run.get("output_len"), "32");
        for (metric, key) in [
            ("benchmark_duration", "duration"),
            ("successful_requests", "completed"),
            ("total_generated_tokens", "total_output_tokens"),
            ("request_throughput", "request_throughput"),
            ("input_token_throughput", "input_throughput"),
            ("output_token_throughput", "output_throughput"),
            ("total_token_throughput", "total_throughput"),
            ("ttft_mean", "mean_ttft_ms"),
            ("ttft_median", "median_ttft_ms"),
            ("ttft_p99", "p99_ttft_ms"),
            ("tpot_p90", "p90_tpot_ms"),
            ("itl_p95", "p95_itl_ms"),
            ("itl_std", "std_itl_ms"),
            ("e2el_median", "median_e2e_latency_ms"),
            ("e2el_p99", "p99_e2e_latency_ms"),
            ("peak_output_throughput", "max_output_tokens_per_s"),
        ] {
            same(
                run.num(metric),
                at(line, &[key]),
                &format!("line {} {metric}", i + 1),
            );
        }
        assert_eq!(run.get("source_file"), "results.jsonl");
    }

    // Again: nothing new, even with a newer modification time; a line appended is the one
    // new run.
    touch(&file, "2026-03-02 08:00:00");
    let (code, err) = import(&args);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("imported 0 runs"), "{err}");
    let first = std::fs::read_to_string(&file).unwrap();
    let line = first
        .lines()
        .next()
        .unwrap()
        .replacen("\"completed\": 16", "\"completed\": 15", 1);
    assert_ne!(line, first.lines().next().unwrap());
    std::fs::write(&file, format!("{first}{line}\n")).unwrap();
    let (code, err) = import(&args);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("imported 1 run into"), "{err}");
}

#[test]
fn sglang_lines_that_failed_or_hold_bad_values_are_named_by_line() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("results");
    let out = out.to_str().unwrap();
    let good = std::fs::read_to_string(fixture(SGLANG)).unwrap();
    let first = good.lines().next().unwrap();
    let nan = replaced(
        first,
        "\"mean_ttft_ms\": ",
        "\"mean_ttft_ms\": ",
        "\"mean_ttft_ms\": NaN, \"x\": ",
    );
    let negative = replaced(
        first,
        "\"duration\": ",
        "\"duration\": ",
        "\"duration\": -1, \"y\": ",
    );
    // What sglang writes when every request failed: nothing completed, NaN latencies.
    let failed = std::fs::read_to_string(fixture("sglang/failed.jsonl")).unwrap();
    let file = dir.path().join("runs.jsonl");
    std::fs::write(
        &file,
        format!("{first}\n{nan}\n{}\nnot json\n{negative}\n", failed.trim()),
    )
    .unwrap();
    let args = [
        "sglang",
        file.to_str().unwrap(),
        "--gpu-name",
        "G",
        "--model",
        "m",
        "--results",
        out,
    ];
    let (code, err) = import(&args);
    assert_eq!(code, 1, "{err}");
    let f = file.display();
    for expected in [
        format!("warning: {f}: line 2: `mean_ttft_ms` is NaN, not a finite number; skipped"),
        format!("warning: {f}: line 3: no request completed"),
        format!("warning: {f}: line 4: not valid JSON"),
        format!("warning: {f}: line 5: `duration` is -1, a negative measurement; skipped"),
    ] {
        assert!(err.contains(&expected), "{expected}\n{err}");
    }
    assert!(
        err.contains("imported 1 run into") && err.contains("4 skipped"),
        "{err}"
    );
    let (code, err) = import(&[&args[..], &["--strict"]].concat());
    assert_eq!(code, 1, "{err}");
}

// --- guidellm ------------------------------------------------------------------------------

const GUIDELLM: &str = "guidellm/benchmarks.json";

#[test]
fn a_guidellm_sweep_files_a_run_per_benchmark_with_its_strategy_as_config() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("results");
    let out = out.to_str().unwrap();
    let report_path = fixture(GUIDELLM);
    let args = [
        "guidellm",
        report_path.to_str().unwrap(),
        "--gpu-name",
        "CPU 2core",
        "--results",
        out,
    ];
    let (code, err) = import(&args);
    assert_eq!(code, 0, "{err}");
    let report = json(&report_path);
    let benchmarks = report["benchmarks"].as_array().unwrap();
    let runs = filed(Path::new(out));
    assert_eq!(runs.len(), benchmarks.len(), "{err}");
    // Filed by start time, which is the benchmarks' order.
    for (run, b) in runs.iter().zip(benchmarks) {
        let strategy = &b["config"]["strategy"];
        let kind = strategy["type_"].as_str().unwrap();
        assert_eq!(run.get("strategy"), kind);
        assert!(
            run.name
                .starts_with("guidellm_CPU_2core_SmolLM2_135M_Instruct_2026"),
            "{}",
            run.name
        );
        assert_eq!(run.get("model"), "SmolLM2-135M-Instruct");
        assert_eq!(run.get("input_len"), "64");
        assert_eq!(run.get("output_len"), "32");
        match kind {
            "synchronous" => {
                assert_eq!(run.get("max_concurrency"), "1");
                assert!(!run.rows.contains_key("request_rate"));
            }
            "throughput" => assert_eq!(run.get("request_rate"), "inf"),
            "constant" => same(run.num("request_rate"), at(strategy, &["rate"]), "rate"),
            other => panic!("{other}"),
        }
        let m = &b["metrics"];
        for (metric, path, scale) in [
            (
                "ttft_mean",
                &["time_to_first_token_ms", "successful", "mean"][..],
                1.0,
            ),
            (
                "ttft_p99",
                &["time_to_first_token_ms", "successful", "percentiles", "p99"],
                1.0,
            ),
            (
                "ttft_std",
                &["time_to_first_token_ms", "successful", "std_dev"],
                1.0,
            ),
            (
                "tpot_median",
                &["inter_token_latency_ms", "successful", "median"],
                1.0,
            ),
            (
                "latency_per_token_p90",
                &[
                    "time_per_output_token_ms",
                    "successful",
                    "percentiles",
                    "p90",
                ],
                1.0,
            ),
            (
                "e2el_mean",
                &["request_latency", "successful", "mean"],
                1000.0,
            ),
            (
                "e2el_max",
                &["request_latency", "successful", "max"],
                1000.0,
            ),
            (
                "request_throughput",
                &["requests_per_second", "successful", "mean"],
                1.0,
            ),
            (
                "output_token_throughput",
                &["output_tokens_per_second", "successful", "mean"],
                1.0,
            ),
            (
                "successful_requests",
                &["request_totals", "successful"],
                1.0,
            ),
        ] {
            same(
                run.num(metric),
                at(m, path) * scale,
                &format!("{} {metric}", run.name),
            );
        }
        assert_eq!(run.unit("e2el_mean"), "ms");
    }
    // Importing again writes nothing.
    let (code, err) = import(&args);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("imported 0 runs"), "{err}");
    assert!(
        err.contains(&format!("({} already there", benchmarks.len())),
        "{err}"
    );
}

#[test]
fn guidellm_benchmarks_that_failed_or_hold_bad_values_are_named_by_number() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("results");
    let out = out.to_str().unwrap();
    let mut report = json(&fixture(GUIDELLM));
    let b = report["benchmarks"].as_array_mut().unwrap();
    b[1]["metrics"]["request_totals"]["successful"] = 0.into();
    b[1]["metrics"]["request_totals"]["errored"] = 12.into();
    b[2]["metrics"]["time_to_first_token_ms"]["successful"]["percentiles"]["p99"] =
        "__NAN__".into();
    b[3]["scheduler_metrics"]["start_time"] = 9.9e9.into();
    let text = serde_json::to_string(&report)
        .unwrap()
        .replace("\"__NAN__\"", "NaN");
    let file = dir.path().join("benchmarks.json");
    std::fs::write(&file, text).unwrap();
    let (code, err) = import(&[
        "guidellm",
        file.to_str().unwrap(),
        "--gpu-name",
        "G",
        "--results",
        out,
    ]);
    assert_eq!(code, 1, "{err}");
    let f = file.display();
    for expected in [
        format!("warning: {f}: benchmark 2: no request succeeded (12 errored); not a measurement"),
        format!(
            "warning: {f}: benchmark 3: `metrics.time_to_first_token_ms.successful.percentiles.p99` is NaN, not a finite number"
        ),
        format!(
            "warning: {f}: benchmark 4: `scheduler_metrics.start_time` is 9900000000, not a time between 1970 and 2100"
        ),
    ] {
        assert!(err.contains(&expected), "{expected}\n{err}");
    }
    assert_eq!(result_files(Path::new(out)).len(), 2, "{err}");
    // Not a report at all.
    let other = fixture(&format!(
        "{AIPERF}/concurrency_1/profile_export_aiperf.json"
    ));
    let (code, err) = import(&[
        "guidellm",
        other.to_str().unwrap(),
        "--gpu-name",
        "G",
        "--results",
        out,
    ]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("not a guidellm report (no `benchmarks` list)"),
        "{err}"
    );
}

// --- Charts over the imported sweep --------------------------------------------------------

#[test]
fn a_line_scene_charts_the_imported_sweep_level_by_level() {
    let dir = tempfile::tempdir().unwrap();
    let results = dir.path().join("results");
    let (code, err) = import(&[
        "genai-perf",
        fixture(AIPERF).to_str().unwrap(),
        "--gpu-name",
        "CPU 2core",
        "--results",
        results.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let scenes = dir.path().join("scenes");
    std::fs::create_dir(&scenes).unwrap();
    std::fs::write(
        scenes.join("aiperf.toml"),
        "kind = \"line\"\ntitle = \"aiperf sweep\"\nsubtitle = \"Output tokens per second\"\n\
         benchmark = \"aiperf_SmolLM2_135M_Instruct\"\nmetric = \"output_token_throughput\"\n\
         x = { field = \"max_concurrency\", label = \"Concurrent requests\" }\n\
         [[series]]\nlabel = \"CPU\"\ngpu = \"CPU_2core\"\n",
    )
    .unwrap();
    let data = run(&[
        "data",
        "aiperf",
        "--scenes",
        scenes.to_str().unwrap(),
        "--results",
        results.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(data.status.code(), Some(0), "{}", text(&data.stderr));
    let chart: Json = serde_json::from_slice(&data.stdout).unwrap();
    let points = chart["series"][0]["points"].as_array().unwrap();
    let xs: Vec<f64> = points.iter().map(|p| p["x"].as_f64().unwrap()).collect();
    assert_eq!(xs, [1.0, 2.0, 4.0, 8.0], "{chart}");
    for (point, level) in points.iter().zip(["1", "2", "4", "8"]) {
        let source = json(&fixture(&format!(
            "{AIPERF}/concurrency_{level}/profile_export_aiperf.json"
        )));
        same(
            point["y"].as_f64().unwrap(),
            at(&source, &["output_token_throughput", "avg"]),
            level,
        );
    }
    // And it renders.
    let out = dir.path().join("renders");
    let o = run(&[
        "render",
        "aiperf",
        "--scenes",
        scenes.to_str().unwrap(),
        "--results",
        results.to_str().unwrap(),
        "--format",
        "png",
        "-q",
        "l",
        "--quiet",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert!(out.join("aiperf.png").is_file());
}

// --- Garbage ---------------------------------------------------------------------------------

/// Copies of `seeds` cut, with bytes changed and with pieces of trouble put in.
fn mangled(seeds: &[Vec<u8>]) -> Vec<Vec<u8>> {
    let pieces: [&[u8]; 10] = [
        b"NaN",
        b"-Infinity",
        b"null",
        b"\"",
        b"{",
        b"]",
        b"1e999",
        b"-1",
        b"\xff",
        b"\n",
    ];
    let mut state: u64 = 0x5eed;
    let mut next = |n: usize| {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((state >> 33) % n.max(1) as u64) as usize
    };
    let mut out = vec![Vec::new(), b"{}".to_vec(), b"[]".to_vec(), b"[[[[".to_vec()];
    for seed in seeds {
        for _ in 0..60 {
            let mut bytes = seed.clone();
            let at = next(bytes.len());
            match next(3) {
                0 => bytes.truncate(at),
                1 => bytes[at] = next(256) as u8,
                _ => {
                    let piece = pieces[next(pieces.len())];
                    bytes.splice(at..at, piece.iter().copied());
                }
            }
            out.push(bytes);
        }
    }
    out
}

#[test]
fn garbage_gives_the_readers_an_error_never_a_panic() {
    use benchanim::import::{genai_perf, guidellm, sglang};
    let read = |p: &str| std::fs::read(fixture(p)).unwrap();
    let seeds = [
        read(&format!(
            "{AIPERF}/concurrency_2/profile_export_aiperf.json"
        )),
        read("genai_perf/ns/profile_export_genai_perf.json"),
        read(SGLANG),
    ];
    let export = Path::new("/r/concurrency_4/profile_export_aiperf.json");
    fn check<E: std::fmt::Display>(result: Result<benchanim::import::ServingRuns<E>, E>) {
        match result.map_err(|e| e.to_string()) {
            Ok(runs) => {
                for run in runs {
                    if let Err(why) = run.map_err(|e| e.to_string()) {
                        assert!(!why.trim().is_empty() && !why.contains('\n'), "{why:?}");
                    }
                }
            }
            Err(why) => assert!(!why.trim().is_empty() && !why.contains('\n'), "{why:?}"),
        }
    }
    for bytes in mangled(&seeds) {
        check(genai_perf::parse_export(
            export,
            &bytes,
            "G",
            "20260301_101500",
        ));
        check(sglang::parse_lines(
            Path::new("/r/x.jsonl"),
            &bytes,
            "G",
            Some("m"),
            "20260301_101500",
        ));
        check(guidellm::parse_report(
            Path::new("/r/benchmarks.json"),
            &bytes,
            "G",
        ));
    }
    // guidellm's report is big: a few cuts of it.
    let report = read(GUIDELLM);
    for cut in [1, 100, report.len() / 3, report.len() - 2] {
        check(guidellm::parse_report(
            Path::new("/r/b.json"),
            &report[..cut],
            "G",
        ));
    }
}
