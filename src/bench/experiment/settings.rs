//! How an experiment is run: what `bench experiment`'s options say, before they are checked.

use std::path::PathBuf;

use crate::bench::driver::Options;

/// The experiment's file and how to run it.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The experiment file (TOML).
    pub file: PathBuf,
    /// Measure each tenant alone first, as the baseline for what sharing costs.
    pub solo: bool,
    /// Each tenant's events hold every token, not only each request's start, first token and
    /// end.
    pub token_events: bool,
    /// Seconds before a request counts as failed.
    pub timeout: f64,
    /// Seconds the servers the experiment starts have to answer.
    pub ready_timeout: u64,
    /// Start the CUDA MPS control daemon before the servers and stop it after them.
    pub start_mps: bool,
    /// What every tenant's run takes: where results go, which GPU they belong to.
    pub options: Options,
}
