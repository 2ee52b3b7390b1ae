//! The levels of a `bench openai` sweep: every combination of the listed concurrencies,
//! request rates and shapes, each repeated, in a fixed order.

/// Input and output length of the requests, in tokens (means; see `range_ratio`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shape {
    pub input_len: u32,
    pub output_len: u32,
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
