//! Sinks: where finished frames go (MP4, GIF, PNG, a PNG sequence and, in the FFmpeg build,
//! WebM and MOV with alpha), one file per format behind one trait; and the SVG still, written
//! from a document the renderer draws.

#[cfg(feature = "ffmpeg")]
mod alpha_video;
mod frames;
mod gif;
mod h264;
mod mp4;
mod png;
mod svg;
mod yuv;

#[cfg(feature = "ffmpeg")]
pub use self::alpha_video::alpha_video;
pub use self::frames::{MAX_FRAMES, frame_name, frames};
pub use self::gif::{GifOptions, gif};
pub use self::png::png;
pub use self::svg::svg;
pub use mp4::{Mp4Encoder, Mp4Options, mp4};

use std::fmt;
use std::io::Seek;
use std::str::FromStr;
use std::time::Duration;

use anyhow::{Context, bail};

use crate::atomic::PendingFile;
use serde::{Deserialize, Serialize};

/// One finished frame: tightly packed RGBA8, `width × height`, premultiplied by its alpha (as
/// tiny-skia draws it). Opaque unless the render is transparent; sinks without an alpha channel
/// read only the colour.
#[derive(Clone, Copy)]
pub struct Frame<'a> {
    pub width: u32,
    pub height: u32,
    pub rgba: &'a [u8],
    /// Where this frame differs from the frame pushed before it, when known: outside these
    /// regions its pixels are the previous frame's, exactly. `None` for a first frame or when
    /// anything may have changed.
    pub changed: Option<&'a [Region]>,
}

impl<'a> Frame<'a> {
    /// A frame that may differ from the previous one anywhere.
    pub fn whole(width: u32, height: u32, rgba: &'a [u8]) -> Frame<'a> {
        Frame {
            width,
            height,
            rgba,
            changed: None,
        }
    }
}

/// A rectangle of a frame's pixels: `x..x + width` × `y..y + height`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Region {
    pub x: u32,
    pub y: u32,
    pub width: u32,
    pub height: u32,
}

impl Region {
    pub fn right(&self) -> u32 {
        self.x + self.width
    }

    pub fn bottom(&self) -> u32 {
        self.y + self.height
    }
}

/// The kinds of file a render writes for each scene, one sink each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OutputKind {
    Mp4,
    Gif,
    Png,
    /// The final frame as vector graphics, its text as text.
    Svg,
    /// A folder of numbered PNGs, one per frame period, with alpha: what every editor imports.
    Frames,
    /// VP9 in WebM, with alpha (`yuva420p`); needs the FFmpeg build.
    Webm,
    /// ProRes 4444 in QuickTime, with alpha; needs the FFmpeg build.
    Mov,
}

impl OutputKind {
    pub const ALL: [OutputKind; 7] = [
        OutputKind::Mp4,
        OutputKind::Gif,
        OutputKind::Png,
        OutputKind::Svg,
        OutputKind::Frames,
        OutputKind::Webm,
        OutputKind::Mov,
    ];

    /// The file name's extension, which is also the kind's name in `--format`.
    pub fn extension(self) -> &'static str {
        match self {
            OutputKind::Mp4 => "mp4",
            OutputKind::Gif => "gif",
            OutputKind::Png => "png",
            OutputKind::Svg => "svg",
            OutputKind::Frames => "frames",
            OutputKind::Webm => "webm",
            OutputKind::Mov => "mov",
        }
    }

    /// The name people know the format by (`MP4`).
    pub fn label(self) -> &'static str {
        match self {
            OutputKind::Mp4 => "MP4",
            OutputKind::Gif => "GIF",
            OutputKind::Png => "PNG",
            OutputKind::Svg => "SVG",
            OutputKind::Frames => "PNG sequence",
            OutputKind::Webm => "WebM",
            OutputKind::Mov => "MOV",
        }
    }

    /// What a scene's output of this kind is called in the renders folder: `vllm_input.mp4`,
    /// or the folder `vllm_input` for a PNG sequence.
    pub fn file_name(self, scene: &str) -> String {
        match self {
            OutputKind::Frames => scene.to_string(),
            _ => format!("{scene}.{}", self.extension()),
        }
    }

    /// Whether the format keeps an alpha channel (H.264 MP4 does not).
    pub fn keeps_alpha(self) -> bool {
        self != OutputKind::Mp4
    }

    /// The kinds to write, each once, in the order of [`OutputKind::ALL`]: those `asked` for
    /// with `--format`, else the default for the background. An error for a kind this build
    /// cannot write, or that cannot be `transparent`.
    pub fn pick(
        asked: Option<&[OutputKind]>,
        transparent: bool,
    ) -> anyhow::Result<Vec<OutputKind>> {
        let asked = match (asked, transparent) {
            (Some(asked), _) => asked.to_vec(),
            (None, false) => vec![OutputKind::Mp4, OutputKind::Gif, OutputKind::Png],
            (None, true) => {
                let mut kinds = vec![OutputKind::Png, OutputKind::Frames, OutputKind::Gif];
                if cfg!(feature = "ffmpeg") {
                    kinds.extend([OutputKind::Webm, OutputKind::Mov]);
                }
                kinds
            }
        };
        if let Some(kind) = asked.iter().find(|k| transparent && !k.keeps_alpha()) {
            bail!(
                "--format {kind} cannot be transparent: H.264 has no alpha channel; for a video \
                 with alpha, ask for --format frames (a PNG sequence), or webm or mov (with \
                 `--features ffmpeg`)"
            );
        }
        if let Some(kind) = asked.iter().find(|k| !can_write(**k)) {
            bail!(
                "--format {kind}: this build cannot write {}; build benchanim with \
                 `cargo install --features ffmpeg` (it needs FFmpeg's libraries)",
                kind.label()
            );
        }
        Ok(OutputKind::ALL
            .into_iter()
            .filter(|k| asked.contains(k))
            .collect())
    }

    /// Whether the file moves (MP4, GIF, a PNG sequence, WebM, MOV) rather than stands still
    /// (PNG, SVG).
    pub fn is_video(self) -> bool {
        !matches!(self, OutputKind::Png | OutputKind::Svg)
    }
}

