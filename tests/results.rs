//! Reading and collating result files: every quirk of real files, latest-wins, the derived
//! metric, and bad input.

use std::fs;
use std::path::Path;

use benchanim::results::{Direction, ResultFile, Table, Value, load};

fn write(dir: &Path, gpu: &str, name: &str, body: &[u8]) {
    fs::create_dir_all(dir.join(gpu)).unwrap();
    fs::write(dir.join(gpu).join(name), body).unwrap();
}

const VLLM: &str = "metric,value,unit
device,NVIDIA GB10,
device_sanitized,NVIDIA_GB10,
model,openai/gpt-oss-20b,
timestamp,20260203_055449,
num_prompts,100,
max_concurrency,10,
input_len,1000,tokens
image_bucket,\"512x512(20%) 720x1280(30%)\",
thinking_disabled,True,
successful_requests,N/A,
benchmark_duration,130.50,s
output_token_throughput,230.00,tok/s
total_token_throughput,1768.38,tok/s
ttft_p99,3255.84,ms
";

#[test]
fn reads_every_quirk_of_real_files() {
    let text = "metric,value,unit
device,CUDA - NVIDIA GB10,
model_name,google/gemma-3-270m-it,
timestamp,20260130_040051,
total_parameters,\"268,098,176\",
gradient_checkpointing,False,
learning_rate,5e-05,
mm_bucket_config,\"{(2556; 1179; 1): 0.25; (1080; 1920; 1): 0.25}\",
total_train_time,343.20,seconds

# Per-bucket metrics
bucket_a_true_prompt_throughput,749.69,tok/s
";
    let path = Path::new(
        "NVIDIA_GB10/llm_finetune_bench_NVIDIA_GB10_gemma_3_270m_it_epochs_3_20260130_035431.csv",
    );
    let (file, warnings) = ResultFile::parse(path, Some("NVIDIA_GB10"), text.as_bytes()).unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(file.family, "llm_finetune_bench");
    assert_eq!(
        file.benchmark,
        "llm_finetune_bench_gemma_3_270m_it_epochs_3"
    );
    // The timestamp row wins over the file name.
    assert_eq!(file.timestamp, "20260130_040051");
    assert_eq!(file.number("total_parameters"), Some(268_098_176.0));
    assert_eq!(
        file.get("gradient_checkpointing").unwrap().value,
        Value::Bool(false)
    );
    assert_eq!(file.number("learning_rate"), Some(5e-5));
    assert_eq!(
        file.get("mm_bucket_config").unwrap().value.to_text(),
        "{(2556; 1179; 1): 0.25; (1080; 1920; 1): 0.25}"
    );
    let bucket = file.get("bucket_a_true_prompt_throughput").unwrap();
    assert_eq!(bucket.section.as_deref(), Some("Per-bucket metrics"));
    assert_eq!(bucket.line, 12);
    assert_eq!(file.get("total_train_time").unwrap().unit, "seconds");
    assert_eq!(file.get("device").unwrap().unit, "");
}

#[test]
fn timestamp_falls_back_to_the_file_name() {
    let text = "metric,value,unit\ntotal_time,1.5,seconds\n";
    let path = Path::new("x/flux_bench_NVIDIA_GB10_FLUX_n100_20260130_022146.csv");
    let (file, _) = ResultFile::parse(path, Some("NVIDIA_GB10"), text.as_bytes()).unwrap();
    assert_eq!(file.timestamp, "20260130_022146");
    assert_eq!(file.benchmark, "flux_bench_FLUX_n100");
}

#[test]
fn unknown_prefix_is_its_own_family() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "NVIDIA_GB10",
        "whisper_bench_NVIDIA_GB10_large_v3_20260101_120000.csv",
        b"metric,value,unit\nrealtime_factor_speed,41.2,x\n",
    );
    let (files, warnings) = load(dir.path()).unwrap();
    assert!(warnings.is_empty());
    let table = Table::collate(files);
    let b = table.benchmark("whisper_bench_large_v3").unwrap();
    assert_eq!(b.family, "whisper_bench");
    assert_eq!(
        table
            .cell(
                "whisper_bench_large_v3",
                "NVIDIA_GB10",
                "realtime_factor_speed"
            )
            .unwrap()
            .value,
        41.2
    );
}

