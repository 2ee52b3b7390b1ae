//! The tenants' runs: each measured as `bench openai` measures it, alone or together with the
//! others behind one start gate, and what each gave collected.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context;

use super::file::{ApiName, Experiment, Tenant};
use crate::bench::driver::gate::StartGate;
use crate::bench::driver::{self, Finished, Options};
use crate::bench::launch::Servers;
use crate::bench::runners::openai::{Api, EventLog, OpenAi, OpenAiOptions, Shape, Sweep};
use crate::bench::transport::Unreachable;
use crate::results::{Row, Value};

/// What one tenant's run gave.
pub struct Measured {
    tenant: String,
    finished: anyhow::Result<Finished>,
    events: EventLog,
}

/// What every tenant's run shares.
pub struct Tenants<'a> {
    pub experiment: &'a Experiment,
    /// What each run takes, before its tenant's own.
    pub options: &'a Options,
    /// How long a request may take.
    pub timeout: Duration,
    /// Each tenant's events hold every token too.
    pub token_events: bool,
    /// The tenants' progress bars, each a line of its own.
    pub bars: indicatif::MultiProgress,
    /// The servers the experiment started, if any.
    pub servers: Option<&'a Servers>,
}

impl Tenants<'_> {
    /// Runs `tenants` together (their measured requests behind one gate), or one `solo`.
    pub async fn run(&self, tenants: &[Tenant], solo: bool) -> anyhow::Result<Vec<Measured>> {
        let gate = (!solo).then(|| StartGate::new(tenants.len()));
        let mut set = tokio::task::JoinSet::new();
        for (i, tenant) in tenants.iter().enumerate() {
            let events = EventLog {
                tokens: self.token_events,
                ..EventLog::default()
            };
            let runner = self
                .runner(i, tenant, solo, events.clone())
                .with_context(|| format!("tenant `{}`", tenant.name))?;
            let options = Options {
                start_gate: gate.clone(),
                ..self.options_of(tenant, solo)
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

    /// The `openai` benchmark of the `i`th tenant, its measured requests' events kept in
    /// `events`.
    fn runner(
        &self,
        i: usize,
        tenant: &Tenant,
        solo: bool,
        events: EventLog,
    ) -> anyhow::Result<OpenAi> {
        OpenAi::new(OpenAiOptions {
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
            timeout: self.timeout,
            api: match tenant.api {
                ApiName::Completions => Api::Completions,
                ApiName::Chat => Api::Chat,
            },
            events: Some(events),
            family: None,
        })
    }

    /// What `tenant`'s run takes: the experiment's rows in its files, its server's process,
    /// and its line among the progress bars.
    fn options_of(&self, tenant: &Tenant, solo: bool) -> Options {
        let experiment = self.experiment;
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
        Options {
            server_pid: tenant
                .server_pid
                .or_else(|| self.servers?.pid(&tenant.name)),
            extra_rows,
            tenant: Some(driver::Tenant {
                name: tenant.name.clone(),
                bars: self.bars.clone(),
            }),
            ..self.options.clone()
        }
    }
}

/// The worst exit code of the tenants' runs; their files (each with whose it is) and event
/// logs collected, their summaries and errors told.
pub fn collect(
    measured: Vec<Measured>,
    solo: bool,
    files: &mut Vec<(PathBuf, String)>,
    events: &mut Vec<(String, EventLog)>,
) -> i32 {
    let mut code = 0;
    for m in measured {
        match m.finished {
            Ok(finished) => {
                code = code.max(finished.code);
                if let Some(summary) = &finished.summary {
                    stderr_line!("-- {}\n{summary}", m.tenant);
                }
                if finished.files.is_empty() {
                    stderr_line!(
                        "tenant `{}`: nothing written (exit code {})",
                        m.tenant,
                        finished.code
                    );
                } else {
                    events.push((m.tenant.clone(), m.events));
                }
                let whose = if solo {
                    format!("{}, alone", m.tenant)
                } else {
                    m.tenant.clone()
                };
                files.extend(finished.files.into_iter().map(|f| (f, whose.clone())));
            }
            Err(e) => {
                let unreachable = e.downcast_ref::<Unreachable>().is_some();
                stderr_line!("error: tenant `{}`: {e:#}", m.tenant);
                code = code.max(if unreachable { 2 } else { 1 });
            }
        }
    }
    code
}
