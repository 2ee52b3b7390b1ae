//! Just enough of the MP4 (ISO BMFF) box structure to read a video's size and duration back
//! from a rendered file: `moov/mvhd` for the duration, the video track's `tkhd` for the size.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

use anyhow::{Context, bail};

/// What a page needs to know about an MP4 to lay it out before it loads.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct VideoInfo {
    pub width: u32,
    pub height: u32,
    pub duration_s: f64,
}

/// The `moov` box can be larger than any real one but must not exhaust memory on a bad file.
const MAX_MOOV_BYTES: u64 = 64 << 20;

/// Reads the size and duration of the (first) video track of the MP4 at `path`.
pub fn probe(path: &Path) -> anyhow::Result<VideoInfo> {
    let mut file = File::open(path).with_context(|| format!("cannot open `{}`", path.display()))?;
    let len = file
        .metadata()
        .with_context(|| format!("cannot read `{}`", path.display()))?
        .len();
    let moov = read_moov(&mut file, len)
        .with_context(|| format!("cannot read `{}` as an MP4", path.display()))?;
    parse_moov(&moov).with_context(|| format!("`{}` is not a playable MP4", path.display()))
}

/// Walks the top-level boxes (seeking over `mdat`, which may come before `moov` when the file
/// was not written for fast start) and returns the body of `moov`.
fn read_moov(file: &mut File, len: u64) -> anyhow::Result<Vec<u8>> {
    let mut pos = 0;
    while pos < len {
        file.seek(SeekFrom::Start(pos))?;
        let mut head = [0u8; 16];
        let avail = (len - pos).min(16) as usize;
        if avail < 8 {
            bail!("truncated box header at byte {pos}");
        }
        file.read_exact(&mut head[..avail])?;
        let (kind, header, size) = box_header(&head[..avail], len - pos)
            .with_context(|| format!("bad box header at byte {pos}"))?;
        if &kind == b"moov" {
            let body = size - header;
            if body > MAX_MOOV_BYTES {
                bail!("`moov` box of {body} bytes is implausibly large");
            }
            let mut moov = vec![0; body as usize];
            file.seek(SeekFrom::Start(pos + header))?;
            file.read_exact(&mut moov)?;
            return Ok(moov);
        }
        pos += size;
    }
    bail!("no `moov` box (the file is incomplete, or not an MP4)")
}

/// Parses a box header from `bytes` (at least 8 bytes) with `left` bytes remaining in the
/// enclosing space; returns the box type, header length and total box size.
fn box_header(bytes: &[u8], left: u64) -> anyhow::Result<([u8; 4], u64, u64)> {
    let size32 = u32::from_be_bytes(bytes[0..4].try_into()?);
    let kind: [u8; 4] = bytes[4..8].try_into()?;
    let (header, size) = match size32 {
        0 => (8, left),
        1 => {
            let large = bytes
                .get(8..16)
                .context("truncated 64-bit box size")?
                .try_into()?;
            (16, u64::from_be_bytes(large))
        }
        n => (8, u64::from(n)),
    };
    if size < header || size > left {
        bail!(
            "box `{}` claims {size} bytes with {left} left",
            String::from_utf8_lossy(&kind)
        );
    }
    Ok((kind, header, size))
}

/// The child boxes of a container body, as (type, body) pairs.
fn children(mut data: &[u8]) -> anyhow::Result<Vec<([u8; 4], &[u8])>> {
    let mut boxes = Vec::new();
    while !data.is_empty() {
        if data.len() < 8 {
            bail!("truncated box header");
        }
        let (kind, header, size) = box_header(data, data.len() as u64)?;
        boxes.push((kind, &data[header as usize..size as usize]));
        data = &data[size as usize..];
    }
    Ok(boxes)
}

fn child<'a>(data: &'a [u8], kind: &[u8; 4]) -> anyhow::Result<Option<&'a [u8]>> {
    Ok(children(data)?
        .into_iter()
        .find(|(k, _)| k == kind)
        .map(|(_, body)| body))
}

fn be_u32(data: &[u8], at: usize) -> anyhow::Result<u32> {
    let bytes = data.get(at..at + 4).context("box too short")?;
    Ok(u32::from_be_bytes(bytes.try_into()?))
}

fn be_u64(data: &[u8], at: usize) -> anyhow::Result<u64> {
    let bytes = data.get(at..at + 8).context("box too short")?;
    Ok(u64::from_be_bytes(bytes.try_into()?))
}

fn parse_moov(moov: &[u8]) -> anyhow::Result<VideoInfo> {
    let mvhd = child(moov, b"mvhd")?.context("no movie header (`mvhd`)")?;
    let duration_s = movie_duration(mvhd)?;
    for (kind, trak) in children(moov)? {
        if &kind != b"trak" || !is_video(trak)? {
            continue;
        }
        let tkhd = child(trak, b"tkhd")?.context("video track without a header (`tkhd`)")?;
        let (width, height) = track_size(tkhd)?;
        if width == 0 || height == 0 {
            bail!("video track has no size ({width}x{height})");
        }
        return Ok(VideoInfo {
            width,
            height,
            duration_s,
        });
    }
    bail!("no video track")
}

