//! Inputs made to hurt: each is refused with a clear error, within a bound on the work or
//! memory it costs, never by exhausting the machine.

use std::path::Path;
use std::process::{Command, Stdio};

/// Runs `benchanim args`, stderr to a file; its exit code, what it said and its peak resident
/// memory in MB (from the kernel's accounting of that one process).
// `wait4` below reaps the child, and gives its resource use, which `wait` does not.
#[allow(clippy::zombie_processes)]
fn run_measured(args: &[&str], dir: &Path) -> (i32, String, f64) {
    let log = dir.join("stderr.txt");
    let child = Command::new(env!("CARGO_BIN_EXE_benchanim"))
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .unwrap();
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value for wait4 to fill in.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: waits for our own child, whose pid we hold; status and usage are valid pointers.
    let pid = unsafe { libc::wait4(child.id() as i32, &mut status, 0, &mut usage) };
    assert_eq!(pid, child.id() as i32);
    let code = if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else {
        -1
    };
    let said = std::fs::read_to_string(&log).unwrap();
    (code, said, usage.ru_maxrss as f64 / 1024.0)
}

#[test]
fn a_yaml_bomb_is_refused_without_being_loaded() {
    let dir = tempfile::tempdir().unwrap();
    let experiment = dir.path().join("data/bomb");
    std::fs::create_dir_all(experiment.join("t0")).unwrap();
    std::fs::write(
        experiment.join("t0/events.jsonl"),
        "{\"type\": \"run_start\", \"timestamp\": 1765226457.0, \"model_name\": \"m\", \"tag\": \"t0\"}\n\
         {\"type\": \"iteration\", \"iter\": 0, \"latency_ms\": 5.0}\n",
    )
    .unwrap();
    // Nine levels of nine aliases: 9^9 (387 million) strings once loaded.
    let mut bomb = String::from("experiment_name: bomb\nlol0: &l0 [\"lol\"]\n");
    for i in 1..10 {
        let refs = vec![format!("*l{}", i - 1); 9].join(", ");
        bomb += &format!("lol{i}: &l{i} [{refs}]\n");
    }
    bomb += "mps: true\n";
    std::fs::write(experiment.join("config.yaml"), bomb).unwrap();
    let out = dir.path().join("results");
    let (code, said, peak_mb) = run_measured(
        &[
            "import",
            "multitenant",
            dir.path().join("data").to_str().unwrap(),
            "--gpu-name",
            "G",
            "--results",
            out.to_str().unwrap(),
        ],
        dir.path(),
    );
    assert_eq!(code, 1, "{said}");
    assert!(
        said.contains("config.yaml") && said.contains("expand to more than"),
        "{said}"
    );
    assert!(peak_mb < 100.0, "the refusal took {peak_mb:.0} MB");
    assert!(!out.exists() || std::fs::read_dir(&out).unwrap().count() == 0);
}

/// `benchanim import ARGS --gpu-name G --results DIR/results`, measured.
fn import_measured(args: &[&str], dir: &Path) -> (i32, String, f64) {
    let out = dir.join("results");
    let mut all = vec!["import"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--gpu-name", "G", "--results", out.to_str().unwrap()]);
    run_measured(&all, dir)
}

#[test]
fn deeply_nested_json_is_refused_before_it_is_parsed() {
    let dir = tempfile::tempdir().unwrap();
    // A million levels: a parser that recursed would overflow its stack long before.
    let deep = format!(
        "{{\"date\": \"20260101-000000\",\n\"x\": {}",
        "[".repeat(1_000_000)
    );
    let vllm = dir.path().join("deep.json");
    std::fs::write(&vllm, &deep).unwrap();
    let table = dir.path().join("deep.jsonl");
    std::fs::write(&table, format!("{{\"a\": 1}}\n{deep}")).unwrap();
    for (args, line) in [
        (["vllm-json", vllm.to_str().unwrap()], 2),
        (["table", table.to_str().unwrap()], 3),
    ] {
        let (code, said, peak_mb) = import_measured(&args, dir.path());
        assert_eq!(code, 1, "{said}");
        let file = Path::new(args[1]).file_name().unwrap().to_str().unwrap();
        assert!(
            said.contains(file)
                && said.contains(&format!(
                    "nested more than 64 levels deep (line {line}); refused"
                )),
            "{said}"
        );
        assert!(peak_mb < 100.0, "the refusal took {peak_mb:.0} MB");
    }
}

#[test]
fn a_json_file_too_big_is_refused_by_its_size_before_it_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let folder = vllm_folder(dir.path(), 2);
    // Sparse: its size says 100 MiB, and nothing is on the disk.
    let big = std::fs::File::create(folder.join("big.json")).unwrap();
    big.set_len(100 << 20).unwrap();
    let (code, said, peak_mb) =
        import_measured(&["vllm-json", folder.to_str().unwrap()], dir.path());
    assert_eq!(code, 1, "{said}");
    assert!(
        said.contains("big.json` is 100 MiB; a JSON file of more than 64 MiB is refused"),
        "{said}"
    );
    assert!(said.contains("imported 2 runs"), "{said}");
    assert!(peak_mb < 100.0, "the refusal took {peak_mb:.0} MB");
}

