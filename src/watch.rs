//! `render --watch`: what a render reads (its scene files, the results folder, the metric
//! catalog) watched for changes, and a render after each one.
//!
//! An editor's save is a burst of events (a temporary file written, renamed, its attributes
//! set); they count as one change once the files have been quiet for [`SETTLE`]. A change that
//! comes while a render runs waits for it to finish, then starts one more: a render is never
//! cut short, so every file it writes is whole.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use notify::event::{AccessKind, AccessMode};
use notify::{Event, EventKind, RecommendedWatcher, RecursiveMode, Watcher};

/// How long the files must stay quiet before a burst of events counts as one change.
pub const SETTLE: Duration = Duration::from_millis(200);
/// Longest a change waits for quiet: files that never settle still render now and then.
const MOST_WAIT: Duration = Duration::from_secs(2);

/// What a render reads.
#[derive(Debug, Clone)]
pub struct Sources {
    /// The folder of scene files.
    pub scenes_dir: PathBuf,
    /// The scenes rendered, by file name without `.toml`; `None` for every scene there.
    pub scenes: Option<Vec<String>>,
    /// The folder of result files, watched with everything in it, and watched for again
    /// when it is removed and made anew.
    pub results: PathBuf,
    /// The metric catalog, whether or not it exists yet.
    pub catalog: PathBuf,
    /// The folder the render writes in: nothing there counts as a change, so a render never
    /// sets off the next one.
    pub out: PathBuf,
}

/// Sources being watched.
pub struct Watch {
    sources: Sources,
    watcher: RecommendedWatcher,
    events: Receiver<notify::Result<Event>>,
}

impl Watch {
    /// Starts watching; the scenes folder must exist, the results and catalog need not.
    pub fn new(sources: &Sources) -> anyhow::Result<Watch> {
        let absolute = |p: &Path| {
            std::path::absolute(p).with_context(|| format!("cannot watch `{}`", p.display()))
        };
        let sources = Sources {
            scenes_dir: absolute(&sources.scenes_dir)?,
            scenes: sources.scenes.clone(),
            results: absolute(&sources.results)?,
            catalog: absolute(&sources.catalog)?,
            out: absolute(&sources.out)?,
        };
        if !sources.scenes_dir.is_dir() {
            bail!(
                "scenes folder `{}` does not exist; pass --scenes DIR",
                sources.scenes_dir.display()
            );
        }
        let (tx, events) = channel();
        let mut watcher = notify::recommended_watcher(tx).context("cannot watch files")?;
        // Folders are watched rather than files: an editor that saves by renaming a new file
        // into place replaces the file, and a folder removed and made anew is seen again.
        let mut folders = vec![sources.scenes_dir.clone()];
        folders.extend(sources.results.parent().map(Path::to_path_buf));
        folders.extend(sources.catalog.parent().map(Path::to_path_buf));
        for folder in &folders {
            watcher
                .watch(folder, RecursiveMode::NonRecursive)
                .with_context(|| format!("cannot watch `{}`", folder.display()))?;
        }
        let mut watch = Watch {
            sources,
            watcher,
            events,
        };
        watch.watch_results();
        Ok(watch)
    }

    /// Waits for the next change; returns the files that changed, as the user named them.
    pub fn next_change(&mut self) -> anyhow::Result<Vec<PathBuf>> {
        let mut changed = BTreeSet::new();
        while changed.is_empty() {
            let event = self.events.recv().context("the file watcher stopped")?;
            self.take(event, &mut changed);
        }
        let started = Instant::now();
        while started.elapsed() < MOST_WAIT {
            match self.events.recv_timeout(SETTLE) {
                Ok(event) => self.take(event, &mut changed),
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => bail!("the file watcher stopped"),
            }
        }
        // A results folder made anew is a new folder to watch.
        self.watch_results();
        let cwd = std::env::current_dir().unwrap_or_default();
        Ok(changed
            .into_iter()
            .map(|p: PathBuf| p.strip_prefix(&cwd).map_or(p.clone(), Path::to_path_buf))
            .collect())
    }

    /// Adds the paths of `event` that a render reads to `changed`.
    fn take(&self, event: notify::Result<Event>, changed: &mut BTreeSet<PathBuf>) {
        let event = match event {
            Ok(event) => event,
            Err(e) => {
                stderr_line!("warning: watching files: {e}");
                return;
            }
        };
        match event.kind {
            // Reading is no change (a render reads them all); a file closed after writing is.
            EventKind::Access(AccessKind::Close(AccessMode::Write)) => {}
            EventKind::Access(_) => return,
            _ => {}
        }
        if event.need_rescan() {
            // The kernel dropped events: anything may have changed.
            changed.insert(self.sources.results.clone());
        }
        changed.extend(event.paths.into_iter().filter(|p| self.reads(p)));
    }

