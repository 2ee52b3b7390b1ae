//! H.264 through the system's FFmpeg: libx264 (High profile) or NVIDIA's NVENC. Only the encoder
//! is used; the MP4 is written by our own muxer, like with OpenH264, so both backends produce the
//! same file layout (fast start, one sample per held picture).

use std::collections::VecDeque;

use anyhow::{Context, Result, bail};
use ffmpeg_next as ff;

use super::{Encoded, Mp4Encoder, VideoEncoder};
use crate::encode::yuv::Yuv420;

pub struct FfmpegEncoder {
    encoder: ff::encoder::Video,
    size: (u32, u32),
    packet: ff::Packet,
    /// Pictures sent but not yet returned: (pts, periods on screen), in order.
    waiting: VecDeque<(i64, u32)>,
    /// Presentation time of the next picture, in frame periods (the encoder's time base).
    pts: i64,
}

// SAFETY: the FFmpeg contexts are owned by this value alone and used from one thread at a time.
unsafe impl Send for FfmpegEncoder {}

impl FfmpegEncoder {
    /// An encoder of `width × height` pictures at `fps`; x264 runs `threads` frame threads.
    pub fn new(
        kind: Mp4Encoder,
        width: u32,
        height: u32,
        fps: u32,
        threads: usize,
    ) -> Result<FfmpegEncoder> {
        ff::init().context("cannot initialise FFmpeg")?;
        // Errors only: FFmpeg's informational lines would mix with the progress display.
        ff::util::log::set_level(ff::util::log::Level::Error);
        let (name, options): (&str, &[(&str, &str)]) = match kind {
            // `animation` tunes x264 for flat areas and hard edges; B-frames stay off (see below).
            Mp4Encoder::X264 => (
                "libx264",
                &[
                    ("preset", "veryfast"),
                    ("crf", "23"),
                    ("tune", "animation"),
                    ("profile", "high"),
                ],
            ),
            Mp4Encoder::Nvenc => (
                "h264_nvenc",
                &[
                    ("preset", "p5"),
                    ("rc", "vbr"),
                    ("cq", "23"),
                    ("profile", "high"),
                ],
            ),
            Mp4Encoder::OpenH264 => bail!("OpenH264 is not an FFmpeg encoder"),
        };
        let codec = ff::encoder::find_by_name(name).with_context(|| {
            format!("this FFmpeg has no `{name}` encoder; install an FFmpeg built with it or pick another encoder")
        })?;
        let mut video = ff::codec::context::Context::new_with_codec(codec)
            .encoder()
            .video()
            .context("cannot set up the FFmpeg video encoder")?;
        video.set_width(width);
        video.set_height(height);
        video.set_format(ff::format::Pixel::YUV420P);
        // One tick per frame period: a held picture's next pts jumps, which is how the rate
        // control learns how long each picture stays.
        video.set_time_base((1, fps as i32));
        video.set_frame_rate(Some((fps as i32, 1)));
        video.set_gop(fps * 4);
        // No B-frames: pictures come out in display order, so the MP4 needs no composition
        // offsets; holds already make a chart animation cheap.
        video.set_max_b_frames(0);
        video.set_colorspace(ff::color::Space::BT709);
        video.set_color_range(ff::color::Range::MPEG);
        video.set_color_primaries(ff::color::Primaries::BT709);
        video.set_color_transfer_characteristic(ff::color::TransferCharacteristic::BT709);
        let mut dictionary = ff::Dictionary::new();
        for (key, value) in options {
            dictionary.set(key, value);
        }
        if kind == Mp4Encoder::X264 {
            // FFmpeg's encoders run on one thread unless told; x264 then encodes this many
            // frames at once (frame threads), keeping pictures in order.
            dictionary.set("threads", &threads.max(1).to_string());
        }
        let encoder = video.open_with(dictionary).map_err(|e| match kind {
            Mp4Encoder::Nvenc => anyhow::anyhow!(
                "cannot start NVENC ({e}); it needs an NVIDIA GPU and driver; use the x264 or openh264 encoder"
            ),
            _ => anyhow::anyhow!("cannot start {name}: {e}"),
        })?;
        Ok(FfmpegEncoder {
            encoder,
            size: (width, height),
            packet: ff::Packet::empty(),
            waiting: VecDeque::new(),
            pts: 0,
        })
    }

    fn receive(&mut self, out: &mut Vec<Encoded>) -> Result<()> {
        while self.encoder.receive_packet(&mut self.packet).is_ok() {
            let Some((pts, periods)) = self.waiting.pop_front() else {
                bail!("FFmpeg returned more pictures than it was given");
            };
            if self.packet.pts() != Some(pts) {
                bail!(
                    "FFmpeg returned pictures out of order (pts {:?}, expected {pts})",
                    self.packet.pts()
                );
            }
            let access_unit = self.packet.data().unwrap_or_default().to_vec();
            out.push(Encoded {
                access_unit,
                periods,
            });
        }
        Ok(())
    }
}

impl VideoEncoder for FfmpegEncoder {
    fn encode(&mut self, picture: &Yuv420, periods: u32, out: &mut Vec<Encoded>) -> Result<()> {
        let planes: [(&[u8], usize, usize); 3] = [
            (&picture.y, picture.width, picture.height),
            (&picture.u, picture.width / 2, picture.height / 2),
            (&picture.v, picture.width / 2, picture.height / 2),
        ];
        // A fresh frame each time: the encoder may still hold a reference to the previous one.
        let mut frame = ff::frame::Video::new(ff::format::Pixel::YUV420P, self.size.0, self.size.1);
        for (i, (plane, width, height)) in planes.into_iter().enumerate() {
            let stride = frame.stride(i);
            let data = frame.data_mut(i);
            for y in 0..height {
                data[y * stride..y * stride + width]
                    .copy_from_slice(&plane[y * width..(y + 1) * width]);
            }
        }
        frame.set_pts(Some(self.pts));
        self.waiting.push_back((self.pts, periods));
        self.pts += i64::from(periods);
        self.encoder
            .send_frame(&frame)
            .context("FFmpeg failed to encode a frame")?;
        self.receive(out)
    }

    fn flush(&mut self, out: &mut Vec<Encoded>) -> Result<()> {
        self.encoder
            .send_eof()
            .context("FFmpeg failed to finish the video")?;
        self.receive(out)?;
        if !self.waiting.is_empty() {
            bail!("FFmpeg lost {} pictures", self.waiting.len());
        }
        Ok(())
    }
}
