//! Result file names: `<family>_<GPU>_<rest>_<YYYYMMDD_HHMMSS>.csv`.

use super::family::KNOWN_FAMILIES;
use super::sanitize::sanitize;

/// `openai/gpt-oss-20b` → `gpt_oss_20b`: the part of a model id that names it in file names.
/// The model's name in a model id that may be where one machine keeps it: a path
/// (`/root/.cache/x/SmolLM2-135M-Instruct.Q4_1.gguf`, `./models/m.gguf`, `C:\\m\\x.gguf`) becomes its
/// file's name without a weights extension (`SmolLM2-135M-Instruct.Q4_1`); a hub id
/// (`Qwen/Qwen3-4B`) or a plain name stays as it is.
pub fn model_name(id: &str) -> String {
    let id = id.trim();
    let lower = id.to_ascii_lowercase();
    const WEIGHTS: [&str; 4] = [".gguf", ".safetensors", ".bin", ".pt"];
    let local = id.starts_with(['/', '.', '~', '\\'])
        || id.as_bytes().get(1) == Some(&b':')
        || WEIGHTS.iter().any(|ext| lower.ends_with(ext));
    if !local {
        return id.to_string();
    }
    let file = id
        .trim_end_matches(['/', '\\'])
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or(id);
    let lower_file = file.to_ascii_lowercase();
    let stem = WEIGHTS
        .iter()
        .find_map(|ext| {
            lower_file
                .ends_with(ext)
                .then(|| &file[..file.len() - ext.len()])
        })
        .unwrap_or(file);
    stem.to_string()
}

pub fn model_slug(model: &str) -> String {
    let last = model
        .trim_end_matches('/')
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or(model);
    let slug = sanitize(last);
    if slug.is_empty() {
        "model".into()
    } else {
        slug
    }
}

/// What a result file's name says about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileName {
    pub family: String,
    /// The benchmark id: the stem without the GPU part and the timestamp.
    pub benchmark: String,
    pub timestamp: Option<String>,
}

impl FileName {
    /// Splits a file stem, knowing the GPU's sanitized name (from the folder or the file).
    pub fn parse(stem: &str, gpu: &str) -> FileName {
        let (rest, timestamp) = split_timestamp(stem);
        let marker = format!("_{gpu}_");
        let (family, tail) = match KNOWN_FAMILIES
            .iter()
            .find(|f| rest.starts_with(&format!("{f}_")))
        {
            Some(f) => {
                let after = &rest[f.len()..];
                let tail = after
                    .strip_prefix(&format!("_{gpu}"))
                    .map(|t| t.trim_start_matches('_'))
                    .unwrap_or(after.trim_start_matches('_'));
                (f.to_string(), tail.to_string())
            }
            None => match rest.find(&marker) {
                Some(i) => (rest[..i].to_string(), rest[i + marker.len()..].to_string()),
                // `<family>_<GPU>`: a benchmark named by its family alone.
                None if !gpu.is_empty() && rest.ends_with(&format!("_{gpu}")) => (
                    rest[..rest.len() - gpu.len() - 1].to_string(),
                    String::new(),
                ),
                None => match rest.split_once('_') {
                    Some((f, t)) => (f.to_string(), t.to_string()),
                    None => (rest.to_string(), String::new()),
                },
            },
        };
        let benchmark = if tail.is_empty() {
            family.clone()
        } else {
            format!("{family}_{tail}")
        };
        FileName {
            family,
            benchmark,
            timestamp,
        }
    }

    /// The name a result file gets when written: `<family>_<GPU>_<rest>_<timestamp>.csv`.
    pub fn build(family: &str, gpu: &str, benchmark: &str, timestamp: &str) -> String {
        let rest = benchmark
            .strip_prefix(family)
            .map(|r| r.trim_start_matches('_'))
            .unwrap_or(benchmark);
        let parts: Vec<&str> = [family, gpu, rest, timestamp]
            .into_iter()
            .filter(|p| !p.is_empty())
            .collect();
        format!("{}.csv", parts.join("_"))
    }
}

