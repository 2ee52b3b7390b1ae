//! Progress on a terminal (hidden when stderr is not one, or for a single request).

use indicatif::{MultiProgress, ProgressBar, ProgressStyle};

/// A bar of `len` steps labelled `what`; among `others` (an experiment's tenants, each its
/// own line) when given, so that they do not draw over one another.
pub fn bar(len: usize, what: &str, others: Option<&MultiProgress>) -> ProgressBar {
    if len < 2 {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(len as u64);
    let bar = match others {
        Some(m) => m.add(bar),
        None => bar,
    };
    let style = ProgressStyle::with_template(
        "{prefix:>9} [{elapsed_precise}] {wide_bar} {pos}/{len} ({eta} left)",
    )
    .unwrap_or_else(|_| ProgressStyle::default_bar());
    bar.set_style(style);
    bar.set_prefix(what.to_string());
    bar
}
