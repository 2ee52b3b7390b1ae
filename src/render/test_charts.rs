//! Charts built in code for tests and the rasterizing benchmark, shaped like the shipped scenes.

use crate::chart::{
    Bar, Bars, Body, Chart, ChartRow, Delta, DeltaStyle, Durations, LegendEntry, Panel, Panels,
    Rgb, Scale,
};
use crate::results::Direction;

pub const ORANGE: Rgb = Rgb(0xff, 0x7f, 0x0e);
pub const BLUE: Rgb = Rgb(0x1f, 0x77, 0xb4);

fn bar(series: usize, color: Rgb, value: Option<f64>) -> Bar {
    let label = match value {
        Some(v) if v >= 100.0 => group_thousands(v.round() as u64),
        Some(v) => format!("{v}"),
        None => "NA".to_string(),
    };
    Bar {
        series,
        color,
        value,
        label,
        whisker: None,
    }
}

fn group_thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The legend of charts comparing the two GPUs.
fn gpu_legend() -> Vec<LegendEntry> {
    legend(&[("RTX 4090", ORANGE), ("GB10", BLUE)])
}

fn legend(entries: &[(&str, Rgb)]) -> Vec<LegendEntry> {
    entries
        .iter()
        .map(|&(label, color)| LegendEntry {
            label: label.to_string(),
            color,
        })
        .collect()
}

/// A chart with `names` as rows and two series (RTX 4090, GB10).
pub fn two_series(title: &str, rows: &[(&str, Option<f64>, Option<f64>)]) -> Chart {
    Chart {
        title: title.to_string(),
        subtitle: "Input Tokens per Second (tok/s) · ↑ Higher is better".to_string(),
        metadata: Vec::new(),
        legend: gpu_legend(),
        body: Body::Bars(Bars {
            rows: rows
                .iter()
                .map(|(label, rtx, gb10)| ChartRow {
                    label: label.to_string(),
                    bars: vec![bar(0, ORANGE, *rtx), bar(1, BLUE, *gb10)],
                    direction: Some(Direction::Higher),
                    delta: None,
                })
                .collect(),
            direction: Some(Direction::Higher),
            scale: Scale::Chart,
        }),
        footer: vec![
            "NA = model did not fit in GPU memory".to_string(),
            "All models use FP8 quantization except gpt-oss models, which use MXFP4.".to_string(),
        ],
        durations: Durations::default(),
        title_scale: 1.0,
        warnings: Vec::new(),
    }
}

/// Like the `vllm_input` scene: 9 rows, 2 series, several NA cells.
pub fn vllm_input() -> Chart {
    two_series(
        "vLLM Inference: Token Input Throughput",
        &[
            ("gpt-oss-20b", Some(4848.70), Some(1538.38)),
            ("gpt-oss-120b", None, Some(627.85)),
            ("Nemotron-3-Nano-30B", None, Some(413.02)),
            ("Qwen3-VL-8B (0 img)", Some(1575.83), Some(610.73)),
            ("Qwen3-VL-8B (1 img)", Some(752.26), Some(451.77)),
            ("Qwen3-VL-30B-A3B (0 img)", None, Some(369.51)),
            ("Qwen3-VL-30B-A3B (1 img)", None, Some(315.94)),
            ("Qwen3-VL-32B (0 img)", None, Some(165.88)),
            ("Qwen3-VL-32B (1 img)", None, Some(134.21)),
        ],
    )
}

