//! Deltas: how much better or worse a candidate is than its baseline, row by row, and the
//! pill that says so in colours whose text stays readable (WCAG AA) on either theme.

use serde::{Deserialize, Serialize};

use super::Rgb;
use super::vision::linear;
use crate::results::Direction;

/// How long the bars of each row may get.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Scale {
    /// One scale for the chart: the longest bar of all spans the bars' width.
    #[default]
    Chart,
    /// A scale per row: each row's longest bar spans the bars' width, so rows of different
    /// units sit in one chart.
    Row,
}

/// What a delta says of the candidate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Better,
    Worse,
    /// Within the neutral band.
    Neutral,
    /// The baseline is zero, or which way is better is not known.
    Unknown,
    /// One side has no value.
    Missing,
}

/// How a delta reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DeltaForm {
    /// A percentage while the candidate is within a factor of two of the baseline (`+15.0%`),
    /// a ratio beyond (`16.7×`, `0.06×`), where a percentage no longer reads at once.
    #[default]
    Auto,
    /// `+15.0%`.
    Percent,
    /// `1.15×`: candidate over baseline.
    Ratio,
}

/// The colours and rules the deltas of a chart follow.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DeltaStyle {
    pub form: DeltaForm,
    /// Differences smaller than this many percent are neutral.
    pub neutral_band: f64,
    pub better: Rgb,
    pub worse: Rgb,
    pub neutral: Rgb,
}

/// Green, red and grey dark enough for white text at 4.5:1 (matplotlib's `#2ca02c` and
/// `#7f7f7f` reach only 3.4:1 and 4.0:1). The green leans blue and dark, so that with
/// deuteranopia it still differs from the red (CIEDE2000 16; a pure green's is 9).
pub const BETTER: Rgb = Rgb(0x1b, 0x73, 0x40);
pub const WORSE: Rgb = Rgb(0xd6, 0x27, 0x28);
pub const NEUTRAL: Rgb = Rgb(0x66, 0x66, 0x66);
/// The least contrast between a pill and its text: WCAG AA for normal text.
pub const MIN_CONTRAST: f64 = 4.5;
/// Text on a pill: white, on either theme.
const LIGHT_INK: Rgb = Rgb(255, 255, 255);

impl Default for DeltaStyle {
    fn default() -> Self {
        DeltaStyle {
            form: DeltaForm::Auto,
            neutral_band: 0.5,
            better: BETTER,
            worse: WORSE,
            neutral: NEUTRAL,
        }
    }
}

/// A row's delta: the candidate (the second series) against the baseline (the first).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Delta {
    /// As the pill reads: `✓ +15.0%`, `✗ −10.0%`, `≈ +0.0%`, `n/a` or `NA`.
    pub text: String,
    /// (candidate − baseline) / baseline × 100; none when a side is missing or the baseline
    /// is zero.
    pub percent: Option<f64>,
    pub verdict: Verdict,
    /// The pill and its text.
    pub fill: Rgb,
    pub ink: Rgb,
}

impl Delta {
    /// The delta of `candidate` against `baseline` when `direction` is the better way.
    pub fn of(
        baseline: Option<f64>,
        candidate: Option<f64>,
        direction: Option<Direction>,
        style: &DeltaStyle,
    ) -> Delta {
        let (Some(base), Some(cand)) = (baseline, candidate) else {
            return Delta::pill("NA".into(), None, Verdict::Missing, style.neutral);
        };
        if base == 0.0 {
            return Delta::pill("n/a".into(), None, Verdict::Unknown, style.neutral);
        }
        let percent = (cand - base) / base.abs() * 100.0;
        let Some(direction) = direction else {
            return Delta::pill("n/a".into(), Some(percent), Verdict::Unknown, style.neutral);
        };
        let number = match style.form {
            DeltaForm::Percent => signed_percent(percent),
            DeltaForm::Ratio => ratio_text(cand / base),
            DeltaForm::Auto if cand / base > 0.5 && cand / base < 2.0 => signed_percent(percent),
            DeltaForm::Auto => ratio_text(cand / base),
        };
        let (verdict, mark, fill) = if percent.abs() < style.neutral_band {
            (Verdict::Neutral, '≈', style.neutral)
        } else if direction.better(cand, base) {
            (Verdict::Better, '✓', style.better)
        } else {
            (Verdict::Worse, '✗', style.worse)
        };
        Delta::pill(format!("{mark} {number}"), Some(percent), verdict, fill)
    }

