use super::*;
use crate::chart::Chart;
use crate::render::test_charts;
use crate::render::text::Typesetter;

/// The quality presets, the shapes people post (square, 4:5, 9:16), plus odd sizes.
const SIZES: [(u32, u32); 11] = [
    (854, 480),
    (1280, 720),
    (1920, 1080),
    (3840, 2160),
    (640, 360),
    (1000, 1000),
    (2560, 1080),
    (1080, 1080),
    (1080, 1350),
    (1080, 1920),
    (360, 640),
];

fn assert_clean(chart: &Chart, width: u32, height: u32) -> Layout {
    let layout = Layout::new(chart, width, height, &mut Typesetter::new());
    let collisions = layout.collisions();
    assert!(
        collisions.is_empty(),
        "{width}x{height}: overlapping {collisions:?}"
    );
    let outside = layout.outside_frame();
    assert!(
        outside.is_empty(),
        "{width}x{height}: outside the frame {outside:?}"
    );
    layout
}

fn text_of(layout: &Layout, id: ElementId) -> &TextSpec {
    match &layout.element(id).expect("element present").shape {
        Shape::Text(spec) => spec,
        other => panic!("{id:?} is not text: {other:?}"),
    }
}

/// How many point labels a chart shows.
fn point_labels(layout: &Layout) -> usize {
    layout
        .elements
        .iter()
        .filter(|e| matches!(e.id, ElementId::PointLabel { .. }))
        .count()
}

fn rect_of(layout: &Layout, id: ElementId) -> Rect {
    layout.element(id).expect("element present").rect
}

/// The text `id` shows, as a user reads it.
fn assert_text(layout: &Layout, id: ElementId, expected: &str) {
    assert_eq!(text_of(layout, id).text, expected, "{id:?}");
}

#[test]
fn shipped_shapes_fit_every_size() {
    for chart in [
        test_charts::vllm_input(),
        test_charts::finetune(),
        test_charts::single_bar(),
        test_charts::compare(),
        test_charts::panels(),
    ] {
        for (w, h) in SIZES {
            assert_clean(&chart, w, h);
        }
    }
}

#[test]
fn one_to_thirty_rows_fit() {
    for rows in 1..=30 {
        for (w, h) in [(854, 480), (1920, 1080), (1080, 1080), (1080, 1920)] {
            let layout = assert_clean(&test_charts::many_rows(rows), w, h);
            let labels = layout
                .elements
                .iter()
                .filter(|e| matches!(e.id, ElementId::RowLabel(_)))
                .count();
            assert_eq!(labels, rows);
        }
    }
}

#[test]
fn long_text_is_shrunk_or_ellipsized_never_clipped() {
    let chart = test_charts::long_labels();
    for (w, h) in SIZES {
        let layout = assert_clean(&chart, w, h);
        let title = text_of(&layout, ElementId::Title);
        // A narrow frame wraps the title first, onto three lines at most.
        let wrapped = title.text.lines().count();
        assert!(wrapped <= 3, "{}", title.text);
        assert!(
            title.text.ends_with('…') || wrapped > 1 && w * 10 < h * 13,
            "{w}x{h}: {}",
            title.text
        );
        assert!(text_of(&layout, ElementId::RowLabel(0)).text.ends_with('…'));
        // Short labels stay whole.
        assert_text(&layout, ElementId::RowLabel(1), "gpt-oss-120b");
    }
}

#[test]
fn bars_are_proportional_to_values_and_share_an_origin() {
    let chart = test_charts::vllm_input();
    let layout = assert_clean(&chart, 1920, 1080);
    let bar = |row, bar| layout.element(ElementId::Bar { row, bar }).map(|e| e.rect);
    let longest = bar(0, 0).expect("gpt-oss-20b RTX 4090 bar");
    let gb10 = bar(0, 1).expect("gpt-oss-20b GB10 bar");
    assert_eq!(longest.x, gb10.x);
    let ratio = gb10.w / longest.w;
    assert!((ratio - (1538.38 / 4848.70) as f32).abs() < 1e-4, "{ratio}");
    // The longest bar takes most of the frame's width.
    assert!(longest.w > 0.45 * 1920.0, "{longest:?}");
    // Row labels end left of the bars, right-aligned on one edge.
    let label0 = rect_of(&layout, ElementId::RowLabel(0));
    let label2 = rect_of(&layout, ElementId::RowLabel(2));
    assert!(label0.right() < longest.x && label2.right() < longest.x);
    assert!((label0.right() - label2.right()).abs() <= 1.0);
}

