//! The colours the program gives series and rows that name none: a categorical palette for
//! things of different kinds, a sequential one for ordered levels (concurrency 1 to 32), and
//! the rule that keeps a series from wearing a verdict's colour on a chart with deltas.

use super::Rgb;
use super::vision::delta_e2000;

/// Matplotlib's ten default colours, with red and purple swapped so that green and red are
/// never neighbours: to someone with deuteranopia they are one colour.
pub const TAB10: [Rgb; 10] = [
    Rgb(0x1f, 0x77, 0xb4),
    Rgb(0xff, 0x7f, 0x0e),
    Rgb(0x2c, 0xa0, 0x2c),
    Rgb(0x94, 0x67, 0xbd),
    Rgb(0xd6, 0x27, 0x28),
    Rgb(0x8c, 0x56, 0x4b),
    Rgb(0xe3, 0x77, 0xc2),
    Rgb(0x7f, 0x7f, 0x7f),
    Rgb(0xbc, 0xbd, 0x22),
    Rgb(0x17, 0xbe, 0xcf),
];

/// Viridis at 0, 0.1, …, 1 (matplotlib's samples).
const VIRIDIS: [Rgb; 11] = [
    Rgb(0x44, 0x01, 0x54),
    Rgb(0x48, 0x24, 0x75),
    Rgb(0x41, 0x44, 0x87),
    Rgb(0x35, 0x5f, 0x8d),
    Rgb(0x2a, 0x78, 0x8e),
    Rgb(0x21, 0x91, 0x8c),
    Rgb(0x22, 0xa8, 0x84),
    Rgb(0x44, 0xbf, 0x70),
    Rgb(0x7a, 0xd1, 0x51),
    Rgb(0xbd, 0xdf, 0x26),
    Rgb(0xfd, 0xe7, 0x25),
];

/// The part of viridis the sequential palette uses. Below 0.2 the purples sink into a black
/// background, above 0.75 the yellows fade on white: within it every colour, as a mark, has at
/// least 2:1 contrast on both themes (tab10's least is 2.0:1, its olive on white), and as text
/// tinted for the theme at least 4.5:1.
const VIRIDIS_SPAN: (f64, f64) = (0.2, 0.75);

/// The most levels the sequential palette keeps apart by [`MIN_SEQUENTIAL_DELTA_E`]: more than
/// this and neighbouring levels come closer (still in order, lightest last).
#[cfg(test)]
pub const SEQUENTIAL_DISTINCT: usize = 8;

/// The least CIEDE2000 difference between neighbouring levels of the sequential palette, up to
/// [`SEQUENTIAL_DISTINCT`] levels, with and without deuteranopia: twice the least noticeable
/// difference (about 2). Levels are read by their order, light after dark, more than by hue.
#[cfg(test)]
pub const MIN_SEQUENTIAL_DELTA_E: f64 = 4.0;

/// The least CIEDE2000 difference between neighbouring colours of a palette, for normal
/// vision and with deuteranopia: 12 is a difference seen at a glance between two marks side
/// by side (2.3 is the least noticeable one).
#[cfg(test)]
pub const MIN_NEIGHBOUR_DELTA_E: f64 = 12.0;

/// A series colour this close to a verdict colour (CIEDE2000 with lightness counted half, so
/// that a light green is as much "better" as a dark one) reads as that verdict. 21 keeps
/// tab10's green apart from "better" and its red and brown from "worse", while its orange
/// (21.2 from the red) and grey (24.4 from the green) stay.
pub const VERDICT_DELTA_E: f64 = 21.0;

/// Item `i` of `n` levels in order, from the sequential palette: evenly spread over its span.
pub fn sequential(i: usize, n: usize) -> Rgb {
    let (lo, hi) = VIRIDIS_SPAN;
    let t = if n <= 1 {
        (lo + hi) / 2.0
    } else {
        lo + (hi - lo) * i.min(n - 1) as f64 / (n - 1) as f64
    };
    viridis(t)
}

/// Viridis at `t` (0 to 1), between its samples.
fn viridis(t: f64) -> Rgb {
    let at = t.clamp(0.0, 1.0) * (VIRIDIS.len() - 1) as f64;
    let k = (at.floor() as usize).min(VIRIDIS.len() - 2);
    let f = at - k as f64;
    let (a, b) = (VIRIDIS[k], VIRIDIS[k + 1]);
    let mix = |x: u8, y: u8| (f64::from(x) + (f64::from(y) - f64::from(x)) * f).round() as u8;
    Rgb(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

/// A series whose colour was changed because it read as a verdict.
#[derive(Debug, Clone, PartialEq)]
pub struct Recolored {
    pub series: String,
    pub from: Rgb,
    pub to: Rgb,
    /// `better` or `worse`: the verdict it was close to.
    pub verdict: &'static str,
}

impl std::fmt::Display for Recolored {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "series `{}`: {} reads as the `{}` pills' colour; drawn in {} instead (give it another `color` to choose)",
            self.series,
            self.from.hex(),
            self.verdict,
            self.to.hex()
        )
    }
}

/// The verdict `color` reads as, if any: `better` or `worse`.
pub fn verdict_like(color: Rgb, better: Rgb, worse: Rgb) -> Option<&'static str> {
    [("better", better), ("worse", worse)]
        .into_iter()
        .find(|&(_, v)| delta_e2000(color, v, 2.0) < VERDICT_DELTA_E)
        .map(|(name, _)| name)
}

