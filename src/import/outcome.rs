//! What an import says when it is done: the files it wrote, the runs already there, the
//! sources it passed over or could not import, and its exit code.

use std::path::Path;

use super::imported::Imported;
use crate::results::Warning;

/// What an import says when it is done, in the order it is said.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// Each file written, each run already there, each source passed over on purpose.
    pub done: Vec<String>,
    /// The problems, as warnings: the sources that could not be imported, then single rows.
    pub problems: Vec<Warning>,
    /// How many runs were imported, and the error that makes the exit code 1, if any.
    pub closing: Vec<String>,
    /// 1 when a source could not be imported, or with `strict` when anything was warned
    /// about; else 0.
    pub exit_code: u8,
}

impl Imported {
    /// What the import into the results folder `results` did; `strict`: any warning makes
    /// the exit code 1.
    pub fn outcome(&self, results: &Path, strict: bool) -> Outcome {
        let mut done: Vec<String> = Vec::new();
        for path in &self.written {
            done.push(format!("wrote {}", path.display()));
        }
        for (source, there) in &self.already {
            done.push(format!(
                "already imported: {} (as {})",
                source.display(),
                there.display()
            ));
        }
        for skipped in self.skipped.iter().filter(|s| !s.problem) {
            done.push(format!(
                "skipped {}: {}",
                skipped.path.display(),
                skipped.reason
            ));
        }
        let problems = self.problems();
        let mut closing = vec![format!(
            "imported {} run{} into {} ({} already there, {} skipped)",
            self.written.len(),
            plural(self.written.len()),
            results.display(),
            self.already.len(),
            self.skipped.len()
        )];
        let refused = self.skipped.iter().filter(|s| s.problem).count();
        let exit_code = if refused > 0 {
            let rest = if self.written.is_empty() && self.already.is_empty() {
                "nothing else was there to import"
            } else {
                "the rest is imported"
            };
            closing.push(format!(
                "error: {refused} source{} could not be imported (listed above); {rest}",
                plural(refused)
            ));
            1
        } else if strict && !problems.is_empty() {
            closing.push(format!(
                "error: {} warning{} and --strict was given",
                problems.len(),
                plural(problems.len())
            ));
            1
        } else {
            0
        };
        Outcome {
            done,
            problems,
            closing,
            exit_code,
        }
    }

    /// `error`, followed by the files written before it: they stay, and the user should know.
    pub fn with_written(&self, error: anyhow::Error) -> anyhow::Error {
        let count = self.written.len();
        if count == 0 {
            return error;
        }
        let mut message = format!(
            "{error:#}\n{count} result file{} written before the error and {}:",
            if count == 1 { " was" } else { "s were" },
            if count == 1 { "stays" } else { "stay" },
        );
        for path in &self.written {
            message.push_str(&format!("\n  {}", path.display()));
        }
        anyhow::anyhow!(message)
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
