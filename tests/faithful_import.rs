//! What importers file is what the source said: every digit, no failed run as a measurement,
//! no impossible value, no run hidden by another, and a batch that survives one bad member.

mod bench_support;

use std::path::{Path, PathBuf};

use bench_support::{Result, result_files, run, text};
use serde_json::Value as Json;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// Runs `benchanim import …` into `out`; the exit code and what it said.
fn import(args: &[&str], out: &Path) -> (i32, String) {
    let mut all: Vec<&str> = vec!["import"];
    all.extend(args);
    all.extend(["--results", out.to_str().unwrap()]);
    let o = run(&all);
    (o.status.code().unwrap_or(-1), text(&o.stderr))
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// `written` and `source` are the same number to the source's last digit.
fn same_number(written: f64, source: f64, what: &str) {
    let err = if source == 0.0 {
        written.abs()
    } else {
        ((written - source) / source).abs()
    };
    assert!(
        err < 1e-9,
        "{what}: wrote {written}, the source says {source}"
    );
}

#[test]
fn vllm_results_keep_every_digit_of_the_source() {
    let dir = tempfile::tempdir().unwrap();
    let source = dir.path().join("run.json");
    let mut result: Json =
        serde_json::from_slice(&std::fs::read(fixture("vllm_bench_serve.json")).unwrap()).unwrap();
    // Figures with more digits than any display shows.
    result["request_throughput"] = 0.2456.into();
    result["duration"] = 0.005_031_7.into();
    result["mean_ttft_ms"] = 282.531_234_567_8.into();
    result["p99_itl_ms"] = 0.051_75.into();
    std::fs::write(&source, result.to_string()).unwrap();
    let out = dir.path().join("results");
    let (code, said) = import(
        &[
            "vllm-json",
            source.to_str().unwrap(),
            "--gpu-name",
            "NVIDIA GB10",
        ],
        &out,
    );
    assert_eq!(code, 0, "{said}");
    let r = Result::only_in(&out);
    for (ours, theirs) in [
        ("request_throughput", "request_throughput"),
        ("benchmark_duration", "duration"),
        ("output_token_throughput", "output_throughput"),
        ("total_token_throughput", "total_token_throughput"),
        ("ttft_mean", "mean_ttft_ms"),
        ("ttft_median", "median_ttft_ms"),
        ("ttft_p99", "p99_ttft_ms"),
        ("tpot_mean", "mean_tpot_ms"),
        ("itl_p99", "p99_itl_ms"),
        ("e2el_p99", "p99_e2el_ms"),
    ] {
        same_number(r.num(ours), result[theirs].as_f64().unwrap(), ours);
    }
    assert_eq!(r.text("request_throughput"), "0.2456");
    assert_eq!(r.text("benchmark_duration"), "0.0050317");
    assert_eq!(r.text("itl_p99"), "0.05175");
    // Computed from the source: total input tokens over the duration, unrounded.
    same_number(
        r.num("input_token_throughput"),
        91168.0 / 0.005_031_7,
        "input_token_throughput",
    );
}

#[test]
fn llama_bench_keeps_every_digit_and_repeats_become_one_row() {
    let dir = tempfile::tempdir().unwrap();
    let source = std::fs::read_to_string(fixture("llama_bench.json")).unwrap();
    let entries: Vec<Json> = serde_json::from_str(&source).unwrap();
    let out = dir.path().join("results");
    let (code, said) = import(
        &["llama-bench", fixture("llama_bench.json").to_str().unwrap()],
        &out,
    );
    assert_eq!(code, 0, "{said}");
    let files = result_files(&out);
    assert!(!files.is_empty());
    let mut checked = 0;
    for entry in &entries {
        let test = match (entry["n_prompt"].as_u64(), entry["n_gen"].as_u64()) {
            (Some(p), Some(0)) => format!("pp{p}"),
            (Some(0), Some(g)) => format!("tg{g}"),
            _ => continue,
        };
        let metric = format!("{test}_tokens_per_second");
        for file in &files {
            let (run, _) = benchanim::results::ResultFile::read(file, None).unwrap();
            if let Some(v) = run.number(&metric) {
                same_number(v, entry["avg_ts"].as_f64().unwrap(), &metric);
                same_number(
                    run.number(&format!("{test}_stddev")).unwrap(),
                    entry["stddev_ts"].as_f64().unwrap(),
                    "stddev",
                );
                checked += 1;
            }
        }
    }
    assert!(checked >= 2, "checked {checked} tests");

    // The same test twice in one file (outputs appended): one row, their mean, with n.
    let twice = dir.path().join("twice.jsonl");
    let first = &entries[0];
    let mut second = first.clone();
    second["avg_ts"] = (first["avg_ts"].as_f64().unwrap() + 2.0).into();
    std::fs::write(&twice, format!("{first}\n{second}\n")).unwrap();
    let out2 = dir.path().join("results2");
    let (code, said) = import(&["llama-bench", twice.to_str().unwrap()], &out2);
    assert_eq!(code, 0, "{said}");
    let r = Result::only_in(&out2);
    let test = if first["n_gen"].as_u64() == Some(0) {
        format!("pp{}", first["n_prompt"])
    } else {
        format!("tg{}", first["n_gen"])
    };
    same_number(
        r.num(&format!("{test}_tokens_per_second")),
        first["avg_ts"].as_f64().unwrap() + 1.0,
        "mean of the repeats",
    );
    assert_eq!(r.text(&format!("{test}_n")), "2");

    // A test of nothing is refused, naming the entry.
    let mut nothing = first.clone();
    nothing["n_prompt"] = 0.into();
    nothing["n_gen"] = 0.into();
    let empty = dir.path().join("nothing.json");
    std::fs::write(&empty, format!("[{nothing}]")).unwrap();
    let (code, said) = import(
        &["llama-bench", empty.to_str().unwrap()],
        &dir.path().join("r3"),
    );
    assert_eq!(code, 1);
    assert!(
        said.contains("entry 1") && said.contains("tested nothing"),
        "{said}"
    );
    assert!(!dir.path().join("r3").exists() || result_files(&dir.path().join("r3")).is_empty());
}

/// A vLLM result with `completed` requests and the rest of the fixture's figures.
fn vllm_result(completed: u64, date: &str) -> Json {
    let mut result: Json =
        serde_json::from_slice(&std::fs::read(fixture("vllm_bench_serve.json")).unwrap()).unwrap();
    result["completed"] = completed.into();
    result["date"] = date.into();
    if completed == 0 {
        result["failed"] = 100.into();
        for key in [
            "mean_ttft_ms",
            "median_ttft_ms",
            "p99_ttft_ms",
            "mean_e2el_ms",
        ] {
            result[key] = 0.0.into();
        }
    }
    result
}

#[test]
fn a_run_whose_requests_all_failed_is_never_a_measurement() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("runs");
    write(
        &folder.join("good.json"),
        &vllm_result(100, "20260203-055449").to_string(),
    );
    write(
        &folder.join("failed.json"),
        &vllm_result(0, "20260204-055449").to_string(),
    );
    let out = dir.path().join("results");
    let (code, said) = import(
        &[
            "vllm-json",
            folder.to_str().unwrap(),
            "--gpu-name",
            "NVIDIA GB10",
        ],
        &out,
    );
    assert_eq!(code, 1, "a source was refused: {said}");
    assert!(
        said.contains("failed.json") && said.contains("no request succeeded"),
        "{said}"
    );
    let files = result_files(&out);
    assert_eq!(files.len(), 1, "{files:?}");
    let r = Result::only_in(&out);
    assert_eq!(r.text("timestamp"), "20260203_055449");
    // The report shows the good run's latency, not the failed run's zero.
    let o = run(&[
        "report",
        "--results",
        out.to_str().unwrap(),
        "--format",
        "json",
        "--metrics",
        "ttft_mean",
    ]);
    let report: Json = serde_json::from_slice(&o.stdout).unwrap();
    let value = &report["sections"][0]["benchmarks"][0]["metrics"][0]["values"]["NVIDIA_GB10"];
    same_number(value.as_f64().unwrap(), 282.5312, "ttft_mean in the report");
}

