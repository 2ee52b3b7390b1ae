//! `benchanim plot` over the measured CPU sweep in examples/cpu-sweep: the chart it draws is
//! the shipped line scene's, the scene it saves renders the same still, what it chose is
//! printed, and options naming what the runs lack are refused with what there is.

mod common;

use std::path::Path;

use common::{benchanim, data_json};
use serde_json::Value;

const RESULTS: &str = "examples/cpu-sweep/benchmark_results";
const CONCURRENCY_SWEEP: &str = "sweep_id=20261129_153242";

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// `benchanim plot ARGS` over the CPU sweep, writing the still only, small, into `out`.
fn plot(args: &[&str], out: &Path) -> std::process::Output {
    let mut all = vec!["plot", "--results", RESULTS];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--format", "png", "-q", "l", "--out", out.to_str().unwrap()]);
    benchanim(&all)
}

/// What a line chart shows, without what a scene words or colours: its x levels and scale,
/// each series' points and callouts, its y axis, and the runs behind each point.
fn drawn(data: &Value) -> Value {
    let chart = &data["chart"];
    let strip = |series: &Value, keys: &[&str]| {
        let mut series = series.clone();
        for s in series.as_array_mut().unwrap() {
            for key in keys {
                s.as_object_mut().unwrap().remove(*key);
            }
        }
        series
    };
    let levels: Vec<Value> = (chart["x"]["levels"].as_array().unwrap().iter())
        .map(|l| l["label"].clone())
        .collect();
    serde_json::json!({
        "levels": levels,
        "scale": chart["x"]["scale"],
        "y": chart["y"],
        "series": strip(&chart["series"], &["label", "color"]),
        // Callouts name the x axis, which the shipped scene titles in words.
        "annotations": strip(&chart["annotations"], &["text"]),
        "points": strip(&data["series"], &["label", "series"]),
    })
}

#[test]
fn plot_draws_the_shipped_line_chart_and_saves_a_scene_that_renders_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let scenes = dir.path().join("scenes");
    let saved = scenes.join("cpu_plot.toml");
    let out = plot(
        &[
            "--y",
            "output_token_throughput",
            "--x",
            "max_concurrency",
            "--where",
            CONCURRENCY_SWEEP,
            "--annotate",
            "peak,knee",
            "--save-scene",
            saved.to_str().unwrap(),
        ],
        &dir.path().join("plotted"),
    );
    let said = stderr(&out);
    assert!(out.status.success(), "{said}");
    assert!(
        said.contains(
            "line chart: output_token_throughput (higher is better) along max_concurrency"
        ),
        "{said}"
    );
    assert!(said.contains("series by gpu: CPU_2core"), "{said}");
    assert!(
        said.contains("x levels (log2): 1, 2, 4, 8, 16, 32"),
        "{said}"
    );

    let shipped = data_json(
        "cpu_throughput_vs_concurrency",
        "examples/cpu-sweep/scenes",
        RESULTS,
    );
    let plotted = data_json("cpu_plot", scenes.to_str().unwrap(), RESULTS);
    assert_eq!(drawn(&plotted), drawn(&shipped));
    assert_eq!(plotted["chart"]["series"].as_array().unwrap().len(), 1);

    // The saved scene, rendered as any scene is, gives the still plot drew, pixel for pixel.
    let rendered = dir.path().join("rendered");
    let render = benchanim(&[
        "render",
        "cpu_plot",
        "--scenes",
        scenes.to_str().unwrap(),
        "--results",
        RESULTS,
        "--format",
        "png",
        "-q",
        "l",
        "--out",
        rendered.to_str().unwrap(),
    ]);
    assert!(render.status.success(), "{}", stderr(&render));
    let plotted_png = std::fs::read(dir.path().join("plotted/cpu_plot.png")).unwrap();
    let rendered_png = std::fs::read(rendered.join("cpu_plot.png")).unwrap();
    assert!(plotted_png == rendered_png, "the stills differ");
}

#[test]
fn saving_over_a_scene_file_that_exists_is_refused_before_anything_is_drawn() {
    let dir = tempfile::tempdir().unwrap();
    let saved = dir.path().join("mine.toml");
    std::fs::write(&saved, "# edited by hand\n").unwrap();
    let out = plot(
        &[
            "--y",
            "output_token_throughput",
            "--save-scene",
            saved.to_str().unwrap(),
        ],
        &dir.path().join("renders"),
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("the file exists"), "{}", stderr(&out));
    assert_eq!(
        std::fs::read_to_string(&saved).unwrap(),
        "# edited by hand\n"
    );
    assert!(!dir.path().join("renders").exists());
}

