//! How a table's rows become runs, worked out once from the table and the options before any
//! row is read as a run: each column's role, the groups, the rows added to every run, the
//! family and name template, the GPU and time, and which rows failed.

use std::collections::HashMap;
use std::path::Path;

use super::cell::one_line;
use super::error::{OptionError, TableError, TemplateError};
use super::layout::Layout;
use super::options::{GroupCenter, TableImport};
use super::roles::{
    FailedIf, Role, WRITTEN_HERE, failure_column, has_config, has_field, roles, set_unit,
};
use super::template::{Piece, family_from_name, parse_template};
use super::time::parse_time;
use super::wide::{WideTable, check_name};
use crate::results::{Value, sanitize, sanitize_gpu_name};

pub(super) struct Plan {
    /// Which rows failed: a column and the test of its cell.
    pub failed: Vec<(usize, FailedIf)>,
    pub family: String,
    pub template: Vec<Piece>,
    pub roles: Vec<Role>,
    /// `--set KEY=VALUE` rows (and a known layout's model), added to every run.
    pub sets: Vec<(String, Value)>,
    /// The columns whose values make a group; empty for a run per row.
    pub group: Vec<usize>,
    /// What a group's metrics become; `None` for a run per row.
    pub center: Option<GroupCenter>,
    /// `--gpu-name`, else each run's `device` or `gpu` column.
    pub gpu: Option<String>,
    /// `--timestamp`, as `YYYYMMDD_HHMMSS`.
    pub timestamp: Option<String>,
}

impl Plan {
    /// The plan for `table`, read from `path` (for a known layout's model folder and the
    /// family), filed as `how` says.
    pub(super) fn new(
        table: &WideTable,
        how: &TableImport,
        path: &Path,
    ) -> Result<Plan, TableError> {
        let layout = Layout::of(table);
        let (renamed, mut explicit) = config_columns(table, how, layout)?;
        let group = group_columns(table, how, &mut explicit)?;
        let center = match (group.is_empty(), how.aggregate) {
            (true, Some(c)) => return Err(OptionError::CenterWithoutGroups(c).into()),
            (true, None) => None,
            (false, c) => Some(c.unwrap_or(GroupCenter::Mean)),
        };
        let mut roles = roles(table, &renamed, &explicit, center.is_some())?;
        // Units: the layout's, then --unit.
        if let Some(layout) = layout {
            for (name, unit) in layout.units {
                set_unit(table, &mut roles, name, unit, false)?;
            }
        }
        for entry in &how.units {
            let (name, unit) = split_pair("--unit", entry, "COLUMN=UNIT")?;
            set_unit(table, &mut roles, name, unit, true)?;
        }
        let mut sets = sets(how, &roles)?;
        if layout.is_some_and(|l| l.model_from_folder)
            && !has_model(&sets, &roles)
            && let Some(folder) = path
                .parent()
                .and_then(Path::file_name)
                .and_then(|n| n.to_str())
                .filter(|n| !sanitize(n).is_empty())
        {
            sets.push(("model".into(), Value::Text(folder.to_string())));
        }
        let family = match (&how.family, layout) {
            (Some(f), _) => f.clone(),
            (None, Some(layout)) => layout.family.to_string(),
            (None, None) => family_from_name(path),
        };
        let family = sanitize(&family);
        if family.is_empty() {
            return Err(OptionError::EmptyFamily.into());
        }
        let template = template(table, how, &group, &sets, &roles)?;
        let gpu = gpu(how, &roles)?;
        let timestamp = match &how.timestamp {
            Some(t) => Some(parse_time(t).ok_or_else(|| OptionError::NotATime(t.clone()))?),
            None => None,
        };
        Ok(Plan {
            failed: failed(table, how)?,
            family,
            template,
            gpu,
            timestamp,
            roles,
            sets,
            group,
            center,
        })
    }
}

/// The column `name`, named with `option`.
fn find(table: &WideTable, option: &'static str, name: &str) -> Result<usize, OptionError> {
    table.column(name).ok_or_else(|| OptionError::NoSuchColumn {
        option,
        name: name.to_string(),
        columns: table.names(),
    })
}

/// `KEY=VALUE`, trimmed; an error naming `option` and the form `expected` otherwise.
fn split_pair<'a>(
    option: &'static str,
    entry: &'a str,
    expected: &'static str,
) -> Result<(&'a str, &'a str), OptionError> {
    entry
        .split_once('=')
        .map(|(a, b)| (a.trim(), b.trim()))
        .filter(|(a, _)| !a.is_empty())
        .ok_or_else(|| OptionError::NotAPair {
            option,
            entry: entry.to_string(),
            expected,
        })
}

