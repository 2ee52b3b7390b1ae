//! The runner: benchmarks real inference servers and programs, and writes result files.

use clap::Args;

/// Options of `benchanim bench`.
#[derive(Debug, Args)]
pub struct BenchArgs {}

pub fn run(_args: BenchArgs) -> anyhow::Result<i32> {
    anyhow::bail!("`benchanim bench` is not available in this build")
}
