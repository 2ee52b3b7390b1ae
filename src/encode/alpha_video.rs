//! Videos that keep the alpha channel, through the system's FFmpeg: VP9 in WebM (`yuva420p`,
//! which browsers play over the page) and ProRes 4444 in QuickTime (what editors take for
//! overlays). FFmpeg encodes and muxes; the file is written under a temporary name and moved
//! into place like every other output.
//!
//! Held pictures: the WebM stores a held picture once, its next picture's timestamp jumping
//! (as the MP4 does); ProRes pictures stand alone, so the MOV repeats the encoded picture for
//! each frame period at no encoding cost, a constant frame rate as editors expect.

use std::collections::VecDeque;
use std::path::Path;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use ffmpeg_next as ff;

use super::png::straight_alpha;
use super::{Frame, OutputKind, Sink, VideoSettings, Written, check_frame};
use crate::atomic::PendingFile;

/// Opens a WebM (VP9) or MOV (ProRes 4444) sink writing `path`.
pub fn alpha_video(path: &Path, video: VideoSettings, kind: OutputKind) -> Result<Box<dyn Sink>> {
    if video.width < 2 || video.height < 2 || video.fps == 0 {
        bail!(
            "cannot write a {}x{} {} at {} fps",
            video.width,
            video.height,
            kind.label(),
            video.fps
        );
    }
    ff::init().context("cannot initialise FFmpeg")?;
    ff::util::log::set_level(ff::util::log::Level::Error);
    let file = PendingFile::create(path)?;
    let Some((muxer, codec_name, pixel, options)) = flavour(kind) else {
        bail!("{} is not a video with alpha", kind.label());
    };
    let codec = ff::encoder::find_by_name(codec_name).with_context(|| {
        format!("this FFmpeg has no `{codec_name}` encoder; install an FFmpeg built with it")
    })?;
    let dest = path.display().to_string();
    let mut output = ff::format::output_as(file.temp_path(), muxer)
        .with_context(|| format!("cannot start the {} muxer for `{dest}`", kind.label()))?;
    let global_header = output
        .format()
        .flags()
        .contains(ff::format::Flags::GLOBAL_HEADER);
    let mut context = ff::codec::context::Context::new_with_codec(codec)
        .encoder()
        .video()
        .context("cannot set up the FFmpeg video encoder")?;
    let time_base = ff::Rational::new(1, video.fps as i32);
    context.set_width(video.width);
    context.set_height(video.height);
    context.set_format(pixel);
    context.set_time_base(time_base);
    context.set_frame_rate(Some((video.fps as i32, 1)));
    // swscale converts with the BT.601 matrix into limited range: say so, so players agree.
    context.set_colorspace(ff::color::Space::SMPTE170M);
    context.set_color_range(ff::color::Range::MPEG);
    if global_header {
        context.set_flags(ff::codec::Flags::GLOBAL_HEADER);
    }
    let mut dictionary = ff::Dictionary::new();
    for (key, value) in options {
        dictionary.set(key, value);
    }
    let encoder = context
        .open_with(dictionary)
        .with_context(|| format!("cannot start {codec_name}"))?;
    let mut stream = output.add_stream(codec)?;
    stream.set_parameters(&encoder);
    stream.set_time_base(time_base);
    output
        .write_header()
        .with_context(|| format!("cannot write the header of `{dest}`"))?;
    let scaler = ff::software::scaling::Context::get(
        ff::format::Pixel::RGBA,
        video.width,
        video.height,
        pixel,
        video.width,
        video.height,
        ff::software::scaling::Flags::BILINEAR,
    )
    .context("cannot set up FFmpeg's colour conversion")?;
    Ok(Box::new(AlphaVideoSink {
        kind,
        file,
        output,
        encoder,
        scaler,
        video,
        time_base,
        pts: 0,
        last_repeat: 0,
        waiting: VecDeque::new(),
        pictures: 0,
        rgba: ff::frame::Video::new(ff::format::Pixel::RGBA, video.width, video.height),
        packet: ff::Packet::empty(),
    }))
}

/// Options for an FFmpeg encoder, by name.
type Options = &'static [(&'static str, &'static str)];

/// The muxer, the encoder, its picture format and its options for `kind`.
fn flavour(kind: OutputKind) -> Option<(&'static str, &'static str, ff::format::Pixel, Options)> {
    match kind {
        OutputKind::Webm => Some((
            "webm",
            "libvpx-vp9",
            ff::format::Pixel::YUVA420P,
            // libvpx's alternate reference frames carry no alpha; row-mt and good quality at
            // speed 4 keep the encoder quick enough for a chart.
            &[
                ("auto-alt-ref", "0"),
                ("crf", "30"),
                ("b", "0"),
                ("deadline", "good"),
                ("cpu-used", "4"),
                ("row-mt", "1"),
            ],
        )),
        OutputKind::Mov => Some((
            "mov",
            "prores_ks",
            ff::format::Pixel::YUVA444P10LE,
            &[("profile", "4444"), ("vendor", "apl0")],
        )),
        _ => None,
    }
}