/// The columns that are config by name (the layout's and `--config`'s): their new names, and
/// every one of them.
fn config_columns(
    table: &WideTable,
    how: &TableImport,
    layout: Option<&Layout>,
) -> Result<(HashMap<usize, String>, Vec<usize>), OptionError> {
    let mut renamed: HashMap<usize, String> = HashMap::new();
    let mut explicit: Vec<usize> = Vec::new();
    if let Some(layout) = layout {
        for (from, to) in layout.renames {
            let i = find(table, "--config", from)?;
            renamed.insert(i, to.to_string());
            explicit.push(i);
        }
    }
    for entry in how
        .config
        .iter()
        .map(|e| e.trim())
        .filter(|e| !e.is_empty())
    {
        let (column, field) = match entry.split_once('=') {
            Some((c, f)) => (c.trim(), Some(f.trim())),
            None => (entry, None),
        };
        let i = find(table, "--config", column)?;
        if let Some(field) = field {
            if field.is_empty() {
                return Err(OptionError::ConfigWithoutField {
                    entry: entry.to_string(),
                });
            }
            check_name(field).map_err(|problem| OptionError::BadConfigName {
                entry: entry.to_string(),
                problem,
            })?;
            renamed.insert(i, field.to_string());
        }
        explicit.push(i);
    }
    Ok((renamed, explicit))
}

/// The `--group-by` columns, each once; they are config too (`explicit`).
fn group_columns(
    table: &WideTable,
    how: &TableImport,
    explicit: &mut Vec<usize>,
) -> Result<Vec<usize>, OptionError> {
    let mut group = Vec::new();
    for name in how
        .group_by
        .iter()
        .map(|g| g.trim())
        .filter(|g| !g.is_empty())
    {
        let i = find(table, "--group-by", name)?;
        if !group.contains(&i) {
            group.push(i);
        }
        explicit.push(i);
    }
    Ok(group)
}

/// The `--set` rows: keys that are neither written here nor a column's, each once.
fn sets(how: &TableImport, roles: &[Role]) -> Result<Vec<(String, Value)>, OptionError> {
    let mut sets: Vec<(String, Value)> = Vec::new();
    for entry in &how.set {
        let (key, value) = split_pair("--set", entry, "KEY=VALUE")?;
        check_name(key).map_err(|problem| OptionError::BadSetKey {
            entry: entry.clone(),
            problem,
        })?;
        let taken =
            ["device", "gpu", "timestamp", "runs"].contains(&key) || WRITTEN_HERE.contains(&key);
        if taken {
            return Err(OptionError::SetWrittenHere {
                entry: entry.clone(),
                key: key.to_string(),
            });
        }
        if has_field(roles, key) {
            return Err(OptionError::SetsAColumn {
                entry: entry.clone(),
                key: key.to_string(),
            });
        }
        if sets.iter().any(|(k, _)| k == key) {
            return Err(OptionError::SetTwice {
                key: key.to_string(),
            });
        }
        sets.push((key.to_string(), Value::parse(&one_line(value))));
    }
    Ok(sets)
}

/// Whether the runs have a `model`: a `--set` key or a config column.
fn has_model(sets: &[(String, Value)], roles: &[Role]) -> bool {
    sets.iter().any(|(k, _)| k == "model") || has_config(roles, "model")
}

/// The `--name` template, else the `--group-by` columns joined by `_`, else `{model}` when
/// there is a model; every field in it a column or a `--set` key.
fn template(
    table: &WideTable,
    how: &TableImport,
    group: &[usize],
    sets: &[(String, Value)],
    roles: &[Role],
) -> Result<Vec<Piece>, TemplateError> {
    let template = match &how.name {
        Some(name) => parse_template(name)?,
        None if !group.is_empty() => {
            let mut pieces = Vec::new();
            for (k, &i) in group.iter().enumerate() {
                if k > 0 {
                    pieces.push(Piece::Text("_".into()));
                }
                pieces.push(Piece::Field(table.columns[i].name.clone()));
            }
            pieces
        }
        None if has_model(sets, roles) => vec![Piece::Field("model".into())],
        None => Vec::new(),
    };
    for piece in &template {
        if let Piece::Field(name) = piece {
            let known = sets.iter().any(|(k, _)| k == name)
                || table.column(name).is_some()
                || has_field(roles, name);
            if !known {
                return Err(TemplateError::NoSuchField {
                    name: name.clone(),
                    columns: table.names(),
                });
            }
        }
    }
    Ok(template)
}

/// `--gpu-name`, else `None` when a column names each run's GPU.
fn gpu(how: &TableImport, roles: &[Role]) -> Result<Option<String>, OptionError> {
    match &how.gpu {
        Some(g) if sanitize_gpu_name(g).is_empty() => Err(OptionError::EmptyGpuName(g.clone())),
        Some(g) => Ok(Some(g.clone())),
        None if roles.contains(&Role::Gpu) => Ok(None),
        None => Err(OptionError::NoGpu),
    }
}

/// The columns that say a row failed: `--failed-if`'s, else the recognised ones.
fn failed(table: &WideTable, how: &TableImport) -> Result<Vec<(usize, FailedIf)>, OptionError> {
    let mut failed = Vec::new();
    for entry in &how.failed_if {
        let (column, value) = split_pair("--failed-if", entry, "COLUMN=VALUE")?;
        failed.push((
            find(table, "--failed-if", column)?,
            FailedIf::Equals(value.to_string()),
        ));
    }
    if how.failed_if.is_empty() {
        for (i, column) in table.columns.iter().enumerate() {
            if let Some(rule) = failure_column(&column.name) {
                failed.push((i, FailedIf::Rule(rule)));
            }
        }
    }
    Ok(failed)
}
