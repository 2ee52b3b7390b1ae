//! `benchanim bench llama-server`: its arguments.

use clap::Args;

use super::args::{CommonArgs, RequestArgs};
use crate::bench::runners::llama_server::{LlamaServer, LlamaServerOptions};

/// Benchmark llama.cpp's llama-server through its native `/completion` API.
///
/// Requests go one at a time with `cache_prompt: false` and `ignore_eos`, so every prompt is
/// processed in full and every answer has its requested length. The server's `timings` give
/// the figures: true_prompt_throughput is all prompt tokens over the summed prompt time
/// (Σ prompt_n / prompt_per_second), true_gen_throughput likewise for generated tokens;
/// avg_prompt_speed and avg_gen_speed are plain means of the per-request speeds;
/// total_runtime is the wall time of the measured requests.
#[derive(Debug, Args)]
pub struct LlamaServerArgs {
    /// Base URL of the server.
    #[arg(long, default_value = "http://127.0.0.1:8080")]
    pub url: String,
    #[command(flatten)]
    pub requests: RequestArgs,
    /// Smallest and largest prompt, in tokens.
    #[arg(long, num_args = 2, value_names = ["MIN", "MAX"], default_values_t = [50, 1000])]
    pub input_range: Vec<u32>,
    /// Smallest and largest answer, in tokens.
    #[arg(long, num_args = 2, value_names = ["MIN", "MAX"], default_values_t = [50, 1000])]
    pub output_range: Vec<u32>,
    #[command(flatten)]
    pub common: CommonArgs,
}

impl LlamaServerArgs {
    /// The runner these arguments describe, once they are checked.
    pub fn runner(self) -> anyhow::Result<(CommonArgs, LlamaServer)> {
        let options = LlamaServerOptions {
            input_range: range(&self.input_range, "--input-range")?,
            output_range: range(&self.output_range, "--output-range")?,
            timeout: self.requests.timeout()?,
            url: self.url,
            prompts: self.requests.prompts as usize,
            warmups: self.requests.warmups as usize,
            seed: self.requests.seed,
        };
        Ok((self.common, LlamaServer::new(options)?))
    }
}

fn range(values: &[u32], flag: &str) -> anyhow::Result<(usize, usize)> {
    match values {
        [min, max] if 1 <= *min && min <= max && *max <= 1_000_000 => {
            Ok((*min as usize, *max as usize))
        }
        _ => anyhow::bail!("{flag} takes MIN MAX with 1 ≤ MIN ≤ MAX, not {values:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checks_ranges() {
        assert_eq!(range(&[50, 1000], "--input-range").unwrap(), (50, 1000));
        assert!(range(&[10, 5], "--input-range").is_err());
        assert!(range(&[0, 5], "--input-range").is_err());
    }
}
