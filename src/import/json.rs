//! Reading the JSON other tools write: one document, JSON lines, or an array of results, with
//! Python's `NaN` and `Infinity` (which `json.dump` writes and JSON does not allow) read as
//! values to refuse by name rather than as a syntax error somewhere in the file.

use serde_json::Value as Json;

use super::source::sha256_hex;

/// Why a file holds no JSON value an importer can read; the message does not name the file
/// (the caller knows it).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DocumentError {
    #[error("the file is empty")]
    Empty,
    /// `byte`: 1-based.
    #[error("not UTF-8 text (byte {byte} is not), so not JSON")]
    NotUtf8 { byte: usize },
    #[error("not valid JSON: {0}")]
    NotJson(String),
    #[error("holds no JSON values (an empty array)")]
    NoValues,
    /// `line`: 1-based, where the value goes one level too deep.
    #[error(
        "nested more than {MAX_JSON_DEPTH} levels deep (line {line}); refused, as no benchmark tool writes such JSON"
    )]
    TooDeep { line: usize },
    /// `what`: what the file should be (`an llm-on-ray summary`).
    #[error("not {what} ({count} JSON values, not one object)")]
    NotOne { what: String, count: usize },
}

/// A field of a JSON object that cannot be what it should be: `` `field` is …``.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("`{field}` {problem}")]
pub struct FieldError {
    /// The field's key, or its whole path (`time_to_first_token.p99`).
    pub field: String,
    pub problem: FieldProblem,
}

/// What is wrong with a field's value.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FieldProblem {
    #[error("is {0}, out of range")]
    OutOfRange(String),
    #[error("is {0}, not a finite number")]
    NotFinite(String),
    #[error("is {0}, not a number")]
    NotANumber(String),
    #[error("is {0}, a negative measurement")]
    NegativeMeasurement(f64),
    #[error("is {0}, a negative setting")]
    NegativeSetting(f64),
    #[error("is {value}, out of range in {unit}")]
    OutOfRangeIn { value: f64, unit: String },
    #[error("is {0}, not a request rate")]
    NotARequestRate(String),
    #[error("is {0}, not a time between 1970 and 2100")]
    SecondsOutOfRange(f64),
    #[error("is {seconds}, not a time: {why}")]
    NotSeconds { seconds: f64, why: String },
    #[error("is `{0}`, not a date and time")]
    NotADateTime(String),
    #[error("is in {0}, not between 1970 and 2100")]
    YearOutOfRange(i16),
}

impl FieldProblem {
    /// The problem of the field `field`.
    pub fn of(self, field: &str) -> FieldError {
        FieldError {
            field: field.to_string(),
            problem: self,
        }
    }
}

impl FieldError {
    /// The error told about the whole `path` the field is at.
    pub fn at_path(self, path: &[&str]) -> FieldError {
        self.problem.of(&path.join("."))
    }
}

/// One value of a JSON file and the SHA-256 of the text it came from: its document without the
/// whitespace around it (the whole file as tools write it; one line of JSON lines; an array's
/// items share the array's), so appending a run to a file (`--append-result`) leaves the
/// earlier runs' identity as it was.
#[derive(Debug, Clone)]
pub struct Document {
    pub value: Json,
    pub sha256: String,
    /// 1-based place among the file's values, for messages.
    pub index: usize,
}

/// The one JSON value in `bytes`; `what` says what it should be (`an llm-on-ray summary`).
pub fn one_document(bytes: &[u8], what: &str) -> Result<Document, DocumentError> {
    let mut docs = json_documents(bytes)?;
    if docs.len() != 1 {
        return Err(DocumentError::NotOne {
            what: what.to_string(),
            count: docs.len(),
        });
    }
    Ok(docs.remove(0))
}

