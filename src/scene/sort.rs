//! `sort`: the rows of a bar or compare chart best first, by label, or by the size of their
//! delta.

use std::cmp::Ordering;

use anyhow::bail;

use super::model::{Scene, Sort};

use crate::chart::Chart;
use crate::results::Direction;

/// The scene with its rows in the order `sort` asks for, as the resolved `chart` shows them;
/// `None` when they stay as written.
pub(super) fn sorted(scene: &Scene, chart: &Chart) -> anyhow::Result<Option<Scene>> {
    let sort = scene.body.rows().and_then(|t| t.sort).unwrap_or_default();
    let Some(bars) = chart.bars() else {
        return Ok(None);
    };
    let file = scene.file();
    let rows = &bars.rows;
    let mut order: Vec<usize> = (0..rows.len()).collect();
    match sort {
        Sort::None => return Ok(None),
        Sort::Label => order.sort_by(|&a, &b| rows[a].label.cmp(&rows[b].label)),
        Sort::Value => {
            let Some(direction) = bars.direction else {
                bail!(
                    "{file}: `sort = \"value\"` puts the best first, but which way is better is not known for the whole chart; add `direction = \"higher\"` or `\"lower\"` (a compare chart, whose rows differ, sorts with `sort = \"delta\"`)"
                );
            };
            let first = |&r: &usize| rows[r].bars.first().and_then(|b| b.value);
            sort_best_first(&mut order, first, direction);
        }
        Sort::Delta => {
            if !bars.has_deltas() {
                bail!(
                    "{file}: `sort = \"delta\"` orders rows by their delta; add `delta = true` (two series) or use `kind = \"compare\"`"
                );
            }
            let size = |r: usize| rows[r].delta.as_ref().and_then(|d| d.percent).map(f64::abs);
            order.sort_by(|&a, &b| match (size(a), size(b)) {
                (Some(x), Some(y)) => y.total_cmp(&x),
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (None, None) => Ordering::Equal,
            });
        }
    }
    let mut out = scene.clone();
    if let Some(table_rows) = out.body.rows_mut() {
        table_rows.rows = order.iter().map(|&i| scene.rows()[i].clone()).collect();
        table_rows.sort = None;
    }
    Ok(Some(out))
}

/// Sorts `items` by `value`, best first in `direction`, those without one last; the sort is
/// stable, so equal values keep their order.
pub(super) fn sort_best_first<T>(
    items: &mut [T],
    value: impl Fn(&T) -> Option<f64>,
    direction: Direction,
) {
    items.sort_by(|a, b| match (value(a), value(b)) {
        (Some(x), Some(y)) if direction.better(x, y) => std::cmp::Ordering::Less,
        (Some(x), Some(y)) if direction.better(y, x) => std::cmp::Ordering::Greater,
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        _ => std::cmp::Ordering::Equal,
    });
}
