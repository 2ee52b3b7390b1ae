//! H.264 with OpenH264 (built from source with the program, so MP4 needs no system libraries).

use anyhow::Result;
use openh264::OpenH264API;
use openh264::Timestamp;
use openh264::encoder::{
    Complexity, Encoder, EncoderConfig, FrameRate, FrameType, IntraFramePeriod, Profile,
    RateControlMode, UsageType, VuiConfig,
};
use openh264::formats::YUVSlices;

use super::{Encoded, VideoEncoder};
use crate::encode::VideoSettings;
use crate::encode::yuv::Yuv420;

pub struct OpenH264 {
    encoder: Encoder,
    fps: u32,
    /// Presentation time of the next picture, in frame periods.
    periods: u64,
}

impl OpenH264 {
    /// An encoder for `video`, on the calling thread.
    pub fn new(video: VideoSettings) -> Result<OpenH264> {
        let config = EncoderConfig::new()
            // Screen-content mode keeps several long-term reference pictures: at 4K that costs
            // ~80 MB more memory for files no smaller on these charts.
            .usage_type(UsageType::CameraVideoRealTime)
            // Main profile, the web's convention for MP4 (OpenH264 codes it with CAVLC).
            .profile(Profile::Main)
            // Constant quantizer (OpenH264's default of 26) rather than a bit rate: flat graphics
            // stay sharp, and pictures that barely change cost almost nothing.
            .rate_control_mode(RateControlMode::Off)
            // Flat colours gain nothing from these; turning them off keeps encoding lean. A chart
            // never cuts to a new scene, and background detection made files larger and blurrier.
            .adaptive_quantization(false)
            .background_detection(false)
            .scene_change_detect(false)
            .max_frame_rate(FrameRate::from_hz(video.fps as f32))
            // Every frame must come out, or the video would lose its timing.
            .skip_frames(false)
            // Low tries fewer macroblock modes: on the reference charts at 1080p it encodes in
            // ~80% of High's time, to files ~2% smaller and within 0.05 dB of its PSNR.
            .complexity(Complexity::Low)
            // A keyframe every 4 s of encoded pictures, so players can seek.
            .intra_frame_period(IntraFramePeriod::from_num_frames(video.fps * 4))
            .vui(VuiConfig::bt709())
            .num_threads(1);
        let encoder = Encoder::with_api_config(OpenH264API::from_source(), config)
            .map_err(|e| anyhow::anyhow!("cannot start the OpenH264 encoder: {e}"))?;
        Ok(OpenH264 {
            encoder,
            fps: video.fps,
            periods: 0,
        })
    }
}

impl VideoEncoder for OpenH264 {
    fn encode(&mut self, picture: &Yuv420, periods: u32, out: &mut Vec<Encoded>) -> Result<()> {
        let (w, h) = (picture.width, picture.height);
        let source = YUVSlices::new(
            (&picture.y, &picture.u, &picture.v),
            (w, h),
            (w, w / 2, w / 2),
        );
        let ms = self.periods * 1000 / u64::from(self.fps);
        self.periods += u64::from(periods);
        let stream = self
            .encoder
            .encode_at(&source, Timestamp::from_millis(ms))
            .map_err(|e| anyhow::anyhow!("OpenH264 failed to encode a frame: {e}"))?;
        let access_unit = match stream.frame_type() {
            FrameType::Skip | FrameType::Invalid => Vec::new(),
            _ => stream.to_vec(),
        };
        out.push(Encoded {
            access_unit,
            periods,
        });
        Ok(())
    }

    fn flush(&mut self, _out: &mut Vec<Encoded>) -> Result<()> {
        // OpenH264 returns every picture as soon as it is encoded.
        Ok(())
    }
}
