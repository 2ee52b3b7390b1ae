//! The levels of a `bench openai` sweep: every combination of the listed concurrencies,
//! request rates and shapes, each repeated, in a fixed order.

/// Input and output length of the requests, in tokens (means; see `range_ratio`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shape {
    pub input_len: u32,
    pub output_len: u32,
}

/// One request rate as the options write it: requests per second, or all at once (`inf`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rate(pub Option<f64>);

impl Rate {
    /// `4`, `0.5` or `inf`.
    pub fn parse(text: &str) -> Result<Rate, String> {
        let rate: f64 = text
            .trim()
            .parse()
            .map_err(|_| format!("`{text}` is not a number of requests per second, nor inf"))?;
        Ok(Rate((rate != f64::INFINITY).then_some(rate)))
    }
}

impl Shape {
    /// `IN/OUT`, input and output tokens (`128/32`), each from 1 to 1000000.
    pub fn parse(text: &str) -> Result<Shape, String> {
        let (input, output) = text.split_once('/').ok_or_else(|| {
            format!("`{text}` is not IN/OUT (input and output tokens, as 128/32)")
        })?;
        let length = |what: &str, s: &str| -> Result<u32, String> {
            let n: u64 = s
                .trim()
                .parse()
                .map_err(|_| format!("{what} length `{s}` in `{text}` is not a whole number"))?;
            if !(1..=1_000_000).contains(&n) {
                return Err(format!(
                    "{what} length {n} in `{text}` is not in 1..=1000000"
                ));
            }
            Ok(n as u32)
        };
        Ok(Shape {
            input_len: length("input", input)?,
            output_len: length("output", output)?,
        })
    }
}

/// The values each option takes; a plain run gives one of each and `repeat` 1.
#[derive(Debug, Clone, PartialEq)]
pub struct Sweep {
    pub max_concurrency: Vec<usize>,
    /// Requests per second; `None` sends all at once (`inf`).
    pub request_rate: Vec<Option<f64>>,
    pub shapes: Vec<Shape>,
    /// How often each combination runs.
    pub repeat: usize,
}

/// One level: what its requests are and how they are sent.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Level {
    pub max_concurrency: usize,
    pub request_rate: Option<f64>,
    pub shape: Shape,
    /// Which repeat, from 1, when the sweep repeats.
    pub iteration: Option<usize>,
}

impl Sweep {
    /// The sweep the options list, its rates checked (0.001 to 1000000 requests per second):
    /// no rate sends all at once, and no shape is `shape`.
    pub fn listed(
        max_concurrency: &[u32],
        rates: &[Rate],
        shapes: &[Shape],
        shape: Shape,
        repeat: u32,
    ) -> anyhow::Result<Sweep> {
        for Rate(rate) in rates {
            if let Some(r) = *rate
                && !(0.001..=1_000_000.0).contains(&r)
            {
                anyhow::bail!(
                    "--request-rate {} is out of range: 0.001 to 1000000 requests per second, or inf",
                    crate::terminal::number(r)
                );
            }
        }
        Ok(Sweep {
            max_concurrency: max_concurrency.iter().map(|&c| c as usize).collect(),
            request_rate: if rates.is_empty() {
                vec![None]
            } else {
                rates.iter().map(|r| r.0).collect()
            },
            shapes: if shapes.is_empty() {
                vec![shape]
            } else {
                shapes.to_vec()
            },
            repeat: repeat as usize,
        })
    }

    /// Warns on stderr when a sweep's busiest level gets fewer than two waves of `prompts`:
    /// its throughput would read low.
    pub fn warn_if_under_two_waves(&self, prompts: usize) {
        let peak = self.peak_concurrency();
        if self.levels().len() > 1 && prompts < 2 * peak {
            stderr_line!(
                "warning: level max_concurrency {peak} with {prompts} prompts is fewer than two \
                 waves; its throughput will read low (--prompts {} or more)",
                2 * peak
            );
        }
    }

    /// Every combination, concurrency outermost, then request rate, then shape, then repeat:
    /// `--max-concurrency 1,2 --request-rate 4,inf` runs (1, 4), (1, inf), (2, 4), (2, inf).
    pub fn levels(&self) -> Vec<Level> {
        let repeats = self.repeat.max(1);
        let mut levels = Vec::new();
        for &max_concurrency in &self.max_concurrency {
            for &request_rate in &self.request_rate {
                for &shape in &self.shapes {
                    for i in 1..=repeats {
                        levels.push(Level {
                            max_concurrency,
                            request_rate,
                            shape,
                            iteration: (repeats > 1).then_some(i),
                        });
                    }
                }
            }
        }
        levels
    }

