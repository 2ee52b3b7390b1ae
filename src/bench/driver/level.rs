//! One level of a run: its requests planned and warmed up, the measured ones sent with the GPU
//! and the server's memory sampled, and the result filed with its line in the sweep's table.

use std::path::PathBuf;
use std::sync::Arc;

use super::dispatch::{Sender, Sent};
use super::failure::Failure;
use super::options::Options;
use super::runner::{Run, Runner};
use super::stop::{Stop, StopSignal};
use super::{clock, gate, record, sweep};
use crate::bench::telemetry::process::MemorySampler;
use crate::bench::telemetry::{Device, Telemetry};
use crate::results::family::MACHINE_LOCAL_FIELDS;
use crate::results::{Record, Row, merge_rows};

/// One level, measured and filed.
pub struct Measured {
    /// Its line in the sweep's table.
    pub line: sweep::Line,
    pub code: i32,
    /// The runner's summary, when the level has a file.
    pub summary: Option<String>,
    /// The file written, if any.
    pub file: Option<PathBuf>,
}

impl Measured {
    /// A level that ended before its measured requests, with its exit code.
    fn unmeasured(settings: Vec<(String, String)>, outcome: sweep::Outcome, code: i32) -> Measured {
        Measured {
            line: sweep::Line::without_run(settings, outcome),
            code,
            summary: None,
            file: None,
        }
    }
}

/// What the levels of a run share.
pub struct Session<R: Runner> {
    pub options: Options,
    pub runner: Arc<R>,
    pub device: Device,
    pub stop: StopSignal,
    /// When the sweep started; none for a plain run.
    pub sweep_id: Option<String>,
    pub headline: Vec<(&'static str, &'static str)>,
    /// The timestamp of the last file written, which the next level's must follow.
    pub last_timestamp: Option<String>,
    /// This run's place at the start gate, if it measures together with others.
    pub ticket: Option<gate::Ticket>,
}

/// A level's measured requests, as sent, with what was sampled meanwhile.
struct Sampled<O> {
    run: Run<O>,
    first_failure: Option<Failure>,
    telemetry: Option<Telemetry>,
    /// The server's resident memory, when its process is known.
    memory: Option<Vec<Row>>,
}

impl<R: Runner> Session<R> {
    /// Plans, warms up, measures and files one level.
    pub async fn measure(
        &mut self,
        level: usize,
        settings: Vec<(String, String)>,
    ) -> anyhow::Result<Measured> {
        let plan = self.runner.plan(level).await?;
        let load = self.runner.load(level);
        let sender = Sender {
            runner: self.runner.clone(),
            load,
            stop: self.stop.clone(),
            verbose: self.options.verbose,
            tenant: self.options.tenant.clone(),
        };
        if !plan.warmups.is_empty()
            && let Some((outcome, code)) =
                warm_up(&sender, plan.warmups, self.sweep_id.is_some()).await?
        {
            return Ok(Measured::unmeasured(settings, outcome, code));
        }
        let total = plan.measured.len();
        let Sampled {
            run,
            first_failure,
            telemetry,
            memory,
        } = self.send_measured(level, &sender, plan.measured).await;
        let report = self.runner.report(&run);
        let rows = self.rows(
            run.started_unix,
            report.rows,
            report.tokens,
            telemetry.as_ref(),
            memory,
        );
        let figures = sweep::figures(&rows, &self.headline);
        let record = Record {
            family: report.family,
            benchmark: report.benchmark,
            timestamp: run.timestamp,
            rows,
        };
        // A lone request's failure is the run's.
        let failure = first_failure.filter(|_| total == 1);
        let stopped = self.stop.get();
        let filed = record::finish(
            &self.options.output_dir,
            &self.device,
            record,
            stopped.clone(),
            run.done.len(),
            failure,
            self.last_timestamp.as_deref(),
        )?;
        if filed.timestamp.is_some() {
            self.last_timestamp.clone_from(&filed.timestamp);
        }
        let line = table_line(
            settings,
            &filed,
            stopped.as_ref(),
            run.done.len(),
            run.failed,
            figures,
        );
        // Printed by the caller once the result is safe on disk: a closed or full standard
        // output loses nothing.
        let summary = report.summary.filter(|_| filed.path.is_some());
        Ok(Measured {
            line,
            code: filed.code,
            summary,
            file: filed.path,
        })
    }