#[test]
fn impossible_values_are_refused_by_name() {
    let dir = tempfile::tempdir().unwrap();
    // A date no clock shows.
    let bad_date = dir.path().join("date.json");
    write(&bad_date, &vllm_result(100, "99999999-999999").to_string());
    let (code, said) = import(
        &["vllm-json", bad_date.to_str().unwrap(), "--gpu-name", "G"],
        &dir.path().join("r1"),
    );
    assert_eq!(code, 1);
    assert!(said.contains("99999999"), "{said}");
    assert!(result_files(&dir.path().join("r1")).is_empty());

    // A latency that overflows when it becomes ms.
    let ray = dir.path().join("ray/summary_20240101-000001.json");
    write(
        &ray,
        r#"{"benchmark_time": 10.0, "output_throughput_tokens_per_s": 5.0, "avg_latency": 1e308}"#,
    );
    let (code, said) = import(
        &["llm-on-ray", ray.to_str().unwrap(), "--gpu-name", "G"],
        &dir.path().join("r2"),
    );
    assert_eq!(code, 1, "{said}");
    assert!(
        said.contains("e2el_mean") && said.contains("not a finite number"),
        "{said}"
    );
    assert!(result_files(&dir.path().join("r2")).is_empty());

    // Event logs: a NaN start, two runs in one log, an iteration twice.
    let start = r#"{"type": "run_start", "timestamp": 1765226457.79, "model_name": "m", "tag": "a", "batch_size": 8, "seq_len": 128}"#;
    let cases = [
        (
            "nan",
            r#"{"type": "run_start", "timestamp": NaN, "model_name": "m", "tag": "a"}"#.to_string(),
            "`timestamp` is \"NaN\", not a time",
        ),
        (
            "two_runs",
            format!("{start}\n{start}\n"),
            "a second `run_start`",
        ),
        (
            "twice",
            format!(
                "{start}\n{{\"type\": \"iteration\", \"iter\": 0, \"latency_ms\": 5.0}}\n{{\"type\": \"iteration\", \"iter\": 0, \"latency_ms\": 5.0}}\n"
            ),
            "iteration 0 at line 3 is already at line 2",
        ),
        (
            "busy",
            format!(
                "{start}\n{{\"type\": \"iteration\", \"iter\": 0, \"latency_ms\": 3000.0}}\n{{\"type\": \"time_elapsed\", \"sec\": 1.0}}\n"
            ),
            "more than the whole run",
        ),
    ];
    for (name, log, expected) in cases {
        let exp = dir.path().join("mt").join(name);
        write(&exp.join("a/events.jsonl"), &log);
        write(&exp.join("config.yaml"), "mps: false\n");
        let out = dir.path().join(format!("r_{name}"));
        let (code, said) = import(
            &["multitenant", exp.to_str().unwrap(), "--gpu-name", "G"],
            &out,
        );
        assert_eq!(code, 1, "{name}: {said}");
        assert!(said.contains(expected), "{name}: {said}");
        assert!(
            said.contains("events.jsonl"),
            "{name} names the file: {said}"
        );
    }
}

