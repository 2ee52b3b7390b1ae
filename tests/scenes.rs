//! The shipped scenes: their values are the collated data, their layouts never overlap, their
//! final frames match the committed golden images, and broken scenes get messages that help.
//!
//! The scenes read their own copy of the results, `tests/fixtures/results/`, so that running a
//! benchmark (which writes into `benchmark_results/`) never changes what these tests see.

use std::path::{Path, PathBuf};

use benchanim::chart::{Chart, ChartRow, XScale};
use benchanim::encode::VideoSettings;
use benchanim::layout::{ElementId, Layout, Shape};
use benchanim::render::{RenderSettings, Theme, final_frame, layout};
use benchanim::results::{MetricCatalog, Table, load};
use benchanim::scene::{list_scenes, load_scene, resolve};
use tiny_skia::Pixmap;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn table() -> Table {
    let (files, warnings) = load(&root().join("tests/fixtures/results")).unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    Table::collate(files)
}

/// The rows of a bar chart.
fn rows(chart: &Chart) -> &[ChartRow] {
    &chart.bars().expect("a bar chart").rows
}

/// The hand-made concurrency sweep, and the line and scatter scenes that chart it.
fn sweep_table() -> Table {
    let (files, warnings) = load(&root().join("tests/fixtures/sweep")).unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    Table::collate(files)
}

const SWEEP_SCENES: [&str; 2] = ["vllm_concurrency", "vllm_tradeoff"];

/// The hand-made repeated runs (two iterations each), and the scenes that aggregate them.
fn repeats_table() -> Table {
    let (files, warnings) = load(&root().join("tests/fixtures/repeats")).unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    Table::collate(files)
}

const REPEATS_SCENES: [&str; 2] = ["llm_on_ray_latency", "llm_on_ray_tradeoff"];

fn repeats_chart(table: &Table, name: &str) -> Chart {
    let scene = load_scene(&root().join("tests/fixtures/repeats-scenes"), name).unwrap();
    resolve(&scene, table)
        .unwrap_or_else(|e| panic!("{name}: {e:#}"))
        .0
}

/// Every scene over the hand-made fixtures, by name.
fn fixture_charts() -> Vec<(String, Chart)> {
    let (sweep, repeats) = (sweep_table(), repeats_table());
    let mut charts: Vec<(String, Chart)> = SWEEP_SCENES
        .iter()
        .map(|&name| (name.to_string(), sweep_chart(&sweep, name)))
        .chain(
            REPEATS_SCENES
                .iter()
                .map(|&name| (name.to_string(), repeats_chart(&repeats, name))),
        )
        .collect();
    charts.extend(example_charts("cpu-sweep"));
    charts
}

/// Every scene of `examples/<name>/`, drawn from its own results.
fn example_charts(name: &str) -> Vec<(String, Chart)> {
    let example = root().join("examples").join(name);
    let (files, warnings) = load(&example.join("benchmark_results")).unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    let table = Table::collate(files);
    let scenes = example.join("scenes");
    list_scenes(&scenes)
        .unwrap()
        .into_iter()
        .map(|name| {
            let scene = load_scene(&scenes, &name).unwrap();
            let chart = resolve(&scene, &table)
                .unwrap_or_else(|e| panic!("{name}: {e:#}"))
                .0;
            (name, chart)
        })
        .collect()
}

fn sweep_scene(name: &str) -> benchanim::scene::Scene {
    load_scene(&root().join("tests/fixtures/sweep-scenes"), name).unwrap()
}

fn sweep_chart(table: &Table, name: &str) -> Chart {
    resolve(&sweep_scene(name), table)
        .unwrap_or_else(|e| panic!("{name}: {e:#}"))
        .0
}

fn chart(table: &Table, name: &str) -> Chart {
    let scene = load_scene(&root().join("scenes"), name).unwrap();
    resolve(&scene, table)
        .unwrap_or_else(|e| panic!("{name}: {e:#}"))
        .0
}

const SCENES: [&str; 13] = [
    "image_generation",
    "llamacpp_input",
    "llamacpp_output",
    "llamacpp_vs_vllm_input",
    "llamacpp_vs_vllm_input_gb10",
    "llamacpp_vs_vllm_input_rtx4090",
    "llamacpp_vs_vllm_output",
    "llamacpp_vs_vllm_output_gb10",
    "llamacpp_vs_vllm_output_rtx4090",
    "llm_finetune",
    "object_detection",
    "vllm_input",
    "vllm_output",
];

#[test]
fn ships_the_thirteen_scenes() {
    assert_eq!(list_scenes(&root().join("scenes")).unwrap(), SCENES);
}

#[test]
fn every_cell_equals_the_collated_data() {
    let table = table();
    for name in SCENES {
        let scene = load_scene(&root().join("scenes"), name).unwrap();
        let (chart, cells) = resolve(&scene, &table).unwrap();
        let bars: Vec<_> = rows(&chart).iter().flat_map(|r| &r.bars).collect();
        assert_eq!(bars.len(), cells.len());
        for (bar, cell) in bars.iter().zip(&cells) {
            let expected = table
                .cell(&cell.benchmark, &cell.gpu, &cell.metric)
                .map(|c| c.value);
            assert_eq!(
                bar.value, expected,
                "{name}: {} × {}",
                cell.row, cell.series
            );
            assert_eq!(
                bar.label == "NA",
                expected.is_none(),
                "{name}: {}",
                bar.label
            );
        }
    }
}

#[test]
fn values_match_the_published_figures() {
    let table = table();
    let vllm = chart(&table, "vllm_input");
    let values = |c: &Chart, row: &str| -> Vec<Option<f64>> {
        rows(c)
            .iter()
            .find(|r| r.label == row)
            .unwrap()
            .bars
            .iter()
            .map(|b| b.value)
            .collect()
    };
    assert_eq!(values(&vllm, "gpt-oss-20b"), [Some(4848.70), Some(1538.38)]);
    assert_eq!(values(&vllm, "gpt-oss-120b"), [None, Some(628.40)]);
    assert_eq!(values(&vllm, "Nemotron-3-Nano-30B"), [None, Some(413.34)]);
    assert_eq!(rows(&vllm).len(), 9);
    assert_eq!(
        vllm.legend
            .iter()
            .map(|l| l.color.hex())
            .collect::<Vec<_>>(),
        ["#ff7f0e", "#1f77b4"]
    );
    assert!(
        vllm.footer
            .contains(&"NA = model did not fit in GPU memory".to_string())
    );
    assert_eq!(
        vllm.subtitle,
        "Input Tokens per Second (tok/s) · ↑ Higher is better"
    );
    assert_eq!(rows(&vllm)[0].bars[0].label, "4,849");

    let vs = chart(&table, "llamacpp_vs_vllm_output");
    assert_eq!(vs.legend.len(), 4);
    assert_eq!(
        values(&vs, "gpt-oss-20b (text)"),
        [Some(88.04), Some(230.00), Some(242.54), Some(584.00)]
    );

    let finetune = chart(&table, "llm_finetune");
    assert!(finetune.legend.is_empty());
    assert_eq!(
        rows(&finetune)
            .iter()
            .map(|r| r.bars[0].color.hex())
            .collect::<Vec<_>>(),
        ["#ff7f0e", "#1f77b4"]
    );
    assert_eq!(finetune.footer, ["RTX 4090 is 4.2× faster than DGX Spark"]);
    assert_eq!(
        finetune.subtitle,
        "Total Training Time (seconds) · ↓ Lower is better"
    );

    let images = chart(&table, "image_generation");
    assert_eq!(images.footer.len(), 2, "{:?}", images.footer);
    assert!(images.footer[0].starts_with("FLUX.2-klein-4B: RTX 4090 is "));
}

