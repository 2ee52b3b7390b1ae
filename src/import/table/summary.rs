//! What a group's metric becomes: the mean or median of its rows' values, with the least, the
//! most, the sample standard deviation and how many, each written with the digits it merits.

use super::cell::Cell;
use super::error::RunError;
use super::options::GroupCenter;
use super::wide::WideTable;
use crate::import::json::decimals_of;
use crate::results::stats::{mean_by_parts, median_by_halves, sample_stdev_by_parts};
use crate::results::{Number, Value};

/// The figures of one metric column over the rows of a group.
pub(super) struct ColumnSummary {
    pub center: Value,
    pub min: Value,
    pub max: Value,
    pub stdev: Value,
    pub n: usize,
}

impl ColumnSummary {
    /// The mean or median of column `i` over `rows`, with its spread. The center is written with
    /// one decimal more than the inputs have (at most 6, or enough for 4 significant digits);
    /// min and max as written; the sample standard deviation with 3 significant digits. Every
    /// figure is missing when no row has a value.
    pub(super) fn of(
        table: &WideTable,
        rows: &[usize],
        i: usize,
        center: GroupCenter,
    ) -> Result<ColumnSummary, RunError> {
        let mut xs: Vec<(f64, &str)> = rows
            .iter()
            .filter_map(|&r| match &table.rows[r].cells[i] {
                Cell::Number(x, t) => Some((*x, t.as_str())),
                _ => None,
            })
            .collect();
        let n = xs.len();
        if n == 0 {
            return Ok(ColumnSummary {
                center: Value::Missing,
                min: Value::Missing,
                max: Value::Missing,
                stdev: Value::Missing,
                n,
            });
        }
        xs.sort_by(|a, b| a.0.total_cmp(&b.0));
        let values: Vec<f64> = xs.iter().map(|(x, _)| *x).collect();
        let decimals = xs.iter().map(|(_, t)| decimals_of(t)).max().unwrap_or(0);
        let mean = mean_by_parts(&values);
        let middle = match center {
            GroupCenter::Mean => mean,
            GroupCenter::Median => median_by_halves(&values),
        };
        let stdev = sample_stdev_by_parts(&values, mean);
        if !middle.is_finite() || stdev.is_some_and(|s| !s.is_finite()) {
            return Err(RunError::OutOfRange {
                column: table.columns[i].name.clone(),
                center,
                at: table.rows[rows[0]].at,
            });
        }
        let written = |(x, t): (f64, &str)| {
            Value::Number(Number {
                value: x,
                text: t.to_string(),
            })
        };
        Ok(ColumnSummary {
            center: Value::Number(Number::computed(middle, center_decimals(decimals, middle))),
            min: written(xs[0]),
            max: written(xs[n - 1]),
            stdev: match stdev {
                Some(s) => Value::Number(Number::computed(s, significant_decimals(s, 3))),
                None => Value::Missing,
            },
            n,
        })
    }
}

/// One decimal more than the inputs, at most 6 unless 4 significant digits need more.
pub(super) fn center_decimals(input: usize, value: f64) -> usize {
    let wanted = input + 1;
    wanted.min(6.max(significant_decimals(value, 4))).min(12)
}

/// The decimals that show `value` with `digits` significant digits (none for whole parts
/// longer than that).
pub(super) fn significant_decimals(value: f64, digits: i32) -> usize {
    if value == 0.0 || !value.is_finite() {
        return 0;
    }
    let magnitude = value.abs().log10().floor() as i32;
    (digits - 1 - magnitude).clamp(0, 12) as usize
}
