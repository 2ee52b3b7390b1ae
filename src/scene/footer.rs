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
    if !ratio.is_finite() {
        return None;
    }
    Some(
        template
            .replace("{fastest}", best.name)
            .replace("{slowest}", worst.name)
            .replace("{ratio}", &format_ratio(ratio))
            .replace("{row}", row.unwrap_or_default()),
    )
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
}