#[test]
fn layouts_never_overlap_at_any_preset() {
    let table = table();
    for name in SCENES {
        let chart = chart(&table, name);
        for (w, h) in [
            (854, 480),
            (1280, 720),
            (1920, 1080),
            (3840, 2160),
            (1080, 1080),
        ] {
            let layout = layout(&chart, w, h);
            assert!(
                layout.collisions().is_empty(),
                "{name} at {w}x{h}: {:?}",
                layout.collisions()
            );
            assert!(
                layout.outside_frame().is_empty(),
                "{name} at {w}x{h}: {:?}",
                layout.outside_frame()
            );
            assert!(layout.boxes().len() > rows(&chart).len() * 2);
        }
    }
}

/// Size of the title's font.
fn title_size(layout: &Layout) -> f32 {
    match &layout.element(ElementId::Title).expect("a title").shape {
        Shape::Text(spec) => spec.size,
        other => panic!("the title is not text: {other:?}"),
    }
}

/// Share of the frame's width from where the bars start to the end of the longest bar.
fn bar_area(layout: &Layout) -> f32 {
    let bars: Vec<_> = layout
        .elements
        .iter()
        .filter(|e| matches!(e.shape, Shape::Bar { .. }))
        .map(|e| e.rect)
        .collect();
    let start = bars.iter().map(|r| r.x).fold(f32::INFINITY, f32::min);
    let end = bars.iter().map(|r| r.right()).fold(0.0, f32::max);
    (end - start) / layout.width as f32
}

/// Square, 4:5 and 9:16 frames get layouts of their own rather than the 16:9 one shrunk into
/// their middle: large text and, on the tall frame, bars across most of the width.
#[test]
fn narrow_frames_get_layouts_of_their_own() {
    let table = table();
    for name in SCENES {
        let chart = chart(&table, name);
        let wide_title = title_size(&layout(&chart, 1920, 1080));
        for (w, h) in [(1080, 1920), (1080, 1350), (1080, 1080)] {
            let layout = layout(&chart, w, h);
            assert!(
                layout.collisions().is_empty(),
                "{name} at {w}x{h}: {:?}",
                layout.collisions()
            );
            assert!(
                layout.outside_frame().is_empty(),
                "{name} at {w}x{h}: {:?}",
                layout.outside_frame()
            );
            let (title, bars) = (title_size(&layout), bar_area(&layout));
            if h == 1920 {
                assert!(title >= 64.0, "{name} at {w}x{h}: title {title} px");
                assert!(bars >= 0.75, "{name} at {w}x{h}: bars span {bars}");
            } else {
                assert!(
                    title >= 0.7 * wide_title,
                    "{name} at {w}x{h}: title {title} px, {wide_title} px at 1920x1080"
                );
            }
        }
    }
}

fn golden_path(name: &str) -> PathBuf {
    root().join("tests/golden").join(format!("{name}.png"))
}

/// Golden frames are `-q l`: 854x480, dark.
const GOLDEN_SETTINGS: RenderSettings = RenderSettings {
    video: VideoSettings {
        width: 854,
        height: 480,
        fps: 15,
    },
    theme: Theme::Dark,
    fadeout: false,
    transparent: false,
};

/// Antialiasing may differ by a few levels between builds; a changed pixel differs by more.
const PIXEL_TOLERANCE: u8 = 24;

/// Largest share of pixels that may differ from a golden frame: a few dozen pixels at 854x480,
/// fewer than the smallest value label covers, so a missing label fails.
const MAX_DIFFERING_SHARE: f64 = 0.00005;

/// Share of the pixels of `frame` that differ from `golden` by more than [`PIXEL_TOLERANCE`]
/// in some channel (1 when the sizes differ), and an image of `golden`, dimmed, with those
/// pixels in red.
fn compare(frame: &Pixmap, golden: &Pixmap) -> (f64, Pixmap) {
    let mut diff = golden.clone();
    if (frame.width(), frame.height()) != (golden.width(), golden.height()) {
        return (1.0, diff);
    }
    let mut differing = 0;
    for ((a, b), out) in frame
        .data()
        .chunks(4)
        .zip(golden.data().chunks(4))
        .zip(diff.data_mut().chunks_mut(4))
    {
        if a.iter()
            .zip(b)
            .any(|(x, y)| x.abs_diff(*y) > PIXEL_TOLERANCE)
        {
            differing += 1;
            out.copy_from_slice(&[255, 0, 0, 255]);
        } else {
            let grey = ((b[0] as u16 + b[1] as u16 + b[2] as u16) / 12) as u8;
            out.copy_from_slice(&[grey, grey, grey, 255]);
        }
    }
    let share = differing as f64 / (frame.width() as f64 * frame.height() as f64);
    (share, diff)
}

