//! Importing table files: each read and checked before anything is written, so a mistake
//! anywhere writes nothing; then each read again and every run filed, or named as refused.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::path::Path;

use super::error::TableError;
use super::options::TableImport;
use super::plan::Plan;
use super::read::read;
use super::run::TableRun;
use super::time::time_in_name;
use crate::import::{
    Imported, SAME_NAME_RUNS, Shape, Source, file_record, modified_time, read_source_as, sha256_hex,
};
use crate::results::sanitize_gpu_name;

/// Imports each table in `files` into `dest`. Every file is read and checked before anything
/// is written, so a mistake anywhere writes nothing; then each is read again and filed, so
/// that one file's runs are all an import holds, however many files it is given.
pub fn import_table(
    files: &[std::path::PathBuf],
    how: &TableImport,
    dest: &Path,
    done: &mut Imported,
) -> anyhow::Result<()> {
    // Runs that share a benchmark id and a second are filed a second apart, up to a limit:
    // found out before anything is written, with what to do about it. Counted by a hash of
    // the name, so that what is kept of each run is a few bytes.
    let mut sharing: HashMap<u64, usize> = HashMap::new();
    // The first name and time over the limit: its hash, benchmark and time.
    let mut over: Option<(u64, String, String)> = None;
    let mut checked = Vec::with_capacity(files.len());
    for file in files {
        let (runs, sha256) = read_file(file, how)?;
        for run in &runs {
            let (benchmark, time) = (&run.record.benchmark, &run.record.timestamp);
            let key = (sanitize_gpu_name(&run.gpu), benchmark, time);
            let hash = hash_of(&key);
            let n = sharing.entry(hash).or_default();
            *n += 1;
            if *n > SAME_NAME_RUNS && over.is_none() {
                over = Some((hash, benchmark.clone(), time.clone()));
            }
        }
        checked.push(sha256);
    }
    if let Some((hash, benchmark, time)) = over {
        let n = sharing[&hash];
        anyhow::bail!(
            "{n} runs would be filed as `{benchmark}` at {time}; at most {SAME_NAME_RUNS} can share a name and a time; tell them apart with --group-by COLUMN (one run per group) or --name \"{{model}}_{{COLUMN}}\", or give each row a `timestamp` column"
        );
    }
    for (file, sha256) in files.iter().zip(&checked) {
        let (runs, now) = read_file(file, how)?;
        if &now != sha256 {
            anyhow::bail!(
                "`{}` changed while it was imported; import it again",
                file.display()
            );
        }
        for run in runs {
            let source = Source::new(file, file, run.sha256.clone());
            match &run.refused {
                Some(why) => done.reject(&source.path, why.clone()),
                None => file_record(dest, &run.gpu, &run.record, &source, done)?,
            }
        }
    }
    Ok(())
}

/// A hash of `key`, to count runs by without keeping their names.
fn hash_of(key: &impl Hash) -> u64 {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    key.hash(&mut hasher);
    hasher.finish()
}

/// The runs of the table `file`, and the SHA-256 of its bytes; an error names the file.
fn read_file(
    file: &std::path::PathBuf,
    how: &TableImport,
) -> anyhow::Result<(Vec<TableRun>, String)> {
    if !file.exists() {
        anyhow::bail!("`{}` does not exist", file.display());
    }
    if file.is_dir() {
        anyhow::bail!(
            "`{}` is a folder; import table reads a CSV or JSON lines file",
            file.display()
        );
    }
    let bytes = read_source_as(file, Shape::Lines)?;
    // A time in the file's name (`results_20250401_145415.csv`) is when it ran; the
    // modification time only says when it was last copied.
    let time = match time_in_name(file) {
        Some(time) => time,
        None => {
            modified_time(file).map_err(|why| anyhow::anyhow!("`{}`: {why}", file.display()))?
        }
    };
    let context = std::fs::canonicalize(file).unwrap_or_else(|_| file.clone());
    let runs = parse_table(&context, &bytes, how, &time)
        .map_err(|why| anyhow::anyhow!("{}: {why}", file.display()))?;
    Ok((runs, sha256_hex(&bytes)))
}

/// Reads a table's `bytes` into runs. `path` is read only for its name (a known layout's
/// model folder); `default_time` is the runs' time when neither `--timestamp` nor a
/// `timestamp` column gives one. Errors name the line and column, not the file.
///
/// A run's identity (`source_sha256`) is the SHA-256 of the header and its row with the row's
/// line (so two equal rows stay two runs), or of the header and the group's rows.
pub fn parse_table(
    path: &Path,
    bytes: &[u8],
    how: &TableImport,
    default_time: &str,
) -> Result<Vec<TableRun>, TableError> {
    let table = read(bytes)?;
    let plan = Plan::new(&table, how, path)?;
    plan.runs(&table, default_time)
}
