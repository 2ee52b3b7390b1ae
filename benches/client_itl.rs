//! How faithfully, and how cheaply, the streaming client measures inter-token latency at scale.
//!
//! A local server streams tokens to many concurrent requests at a fixed interval and records
//! when it actually wrote each one; the client (`bench::runners::openai::stream_completion`,
//! the code `benchanim bench openai` uses) measures the gaps as they arrive. The server notes
//! the time just before and just after each `write`, so the true gap between two tokens lies in
//! a known range; the error of a measured gap is how far it falls outside that range, and
//! server timer jitter does not count against the client. The client's CPU is the process's
//! CPU time less the server threads', so other load on the machine does not inflate it.
//!
//! By default it runs 256, 1,024 and 4,096 streams, each as often as it takes to measure at
//! least ten 256-stream runs' worth of gaps, prints the client's CPU per token and the p99 and
//! max gap error at each, and fails when any gap is off by 0.1 ms or more.
//!
//! A stream's next token is due one interval after its last write began, so a late server step
//! delays the next one as a real server's does, and never sends two of a stream's tokens back to
//! back: two tokens that reach the socket before the client read the first are merged by the
//! kernel into one segment with one (the later) stamp, and no client could tell them apart.
//!
//! `cargo bench --bench client_itl [-- --streams 256 --interval-ms 20 --tokens 100 --runs 10]`

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use benchanim::bench::runners::openai::stream_completion;
use benchanim::bench::transport::{Client, Stamps};
use benchanim::results::stats::{mean, percentile};
use hyper::body::Bytes;

/// The largest gap error the client may make, in milliseconds.
const MAX_ERROR_MS: f64 = 0.1;
/// Each scale measures at least this many streams' worth of gaps: ten runs of 256 streams.
const STREAMS_MEASURED: usize = 10 * 256;
/// The scales run by default: streams, and the interval between a stream's tokens (ms). The
/// interval grows with the streams so that the server thread and the client share two cores
/// without either falling behind its schedule.
const SCALES: [(usize, u64); 3] = [(256, 20), (1024, 40), (4096, 160)];

#[derive(Clone, Copy)]
struct Config {
    streams: usize,
    interval: Duration,
    tokens: usize,
    runs: usize,
}

/// The scales to run: the one the flags name, or [`SCALES`].
fn configs() -> Vec<Config> {
    let args: Vec<String> = std::env::args().collect();
    let get = |flag: &str| -> Option<u64> {
        let i = args.iter().position(|a| a == flag)?;
        let v = args.get(i + 1)?;
        match v.parse::<u64>() {
            Ok(n) if n > 0 => Some(n),
            _ => panic!("{flag} takes a whole number above 0, not `{v}`"),
        }
    };
    let tokens = get("--tokens").unwrap_or(100) as usize;
    let scale = |streams: usize, interval_ms: u64| Config {
        streams,
        interval: Duration::from_millis(get("--interval-ms").unwrap_or(interval_ms)),
        tokens,
        runs: get("--runs").map_or(STREAMS_MEASURED.div_ceil(streams), |r| r as usize),
    };
    match get("--streams") {
        Some(streams) => vec![scale(streams as usize, 20)],
        None => SCALES.iter().map(|&(s, i)| scale(s, i)).collect(),
    }
}

/// Raises the soft limit on open files to what `streams` connections need (a socket at each
/// end, and some to spare) and returns the limit now in force.
fn raise_fd_limit(streams: usize) -> u64 {
    let need = (2 * streams + 64) as u64;
    // SAFETY: getrlimit and setrlimit read and write the struct we own.
    unsafe {
        let mut limit: libc::rlimit = std::mem::zeroed();
        libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit);
        if limit.rlim_cur < need && need <= limit.rlim_max {
            limit.rlim_cur = need;
            libc::setrlimit(libc::RLIMIT_NOFILE, &limit);
            libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit);
        }
        assert!(
            limit.rlim_cur >= need,
            "{streams} streams need {need} open files; the limit is {} (hard {})",
            limit.rlim_cur,
            limit.rlim_max
        );
        limit.rlim_cur
    }
}

/// Each token's write: the instants just before and just after the server's `write` call.
/// The token left somewhere inside that window.
#[derive(Clone, Copy)]
struct TokenWrite {
    before: Instant,
    after: Instant,
}

/// The writes of each stream.
type Sends = Arc<Mutex<Vec<Vec<TokenWrite>>>>;

/// How far `gap` lies outside the range of true gaps that writes `a` then `b` allow.
fn gap_error(gap: f64, a: TokenWrite, b: TokenWrite) -> f64 {
    let shortest = b.before.saturating_duration_since(a.after).as_secs_f64();
    let longest = (b.after - a.before).as_secs_f64();
    (shortest - gap).max(gap - longest).max(0.0)
}