#[test]
fn a_line_too_long_is_refused_naming_the_file_and_line_without_being_read_whole() {
    let dir = tempfile::tempdir().unwrap();
    // Each file: two short lines, then NUL bytes to 200 MiB with no end of line (a sparse
    // file, so nothing is on the disk): a third line of nearly 200 MiB.
    let long = |path: &Path, start: &str| {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, start).unwrap();
        let file = std::fs::OpenOptions::new().write(true).open(path).unwrap();
        file.set_len(200 << 20).unwrap();
        path.to_str().unwrap().to_string()
    };
    let table = long(&dir.path().join("t.csv"), "model,tok_s\nm,1\n");
    let sglang = long(
        &dir.path().join("s.jsonl"),
        "{\"backend\": \"x\", \"completed\": 1}\n\n",
    );
    let experiment = dir.path().join("data/exp");
    let log = long(
        &experiment.join("t0/events.jsonl"),
        "{\"type\": \"run_start\"}\n{\"type\": \"iteration\"}\n",
    );
    for args in [
        vec!["table", &table],
        vec!["sglang", &sglang],
        vec![
            "multitenant",
            experiment.to_str().unwrap(),
            "--set",
            "mps=true",
        ],
    ] {
        let (code, said, peak_mb) = import_measured(&args, dir.path());
        assert_eq!(code, 1, "{args:?}: {said}");
        let file = match args[0] {
            "table" => &table,
            "sglang" => &sglang,
            _ => &log,
        };
        assert!(
            said.contains(&format!("`{file}` line 3 is longer than 16 MiB; refused")),
            "{args:?}: {said}"
        );
        // The 16 MiB read of the line, and no more of it.
        assert!(peak_mb < 80.0, "{args:?}: the refusal took {peak_mb:.0} MB");
    }
}

/// A folder of `n` vLLM results, each a run of its own second.
fn vllm_folder(dir: &Path, n: usize) -> std::path::PathBuf {
    let folder = dir.join("runs");
    std::fs::create_dir_all(&folder).unwrap();
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/vllm_bench_serve.json");
    let mut result: serde_json::Value =
        serde_json::from_slice(&std::fs::read(source).unwrap()).unwrap();
    for i in 0..n {
        result["date"] = format!("20260203-{:02}{:02}{:02}", i / 3600, i / 60 % 60, i % 60).into();
        std::fs::write(folder.join(format!("run{i:05}.json")), result.to_string()).unwrap();
    }
    folder
}

fn files_under(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(files_under(&path));
        } else {
            out.push(path);
        }
    }
    out
}