/// Like the `llm_finetune` scene: rows are GPUs, one series, a colour per row, no legend.
pub fn finetune() -> Chart {
    Chart {
        title: "LLM Fine-Tuning: Training Time".to_string(),
        subtitle: "Total Training Time (seconds) · ↓ Lower is better".to_string(),
        metadata: vec![
            "Gemma-3-270M · FoodExtract-1k · 3 epochs · batch size 8".to_string(),
            "Sequence length 512 · full fine-tune".to_string(),
        ],
        legend: Vec::new(),
        body: Body::Bars(Bars {
            rows: vec![
                ChartRow {
                    label: "RTX 4090".to_string(),
                    bars: vec![bar(0, ORANGE, Some(81.59))],
                    direction: Some(Direction::Lower),
                    delta: None,
                },
                ChartRow {
                    label: "DGX Spark (GB10)".to_string(),
                    bars: vec![bar(0, BLUE, Some(343.2))],
                    direction: Some(Direction::Lower),
                    delta: None,
                },
            ],
            direction: Some(Direction::Lower),
            scale: Scale::Chart,
        }),
        footer: vec!["RTX 4090 is 4.2× faster than DGX Spark".to_string()],
        durations: Durations::default(),
        title_scale: 1.0,
        warnings: Vec::new(),
    }
}

/// Like a compare scene: two models, a metric per row with its own scale and direction, and
/// the candidate's delta on each (the numbers of the model-comparison workflow).
pub fn compare() -> Chart {
    let style = DeltaStyle::default();
    let rows = [
        ("Throughput (tok/s) ↑", 1000.0, 1150.0, Direction::Higher),
        ("TTFT p50 (ms) ↓", 100.0, 120.0, Direction::Lower),
        ("TTFT p99 (ms) ↓", 300.0, 270.0, Direction::Lower),
        ("Inter-token p50 (ms) ↓", 20.0, 19.0, Direction::Lower),
        ("Inter-token p99 (ms) ↓", 40.0, 44.0, Direction::Lower),
        ("Total latency p50 (ms) ↓", 400.0, 380.0, Direction::Lower),
        ("Total latency p99 (ms) ↓", 500.0, 500.2, Direction::Lower),
    ];
    Chart {
        title: "Qwen3-4B vs Qwen3-4B-AWQ".to_string(),
        subtitle: "vLLM, TP 1 · DP 1 · PP 1 · Green = better, red = worse".to_string(),
        metadata: Vec::new(),
        legend: legend(&[("Qwen3-4B", BLUE), ("Qwen3-4B-AWQ", ORANGE)]),
        body: Body::Bars(Bars {
            rows: rows
                .iter()
                .map(|&(label, base, cand, direction)| ChartRow {
                    label: label.to_string(),
                    bars: vec![bar(0, BLUE, Some(base)), bar(1, ORANGE, Some(cand))],
                    direction: Some(direction),
                    delta: Some(Delta::of(Some(base), Some(cand), Some(direction), &style)),
                })
                .collect(),
            direction: None,
            scale: Scale::Row,
        }),
        footer: vec!["Qwen3-4B-AWQ is better on 4 of 7 metrics".to_string()],
        durations: Durations::default(),
        title_scale: 1.0,
        warnings: Vec::new(),
    }
}

/// One row, one bar: the smallest chart there is.
pub fn single_bar() -> Chart {
    let mut chart = finetune();
    chart.bars_mut().unwrap().rows.truncate(1);
    chart.footer.clear();
    chart
}

/// `n` rows of two series with long labels and values spanning several magnitudes.
pub fn many_rows(n: usize) -> Chart {
    let rows: Vec<(String, Option<f64>, Option<f64>)> = (0..n)
        .map(|i| {
            let rtx = (i % 4 != 3).then(|| 12_345.678 / (i as f64 + 1.0));
            let gb10 = Some(9_000.0 / (i as f64 * 0.7 + 1.0));
            (
                format!("Qwen3-VL-30B-A3B-Instruct-FP8 variant {i} (1 img)"),
                rtx,
                gb10,
            )
        })
        .collect();
    let borrowed: Vec<(&str, Option<f64>, Option<f64>)> =
        rows.iter().map(|(l, a, b)| (l.as_str(), *a, *b)).collect();
    two_series("Many rows", &borrowed)
}

/// Text far too long for any frame, everywhere.
pub fn long_labels() -> Chart {
    let long =
        "An extraordinarily long label that no reasonable frame could ever hold on one line ";
    let mut chart = vllm_input();
    chart.title = long.repeat(2);
    chart.subtitle = long.repeat(2);
    chart.metadata = vec![long.repeat(3)];
    chart.footer = vec![long.repeat(3), long.to_string()];
    chart.bars_mut().unwrap().rows[0].label = long.repeat(2);
    chart.legend[0].label = long.to_string();
    chart.legend[1].label = long.to_string();
    chart
}

