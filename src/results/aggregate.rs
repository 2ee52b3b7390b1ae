//! Repeated runs of one measurement: which runs repeat the one that counts, the value they
//! give together (`aggregate = "mean"`) and how far they spread (`spread = "minmax"`).

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::collate::cell_of;
use super::file::ResultFile;
use super::select::{REPEAT_FIELDS, SWEEP_FIELDS};
use super::stats::Summary;
use super::value::Value;

/// How repeated runs of a cell make its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Aggregate {
    /// The run that counts: the newest complete one.
    #[default]
    Newest,
    Mean,
    Median,
    Min,
    Max,
}

/// How far repeated runs spread, drawn as whiskers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Spread {
    #[default]
    None,
    /// From the smallest to the largest run's value.
    Minmax,
    /// One sample standard deviation either side of the value.
    Stdev,
}

/// The runs among `runs` (the one that counts first) that repeat the first: as complete as it
/// is, with the same value of every sweep field but the repeat's number and sweep (or both
/// lacking it). The first is always among them.
pub fn repeats<'r>(runs: &[&'r ResultFile]) -> Vec<&'r ResultFile> {
    let Some(first) = runs.first() else {
        return Vec::new();
    };
    runs.iter()
        .copied()
        .filter(|run| {
            run.is_partial() == first.is_partial()
                && SWEEP_FIELDS
                    .iter()
                    .filter(|f| !REPEAT_FIELDS.contains(f))
                    .all(|f| same(run.field(f), first.field(f)))
        })
        .collect()
}

/// Numbers by value (`4` = `4.0`), other values as they read.
fn same(a: Option<&Value>, b: Option<&Value>) -> bool {
    match (a, b) {
        (Some(Value::Number(x)), Some(Value::Number(y))) => x.value == y.value,
        (Some(x), Some(y)) => x.to_text().trim() == y.to_text().trim(),
        (None, None) => true,
        _ => false,
    }
}

/// What repeated runs of a cell measured.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Measured {
    /// The value shown: the newest run's, or the aggregate of all.
    pub value: f64,
    pub unit: String,
    /// From runs that did not finish (no complete run exists).
    pub partial: bool,
    /// How many runs measured it (each run that repeats the one that counts and has a value).
    pub n: usize,
    pub min: f64,
    pub max: f64,
    /// The sample standard deviation; `None` for a single run.
    pub stdev: Option<f64>,
    /// The runs, newest first.
    pub runs: Vec<PathBuf>,
}

impl Measured {
    /// The value of `metric` that the repeats of `runs[0]` give by `how`; `None` when the run
    /// that counts has none.
    pub fn of(runs: &[&ResultFile], metric: &str, how: Aggregate) -> Option<Measured> {
        let first = cell_of(runs.first()?, metric)?;
        let mut values = Vec::new();
        let mut paths = Vec::new();
        for run in repeats(runs) {
            if let Some(cell) = cell_of(run, metric) {
                values.push(cell.value);
                paths.push(run.path.clone());
            }
        }
        let mut stats = Summary::of(&values)?;
        // A run that is itself an aggregate (`import table --group-by`) says what it spans.
        if stats.n == 1
            && let Some(spread) = SpreadSection::of(runs[0], metric)
        {
            (stats.min, stats.max, stats.stdev, stats.n) =
                (spread.min, spread.max, spread.stdev, spread.n);
        }
        Some(Measured {
            value: match how {
                Aggregate::Newest => first.value,
                Aggregate::Mean => stats.mean,
                Aggregate::Median => stats.median,
                Aggregate::Min => stats.min,
                Aggregate::Max => stats.max,
            },
            unit: first.unit,
            partial: first.partial,
            n: stats.n,
            min: stats.min,
            max: stats.max,
            stdev: stats.stdev,
            runs: paths,
        })
    }