    fn pill(text: String, percent: Option<f64>, verdict: Verdict, fill: Rgb) -> Delta {
        let (fill, ink) = readable(fill);
        Delta {
            text,
            percent,
            verdict,
            fill,
            ink,
        }
    }
}

/// `+15.0%`, `−10.0%` (a true minus sign), `+0.0%`: one decimal, the sign always shown.
pub fn signed_percent(percent: f64) -> String {
    let rounded = (percent * 10.0).round() / 10.0;
    if rounded < 0.0 {
        format!("−{:.1}%", -rounded)
    } else {
        format!("+{:.1}%", rounded.abs())
    }
}

/// Candidate over baseline with the digits that tell it apart: `16.7×`, `1.15×`, `0.06×`,
/// `0.0042×`.
fn ratio_text(ratio: f64) -> String {
    let magnitude = ratio.abs();
    let decimals = if magnitude >= 10.0 {
        1
    } else if magnitude >= 0.01 || magnitude == 0.0 {
        2
    } else {
        // Two significant digits.
        (1.0 - magnitude.log10().floor()) as usize
    };
    format!("{ratio:.decimals$}×")
}

/// A pill colour and the text colour to write on it with at least [`MIN_CONTRAST`]: white text,
/// on the colour darkened as far as that takes (so green stays green, only deeper).
pub fn readable(fill: Rgb) -> (Rgb, Rgb) {
    let mut darker = fill;
    for _ in 0..100 {
        if contrast(darker, LIGHT_INK) >= MIN_CONTRAST {
            break;
        }
        let shade = |c: u8| (f32::from(c) * 0.95) as u8;
        darker = Rgb(shade(darker.0), shade(darker.1), shade(darker.2));
    }
    (darker, LIGHT_INK)
}

/// Text for a value written on a bar of `fill`: white, or near-black on a light bar where
/// that reads better (an orange or a pale blue bar).
pub fn ink_on(fill: Rgb) -> Rgb {
    let dark = Rgb(17, 17, 17);
    if contrast(fill, LIGHT_INK) >= contrast(fill, dark) {
        LIGHT_INK
    } else {
        dark
    }
}

/// The WCAG contrast ratio of two colours, 1 to 21.
pub fn contrast(a: Rgb, b: Rgb) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// WCAG relative luminance.
fn luminance(c: Rgb) -> f64 {
    let [r, g, b] = linear(c);
    0.2126 * r + 0.7152 * g + 0.0722 * b
}

#[cfg(test)]
mod tests {
    use super::*;
    use Direction::{Higher, Lower};

    fn delta(base: f64, cand: f64, direction: Direction) -> Delta {
        Delta::of(
            Some(base),
            Some(cand),
            Some(direction),
            &DeltaStyle::default(),
        )
    }

