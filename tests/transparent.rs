//! `benchanim render --transparent`: the chart alone, with an alpha channel, in every format
//! that keeps one. Each output is decoded again (the PNGs with the png crate; WebM and MOV with
//! the `ffmpeg` command) and its alpha read where the still is background and where it is ink.

mod common;

use std::path::Path;

use benchanim::encode::{OutputKind, frame_name};
use benchanim::manifest::Manifest;
use common::{benchanim, stdout};

/// A PNG as straight RGBA.
fn read_png(path: &Path) -> (u32, u32, Vec<[u8; 4]>) {
    let file = std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut reader = png::Decoder::new(std::io::BufReader::new(file))
        .read_info()
        .unwrap();
    let mut data = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut data).unwrap();
    assert_eq!(info.color_type, png::ColorType::Rgba, "{}", path.display());
    let pixels = data[..info.buffer_size()]
        .chunks(4)
        .map(|p| [p[0], p[1], p[2], p[3]])
        .collect();
    (info.width, info.height, pixels)
}

/// Indices of the still's background pixels (alpha 0) and of its solid ink (alpha 255).
fn background_and_ink(still: &[[u8; 4]]) -> (Vec<usize>, Vec<usize>) {
    let background = (0..still.len()).filter(|&i| still[i][3] == 0).collect();
    let ink = (0..still.len()).filter(|&i| still[i][3] == 255).collect();
    (background, ink)
}

#[test]
fn transparent_render_writes_a_still_a_png_sequence_and_a_gif_with_alpha() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap();
    let summary = stdout(&[
        "render",
        "llm_finetune",
        "-q",
        "l",
        "--transparent",
        "--format",
        "png,frames,gif",
        "--out",
        out,
    ]);
    assert!(summary.contains("llm_finetune.png"), "{summary}");
    assert!(summary.contains("llm_finetune.gif"), "{summary}");

    let (w, h, still) = read_png(&dir.path().join("llm_finetune.png"));
    assert_eq!((w, h), (854, 480));
    let (background, ink) = background_and_ink(&still);
    // Most of a chart is background; its bars and text are solid.
    assert!(background.len() > still.len() / 2, "{}", background.len());
    assert!(ink.len() > 10_000, "{}", ink.len());

    let manifest = Manifest::load(dir.path()).unwrap();
    let scene = &manifest.scenes[0];
    let frames = scene
        .file(OutputKind::Frames)
        .expect("the sequence is listed");
    assert_eq!(frames.name, "llm_finetune");
    assert_eq!(frames.fps, Some(15), "the sequence says its frame rate");
    let folder = dir.path().join("llm_finetune");
    let count = std::fs::read_dir(&folder).unwrap().count() as u64;
    assert_eq!(count, frames.frames);
    let seconds = frames.duration.as_secs_f64();
    // As `render` plays it at the default blog pace (tests/render.rs gives the sum).
    assert!((7.0..8.5).contains(&seconds), "{seconds} s");
    assert_eq!(frames.frames as f64, (seconds * 15.0).round());
    // The first frame is all background; the last is the still.
    let (_, _, first) = read_png(&folder.join(frame_name(1)));
    assert!(first.iter().all(|p| p[3] == 0));
    let (_, _, last) = read_png(&folder.join(frame_name(frames.frames)));
    assert_eq!(last, still);

    let gif = scene.file(OutputKind::Gif).expect("the GIF is listed");
    let mut options = gif::DecodeOptions::new();
    options.set_color_output(gif::ColorOutput::RGBA);
    let mut decoder = options
        .read_info(std::fs::File::open(dir.path().join(&gif.name)).unwrap())
        .unwrap();
    let first = decoder.read_next_frame().unwrap().expect("a first frame");
    assert_eq!((first.width, first.height), (854, 480));
    assert!(first.buffer.chunks(4).all(|p| p[3] == 0), "starts clear");
}