#[test]
fn sigterm_during_an_import_keeps_every_finished_file_and_no_partial_one() {
    let dir = tempfile::tempdir().unwrap();
    let folder = vllm_folder(dir.path(), 3000);
    let out = dir.path().join("results");
    // What a writer killed before left behind is cleared by the next import there.
    let gpu = out.join("NVIDIA_GB10");
    std::fs::create_dir_all(&gpu).unwrap();
    let stale = gpu.join(".vLLM_x.csv.4000000.AbCdEf.partial");
    std::fs::write(&stale, "metric,val").unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_benchanim"))
        .args([
            "import",
            "vllm-json",
            folder.to_str().unwrap(),
            "--gpu-name",
            "NVIDIA GB10",
            "--results",
            out.to_str().unwrap(),
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Stop it once it has filed some, long before it has filed all.
    let csvs = || {
        files_under(&out)
            .into_iter()
            .filter(|p| p.extension().is_some_and(|e| e == "csv"))
            .count()
    };
    let start = std::time::Instant::now();
    while csvs() < 20 && start.elapsed().as_secs() < 120 {
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    // SAFETY: signals our own child, whose pid we hold.
    unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
    let status = child.wait().unwrap();
    let mut said = String::new();
    std::io::Read::read_to_string(child.stderr.as_mut().unwrap(), &mut said).unwrap();
    assert_eq!(status.code(), Some(143), "{said}");
    let files = files_under(&out);
    assert!(
        files
            .iter()
            .all(|p| !p.to_string_lossy().ends_with(".partial")),
        "{files:?}"
    );
    let written = csvs();
    assert!((20..3000).contains(&written), "{written} files");
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        assert!(
            text.contains("\nsource_sha256,"),
            "{} is not complete",
            file.display()
        );
    }
    assert!(!stale.exists(), "a killed writer's temp file stayed");
}

/// `render` of the shipped scenes over the test fixtures into `out`, at the smallest size, the
/// still only.
fn render(out: &Path, what: &[&str]) -> Command {
    render_as(out, what, "png")
}

fn render_as(out: &Path, what: &[&str], format: &str) -> Command {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut command = Command::new(env!("CARGO_BIN_EXE_benchanim"));
    command
        .arg("render")
        .args(what)
        .args(["-q", "l", "--format", format, "--scenes"])
        .arg(root.join("scenes"))
        .arg("--results")
        .arg(root.join("tests/fixtures/results"))
        .arg("--out")
        .arg(out)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    command
}

/// The scene names `manifest.json` in `out` lists.
fn listed(out: &Path) -> Vec<String> {
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
    manifest["scenes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn a_truncated_manifest_is_rebuilt_from_the_files_in_the_folder() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("renders");
    let o = render_as(&out, &["vllm_input", "vllm_output"], "mp4,gif,png,svg")
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert_eq!(listed(&out), ["vllm_input", "vllm_output"]);
    // Cut short, as a full disk or a crash leaves it.
    let text = std::fs::read(out.join("manifest.json")).unwrap();
    std::fs::write(out.join("manifest.json"), &text[..text.len() / 2]).unwrap();
    let o = render(&out, &["llm_finetune"]).output().unwrap();
    let said = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{said}");
    assert!(
        said.contains("did not list vllm_input, vllm_output"),
        "{said}"
    );
    assert_eq!(listed(&out), ["llm_finetune", "vllm_input", "vllm_output"]);
    let page = std::fs::read_to_string(out.join("index.html")).unwrap();
    for name in ["llm_finetune.png", "vllm_input.png", "vllm_output.png"] {
        assert!(page.contains(name), "the gallery lacks {name}");
    }
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
    // What the files say of themselves: the sizes, and how long the videos play.
    let recovered = &manifest["scenes"][1]["files"];
    let kinds: Vec<&str> = (0..4)
        .map(|i| recovered[i]["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["mp4", "gif", "png", "svg"]);
    for still in [2, 3] {
        assert_eq!(
            (
                recovered[still]["width"].as_u64(),
                recovered[still]["height"].as_u64()
            ),
            (Some(854), Some(480))
        );
    }
    assert_eq!(recovered[0]["width"].as_u64(), Some(854));
    let (mp4, gif) = (
        recovered[0]["duration"].as_f64().unwrap(),
        recovered[1]["duration"].as_f64().unwrap(),
    );
    assert!(
        mp4 > 5.0 && (mp4 - gif).abs() < 0.5,
        "mp4 {mp4} s, gif {gif} s"
    );
}

#[test]
fn a_render_stopped_halfway_lists_the_scenes_it_finished() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("renders");
    let mut child = render(&out, &["--all"]).spawn().unwrap();
    let start = std::time::Instant::now();
    while !out.join("manifest.json").exists() && start.elapsed().as_secs() < 300 {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    // SAFETY: signals our own child, whose pid we hold.
    unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
    let status = child.wait().unwrap();
    let scenes = listed(&out);
    assert!(!scenes.is_empty());
    for scene in &scenes {
        assert!(out.join(format!("{scene}.png")).is_file(), "{scene}");
    }
    // Stopped before the end, or finished in the moment between: either way all is listed.
    if status.code() == Some(130) {
        assert!(scenes.len() < 13, "{scenes:?}");
    } else {
        assert_eq!(status.code(), Some(0));
    }
    // A scene whose still was in place a moment before the stop, but not yet listed, is
    // listed by the next render: every finished still is in the gallery.
    let o = render(&out, &["vllm_input"]).output().unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let pngs = std::fs::read_dir(&out)
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().ends_with(".png"))
        .count();
    assert_eq!(pngs, listed(&out).len(), "every finished still is listed");
    assert!(
        std::fs::read_dir(&out)
            .unwrap()
            .flatten()
            .all(|e| !e.file_name().to_string_lossy().ends_with(".partial")),
        "no unfinished file stays"
    );
}

/// Runs `benchanim args` with stdout to `stdout`; its exit code and what it said on stderr.
fn said(args: &[&str], stdout: Stdio) -> (Option<i32>, String) {
    let o = Command::new(env!("CARGO_BIN_EXE_benchanim"))
        .args(args)
        .stdin(Stdio::null())
        .stdout(stdout)
        .output()
        .unwrap();
    (
        o.status.code(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

#[test]
fn errors_name_what_the_user_gave() {
    let dir = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let results = root.join("tests/fixtures/results");
    let results = results.to_str().unwrap();

    // A footer placeholder no chart fills is refused when the scene loads, not drawn.
    let scenes = dir.path().join("scenes");
    std::fs::create_dir_all(&scenes).unwrap();
    std::fs::write(
        scenes.join("typo.toml"),
        "title = \"T\"\nsubtitle = \"S\"\nmetric = \"input_token_throughput\"\n\
         footer = [\"{fastest} beats {slowst}\"]\n\
         [[series]]\nlabel = \"RTX 4090\"\ngpu = \"NVIDIA_GeForce_RTX_4090\"\n\
         [[rows]]\nlabel = \"gpt-oss-20b\"\nbenchmark = \"vLLM_gpt_oss_20b_text_only_samples_100\"\n",
    )
    .unwrap();
    let (code, err) = said(
        &[
            "data",
            "typo",
            "--scenes",
            scenes.to_str().unwrap(),
            "--results",
            results,
        ],
        Stdio::null(),
    );
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.contains("typo.toml") && err.contains("`{slowst}` is not a placeholder"),
        "{err}"
    );

    // A file given as the renders folder.
    let (code, err) = said(
        &[
            "render",
            "vllm_input",
            "--results",
            results,
            "--out",
            "/dev/null",
        ],
        Stdio::null(),
    );
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("--out `/dev/null` is not a folder"), "{err}");

    // Help that could not be written is no success.
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let (code, err) = said(&["--help"], Stdio::from(full));
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("cannot write the help"), "{err}");

    // Folders deeper than a search goes are named, not passed over in silence.
    let mut deep = dir.path().join("deep");
    for i in 0..70 {
        deep = deep.join(format!("d{i}"));
    }
    std::fs::create_dir_all(&deep).unwrap();
    std::fs::copy(
        root.join("tests/fixtures/vllm_bench_serve.json"),
        deep.join("run.json"),
    )
    .unwrap();
    let top = dir.path().join("deep");
    let (code, err) = said(
        &[
            "import",
            "vllm-json",
            top.to_str().unwrap(),
            "--gpu-name",
            "G",
            "--results",
            dir.path().join("r").to_str().unwrap(),
        ],
        Stdio::null(),
    );
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("more than 64 folders below"), "{err}");

    // Rows that would all be one benchmark at one time: said before anything is written.
    let table = dir.path().join("table.csv");
    let mut text = String::from("model,tps\n");
    for i in 0..1500 {
        text += &format!("m,{i}\n");
    }
    std::fs::write(&table, text).unwrap();
    let out = dir.path().join("t");
    let (code, err) = said(
        &[
            "import",
            "table",
            table.to_str().unwrap(),
            "--gpu-name",
            "G",
            "--results",
            out.to_str().unwrap(),
        ],
        Stdio::null(),
    );
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.contains("1500 runs would be filed as `table_m`") && err.contains("--group-by"),
        "{err}"
    );
    assert!(!out.exists(), "nothing is written");
}

#[test]
fn list_refuses_what_render_refuses() {
    let dir = tempfile::tempdir().unwrap();
    let gpu = dir.path().join("results/G");
    std::fs::create_dir_all(&gpu).unwrap();
    for i in 0..300 {
        std::fs::write(
            gpu.join(format!("vLLM_G_m_20260101_{:06}.csv", i)),
            format!("metric,value,unit\nbatch_size,{i},\noutput_token_throughput,{i}.5,tok/s\n"),
        )
        .unwrap();
    }
    let scenes = dir.path().join("scenes");
    std::fs::create_dir_all(&scenes).unwrap();
    std::fs::write(
        scenes.join("many.toml"),
        "title = \"T\"\nsubtitle = \"S\"\nmetric = \"output_token_throughput\"\n\
         for_each = [\"batch_size\"]\n\
         [[series]]\nlabel = \"G\"\ngpu = \"G\"\n[[rows]]\nlabel = \"m\"\nbenchmark = \"vLLM_m\"\n",
    )
    .unwrap();
    let args = |command: &'static str| {
        vec![
            command.to_string(),
            "--scenes".into(),
            scenes.to_str().unwrap().into(),
            "--results".into(),
            dir.path().join("results").to_str().unwrap().into(),
        ]
    };
    let list = Command::new(env!("CARGO_BIN_EXE_benchanim"))
        .args(args("list"))
        .output()
        .unwrap();
    let shown = String::from_utf8_lossy(&list.stdout);
    assert!(
        shown.contains("refused") && shown.contains("more than 256 charts (300 combinations"),
        "{shown}"
    );
    let mut render = args("render");
    render.insert(1, "many".into());
    let (code, err) = said(
        &render.iter().map(String::as_str).collect::<Vec<_>>(),
        Stdio::null(),
    );
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("more than 256 charts"), "{err}");
}

