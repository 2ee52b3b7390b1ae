//! Prompts: deterministic text for a seed, cut to a length measured by the server's own
//! tokenizer, so "1000 input tokens" means 1000 tokens of the model under test.

use std::sync::LazyLock;

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use serde_json::json;

use crate::bench::transport::Server;

/// Common English words, one a line: text a model tokenizes at roughly one token per word.
static WORDS: LazyLock<Vec<&str>> = LazyLock::new(|| {
    include_str!("prompt_words.txt")
        .split_whitespace()
        .collect()
});

/// The words of prompt `index` for `seed`: the same every run, different for every prompt.
/// A shorter prompt is a prefix of a longer one, which is what lets lengths be searched.
pub fn words(seed: u64, index: usize, count: usize) -> Vec<&'static str> {
    let mut rng = StdRng::seed_from_u64(seed ^ (index as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15));
    (0..count)
        .map(|_| WORDS[rng.random_range(0..WORDS.len())])
        .collect()
}

/// Counts tokens the way the server will.
pub trait TokenCounter {
    async fn count(&self, text: &str) -> anyhow::Result<usize>;
}

/// The longest prefix of prompt `index`'s words that is as close as possible to `target`
/// tokens, with its token count. A handful of tokenizer calls per prompt.
pub async fn fit_prompt(
    counter: &impl TokenCounter,
    seed: u64,
    index: usize,
    target: usize,
) -> anyhow::Result<(String, usize)> {
    let target = target.max(1);
    // No tokenizer spends fewer than 1/8 token on a word; past this something is off.
    let most_words = target * 8 + 16;
    let mut pool = words(seed, index, target * 2 + 16);
    // Word counts known to give too few (`short`) and too many (`long`) tokens bracket the
    // answer; each guess scales by the tokens per word seen and stays inside the bracket.
    let (mut short, mut long) = (0usize, most_words + 1);
    let mut k = target.min(pool.len());
    let mut best: Option<(usize, usize)> = None; // (words, tokens)
    for _ in 0..24 {
        let tokens = counter.count(&pool[..k].join(" ")).await?;
        if tokens == 0 {
            anyhow::bail!("the tokenizer counted 0 tokens in {k} words");
        }
        if best.is_none_or(|(_, t)| tokens.abs_diff(target) < t.abs_diff(target)) {
            best = Some((k, tokens));
        }
        if tokens == target {
            break;
        }
        if tokens < target {
            short = k;
        } else {
            long = k;
        }
        if long - short <= 1 {
            break;
        }
        let scaled = (k as f64 * target as f64 / tokens as f64).round() as usize;
        k = scaled.clamp(short + 1, long - 1);
        if k > pool.len() {
            pool = words(seed, index, k * 2);
        }
    }
    let (k, tokens) = best.unwrap_or((k, 0));
    Ok((pool[..k].join(" "), tokens))
}

/// llama.cpp's `/tokenize` (`content`), counting special tokens as `/completion` adds them.
pub struct LlamaTokenizer<'a>(pub &'a Server);

impl TokenCounter for LlamaTokenizer<'_> {
    async fn count(&self, text: &str) -> anyhow::Result<usize> {
        let reply = self
            .0
            .post_json(
                "/tokenize",
                &json!({ "content": text, "add_special": true }),
            )
            .await?;
        token_count(&reply)
    }
}

/// vLLM's `/tokenize` (`model`, `prompt`), which llama.cpp does not answer.
pub struct VllmTokenizer<'a>(pub &'a Server, pub &'a str);

impl TokenCounter for VllmTokenizer<'_> {
    async fn count(&self, text: &str) -> anyhow::Result<usize> {
        let reply = self
            .0
            .post_json("/tokenize", &json!({ "model": self.1, "prompt": text }))
            .await?;
        token_count(&reply)
    }
}

/// Without a tokenizer endpoint: one token per word, a rough guess for English text.
pub struct WordCount;

impl TokenCounter for WordCount {
    async fn count(&self, text: &str) -> anyhow::Result<usize> {
        Ok(text.split_whitespace().count())
    }
}

fn token_count(reply: &serde_json::Value) -> anyhow::Result<usize> {
    if let Some(n) = reply.get("count").and_then(|c| c.as_u64()) {
        return Ok(n as usize);
    }
    reply
        .get("tokens")
        .and_then(|t| t.as_array())
        .map(Vec::len)
        .ok_or_else(|| anyhow::anyhow!("/tokenize answered without `tokens`"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A tokenizer that splits long words in two, so tokens ≠ words.
    struct SplitLong;

    impl TokenCounter for SplitLong {
        async fn count(&self, text: &str) -> anyhow::Result<usize> {
            Ok(1 + text
                .split_whitespace()
                .map(|w| if w.len() > 5 { 2 } else { 1 })
                .sum::<usize>())
        }
    }

    fn block_on<F: std::future::Future>(f: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
            .block_on(f)
    }

    #[test]
    fn prompts_are_deterministic_and_distinct() {
        assert_eq!(words(42, 3, 50), words(42, 3, 50));
        assert_ne!(words(42, 3, 50), words(42, 4, 50));
        assert_ne!(words(42, 3, 50), words(43, 3, 50));
        assert_eq!(words(42, 3, 20), words(42, 3, 50)[..20]);
    }

    #[test]
    fn fits_the_requested_token_count() {
        for target in [1, 7, 50, 333, 1000] {
            let (text, tokens) = block_on(fit_prompt(&SplitLong, 42, 0, target)).unwrap();
            let counted = block_on(SplitLong.count(&text)).unwrap();
            assert_eq!(tokens, counted);
            // Every word is 1 or 2 tokens, so within one token of the target.
            assert!(tokens.abs_diff(target) <= 1, "{target}: got {tokens}");
        }
    }

    #[test]
    fn reads_both_tokenize_replies() {
        assert_eq!(token_count(&json!({"tokens": [1, 2, 3]})).unwrap(), 3);
        assert_eq!(token_count(&json!({"count": 5, "tokens": [1]})).unwrap(), 5);
        assert!(token_count(&json!({"oops": 1})).is_err());
    }
}
