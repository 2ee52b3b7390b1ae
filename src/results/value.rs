//! One cell of a result file's `value` column, typed.

use serde::Serialize;

/// A value as read from a result file.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Value {
    /// A number, with the text it was written as (without thousands separators),
    /// so that reports show exactly the published figure.
    Number(Number),
    Bool(bool),
    Text(String),
    /// `N/A` or an empty cell: the run did not measure this.
    Missing,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(into = "f64")]
pub struct Number {
    pub value: f64,
    pub text: String,
}

impl From<Number> for f64 {
    fn from(n: Number) -> f64 {
        n.value
    }
}

impl Number {
    /// A number computed here rather than read, written with `decimals` places.
    pub fn computed(value: f64, decimals: usize) -> Number {
        let text = format!("{value:.decimals$}");
        let value = text.parse().unwrap_or(value);
        Number { value, text }
    }

    /// A number as measured or read from another tool, to its last digit: the shortest text
    /// that reads back as the same `f64` (`0.2456`, `0.00503`, `1.5e-12`). Rounding is for
    /// display only.
    pub fn measured(value: f64) -> Number {
        let plain = format!("{value}");
        // `{}` never uses an exponent, so 1e300 would be 301 digits; `{:e}` is as exact.
        let text = if plain.len() > 21 {
            format!("{value:e}")
        } else {
            plain
        };
        Number { value, text }
    }

    /// `value` × 10^`shift` (a unit change: s → ms is 3, bytes → GB is −9), written by moving
    /// the decimal point of the measured text, so no binary rounding creeps in
    /// (0.1234 s → `123.4`, not `123.39999999999999`).
    pub fn measured_scaled(value: f64, shift: i32) -> Number {
        let scaled = value * 10f64.powi(shift);
        let text = shift_point(&Number::measured(value).text, shift)
            .filter(|t| t.parse::<f64>().is_ok_and(f64::is_finite))
            .unwrap_or_else(|| Number::measured(scaled).text);
        let value = text.parse().unwrap_or(scaled);
        Number { value, text }
    }

    /// How many digits follow the decimal point in the written form.
    pub fn decimals(&self) -> usize {
        self.text.split_once('.').map_or(0, |(_, frac)| {
            frac.chars().take_while(char::is_ascii_digit).count()
        })
    }
}

impl Value {
    /// Reads a cell. Never fails: what is not a number, boolean or `N/A` is text.
    pub fn parse(raw: &str) -> Value {
        let s = raw.trim();
        if s.is_empty() || s.eq_ignore_ascii_case("n/a") || s.eq_ignore_ascii_case("na") {
            return Value::Missing;
        }
        match s {
            "true" | "True" | "TRUE" => return Value::Bool(true),
            "false" | "False" | "FALSE" => return Value::Bool(false),
            _ => {}
        }
        let plain = strip_thousands(s);
        if looks_numeric(&plain)
            && let Ok(value) = plain.parse::<f64>()
        {
            return Value::Number(Number { value, text: plain });
        }
        Value::Text(s.to_string())
    }

    pub fn as_number(&self) -> Option<f64> {
        match self {
            Value::Number(n) => Some(n.value),
            _ => None,
        }
    }

    /// The value as it should be written back to a result file or shown as config.
    pub fn to_text(&self) -> String {
        match self {
            Value::Number(n) => n.text.clone(),
            Value::Bool(b) => if *b { "True" } else { "False" }.to_string(),
            Value::Text(t) => t.clone(),
            Value::Missing => "N/A".to_string(),
        }
    }
}

/// `text` (a plain decimal, no exponent) with its point moved `shift` places right;
/// `None` for an exponent form or a result too long to be worth writing out.
fn shift_point(text: &str, shift: i32) -> Option<String> {
    let (sign, body) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text),
    };
    if body.contains(['e', 'E']) {
        return None;
    }
    let (int, frac) = body.split_once('.').unwrap_or((body, ""));
    let digits = format!("{int}{frac}");
    let point = int.len() as i64 + i64::from(shift);
    if !(-30..=30 + digits.len() as i64).contains(&point) {
        return None;
    }
    let (whole, fraction) = if point <= 0 {
        (
            String::new(),
            "0".repeat(point.unsigned_abs() as usize) + &digits,
        )
    } else if point as usize >= digits.len() {
        (
            digits.clone() + &"0".repeat(point as usize - digits.len()),
            String::new(),
        )
    } else {
        let (a, b) = digits.split_at(point as usize);
        (a.to_string(), b.to_string())
    };
    let whole = whole.trim_start_matches('0');
    let fraction = fraction.trim_end_matches('0');
    let whole = if whole.is_empty() { "0" } else { whole };
    Some(if fraction.is_empty() {
        format!("{sign}{whole}")
    } else {
        format!("{sign}{whole}.{fraction}")
    })
}

