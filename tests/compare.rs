//! Compare charts and deltas: two models metric by metric from the runs `import sweep-configs`
//! made of the model-comparison workflow's fixture, with per-row scales and directions, delta
//! pills whose text reads on them, and `delta = true` on the shipped GPU-vs-GPU charts.

mod common;

use std::path::Path;

use benchanim::chart::{Chart, ChartRow, MIN_CONTRAST, Verdict, contrast};
use benchanim::layout::{ElementId, Shape, TextRole};
use benchanim::render::{Theme, layout};
use benchanim::results::{Direction, Table, load};
use benchanim::scene::{load_scene, resolve};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn table_of(dir: &str) -> Table {
    let (files, warnings) = load(&root().join(dir)).unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    Table::collate(files)
}

fn compare_chart() -> Chart {
    let scene = load_scene(
        &root().join("examples/model-comparison/scenes"),
        "qwen_awq_compare",
    )
    .unwrap();
    resolve(&scene, &table_of("tests/fixtures/compare"))
        .unwrap()
        .0
}

fn rows(chart: &Chart) -> &[ChartRow] {
    &chart.bars().expect("a bar chart").rows
}

/// Resolves the scene text `body` against `table`.
fn resolve_text(body: &str, table: &Table) -> anyhow::Result<Chart> {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("s.toml"), body).unwrap();
    Ok(resolve(&load_scene(dir.path(), "s")?, table)?.0)
}

fn scene_error(body: &str, table: &Table) -> String {
    format!(
        "{:#}",
        resolve_text(body, table).expect_err("should be refused")
    )
}

/// A row whose metric has no known direction takes the chart's only when every row that has
/// one agrees; it never borrows the direction of the row above it.
#[test]
fn a_row_of_unknown_direction_gets_a_verdict_only_from_the_whole_chart() {
    let table = table_of("tests/fixtures/compare");
    let scene = |metrics: &[&str]| {
        let mut body = String::from(
            "kind = \"compare\"\ntitle = \"t\"\nsubtitle = \"s\"\ngpu = \"NVIDIA_H100_80GB_HBM3\"\n\
             where = { tensor_parallel_size = 1, data_parallel_size = 1, pipeline_parallel_size = 1 }\n\
             [[series]]\nlabel = \"a\"\nbenchmark = \"vllm_latency_sweep_Qwen_Qwen3_4B\"\n\
             [[series]]\nlabel = \"b\"\nbenchmark = \"vllm_latency_sweep_Qwen_Qwen3_4B_AWQ\"\n",
        );
        for m in metrics {
            body += &format!("[[rows]]\nlabel = \"{m}\"\nmetric = \"{m}\"\n");
        }
        resolve_text(&body, &table).unwrap()
    };
    // Lower, unknown, higher: no one direction, so the unknown row has no verdict.
    let mixed = scene(&[
        "ttft_p50_ms",
        "total_input_tokens",
        "overall_throughput_tokens_per_sec",
    ]);
    let unknown = &rows(&mixed)[1];
    assert_eq!(unknown.direction, None);
    assert_eq!(unknown.delta.as_ref().unwrap().verdict, Verdict::Unknown);
    // Unknown first, then two lower-is-better rows: the chart's direction is lower, and the
    // unknown row is judged by it.
    let agreed = scene(&["total_input_tokens", "ttft_p50_ms", "ttft_p99_ms"]);
    let first = &rows(&agreed)[0];
    assert_eq!(first.direction, Some(Direction::Lower));
    assert_ne!(first.delta.as_ref().unwrap().verdict, Verdict::Unknown);
}

