//! What an experiment must be before anything starts: its file's names and numbers in range,
//! the options that go with it, the servers' processes there, and MPS only where it can work.

use std::time::Duration;

use anyhow::{Context, bail};

use super::file::Experiment;
use super::settings::Settings;
use crate::bench::driver::request_timeout;
use crate::bench::telemetry::process::check_pid;
use crate::results::sanitize;

/// Most tenants an experiment may have.
const MAX_TENANTS: usize = 64;

/// The options against their ranges and against the experiment: the request deadline (which
/// is returned), how long started servers have to answer, each tenant's server process, and
/// whether MPS can be started.
pub fn check_settings(settings: &Settings, experiment: &Experiment) -> anyhow::Result<Duration> {
    let file = settings.file.display();
    let timeout = request_timeout(settings.timeout)?;
    if !(1..=86_400).contains(&settings.ready_timeout) {
        bail!(
            "--ready-timeout {} is out of range: 1 to 86400 seconds (a day)",
            settings.ready_timeout
        );
    }
    if settings.options.server_pid.is_some() {
        bail!(
            "--server-pid is given per tenant in an experiment: `server_pid = PID` in its \
             [[tenants]], or a `command` the experiment starts"
        );
    }
    for t in &experiment.tenants {
        if let Some(pid) = t.server_pid {
            check_pid(pid).with_context(|| format!("{file}: tenant `{}`", t.name))?;
        }
    }
    if settings.start_mps {
        experiment
            .check_mps()
            .with_context(|| format!("--start-mps with {file}"))?;
    }
    Ok(timeout)
}

impl Experiment {
    /// Every number against its range, names present and distinct.
    pub fn check(&self) -> anyhow::Result<()> {
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
    pub fn check_mps(&self) -> anyhow::Result<()> {
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
}
