//! Footer lines that compute from the data: `{fastest} is {ratio}× faster than {slowest}`.

use crate::results::Direction;

use super::format::format_ratio;

/// A value on the chart with the name a footer calls it by.
pub struct Named<'a> {
    pub name: &'a str,
    pub value: f64,
}

/// The placeholders that compare values, and so need to know which way is better.
pub const COMPARING: [&str; 3] = ["{fastest}", "{slowest}", "{ratio}"];

/// True when `template` compares values: `{fastest}`, `{slowest}` or `{ratio}`.
pub fn compares(template: &str) -> bool {
    COMPARING.iter().any(|p| template.contains(p))
}

/// Fills `{fastest}`, `{slowest}` and `{ratio}` from `values` (and `{row}` with `row`).
/// `None` when fewer than two values can be compared, the worst is zero, or the template
/// compares and `direction` is unknown.
pub fn fill(
    template: &str,
    row: Option<&str>,
    values: &[Named],
    direction: Option<Direction>,
) -> Option<String> {
    if !template.contains('{') {
        return Some(template.to_string());
    }
    if values.len() < 2 {
        return None;
    }
    let Some(direction) = direction else {
        // Without a direction only `{row}` can be filled (resolving a scene refuses templates
        // that compare before it gets here).
        return (!compares(template)).then(|| template.replace("{row}", row.unwrap_or_default()));
    };
    let (best, worst, ratio) = extremes(values, direction)?;
    Some(
        template
            .replace("{fastest}", best.name)
            .replace("{slowest}", worst.name)
            .replace("{ratio}", &format_ratio(ratio))
            .replace("{row}", row.unwrap_or_default()),
    )
}

/// The best and worst of `values` and how many times better the best is; `None` when there
/// are fewer than two or the ratio is not finite (the worst is zero).
fn extremes<'v, 'a>(
    values: &'v [Named<'a>],
    direction: Direction,
) -> Option<(&'v Named<'a>, &'v Named<'a>, f64)> {
    if values.len() < 2 {
        return None;
    }
    let best = values.iter().reduce(|a, b| {
        if direction.better(b.value, a.value) {
            b
        } else {
            a
        }
    })?;
    let worst = values.iter().reduce(|a, b| {
        if direction.better(a.value, b.value) {
            b
        } else {
            a
        }
    })?;
    let ratio = match direction {
        Direction::Higher => best.value / worst.value,
        Direction::Lower => worst.value / best.value,
    };
    ratio.is_finite().then_some((best, worst, ratio))
}

/// How many times better the best of `values` is than the worst, when that can be said.
pub fn ratio(values: &[Named], direction: Option<Direction>) -> Option<f64> {
    extremes(values, direction?).map(|(_, _, ratio)| ratio)
}

/// Lines one footer template may print, repeated per row or series, before they are folded
/// into one: more would take the room the data needs.
pub const MAX_REPEATED_LINES: usize = 3;

/// One repetition of a footer template: its line, and its rank among the others (the ratio
/// it states, or the series' peak); `None` when it has none.
pub struct Repeated {
    pub line: String,
    pub rank: Option<f64>,
}

/// The lines a template repeated for each of `count` `things` ("rows", "series") prints: all
/// of them while they are few, else the one of the highest rank, saying what it stands for
/// (`…, the largest of 12 rows`). An error names the template when the lines have no rank to
/// choose by.
pub fn fold_repeated(
    template: &str,
    repeated: Vec<Repeated>,
    things: &str,
    largest: &str,
) -> anyhow::Result<Vec<String>> {
    if repeated.len() <= MAX_REPEATED_LINES {
        return Ok(repeated.into_iter().map(|r| r.line).collect());
    }
    let count = repeated.len();
    let top = repeated
        .into_iter()
        .filter_map(|r| Some((r.rank?, r.line)))
        .max_by(|a, b| a.0.total_cmp(&b.0));
    match top {
        Some((_, line)) => Ok(vec![format!("{line} ({largest} of {count} {things})")]),
        None => anyhow::bail!(
            "footer `{template}` would print a line for each of {count} {things}, and at most \
             {MAX_REPEATED_LINES} fit under the data: compare within each with `{{ratio}}` (the \
             largest is kept), or leave the placeholder out"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compares_by_direction() {
        let times = [
            Named {
                name: "RTX 4090",
                value: 81.59,
            },
            Named {
                name: "DGX Spark",
                value: 343.20,
            },
        ];
        let line = fill(
            "{fastest} is {ratio}× faster than {slowest}",
            None,
            &times,
            Some(Direction::Lower),
        );
        assert_eq!(
            line.as_deref(),
            Some("RTX 4090 is 4.2× faster than DGX Spark")
        );
        let speeds = [
            Named {
                name: "a",
                value: 10.0,
            },
            Named {
                name: "b",
                value: 25.0,
            },
        ];
        let line = fill(
            "{row}: {fastest} {ratio}×",
            Some("m"),
            &speeds,
            Some(Direction::Higher),
        );
        assert_eq!(line.as_deref(), Some("m: b 2.5×"));
        assert_eq!(
            fill("{ratio}", None, &speeds[..1], Some(Direction::Higher)),
            None
        );
        assert_eq!(
            fill("plain", None, &[], Some(Direction::Higher)).as_deref(),
            Some("plain")
        );
        // Without a direction nothing is compared; `{row}` still fills.
        assert_eq!(fill("{fastest} wins", None, &speeds, None), None);
        assert_eq!(
            fill("{row}: two GPUs", Some("m"), &speeds, None).as_deref(),
            Some("m: two GPUs")
        );
    }

    #[test]
    fn many_repeated_lines_fold_into_the_largest() {
        let lines = |n: usize, rank: fn(usize) -> Option<f64>| -> Vec<Repeated> {
            (0..n)
                .map(|i| Repeated {
                    line: format!("row {i}"),
                    rank: rank(i),
                })
                .collect()
        };
        let few = fold_repeated("{row}", lines(3, |_| None), "rows", "the largest").unwrap();
        assert_eq!(few, ["row 0", "row 1", "row 2"]);
        let many = fold_repeated(
            "{row}: {ratio}",
            lines(12, |i| Some((i * 7 % 12) as f64)),
            "rows",
            "the largest",
        )
        .unwrap();
        assert_eq!(many, ["row 5 (the largest of 12 rows)"]);
        let e = fold_repeated("{row} ran", lines(4, |_| None), "rows", "the largest").unwrap_err();
        assert!(
            e.to_string()
                .contains("footer `{row} ran` would print a line for each of 4 rows"),
            "{e}"
        );
    }
}
