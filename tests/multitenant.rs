//! Tenants sharing one GPU: `import multitenant` of the fixture experiments (the workflow's
//! `<experiment>/<tenant>/events.jsonl` and copied YAML config), their per-iteration latencies
//! as series sections, and the scenes that draw them: a synchronized timeline, the same on one
//! clock, and MPS off against on.

mod common;

use std::path::{Path, PathBuf};

use benchanim::chart::Chart;
use benchanim::layout::{Axis, ElementId, Shape};
use benchanim::results::{Direction, ResultFile, Table, load};
use benchanim::scene::{load_scene, resolve};
use benchanim::timeline::Timeline;

const SCENES: &str = "examples/multitenant/scenes";
const RESULTS: &str = "tests/fixtures/multitenant-results";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn import(source: &str, out: &Path, extra: &[&str]) -> (i32, String) {
    let mut args = vec![
        "import",
        "multitenant",
        source,
        "--gpu-name",
        "NVIDIA A100-SXM4-40GB",
        "--results",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    let o = common::benchanim(&args);
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

fn runs(dir: &Path) -> Vec<ResultFile> {
    let (files, warnings) = load(dir).unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    files
}

fn value(run: &ResultFile, metric: &str) -> String {
    run.field(metric)
        .map(|v| v.to_text())
        .unwrap_or_else(|| panic!("{} has no {metric}", run.path.display()))
}

fn the<'a>(runs: &'a [ResultFile], benchmark: &str, experiment: &str) -> &'a ResultFile {
    runs.iter()
        .find(|r| r.benchmark == benchmark && value(r, "experiment") == experiment)
        .unwrap_or_else(|| panic!("no {benchmark} in {experiment}"))
}

#[test]
fn each_tenant_and_each_experiment_becomes_a_result_file() {
    let dir = tempfile::tempdir().unwrap();
    let (code, err) = import("tests/fixtures/multitenant", dir.path(), &[]);
    assert_eq!(code, 0, "{err}");
    // Two experiments of two tenants, and six of 2 to 4 distilgpt2 tenants: a file per tenant
    // and one per experiment.
    assert!(err.contains("imported 30 runs"), "{err}");
    let runs = runs(dir.path());
    assert_eq!(runs.len(), 30);

    // Tenant A: 52 iterations of 270 ms then 48 of 85 ms, over 18.4 s. Its run_end has no
    // percentiles: they come from the iterations, as numpy computes them.
    let a = the(
        &runs,
        "multitenant_Mistral_7B_Instruct_v0_2_b8_L128",
        "2_a_1_b",
    );
    for (metric, expected) in [
        ("tenant", "a"),
        ("tenants", "2"),
        ("mps", "False"),
        ("model_name", "mistralai/Mistral-7B-Instruct-v0.2"),
        ("batch_size", "8"),
        ("seq_len", "128"),
        ("num_iters", "100"),
        ("latency_mean_ms", "181.2"),
        ("latency_p50_ms", "270"),
        ("latency_p99_ms", "270"),
        ("tokens_processed", "102400"),
        ("wall_time_s", "18.4"),
        ("gpu_busy_pct", "98.47826086956522"),
        ("timestamp", "20251208_204057"),
    ] {
        assert_eq!(value(a, metric), expected, "{metric}");
    }
    let series: Vec<_> = a
        .rows
        .iter()
        .filter(|r| r.section.as_deref() == Some("series latency_ms by iteration"))
        .collect();
    assert_eq!(series.len(), 100);
    assert_eq!(
        (series[51].metric.as_str(), series[51].value.to_text()),
        ("51", "270".into())
    );
    assert_eq!(series[52].value.to_text(), "85");

    let experiment = the(&runs, "multitenant_experiment", "2_a_1_b");
    assert_eq!(
        value(experiment, "gpu_throughput_tokens_per_s"),
        "8347.826086956522"
    );
    assert_eq!(value(experiment, "max_wall_time_s"), "18.4");
    assert_eq!(value(experiment, "max_latency_p99_ms"), "300");
    let mps = the(&runs, "multitenant_experiment", "mps_2_a_1_b");
    assert_eq!(value(mps, "mps"), "True");

    // The same experiments again: nothing new.
    let (code, err) = import("tests/fixtures/multitenant", dir.path(), &[]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("imported 0 runs") && err.contains("30 already there"),
        "{err}"
    );
    assert_eq!(
        std::fs::read_dir(dir.path().join("NVIDIA_A100_SXM4_40GB"))
            .unwrap()
            .count(),
        30
    );

    // The shipped fixture results are what this import writes.
    let shipped = runs_in_order(&root().join(RESULTS));
    let made = runs_in_order(dir.path());
    assert_eq!(shipped.len(), made.len());
    for (a, b) in shipped.iter().zip(&made) {
        assert_eq!(
            std::fs::read(a).unwrap(),
            std::fs::read(b).unwrap(),
            "{}",
            a.display()
        );
    }
}

