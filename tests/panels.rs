//! Charts of panels: exo-lab's three charts as one scene over the runs `import table` made of
//! its results, each panel with its own metric, direction and order; grids of up to 8 panels
//! without overlaps; and the limits, stated.

mod common;

use std::path::Path;

use benchanim::chart::Chart;
use benchanim::layout::{ElementId, Shape};
use benchanim::render::{Theme, layout};
use benchanim::results::{Direction, Table, load};
use benchanim::scene::{load_scene, resolve};

const SCENES: &str = "examples/exo/scenes";
const RESULTS: &str = "tests/fixtures/exo-results";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn table() -> Table {
    let (files, warnings) = load(&root().join(RESULTS)).unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    Table::collate(files)
}

fn scene_text() -> String {
    std::fs::read_to_string(root().join(SCENES).join("exo_overview.toml")).unwrap()
}

fn resolve_text(body: &str) -> anyhow::Result<Chart> {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("s.toml"), body).unwrap();
    Ok(resolve(&load_scene(dir.path(), "s")?, &table())?.0)
}

#[test]
fn each_panel_has_its_metric_direction_order_and_footer_line() {
    let chart = resolve_text(&scene_text()).unwrap();
    let panels = &chart.panels().expect("panels").panels;
    let titles: Vec<&str> = panels.iter().map(|p| p.title.as_str()).collect();
    // No `direction` anywhere: each metric's own, from its name and unit.
    assert_eq!(
        titles,
        [
            "Latency (s)\n↓ Lower is better",
            "Memory (MB)\n↓ Lower is better",
            "Output rate (chars/s)\n↑ Higher is better"
        ]
    );
    let directions: Vec<_> = panels.iter().map(|p| p.bars.direction).collect();
    assert_eq!(
        directions,
        [
            Some(Direction::Lower),
            Some(Direction::Lower),
            Some(Direction::Higher)
        ]
    );
    // `sort = "value"` orders each panel best first on its own; a model keeps its colour.
    let order = |p: usize| -> Vec<(String, f64)> {
        panels[p]
            .bars
            .rows
            .iter()
            .map(|r| (r.label.clone(), r.bars[0].value.unwrap()))
            .collect()
    };
    let latency = order(0);
    assert_eq!(latency[0].0, "llama-3.2-1b");
    assert_eq!(latency[4].0, "deepseek-r1");
    assert!(latency.windows(2).all(|w| w[0].1 <= w[1].1));
    let rate = order(2);
    assert!(rate.windows(2).all(|w| w[0].1 >= w[1].1));
    let names = |rows: &[(String, f64)]| rows.iter().map(|(l, _)| l.clone()).collect::<Vec<_>>();
    assert_ne!(names(&order(1)), names(&latency));
    let color_of = |p: usize, label: &str| {
        panels[p]
            .bars
            .rows
            .iter()
            .find(|r| r.label == label)
            .unwrap()
            .bars[0]
            .color
    };
    for p in 1..3 {
        assert_eq!(color_of(p, "qwen-1.5-7b"), color_of(0, "qwen-1.5-7b"));
    }
    // The mean of the five prompts, as `import table` wrote it.
    assert!((latency[0].1 - 1.144993).abs() < 1e-9);
    // Each panel's footer line is drawn under it, without the title its heading already says.
    assert!(chart.footer.is_empty(), "{:?}", chart.footer);
    let notes: Vec<&[String]> = panels.iter().map(|p| p.notes.as_slice()).collect();
    assert_eq!(
        notes,
        [
            ["llama-3.2-1b is 5.0× better than deepseek-r1".to_string()],
            ["llama-3.2-1b is 4.2× better than deepseek-r1".to_string()],
            ["llama-3.2-1b is 4.4× better than deepseek-r1".to_string()]
        ]
    );
    assert!(chart.legend.is_empty());
}