#[test]
fn missing_cells_have_no_bar_and_say_na() {
    let layout = assert_clean(&test_charts::vllm_input(), 1920, 1080);
    assert!(layout.element(ElementId::Bar { row: 1, bar: 0 }).is_none());
    let na = text_of(&layout, ElementId::Value { row: 1, bar: 0 });
    assert_eq!(na.text, "NA");
    assert_eq!(na.role, TextRole::Missing);
    let value = text_of(&layout, ElementId::Value { row: 0, bar: 0 });
    assert_eq!(
        (value.text.as_str(), value.role),
        ("4,849", TextRole::Value)
    );
}

#[test]
fn value_labels_follow_their_bars() {
    let layout = assert_clean(&test_charts::vllm_input(), 1280, 720);
    for e in &layout.elements {
        if let ElementId::Bar { row, bar } = e.id {
            let value = rect_of(&layout, ElementId::Value { row, bar });
            assert!(value.x > e.rect.right(), "{:?}", e.id);
            assert!((value.center_y() - e.rect.center_y()).abs() <= 1.0);
        }
    }
}

#[test]
fn value_that_would_leave_the_frame_goes_inside_its_bar() {
    let mut chart = test_charts::vllm_input();
    // Nearly as long as the longest bar (but short enough that the room after the bars is
    // not kept for it), with a much wider label.
    chart.bars_mut().unwrap().rows[3].bars[0].value = Some(4300.0);
    chart.bars_mut().unwrap().rows[3].bars[0].label = "4,300 tok/s (batch of 64)".to_string();
    let layout = assert_clean(&chart, 1920, 1080);
    let value = text_of(&layout, ElementId::Value { row: 3, bar: 0 });
    assert_eq!(value.role, TextRole::ValueInside);
    let bar = rect_of(&layout, ElementId::Bar { row: 3, bar: 0 });
    let rect = rect_of(&layout, ElementId::Value { row: 3, bar: 0 });
    assert!(bar.contains(&rect));
}

#[test]
fn title_scales_with_the_frame() {
    let chart = test_charts::vllm_input();
    let small = assert_clean(&chart, 1280, 720);
    let large = assert_clean(&chart, 3840, 2160);
    let (s, l) = (
        text_of(&small, ElementId::Title).size,
        text_of(&large, ElementId::Title).size,
    );
    assert!((l / s - 3.0).abs() < 0.01, "{s} {l}");
}

#[test]
fn single_series_chart_has_no_legend_and_moderate_bars() {
    let layout = assert_clean(&test_charts::finetune(), 1920, 1080);
    assert!(
        !layout
            .elements
            .iter()
            .any(|e| matches!(e.id, ElementId::LegendSwatch(_)))
    );
    let bar = rect_of(&layout, ElementId::Bar { row: 0, bar: 0 });
    let other = rect_of(&layout, ElementId::Bar { row: 1, bar: 0 });
    assert!(bar.h <= 60.0 && bar.h >= 30.0, "{bar:?}");
    // The plot sits in the middle of the space between header and footer.
    let top = rect_of(&layout, ElementId::Metadata(1)).bottom();
    let bottom = rect_of(&layout, ElementId::Footer(0)).y;
    let middle = (bar.y + other.bottom()) / 2.0;
    assert!(
        (middle - (top + bottom) / 2.0).abs() < 0.1 * (bottom - top),
        "{middle}"
    );
}

#[test]
fn legend_is_centred() {
    let layout = assert_clean(&test_charts::vllm_input(), 1920, 1080);
    let left = rect_of(&layout, ElementId::LegendSwatch(0)).x;
    let right = rect_of(&layout, ElementId::LegendLabel(1)).right();
    assert!(((left + right) / 2.0 - 960.0).abs() < 2.0, "{left} {right}");
}

#[test]
fn empty_chart_lays_out_nothing_but_its_text() {
    let mut chart = test_charts::vllm_input();
    chart.bars_mut().unwrap().rows.clear();
    let layout = assert_clean(&chart, 854, 480);
    assert!(
        layout
            .elements
            .iter()
            .all(|e| !matches!(e.shape, Shape::Bar { .. }))
    );
}