/// `..._20260130_015912` → (`...`, Some(`20260130_015912`)).
fn split_timestamp(stem: &str) -> (&str, Option<String>) {
    let bytes = stem.as_bytes();
    if bytes.len() >= 16 {
        let tail = &stem[stem.len() - 15..];
        let sep = bytes[bytes.len() - 16];
        if is_timestamp(tail) && sep == b'_' {
            return (&stem[..stem.len() - 16], Some(tail.to_string()));
        }
    }
    (stem, None)
}

/// `YYYYMMDD_HHMMSS`.
pub fn is_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 15
        && b[8] == b'_'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 8 || c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn model_names_leave_the_machine_behind() {
        assert_eq!(
            model_name("/root/.cache/benchanim/model/SmolLM2-135M-Instruct.Q4_1.gguf"),
            "SmolLM2-135M-Instruct.Q4_1"
        );
        assert_eq!(model_name("./models/llama.gguf"), "llama");
        assert_eq!(model_name("C:\\models\\x.GGUF"), "x");
        assert_eq!(model_name("/data/hf/Qwen3-4B/"), "Qwen3-4B");
        assert_eq!(model_name("Qwen/Qwen3-4B"), "Qwen/Qwen3-4B");
        assert_eq!(model_name("SmolLM2-135M-Instruct"), "SmolLM2-135M-Instruct");
    }

    #[test]
    fn slugs_model_ids() {
        assert_eq!(model_slug("openai/gpt-oss-20b"), "gpt_oss_20b");
        assert_eq!(
            model_slug("SmolLM2-135M-Instruct.Q4_1.gguf"),
            "SmolLM2_135M_Instruct_Q4_1_gguf"
        );
        assert_eq!(model_slug("///"), "model");
    }

    #[test]
    fn splits_file_names() {
        let n = FileName::parse(
            "vLLM_NVIDIA_GB10_gpt_oss_20b_text_only_samples_100_20260203_055449",
            "NVIDIA_GB10",
        );
        assert_eq!(n.family, "vLLM");
        assert_eq!(n.benchmark, "vLLM_gpt_oss_20b_text_only_samples_100");
        assert_eq!(n.timestamp.as_deref(), Some("20260203_055449"));

        let n = FileName::parse(
            "llm_finetune_bench_NVIDIA_GeForce_RTX_4090_gemma_3_270m_it_epochs_3_20260202_154002",
            "NVIDIA_GeForce_RTX_4090",
        );
        assert_eq!(n.family, "llm_finetune_bench");
        assert_eq!(n.benchmark, "llm_finetune_bench_gemma_3_270m_it_epochs_3");

        let n = FileName::parse("my_bench_NVIDIA_GB10_thing_20260101_000000", "NVIDIA_GB10");
        assert_eq!(n.family, "my_bench");
        assert_eq!(n.benchmark, "my_bench_thing");

        let n = FileName::parse("my_bench_NVIDIA_GB10_20260101_000000", "NVIDIA_GB10");
        assert_eq!(
            (n.family.as_str(), n.benchmark.as_str()),
            ("my_bench", "my_bench")
        );

        let n = FileName::parse("odd", "NVIDIA_GB10");
        assert_eq!((n.family.as_str(), n.timestamp), ("odd", None));
    }

    #[test]
    fn builds_what_it_parses() {
        let name = FileName::build("vLLM", "NVIDIA_GB10", "vLLM_gpt_oss_20b", "20260203_055449");
        assert_eq!(name, "vLLM_NVIDIA_GB10_gpt_oss_20b_20260203_055449.csv");
        let back = FileName::parse(name.trim_end_matches(".csv"), "NVIDIA_GB10");
        assert_eq!(back.benchmark, "vLLM_gpt_oss_20b");
    }
}
