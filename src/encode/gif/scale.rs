//! Area-average downscaling (each output pixel is the mean of the input it covers), RGBA → RGB.

/// Fixed-point weights: each output pixel's weights sum to `ONE`.
const SHIFT: u32 = 12;
const ONE: u32 = 1 << SHIFT;

/// For each output index, the input indices it covers and their weights.
struct Taps {
    /// `starts[i]..starts[i + 1]` are the taps of output `i`.
    starts: Vec<usize>,
    sources: Vec<usize>,
    weights: Vec<u32>,
}

impl Taps {
    fn new(src: usize, dst: usize) -> Taps {
        let mut taps = Taps {
            starts: vec![0],
            sources: Vec::new(),
            weights: Vec::new(),
        };
        let ratio = src as f64 / dst as f64;
        for i in 0..dst {
            let (begin, end) = (i as f64 * ratio, (i + 1) as f64 * ratio);
            let first = begin.floor() as usize;
            let last = (end.ceil() as usize).min(src);
            let mut given = 0;
            for s in first..last {
                let cover = (end.min(s as f64 + 1.0) - begin.max(s as f64)) / ratio;
                let w = if s + 1 == last {
                    ONE - given
                } else {
                    (cover * f64::from(ONE)).round() as u32
                };
                given += w;
                taps.sources.push(s);
                taps.weights.push(w);
            }
            taps.starts.push(taps.sources.len());
        }
        taps
    }

    fn of(&self, i: usize) -> impl Iterator<Item = (usize, u32)> + '_ {
        let range = self.starts[i]..self.starts[i + 1];
        self.sources[range.clone()]
            .iter()
            .copied()
            .zip(self.weights[range].iter().copied())
    }
}

/// Scales frames of one size down to another.
pub struct Scaler {
    src: (usize, usize),
    pub dst: (usize, usize),
    columns: Taps,
    rows: Taps,
    /// One horizontally scaled row per input row, in RGB × 256.
    between: Vec<u16>,
}

impl Scaler {
    /// A scaler for `src` frames, fitting them in `max_width` while keeping the aspect ratio.
    pub fn fit(src: (u32, u32), max_width: u32) -> Scaler {
        let (sw, sh) = (src.0 as usize, src.1 as usize);
        let dw = sw.min(max_width as usize).max(1);
        let dh = ((sh * dw + sw / 2) / sw).max(1);
        Scaler {
            src: (sw, sh),
            dst: (dw, dh),
            columns: Taps::new(sw, dw),
            rows: Taps::new(sh, dh),
            between: vec![0; dw * sh * 3],
        }
    }

    /// Scales tightly packed RGBA into `rgb` (resized to fit).
    pub fn scale(&mut self, rgba: &[u8], rgb: &mut Vec<u8>) {
        let ((sw, sh), (dw, dh)) = (self.src, self.dst);
        for y in 0..sh {
            let row = &rgba[y * sw * 4..(y + 1) * sw * 4];
            for x in 0..dw {
                let mut acc = [0u32; 3];
                for (s, w) in self.columns.of(x) {
                    for (a, &v) in acc.iter_mut().zip(&row[s * 4..s * 4 + 3]) {
                        *a += u32::from(v) * w;
                    }
                }
                let out = &mut self.between[(y * dw + x) * 3..][..3];
                for (o, a) in out.iter_mut().zip(acc) {
                    *o = ((a + (1 << (SHIFT - 9))) >> (SHIFT - 8)) as u16;
                }
            }
        }
        rgb.resize(dw * dh * 3, 0);
        for y in 0..dh {
            let out = &mut rgb[y * dw * 3..(y + 1) * dw * 3];
            for (i, value) in out.iter_mut().enumerate() {
                let mut acc = 0u32;
                for (s, w) in self.rows.of(y) {
                    acc += u32::from(self.between[s * dw * 3 + i]) * w;
                }
                *value = ((acc + (1 << (SHIFT + 7))) >> (SHIFT + 8)).min(255) as u8;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn halving_averages_each_two_by_two_block() {
        let rgba: Vec<u8> = [
            [0u8, 0, 0, 255],
            [255, 255, 255, 255],
            [0, 0, 0, 255],
            [255, 255, 255, 255],
        ]
        .concat();
        let mut scaler = Scaler::fit((2, 2), 1);
        let mut rgb = Vec::new();
        scaler.scale(&rgba, &mut rgb);
        assert_eq!(scaler.dst, (1, 1));
        assert_eq!(rgb, vec![128, 128, 128]);
    }

    #[test]
    fn keeps_aspect_and_flat_colours_exact() {
        let rgba: Vec<u8> = [30u8, 136, 229, 255].repeat(1920 * 1080);
        let mut scaler = Scaler::fit((1920, 1080), 960);
        let mut rgb = Vec::new();
        scaler.scale(&rgba, &mut rgb);
        assert_eq!(scaler.dst, (960, 540));
        assert!(rgb.chunks(3).all(|p| p == [30, 136, 229]));
        let mut odd = Scaler::fit((1000, 333), 960);
        odd.scale(&[7u8, 8, 9, 255].repeat(1000 * 333), &mut rgb);
        assert_eq!(odd.dst, (960, 320));
        assert!(rgb.chunks(3).all(|p| p == [7, 8, 9]));
    }
}