fn runs_in_order(dir: &Path) -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir.join("NVIDIA_A100_SXM4_40GB"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    paths
}

/// A truncated log is imported as partial; its bad lines are warnings naming file and line; a
/// config that does not say whether MPS was on is an error naming what to do, before anything
/// is written.
#[test]
fn broken_logs_are_imported_with_warnings_and_missing_mps_is_asked_for() {
    let dir = tempfile::tempdir().unwrap();
    let (code, err) = import("tests/fixtures/multitenant-broken", dir.path(), &[]);
    assert_eq!(code, 1);
    assert!(
        err.contains("truncated/config.yaml")
            && err.contains("has no `mps:`")
            && err.contains("--set mps=true or --set mps=false"),
        "{err}"
    );
    assert!(!dir.path().join("NVIDIA_A100_SXM4_40GB").exists());

    let (code, err) = import(
        "tests/fixtures/multitenant-broken",
        dir.path(),
        &["--set", "mps=false"],
    );
    assert_eq!(code, 0, "{err}");
    let log = "truncated/a/events.jsonl";
    for line in [
        format!("{log}:6: an iteration without a number `iter`"),
        format!("{log}:7: not JSON"),
        format!("{log}:8: not JSON"),
    ] {
        assert!(err.contains(&line), "{line}\n{err}");
    }
    let runs = runs(dir.path());
    let tenant = runs
        .iter()
        .find(|r| r.benchmark != "multitenant_experiment")
        .unwrap();
    assert!(tenant.is_partial());
    assert_eq!(value(tenant, "latency_p50_ms"), "21.5");
    assert_eq!(value(tenant, "mps"), "False");

    let (code, err) = import(
        "tests/fixtures/multitenant-broken",
        dir.path(),
        &["--set", "mps=perhaps"],
    );
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("neither true nor false"), "{err}");
    let (code, err) = import(
        "tests/fixtures/multitenant/2_a_1_b/a/events.jsonl",
        dir.path(),
        &[],
    );
    assert_eq!(code, 1);
    assert!(err.contains("is not a folder"), "{err}");
}

fn table() -> Table {
    let (files, warnings) = load(&root().join(RESULTS)).unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    Table::collate(files)
}

fn scene_chart(name: &str) -> Chart {
    let scene = load_scene(&root().join(SCENES), name).unwrap();
    resolve(&scene, &table())
        .unwrap_or_else(|e| panic!("{name}: {e:#}"))
        .0
}

