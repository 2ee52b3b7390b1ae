//! Sinks fed synthetic chart-like frames; the files are read back with real decoders.

use std::path::Path;
use std::time::Duration;

use super::yuv::rgb_to_yuv;
use super::*;

const BACKGROUND: [u8; 3] = [18, 18, 24];
const BAR: [u8; 3] = [30, 136, 229];
const TEXT: [u8; 3] = [235, 235, 240];

/// A dark frame with a bar grown to `progress` (0..=1) of the width and a "label" of thin
/// stripes (hard text-like edges).
fn chart_frame(width: u32, height: u32, progress: f64) -> Vec<u8> {
    let (w, h) = (width as usize, height as usize);
    let bar_end = (w as f64 * 0.1 + w as f64 * 0.8 * progress) as usize;
    let mut rgba = Vec::with_capacity(w * h * 4);
    for y in 0..h {
        for x in 0..w {
            let c = if (h * 2 / 5..h * 3 / 5).contains(&y) && (w / 10..bar_end).contains(&x) {
                BAR
            } else if (h / 10..h / 5).contains(&y) && (w / 10..w / 2).contains(&x) && x % 4 < 2 {
                TEXT
            } else {
                BACKGROUND
            };
            rgba.extend_from_slice(&[c[0], c[1], c[2], 255]);
        }
    }
    rgba
}

/// Pushes `moving` frames of a growing bar, then holds the last one for `hold` periods.
fn animate(sink: &mut dyn Sink, width: u32, height: u32, moving: u32, hold: u32) -> Vec<u8> {
    let mut last = Vec::new();
    for i in 0..moving {
        last = chart_frame(width, height, f64::from(i + 1) / f64::from(moving));
        let repeat = if i + 1 == moving { hold } else { 1 };
        sink.push(Frame::whole(width, height, &last), repeat)
            .expect("push");
    }
    last
}

/// The top-level and nested boxes of an MP4, enough to check what players rely on.
struct Mp4File {
    top_level: Vec<String>,
    bytes: Vec<u8>,
}

impl Mp4File {
    fn read(path: &Path) -> Mp4File {
        let bytes = std::fs::read(path).expect("read mp4");
        let top_level = boxes(&bytes).map(|(kind, _)| kind).collect();
        Mp4File { top_level, bytes }
    }

    /// The body of the box at `path` (e.g. "moov/trak/tkhd").
    fn find(&self, path: &str) -> &[u8] {
        let mut body = &self.bytes[..];
        for name in path.split('/') {
            body = boxes(body)
                .find(|(kind, _)| kind == name)
                .unwrap_or_else(|| panic!("no {name} box in {path}"))
                .1;
            if name == "stsd" {
                body = &body[8..];
            } else if name == "avc1" {
                body = &body[78..];
            }
        }
        body
    }

    fn u32_at(body: &[u8], at: usize) -> u32 {
        u32::from_be_bytes(body[at..at + 4].try_into().expect("4 bytes"))
    }

    fn width_height(&self) -> (u32, u32) {
        let tkhd = self.find("moov/trak/tkhd");
        (Self::u32_at(tkhd, 88) >> 16, Self::u32_at(tkhd, 92) >> 16)
    }

    /// (timescale, duration) of the media.
    fn media_duration(&self) -> (u32, u64) {
        let mdhd = self.find("moov/trak/mdia/mdhd");
        let duration = u64::from_be_bytes(mdhd[24..32].try_into().expect("8 bytes"));
        (Self::u32_at(mdhd, 20), duration)
    }

    fn movie_duration_ms(&self) -> u64 {
        let mvhd = self.find("moov/mvhd");
        u64::from_be_bytes(mvhd[24..32].try_into().expect("8 bytes"))
    }

    fn table(&self, name: &str, fields: usize, skip: usize) -> Vec<Vec<u32>> {
        let body = self.find(&format!("moov/trak/mdia/minf/stbl/{name}"));
        let count = Self::u32_at(body, 4 + skip * 4) as usize;
        (0..count)
            .map(|i| {
                (0..fields)
                    .map(|f| Self::u32_at(body, 8 + skip * 4 + (i * fields + f) * 4))
                    .collect()
            })
            .collect()
    }

    fn sample_durations(&self) -> Vec<u32> {
        self.table("stts", 2, 0)
            .iter()
            .flat_map(|r| std::iter::repeat_n(r[1], r[0] as usize))
            .collect()
    }