/// Like the `vllm_concurrency` line scene: throughput over concurrency 1 to 32 (log2), two
/// series, the RTX 4090 lacking level 8, peaks and knees called out.
pub fn sweep() -> Chart {
    use crate::chart::{
        AnnotationKind, LineAnnotation, LinePlot, LinePoint, LineSeries, PointLabels, ValueAxis,
        XAxis, XLevel, XScale, XValue,
    };
    let levels = [1.0f64, 2.0, 4.0, 8.0, 16.0, 32.0]
        .iter()
        .map(|&x| XLevel {
            value: XValue::Number(x),
            at: x.log2(),
            label: format!("{x}"),
        })
        .collect();
    let series = |label: &str, color: Rgb, values: &[(usize, f64)]| LineSeries {
        label: label.to_string(),
        color,
        points: values
            .iter()
            .map(|&(level, y)| LinePoint {
                level,
                y,
                label: group_thousands(y.round() as u64),
                n: 1,
                whisker: None,
            })
            .collect(),
        peak: Some(values.len() - 1),
        knee: Some(values.len() - 2),
    };
    let rtx = [
        (0, 152.1),
        (1, 289.66),
        (2, 541.62),
        (4, 1298.4),
        (5, 1403.72),
    ];
    let gb10 = [
        (0, 41.3),
        (1, 79.84),
        (2, 148.52),
        (3, 262.07),
        (4, 401.73),
        (5, 428.91),
    ];
    let annotation = |series: usize, point: usize, kind, text: &str| LineAnnotation {
        series,
        point,
        kind,
        text: text.to_string(),
    };
    Chart {
        title: "vLLM: Throughput vs Concurrency".to_string(),
        subtitle: "Output tokens per second (tok/s) · ↑ Higher is better".to_string(),
        metadata: vec!["gpt-oss-20b · 100 prompts · 1,000 tokens in, 300 out".to_string()],
        legend: gpu_legend(),
        footer: vec!["RTX 4090 is 3.3× faster at 32 concurrent requests".to_string()],
        durations: Durations::default(),
        title_scale: 1.0,
        warnings: Vec::new(),
        body: Body::Lines(LinePlot {
            x: XAxis {
                title: "Concurrent requests".to_string(),
                scale: XScale::Log2,
                levels,
                continuous: false,
            },
            y: ValueAxis {
                title: "tok/s".to_string(),
                direction: Some(Direction::Higher),
                from_zero: true,
                decimals: None,
                suffix: String::new(),
            },
            series: vec![
                series("RTX 4090", ORANGE, &rtx),
                series("GB10", BLUE, &gb10),
            ],
            annotations: vec![
                annotation(
                    0,
                    4,
                    AnnotationKind::Peak,
                    "peak 1,404 tok/s at concurrent requests 32",
                ),
                annotation(
                    1,
                    5,
                    AnnotationKind::Peak,
                    "peak 429 tok/s at concurrent requests 32",
                ),
                annotation(
                    0,
                    3,
                    AnnotationKind::Knee,
                    "90% of peak at concurrent requests 16",
                ),
                annotation(
                    1,
                    4,
                    AnnotationKind::Knee,
                    "90% of peak at concurrent requests 16",
                ),
            ],
            point_labels: PointLabels::Last,
        }),
    }
}