/// The golden frame of `name`.
fn golden(name: &str) -> Pixmap {
    let path = golden_path(name);
    Pixmap::load_png(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Checks `frame` against the golden frame of `name`. On a mismatch, writes the frame and a
/// diff image (differing pixels in red) to `golden-diff/` in Cargo's temporary folder for tests
/// (`target/tmp/`) and returns a message that names them.
fn check_golden(name: &str, frame: &Pixmap) -> Result<(), String> {
    let (share, diff) = compare(frame, &golden(name));
    if share <= MAX_DIFFERING_SHARE {
        return Ok(());
    }
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("golden-diff");
    std::fs::create_dir_all(&dir).unwrap();
    let actual = dir.join(format!("{name}.actual.png"));
    let diff_path = dir.join(format!("{name}.diff.png"));
    frame.save_png(&actual).unwrap();
    diff.save_png(&diff_path).unwrap();
    Err(format!(
        "{name}: {:.4}% of pixels differ from {} (at most {:.4}% may); this frame: {}, differing pixels in red: {}",
        share * 100.0,
        golden_path(name).display(),
        MAX_DIFFERING_SHARE * 100.0,
        actual.display(),
        diff_path.display()
    ))
}

/// Example scenes of each kind the shipped scenes lack, with the results they chart: a compare
/// chart, panels, and a timeline of tenants sharing a GPU.
/// Scenes the size users write them (see tests/stress.rs), over their fixtures
/// (`stress_panels5` has more panels than a golden frame's 854x480 takes).
const STRESS_GOLDENS: [&str; 6] = [
    "stress_lines",
    "stress_panels3",
    "stress_raw_ids",
    "stress_rows",
    "stress_scatter",
    "stress_single_compare",
];

/// Scene `name` of the folder `scenes` (from the repository root) over the results `results`.
fn chart_from(scenes: &str, name: &str, results: &str) -> Chart {
    let scene = load_scene(&root().join(scenes), name).unwrap();
    let (files, _) = load(&root().join(results)).unwrap();
    resolve(&scene, &Table::collate(files))
        .unwrap_or_else(|e| panic!("{name}: {e:#}"))
        .0
}

const EXAMPLE_GOLDENS: [(&str, &str, &str); 3] = [
    (
        "model-comparison",
        "qwen_awq_compare",
        "tests/fixtures/compare",
    ),
    ("exo", "exo_overview", "tests/fixtures/exo-results"),
    (
        "multitenant",
        "mt_timeline",
        "tests/fixtures/multitenant-results",
    ),
];

/// Final frames at `-q l` against the committed images in `tests/golden/`.
///
/// After a deliberate change to how charts look, regenerate them with
/// `BENCHANIM_UPDATE_GOLDEN=1 cargo test --test scenes final_frames_match_golden_images` and
/// look at every changed image before committing it. On a mismatch the test writes the frame it
/// drew and a diff image to `target/tmp/golden-diff/` and names them in its message.
#[test]
fn final_frames_match_golden_images() {
    let table = table();
    let sweep = sweep_table();
    let charts = SCENES
        .iter()
        .map(|&name| (name, chart(&table, name)))
        .chain(
            SWEEP_SCENES
                .iter()
                .map(|&name| (name, sweep_chart(&sweep, name))),
        )
        .chain(EXAMPLE_GOLDENS.iter().map(|&(example, name, results)| {
            let scenes = format!("examples/{example}/scenes");
            (name, chart_from(&scenes, name, results))
        }))
        .chain(STRESS_GOLDENS.iter().map(|&name| {
            let (scenes, results) = (
                "tests/fixtures/stress/scenes",
                "tests/fixtures/stress/results",
            );
            (name, chart_from(scenes, name, results))
        }));
    let update = std::env::var_os("BENCHANIM_UPDATE_GOLDEN").is_some();
    let mut failures = Vec::new();
    for (name, chart) in charts {
        let frame = final_frame(&chart, &GOLDEN_SETTINGS).unwrap();
        if update {
            let path = golden_path(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            frame.save_png(&path).unwrap();
            continue;
        }
        if let Err(failure) = check_golden(name, &frame) {
            failures.push(failure);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The golden comparison is strict enough to notice a single value label gone: every value
/// label of a scene, `NA` included, blanked in turn.
#[test]
fn golden_comparison_notices_a_missing_value_label() {
    let table = table();
    for name in ["vllm_input", "llm_finetune"] {
        let chart = chart(&table, name);
        let golden = golden(name);
        let (share, _) = compare(&final_frame(&chart, &GOLDEN_SETTINGS).unwrap(), &golden);
        assert!(share <= MAX_DIFFERING_SHARE, "{name} differs already");
        for (r, row) in rows(&chart).iter().enumerate() {
            for b in 0..row.bars.len() {
                let mut blanked = chart.clone();
                let cell = &mut blanked.bars_mut().unwrap().rows[r].bars[b];
                let label = std::mem::take(&mut cell.label);
                let frame = final_frame(&blanked, &GOLDEN_SETTINGS).unwrap();
                let (share, _) = compare(&frame, &golden);
                assert!(
                    share > MAX_DIFFERING_SHARE,
                    "{name}: without `{label}` only {:.4}% of pixels differ",
                    share * 100.0
                );
            }
        }
    }
}

fn scene_error(body: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("broken.toml"), body).unwrap();
    let scene = match load_scene(dir.path(), "broken") {
        Ok(s) => s,
        Err(e) => return format!("{e:#}"),
    };
    format!(
        "{:#}",
        resolve(&scene, &table()).expect_err("scene should not resolve")
    )
}

const BASE: &str = "title = \"t\"\nsubtitle = \"s\"\nmetric = \"input_token_throughput\"\n\n[[series]]\nlabel = \"GB10\"\ngpu = \"NVIDIA_GB10\"\ncolor = \"#1f77b4\"\n\n[[rows]]\nlabel = \"m\"\nbenchmark = \"vLLM_gpt_oss_20b_text_only_samples_100\"\n";

#[test]
fn broken_scenes_name_the_file_the_key_and_what_exists() {
    assert!(
        resolve(
            &{
                let dir = tempfile::tempdir().unwrap();
                std::fs::write(dir.path().join("ok.toml"), BASE).unwrap();
                load_scene(dir.path(), "ok").unwrap()
            },
            &table()
        )
        .is_ok()
    );

    let e = scene_error(&BASE.replace(
        "metric = \"input_token_throughput\"",
        "metric = \"tokens_per_banana\"",
    ));
    assert!(e.contains("broken.toml") && e.contains("metric: benchmark `vLLM_gpt_oss_20b_text_only_samples_100` has no metric `tokens_per_banana`; it has: ") && e.contains("output_token_throughput"), "{e}");

    let e =
        scene_error(&BASE.replace("vLLM_gpt_oss_20b_text_only_samples_100", "vLLM_gpt_oss_21b"));
    assert!(
        e.contains("broken.toml")
            && e.contains("no benchmark `vLLM_gpt_oss_21b`")
            && e.contains("vLLM_gpt_oss_20b_text_only_samples_100"),
        "{e}"
    );

    let e = scene_error(&BASE.replace("#1f77b4", "blueish"));
    assert!(
        e.contains("broken.toml: series[0].color: `blueish` is not a colour"),
        "{e}"
    );

    let e = scene_error(&BASE.replace("NVIDIA_GB10", "NVIDIA_H100"));
    assert!(
        e.contains("no results for GPU `NVIDIA_H100`")
            && e.contains("NVIDIA_GB10, NVIDIA_GeForce_RTX_4090"),
        "{e}"
    );

    let e = scene_error(&format!("{BASE}colour = \"#fff\"\n"));
    assert!(
        e.contains("broken.toml") && e.contains("unknown field `colour`"),
        "{e}"
    );

    let e = scene_error("title = \"t\"\n");
    assert!(
        e.contains("broken.toml") && e.contains("missing field"),
        "{e}"
    );

    let dir = tempfile::tempdir().unwrap();
    let e = format!(
        "{:#}",
        load_scene(&root().join("scenes"), "vllm_inptu").unwrap_err()
    );
    assert!(
        e.contains("no scene `vllm_inptu`") && e.contains("vllm_input"),
        "{e}"
    );
    drop(dir);
}

/// Results of one benchmark on both GPUs, with a metric that has a direction (memory) and one
/// that has none (utilisation).
fn exo_results() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (gpu, memory, util) in [
        ("NVIDIA_GB10", 9100, 97),
        ("NVIDIA_GeForce_RTX_4090", 8700, 88),
    ] {
        let folder = dir.path().join(gpu);
        std::fs::create_dir_all(&folder).unwrap();
        std::fs::write(
            folder.join(format!("exo_bench_{gpu}_llama_3_1_8b_20260101_000000.csv")),
            format!("metric,value,unit\nmemory_usage,{memory},MB\ngpu_utilization,{util},%\n"),
        )
        .unwrap();
    }
    dir
}

/// A scene of `metric` per GPU, with `extra` lines at the top.
fn exo_chart(table: &Table, metric: &str, extra: &str) -> anyhow::Result<Chart> {
    let dir = tempfile::tempdir().unwrap();
    let body = format!(
        "{extra}\ntitle = \"t\"\nsubtitle = \"s\"\nbenchmark = \"exo_bench_llama_3_1_8b\"\n\
         metric = \"{metric}\"\n\n[[series]]\nlabel = \"\"\n\n\
         [[rows]]\nlabel = \"GB10\"\ngpu = \"NVIDIA_GB10\"\n\n\
         [[rows]]\nlabel = \"RTX 4090\"\ngpu = \"NVIDIA_GeForce_RTX_4090\"\n"
    );
    std::fs::write(dir.path().join("exo.toml"), body).unwrap();
    Ok(resolve(&load_scene(dir.path(), "exo")?, table)?.0)
}

#[test]
fn a_metric_without_a_direction_says_nothing_about_which_is_better() {
    let results = exo_results();
    let table = Table::collate(load(results.path()).unwrap().0);
    let footer = "footer = [\"{fastest} needs {ratio}× less than {slowest}\"]";

    // Memory use is better when smaller, from its name.
    let chart = exo_chart(&table, "memory_usage", footer).unwrap();
    assert_eq!(chart.subtitle, "s · ↓ Lower is better");
    assert_eq!(chart.footer, ["RTX 4090 needs 1.05× less than GB10"]);

    // Utilisation has no direction: no arrow phrase, and nothing called best.
    let chart = exo_chart(&table, "gpu_utilization", "").unwrap();
    assert_eq!(chart.subtitle, "s");
    assert_eq!(chart.bars().unwrap().direction, None);
    let e = format!(
        "{:#}",
        exo_chart(&table, "gpu_utilization", footer).unwrap_err()
    );
    assert!(
        e.contains("exo.toml")
            && e.contains("`gpu_utilization`")
            && e.contains("direction = \"higher\"")
            && e.contains("direction = \"lower\""),
        "{e}"
    );

    // The scene may say, and so may the metric catalog.
    let chart = exo_chart(
        &table,
        "gpu_utilization",
        &format!("direction = \"higher\"\n{footer}"),
    )
    .unwrap();
    assert_eq!(chart.subtitle, "s · ↑ Higher is better");
    assert_eq!(chart.footer, ["GB10 needs 1.1× less than RTX 4090"]);
    let catalog =
        MetricCatalog::parse("[metrics.gpu_utilization]\ndirection = \"higher\"\n").unwrap();
    let table = table.with_catalog(catalog);
    let chart = exo_chart(&table, "gpu_utilization", footer).unwrap();
    assert_eq!(chart.subtitle, "s · ↑ Higher is better");
}

#[test]
fn a_sweep_is_one_line_per_gpu_with_gaps_never_zeros() {
    let table = sweep_table();
    let (chart, cells) = resolve(&sweep_scene("vllm_concurrency"), &table).unwrap();
    let plot = chart.lines().expect("a line chart");
    assert_eq!(plot.x.scale, XScale::Log2);
    assert_eq!(plot.x.title, "Concurrent requests");
    // Without a label the axis takes the field's usual name, not its id.
    let text =
        std::fs::read_to_string(root().join("tests/fixtures/sweep-scenes/vllm_concurrency.toml"))
            .unwrap()
            .replace(", label = \"Concurrent requests\"", "");
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("unlabelled.toml"), text).unwrap();
    let unlabelled = resolve(&load_scene(dir.path(), "unlabelled").unwrap(), &table)
        .unwrap()
        .0;
    assert_eq!(unlabelled.lines().unwrap().x.title, "Concurrency");
    let labels: Vec<&str> = plot.x.levels.iter().map(|l| l.label.as_str()).collect();
    assert_eq!(labels, ["1", "2", "4", "8", "16", "32"]);
    let points = |s: usize| -> Vec<(&str, f64, usize)> {
        plot.series[s]
            .points
            .iter()
            .map(|p| (plot.x.levels[p.level].label.as_str(), p.y, p.n))
            .collect()
    };
    // The RTX 4090 has no run at 8: no point there, not a zero.
    assert_eq!(
        points(0),
        [
            ("1", 152.10, 1),
            ("2", 289.66, 1),
            ("4", 541.62, 1),
            ("16", 1298.40, 1),
            ("32", 1403.72, 1)
        ]
    );
    // GB10 ran 4 twice: the newer run counts.
    assert_eq!(points(1)[2], ("4", 148.52, 2));
    assert_eq!(plot.series[1].points.len(), 6);
    assert_eq!(
        (plot.series[0].peak, plot.series[0].knee),
        (Some(4), Some(3))
    );
    assert_eq!(
        (plot.series[1].peak, plot.series[1].knee),
        (Some(5), Some(4))
    );
    assert_eq!(
        plot.annotations
            .iter()
            .map(|a| a.text.as_str())
            .collect::<Vec<_>>(),
        // Both peak at the last point, whose end label prints the value already.
        [
            "90% of its peak with 16 concurrent requests",
            "90% of its peak with 16 concurrent requests",
        ]
    );
    assert_eq!(
        chart.subtitle,
        "Output tokens per second (tok/s) · ↑ Higher is better"
    );
    assert_eq!(plot.y.title, "tok/s");
    assert_eq!(
        chart.footer,
        ["RTX 4090 is 3.3× faster at 32 concurrent requests"]
    );
    // One cell per point, with every run at its level.
    assert_eq!(cells.len(), 11);
    let four = cells
        .iter()
        .find(|c| c.series == "GB10" && c.row == "4")
        .unwrap();
    assert_eq!(four.runs.len(), 2);
    assert!(
        four.run
            .as_ref()
            .unwrap()
            .ends_with("vLLM_NVIDIA_GB10_gpt_oss_20b_text_only_samples_100_20260301_102851.csv")
    );
}

/// Line and scatter layouts (and bars with whiskers) at the presets and the shapes people
/// post, in both themes (the theme only colours what the layout placed, so the frames are drawn
/// too, to be sure both render).
#[test]
fn line_and_scatter_layouts_never_overlap_at_any_preset_in_either_theme() {
    for (name, chart) in fixture_charts() {
        for (w, h) in [
            (854, 480),
            (1280, 720),
            (1920, 1080),
            (3840, 2160),
            (1080, 1080),
            (1080, 1920),
        ] {
            let layout = layout(&chart, w, h);
            assert!(
                layout.collisions().is_empty(),
                "{name} at {w}x{h}: {:?}",
                layout.collisions()
            );
            assert!(
                layout.outside_frame().is_empty(),
                "{name} at {w}x{h}: {:?}",
                layout.outside_frame()
            );
            let count =
                |f: fn(&ElementId) -> bool| layout.elements.iter().filter(|e| f(&e.id)).count();
            if let Some(plot) = chart.lines() {
                let callouts = count(|id| matches!(id, ElementId::Annotation(_)));
                assert_eq!(callouts, plot.annotations.len(), "{name} at {w}x{h}");
                // No ring without its words.
                let rings = count(|id| matches!(id, ElementId::Ring(_)));
                assert_eq!(rings, callouts, "{name} at {w}x{h}");
            }
            if let Some(plot) = chart.scatter() {
                // Every point and whisker, the frontier, and at least each series' first and
                // last label.
                let points: usize = plot.series.iter().map(|s| s.points.len()).sum();
                assert_eq!(count(|id| matches!(id, ElementId::Point { .. })), points);
                let frontier = count(|id| matches!(id, ElementId::Frontier));
                assert_eq!(frontier, usize::from(plot.frontier.is_some()));
                let labels = count(|id| matches!(id, ElementId::PointLabel { .. }));
                assert!(
                    labels >= 2 * plot.series.len(),
                    "{name} at {w}x{h}: {labels} labels"
                );
            }
            let whiskers = count(|id| {
                matches!(
                    id,
                    ElementId::Whisker { .. } | ElementId::PointWhisker { .. }
                )
            });
            assert_eq!(whiskers > 0, name.starts_with("llm_on_ray"), "{name}");
            if w * h > 1920 * 1080 {
                continue;
            }
            for theme in [Theme::Dark, Theme::Light] {
                let settings = RenderSettings {
                    video: VideoSettings {
                        width: w,
                        height: h,
                        ..GOLDEN_SETTINGS.video
                    },
                    theme,
                    ..GOLDEN_SETTINGS
                };
                let frame = final_frame(&chart, &settings).unwrap();
                let background = frame.pixel(0, 0).unwrap();
                let drawn = frame.pixels().iter().filter(|p| **p != background).count();
                assert!(
                    drawn > (w * h / 50) as usize,
                    "{name} at {w}x{h} {theme}: {drawn} pixels drawn"
                );
            }
        }
    }
}

/// A scatter scene: a point per concurrency level in each GPU's runs, at (time per output
/// token, output throughput), in level order, labelled from the template; the frontier over
/// both GPUs.
#[test]
fn a_tradeoff_is_one_point_per_level_in_order_with_its_pareto_frontier() {
    let (chart, cells) = resolve(&sweep_scene("vllm_tradeoff"), &sweep_table()).unwrap();
    let plot = chart.scatter().expect("a scatter chart");
    let levels: Vec<&str> = plot.levels.iter().map(|l| l.label.as_str()).collect();
    assert_eq!(levels, ["1", "2", "4", "8", "16", "32"]);
    let points = |s: usize| -> Vec<(&str, f64, f64, usize)> {
        plot.series[s]
            .points
            .iter()
            .map(|p| (p.label.as_str(), p.x, p.y, p.n))
            .collect()
    };
    // The RTX 4090 has no run at 8: no point, and its line goes from 4 to 16.
    assert_eq!(
        points(0),
        [
            ("c=1", 6.38, 152.10, 1),
            ("c=2", 6.70, 289.66, 1),
            ("c=4", 7.16, 541.62, 1),
            ("c=16", 11.95, 1298.40, 1),
            ("c=32", 22.11, 1403.72, 1),
        ]
    );
    // GB10 ran 4 twice: the newer run counts, for both metrics.
    assert_eq!(points(1)[2], ("c=4", 26.12, 148.52, 2));
    // Lower time per token and higher throughput are better: every RTX 4090 point beats every
    // GB10 point on both, so the frontier is the RTX 4090's, left to right.
    let frontier: Vec<(usize, usize)> = plot
        .frontier
        .as_ref()
        .unwrap()
        .iter()
        .map(|f| (f.series, f.point))
        .collect();
    assert_eq!(frontier, [(0, 0), (0, 1), (0, 2), (0, 3), (0, 4)]);
    assert!((0..6).all(|i| plot.dominated(1, i)));
    assert_eq!(
        chart.subtitle,
        "One point per concurrency level · ↖ Up and to the left is better"
    );
    // Axis titles name their units.
    assert_eq!(plot.x.title, "Time per output token, median (ms)");
    assert_eq!(plot.y.title, "Output throughput (tok/s)");
    assert_eq!(
        chart
            .legend
            .iter()
            .map(|l| l.label.as_str())
            .collect::<Vec<_>>(),
        ["RTX 4090", "GB10"]
    );
    // Two cells per point (y, then x), each naming its level and every run there.
    assert_eq!(cells.len(), 2 * 11);
    let four: Vec<_> = cells
        .iter()
        .filter(|c| c.series == "GB10" && c.row == "4")
        .collect();
    assert_eq!(
        four.iter().map(|c| c.metric.as_str()).collect::<Vec<_>>(),
        ["output_token_throughput", "tpot_median"]
    );
    assert!(four.iter().all(|c| c.runs.len() == 2));
}

fn line_scene_error(extra: &str, series: &str) -> String {
    sweep_scene_error("line", extra, series)
}

/// What is wrong with a scene of `kind` over the sweep, its keys `extra` and `series`.
fn sweep_scene_error(kind: &str, extra: &str, series: &str) -> String {
    let body = format!(
        "kind = \"{kind}\"\ntitle = \"t\"\nsubtitle = \"s\"\n\
         benchmark = \"vLLM_gpt_oss_20b_text_only_samples_100\"\n{extra}\n{series}"
    );
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("broken.toml"), body).unwrap();
    match load_scene(dir.path(), "broken") {
        Ok(scene) => format!(
            "{:#}",
            resolve(&scene, &sweep_table()).expect_err("scene should not resolve")
        ),
        Err(e) => format!("{e:#}"),
    }
}

#[test]
fn broken_line_scenes_say_what_to_fix() {
    let series = "[[series]]\nlabel = \"GB10\"\ngpu = \"NVIDIA_GB10\"\n";
    let x = "x = { field = \"max_concurrency\" }";
    let metric = "metric = \"output_token_throughput\"";

    let e = line_scene_error(metric, series);
    assert!(e.contains("broken.toml") && e.contains("x = {"), "{e}");

    let e = line_scene_error(
        &format!("{metric}\n{x}"),
        &format!("{series}\n[[rows]]\nlabel = \"m\"\n"),
    );
    assert!(e.contains("a line chart has no [[rows]]"), "{e}");

    // Peaks need to know which way is better; total_generated_tokens does not say.
    let e = line_scene_error(
        &format!("metric = \"total_generated_tokens\"\n{x}\nannotate = [\"peak\"]"),
        series,
    );
    assert!(
        e.contains("`annotate`")
            && e.contains("`total_generated_tokens`")
            && e.contains("direction = \"higher\""),
        "{e}"
    );

    let e = line_scene_error(
        &format!("{metric}\nx = {{ field = \"batch_size\" }}"),
        series,
    );
    assert!(
        e.contains("series[0]") && e.contains("has a value of `batch_size`"),
        "{e}"
    );

    let e = line_scene_error(
        &format!("{metric}\nx = {{ field = \"model\", scale = \"log2\" }}"),
        series,
    );
    assert!(e.contains("not a number") && e.contains("category"), "{e}");

    let e = line_scene_error(&format!("{metric}\n{x}\nknee_fraction = 1.5"), series);
    assert!(e.contains("knee_fraction = 1.5 is out of range"), "{e}");

    let e = line_scene_error(&format!("{metric}\n{x}\nannotate = [\"valley\"]"), series);
    assert!(e.contains("unknown variant `valley`"), "{e}");

    // A bar scene given a line chart's keys.
    let e = scene_error(&format!("annotate = [\"peak\"]\n{BASE}"));
    assert!(
        e.contains("`annotate` is for line charts, and this is a bar chart; add `kind = \"line\"`"),
        "{e}"
    );

    let e = line_scene_error(
        &format!("{metric}\n{x}\nfooter = [\"{{peak}} at {{peak_x}}\"]"),
        series,
    );
    assert!(e.contains("put `{series}` in the line"), "{e}");
}

#[test]
fn broken_scatter_scenes_say_what_to_fix() {
    let series = "[[series]]\nlabel = \"GB10\"\ngpu = \"NVIDIA_GB10\"\n";
    let metric = "metric = \"output_token_throughput\"";
    let order = "order = \"max_concurrency\"";
    let error = |extra: &str| sweep_scene_error("scatter", extra, series);

    let e = error(&format!("{metric}\n{order}"));
    assert!(
        e.contains("broken.toml") && e.contains("x_metric = "),
        "{e}"
    );
    let e = error(&format!("{metric}\nx_metric = \"tpot_median\""));
    assert!(e.contains("order = \"max_concurrency\""), "{e}");

    let e = error(&format!("{metric}\n{order}\nx_metric = \"tpot_medain\""));
    assert!(
        e.contains("series[0]")
            && e.contains("x_metric: benchmark `vLLM_gpt_oss_20b_text_only_samples_100` has no metric `tpot_medain`")
            && e.contains("tpot_median"),
        "{e}"
    );

    let e = error(&format!(
        "{metric}\n{order}\nx_metric = \"tpot_median\"\npoint_label = \"bs={{batch_size}}\""
    ));
    assert!(
        e.contains("point_label")
            && e.contains("no field `batch_size`")
            && e.contains("max_concurrency"),
        "{e}"
    );

    // The frontier needs both directions; total_generated_tokens has none.
    let e = error(&format!(
        "{metric}\n{order}\nx_metric = \"total_generated_tokens\"\nfrontier = true"
    ));
    assert!(
        e.contains("`frontier`")
            && e.contains("`total_generated_tokens`")
            && e.contains("x_direction = \"higher\""),
        "{e}"
    );
    // ... which the scene may give.
    let scene = format!(
        "{metric}\n{order}\nx_metric = \"total_generated_tokens\"\nfrontier = true\nx_direction = \"lower\""
    );
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("ok.toml"),
        format!(
            "kind = \"scatter\"\ntitle = \"t\"\nsubtitle = \"s\"\n\
             benchmark = \"vLLM_gpt_oss_20b_text_only_samples_100\"\n{scene}\n{series}"
        ),
    )
    .unwrap();
    let chart = resolve(&load_scene(dir.path(), "ok").unwrap(), &sweep_table())
        .unwrap()
        .0;
    assert!(chart.scatter().unwrap().frontier.is_some());
    assert!(chart.subtitle.ends_with("↖ Up and to the left is better"));

    let e = error(&format!(
        "{metric}\n{order}\nx_metric = \"tpot_median\"\nx = {{ field = \"max_concurrency\" }}"
    ));
    assert!(e.contains("unknown field `field`, expected `label`"), "{e}");

    let e = error(&format!(
        "{metric}\n{order}\nx_metric = \"tpot_median\"\nannotate = [\"peak\"]"
    ));
    assert!(e.contains("`annotate` is for line charts"), "{e}");

    let e = error(&format!(
        "{metric}\n{order}\nx_metric = \"tpot_median\"\nfooter = [\"{{fastest}} wins\"]"
    ));
    assert!(e.contains("footer `{fastest} wins`"), "{e}");

    // Bar and line scenes given a scatter chart's keys.
    let e = scene_error(&format!("frontier = true\n{BASE}"));
    assert!(
        e.contains(
            "`frontier` is for scatter charts, and this is a bar chart; add `kind = \"scatter\"`"
        ),
        "{e}"
    );
    let e = scene_error(&format!("y = {{ label = \"tok/s\" }}\n{BASE}"));
    assert!(
        e.contains(
            "`y` is for line or scatter charts, and this is a bar chart; add `kind = \"line\"` or `kind = \"scatter\"`"
        ),
        "{e}"
    );
}

/// Resolves a scene written out as `body` against `table`.
fn resolve_text(body: &str, table: &Table) -> anyhow::Result<Chart> {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("generated.toml"), body).unwrap();
    Ok(resolve(&load_scene(dir.path(), "generated")?, table)?.0)
}

