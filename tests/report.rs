//! `benchanim report` on the shipped results and on broken input, as a user runs it.

mod common;

use std::path::Path;

use common::{benchanim, stdout};

/// The Markdown table row of `metric` in the table of `benchmark`.
fn row<'a>(markdown: &'a str, benchmark: &str, metric: &str) -> &'a str {
    let table = markdown
        .split("\n### ")
        .find(|t| t.starts_with(benchmark))
        .unwrap_or_else(|| panic!("no table {benchmark}"));
    table
        .lines()
        .find(|l| l.starts_with(&format!("| {metric} |")))
        .unwrap_or_else(|| panic!("no row {metric} in {benchmark}"))
}

#[test]
fn shipped_results_show_every_benchmark_with_published_figures() {
    let md = stdout(&["report"]);
    assert_eq!(md.matches("\n### ").count(), 17, "{md}");
    for section in [
        "## LLM/VLM inference",
        "## LLM training",
        "## Image generation",
        "## Object detection",
    ] {
        assert!(md.contains(section), "missing {section}");
    }
    assert!(md.contains("| Metric | Unit | NVIDIA_GB10 | NVIDIA_GeForce_RTX_4090 |"));
    assert_eq!(
        row(&md, "llama_server_gpt_oss_20b", "true_prompt_throughput"),
        "| true_prompt_throughput | tok/s | 2703.36 | **6035.78** |"
    );
    // Nemotron only ran on GB10; the newer of its two runs counts.
    assert_eq!(
        row(
            &md,
            "vLLM_NVIDIA_Nemotron_3_Nano_30B_A3B_FP8",
            "benchmark_duration"
        ),
        "| benchmark_duration | s | 204.32 | NA |"
    );
    // Derived, and lower-is-better gets the bold on the smaller time.
    assert_eq!(
        row(&md, "vLLM_gpt_oss_20b", "input_token_throughput"),
        "| input_token_throughput | tok/s | 1538.38 | **4848.70** |"
    );
    assert_eq!(
        row(
            &md,
            "llm_finetune_bench_gemma_3_270m_it_epochs_3",
            "total_train_time"
        ),
        "| total_train_time | seconds | 343.20 | **81.59** |"
    );
    assert!(
        md.contains("Family: `vLLM` · model: openai/gpt-oss-20b"),
        "config line missing"
    );
    // Per-bucket rows are not headline metrics.
    assert!(!md.contains("| bucket_"));
}

