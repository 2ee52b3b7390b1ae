//! How charts become files, for every command that renders: the output options (size, frame
//! rate, formats, folder, look, encoders), checked before any work.

use std::path::PathBuf;
use std::str::FromStr;

use anyhow::bail;
use clap::builder::{PossibleValuesParser, TypedValueParser};

use crate::chart::Pace;
use crate::encode::{Mp4Encoder, OutputKind, VideoSettings};
use crate::render::{MAX_FPS, MAX_SIDE, MIN_SIDE, RenderSettings, Theme};

/// How charts become files: size, frame rate, formats, folder, look and encoders.
#[derive(Debug, clap::Args)]
pub struct OutputArgs {
    /// Quality preset, as in manim: l = 854x480 at 15 fps, m = 1280x720 at 30, h = 1920x1080
    /// at 60, k = 3840x2160 at 60 [default: h; l for `render --watch`].
    #[arg(short, long, value_enum)]
    pub quality: Option<Quality>,
    /// Frame size instead of the preset's: e.g. 1080x1080 (square), 1080x1350 (4:5) or 1080x1920
    /// (vertical). Frames narrower than 4:3 get a layout of their own.
    #[arg(long, value_name = "WxH")]
    pub resolution: Option<Resolution>,
    /// Frames per second instead of the preset's.
    #[arg(long, value_name = "N")]
    pub fps: Option<u32>,
    /// Which files to write: mp4 and gif play the animation; png is its final frame; svg is the
    /// final frame as vector graphics whose text is text (sharp at any size, selectable, for
    /// posts and papers); frames is a folder of numbered PNGs; webm (VP9) and mov (ProRes 4444)
    /// keep an alpha channel and need a build with `--features ffmpeg` [default: mp4,gif,png;
    /// with --transparent: png,frames,gif, and webm,mov in the FFmpeg build; gif,png for
    /// `render --watch`].
    #[arg(
        long,
        value_delimiter = ',',
        value_parser = PossibleValuesParser::new(OutputKind::ALL.map(OutputKind::extension))
            .try_map(|s| OutputKind::from_str(&s))
    )]
    pub format: Option<Vec<OutputKind>>,
    /// No background: the chart alone, with an alpha channel, to lay over footage in an editor.
    /// Text and lines keep the --theme's colours (dark: for dark footage; light: for light).
    /// MP4 (H.264) has no alpha channel and is refused.
    #[arg(long)]
    pub transparent: bool,
    /// Output folder.
    #[arg(long, value_name = "DIR", default_value = "renders")]
    pub out: PathBuf,
    /// Fade everything out at the end.
    #[arg(long)]
    pub fadeout: bool,
    /// How the opening unfolds: blog (title, legend, labels and axes together, the data
    /// within the first second, for a looping GIF) or talk (one step after another). Default:
    /// the scene's `[timing] pace`, else blog.
    #[arg(long, value_name = "PACE", value_parser = Pace::from_str)]
    pub pace: Option<Pace>,
    /// Colours: dark is the classic look; light suits white blog pages.
    #[arg(long, value_enum, default_value = "dark")]
    pub theme: ThemeArg,
    /// H.264 encoder for the MP4: openh264 (built in), x264 or nvenc (builds with `--features ffmpeg`).
    #[arg(long, default_value = "openh264", value_parser = Mp4Encoder::from_str)]
    pub encoder: Mp4Encoder,
    /// Constant frame rate MP4 (for video editors); by default held frames are stored once.
    #[arg(long)]
    pub cfr: bool,
    /// Threads for the whole run, shared by the scenes, their frame drawing and their encoders
    /// (default: one per CPU core).
    #[arg(short, long, value_name = "N")]
    pub jobs: Option<usize>,
    /// Print where the time went: per scene, its threads, rasterizing and each encoder's busy
    /// time; in total, how busy the threads were.
    #[arg(long)]
    pub timings: bool,
    /// No progress bars or summary, only errors.
    #[arg(long)]
    pub quiet: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ThemeArg {
    Dark,
    Light,
}

impl OutputArgs {
    /// The frames asked for, every number checked before any work.
    pub fn settings(&self) -> anyhow::Result<RenderSettings> {
        let quality = self.quality.unwrap_or(Quality::H);
        let (mut width, mut height, mut fps) = quality.size_and_fps();
        // The options as the user typed them, before the frame they make is checked.
        if let Some(r) = self.resolution {
            r.check()?;
            (width, height) = (r.0, r.1);
        }
        if let Some(f) = self.fps {
            if !(1..=MAX_FPS).contains(&f) {
                bail!("--fps {f} is out of range: 1 to {MAX_FPS} frames per second");
            }
            fps = f;
        }
        let theme = match self.theme {
            ThemeArg::Dark => Theme::Dark,
            ThemeArg::Light => Theme::Light,
        };
        let settings = RenderSettings {
            video: VideoSettings { width, height, fps },
            theme,
            fadeout: self.fadeout,
            transparent: self.transparent,
        };
        settings.check()?;
        self.formats()?;
        if let Some(jobs) = self.jobs
            && !(1..=MAX_JOBS).contains(&jobs)
        {
            bail!("-j/--jobs {jobs} is out of range: 1 to {MAX_JOBS}");
        }
        if self.out.is_file() {
            bail!(
                "--out `{}` is a file; it takes the folder the renders go in",
                self.out.display()
            );
        }
        Ok(settings)
    }

    /// A fast preview where the user did not choose: `-q l`, and a GIF and a PNG (no MP4).
    pub fn preview(&mut self) {
        self.quality.get_or_insert(Quality::L);
        self.format
            .get_or_insert_with(|| vec![OutputKind::Gif, OutputKind::Png]);
    }

    /// The files to write for each scene, each once; an error for a kind this build or the
    /// background cannot write.
    pub fn formats(&self) -> anyhow::Result<Vec<OutputKind>> {
        OutputKind::pick(self.format.as_deref(), self.transparent)
    }
}

/// Most scenes rendered at once (`-j`).
const MAX_JOBS: usize = 1024;

/// manim's quality presets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Quality {
    /// 854x480 at 15 fps.
    L,
    /// 1280x720 at 30 fps.
    M,
    /// 1920x1080 at 60 fps.
    H,
    /// 3840x2160 at 60 fps.
    K,
}

impl Quality {
    pub fn size_and_fps(self) -> (u32, u32, u32) {
        match self {
            Quality::L => (854, 480, 15),
            Quality::M => (1280, 720, 30),
            Quality::H => (1920, 1080, 60),
            Quality::K => (3840, 2160, 60),
        }
    }
}

/// `1920x1080`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Resolution(pub u32, pub u32);

impl Resolution {
    /// Each side in range, the error naming the option as typed.
    pub fn check(self) -> anyhow::Result<()> {
        for (side, value) in [("width", self.0), ("height", self.1)] {
            if !(MIN_SIDE..=MAX_SIDE).contains(&value) {
                bail!(
                    "--resolution {}x{}: the {side} {value} is out of range: {MIN_SIDE} to {MAX_SIDE} pixels",
                    self.0,
                    self.1
                );
            }
        }
        Ok(())
    }
}

impl FromStr for Resolution {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let parse = || -> Option<Resolution> {
            let (w, h) = s.split_once(['x', 'X'])?;
            Some(Resolution(w.trim().parse().ok()?, h.trim().parse().ok()?))
        };
        parse().ok_or_else(|| format!("`{s}` is not a size; expected WIDTHxHEIGHT, e.g. 1920x1080"))
    }
}