const SWEEP_BARS: &str = "title = \"t\"\nsubtitle = \"s\"\n\
    benchmark = \"vLLM_gpt_oss_20b_text_only_samples_100\"\n\
    metric = \"output_token_throughput\"\ngpu = \"NVIDIA_GB10\"\n";

/// `rows_from` and `series_from`: a row or series per value of a field, in the field's order,
/// by value or by label, labelled from the runs.
#[test]
fn rows_and_series_come_from_the_values_of_a_field() {
    let sweep = sweep_table();
    let bars = |from: &str| {
        let chart = resolve_text(
            &format!("{SWEEP_BARS}rows_from = {from}\n[[series]]\nlabel = \"\"\n"),
            &sweep,
        )
        .unwrap_or_else(|e| panic!("{e:#}"));
        let labels: Vec<String> = rows(&chart).iter().map(|r| r.label.clone()).collect();
        (chart, labels)
    };
    // One row per concurrency level of the GB10's runs, coloured from tab10: no legend.
    let (chart, labels) = bars(
        "{ field = \"max_concurrency\", label = \"c={max_concurrency}\", colors = \"tab10\" }",
    );
    assert_eq!(labels, ["c=1", "c=2", "c=4", "c=8", "c=16", "c=32"]);
    let values: Vec<Option<f64>> = rows(&chart).iter().map(|r| r.bars[0].value).collect();
    assert_eq!(
        values,
        [41.3, 79.84, 148.52, 262.07, 401.73, 428.91].map(Some)
    );
    assert!(chart.legend.is_empty());
    let colors: Vec<String> = rows(&chart).iter().map(|r| r.bars[0].color.hex()).collect();
    assert_eq!(
        colors,
        [
            "#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#d62728", "#8c564b"
        ]
    );
    // Best first; or by label.
    let (_, labels) =
        bars("{ field = \"max_concurrency\", label = \"c={max_concurrency}\", order = \"value\" }");
    assert_eq!(labels, ["c=32", "c=16", "c=8", "c=4", "c=2", "c=1"]);
    let (_, labels) =
        bars("{ field = \"max_concurrency\", label = \"c={max_concurrency}\", order = \"label\" }");
    assert_eq!(labels, ["c=1", "c=16", "c=2", "c=32", "c=4", "c=8"]);
    // Without a label, the value.
    let (_, labels) = bars("{ field = \"max_concurrency\" }");
    assert_eq!(labels, ["1", "2", "4", "8", "16", "32"]);

    // A line per GPU: the same lines as the hand-written scene's.
    let lines = resolve_text(
        "kind = \"line\"\ntitle = \"t\"\nsubtitle = \"s\"\n\
         benchmark = \"vLLM_gpt_oss_20b_text_only_samples_100\"\n\
         metric = \"output_token_throughput\"\nx = { field = \"max_concurrency\" }\n\
         series_from = { field = \"gpu\", label = \"{device}\" }\n",
        &sweep,
    )
    .unwrap();
    let written = sweep_chart(&sweep, "vllm_concurrency");
    let (plot, written) = (lines.lines().unwrap(), written.lines().unwrap());
    let labels: Vec<&str> = plot.series.iter().map(|s| s.label.as_str()).collect();
    assert_eq!(labels, ["NVIDIA GB10", "NVIDIA GeForce RTX 4090"]);
    assert_eq!(plot.series[0].points, written.series[1].points);
    assert_eq!(plot.series[1].points, written.series[0].points);

    // Rows per benchmark of a family, series per GPU: the collated table's cells.
    let table = table();
    let grid = resolve_text(
        "title = \"t\"\nsubtitle = \"s\"\nfamily = \"vLLM\"\nmetric = \"output_token_throughput\"\n\
         where = { max_concurrency = 10 }\n\
         rows_from = { field = \"benchmark\" }\nseries_from = { field = \"gpu\" }\n",
        &table,
    )
    .unwrap();
    assert_eq!(
        grid.legend
            .iter()
            .map(|l| l.label.as_str())
            .collect::<Vec<_>>(),
        ["NVIDIA_GB10", "NVIDIA_GeForce_RTX_4090"]
    );
    assert_eq!(rows(&grid).len(), 9);
    for row in rows(&grid) {
        for (bar, gpu) in row
            .bars
            .iter()
            .zip(["NVIDIA_GB10", "NVIDIA_GeForce_RTX_4090"])
        {
            let expected = table
                .cell(&row.label, gpu, "output_token_throughput")
                .map(|c| c.value);
            assert_eq!(bar.value, expected, "{} on {gpu}", row.label);
        }
    }
}

