//! A minimal MP4 writer for one H.264 video track: samples are collected, then `moov` is written
//! before `mdat` so players can start before the whole file has arrived ("fast start").

use std::io::Write;

use anyhow::{Context, bail};

use crate::encode::h264::{NAL_AUD, NAL_IDR, NAL_PPS, NAL_SPS, nal_type, nal_units};

/// Ticks of the media clock per frame period (what FFmpeg uses: 15360 per second at 30 fps).
pub const TICKS_PER_PERIOD: u32 = 512;

struct Sample {
    size: u32,
    duration: u32,
    keyframe: bool,
}

/// Collects H.264 access units and writes them as an MP4 file.
pub struct Muxer {
    width: u32,
    height: u32,
    timescale: u32,
    sps: Option<Vec<u8>>,
    pps: Option<Vec<u8>>,
    samples: Vec<Sample>,
    /// Sample data, NAL units with 4-byte big-endian lengths instead of start codes.
    data: Vec<u8>,
}

impl Muxer {
    /// A track of `width × height` pictures at `fps` frame periods per second.
    pub fn new(width: u32, height: u32, fps: u32) -> Muxer {
        Muxer {
            width,
            height,
            timescale: fps * TICKS_PER_PERIOD,
            sps: None,
            pps: None,
            samples: Vec::new(),
            data: Vec::new(),
        }
    }

    /// Adds one access unit (Annex-B) shown for `periods` frame periods.
    pub fn push(&mut self, access_unit: &[u8], periods: u32) -> anyhow::Result<()> {
        let start = self.data.len();
        let mut keyframe = false;
        for unit in nal_units(access_unit) {
            match nal_type(unit) {
                // Parameter sets go into the sample description; access unit delimiters are
                // optional in MP4.
                NAL_SPS => keep_parameter_set(&mut self.sps, unit, "sequence")?,
                NAL_PPS => keep_parameter_set(&mut self.pps, unit, "picture")?,
                NAL_AUD => {}
                kind => {
                    keyframe |= kind == NAL_IDR;
                    let len = u32::try_from(unit.len()).context("H.264 unit over 4 GiB")?;
                    self.data.extend_from_slice(&len.to_be_bytes());
                    self.data.extend_from_slice(unit);
                }
            }
        }
        let size = self.data.len() - start;
        if size == 0 {
            // The encoder produced nothing to show (a skipped frame): the previous picture stays.
            return self.extend_last(periods);
        }
        if self.samples.is_empty() && !keyframe {
            bail!("the H.264 encoder did not start with a keyframe");
        }
        self.samples.push(Sample {
            size: u32::try_from(size).context("H.264 frame over 4 GiB")?,
            duration: self.ticks(periods)?,
            keyframe,
        });
        Ok(())
    }

    /// Keeps the last sample on screen for `periods` more frame periods.
    pub fn extend_last(&mut self, periods: u32) -> anyhow::Result<()> {
        let ticks = self.ticks(periods)?;
        let Some(last) = self.samples.last_mut() else {
            bail!("the H.264 encoder produced no picture for the first frame");
        };
        last.duration = last
            .duration
            .checked_add(ticks)
            .context("frame held too long")?;
        Ok(())
    }

    fn ticks(&self, periods: u32) -> anyhow::Result<u32> {
        periods
            .checked_mul(TICKS_PER_PERIOD)
            .context("frame held too long for the MP4 clock")
    }

    pub fn samples(&self) -> usize {
        self.samples.len()
    }

    /// Total duration in seconds.
    pub fn seconds(&self) -> f64 {
        self.total_ticks() as f64 / f64::from(self.timescale)
    }

    fn total_ticks(&self) -> u64 {
        self.samples.iter().map(|s| u64::from(s.duration)).sum()
    }

    /// Writes the finished file: `ftyp`, `moov`, then `mdat`.
    pub fn write(&self, out: &mut impl Write) -> anyhow::Result<()> {
        let (Some(sps), Some(pps)) = (&self.sps, &self.pps) else {
            bail!("no video was encoded (no frames, or the encoder gave no parameter sets)");
        };
        let mut head = Boxes::default();
        ftyp(&mut head);
        let ftyp_len = head.buf.len() as u64;
        // The chunk offset depends on the size of `moov`, which does not depend on the offset's
        // value: lay it out once with a placeholder, then for real.
        let large = self.data.len() as u64 > u64::from(u32::MAX) - (1 << 20);
        let mdat_header = if large { 16 } else { 8 };
        let moov_len = {
            let mut probe = Boxes::default();
            self.moov(&mut probe, sps, pps, 0, large);
            probe.buf.len() as u64
        };
        self.moov(
            &mut head,
            sps,
            pps,
            ftyp_len + moov_len + mdat_header,
            large,
        );
        if large {
            head.buf.extend_from_slice(&1u32.to_be_bytes());
            head.buf.extend_from_slice(b"mdat");
            head.buf
                .extend_from_slice(&(self.data.len() as u64 + 16).to_be_bytes());
        } else {
            head.buf
                .extend_from_slice(&(self.data.len() as u32 + 8).to_be_bytes());
            head.buf.extend_from_slice(b"mdat");
        }
        out.write_all(&head.buf)?;
        out.write_all(&self.data)?;
        Ok(())
    }

