//! `benchanim bench exec`: runs a benchmark program (training, image generation), times it,
//! samples the GPU meanwhile, and files the `metric,value,unit` rows it prints or writes.

use std::path::PathBuf;
use std::process::Stdio;
use std::time::Instant;

use anyhow::Context;
use clap::Args;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::Command;

use super::clock;
use super::common::CommonArgs;
use super::gpu::{number, row};
use super::record::{Record, finish};
use super::stop::StopSignal;
use crate::results::{ResultFile, Row, Value, sanitize};

/// Run a benchmark program and file what it reports.
///
/// Every line the program prints that reads as a `metric,value,unit` CSV row (a metric name of
/// letters, digits and `_`) becomes a row of the result, next to `total_time` (the program's
/// wall time), the GPU and its telemetry. `--metrics-file` picks up a result CSV the program
/// writes instead; its rows win over printed ones of the same name, and the program's own rows
/// win over the runner's.
#[derive(Debug, Args)]
pub struct ExecArgs {
    /// The benchmark family, the first part of the file name (`flux_bench`).
    #[arg(long)]
    pub family: String,
    /// What was run (`FLUX_2_klein_4B_n100`), the part of the file name after the GPU.
    #[arg(long)]
    pub name: String,
    /// A `metric,value,unit` CSV the program writes, read when it ends.
    #[arg(long, value_name = "FILE")]
    pub metrics_file: Option<PathBuf>,
    #[command(flatten)]
    pub common: CommonArgs,
    /// The program and its arguments, after `--`.
    #[arg(last = true, required = true, value_name = "COMMAND")]
    pub command: Vec<String>,
}

pub async fn run(args: ExecArgs) -> anyhow::Result<i32> {
    if args.family.is_empty() || sanitize(&args.family) != args.family {
        anyhow::bail!(
            "--family `{}` must be letters, digits and single `_` (it starts the file name)",
            args.family
        );
    }
    let name = sanitize(&args.name);
    if name.is_empty() {
        anyhow::bail!("--name `{}` has nothing usable in a file name", args.name);
    }
    let family = args.family.clone();
    let (program, program_args) = args
        .command
        .split_first()
        .context("no command given after `--`")?;
    let mut device = args.common.device();
    let timestamp = clock::timestamp_now();
    let stop = StopSignal::with_ctrl_c();

    let sampler = device.start_sampler();
    let started = Instant::now();
    let mut child = Command::new(program)
        .args(program_args)
        .stdout(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .with_context(|| format!("cannot run `{program}`"))?;
    let stdout = child.stdout.take().context("no stdout from the program")?;
    let mut lines = BufReader::new(stdout).lines();
    let mut printed = Vec::new();
    let mut stopped = None;
    let mut status = None;
    let mut reading = true;
    while status.is_none() {
        tokio::select! {
            line = lines.next_line(), if reading => match line {
                Ok(Some(line)) => {
                    println!("{line}");
                    printed.extend(parse_row(&line));
                }
                // End of output, or output that is not text: keep waiting for the exit.
                _ => reading = false,
            },
            s = child.wait() => status = Some(s.context("waiting for the program")?),
            s = stop.stopped(), if stopped.is_none() => {
                // The program gets the interrupt too when it shares the terminal; make sure.
                let _ = child.start_kill();
                stopped = Some(s);
            }
        }
    }
    // Lines still buffered after the exit.
    while reading {
        match lines.next_line().await {
            Ok(Some(line)) => {
                println!("{line}");
                printed.extend(parse_row(&line));
            }
            _ => reading = false,
        }
    }
    let wall = started.elapsed().as_secs_f64();
    let telemetry = sampler.map(|s| s.finish());
    let status = status.context("the program did not end")?;
    if stopped.is_none() && !status.success() {
        eprintln!("error: `{program}` failed ({status}); no result written");
        return Ok(1);
    }

    // The metrics file's rows come first, so they win over printed ones of the same name.
    let mut reported = Vec::new();
    if let Some(path) = &args.metrics_file {
        match read_metrics_file(path) {
            Ok(rows) => reported = rows,
            Err(e) if stopped.is_some() => eprintln!("warning: {e:#}"),
            Err(e) => return Err(e),
        }
    }
    merge(&mut reported, printed);
    let mut rows = device.rows();
    rows.push(row("timestamp", Value::Text(timestamp.clone()), ""));
    rows.push(row("command", Value::Text(args.command.join(" ")), ""));
    merge(&mut rows, reported);
    merge(&mut rows, vec![number("total_time", wall, 2, "seconds")]);
    if let Some(t) = &telemetry {
        merge(&mut rows, t.rows());
    }
    let record = Record {
        benchmark: format!("{family}_{name}"),
        family,
        timestamp,
        rows,
    };
    finish(
        &args.common.output_dir,
        &device,
        record,
        stopped.as_ref(),
        1,
    )
}

/// Adds `more` to `rows`; a metric already there keeps its first value.
fn merge(rows: &mut Vec<Row>, more: Vec<Row>) {
    for r in more {
        if !rows.iter().any(|x| x.metric == r.metric) {
            rows.push(r);
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
    Some(row(
        metric,
        Value::parse(record.get(1)?),
        record.get(2)?.trim(),
    ))
}

fn read_metrics_file(path: &std::path::Path) -> anyhow::Result<Vec<Row>> {
    let (file, warnings) =
        ResultFile::read(path, None).map_err(|w| anyhow::anyhow!("--metrics-file: {w}"))?;
    for w in warnings {
        eprintln!("warning: {w}");
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

    #[test]
    fn first_value_of_a_metric_wins() {
        let mut rows = vec![row("total_time", Value::parse("5"), "seconds")];
        merge(
            &mut rows,
            vec![
                row("total_time", Value::parse("9"), "seconds"),
                row("x", Value::parse("1"), ""),
            ],
        );
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].value.as_number(), Some(5.0));
    }
}
