//! A report as text: a line per problem, then a summary.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

use super::problem::{Checked, Kind, Problem, Report};

/// One line per problem, `chart WxH theme: kind: message`, then a summary line. A problem
/// found in every theme a chart was checked in at a size is named once, with the themes joined
/// by `+` (`dark+light`).
pub(super) fn text(report: &Report) -> String {
    let mut out = String::new();
    let mut kinds: BTreeMap<Kind, usize> = BTreeMap::new();
    let mut lines = 0;
    for group in report
        .charts
        .chunk_by(|a, b| a.chart == b.chart && a.width == b.width && a.height == b.height)
    {
        let first = &group[0];
        for note in &first.notes {
            let _ = writeln!(
                out,
                "{} {}x{}: note: {note}",
                first.chart, first.width, first.height
            );
        }
        for (problem, themes) in merged(group) {
            let _ = writeln!(
                out,
                "{} {}x{} {}: {}: {}",
                first.chart,
                first.width,
                first.height,
                themes.join("+"),
                problem.kind.name(),
                problem.message
            );
            *kinds.entry(problem.kind).or_default() += 1;
            lines += 1;
        }
    }
    out += &summary(report, lines, &kinds);
    out
}

/// The problems of one chart at one size over its themes, each with the themes it is found in,
/// in the order first found.
fn merged(group: &[Checked]) -> Vec<(&Problem, Vec<&'static str>)> {
    let mut merged: Vec<(&Problem, Vec<&'static str>)> = Vec::new();
    // Where each problem stands in `merged`, so a chart with many problems stays linear.
    let mut at: HashMap<&Problem, usize> = HashMap::new();
    for checked in group {
        for problem in &checked.problems {
            match at.get(problem) {
                Some(&i) => merged[i].1.push(checked.theme),
                None => {
                    at.insert(problem, merged.len());
                    merged.push((problem, vec![checked.theme]));
                }
            }
        }
    }
    merged
}

/// `3 problems in 2 of 12 layouts (1 chart × 6 sizes × 2 themes): overlap 2, small_text 1`,
/// or `no problems in 12 layouts (…)`.
fn summary(report: &Report, lines: usize, kinds: &BTreeMap<Kind, usize>) -> String {
    let layouts = report.charts.len();
    let distinct = |f: &dyn Fn(&Checked) -> String| {
        let mut seen: Vec<String> = report.charts.iter().map(f).collect();
        seen.sort();
        seen.dedup();
        seen.len()
    };
    let charts = distinct(&|c| c.chart.clone());
    let sizes = distinct(&|c| format!("{}x{}", c.width, c.height));
    let themes = distinct(&|c| c.theme.to_string());
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let scope = format!(
        "{} ({} × {} × {})",
        plural(layouts, "layout"),
        plural(charts, "chart"),
        plural(sizes, "size"),
        plural(themes, "theme")
    );
    if lines == 0 {
        return format!("no problems in {scope}\n");
    }
    let with = report
        .charts
        .iter()
        .filter(|c| !c.problems.is_empty())
        .count();
    let per_kind: Vec<String> = kinds
        .iter()
        .map(|(k, n)| format!("{} {n}", k.name()))
        .collect();
    format!(
        "{} in {with} of {scope}: {}\n",
        plural(lines, "problem"),
        per_kind.join(", ")
    )
}