#[test]
fn newest_run_counts_and_older_runs_stay() {
    let dir = tempfile::tempdir().unwrap();
    let old = VLLM
        .replace("20260203_055449", "20260129_043248")
        .replace("230.00", "100.00");
    write(
        dir.path(),
        "NVIDIA_GB10",
        "vLLM_NVIDIA_GB10_gpt_oss_20b_20260129_043248.csv",
        old.as_bytes(),
    );
    write(
        dir.path(),
        "NVIDIA_GB10",
        "vLLM_NVIDIA_GB10_gpt_oss_20b_20260203_055449.csv",
        VLLM.as_bytes(),
    );
    let (files, _) = load(dir.path()).unwrap();
    let table = Table::collate(files);
    let b = table.benchmark("vLLM_gpt_oss_20b").unwrap();
    assert_eq!(b.runs.len(), 2);
    assert_eq!(
        b.latest("NVIDIA_GB10").unwrap().timestamp,
        "20260203_055449"
    );
    assert_eq!(
        table
            .cell("vLLM_gpt_oss_20b", "NVIDIA_GB10", "output_token_throughput")
            .unwrap()
            .value,
        230.0
    );
}

#[test]
fn input_throughput_is_total_minus_output() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "NVIDIA_GB10",
        "vLLM_NVIDIA_GB10_a_20260203_055449.csv",
        VLLM.as_bytes(),
    );
    let own = format!("{VLLM}input_token_throughput,1500.00,tok/s\n");
    write(
        dir.path(),
        "NVIDIA_GB10",
        "vLLM_NVIDIA_GB10_b_20260203_055449.csv",
        own.as_bytes(),
    );
    let table = Table::collate(load(dir.path()).unwrap().0);
    let derived = table
        .cell("vLLM_a", "NVIDIA_GB10", "input_token_throughput")
        .unwrap();
    assert_eq!(
        (derived.text.as_str(), derived.value, derived.unit.as_str()),
        ("1538.38", 1538.38, "tok/s")
    );
    // A file that carries the metric keeps its own value.
    assert_eq!(
        table
            .cell("vLLM_b", "NVIDIA_GB10", "input_token_throughput")
            .unwrap()
            .value,
        1500.0
    );
}

#[test]
fn config_and_direction() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "NVIDIA_GB10",
        "vLLM_NVIDIA_GB10_a_20260203_055449.csv",
        VLLM.as_bytes(),
    );
    let table = Table::collate(load(dir.path()).unwrap().0);
    let b = table.benchmark("vLLM_a").unwrap();
    let config = b.config();
    assert!(config.contains(&("model".into(), "openai/gpt-oss-20b".into())));
    assert!(config.contains(&("thinking_disabled".into(), "True".into())));
    assert!(!config.iter().any(|(k, _)| k == "device"));
    let headline = b.headline_metrics(&table.catalog);
    assert!(headline.contains(&"input_token_throughput".to_string()));
    assert!(!headline.contains(&"num_prompts".to_string()));
    assert_eq!(Direction::of("ttft_p99", "ms"), Some(Direction::Lower));
    assert_eq!(
        Direction::of("input_token_throughput", "tok/s"),
        Some(Direction::Higher)
    );
}

fn warnings_for(body: &[u8]) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "NVIDIA_GB10",
        "bad_NVIDIA_GB10_x_20260101_000000.csv",
        body,
    );
    write(
        dir.path(),
        "NVIDIA_GB10",
        "vLLM_NVIDIA_GB10_good_20260203_055449.csv",
        VLLM.as_bytes(),
    );
    let (files, warnings) = load(dir.path()).unwrap();
    // The good file always loads.
    assert!(
        files.iter().any(|f| f.benchmark == "vLLM_good"),
        "good file lost"
    );
    warnings.iter().map(ToString::to_string).collect()
}

#[test]
fn bad_input_warns_with_file_and_line() {
    let cases: [(&[u8], &str); 10] = [
        (b"", "file is empty"),
        (b"\x00\x01\x02binary", "binary"),
        (
            b"metric,value,unit\ntotal_time,\xff\xfe,s\n",
            ":2: file is not UTF-8",
        ),
        (
            b"metric,value,unit\njust_one_column\n",
            ":2: expected `metric,value,unit`, found one column",
        ),
        (
            b"metric,value,unit\ntotal_time,fast,seconds\n",
            ":2: total_time: expected a number, found `fast`",
        ),
        (
            b"metric,value,unit\ntotal_time,NaN,seconds\n",
            ":2: total_time: `NaN` is not a finite number; treated as missing",
        ),
        (
            b"metric,value,unit\ntotal_time,1,seconds\nimages_per_second,-inf,img/s\n",
            ":3: images_per_second: `-inf` is not a finite number",
        ),
        (
            b"metric,value,unit\ntotal_time,1e400,seconds\n",
            ":2: total_time: `1e400` is out of range",
        ),
        (
            b"metric,value,unit\ntotal_time,-4.5,seconds\n",
            ":2: total_time: `-4.5` is negative",
        ),
        (
            b"time,value\n1,2\n",
            ":1: expected the header `metric,value,unit`",
        ),
    ];
    for (body, expected) in cases {
        let warnings = warnings_for(body);
        assert!(
            warnings.iter().any(
                |w| w.contains("bad_NVIDIA_GB10_x_20260101_000000.csv") && w.contains(expected)
            ),
            "expected a warning containing {expected:?}, got {warnings:?}"
        );
    }
}