/// CPU seconds used by the calling thread (`RUSAGE_THREAD`) or the process (`RUSAGE_SELF`).
fn cpu_seconds(who: libc::c_int) -> f64 {
    // SAFETY: getrusage writes into the zeroed struct we own.
    let usage = unsafe {
        let mut u: libc::rusage = std::mem::zeroed();
        libc::getrusage(who, &mut u);
        u
    };
    let tv = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    tv(usage.ru_utime) + tv(usage.ru_stime)
}

/// Reads one request, answers with the SSE headers, and returns the stream id from the prompt.
fn accept_stream(stream: &TcpStream) -> Option<usize> {
    let mut reader = BufReader::new(stream.try_clone().ok()?);
    let mut length = 0;
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).ok()?;
        let line = line.trim();
        if line.is_empty() {
            break;
        }
        if let Some((k, v)) = line.split_once(':')
            && k.eq_ignore_ascii_case("content-length")
        {
            length = v.trim().parse().ok()?;
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    let body: serde_json::Value = serde_json::from_slice(&body).ok()?;
    let id = body["prompt"].as_str()?.parse().ok()?;
    let mut out = stream;
    out.write_all(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n",
    )
    .ok()?;
    Some(id)
}

/// A stream the server is writing to: its id, socket, when its next token is due, and how
/// many it has written.
struct Live {
    id: usize,
    socket: TcpStream,
    due: Instant,
    written: usize,
}

/// Writes a token to every stream at its interval from one thread, recording each write.
fn emit(cfg: &Config, incoming: mpsc::Receiver<(usize, TcpStream)>, sends: Sends) -> f64 {
    // Ask the kernel for precise wakeups.
    // SAFETY: prctl with PR_SET_TIMERSLACK only changes this thread's timer slack.
    unsafe {
        libc::prctl(libc::PR_SET_TIMERSLACK, 1 as libc::c_ulong);
    }
    let token = b"data: {\"choices\":[{\"index\":0,\"text\":\" tok\"}]}\n\n";
    let usage = format!(
        "data: {{\"choices\":[],\"usage\":{{\"prompt_tokens\":1,\"completion_tokens\":{}}}}}\n\ndata: [DONE]\n\n",
        cfg.tokens
    );
    let mut live: Vec<Live> = Vec::new();
    let mut accepted = 0;
    while accepted < cfg.streams || !live.is_empty() {
        while let Ok((id, socket)) = incoming.try_recv() {
            let due = Instant::now();
            live.push(Live {
                id,
                socket,
                due,
                written: 0,
            });
            accepted += 1;
        }
        let due = live.iter().map(|l| l.due).min();
        let now = Instant::now();
        match due {
            Some(d) if d > now => std::thread::sleep((d - now).min(Duration::from_millis(1))),
            None => std::thread::sleep(Duration::from_micros(200)),
            Some(_) => {}
        }
        let now = Instant::now();
        let mut written = Vec::new();
        live.retain_mut(|l| {
            if l.due > now {
                return true;
            }
            let before = Instant::now();
            if l.socket.write_all(token).is_err() {
                return false;
            }
            let after = Instant::now();
            written.push((l.id, TokenWrite { before, after }));
            l.due = before + cfg.interval;
            l.written += 1;
            if l.written == cfg.tokens {
                let _ = l.socket.write_all(usage.as_bytes());
                return false;
            }
            true
        });
        if let Ok(mut all) = sends.lock() {
            for (id, write) in written {
                all[id].push(write);
            }
        }
    }
    cpu_seconds(libc::RUSAGE_THREAD)
}

/// The machine's own floor: one thread blocked in `read` on one socket, no HTTP, no runtime.
/// Gap errors here come from the kernel and the (virtual) CPU, not from any client.
fn floor(cfg: &Config) -> Vec<f64> {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("address");
    let (interval, tokens) = (cfg.interval, cfg.tokens);
    let writer = std::thread::spawn(move || {
        // SAFETY: as in `emit`.
        unsafe {
            libc::prctl(libc::PR_SET_TIMERSLACK, 1 as libc::c_ulong);
        }
        let (mut s, _) = listener.accept().expect("accept");
        let _ = s.set_nodelay(true);
        let start = Instant::now();
        let mut sent = Vec::with_capacity(tokens);
        for k in 0..tokens {
            let due = start + interval * k as u32;
            std::thread::sleep(due.saturating_duration_since(Instant::now()));
            s.write_all(b"x").expect("write");
            sent.push(Instant::now());
        }
        sent
    });
    let mut s = TcpStream::connect(addr).expect("connect");
    let mut got = Vec::with_capacity(tokens);
    let mut byte = [0u8; 1];
    while got.len() < tokens && s.read_exact(&mut byte).is_ok() {
        got.push(Instant::now());
    }
    let sent = writer.join().expect("writer");
    (1..got.len().min(sent.len()))
        .map(|k| {
            let g = (got[k] - got[k - 1]).as_secs_f64();
            let w = (sent[k] - sent[k - 1]).as_secs_f64();
            (g - w).abs() * 1e3
        })
        .collect()
}