/// The SVG of a transparent render has nothing behind the chart: no background rectangle, nor
/// the background-coloured patches behind labels.
#[test]
fn a_transparent_svg_draws_no_background() {
    let dir = tempfile::tempdir().unwrap();
    let svg = |transparent: bool| -> String {
        let out = dir.path().join(if transparent { "t" } else { "o" });
        let mut args = vec![
            "render",
            "llm_finetune",
            "-q",
            "l",
            "--format",
            "svg",
            "--quiet",
        ];
        args.extend(["--out", out.to_str().unwrap()]);
        if transparent {
            args.push("--transparent");
        }
        stdout(&args);
        std::fs::read_to_string(out.join("llm_finetune.svg")).unwrap()
    };
    let background = "<rect x=\"0\" y=\"0\" width=\"854\" height=\"480\" fill=\"#000000\"/>";
    let (opaque, transparent) = (svg(false), svg(true));
    assert!(opaque.contains(background), "{opaque}");
    assert!(!transparent.contains(background), "{transparent}");
    assert!(!transparent.contains("fill=\"#000000\""), "{transparent}");
    assert!(transparent.contains("LLM Fine-Tuning: Training Time</tspan>"));
}

#[test]
fn mp4_cannot_be_transparent_and_says_what_can() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap();
    let run = benchanim(&[
        "render",
        "llm_finetune",
        "--transparent",
        "--format",
        "mp4,png",
        "--out",
        out,
    ]);
    assert!(!run.status.success());
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(err.contains("--format mp4 cannot be transparent"), "{err}");
    assert!(err.contains("--format frames"), "{err}");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[cfg(not(feature = "ffmpeg"))]
#[test]
fn webm_and_mov_say_they_need_the_ffmpeg_build() {
    for format in ["webm", "mov"] {
        let run = benchanim(&["render", "llm_finetune", "--format", format]);
        assert!(!run.status.success());
        let err = String::from_utf8_lossy(&run.stderr);
        assert!(err.contains("--features ffmpeg"), "{format}: {err}");
    }
}

/// The last frame of `video` as RGBA, decoded by the `ffmpeg` command (VP9 through libvpx, which
/// reads the alpha that FFmpeg's own VP9 decoder skips).
#[cfg(feature = "ffmpeg")]
fn last_frame(video: &Path, decoder: &[&str]) -> Vec<[u8; 4]> {
    let run = std::process::Command::new("ffmpeg")
        .args(["-v", "error", "-sseof", "-0.2"])
        .args(decoder)
        .arg("-i")
        .arg(video)
        .args(["-update", "1", "-pix_fmt", "rgba", "-f", "rawvideo", "-"])
        .output()
        .expect("the ffmpeg command");
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let frame = 854 * 480 * 4;
    let bytes = &run.stdout[run.stdout.len() - frame..];
    bytes.chunks(4).map(|p| [p[0], p[1], p[2], p[3]]).collect()
}

#[cfg(feature = "ffmpeg")]
#[test]
fn webm_and_mov_keep_the_alpha_channel() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap();
    stdout(&[
        "render",
        "llm_finetune",
        "-q",
        "l",
        "--transparent",
        "--format",
        "png,webm,mov",
        "--out",
        out,
    ]);
    let (_, _, still) = read_png(&dir.path().join("llm_finetune.png"));
    let (background, ink) = background_and_ink(&still);
    for (name, decoder) in [
        ("llm_finetune.webm", &["-c:v", "libvpx-vp9"][..]),
        ("llm_finetune.mov", &[][..]),
    ] {
        let decoded = last_frame(&dir.path().join(name), decoder);
        let clear = background.iter().filter(|&&i| decoded[i][3] <= 8).count();
        let solid = ink.iter().filter(|&&i| decoded[i][3] >= 247).count();
        // Lossy codecs blur an edge or two; the rest is exact.
        assert!(
            clear * 100 >= background.len() * 99,
            "{name}: {clear} of {}",
            background.len()
        );
        assert!(
            solid * 100 >= ink.len() * 97,
            "{name}: {solid} of {}",
            ink.len()
        );
    }
    let manifest = Manifest::load(dir.path()).unwrap();
    let mov = manifest.scenes[0].file(OutputKind::Mov).expect("listed");
    assert_eq!(
        mov.frames as f64,
        (mov.duration.as_secs_f64() * 15.0).round()
    );
}
