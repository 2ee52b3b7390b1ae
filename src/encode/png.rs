//! The PNG sink: the last frame, at full resolution (the still for a post or a slide).

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
    /// The last frame, RGB (frames are opaque, so alpha is not stored).
    last: Vec<u8>,
}

impl Sink for PngSink {
    fn push(&mut self, frame: Frame<'_>, _repeat: u32) -> anyhow::Result<()> {
        check_frame(&frame, self.video)?;
        self.last.clear();
        self.last
            .extend(frame.rgba.chunks_exact(4).flat_map(|p| [p[0], p[1], p[2]]));
        Ok(())
    }

    fn finish(mut self: Box<Self>) -> anyhow::Result<Written> {
        let dest = self.file.dest().to_path_buf();
        if self.last.is_empty() {
            bail!("no frames were given for `{}`", dest.display());
        }
        let mut encoder = png::Encoder::new(&mut self.file, self.video.width, self.video.height);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        let writer = encoder
            .write_header()
            .and_then(|mut w| w.write_image_data(&self.last).map(|()| w))
            .with_context(|| format!("cannot write `{}`", dest.display()))?;
        writer
            .finish()
            .with_context(|| format!("cannot write `{}`", dest.display()))?;
        Written::commit(
            self.file,
            OutputKind::Png,
            (self.video.width, self.video.height),
            Duration::ZERO,
            1,
        )
    }
}