    /// Sends the measured requests (together with the other runs at the gate, if any), with
    /// the GPU and the server's memory sampled meanwhile.
    async fn send_measured(
        &mut self,
        level: usize,
        sender: &Sender<R>,
        requests: Vec<R::Request>,
    ) -> Sampled<R::Outcome> {
        if let Some(ticket) = &mut self.ticket {
            ticket.arrive().await;
        }
        let timestamp = clock::timestamp_now();
        let started_unix = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0.0, |d| d.as_secs_f64());
        let sampler = self.device.start_sampler();
        let memory = self.options.server_pid.and_then(MemorySampler::start);
        let sent = sender
            .send_all(requests, sender.load.rate, "requests")
            .await;
        let telemetry = sampler.map(|s| self.device.finish_sampler(s));
        let memory = memory.map(MemorySampler::finish);
        Sampled {
            run: Run {
                level,
                done: sent.done,
                failed: sent.failed,
                duration: sent.duration.as_secs_f64(),
                timestamp,
                started_unix,
            },
            first_failure: sent.first_failure,
            telemetry,
            memory,
        }
    }

    /// The level's result rows: the device, the rows the run shares with others (and when its
    /// measured requests began, `started_unix`, at a gate), the runner's `report` rows, the
    /// sweep, the server's memory and the GPU's telemetry (with `tokens` per joule); the
    /// machine-local fields only when asked for.
    fn rows(
        &self,
        started_unix: f64,
        report: Vec<Row>,
        tokens: Option<u64>,
        telemetry: Option<&Telemetry>,
        memory: Option<Vec<Row>>,
    ) -> Vec<Row> {
        let mut rows = self.device.rows();
        merge_rows(&mut rows, self.options.extra_rows.iter().cloned());
        if self.ticket.is_some() {
            merge_rows(
                &mut rows,
                [Row::number("started_at_unix", started_unix, 3, "s")],
            );
        }
        merge_rows(&mut rows, report);
        if let Some(id) = &self.sweep_id {
            merge_rows(&mut rows, [sweep::id_row(id)]);
        }
        if let Some(memory) = memory {
            merge_rows(&mut rows, memory);
        }
        if let Some(t) = telemetry {
            merge_rows(
                &mut rows,
                match tokens {
                    Some(tokens) => t.rows_with_tokens(tokens),
                    None => t.rows(),
                },
            );
        }
        if !self.options.record_local {
            rows.retain(|r| !MACHINE_LOCAL_FIELDS.contains(&r.metric.as_str()));
        }
        rows
    }

    /// The table of the levels.
    pub fn table(&self, lines: &[sweep::Line]) -> String {
        let folder = self.options.output_dir.join(self.device.sanitized());
        let id = self.sweep_id.as_deref().unwrap_or_default();
        sweep::table(id, &folder, &self.headline, lines)
    }
}

/// Sends the warm-ups; how the level ends and its exit code when they say it cannot be
/// measured (a stop, or a first wave that failed). In a `sweeping` run the
/// failure is the level's; else it is the run's error.
async fn warm_up<R: Runner>(
    sender: &Sender<R>,
    warmups: Vec<R::Request>,
    sweeping: bool,
) -> anyhow::Result<Option<(sweep::Outcome, i32)>> {
    let warm = sender.warm_up(warmups).await;
    if let Some(s) = sender.stop.get() {
        stderr_line!("{} during warmup; no result written", s.reason());
        return Ok(Some((sweep::Outcome::Stopped, s.exit_code())));
    }
    let Some(why) = warm_up_failure(&warm) else {
        return Ok(None);
    };
    // A server that fails those would fail the measured requests too.
    if !sweeping {
        anyhow::bail!("{why}; no result written");
    }
    stderr_line!("error: {why}; this level is not measured");
    Ok(Some((sweep::Outcome::Failed, 1)))
}

/// A measured level's line in the sweep's table: how it ended, how many of its requests
/// succeeded and failed, and its headline figures when it has a file.
fn table_line(
    settings: Vec<(String, String)>,
    filed: &record::Filed,
    stopped: Option<&Stop>,
    ok: usize,
    failed: usize,
    figures: Vec<String>,
) -> sweep::Line {
    sweep::Line {
        settings,
        outcome: match (&filed.path, stopped) {
            (Some(_), Some(_)) => sweep::Outcome::Partial,
            (Some(_), None) => sweep::Outcome::Ok,
            (None, Some(_)) => sweep::Outcome::Stopped,
            (None, None) => sweep::Outcome::Failed,
        },
        ok,
        failed,
        figures: if filed.path.is_some() {
            figures
        } else {
            Vec::new()
        },
        file: filed
            .path
            .as_ref()
            .and_then(|p| p.file_name())
            .map(|n| n.to_string_lossy().into_owned()),
    }
}

/// Why the warm-ups say the server cannot serve: a first wave of them failed, none done.
fn warm_up_failure<T>(warm: &Sent<T>) -> Option<String> {
    let f = warm
        .first_failure
        .as_ref()
        .filter(|_| warm.done.is_empty())?;
    let what = match (warm.gave_up, warm.failed) {
        (true, 1) => "the first warm-up request failed".to_string(),
        (true, n) => format!("the first {n} warm-up requests failed"),
        (false, 1) => "the warm-up request failed".to_string(),
        (false, n) => format!("all {n} warm-up requests failed"),
    };
    Some(format!("{what} ({f})"))
}
