//! The comparison as a terminal table: per configuration, each metric's two values and delta.

use crate::chart::Chart;
use crate::scene::ChartName;
use crate::terminal::{aligned_table, printable};

/// Per configuration, each metric's values and delta (from the chart of each metric).
pub fn delta_table(charts: &[(String, Chart)], baseline: &str, candidate: &str) -> String {
    let mut configs: Vec<(&str, Vec<Vec<String>>)> = Vec::new();
    for (name, chart) in charts {
        let ChartName { scene, suffix } = ChartName::parse(name);
        let config = suffix.unwrap_or_default();
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
        printable(baseline).into_owned(),
        printable(candidate).into_owned(),
        "Delta".to_string(),
    ];
    let mut out = String::new();
    for (config, rows) in configs {
        out.push('\n');
        if !config.is_empty() {
            out += &format!("{config}\n");
        }
        let lines: Vec<Vec<String>> = std::iter::once(head.clone()).chain(rows).collect();
        out += &aligned_table(&lines);
    }
    out
}
