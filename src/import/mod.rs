//! Every importer: result files from elsewhere (`import results`) and what other tools saved
//! (`vllm bench serve` and `vllm bench sweep serve`, `llama-bench`, llm-on-ray's benchmark,
//! genai-perf and aiperf, sglang's `bench_serving`, guidellm), turned into result files in the
//! usual place and format.
//!
//! Each imported run records where it came from: `source_file` (its path within what was
//! imported) and `source_sha256` (the SHA-256 of the bytes it was read from). A run whose file
//! name is taken is compared with the file there: the same source (and the same sweep fields)
//! is the same run, already imported; anything else is a distinct run that shares the second,
//! and is filed a second later (`timestamp_original` keeps the real one), never dropped. A run
//! whose time an importer could only take from the file's modification time is found again by
//! its source under any second, so copying or touching the file does not import it twice.

pub mod genai_perf;
pub mod guidellm;
mod json;
pub mod llama_bench;
pub mod llm_on_ray;
pub mod multitenant;
mod normalise;
mod serving;
pub mod sglang;
pub mod sweep_configs;
pub mod table;
pub mod vllm_json;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use anyhow::Context;
use sha2::{Digest, Sha256};

use crate::results::name::is_timestamp;
use crate::results::{
    FileName, Record, ResultFile, Row, SWEEP_FIELDS, Value, Warning, next_second, sanitize_gpu_name,
};