    fn moov(&self, b: &mut Boxes, sps: &[u8], pps: &[u8], chunk_offset: u64, large: bool) {
        let media_duration = self.total_ticks();
        let movie_duration =
            (media_duration * 1000 + u64::from(self.timescale) / 2) / u64::from(self.timescale);
        b.open(b"moov");
        // mvhd (version 1: 64-bit durations)
        b.full(b"mvhd", 1, 0);
        b.u64(0); // creation time
        b.u64(0); // modification time
        b.u32(1000); // movie timescale: milliseconds
        b.u64(movie_duration);
        b.u32(0x0001_0000); // rate 1.0
        b.u16(0x0100); // volume 1.0
        b.zeros(10);
        matrix(b);
        b.zeros(24); // pre_defined
        b.u32(2); // next track id
        b.close();

        b.open(b"trak");
        b.full(b"tkhd", 1, 0x3); // enabled, in movie
        b.u64(0);
        b.u64(0);
        b.u32(1); // track id
        b.u32(0);
        b.u64(movie_duration);
        b.zeros(8);
        b.u16(0); // layer
        b.u16(0); // alternate group
        b.u16(0); // volume (video)
        b.u16(0);
        matrix(b);
        b.u32(self.width << 16);
        b.u32(self.height << 16);
        b.close();

        b.open(b"mdia");
        b.full(b"mdhd", 1, 0);
        b.u64(0);
        b.u64(0);
        b.u32(self.timescale);
        b.u64(media_duration);
        b.u16(0x55c4); // language "und"
        b.u16(0);
        b.close();
        b.full(b"hdlr", 0, 0);
        b.u32(0);
        b.bytes(b"vide");
        b.zeros(12);
        b.bytes(b"VideoHandler\0");
        b.close();

        b.open(b"minf");
        b.full(b"vmhd", 0, 1);
        b.zeros(8);
        b.close();
        b.open(b"dinf");
        b.full(b"dref", 0, 0);
        b.u32(1);
        b.full(b"url ", 0, 1); // media is in this file
        b.close();
        b.close();
        b.close();

        b.open(b"stbl");
        self.stsd(b, sps, pps);
        self.stts(b);
        self.stss(b);
        b.full(b"stsc", 0, 0); // one chunk holding every sample
        b.u32(1);
        b.u32(1);
        b.u32(self.samples.len() as u32);
        b.u32(1);
        b.close();
        b.full(b"stsz", 0, 0);
        b.u32(0);
        b.u32(self.samples.len() as u32);
        for s in &self.samples {
            b.u32(s.size);
        }
        b.close();
        if large {
            b.full(b"co64", 0, 0);
            b.u32(1);
            b.u64(chunk_offset);
        } else {
            b.full(b"stco", 0, 0);
            b.u32(1);
            b.u32(chunk_offset as u32);
        }
        b.close();
        b.close(); // stbl
        b.close(); // minf
        b.close(); // mdia
        b.close(); // trak
        b.close(); // moov
    }

    fn stsd(&self, b: &mut Boxes, sps: &[u8], pps: &[u8]) {
        b.full(b"stsd", 0, 0);
        b.u32(1);
        b.open(b"avc1");
        b.zeros(6);
        b.u16(1); // data reference index
        b.zeros(16);
        b.u16(self.width as u16);
        b.u16(self.height as u16);
        b.u32(0x0048_0000); // 72 dpi
        b.u32(0x0048_0000);
        b.u32(0);
        b.u16(1); // frames per sample
        b.zeros(32); // compressor name
        b.u16(0x0018); // depth: colour, no alpha
        b.u16(0xffff);
        avcc(b, sps, pps);
        // Colour description, matching what `yuv.rs` produces: BT.709, limited range.
        b.open(b"colr");
        b.bytes(b"nclx");
        b.u16(1);
        b.u16(1);
        b.u16(1);
        b.u8(0);
        b.close();
        b.close(); // avc1
        b.close(); // stsd
    }