#[test]
fn narrow_frames_wrap_centred_text_instead_of_shrinking_it() {
    let chart = test_charts::vllm_input();
    let wide = assert_clean(&chart, 1920, 1080);
    assert!(!text_of(&wide, ElementId::Title).text.contains('\n'));
    let tall = assert_clean(&chart, 1080, 1920);
    let title = text_of(&tall, ElementId::Title);
    assert_eq!(title.text, "vLLM Inference:\nToken Input Throughput");
    assert_eq!(title.size, 78.0);
    let rect = rect_of(&tall, ElementId::Title);
    assert!((rect.h - 2.0 * 78.0 * LINE_HEIGHT).abs() < 0.01, "{rect:?}");
    assert!(rect.w <= 1080.0 * 0.92 && ((rect.x + rect.w / 2.0) - 540.0).abs() <= 1.0);
    // Footer lines that fit stay whole, one line each.
    assert_text(
        &tall,
        ElementId::Footer(0),
        "NA = model did not fit in GPU memory",
    );
}

#[test]
fn tall_frames_put_row_labels_above_bars_that_span_the_width() {
    let chart = test_charts::vllm_input();
    let layout = assert_clean(&chart, 1080, 1920);
    let rect = |id| layout.element(id).expect("element").rect;
    for row in 0..chart.bars().unwrap().rows.len() {
        let label = rect(ElementId::RowLabel(row));
        let first = rect(ElementId::Value { row, bar: 0 });
        let bar = rect(ElementId::Bar { row, bar: 1 });
        assert!(
            label.bottom() <= first.y && label.bottom() <= bar.y,
            "row {row}"
        );
        assert!(
            (label.x - bar.x).abs() <= 1.0,
            "row {row}: labels start where bars do"
        );
        if let (true, Some(own)) = (row > 0, layout.element(ElementId::Bar { row, bar: 0 })) {
            // A label sits closer to its own bars than to the row above.
            let above = rect(ElementId::Bar {
                row: row - 1,
                bar: 1,
            });
            assert!(
                label.y - above.bottom() > own.rect.y - label.bottom(),
                "row {row}"
            );
        }
    }
    let longest = rect(ElementId::Bar { row: 0, bar: 0 });
    assert!(longest.w > 0.75 * 1080.0, "{longest:?}");
    // Taller than they would be in the 16:9 chart shrunk into the frame.
    let shrunk = 1080.0 * 9.0 / 16.0 / 1080.0 * 60.0;
    assert!(longest.h > shrunk, "{longest:?}");
}

#[test]
fn a_wide_legend_forms_a_grid_on_a_narrow_frame() {
    let mut chart = test_charts::vllm_input();
    chart.legend = [
        "GB10 · llama.cpp",
        "GB10 · vLLM",
        "RTX 4090 · llama.cpp",
        "RTX 4090 · vLLM",
    ]
    .iter()
    .map(|label| crate::chart::LegendEntry {
        label: label.to_string(),
        color: test_charts::BLUE,
    })
    .collect();
    let layout = assert_clean(&chart, 1080, 1920);
    let rect = |i| rect_of(&layout, ElementId::LegendSwatch(i));
    // Two rows of two, the swatches of a column aligned.
    assert_eq!(rect(0).y, rect(1).y);
    assert_eq!(rect(2).y, rect(3).y);
    assert!(rect(2).y > rect(0).bottom());
    assert_eq!((rect(0).x, rect(1).x), (rect(2).x, rect(3).x));
    for i in 0..4 {
        assert!(
            !text_of(&layout, ElementId::LegendLabel(i))
                .text
                .ends_with('…')
        );
    }
}

/// The presets and the shapes people post, where a line chart must show every label.
const LINE_SIZES: [(u32, u32); 6] = [
    (854, 480),
    (1280, 720),
    (1920, 1080),
    (3840, 2160),
    (1080, 1080),
    (1080, 1920),
];

fn plot_of(chart: &Chart) -> &crate::chart::LinePlot {
    chart.lines().expect("a line chart")
}

#[test]
fn line_chart_fits_every_size() {
    let chart = test_charts::sweep();
    for (w, h) in SIZES {
        assert_clean(&chart, w, h);
    }
}

