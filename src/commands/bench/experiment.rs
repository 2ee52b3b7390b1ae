//! `benchanim bench experiment FILE.toml`: tenants (servers sharing one GPU) measured together.
//! Each tenant is measured as `bench openai` measures; all warm up first, then their measured
//! requests start together behind a gate. A result file per tenant, one for the experiment,
//! and each tenant's request events are written.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, bail};
use serde::Deserialize;

use super::args::CommonArgs;
use crate::atomic::write_atomic;
use crate::bench::driver::gate::StartGate;
use crate::bench::driver::stop::StopSignal;
use crate::bench::driver::{self, Finished, Options};
use crate::bench::launch::{Launch, Servers};
use crate::bench::mps::MpsDaemon;
use crate::bench::runners::openai::{Api, EventLog, OpenAi, OpenAiOptions, Shape, Sweep};
use crate::bench::telemetry::{Device, Telemetry};
use crate::commands::stdout;
use crate::results::{Record, ResultFile, Row, Value, sanitize};

/// Most tenants an experiment may have.
const MAX_TENANTS: usize = 64;
/// Largest experiment file read.
const MAX_FILE_BYTES: u64 = 1 << 20;

#[derive(Debug, clap::Args)]
#[command(after_help = "The experiment file (TOML):

  experiment_name = \"pair_qwen\"
  mps = false                      # recorded as the tenants' `mps` (see --start-mps)
  [[tenants]]
  name = \"qwen_a\"
  url = \"http://127.0.0.1:8001\"
  max_concurrency = 4              # defaults: 1 in flight, 100 prompts, 2 warm-ups,
  prompts = 100                    #   128 tokens in, 128 out, all sent at once
  input_len = 128
  output_len = 128
  # model = \"...\", warmups = 2, request_rate = 4.0, api = \"chat\", server_pid = 1234
  [[tenants]]
  name = \"qwen_b\"
  url = \"http://127.0.0.1:8002\"
  # The server may be started by the experiment: the program and its arguments (no shell).
  # It runs until the experiment ends, its memory is sampled, and its output is kept.
  command = [\"llama-server\", \"-m\", \"qwen.gguf\", \"--port\", \"8002\"]

Writes, under --results: a result file per tenant in <GPU>/ (as bench openai's, plus
experiment, tenant, tenants, mps and started_at_unix), the experiment's own file
(multitenant_experiment: gpu_throughput_tokens_per_s over the longest tenant, max_wall_time_s,
max_latency_p99_ms, max_start_offset_ms, GPU telemetry when NVML finds a GPU), and
experiments/<name>_<time>/ with the experiment file and each tenant's events.jsonl (and
server.log for the servers it started).