/// Whether this build writes `kind`: WebM and MOV need FFmpeg's encoders.
pub fn can_write(kind: OutputKind) -> bool {
    cfg!(feature = "ffmpeg") || !matches!(kind, OutputKind::Webm | OutputKind::Mov)
}

/// Without FFmpeg there is no VP9 or ProRes encoder.
#[cfg(not(feature = "ffmpeg"))]
pub fn alpha_video(
    _path: &std::path::Path,
    _video: VideoSettings,
    kind: OutputKind,
) -> anyhow::Result<Box<dyn Sink>> {
    bail!(
        "this build cannot write {}; build benchanim with `--features ffmpeg`",
        kind.label()
    )
}

impl fmt::Display for OutputKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.extension())
    }
}

impl FromStr for OutputKind {
    type Err = anyhow::Error;
    fn from_str(s: &str) -> anyhow::Result<OutputKind> {
        named(&OutputKind::ALL, s, OutputKind::extension, "output kind")
    }
}

/// The one of `all` called `name`, in any case; the error lists the names.
pub(crate) fn named<T: Copy>(
    all: &[T],
    name: &str,
    name_of: fn(T) -> &'static str,
    what: &str,
) -> anyhow::Result<T> {
    let found = all
        .iter()
        .copied()
        .find(|&t| name_of(t).eq_ignore_ascii_case(name));
    found.with_context(|| {
        let names: Vec<&str> = all.iter().map(|&t| name_of(t)).collect();
        format!(
            "unknown {what} `{name}`; expected one of {}",
            names.join(", ")
        )
    })
}

/// The size and frame rate of the frames a render draws and its sinks receive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VideoSettings {
    pub width: u32,
    pub height: u32,
    pub fps: u32,
}

/// What a sink wrote: one file, as the summary line prints it and the manifest keeps it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Written {
    /// The file's name in the folder it was written to (`vllm_input.mp4`).
    pub name: String,
    pub kind: OutputKind,
    pub bytes: u64,
    /// The picture size stored in the file (a GIF is scaled down; an MP4 padded to even sides).
    pub width: u32,
    pub height: u32,
    /// How long it plays, in seconds; zero for a still.
    #[serde(with = "seconds")]
    pub duration: Duration,
    /// Pictures stored in the file; a held picture counts once where the format allows that.
    pub frames: u64,
    /// Frames per second, for a PNG sequence (whose files do not say it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fps: Option<u32>,
}

impl Written {
    /// Moves a sink's finished file into place and says what it holds.
    pub(crate) fn commit(
        mut file: PendingFile,
        kind: OutputKind,
        (width, height): (u32, u32),
        duration: Duration,
        frames: u64,
    ) -> anyhow::Result<Written> {
        let bytes = file.stream_position()?;
        let name = file.dest().file_name();
        let name = name.map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        file.commit()?;
        Ok(Written {
            name,
            kind,
            bytes,
            width,
            height,
            duration,
            frames,
            fps: None,
        })
    }
}

/// Durations as seconds (a JSON number), as people read them.
mod seconds {
    use std::time::Duration;

    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_f64(d.as_secs_f64())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
        let secs = f64::deserialize(d)?;
        Duration::try_from_secs_f64(secs).map_err(serde::de::Error::custom)
    }
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
    if let Some(r) = frame
        .changed
        .into_iter()
        .flatten()
        .find(|r| r.right() > video.width || r.bottom() > video.height)
    {
        bail!(
            "changed region {}x{} at ({}, {}) reaches outside the {}x{} frame",
            r.width,
            r.height,
            r.x,
            r.y,
            video.width,
            video.height
        );
    }
    Ok(())
}

#[cfg(test)]
mod alpha_tests;
#[cfg(test)]
mod tests;
