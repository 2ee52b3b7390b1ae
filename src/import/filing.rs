//! Filing a run as a result file under `<results>/<GPU>/`: once, however often it is
//! imported, and never over another run that has its name.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use anyhow::Context;

use super::imported::Imported;
use super::source::{Source, has_extension};
use crate::results::name::is_timestamp;
use crate::results::{
    FileName, Record, ResultFile, Row, SWEEP_FIELDS, Value, next_second, sanitize_gpu_name,
};

/// How many distinct runs of one benchmark can share a second: each is filed a second after
/// the one before.
pub const SAME_NAME_RUNS: usize = 1000;

/// Fields that tell runs read from the same bytes apart: values an importer takes from the
/// path (a `bs_4` folder) rather than from the file.
fn identity_fields() -> impl Iterator<Item = &'static str> {
    SWEEP_FIELDS.iter().copied().chain(["engine"])
}

fn field<'a>(rows: &'a [Row], name: &str) -> Option<&'a Value> {
    rows.iter()
        .find(|r| r.metric == name && r.section.is_none())
        .map(|r| &r.value)
}

/// A hash of the path-given fields `field` gives: runs of one source with the same hash are
/// one run.
fn identity_of(field: impl Fn(&str) -> Option<String>) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    for name in identity_fields() {
        field(name).hash(&mut hasher);
    }
    hasher.finish()
}

/// The identity hash of `record`'s run.
fn identity_of_record(record: &Record) -> u64 {
    identity_of(|f| field(&record.rows, f).map(Value::to_text))
}

/// The result files in `folder` that name their source, by `source_sha256`, with the hash of
/// their path-given fields.
fn sources_in(folder: &Path) -> HashMap<String, Vec<(PathBuf, u64)>> {
    let mut index: HashMap<String, Vec<(PathBuf, u64)>> = HashMap::new();
    let Ok(entries) = std::fs::read_dir(folder) else {
        return index;
    };
    let mut paths: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| has_extension(p, "csv") && p.is_file())
        .collect();
    paths.sort();
    for path in paths {
        if let Ok((file, _)) = ResultFile::read(&path, None)
            && let Some(sha) = file.field("source_sha256")
        {
            let identity = identity_of(|f| file.field(f).map(Value::to_text));
            index
                .entry(sha.to_text())
                .or_default()
                .push((path, identity));
        }
    }
    index
}

/// Files `record`, read from `source`, under `dest/<GPU>/`: skipped when the run is already
/// there, else written under its own name or, when a different run has that name, the first
/// free second after it. A record that is no measurement (see `Record::check`), or whose
/// benchmark id another name of this import has, is listed as skipped with the reason.
pub(super) fn file_record(
    dest: &Path,
    gpu: &str,
    record: &Record,
    source: &Source,
    done: &mut Imported,
) -> anyhow::Result<()> {
    file_record_named(dest, gpu, record, source, None, done)
}

