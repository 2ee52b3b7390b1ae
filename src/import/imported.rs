//! What an import did: the files written, the runs already there, the sources skipped and
//! why, and the warnings about single rows.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::results::{Record, Warning};

/// What an import did.
#[derive(Debug, Default)]
pub struct Imported {
    pub written: Vec<PathBuf>,
    /// Runs already in the results folder: the source and the result file that holds the run.
    pub already: Vec<(PathBuf, PathBuf)>,
    /// Sources (files, or runs in them) not imported, and why.
    pub skipped: Vec<Skipped>,
    /// Problems with single rows of what was imported.
    pub warnings: Vec<Warning>,
    /// The result files in each GPU folder written to, by `source_sha256`, each with a hash of
    /// its path-given fields: read once, when the first run for that folder is filed, so that
    /// finding a run among them reads no file.
    pub(super) filed: HashMap<PathBuf, HashMap<String, Vec<(PathBuf, u64)>>>,
    /// The name each benchmark id filed in this import was made from, by (GPU, id), so that
    /// two names that sanitize alike (`Model-A`, `Model_A`) are not filed as one benchmark.
    pub(super) named: HashMap<(String, String), String>,
}

/// Two names of one import that become one benchmark id on one GPU.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error(
    "`{made_from}` and `{first}` both become the benchmark id `{benchmark}`, and one would hide the other; rename one of them"
)]
pub struct NameClash {
    made_from: String,
    first: String,
    benchmark: String,
}

/// A source that was not imported.
#[derive(Debug, Clone, PartialEq)]
pub struct Skipped {
    pub path: PathBuf,
    pub reason: String,
    /// A problem (a broken file, one that is not a result) rather than a file passed over on
    /// purpose (a warm-up run, a summary of runs imported from their own files).
    pub problem: bool,
}

impl Imported {
    /// `path` holds something that is not a run it could import.
    pub(super) fn reject(&mut self, path: &Path, reason: impl ToString) {
        self.skipped.push(Skipped {
            path: path.to_path_buf(),
            reason: reason.to_string(),
            problem: true,
        });
    }

    /// `path` is left out on purpose.
    pub(super) fn pass_over(&mut self, path: &Path, reason: impl Into<String>) {
        self.skipped.push(Skipped {
            path: path.to_path_buf(),
            reason: reason.into(),
            problem: false,
        });
    }

    /// Claims `record`'s benchmark id on `gpu` for the name it was made from (`made_from`);
    /// an error naming both when another name of this import already has it.
    pub(super) fn claim(
        &mut self,
        gpu: &str,
        record: &Record,
        made_from: &str,
    ) -> Result<(), NameClash> {
        let key = (gpu.to_string(), record.benchmark.clone());
        match self.named.get(&key) {
            Some(first) if first != made_from => Err(NameClash {
                made_from: made_from.to_string(),
                first: first.clone(),
                benchmark: record.benchmark.clone(),
            }),
            Some(_) => Ok(()),
            None => {
                self.named.insert(key, made_from.to_string());
                Ok(())
            }
        }
    }

    /// The problems, as warnings: skipped sources first, then rows.
    pub fn problems(&self) -> Vec<Warning> {
        self.skipped
            .iter()
            .filter(|s| s.problem)
            .map(|s| Warning {
                path: s.path.clone(),
                line: None,
                message: format!("{}; skipped", s.reason),
            })
            .chain(self.warnings.iter().cloned())
            .collect()
    }
}
