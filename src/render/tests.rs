use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::*;
use crate::chart::Rgb;
use crate::encode::{Frame, OutputKind, VideoSettings};
use crate::layout::{ElementId, Rect};

fn settings(width: u32, height: u32, fps: u32) -> RenderSettings {
    RenderSettings {
        video: VideoSettings { width, height, fps },
        theme: Theme::Dark,
        fadeout: false,
        transparent: false,
    }
}

fn pixel(p: &Pixmap, x: f32, y: f32) -> Rgb {
    let c = p.pixel(x as u32, y as u32).expect("inside the frame");
    Rgb(c.red(), c.green(), c.blue())
}

fn center(r: &Rect) -> (f32, f32) {
    (r.x + r.w / 2.0, r.center_y())
}

/// Pixels in `r` that differ from the background.
fn ink(p: &Pixmap, r: &Rect, background: Rgb) -> usize {
    let mut n = 0;
    for y in r.y as u32..r.bottom() as u32 {
        for x in r.x as u32..r.right() as u32 {
            if pixel(p, x as f32, y as f32) != background {
                n += 1;
            }
        }
    }
    n
}

#[test]
fn final_frame_shows_bars_in_their_colours_on_the_background() {
    let chart = test_charts::vllm_input();
    let s = settings(1280, 720, 30);
    let frame = final_frame(&chart, &s).expect("frame");
    let layout = layout(&chart, 1280, 720);
    let rect = |id| layout.element(id).expect("element").rect;
    let (x, y) = center(&rect(ElementId::Bar { row: 0, bar: 0 }));
    assert_eq!(pixel(&frame, x, y), test_charts::ORANGE);
    let (x, y) = center(&rect(ElementId::Bar { row: 8, bar: 1 }));
    assert_eq!(pixel(&frame, x, y), test_charts::BLUE);
    assert_eq!(pixel(&frame, 2.0, 2.0), Rgb(0, 0, 0));
    // No bar where the value is missing: only background between the origin and `NA`.
    let na = rect(ElementId::Value { row: 1, bar: 0 });
    assert_eq!(pixel(&frame, na.x - 2.0, na.center_y()), Rgb(0, 0, 0));
    // Text is drawn: the title and a value label have ink, bright for the title.
    let title = rect(ElementId::Title);
    assert!(ink(&frame, &title, Rgb(0, 0, 0)) > 2000);
    let bright = (title.y as u32..title.bottom() as u32)
        .flat_map(|y| (title.x as u32..title.right() as u32).map(move |x| (x, y)))
        .any(|(x, y)| pixel(&frame, x as f32, y as f32) == Rgb(255, 255, 255));
    assert!(bright);
    assert!(
        ink(
            &frame,
            &rect(ElementId::Value { row: 0, bar: 0 }),
            Rgb(0, 0, 0)
        ) > 50
    );
}

/// A transparent frame is the chart alone: laid over the theme's background it gives the
/// opaque frame back, text edges, label patches and marker halos included, so it composites
/// over any footage as the opaque frame shows on its background.
#[test]
fn transparent_frame_over_the_background_is_the_opaque_frame() {
    for (chart, theme) in [
        (test_charts::vllm_input(), Theme::Dark),
        (test_charts::sweep(), Theme::Light),
        (test_charts::tradeoff(), Theme::Dark),
    ] {
        let opaque = RenderSettings {
            theme,
            ..settings(640, 360, 30)
        };
        let transparent = RenderSettings {
            transparent: true,
            ..opaque.clone()
        };
        let t = chart.durations.values * 0.6;
        for (solid, clear) in [
            (
                final_frame(&chart, &opaque),
                final_frame(&chart, &transparent),
            ),
            (
                frame_at(&chart, &opaque, t),
                frame_at(&chart, &transparent, t),
            ),
        ] {
            let (solid, clear) = (solid.expect("frame"), clear.expect("frame"));
            let bg = theme.background();
            let mut worst = 0;
            for (s, c) in solid.pixels().iter().zip(clear.pixels()) {
                // Premultiplied: the colour over the background is c + bg × (1 − alpha).
                let under = |b: u8| (u16::from(b) * (255 - u16::from(c.alpha())) + 127) / 255;
                let over = [
                    u16::from(c.red()) + under(bg.0),
                    u16::from(c.green()) + under(bg.1),
                    u16::from(c.blue()) + under(bg.2),
                ];
                for (o, want) in over.iter().zip([s.red(), s.green(), s.blue()]) {
                    worst = worst.max(o.abs_diff(u16::from(want)));
                }
            }
            assert!(
                worst <= 2,
                "{theme} chart differs by {worst} over its background"
            );
            let alphas: Vec<u8> = clear.pixels().iter().map(|p| p.alpha()).collect();
            assert_eq!(alphas[0], 0, "the corner is background");
            assert!(
                alphas.iter().any(|&a| a > 0 && a < 255),
                "antialiased edges"
            );
        }
    }
    // Bars are opaque in their colours; the background has nothing at all.
    let chart = test_charts::vllm_input();
    let transparent = RenderSettings {
        transparent: true,
        ..settings(1280, 720, 30)
    };
    let frame = final_frame(&chart, &transparent).expect("frame");
    let layout = layout(&chart, 1280, 720);
    let bar = layout
        .element(ElementId::Bar { row: 0, bar: 0 })
        .expect("bar")
        .rect;
    let (x, y) = center(&bar);
    let p = frame.pixel(x as u32, y as u32).expect("inside");
    assert_eq!(
        (Rgb(p.red(), p.green(), p.blue()), p.alpha()),
        (test_charts::ORANGE, 255)
    );
    let corner = frame.pixel(2, 2).expect("inside");
    assert_eq!(
        (corner.red(), corner.green(), corner.blue(), corner.alpha()),
        (0, 0, 0, 0)
    );
}