    /// Whether a render reads `path`.
    fn reads(&self, path: &Path) -> bool {
        let s = &self.sources;
        if path.starts_with(&s.out) {
            return false;
        }
        let scene = path.parent() == Some(s.scenes_dir.as_path())
            && path.extension().is_some_and(|e| e == "toml")
            && path
                .file_stem()
                .and_then(|n| n.to_str())
                .is_some_and(|stem| {
                    s.scenes
                        .as_ref()
                        .is_none_or(|names| names.iter().any(|n| n == stem))
                });
        scene || path.starts_with(&s.results) || path == s.catalog
    }

    /// Watches the results folder and everything in it, when it is there.
    fn watch_results(&mut self) {
        let results = &self.sources.results;
        if results.is_dir()
            && let Err(e) = self.watcher.watch(results, RecursiveMode::Recursive)
        {
            stderr_line!(
                "warning: cannot watch `{}`: {e}; changes there are not seen",
                results.display()
            );
        }
    }
}

/// Calls `render` now and after each change to `sources`, until the process is stopped
/// (Ctrl-C, SIGTERM) or `render` fails, which ends the watch with its error.
pub fn run(
    sources: &Sources,
    mut render: impl FnMut() -> anyhow::Result<()>,
) -> anyhow::Result<u8> {
    // Watching starts before the first render, so a change made during it is not missed.
    let mut watch = Watch::new(sources)?;
    stderr_line!(
        "watching `{}`, `{}` and `{}`; Ctrl-C stops",
        shown(&sources.scenes_dir),
        shown(&sources.results),
        shown(&sources.catalog),
    );
    render()?;
    loop {
        let changed = watch.next_change()?;
        let names: Vec<String> = changed.iter().map(|p| shown(p)).collect();
        stderr_line!("{} changed: {}", clock(), names.join(", "));
        render()?;
    }
}

fn shown(path: &Path) -> String {
    crate::terminal::printable(&path.display().to_string()).into_owned()
}

/// The time of day, `14:03:21`, to tell one render's lines from the next.
fn clock() -> String {
    jiff::Zoned::now().strftime("%H:%M:%S").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_change_is_what_a_render_reads_and_nothing_it_writes() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for folder in ["scenes", "results/GPU", "renders"] {
            std::fs::create_dir_all(root.join(folder)).unwrap();
        }
        std::fs::write(root.join("scenes/a.toml"), "title = \"A\"").unwrap();
        let sources = Sources {
            scenes_dir: root.join("scenes"),
            scenes: Some(vec!["a".into()]),
            results: root.join("results"),
            catalog: root.join("metrics.toml"),
            out: root.join("renders"),
        };
        let mut watch = Watch::new(&sources).unwrap();

        // What a render does (read the scene, write its files) and files it does not read...
        std::fs::read(root.join("scenes/a.toml")).unwrap();
        std::fs::write(root.join("renders/a.png"), "png").unwrap();
        std::fs::write(root.join("scenes/b.toml"), "title = \"B\"").unwrap();
        std::fs::write(root.join("notes.txt"), "notes").unwrap();
        // ...are no change; a catalog made is one.
        std::fs::write(root.join("metrics.toml"), "").unwrap();
        assert_eq!(watch.next_change().unwrap(), [root.join("metrics.toml")]);

        // A result file, in a folder made after the watch began.
        std::fs::create_dir(root.join("results/NEW_GPU")).unwrap();
        let change = watch.next_change().unwrap();
        assert!(change.iter().all(|p| p.starts_with(root.join("results"))));
        std::fs::write(root.join("results/NEW_GPU/run.csv"), "x").unwrap();
        let change = watch.next_change().unwrap();
        assert!(
            change.contains(&root.join("results/NEW_GPU/run.csv")),
            "{change:?}"
        );

        // An editor's save: a new file renamed over the scene.
        std::fs::write(root.join("scenes/.a.toml.swp"), "title = \"A2\"").unwrap();
        std::fs::rename(root.join("scenes/.a.toml.swp"), root.join("scenes/a.toml")).unwrap();
        assert_eq!(watch.next_change().unwrap(), [root.join("scenes/a.toml")]);
    }
}