    fn keyframes(&self) -> Vec<u32> {
        self.table("stss", 1, 0).iter().map(|r| r[0]).collect()
    }

    /// Every sample as an Annex-B access unit, parameter sets first.
    fn annex_b_samples(&self) -> Vec<Vec<u8>> {
        let avcc = self.find("moov/trak/mdia/minf/stbl/stsd/avc1/avcC");
        let sps_len = usize::from(u16::from_be_bytes([avcc[6], avcc[7]]));
        let sps = &avcc[8..8 + sps_len];
        let pps_len = usize::from(u16::from_be_bytes([avcc[9 + sps_len], avcc[10 + sps_len]]));
        let pps = &avcc[11 + sps_len..11 + sps_len + pps_len];
        let sizes: Vec<usize> = self
            .table("stsz", 1, 1)
            .iter()
            .map(|r| r[0] as usize)
            .collect();
        let mut at = Self::u32_at(self.find("moov/trak/mdia/minf/stbl/stco"), 8) as usize;
        let mut samples = Vec::new();
        for size in sizes {
            let mut unit = [&[0, 0, 0, 1][..], sps, &[0, 0, 0, 1], pps].concat();
            let mut data = &self.bytes[at..at + size];
            while !data.is_empty() {
                let len = Self::u32_at(data, 0) as usize;
                unit.extend_from_slice(&[0, 0, 0, 1]);
                unit.extend_from_slice(&data[4..4 + len]);
                data = &data[4 + len..];
            }
            samples.push(unit);
            at += size;
        }
        samples
    }
}

fn boxes(mut data: &[u8]) -> impl Iterator<Item = (String, &[u8])> {
    std::iter::from_fn(move || {
        if data.len() < 8 {
            return None;
        }
        let size = u32::from_be_bytes(data[..4].try_into().ok()?) as usize;
        let kind = String::from_utf8_lossy(&data[4..8]).into_owned();
        let body = &data[8..size];
        data = &data[size..];
        Some((kind, body))
    })
}

/// Decodes every sample and returns the last picture's (Y, Cb, Cr) at (x, y).
fn decoded_colour_at(file: &Mp4File, x: usize, y: usize) -> (u8, u8, u8) {
    use openh264::formats::YUVSource;
    let mut decoder = openh264::decoder::Decoder::new().expect("decoder");
    let mut colour = None;
    for sample in file.annex_b_samples() {
        if let Some(picture) = decoder.decode(&sample).expect("decodes") {
            let (ys, us, vs) = picture.strides();
            colour = Some((
                picture.y()[y * ys + x],
                picture.u()[y / 2 * us + x / 2],
                picture.v()[y / 2 * vs + x / 2],
            ));
        }
    }
    colour.expect("at least one picture decoded")
}

fn assert_close(got: (u8, u8, u8), want: [u8; 3]) {
    let want = rgb_to_yuv(want[0], want[1], want[2]);
    let near = |a: u8, b: u8| a.abs_diff(b) <= 6;
    assert!(
        near(got.0, want.0) && near(got.1, want.1) && near(got.2, want.2),
        "decoded {got:?}, encoded {want:?}"
    );
}

const VIDEO: VideoSettings = VideoSettings {
    width: 320,
    height: 180,
    fps: 30,
};

fn check_mp4(encoder: Mp4Encoder, video: VideoSettings, cfr: bool) {
    check_mp4_on(encoder, video, cfr, 1);
}

fn check_mp4_on(encoder: Mp4Encoder, video: VideoSettings, cfr: bool, threads: usize) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("chart.mp4");
    let options = Mp4Options {
        encoder,
        cfr,
        threads,
    };
    let mut sink = mp4(&path, video, options).expect("sink");
    // 10 moving frames, then the last one held for 20 periods: one second in all.
    animate(sink.as_mut(), video.width, video.height, 10, 21);
    let written = sink.finish().expect("finish");
    let samples = if cfr { 30 } else { 10 };

    assert_eq!(written.name, "chart.mp4");
    assert_eq!(written.kind, OutputKind::Mp4);
    assert_eq!(
        (written.width, written.height),
        (
            video.width + video.width % 2,
            video.height + video.height % 2
        )
    );
    assert_eq!(written.bytes, std::fs::metadata(&path).expect("file").len());
    assert_eq!(written.frames, samples);
    assert_eq!(written.duration, Duration::from_secs(1));
    let file = Mp4File::read(&path);
    assert_eq!(
        file.top_level,
        ["ftyp", "moov", "mdat"],
        "moov must come before mdat"
    );
    let even = |n: u32| n + n % 2;
    assert_eq!(file.width_height(), (even(video.width), even(video.height)));
    let (timescale, duration) = file.media_duration();
    assert_eq!(duration, u64::from(timescale), "one second of media");
    assert_eq!(file.movie_duration_ms(), 1000);
    let durations = file.sample_durations();
    assert_eq!(durations.len() as u64, samples);
    let period = timescale / video.fps;
    let last = if cfr { period } else { 21 * period };
    assert_eq!(durations.last(), Some(&last));
    let keys = file.keyframes();
    assert_eq!(keys.first(), Some(&1), "the first sample is a keyframe");

    let (w, h) = (video.width as usize, video.height as usize);
    assert_close(decoded_colour_at(&file, w * 8 / 10, h / 2), BAR);
    assert_close(decoded_colour_at(&file, w / 2, h * 9 / 10), BACKGROUND);
}

