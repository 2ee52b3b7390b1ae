//! How far apart two colours look: CIELAB and the CIEDE2000 difference, and how a colour looks
//! to someone with deuteranopia (the commonest colour blindness), so palettes can be held to a
//! floor of difference with and without it.

use super::Rgb;

/// CIELAB of an sRGB colour, under D65: lightness 0 to 100, then the a* and b* axes.
pub fn lab(c: Rgb) -> [f64; 3] {
    let [r, g, b] = linear(c);
    let x = 0.412_456_4 * r + 0.357_576_1 * g + 0.180_437_5 * b;
    let y = 0.212_672_9 * r + 0.715_152_2 * g + 0.072_175_0 * b;
    let z = 0.019_333_9 * r + 0.119_192_0 * g + 0.950_304_1 * b;
    let f = |t: f64| {
        let delta: f64 = 6.0 / 29.0;
        if t > delta.powi(3) {
            t.cbrt()
        } else {
            t / (3.0 * delta * delta) + 4.0 / 29.0
        }
    };
    let (fx, fy, fz) = (f(x / 0.950_47), f(y), f(z / 1.088_83));
    [116.0 * fy - 16.0, 500.0 * (fx - fy), 200.0 * (fy - fz)]
}

/// The CIEDE2000 difference of two colours, with lightness weighted `1 / k_l` (1 is the
/// standard; 2 counts lightness half, as CIE does for textiles, where a light and a dark
/// shade of one hue read as the same colour).
pub fn delta_e2000(a: Rgb, b: Rgb, k_l: f64) -> f64 {
    lab_difference(lab(a), lab(b), k_l)
}

/// CIEDE2000 of two Lab colours (Sharma, Wu and Dalal 2005).
fn lab_difference([l1, a1, b1]: [f64; 3], [l2, a2, b2]: [f64; 3], k_l: f64) -> f64 {
    let c_mean = (a1.hypot(b1) + a2.hypot(b2)) / 2.0;
    let g = 0.5 * (1.0 - (c_mean.powi(7) / (c_mean.powi(7) + 25f64.powi(7))).sqrt());
    let (a1, a2) = ((1.0 + g) * a1, (1.0 + g) * a2);
    let (c1, c2) = (a1.hypot(b1), a2.hypot(b2));
    let hue = |b: f64, a: f64| b.atan2(a).to_degrees().rem_euclid(360.0);
    let (h1, h2) = (hue(b1, a1), hue(b2, a2));
    let chromatic = c1 * c2 != 0.0;
    let mut dh = h2 - h1;
    if dh > 180.0 {
        dh -= 360.0;
    } else if dh < -180.0 {
        dh += 360.0;
    }
    let dh = if chromatic { dh } else { 0.0 };
    let (dl, dc) = (l2 - l1, c2 - c1);
    let d_hue = 2.0 * (c1 * c2).sqrt() * (dh / 2.0).to_radians().sin();
    let (l_mean, c_mean) = ((l1 + l2) / 2.0, (c1 + c2) / 2.0);
    let h_mean = if !chromatic {
        h1 + h2
    } else if (h1 - h2).abs() <= 180.0 {
        (h1 + h2) / 2.0
    } else if h1 + h2 < 360.0 {
        (h1 + h2 + 360.0) / 2.0
    } else {
        (h1 + h2 - 360.0) / 2.0
    };
    let cos = |deg: f64| deg.to_radians().cos();
    let t =
        1.0 - 0.17 * cos(h_mean - 30.0) + 0.24 * cos(2.0 * h_mean) + 0.32 * cos(3.0 * h_mean + 6.0)
            - 0.20 * cos(4.0 * h_mean - 63.0);
    let rotation = 30.0 * (-((h_mean - 275.0) / 25.0).powi(2)).exp();
    let r_c = 2.0 * (c_mean.powi(7) / (c_mean.powi(7) + 25f64.powi(7))).sqrt();
    let s_l = 1.0 + 0.015 * (l_mean - 50.0).powi(2) / (20.0 + (l_mean - 50.0).powi(2)).sqrt();
    let (s_c, s_h) = (1.0 + 0.045 * c_mean, 1.0 + 0.015 * c_mean * t);
    let r_t = -(2.0 * rotation).to_radians().sin() * r_c;
    let (l, c, h) = (dl / (k_l * s_l), dc / s_c, d_hue / s_h);
    (l * l + c * c + h * h + r_t * c * h).sqrt()
}

