//! Statistics over measurements: the mean, the median, percentiles, the sample standard
//! deviation, the least and the most, and how many.
//!
//! Where parts of the program have always computed a figure in different ways, each way is
//! kept under a name of its own, so that no figure already written or shown changes by a bit:
//! the benchmark driver's median and percentiles interpolate as numpy's `np.percentile` does;
//! repeated runs take the mean of the two middle values; `import table --group-by` divides each
//! value before adding (`…_by_parts`), so that no sum of large values overflows.

/// The arithmetic mean; 0 for no values (numpy's `mean(x or 0)`, as vLLM writes it).
pub fn mean(values: &[f64]) -> f64 {
    if values.is_empty() {
        0.0
    } else {
        values.iter().sum::<f64>() / values.len() as f64
    }
}

/// The mean as the sum of each value over the count, in the order given: finite wherever the
/// values are, where [`mean`]'s sum could overflow. `values` must not be empty.
pub fn mean_by_parts(values: &[f64]) -> f64 {
    let n = values.len() as f64;
    values.iter().map(|x| x / n).sum::<f64>()
}

/// The median of `sorted` (in ascending order, not empty): the middle value, or the mean of
/// the two middle values.
pub fn median(sorted: &[f64]) -> f64 {
    let middle = sorted.len() / 2;
    if sorted.len() % 2 == 1 {
        sorted[middle]
    } else {
        (sorted[middle - 1] + sorted[middle]) / 2.0
    }
}

/// [`median`] with each middle value halved before adding, so that two large values do not
/// overflow.
pub fn median_by_halves(sorted: &[f64]) -> f64 {
    let middle = sorted.len() / 2;
    if sorted.len() % 2 == 1 {
        sorted[middle]
    } else {
        sorted[middle - 1] / 2.0 + sorted[middle] / 2.0
    }
}

/// The median as the 50th [`percentile`] (numpy: mean of the two middle values for an even
/// count, by interpolation); 0 for no values.
pub fn median_interpolated(values: &[f64]) -> f64 {
    percentile(values, 50.0)
}

/// The `p`-th percentile with linear interpolation between closest ranks (numpy's default
/// `np.percentile`); 0 for no values.
pub fn percentile(values: &[f64], p: f64) -> f64 {
    if values.is_empty() {
        return 0.0;
    }
    let sorted = sorted(values);
    let rank = (p / 100.0).clamp(0.0, 1.0) * (sorted.len() - 1) as f64;
    let lo = rank.floor() as usize;
    let hi = rank.ceil() as usize;
    sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo as f64)
}

/// The sample standard deviation (n − 1 in the denominator) of `values` around their `mean`;
/// `None` for fewer than two values.
pub fn sample_stdev(values: &[f64], mean: f64) -> Option<f64> {
    let n = values.len() as f64;
    (values.len() > 1).then(|| {
        let squares: f64 = values.iter().map(|v| (v - mean).powi(2)).sum();
        (squares / (n - 1.0)).sqrt()
    })
}

/// [`sample_stdev`] with each deviation divided by √(n − 1) before it is squared, so that
/// large deviations do not overflow.
pub fn sample_stdev_by_parts(values: &[f64], mean: f64) -> Option<f64> {
    let n = values.len() as f64;
    (values.len() > 1).then(|| {
        let squares: f64 = values
            .iter()
            .map(|x| ((x - mean) / (n - 1.0).sqrt()).powi(2))
            .sum();
        squares.sqrt()
    })
}

/// The largest value, and never below 0; 0 for no values.
pub fn max_or_zero(values: &[f64]) -> f64 {
    values.iter().copied().fold(f64::NAN, f64::max).max(0.0)
}

/// `values` in ascending order (NaN last).
pub fn sorted(values: &[f64]) -> Vec<f64> {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    sorted
}

/// Figures over a set of values.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Summary {
    pub n: usize,
    pub mean: f64,
    /// The middle value, or the mean of the two middle values.
    pub median: f64,
    pub min: f64,
    pub max: f64,
    /// The sample standard deviation; `None` for one value.
    pub stdev: Option<f64>,
}

