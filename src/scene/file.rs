//! The scene file format.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use serde::Deserialize;

use crate::chart::Durations;

/// One scene file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scene {
    #[serde(skip)]
    pub name: String,
    #[serde(skip)]
    pub path: PathBuf,
    pub title: String,
    /// What the values are; the direction phrase (`· ↑ Higher is better`) is added to it.
    pub subtitle: String,
    #[serde(default)]
    pub metadata: Vec<String>,
    /// Footer lines. `{fastest}`, `{slowest}` and `{ratio}` compare the best and worst value;
    /// a line with `{row}` is repeated for each row and compares within it.
    #[serde(default)]
    pub footer: Vec<String>,
    /// `higher` or `lower`; by default the metric's own direction.
    pub direction: Option<String>,
    #[serde(default)]
    pub format: ValueFormat,
    // Pins shared by every cell.
    pub benchmark: Option<ByFamily>,
    pub gpu: Option<String>,
    pub family: Option<String>,
    pub metric: Option<ByFamily>,
    pub rows: Vec<RowSpec>,
    pub series: Vec<SeriesSpec>,
    #[serde(default)]
    pub timing: Durations,
}

/// What a row, a series or the whole scene fixes about its cells. `benchmark` and `metric`
/// may depend on the family: `metric = { llama_server = "true_gen_throughput", vLLM = "output_token_throughput" }`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Pins<'a> {
    pub benchmark: Option<&'a ByFamily>,
    pub gpu: Option<&'a str>,
    pub family: Option<&'a str>,
    pub metric: Option<&'a ByFamily>,
}

/// Each of scene, row and series carries the same four pins.
macro_rules! pins_of {
    ($t:ty) => {
        impl $t {
            pub fn pins(&self) -> Pins<'_> {
                Pins {
                    benchmark: self.benchmark.as_ref(),
                    gpu: self.gpu.as_deref(),
                    family: self.family.as_deref(),
                    metric: self.metric.as_ref(),
                }
            }
        }
    };
}
pins_of!(Scene);
pins_of!(RowSpec);
pins_of!(SeriesSpec);

/// A value, or one value per family.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum ByFamily {
    One(String),
    PerFamily(BTreeMap<String, String>),
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RowSpec {
    pub label: String,
    /// What computed footers call the row, if not its label (`DGX Spark` for `DGX Spark (GB10)`).
    pub name: Option<String>,
    /// Colours the row's bars (for charts whose rows are GPUs and that have one series).
    pub color: Option<String>,
    pub benchmark: Option<ByFamily>,
    pub gpu: Option<String>,
    pub family: Option<String>,
    pub metric: Option<ByFamily>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeriesSpec {
    /// Legend label; may be empty for a single series.
    #[serde(default)]
    pub label: String,
    pub color: Option<String>,
    pub benchmark: Option<ByFamily>,
    pub gpu: Option<String>,
    pub family: Option<String>,
    pub metric: Option<ByFamily>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ValueFormat {
    /// Fixed decimal places; by default enough for three significant digits.
    pub decimals: Option<usize>,
    /// Text after each value, e.g. `" s"`.
    #[serde(default)]
    pub suffix: String,
}

/// Reads `<dir>/<name>.toml`. An unknown name lists the scenes that exist.
pub fn load_scene(dir: &Path, name: &str) -> anyhow::Result<Scene> {
    let path = dir.join(format!("{name}.toml"));
    if !path.is_file() {
        let known = list_scenes(dir).unwrap_or_default();
        bail!(
            "no scene `{name}` in `{}`; scenes there: {}",
            dir.display(),
            if known.is_empty() {
                "none".to_string()
            } else {
                known.join(", ")
            }
        );
    }
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("cannot read `{}`", path.display()))?;
    let mut scene: Scene =
        toml::from_str(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    scene.name = name.to_string();
    scene.path = path;
    Ok(scene)
}

/// The names of the scenes in `dir` (files `*.toml`), sorted.
pub fn list_scenes(dir: &Path) -> anyhow::Result<Vec<String>> {
    let entries = std::fs::read_dir(dir).with_context(|| {
        format!(
            "scenes folder `{}` does not exist; pass --scenes DIR",
            dir.display()
        )
    })?;
    let mut names: Vec<String> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .filter_map(|p| p.file_stem()?.to_str().map(str::to_string))
        .collect();
    names.sort();
    Ok(names)
}
