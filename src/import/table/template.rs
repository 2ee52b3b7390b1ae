//! How runs are named: the family (`--family`, a known layout's, else the file's name) and the
//! `--name` template of `{COLUMN}`s filled in from each run.

use std::path::Path;

use super::error::TemplateError;
use super::roles::{Role, field_index};
use super::wide::WideTable;
use crate::results::{Value, sanitize};

/// A part of a `--name` template.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Piece {
    Text(String),
    Field(String),
}

/// The pieces of the template `text`: text, and `{COLUMN}` fields.
pub(super) fn parse_template(text: &str) -> Result<Vec<Piece>, TemplateError> {
    let mut pieces = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find(['{', '}']) {
        if rest[open..].starts_with('}') {
            return Err(TemplateError::CloseWithoutOpen(text.to_string()));
        }
        if open > 0 {
            pieces.push(Piece::Text(rest[..open].to_string()));
        }
        let after = &rest[open + 1..];
        let close = after
            .find('}')
            .ok_or_else(|| TemplateError::OpenWithoutClose(text.to_string()))?;
        let name = after[..close].trim();
        if name.is_empty() || name.contains('{') {
            return Err(TemplateError::NotAField {
                text: text.to_string(),
                found: after[..close].to_string(),
            });
        }
        pieces.push(Piece::Field(name.to_string()));
        rest = &after[close + 1..];
    }
    if !rest.is_empty() {
        pieces.push(Piece::Text(rest.to_string()));
    }
    Ok(pieces)
}

/// The template filled in for the run of `rows`, sanitized for a file name: a field is a
/// `--set` key's value (`sets`), else the value its column holds in every row of the run.
/// `grouping`: runs are groups of rows, whose metrics are averaged, so no name of a metric.
pub(super) fn render(
    template: &[Piece],
    sets: &[(String, Value)],
    table: &WideTable,
    roles: &[Role],
    grouping: bool,
    rows: &[usize],
) -> Result<String, TemplateError> {
    let mut out = String::new();
    for piece in template {
        match piece {
            Piece::Text(t) => out.push_str(t),
            Piece::Field(name) => {
                if let Some((_, v)) = sets.iter().find(|(k, _)| k == name) {
                    out.push_str(&v.to_text());
                    continue;
                }
                let Some(i) = field_index(table, roles, name) else {
                    continue;
                };
                if grouping && matches!(roles[i], Role::Metric { .. }) {
                    return Err(TemplateError::Metric(name.clone()));
                }
                match table.shared(rows, i) {
                    Some(cell) => out.push_str(&cell.text()),
                    None => {
                        return Err(TemplateError::DiffersInGroup {
                            name: name.clone(),
                            at: table.rows[rows[0]].at,
                        });
                    }
                }
            }
        }
    }
    Ok(sanitize(&out))
}

/// The family a table without one is filed under: its file's name without the time in it
/// (`benchmark_results_20250401_145415.csv` → `benchmark_results`).
pub(super) fn family_from_name(path: &Path) -> String {
    let stem = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default()
        .to_string();
    let mut words: Vec<&str> = stem.split(['_', '-', '.', ' ']).collect();
    // A date and a time of day, or the two run together.
    words.retain(|w| !(w.len() >= 6 && w.chars().all(|c| c.is_ascii_digit())));
    match sanitize(&words.join("_")) {
        name if name.is_empty() => "table".to_string(),
        name => name,
    }
}