#[test]
fn light_theme_has_a_white_background_and_dark_text() {
    let chart = test_charts::finetune();
    let mut s = settings(854, 480, 15);
    s.theme = Theme::Light;
    let frame = final_frame(&chart, &s).expect("frame");
    assert_eq!(pixel(&frame, 1.0, 1.0), Rgb(255, 255, 255));
    let layout = layout(&chart, 854, 480);
    let title = layout.element(ElementId::Title).expect("title").rect;
    let darkest = (title.y as u32..title.bottom() as u32)
        .flat_map(|y| (title.x as u32..title.right() as u32).map(move |x| (x, y)))
        .map(|(x, y)| pixel(&frame, x as f32, y as f32).0)
        .min();
    assert!(darkest < Some(40), "{darkest:?}");
}

#[test]
fn first_frame_is_blank_and_bars_are_absent_before_they_grow() {
    let chart = test_charts::vllm_input();
    let s = settings(854, 480, 15);
    let first = frame_at(&chart, &s, 0.0).expect("frame");
    assert!(
        first
            .pixels()
            .iter()
            .all(|p| p.red() == 0 && p.green() == 0 && p.blue() == 0)
    );
    // Labels are in, bars have not started: no bar colour anywhere.
    let layout = layout(&chart, 854, 480);
    let timeline = crate::timeline::Timeline::new(&chart, &chart.durations, false);
    let labels_done = (0..1000)
        .map(|i| i as f64 / 100.0)
        .find(|&t| timeline.state(ElementId::RowLabel(8), t).opacity == 1.0)
        .expect("labels finish");
    let frame = frame_at(&chart, &s, labels_done).expect("frame");
    let bar = layout
        .element(ElementId::Bar { row: 0, bar: 0 })
        .expect("bar")
        .rect;
    assert_eq!(ink(&frame, &bar, Rgb(0, 0, 0)), 0);
}

#[test]
fn bad_settings_are_refused_with_a_reason() {
    let chart = test_charts::single_bar();
    let err = final_frame(&chart, &settings(10, 480, 30)).expect_err("too narrow");
    assert!(err.to_string().contains("width 10"), "{err}");
    let err = final_frame(&chart, &settings(640, 360, 0)).expect_err("no frame rate");
    assert!(err.to_string().contains("frame rate 0"), "{err}");
}

/// A sink that keeps a digest of what it was given.
#[derive(Default)]
struct Received {
    repeats: Vec<u32>,
    /// Size of each frame received.
    sizes: Vec<(u32, u32, usize)>,
    last: Vec<u8>,
    finished: bool,
}

struct Collect(Arc<Mutex<Received>>);

impl Sink for Collect {
    fn push(&mut self, frame: Frame<'_>, repeat: u32) -> anyhow::Result<()> {
        let mut r = self.0.lock().expect("lock");
        r.repeats.push(repeat);
        r.sizes.push((frame.width, frame.height, frame.rgba.len()));
        r.last = frame.rgba.to_vec();
        Ok(())
    }

