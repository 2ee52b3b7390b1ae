//! The GIF sink: a looping GIF, scaled down and at a lower frame rate than the video.
//!
//! One global palette has to cover every colour the animation shows, including the ones that
//! only appear at the end, but frames arrive in order and only once. So the sink spools each
//! GIF frame's changed rectangle (already scaled down, RGB) to an anonymous temporary file while
//! counting colours, and at `finish` picks the palette from that histogram and encodes the
//! spooled frames. This needs nothing from the caller and keeps memory small; the spool holds
//! only changed pixels (tens of MB for a ten-second chart at 960 px).
//!
//! A transparent GIF has one palette index for "no pixel": a pixel at least half covered shows
//! its colour, fully; the rest is transparent (GIF has no partial alpha). The same index also
//! means "unchanged" in a frame drawn over the one before, so a frame that must take pixels
//! away is drawn whole, after the frame before is cleared (disposed to the background).

mod palette;
mod scale;

use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::Path;
use std::time::Duration;

use anyhow::{Context, bail};

use super::png::straight_alpha;
use super::{Frame, OutputKind, Region, Sink, VideoSettings, Written, check_frame};
use crate::atomic::PendingFile;
use palette::{Histogram, Lookup};
use scale::{Area, Scaler};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GifOptions {
    /// Frames wider than this are scaled down, keeping the aspect ratio.
    pub max_width: u32,
    /// GIF frames per second at most (frames are picked by time; browsers mishandle delays
    /// under 2 centiseconds, so at most 50).
    pub max_fps: u32,
    /// Frames have alpha: the GIF's background is transparent.
    pub transparent: bool,
}

impl Default for GifOptions {
    fn default() -> GifOptions {
        GifOptions {
            max_width: 960,
            max_fps: 20,
            transparent: false,
        }
    }
}

/// Palette entries for colours; one more index is kept for "unchanged" (transparent) pixels.
const COLOURS: usize = 255;
const TRANSPARENT: u8 = 255;
/// In a transparent GIF, the least alpha a scaled pixel needs to be drawn: half covered.
const SHOWN_FROM_ALPHA: u8 = 128;

/// Opens a GIF sink writing `path`.
pub fn gif(
    path: &Path,
    video: VideoSettings,
    options: GifOptions,
) -> anyhow::Result<Box<dyn Sink>> {
    if video.width == 0 || video.height == 0 || video.fps == 0 {
        bail!(
            "cannot write a {}x{} GIF at {} fps",
            video.width,
            video.height,
            video.fps
        );
    }
    if options.max_width == 0 || !(1..=50).contains(&options.max_fps) {
        bail!(
            "GIF limits must be a positive width and 1 to 50 frames per second (got {} px, {} fps)",
            options.max_width,
            options.max_fps
        );
    }
    let scaler = Scaler::fit(
        (video.width, video.height),
        options.max_width,
        options.transparent,
    );
    if scaler.dst.0 > usize::from(u16::MAX) || scaler.dst.1 > usize::from(u16::MAX) {
        bail!("{}x{} is too large for a GIF", scaler.dst.0, scaler.dst.1);
    }
    let spool =
        tempfile::tempfile().context("cannot create a temporary file for the GIF frames")?;
    Ok(Box::new(GifSink {
        file: PendingFile::create(path)?,
        video,
        rate: u64::from(options.max_fps),
        scaler,
        periods: 0,
        changed: None,
        scaled: Vec::new(),
        shown: Vec::new(),
        histogram: Histogram::new(),
        spool: BufWriter::new(spool),
        frames: Vec::new(),
    }))
}

/// A GIF frame waiting in the spool: its changed rectangle and when it appears.
struct Spooled {
    left: usize,
    top: usize,
    width: usize,
    height: usize,
    start_cs: u64,
}

struct GifSink {
    file: PendingFile,
    video: VideoSettings,
    /// GIF frames per second at most.
    rate: u64,
    scaler: Scaler,
    /// Video time pushed so far, in frame periods.
    periods: u64,
    /// Where the frames pushed since the last GIF frame changed; `None`: anywhere.
    changed: Option<Vec<Region>>,
    /// The last frame used, scaled (RGB, or RGBA whose alpha is 0 or 255 when transparent).
    scaled: Vec<u8>,
    /// The picture the GIF shows after the last spooled frame (scaled, as `scaled`).
    shown: Vec<u8>,
    histogram: Histogram,
    spool: BufWriter<File>,
    frames: Vec<Spooled>,
}

