//! RGBA → YUV 4:2:0 (BT.709, limited range), the picture format H.264 players expect.
//!
//! Done here rather than in the encoder library so both MP4 backends produce the same colours and
//! the colour space written into the stream is the one actually used.

use std::ops::Range;

use super::Region;

/// A picture in planar YUV 4:2:0 with even dimensions (odd frames are padded by repeating the last
/// column or row; the stream's cropping is not used, so the padding is part of the picture).
pub struct Yuv420 {
    pub width: usize,
    pub height: usize,
    pub y: Vec<u8>,
    pub u: Vec<u8>,
    pub v: Vec<u8>,
}

/// Fixed-point BT.709 coefficients scaled to limited range (Y 16–235, Cb/Cr 16–240), ×2¹⁶.
const fn fix(x: f64) -> i32 {
    if x < 0.0 {
        (x * 65536.0 - 0.5) as i32
    } else {
        (x * 65536.0 + 0.5) as i32
    }
}
const KR: f64 = 0.2126;
const KB: f64 = 0.0722;
const KG: f64 = 1.0 - KR - KB;
const YS: f64 = 219.0 / 255.0;
const CS: f64 = 224.0 / 255.0;
const Y_R: i32 = fix(YS * KR);
const Y_G: i32 = fix(YS * KG);
const Y_B: i32 = fix(YS * KB);
const U_R: i32 = fix(-CS * KR / (2.0 * (1.0 - KB)));
const U_G: i32 = fix(-CS * KG / (2.0 * (1.0 - KB)));
const U_B: i32 = fix(CS * 0.5);
const V_R: i32 = fix(CS * 0.5);
const V_G: i32 = fix(-CS * KG / (2.0 * (1.0 - KR)));
const V_B: i32 = fix(-CS * KB / (2.0 * (1.0 - KR)));

/// Luma of one RGB colour.
pub fn luma(r: u8, g: u8, b: u8) -> u8 {
    let y = Y_R * i32::from(r) + Y_G * i32::from(g) + Y_B * i32::from(b);
    (16 + ((y + 32768) >> 16)) as u8
}

/// Chroma (Cb, Cr) of one RGB colour; components may be sums of four pixels (`scale` = 4).
fn chroma(r: i32, g: i32, b: i32, shift: u32) -> (u8, u8) {
    let round = 1 << (15 + shift);
    let u = (U_R * r + U_G * g + U_B * b + round) >> (16 + shift);
    let v = (V_R * r + V_G * g + V_B * b + round) >> (16 + shift);
    ((128 + u).clamp(0, 255) as u8, (128 + v).clamp(0, 255) as u8)
}

/// (Y, Cb, Cr) of one RGB colour.
#[cfg(test)]
pub fn rgb_to_yuv(r: u8, g: u8, b: u8) -> (u8, u8, u8) {
    let (u, v) = chroma(i32::from(r), i32::from(g), i32::from(b), 0);
    (luma(r, g, b), u, v)
}

impl Yuv420 {
    /// A picture for frames of `width × height`, rounded up to even dimensions.
    pub fn new(width: u32, height: u32) -> Yuv420 {
        let (w, h) = (even(width), even(height));
        Yuv420 {
            width: w,
            height: h,
            y: vec![16; w * h],
            u: vec![128; w * h / 4],
            v: vec![128; w * h / 4],
        }
    }

    /// Converts a tightly packed RGBA frame of `width × height` (the size given to `new`): all
    /// of it, or with `changed` only those regions, the rest staying as last converted.
    pub fn fill(&mut self, rgba: &[u8], width: u32, height: u32, changed: Option<&[Region]>) {
        let (sw, sh) = (width as usize, height as usize);
        debug_assert_eq!(rgba.len(), sw * sh * 4);
        let Some(regions) = changed else {
            self.fill_blocks(rgba, sw, sh, 0..self.width / 2, 0..self.height / 2);
            return;
        };
        for r in regions {
            // The 2×2 blocks the region touches; a region at the last column or row reaches
            // the padding of odd frames too, whose block is the same.
            let columns = r.x as usize / 2..(r.right() as usize).div_ceil(2).min(self.width / 2);
            let rows = r.y as usize / 2..(r.bottom() as usize).div_ceil(2).min(self.height / 2);
            self.fill_blocks(rgba, sw, sh, columns, rows);
        }
    }