#[test]
fn model_folders_that_sanitize_alike_are_not_filed_as_one() {
    let dir = tempfile::tempdir().unwrap();
    let base = dir.path().join("sweep_configs");
    let one = std::fs::read_dir(fixture("sweep_configs"))
        .unwrap()
        .flatten()
        .flat_map(|model| std::fs::read_dir(model.path()).unwrap().flatten())
        .map(|run| run.path().join("benchmark_results.json"))
        .find(|p| p.is_file())
        .expect("a sweep-configs fixture run");
    let bytes = std::fs::read(&one).unwrap();
    for folder in ["Model_A", "Model-A"] {
        let path = base
            .join(folder)
            .join("run_20250612_143015/benchmark_results.json");
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, &bytes).unwrap();
    }
    let out = dir.path().join("results");
    let (code, said) = import(
        &["sweep-configs", base.to_str().unwrap(), "--gpu-name", "G"],
        &out,
    );
    assert_eq!(code, 1, "{said}");
    assert!(
        said.contains("`Model-A` and `Model_A` both become")
            || said.contains("`Model_A` and `Model-A` both become"),
        "{said}"
    );
    assert_eq!(result_files(&out).len(), 1);
}

/// An experiment folder with one tenant's log, `mps` from `yaml` when given.
fn experiment(root: &Path, name: &str, start: f64, yaml: Option<&str>) {
    let log = format!(
        "{{\"type\": \"run_start\", \"timestamp\": {start}, \"model_name\": \"org/m\", \"tag\": \"t0\", \"batch_size\": 8, \"seq_len\": 128}}\n{{\"type\": \"iteration\", \"iter\": 0, \"latency_ms\": 12.5}}\n{{\"type\": \"iteration\", \"iter\": 1, \"latency_ms\": 13.25}}\n"
    );
    write(&root.join(name).join("t0/events.jsonl"), &log);
    if let Some(yaml) = yaml {
        write(&root.join(name).join("config.yaml"), yaml);
    }
}

