//! Files are written under a temporary name in their folder and renamed into place,
//! so an interrupted run never leaves a half-written file under the final name.
//!
//! Temporary names carry the writer's process id (`.NAME.PID.XXXXXX.partial`): a later run
//! removes those whose writer is gone ([`remove_stale_partials`]), and a run stopped by a
//! signal removes its own before it exits.

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use anyhow::{Context, bail};
use tempfile::NamedTempFile;

/// Temporary files of this process not yet moved into place.
static UNFINISHED: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// A new file's name was taken (by another writer, perhaps a moment ago): nothing overwritten.
#[derive(Debug, thiserror::Error)]
#[error("`{}` already exists; not overwritten", .0.display())]
pub struct AlreadyExists(pub PathBuf);

/// A file being written; it appears under `dest` only on `commit`, and vanishes if dropped.
pub struct PendingFile {
    writer: BufWriter<NamedTempFile>,
    dest: PathBuf,
    _unfinished: Unfinished,
}

/// Where a temp for `dest` goes: its folder (made when missing), and the temp's name prefix,
/// `.<name>.<pid>.`, so a leftover says what it was and which process left it.
fn temp_place<'a>(dest: &'a Path, unnamed: &str) -> anyhow::Result<(&'a Path, String)> {
    let dir = match dest.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir)
        .with_context(|| format!("cannot create folder `{}`", dir.display()))?;
    let name = dest.file_name().and_then(|n| n.to_str()).unwrap_or(unnamed);
    Ok((dir, format!(".{name}.{}.", std::process::id())))
}

impl PendingFile {
    /// Starts writing `dest`. A link is written through (the file it points to is replaced);
    /// a folder or a special file (device, FIFO, socket) at `dest` is an error.
    pub fn create(dest: &Path) -> anyhow::Result<PendingFile> {
        let dest = regular_destination(dest)?;
        let (dir, prefix) = temp_place(&dest, "output")?;
        let (tmp, unfinished) = Unfinished::create(dir, &prefix)
            .with_context(|| format!("cannot write in `{}`", dir.display()))?;
        Ok(PendingFile {
            writer: BufWriter::with_capacity(1 << 20, tmp),
            dest,
            _unfinished: unfinished,
        })
    }

    pub fn dest(&self) -> &Path {
        &self.dest
    }

    /// The temporary file, for a writer that opens files by name (FFmpeg's muxers); nothing
    /// may then be written through this value.
    pub fn temp_path(&self) -> &Path {
        self.writer.get_ref().path()
    }

    /// Moves the finished file into place, replacing what was there.
    pub fn commit(self) -> anyhow::Result<()> {
        let dest = self.dest.clone();
        let moved = self.into_temp()?.persist(&dest);
        moved.with_context(|| format!("cannot move the finished file to `{}`", dest.display()))?;
        Ok(())
    }

