use super::rules::{contrast, geometry};
use super::*;
use crate::chart::{PointLabels, Rgb, contrast as ratio};
use crate::layout::{Element, ElementId, Layout, Rect, Shape, TextRole, TextSpec, Weight};
use crate::render::test_charts;

fn text(id: ElementId, size: f32, role: TextRole, tint: Option<Rgb>) -> Element {
    Element {
        id,
        rect: Rect::new(10.0, 10.0, 100.0, size * 1.2),
        shape: Shape::Text(TextSpec {
            text: "1,234".into(),
            size,
            weight: Weight::Regular,
            role,
            tint,
        }),
    }
}

/// A 1920×1080 layout of `elements` (scaled by `unit`) with a plot of `plot_share` of its height.
fn layout_of(unit: f32, plot_share: f32, elements: Vec<Element>) -> Layout {
    let (width, height) = ((1920.0 * unit) as u32, (1080.0 * unit) as u32);
    Layout {
        width,
        height,
        unit,
        outline: 1.0,
        plot: Rect::new(0.0, 0.0, width as f32, height as f32 * plot_share),
        elements,
        notes: Vec::new(),
    }
}

fn kinds(problems: &[Problem]) -> Vec<Kind> {
    problems.iter().map(|p| p.kind).collect()
}

#[test]
fn large_text_is_36_reference_px_or_28_bold() {
    // WCAG's 24 px and 18.67 px bold on a chart seen at 1280×720.
    assert!(is_large_text(36.0, Weight::Regular, 1.0));
    assert!(!is_large_text(35.9, Weight::Regular, 1.0));
    assert!(is_large_text(28.0, Weight::Bold, 1.0));
    assert!(!is_large_text(27.9, Weight::Bold, 1.0));
    assert!(!is_large_text(28.0, Weight::Regular, 1.0));
    // Reference pixels: half the pixels on a frame of half the scale.
    assert!(is_large_text(18.0, Weight::Regular, 0.5));
    assert!(!is_large_text(36.0, Weight::Regular, 2.0));
    assert_eq!(min_contrast(true), 3.0);
    assert_eq!(min_contrast(false), 4.5);
    // #767676 is the lightest grey that passes AA on white.
    let white = Rgb(255, 255, 255);
    assert!(ratio(Rgb(0x76, 0x76, 0x76), white) >= MIN_CONTRAST);
    assert!(ratio(Rgb(0x77, 0x77, 0x77), white) < MIN_CONTRAST);
}

#[test]
fn every_theme_colour_of_text_reads_on_its_background() {
    use TextRole::*;
    for theme in Theme::ALL {
        for role in [
            Title, Subtitle, Metadata, Legend, RowLabel, PanelTitle, Value, Missing, TickLabel,
            AxisTitle, PointLabel, Annotation, Footer,
        ] {
            let have = ratio(theme.text(role), theme.background());
            assert!(have >= MIN_CONTRAST, "{theme} {role:?}: {have:.2}");
        }
    }
}

#[test]
fn contrast_is_measured_against_what_text_is_drawn_on() {
    let yellow = Rgb(255, 221, 0);
    let label = text(
        ElementId::PointLabel { series: 0, i: 0 },
        27.0,
        TextRole::PointLabel,
        Some(yellow),
    );
    let layout = layout_of(1.0, 0.7, vec![label]);
    // A yellow series' label, darkened for white, is still too light for it; on black it reads.
    let light = contrast(&layout, Theme::Light);
    assert_eq!(kinds(&light), [Kind::LowContrast], "{light:?}");
    assert!(light[0].message.contains("1 point label"), "{light:?}");
    assert!(contrast(&layout, Theme::Dark).is_empty());

    // White inside a yellow bar fails in either theme; inside a deep blue one it reads.
    let (row, bar) = (0, 0);
    for (fill, fails) in [(yellow, true), (Rgb(20, 40, 140), false)] {
        let bar_element = Element {
            id: ElementId::Bar { row, bar },
            rect: Rect::new(0.0, 0.0, 300.0, 60.0),
            shape: Shape::Bar { color: fill },
        };
        let inside = text(
            ElementId::Value { row, bar },
            28.0,
            TextRole::ValueInside,
            None,
        );
        let layout = layout_of(1.0, 0.7, vec![bar_element, inside]);
        for theme in Theme::ALL {
            assert_eq!(
                !contrast(&layout, theme).is_empty(),
                fails,
                "{fill:?} {theme}"
            );
        }
    }
}

#[test]
fn text_under_18_reference_px_is_too_small() {
    let at = |size: f32, unit: f32| {
        let label = text(ElementId::RowLabel(0), size, TextRole::RowLabel, None);
        let chart = test_charts::single_bar();
        kinds(&geometry(&layout_of(unit, 0.7, vec![label]), &chart))
    };
    assert_eq!(at(18.0, 1.0), []);
    assert_eq!(at(17.9, 1.0), [Kind::SmallText]);
    // At half the scale (960×540), 9 px is as large.
    assert_eq!(at(9.0, 0.5), []);
    assert_eq!(at(8.9, 0.5), [Kind::SmallText]);
    assert_eq!(at(35.9, 2.0), [Kind::SmallText]);
}