#[test]
fn each_row_gets_its_delta_verdict_and_arrow() {
    let chart = compare_chart();
    assert!(
        chart.subtitle.ends_with("· Green = better, red = worse"),
        "{}",
        chart.subtitle
    );
    let expected = [
        ("Throughput (tok/s) ↑", "✓ +15.0%", Verdict::Better, 15.0),
        ("TTFT p50 (ms) ↓", "✗ +20.0%", Verdict::Worse, 20.0),
        ("TTFT p99 (ms) ↓", "✓ −10.0%", Verdict::Better, -10.0),
        ("Inter-token p50 (ms) ↓", "✓ −5.0%", Verdict::Better, -5.0),
        ("Inter-token p99 (ms) ↓", "✗ +10.0%", Verdict::Worse, 10.0),
        ("Total latency p50 (ms) ↓", "✓ −5.0%", Verdict::Better, -5.0),
        // Unlabelled: named as the field names it; 0.04% is inside the neutral band.
        (
            "Total latency p99 (ms) ↓",
            "≈ +0.0%",
            Verdict::Neutral,
            0.04,
        ),
    ];
    assert_eq!(rows(&chart).len(), expected.len());
    for (row, (label, text, verdict, percent)) in rows(&chart).iter().zip(expected) {
        let delta = row.delta.as_ref().unwrap();
        assert_eq!(
            (row.label.as_str(), delta.text.as_str(), delta.verdict),
            (label, text, verdict)
        );
        assert!((delta.percent.unwrap() - percent).abs() < 1e-9, "{label}");
        assert!(contrast(delta.fill, delta.ink) >= MIN_CONTRAST, "{label}");
    }
    assert_eq!(rows(&chart)[0].direction, Some(Direction::Higher));
    assert_eq!(rows(&chart)[1].direction, Some(Direction::Lower));
    assert_eq!(chart.footer, ["Qwen3-4B-AWQ is better on 4 of 7 metrics"]);
}

/// Each row has its own scale: its longer bar spans the bars' width, the 1,150 tok/s bar as
/// long as the 120 ms one.
#[test]
fn every_rows_longer_bar_spans_the_bars_width() {
    let chart = compare_chart();
    let layout = layout(&chart, 1920, 1080);
    let bar = |row, bar| layout.element(ElementId::Bar { row, bar }).unwrap().rect;
    let full = bar(0, 1).w;
    assert!(full > 500.0, "{full}");
    for (r, row) in rows(&chart).iter().enumerate() {
        let longer = if row.bars[1].value >= row.bars[0].value {
            1
        } else {
            0
        };
        assert!((bar(r, longer).w - full).abs() <= 1.0, "row {r}");
        let (a, b) = (row.bars[0].value.unwrap(), row.bars[1].value.unwrap());
        let shorter = bar(r, 1 - longer).w;
        assert!(
            (shorter - full * (a.min(b) / a.max(b)) as f32).abs() <= 1.0,
            "row {r}"
        );
    }
    // The pills, in their colours, right-aligned in one column after every value.
    let pills: Vec<_> = (0..7)
        .map(|r| layout.element(ElementId::DeltaPill(r)).unwrap())
        .collect();
    let right = pills[0].rect.right();
    for (r, pill) in pills.iter().enumerate() {
        assert!((pill.rect.right() - right).abs() <= 1.0);
        let delta = rows(&chart)[r].delta.as_ref().unwrap();
        assert_eq!(pill.shape, Shape::Pill { color: delta.fill });
        for b in 0..2 {
            let value = layout.element(ElementId::Value { row: r, bar: b }).unwrap();
            assert!(value.rect.right() < pill.rect.x, "row {r}");
        }
        let text = layout.element(ElementId::Delta(r)).unwrap();
        assert!(pill.rect.contains(&text.rect));
        assert!(
            matches!(&text.shape, Shape::Text(t) if t.role == TextRole::Delta && t.text == delta.text)
        );
    }
}

#[test]
fn compare_layouts_never_overlap_at_any_preset_in_either_theme() {
    let chart = compare_chart();
    for (w, h) in common::FRAMES {
        let layout = common::clean_layout("qwen_awq_compare", &chart, (w, h));
        let pills = layout
            .elements
            .iter()
            .filter(|e| matches!(e.id, ElementId::Delta(_)))
            .count();
        assert_eq!(pills, 7, "{w}x{h}");
        if w * h > 1920 * 1080 {
            continue;
        }
        for theme in [Theme::Dark, Theme::Light] {
            let frame = common::final_frame_at(&chart, (w, h), theme);
            // The pill text is white whatever the theme: find it in the first pill.
            let text = layout.element(ElementId::Delta(0)).unwrap().rect;
            let white = (text.x as u32..text.right() as u32)
                .flat_map(|x| (text.y as u32..text.bottom() as u32).map(move |y| (x, y)))
                .filter_map(|(x, y)| frame.pixel(x, y))
                .filter(|p| p.red() > 240 && p.green() > 240 && p.blue() > 240)
                .count();
            assert!(white > 10, "{w}x{h} {theme}: {white} white pixels");
        }
    }
}