#[test]
fn line_chart_shows_every_marker_end_label_and_callout() {
    let chart = test_charts::sweep();
    let plot = plot_of(&chart);
    for (w, h) in LINE_SIZES {
        let layout = assert_clean(&chart, w, h);
        for (s, series) in plot.series.iter().enumerate() {
            assert!(layout.element(ElementId::Line(s)).is_some());
            for i in 0..series.points.len() {
                assert!(layout.element(ElementId::Point { series: s, i }).is_some());
            }
            let last = series.points.len() - 1;
            let label = text_of(&layout, ElementId::PointLabel { series: s, i: last });
            assert_eq!(label.text, series.points[last].label, "{w}x{h}");
        }
        for (a, annotation) in plot.annotations.iter().enumerate() {
            assert!(layout.element(ElementId::Ring(a)).is_some());
            let callout = text_of(&layout, ElementId::Annotation(a));
            assert_eq!(callout.text, annotation.text, "{w}x{h}");
        }
    }
}

#[test]
fn line_chart_axes_read_like_the_data() {
    let chart = test_charts::sweep();
    let plot = plot_of(&chart);
    let layout = assert_clean(&chart, 1920, 1080);
    // y: 0 to 1,500 by 500, a gridline at each tick but the lowest (the axis line is there).
    let y_labels: Vec<&str> = (0..4)
        .map(|i| {
            text_of(&layout, ElementId::TickLabel { axis: Axis::Y, i })
                .text
                .as_str()
        })
        .collect();
    assert_eq!(y_labels, ["0", "500", "1,000", "1,500"]);
    for absent in [
        ElementId::TickLabel {
            axis: Axis::Y,
            i: 4,
        },
        ElementId::Grid {
            axis: Axis::Y,
            i: 0,
        },
    ] {
        assert!(layout.element(absent).is_none(), "{absent:?}");
    }
    let grid = |i| rect_of(&layout, ElementId::Grid { axis: Axis::Y, i });
    // log2: every doubling the same distance apart, a tick and label at each level.
    let x_of = |i| rect_of(&layout, ElementId::Tick { axis: Axis::X, i }).x;
    let step = x_of(1) - x_of(0);
    for i in 1..6 {
        assert!((x_of(i) - x_of(i - 1) - step).abs() < 0.01, "tick {i}");
        let label = text_of(&layout, ElementId::TickLabel { axis: Axis::X, i });
        assert_eq!(label.text, plot.x.levels[i].label);
    }
    // Markers sit where their values are: 1,403.72 of 1,500 up from the axis.
    let axis = rect_of(&layout, ElementId::Axis(Axis::X)).center_y();
    let top = grid(3).center_y();
    let peak = rect_of(&layout, ElementId::Point { series: 0, i: 4 });
    let expected = axis - (axis - top) * (1403.72 / 1500.0);
    assert!((peak.center_y() - expected).abs() < 0.01, "{peak:?}");
    assert!(
        (peak.x + peak.w / 2.0
            - (x_of(5)
                + layout
                    .element(ElementId::Tick {
                        axis: Axis::X,
                        i: 5
                    })
                    .unwrap()
                    .rect
                    .w
                    / 2.0))
            .abs()
            < 0.01
    );
    // Titles: the unit above the y axis, the x title under the tick labels.
    assert_text(&layout, ElementId::AxisTitle(Axis::Y), "tok/s");
    let x_title = rect_of(&layout, ElementId::AxisTitle(Axis::X));
    let x_label = layout
        .element(ElementId::TickLabel {
            axis: Axis::X,
            i: 0,
        })
        .unwrap()
        .rect;
    assert!(x_title.y > x_label.bottom());
}

#[test]
fn a_gap_in_a_series_breaks_its_curve_with_a_dotted_bridge() {
    let chart = test_charts::sweep();
    let layout = assert_clean(&chart, 1920, 1080);
    let Shape::Polyline {
        pieces,
        bridges,
        pen,
        ..
    } = &layout.element(ElementId::Line(0)).expect("line").shape
    else {
        panic!("not a polyline")
    };
    // RTX 4090: levels 1, 2, 4, then 16, 32 (no 8).
    assert_eq!(pieces.iter().map(Vec::len).collect::<Vec<_>>(), [3, 2]);
    assert_eq!(bridges.len(), 1);
    assert_eq!(bridges[0], [pieces[0][2], pieces[1][0]]);
    // Every series shares one pen, from the first level to the last.
    let Shape::Polyline { pen: other, .. } = &layout.element(ElementId::Line(1)).unwrap().shape
    else {
        panic!("not a polyline")
    };
    assert_eq!(pen, other);
    assert_eq!(pen.0, pieces[0][0].0);
    assert_eq!(pen.1, pieces[1][1].0);
}

