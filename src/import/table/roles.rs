//! What each column of a table is: the GPU, the time, config (a sweep field, an index, text,
//! or named so), or a metric with its unit; and which columns say that a row failed.

use std::collections::HashMap;

use super::cell::Cell;
use super::error::OptionError;
use super::units::unit_from_name;
use super::wide::WideTable;
use crate::results::SWEEP_FIELDS;

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Role {
    /// The GPU's name.
    Gpu,
    /// The run's time.
    Time,
    Config {
        field: String,
    },
    Metric {
        field: String,
        unit: String,
    },
}

impl Role {
    /// The row name a config or metric column becomes.
    fn field(&self) -> Option<&str> {
        match self {
            Role::Config { field } | Role::Metric { field, .. } => Some(field),
            Role::Gpu | Role::Time => None,
        }
    }
}

/// Rows every imported run gets from benchanim itself.
pub(super) const WRITTEN_HERE: [&str; 6] = [
    "device_sanitized",
    "source_file",
    "source_sha256",
    "source_line",
    "timestamp_original",
    "aggregate",
];

/// Columns that number rows or runs: config, never a measurement to average.
const INDEX_COLUMNS: [&str; 6] = ["run", "iteration", "idx", "id", "index", "run_id"];

/// The role of each column. `renamed` columns become config under their new name, `explicit`
/// ones (named with `--config` or `--group-by`, or by a known layout) config; `grouping`:
/// runs are made of groups of rows, so a column may not be named `runs`.
pub(super) fn roles(
    table: &WideTable,
    renamed: &HashMap<usize, String>,
    explicit: &[usize],
    grouping: bool,
) -> Result<Vec<Role>, OptionError> {
    let mut roles = Vec::new();
    for (i, column) in table.columns.iter().enumerate() {
        let field = renamed.get(&i).unwrap_or(&column.name).clone();
        let role = match field.as_str() {
            "device" | "gpu" => Role::Gpu,
            "timestamp" => Role::Time,
            _ if WRITTEN_HERE.contains(&field.as_str()) || (grouping && field == "runs") => {
                return Err(OptionError::WrittenHere {
                    column: column.name.clone(),
                    field,
                });
            }
            _ if explicit.contains(&i)
                || SWEEP_FIELDS.contains(&field.as_str())
                || INDEX_COLUMNS.contains(&field.to_ascii_lowercase().as_str())
                || failure_column(&field).is_some() =>
            {
                Role::Config { field }
            }
            _ if table.rows.iter().any(|r| r.cells[i].is_numeric()) => Role::Metric {
                unit: unit_from_name(&field).to_string(),
                field,
            },
            _ => Role::Config { field },
        };
        roles.push(role);
    }
    if !roles.iter().any(|r| matches!(r, Role::Metric { .. })) {
        return Err(OptionError::NoMetrics {
            columns: table.names(),
        });
    }
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (i, role) in roles.iter().enumerate() {
        let Some(field) = role.field() else {
            continue;
        };
        if let Some(j) = seen.insert(field, i) {
            return Err(OptionError::SameField {
                first: table.columns[j].name.clone(),
                second: table.columns[i].name.clone(),
                field: field.to_string(),
            });
        }
    }
    Ok(roles)
}

/// The column named `name`, else the column whose row is named `name`.
pub(super) fn field_index(table: &WideTable, roles: &[Role], name: &str) -> Option<usize> {
    table
        .column(name)
        .or_else(|| roles.iter().position(|r| r.field() == Some(name)))
}

/// Whether a config or metric column becomes the row `name`.
pub(super) fn has_field(roles: &[Role], name: &str) -> bool {
    roles.iter().any(|r| r.field() == Some(name))
}

/// Whether a config column becomes the row `name`.
pub(super) fn has_config(roles: &[Role], name: &str) -> bool {
    roles
        .iter()
        .any(|r| matches!(r, Role::Config { field } if field == name))
}

/// Sets the unit of the metric `name` (a column, or the row a column becomes); an error when
/// the unit was `given` (`--unit`) for a column that is not a metric, or for no column.
pub(super) fn set_unit(
    table: &WideTable,
    roles: &mut [Role],
    name: &str,
    unit: &str,
    given: bool,
) -> Result<(), OptionError> {
    match field_index(table, roles, name).map(|i| &mut roles[i]) {
        Some(Role::Metric { unit: u, .. }) => {
            *u = unit.to_string();
            Ok(())
        }
        Some(_) if given => Err(OptionError::UnitOfConfig {
            name: name.to_string(),
            unit: unit.to_string(),
        }),
        None if given => Err(OptionError::UnitOfNoColumn {
            name: name.to_string(),
            unit: unit.to_string(),
            columns: table.names(),
        }),
        _ => Ok(()),
    }
}

/// What marks a failed row in a column.
pub(super) enum FailedIf {
    /// `--failed-if COL=VALUE`: the cell reads VALUE.
    Equals(String),
    /// A recognised `success`/`ok`/`error` column's own rule.
    Rule(fn(&Cell) -> bool),
}

impl FailedIf {
    pub(super) fn failed(&self, cell: &Cell) -> bool {
        match self {
            FailedIf::Equals(value) => cell.text().trim().eq_ignore_ascii_case(value.trim()),
            FailedIf::Rule(rule) => rule(cell),
        }
    }
}

/// Columns that say whether a row's request succeeded: (name, whether its value means failure).
pub(super) fn failure_column(name: &str) -> Option<fn(&Cell) -> bool> {
    fn falsy(cell: &Cell) -> bool {
        match cell {
            Cell::Bool(b) => !b,
            Cell::Number(x, _) => *x == 0.0,
            Cell::Text(t) => matches!(
                t.trim().to_ascii_lowercase().as_str(),
                "false" | "no" | "fail" | "failed"
            ),
            _ => false,
        }
    }
    fn error_given(cell: &Cell) -> bool {
        match cell {
            Cell::Missing => false,
            Cell::Bool(b) => *b,
            Cell::Number(x, _) => *x != 0.0,
            Cell::Text(t) => !matches!(
                t.trim().to_ascii_lowercase().as_str(),
                "" | "none" | "null" | "false" | "no"
            ),
            Cell::NonFinite(_) => true,
        }
    }
    match name.to_ascii_lowercase().as_str() {
        "success" | "ok" | "succeeded" | "successful" => Some(falsy),
        "error" | "errors" | "error_message" | "failed" | "failure" => Some(error_given),
        _ => None,
    }
}