#[test]
fn data_gives_each_rows_values_delta_and_verdict() {
    let json = common::data_json(
        "qwen_awq_compare",
        "examples/model-comparison/scenes",
        "tests/fixtures/compare",
    );
    let rows = json["rows"].as_array().unwrap();
    let percents: Vec<f64> = rows
        .iter()
        .map(|r| r["delta_percent"].as_f64().unwrap())
        .collect();
    for (got, want) in percents
        .iter()
        .zip([15.0, 20.0, -10.0, -5.0, 10.0, -5.0, 0.04])
    {
        assert!((got - want).abs() < 1e-9, "{percents:?}");
    }
    let verdicts: Vec<&str> = rows
        .iter()
        .map(|r| r["verdict"].as_str().unwrap())
        .collect();
    assert_eq!(
        verdicts,
        [
            "better", "worse", "better", "better", "worse", "better", "neutral"
        ]
    );
    assert_eq!(rows[0]["direction"], "higher");
    assert_eq!(rows[1]["direction"], "lower");
    assert_eq!(rows[0]["baseline"]["value"], 1000.0);
    assert_eq!(rows[0]["candidate"]["value"], 1150.0);
    assert_eq!(rows[0]["candidate"]["series"], "Qwen3-4B-AWQ");
    assert_eq!(rows[6]["metric"], "total_latency_p99_ms");

    // For people: a delta column, and no one unit for rows of several.
    let table = common::stdout(&[
        "data",
        "qwen_awq_compare",
        "--scenes",
        "examples/model-comparison/scenes",
        "--results",
        "tests/fixtures/compare",
    ]);
    assert!(
        table.contains("Throughput (tok/s) ↑       1000.00       1150.00  ✓ +15.0%"),
        "{table}"
    );
    assert!(!table.contains("unit:"), "{table}");
}

/// The shipped GPU-vs-GPU charts may opt into deltas: the RTX 4090 against the GB10.
#[test]
fn a_two_series_bar_chart_may_show_deltas() {
    let table = table_of("tests/fixtures/results");
    let text = std::fs::read_to_string(root().join("scenes/vllm_input.toml")).unwrap();
    // GB10 is the baseline, the RTX 4090 the candidate.
    let chart = resolve_text(&format!("delta = true\n{text}"), &table).unwrap();
    let first = &rows(&chart)[0];
    assert_eq!(first.label, "gpt-oss-20b");
    let delta = first.delta.as_ref().unwrap();
    let (base, cand) = (first.bars[0].value.unwrap(), first.bars[1].value.unwrap());
    let want = (cand - base) / base * 100.0;
    assert!((delta.percent.unwrap() - want).abs() < 1e-9);
    let verdict = if cand > base {
        Verdict::Better
    } else {
        Verdict::Worse
    };
    assert_eq!(delta.verdict, verdict);
    // A model only one GPU could run has no delta to give.
    assert!(
        rows(&chart)
            .iter()
            .any(|r| r.delta.as_ref().unwrap().verdict == Verdict::Missing)
    );
    // Its subtitle keeps the chart's one direction; its scale stays one for the chart.
    assert!(chart.subtitle.ends_with("↑ Higher is better"));
    common::clean_layout("vllm_input with deltas", &chart, (1920, 1080));
}

