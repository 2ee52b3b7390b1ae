//! The PNG sink: the last frame, at full resolution (the still for a post or a slide). An
//! opaque frame is stored as RGB; a transparent one as RGBA with straight (not premultiplied)
//! alpha, as PNG readers expect.

use std::io::Write;
use std::path::Path;
use std::time::Duration;

use anyhow::{Context, bail};

use super::{Frame, OutputKind, Sink, VideoSettings, Written, check_frame};
use crate::atomic::PendingFile;

/// Opens a PNG sink writing `path`.
pub fn png(path: &Path, video: VideoSettings) -> anyhow::Result<Box<dyn Sink>> {
    if video.width == 0 || video.height == 0 {
        bail!("cannot write a {}x{} PNG", video.width, video.height);
    }
    Ok(Box::new(PngSink {
        file: PendingFile::create(path)?,
        video,
        last: Vec::new(),
    }))
}

struct PngSink {
    file: PendingFile,
    video: VideoSettings,
    /// The last frame, premultiplied RGBA.
    last: Vec<u8>,
}

impl Sink for PngSink {
    fn push(&mut self, frame: Frame<'_>, _repeat: u32) -> anyhow::Result<()> {
        check_frame(&frame, self.video)?;
        self.last.clear();
        self.last.extend_from_slice(frame.rgba);
        Ok(())
    }

    fn finish(mut self: Box<Self>) -> anyhow::Result<Written> {
        let dest = self.file.dest().to_path_buf();
        if self.last.is_empty() {
            bail!("no frames were given for `{}`", dest.display());
        }
        let (w, h) = (self.video.width, self.video.height);
        write_png(
            &mut self.file,
            (w, h),
            &self.last,
            png::Compression::Balanced,
        )
        .with_context(|| format!("cannot write `{}`", dest.display()))?;
        Written::commit(self.file, OutputKind::Png, (w, h), Duration::ZERO, 1)
    }
}

/// Writes premultiplied RGBA `pixels` as a PNG: RGB when every pixel is opaque, else RGBA
/// with its alpha undone from the colours.
pub(crate) fn write_png(
    out: impl Write,
    (width, height): (u32, u32),
    pixels: &[u8],
    compression: png::Compression,
) -> anyhow::Result<()> {
    let opaque = pixels.chunks_exact(4).all(|p| p[3] == 255);
    let (color, data): (png::ColorType, Vec<u8>) = if opaque {
        let rgb = pixels.chunks_exact(4).flat_map(|p| [p[0], p[1], p[2]]);
        (png::ColorType::Rgb, rgb.collect())
    } else {
        let straight = pixels.chunks_exact(4).flat_map(straight_alpha);
        (png::ColorType::Rgba, straight.collect())
    };
    let mut encoder = png::Encoder::new(out, width, height);
    encoder.set_color(color);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(compression);
    let mut writer = encoder.write_header()?;
    writer.write_image_data(&data)?;
    writer.finish()?;
    Ok(())
}

/// One premultiplied RGBA pixel with its colour divided back by its alpha (rounded).
pub(crate) fn straight_alpha(p: &[u8]) -> [u8; 4] {
    let a = u16::from(p[3]);
    if a == 0 {
        return [0; 4];
    }
    let undo = |c: u8| ((u16::from(c) * 255 + a / 2) / a).min(255) as u8;
    [undo(p[0]), undo(p[1]), undo(p[2]), p[3]]
}