/// A level that one generated series lacks is NA in its row, as a missing run is: the rows
/// come from the values some series has. A level written in the scene is still checked.
#[test]
fn a_level_a_generated_series_lacks_is_na() {
    let sweep = sweep_table();
    let scene = "title = \"t\"\nsubtitle = \"s\"\n\
        benchmark = \"vLLM_gpt_oss_20b_text_only_samples_100\"\n\
        metric = \"output_token_throughput\"\n\
        rows_from = { field = \"max_concurrency\", label = \"c={max_concurrency}\" }\n\
        series_from = { field = \"gpu\", label = \"{device}\" }\n";
    let chart = resolve_text(scene, &sweep).unwrap_or_else(|e| panic!("{e:#}"));
    let labels: Vec<&str> = rows(&chart).iter().map(|r| r.label.as_str()).collect();
    assert_eq!(labels, ["c=1", "c=2", "c=4", "c=8", "c=16", "c=32"]);
    let at_8 = &rows(&chart)[3];
    let values: Vec<Option<f64>> = at_8.bars.iter().map(|b| b.value).collect();
    // The GB10 ran concurrency 8, the RTX 4090 did not.
    assert_eq!(values, [Some(262.07), None]);
    assert_eq!(at_8.bars[1].label, "NA");

    // A hand-written series pinning a level its GPU lacks is a mistake the error names.
    let written = format!(
        "{SWEEP_BARS}where = {{ max_concurrency = 8 }}\n\
         [[series]]\nlabel = \"4090\"\ngpu = \"NVIDIA_GeForce_RTX_4090\"\n\
         [[rows]]\nlabel = \"r\"\n"
    );
    let e = format!("{:#}", resolve_text(&written, &sweep).unwrap_err());
    assert!(e.contains("where: no run of"), "{e}");
}