#[test]
fn panels_lay_out_without_overlaps_in_either_theme() {
    let chart = resolve_text(&scene_text()).unwrap();
    for (w, h) in common::FRAMES {
        let layout = common::clean_layout("exo_overview", &chart, (w, h));
        for p in 0..3 {
            assert!(layout.element(ElementId::PanelTitle(p)).is_some());
        }
        // Fifteen rows, numbered on across the panels.
        let bars = layout
            .elements
            .iter()
            .filter(|e| matches!(e.shape, Shape::Bar { .. }))
            .count();
        assert_eq!(bars, 15, "{w}x{h}");
        assert!(layout.element(ElementId::RowLabel(14)).is_some());
        if w * h > 1920 * 1080 {
            continue;
        }
        for theme in [Theme::Dark, Theme::Light] {
            common::final_frame_at(&chart, (w, h), theme);
        }
    }
}

/// Eight panels (4 × 2) fit 1920×1080 and 1280×720; smaller frames take four.
#[test]
fn up_to_eight_panels_fit_and_more_are_refused() {
    let metrics = [
        "latency",
        "memory_usage",
        "tokens_per_second",
        "output_length",
    ];
    let mut text = scene_text();
    let start = text.find("[[panels]]").unwrap();
    text.truncate(start);
    let panels = |n: usize| {
        (0..n)
            .map(|i| {
                // Output length has no direction of its own: the panel gives one.
                format!(
                    "[[panels]]\ntitle = \"Panel {i}: {}\"\nmetric = \"{}\"\ndirection = \"higher\"\n",
                    metrics[i % 4],
                    metrics[i % 4]
                )
            })
            .collect::<String>()
    };
    let text = text.replace("footer = [", "footer = [] # ");
    let eight = format!("{text}{}", panels(8));
    let chart = resolve_text(&eight).unwrap();
    assert_eq!(chart.panels().unwrap().columns, None);
    let heading_rows = |frame: (u32, u32)| {
        let layout = common::clean_layout("eight panels", &chart, frame);
        let mut tops: Vec<i32> = (layout.elements.iter())
            .filter(|e| matches!(e.id, ElementId::PanelTitle(_)))
            .map(|e| e.rect.y as i32)
            .collect();
        tops.dedup();
        tops.len()
    };
    // Eight panels are two rows of four on a wide frame.
    assert_eq!(heading_rows((1920, 1080)), 2);
    let four_columns = eight.replace("sort = \"value\"", "sort = \"value\"\npanels_columns = 4");
    let chart = resolve_text(&four_columns).unwrap();
    for frame in [(1920, 1080), (1280, 720)] {
        common::clean_layout("eight panels", &chart, frame);
    }

    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("eight.toml"), &four_columns).unwrap();
    let o = common::benchanim(&[
        "render",
        "eight",
        "--scenes",
        dir.path().to_str().unwrap(),
        "--results",
        RESULTS,
        "-q",
        "l",
        "--out",
        dir.path().join("out").to_str().unwrap(),
    ]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr.contains("8 panels do not fit a 854x480 frame, which takes at most 4")
            && stderr.contains("for_each"),
        "{stderr}"
    );

    let e = format!(
        "{:#}",
        resolve_text(&format!("{text}{}", panels(9))).unwrap_err()
    );
    assert!(e.contains("9 panels; a chart has at most 8"), "{e}");
    let e = format!(
        "{:#}",
        resolve_text(&scene_text().replace("{panel}: ", "")).unwrap_err()
    );
    assert!(e.contains("put `{panel}` in it"), "{e}");
    let e = format!(
        "{:#}",
        resolve_text(&scene_text().replace("sort = \"value\"", "panels_columns = 5")).unwrap_err()
    );
    assert!(
        e.contains("panels_columns = 5 is out of range: 1 to 4"),
        "{e}"
    );
}

#[test]
fn data_lists_the_panels_with_their_rows() {
    let json = common::data_json("exo_overview", SCENES, RESULTS);
    let panels = json["panels"].as_array().unwrap();
    assert_eq!(panels.len(), 3);
    assert_eq!(panels[1]["direction"], "lower");
    assert_eq!(panels[2]["rows"][0]["label"], "llama-3.2-1b");
    assert_eq!(panels[2]["rows"][0]["values"][0], 54.079176);
    assert_eq!(panels[0]["cells"].as_array().unwrap().len(), 5);
    assert_eq!(panels[0]["cells"][0]["metric"], "latency");

    let table = common::stdout(&[
        "data",
        "exo_overview",
        "--scenes",
        SCENES,
        "--results",
        RESULTS,
    ]);
    assert!(table.contains("Memory (MB) · ↓ Lower is better"), "{table}");
    assert!(table.contains("llama-3.2-1b   30.05"), "{table}");
}

