//! Reading CSV, or tab-separated values when the header has tabs and no commas: a header row of
//! column names (pandas' unnamed index column left out), then rows of as many cells.

use super::cell::{At, Cell};
use super::error::ReadError;
use super::wide::{Column, MAX_COLUMNS, TableRow, WideTable, check_name};

/// One record of the file: its 1-based line, its byte offset and its cells as written.
type Record = (usize, usize, Vec<String>);

/// The table in `text`, a CSV or TSV file.
pub(super) fn read_delimited(text: &str) -> Result<WideTable, ReadError> {
    let records = records(text)?;
    let raw = |i: usize| -> String {
        let start = records[i].1.min(text.len());
        let end = records
            .get(i + 1)
            .map_or(text.len(), |r| r.1)
            .clamp(start, text.len());
        text.get(start..end)
            .unwrap_or_default()
            .trim_end()
            .to_string()
    };
    let Some((header_line, _, header)) = records.first() else {
        return Err(ReadError::Empty);
    };
    let (columns, skip_index) = columns(*header_line, header)?;
    let width = header.len();
    let mut rows = Vec::new();
    for (i, (line, _, cells)) in records.iter().enumerate().skip(1) {
        if cells.len() != width {
            return Err(wrong_width(text, &records, i));
        }
        let cells = cells
            .iter()
            .skip(usize::from(skip_index))
            .map(|c| Cell::of_text(c))
            .collect();
        rows.push(TableRow {
            at: At::Line(*line),
            cells,
            raw: raw(i),
        });
    }
    Ok(WideTable {
        columns,
        rows,
        header: raw(0),
    })
}

/// The records of `text` but blank lines, split at commas, or at tabs when the header has
/// tabs and no commas.
fn records(text: &str) -> Result<Vec<Record>, ReadError> {
    let header = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let delimiter = if header.contains('\t') && !header.contains(',') {
        b'\t'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut records: Vec<Record> = Vec::new();
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                let (line, byte) = record
                    .position()
                    .map_or((0, 0), |p| (p.line() as usize, p.byte() as usize));
                // A line of only spaces is a blank line.
                if record.len() == 1 && record[0].trim().is_empty() {
                    continue;
                }
                records.push((line, byte, record.iter().map(str::to_string).collect()));
            }
            Err(e) => return Err(ReadError::NotCsv(e.to_string())),
        }
    }
    Ok(records)
}

/// The columns the header at `line` names, and whether its first cell is pandas' index (a
/// first column without a name), left out.
fn columns(line: usize, header: &[String]) -> Result<(Vec<Column>, bool), ReadError> {
    if header.len() > MAX_COLUMNS {
        return Err(ReadError::TooManyColumns {
            line,
            count: header.len(),
        });
    }
    let mut columns = Vec::new();
    // pandas' `to_csv()` writes its index as a first column without a name.
    let skip_index = header.len() > 1 && header[0].trim().is_empty();
    for (i, name) in header.iter().enumerate() {
        let name = name.trim();
        if i == 0 && skip_index {
            continue;
        }
        if name.is_empty() {
            return Err(ReadError::UnnamedColumn {
                line,
                column: i + 1,
            });
        }
        check_name(name).map_err(|problem| ReadError::BadColumnName {
            line,
            name: name.escape_debug().to_string(),
            problem,
        })?;
        if let Some(c) = columns.iter().find(|c: &&Column| c.name == name) {
            return Err(ReadError::SameColumnName {
                line,
                first: c.number,
                second: i + 1,
                name: name.to_string(),
            });
        }
        columns.push(Column {
            name: name.to_string(),
            number: i + 1,
        });
    }
    Ok((columns, skip_index))
}

/// Why record `i` has more or fewer cells than the header: a quote opened and never closed
/// takes the rest of the file into one cell.
fn wrong_width(text: &str, records: &[Record], i: usize) -> ReadError {
    let (line, _, cells) = &records[i];
    let width = records[0].2.len();
    if let Some(k) = cells.iter().position(|c| c.contains('\n')) {
        let last_line = records.get(i + 1).map_or(text.lines().count(), |r| r.0 - 1);
        return ReadError::OpenQuote {
            line: *line,
            column: k + 1,
            last_line,
        };
    }
    ReadError::CellCount {
        line: *line,
        cells: cells.len(),
        width,
    }
}