    /// Decoding times as runs of equal durations; a held picture is one long sample.
    fn stts(&self, b: &mut Boxes) {
        let mut runs: Vec<(u32, u32)> = Vec::new();
        for s in &self.samples {
            match runs.last_mut() {
                Some((count, duration)) if *duration == s.duration => *count += 1,
                _ => runs.push((1, s.duration)),
            }
        }
        b.full(b"stts", 0, 0);
        b.u32(runs.len() as u32);
        for (count, duration) in runs {
            b.u32(count);
            b.u32(duration);
        }
        b.close();
    }

    fn stss(&self, b: &mut Boxes) {
        let keys: Vec<u32> = (1..)
            .zip(&self.samples)
            .filter(|(_, s)| s.keyframe)
            .map(|(i, _)| i)
            .collect();
        b.full(b"stss", 0, 0);
        b.u32(keys.len() as u32);
        for k in keys {
            b.u32(k);
        }
        b.close();
    }
}

fn keep_parameter_set(slot: &mut Option<Vec<u8>>, unit: &[u8], kind: &str) -> anyhow::Result<()> {
    match slot {
        Some(kept) if kept != unit => {
            bail!("the H.264 encoder changed its {kind} parameter set mid-stream")
        }
        Some(_) => {}
        None => *slot = Some(unit.to_vec()),
    }
    Ok(())
}

fn ftyp(b: &mut Boxes) {
    b.open(b"ftyp");
    b.bytes(b"isom");
    b.u32(0x200);
    for brand in [b"isom", b"iso2", b"avc1", b"mp41"] {
        b.bytes(brand);
    }
    b.close();
}

fn matrix(b: &mut Boxes) {
    for v in [0x0001_0000, 0, 0, 0, 0x0001_0000, 0, 0, 0, 0x4000_0000u32] {
        b.u32(v);
    }
}

/// The decoder configuration: profile and level from the SPS, 4-byte NAL lengths.
fn avcc(b: &mut Boxes, sps: &[u8], pps: &[u8]) {
    let profile = sps.get(1).copied().unwrap_or(0);
    b.open(b"avcC");
    b.u8(1);
    b.u8(profile);
    b.u8(sps.get(2).copied().unwrap_or(0)); // constraint flags
    b.u8(sps.get(3).copied().unwrap_or(0)); // level
    b.u8(0xff); // 4-byte lengths
    b.u8(0xe1); // one SPS
    b.u16(sps.len() as u16);
    b.bytes(sps);
    b.u8(1); // one PPS
    b.u16(pps.len() as u16);
    b.bytes(pps);
    if matches!(profile, 100 | 110 | 122 | 144) {
        // High profiles: 4:2:0, 8-bit, no SPS extensions (what `yuv.rs` feeds the encoder).
        b.bytes(&[0xfd, 0xf8, 0xf8, 0]);
    }
    b.close();
}

/// A byte buffer of nested boxes; sizes are patched in when a box closes.
#[derive(Default)]
struct Boxes {
    buf: Vec<u8>,
    open: Vec<usize>,
}

impl Boxes {
    fn open(&mut self, kind: &[u8; 4]) {
        self.open.push(self.buf.len());
        self.buf.extend_from_slice(&[0; 4]);
        self.buf.extend_from_slice(kind);
    }
    fn full(&mut self, kind: &[u8; 4], version: u8, flags: u32) {
        self.open(kind);
        self.u32(u32::from(version) << 24 | flags);
    }
    fn close(&mut self) {
        if let Some(start) = self.open.pop() {
            let size = (self.buf.len() - start) as u32;
            self.buf[start..start + 4].copy_from_slice(&size.to_be_bytes());
        }
    }
    fn u8(&mut self, v: u8) {
        self.buf.push(v);
    }
    fn u16(&mut self, v: u16) {
        self.buf.extend_from_slice(&v.to_be_bytes());
    }
    fn u32(&mut self, v: u32) {
        self.buf.extend_from_slice(&v.to_be_bytes());
    }
    fn u64(&mut self, v: u64) {
        self.buf.extend_from_slice(&v.to_be_bytes());
    }
    fn zeros(&mut self, n: usize) {
        self.buf.resize(self.buf.len() + n, 0);
    }
    fn bytes(&mut self, v: &[u8]) {
        self.buf.extend_from_slice(v);
    }
}