    /// What sets a level apart: the fields given more than one value, as the result files
    /// name them.
    pub fn settings(&self, level: &Level) -> Vec<(String, String)> {
        let mut out = Vec::new();
        if self.max_concurrency.len() > 1 {
            out.push(("max_concurrency".into(), level.max_concurrency.to_string()));
        }
        if self.request_rate.len() > 1 {
            out.push(("request_rate".into(), rate_text(level.request_rate)));
        }
        if self.shapes.len() > 1 {
            out.push(("input_len".into(), level.shape.input_len.to_string()));
            out.push(("output_len".into(), level.shape.output_len.to_string()));
        }
        if let Some(i) = level.iteration {
            out.push(("iteration".into(), i.to_string()));
        }
        out
    }

    /// The most requests any level has in flight.
    pub fn peak_concurrency(&self) -> usize {
        self.max_concurrency.iter().copied().max().unwrap_or(1)
    }
}

/// A request rate as the options and files write it: `4`, `0.5`, `inf`.
pub fn rate_text(rate: Option<f64>) -> String {
    rate.map_or("inf".to_string(), crate::terminal::number)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape(input_len: u32, output_len: u32) -> Shape {
        Shape {
            input_len,
            output_len,
        }
    }

    #[test]
    fn runs_the_product_concurrency_outermost() {
        let sweep = Sweep {
            max_concurrency: vec![1, 2],
            request_rate: vec![Some(4.0), None],
            shapes: vec![shape(128, 32), shape(512, 64)],
            repeat: 2,
        };
        let levels = sweep.levels();
        assert_eq!(levels.len(), 16);
        let key = |l: &Level| {
            (
                l.max_concurrency,
                l.request_rate,
                l.shape.input_len,
                l.iteration,
            )
        };
        assert_eq!(key(&levels[0]), (1, Some(4.0), 128, Some(1)));
        assert_eq!(key(&levels[1]), (1, Some(4.0), 128, Some(2)));
        assert_eq!(key(&levels[2]), (1, Some(4.0), 512, Some(1)));
        assert_eq!(key(&levels[4]), (1, None, 128, Some(1)));
        assert_eq!(key(&levels[8]), (2, Some(4.0), 128, Some(1)));
        assert_eq!(key(&levels[15]), (2, None, 512, Some(2)));
        assert_eq!(
            sweep.settings(&levels[15]),
            [
                ("max_concurrency".to_string(), "2".to_string()),
                ("request_rate".into(), "inf".into()),
                ("input_len".into(), "512".into()),
                ("output_len".into(), "64".into()),
                ("iteration".into(), "2".into()),
            ]
        );
        assert_eq!(sweep.peak_concurrency(), 2);
    }

    #[test]
    fn parses_rates_and_shapes() {
        assert_eq!(Rate::parse("4"), Ok(Rate(Some(4.0))));
        assert_eq!(Rate::parse("inf"), Ok(Rate(None)));
        assert_eq!(Rate::parse("Inf"), Ok(Rate(None)));
        assert!(
            Rate::parse("fast")
                .unwrap_err()
                .contains("`fast` is not a number")
        );
        assert_eq!(Shape::parse("128/32"), Ok(shape(128, 32)));
        assert!(Shape::parse("128").unwrap_err().contains("is not IN/OUT"));
        assert!(
            Shape::parse("0/32")
                .unwrap_err()
                .contains("input length 0 in `0/32` is not in 1..=1000000")
        );
        assert!(
            Shape::parse("8/x")
                .unwrap_err()
                .contains("output length `x` in `8/x` is not a whole number")
        );
    }

    #[test]
    fn a_plain_run_is_one_level_without_settings() {
        let sweep = Sweep {
            max_concurrency: vec![10],
            request_rate: vec![None],
            shapes: vec![shape(1000, 300)],
            repeat: 1,
        };
        let levels = sweep.levels();
        assert_eq!(levels.len(), 1);
        assert_eq!(levels[0].iteration, None);
        assert!(sweep.settings(&levels[0]).is_empty());
        assert_eq!(rate_text(Some(0.5)), "0.5");
        assert_eq!(rate_text(Some(4.0)), "4");
    }
}
