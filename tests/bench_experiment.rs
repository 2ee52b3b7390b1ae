//! `bench experiment`: two real llama-server instances on 127.0.0.1 as tenants sharing the
//! machine, each measured alone first and then both together behind one start gate.

mod bench_support;

use std::path::Path;

use bench_support::{LlamaServer, run, text};
use benchanim::results::ResultFile;
use serde_json::Value;

fn num(file: &ResultFile, metric: &str) -> f64 {
    file.field(metric)
        .and_then(|v| v.as_number())
        .unwrap_or_else(|| panic!("{} has no {metric}", file.path.display()))
}

fn field(file: &ResultFile, metric: &str) -> String {
    file.field(metric).map(|v| v.to_text()).unwrap_or_default()
}

#[test]
fn tenants_are_measured_alone_then_together_from_one_start() {
    let servers = LlamaServer::start_many(2);
    let dir = tempfile::tempdir().unwrap();
    let experiment = dir.path().join("pair.toml");
    std::fs::write(
        &experiment,
        format!(
            "experiment_name = \"pair_smollm\"\nmps = false\n\
             [[tenants]]\nname = \"a\"\nurl = \"{}\"\nserver_pid = {}\nmax_concurrency = 2\n\
             prompts = 6\nwarmups = 1\ninput_len = 16\noutput_len = 8\n\
             [[tenants]]\nname = \"b\"\nurl = \"{}\"\nserver_pid = {}\nmax_concurrency = 2\n\
             prompts = 4\nwarmups = 1\ninput_len = 16\noutput_len = 8\n",
            servers[0].url(),
            servers[0].pid(),
            servers[1].url(),
            servers[1].pid()
        ),
    )
    .unwrap();
    let out = dir.path().join("results");
    let before: Vec<f64> = servers.iter().map(|s| s.token_counters().1).collect();
    let o = run_experiment(&experiment, &out, &["--solo", "--events", "tokens"]);
    let err = text(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{err}");
    let after: Vec<f64> = servers.iter().map(|s| s.token_counters().1).collect();
    // Each file listed with whose it is; the machine told once, not by every tenant's run.
    let listed = text(&o.stdout);
    for whose in ["(a, alone)", "(b, alone)", "(a)", "(b)", "(the experiment)"] {
        assert_eq!(listed.matches(whose).count(), 1, "{whose}\n{listed}");
    }
    let told = err.matches("no GPU telemetry").count()
        + err.matches("(sampling telemetry at 10 Hz)").count();
    assert_eq!(told, 1, "{err}");

    // Alone: a file per tenant; together: one per tenant and the experiment's.
    // The events folder beside the GPU folders is not taken for results.
    let (files, warnings) = benchanim::results::load(&out).unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(files.len(), 5, "{err}");
    let (solo, shared): (Vec<&ResultFile>, Vec<&ResultFile>) = files
        .iter()
        .filter(|f| f.benchmark != "multitenant_experiment")
        .partition(|f| field(f, "solo") == "True");
    assert_eq!((solo.len(), shared.len()), (2, 2));
    for f in &shared {
        assert_eq!(field(f, "experiment"), "pair_smollm");
        assert_eq!(field(f, "tenants"), "2");
        assert_eq!(field(f, "mps"), "False");
        assert!(num(f, "server_memory_peak_mb") > 0.0);
    }
    assert!(solo.iter().all(|f| field(f, "tenants") == "1"));

    // Each tenant's generated tokens, alone and together, are what its server counted, less
    // the one 8-token warm-up of each of its two runs.
    for (i, name) in ["a", "b"].iter().enumerate() {
        let generated: f64 = files
            .iter()
            .filter(|f| field(f, "tenant") == *name)
            .map(|f| num(f, "total_generated_tokens"))
            .sum();
        let counted = after[i] - before[i] - 2.0 * 8.0;
        assert!(
            (generated - counted).abs() <= 0.01 * counted,
            "tenant {name}: {generated} tokens in its files, {counted} by its server"
        );
    }

    // The experiment: every tenant's tokens over the longest measured time, and the two
    // measured phases starting within 50 ms of each other.
    let exp = files
        .iter()
        .find(|f| f.benchmark == "multitenant_experiment")
        .unwrap();
    assert_eq!(exp.family, "multitenant");
    let tokens: f64 = shared
        .iter()
        .map(|f| num(f, "total_generated_tokens"))
        .sum();
    let longest = shared
        .iter()
        .map(|f| num(f, "benchmark_duration"))
        .fold(0.0, f64::max);
    let throughput = num(exp, "gpu_throughput_tokens_per_s");
    assert!(
        (throughput - tokens / longest).abs() <= 0.01 * throughput,
        "{throughput} vs {}",
        tokens / longest
    );
    assert!(
        num(exp, "max_start_offset_ms") < 50.0,
        "{}",
        num(exp, "max_start_offset_ms")
    );
    // Telemetry with a GPU; without one the file says so rather than failing. Never both.
    assert_ne!(
        field(exp, "gpu_telemetry").starts_with("none: "),
        exp.field("gpu_util_mean").is_some()
    );

    // Each tenant's events: its requests' start, first token, every token and end.
    let folder = std::fs::read_dir(out.join("experiments"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    assert!(folder.join("experiment.toml").is_file());
    let first_start = |tenant: &str| -> (f64, usize, usize) {
        let log = std::fs::read_to_string(folder.join(tenant).join("events.jsonl")).unwrap();
        let events: Vec<Value> = log
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        let count = |kind: &str| events.iter().filter(|e| e["type"] == kind).count();
        let start = events
            .iter()
            .filter(|e| e["type"] == "request_start")
            .map(|e| e["t"].as_f64().unwrap())
            .fold(f64::INFINITY, f64::min);
        assert_eq!(count("request_start"), count("request_end"));
        (start, count("request_start"), count("token"))
    };
    let (a, a_requests, a_tokens) = first_start("a");
    let (b, b_requests, _) = first_start("b");
    assert_eq!((a_requests, b_requests), (6, 4));
    assert!(a_tokens > 0);
    assert!(
        (a - b).abs() < 0.05,
        "tenants started {} ms apart",
        (a - b).abs() * 1000.0
    );
}

#[test]
fn a_broken_experiment_file_is_refused_naming_what_to_fix() {
    let dir = tempfile::tempdir().unwrap();
    for (body, says) in [
        (
            "experiment_name = \"x\"\ntenants = []\n",
            "0 tenants; an experiment has 1 to 64",
        ),
        (
            "experiment_name = \"x\"\n[[tenants]]\nname = \"a\"\nurl = \"http://127.0.0.1:1\"\nmax_concurrency = 0\n",
            "tenants[0] (\"a\"): max_concurrency = 0 is out of range: 1 to 4096",
        ),
        (
            "experiment_name = \"x\"\n[[tenants]]\nname = \"a\"\nurl = \"u\"\n[[tenants]]\nname = \"a\"\nurl = \"u\"\n",
            "two tenants are called `a`",
        ),
        (
            "experiment_name = \"x\"\n[[tenants]]\nname = \"a\"\nurl = \"u\"\nspeed = 3\n",
            "unknown field `speed`",
        ),
        (
            "experiment_name = \"x\"\n[[tenants]]\nname = \"a\"\nurl = \"u\"\nserver_pid = 4194305\n",
            "tenant `a`: --server-pid 4194305 is out of range: 1 to 4194304",
        ),
        (
            "experiment_name = \"x\"\n[[tenants]]\nname = \"a\"\nurl = \"u\"\ncommand = []\n",
            "tenants[0] (\"a\"): `command` needs the server's program first",
        ),
        (
            "experiment_name = \"x\"\n[[tenants]]\nname = \"a\"\nurl = \"u\"\ncommand = [\"s\"]\nserver_pid = 5\n",
            "give `command` or `server_pid`, not both",
        ),
    ] {
        let file = dir.path().join("e.toml");
        std::fs::write(&file, body).unwrap();
        let o = run(&[
            "bench",
            "experiment",
            file.to_str().unwrap(),
            "--output-dir",
            dir.path().join("out").to_str().unwrap(),
        ]);
        let err = text(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{err}");
        assert!(
            err.contains("e.toml") && err.contains(says),
            "{says}\n{err}"
        );
        assert!(!dir.path().join("out").exists());
    }
    // Memory is sampled per tenant, so the command-wide --server-pid is refused, not ignored.
    let file = dir.path().join("e.toml");
    std::fs::write(
        &file,
        "experiment_name = \"x\"\n[[tenants]]\nname = \"a\"\nurl = \"u\"\n",
    )
    .unwrap();
    let o = run(&[
        "bench",
        "experiment",
        file.to_str().unwrap(),
        "--server-pid",
        "1",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o.stderr).contains("--server-pid is given per tenant in an experiment"));
}

/// A tenant whose server does not answer is named, and the others are measured all the same.
#[test]
fn an_unreachable_tenant_leaves_the_others_measured() {
    let server = LlamaServer::start();
    let dir = tempfile::tempdir().unwrap();
    let closed = bench_support::free_port();
    let experiment = dir.path().join("gone.toml");
    std::fs::write(
        &experiment,
        format!(
            "experiment_name = \"one_gone\"\n\
             [[tenants]]\nname = \"up\"\nurl = \"{}\"\nprompts = 3\nwarmups = 1\n\
             input_len = 16\noutput_len = 4\n\
             [[tenants]]\nname = \"down\"\nurl = \"http://127.0.0.1:{closed}\"\nprompts = 3\n",
            server.url()
        ),
    )
    .unwrap();
    let out = dir.path().join("results");
    let o = run_experiment(&experiment, &out, &["--timeout", "30"]);
    let err = text(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("tenant `down`"), "{err}");
    let (files, _) = benchanim::results::load(&out).unwrap();
    let names: Vec<String> = files.iter().map(|f| field(f, "tenant")).collect();
    assert_eq!(files.len(), 2, "{names:?}");
    assert!(names.contains(&"up".to_string()));
    assert!(
        files
            .iter()
            .any(|f| f.benchmark == "multitenant_experiment")
    );
}

/// A tenant whose server dies mid-run is filed as partial with what it measured; the other
/// tenant finishes its run.
#[test]
fn a_tenant_whose_server_dies_is_partial_and_the_other_finishes() {
    let mut servers = LlamaServer::start_many(2);
    let dir = tempfile::tempdir().unwrap();
    let experiment = dir.path().join("dies.toml");
    std::fs::write(
        &experiment,
        format!(
            "experiment_name = \"one_dies\"\n\
             [[tenants]]\nname = \"dies\"\nurl = \"{}\"\nprompts = 200\nwarmups = 1\n\
             input_len = 16\noutput_len = 8\n\
             [[tenants]]\nname = \"lives\"\nurl = \"{}\"\nprompts = 6\nwarmups = 1\n\
             input_len = 16\noutput_len = 8\n",
            servers[0].url(),
            servers[1].url()
        ),
    )
    .unwrap();
    let out = dir.path().join("results");
    let (_, before) = servers[0].token_counters();
    let child = spawn_experiment(&experiment, &out);
    // Past its warm-up (8 tokens) and three measured requests: the server goes. One request
    // at a time, so the third generated means the client has the second's whole answer.
    bench_support::wait_until_generated(servers[0].port, before + 8.0 + 24.0);
    servers[0].kill();
    let (status, err) = finish(child);
    assert_eq!(status.code(), Some(3), "{err}");
    let (files, _) = benchanim::results::load(&out).unwrap();
    let of = |tenant: &str| {
        files
            .iter()
            .find(|f| field(f, "tenant") == tenant)
            .unwrap_or_else(|| panic!("no file of {tenant}: {err}"))
    };
    assert!(
        field(of("dies"), "partial").eq_ignore_ascii_case("true"),
        "{err}"
    );
    assert!(num(of("dies"), "successful_requests") >= 2.0);
    assert!(of("lives").field("partial").is_none());
    assert_eq!(num(of("lives"), "successful_requests"), 6.0);
    assert!(
        files
            .iter()
            .any(|f| f.benchmark == "multitenant_experiment")
    );
}

/// `bench experiment FILE` with its results under `out`, filed as the GPU `CPU test`.
fn experiment_args<'a>(experiment: &'a Path, out: &'a Path) -> [&'a str; 7] {
    [
        "bench",
        "experiment",
        experiment.to_str().unwrap(),
        "--output-dir",
        out.to_str().unwrap(),
        "--gpu-name",
        "CPU test",
    ]
}

/// An experiment run to its end, with `extra` arguments.
fn run_experiment(experiment: &Path, out: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = experiment_args(experiment, out).to_vec();
    args.extend_from_slice(extra);
    run(&args)
}

/// An experiment started in the background.
fn spawn_experiment(experiment: &Path, out: &Path) -> std::process::Child {
    bench_support::benchanim()
        .args(experiment_args(experiment, out))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap()
}

/// How a background experiment ended, and what it said.
fn finish(mut child: std::process::Child) -> (std::process::ExitStatus, String) {
    let status = bench_support::wait_with_deadline(&mut child, std::time::Duration::from_secs(120));
    let mut err = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err).unwrap();
    (status, err)
}

/// A TOML list of strings: `["a", "b"]`.
fn toml_list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|i| format!("{i:?}")).collect();
    format!("[{}]", quoted.join(", "))
}

