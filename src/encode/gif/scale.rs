//! Area-average downscaling (each output pixel is the mean of the input it covers), RGBA → RGB,
//! or RGBA → RGBA for frames with alpha (premultiplied, so averaging mixes colours right).

use std::ops::Range;

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

    /// The input indices output `i` reads: `first..last`.
    fn span(&self, i: usize) -> Range<usize> {
        self.sources[self.starts[i]]..self.sources[self.starts[i + 1] - 1] + 1
    }

    fn of(&self, i: usize) -> impl Iterator<Item = (usize, u32)> + '_ {
        let range = self.starts[i]..self.starts[i + 1];
        self.sources[range.clone()]
            .iter()
            .copied()
            .zip(self.weights[range].iter().copied())
    }
}

/// A rectangle of the output, `x0..x1 × y0..y1`.
pub type Area = (usize, usize, usize, usize);

/// Scales frames of one size down to another.
pub struct Scaler {
    src: (usize, usize),
    pub dst: (usize, usize),
    columns: Taps,
    rows: Taps,
    /// Channels out: 3 (RGB) or 4 (RGBA).
    pub channels: usize,
    /// One horizontally scaled row per input row, in RGB(A) × 256.
    between: Vec<u16>,
}

impl Scaler {
    /// A scaler for `src` frames, fitting them in `max_width` while keeping the aspect ratio;
    /// with `alpha`, it keeps the alpha channel.
    pub fn fit(src: (u32, u32), max_width: u32, alpha: bool) -> Scaler {
        let (sw, sh) = (src.0 as usize, src.1 as usize);
        let dw = sw.min(max_width as usize).max(1);
        let dh = ((sh * dw + sw / 2) / sw).max(1);
        let channels = if alpha { 4 } else { 3 };
        Scaler {
            src: (sw, sh),
            dst: (dw, dh),
            columns: Taps::new(sw, dw),
            rows: Taps::new(sh, dh),
            channels,
            between: vec![0; dw * sh * channels],
        }
    }

    /// Scales tightly packed RGBA into `rgb` (resized to fit).
    pub fn scale(&mut self, rgba: &[u8], rgb: &mut Vec<u8>) {
        let (dw, dh) = self.dst;
        rgb.resize(dw * dh * self.channels, 0);
        self.scale_area(rgba, rgb, (0, 0, dw, dh));
    }

    /// The output pixels that read from the input region `x..x + width × y..y + height`
    /// (with a pixel to spare on each side).
    pub fn covering(&self, (x, y, width, height): (usize, usize, usize, usize)) -> Area {
        let ((sw, sh), (dw, dh)) = (self.src, self.dst);
        let span = |from: usize, to: usize, src: usize, dst: usize| {
            let first = (from * dst / src).saturating_sub(1);
            let last = ((to * dst).div_ceil(src) + 1).min(dst);
            (first, last)
        };
        let (x0, x1) = span(x, x + width, sw, dw);
        let (y0, y1) = span(y, y + height, sh, dh);
        (x0, y0, x1, y1)
    }

    /// Scales the output pixels in `area` from tightly packed RGBA into `rgb`, a whole
    /// scaled frame whose other pixels stay as they are.
    pub fn scale_area(&mut self, rgba: &[u8], rgb: &mut [u8], (x0, y0, x1, y1): Area) {
        if x0 >= x1 || y0 >= y1 {
            return;
        }
        let (sw, dw, ch) = (self.src.0, self.dst.0, self.channels);
        let rows = self.rows.span(y0).start..self.rows.span(y1 - 1).end;
        for y in rows {
            let row = &rgba[y * sw * 4..(y + 1) * sw * 4];
            for x in x0..x1 {
                let mut acc = [0u32; 4];
                for (s, w) in self.columns.of(x) {
                    for (a, &v) in acc.iter_mut().zip(&row[s * 4..s * 4 + ch]) {
                        *a += u32::from(v) * w;
                    }
                }
                let out = &mut self.between[(y * dw + x) * ch..][..ch];
                for (o, a) in out.iter_mut().zip(acc) {
                    *o = ((a + (1 << (SHIFT - 9))) >> (SHIFT - 8)) as u16;
                }
            }
        }
        for y in y0..y1 {
            let out = &mut rgb[(y * dw + x0) * ch..(y * dw + x1) * ch];
            for (i, value) in (x0 * ch..x1 * ch).zip(out.iter_mut()) {
                let mut acc = 0u32;
                for (s, w) in self.rows.of(y) {
                    acc += u32::from(self.between[s * dw * ch + i]) * w;
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
        let mut scaler = Scaler::fit((2, 2), 1, false);
        let mut rgb = Vec::new();
        scaler.scale(&rgba, &mut rgb);
        assert_eq!(scaler.dst, (1, 1));
        assert_eq!(rgb, vec![128, 128, 128]);
    }

    #[test]
    fn keeps_aspect_and_flat_colours_exact() {
        let rgba: Vec<u8> = [30u8, 136, 229, 255].repeat(1920 * 1080);
        let mut scaler = Scaler::fit((1920, 1080), 960, false);
        let mut rgb = Vec::new();
        scaler.scale(&rgba, &mut rgb);
        assert_eq!(scaler.dst, (960, 540));
        assert!(rgb.chunks(3).all(|p| p == [30, 136, 229]));
        let mut odd = Scaler::fit((1000, 333), 960, false);
        odd.scale(&[7u8, 8, 9, 255].repeat(1000 * 333), &mut rgb);
        assert_eq!(odd.dst, (960, 320));
        assert!(rgb.chunks(3).all(|p| p == [7, 8, 9]));
    }

    #[test]
    fn scaling_what_an_input_region_covers_equals_scaling_everything() {
        let (sw, sh) = (301, 97);
        let frame = |seed: u32| -> Vec<u8> {
            (0..sw * sh)
                .flat_map(|i: u32| {
                    let v = (i.wrapping_mul(2_654_435_761) >> (seed % 7)) as u8;
                    [v, v ^ 0x5a, v.wrapping_add(seed as u8), 255]
                })
                .collect()
        };
        let (before, mut after) = (frame(1), frame(1));
        let region = (120, 30, 37, 21);
        let replacement = frame(2);
        for y in region.1..region.1 + region.3 {
            let row = (y * sw as usize + region.0) * 4..(y * sw as usize + region.0 + region.2) * 4;
            after[row.clone()].copy_from_slice(&replacement[row]);
        }
        let mut scaler = Scaler::fit((sw, sh), 128, false);
        let (mut partial, mut whole) = (Vec::new(), Vec::new());
        scaler.scale(&before, &mut partial);
        let area = scaler.covering(region);
        scaler.scale_area(&after, &mut partial, area);
        scaler.scale(&after, &mut whole);
        assert_eq!(partial, whole);
        assert!(area.2 - area.0 < 40, "{area:?} covers too much");
    }
}