#[test]
fn json_and_csv_carry_the_same_values() {
    let json: serde_json::Value =
        serde_json::from_str(&stdout(&["report", "--format", "json"])).unwrap();
    let benchmarks: Vec<&serde_json::Value> = json["sections"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["benchmarks"].as_array().unwrap())
        .collect();
    assert_eq!(benchmarks.len(), 17);
    let llama = benchmarks
        .iter()
        .find(|b| b["benchmark"] == "llama_server_gpt_oss_20b_UD_Q4_K_XL_gguf_samples_100")
        .unwrap();
    let prompt = llama["metrics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["metric"] == "true_prompt_throughput")
        .unwrap();
    assert_eq!(prompt["values"]["NVIDIA_GB10"], 2703.36);
    assert_eq!(prompt["values"]["NVIDIA_GeForce_RTX_4090"], 6035.78);
    assert_eq!(prompt["best"][0], "NVIDIA_GeForce_RTX_4090");
    let nemotron = benchmarks
        .iter()
        .find(|b| b["benchmark"] == "vLLM_NVIDIA_Nemotron_3_Nano_30B_A3B_FP8_text_only_samples_100")
        .unwrap();
    assert!(nemotron["metrics"][0]["values"]["NVIDIA_GeForce_RTX_4090"].is_null());

    let csv = stdout(&["report", "--format", "csv"]);
    assert!(csv.starts_with(
        "category,benchmark,family,metric,unit,direction,NVIDIA_GB10,NVIDIA_GeForce_RTX_4090\n"
    ));
    assert!(csv.contains(",llama_server_gpt_oss_20b_UD_Q4_K_XL_gguf_samples_100,llama_server,true_prompt_throughput,tok/s,higher,2703.36,6035.78\n"));
}

#[test]
fn metrics_option_all_runs_and_output_file() {
    let md = stdout(&["report", "--metrics", "total_time,seconds_per_image"]);
    assert!(md.contains("| total_time | seconds | 420.12 |"), "{md}");
    assert!(
        md.contains("| seconds_per_image | s/img | 4.2012 |"),
        "{md}"
    );
    assert!(!md.contains("| ttft_mean |"));
    let all = stdout(&[
        "report",
        "--all-runs",
        "--metrics",
        "output_token_throughput",
    ]);
    assert!(
        all.contains("NVIDIA_GB10 @ 20260130_015912 | NVIDIA_GB10 @ 20260129_043248"),
        "{all}"
    );

    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.md");
    stdout(&["report", "--output", out.to_str().unwrap()]);
    assert!(std::fs::read_to_string(&out).unwrap().contains("2703.36"));
}

#[test]
fn strict_turns_warnings_into_failure_and_keeps_good_files() {
    let dir = tempfile::tempdir().unwrap();
    let gpu = dir.path().join("NVIDIA_GB10");
    std::fs::create_dir_all(&gpu).unwrap();
    std::fs::write(
        gpu.join("flux_bench_NVIDIA_GB10_a_20260101_000000.csv"),
        "metric,value,unit\ntotal_time,12.5,seconds\n",
    )
    .unwrap();
    std::fs::write(
        gpu.join("flux_bench_NVIDIA_GB10_b_20260101_000000.csv"),
        "metric,value,unit\ntotal_time,oops,seconds\n",
    )
    .unwrap();
    let results = dir.path().to_str().unwrap();

    let lenient = benchanim(&["report", "--results", results]);
    assert!(lenient.status.success());
    let stderr = String::from_utf8_lossy(&lenient.stderr);
    assert!(stderr.contains("flux_bench_NVIDIA_GB10_b_20260101_000000.csv:2: total_time: expected a number, found `oops`"), "{stderr}");
    assert!(String::from_utf8_lossy(&lenient.stdout).contains("12.5"));

    let strict = benchanim(&["report", "--results", results, "--strict"]);
    assert_eq!(strict.status.code(), Some(1));

    let missing = benchanim(&["report", "--results", &format!("{results}/nope")]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("does not exist"));
}

#[test]
fn import_never_overwrites_and_drops_machine_local_fields() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("src/NVIDIA_GB10");
    std::fs::create_dir_all(&src).unwrap();
    std::fs::write(
        src.join("llama_server_NVIDIA_GB10_m_20260101_000000.csv"),
        "metric,value,unit\nmodel_path,/home/me/m.gguf,\nserver_url,http://localhost:1,\ntotal_prompt_tokens,\"40,194\",tokens\n",
    )
    .unwrap();
    let dest = dir.path().join("results");
    let src_root = dir.path().join("src");
    let args = [
        "import",
        "results",
        src_root.to_str().unwrap(),
        "--results",
        dest.to_str().unwrap(),
    ];
    assert!(benchanim(&args).status.success());
    let written = dest.join("NVIDIA_GB10/llama_server_NVIDIA_GB10_m_20260101_000000.csv");
    let text = std::fs::read_to_string(&written).unwrap();
    assert!(
        text.starts_with(
            "metric,value,unit\ntotal_prompt_tokens,40194,tokens\n\
             source_file,NVIDIA_GB10/llama_server_NVIDIA_GB10_m_20260101_000000.csv,\n\
             source_sha256,"
        ),
        "{text}"
    );
    std::fs::write(&written, "edited").unwrap();
    let again = benchanim(&args);
    assert!(again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("(1 already there, 0 skipped)"));
    assert_eq!(std::fs::read_to_string(&written).unwrap(), "edited");
    assert!(Path::new(&written).exists());
}

/// Copies the shipped results into a temp folder, for tests that add or remove files.
fn shipped_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for gpu in std::fs::read_dir("benchmark_results").unwrap() {
        let gpu = gpu.unwrap().path();
        let dest = dir.path().join(gpu.file_name().unwrap());
        std::fs::create_dir_all(&dest).unwrap();
        for file in std::fs::read_dir(&gpu).unwrap() {
            let file = file.unwrap().path();
            std::fs::copy(&file, dest.join(file.file_name().unwrap())).unwrap();
        }
    }
    dir
}

