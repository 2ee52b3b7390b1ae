//! The rules a layout is checked against, and the figures they hold it to.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::elements::{describe, role, short};
use super::problem::{Kind, Problem};
use crate::chart::{Body, Chart, Rgb, contrast as ratio};
use crate::layout::{Element, ElementId, Layout, Shape, TextRole, TextSpec, Weight};
use crate::render::Theme;

/// The smallest text: a chart with more rows than fit at it is refused before layout.
pub use crate::layout::MIN_FONT;

/// The least share of the frame's height the plot must get between the header and the
/// footer. The shipped scenes and examples give it 48% to 74% at every size (61% at the
/// median); below 40% the header and footer have crowded the data out.
pub const MIN_PLOT_SHARE: f32 = 0.4;

/// WCAG AA: normal text needs 4.5:1 against what it is drawn on, large text 3:1.
pub use crate::chart::MIN_CONTRAST;
pub const MIN_LARGE_CONTRAST: f64 = 3.0;

/// WCAG's large text is 24 px, or 18.67 px bold (18 pt, 14 pt bold), as seen. A chart is
/// seen smaller than it is rendered more often than not (a video player, a column of a page):
/// taking 1280×720 as the size it is seen at, that is 36 reference pixels, 28 bold. Only
/// titles, subtitles and legends are that large; the rest needs 4.5:1.
const LARGE_TEXT: f32 = 36.0;
const LARGE_BOLD_TEXT: f32 = 28.0;

/// True when text of `size` pixels and `weight` counts as large on a layout of scale `unit`.
pub fn is_large_text(size: f32, weight: Weight, unit: f32) -> bool {
    let reference = size / unit.max(1e-6);
    reference >= LARGE_TEXT || weight == Weight::Bold && reference >= LARGE_BOLD_TEXT
}

/// The contrast text needs: [`MIN_LARGE_CONTRAST`] when large, else [`MIN_CONTRAST`].
pub fn min_contrast(large: bool) -> f64 {
    if large {
        MIN_LARGE_CONTRAST
    } else {
        MIN_CONTRAST
    }
}

/// The problems that do not depend on the theme.
pub(super) fn geometry(layout: &Layout, chart: &Chart) -> Vec<Problem> {
    let scatter = matches!(chart.body, Body::Scatter(_));
    let mut problems = overlaps(layout, scatter);
    problems.extend(outside(layout, scatter));
    problems.extend(small_text(layout, scatter));
    problems.extend(truncated(layout, chart, scatter));
    problems.extend(dropped(layout, chart));
    problems.extend(small_plot(layout));
    problems
}

fn overlaps(layout: &Layout, scatter: bool) -> Vec<Problem> {
    layout
        .colliding()
        .into_iter()
        .map(|(a, b)| {
            let message = format!("{} overlaps {}", describe(a, scatter), describe(b, scatter));
            Problem::new(Kind::Overlap, message)
        })
        .collect()
}

fn outside(layout: &Layout, scatter: bool) -> Vec<Problem> {
    layout
        .outside()
        .map(|e| {
            let r = e.rect;
            let message = format!(
                "{} reaches outside the frame: box {:.0},{:.0} to {:.0},{:.0}",
                describe(e, scatter),
                r.x,
                r.y,
                r.right(),
                r.bottom()
            );
            Problem::new(Kind::OutsideFrame, message)
        })
        .collect()
}

/// Text elements with something to read.
fn texts(layout: &Layout) -> impl Iterator<Item = (&Element, &TextSpec)> {
    layout.elements.iter().filter_map(|e| match &e.shape {
        Shape::Text(spec) if !spec.text.trim().is_empty() => Some((e, spec)),
        _ => None,
    })
}

/// `3 row labels`, `1 footer`.
fn count(n: usize, role: &str) -> String {
    let name = role.replace('_', " ");
    if n == 1 {
        format!("1 {name}")
    } else {
        format!("{n} {name}s")
    }
}

/// Text smaller than [`MIN_FONT`] at this size, one problem per role.
fn small_text(layout: &Layout, scatter: bool) -> Vec<Problem> {
    let floor = MIN_FONT * layout.unit;
    let mut small: BTreeMap<&str, (usize, f32)> = BTreeMap::new();
    for (e, spec) in texts(layout) {
        if spec.size < floor {
            let entry = small.entry(role(e.id, scatter)).or_insert((0, f32::MAX));
            *entry = (entry.0 + 1, entry.1.min(spec.size));
        }
    }
    small
        .into_iter()
        .map(|(role, (n, smallest))| {
            let message = format!(
                "{} at {smallest:.1} px, under the {floor:.1} px floor at this size ({MIN_FONT:.0} px at 1920x1080)",
                count(n, role)
            );
            Problem::new(Kind::SmallText, message)
        })
        .collect()
}

