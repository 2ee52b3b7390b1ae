//! Shared by the `bench` tests: the benchanim binary, result files, a real llama-server, and
//! small fake servers for answers a real server never gives.

#![allow(dead_code)] // each test file uses a different part

pub mod fake;

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use benchanim::results::ResultFile;

pub fn benchanim() -> Command {
    Command::new(env!("CARGO_BIN_EXE_benchanim"))
}

pub fn run(args: &[&str]) -> Output {
    benchanim().args(args).output().expect("benchanim runs")
}

/// Runs benchanim and returns its output and how long it took; kills it and fails the test if
/// it runs past `limit`.
pub fn run_within(args: &[&str], limit: Duration) -> (Output, Duration) {
    let start = Instant::now();
    let child = benchanim()
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("benchanim runs");
    let pid = child.id();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait_with_output());
    });
    match rx.recv_timeout(limit) {
        Ok(output) => (output.expect("benchanim output"), start.elapsed()),
        Err(_) => {
            let _ = Command::new("kill").args(["-9", &pid.to_string()]).status();
            panic!("benchanim {args:?} did not finish within {limit:?}");
        }
    }
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A port nothing listens on (bound, then released).
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// Every result file under `dir`.
pub fn result_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(gpus) = std::fs::read_dir(dir) else {
        return out;
    };
    for gpu in gpus.flatten() {
        for f in std::fs::read_dir(gpu.path())
            .into_iter()
            .flatten()
            .flatten()
        {
            out.push(f.path());
        }
    }
    out.sort();
    out
}

/// The only result file under `dir`, read.
pub struct Result {
    pub file: ResultFile,
    pub folder: String,
}

impl Result {
    pub fn only_in(dir: &Path) -> Result {
        let files = result_files(dir);
        assert_eq!(files.len(), 1, "expected one result file, found {files:?}");
        let folder = files[0]
            .parent()
            .and_then(|p| p.file_name())
            .and_then(|n| n.to_str())
            .expect("a GPU folder")
            .to_string();
        let (file, warnings) = ResultFile::read(&files[0], Some(&folder)).expect("readable");
        assert!(warnings.is_empty(), "{warnings:?}");
        Result { file, folder }
    }

    pub fn num(&self, metric: &str) -> f64 {
        self.file
            .number(metric)
            .unwrap_or_else(|| panic!("no number `{metric}` in {}", self.file.path.display()))
    }

    pub fn text(&self, metric: &str) -> String {
        self.file
            .get(metric)
            .unwrap_or_else(|| panic!("no `{metric}` in {}", self.file.path.display()))
            .value
            .to_text()
    }

    /// A `true`/`false` row.
    pub fn flag(&self, metric: &str) -> bool {
        self.file.get(metric).map(|r| &r.value) == Some(&benchanim::results::Value::Bool(true))
    }

    pub fn has(&self, metric: &str) -> bool {
        self.file.get(metric).is_some()
    }

    pub fn rows(&self) -> BTreeMap<String, String> {
        self.file
            .rows
            .iter()
            .map(|r| (r.metric.clone(), r.value.to_text()))
            .collect()
    }
}

/// A plain HTTP GET, for the test's own look at a server.
pub fn http_get(port: u16, path: &str) -> Option<(u16, String)> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(10))).ok()?;
    write!(s, "GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").ok()?;
    let mut reply = String::new();
    s.read_to_string(&mut reply).ok()?;
    let status = reply.split_whitespace().nth(1)?.parse().ok()?;
    let body = reply
        .split_once("\r\n\r\n")
        .map_or("", |(_, b)| b)
        .to_string();
    Some((status, body))
}

/// Real-server tests run one at a time: they share two CPU cores with everything else.
static SERVER_LOCK: Mutex<()> = Mutex::new(());

/// llama.cpp's llama-server with SmolLM2, on a free port, stopped when dropped.
pub struct LlamaServer {
    child: Child,
    pub port: u16,
    /// The turn among real-server tests, held by the last server of a group.
    _turn: Option<MutexGuard<'static, ()>>,
}

fn required_env(name: &str) -> PathBuf {
    let value = std::env::var_os(name).unwrap_or_else(|| {
        panic!(
            "{name} is not set. These tests run a real llama-server: build it and fetch the \
             model with `eval \"$(scripts/llama-server.sh)\"`, then run the tests again."
        )
    });
    let path = PathBuf::from(value);
    assert!(
        path.is_file(),
        "{name}={} does not exist; run scripts/llama-server.sh",
        path.display()
    );
    path
}

