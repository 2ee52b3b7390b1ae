//! Reading JSON rows: JSON lines (one object per line), a JSON array of objects, or one
//! object. Nested objects' keys become `outer.inner` columns; every key any row has is a column.

use std::collections::HashMap;

use serde_json::Value as Json;

use super::cell::{At, Cell};
use super::error::ReadError;
use super::wide::{Column, MAX_COLUMNS, TableRow, WideTable, check_name};
use crate::import::json::{quote_non_finite, within_depth};

/// The cells an object has, by column.
type Sparse = Vec<(usize, Cell)>;

/// The table in `text`, JSON objects.
pub(super) fn read_json_lines(text: &str) -> Result<WideTable, ReadError> {
    within_depth(text).map_err(ReadError::TooDeep)?;
    let text = quote_non_finite(text);
    let mut stream = serde_json::Deserializer::from_str(&text).into_iter::<Json>();
    let mut rows = Rows::default();
    let (mut line, mut counted, mut items) = (1, 0, 0);
    loop {
        let start = stream.byte_offset();
        let Some(next) = stream.next() else { break };
        let value = next.map_err(|e| ReadError::NotJson(e.to_string()))?;
        let end = stream.byte_offset();
        let chunk = &text[start..end];
        let lead = chunk.len() - chunk.trim_start().len();
        line += text[counted..start + lead].matches('\n').count();
        counted = start + lead;
        match &value {
            Json::Array(list) => {
                for item in list {
                    items += 1;
                    rows.add(item, At::Item(items), item.to_string())?;
                }
            }
            _ => rows.add(&value, At::Line(line), chunk.trim().to_string())?,
        }
    }
    Ok(rows.into_table())
}

/// The rows read so far, and the columns their keys make.
#[derive(Default)]
struct Rows {
    columns: Vec<Column>,
    /// Each column's place, by name.
    index: HashMap<String, usize>,
    /// Each row's cells by column, as its object gave them.
    rows: Vec<(At, Sparse, String)>,
}

impl Rows {
    /// Adds the object `value`, read at `at` from the text `raw`.
    fn add(&mut self, value: &Json, at: At, raw: String) -> Result<(), ReadError> {
        let Json::Object(object) = value else {
            return Err(ReadError::NotAnObject {
                at,
                kind: kind_of(value),
            });
        };
        let mut flat = Vec::new();
        flatten("", object, at, &mut flat)?;
        let mut seen = std::collections::HashSet::new();
        if let Some((key, _)) = flat.iter().find(|(key, _)| !seen.insert(key.as_str())) {
            return Err(ReadError::KeysCollide {
                at,
                key: key.escape_debug().to_string(),
            });
        }
        let mut cells = Vec::new();
        for (key, cell) in flat {
            let i = match self.index.get(&key) {
                Some(&i) => i,
                None => self.new_column(key, at)?,
            };
            cells.push((i, cell));
        }
        self.rows.push((at, cells, raw));
        Ok(())
    }

    /// The place of a column for `key`, first seen at `at`.
    fn new_column(&mut self, key: String, at: At) -> Result<usize, ReadError> {
        check_name(&key).map_err(|problem| ReadError::BadKey {
            at,
            key: key.escape_debug().to_string(),
            problem,
        })?;
        if self.columns.len() == MAX_COLUMNS {
            return Err(ReadError::TooManyKeys { at });
        }
        self.index.insert(key.clone(), self.columns.len());
        self.columns.push(Column {
            name: key,
            number: 0,
        });
        Ok(self.columns.len() - 1)
    }

    /// The table, a cell for every column in every row (missing where the object had none).
    fn into_table(self) -> WideTable {
        let width = self.columns.len();
        let rows = self
            .rows
            .into_iter()
            .map(|(at, set, raw)| {
                let mut cells = vec![Cell::Missing; width];
                for (i, cell) in set {
                    cells[i] = cell;
                }
                TableRow { at, cells, raw }
            })
            .collect();
        WideTable {
            columns: self.columns,
            rows,
            header: String::new(),
        }
    }
}

fn kind_of(value: &Json) -> &'static str {
    match value {
        Json::Null => "null",
        Json::Bool(_) => "a boolean",
        Json::Number(_) => "a number",
        Json::String(_) => "a string",
        Json::Array(_) => "a list",
        Json::Object(_) => "an object",
    }
}

/// An object's values by key, nested objects' keys joined with `.`.
fn flatten(
    prefix: &str,
    object: &serde_json::Map<String, Json>,
    at: At,
    out: &mut Vec<(String, Cell)>,
) -> Result<(), ReadError> {
    for (key, value) in object {
        let key = if prefix.is_empty() {
            key.trim().to_string()
        } else {
            format!("{prefix}.{}", key.trim())
        };
        if key.is_empty() {
            return Err(ReadError::UnnamedKey { at });
        }
        match value {
            Json::Object(inner) => flatten(&key, inner, at, out)?,
            Json::Array(_) => {
                return Err(ReadError::List {
                    at,
                    key: key.escape_debug().to_string(),
                });
            }
            other => out.push((key, Cell::of_json(other))),
        }
    }
    Ok(())
}