    /// Converts the 2×2 blocks `columns × rows` (in block units) of an `sw × sh` frame.
    fn fill_blocks(
        &mut self,
        rgba: &[u8],
        sw: usize,
        sh: usize,
        columns: Range<usize>,
        rows: Range<usize>,
    ) {
        let (w, cw) = (self.width, self.width / 2);
        for cy in rows {
            // Padding repeats the last row and column of odd frames.
            let (y0, y1) = (cy * 2, (cy * 2 + 1).min(sh - 1));
            let top = &rgba[y0 * sw * 4..(y0 + 1) * sw * 4];
            let bottom = &rgba[y1 * sw * 4..(y1 + 1) * sw * 4];
            for cx in columns.clone() {
                let (x0, x1) = (cx * 2, (cx * 2 + 1).min(sw - 1));
                let pixels = [
                    &top[x0 * 4..],
                    &top[x1 * 4..],
                    &bottom[x0 * 4..],
                    &bottom[x1 * 4..],
                ];
                let at = [
                    cy * 2 * w + cx * 2,
                    cy * 2 * w + cx * 2 + 1,
                    (cy * 2 + 1) * w + cx * 2,
                    (cy * 2 + 1) * w + cx * 2 + 1,
                ];
                let (mut rs, mut gs, mut bs) = (0i32, 0i32, 0i32);
                for (p, at) in pixels.into_iter().zip(at) {
                    self.y[at] = luma(p[0], p[1], p[2]);
                    rs += i32::from(p[0]);
                    gs += i32::from(p[1]);
                    bs += i32::from(p[2]);
                }
                let (u, v) = chroma(rs, gs, bs, 2);
                self.u[cy * cw + cx] = u;
                self.v[cy * cw + cx] = v;
            }
        }
    }
}

fn even(n: u32) -> usize {
    (n as usize + 1) & !1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reference_colours_map_to_bt709_limited_range() {
        assert_eq!(rgb_to_yuv(0, 0, 0), (16, 128, 128));
        assert_eq!(rgb_to_yuv(255, 255, 255), (235, 128, 128));
        // BT.709 red: Y 63, Cb 102, Cr 240.
        assert_eq!(rgb_to_yuv(255, 0, 0), (63, 102, 240));
    }

    #[test]
    fn odd_frames_are_padded_by_repeating_the_edge() {
        let (w, h) = (3u32, 1u32);
        let rgba = [0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255, 255];
        let mut yuv = Yuv420::new(w, h);
        yuv.fill(&rgba, w, h, None);
        assert_eq!((yuv.width, yuv.height), (4, 2));
        assert_eq!(yuv.y, vec![16, 16, 235, 235, 16, 16, 235, 235]);
    }

    /// A frame of `w × h` with a pattern that shifts with `seed`.
    fn pattern(w: u32, h: u32, seed: u32) -> Vec<u8> {
        (0..w * h)
            .flat_map(|i| {
                let v = (i * 7 + seed * 13) as u8;
                [v, v.wrapping_mul(3), v.wrapping_add(seed as u8), 255]
            })
            .collect()
    }

    #[test]
    fn converting_changed_regions_equals_converting_everything() {
        for (w, h) in [(16, 8), (15, 7)] {
            let before = pattern(w, h, 1);
            let mut after = before.clone();
            let regions = [
                Region {
                    x: 3,
                    y: 1,
                    width: 4,
                    height: 3,
                },
                Region {
                    x: w - 2,
                    y: h - 1,
                    width: 2,
                    height: 1,
                },
            ];
            for r in &regions {
                for y in r.y..r.bottom() {
                    for x in r.x..r.right() {
                        let i = ((y * w + x) * 4) as usize;
                        after[i..i + 3].copy_from_slice(&[200, 10, (x * y) as u8]);
                    }
                }
            }
            let mut partial = Yuv420::new(w, h);
            partial.fill(&before, w, h, None);
            partial.fill(&after, w, h, Some(&regions));
            let mut whole = Yuv420::new(w, h);
            whole.fill(&after, w, h, None);
            assert_eq!(
                (partial.y, partial.u, partial.v),
                (whole.y, whole.u, whole.v),
                "{w}x{h}"
            );
        }
    }
}