#[test]
fn a_series_of_many_points_is_decimated_and_has_no_markers() {
    let mut chart = test_charts::sweep();
    let crate::chart::Body::Lines(plot) = &mut chart.body else {
        unreachable!()
    };
    plot.x.scale = crate::chart::XScale::Linear;
    plot.x.levels = (0..5000)
        .map(|i| crate::chart::XLevel {
            value: crate::chart::XValue::Number(i as f64),
            at: i as f64,
            label: i.to_string(),
        })
        .collect();
    plot.series.truncate(1);
    plot.series[0].points = (0..5000)
        .map(|i| crate::chart::LinePoint {
            level: i,
            y: 500.0 + 400.0 * ((i as f64) * 0.37).sin(),
            label: "x".into(),
            n: 1,
            whisker: None,
        })
        .collect();
    plot.annotations.clear();
    let layout = assert_clean(&chart, 854, 480);
    let Shape::Polyline { pieces, .. } = &layout.element(ElementId::Line(0)).unwrap().shape else {
        panic!("not a polyline")
    };
    let columns = 854;
    assert!(pieces[0].len() <= 2 * columns + 2, "{}", pieces[0].len());
    assert!(
        layout
            .element(ElementId::Point { series: 0, i: 0 })
            .is_none()
    );
    // Nice ticks along an axis of many values.
    let ticks = layout
        .elements
        .iter()
        .filter(|e| matches!(e.id, ElementId::Tick { axis: Axis::X, .. }))
        .count();
    assert!((2..=8).contains(&ticks), "{ticks}");
}

#[test]
fn every_point_is_labelled_where_all_fit_else_only_the_ends() {
    let mut chart = test_charts::sweep();
    let crate::chart::Body::Lines(plot) = &mut chart.body else {
        unreachable!()
    };
    plot.point_labels = crate::chart::PointLabels::All;
    let two_lines = chart.clone();
    // GB10 alone: its labels have the room above its points.
    let crate::chart::Body::Lines(plot) = &mut chart.body else {
        unreachable!()
    };
    plot.series.remove(0);
    plot.annotations.retain(|a| a.series == 1);
    for a in &mut plot.annotations {
        a.series = 0;
    }
    let plot = plot.clone();
    let labels = point_labels;
    let points: usize = plot.series.iter().map(|s| s.points.len()).sum();
    assert_eq!(labels(&assert_clean(&chart, 1920, 1080)), points);
    // Where some do not fit, only the ends are labelled, never some of the rest.
    for chart in [&chart, &two_lines] {
        let plot = chart.lines().unwrap();
        let points: usize = plot.series.iter().map(|s| s.points.len()).sum();
        for (w, h) in SIZES {
            let n = labels(&assert_clean(chart, w, h));
            assert!(n == points || n == plot.series.len(), "{w}x{h}: {n} labels");
        }
    }
}

