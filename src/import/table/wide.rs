//! A wide table as read: named columns and rows of typed cells, each row with its place in the
//! file and its text (part of a run's identity).

use super::cell::{At, Cell};

/// No table anyone charts has this many columns; more is a mistake (or garbage).
pub const MAX_COLUMNS: usize = 4096;

#[derive(Debug)]
pub(super) struct Column {
    pub name: String,
    /// 1-based place in a CSV header (for messages); 0 for JSON keys.
    pub number: usize,
}

#[derive(Debug)]
pub(super) struct TableRow {
    pub at: At,
    pub cells: Vec<Cell>,
    /// The row's text as read, for its identity.
    pub raw: String,
}

/// A table read from a CSV or JSON lines file: every row has a cell for every column.
#[derive(Debug)]
pub(super) struct WideTable {
    pub columns: Vec<Column>,
    pub rows: Vec<TableRow>,
    /// The header line of a CSV file (empty for JSON), part of each run's identity.
    pub header: String,
}

impl WideTable {
    /// `line 7, column 3 (`latency`)` or `line 7, key `latency``.
    pub fn place(&self, row: &TableRow, col: usize) -> String {
        let c = &self.columns[col];
        if c.number > 0 {
            format!("{}, column {} (`{}`)", row.at, c.number, c.name)
        } else {
            format!("{}, key `{}`", row.at, c.name)
        }
    }

    /// Every column's name, joined by `, `.
    pub fn names(&self) -> String {
        let names: Vec<&str> = self.columns.iter().map(|c| c.name.as_str()).collect();
        names.join(", ")
    }

    /// The place of the column named `name`.
    pub fn column(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.name == name)
    }
}

/// Why a name cannot be a row name of a result file.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum NameProblem {
    #[error("starts with `#`, which starts a comment in a result file")]
    Comment,
    #[error("holds a line break or control character")]
    ControlCharacter,
    #[error("is longer than 200 characters")]
    TooLong,
}

/// A column name must be able to be a row name of a result file.
pub(super) fn check_name(name: &str) -> Result<(), NameProblem> {
    if name.starts_with('#') {
        Err(NameProblem::Comment)
    } else if name.chars().any(char::is_control) {
        Err(NameProblem::ControlCharacter)
    } else if name.chars().count() > 200 {
        Err(NameProblem::TooLong)
    } else {
        Ok(())
    }
}

impl WideTable {
    /// The value of column `i` shared by `rows`, or `None` when they differ.
    pub fn shared(&self, rows: &[usize], i: usize) -> Option<&Cell> {
        let first = &self.rows[rows[0]].cells[i];
        rows.iter()
            .all(|&r| self.rows[r].cells[i].text() == first.text())
            .then_some(first)
    }
}
