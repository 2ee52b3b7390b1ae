//! The report as Markdown: a heading per category, a table per benchmark.

use std::fmt::Write;

use super::{Report, SCREENFUL};
use crate::results::PARTIAL_NOTE;

pub fn render(report: &Report) -> String {
    let mut out = String::from("# Benchmark results\n");
    for section in &report.sections {
        let _ = write!(out, "\n## {}\n", section.category);
        for table in &section.benchmarks {
            let _ = write!(out, "\n### {}\n\n", table.benchmark);
            let config: Vec<String> = table
                .config
                .iter()
                .map(|(k, v)| format!("{k}: {}", escape(v)))
                .collect();
            let differ = if table.split_by.is_empty() {
                String::new()
            } else {
                format!(" · runs differ in {}", table.split_by.join(", "))
            };
            let _ = writeln!(
                out,
                "Family: `{}`{}{}{differ}\n",
                table.family,
                if config.is_empty() { "" } else { " · " },
                config.join(" · ")
            );
            if table.columns.len() > SCREENFUL
                && let Some((field, level)) = table.column_config.iter().flatten().next()
            {
                let _ = writeln!(
                    out,
                    "{} columns; narrow them with `--where`, e.g. `--where {field}={level}`.\n",
                    table.columns.len()
                );
            }
            let _ = writeln!(
                out,
                "| Metric | Unit | {} |",
                table
                    .columns
                    .iter()
                    .zip(&table.column_runs)
                    .map(|(c, &n)| if n > 1 {
                        format!("{} (mean of {n})", escape(c))
                    } else {
                        escape(c)
                    })
                    .collect::<Vec<_>>()
                    .join(" | ")
            );
            let _ = writeln!(out, "|---|---|{}", "---:|".repeat(table.columns.len()));
            for row in &table.rows {
                let cells: Vec<String> = row
                    .cells
                    .iter()
                    .enumerate()
                    .map(|(i, c)| match c {
                        None => "NA".to_string(),
                        Some(c) => {
                            let text = format!("{}{}", c.text, if c.partial { "\\*" } else { "" });
                            if row.best.contains(&i) {
                                format!("**{text}**")
                            } else {
                                text
                            }
                        }
                    })
                    .collect();
                let _ = writeln!(
                    out,
                    "| {} | {} | {} |",
                    row.label.as_deref().map_or(row.metric.clone(), escape),
                    escape(&row.unit),
                    cells.join(" | ")
                );
            }
            let partial = table.rows.iter().flat_map(|r| r.cells.iter().flatten());
            if partial.into_iter().any(|c| c.partial) {
                let _ = writeln!(out, "\n\\* {PARTIAL_NOTE}");
            }
        }
    }
    out
}

/// Keeps `|` inside a value from ending its table cell.
fn escape(s: &str) -> String {
    s.replace('|', "\\|")
}
