//! `benchanim compare A B`: two benchmarks (two models, two engines) metric by metric, straight
//! to videos without writing a scene: a compare chart per metric, and with `--combined` one
//! holding every metric as a row, for one configuration or for each (`--all-configs`).

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

use super::data::aligned;
use super::inputs::{ResultsArgs, resolved};
use super::render::{OutputArgs, render_charts};
use super::stdout;
use crate::atomic::PendingFile;
use crate::chart::Chart;
use crate::results::{Benchmark, Level, ResultFile, Table, distinct, model_slug, sanitize};
use crate::scene::{chart_name_parts, load_charts};
use crate::terminal::printable;

/// The configuration fields the comparison workflow filters on, with their short names.
const PARALLELISM: [(&str, &str); 3] = [
    ("tensor_parallel_size", "tp"),
    ("data_parallel_size", "dp"),
    ("pipeline_parallel_size", "pp"),
];
/// Most metrics charted when none are named.
const MAX_DEFAULT_METRICS: usize = 8;

#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  benchanim compare Qwen3-4B Qwen3-4B-AWQ --combined
  benchanim compare Qwen3-4B Qwen3-4B-AWQ --all-configs --metrics ttft_p50_ms,ttft_p99_ms
  benchanim compare vllm_latency_sweep_Qwen_Qwen3_4B vllm_latency_sweep_Qwen_Qwen3_4B_AWQ \\
      --where tensor_parallel_size=2,data_parallel_size=4 --save-scene scenes/")]
pub struct CompareArgs {
    /// The baseline: a benchmark id as `report` names it, the model it ran (`Qwen3-4B`), or
    /// part of one benchmark's id.
    pub baseline: String,
    /// The candidate, named the same ways.
    pub candidate: String,
    /// The GPU whose runs are compared; by default the only one with runs of both.
    #[arg(long)]
    pub gpu: Option<String>,
    /// Metrics to chart, comma-separated; by default those both have that have a direction
    /// (at most 8, in the baseline's order).
    #[arg(long, value_delimiter = ',', value_name = "METRIC")]
    pub metrics: Vec<String>,
    /// Config values the runs must have: `tensor_parallel_size=2,max_num_batched_tokens=4096`.
    /// By default TP, DP and PP of 1, where the runs have those fields.
    #[arg(long = "where", value_delimiter = ',', value_name = "FIELD=VALUE")]
    pub where_: Vec<String>,
    /// A chart for every combination of these fields that both have (by default TP, DP and
    /// PP); the others are named as skipped.
    #[arg(long, value_delimiter = ',', num_args = 0.., value_name = "FIELD")]
    pub all_configs: Option<Vec<String>>,
    /// Also one chart with every metric as a row.
    #[arg(long)]
    pub combined: bool,
    /// The charts' title (default: `BASELINE vs CANDIDATE`).
    #[arg(long)]
    pub title: Option<String>,
    /// Also write the scenes made into this folder, to keep and edit as data.
    #[arg(long, value_name = "DIR")]
    pub save_scene: Option<PathBuf>,
    #[command(flatten)]
    pub input: ResultsArgs,
    #[command(flatten)]
    pub output: OutputArgs,
}

pub fn run(args: CompareArgs) -> anyhow::Result<u8> {
    crate::atomic::exit_cleanly_on_signal()?;
    let settings = args.output.settings()?;
    let wheres = args
        .where_
        .iter()
        .map(|w| parse_where(w))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let table = args.input.table()?;
    let baseline = find_benchmark(&table, &args.baseline).context("the baseline")?;
    let candidate = find_benchmark(&table, &args.candidate).context("the candidate")?;
    let gpu = shared_gpu(baseline, candidate, args.gpu.as_deref())?;
    let metrics = metrics(&table, baseline, candidate, &args.metrics)?;
    let plan = Plan {
        args: &args,
        baseline,
        candidate,
        gpu: &gpu,
        wheres,
        for_each: config_fields(&args, baseline, &gpu),
    };
    plan.check_options()?;
    let scenes = plan.scenes(&table, &metrics);

    // The scenes are files like any other: loaded, expanded and resolved as `render` does,
    // from --save-scene's folder or a temporary one.
    let temporary;
    let dir = match &args.save_scene {
        Some(keep) => {
            for path in save(keep, &scenes).context("--save-scene")? {
                eprintln!("saved {}", path.display());
            }
            keep.as_path()
        }
        None => {
            temporary = tempfile::tempdir().context("cannot make a folder for the scenes")?;
            save(temporary.path(), &scenes)?;
            temporary.path()
        }
    };
    let mut charts: Vec<(String, Chart)> = Vec::new();
    let mut skipped: Vec<String> = Vec::new();
    for (name, _) in &scenes {
        let expanded = load_charts(dir, name, &table)?;
        for s in expanded.skipped {
            if !skipped.contains(&s) {
                skipped.push(s);
            }
        }
        for (name, scene) in expanded.charts {
            let (chart, _) = resolved(&name, &scene, &table, args.input.strict)?;
            charts.push((name, chart));
        }
    }
    for s in &skipped {
        eprintln!("skipped {}", printable(s));
    }
    if charts.is_empty() {
        bail!(
            "nothing to compare: no configuration of --all-configs {} has runs of both (a field the two differ in, such as `model`, leaves none in common; leave it out)",
            plan.for_each.join(",")
        );
    }
    let code = render_charts(&args.output, settings, &charts)?;
    if !args.output.quiet {
        stdout::print(&delta_table(&charts, &args))?;
    }
    Ok(code)
}