#[test]
fn scatter_points_sit_at_their_two_values_with_the_frontier_beneath() {
    let chart = test_charts::tradeoff();
    for (w, h) in SIZES {
        assert_clean(&chart, w, h);
    }
    let layout = assert_clean(&chart, 1920, 1080);
    let center = |id| {
        let r = layout.element(id).expect("element").rect;
        (r.x + r.w / 2.0, r.center_y())
    };
    let tick = |axis, i| layout.element(ElementId::Tick { axis, i }).map(|e| e.rect);
    // x: 0 to 80 by 20 (time per output token, ms); y: 0 to 1,500 by 500 (tok/s).
    let x_labels: Vec<String> = (0..5)
        .map(|i| {
            text_of(&layout, ElementId::TickLabel { axis: Axis::X, i })
                .text
                .clone()
        })
        .collect();
    assert_eq!(x_labels, ["0", "20", "40", "60", "80"]);
    assert!(tick(Axis::X, 5).is_none());
    assert_eq!(
        text_of(
            &layout,
            ElementId::TickLabel {
                axis: Axis::Y,
                i: 3
            }
        )
        .text,
        "1,500"
    );
    let x_of = |i| {
        let r = tick(Axis::X, i).unwrap();
        r.x + r.w / 2.0
    };
    let axis = layout
        .element(ElementId::Axis(Axis::X))
        .unwrap()
        .rect
        .center_y();
    let top = layout
        .element(ElementId::Grid {
            axis: Axis::Y,
            i: 3,
        })
        .unwrap()
        .rect
        .center_y();
    // The GB10 at concurrency 32: 72.37 ms, 428.91 tok/s.
    let (x, y) = center(ElementId::Point { series: 1, i: 5 });
    let expected_x = x_of(0) + (x_of(4) - x_of(0)) * (72.37 / 80.0);
    let expected_y = axis - (axis - top) * (428.91 / 1500.0);
    assert!((x - expected_x).abs() < 0.01, "{x} {expected_x}");
    assert!((y - expected_y).abs() < 0.01, "{y} {expected_y}");
    // The frontier is drawn over the lines it may run along, beneath the markers.
    let index = |id| layout.elements.iter().position(|e| e.id == id).unwrap();
    assert!(index(ElementId::Line(1)) < index(ElementId::Frontier));
    assert!(index(ElementId::Frontier) < index(ElementId::Point { series: 0, i: 0 }));
    let Shape::Path { points, at, .. } = &layout.element(ElementId::Frontier).unwrap().shape else {
        panic!("not a path")
    };
    assert_eq!(points.len(), 5);
    assert_eq!((at[0], at[4]), (0.0, 1.0));
    // A series' line reaches each point as its level comes: the RTX 4090 lacks level 3 (8).
    let Shape::Path { at, .. } = &layout.element(ElementId::Line(0)).unwrap().shape else {
        panic!("not a path")
    };
    assert_eq!(at, &[0.0, 0.2, 0.4, 0.8, 1.0]);
    // Every RTX 4090 point labelled; the GB10's first three are too close together for all
    // of theirs, so one is left out. A tall frame has the room for every one.
    let labels = point_labels;
    assert_eq!(labels(&layout), 10);
    assert_eq!(labels(&assert_clean(&chart, 1080, 1920)), 11);
}

#[test]
fn scatter_labels_are_shared_fairly_between_series() {
    let mut chart = test_charts::tradeoff();
    for (w, h) in SIZES {
        let layout = assert_clean(&chart, w, h);
        // Labels are taken in turn from each series: each keeps at least half of its own,
        // and its last point's (the first asked for off the frontier) at every size.
        for (s, n) in [(0, 5), (1, 6)] {
            let labelled: Vec<usize> = (0..n)
                .filter(|&i| {
                    layout
                        .element(ElementId::PointLabel { series: s, i })
                        .is_some()
                })
                .collect();
            assert!(
                labelled.len() * 2 >= n && labelled.contains(&(n - 1)),
                "{w}x{h}: series {s} labels {labelled:?}"
            );
        }
    }
    // `last`: only the last point of each series.
    let crate::chart::Body::Scatter(plot) = &mut chart.body else {
        unreachable!()
    };
    plot.point_labels = crate::chart::PointLabels::Last;
    plot.connect = false;
    let layout = assert_clean(&chart, 1920, 1080);
    let labelled: Vec<ElementId> = layout
        .elements
        .iter()
        .filter(|e| matches!(e.id, ElementId::PointLabel { .. }))
        .map(|e| e.id)
        .collect();
    assert_eq!(
        labelled,
        [
            ElementId::PointLabel { series: 0, i: 4 },
            ElementId::PointLabel { series: 1, i: 5 }
        ]
    );
    // Unconnected: no lines, and legend keys are swatches.
    assert!(layout.element(ElementId::Line(0)).is_none());
    assert!(matches!(
        layout.element(ElementId::LegendSwatch(0)).unwrap().shape,
        Shape::Swatch { .. }
    ));
}