#[test]
fn a_partial_run_never_supersedes_a_complete_one() {
    let dir = shipped_copy();
    let gb10 = dir.path().join("NVIDIA_GB10");
    let complete =
        gb10.join("vLLM_NVIDIA_GB10_gpt_oss_20b_text_only_samples_100_20260203_055449.csv");
    // A newer run of the same benchmark, stopped early: far fewer tokens per second.
    let newer = std::fs::read_to_string(&complete)
        .unwrap()
        .replace("20260203_055449", "20260204_010101")
        .lines()
        .map(|l| match l.split(',').next() {
            Some("total_token_throughput") => "total_token_throughput,100.00,tok/s".to_string(),
            Some("output_token_throughput") => "output_token_throughput,30.00,tok/s".to_string(),
            _ => l.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\npartial,true,\n";
    std::fs::write(
        gb10.join("vLLM_NVIDIA_GB10_gpt_oss_20b_text_only_samples_100_20260204_010101.csv"),
        newer,
    )
    .unwrap();
    let results = dir.path().to_str().unwrap();

    let data = stdout(&["data", "vllm_input", "--results", results]);
    let gpt = data
        .lines()
        .find(|l| l.starts_with("gpt-oss-20b "))
        .unwrap();
    assert!(gpt.ends_with("1538.38"), "{data}");
    assert!(!data.contains("partial run"), "{data}");
    let md = stdout(&["report", "--results", results]);
    assert!(row(&md, "vLLM_gpt_oss_20b", "input_token_throughput").contains("1538.38"));

    // With only the partial run, its value shows, marked.
    std::fs::remove_file(&complete).unwrap();
    let data = stdout(&["data", "vllm_input", "--results", results]);
    let gpt = data
        .lines()
        .find(|l| l.starts_with("gpt-oss-20b "))
        .unwrap();
    assert!(gpt.ends_with("70.00*"), "{data}");
    assert!(data.contains("* partial run"), "{data}");
    let json = stdout(&[
        "data",
        "vllm_input",
        "--results",
        results,
        "--format",
        "json",
    ]);
    assert!(json.contains("\"partial\": true"), "{json}");
    let md = stdout(&["report", "--results", results]);
    assert!(
        row(&md, "vLLM_gpt_oss_20b", "input_token_throughput").contains("70.00\\*"),
        "{md}"
    );
    assert!(md.contains("\\* partial run"), "{md}");
}

#[test]
fn directions_come_from_names_units_and_the_catalog() {
    let dir = tempfile::tempdir().unwrap();
    for (gpu, memory, util) in [
        ("NVIDIA_GB10", 9100, 97),
        ("NVIDIA_GeForce_RTX_4090", 8700, 88),
    ] {
        let folder = dir.path().join("results").join(gpu);
        std::fs::create_dir_all(&folder).unwrap();
        std::fs::write(
            folder.join(format!("exo_bench_{gpu}_llama_20260101_000000.csv")),
            format!("metric,value,unit\nmemory_usage,{memory},MB\ngpu_utilization,{util},%\nwait,{util},\n"),
        )
        .unwrap();
    }
    let results = dir.path().join("results");
    let results = results.to_str().unwrap();

    // Memory use is better when smaller; utilisation has no direction, so it is no headline
    // metric, and asked for it gets no bold.
    let md = stdout(&["report", "--results", results]);
    assert_eq!(
        row(&md, "exo_bench_llama", "memory_usage"),
        "| memory_usage | MB | 9100 | **8700** |"
    );
    assert!(!md.contains("| gpu_utilization |"), "{md}");
    let md = stdout(&[
        "report",
        "--results",
        results,
        "--metrics",
        "gpu_utilization",
    ]);
    assert_eq!(
        row(&md, "exo_bench_llama", "gpu_utilization"),
        "| gpu_utilization | % | 97 | 88 |"
    );

    // A catalog gives utilisation a direction and a label, and `wait` a unit (and so a
    // direction: milliseconds are better few).
    let catalog = dir.path().join("metrics.toml");
    std::fs::write(
        &catalog,
        "[metrics.gpu_utilization]\ndirection = \"higher\"\nlabel = \"GPU utilization\"\n\n\
         [metrics.wait]\nunit = \"ms\"\n",
    )
    .unwrap();
    let expected = "| GPU utilization | % | **97** | 88 |\n| wait | ms | 97 | **88** |";
    let md = stdout(&[
        "report",
        "--results",
        results,
        "--catalog",
        catalog.to_str().unwrap(),
    ]);
    assert!(md.contains(expected), "{md}");
    // `metrics.toml` in the current directory is read without being named.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_benchanim"))
        .args(["report", "--results", results])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains(expected));

    // A bad catalog is an error naming the file and the key.
    std::fs::write(&catalog, "[metrics.gpu_utilization]\ndirection = \"up\"\n").unwrap();
    let out = benchanim(&[
        "report",
        "--results",
        results,
        "--catalog",
        catalog.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("metrics.toml")
            && stderr.contains("metrics.gpu_utilization.direction: `up`"),
        "{stderr}"
    );
    let out = benchanim(&["report", "--catalog", "no/such/metrics.toml"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no/such/metrics.toml"));
}

/// A newer vLLM run at another concurrency, as a sweep writes one.
fn add_sweep_level(results: &Path, concurrency: u32, output: &str) {
    let gb10 = results.join("NVIDIA_GB10");
    let original =
        gb10.join("vLLM_NVIDIA_GB10_gpt_oss_20b_text_only_samples_100_20260203_055449.csv");
    let stamp = format!("20260205_0000{concurrency:02}");
    let level = std::fs::read_to_string(original)
        .unwrap()
        .replace("20260203_055449", &stamp)
        .replace(
            "max_concurrency,10,",
            &format!("max_concurrency,{concurrency},"),
        )
        .lines()
        .map(|l| match l.split(',').next() {
            Some("output_token_throughput") => format!("output_token_throughput,{output},tok/s"),
            _ => l.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(
        gb10.join(format!(
            "vLLM_NVIDIA_GB10_gpt_oss_20b_text_only_samples_100_{stamp}.csv"
        )),
        level,
    )
    .unwrap();
}

#[test]
fn where_pins_keep_a_sweep_from_changing_a_chart() {
    let dir = shipped_copy();
    add_sweep_level(dir.path(), 64, "999.00");
    add_sweep_level(dir.path(), 1, "55.00");
    let results = dir.path().to_str().unwrap();

    // The shipped scene pins max_concurrency = 10: same value, no warning.
    let out = benchanim(&["data", "vllm_output", "--results", results]);
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    let gpt = stdout
        .lines()
        .find(|l| l.starts_with("gpt-oss-20b "))
        .unwrap();
    assert!(gpt.ends_with("230.00"), "{stdout}");
    assert!(!stderr.contains("warning"), "{stderr}");
    let json = self::stdout(&[
        "data",
        "vllm_output",
        "--results",
        results,
        "--format",
        "json",
    ]);
    assert!(json.contains("\"max_concurrency\": 10.0"), "{json}");
    assert!(json.contains("_20260203_055449.csv"), "{json}");

    // A scene without the pin shows the newest level and says so once.
    let scenes = tempfile::tempdir().unwrap();
    let unpinned = std::fs::read_to_string("scenes/vllm_output.toml")
        .unwrap()
        .replace("where = { max_concurrency = 10 }", "");
    std::fs::write(scenes.path().join("s.toml"), &unpinned).unwrap();
    let scenes_dir = scenes.path().to_str().unwrap();
    let out = benchanim(&["data", "s", "--scenes", scenes_dir, "--results", results]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert_eq!(stderr.matches("warning").count(), 1, "{stderr}");
    assert!(
        stderr.contains(
            "s: \"gpt-oss-20b\" × \"GB10\" shows the newest run (max_concurrency = 64) among runs with max_concurrency 1, 10, 64; pin `where = { max_concurrency = … }`"
        ),
        "{stderr}"
    );
    let strict = benchanim(&[
        "data",
        "s",
        "--scenes",
        scenes_dir,
        "--results",
        results,
        "--strict",
    ]);
    assert_eq!(strict.status.code(), Some(1));

    // A pin no run has names the values that exist.
    std::fs::write(
        scenes.path().join("s.toml"),
        unpinned.replace("metric = ", "where = { max_concurrency = 7 }\nmetric = "),
    )
    .unwrap();
    let out = benchanim(&["data", "s", "--scenes", scenes_dir, "--results", results]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(
            "rows[0] (\"gpt-oss-20b\") × series[0] (\"RTX 4090\"): where: no run of `vLLM_gpt_oss_20b_text_only_samples_100` on `NVIDIA_GeForce_RTX_4090` has max_concurrency = 7; it has max_concurrency 10"
        ),
        "{stderr}"
    );
}

#[test]
fn report_gives_each_sweep_level_a_column() {
    let dir = shipped_copy();
    add_sweep_level(dir.path(), 64, "999.00");
    add_sweep_level(dir.path(), 1, "55.00");
    let results = dir.path().to_str().unwrap();
    let md = stdout(&["report", "--results", results]);
    let table = md
        .split("\n### ")
        .find(|t| t.starts_with("vLLM_gpt_oss_20b_text_only_samples_100"))
        .unwrap();
    assert!(
        table.contains(
            "| NVIDIA_GB10 · max_concurrency=1 | NVIDIA_GB10 · max_concurrency=10 | NVIDIA_GB10 · max_concurrency=64 | NVIDIA_GeForce_RTX_4090 · max_concurrency=10 |"
        ),
        "{table}"
    );
    let output = row(
        &md,
        "vLLM_gpt_oss_20b_text_only_samples_100",
        "output_token_throughput",
    );
    assert!(
        output.contains("| 55.00 | 230.00 | **999.00** | 584.00 |"),
        "{output}"
    );
    // Other benchmarks keep a column per GPU.
    assert!(
        row(
            &md,
            "vLLM_gpt_oss_120b_text_only_samples_100",
            "output_token_throughput"
        )
        .matches('|')
        .count()
            == 5
    );
    // JSON adds each column's level; nothing else changes shape.
    let json: serde_json::Value = serde_json::from_str(&stdout(&[
        "report",
        "--results",
        results,
        "--format",
        "json",
    ]))
    .unwrap();
    let benchmark = json["sections"][0]["benchmarks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["benchmark"] == "vLLM_gpt_oss_20b_text_only_samples_100")
        .unwrap();
    assert_eq!(
        benchmark["column_config"]["NVIDIA_GB10 · max_concurrency=64"]["max_concurrency"],
        "64"
    );
}

#[test]
fn non_finite_figures_are_warned_about_with_file_line_and_value() {
    let dir = tempfile::tempdir().unwrap();
    let gpu = dir.path().join("NVIDIA_GB10");
    std::fs::create_dir_all(&gpu).unwrap();
    let name = "flux_bench_NVIDIA_GB10_a_20260101_000000.csv";
    std::fs::write(
        gpu.join(name),
        "metric,value,unit\ntotal_time,NaN,seconds\nimages_per_second,inf,img/s\n\
         time_per_image,1e400,seconds\nnum_images,100,\n",
    )
    .unwrap();
    let results = dir.path().to_str().unwrap();
    let out = benchanim(&["report", "--results", results]);
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    for expected in [
        ":2: total_time: `NaN` is not a finite number; treated as missing",
        ":3: images_per_second: `inf` is not a finite number; treated as missing",
        ":4: time_per_image: `1e400` is out of range; treated as missing",
    ] {
        assert!(
            stderr.contains(&format!("{}{expected}", gpu.join(name).display())),
            "{expected}: {stderr}"
        );
    }
    let md = String::from_utf8_lossy(&out.stdout);
    assert!(
        row(&md, "flux_bench_a", "total_time").ends_with("| NA |"),
        "{md}"
    );
    // Imported, the figures are written as missing, not as NaN.
    let dest = dir.path().join("imported");
    let import = benchanim(&[
        "import",
        "results",
        results,
        "--results",
        dest.to_str().unwrap(),
    ]);
    assert!(import.status.success());
    assert!(String::from_utf8_lossy(&import.stderr).contains("`NaN` is not a finite number"));
    let copy = std::fs::read_to_string(dest.join("NVIDIA_GB10").join(name)).unwrap();
    assert!(copy.contains("total_time,N/A,seconds"), "{copy}");
    assert!(
        !copy.to_lowercase().contains("nan") && !copy.contains("inf"),
        "{copy}"
    );
}
