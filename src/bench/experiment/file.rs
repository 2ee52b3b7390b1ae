//! The experiment file (TOML): its name, whether MPS is on, and its tenants, each a server to
//! measure (or to start) with what to send it, as `bench experiment --help` shows it.

use std::path::Path;

use anyhow::{Context, bail};
use serde::Deserialize;

use crate::bench::launch::Launch;

/// Largest experiment file read.
const MAX_FILE_BYTES: u64 = 1 << 20;

/// An experiment file, as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Experiment {
    pub experiment_name: String,
    #[serde(default)]
    pub mps: bool,
    pub tenants: Vec<Tenant>,
}

/// One `[[tenants]]` table: a server to measure and what to send it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tenant {
    pub name: String,
    pub url: String,
    pub model: Option<String>,
    #[serde(default = "one")]
    pub max_concurrency: u32,
    #[serde(default = "hundred")]
    pub prompts: u32,
    #[serde(default = "two")]
    pub warmups: u32,
    #[serde(default = "tokens")]
    pub input_len: u32,
    #[serde(default = "tokens")]
    pub output_len: u32,
    pub request_rate: Option<f64>,
    #[serde(default)]
    pub api: ApiName,
    pub server_pid: Option<u32>,
    /// The server's program and arguments, when the experiment starts it.
    pub command: Option<Vec<String>>,
}

/// A tenant's `api`: the endpoint its requests go to.
#[derive(Debug, Clone, Copy, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ApiName {
    #[default]
    Completions,
    Chat,
}

fn one() -> u32 {
    1
}
fn two() -> u32 {
    2
}
fn hundred() -> u32 {
    100
}
fn tokens() -> u32 {
    128
}

/// The experiment file at `path`: its text (kept beside the results as it ran) and what it
/// says, not yet checked.
pub fn read(path: &Path) -> anyhow::Result<(String, Experiment)> {
    let text = read_text(path)?;
    let experiment: Experiment =
        toml::from_str(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    Ok((text, experiment))
}

fn read_text(path: &Path) -> anyhow::Result<String> {
    let meta = std::fs::metadata(path)
        .with_context(|| format!("cannot read experiment file `{}`", path.display()))?;
    if !meta.is_file() || meta.len() > MAX_FILE_BYTES {
        bail!(
            "`{}` is not an experiment file (a TOML file of at most 1 MiB)",
            path.display()
        );
    }
    std::fs::read_to_string(path)
        .with_context(|| format!("cannot read experiment file `{}`", path.display()))
}

impl Experiment {
    /// The servers the experiment starts itself.
    pub fn launches(&self) -> Vec<Launch> {
        self.tenants
            .iter()
            .filter_map(|t| {
                Some(Launch {
                    tenant: t.name.clone(),
                    command: t.command.clone()?,
                    url: t.url.clone(),
                })
            })
            .collect()
    }
}