    /// Moves the finished file into place, failing if a file of that name already exists.
    pub fn commit_new(self) -> anyhow::Result<()> {
        let dest = self.dest.clone();
        match self.into_temp()?.persist_noclobber(&dest) {
            Ok(_) => Ok(()),
            Err(e) if e.error.kind() == std::io::ErrorKind::AlreadyExists => {
                Err(AlreadyExists(dest).into())
            }
            Err(e) => Err(e).with_context(|| format!("cannot write `{}`", dest.display())),
        }
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

/// A folder being filled (a PNG sequence); it appears under `dest` only on `commit`, and
/// vanishes if dropped.
pub struct PendingDir {
    tmp: tempfile::TempDir,
    dest: PathBuf,
    _unfinished: Unfinished,
}

impl PendingDir {
    /// Starts filling the folder `dest`; a file at `dest` is an error.
    pub fn create(dest: &Path) -> anyhow::Result<PendingDir> {
        if dest.is_file() {
            bail!("`{}` is a file; a PNG sequence is a folder", dest.display());
        }
        let (dir, prefix) = temp_place(dest, "frames")?;
        let mut list = UNFINISHED.lock().unwrap_or_else(|p| p.into_inner());
        let tmp = tempfile::Builder::new()
            .prefix(&prefix)
            .suffix(".partial")
            .tempdir_in(dir)
            .with_context(|| format!("cannot write in `{}`", dir.display()))?;
        list.push(tmp.path().to_path_buf());
        let unfinished = Unfinished(tmp.path().to_path_buf());
        Ok(PendingDir {
            tmp,
            dest: dest.to_path_buf(),
            _unfinished: unfinished,
        })
    }

    /// Where the files go meanwhile.
    pub fn path(&self) -> &Path {
        self.tmp.path()
    }

    pub fn dest(&self) -> &Path {
        &self.dest
    }

    /// Moves the finished folder into place, replacing an earlier one that holds only files
    /// whose names pass `replaceable` (never a folder of the user's own).
    pub fn commit(self, replaceable: fn(&str) -> bool) -> anyhow::Result<()> {
        let shown = self.dest.display();
        let old = if self.dest.is_dir() {
            let entries =
                std::fs::read_dir(&self.dest).with_context(|| format!("cannot read `{shown}`"))?;
            for entry in entries {
                let entry = entry.with_context(|| format!("cannot read `{shown}`"))?;
                let name = entry.file_name();
                if !name.to_str().is_some_and(replaceable) || !entry.path().is_file() {
                    bail!(
                        "`{shown}` holds `{}`, which this render did not write; not replaced",
                        name.to_string_lossy()
                    );
                }
            }
            // Out of the way first, so the new folder takes the name in one step.
            let aside = self.tmp.path().with_extension("old");
            std::fs::rename(&self.dest, &aside)
                .with_context(|| format!("cannot move the earlier `{shown}` aside"))?;
            Some(aside)
        } else {
            None
        };
        let tmp = self.tmp.keep();
        std::fs::rename(&tmp, &self.dest)
            .with_context(|| format!("cannot move the finished folder to `{shown}`"))?;
        if let Some(old) = old {
            std::fs::remove_dir_all(&old)
                .with_context(|| format!("cannot remove `{}`", old.display()))?;
        }
        Ok(())
    }
}

/// Writes `bytes` to `dest` through a temporary file. A device or FIFO at `dest`
/// (`/dev/null`, `/dev/stdout`) is written to directly, never replaced.
pub fn write_atomic(dest: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    if std::fs::metadata(dest).is_ok_and(|m| !m.is_file() && !m.is_dir()) {
        return std::fs::OpenOptions::new()
            .write(true)
            .open(dest)
            .and_then(|mut f| f.write_all(bytes))
            .with_context(|| format!("cannot write `{}`", dest.display()));
    }
    let mut file = PendingFile::create(dest)?;
    file.write_all(bytes)
        .with_context(|| format!("cannot write `{}`", dest.display()))?;
    file.commit()
}

/// Where a file meant for `dest` goes: `dest`, or the file a link there points to.
fn regular_destination(dest: &Path) -> anyhow::Result<PathBuf> {
    let shown = dest.display();
    let link = match std::fs::symlink_metadata(dest) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(dest.to_path_buf()),
        Err(e) => bail!("cannot write `{shown}`: {e}"),
        Ok(m) => m.file_type().is_symlink(),
    };
    match std::fs::metadata(dest) {
        Ok(m) if m.is_file() && link => {
            std::fs::canonicalize(dest).with_context(|| format!("cannot follow the link `{shown}`"))
        }
        Ok(m) if m.is_file() => Ok(dest.to_path_buf()),
        Ok(m) if m.is_dir() => bail!("`{shown}` is a folder; name a file to write"),
        Ok(_) => {
            bail!("`{shown}` is not a regular file (a device, FIFO or socket); it is not replaced")
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            // A link to a file not there yet: the file is created where the link points.
            let target = std::fs::read_link(dest)?;
            Ok(dest.parent().unwrap_or(Path::new(".")).join(target))
        }
        Err(e) => bail!("cannot write `{shown}`: {e}"),
    }
}

/// Keeps a temporary file's path in [`UNFINISHED`] while it lives.
struct Unfinished(PathBuf);

impl Unfinished {
    /// A new temporary file in `dir`, listed as this process's. Made and listed under the
    /// list's lock, which a run stopping on a signal holds to the end: so no file is made
    /// that the stop does not know of and remove.
    fn create(dir: &Path, prefix: &str) -> std::io::Result<(NamedTempFile, Unfinished)> {
        let mut list = UNFINISHED.lock().unwrap_or_else(|p| p.into_inner());
        let tmp = tempfile::Builder::new()
            .prefix(prefix)
            .suffix(".partial")
            .tempfile_in(dir)?;
        list.push(tmp.path().to_path_buf());
        let unfinished = Unfinished(tmp.path().to_path_buf());
        Ok((tmp, unfinished))
    }
}

impl Drop for Unfinished {
    fn drop(&mut self) {
        if let Ok(mut list) = UNFINISHED.lock() {
            list.retain(|p| p != &self.0);
        }
    }
}

/// Removes this process's temporary files and exits with `code`: for a run stopped by a
/// signal, which skips the destructors that would remove them. The list stays locked until
/// the exit, so no other thread starts a file after the removal.
fn remove_unfinished_and_exit(code: i32) -> ! {
    let list = UNFINISHED.lock().unwrap_or_else(|p| p.into_inner());
    for path in list.iter() {
        let _ = std::fs::remove_file(path).or_else(|_| std::fs::remove_dir_all(path));
    }
    stderr_line!("interrupted; unfinished files removed, finished ones kept");
    std::process::exit(code);
}

/// On Ctrl-C (SIGINT) or SIGTERM, removes this process's temporary files and exits with
/// 128 + the signal's number (130, 143), as shells report a run ended by a signal. For runs
/// that write files and measure nothing, so stopping at once loses nothing finished.
pub fn exit_cleanly_on_signal() -> anyhow::Result<()> {
    use signal_hook::consts::{SIGINT, SIGTERM};
    use std::sync::atomic::{AtomicBool, Ordering};
    // One listener for the process, however many steps ask for it.
    static LISTENING: AtomicBool = AtomicBool::new(false);
    if LISTENING.swap(true, Ordering::SeqCst) {
        return Ok(());
    }
    let mut signals = signal_hook::iterator::Signals::new([SIGINT, SIGTERM])
        .context("cannot listen for Ctrl-C and SIGTERM")?;
    std::thread::Builder::new()
        .name("signals".into())
        .spawn(move || {
            if let Some(signal) = signals.forever().next() {
                remove_unfinished_and_exit(128 + signal);
            }
        })?;
    Ok(())
}

/// Removes the temporary files in `dir` left by runs that were killed; files of running
/// writers stay. Returns how many were removed.
pub fn remove_stale_partials(dir: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    let mut removed = 0;
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        if !name.starts_with('.') || !name.ends_with(".partial") {
            continue;
        }
        let stale = match writer_pid(name) {
            Some(pid) => !process_alive(pid),
            // Named by an older version: stale once nobody has touched it for an hour.
            None => entry
                .metadata()
                .and_then(|m| m.modified())
                .is_ok_and(|t| t.elapsed().is_ok_and(|age| age.as_secs() > 3600)),
        };
        if !stale {
            continue;
        }
        // A PNG sequence is filled in a folder.
        let path = entry.path();
        let gone = if path.is_dir() {
            std::fs::remove_dir_all(&path)
        } else {
            std::fs::remove_file(&path)
        };
        if gone.is_ok() {
            removed += 1;
        }
    }
    removed
}

