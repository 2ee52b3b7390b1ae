//! Where a run was read from: the file, its path within what was imported and the SHA-256 of
//! its bytes; reading a source, and the time its file was last changed.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

/// Where a run was read from.
#[derive(Debug, Clone)]
pub struct Source {
    /// The file, as given (for messages).
    pub path: PathBuf,
    /// Its path within what was imported (the file name when a file was imported).
    pub name: String,
    /// SHA-256 of the bytes the run was read from, in hex.
    pub sha256: String,
}

impl Source {
    /// `path` found under `root` (or given itself, then `root` is the file).
    pub fn new(path: &Path, root: &Path, sha256: String) -> Source {
        let name = path
            .strip_prefix(root)
            .ok()
            .filter(|rel| !rel.as_os_str().is_empty())
            .or_else(|| path.file_name().map(Path::new))
            .unwrap_or(path);
        let name = name
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        Source {
            path: path.to_path_buf(),
            name,
            sha256,
        }
    }
}

/// SHA-256 of `bytes`, in lower-case hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Why a file's modification time cannot be a run's time.
#[derive(Debug, thiserror::Error)]
pub enum ModifiedTimeError {
    #[error("cannot read the modification time: {0}")]
    Unreadable(std::io::Error),
    #[error("no usable modification time: {0}")]
    Unusable(jiff::Error),
}

/// The file's modification time as `YYYYMMDD_HHMMSS`, in local time as result files use: the
/// time of runs whose files do not say when they ran.
pub(super) fn modified_time(path: &Path) -> Result<String, ModifiedTimeError> {
    let time = std::fs::metadata(path)
        .and_then(|m| m.modified())
        .map_err(ModifiedTimeError::Unreadable)?;
    let time = jiff::Timestamp::try_from(time).map_err(ModifiedTimeError::Unusable)?;
    Ok(time
        .to_zoned(jiff::tz::TimeZone::system())
        .strftime("%Y%m%d_%H%M%S")
        .to_string())
}

/// Why one file could not be read: it could not be read at all, its modification time is
/// unusable, or it is not of the format (`E`).
#[derive(Debug, thiserror::Error)]
pub enum FileError<E: std::error::Error + 'static> {
    #[error("{0:#}")]
    Unreadable(anyhow::Error),
    #[error(transparent)]
    ModifiedTime(#[from] ModifiedTimeError),
    #[error(transparent)]
    Format(E),
}

/// Whether `path`'s extension is `ext`, in any case.
pub(super) fn has_extension(path: &Path, ext: &str) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case(ext))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_bytes_as_sha256sum_does() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn names_sources_by_their_path_within_the_import() {
        let s = Source::new(
            Path::new("runs/choice_1/bs_4/summary_20240101-000001.json"),
            Path::new("runs"),
            String::new(),
        );
        assert_eq!(s.name, "choice_1/bs_4/summary_20240101-000001.json");
        let s = Source::new(
            Path::new("dir/x.json"),
            Path::new("dir/x.json"),
            String::new(),
        );
        assert_eq!(s.name, "x.json");
    }
}
