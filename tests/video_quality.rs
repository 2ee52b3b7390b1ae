//! The MP4 looks like the chart: its last picture, decoded as a player would, matches the PNG
//! still of the same render to at least 40 dB PSNR in each plane (luma and both chromas).

mod common;

use std::path::Path;

use common::stdout;
use openh264::formats::YUVSource;

/// Below this the chart's text visibly smears; at OpenH264's constant quantizer a 1080p chart
/// is 44 dB or more.
const MIN_PSNR_DB: f64 = 40.0;

/// Every sample of the MP4's one track as an Annex-B access unit, parameter sets first.
fn annex_b_samples(path: &Path) -> Vec<Vec<u8>> {
    let bytes = std::fs::read(path).unwrap();
    let size = bytes.len() as u64;
    let mut mp4 = mp4::Mp4Reader::read_header(std::io::Cursor::new(&bytes), size).expect("MP4");
    let track = mp4.tracks().values().next().expect("a track");
    let id = track.track_id();
    let start = |nal: &[u8]| [&[0, 0, 0, 1][..], nal].concat();
    let sets = [
        start(track.sequence_parameter_set().expect("SPS")),
        start(track.picture_parameter_set().expect("PPS")),
    ]
    .concat();
    let mut samples = Vec::new();
    for i in 1..=track.sample_count() {
        let sample = mp4
            .read_sample(id, i)
            .expect("sample reads")
            .expect("sample");
        let mut unit = sets.clone();
        let mut data = &sample.bytes[..];
        while !data.is_empty() {
            let len = u32::from_be_bytes(data[..4].try_into().unwrap()) as usize;
            unit.extend_from_slice(&start(&data[4..4 + len]));
            data = &data[4 + len..];
        }
        samples.push(unit);
    }
    samples
}

/// The planes (Y, Cb, Cr) of the MP4's last picture, each cropped to `width × height` (or half).
fn last_picture(path: &Path, width: usize, height: usize) -> [Vec<u8>; 3] {
    let mut decoder = openh264::decoder::Decoder::new().expect("decoder");
    let mut last = None;
    for sample in annex_b_samples(path) {
        if let Some(picture) = decoder.decode(&sample).expect("decodes") {
            let (ys, us, vs) = picture.strides();
            let crop = |plane: &[u8], stride: usize, w: usize, h: usize| -> Vec<u8> {
                (0..h)
                    .flat_map(|y| plane[y * stride..][..w].to_vec())
                    .collect()
            };
            last = Some([
                crop(picture.y(), ys, width, height),
                crop(picture.u(), us, width / 2, height / 2),
                crop(picture.v(), vs, width / 2, height / 2),
            ]);
        }
    }
    last.expect("at least one picture decodes")
}

/// The PNG as YUV 4:2:0, BT.709 limited range (the video's colour space), in full precision:
/// chroma from the average of each 2×2 block.
fn png_as_yuv(path: &Path) -> (usize, usize, [Vec<f64>; 3]) {
    let png = tiny_skia::Pixmap::load_png(path).expect("PNG decodes");
    let (w, h) = (png.width() as usize, png.height() as usize);
    let rgb = |x: usize, y: usize| {
        let p = png.pixel(x as u32, y as u32).unwrap().demultiply();
        [p.red(), p.green(), p.blue()].map(|c| f64::from(c) / 255.0)
    };
    let (kr, kb) = (0.2126, 0.0722);
    let kg = 1.0 - kr - kb;
    let luma = |[r, g, b]: [f64; 3]| kr * r + kg * g + kb * b;
    let mut planes = [Vec::new(), Vec::new(), Vec::new()];
    for y in 0..h {
        for x in 0..w {
            planes[0].push(16.0 + 219.0 * luma(rgb(x, y)));
        }
    }
    for y in (0..h).step_by(2) {
        for x in (0..w).step_by(2) {
            let mut sum = [0.0; 3];
            for (dx, dy) in [(0, 0), (1, 0), (0, 1), (1, 1)] {
                let c = rgb(x + dx, y + dy);
                for i in 0..3 {
                    sum[i] += c[i] / 4.0;
                }
            }
            let l = luma(sum);
            planes[1].push(128.0 + 224.0 * (sum[2] - l) / (2.0 * (1.0 - kb)));
            planes[2].push(128.0 + 224.0 * (sum[0] - l) / (2.0 * (1.0 - kr)));
        }
    }
    (w, h, planes)
}

fn psnr(decoded: &[u8], reference: &[f64]) -> f64 {
    assert_eq!(decoded.len(), reference.len());
    let squared: f64 = decoded
        .iter()
        .zip(reference)
        .map(|(&d, &r)| (f64::from(d) - r).powi(2))
        .sum();
    let mse = squared / reference.len() as f64;
    10.0 * (255.0f64 * 255.0 / mse).log10()
}

#[test]
fn the_mp4s_last_picture_matches_the_png_at_1080p() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap();
    // The scene with the most text and the largest MP4 of the nine reference scenes.
    stdout(&[
        "render",
        "vllm_output",
        "-q",
        "h",
        "--format",
        "mp4,png",
        "--quiet",
        "--out",
        out,
    ]);
    let (width, height, reference) = png_as_yuv(&dir.path().join("vllm_output.png"));
    assert_eq!((width, height), (1920, 1080));
    let decoded = last_picture(&dir.path().join("vllm_output.mp4"), width, height);
    for (plane, name) in ["Y", "Cb", "Cr"].iter().enumerate() {
        let db = psnr(&decoded[plane], &reference[plane]);
        assert!(
            db >= MIN_PSNR_DB,
            "{name}: {db:.2} dB, want at least {MIN_PSNR_DB} dB"
        );
    }
}
