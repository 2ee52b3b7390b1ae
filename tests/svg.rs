//! `render --format svg`: the SVG still of every shipped scene, rasterised by resvg with the
//! fonts in `fonts/`, shows what its PNG shows, element for element; its text is text that
//! `grep` finds; and the comparison is tight enough to see one bar dropped or one label moved.

mod common;

use std::path::Path;

use benchanim::encode::OutputKind;
use benchanim::manifest::Manifest;
use common::stdout;
use resvg::{tiny_skia, usvg};

/// Most a block's average colour may differ between the SVG and the PNG, per channel (0–255).
/// Glyphs differ by hinting and by where their edges fall within a pixel: up to 15 levels in
/// the shipped scenes, at the edges of the bold title. A dropped bar changes a block by 220, a
/// row label moved 6 pixels by 31.
const MAX_BLOCK_DIFFERENCE: f64 = 20.0;
/// Side of those blocks, in pixels: large enough to average out where a glyph's edges fall.
const BLOCK: usize = 16;
/// Most the two may differ per pixel and channel, on average over the frame (up to 3.5 in the
/// shipped scenes and examples, all of it at the edges of glyphs).
const MAX_MEAN_DIFFERENCE: f64 = 4.0;

/// Renders the scenes in `scenes` (charting `results`, when given) as PNG and SVG at 854x480
/// into `out`; returns the manifest written there.
fn render_stills(out: &Path, scenes: &str, results: Option<&str>) -> Manifest {
    let out_arg = out.to_str().unwrap();
    let mut args = vec!["render", "--all", "-q", "l", "--format", "png,svg"];
    args.extend(["--scenes", scenes, "--out", out_arg, "--quiet"]);
    if let Some(results) = results {
        args.extend(["--results", results]);
    }
    stdout(&args);
    Manifest::load(out).unwrap()
}

/// The SVG rasterised with the same fonts the frames are drawn with, as RGBA.
fn rasterise(svg: &str) -> tiny_skia::Pixmap {
    let mut options = usvg::Options::default();
    let fonts = Path::new(env!("CARGO_MANIFEST_DIR")).join("fonts");
    for weight in ["Regular", "Bold"] {
        let data = std::fs::read(fonts.join(format!("Inter-{weight}.otf"))).unwrap();
        options.fontdb_mut().load_font_data(data);
    }
    let tree = usvg::Tree::from_str(svg, &options).expect("the SVG parses");
    let size = tree.size().to_int_size();
    let mut pixmap = tiny_skia::Pixmap::new(size.width(), size.height()).unwrap();
    resvg::render(&tree, tiny_skia::Transform::default(), &mut pixmap.as_mut());
    pixmap
}

/// A PNG as RGB.
fn read_png(path: &Path) -> (u32, u32, Vec<u8>) {
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(path).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut rgb = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut rgb).unwrap();
    assert_eq!(info.color_type, png::ColorType::Rgb);
    rgb.truncate(info.buffer_size());
    (info.width, info.height, rgb)
}

/// How far apart two pictures are: the worst difference of a block's average colour, and the
/// mean difference per pixel and channel.
#[derive(Debug)]
struct Difference {
    worst_block: f64,
    mean: f64,
}

impl Difference {
    fn within_tolerance(&self) -> bool {
        self.worst_block <= MAX_BLOCK_DIFFERENCE && self.mean <= MAX_MEAN_DIFFERENCE
    }
}

