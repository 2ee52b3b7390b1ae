//! Benchmark families: where their results go in a report and which fields say what was run.

use super::sanitize::sanitize;

/// A family's place in the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Category {
    Inference,
    Training,
    ImageGeneration,
    ObjectDetection,
    Other,
}

impl Category {
    pub fn of(family: &str) -> Category {
        match family {
            "vLLM" | "llama_cpp" | "SGLang" | "TGI" | "openai_api" | "llama_server"
            | "llm_on_ray" | "exo_bench" | "vllm_latency_sweep" | "multitenant" | "genai_perf"
            | "aiperf" | "sglang_bench" | "guidellm" => Category::Inference,
            "llm_finetune_bench" => Category::Training,
            "flux_bench" | "zimage_bench" => Category::ImageGeneration,
            "object_detection_bench" => Category::ObjectDetection,
            _ => Category::Other,
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Category::Inference => "LLM/VLM inference",
            Category::Training => "LLM training",
            Category::ImageGeneration => "Image generation",
            Category::ObjectDetection => "Object detection",
            Category::Other => "Other",
        }
    }
}

/// Families the program knows by name; any other file-name prefix is a family of its own.
pub const KNOWN_FAMILIES: [&str; 18] = [
    "vLLM",
    "genai_perf",
    "aiperf",
    "sglang_bench",
    "guidellm",
    "openai_api",
    "llama_cpp",
    "SGLang",
    "TGI",
    "llama_server",
    "llm_on_ray",
    "exo_bench",
    "vllm_latency_sweep",
    "multitenant",
    "flux_bench",
    "zimage_bench",
    "object_detection_bench",
    "llm_finetune_bench",
];

/// The fields that identify what a run measured, shown beside each benchmark.
pub fn config_fields(family: &str) -> &'static [&'static str] {
    // Z-Image runs are image runs with two settings more.
    const ZIMAGE: [&str; 8] = [
        "model_id",
        "num_images",
        "inference_steps",
        "resolution",
        "guidance_scale",
        "dtype",
        "dit_forwards_per_image",
        "attention_backend",
    ];
    const IMAGE: &[&str] = ZIMAGE.split_at(6).0;
    match family {
        "vLLM" | "llama_cpp" | "SGLang" | "TGI" | "openai_api" | "genai_perf" | "aiperf"
        | "sglang_bench" | "guidellm" => &[
            "model",
            "test_type",
            "num_prompts",
            "max_concurrency",
            "input_len",
            "output_len",
            "images_per_request",
            "image_bucket",
            "range_ratio",
            "thinking_disabled",
        ],
        "llama_server" => &[
            "model_name",
            "test_type",
            "prompt_type",
            "num_prompts",
            "input_token_range",
            "output_token_range",
            "avg_images_per_request",
            "mm_bucket_config",
        ],
        "llm_on_ray" => &[
            "model",
            "engine",
            "batch_size",
            "max_concurrency",
            "input_len",
            "output_len",
            "num_prompts",
            "iteration",
        ],
        // exo-lab's runner (`import table --group-by model`): one run per model.
        "exo_bench" => &["model", "engine", "runs"],
        // plot_model_comparison.py's sweep (`import sweep-configs`).
        "vllm_latency_sweep" => &[
            "model",
            "tensor_parallel_size",
            "data_parallel_size",
            "pipeline_parallel_size",
            "max_num_batched_tokens",
        ],
        // Tenants sharing a GPU (`import multitenant`), and their experiments.
        "multitenant" => &[
            "experiment",
            "tenant",
            "tenants",
            "mps",
            "model_name",
            "batch_size",
            "seq_len",
            "num_iters",
        ],
        "flux_bench" => IMAGE,
        "zimage_bench" => &ZIMAGE,
        "object_detection_bench" => &[
            "model_name",
            "dataset_name",
            "num_epochs",
            "batch_size",
            "image_size",
            "fp16",
        ],
        "llm_finetune_bench" => &[
            "model_name",
            "dataset_name",
            "num_epochs",
            "batch_size",
            "max_length",
            "gradient_checkpointing",
        ],
        _ => &["model", "model_name", "model_id", "test_type"],
    }
}

/// The family of a run that an OpenAI-compatible server answered, from the engine it names
/// (`owned_by` in `/v1/models`, or the `server` row of a result file): `vllm` → vLLM,
/// `llamacpp` → llama_cpp, `sglang` → SGLang, `tgi` → TGI; another engine's name, sanitized;
/// `None` when it names none.
pub fn serving_family(server: &str) -> Option<String> {
    let lower = server.trim().to_ascii_lowercase();
    let known = match lower.as_str() {
        s if s.contains("vllm") => "vLLM",
        s if s.contains("llama") && (s.contains("cpp") || s.contains("server")) => "llama_cpp",
        s if s.contains("sglang") => "SGLang",
        "tgi" | "text-generation-inference" => "TGI",
        _ => {
            let name = sanitize(server.trim());
            return (!name.is_empty()).then_some(name);
        }
    };
    Some(known.to_string())
}

/// Fields that only make sense on the machine that ran the benchmark; imports drop them.
pub const MACHINE_LOCAL_FIELDS: [&str; 3] = ["model_path", "server_url", "output_dir"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serving_families_follow_the_engine() {
        assert_eq!(serving_family("vllm").as_deref(), Some("vLLM"));
        assert_eq!(serving_family("llamacpp").as_deref(), Some("llama_cpp"));
        assert_eq!(serving_family("llama-server").as_deref(), Some("llama_cpp"));
        assert_eq!(serving_family("sglang").as_deref(), Some("SGLang"));
        assert_eq!(serving_family("tgi").as_deref(), Some("TGI"));
        assert_eq!(serving_family("My Engine").as_deref(), Some("My_Engine"));
        assert_eq!(serving_family("  "), None);
    }
}
