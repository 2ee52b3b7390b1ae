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

mod bounded;
mod filing;
pub mod genai_perf;
pub mod guidellm;
mod imported;
mod json;
pub mod llama_bench;
pub mod llm_on_ray;
pub mod multitenant;
mod normalise;
mod outcome;
mod serving;
pub mod sglang;
mod source;
pub mod sweep_configs;
pub mod table;
pub mod vllm_json;
mod walk;

pub use bounded::{MAX_JSON_BYTES, MAX_LINE_BYTES, MAX_SOURCE_BYTES};
pub(in crate::import) use bounded::{Shape, read_source_as};
pub use filing::SAME_NAME_RUNS;
pub(in crate::import) use filing::{file_record, file_record_named};
pub use genai_perf::import_genai_perf;
pub use guidellm::import_guidellm;
pub use imported::{Imported, Skipped};
pub use json::{Document, DocumentError, FieldError, FieldProblem, json_documents};
pub use llama_bench::import_llama_bench;
pub use llm_on_ray::{LlmOnRay, import_llm_on_ray};
pub use multitenant::{MultitenantImport, import_multitenant};
pub use normalise::import_results;
pub use outcome::Outcome;
pub use serving::{Run as ServingRun, Runs as ServingRuns};
pub use sglang::import_sglang;
pub use source::{ModifiedTimeError, Source, sha256_hex};
pub(in crate::import) use source::{has_extension, modified_time};
pub use sweep_configs::import_sweep_configs;
pub use table::{GroupCenter, TableImport, import_table};
pub use vllm_json::import_vllm_json;
pub(in crate::import) use walk::walk;