#[test]
fn one_experiment_without_its_yaml_does_not_stop_the_others() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    experiment(&data, "exp_a", 1_765_226_457.0, Some("mps: true\n"));
    experiment(&data, "exp_b", 1_765_226_557.0, Some("mps: false\n"));
    experiment(&data, "exp_c", 1_765_226_657.0, Some("mps: false\n"));
    experiment(&data, "Exp_D", 1_765_226_757.0, None);
    let out = dir.path().join("results");
    let (code, said) = import(
        &["multitenant", data.to_str().unwrap(), "--gpu-name", "G"],
        &out,
    );
    assert_eq!(code, 1, "{said}");
    assert!(said.contains("Exp_D") && said.contains("mps"), "{said}");
    // Three experiments: a tenant file and an experiment file each.
    assert_eq!(result_files(&out).len(), 6, "{said}");

    // Its YAML kept apart, under another capitalisation, is found by the experiment's name.
    let configs = dir.path().join("configs");
    write(&configs.join("exp_d.YAML"), "mps: true\n");
    let (code, said) = import(
        &[
            "multitenant",
            data.to_str().unwrap(),
            "--gpu-name",
            "G",
            "--config-dir",
            configs.to_str().unwrap(),
        ],
        &out,
    );
    assert_eq!(code, 0, "{said}");
    assert_eq!(result_files(&out).len(), 8, "{said}");
}

/// A result file of `benchmark` on GPU `G` at `time` with these rows.
fn result(dir: &Path, benchmark: &str, time: &str, rows: &str) {
    write(
        &dir.join("G").join(format!("vLLM_G_{benchmark}_{time}.csv")),
        &format!("metric,value,unit\ntimestamp,{time},\n{rows}"),
    );
}

