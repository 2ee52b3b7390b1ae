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
