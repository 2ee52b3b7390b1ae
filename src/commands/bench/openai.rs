//! `benchanim bench openai`: its arguments.

use clap::{Args, ValueEnum};

use super::args::{CommonArgs, RequestArgs};
use crate::bench::runners::openai::{Api, OpenAi, OpenAiOptions, Rate, Shape, Sweep};

/// Benchmark an OpenAI-compatible server with streaming `/v1/completions` requests
/// (`/v1/chat/completions` with `--api chat`).
///
/// Every request streams (`stream: true`, usage included) with `ignore_eos`, so it produces
/// exactly its output length. Token counts come from the server's `usage`, not from counting
/// chunks. Metrics follow `vllm bench serve`, so numbers are comparable:
///
///   TTFT  time to first token: from sending the request to the first streamed chunk that
///         carries a token (`choices`; with `--api chat`, a `delta` with text: the role
///         announcement and the closing empty delta are not tokens).
///
///   ITL   inter-token latency: the time between consecutive chunks with tokens, pooled over
///         all requests (a chunk holding several tokens is one gap).
///
///   TPOT  time per output token, excluding the first: (E2EL − TTFT) / (output tokens − 1),
///         per request with more than one output token.
///
///   E2EL  end-to-end latency: from sending the request to its last chunk with a token.
///
/// Each is reported as mean, median and 99th percentile (linear interpolation, as numpy) in ms.
/// A chunk's time is when its bytes reached this machine (the kernel's receive timestamp on
/// Linux), so the client's own scheduling at high concurrency does not inflate ITL.
/// benchmark_duration is the wall time of the measured requests (warmups excluded);
/// request_throughput = successful requests / duration; output_token_throughput = generated
/// tokens / duration (input_ and total_token_throughput likewise); peak_output_throughput is
/// the most chunks received in one whole second of the run; peak_concurrent_requests the most
/// requests in flight at once.
///
/// Prompts are deterministic for a seed; input and output lengths are drawn uniformly from
/// [len·(1 − range_ratio), len·(1 + range_ratio)] as vLLM's random dataset draws them, and
/// prompts are cut to length with the server's /tokenize when it has one. With `--api chat`
/// each prompt is one user message; the chat template adds tokens the input length does not
/// count (total_input_tokens, from usage, does). A chat stream without usage is counted one
/// token per chunk and the prompt at its measured length, and the file says
/// `usage_estimated,true`; chat runs are their own benchmark (`vLLM_<model>_chat_…`, `api,chat`).
///
/// Sweeps: --max-concurrency, --request-rate and --shape take lists (`1,2,4,8`, `1,4,inf`,
/// `128/32,512/64`), and --repeat N runs each level N times. The levels are every combination,
/// concurrency outermost, then request rate, then shape, then repeat, measured one after
/// another. Each level is a result file of its own, with its values in the config rows
/// (max_concurrency, request_rate, input_len, output_len, iteration with --repeat), a
/// `sweep_id` row (when the sweep started) shared by all, and a later timestamp than the level
/// before. Every level sends its own prompts (the same lengths), so none is served from the
/// prompt cache of another; warm-ups go before the first level of each shape only. A level
/// where every request fails writes nothing and the sweep goes on; Ctrl-C or SIGTERM files
/// the running level as partial and ends the sweep. The table of levels goes to stdout at the
/// end (a single run prints its summary instead); the exit code is the worst level's.
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct OpenAiArgs {
    /// Base URL of the server.
    #[arg(long, default_value = "http://127.0.0.1:8000")]
    pub url: String,
    /// Model name to request; by default the first one `/v1/models` lists.
    #[arg(long)]
    pub model: Option<String>,
    #[command(flatten)]
    pub requests: RequestArgs,
    /// Most requests in flight at once; a list (1,2,4,8) sweeps over them.
    #[arg(
        long,
        value_name = "N[,N...]",
        default_value = "10",
        value_delimiter = ',',
        value_parser = clap::value_parser!(u32).range(1..=4096)
    )]
    pub max_concurrency: Vec<u32>,
    /// Requests per second, arriving as a Poisson process; `inf` (the default) sends them all
    /// at once. A list (1,4,inf) sweeps over them.
    #[arg(long, value_name = "RATE[,RATE...]", value_delimiter = ',', value_parser = Rate::parse)]
    pub request_rate: Vec<Rate>,
    /// Mean input length in tokens.
    #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    pub input_len: u32,
    /// Mean output length in tokens.
    #[arg(long, default_value_t = 300, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    pub output_len: u32,
    /// Input and output length together, IN/OUT in tokens; a list (128/32,512/64) sweeps over
    /// them. Instead of --input-len and --output-len.
    #[arg(
        long,
        value_name = "IN/OUT[,IN/OUT...]",
        value_delimiter = ',',
        value_parser = Shape::parse,
        conflicts_with_all = ["input_len", "output_len"]
    )]
    pub shape: Vec<Shape>,
    /// Runs each level this many times, one after another (an `iteration` row tells them
    /// apart).
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub repeat: u32,
    /// The endpoint: completions (/v1/completions, a prompt) or chat (/v1/chat/completions,
    /// one user message).
    #[arg(long, value_enum, default_value_t = ApiArg::Completions)]
    pub api: ApiArg,
    /// Lengths vary uniformly by this fraction around the mean.
    #[arg(long, default_value_t = 0.3)]
    pub range_ratio: f64,
    /// The family to file the runs under (the first part of their names), instead of the
    /// engine the server names in /v1/models (vllm → vLLM, llamacpp → llama_cpp, sglang →
    /// SGLang, tgi → TGI; openai_api when it names none).
    #[arg(long, value_name = "NAME", value_parser = parse_family)]
    pub family: Option<String>,
    #[command(flatten)]
    pub common: CommonArgs,
}

/// `--api`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ApiArg {
    Completions,
    Chat,
}

impl OpenAiArgs {
    /// The runner these arguments describe, once they are checked.
    pub fn runner(self) -> anyhow::Result<(CommonArgs, OpenAi)> {
        if !(0.0..1.0).contains(&self.range_ratio) {
            anyhow::bail!(
                "--range-ratio must be at least 0 and below 1, not {}",
                self.range_ratio
            );
        }
        let sweep = Sweep::listed(
            &self.max_concurrency,
            &self.request_rate,
            &self.shape,
            Shape {
                input_len: self.input_len,
                output_len: self.output_len,
            },
            self.repeat,
        )?;
        let prompts = self.requests.prompts as usize;
        sweep.warn_if_under_two_waves(prompts);
        let options = OpenAiOptions {
            timeout: self.requests.timeout()?,
            url: self.url,
            model: self.model,
            prompts,
            warmups: self.requests.warmups as usize,
            sweep,
            range_ratio: self.range_ratio,
            seed: self.requests.seed,
            api: match self.api {
                ApiArg::Completions => Api::Completions,
                ApiArg::Chat => Api::Chat,
            },
            events: None,
            family: self.family,
        };
        Ok((self.common, OpenAi::new(options)?))
    }
}

/// A family name: letters, digits and `_` (it starts every file name of its runs).
fn parse_family(text: &str) -> Result<String, String> {
    let name = crate::results::sanitize(text.trim());
    if name.is_empty() || name != text.trim() {
        return Err(format!(
            "`{text}` is not a family name: use letters, digits and `_` (e.g. vLLM, llama_cpp)"
        ));
    }
    Ok(name)
}
