//! Sinks: where finished frames go (MP4, GIF, PNG), one file per format behind one trait.

mod gif;
mod h264;
mod mp4;
mod png;
mod yuv;

#[cfg(feature = "ffmpeg")]
mod ffmpeg;

pub use self::gif::{GifOptions, gif};
pub use self::png::png;
pub use mp4::{Mp4Encoder, Mp4Options, mp4};

use std::path::PathBuf;
use std::time::Duration;

use anyhow::bail;

/// One finished frame: tightly packed RGBA8, opaque, `width × height`.
#[derive(Clone, Copy)]
pub struct Frame<'a> {
    pub width: u32,
    pub height: u32,
    pub rgba: &'a [u8],
}

/// The video being written.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct VideoSettings {
    pub width: u32,
    pub height: u32,
    pub fps: u32,
}

/// What a sink wrote, for the summary line.
#[derive(Debug, Clone)]
pub struct Written {
    pub path: PathBuf,
    pub bytes: u64,
    pub duration: Duration,
    /// Pictures stored in the file; a held picture counts once where the format allows that.
    pub frames: u64,
}

/// Receives frames in order. Consecutive identical frames arrive once, with `repeat` saying for how
/// many frame periods the picture stays (1 = an ordinary frame), so sinks can make holds cheap.
pub trait Sink: Send {
    fn push(&mut self, frame: Frame<'_>, repeat: u32) -> anyhow::Result<()>;
    /// Finishes the file and moves it into place.
    fn finish(self: Box<Self>) -> anyhow::Result<Written>;
}

/// Checks a frame against the video it belongs to.
pub(crate) fn check_frame(frame: &Frame<'_>, video: VideoSettings) -> anyhow::Result<()> {
    if frame.width != video.width || frame.height != video.height {
        bail!(
            "frame is {}x{} but the video is {}x{}",
            frame.width,
            frame.height,
            video.width,
            video.height
        );
    }
    let expected = video.width as usize * video.height as usize * 4;
    if frame.rgba.len() != expected {
        bail!(
            "frame has {} bytes of RGBA, expected {expected}",
            frame.rgba.len()
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests;
