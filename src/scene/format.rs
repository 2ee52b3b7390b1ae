//! How values read on a chart: thousands separators, at least three significant digits.

/// `4848.70` → `4,849`; `81.59` → `81.6`; `0.2380` → `0.238`; `1234567` → `1,234,567`.
/// `decimals` fixes the places instead; `suffix` follows the number (e.g. ` s`).
pub fn format_value(value: f64, decimals: Option<usize>, suffix: &str) -> String {
    if !value.is_finite() {
        return "NA".to_string();
    }
    // Beyond a quadrillion, digits stop being readable on a bar.
    if value.abs() >= 1e15 {
        return format!("{value:.2e}{suffix}");
    }
    let decimals = decimals.unwrap_or_else(|| auto_decimals(value));
    let text = format!("{:.*}", decimals, value.abs());
    let (int, frac) = text
        .split_once('.')
        .map_or((text.as_str(), None), |(i, f)| (i, Some(f)));
    let mut out = String::new();
    if value < 0.0 && text.chars().any(|c| c.is_ascii_digit() && c != '0') {
        out.push('-');
    }
    out.push_str(&group_thousands(int));
    if let Some(frac) = frac {
        out.push('.');
        out.push_str(frac);
    }
    out.push_str(suffix);
    out
}

/// A value and its standard deviation, to the value's places: `897 ± 7`, `0.90 ± 0.01 s`.
pub fn format_spread(value: f64, stdev: f64, decimals: Option<usize>, suffix: &str) -> String {
    let places = decimals.unwrap_or_else(|| auto_decimals(value));
    format!(
        "{} ± {}",
        format_value(value, Some(places), ""),
        format_value(stdev, Some(places), suffix)
    )
}

/// Enough places for three significant digits, none for values of 100 and more.
fn auto_decimals(value: f64) -> usize {
    let magnitude = value.abs();
    if magnitude == 0.0 || magnitude >= 100.0 {
        0
    } else {
        // 10–99.9: 1 place; 1–9.99: 2; 0.1–0.999: 3; and so on.
        (2 - magnitude.log10().floor() as i64).clamp(0, 12) as usize
    }
}

fn group_thousands(digits: &str) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A speed-up such as `4.2` (one decimal; more below 1.05 so that small gains still show).
pub fn format_ratio(ratio: f64) -> String {
    if !ratio.is_finite() {
        "∞".to_string()
    } else if ratio < 1.05 {
        format!("{ratio:.2}")
    } else {
        format!("{ratio:.1}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_consistently() {
        assert_eq!(format_value(4848.70, None, ""), "4,849");
        assert_eq!(format_value(1538.38, None, ""), "1,538");
        assert_eq!(format_value(343.20, None, ""), "343");
        assert_eq!(format_value(81.59, None, " s"), "81.6 s");
        assert_eq!(format_value(4.2012, None, ""), "4.20");
        assert_eq!(format_value(0.2380, None, ""), "0.238");
        assert_eq!(format_value(0.0, None, ""), "0");
        assert_eq!(format_value(1_234_567.0, None, ""), "1,234,567");
        assert_eq!(format_value(99.96, None, ""), "100.0");
        assert_eq!(format_value(1538.38, Some(2), ""), "1,538.38");
        assert_eq!(format_value(-1234.6, None, ""), "-1,235");
        assert_eq!(format_value(1e300, None, ""), "1.00e300");
        assert_eq!(format_value(f64::NAN, None, ""), "NA");
    }

    #[test]
    fn formats_ratios() {
        assert_eq!(format_ratio(343.20 / 81.59), "4.2");
        assert_eq!(format_ratio(1.02), "1.02");
        assert_eq!(format_ratio(f64::INFINITY), "∞");
    }
}