    fn finish(self: Box<Self>) -> anyhow::Result<Written> {
        let mut r = self.0.lock().expect("lock");
        r.finished = true;
        Ok(Written {
            name: "collected".into(),
            kind: OutputKind::Png,
            bytes: r.last.len() as u64,
            width: 0,
            height: 0,
            duration: Duration::ZERO,
            frames: r.repeats.iter().map(|&n| n as u64).sum(),
            fps: None,
        })
    }
}

struct Failing;

impl Sink for Failing {
    fn push(&mut self, _: Frame<'_>, _: u32) -> anyhow::Result<()> {
        anyhow::bail!("disk full")
    }

    fn finish(self: Box<Self>) -> anyhow::Result<Written> {
        anyhow::bail!("finished a failed sink")
    }
}

#[test]
fn pipeline_streams_every_frame_in_order_with_repeats() {
    let chart = test_charts::vllm_input();
    let s = settings(320, 180, 30);
    let received = Arc::new(Mutex::new(Received::default()));
    let mut calls = Vec::new();
    let rendered = prepare(&chart, &s)
        .expect("prepare")
        .play(
            vec![Box::new(Collect(received.clone())), Box::new(Failing)],
            2,
            &mut |done, total| calls.push((done, total)),
        )
        .expect("render");
    let stats = &rendered.timings;
    let expected = (crate::timeline::Timeline::new(&chart, &chart.durations, false).duration()
        * 30.0)
        .round() as u64;
    assert_eq!(stats.frames, expected);
    assert!(stats.unique_frames < stats.frames * 3 / 4, "{stats:?}");

    let r = received.lock().expect("lock");
    assert!(r.finished);
    assert_eq!(r.repeats.len() as u64, stats.unique_frames);
    assert_eq!(
        r.repeats.iter().map(|&n| n as u64).sum::<u64>(),
        stats.frames
    );
    assert!(r.sizes.iter().all(|&s| s == (320, 180, 320 * 180 * 4)));
    // The hold is one frame repeated for three seconds.
    assert!(*r.repeats.last().expect("frames") >= 90);
    // The last frame is the finished chart.
    let still = final_frame(&chart, &s).expect("frame");
    let worst = r
        .last
        .iter()
        .zip(still.data())
        .map(|(a, b)| a.abs_diff(*b))
        .max();
    assert!(worst <= Some(2), "{worst:?}");
    // Progress counts up to the total.
    assert_eq!(calls.last(), Some(&(stats.frames, stats.frames)));
    assert!(calls.windows(2).all(|w| w[0].0 <= w[1].0));

    assert!(rendered.outputs[0].is_ok());
    let failed = rendered.outputs[1].as_ref().expect_err("failing sink");
    assert!(failed.to_string().contains("disk full"), "{failed}");
}

/// Rebuilds each frame from the one before by copying only the regions said to have changed,
/// and counts the frames where that gives a different picture, and those it was told of.
#[derive(Default)]
struct Rebuilt {
    picture: Vec<u8>,
    wrong: usize,
    partial: usize,
    frames: usize,
}

struct Rebuild(Arc<Mutex<Rebuilt>>);

impl Sink for Rebuild {
    fn push(&mut self, frame: Frame<'_>, _: u32) -> anyhow::Result<()> {
        let mut r = self.0.lock().expect("lock");
        r.frames += 1;
        match frame.changed {
            None => r.picture = frame.rgba.to_vec(),
            Some(regions) => {
                r.partial += 1;
                let stride = frame.width as usize * 4;
                for g in regions {
                    for y in g.y as usize..g.bottom() as usize {
                        let span =
                            y * stride + g.x as usize * 4..y * stride + g.right() as usize * 4;
                        r.picture[span.clone()].copy_from_slice(&frame.rgba[span]);
                    }
                }
            }
        }
        if r.picture != frame.rgba {
            r.wrong += 1;
        }
        Ok(())
    }

    fn finish(self: Box<Self>) -> anyhow::Result<Written> {
        anyhow::bail!("nothing to write")
    }
}