/// Text that was ellipsized to fit, one problem per role: text with a `…` (at the end of any
/// of its lines) that the chart does not have.
fn truncated(layout: &Layout, chart: &Chart, scatter: bool) -> Vec<Problem> {
    let one_line = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut sources: HashSet<String> = [&chart.title, &chart.subtitle]
        .into_iter()
        .chain(&chart.metadata)
        .chain(&chart.footer)
        .chain(chart.legend.iter().map(|l| &l.label))
        .map(|s| one_line(s))
        .collect();
    sources.extend(chart.body.texts().into_iter().map(|(_, s)| one_line(s)));
    let mut cut: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (e, spec) in texts(layout) {
        let text = one_line(&spec.text);
        if text.contains('…') && !sources.contains(&text) {
            cut.entry(role(e.id, scatter)).or_default().push(&spec.text);
        }
    }
    cut.into_iter()
        .map(|(role, examples)| {
            let message = format!(
                "{} cut short to fit, e.g. \"{}\"",
                count(examples.len(), role),
                short(examples[0])
            );
            Problem::new(Kind::Truncated, message)
        })
        .collect()
}

/// Point labels and callouts the chart asks for that the layout found no room for.
fn dropped(layout: &Layout, chart: &Chart) -> Option<Problem> {
    let (asked, missing) = layout.left_out(chart);
    if missing.is_empty() {
        return None;
    }
    let callout = |id: &&ElementId| matches!(id, ElementId::Annotation(_));
    let parts: Vec<String> = [("point label", false), ("callout", true)]
        .into_iter()
        .filter_map(|(name, is_callout)| {
            let of = |ids: &[ElementId]| ids.iter().filter(|id| callout(id) == is_callout).count();
            let (n, total) = (of(&missing), of(&asked));
            (n > 0).then(|| format!("{n} of {total} {name}s"))
        })
        .collect();
    let message = format!("{} left out: no room for them", parts.join(" and "));
    Some(Problem::new(Kind::DroppedLabels, message))
}

fn small_plot(layout: &Layout) -> Option<Problem> {
    let share = layout.plot.h / layout.height as f32;
    (share < MIN_PLOT_SHARE).then(|| {
        let message = format!(
            "the plot gets {:.0}% of the frame's height ({:.0} px), under {:.0}%: the header and footer take the rest",
            share * 100.0,
            layout.plot.h,
            MIN_PLOT_SHARE * 100.0
        );
        Problem::new(Kind::SmallPlot, message)
    })
}

/// What text is drawn on: its bar for a value inside one, its pill for a delta, else the
/// background. `by_id` holds the layout's elements by their ids.
fn ground(by_id: &HashMap<ElementId, &Element>, e: &Element, spec: &TextSpec, theme: Theme) -> Rgb {
    let behind = match (e.id, spec.role) {
        (ElementId::Value { row, bar }, TextRole::ValueInside) => {
            by_id.get(&ElementId::Bar { row, bar })
        }
        (ElementId::Delta(r), _) => by_id.get(&ElementId::DeltaPill(r)),
        _ => None,
    };
    match behind.map(|b| &b.shape) {
        Some(Shape::Bar { color } | Shape::Pill { color }) => *color,
        _ => theme.background(),
    }
}

/// Text and what it is drawn on, as RGB.
type Colors = ([u8; 3], [u8; 3]);

/// Text below WCAG AA contrast in `theme`, one problem per role and pair of colours.
pub(super) fn contrast(layout: &Layout, theme: Theme) -> Vec<Problem> {
    let rgb = |c: Rgb| [c.0, c.1, c.2];
    // How many, the contrast they have and the contrast they need.
    let mut low: BTreeMap<(&str, Colors), (usize, f64, f64)> = BTreeMap::new();
    // The first element of each id, as `Layout::element` finds it.
    let mut by_id: HashMap<ElementId, &Element> = HashMap::new();
    for e in &layout.elements {
        by_id.entry(e.id).or_insert(e);
    }
    for (e, spec) in texts(layout) {
        let (ink, ground) = (theme.text_color(spec), ground(&by_id, e, spec, theme));
        let need = min_contrast(is_large_text(spec.size, spec.weight, layout.unit));
        let have = ratio(ink, ground);
        if have < need {
            let key = (role(e.id, false), (rgb(ink), rgb(ground)));
            low.entry(key).or_insert((0, have, need)).0 += 1;
        }
    }
    low.into_iter()
        .map(|((role, (ink, ground)), (n, have, need))| {
            let hex = |c: [u8; 3]| format!("#{:02x}{:02x}{:02x}", c[0], c[1], c[2]);
            let message = format!(
                "{} in {} on {}: {have:.2}:1, under {need}:1",
                count(n, role),
                hex(ink),
                hex(ground)
            );
            Problem::new(Kind::LowContrast, message)
        })
        .collect()
}
