//! `benchanim bench exec`: a real program run, timed, its printed and written rows filed.

mod bench_support;

use bench_support::{Result, result_files, run, text};

#[test]
fn files_the_rows_a_program_prints_with_its_run_time() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap();
    let o = run(&[
        "bench",
        "exec",
        "--family",
        "demo_bench",
        "--name",
        "tiny run 4",
        "--gpu-name",
        "Test GPU",
        "--output-dir",
        out,
        "--",
        "sh",
        "-c",
        "echo 'loading model, 3 shards, done'; echo images_per_second,2.5000,img/s; \
         echo 'resolution,1024x1024,pixels'; sleep 0.3; echo total_steps,400,steps",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    // The program's output passes through.
    let stdout = text(&o.stdout);
    assert!(stdout.contains("loading model, 3 shards, done"), "{stdout}");

    let r = Result::only_in(dir.path());
    assert_eq!(r.folder, "Test_GPU");
    let name = r
        .file
        .path
        .file_name()
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        name.starts_with("demo_bench_Test_GPU_tiny_run_4_"),
        "{name}"
    );
    assert_eq!(r.file.family, "demo_bench");
    assert_eq!(r.num("images_per_second"), 2.5);
    assert_eq!(r.text("images_per_second"), "2.5000");
    assert_eq!(r.text("resolution"), "1024x1024");
    assert_eq!(r.num("total_steps"), 400.0);
    assert_eq!(r.text("device"), "Test GPU");
    let total = r.num("total_time");
    assert!((0.3..30.0).contains(&total), "{total}");
    assert!(r.text("command").starts_with("sh -c echo"));
    // Lines that only look a little like rows are not rows.
    assert!(!r.has("loading model"));
}

#[test]
fn reads_a_metrics_file_the_program_writes() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("results");
    let metrics = dir.path().join("metrics.csv");
    let script = format!(
        "printf 'metric,value,unit\\ntotal_time,42.5,seconds\\nsamples_per_second,\"1,234.5\",samples/s\\n' > {}; \
         echo samples_per_second,1.0,samples/s",
        metrics.display()
    );
    let o = run(&[
        "bench",
        "exec",
        "--family",
        "train_bench",
        "--name",
        "gemma",
        "--gpu-name",
        "Test GPU",
        "--output-dir",
        out.to_str().unwrap(),
        "--metrics-file",
        metrics.to_str().unwrap(),
        "--",
        "sh",
        "-c",
        &script,
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let r = Result::only_in(&out);
    // The file's rows win over printed ones, and the program's total_time over the runner's.
    assert_eq!(r.num("samples_per_second"), 1234.5);
    assert_eq!(r.num("total_time"), 42.5);
}

#[test]
fn a_failing_program_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap();
    let o = run(&[
        "bench",
        "exec",
        "--family",
        "demo_bench",
        "--name",
        "x",
        "--gpu-name",
        "Test GPU",
        "--output-dir",
        out,
        "--",
        "sh",
        "-c",
        "echo speed,1,x/s; exit 3",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o.stderr).contains("failed (exit status: 3); no result written"),
        "{}",
        text(&o.stderr)
    );
    let o = run(&[
        "bench",
        "exec",
        "--family",
        "demo_bench",
        "--name",
        "x",
        "--output-dir",
        out,
        "--",
        "/no/such/program",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o.stderr).contains("cannot run `/no/such/program`"),
        "{}",
        text(&o.stderr)
    );
    let o = run(&[
        "bench",
        "exec",
        "--family",
        "bad/family",
        "--name",
        "x",
        "--output-dir",
        out,
        "--",
        "true",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o.stderr).contains("--family `bad/family`"));
    assert!(result_files(dir.path()).is_empty());
}

fn exec_args<'a>(out: &'a str, gpu: &'a str, command: &'a str) -> Vec<&'a str> {
    vec![
        "bench",
        "exec",
        "--family",
        "demo_bench",
        "--name",
        "same second",
        "--gpu-name",
        gpu,
        "--output-dir",
        out,
        "--",
        "sh",
        "-c",
        command,
    ]
}

#[test]
fn runs_of_the_same_second_are_both_kept() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap();
    // Two runs started within one second usually share a timestamp; both must be filed.
    for _ in 0..2 {
        let o = run(&exec_args(
            out,
            "Test GPU",
            "echo images_per_second,2.5,img/s",
        ));
        assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    }
    assert_eq!(result_files(dir.path()).len(), 2);
}

#[test]
fn the_output_is_checked_before_the_run() {
    let dir = tempfile::tempdir().unwrap();
    let marker = dir.path().join("ran");
    let command = format!(
        "touch {}; echo images_per_second,2.5,img/s",
        marker.display()
    );
    // A results folder that cannot take files: a path under a regular file.
    let blocked = dir.path().join("file");
    std::fs::write(&blocked, "").unwrap();
    let blocked = blocked.join("results");
    let o = run(&exec_args(blocked.to_str().unwrap(), "Test GPU", &command));
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o.stderr).contains("cannot write result files in"),
        "{}",
        text(&o.stderr)
    );
    // A GPU name too long for a file name.
    let long = "G".repeat(300);
    let o = run(&exec_args(dir.path().to_str().unwrap(), &long, &command));
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o.stderr).contains("a GPU name is at most 64"),
        "{}",
        text(&o.stderr)
    );
    assert!(
        !marker.exists(),
        "the program ran before the output was checked"
    );
}

/// The program's peak resident memory is filed: a Python program holding 200 MB shows at
/// least that.
#[test]
fn the_programs_peak_memory_is_filed() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap();
    let o = run(&[
        "bench",
        "exec",
        "--family",
        "demo_bench",
        "--name",
        "memory",
        "--gpu-name",
        "Test GPU",
        "--output-dir",
        out,
        "--",
        "python3",
        "-c",
        "b = bytearray(200 * 1024 * 1024); print('bytes_held,%d,bytes' % len(b))",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let r = Result::only_in(dir.path());
    let peak = r.num("peak_memory_mb");
    assert!((200.0..4096.0).contains(&peak), "{peak}");
    assert_eq!(r.num("bytes_held"), 209_715_200.0);
}