    #[test]
    fn deltas_read_as_the_comparison_workflow_gives_them() {
        let cases = [
            (1000.0, 1150.0, Higher, "✓ +15.0%", Verdict::Better),
            (100.0, 120.0, Lower, "✗ +20.0%", Verdict::Worse),
            (300.0, 270.0, Lower, "✓ −10.0%", Verdict::Better),
            (20.0, 19.0, Lower, "✓ −5.0%", Verdict::Better),
            (40.0, 44.0, Lower, "✗ +10.0%", Verdict::Worse),
            (400.0, 380.0, Lower, "✓ −5.0%", Verdict::Better),
            (500.0, 500.2, Lower, "≈ +0.0%", Verdict::Neutral),
        ];
        for (base, cand, direction, text, verdict) in cases {
            let d = delta(base, cand, direction);
            assert_eq!(
                (d.text.as_str(), d.verdict),
                (text, verdict),
                "{base} → {cand}"
            );
        }
        assert!((delta(500.0, 500.2, Lower).percent.unwrap() - 0.04).abs() < 1e-9);
        let style = DeltaStyle::default();
        let na = Delta::of(Some(1.0), None, Some(Higher), &style);
        assert_eq!((na.text.as_str(), na.verdict), ("NA", Verdict::Missing));
        let zero = Delta::of(Some(0.0), Some(5.0), Some(Higher), &style);
        assert_eq!((zero.text.as_str(), zero.percent), ("n/a", None));
        let unknown = Delta::of(Some(2.0), Some(3.0), None, &style);
        assert_eq!(
            (unknown.text.as_str(), unknown.verdict),
            ("n/a", Verdict::Unknown)
        );
        let ratio = DeltaStyle {
            form: DeltaForm::Ratio,
            ..style
        };
        let d = Delta::of(Some(100.0), Some(315.0), Some(Higher), &ratio);
        assert_eq!(d.text, "✓ 3.15×");
    }

    #[test]
    fn deltas_beyond_a_factor_of_two_read_as_ratios_by_default() {
        let cases = [
            (60.0, 1001.4, Higher, "✓ 16.7×"),
            (100.0, 6.0, Lower, "✓ 0.06×"),
            (100.0, 199.0, Higher, "✓ +99.0%"),
            (100.0, 200.0, Higher, "✓ 2.00×"),
            (100.0, 50.1, Higher, "✗ −49.9%"),
            (100.0, 50.0, Higher, "✗ 0.50×"),
            (1000.0, 4.2, Lower, "✓ 0.0042×"),
        ];
        for (base, cand, direction, text) in cases {
            assert_eq!(delta(base, cand, direction).text, text, "{base} → {cand}");
        }
        let percent = DeltaStyle {
            form: DeltaForm::Percent,
            ..DeltaStyle::default()
        };
        let d = Delta::of(Some(60.0), Some(1001.4), Some(Higher), &percent);
        assert_eq!(d.text, "✓ +1569.0%");
    }

    #[test]
    fn pill_text_reaches_wcag_aa_on_every_pill() {
        // The defaults, and colours people pick: matplotlib's green and grey, a yellow, white.
        let fills = [
            BETTER,
            WORSE,
            NEUTRAL,
            Rgb(0x2c, 0xa0, 0x2c),
            Rgb(0x7f, 0x7f, 0x7f),
            Rgb(0xff, 0xdd, 0x00),
            Rgb(0xff, 0xff, 0xff),
            Rgb(0x80, 0x80, 0xff),
        ];
        for fill in fills {
            let (pill, ink) = readable(fill);
            assert!(
                contrast(pill, ink) >= MIN_CONTRAST,
                "{} on {}: {:.2}",
                ink.hex(),
                pill.hex(),
                contrast(pill, ink)
            );
        }
        // The defaults keep white text, as they are.
        for fill in [BETTER, WORSE, NEUTRAL] {
            assert_eq!(readable(fill), (fill, LIGHT_INK));
        }
        // Matplotlib's green is too light for white: darkened, still green.
        let (green, ink) = readable(Rgb(0x2c, 0xa0, 0x2c));
        assert_eq!(ink, LIGHT_INK);
        assert!(green.1 > green.0 && green.1 > green.2 && green.1 < 0xa0);
        assert!((contrast(Rgb(0, 0, 0), Rgb(255, 255, 255)) - 21.0).abs() < 1e-9);
    }
}
