//! `benchanim bench exec`: its arguments.

use std::path::PathBuf;

use clap::Args;

use super::args::CommonArgs;
use crate::bench::runners::exec::{Exec, ExecOptions};
use crate::results::sanitize;

/// Run a benchmark program and file what it reports.
///
/// Every line the program prints that reads as a `metric,value,unit` CSV row (a metric name of
/// letters, digits and `_`) becomes a row of the result, next to `total_time` (the program's
/// wall time), the GPU and its telemetry. `--metrics-file` picks up a result CSV the program
/// writes instead; its rows win over printed ones of the same name, and the program's own rows
/// win over the runner's.
#[derive(Debug, Args)]
pub struct ExecArgs {
    /// The benchmark family, the first part of the file name (`flux_bench`).
    #[arg(long)]
    pub family: String,
    /// What was run (`FLUX_2_klein_4B_n100`), the part of the file name after the GPU.
    #[arg(long)]
    pub name: String,
    /// A `metric,value,unit` CSV the program writes, read when it ends.
    #[arg(long, value_name = "FILE")]
    pub metrics_file: Option<PathBuf>,
    #[command(flatten)]
    pub common: CommonArgs,
    /// The program and its arguments, after `--`.
    #[arg(last = true, required = true, value_name = "COMMAND")]
    pub command: Vec<String>,
}

impl ExecArgs {
    /// The runner these arguments describe, once they are checked.
    pub fn runner(self) -> anyhow::Result<(CommonArgs, Exec)> {
        if self.family.is_empty() || sanitize(&self.family) != self.family {
            anyhow::bail!(
                "--family `{}` must be letters, digits and single `_` (it starts the file name)",
                self.family
            );
        }
        let name = sanitize(&self.name);
        if name.is_empty() {
            anyhow::bail!("--name `{}` has nothing usable in a file name", self.name);
        }
        let options = ExecOptions {
            family: self.family,
            name,
            metrics_file: self.metrics_file,
            command: self.command,
        };
        Ok((self.common, Exec::new(options)))
    }
}