#[test]
fn a_plot_under_40_percent_of_the_frame_is_too_small() {
    let chart = test_charts::single_bar();
    assert_eq!(kinds(&geometry(&layout_of(1.0, 0.4, vec![]), &chart)), []);
    let crushed = geometry(&layout_of(1.0, 0.3, vec![]), &chart);
    assert_eq!(kinds(&crushed), [Kind::SmallPlot]);
    assert!(crushed[0].message.contains("30%"), "{crushed:?}");
}

#[test]
fn labels_asked_for_and_left_out() {
    let mut chart = test_charts::sweep();
    let plot = chart.lines().unwrap();
    let (points, callouts) = (
        plot.series.iter().map(|s| s.points.len()).sum::<usize>(),
        plot.annotations.len(),
    );
    let series = plot.series.len();
    let layout = crate::render::layout(&chart, 1920, 1080);
    let (asked, missing) = layout.left_out(&chart);
    assert_eq!(asked.len(), series + callouts);
    assert!(missing.is_empty(), "{missing:?}");

    if let crate::chart::Body::Lines(plot) = &mut chart.body {
        plot.point_labels = PointLabels::All;
    }
    let (asked, missing) = crate::render::layout(&chart, 1920, 1080).left_out(&chart);
    assert_eq!(asked.len(), points + callouts);
    assert!(missing.iter().all(|id| asked.contains(id)));
    // Bars place every label they have.
    let bars = test_charts::vllm_input();
    let (asked, _) = crate::render::layout(&bars, 854, 480).left_out(&bars);
    assert!(asked.is_empty());
}

#[test]
fn the_shipped_charts_name_every_element_by_a_role() {
    let charts = [
        test_charts::compare(),
        test_charts::sweep(),
        test_charts::tradeoff(),
        test_charts::panels(),
        test_charts::with_whiskers(test_charts::vllm_input()),
    ];
    let named: Vec<(String, Chart)> = charts
        .into_iter()
        .enumerate()
        .map(|(i, c)| (format!("chart{i}"), c))
        .collect();
    let report = check(&named, &[(1920, 1080)], &[Theme::Dark], Listing::Elements);
    let roles: std::collections::BTreeSet<&str> = report
        .charts
        .iter()
        .flat_map(|c| c.elements.iter().map(|e| e.role))
        .collect();
    for role in [
        "title",
        "subtitle",
        "legend",
        "row_label",
        "value_label",
        "tick_label",
        "axis_title",
        "callout",
        "point_label",
        "pill",
        "pill_label",
        "panel_title",
        "bar",
        "line",
        "point",
        "marker",
        "ring",
        "whisker",
        "frontier",
    ] {
        assert!(roles.contains(role), "no {role} in {roles:?}");
    }
}

#[test]
fn overlaps_elements_outside_and_cut_text_are_named_in_messages() {
    let chart = test_charts::single_bar();
    let label = |row: usize, text: &str, x: f32| Element {
        id: ElementId::RowLabel(row),
        rect: Rect::new(x, 100.0, 200.0, 40.0),
        shape: Shape::Text(TextSpec {
            text: text.into(),
            size: 34.0,
            weight: Weight::Regular,
            role: TextRole::RowLabel,
            tint: None,
        }),
    };
    let bar = Element {
        id: ElementId::Bar { row: 0, bar: 1 },
        rect: Rect::new(150.0, 110.0, 300.0, 20.0),
        shape: Shape::Bar {
            color: Rgb(31, 119, 180),
        },
    };
    let row = chart.bars().unwrap().rows[0].label.clone();
    let layout = layout_of(
        1.0,
        0.7,
        vec![
            label(0, &row, 0.0),
            bar,
            label(1, "NVIDIA GeForce…", 1800.0),
        ],
    );
    let problems = geometry(&layout, &chart);
    let messages: Vec<String> = problems
        .iter()
        .map(|p| format!("{}: {}", p.kind.name(), p.message))
        .collect();
    assert_eq!(
        messages,
        [
            format!("overlap: row label \"{row}\" overlaps bar (row 1, bar 2)"),
            "outside_frame: row label \"NVIDIA GeForce…\" reaches outside the frame: box 1800,100 to 2000,140"
                .to_string(),
            "truncated: 1 row label cut short to fit, e.g. \"NVIDIA GeForce…\"".to_string(),
        ]
    );
}

#[test]
fn a_line_cut_short_anywhere_in_wrapped_text_is_truncated() {
    let mut chart = test_charts::single_bar();
    chart.footer = vec!["Measured… then measured again".into()];
    let footer = |text: &str| Element {
        id: ElementId::Footer(0),
        rect: Rect::new(10.0, 900.0, 600.0, 70.0),
        shape: Shape::Text(TextSpec {
            text: text.into(),
            size: 27.0,
            weight: Weight::Regular,
            role: TextRole::Footer,
            tint: None,
        }),
    };
    let found = |text: &str| kinds(&geometry(&layout_of(1.0, 0.7, vec![footer(text)]), &chart));
    // The chart's own `…`, wrapped, is no cut.
    assert_eq!(found("Measured…\nthen measured again"), []);
    assert_eq!(found("Measured… then…\nmeasured again"), [Kind::Truncated]);
    assert_eq!(found("Measured… then measured ag…"), [Kind::Truncated]);
}
