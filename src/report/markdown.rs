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
                            let text =
                                format!("{}{}", shown(&c.text), if c.partial { "\\*" } else { "" });
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

/// Most significant digits a table shows; files keep every digit, JSON and CSV give them all.
const SHOWN_DIGITS: usize = 6;

/// A figure as a table shows it: as written, or rounded to `SHOWN_DIGITS` significant digits
/// when it has more (`1537.8767559150408` → `1537.88`, `0.000123456789` → `0.000123457`).
fn shown(text: &str) -> String {
    let Ok(value) = text.parse::<f64>() else {
        return text.to_string();
    };
    let digits = text.trim_start_matches(['-', '+']);
    if digits.contains(['e', 'E']) || !value.is_finite() {
        return text.to_string();
    }
    let significant = digits
        .chars()
        .filter(char::is_ascii_digit)
        .skip_while(|c| *c == '0')
        .count();
    if significant <= SHOWN_DIGITS || !digits.contains('.') {
        return text.to_string();
    }
    let magnitude = value.abs().log10().floor() as i64 + 1;
    let decimals = (SHOWN_DIGITS as i64 - magnitude).max(0) as usize;
    format!("{value:.decimals$}")
}

/// Keeps `|` inside a value from ending its table cell.
fn escape(s: &str) -> String {
    s.replace('|', "\\|")
}

#[cfg(test)]
mod tests {
    use super::shown;

    #[test]
    fn tables_round_only_what_has_more_digits_than_they_show() {
        assert_eq!(shown("1537.8767559150408"), "1537.88");
        assert_eq!(shown("0.000123456789"), "0.000123457");
        assert_eq!(shown("31.143925999999997"), "31.1439");
        assert_eq!(shown("230.003"), "230.003");
        assert_eq!(shown("1768.38"), "1768.38");
        assert_eq!(shown("102400"), "102400");
        assert_eq!(shown("123456789.5"), "123456790");
        assert_eq!(shown("N/A"), "N/A");
        assert_eq!(shown("1e300"), "1e300");
    }
}