#[test]
fn series_points_sharing_an_x_are_one_point_and_bad_ones_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let gpu = dir.path().join("results/G");
    std::fs::create_dir_all(&gpu).unwrap();
    std::fs::write(
        gpu.join("vLLM_G_t_20260101_000000.csv"),
        "metric,value,unit\noutput_token_throughput,1,tok/s\n\n# series e2el_ms by time_s\n\
         0.5,100,ms\n1.25,200,ms\n1.25,300,ms\nNaN,5,ms\n2,400,ms\n",
    )
    .unwrap();
    let scenes = dir.path().join("scenes");
    std::fs::create_dir_all(&scenes).unwrap();
    std::fs::write(
        scenes.join("t.toml"),
        "kind = \"line\"\ntitle = \"T\"\nsubtitle = \"S\"\nbenchmark = \"vLLM_t\"\n\
         metric = \"e2el_ms\"\nx = { section = \"e2el_ms\" }\n[[series]]\nlabel = \"G\"\ngpu = \"G\"\n",
    )
    .unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_benchanim"))
        .args(["data", "t", "--format", "json", "--scenes"])
        .arg(&scenes)
        .arg("--results")
        .arg(dir.path().join("results"))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(
        err.contains(":8: `NaN` is not a finite number, so not an x"),
        "{err}"
    );
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let points = json["series"][0]["points"].as_array().unwrap();
    let xs: Vec<f64> = points.iter().map(|p| p["x"].as_f64().unwrap()).collect();
    assert_eq!(xs, [0.5, 1.25, 2.0]);
    assert_eq!(points[1]["y"].as_f64(), Some(250.0));
    assert_eq!(points[1]["n"].as_u64(), Some(2));
}