pub use genai_perf::import_genai_perf;
pub use guidellm::import_guidellm;
pub use json::{Document, json_documents};
pub use llama_bench::import_llama_bench;
pub use llm_on_ray::{LlmOnRay, import_llm_on_ray};
pub use multitenant::{MultitenantImport, import_multitenant};
pub use normalise::import_results;
pub use serving::{Run as ServingRun, Runs as ServingRuns};
pub use sglang::import_sglang;
pub use sweep_configs::import_sweep_configs;
pub use table::{GroupCenter, TableImport, import_table};
pub use vllm_json::import_vllm_json;

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
    /// The result files in each GPU folder written to, by `source_sha256`: read once, when the
    /// first run for that folder is filed.
    filed: HashMap<PathBuf, HashMap<String, Vec<PathBuf>>>,
    /// The name each benchmark id filed in this import was made from, by (GPU, id), so that
    /// two names that sanitize alike (`Model-A`, `Model_A`) are not filed as one benchmark.
    named: HashMap<(String, String), String>,
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
    fn reject(&mut self, path: &Path, reason: impl ToString) {
        self.skipped.push(Skipped {
            path: path.to_path_buf(),
            reason: reason.to_string(),
            problem: true,
        });
    }

    /// `path` is left out on purpose.
    fn pass_over(&mut self, path: &Path, reason: impl Into<String>) {
        self.skipped.push(Skipped {
            path: path.to_path_buf(),
            reason: reason.into(),
            problem: false,
        });
    }

    /// A result file in `folder` (a GPU folder) that holds `record`'s run under another
    /// second: the same benchmark, the same source and the same path-given fields.
    fn filed_elsewhere(&mut self, folder: &Path, gpu: &str, record: &Record) -> Option<PathBuf> {
        let sha = field(&record.rows, "source_sha256")?.to_text();
        let index = self.filed.entry(folder.to_path_buf()).or_insert_with(|| {
            // What a killed writer left here goes before anything new is written.
            crate::atomic::remove_stale_partials(folder);
            sources_in(folder)
        });
        let name = FileName::build(&record.family, gpu, &record.benchmark, "");
        let stem = name.strip_suffix(".csv").unwrap_or(&name);
        index
            .get(&sha)?
            .iter()
            .find(|path| {
                let this_benchmark = path
                    .file_stem()
                    .and_then(|s| s.to_str())
                    .and_then(|s| s.strip_prefix(stem))
                    .and_then(|s| s.strip_prefix('_'))
                    .is_some_and(is_timestamp);
                this_benchmark && same_run(path, record, false)
            })
            .cloned()
    }

    /// Claims `record`'s benchmark id on `gpu` for the name it was made from (`made_from`);
    /// an error naming both when another name of this import already has it.
    fn claim(&mut self, gpu: &str, record: &Record, made_from: &str) -> Result<(), NameClash> {
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

    /// Notes a file just written, so that a run read twice in one import is filed once.
    fn note_written(&mut self, folder: &Path, record: &Record, path: &Path) {
        if let (Some(index), Some(sha)) = (
            self.filed.get_mut(folder),
            field(&record.rows, "source_sha256"),
        ) {
            index
                .entry(sha.to_text())
                .or_default()
                .push(path.to_path_buf());
        }
        self.written.push(path.to_path_buf());
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

/// No benchmark tool's output comes near this; a bigger file is a mistake, not data.
const MAX_SOURCE_BYTES: u64 = 256 * 1024 * 1024;

/// The bytes of a file to import; too big or unreadable is an error naming it.
fn read_source(path: &Path) -> anyhow::Result<Vec<u8>> {
    let size = std::fs::metadata(path)
        .with_context(|| format!("cannot read `{}`", path.display()))?
        .len();
    if size > MAX_SOURCE_BYTES {
        anyhow::bail!(
            "`{}` is {} MB; not a benchmark result",
            path.display(),
            size / 1_000_000
        );
    }
    std::fs::read(path).with_context(|| format!("cannot read `{}`", path.display()))
}

/// How many distinct runs of one benchmark can share a second: each is filed a second after
/// the one before.
pub const SAME_NAME_RUNS: usize = 1000;

/// How deep below an imported folder results are looked for; deeper folders are reported.
const MAX_FOLDER_DEPTH: usize = 64;

/// The files under `root` (at most `MAX_FOLDER_DEPTH` folders down) that `wanted` picks by
/// path, sorted. Links to folders
/// are not followed (no loops); a wanted name that is not a regular file is reported. A folder
/// with nothing wanted in it is an error saying that it `holds no {what}`.
fn walk(
    root: &Path,
    wanted: &dyn Fn(&Path) -> bool,
    what: &str,
    done: &mut Imported,
) -> anyhow::Result<Vec<PathBuf>> {
    fn visit(
        dir: &Path,
        depth: usize,
        wanted: &dyn Fn(&Path) -> bool,
        out: &mut Vec<PathBuf>,
        done: &mut Imported,
    ) -> anyhow::Result<()> {
        let entries =
            std::fs::read_dir(dir).with_context(|| format!("cannot list `{}`", dir.display()))?;
        let mut paths: Vec<(PathBuf, std::fs::FileType)> = entries
            .flatten()
            .filter_map(|e| e.file_type().ok().map(|t| (e.path(), t)))
            .collect();
        paths.sort_by(|a, b| a.0.cmp(&b.0));
        for (path, kind) in paths {
            if kind.is_dir() {
                if depth < MAX_FOLDER_DEPTH {
                    visit(&path, depth + 1, wanted, out, done)?;
                } else {
                    done.reject(
                        &path,
                        format!(
                            "more than {MAX_FOLDER_DEPTH} folders below what was imported; not searched (import it by itself)"
                        ),
                    );
                }
            } else if wanted(&path) {
                match std::fs::metadata(&path) {
                    Ok(meta) if meta.is_file() => out.push(path),
                    Ok(meta) if meta.is_dir() => {} // a link to a folder
                    Ok(_) => done.reject(&path, "not a regular file"),
                    Err(e) => done.reject(&path, format!("cannot read: {e}")),
                }
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    visit(root, 0, wanted, &mut out, done)?;
    if out.is_empty() && done.skipped.is_empty() {
        anyhow::bail!("`{}` holds no {what}", root.display());
    }
    Ok(out)
}

/// The file's modification time as `YYYYMMDD_HHMMSS`, in local time as result files use: the
/// time of runs whose files do not say when they ran.
fn modified_time(path: &Path) -> Result<String, String> {
    let time = std::fs::metadata(path)
        .and_then(|m| m.modified())
        .map_err(|e| format!("cannot read the modification time: {e}"))?;
    let time =
        jiff::Timestamp::try_from(time).map_err(|e| format!("no usable modification time: {e}"))?;
    Ok(time
        .to_zoned(jiff::tz::TimeZone::system())
        .strftime("%Y%m%d_%H%M%S")
        .to_string())
}

/// Whether `path`'s extension is `ext`, in any case.
fn has_extension(path: &Path, ext: &str) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case(ext))
}

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

/// The result files in `folder` that name their source, by `source_sha256`.
fn sources_in(folder: &Path) -> HashMap<String, Vec<PathBuf>> {
    let mut index: HashMap<String, Vec<PathBuf>> = HashMap::new();
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
            index.entry(sha.to_text()).or_default().push(path);
        }
    }
    index
}

/// Files `record`, read from `source`, under `dest/<GPU>/`: skipped when the run is already
/// there, else written under its own name or, when a different run has that name, the first
/// free second after it. A record that is no measurement (see `Record::check`), or whose
/// benchmark id another name of this import has, is listed as skipped with the reason.
fn file_record(
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
fn file_record_named(
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
        if same_run(&path, &record, timestamp == record.timestamp) {
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

/// Whether the result file at `path` holds `record`'s run: the same source bytes and the same
/// path-given fields. A file without `source_sha256` (filed by `bench`, or imported before
/// imports recorded their source), or one that cannot be read, is taken as the run when it
/// has the run's own name, as imports always did: what cannot be told apart is not doubled.
fn same_run(path: &Path, record: &Record, own_name: bool) -> bool {
    let Ok((there, _)) = ResultFile::read(path, None) else {
        return own_name;
    };
    let Some(sha) = there.field("source_sha256") else {
        return own_name;
    };
    let text = |v: Option<&Value>| v.map(Value::to_text);
    text(Some(sha)) == text(field(&record.rows, "source_sha256"))
        && identity_fields().all(|f| text(there.field(f)) == text(field(&record.rows, f)))
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
