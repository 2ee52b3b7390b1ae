//! Sinks fed frames with a transparent background (premultiplied RGBA, as the renderer draws
//! them); each file is decoded again and its alpha channel read: background 0, bars 255.

use std::path::Path;
use std::time::Duration;

use super::*;

const BAR: [u8; 3] = [30, 136, 229];
const TEXT: [u8; 3] = [235, 235, 240];
const VIDEO: VideoSettings = VideoSettings {
    width: 160,
    height: 90,
    fps: 30,
};
/// Where the bar is, and a label's half-covered edge pixel.
const IN_BAR: (usize, usize) = (40, 45);
const BACKGROUND: (usize, usize) = (150, 5);
const LABEL_EDGE: (usize, usize) = (20, 14);

/// A transparent frame: nothing but a bar grown to `progress` at `opacity`, and a label whose
/// edge pixel is half covered (premultiplied, as antialiased text comes out).
fn transparent_frame(progress: f64, opacity: u8) -> Vec<u8> {
    let (w, h) = (VIDEO.width as usize, VIDEO.height as usize);
    let bar_end = (w as f64 * 0.1 + w as f64 * 0.8 * progress) as usize;
    let premultiplied = |c: [u8; 3], a: u8| {
        let m = |v: u8| ((u16::from(v) * u16::from(a) + 127) / 255) as u8;
        [m(c[0]), m(c[1]), m(c[2]), a]
    };
    let mut rgba = Vec::with_capacity(w * h * 4);
    for y in 0..h {
        for x in 0..w {
            let p = if (h * 2 / 5..h * 3 / 5).contains(&y) && (w / 10..bar_end).contains(&x) {
                premultiplied(BAR, opacity)
            } else if (x, y) == LABEL_EDGE {
                premultiplied(TEXT, 128)
            } else if (h / 10..h / 5).contains(&y) && (w / 8..w / 2).contains(&x) {
                premultiplied(TEXT, 255)
            } else {
                [0; 4]
            };
            rgba.extend_from_slice(&p);
        }
    }
    rgba
}

/// Decodes a PNG into straight RGBA (an opaque one gains alpha 255).
fn read_png(path: &Path) -> (u32, u32, Vec<[u8; 4]>) {
    let file = std::fs::File::open(path).expect("png");
    let mut reader = ::png::Decoder::new(std::io::BufReader::new(file))
        .read_info()
        .expect("png header");
    let mut data = vec![0; reader.output_buffer_size().expect("size")];
    let info = reader.next_frame(&mut data).expect("png data");
    let pixels = match info.color_type {
        ::png::ColorType::Rgba => data[..info.buffer_size()]
            .chunks(4)
            .map(|p| [p[0], p[1], p[2], p[3]])
            .collect(),
        ::png::ColorType::Rgb => data[..info.buffer_size()]
            .chunks(3)
            .map(|p| [p[0], p[1], p[2], 255])
            .collect(),
        other => panic!("unexpected PNG colour type {other:?}"),
    };
    (info.width, info.height, pixels)
}

fn at(pixels: &[[u8; 4]], width: u32, (x, y): (usize, usize)) -> [u8; 4] {
    pixels[y * width as usize + x]
}

#[test]
fn png_still_keeps_alpha_straight() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("still.png");
    let mut sink = png(&path, VIDEO).expect("sink");
    sink.push(Frame::whole(160, 90, &transparent_frame(1.0, 255)), 1)
        .expect("push");
    sink.finish().expect("finish");
    let (w, _, pixels) = read_png(&path);
    assert_eq!(at(&pixels, w, BACKGROUND)[3], 0);
    assert_eq!(at(&pixels, w, IN_BAR), [BAR[0], BAR[1], BAR[2], 255]);
    // The half-covered edge keeps its colour; only its alpha says how much it covers.
    let edge = at(&pixels, w, LABEL_EDGE);
    assert_eq!(edge[3], 128);
    for (got, want) in edge[..3].iter().zip(TEXT) {
        assert!(got.abs_diff(want) <= 1, "edge {edge:?}, text {TEXT:?}");
    }
}

#[test]
fn png_sequence_has_a_frame_per_period_and_says_its_rate() {
    let dir = tempfile::tempdir().expect("tempdir");
    let folder = dir.path().join("chart");
    let mut sink = frames(&folder, VIDEO).expect("sink");
    sink.push(Frame::whole(160, 90, &transparent_frame(0.5, 255)), 2)
        .expect("push");
    sink.push(Frame::whole(160, 90, &transparent_frame(1.0, 255)), 3)
        .expect("push");
    // Nothing under the final name until the sequence is finished.
    assert!(!folder.exists());
    let written = sink.finish().expect("finish");
    assert_eq!(
        (
            written.name.as_str(),
            written.kind,
            written.frames,
            written.fps
        ),
        ("chart", OutputKind::Frames, 5, Some(30))
    );
    assert_eq!(written.duration, Duration::from_secs_f64(5.0 / 30.0));
    let mut names: Vec<String> = std::fs::read_dir(&folder)
        .expect("folder")
        .map(|e| e.expect("entry").file_name().into_string().expect("name"))
        .collect();
    names.sort();
    assert_eq!(names, (1..=5).map(frame_name).collect::<Vec<_>>());
    assert_eq!(names[0], "frame_00001.png");
    let (w, h, first) = read_png(&folder.join(&names[0]));
    assert_eq!((w, h), (160, 90));
    assert_eq!(at(&first, w, BACKGROUND)[3], 0);
    assert_eq!(at(&first, w, IN_BAR)[3], 255);
    // The bar has grown by the third frame, and stays so to the fifth.
    let grown = (130, 45);
    assert_eq!(at(&first, w, grown)[3], 0);
    let (_, _, third) = read_png(&folder.join(&names[2]));
    let (_, _, fifth) = read_png(&folder.join(&names[4]));
    assert_eq!(at(&third, w, grown), [BAR[0], BAR[1], BAR[2], 255]);
    assert_eq!(third, fifth);
}