impl Sink for GifSink {
    fn push(&mut self, frame: Frame<'_>, repeat: u32) -> anyhow::Result<()> {
        check_frame(&frame, self.video)?;
        let (start, end) = (self.periods, self.periods + u64::from(repeat));
        self.periods = end;
        match (&mut self.changed, frame.changed) {
            (Some(changed), Some(regions)) => changed.extend_from_slice(regions),
            (changed, _) => *changed = None,
        }
        // GIF frames are sampled at instants k / rate; this frame is on screen for [start, end)
        // and is used if one of those instants falls in it.
        let fps = u64::from(self.video.fps);
        let k = (start * self.rate).div_ceil(fps);
        if k * fps >= end * self.rate {
            return Ok(());
        }
        let start_cs = centiseconds(k, self.rate);
        let (w, h) = self.scaler.dst;
        // Scale only what changed since the last GIF frame, and look for changes only there.
        let area = match self.changed.replace(Vec::new()) {
            Some(regions) if !self.frames.is_empty() => {
                let mut area: Option<Area> = None;
                for r in &regions {
                    let a = self.scaler.covering((
                        r.x as usize,
                        r.y as usize,
                        r.width as usize,
                        r.height as usize,
                    ));
                    self.scaler.scale_area(frame.rgba, &mut self.scaled, a);
                    self.threshold(a);
                    area = Some(area.map_or(a, |b| {
                        (a.0.min(b.0), a.1.min(b.1), a.2.max(b.2), a.3.max(b.3))
                    }));
                }
                area
            }
            _ => {
                self.scaler.scale(frame.rgba, &mut self.scaled);
                self.threshold((0, 0, w, h));
                Some((0, 0, w, h))
            }
        };
        let px = self.scaler.channels;
        let rect = if self.frames.is_empty() {
            Some((0, 0, w, h))
        } else {
            area.and_then(|area| changed_rect(&self.shown, &self.scaled, (w, px), area))
        };
        // Unchanged at GIF size: the previous GIF frame simply stays longer.
        let Some((left, top, width, height)) = rect else {
            return Ok(());
        };
        if self.shown.is_empty() {
            self.shown = self.scaled.clone();
        }
        for y in top..top + height {
            let row = (y * w + left) * px..(y * w + left + width) * px;
            self.histogram.add(&self.scaled[row.clone()], px);
            self.spool
                .write_all(&self.scaled[row.clone()])
                .context("cannot spool a GIF frame")?;
            self.shown[row.clone()].copy_from_slice(&self.scaled[row]);
        }
        self.frames.push(Spooled {
            left,
            top,
            width,
            height,
            start_cs,
        });
        Ok(())
    }