/// A run `import table` made from several prompts carries their spread: the whisker of the
/// 1B model's latency spans from where its fastest prompt's bar would end to its slowest's.
#[test]
fn an_imported_aggregate_draws_its_spread_as_a_whisker() {
    let chart = resolve_text(&scene_text()).unwrap();
    let layout = layout(&chart, 1920, 1080);
    // llama-3.2-1b is the first latency row; its five prompts took 1.042 s to 1.349 s.
    let bar = layout
        .element(ElementId::Bar { row: 0, bar: 0 })
        .unwrap()
        .rect;
    let whisker = layout
        .element(ElementId::Whisker { row: 0, bar: 0 })
        .unwrap();
    let Shape::Whisker { width, .. } = whisker.shape else {
        panic!("{:?}", whisker.shape)
    };
    let per_second = bar.w / 1.144993;
    let at = |v: f32| bar.x + v * per_second;
    assert!((whisker.rect.x + width / 2.0 - at(1.042_307_6)).abs() <= 1.0);
    assert!((whisker.rect.right() - width / 2.0 - at(1.349_392_8)).abs() <= 1.0);
    let row = &chart.panels().unwrap().panels[0].bars.rows[0];
    assert_eq!(
        row.bars[0].whisker,
        Some((1.0423075966383046, 1.349392752776779))
    );
}

/// Three panels sit side by side on a wide frame and one above the other on a tall one, with
/// no empty cell; their headings share one size, and a `{panel}` footer line is drawn under
/// its own panel rather than repeated in the frame's footer.
#[test]
fn three_panels_fill_the_frame_with_their_notes_inside() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/stress");
    let table = Table::collate(load(&root.join("results")).unwrap().0);
    let scene = load_scene(&root.join("scenes"), "stress_panels3").unwrap();
    let chart = resolve(&scene, &table).unwrap().0;
    assert!(chart.footer.is_empty(), "{:?}", chart.footer);
    let notes: Vec<&str> = (chart.panels().unwrap().panels.iter())
        .flat_map(|p| p.notes.iter().map(String::as_str))
        .collect();
    assert_eq!(
        notes,
        [
            "GeForce RTX 4090 (24 GB, Ada Lovelace) is 6.3× better",
            "GeForce RTX 4090 (24 GB, Ada Lovelace) is 6.3× better",
            "GeForce RTX 4090 (24 GB, Ada Lovelace) is 1.1× better",
        ]
    );
    for ((w, h), side_by_side) in [((1920, 1080), true), ((1080, 1920), false)] {
        let layout = common::clean_layout("three panels", &chart, (w, h));
        let of = |wanted: fn(&ElementId) -> bool| -> Vec<(f32, f32, f32)> {
            (layout.elements.iter())
                .filter(|e| wanted(&e.id))
                .map(|e| match &e.shape {
                    Shape::Text(t) => (e.rect.x + e.rect.w / 2.0, e.rect.y, t.size),
                    _ => unreachable!("panel headings and notes are text"),
                })
                .collect()
        };
        let headings = of(|id| matches!(id, ElementId::PanelTitle(_)));
        assert_eq!(headings.len(), 3);
        let same = |f: fn(&(f32, f32, f32)) -> f32| {
            headings
                .iter()
                .all(|h| (f(h) - f(&headings[0])).abs() < 1.0)
        };
        assert!(same(|h| h.2), "{w}x{h}: heading sizes {headings:?}");
        assert_eq!(same(|h| h.1), side_by_side, "{w}x{h}: {headings:?}");
        assert_eq!(same(|h| h.0), !side_by_side, "{w}x{h}: {headings:?}");
        let notes = of(|id| matches!(id, ElementId::PanelNote { .. }));
        assert_eq!(notes.len(), 3, "{w}x{h}");
        for (heading, note) in headings.iter().zip(&notes) {
            assert!(
                note.1 > heading.1,
                "{w}x{h}: a note sits under its panel's heading"
            );
        }
    }
}