#[test]
fn png_sequence_replaces_its_own_folder_and_nothing_else() {
    let dir = tempfile::tempdir().expect("tempdir");
    let folder = dir.path().join("chart");
    let write = || {
        let mut sink = frames(&folder, VIDEO).expect("sink");
        sink.push(Frame::whole(160, 90, &transparent_frame(1.0, 255)), 1)
            .expect("push");
        sink.finish()
    };
    write().expect("first");
    std::fs::write(folder.join(frame_name(7)), b"old").expect("an older, longer sequence");
    write().expect("again");
    assert!(!folder.join(frame_name(7)).exists(), "the old frames went");
    std::fs::write(folder.join("notes.txt"), b"mine").expect("a file of the user's");
    let err = write().expect_err("not replaced");
    assert!(err.to_string().contains("notes.txt"), "{err}");
    assert!(folder.join("notes.txt").exists());
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .expect("dir")
        .map(|e| e.expect("entry").file_name())
        .filter(|n| n != "chart")
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// Composites a GIF's frames as a browser does (disposal included); each pixel is `None`
/// where transparent. Returns the canvas after every frame.
fn gif_canvases(path: &Path) -> (usize, Vec<Vec<Option<[u8; 3]>>>) {
    let mut options = ::gif::DecodeOptions::new();
    options.set_color_output(::gif::ColorOutput::Indexed);
    let mut decoder = options
        .read_info(std::fs::File::open(path).expect("gif"))
        .expect("gif header");
    let w = usize::from(decoder.width());
    let palette: Vec<[u8; 3]> = (decoder.global_palette().expect("palette").chunks(3))
        .map(|c| [c[0], c[1], c[2]])
        .collect();
    let mut canvas = vec![None; w * usize::from(decoder.height())];
    let mut canvases = Vec::new();
    while let Some(frame) = decoder.read_next_frame().expect("gif frame") {
        let (left, top, fw) = (
            usize::from(frame.left),
            usize::from(frame.top),
            usize::from(frame.width),
        );
        for (i, &index) in frame.buffer.iter().enumerate() {
            if Some(index) != frame.transparent {
                canvas[(top + i / fw) * w + left + i % fw] = Some(palette[usize::from(index)]);
            }
        }
        canvases.push(canvas.clone());
        if frame.dispose == ::gif::DisposalMethod::Background {
            for i in 0..frame.buffer.len() {
                canvas[(top + i / fw) * w + left + i % fw] = None;
            }
        }
    }
    (w, canvases)
}

#[test]
fn gif_background_is_transparent_and_fading_out_clears_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("chart.gif");
    let options = GifOptions {
        max_fps: 30,
        transparent: true,
        ..GifOptions::default()
    };
    let mut sink = gif(&path, VIDEO, options).expect("sink");
    for progress in [0.3, 0.6, 1.0] {
        sink.push(Frame::whole(160, 90, &transparent_frame(progress, 255)), 1)
            .expect("push");
    }
    // The bar fades: drawn while at least half there, then gone; the label stays.
    for opacity in [200, 140, 100, 0] {
        sink.push(Frame::whole(160, 90, &transparent_frame(1.0, opacity)), 1)
            .expect("push");
    }
    sink.finish().expect("finish");
    let (w, canvases) = gif_canvases(&path);
    // Colours come through the palette within a level (alpha undone rounds a little).
    let pixel = |canvas: &Vec<Option<[u8; 3]>>, (x, y): (usize, usize)| {
        canvas[y * w + x].map(|c| {
            [BAR, TEXT]
                .into_iter()
                .find(|k| k.iter().zip(c).all(|(a, b)| a.abs_diff(b) <= 1))
                .unwrap_or(c)
        })
    };
    let first = &canvases[0];
    assert_eq!(pixel(first, BACKGROUND), None);
    assert_eq!(pixel(first, IN_BAR), Some(BAR));
    assert_eq!(
        pixel(first, (130, 45)),
        None,
        "the bar has not grown there yet"
    );
    let edge = pixel(first, LABEL_EDGE).expect("half covered is shown");
    assert!(
        edge.iter().zip(TEXT).all(|(a, b)| a.abs_diff(b) <= 1),
        "{edge:?}"
    );
    // Three growing frames; at opacities 200 and 140 the bar looks as it did, at 100 and 0 it
    // is gone: one more frame, which takes it away.
    assert_eq!(canvases.len(), 4);
    assert_eq!(pixel(&canvases[2], (130, 45)), Some(BAR));
    let last = canvases.last().expect("frames");
    assert_eq!(pixel(last, IN_BAR), None);
    assert_eq!(pixel(last, (130, 45)), None);
    assert_eq!(pixel(last, (40, 14)), Some(TEXT), "the label stays");
}