    /// Where whiskers of `spread` start and end; `None` without a spread or with one run.
    pub fn whisker(&self, spread: Spread) -> Option<(f64, f64)> {
        if self.n < 2 {
            return None;
        }
        match (spread, self.stdev) {
            (Spread::None, _) => None,
            (Spread::Minmax, _) => Some((self.min, self.max)),
            (Spread::Stdev, Some(sd)) => Some((self.value - sd, self.value + sd)),
            (Spread::Stdev, None) => None,
        }
    }
}

/// What a run made of several measurements says of them in its `# Spread` section:
/// `<metric>_min`, `_max`, `_stdev` and `_n`.
struct SpreadSection {
    min: f64,
    max: f64,
    stdev: Option<f64>,
    n: usize,
}

impl SpreadSection {
    fn of(run: &ResultFile, metric: &str) -> Option<SpreadSection> {
        let figure = |suffix: &str| {
            let name = format!("{metric}_{suffix}");
            run.rows
                .iter()
                .find(|r| r.metric == name && r.section.as_deref() == Some("Spread"))
                .and_then(|r| r.value.as_number())
                .filter(|v| v.is_finite())
        };
        let n = figure("n").filter(|n| *n >= 2.0 && n.fract() == 0.0)? as usize;
        let (min, max) = (figure("min")?, figure("max")?);
        (min <= max).then_some(SpreadSection {
            min,
            max,
            stdev: figure("stdev"),
            n,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(name: &str, rows: &str) -> ResultFile {
        let text = format!("metric,value,unit\n{rows}");
        ResultFile::parse(
            std::path::Path::new(&format!("G/vLLM_G_m_{name}.csv")),
            Some("G"),
            text.as_bytes(),
        )
        .unwrap()
        .0
    }

    #[test]
    fn repeats_differ_only_in_their_number_or_time() {
        let newest = run(
            "20260102_000000",
            "iteration,2,\nmax_concurrency,4,\nttft_mean,0.904,s\n",
        );
        let older = run(
            "20260101_000000",
            "iteration,1,\nmax_concurrency,4,\nttft_mean,0.890,s\n",
        );
        let other = run(
            "20260101_000001",
            "iteration,1,\nmax_concurrency,8,\nttft_mean,2.0,s\n",
        );
        let missing = run("20260101_000002", "iteration,3,\nmax_concurrency,4,\n");
        let runs = [&newest, &older, &other, &missing];
        let paths: Vec<&std::path::Path> =
            repeats(&runs).iter().map(|r| r.path.as_path()).collect();
        assert_eq!(paths, [&newest.path, &older.path, &missing.path]);

        // The first-token time of W2's choice 4: 0.890 and 0.904 s, two iterations.
        let of = |how| Measured::of(&runs, "ttft_mean", how).unwrap();
        let mean = of(Aggregate::Mean);
        assert!((mean.value - 0.897).abs() < 1e-12);
        assert_eq!(mean.n, 2, "the run without a value does not count");
        assert_eq!(mean.runs, [newest.path.clone(), older.path.clone()]);
        assert_eq!(of(Aggregate::Newest).value, 0.904);
        assert_eq!(of(Aggregate::Min).value, 0.890);
        assert_eq!(of(Aggregate::Max).value, 0.904);
        assert!((of(Aggregate::Median).value - 0.897).abs() < 1e-12);
        assert_eq!(mean.unit, "s");
        // Whiskers: from the least to the most, or a standard deviation either side.
        assert_eq!(mean.whisker(Spread::Minmax), Some((0.890, 0.904)));
        let (lo, hi) = mean.whisker(Spread::Stdev).unwrap();
        let sd = 0.014 / 2f64.sqrt();
        assert!((lo - (0.897 - sd)).abs() < 1e-12 && (hi - (0.897 + sd)).abs() < 1e-12);
        assert_eq!(mean.whisker(Spread::None), None);
        // One run: no whisker.
        let single = Measured::of(&[&other], "ttft_mean", Aggregate::Mean).unwrap();
        assert_eq!((single.n, single.whisker(Spread::Minmax)), (1, None));
        // The run that counts has no value: nothing.
        assert_eq!(
            Measured::of(&[&missing, &newest], "ttft_mean", Aggregate::Mean),
            None
        );
    }
}
