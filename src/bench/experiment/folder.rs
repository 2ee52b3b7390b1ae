//! The experiment's folder, `experiments/<name>_<time>/` under the results: the experiment file
//! as it ran, and per tenant its request events and the log of its server, when the experiment
//! started it.

use std::path::{Path, PathBuf};

use anyhow::Context;

use crate::atomic::write_atomic;
use crate::bench::launch::Servers;
use crate::bench::runners::openai::EventLog;
use crate::results::sanitize;

/// Writes the folder of the experiment `name` run at `timestamp` under `output_dir`: its file's
/// `text`, each tenant's `events` and the `servers`' logs; returns where it is.
pub fn keep(
    output_dir: &Path,
    name: &str,
    timestamp: &str,
    text: &str,
    events: &[(String, EventLog)],
    servers: Option<&Servers>,
) -> anyhow::Result<PathBuf> {
    let folder = output_dir
        .join("experiments")
        .join(format!("{}_{timestamp}", sanitize(name)));
    std::fs::create_dir_all(&folder)
        .with_context(|| format!("cannot make `{}`", folder.display()))?;
    write_atomic(&folder.join("experiment.toml"), text.as_bytes())?;
    for (tenant, log) in events {
        let dir = folder.join(sanitize(tenant));
        std::fs::create_dir_all(&dir)
            .with_context(|| format!("cannot make `{}`", dir.display()))?;
        let lines = log.lines.lock().map(|l| l.join("\n")).unwrap_or_default();
        write_atomic(&dir.join("events.jsonl"), format!("{lines}\n").as_bytes())?;
    }
    if let Some(servers) = servers {
        servers.keep_logs(&folder, sanitize);
    }
    Ok(folder)
}
