//! Charts read together: a set shares one title size, and a compare chart of one metric
//! draws its numbers large.

use super::*;
use crate::chart::Chart;
use crate::render::test_charts;
use crate::render::text::Typesetter;

fn layout(chart: &Chart, width: u32, height: u32) -> Layout {
    let layout = Layout::new(chart, width, height, &mut Typesetter::new());
    assert!(layout.collisions().is_empty(), "{width}x{height}");
    assert!(layout.outside_frame().is_empty(), "{width}x{height}");
    layout
}

fn size_of(layout: &Layout, id: ElementId) -> f32 {
    match &layout.element(id).expect("element present").shape {
        Shape::Text(spec) => spec.size,
        other => panic!("{id:?} is not text: {other:?}"),
    }
}

#[test]
fn a_compare_chart_of_one_metric_draws_its_numbers_and_delta_large() {
    let all = test_charts::compare();
    let mut one = all.clone();
    if let Body::Bars(bars) = &mut one.body {
        bars.rows.truncate(1);
    }
    for (w, h) in [(1920, 1080), (1080, 1920), (1080, 1080)] {
        let (many, single) = (layout(&all, w, h), layout(&one, w, h));
        let value = |l: &Layout| size_of(l, ElementId::Value { row: 0, bar: 0 });
        let delta = |l: &Layout| size_of(l, ElementId::Delta(0));
        let thickness = |l: &Layout| l.element(ElementId::Bar { row: 0, bar: 0 }).unwrap().rect.h;
        assert!(value(&single) >= 1.8 * value(&many), "{w}x{h}: values");
        assert!(delta(&single) >= 1.8 * delta(&many), "{w}x{h}: delta");
        assert!(
            thickness(&single) >= 1.8 * thickness(&many),
            "{w}x{h}: bars"
        );
    }
}

#[test]
fn a_set_of_charts_shares_the_size_of_its_longest_title() {
    let long = "A title long enough that it must shrink to fit across a frame of sixteen by nine";
    let mut charts = vec![
        ("short".to_string(), test_charts::vllm_input()),
        (
            "long".to_string(),
            test_charts::two_series(long, &[("a", Some(1.0), Some(2.0))]),
        ),
    ];
    let title = |chart: &Chart, w, h| {
        size_of(
            &Layout::new(chart, w, h, &mut Typesetter::new()),
            ElementId::Title,
        )
    };
    let (alone, long_alone) = (
        title(&charts[0].1, 1920, 1080),
        title(&charts[1].1, 1920, 1080),
    );
    assert!(
        long_alone < alone * 0.9,
        "the long title shrinks on its own"
    );
    share_title_size(&mut charts, &mut Typesetter::new());
    for (w, h) in [(1920, 1080), (1280, 720)] {
        let sizes: Vec<f32> = charts.iter().map(|(_, c)| title(c, w, h)).collect();
        assert!((sizes[0] - sizes[1]).abs() < 0.01, "{w}x{h}: {sizes:?}");
    }
    assert!((title(&charts[0].1, 1920, 1080) - long_alone).abs() < 0.01);
    // Narrow frames wrap titles instead, at the size they had alone.
    assert_eq!(
        title(&charts[0].1, 1080, 1920),
        title(&test_charts::vllm_input(), 1080, 1920)
    );
}

#[test]
fn a_title_cut_short_keeps_its_own_size_and_says_so() {
    let long = "A title so long that no shrinking lets it fit across the frame: ".repeat(4);
    let chart = test_charts::two_series(&long, &[("a", Some(1.0), Some(2.0))]);
    let alone = Layout::new(&chart, 1920, 1080, &mut Typesetter::new());
    let mut charts = vec![
        ("long".to_string(), chart),
        ("short".to_string(), test_charts::vllm_input()),
    ];
    share_title_size(&mut charts, &mut Typesetter::new());
    let shared = Layout::new(&charts[0].1, 1920, 1080, &mut Typesetter::new());
    assert_eq!(
        size_of(&shared, ElementId::Title),
        size_of(&alone, ElementId::Title)
    );
    let text = |l: &Layout| match &l.element(ElementId::Title).unwrap().shape {
        Shape::Text(spec) => spec.text.clone(),
        _ => unreachable!(),
    };
    assert!(text(&shared).ends_with('…'));
}
