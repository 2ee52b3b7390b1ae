//! The metric catalog: an optional `metrics.toml` that says what the naming rules cannot, per
//! metric name. It comes before the rules of [`Direction::of`].
//!
//! ```toml
//! [metrics.gpu_utilization]
//! direction = "higher"          # or "lower", or "none" to say nothing
//! label = "GPU utilization"     # optional: how reports name it
//! unit = "%"                    # optional: when result files give none
//! ```

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context, bail};
use serde::Deserialize;

use super::display;
use super::metric::Direction;

/// The file looked up in the current directory when no other is named.
pub const CATALOG_FILE: &str = "metrics.toml";

/// Largest catalog read; real ones are a few KiB.
const MAX_CATALOG_BYTES: u64 = 1 << 20;

/// What the catalog says about metrics, by name. Empty by default: then the rules decide.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MetricCatalog {
    entries: BTreeMap<String, MetricEntry>,
}

/// One metric's entry.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MetricEntry {
    /// `Some(None)`: the catalog says the metric has no direction (`direction = "none"`);
    /// `None`: it says nothing about direction and the rules decide.
    pub direction: Option<Option<Direction>>,
    pub label: Option<String>,
    pub unit: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CatalogFile {
    #[serde(default)]
    metrics: BTreeMap<String, EntryFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EntryFile {
    direction: Option<String>,
    label: Option<String>,
    unit: Option<String>,
}

impl MetricCatalog {
    /// Reads a catalog file. Errors name the file and, for a bad value, the key.
    pub fn load(path: &Path) -> anyhow::Result<MetricCatalog> {
        let shown = path.display();
        let meta = std::fs::metadata(path).with_context(|| format!("cannot read `{shown}`"))?;
        if !meta.is_file() {
            bail!("`{shown}` is not a file; expected a metric catalog (TOML)");
        }
        if meta.len() > MAX_CATALOG_BYTES {
            bail!(
                "`{shown}` is {} bytes; a metric catalog may be at most {MAX_CATALOG_BYTES}",
                meta.len()
            );
        }
        let text =
            std::fs::read_to_string(path).with_context(|| format!("cannot read `{shown}`"))?;
        MetricCatalog::parse(&text).with_context(|| format!("in metric catalog `{shown}`"))
    }

    /// `path` when it exists, else an empty catalog; other errors (a folder, bad TOML) stay
    /// errors.
    pub fn load_if_present(path: &Path) -> anyhow::Result<MetricCatalog> {
        match std::fs::symlink_metadata(path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(MetricCatalog::default()),
            _ => MetricCatalog::load(path),
        }
    }

    pub fn parse(text: &str) -> anyhow::Result<MetricCatalog> {
        let file: CatalogFile = toml::from_str(text).map_err(|e| anyhow::anyhow!("{e}"))?;
        let mut entries = BTreeMap::new();
        for (name, entry) in file.metrics {
            let key = format!("metrics.{name}");
            let direction = match entry.direction.as_deref() {
                None => None,
                Some("higher") => Some(Some(Direction::Higher)),
                Some("lower") => Some(Some(Direction::Lower)),
                Some("none") => Some(None),
                Some(other) => {
                    bail!("{key}.direction: `{other}` is not one of `higher`, `lower`, `none`")
                }
            };
            if entry.label.as_deref().is_some_and(|l| l.trim().is_empty()) {
                bail!("{key}.label: is empty; leave it out to use the metric's name");
            }
            entries.insert(
                name,
                MetricEntry {
                    direction,
                    label: entry.label,
                    unit: entry.unit,
                },
            );
        }
        Ok(MetricCatalog { entries })
    }

    pub fn entry(&self, metric: &str) -> Option<&MetricEntry> {
        self.entries.get(metric)
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Which way is better for `metric` measured in `unit`: the catalog's word, else the
    /// naming rules with the catalog's unit when `unit` is empty.
    pub fn direction(&self, metric: &str, unit: &str) -> Option<Direction> {
        match self.entry(metric) {
            Some(MetricEntry {
                direction: Some(direction),
                ..
            }) => *direction,
            _ => Direction::of(metric, self.unit(metric, unit)),
        }
    }

    /// `unit`, or the catalog's unit for `metric` when `unit` is empty.
    pub fn unit<'a>(&'a self, metric: &str, unit: &'a str) -> &'a str {
        if unit.is_empty() {
            self.entry(metric)
                .and_then(|e| e.unit.as_deref())
                .unwrap_or(unit)
        } else {
            unit
        }
    }

    /// The catalog's label for `metric`, if it gives one.
    pub fn label(&self, metric: &str) -> Option<&str> {
        self.entry(metric)?.label.as_deref()
    }

    /// How a chart names `metric`: the catalog's label, else the field's usual name for it
    /// (`ttft_p50_ms` → "TTFT p50"), else the name as written.
    pub fn display_name(&self, metric: &str) -> String {
        match self.label(metric) {
            Some(label) => label.to_string(),
            None => display::metric_label(metric).unwrap_or_else(|| metric.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overrides_the_rules_and_fills_units() {
        let catalog = MetricCatalog::parse(
            r#"
            [metrics.gpu_utilization]
            direction = "higher"
            label = "GPU utilization"

            [metrics.gpu_temp_max_c]
            direction = "none"

            [metrics.wait]
            unit = "ms"
            "#,
        )
        .unwrap();
        assert_eq!(
            catalog.direction("gpu_utilization", "%"),
            Some(Direction::Higher)
        );
        assert_eq!(catalog.label("gpu_utilization"), Some("GPU utilization"));
        assert_eq!(Direction::of("gpu_temp_max_c", ""), Some(Direction::Lower));
        assert_eq!(catalog.direction("gpu_temp_max_c", ""), None);
        // No direction given: the rules decide, with the catalog's unit when files have none.
        assert_eq!(catalog.direction("wait", ""), Some(Direction::Lower));
        assert_eq!(catalog.unit("wait", ""), "ms");
        assert_eq!(catalog.unit("wait", "s"), "s");
        assert_eq!(catalog.direction("ttft_mean", ""), Some(Direction::Lower));
        assert_eq!(
            MetricCatalog::default().direction("gpu_utilization", ""),
            None
        );
        assert!(MetricCatalog::parse("").unwrap().is_empty());
    }

    #[test]
    fn bad_catalogs_name_the_key() {
        let err = |text: &str| format!("{:#}", MetricCatalog::parse(text).unwrap_err());
        let e = err("[metrics.gpu_utilization]\ndirection = \"up\"\n");
        assert!(
            e.contains("metrics.gpu_utilization.direction: `up` is not one of"),
            "{e}"
        );
        let e = err("[metrics.x]\ndirektion = \"higher\"\n");
        assert!(e.contains("direktion"), "{e}");
        let e = err("[metrics.x]\ndirection = 1\n");
        assert!(e.contains("direction"), "{e}");
        let e = err("[gpu_utilization]\ndirection = \"higher\"\n");
        assert!(e.contains("gpu_utilization"), "{e}");
        let e = err("[metrics.x]\nlabel = \" \"\n");
        assert!(e.contains("metrics.x.label"), "{e}");
    }

    #[test]
    fn loading_names_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("metrics.toml");
        assert!(MetricCatalog::load_if_present(&path).unwrap().is_empty());
        assert!(MetricCatalog::load(&path).is_err());
        std::fs::write(&path, "[metrics.a]\ndirection = \"sideways\"\n").unwrap();
        let e = format!("{:#}", MetricCatalog::load_if_present(&path).unwrap_err());
        assert!(
            e.contains("metrics.toml") && e.contains("metrics.a.direction"),
            "{e}"
        );
        let e = format!("{:#}", MetricCatalog::load(dir.path()).unwrap_err());
        assert!(e.contains("is not a file"), "{e}");
    }
}
