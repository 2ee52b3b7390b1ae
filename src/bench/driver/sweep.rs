//! A sweep: the levels of one run measured one after another, each filed on its own under one
//! `sweep_id`, and the table that closes it.

use std::path::Path;

use crate::results::Row;

/// How a level ended, as the closing table says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Measured and filed.
    Ok,
    /// Stopped early and filed with `partial,true`.
    Partial,
    /// Every request failed: nothing filed.
    Failed,
    /// Stopped before a request had finished: nothing filed.
    Stopped,
    /// The sweep stopped before this level's turn.
    NotRun,
}

impl Outcome {
    fn word(self) -> &'static str {
        match self {
            Outcome::Ok => "ok",
            Outcome::Partial => "partial",
            Outcome::Failed => "failed",
            Outcome::Stopped => "stopped",
            Outcome::NotRun => "not run",
        }
    }
}

/// One line of the closing table.
pub struct Line {
    /// What sets the level apart (`max_concurrency` → `4`).
    pub settings: Vec<(String, String)>,
    pub outcome: Outcome,
    pub ok: usize,
    pub failed: usize,
    /// The headline figures as the file has them, `-` where it has none.
    pub figures: Vec<String>,
    /// The file written, by name.
    pub file: Option<String>,
}

impl Line {
    /// A level that measured nothing: not run, or stopped during its warm-ups.
    pub fn without_run(settings: Vec<(String, String)>, outcome: Outcome) -> Line {
        Line {
            settings,
            outcome,
            ok: 0,
            failed: 0,
            figures: Vec::new(),
            file: None,
        }
    }
}

/// The `sweep_id` row every level's file carries: when the sweep started.
pub fn id_row(sweep_id: &str) -> Row {
    Row::text("sweep_id", sweep_id)
}

/// `level 2/6: max_concurrency 2, request_rate inf`, said before a level starts.
pub fn announce(level: usize, levels: usize, settings: &[(String, String)]) -> String {
    let said: Vec<String> = settings.iter().map(|(k, v)| format!("{k} {v}")).collect();
    format!("level {}/{levels}: {}", level + 1, said.join(", "))
}

/// The headline figures of a filed level, in the order `metrics` names them.
pub fn figures(rows: &[Row], metrics: &[(&str, &str)]) -> Vec<String> {
    metrics
        .iter()
        .map(|(metric, _)| {
            rows.iter()
                .find(|r| r.metric == *metric && r.section.is_none())
                .map_or_else(|| "-".to_string(), |r| r.value.to_text())
        })
        .collect()
}

/// The table printed when a sweep ends: one line per level, in the order they ran.
pub fn table(sweep_id: &str, folder: &Path, headline: &[(&str, &str)], lines: &[Line]) -> String {
    let mut header: Vec<String> = vec!["level".into()];
    if let Some(first) = lines.first() {
        header.extend(first.settings.iter().map(|(k, _)| k.clone()));
    }
    header.extend(["status", "ok", "failed"].map(String::from));
    header.extend(headline.iter().map(|(_, label)| label.to_string()));
    header.push("file".into());
    let settings = lines.first().map_or(0, |l| l.settings.len());
    // Text columns are aligned left, numbers right.
    let left = |column: usize| column == settings + 1 || column + 1 == header.len();

    let mut cells: Vec<Vec<String>> = vec![header.clone()];
    for (i, line) in lines.iter().enumerate() {
        let mut row = vec![format!("{}/{}", i + 1, lines.len())];
        row.extend(line.settings.iter().map(|(_, v)| v.clone()));
        row.push(line.outcome.word().into());
        let counted = !matches!(line.outcome, Outcome::NotRun);
        for n in [line.ok, line.failed] {
            row.push(if counted { n.to_string() } else { "-".into() });
        }
        for k in 0..headline.len() {
            row.push(line.figures.get(k).cloned().unwrap_or_else(|| "-".into()));
        }
        row.push(line.file.clone().unwrap_or_else(|| "-".into()));
        cells.push(row);
    }
    let widths: Vec<usize> = (0..header.len())
        .map(|c| {
            cells
                .iter()
                .map(|r| r.get(c).map_or(0, |s| s.chars().count()))
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = format!(
        "sweep {sweep_id}: {} levels, files in {}\n",
        lines.len(),
        folder.display()
    );
    for row in &cells {
        let shown: Vec<String> = row
            .iter()
            .enumerate()
            .map(|(c, s)| {
                let w = widths[c];
                if left(c) {
                    format!("{s:<w$}")
                } else {
                    format!("{s:>w$}")
                }
            })
            .collect();
        out.push_str(shown.join("  ").trim_end());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(c: &str, outcome: Outcome, figures: &[&str], file: Option<&str>) -> Line {
        Line {
            settings: vec![("max_concurrency".into(), c.into())],
            outcome,
            ok: if outcome == Outcome::Ok { 8 } else { 0 },
            failed: if outcome == Outcome::Failed { 8 } else { 0 },
            figures: figures.iter().map(|s| s.to_string()).collect(),
            file: file.map(str::to_string),
        }
    }

    #[test]
    fn lays_out_one_line_per_level() {
        let text = table(
            "20260101_120000",
            Path::new("out/CPU"),
            &[("output_token_throughput", "output tok/s")],
            &[
                line("1", Outcome::Ok, &["12.50"], Some("a.csv")),
                line("16", Outcome::Failed, &["-"], None),
                line("32", Outcome::NotRun, &[], None),
            ],
        );
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines[0],
            "sweep 20260101_120000: 3 levels, files in out/CPU"
        );
        assert_eq!(
            lines[1],
            "level  max_concurrency  status   ok  failed  output tok/s  file"
        );
        assert_eq!(
            lines[2],
            "  1/3                1  ok        8       0         12.50  a.csv"
        );
        assert_eq!(
            lines[3],
            "  2/3               16  failed    0       8             -  -"
        );
        assert_eq!(
            lines[4],
            "  3/3               32  not run   -       -             -  -"
        );
    }

    #[test]
    fn figures_come_from_the_filed_rows() {
        let rows = vec![
            Row::number("ttft_median", 31.0, 2, "ms"),
            Row::number("output_token_throughput", 40.126, 2, "tok/s"),
        ];
        assert_eq!(
            figures(
                &rows,
                &[
                    ("output_token_throughput", "o"),
                    ("itl_median", "i"),
                    ("ttft_median", "t")
                ]
            ),
            ["40.13", "-", "31.00"]
        );
        assert_eq!(
            announce(1, 6, &[("max_concurrency".into(), "2".into())]),
            "level 2/6: max_concurrency 2"
        );
    }
}