#[test]
fn rows_sort_by_value_label_or_delta() {
    let compare = table_of("tests/fixtures/compare");
    let text = std::fs::read_to_string(
        root().join("examples/model-comparison/scenes/qwen_awq_compare.toml"),
    )
    .unwrap();
    let labels =
        |chart: &Chart| -> Vec<String> { rows(chart).iter().map(|r| r.label.clone()).collect() };
    let by_delta = resolve_text(&format!("sort = \"delta\"\n{text}"), &compare).unwrap();
    let sizes: Vec<f64> = rows(&by_delta)
        .iter()
        .map(|r| r.delta.as_ref().unwrap().percent.unwrap().abs())
        .collect();
    assert_eq!(sizes.first(), Some(&20.0));
    assert!(sizes.windows(2).all(|w| w[0] >= w[1]), "{sizes:?}");
    // The cells follow their rows.
    assert_eq!(rows(&by_delta)[0].label, "TTFT p50 (ms) ↓");
    assert_eq!(rows(&by_delta)[0].bars[1].value, Some(120.0));

    let by_label = resolve_text(&format!("sort = \"label\"\n{text}"), &compare).unwrap();
    let mut sorted = labels(&by_label);
    sorted.sort();
    assert_eq!(labels(&by_label), sorted);

    // Best first needs one direction for the chart.
    let e = scene_error(&format!("sort = \"value\"\n{text}"), &compare);
    assert!(e.contains("sort = \"delta\""), "{e}");
    let shipped = table_of("tests/fixtures/results");
    let finetune = std::fs::read_to_string(root().join("scenes/llm_finetune.toml")).unwrap();
    let chart = resolve_text(&format!("sort = \"value\"\n{finetune}"), &shipped).unwrap();
    let values: Vec<f64> = rows(&chart)
        .iter()
        .map(|r| r.bars[0].value.unwrap())
        .collect();
    assert!(values.windows(2).all(|w| w[0] <= w[1]), "{values:?}");
}

#[test]
fn broken_compare_scenes_say_what_to_fix() {
    let compare = table_of("tests/fixtures/compare");
    let text = std::fs::read_to_string(
        root().join("examples/model-comparison/scenes/qwen_awq_compare.toml"),
    )
    .unwrap();
    let third = "\n[[series]]\nlabel = \"x\"\nbenchmark = \"vllm_latency_sweep_Qwen_Qwen3_4B\"\n";
    let rows_at = text.find("[[rows]]").unwrap();
    let three = format!("{}{third}\n{}", &text[..rows_at], &text[rows_at..]);
    let e = scene_error(&three, &compare);
    assert!(
        e.contains("a compare chart needs exactly two [[series]]") && e.contains("has 3"),
        "{e}"
    );
    let e = scene_error(&format!("scale = \"row\"\n{text}"), &compare);
    assert!(
        e.contains("`scale` is for bar charts, and this is a compare chart; add `kind = \"bars\"`"),
        "{e}"
    );
    let e = scene_error(
        &format!("{text}\n[compare]\nneutral_band = 150.0\n"),
        &compare,
    );
    assert!(
        e.contains("compare.neutral_band = 150 is out of range: 0 to 100"),
        "{e}"
    );
    let e = scene_error(
        &format!("{text}\n[compare]\nbetter = \"green\"\n"),
        &compare,
    );
    assert!(e.contains("compare.better: `green` is not a colour"), "{e}");

    let shipped = table_of("tests/fixtures/results");
    let finetune = std::fs::read_to_string(root().join("scenes/llm_finetune.toml")).unwrap();
    let e = scene_error(&format!("delta = true\n{finetune}"), &shipped);
    assert!(
        e.contains("`delta = true` needs exactly two [[series]]") && e.contains("has 1"),
        "{e}"
    );
    let e = scene_error(&format!("sort = \"delta\"\n{finetune}"), &shipped);
    assert!(e.contains("add `delta = true`"), "{e}");
    let e = scene_error(
        &finetune.replace("footer = [", "footer = [\"better on {better}\", "),
        &shipped,
    );
    assert!(e.contains("counts rows by their delta"), "{e}");
}

/// The example compare scenes: llama.cpp against vLLM on the shipped GB10 results (read from
/// the tests' copy of them), and one request at a time against 32 in the measured CPU sweep.
#[test]
fn the_example_compare_scenes_chart_their_data() {
    let cases = [
        (
            "examples/compare/scenes",
            "gb10_llamacpp_vs_vllm",
            "tests/fixtures/results",
            vec!["✗ −43.1%", "✓ 2.61×", "✓ 0.10×"],
        ),
        (
            "examples/cpu-sweep/scenes",
            "cpu_c1_vs_c32",
            "examples/cpu-sweep/benchmark_results",
            vec!["✓ 2.66×", "✓ 2.66×", "✗ 16.7×", "✗ 6.98×", "✗ 11.2×"],
        ),
    ];
    for (scenes, name, results, deltas) in cases {
        let scene = load_scene(&root().join(scenes), name).unwrap();
        let chart = resolve(&scene, &table_of(results)).unwrap().0;
        let got: Vec<&str> = rows(&chart)
            .iter()
            .map(|r| r.delta.as_ref().unwrap().text.as_str())
            .collect();
        assert_eq!(got, deltas, "{name}");
        for frame in common::FRAMES {
            common::clean_layout(name, &chart, frame);
        }
    }
}