/// A bar scene whose `rows_from` yields `levels` levels, a result file each, and a line scene
/// over one series section of `points` points, in `dir`.
fn large_charts(dir: &Path, levels: usize, points: usize) {
    let results = dir.join("results/G");
    std::fs::create_dir_all(&results).unwrap();
    std::fs::create_dir_all(dir.join("scenes")).unwrap();
    for i in 0..levels {
        let time = format!("20260101_{:02}{:02}{:02}", i / 3600, i / 60 % 60, i % 60);
        std::fs::write(
            results.join(format!("vLLM_G_m_{time}.csv")),
            format!("metric,value,unit\nbatch_size,{i},\noutput_token_throughput,{i}.5,tok/s\n"),
        )
        .unwrap();
    }
    let mut series = String::from(
        "metric,value,unit\noutput_token_throughput,1,tok/s\n\n# series latency_ms by iteration\n",
    );
    for i in 0..points {
        series += &format!("{i},{},ms\n", (i * 7919) % 1000);
    }
    std::fs::write(results.join("vLLM_G_pts_20260102_000000.csv"), series).unwrap();
    let scene = |name: &str, body: &str| {
        let head = "title = \"T\"\nsubtitle = \"S\"\n";
        std::fs::write(dir.join("scenes").join(name), format!("{head}{body}")).unwrap();
    };
    scene(
        "bars.toml",
        "metric = \"output_token_throughput\"\nbenchmark = \"vLLM_m\"\nrows_from = { field = \"batch_size\" }\n[[series]]\nlabel = \"G\"\ngpu = \"G\"\n",
    );
    scene(
        "line.toml",
        "kind = \"line\"\nbenchmark = \"vLLM_pts\"\nmetric = \"latency_ms\"\nx = { section = \"latency_ms\" }\n[[series]]\nlabel = \"G\"\ngpu = \"G\"\n",
    );
}

