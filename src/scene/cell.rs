//! A cell of a chart: the value the merged pins select, and where it came from, as
//! `benchanim data` shows it.

use std::path::PathBuf;

use serde::Serialize;

use super::format::{format_spread, format_value};
use super::model::{Pins, ValueFormat};
use super::select::{Selection, select};
use crate::chart::XValue;
use crate::results::{
    Aggregate, Measured, ResultFile, SWEEP_FIELDS, Spread, Table, Where, distinct,
};

/// Where a cell's value came from, for `benchanim data`.
#[derive(Debug, Clone, Serialize)]
pub struct ResolvedCell {
    pub row: String,
    pub series: String,
    pub benchmark: String,
    pub gpu: String,
    pub metric: String,
    pub value: Option<f64>,
    pub unit: String,
    /// The value is from a run that did not finish (no complete run exists).
    pub partial: bool,
    /// The result file the value comes from.
    pub run: Option<PathBuf>,
    /// The config fields its run was chosen by.
    #[serde(rename = "where", skip_serializing_if = "Where::is_empty")]
    pub where_: Where,
    /// Set when runs differing in a sweep field could have given the value (see `ambiguity`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ambiguous: Option<String>,
    /// A point of a line or scatter chart: the value of the field that makes it (a line's x,
    /// a scatter's `order`); its `where` is the series' plus this.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level: Option<XValue>,
    /// A point of a line or scatter chart: every run at its level, newest first (`run` is the
    /// one shown).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub runs: Vec<PathBuf>,
    /// How many runs measured the value: the run that counts and those that repeat it (0 for
    /// NA).
    pub n: usize,
    /// How the value was made from them (left out for `newest`).
    #[serde(skip_serializing_if = "is_newest")]
    pub aggregate: Aggregate,
    /// Over those runs, when there are several: the smallest and largest value and the sample
    /// standard deviation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stdev: Option<f64>,
    /// The spread the scene asks for (left out for none), and where its whisker starts and
    /// ends when there are several runs.
    #[serde(skip_serializing_if = "is_none")]
    pub spread: Spread,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub whisker: Option<(f64, f64)>,
}

fn is_newest(aggregate: &Aggregate) -> bool {
    *aggregate == Aggregate::Newest
}

fn is_none(spread: &Spread) -> bool {
    *spread == Spread::None
}

impl ResolvedCell {
    /// The value of `metric` that `runs` (the selection's, or those at a level; the one that
    /// counts first) give by the selection's `aggregate`, and where it came from. Row, series,
    /// level and runs are left for the caller.
    pub(super) fn measure(
        table: &Table,
        selection: &Selection,
        runs: &[&ResultFile],
        wanted: Where,
        metric: &str,
    ) -> ResolvedCell {
        let measured = Measured::of(runs, metric, selection.aggregate);
        let several = measured.as_ref().filter(|m| m.n > 1);
        ResolvedCell {
            row: String::new(),
            series: String::new(),
            benchmark: selection.benchmark.id.clone(),
            gpu: selection.gpu.clone(),
            metric: metric.to_string(),
            value: measured.as_ref().map(|m| m.value),
            unit: table
                .catalog
                .unit(metric, measured.as_ref().map_or("", |m| m.unit.as_str()))
                .to_string(),
            partial: measured.as_ref().is_some_and(|m| m.partial),
            run: measured.as_ref().and(runs.first().map(|r| r.path.clone())),
            ambiguous: ambiguity(runs, &wanted, selection.aggregate),
            where_: wanted,
            level: None,
            runs: Vec::new(),
            n: measured.as_ref().map_or(0, |m| m.n),
            aggregate: selection.aggregate,
            min: several.map(|m| m.min),
            max: several.map(|m| m.max),
            stdev: several.and_then(|m| m.stdev),
            spread: selection.spread,
            whisker: measured.as_ref().and_then(|m| m.whisker(selection.spread)),
        }
    }

    /// The value as a chart labels it: `4,849`, `897 ± 7` with a spread of a standard deviation,
    /// `*` after a partial run's.
    pub(super) fn label(&self, format: &ValueFormat) -> Option<String> {
        let value = self.value?;
        let text = match (self.spread, self.stdev) {
            (Spread::Stdev, Some(sd)) => format_spread(value, sd, format.decimals, &format.suffix),
            _ => format_value(value, format.decimals, &format.suffix),
        };
        Some(if self.partial { text + "*" } else { text })
    }
}

/// The cell the merged pins select: the value of the run that counts, or of it and its
/// repeats.
pub(super) fn resolve_cell(
    table: &Table,
    scene: Pins,
    row: Pins,
    series: Pins,
) -> anyhow::Result<ResolvedCell> {
    let selection = select(table, scene, row, series)?;
    let wanted = selection.wanted.clone();
    Ok(ResolvedCell::measure(
        table,
        &selection,
        &selection.runs,
        wanted,
        &selection.metric,
    ))
}

/// Why the cell's run may not be the one meant: `runs` (the candidates, the shown one first)
/// differ in a sweep field that `wanted` does not pin. Runs that differ only in their repeat's
/// number are what an aggregate other than `newest` is for.
pub(super) fn ambiguity(
    runs: &[&ResultFile],
    wanted: &Where,
    aggregate: Aggregate,
) -> Option<String> {
    let shown = runs.first()?;
    SWEEP_FIELDS.iter().find_map(|&field| {
        let repeat = field == "iteration";
        if wanted.pins(field) || repeat && aggregate != Aggregate::Newest {
            return None;
        }
        let values = distinct(runs.iter().copied(), field);
        (values.len() > 1).then(|| {
            let this = shown.field(field).map_or("none".into(), |v| v.to_text());
            let hint = if repeat {
                "aggregate them with `aggregate = \"mean\"`".to_string()
            } else {
                format!("pin `where = {{ {field} = … }}`")
            };
            format!(
                "shows the newest run ({field} = {this}) among runs with {field} {}; {hint}",
                values.join(", ")
            )
        })
    })
}