#[test]
fn broken_generated_rows_say_what_to_fix() {
    let sweep = sweep_table();
    let error = |body: &str| format!("{:#}", resolve_text(body, &sweep).unwrap_err());
    let series = "[[series]]\nlabel = \"\"\n";

    let e = error(&format!(
        "{SWEEP_BARS}rows_from = {{ field = \"max_concurrency\" }}\n{series}[[rows]]\nlabel = \"r\"\n"
    ));
    assert!(e.contains("give [[rows]] or `rows_from`, not both"), "{e}");

    let e = error(&format!(
        "{SWEEP_BARS}rows_from = {{ field = \"batch_size\" }}\n{series}"
    ));
    assert!(
        e.contains("rows_from") && e.contains("has a value of `batch_size`"),
        "{e}"
    );

    // Labels must tell the rows apart.
    let e = error(&format!(
        "{SWEEP_BARS}rows_from = {{ field = \"max_concurrency\", label = \"{{model}}\" }}\n{series}"
    ));
    assert!(
        e.contains("labelled `openai/gpt-oss-20b`") && e.contains("{max_concurrency}"),
        "{e}"
    );

    let e = error(&format!(
        "{SWEEP_BARS}rows_from = {{ field = \"max_concurrency\", order = \"size\" }}\n{series}"
    ));
    assert!(e.contains("unknown variant `size`"), "{e}");

    // Best first needs a direction; total_generated_tokens has none.
    let e = error(&format!(
        "{}rows_from = {{ field = \"max_concurrency\", order = \"value\" }}\n{series}",
        SWEEP_BARS.replace("output_token_throughput", "total_generated_tokens")
    ));
    assert!(
        e.contains("`order = \"value\"`") && e.contains("direction = \"higher\""),
        "{e}"
    );

    let e = error(
        "kind = \"line\"\ntitle = \"t\"\nsubtitle = \"s\"\nx = { field = \"max_concurrency\" }\n\
         rows_from = { field = \"gpu\" }\n",
    );
    assert!(e.contains("a line chart has no [[rows]]"), "{e}");
}