/// `c` as someone with deuteranopia sees it: Machado, Oliveira and Fernandes (2009), severity
/// 1, applied in linear RGB.
#[cfg(test)]
pub fn deuteranopia(c: Rgb) -> Rgb {
    const M: [[f64; 3]; 3] = [
        [0.367_322, 0.860_646, -0.227_968],
        [0.280_085, 0.672_501, 0.047_413],
        [-0.011_820, 0.042_940, 0.968_881],
    ];
    let v = linear(c);
    let row = |m: [f64; 3]| encode(m[0] * v[0] + m[1] * v[1] + m[2] * v[2]);
    Rgb(row(M[0]), row(M[1]), row(M[2]))
}

/// The linear-light RGB of an sRGB colour, each 0 to 1.
pub(super) fn linear(c: Rgb) -> [f64; 3] {
    let channel = |v: u8| {
        let v = f64::from(v) / 255.0;
        if v <= 0.04045 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    };
    [channel(c.0), channel(c.1), channel(c.2)]
}

/// A linear-light channel back to an sRGB byte.
#[cfg(test)]
fn encode(v: f64) -> u8 {
    let v = v.clamp(0.0, 1.0);
    let s = if v <= 0.003_130_8 {
        12.92 * v
    } else {
        1.055 * v.powf(1.0 / 2.4) - 0.055
    };
    (s * 255.0).round() as u8
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ciede2000_spans_white_to_black_and_weighs_lightness_as_asked() {
        let red = Rgb(0xd6, 0x27, 0x28);
        assert_eq!(delta_e2000(red, red, 1.0), 0.0);
        let white_black = delta_e2000(Rgb(255, 255, 255), Rgb(0, 0, 0), 1.0);
        assert!((white_black - 100.0).abs() < 0.1, "{white_black}");
        // Symmetric, and lightness counts less with k_l = 2.
        let (a, b) = (Rgb(0x2c, 0xa0, 0x2c), Rgb(0x1f, 0x7a, 0x1f));
        assert!((delta_e2000(a, b, 1.0) - delta_e2000(b, a, 1.0)).abs() < 1e-9);
        assert!(delta_e2000(a, b, 2.0) < delta_e2000(a, b, 1.0));
        // Sharma, Wu and Dalal (2005), table 1: pairs 1, 7, 17 and 25.
        let pairs = [
            ([50.0, 2.6772, -79.7751], [50.0, 0.0, -82.7485], 2.0425),
            ([50.0, 0.0, 0.0], [50.0, -1.0, 2.0], 2.3669),
            ([50.0, 2.5, 0.0], [73.0, 25.0, -18.0], 27.1492),
            (
                [60.2574, -34.0099, 36.2677],
                [60.4626, -34.1751, 39.4387],
                1.2644,
            ),
        ];
        for (a, b, want) in pairs {
            let got = lab_difference(a, b, 1.0);
            assert!((got - want).abs() < 1e-4, "{a:?} {b:?}: {got}, not {want}");
        }
        let [l, ..] = lab(Rgb(0x80, 0x80, 0x80));
        assert!((l - 53.59).abs() < 0.05, "{l}");
    }

    #[test]
    fn deuteranopia_merges_red_and_green_but_keeps_blue_and_orange_apart() {
        let (green, red) = (Rgb(0x2c, 0xa0, 0x2c), Rgb(0xd6, 0x27, 0x28));
        let (blue, orange) = (Rgb(0x1f, 0x77, 0xb4), Rgb(0xff, 0x7f, 0x0e));
        let seen = |a, b| delta_e2000(deuteranopia(a), deuteranopia(b), 1.0);
        assert!(seen(green, red) < 6.0, "{}", seen(green, red));
        assert!(seen(blue, orange) > 50.0, "{}", seen(blue, orange));
        // Greys stay grey.
        assert_eq!(deuteranopia(Rgb(128, 128, 128)), Rgb(128, 128, 128));
    }
}
