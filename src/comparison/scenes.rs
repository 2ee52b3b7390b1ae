//! The compare scenes of a comparison, built in code: one per metric, and the combined one.

use super::request::{Request, short_name};
use crate::results::{Benchmark, Level, Table, Wanted, Where, sanitize};
use crate::scene::{ByFamily, Common, RowSpec, RowTable, Scene, SceneBody, SeriesSpec};

/// What the scenes share.
pub(super) struct Plan<'a> {
    pub request: &'a Request,
    pub baseline: &'a Benchmark,
    pub candidate: &'a Benchmark,
    pub gpu: &'a str,
    /// Fields each configuration is charted on its own for, when the runs have them.
    pub for_each: Vec<String>,
}

impl Plan<'_> {
    /// `(name, scene)` of each scene: one per metric, and the combined one.
    pub fn scenes(&self, table: &Table, metrics: &[String]) -> Vec<(String, Scene)> {
        let base = format!(
            "compare_{}_vs_{}",
            sanitize(&self.request.baseline),
            sanitize(&self.request.candidate)
        );
        let mut scenes: Vec<(String, Scene)> = metrics
            .iter()
            .map(|m| {
                let label = table.catalog.display_name(m);
                let name = format!("{base}_{}", sanitize(m));
                let scene = self.scene(&name, &label, std::slice::from_ref(m), false);
                (name, scene)
            })
            .collect();
        if self.request.combined {
            let name = format!("{base}_all");
            let scene = self.scene(&name, "", metrics, true);
            scenes.push((name, scene));
        }
        scenes
    }

    /// A compare scene of `metrics`, a row each.
    fn scene(&self, name: &str, what: &str, metrics: &[String], combined: bool) -> Scene {
        let (a, b) = (&self.request.baseline, &self.request.candidate);
        let mut subtitle: Vec<String> = Vec::new();
        if !what.is_empty() {
            subtitle.push(what.to_string());
        }
        subtitle.push(self.gpu.replace('_', " "));
        for field in &self.for_each {
            let short = short_name(field).to_uppercase();
            subtitle.push(format!("{short} {{{field}}}"));
        }
        let mut wanted = Where::default();
        for (field, level) in &self.request.wheres {
            wanted.0.insert(field.clone(), Wanted::One(level.clone()));
        }
        let defaults = self.request.wheres.is_empty() && self.request.all_configs.is_none();
        if defaults {
            for field in &self.for_each {
                wanted
                    .0
                    .insert(field.clone(), Wanted::One(Level::Number(1.0)));
            }
        }
        let name_suffix = (!self.for_each.is_empty()).then(|| {
            let parts: Vec<String> = self
                .for_each
                .iter()
                .map(|f| format!("{}{{{f}}}", short_name(f)))
                .collect();
            parts.join("_")
        });
        let footer = if combined {
            vec![format!("{b} is better on {{better}} of {{rows}} metrics")]
        } else {
            Vec::new()
        };
        let series = |label: &str, id: &str| SeriesSpec {
            label: label.to_string(),
            benchmark: Some(ByFamily::One(id.to_string())),
            ..SeriesSpec::default()
        };
        let rows = metrics
            .iter()
            .map(|m| RowSpec {
                metric: Some(ByFamily::One(m.clone())),
                ..RowSpec::default()
            })
            .collect();
        let common = Common {
            name: name.to_string(),
            path: format!("{name}.toml").into(),
            title: (self.request.title.clone()).unwrap_or_else(|| format!("{a} vs {b}")),
            subtitle: subtitle.join(" · "),
            footer,
            gpu: Some(self.gpu.to_string()),
            where_: wanted,
            for_each: self.for_each.clone(),
            name_suffix,
            series: vec![series(a, &self.baseline.id), series(b, &self.candidate.id)],
            ..Common::default()
        };
        Scene {
            common,
            body: SceneBody::Compare(RowTable {
                rows,
                ..RowTable::default()
            }),
        }
    }
}