#[test]
fn without_x_the_levels_of_the_sweep_are_bars_and_several_metrics_are_panels() {
    let dir = tempfile::tempdir().unwrap();
    let out = plot(
        &[
            "--y",
            "output_token_throughput",
            "--where",
            CONCURRENCY_SWEEP,
        ],
        dir.path(),
    );
    let said = stderr(&out);
    assert!(out.status.success(), "{said}");
    assert!(
        said.contains("bar chart: output_token_throughput (higher is better)"),
        "{said}"
    );
    assert!(
        said.contains("rows by max_concurrency: 1, 2, 4, 8, 16, 32"),
        "{said}"
    );
    assert!(
        dir.path()
            .join("plot_output_token_throughput.png")
            .is_file()
    );

    let out = plot(
        &[
            "--y",
            "output_token_throughput,ttft_median",
            "--where",
            CONCURRENCY_SWEEP,
        ],
        dir.path(),
    );
    let said = stderr(&out);
    assert!(out.status.success(), "{said}");
    assert!(
        said.contains("bar charts in panels: output_token_throughput (higher is better), ttft_median (lower is better)"),
        "{said}"
    );
}

#[test]
fn a_metric_along_x_makes_a_scatter_chart_of_a_point_per_level() {
    let dir = tempfile::tempdir().unwrap();
    let out = plot(
        &[
            "--y",
            "output_token_throughput",
            "--x",
            "itl_median",
            "--where",
            CONCURRENCY_SWEEP,
        ],
        dir.path(),
    );
    let said = stderr(&out);
    assert!(out.status.success(), "{said}");
    assert!(
        said.contains("scatter chart: output_token_throughput (higher is better) against itl_median (lower is better)"),
        "{said}"
    );
    assert!(
        said.contains("points by max_concurrency: 1, 2, 4, 8, 16, 32"),
        "{said}"
    );
}

/// Each refusal: the options, and what the message must say.
#[test]
fn options_naming_what_the_runs_lack_are_refused_with_what_there_is() {
    let dir = tempfile::tempdir().unwrap();
    let cases: &[(&[&str], &[&str])] = &[
        (
            &["--y", "tokens_per_banana"],
            &[
                "--y tokens_per_banana",
                "the metrics are:",
                "output_token_throughput",
            ],
        ),
        (
            &["--y", "output_token_throughput", "--x", "slots"],
            &["--x slots", "the fields are:", "max_concurrency"],
        ),
        (
            &[
                "--y",
                "output_token_throughput",
                "--x",
                "max_concurrency",
                "--series-by",
                "engine_flavour",
            ],
            &["--series-by engine_flavour", "the fields are:", "benchmark"],
        ),
        (
            &[
                "--y",
                "output_token_throughput",
                "--where",
                "max_concurrency=3",
            ],
            &[
                "--where max_concurrency = 3",
                "they have max_concurrency 1, 2, 4, 8, 16, 32",
            ],
        ),
        (
            &["--y", "output_token_throughput", "--gpu", "H100"],
            &["--gpu H100", "there are: CPU_2core"],
        ),
        (
            &["--y", "a,b,c,d,e,f,g,h,i"],
            &["--y takes 1 to 8 metrics", "9 given"],
        ),
        (
            &["--y", "output_token_throughput", "--annotate", "peak"],
            &["--annotate calls out peaks and knees on a line chart"],
        ),
        (
            &["--y", "output_token_throughput", "--kind", "line"],
            &["--kind line needs --x FIELD"],
        ),
        (
            &[
                "--y",
                "output_token_throughput",
                "--where",
                "max_concurrency",
            ],
            &["--where `max_concurrency` is not FIELD=VALUE"],
        ),
        (
            &["--y", "output_token_throughput", "--save-scene", "plot.txt"],
            &["--save-scene `plot.txt`", "<name>.toml"],
        ),
    ];
    for (args, wanted) in cases {
        let out = plot(args, dir.path());
        let said = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {said}");
        for w in *wanted {
            assert!(said.contains(w), "{args:?}: `{w}` not in: {said}");
        }
        assert!(!said.contains("panicked"), "{args:?}: {said}");
    }
    assert!(
        !dir.path().join("index.html").exists(),
        "nothing was rendered"
    );
}
