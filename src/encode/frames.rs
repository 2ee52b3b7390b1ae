//! The PNG sequence sink: a folder of numbered PNGs (`frame_00001.png`, …), one per frame
//! period, with alpha when the frames have it. Video editors import such a folder as one clip
//! at the frame rate the manifest gives. A held picture is written once and linked under the
//! following numbers, so holds cost no encoding and no disk.

use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, bail};

use super::png::write_png;
use super::{Frame, OutputKind, Sink, VideoSettings, Written, check_frame};
use crate::atomic::PendingDir;

/// Most frames a sequence holds: its numbers have five digits, so editors sort them right.
pub const MAX_FRAMES: u64 = 99_999;

/// The name of frame `n` (from 1) of a sequence.
pub fn frame_name(n: u64) -> String {
    format!("frame_{n:05}.png")
}

/// Whether `name` is a frame of a sequence, as [`frame_name`] writes them.
fn is_frame_name(name: &str) -> bool {
    name.strip_prefix("frame_")
        .and_then(|rest| rest.strip_suffix(".png"))
        .is_some_and(|digits| digits.len() == 5 && digits.bytes().all(|b| b.is_ascii_digit()))
}

/// Opens a PNG sequence sink filling the folder `dir`.
pub fn frames(dir: &Path, video: VideoSettings) -> anyhow::Result<Box<dyn Sink>> {
    if video.width == 0 || video.height == 0 || video.fps == 0 {
        bail!(
            "cannot write a {}x{} PNG sequence at {} fps",
            video.width,
            video.height,
            video.fps
        );
    }
    Ok(Box::new(FramesSink {
        dir: PendingDir::create(dir)?,
        video,
        written: 0,
        bytes: 0,
    }))
}

struct FramesSink {
    dir: PendingDir,
    video: VideoSettings,
    /// Frames in the folder so far.
    written: u64,
    /// Bytes of the PNGs encoded (a linked hold adds none).
    bytes: u64,
}

impl FramesSink {
    fn path(&self, n: u64) -> PathBuf {
        self.dir.path().join(frame_name(n))
    }
}

impl Sink for FramesSink {
    fn push(&mut self, frame: Frame<'_>, repeat: u32) -> anyhow::Result<()> {
        check_frame(&frame, self.video)?;
        let last = self.written + u64::from(repeat);
        if last > MAX_FRAMES {
            bail!(
                "a PNG sequence holds at most {MAX_FRAMES} frames; this one has more \
                 (ask for a lower --fps or a shorter scene)"
            );
        }
        let first = self.path(self.written + 1);
        let file =
            File::create(&first).with_context(|| format!("cannot create `{}`", first.display()))?;
        let size = (self.video.width, self.video.height);
        write_png(
            BufWriter::new(file),
            size,
            frame.rgba,
            png::Compression::Fast,
        )
        .with_context(|| format!("cannot write `{}`", first.display()))?;
        self.bytes += std::fs::metadata(&first).map_or(0, |m| m.len());
        for n in self.written + 2..=last {
            let held = self.path(n);
            // A link where the file system allows one, else a copy.
            std::fs::hard_link(&first, &held)
                .or_else(|_| std::fs::copy(&first, &held).map(|_| ()))
                .with_context(|| format!("cannot write `{}`", held.display()))?;
        }
        self.written = last;
        Ok(())
    }

    fn finish(self: Box<Self>) -> anyhow::Result<Written> {
        let dest = self.dir.dest().to_path_buf();
        if self.written == 0 {
            bail!("no frames were given for `{}`", dest.display());
        }
        let fps = self.video.fps;
        self.dir.commit(is_frame_name)?;
        Ok(Written {
            name: dest
                .file_name()
                .map_or_else(String::new, |n| n.to_string_lossy().into_owned()),
            kind: OutputKind::Frames,
            bytes: self.bytes,
            width: self.video.width,
            height: self.video.height,
            duration: Duration::from_secs_f64(self.written as f64 / f64::from(fps)),
            frames: self.written,
            fps: Some(fps),
        })
    }
}
