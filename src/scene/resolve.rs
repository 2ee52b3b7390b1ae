//! Resolving a scene against the collated table into a chart: rows and series generated
//! from the data first, then the chart of the scene's kind.

use super::cell::ResolvedCell;
use super::generate;
use super::model::{Scene, SceneBody};
use super::{ordered, panels};
use crate::chart::Chart;
use crate::results::Table;

/// The chart a scene shows with `table`'s data, and where each value came from.
/// Errors name the scene file, the key and what exists instead.
pub fn resolve(scene: &Scene, table: &Table) -> anyhow::Result<(Chart, Vec<ResolvedCell>)> {
    let scene = generate::expand(scene, table)?;
    match &scene.body {
        SceneBody::Panels(body) => panels::resolve(&scene, body, table),
        _ => ordered::resolve(&scene, table),
    }
}