/// What the runs of one scale measured.
#[derive(Default)]
struct Run {
    failed: usize,
    /// Milliseconds: the client's gaps, the server's gaps, the error of each gap, the
    /// server's write windows, and the delay from write to stamp.
    measured: Vec<f64>,
    actual: Vec<f64>,
    error: Vec<f64>,
    window: Vec<f64>,
    delay: Vec<f64>,
    /// The tokens the client stamped, its CPU seconds, and the seconds the runs took.
    tokens: usize,
    client_cpu: f64,
    wall: f64,
}

impl Run {
    fn max_error(&self) -> f64 {
        self.error.iter().copied().fold(0.0, f64::max)
    }

    /// Gaps off by [`MAX_ERROR_MS`] or more, and how many of them the client measured as
    /// nothing: two tokens it took from one read, because it read the first an interval late.
    fn misses(&self) -> (usize, usize) {
        let missed = self.error.iter().filter(|e| **e >= MAX_ERROR_MS);
        let together = (self.error.iter().zip(&self.measured))
            .filter(|(e, m)| **e >= MAX_ERROR_MS && **m < 0.001);
        (missed.count(), together.count())
    }
}

/// The machine's load average over the last minute, as `/proc/loadavg` has it.
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split_whitespace().next().map(str::to_string))
        .unwrap_or_else(|| "unknown".into())
}

/// Streams `cfg.streams` completions at once from the local server to a client that stamps
/// tokens as `stamps` says, and adds what it measured to `out`.
fn run(cfg: &Config, stamps: Stamps, out: &mut Run) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("address").port();
    let sends: Sends = Arc::new(Mutex::new(vec![Vec::new(); cfg.streams]));

    let (tx, rx) = mpsc::channel();
    let streams = cfg.streams;
    let acceptor = std::thread::spawn(move || {
        for _ in 0..streams {
            let Ok((s, _)) = listener.accept() else { break };
            let _ = s.set_nodelay(true);
            if let Some(id) = accept_stream(&s) {
                let _ = tx.send((id, s));
            }
        }
        cpu_seconds(libc::RUSAGE_THREAD)
    });
    let emitter = {
        let (sends, cfg) = (sends.clone(), *cfg);
        std::thread::spawn(move || emit(&cfg, rx, sends))
    };

    let cpu_before = cpu_seconds(libc::RUSAGE_SELF);
    let wall = Instant::now();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let results = runtime.block_on(async {
        let client = Client::new(format!("127.0.0.1:{port}"), cfg.streams, stamps);
        let tasks: Vec<_> = (0..cfg.streams)
            .map(|i| {
                let client = client.clone();
                tokio::spawn(async move {
                    let body = serde_json::json!({ "model": "m", "prompt": i.to_string(), "stream": true });
                    stream_completion(&client, "/v1/completions", Bytes::from(body.to_string())).await
                })
            })
            .collect();
        let mut out = Vec::new();
        for t in tasks {
            out.push(t.await.expect("task"));
        }
        out
    });
    out.wall += wall.elapsed().as_secs_f64();
    drop(runtime);
    let server_cpu = emitter.join().expect("emitter") + acceptor.join().expect("acceptor");
    out.client_cpu += cpu_seconds(libc::RUSAGE_SELF) - cpu_before - server_cpu;

    let sends = sends.lock().expect("sends");
    for (i, r) in results.iter().enumerate() {
        let Ok(c) = r else {
            out.failed += 1;
            continue;
        };
        let sent = &sends[i];
        if c.itl.len() + 1 != sent.len() {
            out.failed += 1;
            continue;
        }
        out.tokens += sent.len();
        let mut arrival = c.sent + Duration::from_secs_f64(c.ttft);
        out.delay.push(
            arrival
                .saturating_duration_since(sent[0].before)
                .as_secs_f64()
                * 1e3,
        );
        for k in 1..sent.len() {
            let client_gap = c.itl[k - 1];
            arrival += Duration::from_secs_f64(client_gap);
            out.measured.push(client_gap * 1e3);
            out.actual
                .push((sent[k].before - sent[k - 1].before).as_secs_f64() * 1e3);
            out.error
                .push(gap_error(client_gap, sent[k - 1], sent[k]) * 1e3);
            out.window
                .push((sent[k].after - sent[k].before).as_secs_f64() * 1e3);
            out.delay.push(
                arrival
                    .saturating_duration_since(sent[k].before)
                    .as_secs_f64()
                    * 1e3,
            );
        }
    }
}

