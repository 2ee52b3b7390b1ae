//! Two benchmarks (two models, two engines) metric by metric, without a scene file: a compare
//! scene per metric and, when asked, one holding every metric as a row, for one configuration
//! or for each. The scenes are built in code and may be saved as scene files to edit.

mod pick;
mod request;
mod scenes;
mod table;

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

use crate::atomic::PendingFile;
use crate::results::{Benchmark, Level, ResultFile, Table, distinct};
use crate::scene::Scene;

pub use pick::{find_benchmark, metrics, shared_gpu};
use request::PARALLELISM;
pub use request::Request;
pub use table::delta_table;

/// `field=value`: a number, `true`/`false`, or text.
pub fn parse_where(text: &str) -> anyhow::Result<(String, Level)> {
    let Some((field, value)) = text.split_once('=') else {
        bail!("--where `{text}` is not FIELD=VALUE, e.g. tensor_parallel_size=2");
    };
    let (field, value) = (field.trim(), value.trim());
    if field.is_empty() || value.is_empty() {
        bail!("--where `{text}` is not FIELD=VALUE, e.g. tensor_parallel_size=2");
    }
    let value = match value {
        "true" => Level::Bool(true),
        "false" => Level::Bool(false),
        v => match v.parse::<f64>() {
            Ok(n) if n.is_finite() => Level::Number(n),
            _ => Level::Text(v.to_string()),
        },
    };
    Ok((field.to_string(), value))
}

/// The scenes a request makes of `table`'s results, `(name, scene)`, after checking that
/// every option names runs of both benchmarks.
pub fn scenes(request: &Request, table: &Table) -> anyhow::Result<Vec<(String, Scene)>> {
    let baseline = find_benchmark(table, &request.baseline).context("the baseline")?;
    let candidate = find_benchmark(table, &request.candidate).context("the candidate")?;
    let gpu = shared_gpu(baseline, candidate, request.gpu.as_deref())?;
    let metrics = metrics(table, baseline, candidate, &request.metrics)?;
    let plan = scenes::Plan {
        request,
        baseline,
        candidate,
        gpu: &gpu,
        for_each: config_fields(request, baseline, &gpu),
    };
    check_options(&plan)?;
    Ok(plan.scenes(table, &metrics))
}

/// The fields each configuration is charted on its own for, when `--all-configs` gives none.
pub fn for_each_fields(scenes: &[(String, Scene)]) -> Vec<String> {
    scenes
        .first()
        .map(|(_, s)| s.common.for_each.clone())
        .unwrap_or_default()
}

/// Writes the scenes into `dir` as scene files, never over a file that is there; returns
/// their paths.
pub fn save(
    dir: &Path,
    request: &Request,
    scenes: &[(String, Scene)],
) -> anyhow::Result<Vec<PathBuf>> {
    let mut saved = Vec::with_capacity(scenes.len());
    for (name, scene) in scenes {
        let path = dir.join(format!("{name}.toml"));
        let text = format!(
            "# Made by `benchanim compare {} {}`.\n{}",
            request.baseline,
            request.candidate,
            scene.to_toml()?
        );
        let mut file = PendingFile::create(&path)?;
        file.write_all(text.as_bytes())
            .with_context(|| format!("cannot write `{}`", path.display()))?;
        file.commit_new()?;
        saved.push(path);
    }
    Ok(saved)
}

/// The fields each configuration is charted for: those `--all-configs` names, or TP, DP and PP
/// where the baseline's runs on `gpu` have them (and no `--where` says otherwise).
fn config_fields(request: &Request, baseline: &Benchmark, gpu: &str) -> Vec<String> {
    if let Some(fields) = &request.all_configs
        && !fields.is_empty()
    {
        return fields.clone();
    }
    if !request.wheres.is_empty() && request.all_configs.is_none() {
        return Vec::new();
    }
    PARALLELISM
        .iter()
        .map(|(f, _)| *f)
        .filter(|f| {
            baseline
                .runs
                .iter()
                .any(|r| r.gpu == gpu && r.field(f).is_some())
        })
        .map(String::from)
        .collect()
}

/// Every `--where` pin and `--all-configs` field the user gave names runs of both benchmarks
/// on the GPU; the error says which option and what the runs have instead.
fn check_options(plan: &scenes::Plan) -> anyhow::Result<()> {
    for benchmark in [plan.baseline, plan.candidate] {
        let runs: Vec<&ResultFile> = benchmark
            .runs
            .iter()
            .filter(|r| r.gpu == plan.gpu)
            .collect();
        for (field, level) in &plan.request.wheres {
            let has = |r: &&ResultFile| r.field(field).is_some_and(|v| level.matches(v));
            if !runs.iter().any(has) {
                let values = distinct(runs.iter().copied(), field);
                bail!(
                    "--where {field}={}: no run of `{}` on `{}` has it; {}",
                    shown_level(level),
                    benchmark.id,
                    plan.gpu,
                    if values.is_empty() {
                        format!("its runs have no `{field}`")
                    } else {
                        format!("it has {field} {}", values.join(", "))
                    }
                );
            }
        }
        if plan
            .request
            .all_configs
            .as_ref()
            .is_some_and(|f| !f.is_empty())
        {
            for field in &plan.for_each {
                if !runs.iter().any(|r| r.field(field).is_some()) {
                    bail!(
                        "--all-configs {field}: no run of `{}` on `{}` has a `{field}` field",
                        benchmark.id,
                        plan.gpu
                    );
                }
            }
        }
    }
    Ok(())
}

/// A `--where` value as the user wrote it.
fn shown_level(level: &Level) -> String {
    match level {
        Level::Text(s) => s.clone(),
        Level::Number(n) => crate::terminal::number(*n),
        Level::Bool(b) => b.to_string(),
    }
}
