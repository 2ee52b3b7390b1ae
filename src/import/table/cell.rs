//! One cell of a table, typed (missing, a number as written, a boolean, text, or a number that
//! is not finite), and where its row is in the file.

use serde_json::Value as Json;

use crate::results::{Number, Value};

/// One cell, typed.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Cell {
    /// Empty, `N/A`, `NA`, Python's `None`, JSON's `null`: not measured.
    Missing,
    /// A finite number and the text it was written as.
    Number(f64, String),
    Bool(bool),
    Text(String),
    /// `NaN`, `inf`, `-Infinity`, or a number too big for a float.
    NonFinite(String),
}

impl Cell {
    pub(super) fn of_text(raw: &str) -> Cell {
        let s = raw.trim();
        if s.is_empty() || matches!(s, "None" | "null") {
            return Cell::Missing;
        }
        let bare = s.trim_start_matches(['+', '-']).to_ascii_lowercase();
        if matches!(bare.as_str(), "nan" | "inf" | "infinity") {
            return Cell::NonFinite(s.to_string());
        }
        match Value::parse(s) {
            Value::Missing => Cell::Missing,
            Value::Number(n) if n.value.is_finite() => Cell::Number(n.value, n.text),
            Value::Number(n) => Cell::NonFinite(n.text),
            Value::Bool(b) => Cell::Bool(b),
            Value::Text(t) => Cell::Text(t),
        }
    }

    pub(super) fn of_json(v: &Json) -> Cell {
        match v {
            Json::Null => Cell::Missing,
            Json::Bool(b) => Cell::Bool(*b),
            Json::Number(n) => match n.as_f64() {
                Some(x) if x.is_finite() => Cell::Number(x, n.to_string()),
                _ => Cell::NonFinite(n.to_string()),
            },
            Json::String(s) => Cell::of_text(s),
            // Lists and objects are refused or flattened before.
            other => Cell::Text(other.to_string()),
        }
    }

    pub(super) fn is_numeric(&self) -> bool {
        matches!(self, Cell::Number(..) | Cell::NonFinite(_))
    }

    /// The cell as written, for messages and templates.
    pub(super) fn text(&self) -> String {
        match self {
            Cell::Missing => String::new(),
            Cell::Number(_, t) | Cell::Text(t) | Cell::NonFinite(t) => t.clone(),
            Cell::Bool(b) => if *b { "True" } else { "False" }.to_string(),
        }
    }

    /// The cell, short enough for a message, on one line.
    pub(super) fn shown(&self) -> String {
        let text = one_line(&self.text());
        if text.chars().count() > 40 {
            format!("`{}…`", text.chars().take(40).collect::<String>())
        } else {
            format!("`{text}`")
        }
    }

    /// The cell as a config value of a result file (one line of text).
    pub(super) fn value(&self) -> Value {
        match self {
            Cell::Missing => Value::Missing,
            Cell::Number(x, t) => Value::Number(Number {
                value: *x,
                text: t.clone(),
            }),
            Cell::Bool(b) => Value::Bool(*b),
            Cell::Text(t) | Cell::NonFinite(t) => Value::Text(one_line(t)),
        }
    }
}

/// Text with its line breaks and other control characters turned into single spaces: a result
/// file holds one row per line.
pub(super) fn one_line(text: &str) -> String {
    if !text.chars().any(char::is_control) {
        return text.to_string();
    }
    text.split(char::is_control)
        .filter(|part| !part.trim().is_empty())
        .map(str::trim)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Where a row is in its file.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum At {
    Line(usize),
    /// The n-th object of a JSON array.
    Item(usize),
}

impl std::fmt::Display for At {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        match self {
            At::Line(n) => write!(f, "line {n}"),
            At::Item(n) => write!(f, "item {n}"),
        }
    }
}