/// `mean … ms   p99 … ms` of `values`, aligned for the table `print_run` prints.
fn spread(values: &[f64]) -> String {
    format!(
        "mean {:8.4} ms   p99 {:8.4} ms",
        mean(values),
        percentile(values, 99.0)
    )
}

/// The client's CPU per token it stamped, in microseconds.
fn cpu_per_token(r: &Run) -> f64 {
    1e6 * r.client_cpu / r.tokens.max(1) as f64
}

fn print_run(name: &str, r: &Run) {
    println!("{name} ({} failed)", r.failed);
    println!("  client's measured ITL    {}", spread(&r.measured));
    println!("  server's actual gaps     {}", spread(&r.actual));
    println!(
        "  error of a measured gap  {}   max {:.4} ms over {} gaps",
        spread(&r.error),
        r.max_error(),
        r.error.len()
    );
    println!(
        "  server write() window    {}   (the true gap is known to this)",
        spread(&r.window)
    );
    println!(
        "  write → stamp delay      p50 {:8.4} ms   p99 {:8.4} ms",
        percentile(&r.delay, 50.0),
        percentile(&r.delay, 99.0)
    );
    let (missed, together) = r.misses();
    println!(
        "  gaps off by ≥ {MAX_ERROR_MS} ms: {missed}, of which {together} are two tokens taken from one read"
    );
    println!(
        "  client CPU: {:.3} s over {:.2} s wall ({:.1}% of one core), {:.2} µs per token",
        r.client_cpu,
        r.wall,
        100.0 * r.client_cpu / r.wall,
        cpu_per_token(r)
    );
}

/// Runs one scale `cfg.runs` times with kernel stamps.
fn scale(cfg: &Config) -> Run {
    let limit = raise_fd_limit(cfg.streams);
    println!(
        "\n{} streams × {} tokens every {:.0} ms, {} run(s); open-file limit {limit}; load average {}",
        cfg.streams,
        cfg.tokens,
        cfg.interval.as_secs_f64() * 1e3,
        cfg.runs,
        load_average()
    );
    let mut total = Run::default();
    for _ in 0..cfg.runs {
        let mut one = Run::default();
        run(cfg, Stamps::Kernel, &mut one);
        println!(
            "  run: p99 error {:.4} ms, max {:.4} ms, {:.2} µs CPU per token, {} failed",
            percentile(&one.error, 99.0),
            one.max_error(),
            cpu_per_token(&one),
            one.failed
        );
        total.failed += one.failed;
        total.tokens += one.tokens;
        total.client_cpu += one.client_cpu;
        total.wall += one.wall;
        for (all, part) in [
            (&mut total.measured, one.measured),
            (&mut total.actual, one.actual),
            (&mut total.error, one.error),
            (&mut total.window, one.window),
            (&mut total.delay, one.delay),
        ] {
            all.extend(part);
        }
    }
    print_run("benchanim's client, kernel receive stamps", &total);
    total
}

fn main() {
    let configs = configs();
    let first = configs[0];
    let floor = floor(&first);
    println!(
        "floor: one thread in a blocking read on one socket, read-time stamps: error mean {:.4} ms, p99 {:.4} ms",
        mean(&floor),
        percentile(&floor, 99.0)
    );
    let mut read_time = Run::default();
    run(&first, Stamps::ReadTime, &mut read_time);
    print_run(
        &format!(
            "baseline at {} streams: the same client stamping at read time",
            first.streams
        ),
        &read_time,
    );
    let results: Vec<(Config, Run)> = configs.iter().map(|c| (*c, scale(c))).collect();

    println!(
        "\nstreams  interval  tokens/s    gaps      CPU/token   p99 error   max error  failed"
    );
    let mut missed = Vec::new();
    for (cfg, r) in &results {
        let rate = cfg.streams as f64 / cfg.interval.as_secs_f64();
        println!(
            "{:7}  {:5.0} ms  {rate:8.0}  {:9}  {:7.2} µs  {:7.4} ms  {:7.4} ms  {:6}",
            cfg.streams,
            cfg.interval.as_secs_f64() * 1e3,
            r.error.len(),
            cpu_per_token(r),
            percentile(&r.error, 99.0),
            r.max_error(),
            r.failed
        );
        if r.max_error() >= MAX_ERROR_MS || r.failed > 0 || r.error.is_empty() {
            missed.push(cfg.streams);
        }
    }
    println!(
        "read-time stamps at {} streams: p99 error {:.4} ms, max {:.4} ms",
        first.streams,
        percentile(&read_time.error, 99.0),
        read_time.max_error()
    );
    if !missed.is_empty() {
        benchanim::stderr_line!(
            "error: at {missed:?} streams a gap was off by {MAX_ERROR_MS} ms or more, or a stream failed"
        );
        std::process::exit(1);
    }
    println!("every gap within {MAX_ERROR_MS} ms of the server's writes");
}