#[test]
fn frames_differ_from_the_one_before_only_where_said() {
    let chart = test_charts::vllm_input();
    let prepared = prepare(&chart, &settings(320, 180, 30)).expect("prepare");
    for workers in [1, 3] {
        let rebuilt = Arc::new(Mutex::new(Rebuilt::default()));
        prepared
            .play(
                vec![Box::new(Rebuild(rebuilt.clone()))],
                workers,
                &mut |_, _| {},
            )
            .expect("render");
        let r = rebuilt.lock().expect("lock");
        assert_eq!(r.wrong, 0, "{workers} workers");
        assert_eq!(r.frames as u64, prepared.unique_frames());
        // Most frames change only in places, and the sinks are told where.
        assert!(
            r.partial * 4 > r.frames * 3,
            "{} of {}",
            r.partial,
            r.frames
        );
    }
}

#[test]
fn fadeout_ends_on_a_dark_frame() {
    let chart = test_charts::single_bar();
    let mut s = settings(320, 180, 15);
    s.fadeout = true;
    let received = Arc::new(Mutex::new(Received::default()));
    prepare(&chart, &s)
        .expect("prepare")
        .play(vec![Box::new(Collect(received.clone()))], 2, &mut |_, _| {})
        .expect("render");
    let r = received.lock().expect("lock");
    let brightest = r
        .last
        .chunks_exact(4)
        .map(|p| p[0].max(p[1]).max(p[2]))
        .max();
    assert!(brightest < Some(40), "{brightest:?}");
}

/// Writes frames of sample charts as PNGs, to look at: into `$BENCHANIM_PREVIEW_DIR` when set.
#[test]
fn preview_frames_encode_as_png() {
    let dir = std::env::var_os("BENCHANIM_PREVIEW_DIR").map(std::path::PathBuf::from);
    let temp = tempfile::tempdir().expect("temp dir");
    let dir = dir.unwrap_or_else(|| temp.path().to_path_buf());
    let mut sizes = vec![(854, 480)];
    if std::env::var_os("BENCHANIM_PREVIEW_DIR").is_some() {
        sizes.extend([(1920, 1080), (640, 640)]);
    }
    let charts = [
        ("vllm_input", test_charts::vllm_input()),
        ("finetune", test_charts::finetune()),
        ("many_rows", test_charts::many_rows(30)),
        ("long_labels", test_charts::long_labels()),
    ];
    for (name, chart) in &charts {
        for &(w, h) in &sizes {
            for theme in Theme::ALL {
                let s = RenderSettings {
                    theme,
                    ..settings(w, h, 30)
                };
                let timeline = crate::timeline::Timeline::new(chart, &chart.durations, false);
                let growing = timeline.complete() - chart.durations.values - 1.4;
                for (moment, t) in [("final", timeline.complete()), ("growing", growing)] {
                    let frame = frame_at(chart, &s, t).expect("frame");
                    let path = dir.join(format!("{name}_{w}x{h}_{theme}_{moment}.png"));
                    frame.save_png(&path).expect("png written");
                    let back = Pixmap::load_png(&path).expect("png decodes");
                    assert_eq!((back.width(), back.height()), (w, h));
                }
            }
        }
    }
}

#[test]
fn the_svg_holds_every_element_of_the_final_frame_and_its_text_escaped() {
    let mut chart = test_charts::vllm_input();
    chart.title = "<b>A & \"B\"</b>\u{1b}".into();
    let settings = RenderSettings {
        theme: Theme::Light,
        // The still is the finished chart, before any fade-out.
        fadeout: true,
        ..settings(640, 360, 15)
    };
    let prepared = prepare(&chart, &settings).unwrap();
    let svg = prepared.final_svg();
    let tree = resvg::usvg::Tree::from_str(&svg, &Default::default()).expect("parses");
    assert_eq!((tree.size().width(), tree.size().height()), (640.0, 360.0));
    let title = "&lt;b&gt;A &amp; &quot;B&quot;&lt;/b&gt;\u{fffd}";
    assert!(svg.contains(&format!("<title>{title}</title>")), "{svg}");
    assert!(svg.contains(&format!(">{title}</tspan>")), "{svg}");
    // One group per element, each named once.
    let groups: Vec<&str> = svg.split("<g id=\"").skip(1).collect();
    assert_eq!(groups.len(), prepared.stage.layout.elements.len());
    let mut names: Vec<&str> = groups.iter().map(|g| &g[..g.find('"').unwrap()]).collect();
    names.sort();
    names.dedup();
    assert_eq!(names.len(), groups.len());
    assert!(svg.contains(r##"<rect x="0" y="0" width="640" height="360" fill="#ffffff"/>"##));
}