/// The SVG `svg` against the PNG at `png`, both of an opaque frame.
fn compare(svg: &str, png: &Path) -> Difference {
    let (w, h, rgb) = read_png(png);
    let raster = rasterise(svg);
    assert_eq!(
        (raster.width(), raster.height()),
        (w, h),
        "{}",
        png.display()
    );
    let (w, h) = (w as usize, h as usize);
    // The frame is opaque, so premultiplied RGBA is RGB.
    let svg_rgb: Vec<u8> = raster
        .data()
        .chunks_exact(4)
        .flat_map(|p| [p[0], p[1], p[2]])
        .collect();
    let total: u64 = rgb
        .iter()
        .zip(&svg_rgb)
        .map(|(a, b)| u64::from(a.abs_diff(*b)))
        .sum();
    let mut worst_block: f64 = 0.0;
    for by in (0..h).step_by(BLOCK) {
        for bx in (0..w).step_by(BLOCK) {
            for channel in 0..3 {
                let (mut sum, mut n) = (0i64, 0i64);
                for y in by..(by + BLOCK).min(h) {
                    for x in bx..(bx + BLOCK).min(w) {
                        let i = (y * w + x) * 3 + channel;
                        sum += i64::from(rgb[i]) - i64::from(svg_rgb[i]);
                        n += 1;
                    }
                }
                worst_block = worst_block.max((sum as f64 / n as f64).abs());
            }
        }
    }
    Difference {
        worst_block,
        mean: total as f64 / rgb.len() as f64,
    }
}

/// Every scene shipped in `scenes/`, and the example scenes that draw lines, points, callouts,
/// panels and whiskers: each SVG rasterises to its PNG within tolerance, and holds its title as
/// text.
#[test]
fn every_svg_rasterises_to_its_png() {
    let sets = [
        ("scenes", None),
        (
            "examples/cpu-sweep/scenes",
            Some("examples/cpu-sweep/benchmark_results"),
        ),
        (
            "tests/fixtures/repeats-scenes",
            Some("tests/fixtures/repeats"),
        ),
    ];
    let mut failures = Vec::new();
    let mut checked = 0;
    for (scenes, results) in sets {
        let dir = tempfile::tempdir().unwrap();
        let manifest = render_stills(dir.path(), scenes, results);
        assert!(!manifest.scenes.is_empty(), "{scenes}");
        for scene in &manifest.scenes {
            let (Some(png), Some(svg)) = (scene.file(OutputKind::Png), scene.file(OutputKind::Svg))
            else {
                panic!("{} lacks its PNG or SVG: {:?}", scene.name, scene.files);
            };
            assert_eq!((svg.width, svg.height), (854, 480));
            let text = std::fs::read_to_string(dir.path().join(&svg.name)).unwrap();
            // What `grep` finds: the title, as typed in the scene.
            assert!(
                text.contains(&format!(">{}</tspan>", scene.title)),
                "{}: no title text",
                scene.name
            );
            let difference = compare(&text, &dir.path().join(&png.name));
            println!("{}: {difference:?}", scene.name);
            if !difference.within_tolerance() {
                failures.push((scene.name.clone(), difference));
            }
            checked += 1;
        }
    }
    assert!(checked >= 20, "only {checked} scenes");
    assert!(failures.is_empty(), "beyond tolerance: {failures:#?}");
}

/// The tolerance sees one element missing or out of place: the SVG without one bar, or with
/// one value label moved a few pixels, no longer passes for the PNG.
#[test]
fn a_dropped_bar_or_a_moved_label_is_beyond_tolerance() {
    let dir = tempfile::tempdir().unwrap();
    render_stills(dir.path(), "scenes", None);
    let svg = std::fs::read_to_string(dir.path().join("llm_finetune.svg")).unwrap();
    let png = dir.path().join("llm_finetune.png");
    assert!(compare(&svg, &png).within_tolerance());

    let bar = r#"<g id="bar-row-0-bar-0">"#;
    let start = svg.find(bar).expect("the first bar");
    let end = start + svg[start..].find("</g>\n").unwrap() + "</g>\n".len();
    let dropped = format!("{}{}", &svg[..start], &svg[end..]);
    let difference = compare(&dropped, &png);
    println!("dropped: {difference:?}");
    assert!(!difference.within_tolerance(), "{difference:?}");

    let label = r#"<g id="row-label-0">"#;
    assert!(svg.contains(label));
    let moved = svg.replace(label, r#"<g id="row-label-0" transform="translate(0 6)">"#);
    let difference = compare(&moved, &png);
    println!("moved: {difference:?}");
    assert!(!difference.within_tolerance(), "{difference:?}");
}