/// What the scenes share.
struct Plan<'a> {
    args: &'a CompareArgs,
    baseline: &'a Benchmark,
    candidate: &'a Benchmark,
    gpu: &'a str,
    wheres: Vec<(String, toml::Value)>,
    /// Fields each configuration is charted on its own for, when the runs have them.
    for_each: Vec<String>,
}

impl Plan<'_> {
    /// Every `--where` pin and `--all-configs` field the user gave names runs of both
    /// benchmarks on the GPU; the error says which option and what the runs have instead.
    fn check_options(&self) -> anyhow::Result<()> {
        for benchmark in [self.baseline, self.candidate] {
            let runs: Vec<&ResultFile> = benchmark
                .runs
                .iter()
                .filter(|r| r.gpu == self.gpu)
                .collect();
            for (field, value) in &self.wheres {
                let level = match value {
                    toml::Value::Float(n) => Level::Number(*n),
                    toml::Value::Boolean(b) => Level::Bool(*b),
                    other => Level::Text(other.as_str().unwrap_or_default().to_string()),
                };
                let has = |r: &&ResultFile| r.field(field).is_some_and(|v| level.matches(v));
                if !runs.iter().any(has) {
                    let values = distinct(runs.iter().copied(), field);
                    bail!(
                        "--where {field}={}: no run of `{}` on `{}` has it; {}",
                        shown_value(value),
                        benchmark.id,
                        self.gpu,
                        if values.is_empty() {
                            format!("its runs have no `{field}`")
                        } else {
                            format!("it has {field} {}", values.join(", "))
                        }
                    );
                }
            }
            if self
                .args
                .all_configs
                .as_ref()
                .is_some_and(|f| !f.is_empty())
            {
                for field in &self.for_each {
                    if !runs.iter().any(|r| r.field(field).is_some()) {
                        bail!(
                            "--all-configs {field}: no run of `{}` on `{}` has a `{field}` field",
                            benchmark.id,
                            self.gpu
                        );
                    }
                }
            }
        }
        Ok(())
    }

    /// `(name, TOML)` of each scene: one per metric, and the combined one.
    fn scenes(&self, table: &Table, metrics: &[String]) -> Vec<(String, String)> {
        let base = format!(
            "compare_{}_vs_{}",
            sanitize(&self.args.baseline),
            sanitize(&self.args.candidate)
        );
        let mut scenes: Vec<(String, String)> = metrics
            .iter()
            .map(|m| {
                let label = table.catalog.label(m).unwrap_or(m).to_string();
                (
                    format!("{base}_{}", sanitize(m)),
                    self.scene(&label, std::slice::from_ref(m), false),
                )
            })
            .collect();
        if self.args.combined {
            scenes.push((format!("{base}_all"), self.scene("", metrics, true)));
        }
        scenes
    }

    /// A compare scene of `metrics`, a row each.
    fn scene(&self, what: &str, metrics: &[String], combined: bool) -> String {
        let (a, b) = (&self.args.baseline, &self.args.candidate);
        let mut scene = toml::Table::new();
        let mut put = |key: &str, value: toml::Value| {
            scene.insert(key.to_string(), value);
        };
        put("kind", "compare".into());
        put(
            "title",
            self.args
                .title
                .clone()
                .unwrap_or_else(|| format!("{a} vs {b}"))
                .into(),
        );
        let mut subtitle: Vec<String> = Vec::new();
        if !what.is_empty() {
            subtitle.push(what.to_string());
        }
        subtitle.push(self.gpu.replace('_', " "));
        for field in &self.for_each {
            let short = short_name(field).to_uppercase();
            subtitle.push(format!("{short} {{{field}}}"));
        }
        put("subtitle", subtitle.join(" · ").into());
        put("gpu", self.gpu.into());
        let mut wanted: toml::Table = self.wheres.iter().cloned().collect();
        let defaults = self.args.where_.is_empty() && self.args.all_configs.is_none();
        if defaults {
            for field in &self.for_each {
                wanted.insert(field.clone(), 1.into());
            }
        }
        if !wanted.is_empty() {
            put("where", toml::Value::Table(wanted));
        }
        if !self.for_each.is_empty() {
            let fields: Vec<toml::Value> =
                self.for_each.iter().map(|f| f.as_str().into()).collect();
            put("for_each", fields.into());
            let suffix: Vec<String> = self
                .for_each
                .iter()
                .map(|f| format!("{}{{{f}}}", short_name(f)))
                .collect();
            put("name_suffix", suffix.join("_").into());
        }
        if combined {
            put(
                "footer",
                vec![toml::Value::from(format!(
                    "{b} is better on {{better}} of {{rows}} metrics"
                ))]
                .into(),
            );
        }
        let series = |label: &str, id: &str| {
            let mut s = toml::Table::new();
            s.insert("label".into(), label.into());
            s.insert("benchmark".into(), id.into());
            toml::Value::Table(s)
        };
        put(
            "series",
            vec![series(a, &self.baseline.id), series(b, &self.candidate.id)].into(),
        );
        let rows: Vec<toml::Value> = metrics
            .iter()
            .map(|m| {
                let mut r = toml::Table::new();
                r.insert("metric".into(), m.as_str().into());
                toml::Value::Table(r)
            })
            .collect();
        put("rows", rows.into());
        format!(
            "# Made by `benchanim compare {a} {b}`.\n{}",
            toml::to_string(&scene).unwrap_or_default()
        )
    }
}

