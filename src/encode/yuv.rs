//! RGBA → YUV 4:2:0 (BT.709, limited range), the picture format H.264 players expect.
//!
//! Done here rather than in the encoder library so both MP4 backends produce the same colours and
//! the colour space written into the stream is the one actually used.

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

    /// Converts a tightly packed RGBA frame of `width × height` (the size given to `new`).
    pub fn fill(&mut self, rgba: &[u8], width: u32, height: u32) {
        let (sw, sh) = (width as usize, height as usize);
        debug_assert_eq!(rgba.len(), sw * sh * 4);
        let pixel = |x: usize, y: usize| {
            let i = (y.min(sh - 1) * sw + x.min(sw - 1)) * 4;
            (rgba[i], rgba[i + 1], rgba[i + 2])
        };
        let cw = self.width / 2;
        for cy in 0..self.height / 2 {
            for cx in 0..cw {
                let (mut rs, mut gs, mut bs) = (0i32, 0i32, 0i32);
                for (dx, dy) in [(0, 0), (1, 0), (0, 1), (1, 1)] {
                    let (x, y) = (cx * 2 + dx, cy * 2 + dy);
                    let (r, g, b) = pixel(x, y);
                    self.y[y * self.width + x] = luma(r, g, b);
                    rs += i32::from(r);
                    gs += i32::from(g);
                    bs += i32::from(b);
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
        yuv.fill(&rgba, w, h);
        assert_eq!((yuv.width, yuv.height), (4, 2));
        assert_eq!(yuv.y, vec![16, 16, 235, 235, 16, 16, 235, 235]);
    }
}