#[test]
fn a_stray_quote_costs_its_row_only() {
    let dir = tempfile::tempdir().unwrap();
    let body = "metric,value,unit\nmodel,\"gpt-oss-20b,\ntotal_time,343.2,seconds\npeak_memory_gb,12.5,GB\n";
    write(
        dir.path(),
        "NVIDIA_GB10",
        "llm_finetune_bench_NVIDIA_GB10_x_20260101_000000.csv",
        body.as_bytes(),
    );
    let (files, warnings) = load(dir.path()).unwrap();
    let warnings: Vec<String> = warnings.iter().map(ToString::to_string).collect();
    assert!(
        warnings.iter().any(|w| w
            .contains("llm_finetune_bench_NVIDIA_GB10_x_20260101_000000.csv:2")
            && w.contains("unterminated quote")),
        "{warnings:?}"
    );
    assert_eq!(files[0].number("total_time"), Some(343.2));
    assert_eq!(files[0].number("peak_memory_gb"), Some(12.5));

    // A second stray quote further down closes the first: the rows between are not text.
    let body = "metric,value,unit\nmodel,\"gpt-oss-20b,\ntotal_time,343.2,seconds\nnote,oops\",\npeak_memory_gb,12.5,GB\n";
    let (file, warnings) = ResultFile::parse(
        Path::new("NVIDIA_GB10/llm_finetune_bench_NVIDIA_GB10_x_20260101_000000.csv"),
        Some("NVIDIA_GB10"),
        body.as_bytes(),
    )
    .unwrap();
    assert!(!warnings.is_empty());
    assert_eq!(warnings[0].line, Some(2), "{warnings:?}");
    assert_eq!(file.number("total_time"), Some(343.2));
    assert_eq!(file.number("peak_memory_gb"), Some(12.5));
}

#[test]
fn oversized_file_is_skipped_with_a_warning() {
    let mut body = b"metric,value,unit\n".to_vec();
    while body.len() < 100 * 1024 * 1024 {
        body.extend_from_slice(b"padding_metric,1,x\n".repeat(4096).as_slice());
    }
    let warnings = warnings_for(&body);
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("MB, more than a result file can be")),
        "{warnings:?}"
    );
}

#[test]
fn empty_or_missing_folder_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let err = load(dir.path()).unwrap_err().to_string();
    assert!(err.contains("holds no result files"), "{err}");
    let err = load(&dir.path().join("nope")).unwrap_err().to_string();
    assert!(err.contains("does not exist"), "{err}");
}

#[cfg(unix)]
#[test]
fn odd_entries_are_skipped_with_a_warning_and_a_file_is_not_a_folder() {
    let dir = tempfile::tempdir().unwrap();
    let gpu = dir.path().join("NVIDIA_GB10");
    write(
        dir.path(),
        "NVIDIA_GB10",
        "vLLM_NVIDIA_GB10_good_20260203_055449.csv",
        VLLM.as_bytes(),
    );
    std::fs::create_dir(gpu.join("folder.csv")).unwrap();
    let fifo = std::ffi::CString::new(gpu.join("fifo.csv").to_str().unwrap()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o644) }, 0);
    std::os::unix::fs::symlink(gpu.join("loop.csv"), gpu.join("loop.csv")).unwrap();
    std::os::unix::fs::symlink("/dev/zero", gpu.join("zero.csv")).unwrap();
    let (files, warnings) = load(dir.path()).unwrap();
    assert_eq!(files.len(), 1);
    let warnings: Vec<String> = warnings.iter().map(ToString::to_string).collect();
    assert_eq!(warnings.len(), 4, "{warnings:?}");
    for (name, why) in [
        ("fifo.csv", "not a regular file"),
        ("zero.csv", "not a regular file"),
        ("folder.csv", "a folder"),
        ("loop.csv", "cannot read"),
    ] {
        assert!(
            warnings.iter().any(|w| w.contains(name) && w.contains(why)),
            "{name}: {warnings:?}"
        );
    }
    let file = gpu.join("vLLM_NVIDIA_GB10_good_20260203_055449.csv");
    let e = load(&file).unwrap_err().to_string();
    assert!(e.contains("is a file; --results takes the folder"), "{e}");
}