/// The report's columns for each benchmark, as JSON.
fn report_columns(results: &Path) -> Vec<(String, Vec<String>, Json)> {
    let o = run(&[
        "report",
        "--results",
        results.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let report: Json = serde_json::from_slice(&o.stdout).unwrap();
    let mut out = Vec::new();
    for section in report["sections"].as_array().unwrap() {
        for b in section["benchmarks"].as_array().unwrap() {
            let columns = b["columns"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c.as_str().unwrap().to_string())
                .collect();
            out.push((
                b["benchmark"].as_str().unwrap().to_string(),
                columns,
                b.clone(),
            ));
        }
    }
    out
}

#[test]
fn report_shows_every_level_and_tenant() {
    let dir = tempfile::tempdir().unwrap();
    let r = dir.path();
    // A request-rate sweep stored as floats.
    for (i, rate) in ["1.0", "4.0", "inf"].iter().enumerate() {
        result(
            r,
            "rate",
            &format!("2026010{}_000000", i + 1),
            &format!(
                "request_rate,{rate},req/s\noutput_token_throughput,{}.5,tok/s\n",
                10 * (i + 1)
            ),
        );
    }
    // A max_num_seqs sweep, two iterations per level.
    for (i, (seqs, iteration, tput)) in [(4, 0, 100.0), (4, 1, 110.0), (8, 0, 200.0), (8, 1, 220.0)]
        .iter()
        .enumerate()
    {
        result(
            r,
            "seqs",
            &format!("2026020{}_000000", i + 1),
            &format!(
                "max_num_seqs,{seqs},\niteration,{iteration},\noutput_token_throughput,{tput},tok/s\n"
            ),
        );
    }
    // Two tenants of one model in one experiment.
    for (i, tenant) in ["chat", "code"].iter().enumerate() {
        result(
            r,
            "tenants",
            &format!("2026030{}_000000", i + 1),
            &format!(
                "experiment,pair,\ntenant,{tenant},\noutput_token_throughput,{}.0,tok/s\n",
                50 + i
            ),
        );
    }
    let tables = report_columns(r);
    let columns = |id: &str| {
        tables
            .iter()
            .find(|(b, _, _)| b.ends_with(id))
            .unwrap_or_else(|| panic!("no {id} in {tables:?}"))
            .clone()
    };
    let (_, rate, table) = columns("rate");
    assert_eq!(
        rate,
        [
            "G · request_rate=1",
            "G · request_rate=4",
            "G · request_rate=inf"
        ]
    );
    let values = &table["metrics"][0]["values"];
    same_number(
        values["G · request_rate=4"].as_f64().unwrap(),
        20.5,
        "rate 4",
    );
    let (_, seqs, table) = columns("seqs");
    assert_eq!(seqs, ["G · max_num_seqs=4", "G · max_num_seqs=8"]);
    assert_eq!(table["runs"]["G · max_num_seqs=8"], 2);
    let values = &table["metrics"][0]["values"];
    same_number(
        values["G · max_num_seqs=4"].as_f64().unwrap(),
        105.0,
        "mean of 4",
    );
    same_number(
        values["G · max_num_seqs=8"].as_f64().unwrap(),
        210.0,
        "mean of 8",
    );
    let (_, tenants, _) = columns("tenants");
    assert_eq!(tenants, ["G · tenant=chat", "G · tenant=code"]);

    // Markdown names what differs and how many runs a column averages.
    let o = run(&["report", "--results", r.to_str().unwrap()]);
    let md = text(&o.stdout);
    assert!(md.contains("runs differ in max_num_seqs"), "{md}");
    assert!(md.contains("G · max_num_seqs=8 (mean of 2)"), "{md}");
    // --where narrows the columns, numbers matched by value.
    let o = run(&[
        "report",
        "--results",
        r.to_str().unwrap(),
        "--where",
        "request_rate=4",
        "--format",
        "json",
    ]);
    let report: Json = serde_json::from_slice(&o.stdout).unwrap();
    let benchmarks = &report["sections"][0]["benchmarks"];
    assert_eq!(benchmarks.as_array().unwrap().len(), 1, "{report}");
    assert_eq!(benchmarks[0]["metrics"][0]["values"]["G"], 20.5);
}

#[test]
fn wide_tables_leave_failed_rows_and_indexes_out_of_the_figures() {
    let dir = tempfile::tempdir().unwrap();
    let table = dir.path().join("llm_bench_20250401_145415.csv");
    write(
        &table,
        "run,model,latency,ttft_ms,memory_usage,success\n\
         1,m,1.5,100.25,512,True\n\
         2,m,2.5,120.75,514,True\n\
         3,m,300,0,0,False\n",
    );
    let out = dir.path().join("results");
    let (code, said) = import(
        &[
            "table",
            table.to_str().unwrap(),
            "--gpu-name",
            "G",
            "--group-by",
            "model",
        ],
        &out,
    );
    assert_eq!(code, 0, "{said}");
    let r = Result::only_in(&out);
    // The family is the file's name without its time; the time is the name's.
    assert!(
        r.file
            .path
            .file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("llm_bench_G_m_20250401_145415"),
        "{:?}",
        r.file.path
    );
    same_number(r.num("latency"), 2.0, "latency without the timeout");
    same_number(r.num("ttft_ms"), 110.5, "ttft without the failure");
    assert_eq!(r.text("failed_requests"), "1");
    assert_eq!(r.text("runs"), "2");
    assert!(!r.has("run"), "an index column is never averaged");
    let unit = |metric: &str| {
        r.file
            .rows
            .iter()
            .find(|row| row.metric == metric)
            .map(|row| row.unit.clone())
            .unwrap()
    };
    assert_eq!(unit("latency"), "s");
    assert_eq!(unit("ttft_ms"), "ms");
    assert_eq!(unit("memory_usage"), "MB");

    // --failed-if names the column and value; a run of failed rows is not filed.
    let other = dir.path().join("other.csv");
    write(&other, "model,status,tps\nm,timeout,0\nm,timeout,0\n");
    let (code, said) = import(
        &[
            "table",
            other.to_str().unwrap(),
            "--gpu-name",
            "G",
            "--group-by",
            "model",
            "--failed-if",
            "status=timeout",
        ],
        &dir.path().join("r2"),
    );
    assert_eq!(code, 1, "{said}");
    assert!(said.contains("failed"), "{said}");
    assert!(result_files(&dir.path().join("r2")).is_empty());
}