#[test]
fn openh264_mp4_holds_a_frame_as_one_long_sample() {
    check_mp4(Mp4Encoder::OpenH264, VIDEO, false);
}

#[test]
fn openh264_mp4_at_constant_rate_repeats_held_frames() {
    check_mp4(Mp4Encoder::OpenH264, VIDEO, true);
}

#[test]
fn odd_sizes_are_padded_to_even() {
    check_mp4(
        Mp4Encoder::OpenH264,
        VideoSettings {
            width: 161,
            height: 91,
            fps: 30,
        },
        false,
    );
}

#[cfg(feature = "ffmpeg")]
#[test]
fn x264_mp4_holds_a_frame_as_one_long_sample() {
    check_mp4(Mp4Encoder::X264, VIDEO, false);
    check_mp4(Mp4Encoder::X264, VIDEO, true);
    check_mp4_on(Mp4Encoder::X264, VIDEO, false, 4);
}

#[cfg(feature = "ffmpeg")]
#[test]
fn x264_stream_is_high_profile() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("chart.mp4");
    let options = Mp4Options {
        encoder: Mp4Encoder::X264,
        ..Mp4Options::default()
    };
    let mut sink = mp4(&path, VIDEO, options).expect("sink");
    animate(sink.as_mut(), VIDEO.width, VIDEO.height, 2, 1);
    sink.finish().expect("finish");
    let avcc = Mp4File::read(&path)
        .find("moov/trak/mdia/minf/stbl/stsd/avc1/avcC")
        .to_vec();
    assert_eq!(avcc[1], 100);
}

#[test]
fn openh264_stream_is_main_profile() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("chart.mp4");
    let mut sink = mp4(&path, VIDEO, Mp4Options::default()).expect("sink");
    animate(sink.as_mut(), VIDEO.width, VIDEO.height, 2, 1);
    sink.finish().expect("finish");
    let avcc = Mp4File::read(&path)
        .find("moov/trak/mdia/minf/stbl/stsd/avc1/avcC")
        .to_vec();
    // profile_idc 77: Main, as web video conventions ask.
    assert_eq!(avcc[1], 77);
}

/// The bounding box of the pixels that differ between two frames.
fn difference(width: u32, height: u32, a: &[u8], b: &[u8]) -> Vec<Region> {
    let w = width as usize;
    let differs = |x: usize, y: usize| a[(y * w + x) * 4..][..4] != b[(y * w + x) * 4..][..4];
    let (mut x0, mut y0, mut x1, mut y1) = (usize::MAX, usize::MAX, 0, 0);
    for y in 0..height as usize {
        for x in 0..w {
            if differs(x, y) {
                (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x + 1), y1.max(y + 1));
            }
        }
    }
    if x0 == usize::MAX {
        return Vec::new();
    }
    vec![Region {
        x: x0 as u32,
        y: y0 as u32,
        width: (x1 - x0) as u32,
        height: (y1 - y0) as u32,
    }]
}