/// `268,098,176` → `268098176`; anything else is returned unchanged.
fn strip_thousands(s: &str) -> String {
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (s, None),
    };
    let digits = int.strip_prefix('-').unwrap_or(int);
    let groups: Vec<&str> = digits.split(',').collect();
    let grouped = groups.len() > 1
        && !groups[0].is_empty()
        && groups[0].len() <= 3
        && groups.iter().all(|g| g.chars().all(|c| c.is_ascii_digit()))
        && groups[1..].iter().all(|g| g.len() == 3);
    if !grouped {
        return s.to_string();
    }
    let mut out = int.replace(',', "");
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    out
}

/// Only plain decimal notation counts: `inf`, `NaN` or `0x10` are not numbers in a result file.
fn looks_numeric(s: &str) -> bool {
    let body = s.strip_prefix(['-', '+']).unwrap_or(s);
    body.chars()
        .next()
        .is_some_and(|c| c.is_ascii_digit() || c == '.')
        && body
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '-' | '+'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn measured_numbers_read_back_to_the_same_value() {
        for x in [
            0.2456, 0.00503, 0.05175, 1e308, 5e-324, 123456.789, -0.0, 42.0, 1.5e-12,
        ] {
            let n = Number::measured(x);
            assert_eq!(number(&n.text), x, "{x} written as {}", n.text);
        }
        assert_eq!(Number::measured(0.2456).text, "0.2456");
        assert_eq!(Number::measured(42.0).text, "42");
        assert_eq!(Number::measured(1e300).text, "1e300");
    }

    #[test]
    fn unit_changes_move_the_decimal_point() {
        let ms = |x: f64| Number::measured_scaled(x, 3).text;
        assert_eq!(ms(0.1234), "123.4");
        assert_eq!(ms(0.00503), "5.03");
        assert_eq!(ms(12.0), "12000");
        assert_eq!(ms(-0.5), "-500");
        assert_eq!(Number::measured_scaled(4_920_000_000.0, -9).text, "4.92");
        assert_eq!(Number::measured_scaled(1234.0, -6).text, "0.001234");
        assert_eq!(Number::measured_scaled(0.1234, 3).value, 123.4);
        assert_eq!(Number::measured_scaled(1e300, 3).text, "1e303");
    }

    fn number(s: &str) -> f64 {
        Value::parse(s)
            .as_number()
            .unwrap_or_else(|| panic!("{s} is not a number"))
    }

    #[test]
    fn reads_every_kind_of_cell() {
        assert_eq!(number("2703.36"), 2703.36);
        assert_eq!(number("268,098,176"), 268_098_176.0);
        assert_eq!(number("1,234.5"), 1234.5);
        assert_eq!(number("5e-05"), 5e-5);
        assert_eq!(number("-3"), -3.0);
        assert_eq!(Value::parse("N/A"), Value::Missing);
        assert_eq!(Value::parse(""), Value::Missing);
        assert_eq!(Value::parse("False"), Value::Bool(false));
        assert_eq!(Value::parse("true"), Value::Bool(true));
        assert_eq!(
            Value::parse("20260130_015912"),
            Value::Text("20260130_015912".into())
        );
        assert_eq!(Value::parse("1024x1024"), Value::Text("1024x1024".into()));
        assert_eq!(Value::parse("50-1000"), Value::Text("50-1000".into()));
        assert_eq!(Value::parse("NaN"), Value::Text("NaN".into()));
        assert_eq!(Value::parse("inf"), Value::Text("inf".into()));
        assert_eq!(Value::parse("1,2"), Value::Text("1,2".into()));
    }

    #[test]
    fn keeps_the_written_form() {
        let Value::Number(n) = Value::parse("230.00") else {
            panic!()
        };
        assert_eq!(n.text, "230.00");
        assert_eq!(n.decimals(), 2);
        assert_eq!(Number::computed(1768.38 - 230.00, 2).text, "1538.38");
        assert_eq!(Value::parse("268,098,176").to_text(), "268098176");
    }
}
