//! Files are written under a temporary name in their folder and renamed into place,
//! so an interrupted run never leaves a half-written file under the final name.

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;
use tempfile::NamedTempFile;

/// A file being written; it appears under `dest` only on `commit`, and vanishes if dropped.
pub struct PendingFile {
    writer: BufWriter<NamedTempFile>,
    dest: PathBuf,
}

impl PendingFile {
    pub fn create(dest: &Path) -> anyhow::Result<PendingFile> {
        let dir = match dest.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create folder `{}`", dir.display()))?;
        let name = dest
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("output");
        let tmp = tempfile::Builder::new()
            .prefix(&format!(".{name}."))
            .suffix(".partial")
            .tempfile_in(dir)
            .with_context(|| format!("cannot write in `{}`", dir.display()))?;
        Ok(PendingFile {
            writer: BufWriter::with_capacity(1 << 20, tmp),
            dest: dest.to_path_buf(),
        })
    }

    pub fn dest(&self) -> &Path {
        &self.dest
    }

    /// Moves the finished file into place, replacing what was there.
    pub fn commit(self) -> anyhow::Result<()> {
        let dest = self.dest.clone();
        self.into_temp()?
            .persist(&dest)
            .with_context(|| format!("cannot move the finished file to `{}`", dest.display()))?;
        Ok(())
    }

    /// Moves the finished file into place, failing if a file of that name already exists.
    pub fn commit_new(self) -> anyhow::Result<()> {
        let dest = self.dest.clone();
        self.into_temp()?
            .persist_noclobber(&dest)
            .with_context(|| format!("`{}` already exists; not overwritten", dest.display()))?;
        Ok(())
    }

    fn into_temp(self) -> anyhow::Result<NamedTempFile> {
        let tmp = self.writer.into_inner().map_err(|e| e.into_error())?;
        tmp.as_file().sync_data().ok();
        // Temporary files are private; the finished file is an ordinary one, readable by a web server.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            tmp.as_file()
                .set_permissions(std::fs::Permissions::from_mode(0o644))
                .ok();
        }
        Ok(tmp)
    }
}

impl Write for PendingFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.writer.write(buf)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.writer.flush()
    }
}

impl std::io::Seek for PendingFile {
    fn seek(&mut self, pos: std::io::SeekFrom) -> std::io::Result<u64> {
        self.writer.seek(pos)
    }
}

/// Writes `bytes` to `dest` through a temporary file.
pub fn write_atomic(dest: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let mut file = PendingFile::create(dest)?;
    file.write_all(bytes)
        .with_context(|| format!("cannot write `{}`", dest.display()))?;
    file.commit()
}
