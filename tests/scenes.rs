//! The shipped scenes: their values are the collated data, their layouts never overlap, their
//! final frames match the committed golden images, and broken scenes get messages that help.

use std::path::{Path, PathBuf};

use benchanim::chart::Chart;
use benchanim::encode::VideoSettings;
use benchanim::render::{RenderSettings, Theme, final_frame, layout};
use benchanim::results::{Table, load};
use benchanim::scene::{list_scenes, load_scene, resolve};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn table() -> Table {
    let (files, warnings) = load(&root().join("benchmark_results")).unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    Table::collate(files)
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
        let bars: Vec<_> = chart.rows.iter().flat_map(|r| &r.bars).collect();
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
        c.rows
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
    assert_eq!(vllm.rows.len(), 9);
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
    assert_eq!(vllm.rows[0].bars[0].label, "4,849");

    let vs = chart(&table, "llamacpp_vs_vllm_output");
    assert_eq!(vs.legend.len(), 4);
    assert_eq!(
        values(&vs, "gpt-oss-20b (text)"),
        [Some(88.04), Some(230.00), Some(242.54), Some(584.00)]
    );

    let finetune = chart(&table, "llm_finetune");
    assert!(finetune.legend.is_empty());
    assert_eq!(
        finetune
            .rows
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
            assert!(layout.boxes().len() > chart.rows.len() * 2);
        }
    }
}

fn golden_path(name: &str) -> PathBuf {
    root().join("tests/golden").join(format!("{name}.png"))
}

/// Final frames at `-q l` against committed images. `BENCHANIM_UPDATE_GOLDEN=1` rewrites them.
#[test]
fn final_frames_match_golden_images() {
    let table = table();
    let settings = RenderSettings {
        video: VideoSettings {
            width: 854,
            height: 480,
            fps: 15,
        },
        theme: Theme::Dark,
        fadeout: false,
    };
    let update = std::env::var_os("BENCHANIM_UPDATE_GOLDEN").is_some();
    for name in SCENES {
        let frame = final_frame(&chart(&table, name), &settings).unwrap();
        let path = golden_path(name);
        if update {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            frame.save_png(&path).unwrap();
            continue;
        }
        let golden = tiny_skia::Pixmap::load_png(&path)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert_eq!((golden.width(), golden.height()), (854, 480));
        // Antialiasing may differ by a few levels between builds; a changed picture differs a lot.
        let differing = frame
            .data()
            .chunks(4)
            .zip(golden.data().chunks(4))
            .filter(|(a, b)| a.iter().zip(*b).any(|(x, y)| x.abs_diff(*y) > 24))
            .count();
        let share = differing as f64 / (854.0 * 480.0);
        assert!(
            share < 0.002,
            "{name}: {:.3}% of pixels differ from {}",
            share * 100.0,
            path.display()
        );
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