Exit codes as bench openai's, the worst tenant's.")]
pub struct ExperimentArgs {
    /// The experiment: its name, whether MPS is on, and its tenants.
    #[arg(value_name = "FILE.toml")]
    pub file: PathBuf,
    /// Measure each tenant alone first (files with `solo,true` and `tenants,1`), as the
    /// baseline for what sharing costs.
    #[arg(long)]
    pub solo: bool,
    /// What each tenant's events.jsonl holds: every request's start, first token and end, or
    /// every token as well.
    #[arg(long, value_enum, default_value = "requests")]
    pub events: EventDetail,
    /// Seconds before a request counts as failed.
    #[arg(long, default_value_t = 600.0)]
    pub timeout: f64,
    /// Seconds the servers the experiment starts (tenants with a `command`) have to answer
    /// /health or /v1/models, from 1 to 86400.
    #[arg(long, value_name = "SECONDS", default_value_t = 600)]
    pub ready_timeout: u64,
    /// Start the CUDA MPS control daemon before the servers and stop it after them. Needs
    /// root, nvidia-cuda-mps-control, `mps = true` and a `command` for every tenant (servers
    /// started before the daemon do not use it).
    #[arg(long)]
    pub start_mps: bool,
    #[command(flatten)]
    pub common: CommonArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum EventDetail {
    Requests,
    Tokens,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Experiment {
    experiment_name: String,
    #[serde(default)]
    mps: bool,
    tenants: Vec<Tenant>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Tenant {
    name: String,
    url: String,
    model: Option<String>,
    #[serde(default = "one")]
    max_concurrency: u32,
    #[serde(default = "hundred")]
    prompts: u32,
    #[serde(default = "two")]
    warmups: u32,
    #[serde(default = "tokens")]
    input_len: u32,
    #[serde(default = "tokens")]
    output_len: u32,
    request_rate: Option<f64>,
    #[serde(default)]
    api: ApiName,
    server_pid: Option<u32>,
    /// The server's program and arguments, when the experiment starts it.
    command: Option<Vec<String>>,
}

#[derive(Debug, Clone, Copy, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
enum ApiName {
    #[default]
    Completions,
    Chat,
}

fn one() -> u32 {
    1
}
fn two() -> u32 {
    2
}
fn hundred() -> u32 {
    100
}
fn tokens() -> u32 {
    128
}

pub fn run(args: ExperimentArgs) -> anyhow::Result<i32> {
    let text = read(&args.file)?;
    let experiment: Experiment =
        toml::from_str(&text).map_err(|e| anyhow::anyhow!("{}: {e}", args.file.display()))?;
    experiment
        .check()
        .with_context(|| args.file.display().to_string())?;
    if !(args.timeout > 0.0 && args.timeout <= 86_400.0) {
        bail!(
            "--timeout {} is out of range: above 0, at most 86400 seconds (a day)",
            crate::terminal::number(args.timeout)
        );
    }
    if !(1..=86_400).contains(&args.ready_timeout) {
        bail!(
            "--ready-timeout {} is out of range: 1 to 86400 seconds (a day)",
            args.ready_timeout
        );
    }
    if args.common.server_pid.is_some() {
        bail!(
            "--server-pid is given per tenant in an experiment: `server_pid = PID` in its \
             [[tenants]], or a `command` the experiment starts"
        );
    }
    for t in &experiment.tenants {
        if let Some(pid) = t.server_pid {
            crate::bench::telemetry::process::check_pid(pid)
                .with_context(|| format!("{}: tenant `{}`", args.file.display(), t.name))?;
        }
    }
    if args.start_mps {
        experiment
            .check_mps()
            .with_context(|| format!("--start-mps with {}", args.file.display()))?;
    }
    // Before the servers start, so that they share the GPU through it; stopped after them.
    let _mps = args.start_mps.then(MpsDaemon::start).transpose()?;
    let base: Options = args.common.clone().into();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let result = runtime.block_on(measure(&args, &experiment, &text, base));
    runtime.shutdown_background();
    result
}

fn read(path: &Path) -> anyhow::Result<String> {
    let meta = std::fs::metadata(path)
        .with_context(|| format!("cannot read experiment file `{}`", path.display()))?;
    if !meta.is_file() || meta.len() > MAX_FILE_BYTES {
        bail!(
            "`{}` is not an experiment file (a TOML file of at most 1 MiB)",
            path.display()
        );
    }
    std::fs::read_to_string(path)
        .with_context(|| format!("cannot read experiment file `{}`", path.display()))
}

impl Experiment {
    /// Every number against its range, names present and distinct.
    fn check(&self) -> anyhow::Result<()> {
        if self.experiment_name.trim().is_empty() || sanitize(&self.experiment_name).is_empty() {
            bail!("experiment_name needs letters or digits");
        }
        if !(1..=MAX_TENANTS).contains(&self.tenants.len()) {
            bail!(
                "{} tenants; an experiment has 1 to {MAX_TENANTS} ([[tenants]])",
                self.tenants.len()
            );
        }
        for (i, t) in self.tenants.iter().enumerate() {
            let at = format!("tenants[{i}] (\"{}\")", t.name);
            if sanitize(&t.name).is_empty() {
                bail!("{at}: `name` needs letters or digits");
            }
            if self.tenants[..i].iter().any(|o| o.name == t.name) {
                bail!("{at}: two tenants are called `{}`", t.name);
            }
            let ranges = [
                ("max_concurrency", t.max_concurrency, 1, 4096),
                ("prompts", t.prompts, 1, 1_000_000),
                ("warmups", t.warmups, 0, 10_000),
                ("input_len", t.input_len, 1, 1_000_000),
                ("output_len", t.output_len, 1, 1_000_000),
            ];
            for (key, value, lo, hi) in ranges {
                if !(lo..=hi).contains(&value) {
                    bail!("{at}: {key} = {value} is out of range: {lo} to {hi}");
                }
            }
            if let Some(r) = t.request_rate
                && !(0.001..=1_000_000.0).contains(&r)
            {
                bail!(
                    "{at}: request_rate = {} is out of range: 0.001 to 1000000 requests per second (leave it out to send all at once)",
                    crate::terminal::number(r)
                );
            }
            if let Some(command) = &t.command {
                if command.first().is_none_or(|p| p.trim().is_empty()) {
                    bail!("{at}: `command` needs the server's program first, then its arguments");
                }
                if t.server_pid.is_some() {
                    bail!(
                        "{at}: give `command` or `server_pid`, not both (a server the experiment \
                         starts is sampled by its own process id)"
                    );
                }
            }
        }
        Ok(())
    }

    /// MPS can only be started for this experiment when MPS is on and the experiment starts
    /// every server itself.
    fn check_mps(&self) -> anyhow::Result<()> {
        if !self.mps {
            bail!("the file says `mps = false`; set `mps = true`, or leave --start-mps out");
        }
        if let Some(t) = self.tenants.iter().find(|t| t.command.is_none()) {
            bail!(
                "tenant `{}` has no `command`: a server started before the MPS daemon does not \
                 use it, so give each tenant the `command` that starts its server",
                t.name
            );
        }
        Ok(())
    }

    /// The servers the experiment starts itself.
    fn launches(&self) -> Vec<Launch> {
        self.tenants
            .iter()
            .filter_map(|t| {
                Some(Launch {
                    tenant: t.name.clone(),
                    command: t.command.clone()?,
                    url: t.url.clone(),
                })
            })
            .collect()
    }
}

/// What one tenant's run gave.
struct Measured {
    tenant: String,
    finished: anyhow::Result<Finished>,
    events: EventLog,
}

async fn measure(
    args: &ExperimentArgs,
    experiment: &Experiment,
    text: &str,
    base: Options,
) -> anyhow::Result<i32> {
    let stop = StopSignal::with_ctrl_c();
    // Said once here, rather than by each tenant's run.
    let (mut device, why_not) = Device::detect(base.gpu_name.as_deref(), base.gpu_index);
    device.announce(why_not.as_deref());
    let bars = indicatif::MultiProgress::new();
    let launches = experiment.launches();
    let servers = if launches.is_empty() {
        None
    } else {
        eprintln!(
            "== starting {} server{}",
            launches.len(),
            if launches.len() == 1 { "" } else { "s" }
        );
        let mut servers = Servers::start(&launches).await?;
        let limit = Duration::from_secs(args.ready_timeout);
        if let Err(e) = servers.wait_ready(limit, &stop).await {
            return match stop.get() {
                Some(why) => {
                    eprintln!(
                        "{} while the servers started; nothing measured",
                        why.reason()
                    );
                    Ok(why.exit_code())
                }
                None => Err(e),
            };
        }
        Some(servers)
    };
    let pid = |t: &Tenant| t.server_pid.or_else(|| servers.as_ref()?.pid(&t.name));
    let mut code = 0;
    // Each file with whose it is.
    let mut files: Vec<(PathBuf, String)> = Vec::new();
    if args.solo {
        for tenant in &experiment.tenants {
            eprintln!("== {}: alone", tenant.name);
            let measured = run_tenants(
                args,
                experiment,
                std::slice::from_ref(tenant),
                &base,
                true,
                &bars,
                &pid,
            )
            .await?;
            code = code.max(collect(measured, true, &mut files, &mut Vec::new())?);
            if let Some(why) = stop.get() {
                eprintln!("{}: the tenants are not measured together", why.reason());
                print_written(&files, None)?;
                return Ok(code.max(why.exit_code()));
            }
        }
    }
    eprintln!(
        "== {} tenants together: {}",
        experiment.tenants.len(),
        experiment
            .tenants
            .iter()
            .map(|t| t.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    );
    // The GPU over the whole shared window, warm-ups included.
    let sampler = device.start_sampler();
    let measured = run_tenants(
        args,
        experiment,
        &experiment.tenants,
        &base,
        false,
        &bars,
        &pid,
    )
    .await?;
    let telemetry = sampler.map(|s| device.finish_sampler(s));
    let mut events = Vec::new();
    let mut together = Vec::new();
    code = code.max(collect(measured, false, &mut together, &mut events)?);
    let shared: Vec<PathBuf> = together.iter().map(|(p, _)| p.clone()).collect();
    files.extend(together);

    // Nothing more to file when no tenant measured anything.
    if shared.is_empty() {
        eprintln!("error: no tenant has a result; no experiment file written");
        return Ok(code.max(1));
    }
    let tenants: Vec<ResultFile> = shared
        .iter()
        .filter_map(|p| ResultFile::read(p, None).ok().map(|(f, _)| f))
        .collect();
    let gpu = device.sanitized();
    let timestamp = tenants
        .iter()
        .map(|t| t.timestamp.clone())
        .min()
        .unwrap_or_default();
    let mut rows = device.rows();
    rows.extend([
        Row::text("timestamp", timestamp.as_str()),
        Row::text("experiment", experiment.experiment_name.as_str()),
        Row::number("tenants", experiment.tenants.len() as f64, 0, ""),
        Row::new("mps", Value::Bool(experiment.mps), ""),
    ]);
    rows.extend(experiment_figures(&tenants));
    let tokens = tenants
        .iter()
        .filter_map(|t| t.field("total_generated_tokens")?.as_number())
        .sum::<f64>();
    rows.extend(gpu_rows(telemetry.as_ref(), tokens, why_not.as_deref()));
    rows.extend(start_offsets(&tenants));
    let record = Record {
        family: "multitenant".into(),
        benchmark: "multitenant_experiment".into(),
        timestamp: timestamp.clone(),
        rows,
    };
    let path = record.write_unique(&base.output_dir, &gpu)?;
    files.push((path, "the experiment".into()));

    // The experiment as it ran, and what each tenant's requests did.
    let folder = base.output_dir.join("experiments").join(format!(
        "{}_{timestamp}",
        sanitize(&experiment.experiment_name)
    ));
    std::fs::create_dir_all(&folder)
        .with_context(|| format!("cannot make `{}`", folder.display()))?;
    write_atomic(&folder.join("experiment.toml"), text.as_bytes())?;
    for (tenant, log) in &events {
        let dir = folder.join(sanitize(tenant));
        std::fs::create_dir_all(&dir)
            .with_context(|| format!("cannot make `{}`", dir.display()))?;
        let lines = log.lines.lock().map(|l| l.join("\n")).unwrap_or_default();
        write_atomic(&dir.join("events.jsonl"), format!("{lines}\n").as_bytes())?;
    }
    if let Some(servers) = &servers {
        servers.keep_logs(&folder, sanitize);
    }
    print_written(&files, Some(&folder))?;
    Ok(code)
}

/// The files written, each with whose it is, and where the events are.
fn print_written(files: &[(PathBuf, String)], events: Option<&Path>) -> anyhow::Result<()> {
    let mut out = String::new();
    for (f, whose) in files {
        out += &format!("wrote {} ({whose})\n", f.display());
    }
    if let Some(folder) = events {
        out += &format!("events in {}\n", folder.display());
    }
    stdout::print(&out)
}

/// Runs `tenants` together (their measured requests behind one gate), or one alone.
async fn run_tenants(
    args: &ExperimentArgs,
    experiment: &Experiment,
    tenants: &[Tenant],
    base: &Options,
    solo: bool,
    bars: &indicatif::MultiProgress,
    pid: &dyn Fn(&Tenant) -> Option<u32>,
) -> anyhow::Result<Vec<Measured>> {
    let gate = (!solo).then(|| StartGate::new(tenants.len()));
    let timeout = Duration::from_secs_f64(args.timeout);
    let mut set = tokio::task::JoinSet::new();
    for (i, tenant) in tenants.iter().enumerate() {
        let events = EventLog {
            tokens: args.events == EventDetail::Tokens,
            ..EventLog::default()
        };
        let runner = OpenAi::new(OpenAiOptions {
            url: tenant.url.clone(),
            model: tenant.model.clone(),
            prompts: tenant.prompts as usize,
            warmups: tenant.warmups as usize,
            sweep: Sweep {
                max_concurrency: vec![tenant.max_concurrency as usize],
                request_rate: vec![tenant.request_rate],
                shapes: vec![Shape {
                    input_len: tenant.input_len,
                    output_len: tenant.output_len,
                }],
                repeat: 1,
            },
            range_ratio: 0.0,
            // Prompts of their own for each tenant and each run, so that no run is answered
            // from a prompt cache another filled.
            seed: 42 + i as u64 + if solo { 1000 } else { 0 },
            timeout,
            api: match tenant.api {
                ApiName::Completions => Api::Completions,
                ApiName::Chat => Api::Chat,
            },
            events: Some(events.clone()),
            family: None,
        })
        .with_context(|| format!("tenant `{}`", tenant.name))?;
        let count = if solo { 1 } else { experiment.tenants.len() };
        let mut extra_rows = vec![
            Row::text("experiment", experiment.experiment_name.as_str()),
            Row::text("tenant", tenant.name.as_str()),
            Row::number("tenants", count as f64, 0, ""),
            Row::new("mps", Value::Bool(experiment.mps), ""),
        ];
        if solo {
            extra_rows.push(Row::new("solo", Value::Bool(true), ""));
        }
        let options = Options {
            server_pid: pid(tenant),
            start_gate: gate.clone(),
            extra_rows,
            tenant: Some(driver::Tenant {
                name: tenant.name.clone(),
                bars: bars.clone(),
            }),
            ..base.clone()
        };
        let name = tenant.name.clone();
        set.spawn(async move {
            let finished = driver::run(options, runner).await;
            Measured {
                tenant: name,
                finished,
                events,
            }
        });
    }
    let mut measured = Vec::with_capacity(tenants.len());
    while let Some(joined) = set.join_next().await {
        measured.push(joined.context("a tenant's run failed to finish")?);
    }
    // In the experiment's order.
    measured.sort_by_key(|m| tenants.iter().position(|t| t.name == m.tenant));
    Ok(measured)
}

/// The worst exit code of the tenants' runs; their files and event logs collected, their
/// summaries and errors told.
fn collect(
    measured: Vec<Measured>,
    solo: bool,
    files: &mut Vec<(PathBuf, String)>,
    events: &mut Vec<(String, EventLog)>,
) -> anyhow::Result<i32> {
    let mut code = 0;
    for m in measured {
        match m.finished {
            Ok(finished) => {
                code = code.max(finished.code);
                if let Some(summary) = &finished.summary {
                    eprintln!("-- {}\n{summary}", m.tenant);
                }
                if !finished.files.is_empty() {
                    events.push((m.tenant.clone(), m.events));
                }
                if finished.files.is_empty() {
                    eprintln!(
                        "tenant `{}`: nothing written (exit code {})",
                        m.tenant, finished.code
                    );
                }
                let whose = if solo {
                    format!("{}, alone", m.tenant)
                } else {
                    m.tenant.clone()
                };
                files.extend(finished.files.into_iter().map(|f| (f, whose.clone())));
            }
            Err(e) => {
                let unreachable = e
                    .downcast_ref::<crate::bench::transport::Unreachable>()
                    .is_some();
                eprintln!("error: tenant `{}`: {e:#}", m.tenant);
                code = code.max(if unreachable { 2 } else { 1 });
            }
        }
    }
    Ok(code)
}

/// The experiment's figures from its tenants' files: their generated tokens over the longest
/// measured time, and the worst p99 request latency.
fn experiment_figures(tenants: &[ResultFile]) -> Vec<Row> {
    let number = |t: &ResultFile, m: &str| t.field(m).and_then(Value::as_number);
    let tokens = tenants
        .iter()
        .map(|t| number(t, "total_generated_tokens"))
        .sum::<Option<f64>>();
    let longest = tenants
        .iter()
        .filter_map(|t| number(t, "benchmark_duration"))
        .fold(0.0, f64::max);
    let worst = tenants
        .iter()
        .filter_map(|t| number(t, "e2el_p99"))
        .reduce(f64::max);
    crate::import::multitenant::experiment_figures(tokens, longest, worst)
}

/// The GPU over the whole experiment: its telemetry and the tokens it gave per joule when it
/// was sampled, else a note saying why it was not (a machine without a GPU is no error).
fn gpu_rows(telemetry: Option<&Telemetry>, tokens: f64, why_not: Option<&str>) -> Vec<Row> {
    match telemetry {
        Some(t) => t.rows_with_tokens(tokens as u64),
        None => vec![Row::text(
            "gpu_telemetry",
            format!("none: {}", why_not.unwrap_or("no GPU")),
        )],
    }
}

/// How long after the first tenant each began measuring, in ms: the largest as a figure, and
/// each in a section of its own.
fn start_offsets(tenants: &[ResultFile]) -> Vec<Row> {
    let starts: Vec<(String, f64)> = tenants
        .iter()
        .filter_map(|t| {
            let name = t.field("tenant")?.to_text();
            Some((name, t.field("started_at_unix")?.as_number()?))
        })
        .collect();
    let first = starts.iter().map(|(_, s)| *s).fold(f64::INFINITY, f64::min);
    if !first.is_finite() {
        return Vec::new();
    }
    let offsets: Vec<(String, f64)> = starts
        .into_iter()
        .map(|(n, s)| (n, (s - first) * 1000.0))
        .collect();
    let largest = offsets.iter().map(|(_, o)| *o).fold(0.0, f64::max);
    let mut rows = vec![Row::number("max_start_offset_ms", largest, 1, "ms")];
    for (name, offset) in offsets {
        let mut row = Row::number(&name, offset, 1, "ms");
        row.section = Some("Start offsets".into());
        rows.push(row);
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bench::telemetry::GpuSample;

    fn value(rows: &[Row], metric: &str) -> Option<String> {
        rows.iter()
            .find(|r| r.metric == metric)
            .map(|r| r.value.to_text())
    }

    #[test]
    fn the_experiment_file_has_gpu_telemetry_when_sampled_and_a_note_when_not() {
        // Two tenants' 3,000 tokens over 2 s of a GPU at 80-90 % and 300 W.
        let samples = (0..=20)
            .map(|i| {
                let at = f64::from(i) * 0.1;
                let sample = GpuSample {
                    util_percent: Some(if i % 2 == 0 { 80.0 } else { 90.0 }),
                    memory_used_bytes: Some(40_000_000_000),
                    power_w: Some(300.0),
                    temperature_c: Some(61.0),
                };
                (at, sample)
            })
            .collect();
        let telemetry = Telemetry::from_samples(samples);
        let rows = gpu_rows(Some(&telemetry), 3000.0, None);
        assert_eq!(value(&rows, "gpu_util_max").as_deref(), Some("90.0"));
        assert_eq!(
            value(&rows, "gpu_mem_used_peak_gb").as_deref(),
            Some("40.00")
        );
        assert_eq!(value(&rows, "power_mean_w").as_deref(), Some("300.0"));
        assert_eq!(value(&rows, "energy_j").as_deref(), Some("600.0"));
        assert_eq!(value(&rows, "tokens_per_joule").as_deref(), Some("5.000"));
        assert_eq!(value(&rows, "gpu_telemetry"), None);

        let rows = gpu_rows(None, 3000.0, Some("NVML is not available"));
        assert_eq!(
            value(&rows, "gpu_telemetry").as_deref(),
            Some("none: NVML is not available")
        );
        assert_eq!(rows.len(), 1);
    }
}