impl Summary {
    /// The figures of `values`; `None` for no values.
    pub fn of(values: &[f64]) -> Option<Summary> {
        let sorted = sorted(values);
        let (&min, &max) = (sorted.first()?, sorted.last()?);
        let mean = mean(values);
        Some(Summary {
            n: values.len(),
            mean,
            median: median(&sorted),
            min,
            max,
            stdev: sample_stdev(values, mean),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_over_values() {
        // exo's five prompts on one model: latency 1.0 to 1.8 s.
        let s = Summary::of(&[1.2, 1.0, 1.8, 1.4, 1.6]).unwrap();
        assert!((s.mean - 1.4).abs() < 1e-12);
        assert_eq!((s.n, s.median, s.min, s.max), (5, 1.4, 1.0, 1.8));
        assert!((s.stdev.unwrap() - 0.316).abs() < 0.001, "{:?}", s.stdev);
        let s = Summary::of(&[4.0, 1.0, 3.0, 2.0]).unwrap();
        assert_eq!((s.mean, s.median), (2.5, 2.5));
        let s = Summary::of(&[7.0]).unwrap();
        assert_eq!(
            (s.mean, s.median, s.min, s.max, s.stdev),
            (7.0, 7.0, 7.0, 7.0, None)
        );
        assert_eq!(Summary::of(&[]), None);
    }

    #[test]
    fn percentiles_match_numpy() {
        // np.percentile([1, 2, 3, 4, 10], 99) == 9.76; np.median == 3
        let v = [4.0, 1.0, 10.0, 3.0, 2.0];
        assert!((percentile(&v, 99.0) - 9.76).abs() < 1e-12);
        assert_eq!(median_interpolated(&v), 3.0);
        assert_eq!(median_interpolated(&[1.0, 2.0, 3.0, 4.0]), 2.5);
        assert_eq!(mean(&v), 4.0);
        assert_eq!(max_or_zero(&v), 10.0);
        assert_eq!(percentile(&[7.0], 99.0), 7.0);
        assert_eq!(percentile(&v, 0.0), 1.0);
        assert_eq!(percentile(&v, 100.0), 10.0);
    }

    #[test]
    fn no_values_is_zero_where_the_driver_writes_one() {
        assert_eq!(mean(&[]), 0.0);
        assert_eq!(median_interpolated(&[]), 0.0);
        assert_eq!(percentile(&[], 99.0), 0.0);
        assert_eq!(max_or_zero(&[]), 0.0);
        assert_eq!(max_or_zero(&[-3.0]), 0.0);
    }

    #[test]
    fn medians_of_an_even_count_take_the_two_middle_values() {
        assert_eq!(median(&[1.0, 2.0, 10.0, 20.0]), 6.0);
        assert_eq!(median_by_halves(&[1.0, 2.0, 10.0, 20.0]), 6.0);
        assert_eq!(median(&[1.0, 2.0, 3.0]), 2.0);
        assert_eq!(median_by_halves(&[1.0, 2.0, 3.0]), 2.0);
        // Halves first: no overflow where the sum of the two would be infinite.
        let big = [f64::MAX, f64::MAX];
        assert_eq!(median(&big), f64::INFINITY);
        assert_eq!(median_by_halves(&big), f64::MAX);
    }

    #[test]
    fn the_ways_by_parts_agree_and_do_not_overflow() {
        let v = [1.0, 1.2, 1.4, 1.6, 1.8];
        assert!((mean_by_parts(&v) - 1.4).abs() < 1e-12);
        let sd = sample_stdev_by_parts(&v, mean_by_parts(&v)).unwrap();
        assert!((sd - sample_stdev(&v, mean(&v)).unwrap()).abs() < 1e-12);
        assert_eq!(sample_stdev(&[5.0], 5.0), None);
        assert_eq!(sample_stdev_by_parts(&[5.0], 5.0), None);
        let big = [f64::MAX, f64::MAX];
        assert_eq!(mean(&big), f64::INFINITY);
        assert_eq!(mean_by_parts(&big), f64::MAX);
    }
}