/// `aggregate = "mean"` over two iterations, with whiskers from the least to the most: the
/// figures of llm-on-ray's latency-by-input-length table.
#[test]
fn repeated_runs_are_aggregated_with_their_spread() {
    let table = repeats_table();
    let scene = load_scene(
        &root().join("tests/fixtures/repeats-scenes"),
        "llm_on_ray_latency",
    )
    .unwrap();
    let (chart, cells) = resolve(&scene, &table).unwrap();
    let labels: Vec<Vec<&str>> = rows(&chart)
        .iter()
        .map(|r| r.bars.iter().map(|b| b.label.as_str()).collect())
        .collect();
    assert_eq!(labels, [["897", "383"], ["1,315", "390"]]);
    let whiskers: Vec<Option<(f64, f64)>> = rows(&chart)
        .iter()
        .flat_map(|r| r.bars.iter().map(|b| b.whisker))
        .collect();
    assert_eq!(
        whiskers,
        [
            Some((890.0, 904.0)),
            Some((380.0, 386.0)),
            Some((1310.0, 1320.0)),
            Some((388.0, 392.0))
        ]
    );
    assert!(cells.iter().all(|c| c.n == 2 && c.ambiguous.is_none()));

    // A standard deviation either side reads in the label.
    let text = std::fs::read_to_string(scene.common.path.as_path()).unwrap();
    let chart = resolve_text(&text.replace("\"minmax\"", "\"stdev\""), &table).unwrap();
    assert_eq!(rows(&chart)[0].bars[0].label, "897 ± 10");
    let (lo, hi) = rows(&chart)[0].bars[0].whisker.unwrap();
    assert!((hi - lo - 2.0 * 14.0 / 2f64.sqrt()).abs() < 1e-9);

    // The newest of repeats, unasked, is a choice the warning points out.
    let newest = resolve(
        &{
            let dir = tempfile::tempdir().unwrap();
            std::fs::write(
                dir.path().join("newest.toml"),
                text.replace("aggregate = \"mean\"\n", ""),
            )
            .unwrap();
            load_scene(dir.path(), "newest").unwrap()
        },
        &table,
    )
    .unwrap();
    assert_eq!(rows(&newest.0)[0].bars[0].value, Some(904.0));
    let warning = newest.1[0].ambiguous.as_deref().unwrap_or_default();
    assert!(
        warning.contains("iteration = 2") && warning.contains("aggregate = \"mean\""),
        "{warning}"
    );

    // Each point of the trade-off: the mean of its two iterations, 1% above the first.
    let chart = repeats_chart(&table, "llm_on_ray_tradeoff");
    let plot = chart.scatter().unwrap();
    let points = &plot.series[0].points;
    assert_eq!(points.len(), 7);
    for (p, (x, y)) in points.iter().zip([
        (45.0, 80.0),
        (47.0, 150.0),
        (50.0, 280.0),
        (56.0, 500.0),
        (70.0, 800.0),
        (95.0, 1150.0),
        (160.0, 1350.0),
    ]) {
        assert!(
            (p.x - 1.01 * x).abs() < 1e-9 && (p.y - 1.01 * y).abs() < 1e-9,
            "{p:?}"
        );
        assert_eq!(p.n, 2);
        let (lo, hi) = p.y_whisker.unwrap();
        assert!((lo - y).abs() < 1e-9 && (hi - 1.02 * y).abs() < 1e-9);
    }
    assert_eq!(points[6].label, "bs=64");
}