#[test]
fn the_timeline_draws_every_iteration_of_every_tenant_on_one_pen() {
    let json = common::data_json("mt_timeline", SCENES, RESULTS);
    let points = |s: usize| json["series"][s]["points"].as_array().unwrap().clone();
    assert_eq!(points(0).len(), 100);
    assert_eq!(points(1).len(), 50);
    assert_eq!(points(0)[51]["y"], 270.0);
    assert_eq!(points(0)[52]["y"], 85.0);
    assert_eq!(points(0)[99]["x"], 99.0);

    let chart = scene_chart("mt_timeline");
    let plot = chart.lines().unwrap();
    assert_eq!(plot.y.direction, Some(Direction::Lower));
    // At the middle of the lines step the shared pen is halfway: B's line (iterations 0–49) is
    // drawn whole, A's half.
    let d = chart.durations;
    let t = Timeline::new(&chart, &d, false);
    let start = (0..10_000)
        .map(|i| i as f64 * t.complete() / 10_000.0)
        .find(|&at| t.state(ElementId::Line(0), at).opacity > 0.0)
        .unwrap();
    let middle = start + d.lines / 2.0;
    let pen = t.state(ElementId::Line(0), middle).grow;
    assert!((pen - 0.5).abs() < 0.02, "{pen}");
    assert_eq!(t.state(ElementId::Line(1), middle).grow, pen);
    let last_b = plot.x_fractions()[plot.series[1].points[49].level];
    let half_a = plot.x_fractions()[plot.series[0].points[49].level];
    assert!(last_b <= f64::from(pen) + 0.01 && half_a <= f64::from(pen) + 0.01);
    assert!(plot.x_fractions()[plot.series[0].points[60].level] > f64::from(pen));

    // On the frame: y ticks 0 to 300 by 100, x ticks 0 to 100 by 20 (the axis rounds out past
    // the last iteration, 99), and the pen halfway through the step at iteration 49.5.
    let layout = common::clean_layout("mt_timeline", &chart, (1920, 1080));
    let ticks = |axis: Axis| -> Vec<String> {
        (0..)
            .map_while(|i| match layout.element(ElementId::TickLabel { axis, i }) {
                Some(e) => match &e.shape {
                    Shape::Text(t) => Some(t.text.clone()),
                    _ => None,
                },
                None => None,
            })
            .collect()
    };
    assert_eq!(ticks(Axis::Y), ["0", "100", "200", "300"]);
    assert_eq!(ticks(Axis::X), ["0", "20", "40", "60", "80", "100"]);
    let Some(Shape::Polyline {
        pieces, pen: ends, ..
    }) = layout.element(ElementId::Line(0)).map(|e| &e.shape)
    else {
        panic!("A's line is not a polyline");
    };
    // A's points sit every iteration: x of iteration i is first + i × step.
    let first = pieces[0][0].0;
    let step = (pieces[0].last().unwrap().0 - first) / 99.0;
    let at = ends.0 + pen * (ends.1 - ends.0);
    let iteration = (at - first) / step;
    assert!(
        (iteration - 49.5).abs() <= 0.5,
        "pen at iteration {iteration}"
    );
    assert_eq!(ends.1, pieces[0].last().unwrap().0);
}

#[test]
fn tenant_scenes_lay_out_at_every_preset() {
    for name in ["mt_timeline", "mt_clock", "mt_mps", "mt_scaling"] {
        let chart = scene_chart(name);
        // Fixture numbers say so on the frame, so that a still is not taken for a measurement.
        assert_eq!(
            chart.footer.last().map(String::as_str),
            Some("Test fixture data, not a measurement"),
            "{name}"
        );
        for frame in common::FRAMES {
            common::clean_layout(name, &chart, frame);
        }
    }
    // On one clock each tenant's line ends when its iterations add up: A at 18.12 s, B at 15 s.
    let clock = scene_chart("mt_clock");
    let plot = clock.lines().unwrap();
    let end = |s: usize| {
        let level = plot.series[s].points.last().unwrap().level;
        plot.x.levels[level].at
    };
    assert!((end(0) - 18.12).abs() < 1e-9 && (end(1) - 15.0).abs() < 1e-9);
    assert!(plot.x.continuous);
}

/// MPS on against off, per tenant: A's p99 270 → 150 ms is 44.4% better.
#[test]
fn mps_on_against_off_is_a_compare_chart() {
    let chart = scene_chart("mt_mps");
    let rows = &chart.bars().unwrap().rows;
    let mistral = rows
        .iter()
        .find(|r| r.label.starts_with("mistralai/Mistral-7B"))
        .unwrap();
    let delta = mistral.delta.as_ref().unwrap();
    assert_eq!(delta.text, "✓ −44.4%");
    assert_eq!(
        (mistral.bars[0].value, mistral.bars[1].value),
        (Some(270.0), Some(150.0))
    );
    assert_eq!(
        chart.footer,
        [
            "MPS is better for 1 of 2 tenants",
            "Test fixture data, not a measurement"
        ]
    );
}