/// `file_record` for a record whose benchmark id is made from `made_from` (a folder's name)
/// rather than from its `model` or `model_name` row.
pub(super) fn file_record_named(
    dest: &Path,
    gpu: &str,
    record: &Record,
    source: &Source,
    made_from: Option<&str>,
    done: &mut Imported,
) -> anyhow::Result<()> {
    let gpu = match sanitize_gpu_name(gpu) {
        name if name.is_empty() => anyhow::bail!("the GPU name `{gpu}` has no letters or digits"),
        name => name,
    };
    let named_after = made_from.map(str::to_string).or_else(|| {
        ["model", "model_name"]
            .iter()
            .find_map(|f| field(&record.rows, f))
            // The model's own name, not where one machine kept it.
            .map(|v| {
                v.to_text()
                    .rsplit(['/', '\\'])
                    .next()
                    .unwrap_or("")
                    .to_string()
            })
    });
    if let Err(why) = record.check() {
        done.reject(&source.path, why);
        return Ok(());
    }
    if let Some(name) = &named_after
        && let Err(clash) = done.claim(&gpu, record, name)
    {
        done.reject(&source.path, clash);
        return Ok(());
    }
    let mut record = record.clone();
    if field(&record.rows, "source_file").is_none() {
        record
            .rows
            .push(Row::text("source_file", source.name.as_str()));
    }
    if field(&record.rows, "source_sha256").is_none() {
        record
            .rows
            .push(Row::text("source_sha256", source.sha256.as_str()));
    }
    let folder = dest.join(&gpu);
    if let Some(there) = done.filed_elsewhere(&folder, &gpu, &record) {
        done.already.push((source.path.clone(), there));
        return Ok(());
    }
    let mut timestamp = record.timestamp.clone();
    for _ in 0..SAME_NAME_RUNS {
        let candidate = record.moved_to(&timestamp);
        let path = candidate.path(dest, &gpu);
        if !path.exists() {
            let written = candidate.write(dest, &gpu)?;
            done.note_written(&folder, &record, &written);
            return Ok(());
        }
        // Under a later second, a file of this run would have been found in the index above;
        // only the run's own name can hold it without saying its source, so only that is read.
        if timestamp == record.timestamp && same_run(&path, &record) {
            done.already.push((source.path.clone(), path));
            return Ok(());
        }
        timestamp =
            next_second(&timestamp).with_context(|| format!("`{timestamp}` is not a timestamp"))?;
    }
    anyhow::bail!(
        "no free name for `{}` in `{}`",
        record.benchmark,
        dest.join(&gpu).display()
    )
}

/// Whether the result file at `path`, the run's own name, holds `record`'s run: the same
/// source bytes and the same path-given fields. A file without `source_sha256` (filed by
/// `bench`, or imported before imports recorded their source), or one that cannot be read, is
/// taken as the run, as imports always did: what cannot be told apart is not doubled.
fn same_run(path: &Path, record: &Record) -> bool {
    let Ok((there, _)) = ResultFile::read(path, None) else {
        return true;
    };
    let Some(sha) = there.field("source_sha256") else {
        return true;
    };
    let text = |v: Option<&Value>| v.map(Value::to_text);
    text(Some(sha)) == text(field(&record.rows, "source_sha256"))
        && identity_fields().all(|f| text(there.field(f)) == text(field(&record.rows, f)))
}

impl Imported {
    /// A result file in `folder` (a GPU folder) that holds `record`'s run under another
    /// second: the same benchmark, the same source and the same path-given fields. Told from
    /// the index alone: many runs of one source (a file copied into many `bs_N` folders) would
    /// otherwise read every earlier one's file, for each.
    fn filed_elsewhere(&mut self, folder: &Path, gpu: &str, record: &Record) -> Option<PathBuf> {
        let sha = field(&record.rows, "source_sha256")?.to_text();
        let index = self.filed.entry(folder.to_path_buf()).or_insert_with(|| {
            // What a killed writer left here goes before anything new is written.
            crate::atomic::remove_stale_partials(folder);
            sources_in(folder)
        });
        let name = FileName::build(&record.family, gpu, &record.benchmark, "");
        let stem = name.strip_suffix(".csv").unwrap_or(&name);
        let identity = identity_of_record(record);
        index
            .get(&sha)?
            .iter()
            .find(|(path, there)| {
                let this_benchmark = path
                    .file_stem()
                    .and_then(|s| s.to_str())
                    .and_then(|s| s.strip_prefix(stem))
                    .and_then(|s| s.strip_prefix('_'))
                    .is_some_and(is_timestamp);
                this_benchmark && *there == identity
            })
            .map(|(path, _)| path.clone())
    }

    /// Notes a file just written, so that a run read twice in one import is filed once.
    fn note_written(&mut self, folder: &Path, record: &Record, path: &Path) {
        if let (Some(index), Some(sha)) = (
            self.filed.get_mut(folder),
            field(&record.rows, "source_sha256"),
        ) {
            index
                .entry(sha.to_text())
                .or_default()
                .push((path.to_path_buf(), identity_of_record(record)));
        }
        self.written.push(path.to_path_buf());
    }
}