const SCENES: &str = "examples/model-comparison/scenes";
const RESULTS: &str = "tests/fixtures/compare";

/// `for_each` over TP × DP × PP: a chart per combination both models have, named
/// `<scene>@<suffix>`, the one only Qwen3-4B has named as skipped.
#[test]
fn for_each_makes_a_chart_per_configuration_both_sides_have() {
    let list = common::stdout(&["list", "--scenes", SCENES, "--results", RESULTS]);
    assert!(
        list.contains("qwen_awq_configs  Qwen3-4B vs Qwen3-4B-AWQ (× 2 charts)"),
        "{list}"
    );

    let out = tempfile::tempdir().unwrap();
    let o = common::benchanim(&[
        "render",
        "qwen_awq_configs",
        "--scenes",
        SCENES,
        "--results",
        RESULTS,
        "--out",
        out.path().to_str().unwrap(),
        "--format",
        "png",
    ]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{stderr}");
    assert!(
        stderr.contains("qwen_awq_configs: skipped tp4_dp1_pp1: no runs of Qwen3-4B-AWQ"),
        "{stderr}"
    );
    assert_eq!(
        common::pngs(out.path()),
        [
            "qwen_awq_configs@tp1_dp1_pp1.png",
            "qwen_awq_configs@tp2_dp4_pp1.png"
        ]
    );

    // One of them by its name; its texts filled from its configuration.
    let json = common::data_json("qwen_awq_configs@tp2_dp4_pp1", SCENES, RESULTS);
    assert_eq!(
        json["chart"]["subtitle"],
        "vLLM on one H100, TP 2 · DP 4 · PP 1 · Green = better, red = worse"
    );
    assert_eq!(json["rows"][0]["baseline"]["value"], 3412.5);

    // All of them, with what was skipped.
    let json = common::data_json("qwen_awq_configs", SCENES, RESULTS);
    let names: Vec<&str> = json["charts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["scene"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "qwen_awq_configs@tp1_dp1_pp1",
            "qwen_awq_configs@tp2_dp4_pp1"
        ]
    );
    assert_eq!(
        json["skipped"],
        serde_json::json!(["tp4_dp1_pp1: no runs of Qwen3-4B-AWQ"])
    );

    // A configuration it does not have, and a scene without for_each, say what there is.
    let o = common::benchanim(&[
        "data",
        "qwen_awq_configs@tp4_dp1_pp1",
        "--scenes",
        SCENES,
        "--results",
        RESULTS,
    ]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr.contains("no chart `qwen_awq_configs@tp4_dp1_pp1`")
            && stderr.contains("qwen_awq_configs@tp1_dp1_pp1, qwen_awq_configs@tp2_dp4_pp1"),
        "{stderr}"
    );
    let o = common::benchanim(&[
        "data",
        "qwen_awq_compare@tp1",
        "--scenes",
        SCENES,
        "--results",
        RESULTS,
    ]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains("has no `for_each`"), "{stderr}");
}