/// `tp` for `tensor_parallel_size`; other fields as they are.
fn short_name(field: &str) -> &str {
    PARALLELISM
        .iter()
        .find(|(f, _)| *f == field)
        .map_or(field, |(_, short)| short)
}

/// The fields each configuration is charted for: those `--all-configs` names, or TP, DP and PP
/// where the baseline's runs on `gpu` have them (and no `--where` says otherwise).
fn config_fields(args: &CompareArgs, baseline: &Benchmark, gpu: &str) -> Vec<String> {
    if let Some(fields) = &args.all_configs
        && !fields.is_empty()
    {
        return fields.clone();
    }
    if !args.where_.is_empty() && args.all_configs.is_none() {
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

/// A `--where` value as the user wrote it.
fn shown_value(value: &toml::Value) -> String {
    match value {
        toml::Value::String(s) => s.clone(),
        toml::Value::Float(n) => crate::terminal::number(*n),
        other => other.to_string(),
    }
}

/// `field=value`: a number, `true`/`false`, or text.
fn parse_where(text: &str) -> anyhow::Result<(String, toml::Value)> {
    let Some((field, value)) = text.split_once('=') else {
        bail!("--where `{text}` is not FIELD=VALUE, e.g. tensor_parallel_size=2");
    };
    let (field, value) = (field.trim(), value.trim());
    if field.is_empty() || value.is_empty() {
        bail!("--where `{text}` is not FIELD=VALUE, e.g. tensor_parallel_size=2");
    }
    let value = match value {
        "true" => true.into(),
        "false" => false.into(),
        v => match v.parse::<f64>() {
            Ok(n) if n.is_finite() => n.into(),
            _ => v.into(),
        },
    };
    Ok((field.to_string(), value))
}

/// The benchmark `name` names: its id, the model its runs ran (by slug: `Qwen3-4B` is not
/// `Qwen3-4B-AWQ`), or the one id it is part of.
fn find_benchmark<'t>(table: &'t Table, name: &str) -> anyhow::Result<&'t Benchmark> {
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
fn shared_gpu(a: &Benchmark, b: &Benchmark, asked: Option<&str>) -> anyhow::Result<String> {
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
fn metrics(
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

/// Writes the scenes into `dir`, never over a file that is there; returns their paths.
fn save(dir: &Path, scenes: &[(String, String)]) -> anyhow::Result<Vec<PathBuf>> {
    let mut saved = Vec::with_capacity(scenes.len());
    for (name, text) in scenes {
        let path = dir.join(format!("{name}.toml"));
        let mut file = PendingFile::create(&path)?;
        file.write_all(text.as_bytes())
            .with_context(|| format!("cannot write `{}`", path.display()))?;
        file.commit_new()?;
        saved.push(path);
    }
    Ok(saved)
}

/// Per configuration, each metric's values and delta (from the chart of each metric).
fn delta_table(charts: &[(String, Chart)], args: &CompareArgs) -> String {
    let mut configs: Vec<(&str, Vec<Vec<String>>)> = Vec::new();
    for (name, chart) in charts {
        let (scene, config) = chart_name_parts(name);
        let config = config.unwrap_or_default();
        // The combined chart repeats the metrics' own.
        let Some(bars) = chart.bars().filter(|_| !scene.ends_with("_all")) else {
            continue;
        };
        let at = match configs.iter().position(|(c, _)| *c == config) {
            Some(at) => at,
            None => {
                configs.push((config, Vec::new()));
                configs.len() - 1
            }
        };
        for row in &bars.rows {
            let value = |i: usize| {
                row.bars
                    .get(i)
                    .map_or_else(String::new, |b| printable(&b.label).into_owned())
            };
            configs[at].1.push(vec![
                printable(&row.label).into_owned(),
                value(0),
                value(1),
                row.delta
                    .as_ref()
                    .map_or_else(String::new, |d| d.text.clone()),
            ]);
        }
    }
    let head = vec![
        "Metric".to_string(),
        printable(&args.baseline).into_owned(),
        printable(&args.candidate).into_owned(),
        "Delta".to_string(),
    ];
    let mut out = String::new();
    for (config, rows) in configs {
        out.push('\n');
        if !config.is_empty() {
            out += &format!("{config}\n");
        }
        let lines: Vec<Vec<String>> = std::iter::once(head.clone()).chain(rows).collect();
        out += &aligned(&lines);
    }
    out
}