struct AlphaVideoSink {
    kind: OutputKind,
    file: PendingFile,
    output: ff::format::context::Output,
    encoder: ff::encoder::Video,
    scaler: ff::software::scaling::Context,
    video: VideoSettings,
    /// The encoder's: one tick per frame period.
    time_base: ff::Rational,
    /// Where the next picture starts, in frame periods.
    pts: i64,
    /// How long the last picture stays, in frame periods.
    last_repeat: u32,
    /// Pictures sent but not yet returned: (pts, frame periods on screen), in order.
    waiting: VecDeque<(i64, u32)>,
    /// Pictures stored in the file.
    pictures: u64,
    /// The frame in straight (not premultiplied) RGBA, as swscale reads it.
    rgba: ff::frame::Video,
    packet: ff::Packet,
}

// SAFETY: the FFmpeg contexts are owned by this value alone and used from one thread at a time.
unsafe impl Send for AlphaVideoSink {}

impl AlphaVideoSink {
    /// Encodes the picture now in `self.rgba`, shown from `pts` for `repeat` frame periods.
    fn encode(&mut self, pts: i64, repeat: u32) -> Result<()> {
        let (w, h) = (self.video.width, self.video.height);
        let mut picture = ff::frame::Video::new(self.encoder.format(), w, h);
        self.scaler
            .run(&self.rgba, &mut picture)
            .context("FFmpeg could not convert a frame")?;
        picture.set_pts(Some(pts));
        self.waiting.push_back((pts, repeat));
        self.encoder
            .send_frame(&picture)
            .context("FFmpeg failed to encode a frame")?;
        self.write_packets()
    }

    /// Muxes what the encoder has ready; in the MOV, each picture once per frame period it
    /// stays (ProRes pictures are all key frames, so a copy is a valid picture).
    fn write_packets(&mut self) -> Result<()> {
        let stream_base = self
            .output
            .stream(0)
            .map_or(self.time_base, |s| s.time_base());
        while self.encoder.receive_packet(&mut self.packet).is_ok() {
            let Some((start, repeat)) = self.waiting.pop_front() else {
                bail!("FFmpeg returned more pictures than it was given");
            };
            let copies = if self.kind == OutputKind::Mov {
                repeat.max(1)
            } else {
                1
            };
            for copy in 0..i64::from(copies) {
                let mut packet = self.packet.clone();
                packet.set_stream(0);
                packet.set_pts(Some(start + copy));
                packet.set_dts(Some(start + copy));
                packet.set_duration(1);
                packet.rescale_ts(self.time_base, stream_base);
                packet
                    .write_interleaved(&mut self.output)
                    .context("cannot write a video packet")?;
                self.pictures += 1;
            }
        }
        Ok(())
    }
}

impl Sink for AlphaVideoSink {
    fn push(&mut self, frame: Frame<'_>, repeat: u32) -> Result<()> {
        check_frame(&frame, self.video)?;
        let (w, stride) = (self.video.width as usize * 4, self.rgba.stride(0));
        let data = self.rgba.data_mut(0);
        for (y, row) in frame.rgba.chunks_exact(w).enumerate() {
            let out = &mut data[y * stride..y * stride + w];
            for (o, p) in out.chunks_exact_mut(4).zip(row.chunks_exact(4)) {
                o.copy_from_slice(&straight_alpha(p));
            }
        }
        let pts = self.pts;
        self.encode(pts, repeat)?;
        self.pts += i64::from(repeat);
        self.last_repeat = repeat;
        Ok(())
    }

    fn finish(mut self: Box<Self>) -> Result<Written> {
        let dest = self.file.dest().to_path_buf();
        if self.pts == 0 {
            bail!("no frames were given for `{}`", dest.display());
        }
        // The WebM's last picture lasts until the video ends: shown again at its last period.
        if self.kind == OutputKind::Webm && self.last_repeat > 1 {
            self.encode(self.pts - 1, 1)?;
        }
        self.encoder
            .send_eof()
            .context("FFmpeg failed to finish the video")?;
        self.write_packets()?;
        self.output
            .write_trailer()
            .with_context(|| format!("cannot finish `{}`", dest.display()))?;
        let AlphaVideoSink {
            file,
            output,
            kind,
            video,
            pts,
            pictures,
            ..
        } = *self;
        // Closes FFmpeg's handle on the file before it moves into place.
        drop(output);
        let bytes = std::fs::metadata(file.temp_path()).map_or(0, |m| m.len());
        file.commit()?;
        Ok(Written {
            name: dest
                .file_name()
                .map_or_else(String::new, |n| n.to_string_lossy().into_owned()),
            kind,
            bytes,
            width: video.width,
            height: video.height,
            duration: Duration::from_secs_f64(pts as f64 / f64::from(video.fps)),
            frames: pictures,
            fps: None,
        })
    }
}
