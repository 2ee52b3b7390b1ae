//! A problem with one file or one row that did not stop the rest from loading.

use std::fmt;
use std::path::PathBuf;

/// A problem with one file or one row that did not stop the rest from loading.
#[derive(Debug, Clone, PartialEq)]
pub struct Warning {
    pub path: PathBuf,
    pub line: Option<usize>,
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}: {}", self.path.display(), line, self.message),
            None => write!(f, "{}: {}", self.path.display(), self.message),
        }
    }
}