#[test]
fn charts_that_cannot_be_read_are_refused_before_any_work_or_drawn_as_their_envelope() {
    let dir = tempfile::tempdir().unwrap();
    large_charts(dir.path(), 300, 5000);
    let path = |p: &str| dir.path().join(p).to_str().unwrap().to_string();
    let (scenes, results, out) = (path("scenes"), path("results"), path("out"));
    let render = |scene: &str| {
        let args = ["render", scene, "--scenes", &scenes, "--results", &results];
        let more = ["--out", &out, "-q", "l", "--format", "png"];
        let args: Vec<&str> = args.iter().chain(&more).copied().collect();
        run_measured(&args, dir.path())
    };
    let (code, said, _) = render("bars");
    assert_eq!(code, 1, "{said}");
    assert!(
        said.contains("bars: 300 rows cannot be read on a 854x480 frame, which holds at most 40"),
        "{said}"
    );
    assert!(said.contains("split it with `for_each`"), "{said}");
    assert!(!dir.path().join("out").exists(), "nothing is written");
    // `data` shows any number of rows: it draws nothing.
    let data = ["data", "bars", "--scenes", &scenes, "--results", &results];
    assert_eq!(run_measured(&data, dir.path()).0, 0);

    let (code, said, _) = render("line");
    assert_eq!(code, 0, "{said}");
    assert!(
        said.contains("series \"G\" has 5000 points, more than the plot's"),
        "{said}"
    );
    assert!(
        said.contains("drawn as each column's lowest and highest value"),
        "{said}"
    );
    assert!(dir.path().join("out/line.png").is_file());
}

#[test]
fn copies_of_one_source_told_apart_by_their_folders_are_each_a_run_found_again() {
    let dir = tempfile::tempdir().unwrap();
    let summary = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/llm_on_ray/choice_1/bs_1/summary_20240101-000001.json");
    // The same bytes, the same second: only the batch size their folders give differs.
    let from = dir.path().join("from");
    for bs in 1..=40 {
        let folder = from.join(format!("choice_1/bs_{bs}"));
        std::fs::create_dir_all(&folder).unwrap();
        std::fs::copy(&summary, folder.join("summary_20240101-000001.json")).unwrap();
    }
    let args = ["llm-on-ray", from.to_str().unwrap(), "--model", "m"];
    let (code, said, _) = import_measured(&args, dir.path());
    assert_eq!(code, 0, "{said}");
    assert!(said.contains("imported 40 runs"), "{said}");
    let (code, said, _) = import_measured(&args, dir.path());
    assert_eq!(code, 0, "{said}");
    assert!(
        said.contains("imported 0 runs") && said.contains("(40 already there"),
        "{said}"
    );
    assert_eq!(files_under(&dir.path().join("results")).len(), 40);
}
