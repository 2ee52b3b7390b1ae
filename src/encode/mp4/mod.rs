//! The MP4 sink: frames → YUV → an H.264 encoder → [`mux::Muxer`] → the file.
//!
//! Holds are free by default: a frame with `repeat = n` becomes one sample lasting `n` frame
//! periods (variable frame rate). Video editors that want a constant rate get `cfr`.

#[cfg(feature = "ffmpeg")]
mod ffmpeg;
mod mux;
mod openh264;

use std::fmt;
use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use anyhow::{Context, Result, bail};

use super::yuv::Yuv420;
use super::{Frame, OutputKind, Sink, VideoSettings, Written, check_frame};
use crate::atomic::PendingFile;

/// Which H.264 encoder writes the MP4.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mp4Encoder {
    /// OpenH264, built into the program (Main profile).
    #[default]
    OpenH264,
    /// libx264 through the system's FFmpeg (High profile); needs the `ffmpeg` build feature.
    X264,
    /// NVIDIA's hardware encoder through FFmpeg; needs the `ffmpeg` build feature and an NVIDIA GPU.
    Nvenc,
}

impl Mp4Encoder {
    pub const ALL: [Mp4Encoder; 3] = [Mp4Encoder::OpenH264, Mp4Encoder::X264, Mp4Encoder::Nvenc];

    /// How many threads the encoder puts to use: x264 runs frame threads; OpenH264 encodes
    /// on one thread (its Rust API offers more only with size-limited slices, which encoded
    /// charts no faster) and NVENC on the GPU.
    pub fn max_threads(self) -> usize {
        match self {
            Mp4Encoder::X264 => usize::MAX,
            Mp4Encoder::OpenH264 | Mp4Encoder::Nvenc => 1,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Mp4Encoder::OpenH264 => "openh264",
            Mp4Encoder::X264 => "x264",
            Mp4Encoder::Nvenc => "nvenc",
        }
    }
}

impl fmt::Display for Mp4Encoder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Mp4Encoder {
    type Err = anyhow::Error;
    fn from_str(s: &str) -> Result<Mp4Encoder> {
        super::named(&Mp4Encoder::ALL, s, Mp4Encoder::name, "MP4 encoder")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mp4Options {
    pub encoder: Mp4Encoder,
    /// Constant frame rate: held frames are encoded as real repeated frames (for video editors).
    pub cfr: bool,
    /// Threads the H.264 encoder may use (see [`Mp4Encoder::max_threads`]).
    pub threads: usize,
}

impl Default for Mp4Options {
    fn default() -> Mp4Options {
        Mp4Options {
            encoder: Mp4Encoder::default(),
            cfr: false,
            threads: 1,
        }
    }
}

/// An encoded picture (Annex-B) and how many frame periods it stays on screen.
pub(crate) struct Encoded {
    pub access_unit: Vec<u8>,
    pub periods: u32,
}

/// An H.264 encoder fed in display order; it may hold pictures back and return them later, but
/// never reorders them (no B-frames), so the MP4 needs no composition offsets.
pub(crate) trait VideoEncoder: Send {
    fn encode(&mut self, picture: &Yuv420, periods: u32, out: &mut Vec<Encoded>) -> Result<()>;
    fn flush(&mut self, out: &mut Vec<Encoded>) -> Result<()>;
}

/// Opens an MP4 sink writing `path`.
pub fn mp4(path: &Path, video: VideoSettings, options: Mp4Options) -> Result<Box<dyn Sink>> {
    check_settings(video)?;
    let picture = Yuv420::new(video.width, video.height);
    let (width, height) = (picture.width as u32, picture.height as u32);
    let encoder: Box<dyn VideoEncoder> = match options.encoder {
        Mp4Encoder::OpenH264 => Box::new(openh264::OpenH264::new(video)?),
        #[cfg(feature = "ffmpeg")]
        kind @ (Mp4Encoder::X264 | Mp4Encoder::Nvenc) => Box::new(
            ffmpeg::FfmpegEncoder::new(kind, width, height, video.fps, options.threads)?,
        ),
        #[cfg(not(feature = "ffmpeg"))]
        kind @ (Mp4Encoder::X264 | Mp4Encoder::Nvenc) => bail!(
            "the {kind} encoder needs FFmpeg support; rebuild with `cargo build --release --features ffmpeg` \
             (needs libavcodec-dev, libavformat-dev, libavutil-dev, libswscale-dev, clang, pkg-config) \
             or use the openh264 encoder"
        ),
    };
    Ok(Box::new(Mp4Sink {
        file: PendingFile::create(path)?,
        video,
        cfr: options.cfr,
        picture,
        encoder,
        muxer: mux::Muxer::new(width, height, video.fps),
        encoded: Vec::new(),
    }))
}

fn check_settings(video: VideoSettings) -> Result<()> {
    if video.width == 0 || video.height == 0 || video.fps == 0 {
        bail!(
            "cannot write a {}x{} video at {} fps; width, height and frame rate must be positive",
            video.width,
            video.height,
            video.fps
        );
    }
    if video.width > 3840
        || video.height > 3840
        || u64::from(video.width) * u64::from(video.height) > 3840 * 2160
    {
        bail!(
            "{}x{} is too large for H.264 here; use at most 3840x2160",
            video.width,
            video.height
        );
    }
    Ok(())
}

struct Mp4Sink {
    file: PendingFile,
    video: VideoSettings,
    cfr: bool,
    picture: Yuv420,
    encoder: Box<dyn VideoEncoder>,
    muxer: mux::Muxer,
    encoded: Vec<Encoded>,
}

impl Mp4Sink {
    fn mux_encoded(&mut self) -> Result<()> {
        for e in self.encoded.drain(..) {
            self.muxer.push(&e.access_unit, e.periods)?;
        }
        Ok(())
    }
}

impl Sink for Mp4Sink {
    fn push(&mut self, frame: Frame<'_>, repeat: u32) -> Result<()> {
        check_frame(&frame, self.video)?;
        if repeat == 0 {
            return Ok(());
        }
        self.picture
            .fill(frame.rgba, frame.width, frame.height, frame.changed);
        if self.cfr {
            for _ in 0..repeat {
                self.encoder.encode(&self.picture, 1, &mut self.encoded)?;
            }
        } else {
            self.encoder
                .encode(&self.picture, repeat, &mut self.encoded)?;
        }
        self.mux_encoded()
    }

    fn finish(mut self: Box<Self>) -> Result<Written> {
        self.encoder.flush(&mut self.encoded)?;
        self.mux_encoded()?;
        let dest = self.file.dest().to_path_buf();
        self.muxer
            .write(&mut self.file)
            .with_context(|| format!("cannot write `{}`", dest.display()))?;
        let (samples, seconds) = (self.muxer.samples() as u64, self.muxer.seconds());
        Written::commit(
            self.file,
            OutputKind::Mp4,
            (self.picture.width as u32, self.picture.height as u32),
            Duration::from_secs_f64(seconds),
            samples,
        )
    }
}