/// `examples/cpu-sweep/`: measured sweeps and the line and scatter scenes that chart them, one
/// point per level of the sweep each pins (their layouts are checked with the fixtures').
#[test]
fn the_cpu_sweep_example_charts_every_level() {
    let example = root().join("examples/cpu-sweep");
    let (files, warnings) = load(&example.join("benchmark_results")).unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(files.len(), 10);
    let table = Table::collate(files);
    let scenes = list_scenes(&example.join("scenes")).unwrap();
    assert_eq!(scenes.len(), 7, "{scenes:?}");
    let concurrency = ["1", "2", "4", "8", "16", "32"];
    for (name, levels) in [
        ("cpu_throughput_vs_concurrency", &concurrency[..]),
        ("cpu_ttft_vs_concurrency", &concurrency[..]),
        ("cpu_itl_vs_concurrency", &concurrency[..]),
        ("cpu_throughput_vs_rate", &["1", "2", "4", "∞"][..]),
        ("cpu_throughput_vs_itl", &concurrency[..]),
    ] {
        let scene = load_scene(&example.join("scenes"), name).unwrap();
        let (chart, cells) = resolve(&scene, &table).unwrap_or_else(|e| panic!("{name}: {e:#}"));
        // Each point is one run of the pinned sweep.
        assert!(cells.iter().all(|c| c.runs.len() == 1), "{name}");
        if let Some(plot) = chart.lines() {
            let labels: Vec<&str> = plot.x.levels.iter().map(|l| l.label.as_str()).collect();
            assert_eq!(labels, levels, "{name}");
            assert_eq!(plot.series[0].points.len(), levels.len(), "{name}");
            continue;
        }
        let plot = chart.scatter().expect("a line or scatter chart");
        let points = &plot.series[0].points;
        let labels: Vec<&str> = points.iter().map(|p| p.label.as_str()).collect();
        let expected: Vec<String> = levels.iter().map(|l| format!("c={l}")).collect();
        assert_eq!(labels, expected, "{name}");
        // Throughput rises with concurrency, and so does latency: at 4 and 8 concurrent
        // requests the 2-core CPU gave no more tokens than at 2, only slower ones.
        let frontier: Vec<&str> = plot
            .frontier
            .as_ref()
            .unwrap()
            .iter()
            .map(|f| points[f.point].label.as_str())
            .collect();
        assert_eq!(frontier, ["c=1", "c=2", "c=16", "c=32"], "{name}");
    }
}
