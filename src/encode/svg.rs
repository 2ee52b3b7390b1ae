//! The SVG still: the final frame as a document the renderer drew, written whole or not at all.

use std::io::Write;
use std::path::Path;
use std::time::Duration;

use anyhow::Context;

use super::{OutputKind, Written};
use crate::atomic::PendingFile;

/// Writes `document`, a `width × height` SVG, to `path`.
pub fn svg(path: &Path, document: &str, (width, height): (u32, u32)) -> anyhow::Result<Written> {
    let mut file = PendingFile::create(path)?;
    file.write_all(document.as_bytes())
        .with_context(|| format!("cannot write `{}`", path.display()))?;
    Written::commit(file, OutputKind::Svg, (width, height), Duration::ZERO, 1)
}