/// Writes the growing-bar animation with whole frames, and again telling the sink what
/// changed; returns both files' bytes.
fn both_ways(open: impl Fn(&Path) -> Box<dyn Sink>, width: u32, height: u32) -> (Vec<u8>, Vec<u8>) {
    let dir = tempfile::tempdir().expect("tempdir");
    let frames: Vec<Vec<u8>> = (0..24)
        .map(|i| chart_frame(width, height, f64::from(i + 1) / 24.0))
        .collect();
    let mut files = Vec::new();
    for told in [false, true] {
        let path = dir.path().join(format!("{told}"));
        let mut sink = open(&path);
        for (i, rgba) in frames.iter().enumerate() {
            let changed = (i > 0).then(|| difference(width, height, &frames[i - 1], rgba));
            let frame = Frame {
                width,
                height,
                rgba,
                changed: if told { changed.as_deref() } else { None },
            };
            let repeat = if i + 1 == frames.len() { 10 } else { 1 };
            sink.push(frame, repeat).expect("push");
        }
        sink.finish().expect("finish");
        files.push(std::fs::read(&path).expect("file"));
    }
    let told = files.pop().expect("told");
    (files.pop().expect("whole"), told)
}

#[test]
fn sinks_told_what_changed_write_the_same_files() {
    for (width, height) in [(320, 180), (161, 91)] {
        let video = VideoSettings {
            width,
            height,
            fps: 30,
        };
        let (whole, told) = both_ways(
            |p| mp4(p, video, Mp4Options::default()).expect("mp4"),
            width,
            height,
        );
        assert!(whole == told, "MP4 {width}x{height} differs");
        let options = GifOptions {
            max_width: width / 2 + 1,
            max_fps: 10,
            transparent: false,
        };
        let (whole, told) = both_ways(|p| gif(p, video, options).expect("gif"), width, height);
        assert!(whole == told, "GIF {width}x{height} differs");
    }
}

#[test]
fn changed_regions_outside_the_frame_are_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut sink = png(&dir.path().join("a.png"), VIDEO).expect("sink");
    let rgba = chart_frame(VIDEO.width, VIDEO.height, 0.5);
    let outside = [Region {
        x: VIDEO.width - 4,
        y: 0,
        width: 8,
        height: 8,
    }];
    let frame = Frame {
        changed: Some(&outside),
        ..Frame::whole(VIDEO.width, VIDEO.height, &rgba)
    };
    let err = sink.push(frame, 1).expect_err("outside");
    assert!(err.to_string().contains("outside"), "{err}");
}

#[test]
fn frames_of_the_wrong_size_are_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut sink = mp4(&dir.path().join("a.mp4"), VIDEO, Mp4Options::default()).expect("sink");
    let small = chart_frame(16, 16, 0.5);
    let err = sink
        .push(Frame::whole(16, 16, &small), 1)
        .expect_err("wrong size");
    assert!(err.to_string().contains("16x16"), "{err}");
}

#[cfg(not(feature = "ffmpeg"))]
#[test]
fn ffmpeg_encoders_say_how_to_get_them() {
    let dir = tempfile::tempdir().expect("tempdir");
    let options = Mp4Options {
        encoder: Mp4Encoder::X264,
        ..Mp4Options::default()
    };
    let err = mp4(&dir.path().join("a.mp4"), VIDEO, options)
        .err()
        .expect("needs the feature");
    assert!(err.to_string().contains("--features ffmpeg"), "{err}");
}

/// Composites a GIF's frames; returns (width, height, frames, delays, loops forever, last RGB).
fn read_gif(path: &Path) -> (u16, u16, Vec<u16>, bool, Vec<[u8; 3]>) {
    let mut options = ::gif::DecodeOptions::new();
    options.set_color_output(::gif::ColorOutput::Indexed);
    let mut decoder = options
        .read_info(std::fs::File::open(path).expect("gif"))
        .expect("gif header");
    let (w, h) = (decoder.width(), decoder.height());
    let palette: Vec<[u8; 3]> = decoder
        .global_palette()
        .expect("global palette")
        .chunks(3)
        .map(|c| [c[0], c[1], c[2]])
        .collect();
    let mut screen = vec![[0u8; 3]; usize::from(w) * usize::from(h)];
    let mut delays = Vec::new();
    while let Some(frame) = decoder.read_next_frame().expect("gif frame") {
        delays.push(frame.delay);
        for y in 0..usize::from(frame.height) {
            for x in 0..usize::from(frame.width) {
                let index = frame.buffer[y * usize::from(frame.width) + x];
                if Some(index) != frame.transparent {
                    let at =
                        (usize::from(frame.top) + y) * usize::from(w) + usize::from(frame.left) + x;
                    screen[at] = palette[usize::from(index)];
                }
            }
        }
    }
    let loops = decoder.repeat() == ::gif::Repeat::Infinite;
    (w, h, delays, loops, screen)
}