#[test]
fn whiskers_span_their_runs_and_hit_nothing() {
    for chart in [
        test_charts::vllm_input(),
        test_charts::finetune(),
        test_charts::sweep(),
        test_charts::tradeoff(),
    ] {
        let chart = test_charts::with_whiskers(chart);
        for (w, h) in SIZES {
            let layout = assert_clean(&chart, w, h);
            let whiskers = layout
                .elements
                .iter()
                .filter(|e| matches!(e.shape, Shape::Whisker { .. }))
                .count();
            assert!(whiskers > 0, "{w}x{h}: {:?}", chart.title);
        }
    }
    // A bar's whisker runs from where a bar of its least value would end to where one of its
    // most would, through the bar's middle; its value label goes inside the bar, short of the
    // whisker, so that it does not read as the most.
    let chart = test_charts::with_whiskers(test_charts::vllm_input());
    let layout = assert_clean(&chart, 1920, 1080);
    let rect = |id| layout.element(id).expect("element").rect;
    let bar = rect(ElementId::Bar { row: 0, bar: 1 });
    let whisker = rect(ElementId::Whisker { row: 0, bar: 1 });
    let longest = chart.bars().unwrap().max_value();
    let bars_width = rect(ElementId::Bar { row: 0, bar: 0 }).w * (longest / 4848.70) as f32;
    let end = |v: f64| bar.x + bars_width * (v / longest) as f32;
    let width = super::whisker::WHISKER_WIDTH;
    assert!(
        (whisker.x + width / 2.0 - end(1538.38 * 0.85)).abs() < 1.0,
        "{whisker:?}"
    );
    assert!(
        (whisker.right() - width / 2.0 - end(1538.38 * 1.12)).abs() < 1.0,
        "{whisker:?}"
    );
    assert!((whisker.center_y() - bar.center_y()).abs() < 0.01);
    assert!(whisker.h < bar.h);
    let value = rect(ElementId::Value { row: 0, bar: 1 });
    assert!(
        value.x > bar.x && value.right() < whisker.x,
        "{value:?} {whisker:?}"
    );
    assert_eq!(
        text_of(&layout, ElementId::Value { row: 0, bar: 1 }).role,
        TextRole::ValueInside
    );
    // The longest reach (bar or whisker) spans the bars' width: the scale makes room for it.
    assert!((longest - 4848.70 * 1.12).abs() < 1e-9);
    // A point's whisker is vertical, centred on its marker.
    let chart = test_charts::with_whiskers(test_charts::sweep());
    let layout = assert_clean(&chart, 1920, 1080);
    let marker = layout
        .element(ElementId::Point { series: 1, i: 5 })
        .unwrap()
        .rect;
    let whisker = layout
        .element(ElementId::PointWhisker {
            series: 1,
            i: 5,
            axis: Axis::Y,
        })
        .unwrap()
        .rect;
    assert!((whisker.x + whisker.w / 2.0 - (marker.x + marker.w / 2.0)).abs() < 0.01);
    assert!(whisker.y < marker.y && whisker.bottom() > marker.bottom());
}

/// The sweep finds the pairs a comparison of every pair finds, in the same order: boxes
/// scattered over a frame (many overlapping), and curves crossing some of them.
#[test]
fn collisions_are_the_pairs_every_comparison_finds() {
    let mut seed = 0x2545_f491_u32;
    let mut next = |below: f32| {
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        (seed % 10_000) as f32 / 10_000.0 * below
    };
    let mut elements = Vec::new();
    for i in 0..300 {
        let rect = Rect::new(
            next(1800.0),
            next(1000.0),
            10.0 + next(200.0),
            5.0 + next(60.0),
        );
        elements.push(Element {
            id: ElementId::Footer(i),
            rect,
            shape: Shape::Text(TextSpec {
                text: "x".into(),
                size: 20.0,
                weight: Weight::Regular,
                role: TextRole::Footer,
                tint: None,
            }),
        });
    }
    for s in 0..3 {
        let points: Vec<(f32, f32)> = (0..20).map(|k| (k as f32 * 95.0, next(1000.0))).collect();
        let (top, bottom) = points
            .iter()
            .fold((f32::MAX, f32::MIN), |(t, b), p| (t.min(p.1), b.max(p.1)));
        elements.push(Element {
            id: ElementId::Line(s),
            rect: Rect::new(-2.0, top - 2.0, 1809.0, bottom - top + 4.0),
            shape: Shape::Polyline {
                pieces: vec![points],
                bridges: Vec::new(),
                color: crate::chart::Rgb(0, 0, 0),
                width: 4.0,
                pen: (0.0, 1.0),
            },
        });
    }
    let layout = Layout {
        width: 1920,
        height: 1080,
        unit: 1.0,
        outline: 1.0,
        plot: Rect::new(0.0, 0.0, 1920.0, 1080.0),
        elements,
        notes: Vec::new(),
    };
    let mut every_pair = Vec::new();
    for (i, a) in layout.elements.iter().enumerate() {
        for b in &layout.elements[i + 1..] {
            if clash::clash(a, b) {
                every_pair.push((a.id, b.id));
            }
        }
    }
    assert!(every_pair.len() > 100, "{}", every_pair.len());
    assert!(
        every_pair
            .iter()
            .any(|(_, b)| matches!(b, ElementId::Line(_)))
    );
    assert_eq!(layout.collisions(), every_pair);
}