/// Like the `vllm_tradeoff` scatter scene: output throughput against time per output token,
/// a point per concurrency level 1 to 32, the RTX 4090 lacking level 8, and the Pareto frontier
/// (every RTX 4090 point: it beats every GB10 point on both axes).
pub fn tradeoff() -> Chart {
    use crate::chart::{
        FrontierPoint, PointLabels, ScatterPlot, ScatterPoint, ScatterSeries, ValueAxis, XLevel,
        XValue,
    };
    let levels = [1.0f64, 2.0, 4.0, 8.0, 16.0, 32.0];
    let series = |label: &str, color: Rgb, points: &[(usize, f64, f64)]| ScatterSeries {
        label: label.to_string(),
        color,
        points: points
            .iter()
            .map(|&(level, x, y)| ScatterPoint {
                level,
                x,
                y,
                label: format!("c={}", levels[level]),
                n: 1,
                x_whisker: None,
                y_whisker: None,
            })
            .collect(),
    };
    let rtx = [
        (0, 6.38, 152.1),
        (1, 6.7, 289.66),
        (2, 7.16, 541.62),
        (4, 11.95, 1298.4),
        (5, 22.11, 1403.72),
    ];
    let gb10 = [
        (0, 23.49, 41.3),
        (1, 24.3, 79.84),
        (2, 26.12, 148.52),
        (3, 29.61, 262.07),
        (4, 38.63, 401.73),
        (5, 72.37, 428.91),
    ];
    let axis = |title: &str, direction| ValueAxis {
        title: title.to_string(),
        direction: Some(direction),
        from_zero: true,
        decimals: None,
        suffix: String::new(),
    };
    let mut chart = sweep();
    chart.title = "vLLM: Throughput vs Time per Output Token".to_string();
    chart.subtitle = "One point per concurrency level · ↖ Up and to the left is better".to_string();
    chart.footer = Vec::new();
    chart.body = Body::Scatter(ScatterPlot {
        x: axis("Time per output token, median (ms)", Direction::Lower),
        y: axis("Output throughput (tok/s)", Direction::Higher),
        order: "max_concurrency".to_string(),
        levels: levels
            .iter()
            .enumerate()
            .map(|(i, &x)| XLevel {
                value: XValue::Number(x),
                at: i as f64,
                label: format!("{x}"),
            })
            .collect(),
        series: vec![
            series("RTX 4090", ORANGE, &rtx),
            series("GB10", BLUE, &gb10),
        ],
        connect: true,
        point_labels: PointLabels::All,
        frontier: Some(
            (0..rtx.len())
                .map(|point| FrontierPoint { series: 0, point })
                .collect(),
        ),
    });
    chart
}

/// `chart` with a whisker over every value, as if each were the mean of runs that spread from
/// 15% below it to 12% above (and, on a scatter's x axis, 8% either side).
pub fn with_whiskers(mut chart: Chart) -> Chart {
    let around = |v: f64| Some((v * 0.85, v * 1.12));
    match &mut chart.body {
        Body::Bars(bars) => {
            for bar in bars.rows.iter_mut().flat_map(|r| &mut r.bars) {
                bar.whisker = bar.value.and_then(around);
            }
        }
        Body::Lines(plot) => {
            for p in plot.series.iter_mut().flat_map(|s| &mut s.points) {
                p.whisker = around(p.y);
            }
        }
        Body::Scatter(plot) => {
            for p in plot.series.iter_mut().flat_map(|s| &mut s.points) {
                p.x_whisker = Some((p.x * 0.92, p.x * 1.08));
                p.y_whisker = around(p.y);
            }
        }
        Body::Panels(panels) => {
            for bar in panels
                .panels
                .iter_mut()
                .flat_map(|p| p.bars.rows.iter_mut().flat_map(|r| &mut r.bars))
            {
                bar.whisker = bar.value.and_then(around);
            }
        }
    }
    chart
}

/// Three panels side by side: the `vllm_input` bars, the fine-tuning times, and the compare
/// chart's rows with their deltas.
pub fn panels() -> Chart {
    let panel = |title: &str, chart: Chart| Panel {
        title: title.to_string(),
        bars: chart.bars().unwrap().clone(),
        notes: Vec::new(),
    };
    Chart {
        body: Body::Panels(Panels {
            panels: vec![
                panel("Input (tok/s)\n↑ Higher is better", vllm_input()),
                panel("Training time (s)\n↓ Lower is better", finetune()),
                panel("Qwen3-4B vs AWQ", compare()),
            ],
            columns: Some(2),
        }),
        ..vllm_input()
    }
}