#[test]
fn gif_is_scaled_down_sampled_by_time_and_loops() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("chart.gif");
    let video = VideoSettings {
        width: 640,
        height: 360,
        fps: 30,
    };
    let mut sink = gif(
        &path,
        video,
        GifOptions {
            max_width: 320,
            max_fps: 10,
            transparent: false,
        },
    )
    .expect("sink");
    // 30 frames (the last held for 31 periods), 2 s in all: GIF frames at every third video
    // frame, 10 cs each, then the held frame from 1 s to the end.
    animate(sink.as_mut(), video.width, video.height, 30, 31);
    let written = sink.finish().expect("finish");
    assert_eq!(written.duration, Duration::from_secs(2));
    assert_eq!(written.bytes, std::fs::metadata(&path).expect("file").len());
    assert_eq!(
        (written.kind, written.width, written.height),
        (OutputKind::Gif, 320, 180)
    );

    let (w, h, delays, loops, screen) = read_gif(&path);
    assert_eq!((w, h), (320, 180));
    assert!(loops);
    assert_eq!(delays.len() as u64, written.frames);
    assert_eq!(delays.iter().map(|&d| u32::from(d)).sum::<u32>(), 200);
    assert_eq!(delays, [10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 100]);
    // Flat colours come out exactly: the full-grown bar and the background.
    assert_eq!(screen[90 * 320 + 270], BAR);
    assert_eq!(screen[170 * 320 + 160], BACKGROUND);
}

#[test]
fn gif_delays_add_up_without_drift() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("drift.gif");
    // 60 fps in, 30 fps out: frames 3.33 cs apart must still add up to the exact length.
    let video = VideoSettings {
        width: 64,
        height: 36,
        fps: 60,
    };
    let mut sink = gif(
        &path,
        video,
        GifOptions {
            max_width: 64,
            max_fps: 30,
            transparent: false,
        },
    )
    .expect("sink");
    animate(sink.as_mut(), video.width, video.height, 200, 1);
    sink.finish().expect("finish");
    let (_, _, delays, _, _) = read_gif(&path);
    assert_eq!(delays.iter().map(|&d| u32::from(d)).sum::<u32>(), 333); // 200 / 60 s
    // No frame is shorter than the 1/30 s sampling step allows (rounded to centiseconds).
    assert!(delays.iter().all(|&d| d >= 3), "{delays:?}");
}

#[test]
fn png_holds_the_last_frame_at_full_size() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("still.png");
    let mut sink = png(&path, VIDEO).expect("sink");
    let last = animate(sink.as_mut(), VIDEO.width, VIDEO.height, 3, 5);
    let written = sink.finish().expect("finish");
    assert_eq!(written.bytes, std::fs::metadata(&path).expect("file").len());
    assert_eq!(
        (written.name.as_str(), written.kind, written.duration),
        ("still.png", OutputKind::Png, Duration::ZERO)
    );

    let decoder = ::png::Decoder::new(std::io::BufReader::new(
        std::fs::File::open(&path).expect("png"),
    ));
    let mut reader = decoder.read_info().expect("png header");
    let mut pixels = vec![0; reader.output_buffer_size().expect("size")];
    let info = reader.next_frame(&mut pixels).expect("png data");
    assert_eq!((info.width, info.height), (VIDEO.width, VIDEO.height));
    let rgb: Vec<u8> = last.chunks(4).flat_map(|p| [p[0], p[1], p[2]]).collect();
    assert_eq!(&pixels[..info.buffer_size()], &rgb[..]);
}

#[test]
fn a_sink_dropped_before_finish_leaves_no_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let sinks: [(&str, Box<dyn Sink>); 3] = [
        (
            "a.mp4",
            mp4(&dir.path().join("a.mp4"), VIDEO, Mp4Options::default()).expect("mp4"),
        ),
        (
            "a.gif",
            gif(&dir.path().join("a.gif"), VIDEO, GifOptions::default()).expect("gif"),
        ),
        ("a.png", png(&dir.path().join("a.png"), VIDEO).expect("png")),
    ];
    for (name, mut sink) in sinks {
        animate(sink.as_mut(), VIDEO.width, VIDEO.height, 3, 1);
        drop(sink);
        assert!(
            !dir.path().join(name).exists(),
            "{name} exists after an interrupted run"
        );
    }
    let left: Vec<_> = std::fs::read_dir(dir.path()).expect("dir").collect();
    assert!(left.is_empty(), "temporary files left behind: {left:?}");
}
