//! Inputs made to hurt: each is refused with a clear error, within a bound on the work or
//! memory it costs, never by exhausting the machine.

use std::path::Path;
use std::process::{Command, Stdio};

/// Runs `benchanim args`, stderr to a file; its exit code, what it said and its peak resident
/// memory in MB (from the kernel's accounting of that one process).
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