/// The process id in `.NAME.PID.XXXXXX.partial`.
fn writer_pid(name: &str) -> Option<u32> {
    let rest = name.strip_suffix(".partial")?;
    let (rest, _random) = rest.rsplit_once('.')?;
    let (_, pid) = rest.rsplit_once('.')?;
    pid.parse().ok()
}

fn process_alive(pid: u32) -> bool {
    if pid == std::process::id() {
        return true;
    }
    Path::new("/proc").join(pid.to_string()).exists()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_written_through_and_special_files_are_not_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("target.md");
        std::fs::write(&target, "old").unwrap();
        let link = dir.path().join("link.md");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        write_atomic(&link, b"new").unwrap();
        assert!(link.symlink_metadata().unwrap().file_type().is_symlink());
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "new");

        // A link to a file that is not there yet creates it.
        let dangling = dir.path().join("dangling.md");
        std::os::unix::fs::symlink("made.md", &dangling).unwrap();
        write_atomic(&dangling, b"made").unwrap();
        assert_eq!(
            std::fs::read_to_string(dir.path().join("made.md")).unwrap(),
            "made"
        );

        // /dev/null is written to, and stays a device.
        write_atomic(Path::new("/dev/null"), b"gone").unwrap();
        use std::os::unix::fs::FileTypeExt;
        assert!(
            std::fs::metadata("/dev/null")
                .unwrap()
                .file_type()
                .is_char_device()
        );
        // A video cannot go to a device.
        let e = PendingFile::create(Path::new("/dev/null")).err().unwrap();
        assert!(e.to_string().contains("not a regular file"), "{e}");

        let e = write_atomic(dir.path(), b"x").unwrap_err();
        assert!(e.to_string().contains("is a folder"), "{e}");
        // Nothing temporary is left.
        let names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        assert!(names.iter().all(|n| !n.ends_with(".partial")), "{names:?}");
    }

    #[test]
    fn stale_temporary_files_go_and_live_ones_stay() {
        let dir = tempfile::tempdir().unwrap();
        let live = PendingFile::create(&dir.path().join("a.mp4")).unwrap();
        // No process has this id (above the kernel's pid_max).
        let stale = dir.path().join(".b.mp4.4194305.AbCdEf.partial");
        std::fs::write(&stale, "half").unwrap();
        let stale_frames = dir.path().join(".b.4194305.GhIjKl.partial");
        std::fs::create_dir(&stale_frames).unwrap();
        std::fs::write(stale_frames.join("frame_00001.png"), "half").unwrap();
        let live_frames = PendingDir::create(&dir.path().join("c")).unwrap();
        assert_eq!(remove_stale_partials(dir.path()), 2);
        assert!(!stale.exists() && !stale_frames.exists());
        assert!(live_frames.path().is_dir());
        drop(live_frames);
        // Other tests make files of their own meanwhile: this one is the one in `dir`.
        let live_path = (UNFINISHED.lock().unwrap().iter())
            .find(|p| p.starts_with(dir.path()) && p.is_file())
            .cloned()
            .unwrap();
        assert!(live_path.exists());
        drop(live);
        assert!(!live_path.exists());
        assert!(!UNFINISHED.lock().unwrap().contains(&live_path));
    }
}
