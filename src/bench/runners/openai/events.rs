//! The events of a run's requests, as an experiment keeps them per tenant (`events.jsonl`):
//! when each was sent, when its first token came, when it ended, and with `--events tokens`
//! every token; times in seconds since the Unix epoch.

use std::sync::{Arc, Mutex};

use serde_json::json;

use super::Completion;
use crate::bench::driver::Timed;

/// Where a run's events go, and how fine they are.
#[derive(Debug, Clone, Default)]
pub struct EventLog {
    /// Every token's arrival too, not only the first.
    pub tokens: bool,
    pub lines: Arc<Mutex<Vec<String>>>,
}

impl EventLog {
    /// Logs `done`, a run's requests that measured at `started_unix`, in the order they were
    /// sent.
    pub fn record(&self, started_unix: f64, done: &[Timed<Completion>]) {
        let mut by_start: Vec<&Timed<Completion>> = done.iter().collect();
        by_start.sort_by(|a, b| a.start.total_cmp(&b.start));
        let mut lines = Vec::with_capacity(by_start.len() * 3);
        for (i, t) in by_start.into_iter().enumerate() {
            let sent = started_unix + t.start;
            let c = &t.outcome;
            let event = |kind: &str, at: f64| json!({ "type": kind, "request": i, "t": at });
            lines.push(event("request_start", sent).to_string());
            lines.push(event("first_token", sent + c.ttft).to_string());
            if self.tokens {
                let mut at = sent + c.ttft;
                for gap in &c.itl {
                    at += gap;
                    lines.push(event("token", at).to_string());
                }
            }
            lines.push(
                json!({
                    "type": "request_end",
                    "request": i,
                    "t": sent + c.latency,
                    "prompt_tokens": c.prompt_tokens,
                    "output_tokens": c.output_tokens,
                })
                .to_string(),
            );
        }
        if let Ok(mut log) = self.lines.lock() {
            log.extend(lines);
        }
    }
}
