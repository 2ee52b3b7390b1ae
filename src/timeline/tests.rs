use super::*;
use crate::layout::Axis;
use crate::render::test_charts;

/// The default durations, each step after the one before.
fn talk() -> Durations {
    Durations {
        pace: Pace::Talk,
        ..Durations::default()
    }
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

#[test]
fn easing_ends_and_shapes() {
    for ease in [ease_in_out_cubic, ease_out_cubic] {
        assert_eq!(ease(0.0), 0.0);
        assert_eq!(ease(1.0), 1.0);
        assert_eq!(ease(-1.0), 0.0);
        assert_eq!(ease(2.0), 1.0);
    }
    assert!(close(ease_in_out_cubic(0.5), 0.5));
    assert!(close(ease_in_out_cubic(0.25), 0.0625));
    assert!(close(ease_out_cubic(0.5), 0.875));
}

#[test]
fn duration_adds_steps_waits_hold_and_fadeout() {
    let chart = test_charts::vllm_input(); // no metadata: seven steps, six waits
    let d = talk();
    let steps = d.title + d.subtitle + d.legend + d.labels + d.bars + d.values + d.footer;
    let without = Timeline::new(&chart, &d, false);
    assert!(close(without.complete(), steps + 6.0 * d.wait));
    assert!(close(without.duration(), steps + 6.0 * d.wait + d.hold));
    let with = Timeline::new(&chart, &d, true);
    assert!(close(with.duration(), without.duration() + d.fadeout));
}

#[test]
fn title_fades_in_sliding_down() {
    let t = Timeline::new(&test_charts::vllm_input(), &talk(), false);
    assert_eq!(t.state(ElementId::Title, 0.0).opacity, 0.0);
    let mid = t.state(ElementId::Title, 0.3);
    assert!((mid.opacity - 0.5).abs() < 1e-6);
    assert!(mid.shift.1 < 0.0, "starts above its place");
    assert_eq!(t.state(ElementId::Title, 0.6), ElementState::SHOWN);
    // The subtitle waits for the title and the pause after it.
    assert_eq!(t.state(ElementId::Subtitle, 0.79).opacity, 0.0);
    assert!(t.state(ElementId::Subtitle, 0.9).opacity > 0.0);
}

#[test]
fn row_labels_start_one_after_another_sliding_right() {
    let chart = test_charts::vllm_input();
    let d = talk();
    let t = Timeline::new(&chart, &d, false);
    // Labels start after title, subtitle, legend and three waits.
    let start = d.title + d.subtitle + d.legend + 3.0 * d.wait;
    let first = t.state(ElementId::RowLabel(0), start + 0.1);
    let last = t.state(ElementId::RowLabel(8), start + 0.1);
    assert!(first.opacity > 0.0 && first.shift.0 < 0.0);
    assert_eq!(last.opacity, 0.0);
    // All done when the step is.
    assert_eq!(
        t.state(ElementId::RowLabel(8), start + d.labels),
        ElementState::SHOWN
    );
    let almost = t.state(ElementId::RowLabel(8), start + d.labels - 0.05);
    assert!(almost.opacity < 1.0);
}

#[test]
fn bars_grow_series_by_series_and_are_invisible_before() {
    let chart = test_charts::vllm_input();
    let d = talk();
    let t = Timeline::new(&chart, &d, false);
    let start = d.title + d.subtitle + d.legend + d.labels + 4.0 * d.wait;
    let before = t.state(ElementId::Bar { row: 0, bar: 0 }, start);
    assert_eq!((before.opacity, before.grow), (0.0, 0.0));
    // 18 bars; each runs L = 2 / (1 + 17 × 0.1) seconds, starting 0.1 L after the previous.
    let item = d.bars / 2.7;
    let half = t.state(ElementId::Bar { row: 0, bar: 0 }, start + item / 2.0);
    assert!((half.grow as f64 - ease_out_cubic(0.5)).abs() < 1e-6);
    assert_eq!(half.opacity, 1.0);
    // The RTX 4090 bar of the last row starts before the GB10 bar of the first.
    let at = start + 8.5 * 0.1 * item;
    assert!(t.state(ElementId::Bar { row: 8, bar: 0 }, at).grow > 0.0);
    assert_eq!(t.state(ElementId::Bar { row: 0, bar: 1 }, at).grow, 0.0);
    assert_eq!(
        t.state(ElementId::Bar { row: 8, bar: 1 }, start + d.bars)
            .grow,
        1.0
    );
}

#[test]
fn fadeout_takes_everything_away() {
    let chart = test_charts::vllm_input();
    let t = Timeline::new(&chart, &talk(), true);
    let end = t.duration();
    for id in [
        ElementId::Title,
        ElementId::Bar { row: 0, bar: 0 },
        ElementId::Footer(1),
    ] {
        assert_eq!(t.state(id, t.complete()).opacity, 1.0, "{id:?}");
        assert_eq!(t.state(id, end).opacity, 0.0, "{id:?}");
        assert!(t.state(id, end - 0.4).opacity > 0.0);
    }
}

#[test]
fn static_spans_are_the_waits_and_the_hold() {
    let chart = test_charts::vllm_input();
    let d = talk();
    let t = Timeline::new(&chart, &d, false);
    assert!(!t.is_static_between(0.0, 0.1));
    assert!(t.is_static_between(0.61, 0.79), "the wait after the title");
    assert!(!t.is_static_between(0.61, 0.81));
    assert!(t.is_static_between(t.complete(), t.duration()), "the hold");
    let faded = Timeline::new(&chart, &d, true);
    assert!(!faded.is_static_between(faded.complete(), faded.duration()));
}

#[test]
fn missing_steps_are_skipped_and_bad_durations_count_as_zero() {
    let mut chart = test_charts::single_bar();
    chart.metadata.clear();
    let d = Durations {
        title: -1.0,
        subtitle: f64::NAN,
        ..talk()
    };
    let t = Timeline::new(&chart, &d, false);
    assert_eq!(t.state(ElementId::Title, 0.0), ElementState::SHOWN);
    // title, subtitle, labels, bars, values: four waits; no legend, metadata or footer.
    let expected = d.labels + d.bars + d.values + 4.0 * d.wait + d.hold;
    assert!(close(t.duration(), expected), "{}", t.duration());
}

/// When the Lines step of the sweep chart starts: after title, subtitle, metadata, legend and
/// axes, each followed by a wait.
fn lines_start(d: &Durations) -> f64 {
    d.title + d.subtitle + d.metadata + d.legend + d.axes + 5.0 * d.wait
}

#[test]
fn a_line_chart_plays_axes_then_lines_then_callouts() {
    let chart = test_charts::sweep();
    let d = talk();
    let t = Timeline::new(&chart, &d, false);
    let axes = lines_start(&d) - d.wait - d.axes;
    assert_eq!(t.state(ElementId::Axis(Axis::X), axes).opacity, 0.0);
    let half = t.state(
        ElementId::Grid {
            axis: Axis::Y,
            i: 1,
        },
        axes + d.axes / 2.0,
    );
    assert!((half.opacity - 0.5).abs() < 1e-6);
    assert_eq!(
        t.state(
            ElementId::TickLabel {
                axis: Axis::X,
                i: 0
            },
            axes + d.axes
        ),
        ElementState::SHOWN
    );
    // Nothing of the lines before their step, every callout after it.
    let start = lines_start(&d);
    assert_eq!(t.state(ElementId::Line(0), start).opacity, 0.0);
    let callouts = start + d.lines + d.wait;
    assert_eq!(t.state(ElementId::Annotation(0), callouts).opacity, 0.0);
    assert!(t.state(ElementId::Annotation(0), callouts + 0.1).opacity > 0.0);
    // Callouts lagged: the last starts after the first.
    assert_eq!(
        t.state(ElementId::Annotation(3), callouts + 0.1).opacity,
        0.0
    );
    for a in 0..4 {
        assert_eq!(
            t.state(ElementId::Annotation(a), t.complete()),
            ElementState::SHOWN
        );
        let ring = t.state(ElementId::Ring(a), t.complete());
        assert_eq!((ring.opacity, ring.grow), (1.0, 1.0));
    }
    // Eight steps, seven waits, then the hold.
    let steps =
        d.title + d.subtitle + d.metadata + d.legend + d.axes + d.lines + d.annotations + d.footer;
    assert!(close(t.complete(), steps + 7.0 * d.wait));
    assert!(close(t.duration(), t.complete() + d.hold));
}

#[test]
fn the_pen_is_halfway_across_at_the_middle_of_the_lines_step() {
    let chart = test_charts::sweep();
    let d = talk();
    let t = Timeline::new(&chart, &d, false);
    let middle = lines_start(&d) + d.lines / 2.0;
    // Every series is drawn by the same pen: halfway across the x axis, 1 to 32.
    for s in 0..2 {
        let line = t.state(ElementId::Line(s), middle);
        assert_eq!(line.opacity, 1.0);
        assert!((line.grow - 0.5).abs() < 1e-6, "{}", line.grow);
    }
    // log2: concurrency 1, 2, 4 lie left of the middle (0, 0.2, 0.4 of the way), 8, 16, 32
    // right of it. The GB10 has every level; the RTX 4090 lacks 8.
    let gb10 = |i| t.state(ElementId::Point { series: 1, i }, middle);
    for i in 0..3 {
        assert!(gb10(i).opacity == 1.0 && gb10(i).grow > 0.0, "point {i}");
    }
    for i in 3..6 {
        assert_eq!(gb10(i), ElementState::HIDDEN, "point {i}");
    }
    // The marker at 1 has popped and settled; the one at 4 is still popping.
    assert_eq!(gb10(0).grow, 1.0);
    assert_ne!(gb10(2).grow, 1.0);
    // The RTX 4090's 16 (its fourth point) is still ahead of the pen.
    assert_eq!(
        t.state(ElementId::Point { series: 0, i: 3 }, middle),
        ElementState::HIDDEN
    );
}

#[test]
fn markers_pop_past_full_size_and_end_labels_wait_for_the_pen() {
    let chart = test_charts::sweep();
    let d = talk();
    let t = Timeline::new(&chart, &d, false);
    let start = lines_start(&d);
    // The first point: the pen is there as the step starts.
    let scales: Vec<f32> = (0..=25)
        .map(|k| {
            t.state(
                ElementId::Point { series: 1, i: 0 },
                start + k as f64 * 0.01,
            )
            .grow
        })
        .collect();
    let most = scales.iter().cloned().fold(0.0, f32::max);
    assert!((most - 1.15).abs() < 0.01, "{scales:?}");
    assert_eq!(*scales.last().unwrap(), 1.0);
    // The end label fades in only once the pen reaches the line's end, with the step's end.
    let end = ElementId::PointLabel { series: 1, i: 5 };
    assert_eq!(t.state(end, start + d.lines - 0.01).opacity, 0.0);
    assert!(t.state(end, start + d.lines + 0.2).opacity > 0.0);
    assert_eq!(t.state(end, t.complete()), ElementState::SHOWN);
    // Markers still popping after the pen stops keep those frames from being repeats.
    assert!(!t.is_static_between(start + d.lines, start + d.lines + 0.1));
}

#[test]
fn a_scatter_chart_pops_its_points_level_by_level_then_labels_them_then_draws_the_frontier() {
    let chart = test_charts::tradeoff();
    let d = talk();
    let t = Timeline::new(&chart, &d, false);
    let point = |series, i| ElementId::Point { series, i };
    let label = |series, i| ElementId::PointLabel { series, i };
    // The pen goes through the levels, 1 to 32, every series together: halfway through the
    // step it is between levels 2 and 3 (concurrency 4 and 8), whatever the points' x.
    let start = lines_start(&d);
    let middle = start + d.lines / 2.0;
    for s in 0..2 {
        assert!((t.state(ElementId::Line(s), middle).grow - 0.5).abs() < 1e-6);
    }
    assert_eq!(t.state(point(1, 2), middle).opacity, 1.0);
    assert_eq!(t.state(point(1, 3), middle), ElementState::HIDDEN);
    assert_eq!(t.state(point(0, 2), middle).opacity, 1.0);
    // The RTX 4090's fourth point is at level 4 (it lacks 8).
    assert_eq!(t.state(point(0, 3), middle), ElementState::HIDDEN);
    // Labels wait for every point, then come level by level: c=1 of both before c=32.
    let labels = start + d.lines + d.wait;
    assert_eq!(t.state(label(0, 0), labels).opacity, 0.0);
    let early = labels + 0.1;
    assert!(t.state(label(0, 0), early).opacity > 0.0);
    assert!(t.state(label(1, 0), early).opacity > 0.0);
    assert_eq!(t.state(label(1, 5), early).opacity, 0.0);
    // The frontier comes last, drawn along its length; nothing is dim before it starts.
    let frontier = labels + d.values + d.wait;
    assert_eq!(t.state(ElementId::Frontier, frontier).opacity, 0.0);
    assert_eq!(t.state(point(1, 0), frontier).opacity, 1.0);
    let half = t.state(ElementId::Frontier, frontier + d.annotations / 2.0);
    assert_eq!(half.opacity, 1.0);
    assert!((half.grow - 0.5).abs() < 1e-6);
    // Once complete: the frontier's points as they were, every point it beats dimmed with its
    // label, and the line of the series it beats everywhere too.
    let end = t.complete();
    assert!(close(end, frontier + d.annotations));
    assert_eq!(t.state(ElementId::Frontier, end).grow, 1.0);
    assert_eq!(t.state(point(0, 4), end), ElementState::SHOWN);
    assert_eq!(t.state(label(0, 4), end), ElementState::SHOWN);
    assert_eq!(t.state(ElementId::Line(0), end).opacity, 1.0);
    for id in [point(1, 0), ElementId::Line(1)] {
        let dimmed = t.state(id, end).opacity;
        assert!((dimmed - DIMMED as f32).abs() < 1e-6, "{id:?}: {dimmed}");
    }
    // A dimmed point's label dims less, to stay readable; the frontier's label is shown.
    let dimmed = t.state(label(1, 5), end).opacity;
    assert!((dimmed - DIMMED_LABEL as f32).abs() < 1e-6, "{dimmed}");
    assert_eq!(t.state(ElementId::FrontierLabel, end), ElementState::SHOWN);
}

#[test]
fn whiskers_come_with_their_values_and_points() {
    let d = talk();
    // A bar's whisker fades in with its value label.
    let chart = test_charts::with_whiskers(test_charts::vllm_input());
    let t = Timeline::new(&chart, &d, false);
    for at in [0.0, t.complete() / 2.0, t.complete() - 0.3, t.complete()] {
        assert_eq!(
            t.state(ElementId::Whisker { row: 2, bar: 1 }, at),
            t.state(ElementId::Value { row: 2, bar: 1 }, at)
        );
    }
    // A point's appears as the pen reaches the point, and dims with a dominated one.
    let chart = test_charts::with_whiskers(test_charts::tradeoff());
    let t = Timeline::new(&chart, &d, false);
    let whisker = |series, i| ElementId::PointWhisker {
        series,
        i,
        axis: Axis::Y,
    };
    let middle = lines_start(&d) + d.lines / 2.0;
    assert!(t.state(whisker(1, 0), middle).opacity > 0.0);
    assert_eq!(t.state(whisker(1, 5), middle).opacity, 0.0);
    assert_eq!(t.state(whisker(0, 0), t.complete()), ElementState::SHOWN);
    let dimmed = t.state(whisker(1, 0), t.complete()).opacity;
    assert!((dimmed - DIMMED as f32).abs() < 1e-6, "{dimmed}");
}

#[test]
fn deltas_fade_in_row_by_row_after_the_values() {
    let d = talk();
    let chart = test_charts::compare();
    let t = Timeline::new(&chart, &d, false);
    let last_value = ElementId::Value { row: 6, bar: 1 };
    // When the last value label is fully in, no pill has started.
    let values_done = (0..2000)
        .map(|i| i as f64 * t.complete() / 2000.0)
        .find(|&at| t.state(last_value, at).opacity >= 1.0)
        .unwrap();
    assert_eq!(t.state(ElementId::DeltaPill(0), values_done).opacity, 0.0);
    // Then the first row's pill leads the last's, and its text comes with it.
    let pills_start = values_done + d.wait;
    let during = pills_start + d.deltas / 2.0;
    let first = t.state(ElementId::DeltaPill(0), during).opacity;
    let last = t.state(ElementId::DeltaPill(6), during).opacity;
    assert!(first > last, "{first} {last}");
    assert_eq!(
        t.state(ElementId::Delta(3), during),
        t.state(ElementId::DeltaPill(3), during)
    );
    assert_eq!(
        t.state(ElementId::DeltaPill(6), t.complete()),
        ElementState::SHOWN
    );
    // A chart without deltas has no such step: its duration is the same without them.
    let mut plain = chart.clone();
    for row in &mut plain.bars_mut().unwrap().rows {
        row.delta = None;
    }
    let without = Timeline::new(&plain, &d, false);
    assert!((t.duration() - without.duration() - d.deltas - d.wait).abs() < 1e-9);
}

#[test]
fn panels_play_as_one_chart_of_their_rows_one_after_another() {
    let d = talk();
    let chart = test_charts::panels();
    let t = Timeline::new(&chart, &d, false);
    // 9 + 2 + 7 rows, numbered on across the panels: the last panel's rows start last.
    let during = |id| {
        (0..4000)
            .map(|i| i as f64 * t.complete() / 4000.0)
            .find(|&at| t.state(id, at).opacity > 0.0)
            .unwrap()
    };
    assert!(during(ElementId::RowLabel(0)) < during(ElementId::RowLabel(9)));
    assert!(during(ElementId::RowLabel(9)) < during(ElementId::RowLabel(17)));
    // Headings come in with the first row label; pills after the values.
    assert_eq!(
        during(ElementId::PanelTitle(2)),
        during(ElementId::RowLabel(0))
    );
    assert!(during(ElementId::DeltaPill(11)) > during(ElementId::Value { row: 17, bar: 1 }));
    assert_eq!(
        t.state(ElementId::Bar { row: 17, bar: 1 }, t.complete()),
        ElementState::SHOWN
    );
}

#[test]
fn at_blog_pace_the_frame_opens_at_once_and_the_data_comes_in_the_first_second() {
    let d = Durations::default();
    assert_eq!(d.pace, Pace::Blog);
    let bars = test_charts::vllm_input();
    let t = Timeline::new(&bars, &d, false);
    for id in [
        ElementId::Title,
        ElementId::Subtitle,
        ElementId::RowLabel(0),
    ] {
        assert!(t.state(id, 0.1).opacity > 0.0, "{id:?} starts at once");
    }
    let last_label = ElementId::RowLabel(bars.bars().unwrap().rows.len() - 1);
    assert_eq!(t.state(last_label, BLOG_OPENING), ElementState::SHOWN);
    let first_bar = ElementId::Bar { row: 0, bar: 0 };
    assert!(
        t.state(first_bar, 1.0).grow > 0.0,
        "bars grow within a second"
    );
    let talk = Timeline::new(&bars, &talk(), false);
    assert_eq!(talk.state(first_bar, 1.0).grow, 0.0);
    assert!(t.complete() < talk.complete());

    let lines = test_charts::sweep();
    let t = Timeline::new(&lines, &d, false);
    assert!(
        t.state(ElementId::Line(0), 1.0).grow > 0.0,
        "the pen draws within a second"
    );
}
