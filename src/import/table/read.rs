//! Reading a table's bytes: CSV (or tab-separated values), or JSON objects, by what the text
//! starts with.

use super::delimited::read_delimited;
use super::error::ReadError;
use super::json_lines::read_json_lines;
use super::wide::WideTable;

/// The table in `bytes`; a file without rows is an error.
pub(super) fn read(bytes: &[u8]) -> Result<WideTable, ReadError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ReadError::Empty);
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let line = 1 + bytes[..e.valid_up_to()]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        ReadError::NotUtf8 { line }
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let table = if text.trim_start().starts_with(['{', '[']) {
        read_json_lines(text)?
    } else {
        read_delimited(text)?
    };
    if table.rows.is_empty() {
        return Err(if table.header.is_empty() {
            ReadError::NoRows
        } else {
            ReadError::HeaderOnly
        });
    }
    Ok(table)
}
