//! Which benchmarks, GPU and metrics a comparison is of, from what the user named.

use anyhow::bail;

use crate::results::{Benchmark, Table, model_slug};

/// Most metrics charted when none are named.
const MAX_DEFAULT_METRICS: usize = 8;

/// The benchmark `name` names: its id, the model its runs ran (by slug: `Qwen3-4B` is not
/// `Qwen3-4B-AWQ`), or the one id it is part of.
pub fn find_benchmark<'t>(table: &'t Table, name: &str) -> anyhow::Result<&'t Benchmark> {
    if name.trim().is_empty() {
        bail!(
            "no name given; name a benchmark id as `report` shows it, or the model it ran (e.g. Qwen3-4B)"
        );
    }
    if let Some(b) = table.benchmark(name) {
        return Ok(b);
    }
    let ids = |list: &[&Benchmark]| {
        list.iter()
            .map(|b| b.id.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let slug = model_slug(name);
    let by_model: Vec<&Benchmark> = table
        .benchmarks
        .iter()
        .filter(|b| {
            b.runs.iter().any(|r| {
                ["model", "model_name", "model_id"]
                    .iter()
                    .any(|f| r.field(f).is_some_and(|v| model_slug(&v.to_text()) == slug))
            })
        })
        .collect();
    match by_model.len() {
        1 => return Ok(by_model[0]),
        0 => {}
        _ => bail!(
            "`{name}` is the model of several benchmarks: {}; give one's id",
            ids(&by_model)
        ),
    }
    let lower = name.to_lowercase();
    let by_part: Vec<&Benchmark> = table
        .benchmarks
        .iter()
        .filter(|b| b.id.to_lowercase().contains(&lower))
        .collect();
    match by_part.len() {
        1 => Ok(by_part[0]),
        0 => {
            let all: Vec<&Benchmark> = table.benchmarks.iter().collect();
            bail!(
                "no benchmark is `{name}`, ran a model `{name}` or has it in its id; there are: {}",
                ids(&all)
            )
        }
        _ => bail!(
            "`{name}` is part of several benchmark ids: {}; give one in full",
            ids(&by_part)
        ),
    }
}

/// The GPU both have runs on: the one asked for, or the only one.
pub fn shared_gpu(a: &Benchmark, b: &Benchmark, asked: Option<&str>) -> anyhow::Result<String> {
    let gpus = |bench: &Benchmark| {
        let mut g: Vec<String> = bench.runs.iter().map(|r| r.gpu.clone()).collect();
        g.dedup();
        g
    };
    let (of_a, of_b) = (gpus(a), gpus(b));
    let both: Vec<&String> = of_a.iter().filter(|g| of_b.contains(g)).collect();
    if let Some(gpu) = asked {
        let gpu = crate::results::sanitize_gpu_name(gpu);
        if both.iter().any(|g| **g == gpu) {
            return Ok(gpu);
        }
        bail!(
            "--gpu {gpu}: not a GPU with runs of both; {} has runs on {}, {} on {}",
            a.id,
            of_a.join(", "),
            b.id,
            of_b.join(", ")
        );
    }
    match both.as_slice() {
        [one] => Ok((*one).clone()),
        [] => bail!(
            "no GPU has runs of both: {} has runs on {}, {} on {}",
            a.id,
            of_a.join(", "),
            b.id,
            of_b.join(", ")
        ),
        several => bail!(
            "both have runs on {}; pick one with --gpu",
            several
                .iter()
                .map(|g| g.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// The metrics to chart: those asked for (each in both), else the headline metrics both have.
pub fn metrics(
    table: &Table,
    a: &Benchmark,
    b: &Benchmark,
    asked: &[String],
) -> anyhow::Result<Vec<String>> {
    if !asked.is_empty() {
        let have = [(a, a.all_metrics()), (b, b.all_metrics())];
        for m in asked {
            for (bench, metrics) in &have {
                if !metrics.contains(m) {
                    bail!(
                        "--metrics: `{}` has no metric `{m}`; it has: {}",
                        bench.id,
                        metrics.join(", ")
                    );
                }
            }
        }
        return Ok(asked.to_vec());
    }
    let theirs = b.headline_metrics(&table.catalog);
    let both: Vec<String> = a
        .headline_metrics(&table.catalog)
        .into_iter()
        .filter(|m| theirs.contains(m))
        .take(MAX_DEFAULT_METRICS)
        .collect();
    if both.is_empty() {
        bail!(
            "`{}` and `{}` share no metric that has a direction; name some with --metrics",
            a.id,
            b.id
        );
    }
    Ok(both)
}
