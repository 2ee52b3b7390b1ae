//! Charts built in code for tests and the rasterizing benchmark, shaped like the shipped scenes.

use crate::chart::{Bar, Chart, ChartRow, Durations, LegendEntry, Rgb};
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

/// A chart with `names` as rows and two series (RTX 4090, GB10).
pub fn two_series(title: &str, rows: &[(&str, Option<f64>, Option<f64>)]) -> Chart {
    Chart {
        title: title.to_string(),
        subtitle: "Input Tokens per Second (tok/s) · ↑ Higher is better".to_string(),
        metadata: Vec::new(),
        legend: vec![
            LegendEntry {
                label: "RTX 4090".to_string(),
                color: ORANGE,
            },
            LegendEntry {
                label: "GB10".to_string(),
                color: BLUE,
            },
        ],
        rows: rows
            .iter()
            .map(|(label, rtx, gb10)| ChartRow {
                label: label.to_string(),
                bars: vec![bar(0, ORANGE, *rtx), bar(1, BLUE, *gb10)],
            })
            .collect(),
        footer: vec![
            "NA = model did not fit in GPU memory".to_string(),
            "All models use FP8 quantization except gpt-oss models, which use MXFP4.".to_string(),
        ],
        direction: Some(Direction::Higher),
        durations: Durations::default(),
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
        rows: vec![
            ChartRow {
                label: "RTX 4090".to_string(),
                bars: vec![bar(0, ORANGE, Some(81.59))],
            },
            ChartRow {
                label: "DGX Spark (GB10)".to_string(),
                bars: vec![bar(0, BLUE, Some(343.2))],
            },
        ],
        footer: vec!["RTX 4090 is 4.2× faster than DGX Spark".to_string()],
        direction: Some(Direction::Lower),
        durations: Durations::default(),
    }
}

/// One row, one bar: the smallest chart there is.
pub fn single_bar() -> Chart {
    let mut chart = finetune();
    chart.rows.truncate(1);
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
    chart.rows[0].label = long.repeat(2);
    chart.legend[0].label = long.to_string();
    chart.legend[1].label = long.to_string();
    chart
}
