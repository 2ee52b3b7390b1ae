//! The H.264 encoders an MP4 can be written with, and what each must do.

use std::fmt;
use std::str::FromStr;

use anyhow::Result;

use crate::encode::yuv::Yuv420;

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
        crate::encode::named(&Mp4Encoder::ALL, s, Mp4Encoder::name, "MP4 encoder")
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