/// A field added after a section's rows is still the run's own: the file has it above the
/// section, where a reader finds it.
#[test]
fn fields_added_after_a_section_are_written_above_it() {
    use benchanim::results::{Record, ResultFile, Row};
    let dir = tempfile::tempdir().unwrap();
    let mut point = Row::number("0.5", 120.0, 1, "ms");
    point.section = Some(benchanim::results::series_title("e2el_ms", "time_s"));
    let record = Record {
        family: "vLLM".into(),
        benchmark: "vLLM_m".into(),
        timestamp: "20260101_120000".into(),
        rows: vec![
            Row::text("timestamp", "20260101_120000"),
            point,
            Row::text("partial", "true"),
        ],
    };
    let path = record.write(dir.path(), "G").unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    assert_eq!(
        text,
        "metric,value,unit\ntimestamp,20260101_120000,\npartial,true,\n\n\
         # series e2el_ms by time_s\n0.5,120.0,ms\n"
    );
    let (file, _) = ResultFile::read(&path, None).unwrap();
    assert_eq!(file.field("partial").unwrap().to_text(), "True");
}

#[test]
fn a_run_whose_name_is_taken_moves_to_the_next_free_second() {
    use benchanim::results::{Record, Row};
    let dir = tempfile::tempdir().unwrap();
    let record = Record {
        family: "vLLM".into(),
        benchmark: "vLLM_m".into(),
        timestamp: "20261231_235959".into(),
        rows: vec![
            Row::text("timestamp", "20261231_235959"),
            Row::number("output_token_throughput", 12.5, 2, "tok/s"),
        ],
    };
    let first = record.write_unique(dir.path(), "G").unwrap();
    let second = record.write_unique(dir.path(), "G").unwrap();
    assert!(
        first.ends_with("G/vLLM_G_m_20261231_235959.csv"),
        "{first:?}"
    );
    assert!(
        second.ends_with("G/vLLM_G_m_20270101_000000.csv"),
        "{second:?}"
    );
    let text = std::fs::read_to_string(&second).unwrap();
    assert!(text.contains("timestamp,20270101_000000,"), "{text}");
    assert!(
        text.contains("timestamp_original,20261231_235959,"),
        "{text}"
    );
}

/// Tenants of an experiment file at the same moment: each gets a name of its own, however
/// their looks and writes interleave.
#[test]
fn runs_filed_at_once_under_one_name_each_get_a_file() {
    use benchanim::results::{Record, Row};
    let dir = tempfile::tempdir().unwrap();
    let record = Record {
        family: "vLLM".into(),
        benchmark: "vLLM_m".into(),
        timestamp: "20260101_120000".into(),
        rows: vec![Row::text("timestamp", "20260101_120000")],
    };
    let start = std::sync::Barrier::new(8);
    let mut paths: Vec<std::path::PathBuf> = std::thread::scope(|s| {
        let writers: Vec<_> = (0..8)
            .map(|_| {
                s.spawn(|| {
                    start.wait();
                    record.write_unique(dir.path(), "G").unwrap()
                })
            })
            .collect();
        writers.into_iter().map(|w| w.join().unwrap()).collect()
    });
    paths.sort();
    paths.dedup();
    assert_eq!(paths.len(), 8, "{paths:?}");
}

#[test]
fn a_sweep_level_is_filed_after_the_previous_one() {
    use benchanim::results::{Record, Row};
    let dir = tempfile::tempdir().unwrap();
    let record = |benchmark: &str| Record {
        family: "vLLM".into(),
        benchmark: benchmark.into(),
        timestamp: "20260101_120000".into(),
        rows: vec![Row::text("timestamp", "20260101_120000")],
    };
    // A level that started in the second the previous one was filed under moves past it,
    // even when its own name is free.
    let (path, stamp) = record("vLLM_a")
        .write_unique_after(dir.path(), "G", Some("20260101_120005"))
        .unwrap();
    assert_eq!(stamp, "20260101_120006");
    assert!(path.ends_with("G/vLLM_G_a_20260101_120006.csv"), "{path:?}");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("timestamp,20260101_120006,"), "{text}");
    assert!(
        text.contains("timestamp_original,20260101_120000,"),
        "{text}"
    );
    // A later start keeps its own second and gets no `timestamp_original`.
    let (path, stamp) = record("vLLM_b")
        .write_unique_after(dir.path(), "G", Some("20260101_115959"))
        .unwrap();
    assert_eq!(stamp, "20260101_120000");
    assert!(
        !std::fs::read_to_string(&path)
            .unwrap()
            .contains("timestamp_original")
    );
}