/// `mvhd`: version 0 has 32-bit times, version 1 64-bit; timescale is ticks per second.
fn movie_duration(mvhd: &[u8]) -> anyhow::Result<f64> {
    let version = *mvhd.first().context("empty `mvhd`")?;
    let (timescale, duration) = if version == 1 {
        (be_u32(mvhd, 20)?, be_u64(mvhd, 24)?)
    } else {
        (be_u32(mvhd, 12)?, u64::from(be_u32(mvhd, 16)?))
    };
    if timescale == 0 {
        bail!("movie header has a timescale of 0");
    }
    Ok(duration as f64 / f64::from(timescale))
}

/// `tkhd` ends with the display width and height as 16.16 fixed-point numbers.
fn track_size(tkhd: &[u8]) -> anyhow::Result<(u32, u32)> {
    let version = *tkhd.first().context("empty `tkhd`")?;
    let at = if version == 1 { 88 } else { 76 };
    Ok((be_u32(tkhd, at)? >> 16, be_u32(tkhd, at + 4)? >> 16))
}

/// A track is video when its media handler (`mdia/hdlr`) is `vide`.
fn is_video(trak: &[u8]) -> anyhow::Result<bool> {
    let Some(mdia) = child(trak, b"mdia")? else {
        return Ok(false);
    };
    let Some(hdlr) = child(mdia, b"hdlr")? else {
        return Ok(false);
    };
    Ok(hdlr.get(8..12) == Some(b"vide"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn boxed(kind: &[u8; 4], body: &[u8]) -> Vec<u8> {
        let mut out = ((body.len() + 8) as u32).to_be_bytes().to_vec();
        out.extend_from_slice(kind);
        out.extend_from_slice(body);
        out
    }

    fn mvhd_v0(timescale: u32, duration: u32) -> Vec<u8> {
        let mut body = vec![0u8; 100];
        body[12..16].copy_from_slice(&timescale.to_be_bytes());
        body[16..20].copy_from_slice(&duration.to_be_bytes());
        boxed(b"mvhd", &body)
    }

    fn mvhd_v1(timescale: u32, duration: u64) -> Vec<u8> {
        let mut body = vec![0u8; 112];
        body[0] = 1;
        body[20..24].copy_from_slice(&timescale.to_be_bytes());
        body[24..32].copy_from_slice(&duration.to_be_bytes());
        boxed(b"mvhd", &body)
    }

    fn trak(handler: &[u8; 4], width: u32, height: u32) -> Vec<u8> {
        let mut tkhd = vec![0u8; 84];
        tkhd[76..80].copy_from_slice(&(width << 16).to_be_bytes());
        tkhd[80..84].copy_from_slice(&(height << 16).to_be_bytes());
        let mut hdlr = vec![0u8; 24];
        hdlr[8..12].copy_from_slice(handler);
        let mdia = boxed(b"mdia", &boxed(b"hdlr", &hdlr));
        boxed(b"trak", &[boxed(b"tkhd", &tkhd), mdia].concat())
    }

    fn write(dir: &tempfile::TempDir, boxes: &[Vec<u8>]) -> std::path::PathBuf {
        let path = dir.path().join("v.mp4");
        std::fs::write(&path, boxes.concat()).unwrap();
        path
    }

    #[test]
    fn reads_size_and_duration_of_the_video_track_after_mdat() {
        let dir = tempfile::tempdir().unwrap();
        let moov = boxed(
            b"moov",
            &[
                mvhd_v0(1000, 12_500),
                trak(b"soun", 0, 0),
                trak(b"vide", 1920, 1080),
            ]
            .concat(),
        );
        let mdat = boxed(b"mdat", &[7u8; 5000]);
        let path = write(&dir, &[boxed(b"ftyp", b"isom\0\0\0\0"), mdat, moov]);
        let info = probe(&path).unwrap();
        assert_eq!(
            info,
            VideoInfo {
                width: 1920,
                height: 1080,
                duration_s: 12.5
            }
        );
    }

    #[test]
    fn reads_version_1_movie_header() {
        let dir = tempfile::tempdir().unwrap();
        let moov = boxed(
            b"moov",
            &[mvhd_v1(90_000, 270_000), trak(b"vide", 854, 480)].concat(),
        );
        let info = probe(&write(&dir, &[moov])).unwrap();
        assert_eq!((info.width, info.height, info.duration_s), (854, 480, 3.0));
    }

    #[test]
    fn explains_files_that_are_not_mp4() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v.mp4");
        std::fs::write(&path, b"GIF89a not a video at all").unwrap();
        let err = format!("{:#}", probe(&path).unwrap_err());
        assert!(err.contains("v.mp4") && err.contains("box"), "{err}");

        let no_video = boxed(
            b"moov",
            &[mvhd_v0(1000, 1000), trak(b"soun", 0, 0)].concat(),
        );
        let err = format!("{:#}", probe(&write(&dir, &[no_video])).unwrap_err());
        assert!(err.contains("no video track"), "{err}");

        let truncated = &boxed(b"moov", &mvhd_v0(1000, 1000))[..40];
        let err = format!(
            "{:#}",
            probe(&write(&dir, &[truncated.to_vec()])).unwrap_err()
        );
        assert!(err.contains("v.mp4"), "{err}");
    }
}
