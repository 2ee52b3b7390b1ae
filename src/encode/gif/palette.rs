//! One palette for the whole GIF, chosen from every colour the animation shows, and a fast
//! colour → palette index lookup.

/// Colours are binned at 6 bits per channel; each bin keeps the exact mean of its pixels, so
/// flat colours (bars, background, text) come out exactly.
const BITS: u32 = 6;
const BINS: usize = 1 << (3 * BITS);

fn bin(r: u8, g: u8, b: u8) -> usize {
    let s = 8 - BITS;
    (usize::from(r >> s) << (2 * BITS)) | (usize::from(g >> s) << BITS) | usize::from(b >> s)
}

#[derive(Clone, Copy, Default)]
struct Bin {
    count: u64,
    sum: [u64; 3],
}

/// How often each colour appears.
pub struct Histogram {
    bins: Vec<Bin>,
}

impl Histogram {
    pub fn new() -> Histogram {
        Histogram {
            bins: vec![Bin::default(); BINS],
        }
    }

    /// Counts the colours of `pixels`, `px` bytes each (RGB, or RGBA whose transparent pixels
    /// are left out).
    pub fn add(&mut self, pixels: &[u8], px: usize) {
        for p in pixels.chunks_exact(px).filter(|p| p.get(3) != Some(&0)) {
            let b = &mut self.bins[bin(p[0], p[1], p[2])];
            b.count += 1;
            for (sum, &v) in b.sum.iter_mut().zip(p) {
                *sum += u64::from(v);
            }
        }
    }

    fn colours(&self) -> Vec<Weighted> {
        self.bins
            .iter()
            .filter(|b| b.count > 0)
            .map(|b| Weighted {
                rgb: b.sum.map(|s| s as f64 / b.count as f64),
                weight: b.count as f64,
            })
            .collect()
    }

    /// At most `max` colours: boxes of similar colours are split, the one with the largest
    /// weighted squared error first, until every box is one colour or there are `max` of them.
    pub fn palette(&self, max: usize) -> Vec<[u8; 3]> {
        let mut colours = self.colours();
        let mut boxes = vec![ColourBox::new(&colours, 0..colours.len())];
        while boxes.len() < max {
            let Some((worst, _)) = boxes
                .iter()
                .enumerate()
                .filter(|(_, b)| b.error > 0.0 && b.range.len() > 1)
                .max_by(|a, b| a.1.error.total_cmp(&b.1.error))
            else {
                break;
            };
            let split = boxes.swap_remove(worst);
            let (a, b) = split.split(&mut colours);
            boxes.push(a);
            boxes.push(b);
        }
        boxes
            .iter()
            .map(|b| b.mean.map(|c| c.round().clamp(0.0, 255.0) as u8))
            .collect()
    }
}

#[derive(Clone, Copy)]
struct Weighted {
    rgb: [f64; 3],
    weight: f64,
}

struct ColourBox {
    range: std::ops::Range<usize>,
    mean: [f64; 3],
    variance: [f64; 3],
    error: f64,
}

impl ColourBox {
    fn new(colours: &[Weighted], range: std::ops::Range<usize>) -> ColourBox {
        let slice = &colours[range.clone()];
        let total: f64 = slice
            .iter()
            .map(|c| c.weight)
            .sum::<f64>()
            .max(f64::MIN_POSITIVE);
        let mut mean = [0.0; 3];
        for c in slice {
            for (m, v) in mean.iter_mut().zip(c.rgb) {
                *m += v * c.weight / total;
            }
        }
        let mut variance = [0.0; 3];
        for c in slice {
            for ((s, v), m) in variance.iter_mut().zip(c.rgb).zip(mean) {
                *s += (v - m) * (v - m) * c.weight;
            }
        }
        ColourBox {
            range,
            mean,
            variance,
            error: variance.iter().sum(),
        }
    }

    /// Splits along the channel that varies most, at the weighted median.
    fn split(self, colours: &mut [Weighted]) -> (ColourBox, ColourBox) {
        let axis = (0..3)
            .max_by(|&a, &b| self.variance[a].total_cmp(&self.variance[b]))
            .unwrap_or(0);
        let slice = &mut colours[self.range.clone()];
        slice.sort_by(|a, b| a.rgb[axis].total_cmp(&b.rgb[axis]));
        let half = slice.iter().map(|c| c.weight).sum::<f64>() / 2.0;
        let mut seen = 0.0;
        let mut at = 1;
        for (i, c) in slice.iter().enumerate() {
            seen += c.weight;
            if seen >= half {
                at = i + 1;
                break;
            }
        }
        let at = self.range.start + at.clamp(1, slice.len() - 1);
        (
            ColourBox::new(colours, self.range.start..at),
            ColourBox::new(colours, at..self.range.end),
        )
    }
}

/// Colour → nearest palette index, through a table over the histogram's bins.
pub struct Lookup {
    palette: Vec<[u8; 3]>,
    table: Vec<u8>,
    known: Vec<bool>,
}

impl Lookup {
    /// Prepares the bins the histogram saw, from their exact mean colours.
    pub fn new(palette: Vec<[u8; 3]>, histogram: &Histogram) -> Lookup {
        let mut lookup = Lookup {
            palette,
            table: vec![0; BINS],
            known: vec![false; BINS],
        };
        for (i, b) in histogram.bins.iter().enumerate() {
            if b.count > 0 {
                let mean = b.sum.map(|s| ((s + b.count / 2) / b.count) as u8);
                lookup.table[i] = lookup.nearest(mean);
                lookup.known[i] = true;
            }
        }
        lookup
    }

    pub fn index(&mut self, r: u8, g: u8, b: u8) -> u8 {
        let i = bin(r, g, b);
        if !self.known[i] {
            self.table[i] = self.nearest([r, g, b]);
            self.known[i] = true;
        }
        self.table[i]
    }

    fn nearest(&self, c: [u8; 3]) -> u8 {
        let distance = |p: &[u8; 3]| -> i32 {
            (0..3)
                .map(|k| (i32::from(p[k]) - i32::from(c[k])).pow(2))
                .sum()
        };
        self.palette
            .iter()
            .enumerate()
            .min_by_key(|(_, p)| distance(p))
            .map_or(0, |(i, _)| i as u8)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flat_colours_survive_exactly_and_blends_go_to_the_nearest_entry() {
        let mut h = Histogram::new();
        let flat = [
            [18u8, 18, 24],
            [30, 136, 229],
            [255, 193, 7],
            [240, 240, 240],
        ];
        for c in flat {
            h.add(&c.repeat(10_000), 3);
        }
        // A few antialiased pixels between two flat colours.
        h.add(&[24, 77, 126, 25, 80, 130], 3);
        let palette = h.palette(4);
        for c in flat {
            assert!(palette.contains(&c), "{c:?} missing from {palette:?}");
        }
        let mut lookup = Lookup::new(palette.clone(), &h);
        let i = lookup.index(30, 136, 229);
        assert_eq!(palette[usize::from(i)], [30, 136, 229]);
        let blend = lookup.index(28, 120, 200);
        assert_eq!(palette[usize::from(blend)], [30, 136, 229]);
    }
}
