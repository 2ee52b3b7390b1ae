//! The chart of one kind, its rows and series in the order the scene asks for: orders that
//! need the values resolve once to find them, then again in that order.

use anyhow::bail;

use super::cell::ResolvedCell;
use super::model::{Scene, SceneBody};
use super::{bars, generate, lines, scatter, sort};
use crate::chart::Chart;
use crate::results::Table;

/// The chart of an expanded scene, its rows in the order asked for.
pub(super) fn resolve(scene: &Scene, table: &Table) -> anyhow::Result<(Chart, Vec<ResolvedCell>)> {
    let (mut chart, mut cells) = resolve_kind(scene, table)?;
    // Orders that need the values: resolved once to find them, then again in that order.
    let mut scene = std::borrow::Cow::Borrowed(scene);
    if let Some(reordered) = generate::by_value(&scene, &chart, &cells)? {
        scene = std::borrow::Cow::Owned(reordered);
        (chart, cells) = resolve_kind(&scene, table)?;
    }
    if let Some(sorted) = sort::sorted(&scene, &chart)? {
        (chart, cells) = resolve_kind(&sorted, table)?;
    }
    Ok((chart, cells))
}

fn resolve_kind(scene: &Scene, table: &Table) -> anyhow::Result<(Chart, Vec<ResolvedCell>)> {
    match &scene.body {
        SceneBody::Bars(rows, keys) => bars::resolve(scene, rows, Some(keys), table),
        SceneBody::Compare(rows) => bars::resolve(scene, rows, None, table),
        SceneBody::Lines(body) => lines::resolve(scene, body, table),
        SceneBody::Scatter(body) => scatter::resolve(scene, body, table),
        SceneBody::Panels(_) => bail!("{}: a panel is a bar or compare chart", scene.file()),
    }
}