/// The turn among real-server tests, for a test that has benchanim start its servers.
pub fn server_turn() -> MutexGuard<'static, ()> {
    SERVER_LOCK.lock().unwrap_or_else(|e| e.into_inner())
}

/// The command line of a llama-server with SmolLM2 on `port` of 127.0.0.1.
pub fn llama_server_command(port: u16) -> Vec<String> {
    let mut command: Vec<String> = vec![
        required_env("BENCHANIM_LLAMA_SERVER").display().to_string(),
        "-m".into(),
        required_env("BENCHANIM_GGUF").display().to_string(),
    ];
    let port = port.to_string();
    // One thread: on a busy 2-core machine, two llama.cpp threads waiting on each other for
    // every step of the graph take ten times as long as one.
    let rest = [
        "--host",
        "127.0.0.1",
        "--port",
        &port,
        "-np",
        "4",
        "-c",
        "8192",
        "-t",
        "1",
        "--metrics",
    ];
    command.extend(rest.iter().map(|a| a.to_string()));
    command
}

impl LlamaServer {
    pub fn start() -> LlamaServer {
        LlamaServer::start_many(1).pop().unwrap()
    }

    /// `n` servers at once, on ports of their own (tenants sharing the machine).
    pub fn start_many(n: usize) -> Vec<LlamaServer> {
        let turn = server_turn();
        // Every port held until all are known, so that no two servers are handed the same.
        let probes: Vec<std::net::TcpListener> = (0..n)
            .map(|_| std::net::TcpListener::bind("127.0.0.1:0").expect("a free port"))
            .collect();
        let ports: Vec<u16> = probes
            .iter()
            .map(|p| p.local_addr().unwrap().port())
            .collect();
        drop(probes);
        let mut servers: Vec<LlamaServer> = ports
            .into_iter()
            .map(|port| {
                let command = llama_server_command(port);
                let child = Command::new(&command[0])
                    .args(&command[1..])
                    .stdout(Stdio::null())
                    .stderr(Stdio::null())
                    .spawn()
                    .unwrap_or_else(|e| panic!("cannot start {}: {e}", command[0]));
                LlamaServer {
                    child,
                    port,
                    _turn: None,
                }
            })
            .collect();
        // Dropped last, so the turn ends when every server of the group has stopped.
        if let Some(last) = servers.last_mut() {
            last._turn = Some(turn);
        }
        let deadline = Instant::now() + Duration::from_secs(120);
        for server in &mut servers {
            loop {
                if let Some((200, _)) = http_get(server.port, "/health") {
                    break;
                }
                if let Ok(Some(status)) = server.child.try_wait() {
                    panic!("llama-server exited while starting: {status}");
                }
                assert!(
                    Instant::now() < deadline,
                    "llama-server not healthy after 120 s"
                );
                std::thread::sleep(Duration::from_millis(100));
            }
        }
        servers
    }

    /// The server's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// The server's own counters: (prompt tokens processed, tokens generated).
    pub fn token_counters(&self) -> (f64, f64) {
        token_counters(self.port).expect("/metrics answers with llama.cpp's token counters")
    }

    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for LlamaServer {
    fn drop(&mut self) {
        self.kill();
    }
}

/// The counters of the llama-server on `port`: (prompt tokens processed, tokens generated);
/// `None` while it does not answer.
pub fn token_counters(port: u16) -> Option<(f64, f64)> {
    let (_, body) = http_get(port, "/metrics")?;
    let counter = |name: &str| {
        body.lines()
            .find_map(|l| l.strip_prefix(name)?.trim().parse::<f64>().ok())
    };
    Some((
        counter("llamacpp:prompt_tokens_total ")?,
        counter("llamacpp:tokens_predicted_total ")?,
    ))
}

/// Waits until the llama-server on `port` has generated `tokens` tokens in all.
pub fn wait_until_generated(port: u16, tokens: f64) {
    let deadline = Instant::now() + Duration::from_secs(120);
    while token_counters(port).is_none_or(|(_, generated)| generated < tokens) {
        assert!(
            Instant::now() < deadline,
            "the server on port {port} never generated {tokens} tokens"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Waits for a child with a deadline; kills it and fails the test past it.
pub fn wait_with_deadline(child: &mut Child, limit: Duration) -> std::process::ExitStatus {
    let deadline = Instant::now() + limit;
    loop {
        if let Some(status) = child.try_wait().expect("child status") {
            return status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("benchanim did not finish within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Polls until `ready` holds, failing the test after `limit`.
pub fn wait_until(limit: Duration, what: &str, mut ready: impl FnMut() -> bool) {
    let deadline = Instant::now() + limit;
    while !ready() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}