/// Every JSON value in `bytes`: one document, a JSON array's items, or JSON lines. Errors say
/// what is wrong without naming the file (the caller knows it).
pub fn json_documents(bytes: &[u8]) -> Result<Vec<Document>, DocumentError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(DocumentError::Empty);
    }
    let text = std::str::from_utf8(bytes).map_err(|e| DocumentError::NotUtf8 {
        byte: e.valid_up_to() + 1,
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    within_depth(text)?;
    let text = quote_non_finite(text);
    let mut stream = serde_json::Deserializer::from_str(&text).into_iter::<Json>();
    let mut docs: Vec<(Json, &str)> = Vec::new();
    loop {
        let start = stream.byte_offset();
        match stream.next() {
            None => break,
            Some(Ok(value)) => docs.push((value, text[start..stream.byte_offset()].trim())),
            Some(Err(e)) => return Err(DocumentError::NotJson(e.to_string())),
        }
    }
    let mut out = Vec::new();
    for (value, raw) in docs {
        let sha256 = sha256_hex(raw.as_bytes());
        match value {
            Json::Array(items) => out.extend(items.into_iter().map(|value| Document {
                value,
                sha256: sha256.clone(),
                index: 0,
            })),
            value => out.push(Document {
                value,
                sha256,
                index: 0,
            }),
        }
    }
    if out.is_empty() {
        return Err(DocumentError::NoValues);
    }
    for (i, d) in out.iter_mut().enumerate() {
        d.index = i + 1;
    }
    Ok(out)
}

/// How deeply arrays and objects may nest in JSON an importer reads: results nest a few
/// levels; far below serde_json's own limit, so that this message, naming the limit, is the
/// one a user sees.
pub const MAX_JSON_DEPTH: usize = 64;

/// `text`'s arrays and objects nest at most `MAX_JSON_DEPTH` deep; else the line where they go
/// deeper. Read before parsing, so a hostile file costs one pass over its bytes.
pub(super) fn within_depth(text: &str) -> Result<(), DocumentError> {
    let (mut depth, mut line, mut in_string, mut escaped) = (0usize, 1, false, false);
    for &b in text.as_bytes() {
        if b == b'\n' {
            line += 1;
        }
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_JSON_DEPTH {
                    return Err(DocumentError::TooDeep { line });
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

/// Python writes `NaN`, `Infinity` and `-Infinity` bare; they become the strings `"NaN"`,
/// `"Infinity"` and `"-Infinity"`, which the number readers refuse by field name.
pub(super) fn quote_non_finite(text: &str) -> std::borrow::Cow<'_, str> {
    const TOKENS: [&str; 3] = ["-Infinity", "Infinity", "NaN"];
    let bytes = text.as_bytes();
    let mut out: Option<String> = None;
    let mut copied = 0;
    let mut in_string = false;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if in_string {
            match b {
                b'\\' => i += 1,
                b'"' => in_string = false,
                _ => {}
            }
            i += 1;
            continue;
        }
        if b == b'"' {
            in_string = true;
            i += 1;
            continue;
        }
        let boundary_before = i == 0 || !bytes[i - 1].is_ascii_alphanumeric();
        let token = TOKENS.iter().find(|t| {
            boundary_before
                && bytes[i..].starts_with(t.as_bytes())
                && bytes
                    .get(i + t.len())
                    .is_none_or(|c| !c.is_ascii_alphanumeric())
        });
        match token {
            Some(t) => {
                let s = out.get_or_insert_with(String::new);
                s.push_str(&text[copied..i]);
                s.push('"');
                s.push_str(t);
                s.push('"');
                i += t.len();
                copied = i;
            }
            None => i += 1,
        }
    }
    match out {
        Some(mut s) => {
            s.push_str(&text[copied..]);
            std::borrow::Cow::Owned(s)
        }
        None => std::borrow::Cow::Borrowed(text),
    }
}

/// What a numeric field of a JSON object holds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Number {
    Absent,
    /// `null`: the tool did not measure it.
    Null,
    /// A finite number and how many decimals it was written with.
    Value(f64, usize),
}

/// How many decimals `text` (a number as written) has; exponent forms get 6.
pub(super) fn decimals_of(text: &str) -> usize {
    if text.contains(['e', 'E']) {
        return 6;
    }
    text.split_once('.')
        .map_or(0, |(_, frac)| frac.len())
        .min(9)
}

/// A short, printable rendering of a JSON value for messages.
pub fn shown(value: &Json) -> String {
    let text = value.to_string();
    if text.chars().count() > 40 {
        format!("{}…", text.chars().take(40).collect::<String>())
    } else {
        text
    }
}

/// The number at `key`: a JSON number or a numeric string. NaN, infinities, other text and
/// other types are an error naming the field and the value.
pub fn number(v: &Json, key: &str) -> Result<Number, FieldError> {
    let Some(value) = v.get(key) else {
        return Ok(Number::Absent);
    };
    match value {
        Json::Null => Ok(Number::Null),
        Json::Number(n) => {
            let x = n
                .as_f64()
                .filter(|x| x.is_finite())
                .ok_or_else(|| FieldProblem::OutOfRange(n.to_string()).of(key))?;
            Ok(Number::Value(x, decimals_of(&n.to_string())))
        }
        Json::String(s) => {
            let t = s.trim();
            let lower = t.to_ascii_lowercase();
            let bare = lower.trim_start_matches(['+', '-']);
            if matches!(bare, "nan" | "inf" | "infinity") {
                return Err(FieldProblem::NotFinite(t.to_string()).of(key));
            }
            match t.parse::<f64>() {
                Ok(x) if x.is_finite() => Ok(Number::Value(x, decimals_of(t))),
                Ok(_) => Err(FieldProblem::NotFinite(t.to_string()).of(key)),
                Err(_) => Err(FieldProblem::NotANumber(shown(value)).of(key)),
            }
        }
        other => Err(FieldProblem::NotANumber(shown(other)).of(key)),
    }
}

/// A measurement at `key`: a finite number that is not negative; `None` when absent or null.
pub fn measurement(v: &Json, key: &str) -> Result<Option<(f64, usize)>, FieldError> {
    match number(v, key)? {
        Number::Value(x, _) if x < 0.0 => Err(FieldProblem::NegativeMeasurement(x).of(key)),
        Number::Value(x, d) => Ok(Some((x, d))),
        Number::Absent | Number::Null => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_non_finite_numbers_become_strings_outside_strings_only() {
        assert_eq!(
            quote_non_finite(r#"{"a": NaN, "b": -Infinity, "c": "NaN x", "d": [Infinity]}"#),
            r#"{"a": "NaN", "b": "-Infinity", "c": "NaN x", "d": ["Infinity"]}"#
        );
        assert_eq!(quote_non_finite(r#"{"a\"NaN": 1}"#), r#"{"a\"NaN": 1}"#);
        let docs = json_documents(br#"{"x": NaN}"#).unwrap();
        assert_eq!(
            number(&docs[0].value, "x").unwrap_err().to_string(),
            "`x` is NaN, not a finite number"
        );
    }

    #[test]
    fn nesting_is_refused_past_the_limit_naming_the_line() {
        let at_limit = format!(
            "{}{}",
            "[".repeat(MAX_JSON_DEPTH),
            "]".repeat(MAX_JSON_DEPTH)
        );
        assert!(json_documents(at_limit.as_bytes()).is_ok());
        // Brackets in strings do not nest.
        let quoted = format!("{{\"a\": \"{}\\\"[\"}}", "[".repeat(200));
        assert!(json_documents(quoted.as_bytes()).is_ok());
        let deep = format!("{{\"a\": 1}}\n{}", "[{\"a\":".repeat(100_000));
        assert_eq!(
            json_documents(deep.as_bytes()).unwrap_err(),
            DocumentError::TooDeep { line: 2 }
        );
        assert_eq!(
            DocumentError::TooDeep { line: 2 }.to_string(),
            "nested more than 64 levels deep (line 2); refused, as no benchmark tool writes such JSON"
        );
    }

    #[test]
    fn json_lines_are_hashed_one_by_one_and_a_document_as_its_text() {
        let one = json_documents(b"{\"a\": 1}\n").unwrap();
        assert_eq!(one[0].sha256, sha256_hex(b"{\"a\": 1}"));
        let lines = json_documents(b"{\"a\": 1}\n{\"a\": 2}\n").unwrap();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].sha256, sha256_hex(b"{\"a\": 1}"));
        assert_eq!(lines[1].index, 2);
        let items = json_documents(b"[{\"a\": 1}, {\"a\": 2}]").unwrap();
        assert_eq!(items[0].sha256, items[1].sha256);
    }

    #[test]
    fn numbers_keep_their_decimals_and_refuse_what_is_not_one() {
        let v: Json = serde_json::json!({"a": 0.897, "b": "12", "c": true, "d": -1, "e": "inf"});
        assert_eq!(number(&v, "a").unwrap(), Number::Value(0.897, 3));
        assert_eq!(number(&v, "b").unwrap(), Number::Value(12.0, 0));
        assert_eq!(
            number(&v, "c").unwrap_err().to_string(),
            "`c` is true, not a number"
        );
        assert_eq!(number(&v, "z").unwrap(), Number::Absent);
        assert!(
            measurement(&v, "d")
                .unwrap_err()
                .to_string()
                .contains("negative")
        );
        assert_eq!(
            number(&v, "e").unwrap_err().to_string(),
            "`e` is inf, not a finite number"
        );
    }
}