    fn finish(mut self: Box<Self>) -> anyhow::Result<Written> {
        let px = self.scaler.channels;
        if self.frames.is_empty() {
            bail!("no frames were given for `{}`", self.file.dest().display());
        }
        let dest = self.file.dest().to_path_buf();
        let total_cs = centiseconds(self.periods, u64::from(self.video.fps));
        let mut palette = self.histogram.palette(COLOURS);
        let mut lookup = Lookup::new(palette.clone(), &self.histogram);
        palette.resize(usize::from(TRANSPARENT) + 1, [0, 0, 0]);
        let (w, h) = self.scaler.dst;
        let mut spool = BufReader::new(self.spool.into_inner().map_err(|e| e.into_error())?);
        spool.seek(SeekFrom::Start(0))?;

        let mut encoder =
            gif::Encoder::new(&mut self.file, w as u16, h as u16, palette.as_flattened())
                .with_context(|| format!("cannot write `{}`", dest.display()))?;
        encoder.set_repeat(gif::Repeat::Infinite)?;
        // Palette indices on screen, to find what each frame really changes once quantized.
        let mut screen = vec![TRANSPARENT; w * h];
        let mut rgb = Vec::new();
        let mut pending: Option<(gif::Frame<'static>, u64)> = None;
        let mut written = 0u64;
        for f in &self.frames {
            rgb.resize(f.width * f.height * px, 0);
            spool
                .read_exact(&mut rgb)
                .context("cannot read back a spooled GIF frame")?;
            let Some(frame) = indexed_frame(
                pending.is_none() && written == 0,
                f,
                (&rgb, px),
                &mut lookup,
                &mut screen,
                (w, h),
            ) else {
                continue;
            };
            let clears = frame.dispose == gif::DisposalMethod::Background;
            if let Some((mut previous, start)) = pending.take() {
                if clears {
                    // The canvas is cleared after the frame before, for this one to draw whole.
                    previous = covering_canvas(previous, (w, h));
                }
                previous.delay = delay(f.start_cs - start)?;
                encoder.write_frame(&previous)?;
                written += 1;
            }
            pending = Some((
                gif::Frame {
                    dispose: gif::DisposalMethod::Keep,
                    ..frame
                },
                f.start_cs,
            ));
        }
        if let Some((mut last, start)) = pending {
            last.delay = delay(total_cs.saturating_sub(start).max(1))?;
            encoder.write_frame(&last)?;
            written += 1;
        }
        drop(encoder);
        Written::commit(
            self.file,
            OutputKind::Gif,
            (w as u32, h as u32),
            Duration::from_millis(total_cs * 10),
            written,
        )
    }
}

/// `count / rate` seconds in centiseconds, rounded, so delays add up without drift.
fn centiseconds(count: u64, rate: u64) -> u64 {
    (count * 200 + rate) / (2 * rate)
}

fn delay(cs: u64) -> anyhow::Result<u16> {
    u16::try_from(cs).map_err(|_| anyhow::anyhow!("a GIF frame cannot stay on screen over 655 s"))
}

/// The bounding box (left, top, width, height) of the pixels inside `area` that differ
/// between two pictures `w` pixels wide, `px` bytes a pixel, if any.
fn changed_rect(
    old: &[u8],
    new: &[u8],
    (w, px): (usize, usize),
    (x0, y0, x1, y1): Area,
) -> Option<(usize, usize, usize, usize)> {
    let span = |y: usize| (y * w + x0) * px..(y * w + x1) * px;
    let row_differs = |y: usize| old[span(y)] != new[span(y)];
    let top = (y0..y1).find(|&y| row_differs(y))?;
    let bottom = (top..y1).rev().find(|&y| row_differs(y)).unwrap_or(top);
    let column_differs = |x: usize| {
        (top..=bottom).any(|y| old[(y * w + x) * px..][..px] != new[(y * w + x) * px..][..px])
    };
    let left = (x0..x1).find(|&x| column_differs(x)).unwrap_or(x0);
    let right = (left..x1)
        .rev()
        .find(|&x| column_differs(x))
        .unwrap_or(left);
    Some((left, top, right - left + 1, bottom - top + 1))
}

/// Maps a spooled rectangle to palette indices; pixels whose index is already on screen become
/// transparent (they compress to almost nothing), and the frame is cropped to what changed.
/// `None` when nothing changes after quantizing. The `first` frame is the whole canvas, even
/// when it shows nothing (a transparent GIF's may), so the GIF starts when the video does. A
/// frame that takes pixels away (a transparent GIF's) is the whole canvas too, disposed as
/// `Background` to say the canvas must be cleared before it.
fn indexed_frame(
    first: bool,
    f: &Spooled,
    (pixels, px): (&[u8], usize),
    lookup: &mut Lookup,
    screen: &mut [u8],
    (w, h): (usize, usize),
) -> Option<gif::Frame<'static>> {
    let mut indices = vec![TRANSPARENT; f.width * f.height];
    let (mut x0, mut y0, mut x1, mut y1) = (usize::MAX, usize::MAX, 0, 0);
    let mut clears = false;
    for y in 0..f.height {
        for x in 0..f.width {
            let p = &pixels[(y * f.width + x) * px..][..px];
            let index = match p.get(3) {
                Some(0) => TRANSPARENT,
                _ => lookup.index(p[0], p[1], p[2]),
            };
            let on_screen = &mut screen[(f.top + y) * w + f.left + x];
            if *on_screen != index {
                clears |= index == TRANSPARENT;
                *on_screen = index;
                indices[y * f.width + x] = index;
                (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x), y1.max(y));
            }
        }
    }
    if x0 == usize::MAX && !first {
        return None;
    }
    if clears || first {
        return Some(gif::Frame {
            width: w as u16,
            height: h as u16,
            buffer: screen.to_vec().into(),
            transparent: Some(TRANSPARENT),
            dispose: if clears {
                gif::DisposalMethod::Background
            } else {
                gif::DisposalMethod::Keep
            },
            ..gif::Frame::default()
        });
    }
    let (width, height) = (x1 - x0 + 1, y1 - y0 + 1);
    let mut buffer = Vec::with_capacity(width * height);
    for y in y0..=y1 {
        buffer.extend_from_slice(&indices[y * f.width + x0..y * f.width + x1 + 1]);
    }
    Some(gif::Frame {
        left: (f.left + x0) as u16,
        top: (f.top + y0) as u16,
        width: width as u16,
        height: height as u16,
        buffer: buffer.into(),
        transparent: Some(TRANSPARENT),
        dispose: gif::DisposalMethod::Keep,
        ..gif::Frame::default()
    })
}

/// `frame` grown to the whole canvas (what it did not cover stays as it was) and cleared to
/// the background once shown.
fn covering_canvas(frame: gif::Frame<'static>, (w, h): (usize, usize)) -> gif::Frame<'static> {
    let mut buffer = vec![TRANSPARENT; w * h];
    let (left, top, width) = (
        usize::from(frame.left),
        usize::from(frame.top),
        usize::from(frame.width),
    );
    for (y, row) in frame.buffer.chunks_exact(width.max(1)).enumerate() {
        let at = (top + y) * w + left;
        buffer[at..at + row.len()].copy_from_slice(row);
    }
    gif::Frame {
        left: 0,
        top: 0,
        width: w as u16,
        height: h as u16,
        buffer: buffer.into(),
        dispose: gif::DisposalMethod::Background,
        ..frame
    }
}

impl GifSink {
    /// In a transparent GIF, makes each pixel of `area` in the scaled frame either shown (its
    /// colour, alpha undone, fully opaque) or not (all zero).
    fn threshold(&mut self, (x0, y0, x1, y1): Area) {
        if self.scaler.channels != 4 {
            return;
        }
        let w = self.scaler.dst.0;
        for y in y0..y1 {
            for p in self.scaled[(y * w + x0) * 4..(y * w + x1) * 4].chunks_exact_mut(4) {
                let shown = if p[3] >= SHOWN_FROM_ALPHA {
                    let [r, g, b, _] = straight_alpha(p);
                    [r, g, b, 255]
                } else {
                    [0; 4]
                };
                p.copy_from_slice(&shown);
            }
        }
    }
}
