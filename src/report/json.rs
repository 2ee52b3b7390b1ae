//! The report as JSON, for programs: numbers as numbers, NA as null.

use serde::Serializer;
use serde::ser::SerializeSeq;

use super::Report;
use crate::results::Cell;

pub fn render(report: &Report) -> String {
    let mut s =
        serde_json::to_string_pretty(report).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    s.push('\n');
    s
}

/// Cells as their numeric values (`null` for NA).
pub fn cells<S: Serializer>(cells: &[Option<Cell>], serializer: S) -> Result<S::Ok, S::Error> {
    let mut seq = serializer.serialize_seq(Some(cells.len()))?;
    for cell in cells {
        seq.serialize_element(&cell.as_ref().map(|c| c.value))?;
    }
    seq.end()
}
