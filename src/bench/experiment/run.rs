//! An experiment from start to end: its file read and checked, the MPS daemon and the servers
//! started, the tenants measured (each alone first with `--solo`, then together), and the
//! experiment's own result file and folder written; the files written are printed.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Context;

use super::check::check_settings;
use super::file::{self, Experiment};
use super::settings::Settings;
use super::tenants::{Tenants, collect};
use super::{folder, record};
use crate::bench::driver::stop::{Stop, StopSignal};
use crate::bench::launch::Servers;
use crate::bench::mps::MpsDaemon;
use crate::bench::runners::openai::EventLog;
use crate::bench::telemetry::{Device, Telemetry};

/// Where the list of the files written goes (standard output, for the command).
pub type Print = fn(&str) -> anyhow::Result<()>;

/// Files, each with whose it is (a tenant's, a tenant's alone, the experiment's).
type Written = Vec<(PathBuf, String)>;

/// Runs the experiment `settings` names and returns the exit code: the worst tenant's, or why
/// it stopped.
pub fn run(settings: Settings, print: Print) -> anyhow::Result<i32> {
    let (text, experiment) = file::read(&settings.file)?;
    experiment
        .check()
        .with_context(|| settings.file.display().to_string())?;
    let timeout = check_settings(&settings, &experiment)?;
    // Before the servers start, so that they share the GPU through it; stopped after them.
    let _mps = settings.start_mps.then(MpsDaemon::start).transpose()?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let result = runtime.block_on(measure(&settings, &experiment, &text, timeout, print));
    runtime.shutdown_background();
    result
}

/// Starts the servers, measures the tenants, files the experiment (`text`, its file as it
/// ran) and prints what it wrote.
async fn measure(
    settings: &Settings,
    experiment: &Experiment,
    text: &str,
    timeout: Duration,
    print: Print,
) -> anyhow::Result<i32> {
    let stop = StopSignal::with_ctrl_c();
    // Said once here, rather than by each tenant's run.
    let base = &settings.options;
    let (mut device, why_not) = Device::detect(base.gpu_name.as_deref(), base.gpu_index);
    device.announce(why_not.as_deref());
    let servers = match start_servers(experiment, settings.ready_timeout, &stop).await? {
        Started::Ready(servers) => servers,
        Started::Stopped(code) => return Ok(code),
    };
    let tenants = Tenants {
        experiment,
        options: base,
        timeout,
        token_events: settings.token_events,
        bars: indicatif::MultiProgress::new(),
        servers: servers.as_ref(),
    };
    let mut code = 0;
    let mut files = Written::new();
    if settings.solo {
        let (alone, stopped) = measure_alone(&tenants, &stop, &mut files).await?;
        code = alone;
        if let Some(why) = stopped {
            stderr_line!("{}: the tenants are not measured together", why.reason());
            print(&written(&files, None))?;
            return Ok(code.max(why.exit_code()));
        }
    }
    let mut together = Written::new();
    let mut events = Vec::new();
    let (shared_code, telemetry) =
        measure_together(&tenants, &mut device, &mut together, &mut events).await?;
    code = code.max(shared_code);
    let shared: Vec<PathBuf> = together.iter().map(|(p, _)| p.clone()).collect();
    files.extend(together);

    // Nothing more to file when no tenant measured anything.
    if shared.is_empty() {
        stderr_line!("error: no tenant has a result; no experiment file written");
        return Ok(code.max(1));
    }
    let record = record::record(
        experiment,
        &shared,
        &device,
        telemetry.as_ref(),
        why_not.as_deref(),
    );
    let timestamp = record.timestamp.clone();
    let path = record.write_unique(&base.output_dir, &device.sanitized())?;
    files.push((path, "the experiment".into()));

    // The experiment as it ran, and what each tenant's requests did.
    let folder = folder::keep(
        &base.output_dir,
        &experiment.experiment_name,
        &timestamp,
        text,
        &events,
        servers.as_ref(),
    )?;
    print(&written(&files, Some(&folder)))?;
    Ok(code)
}

/// The servers an experiment starts itself, once they answer.
enum Started {
    /// They answer (none when the experiment starts none).
    Ready(Option<Servers>),
    /// A stop came first: nothing is measured, and this is the exit code.
    Stopped(i32),
}

/// Starts the servers of the tenants with a `command` and waits for them to answer, at most
/// `ready_timeout` seconds.
async fn start_servers(
    experiment: &Experiment,
    ready_timeout: u64,
    stop: &StopSignal,
) -> anyhow::Result<Started> {
    let launches = experiment.launches();
    if launches.is_empty() {
        return Ok(Started::Ready(None));
    }
    stderr_line!(
        "== starting {} server{}",
        launches.len(),
        if launches.len() == 1 { "" } else { "s" }
    );
    let mut servers = Servers::start(&launches).await?;
    let limit = Duration::from_secs(ready_timeout);
    if let Err(e) = servers.wait_ready(limit, stop).await {
        return match stop.get() {
            Some(why) => {
                stderr_line!(
                    "{} while the servers started; nothing measured",
                    why.reason()
                );
                Ok(Started::Stopped(why.exit_code()))
            }
            None => Err(e),
        };
    }
    Ok(Started::Ready(Some(servers)))
}

/// Measures each tenant alone, one after another, its files into `files`: the worst exit
/// code, and the stop that ended them early, if one did.
async fn measure_alone(
    tenants: &Tenants<'_>,
    stop: &StopSignal,
    files: &mut Written,
) -> anyhow::Result<(i32, Option<Stop>)> {
    let mut code = 0;
    for tenant in &tenants.experiment.tenants {
        stderr_line!("== {}: alone", tenant.name);
        let measured = tenants.run(std::slice::from_ref(tenant), true).await?;
        code = code.max(collect(measured, true, files, &mut Vec::new()));
        if let Some(why) = stop.get() {
            return Ok((code, Some(why)));
        }
    }
    Ok((code, None))
}

/// Measures the tenants together, their files into `files` and their events into `events`,
/// with the GPU sampled over the whole shared window, warm-ups included: the worst exit code,
/// and the GPU's telemetry when there is a GPU to sample.
async fn measure_together(
    tenants: &Tenants<'_>,
    device: &mut Device,
    files: &mut Written,
    events: &mut Vec<(String, EventLog)>,
) -> anyhow::Result<(i32, Option<Telemetry>)> {
    let all = &tenants.experiment.tenants;
    stderr_line!(
        "== {} tenants together: {}",
        all.len(),
        all.iter()
            .map(|t| t.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    );
    let sampler = device.start_sampler();
    let measured = tenants.run(all, false).await?;
    let telemetry = sampler.map(|s| device.finish_sampler(s));
    Ok((collect(measured, false, files, events), telemetry))
}

/// The files written, each with whose it is, and where the events are.
fn written(files: &[(PathBuf, String)], events: Option<&Path>) -> String {
    let mut out = String::new();
    for (f, whose) in files {
        out += &format!("wrote {} ({whose})\n", f.display());
    }
    if let Some(folder) = events {
        out += &format!("events in {}\n", folder.display());
    }
    out
}
