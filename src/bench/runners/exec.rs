//! `benchanim bench exec`: runs a benchmark program (training, image generation), times it,
//! samples the GPU meanwhile, and files the `metric,value,unit` rows it prints or writes.

use std::io::Write;
use std::path::PathBuf;
use std::process::Stdio;

use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::Command;

use crate::bench::driver::{Failure, Plan, Report, Run, Runner, stop::StopSignal};
use crate::results::{ResultFile, Row, Value, merge_rows};

/// What to run and how to file it.
#[derive(Debug, Clone)]
pub struct ExecOptions {
    /// The benchmark family, the first part of the file name (`flux_bench`).
    pub family: String,
    /// What was run (`FLUX_2_klein_4B_n100`), the part of the file name after the GPU.
    pub name: String,
    /// A `metric,value,unit` CSV the program writes, read when it ends.
    pub metrics_file: Option<PathBuf>,
    /// The program and its arguments.
    pub command: Vec<String>,
}

/// The `exec` benchmark: one run of a program. Every line it prints that reads as a
/// `metric,value,unit` row becomes a row of the result; the metrics file's rows win over
/// printed ones of the same name, and the program's rows over the runner's.
pub struct Exec {
    options: ExecOptions,
}

impl Exec {
    pub fn new(options: ExecOptions) -> Exec {
        Exec { options }
    }
}

impl Runner for Exec {
    /// The single run.
    type Request = ();
    /// The rows the program reported.
    type Outcome = Vec<Row>;

    /// A stopped program is killed, and what it reported so far is kept.
    const ABANDONED_WHEN_STOPPED: bool = false;

    async fn plan(&self, _: usize) -> anyhow::Result<Plan<()>> {
        Ok(Plan {
            warmups: Vec::new(),
            measured: vec![()],
        })
    }

    async fn send(&self, (): (), stop: &StopSignal) -> Result<Vec<Row>, Failure> {
        let Some((program, args)) = self.options.command.split_first() else {
            return Err(Failure::Program("no command given after `--`".into()));
        };
        let mut child = Command::new(program)
            .args(args)
            .stdout(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .map_err(|e| Failure::Program(format!("cannot run `{program}`: {e}")))?;
        let stdout = child
            .stdout
            .take()
            .ok_or_else(|| Failure::Program("no stdout from the program".into()))?;
        let mut lines = BufReader::new(stdout).lines();
        let mut printed = Vec::new();
        let mut stopped = false;
        let mut status = None;
        let mut reading = true;
        while status.is_none() || reading {
            tokio::select! {
                line = lines.next_line(), if reading => match line {
                    Ok(Some(line)) => {
                        // Passed through for the user; a reader that went away changes nothing.
                        let mut out = std::io::stdout().lock();
                        let _ = writeln!(out, "{line}");
                        printed.extend(parse_row(&line));
                    }
                    // End of output, or output that is not text: keep waiting for the exit.
                    _ => reading = false,
                },
                s = child.wait(), if status.is_none() => {
                    status = Some(s.map_err(|e| {
                        Failure::Program(format!("waiting for `{program}`: {e}"))
                    })?);
                }
                _ = stop.stopped(), if !stopped => {
                    // The program gets the interrupt too when it shares the terminal; make sure.
                    let _ = child.start_kill();
                    stopped = true;
                }
            }
        }
        if let Some(status) = status
            && !stopped
            && !status.success()
        {
            return Err(Failure::Program(format!("`{program}` failed ({status})")));
        }
        // The metrics file's rows come first, so they win over printed ones of the same name.
        let mut reported = Vec::new();
        if let Some(path) = &self.options.metrics_file {
            match read_metrics_file(path) {
                Ok(rows) => reported = rows,
                Err(e) if stopped => stderr_line!("warning: {e}"),
                Err(e) => return Err(Failure::Program(e)),
            }
        }
        merge_rows(&mut reported, printed);
        // Its peak resident memory, now that it has been waited for (the program's own figure
        // wins).
        if let Some(mb) = crate::bench::telemetry::process::children_peak_mb() {
            merge_rows(&mut reported, [Row::number("peak_memory_mb", mb, 1, "MB")]);
        }
        Ok(reported)
    }

    fn report(&self, run: &Run<Vec<Row>>) -> Report {
        let o = &self.options;
        let mut rows = vec![
            Row::text("timestamp", run.timestamp.as_str()),
            Row::text("command", o.command.join(" ")),
        ];
        for done in &run.done {
            merge_rows(&mut rows, done.outcome.iter().cloned());
        }
        merge_rows(
            &mut rows,
            [Row::number("total_time", run.duration, 2, "seconds")],
        );
        Report {
            family: o.family.clone(),
            benchmark: format!("{}_{}", o.family, o.name),
            rows,
            tokens: None,
            summary: None,
        }
    }
}

/// A printed line that is a `metric,value,unit` row, as a row.
pub fn parse_row(line: &str) -> Option<Row> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(line.trim().as_bytes());
    let record = reader.records().next()?.ok()?;
    if record.len() != 3 {
        return None;
    }
    let metric = record.get(0)?.trim();
    let is_name = metric.starts_with(|c: char| c.is_ascii_alphabetic())
        && metric
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_');
    if !is_name || metric == "metric" {
        return None;
    }
    Some(Row::new(
        metric,
        Value::parse(record.get(1)?),
        record.get(2)?.trim(),
    ))
}

fn read_metrics_file(path: &std::path::Path) -> Result<Vec<Row>, String> {
    let (file, warnings) =
        ResultFile::read(path, None).map_err(|w| format!("--metrics-file: {w}"))?;
    for w in warnings {
        stderr_line!("warning: {w}");
    }
    Ok(file.rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_metric_rows_out_of_program_output() {
        let r = parse_row("images_per_second,0.2380,img/s").unwrap();
        assert_eq!(
            (r.metric.as_str(), r.value.as_number(), r.unit.as_str()),
            ("images_per_second", Some(0.238), "img/s")
        );
        let r = parse_row(r#"mm_bucket_config,"{(1; 2): 0.5}","#).unwrap();
        assert_eq!(r.value, Value::Text("{(1; 2): 0.5}".into()));
        for noise in [
            "metric,value,unit",
            "Epoch 1, loss 0.3, lr 1e-4",
            "100%|██████| 10/10",
            "a,b",
            "x,1,2,3",
            "",
            "9lives,1,s",
        ] {
            assert_eq!(parse_row(noise), None, "{noise}");
        }
    }
}
