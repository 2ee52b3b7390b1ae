//! What the files in a renders folder say of themselves, for a manifest that lost them: the
//! picture size from the PNG, GIF, MP4 or SVG header and how long a video plays. The folder is the
//! truth; the manifest is its cache.

use std::io::Read;
use std::path::Path;
use std::time::Duration;

use crate::encode::{OutputKind, Written};

/// What the file `name` in `dir` holds, when it is a PNG, GIF, MP4 or SVG whose header reads.
pub fn probe(dir: &Path, name: &str) -> Option<Written> {
    let kind = OutputKind::ALL.into_iter().find(|k| {
        name.strip_suffix(k.extension())
            .is_some_and(|stem| stem.len() > 1 && stem.ends_with('.'))
    })?;
    let path = dir.join(name);
    let meta = std::fs::metadata(&path).ok().filter(|m| m.is_file())?;
    let ((width, height), duration) = match kind {
        OutputKind::Png => (png_size(&path)?, Duration::ZERO),
        OutputKind::Gif => gif_size_and_length(&path)?,
        OutputKind::Mp4 => mp4_size_and_length(&path)?,
        OutputKind::Svg => (svg_size(&path)?, Duration::ZERO),
        // Their headers are not read here: a lost manifest forgets them until they are rendered again.
        OutputKind::Frames | OutputKind::Webm | OutputKind::Mov => return None,
    };
    Some(Written {
        name: name.to_string(),
        kind,
        bytes: meta.len(),
        width,
        height,
        duration,
        // Not kept in any header worth reading for this; the gallery does not show it.
        frames: 0,
        fps: None,
    })
}

/// The first `n` bytes of `path`.
fn head(path: &Path, n: usize) -> Option<Vec<u8>> {
    let mut bytes = vec![0; n];
    std::fs::File::open(path)
        .ok()?
        .read_exact(&mut bytes)
        .ok()?;
    Some(bytes)
}

/// A PNG's size, from its IHDR chunk.
fn png_size(path: &Path) -> Option<(u32, u32)> {
    let b = head(path, 24)?;
    if &b[..8] != b"\x89PNG\r\n\x1a\n" || &b[12..16] != b"IHDR" {
        return None;
    }
    let be = |i: usize| u32::from_be_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]);
    Some((be(16), be(20)))
}

/// An SVG's size, from the `width` and `height` of its `<svg>` tag (benchanim writes it first).
fn svg_size(path: &Path) -> Option<(u32, u32)> {
    let mut head = Vec::new();
    std::fs::File::open(path)
        .ok()?
        .take(1024)
        .read_to_end(&mut head)
        .ok()?;
    let head = String::from_utf8_lossy(&head);
    let tag = &head[head.find("<svg ")?..];
    let tag = &tag[..tag.find('>')?];
    let attribute = |name: &str| -> Option<u32> {
        let value = &tag[tag.find(&format!(" {name}=\""))? + name.len() + 3..];
        value[..value.find('"')?].parse().ok()
    };
    Some((attribute("width")?, attribute("height")?))
}

/// A GIF's size and how long its frames play.
fn gif_size_and_length(path: &Path) -> Option<((u32, u32), Duration)> {
    let mut options = gif::DecodeOptions::new();
    options.set_color_output(gif::ColorOutput::Indexed);
    let file = std::io::BufReader::new(std::fs::File::open(path).ok()?);
    let mut decoder = options.read_info(file).ok()?;
    let size = (u32::from(decoder.width()), u32::from(decoder.height()));
    let mut centiseconds: u64 = 0;
    while let Ok(Some(frame)) = decoder.read_next_frame() {
        centiseconds += u64::from(frame.delay);
    }
    Some((size, Duration::from_millis(centiseconds * 10)))
}

/// An MP4's picture size (its first track's `tkhd`) and length (`mvhd`).
fn mp4_size_and_length(path: &Path) -> Option<((u32, u32), Duration)> {
    let bytes = std::fs::read(path).ok()?;
    let moov = child(&bytes, b"moov")?;
    let mvhd = child(moov, b"mvhd")?;
    let (timescale, duration) = match mvhd.first()? {
        0 => (u64::from(be32(mvhd, 12)?), u64::from(be32(mvhd, 16)?)),
        _ => (u64::from(be32(mvhd, 20)?), be64(mvhd, 24)?),
    };
    let tkhd = child(child(moov, b"trak")?, b"tkhd")?;
    // Width and height are the last two fields, 16.16 fixed point.
    let end = tkhd.len();
    let size = (be32(tkhd, end - 8)? >> 16, be32(tkhd, end - 4)? >> 16);
    let length = Duration::from_secs_f64(duration as f64 / timescale.max(1) as f64);
    Some((size, length))
}

/// The content of the first box of type `kind` among the boxes in `data`.
fn child<'a>(data: &'a [u8], kind: &[u8; 4]) -> Option<&'a [u8]> {
    let mut at = 0;
    while at + 8 <= data.len() {
        let size = be32(data, at)? as usize;
        let (header, size) = match size {
            1 => (16, usize::try_from(be64(data, at + 8)?).ok()?),
            0 => (8, data.len() - at),
            n => (8, n),
        };
        if size < header || at + size > data.len() {
            return None;
        }
        if &data[at + 4..at + 8] == kind {
            return Some(&data[at + header..at + size]);
        }
        at += size;
    }
    None
}

fn be32(b: &[u8], i: usize) -> Option<u32> {
    Some(u32::from_be_bytes(b.get(i..i + 4)?.try_into().ok()?))
}

fn be64(b: &[u8], i: usize) -> Option<u64> {
    Some(u64::from_be_bytes(b.get(i..i + 8)?.try_into().ok()?))
}
