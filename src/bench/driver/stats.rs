//! Summary statistics of what `bench` measures, computed as numpy computes them so figures
//! match vLLM's: [`crate::results::stats`] under the names the runners use.

pub use crate::results::stats::{
    max_or_zero as max, mean, median_interpolated as median, percentile,
};