/// Gives each series (`labels`, `colors`) that reads as a verdict the next tab10 colour, after
/// its own place, that reads as none and no other series wears; says which it changed. A
/// series keeps its colour when no such colour is left.
pub fn avoid_verdicts(
    labels: &[&str],
    colors: &mut [Rgb],
    better: Rgb,
    worse: Rgb,
) -> Vec<Recolored> {
    let mut changed = Vec::new();
    for s in 0..colors.len() {
        let Some(verdict) = verdict_like(colors[s], better, worse) else {
            continue;
        };
        let free = (1..=TAB10.len())
            .map(|k| TAB10[(s + k) % TAB10.len()])
            .find(|&c| verdict_like(c, better, worse).is_none() && !colors.contains(&c));
        if let Some(to) = free {
            changed.push(Recolored {
                series: labels.get(s).copied().unwrap_or_default().to_string(),
                from: colors[s],
                to,
                verdict,
            });
            colors[s] = to;
        }
    }
    changed
}

#[cfg(test)]
mod tests {
    use super::super::compare::{BETTER, WORSE};
    use super::super::contrast;
    use super::super::vision::deuteranopia;
    use super::*;

    /// The least difference between neighbours of `colors` (the last and the first too, when
    /// `wraps`), for normal vision and with deuteranopia, with the pair that has it.
    fn closest_neighbours(colors: &[Rgb], wraps: bool) -> (f64, Rgb, Rgb) {
        let n = colors.len();
        let pairs = (0..n - 1)
            .map(|i| (i, i + 1))
            .chain(wraps.then_some((n - 1, 0)));
        pairs
            .flat_map(|(i, j)| {
                let (a, b) = (colors[i], colors[j]);
                [
                    (delta_e2000(a, b, 1.0), a, b),
                    (delta_e2000(deuteranopia(a), deuteranopia(b), 1.0), a, b),
                ]
            })
            .min_by(|x, y| x.0.total_cmp(&y.0))
            .unwrap()
    }

    #[test]
    fn neighbouring_colours_of_every_palette_stay_apart_with_deuteranopia() {
        // Tab10 wraps round after ten series.
        let (d, a, b) = closest_neighbours(&TAB10, true);
        assert!(
            d >= MIN_NEIGHBOUR_DELTA_E,
            "tab10 {} {}: {d:.1}",
            a.hex(),
            b.hex()
        );
        // Matplotlib's order puts green beside red: the check catches it.
        let mut original = TAB10;
        original.swap(3, 4);
        assert!(closest_neighbours(&original, true).0 < 6.0);
        for n in 2..=SEQUENTIAL_DISTINCT {
            let colors: Vec<Rgb> = (0..n).map(|i| sequential(i, n)).collect();
            let (d, a, b) = closest_neighbours(&colors, false);
            let hexes = (a.hex(), b.hex());
            assert!(d >= MIN_SEQUENTIAL_DELTA_E, "{n} levels {hexes:?}: {d:.1}");
        }
    }

    #[test]
    fn verdict_colours_stay_apart_with_deuteranopia() {
        let seen = delta_e2000(deuteranopia(BETTER), deuteranopia(WORSE), 1.0);
        assert!(seen >= MIN_NEIGHBOUR_DELTA_E, "{seen:.1}");
    }

    #[test]
    fn the_sequential_palette_reads_on_both_themes() {
        let (black, white) = (Rgb(0, 0, 0), Rgb(255, 255, 255));
        for n in [1, 2, 5, 12] {
            for i in 0..n {
                let c = sequential(i, n);
                for ground in [black, white] {
                    let have = contrast(c, ground);
                    assert!(have >= 2.0, "{} on {}: {have:.2}", c.hex(), ground.hex());
                }
            }
        }
        // In order: each level lighter than the one before.
        let lightness: Vec<f64> = (0..8)
            .map(|i| super::super::vision::lab(sequential(i, 8))[0])
            .collect();
        assert!(lightness.windows(2).all(|w| w[0] < w[1]), "{lightness:?}");
    }

    #[test]
    fn series_that_read_as_a_verdict_take_the_next_free_colour() {
        // The concurrency sweep's light and dark green against the verdict pills.
        let mut colors = [Rgb(0x98, 0xdf, 0x8a), Rgb(0x2c, 0xa0, 0x2c)];
        let changed = avoid_verdicts(&["1 at a time", "32 at a time"], &mut colors, BETTER, WORSE);
        assert_eq!(colors, [TAB10[1], TAB10[3]]);
        assert_eq!(changed.len(), 2);
        assert_eq!(
            changed[1].to_string(),
            "series `32 at a time`: #2ca02c reads as the `better` pills' colour; drawn in #9467bd instead (give it another `color` to choose)"
        );
        // Red reads as worse; blue and orange, the first two defaults, as neither.
        assert_eq!(verdict_like(TAB10[4], BETTER, WORSE), Some("worse"));
        let mut defaults = [TAB10[0], TAB10[1]];
        assert!(avoid_verdicts(&["a", "b"], &mut defaults, BETTER, WORSE).is_empty());
        assert_eq!(defaults, [TAB10[0], TAB10[1]]);
    }
}
