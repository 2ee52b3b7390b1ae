//! What the program knows about metric names: which way is better.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    Higher,
    Lower,
}

impl Direction {
    /// Guesses from the metric's name, as benchmark authors name them.
    pub fn of(metric: &str) -> Option<Direction> {
        let m = metric.to_ascii_lowercase();
        if m == "timestamp" || m.ends_with("_timestamp") {
            return None;
        }
        const HIGHER: [&str; 4] = ["throughput", "per_second", "speed", "per_joule"];
        const LOWER: [&str; 9] = [
            "seconds_per_image",
            "time",
            "duration",
            "latency",
            "runtime",
            "ttft",
            "tpot",
            "itl",
            "e2el",
        ];
        if HIGHER.iter().any(|p| m.contains(p)) {
            Some(Direction::Higher)
        } else if LOWER.iter().any(|p| m.contains(p)) {
            Some(Direction::Lower)
        } else {
            None
        }
    }

    /// True when `a` is better than `b` in this direction.
    pub fn better(self, a: f64, b: f64) -> bool {
        match self {
            Direction::Higher => a > b,
            Direction::Lower => a < b,
        }
    }

    pub fn arrow_phrase(self) -> &'static str {
        match self {
            Direction::Higher => "↑ Higher is better",
            Direction::Lower => "↓ Lower is better",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Direction::{self, *};

    #[test]
    fn knows_which_way_is_better() {
        for m in [
            "true_prompt_throughput",
            "output_token_throughput",
            "images_per_second",
            "avg_gen_speed",
            "inference_tokens_per_second",
        ] {
            assert_eq!(Direction::of(m), Some(Higher), "{m}");
        }
        for m in [
            "total_time",
            "benchmark_duration",
            "ttft_p99",
            "tpot_mean",
            "itl_median",
            "e2el_mean",
            "seconds_per_image",
            "total_train_time",
            "total_runtime",
        ] {
            assert_eq!(Direction::of(m), Some(Lower), "{m}");
        }
        for m in [
            "timestamp",
            "num_prompts",
            "batch_size",
            "total_input_tokens",
        ] {
            assert_eq!(Direction::of(m), None, "{m}");
        }
        assert!(Higher.better(2.0, 1.0));
        assert!(Lower.better(1.0, 2.0));
    }
}