#[test]
fn for_each_names_and_fields_are_checked() {
    let compare = table_of(RESULTS);
    let text = std::fs::read_to_string(root().join(SCENES).join("qwen_awq_configs.toml")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let write = |body: &str| std::fs::write(dir.path().join("s.toml"), body).unwrap();
    let expand_error = |body: &str| {
        write(body);
        let scene = load_scene(dir.path(), "s").unwrap();
        format!(
            "{:#}",
            benchanim::scene::expand(&scene, &compare).unwrap_err()
        )
    };
    let e = expand_error(&text.replace(
        "name_suffix = \"tp{tensor_parallel_size}",
        "name_suffix = \"tp{tp}",
    ));
    assert!(e.contains("`{tp}` is not a field of for_each"), "{e}");
    let e = expand_error(&text.replace("tp{tensor_parallel_size}_dp{data_parallel_size}_", ""));
    assert!(e.contains("two charts would be called"), "{e}");
    let e = expand_error(&text.replace("\"pipeline_parallel_size\"]", "\"no_such_field\"]"));
    assert!(
        e.contains("no run the scene selects has a value of every one of"),
        "{e}"
    );
    write(&text.replace("for_each = [", "for_each = [\"\", "));
    let e = format!("{:#}", load_scene(dir.path(), "s").unwrap_err());
    assert!(e.contains("is not a field name"), "{e}");
}

/// `benchanim compare A B`: a chart per metric at TP = DP = PP = 1, the combined one, and the
/// table of deltas; `--all-configs` a set per configuration both have.
#[test]
fn compare_renders_a_chart_per_metric_and_prints_the_deltas() {
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().to_str().unwrap();
    let run = |extra: &[&str]| {
        let mut args = vec![
            "compare",
            "Qwen3-4B",
            "Qwen3-4B-AWQ",
            "--results",
            RESULTS,
            "--out",
            dir,
            "-q",
            "l",
            "--format",
            "png",
        ];
        args.extend_from_slice(extra);
        common::benchanim(&args)
    };
    let o = run(&["--combined"]);
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let pngs = common::pngs;
    let metrics = [
        "all",
        "inter_token_p50_ms",
        "inter_token_p99_ms",
        "overall_throughput_tokens_per_sec",
        "total_latency_p50_ms",
        "total_latency_p99_ms",
        "ttft_p50_ms",
        "ttft_p99_ms",
    ];
    let expected: Vec<String> = metrics
        .iter()
        .map(|m| format!("compare_Qwen3_4B_vs_Qwen3_4B_AWQ_{m}@tp1_dp1_pp1.png"))
        .collect();
    assert_eq!(pngs(out.path()), expected);
    for line in [
        "tp1_dp1_pp1",
        "Throughput (tok/s) ↑         1,000         1,150  ✓ +15.0%",
        "TTFT p50 (ms) ↓                100           120  ✗ +20.0%",
        "Total latency p99 (ms) ↓       500           500   ≈ +0.0%",
    ] {
        assert!(stdout.contains(line), "{line}\n{stdout}");
    }

    let all = tempfile::tempdir().unwrap();
    let o = common::benchanim(&[
        "compare",
        "Qwen3-4B",
        "Qwen3-4B-AWQ",
        "--results",
        RESULTS,
        "--out",
        all.path().to_str().unwrap(),
        "-q",
        "l",
        "--format",
        "png",
        "--all-configs",
        "--metrics",
        "ttft_p50_ms",
    ]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{stderr}");
    assert!(
        stderr.contains("skipped tp4_dp1_pp1: no runs of Qwen3-4B-AWQ"),
        "{stderr}"
    );
    assert_eq!(
        pngs(all.path()),
        [
            "compare_Qwen3_4B_vs_Qwen3_4B_AWQ_ttft_p50_ms@tp1_dp1_pp1.png",
            "compare_Qwen3_4B_vs_Qwen3_4B_AWQ_ttft_p50_ms@tp2_dp4_pp1.png"
        ]
    );
}

#[test]
fn compare_keeps_its_scenes_and_says_what_it_cannot_find() {
    let out = tempfile::tempdir().unwrap();
    let scenes = out.path().join("scenes");
    let o = common::benchanim(&[
        "compare",
        "vllm_latency_sweep_Qwen_Qwen3_4B",
        "AWQ",
        "--results",
        RESULTS,
        "--where",
        "tensor_parallel_size=2,data_parallel_size=4",
        "--metrics",
        "ttft_p99_ms",
        "--save-scene",
        scenes.to_str().unwrap(),
        "--out",
        out.path().join("renders").to_str().unwrap(),
        "-q",
        "l",
        "--format",
        "png",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(
        stdout.contains("TTFT p99 (ms) ↓") && stdout.contains("✓ −5.0%"),
        "{stdout}"
    );
    // The scene it made is data: `render` draws it again.
    let name = "compare_vllm_latency_sweep_Qwen_Qwen3_4B_vs_AWQ_ttft_p99_ms";
    assert!(scenes.join(format!("{name}.toml")).is_file());
    let data = common::stdout(&[
        "data",
        name,
        "--scenes",
        scenes.to_str().unwrap(),
        "--results",
        RESULTS,
    ]);
    assert!(data.contains("210.00") && data.contains("199.50"), "{data}");
    // Saved scenes are never written over.
    let again = common::benchanim(&[
        "compare",
        "vllm_latency_sweep_Qwen_Qwen3_4B",
        "AWQ",
        "--results",
        RESULTS,
        "--where",
        "tensor_parallel_size=2,data_parallel_size=4",
        "--metrics",
        "ttft_p99_ms",
        "--save-scene",
        scenes.to_str().unwrap(),
        "--out",
        out.path().join("again").to_str().unwrap(),
    ]);
    let err = String::from_utf8_lossy(&again.stderr);
    assert_eq!(again.status.code(), Some(1), "{err}");
    assert!(
        err.contains(&format!("--save-scene: `{}", scenes.display()))
            && err.contains("already exists; not overwritten"),
        "{err}"
    );
    assert!(!out.path().join("again").exists());

    for (args, says) in [
        (
            vec!["compare", "Qwen3-8B", "Qwen3-4B-AWQ"],
            "no benchmark is `Qwen3-8B`",
        ),
        (
            vec!["compare", "Qwen3", "Qwen3-4B-AWQ"],
            "`Qwen3` is part of several benchmark ids",
        ),
        (
            vec!["compare", "Qwen3-4B", "Qwen3-4B-AWQ", "--where", "tp"],
            "--where `tp` is not FIELD=VALUE",
        ),
        (
            vec![
                "compare",
                "Qwen3-4B",
                "Qwen3-4B-AWQ",
                "--gpu",
                "NVIDIA GB10",
            ],
            "--gpu NVIDIA_GB10: not a GPU with runs of both",
        ),
        (
            vec!["compare", "Qwen3-4B", "Qwen3-4B-AWQ", "--metrics", "speed"],
            "has no metric `speed`",
        ),
    ] {
        let mut args = args;
        args.extend(["--results", RESULTS, "--out", out.path().to_str().unwrap()]);
        let o = common::benchanim(&args);
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(stderr.contains(says), "{args:?}: {stderr}");
    }
}

#[test]
fn options_that_select_nothing_are_named_as_the_user_gave_them() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap();
    let compare = |extra: &[&str]| {
        let mut args = vec![
            "compare",
            "Qwen3-4B",
            "Qwen3-4B-AWQ",
            "--results",
            "tests/fixtures/compare",
            "--out",
            out,
            "-q",
            "l",
            "--format",
            "png",
        ];
        args.extend_from_slice(extra);
        let o = common::benchanim(&args);
        (
            o.status.code(),
            String::from_utf8_lossy(&o.stderr).into_owned(),
        )
    };
    for (extra, expected) in [
        (
            &["--where", "tensor_parallel_size=99"][..],
            "--where tensor_parallel_size=99: no run of `vllm_latency_sweep_Qwen_Qwen3_4B` on `NVIDIA_H100_80GB_HBM3` has it; it has tensor_parallel_size 1, 2, 4",
        ),
        (
            &["--all-configs", "nosuch"][..],
            "--all-configs nosuch: no run of `vllm_latency_sweep_Qwen_Qwen3_4B` on `NVIDIA_H100_80GB_HBM3` has a `nosuch` field",
        ),
        (
            &["--all-configs", "tensor_parallel_size,model"][..],
            "nothing to compare: no configuration of --all-configs tensor_parallel_size,model has runs of both",
        ),
    ] {
        let (code, err) = compare(extra);
        assert_eq!(code, Some(1), "{extra:?}: {err}");
        assert!(err.contains(expected), "{extra:?}: {err}");
        assert!(!err.contains("/tmp/") && !err.contains("rows[0]"), "{err}");
    }
    let o = common::benchanim(&[
        "compare",
        "",
        "Qwen3-4B",
        "--results",
        "tests/fixtures/compare",
    ]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("the baseline: no name given"), "{err}");
    assert!(
        std::fs::read_dir(dir.path()).unwrap().next().is_none(),
        "nothing rendered"
    );
}