#[test]
fn garbage_logs_give_an_error_or_warnings_never_a_panic() {
    let good =
        std::fs::read(root().join("tests/fixtures/multitenant/2_a_1_b/a/events.jsonl")).unwrap();
    let mut inputs: Vec<Vec<u8>> = vec![Vec::new(), b"\xff\xfe".to_vec(), b"[1,2]".to_vec()];
    for cut in [1, 10, 100, good.len() / 2, good.len() - 3] {
        inputs.push(good[..cut].to_vec());
    }
    let mut flipped = good.clone();
    for i in (0..flipped.len()).step_by(97) {
        flipped[i] ^= 0x5a;
    }
    inputs.push(flipped);
    inputs.push(
        String::from_utf8_lossy(&good)
            .replace("270.0", "NaN")
            .into_bytes(),
    );
    inputs.push(
        String::from_utf8_lossy(&good)
            .replace("\"iter\": 7,", "\"iter\": 1e400,")
            .into_bytes(),
    );
    let path = Path::new("/data/exp/a/events.jsonl");
    for input in inputs {
        match benchanim::import::multitenant::tenant_record(path, &input, "GPU") {
            Ok((record, warnings)) => {
                assert!(record.benchmark.starts_with("multitenant_"));
                assert!(
                    warnings
                        .iter()
                        .all(|w| w.line.is_some() && !w.message.contains('\n'))
                );
            }
            Err(why) => {
                let why = why.to_string();
                assert!(!why.is_empty() && !why.contains('\n'), "{why}");
            }
        }
    }
}

/// Scaling with the number of tenants: each experiment's GPU throughput over its tenant count,
/// without MPS and with it.
#[test]
fn throughput_scales_with_tenants_as_a_line() {
    let chart = scene_chart("mt_scaling");
    let plot = chart.lines().unwrap();
    let labels: Vec<&str> = plot.x.levels.iter().map(|l| l.label.as_str()).collect();
    assert_eq!(labels, ["2", "3", "4"]);
    let ys = |s: usize| -> Vec<f64> { plot.series[s].points.iter().map(|p| p.y).collect() };
    // Four tenants of 51,200 tokens; with MPS the slowest took 50 × 56 ms + 0.1 s.
    assert!(
        (ys(1)[2] - 4.0 * 51_200.0 / 2.9).abs() < 0.01,
        "{:?}",
        ys(1)
    );
    assert!(ys(0).iter().zip(ys(1)).all(|(off, on)| *off < on));
    assert_eq!(plot.y.direction, Some(Direction::Higher));
}

/// The measured experiment of `examples/multitenant-cpu/`: three tenants alone and together,
/// the shared run's start within a few ms, and its scenes laid out cleanly.
#[test]
fn the_measured_cpu_experiment_charts_its_tenants() {
    let dir = root().join("examples/multitenant-cpu");
    let (files, warnings) = load(&dir.join("benchmark_results")).unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(files.len(), 7);
    let experiment = files
        .iter()
        .find(|f| f.benchmark == "multitenant_experiment")
        .unwrap();
    assert_eq!(value(experiment, "tenants"), "3");
    let offset: f64 = value(experiment, "max_start_offset_ms").parse().unwrap();
    assert!(offset < 50.0);
    let table = Table::collate(files);
    for name in ["trio_latency_timeline", "trio_alone_vs_shared"] {
        let scene = load_scene(&dir.join("scenes"), name).unwrap();
        let chart = resolve(&scene, &table)
            .unwrap_or_else(|e| panic!("{name}: {e:#}"))
            .0;
        if let Some(plot) = chart.lines() {
            // A point per request; requests that ended in the same millisecond are one point
            // that stands for each of them.
            let requests: Vec<usize> = plot
                .series
                .iter()
                .map(|s| s.points.iter().map(|p| p.n).sum())
                .collect();
            assert_eq!(requests, [32, 16, 16]);
            for s in &plot.series {
                let mut levels: Vec<usize> = s.points.iter().map(|p| p.level).collect();
                levels.dedup();
                assert_eq!(levels.len(), s.points.len(), "one point per x");
            }
        }
        if let Some(panels) = chart.panels() {
            assert_eq!(panels.panels.len(), 3);
            assert!(
                panels
                    .panels
                    .iter()
                    .all(|p| p.bars.rows.len() == 3 && p.bars.has_deltas())
            );
        }
        for frame in common::FRAMES {
            common::clean_layout(name, &chart, frame);
        }
    }
}

/// `report` counts a series section's points rather than listing them.
#[test]
fn the_report_summarises_series_sections() {
    let report = common::stdout(&["report", "--results", RESULTS]);
    assert!(
        report.contains("| series latency_ms by iteration | points | 100 | 100 |"),
        "{report}"
    );
    assert!(!report.contains("| 51 |"), "{report}");
}