/// Whether anything still answers on `port`.
fn listening(port: u16) -> bool {
    std::net::TcpStream::connect(("127.0.0.1", port)).is_ok()
}

/// Servers given as commands are started by the experiment, measured with their memory
/// sampled by their own process ids, their output kept, and stopped at the end.
#[test]
fn servers_the_experiment_starts_are_sampled_logged_and_stopped() {
    let _turn = bench_support::server_turn();
    let ports = [bench_support::free_port(), bench_support::free_port()];
    let dir = tempfile::tempdir().unwrap();
    let experiment = dir.path().join("started.toml");
    let mut body = String::from("experiment_name = \"started_pair\"\n");
    for (name, port) in ["a", "b"].iter().zip(ports) {
        body += &format!(
            "[[tenants]]\nname = \"{name}\"\nurl = \"http://127.0.0.1:{port}\"\nprompts = 3\n\
             warmups = 1\ninput_len = 16\noutput_len = 8\ncommand = {}\n",
            toml_list(&bench_support::llama_server_command(port))
        );
    }
    std::fs::write(&experiment, body).unwrap();
    let out = dir.path().join("results");
    let o = run_experiment(&experiment, &out, &[]);
    let err = text(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(
        err.contains("a: ready at") && err.contains("b: ready at"),
        "{err}"
    );
    // Stopped once the experiment ended.
    assert!(!listening(ports[0]) && !listening(ports[1]), "{err}");

    let (files, _) = benchanim::results::load(&out).unwrap();
    assert_eq!(files.len(), 3, "{err}");
    for f in files
        .iter()
        .filter(|f| f.benchmark != "multitenant_experiment")
    {
        assert_eq!(num(f, "successful_requests"), 3.0);
        let (peak, increase) = (
            num(f, "server_memory_peak_mb"),
            num(f, "server_memory_increase_mb"),
        );
        // SmolLM2-135M with an 8192-token context: tens to hundreds of MB.
        assert!(peak > 10.0 && peak < 4096.0, "{peak} MB");
        assert!(increase >= 0.0 && increase <= peak, "{increase} MB");
    }
    let folder = std::fs::read_dir(out.join("experiments"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    for tenant in ["a", "b"] {
        let log = std::fs::read_to_string(folder.join(tenant).join("server.log")).unwrap();
        assert!(log.contains("listening"), "{tenant}'s log: {log}");
    }
    assert!(
        std::fs::read_to_string(folder.join("experiment.toml"))
            .unwrap()
            .contains("command = [")
    );
}

/// A server that ends while starting, or a port already taken, stops the experiment before
/// anything is measured, naming the tenant and quoting what its server said.
#[test]
fn a_server_that_cannot_start_is_named_with_its_output() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("results");
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let taken_port = taken.local_addr().unwrap().port();
    let free = bench_support::free_port();
    let listens = format!("tenant `a`: something already listens at http://127.0.0.1:{taken_port}");
    let cases = [
        (
            format!(
                "url = \"http://127.0.0.1:{free}\"\n\
                 command = [\"sh\", \"-c\", \"echo 'error: cannot load model.gguf' >&2; exit 3\"]\n"
            ),
            vec![
                "tenant `a`: its server `sh` ended (exit status: 3) before it answered",
                "  error: cannot load model.gguf",
            ],
        ),
        (
            format!("url = \"http://127.0.0.1:{taken_port}\"\ncommand = [\"true\"]\n"),
            vec![listens.as_str()],
        ),
        (
            format!("url = \"http://127.0.0.1:{free}\"\ncommand = [\"sleep\", \"30\"]\n"),
            vec!["did not answer at", "within 1 s (--ready-timeout)"],
        ),
    ];
    for (tenant, says) in cases {
        let experiment = dir.path().join("e.toml");
        std::fs::write(
            &experiment,
            format!("experiment_name = \"x\"\n[[tenants]]\nname = \"a\"\n{tenant}"),
        )
        .unwrap();
        let (o, took) = bench_support::run_within(
            &[
                "bench",
                "experiment",
                experiment.to_str().unwrap(),
                "--output-dir",
                out.to_str().unwrap(),
                "--ready-timeout",
                "1",
            ],
            std::time::Duration::from_secs(60),
        );
        let err = text(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{err}");
        for s in says {
            assert!(err.contains(s), "{s}\n{err}");
        }
        // Well within the 10 s a server has to stop after SIGTERM: `sleep` stops at once.
        assert!(took.as_secs() < 15, "{took:?}");
        assert!(!out.exists(), "{err}");
    }
}

/// `--start-mps` is refused, before any server starts, when MPS is off in the file, when a
/// tenant's server is not started by the experiment, or without the MPS control program.
#[test]
fn start_mps_is_refused_saying_what_it_needs() {
    let dir = tempfile::tempdir().unwrap();
    let marker = dir.path().join("server-started");
    let command = format!("command = [\"touch\", {:?}]\n", marker.to_str().unwrap());
    let port = bench_support::free_port();
    let tenant = |extra: &str| {
        format!("[[tenants]]\nname = \"a\"\nurl = \"http://127.0.0.1:{port}\"\n{extra}")
    };
    for (body, says) in [
        (
            format!("experiment_name = \"x\"\nmps = false\n{}", tenant(&command)),
            "the file says `mps = false`; set `mps = true`, or leave --start-mps out",
        ),
        (
            format!("experiment_name = \"x\"\nmps = true\n{}", tenant("")),
            "tenant `a` has no `command`",
        ),
        (
            format!("experiment_name = \"x\"\nmps = true\n{}", tenant(&command)),
            "`nvidia-cuda-mps-control` is not on PATH",
        ),
    ] {
        let file = dir.path().join("mps.toml");
        std::fs::write(&file, body).unwrap();
        let o = bench_support::benchanim()
            .args(["bench", "experiment", file.to_str().unwrap(), "--start-mps"])
            .args(["--output-dir", dir.path().join("out").to_str().unwrap()])
            .env("PATH", "/usr/bin:/bin")
            .output()
            .unwrap();
        let err = text(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{err}");
        assert!(err.contains(says), "{says}\n{err}");
        assert!(!marker.exists() && !dir.path().join("out").exists());
    }
}

/// SIGTERM while the tenants run: what was measured is filed as partial, and the servers the
/// experiment started are stopped.
#[test]
fn sigterm_files_what_was_measured_and_stops_the_started_servers() {
    let _turn = bench_support::server_turn();
    let port = bench_support::free_port();
    let dir = tempfile::tempdir().unwrap();
    let experiment = dir.path().join("long.toml");
    std::fs::write(
        &experiment,
        format!(
            "experiment_name = \"long\"\n[[tenants]]\nname = \"a\"\n\
             url = \"http://127.0.0.1:{port}\"\nprompts = 500\nwarmups = 1\ninput_len = 16\n\
             output_len = 8\ncommand = {}\n",
            toml_list(&bench_support::llama_server_command(port))
        ),
    )
    .unwrap();
    let out = dir.path().join("results");
    let child = spawn_experiment(&experiment, &out);
    // Measuring: the server has generated its warm-up and at least two requests' tokens.
    bench_support::wait_until_generated(port, 24.0);
    // SAFETY: kill(2) on the child's own process id.
    unsafe {
        libc::kill(child.id() as libc::pid_t, libc::SIGTERM);
    }
    let (status, err) = finish(child);
    assert_eq!(status.code(), Some(143), "{err}");
    assert!(!listening(port), "the server still runs\n{err}");
    let (files, _) = benchanim::results::load(&out).unwrap();
    let tenant = files
        .iter()
        .find(|f| field(f, "tenant") == "a")
        .unwrap_or_else(|| panic!("no tenant file: {err}"));
    assert!(
        field(tenant, "partial").eq_ignore_ascii_case("true"),
        "{err}"
    );
    assert!(num(tenant, "successful_requests") >= 2.0);
}

/// The shipped experiment files parse and pass every check (the run then stops at the
/// out-of-range --ready-timeout, which is checked after them).
#[test]
fn shipped_experiment_files_are_valid() {
    for file in [
        "examples/multitenant-cpu/trio_smollm.toml",
        "examples/multitenant-cpu/trio_smollm_started.toml",
    ] {
        let o = run(&["bench", "experiment", file, "--ready-timeout", "0"]);
        let err = text(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{file}: {err}");
        assert!(
            err.contains("--ready-timeout 0 is out of range: 1 to 86400 seconds"),
            "{file}: {err}"
        );
    }
}
