//! The MP4 sink: frames → YUV → an H.264 encoder → [`mux::Muxer`] → the file.
//!
//! Holds are free by default: a frame with `repeat = n` becomes one sample lasting `n` frame
//! periods (variable frame rate). Video editors that want a constant rate get `cfr`.

mod encoder;
#[cfg(feature = "ffmpeg")]
mod ffmpeg;
mod mux;
mod openh264;

use std::path::Path;
use std::time::Duration;

use anyhow::{Context, Result, bail};

use super::yuv::Yuv420;
use super::{Frame, OutputKind, Sink, VideoSettings, Written, check_frame};
use crate::atomic::PendingFile;

pub(crate) use encoder::{Encoded, VideoEncoder};
pub use encoder::{Mp4Encoder, Mp4Options};

/// Opens an MP4 sink writing `path`.
pub fn mp4(path: &Path, video: VideoSettings, options: Mp4Options) -> Result<Box<dyn Sink>> {
    check_settings(video)?;
    let picture = Yuv420::new(video.width, video.height);
    let (width, height) = (picture.width as u32, picture.height as u32);
    let encoder: Box<dyn VideoEncoder> = match options.encoder {
        Mp4Encoder::OpenH264 => Box::new(openh264::OpenH264::new(video)?),
        #[cfg(feature = "ffmpeg")]
        kind @ (Mp4Encoder::X264 | Mp4Encoder::Nvenc) => Box::new(ffmpeg::FfmpegEncoder::new(
            kind,
            width,
            height,
            video.fps,
            options.threads,
        )?),
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
